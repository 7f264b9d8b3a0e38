// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: medians, median absolute deviations, the noise-aware
 * threshold and the tear-rate comparison of `fio-atomic report compare`.
 */
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
