// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: medians, median absolute deviations, the noise-aware
 * threshold and the tear-rate comparison of `fio-atomic report compare`;
 * the median's order-statistic confidence interval and the verdict on a
 * median ratio of the benchmark (scripts/bench*.sh).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "fa_scan.h"
#include "fa_stats.h"

static int fa_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double fa_median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), fa_cmp_double);
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

double fa_mad(double *v, size_t n)
{
	double med;
	size_t i;

	if (!n)
		return NAN;
	med = fa_median(v, n);
	for (i = 0; i < n; i++)
		v[i] = fabs(v[i] - med);
	return fa_median(v, n);
}

double fa_noise_threshold(double floor, double median, double mad)
{
	double noise;

	if (!isfinite(median) || median == 0 || !isfinite(mad))
		return floor;
	noise = 3 * mad / fabs(median);
	return noise > floor ? noise : floor;
}

/*
 * The lower bound of k torn of n is one minus the upper bound of the n - k
 * intact ones: the binomial is symmetric in p and 1 - p.
 */
double fa_tear_lower95(uint64_t torn, uint64_t n)
{
	if (!torn || !n)
		return 0;
	if (torn > n)
		torn = n;
	return 1 - fa_tear_upper95(n - torn, n);
}

bool fa_tear_regressed(uint64_t base_torn, uint64_t base_n,
		       uint64_t cur_torn, uint64_t cur_n)
{
	if (!cur_torn)
		return false;
	if (!base_torn)
		return base_n > 0;
	return fa_tear_lower95(cur_torn, cur_n) >
	       fa_tear_upper95(base_torn, base_n);
}

/*
 * The sign test's interval: v(k) <= median < v(n + 1 - k) unless at most
 * k - 1 values fall on one side, so its coverage is 1 - 2 P(B <= k - 1)
 * with B ~ Binomial(n, 1/2). k grows while that stays >= level. The
 * probabilities are summed from 2^-n upward, which is exact enough for
 * n <= FA_MEDIAN_CI_MAX (2^-1000 is about 1e-301, above DBL_MIN).
 */
int fa_median_ci(double *v, size_t n, double level, struct fa_median_ci *ci)
{
	double pmf = 1, tail, coverage;
	size_t i, k;

	if (!(level > 0 && level < 1))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return -EINVAL;
	if (n > FA_MEDIAN_CI_MAX)
		return -E2BIG;
	ci->n = n;
	ci->median = fa_median(v, n);
	ci->lo = ci->hi = NAN;
	ci->lo_rank = ci->hi_rank = 0;
	ci->coverage = 0;
	if (!n)
		return -EDOM;
	for (i = 0; i < n; i++)
		pmf /= 2;
	/* tail = P(B <= k - 1); k = 1 is the widest interval, v(1)..v(n) */
	tail = pmf;
	coverage = 1 - 2 * tail;
	if (coverage < level)
		return -EDOM;
	for (k = 1; 2 * (k + 1) <= n + 1; k++) {
		double next;

		pmf = pmf * (double)(n - (k - 1)) / (double)k;
		next = 1 - 2 * (tail + pmf);
		if (next < level)
			break;
		tail += pmf;
		coverage = next;
	}
	ci->lo_rank = k;
	ci->hi_rank = n + 1 - k;
	ci->lo = v[k - 1];
	ci->hi = v[n - k];
	ci->coverage = coverage;
	return 0;
}

bool fa_median_ci_within(const struct fa_median_ci *ci, double tolerance)
{
	double m = fabs(ci->median);

	if (!isfinite(ci->lo) || !isfinite(ci->hi))
		return false;
	return ci->lo >= ci->median - tolerance * m &&
	       ci->hi <= ci->median + tolerance * m;
}

enum fa_ratio_verdict fa_ratio_verdict(const struct fa_median_ci *ci,
				       double tolerance)
{
	if (!isfinite(ci->lo) || !isfinite(ci->hi))
		return FA_RATIO_UNRESOLVED;
	if (ci->hi < 1)
		return FA_RATIO_SLOWER;
	if (ci->lo > 1)
		return FA_RATIO_FASTER;
	if (ci->lo >= 1 - tolerance && ci->hi <= 1 + tolerance)
		return FA_RATIO_SAME;
	if (ci->lo >= 1 - tolerance)
		return FA_RATIO_NOT_SLOWER;
	return FA_RATIO_UNRESOLVED;
}
