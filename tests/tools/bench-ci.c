// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the median of the benchmark's paired ratios with its
 * distribution-free confidence interval (lib/fa_stats.h: the order
 * statistics of the sign test) and the verdict, for scripts/bench*.sh:
 *
 *   bench-ci [--level 0.95] [--tolerance 0.02] [--against TEXT] <RATIOS
 *
 * RATIOS are numbers separated by white space, one per pair (A/B). One
 * line comes out, its fields separated by tabs:
 *
 *   n  median  lo  hi  coverage  within  verdict  text
 *
 * lo, hi and coverage are "-" when n values cannot reach the level (and
 * the median too when there are none);
 * within is 1 when both ends lie within +-tolerance of the median (the
 * bench's rule to stop adding pairs), else 0; verdict is one of same,
 * slower, faster, not-slower, unresolved, too-few; text says it in words, e.g.
 * "slower by 3.1% (CI 0.952..0.981)".
 *
 * Exit 0, or 2 for a usage error or a ratio that is not a positive number.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_stats.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: bench-ci [--level L] [--tolerance T] [--against TEXT] <RATIOS\n"
		"  L in (0, 1), default 0.95; T in (0, 1), default 0.02\n");
	exit(2);
}

static double parse_fraction(const char *opt, const char *s)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (errno || end == s || *end || !(x > 0 && x < 1)) {
		fprintf(stderr, "bench-ci: %s %s is not a fraction in (0, 1)\n",
			opt, s);
		exit(2);
	}
	return x;
}

/* The fewest values whose widest interval, v(1)..v(n), reaches @level. */
static size_t fewest(double level)
{
	double tail = 0.5;
	size_t n = 1;

	while (1 - 2 * tail < level && n < FA_MEDIAN_CI_MAX) {
		tail /= 2;
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	double level = 0.95, tolerance = 0.02, *v = NULL;
	const char *against = "the peer";
	size_t n = 0, cap = 0;
	struct fa_median_ci ci;
	char word[64], text[256];
	const char *verdict;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--level"))
			level = parse_fraction(argv[i], argv[i + 1]);
		else if (!strcmp(argv[i], "--tolerance"))
			tolerance = parse_fraction(argv[i], argv[i + 1]);
		else if (!strcmp(argv[i], "--against"))
			against = argv[i + 1];
		else
			usage();
		i++;
	}

	while (scanf("%63s", word) == 1) {
		char *end;
		double x;

		errno = 0;
		x = strtod(word, &end);
		if (errno || *end || !(x > 0) || !isfinite(x)) {
			fprintf(stderr,
				"bench-ci: ratio %zu, '%s', is not a positive number\n",
				n + 1, word);
			free(v);
			return 2;
		}
		if (n == cap) {
			double *grown;

			cap = cap ? 2 * cap : 64;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				fprintf(stderr, "bench-ci: out of memory\n");
				return 2;
			}
			v = grown;
		}
		v[n++] = x;
	}

	rc = fa_median_ci(v, n, level, &ci);
	if (rc == -E2BIG) {
		fprintf(stderr, "bench-ci: %zu ratios, more than %d\n", n,
			FA_MEDIAN_CI_MAX);
		free(v);
		return 2;
	}
	if (rc) {
		snprintf(text, sizeof(text),
			 "too few pairs for a %g%% CI: %zu (%zu needed)",
			 100 * level, n, fewest(level));
		if (n)
			printf("%zu\t%.4f", n, ci.median);
		else
			printf("0\t-");
		printf("\t-\t-\t-\t0\ttoo-few\t%s\n", text);
		free(v);
		return 0;
	}

	switch (fa_ratio_verdict(&ci, tolerance)) {
	case FA_RATIO_SAME:
		verdict = "same";
		snprintf(text, sizeof(text),
			 "indistinguishable from %s (CI %.3f..%.3f)", against,
			 ci.lo, ci.hi);
		break;
	case FA_RATIO_SLOWER:
		verdict = "slower";
		snprintf(text, sizeof(text), "slower by %.1f%% (CI %.3f..%.3f)",
			 100 * (1 - ci.median), ci.lo, ci.hi);
		break;
	case FA_RATIO_FASTER:
		verdict = "faster";
		snprintf(text, sizeof(text), "faster by %.1f%% (CI %.3f..%.3f)",
			 100 * (ci.median - 1), ci.lo, ci.hi);
		break;
	case FA_RATIO_NOT_SLOWER:
		verdict = "not-slower";
		snprintf(text, sizeof(text),
			 "not slower by %g%% or more (CI %.3f..%.3f)",
			 100 * tolerance, ci.lo, ci.hi);
		break;
	case FA_RATIO_UNRESOLVED:
	default:
		verdict = "unresolved";
		snprintf(text, sizeof(text),
			 "cannot tell %g%%: CI %.3f..%.3f reaches below %.2f",
			 100 * tolerance, ci.lo, ci.hi, 1 - tolerance);
		break;
	}
	printf("%zu\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t%s\t%s\n", n, ci.median,
	       ci.lo, ci.hi, ci.coverage,
	       fa_median_ci_within(&ci, tolerance) ? 1 : 0, verdict, text);
	free(v);
	return 0;
}
