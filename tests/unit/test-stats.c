// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the statistics of `fio-atomic report compare` (fa_stats.h):
 * medians of odd and even counts, the median absolute deviation, the
 * noise-aware threshold max(floor, 3 x MAD / median) on quiet, noisy and
 * degenerate baselines, the tear rate's 95% lower bound against the upper
 * one, and when a tear rate counts as worse.
 */
#include <math.h>
#include <stdint.h>

#include "fa_scan.h"
#include "fa_stats.h"
#include "fa_test.h"

#define CLOSE(a, b) ((a) - (b) < 1e-9 && (b) - (a) < 1e-9)

static void test_median_odd_even_empty(void)
{
	double odd[] = { 5, 1, 3 };
	double even[] = { 4, 1, 3, 2 };

	FA_ASSERT(CLOSE(fa_median(odd, 3), 3));
	FA_ASSERT(CLOSE(fa_median(even, 4), 2.5));
	FA_ASSERT(isnan(fa_median(odd, 0)));
}

static void test_mad_ignores_an_outlier(void)
{
	double v[] = { 1, 2, 3, 4, 100 };

	/* deviations from 3: 2 1 0 1 97 */
	FA_ASSERT(CLOSE(fa_mad(v, 5), 1));
}

static void test_mad_of_one_value_is_zero(void)
{
	double v[] = { 42 };

	FA_ASSERT(CLOSE(fa_mad(v, 1), 0));
}

static void test_threshold_floor_on_quiet_baseline(void)
{
	/* 3 x 10 / 1000 = 3% < 5% */
	FA_ASSERT(CLOSE(fa_noise_threshold(0.05, 1000, 10), 0.05));
}

static void test_threshold_grows_with_noise(void)
{
	/* 3 x 50 / 1000 = 15% */
	FA_ASSERT(CLOSE(fa_noise_threshold(0.05, 1000, 50), 0.15));
	/* a negative median (never for IOPS) counts by its size */
	FA_ASSERT(CLOSE(fa_noise_threshold(0.05, -1000, 50), 0.15));
}

static void test_threshold_degenerate_baseline(void)
{
	FA_ASSERT(CLOSE(fa_noise_threshold(0.05, 0, 50), 0.05));
	FA_ASSERT(CLOSE(fa_noise_threshold(0.05, NAN, 50), 0.05));
	FA_ASSERT(CLOSE(fa_noise_threshold(0.05, 1000, NAN), 0.05));
}

static void test_lower95_below_rate_below_upper95(void)
{
	double lo = fa_tear_lower95(5, 100), hi = fa_tear_upper95(5, 100);

	FA_ASSERT(lo > 0.01 && lo < 0.05);
	FA_ASSERT(hi > 0.05 && hi < 0.2);
}

static void test_lower95_edges(void)
{
	FA_ASSERT(CLOSE(fa_tear_lower95(0, 100), 0));
	FA_ASSERT(CLOSE(fa_tear_lower95(3, 0), 0));
	/* all torn: the bound is 0.05^(1/n), 0.05^0.1 = 0.74113... */
	FA_ASSERT(CLOSE(fa_tear_lower95(10, 10), 0.7411344491069477));
}

static void test_tear_regressed(void)
{
	/* torn where the baseline had none */
	FA_ASSERT(fa_tear_regressed(0, 1000, 1, 1000));
	/* no baseline units judged: nothing to compare with */
	FA_ASSERT(!fa_tear_regressed(0, 0, 1, 10));
	/* none torn now */
	FA_ASSERT(!fa_tear_regressed(5, 1000, 0, 1000));
	/* within the baseline's bounds */
	FA_ASSERT(!fa_tear_regressed(5, 1000, 7, 1000));
	/* far beyond them */
	FA_ASSERT(fa_tear_regressed(5, 1000, 100, 1000));
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_median_odd_even_empty),
	FA_TEST(test_mad_ignores_an_outlier),
	FA_TEST(test_mad_of_one_value_is_zero),
	FA_TEST(test_threshold_floor_on_quiet_baseline),
	FA_TEST(test_threshold_grows_with_noise),
	FA_TEST(test_threshold_degenerate_baseline),
	FA_TEST(test_lower95_below_rate_below_upper95),
	FA_TEST(test_lower95_edges),
	FA_TEST(test_tear_regressed),
};

FA_TEST_MAIN(cases, NULL, NULL)
