// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: a failure rate written for a person (fa_rate.h). Integer
 * rounding, so lib/ needs no libm.
 */
#include <inttypes.h>
#include <stdio.h>

#include "fa_rate.h"
#include "fa_scan.h"

char *fa_count_text(uint64_t n, char *buf, size_t len)
{
	char digits[32], out[40];
	int nd, i, o = 0;

	nd = snprintf(digits, sizeof(digits), "%" PRIu64, n);
	for (i = 0; i < nd; i++) {
		if (i && !((nd - i) % 3))
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
	return buf;
}

char *fa_rate_percent(double fraction, int up, char *buf, size_t len)
{
	double pct = fraction * 100, scaled;
	uint64_t pow10 = 1, v;
	int decimals = 0;

	if (!(pct > 0)) {
		snprintf(buf, len, "0%%");
		return buf;
	}
	if (pct > 100)
		pct = 100;
	/* two significant digits: scale into [10, 100) */
	for (scaled = pct; scaled < 10 && decimals < 15; scaled *= 10) {
		decimals++;
		pow10 *= 10;
	}
	for (;;) {
		scaled = pct * (double)pow10;
		if (up) {
			/* 0.12 * 100 is 12.000000000000002: not a reason to go up */
			scaled *= 1 - 1e-12;
			v = (uint64_t)scaled;
			if ((double)v < scaled)
				v++;
		} else {
			v = (uint64_t)(scaled + 0.5);
		}
		/* 9.96 rounds to 10.0: one digit fewer keeps two */
		if (v < 100 || !decimals)
			break;
		decimals--;
		pow10 /= 10;
	}
	if (!decimals)
		snprintf(buf, len, "%" PRIu64 "%%", v);
	else
		snprintf(buf, len, "%" PRIu64 ".%0*" PRIu64 "%%", v / pow10,
			 decimals, v % pow10);
	return buf;
}

char *fa_rate_text(uint64_t failures, uint64_t trials, char *buf, size_t len)
{
	char rate[32], bound[32], count[40];

	if (!trials) {
		snprintf(buf, len, "nothing judged");
		return buf;
	}
	if (failures > trials)
		failures = trials;
	fa_rate_percent(fa_tear_upper95(failures, trials), 1, bound,
			sizeof(bound));
	if (!failures) {
		snprintf(buf, len, "0 of %s (95%% upper bound %s)",
			 fa_count_text(trials, count, sizeof(count)), bound);
		return buf;
	}
	fa_rate_percent((double)failures / (double)trials, 0, rate,
			sizeof(rate));
	snprintf(buf, len, "%s (95%% upper bound %s)", rate, bound);
	return buf;
}
