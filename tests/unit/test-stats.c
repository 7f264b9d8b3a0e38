// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the statistics of `fio-atomic report compare` (fa_stats.h):
 * medians of odd and even counts, the median absolute deviation, the
 * noise-aware threshold max(floor, 3 x MAD / median) on quiet, noisy and
 * degenerate baselines, the tear rate's 95% lower bound against the upper
 * one, and when a tear rate counts as worse; the benchmark's median
 * confidence interval (its ranks and exact coverage on known samples,
 * against an independent binomial count for 6..60 values, its refusals)
 * and the verdict on a median ratio.
 */
#include <errno.h>
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

static void test_median_ci_ten_values(void)
{
	/* 1..10 shuffled: the 95% interval is v(2)..v(9) */
	double v[] = { 7, 3, 10, 1, 5, 9, 2, 8, 4, 6 };
	struct fa_median_ci ci;

	FA_ASSERT_EQ(fa_median_ci(v, 10, 0.95, &ci), 0);
	FA_ASSERT_UEQ(ci.n, 10);
	FA_ASSERT(CLOSE(ci.median, 5.5));
	FA_ASSERT_UEQ(ci.lo_rank, 2);
	FA_ASSERT_UEQ(ci.hi_rank, 9);
	FA_ASSERT(CLOSE(ci.lo, 2));
	FA_ASSERT(CLOSE(ci.hi, 9));
	/* 1 - 2 (1 + 10) / 1024 */
	FA_ASSERT(CLOSE(ci.coverage, 0.978515625));
}

static void test_median_ci_known_ranks(void)
{
	/* n, ranks and coverage of the 95% interval (sign-test tables) */
	static const struct {
		size_t n, lo, hi;
		double coverage;
	} known[] = {
		{ 6, 1, 6, 0.96875 },
		{ 20, 6, 15, 0.9586105346679688 },
		{ 40, 14, 27, 0.9615226917157997 },
	};
	double v[40];
	struct fa_median_ci ci;
	size_t i, j;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		/* descending, so the sort is exercised: rank r is base + r */
		double base = 100.0 - (double)known[i].n;

		for (j = 0; j < known[i].n; j++)
			v[j] = 100.0 - (double)j;
		FA_ASSERT_EQ(fa_median_ci(v, known[i].n, 0.95, &ci), 0);
		FA_ASSERT_UEQ(ci.lo_rank, known[i].lo);
		FA_ASSERT_UEQ(ci.hi_rank, known[i].hi);
		FA_ASSERT(CLOSE(ci.lo, base + (double)known[i].lo));
		FA_ASSERT(CLOSE(ci.hi, base + (double)known[i].hi));
		FA_ASSERT(CLOSE(ci.coverage, known[i].coverage));
	}
}

/*
 * For every n from 6 to 60, the rank against an exact integer count:
 * the largest k with 2 * sum_{i<k} C(n, i) <= 0.05 * 2^n.
 */
static void test_median_ci_matches_binomial(void)
{
	unsigned __int128 row[61] = { 1 };
	double v[60];
	struct fa_median_ci ci;
	size_t n, i, k;

	for (i = 0; i < 60; i++)
		v[i] = (double)i;
	for (n = 1; n <= 60; n++) {
		unsigned __int128 sum = 0, total = (unsigned __int128)1 << n;

		for (i = n; i > 0; i--)
			row[i] += row[i - 1];
		if (n < 6)
			continue;
		/* row[] is now C(n, .); 40 * sum <= 2^n <=> coverage >= 95% */
		for (k = 0; 2 * (k + 1) <= n + 1; k++) {
			if (40 * (sum + row[k]) > total)
				break;
			sum += row[k];
		}
		/* k = the number of terms kept = the lower rank */
		FA_ASSERT_EQ(fa_median_ci(v, n, 0.95, &ci), 0);
		if (ci.lo_rank != k)
			FA_FAIL("n=%zu: lower rank %zu, the binomial says %zu",
				n, ci.lo_rank, k);
		FA_ASSERT(ci.coverage >= 0.95);
		FA_ASSERT(CLOSE(ci.coverage,
				1 - 2 * (double)sum / (double)total));
	}
}

static void test_median_ci_too_few(void)
{
	double v[] = { 5, 1, 3, 2, 4 };
	struct fa_median_ci ci;

	/* 5 values: v(1)..v(5) covers only 1 - 2/32 = 93.75% */
	FA_ASSERT_EQ(fa_median_ci(v, 5, 0.95, &ci), -EDOM);
	FA_ASSERT(CLOSE(ci.median, 3));
	FA_ASSERT(isnan(ci.lo) && isnan(ci.hi));
	/* but enough for 90% */
	FA_ASSERT_EQ(fa_median_ci(v, 5, 0.90, &ci), 0);
	FA_ASSERT(CLOSE(ci.lo, 1) && CLOSE(ci.hi, 5));
	FA_ASSERT_EQ(fa_median_ci(v, 0, 0.95, &ci), -EDOM);
}

static void test_median_ci_refusals(void)
{
	double v[FA_MEDIAN_CI_MAX + 1] = { 0 };
	struct fa_median_ci ci;

	FA_ASSERT_EQ(fa_median_ci(v, 10, 1, &ci), -EINVAL);
	FA_ASSERT_EQ(fa_median_ci(v, 10, 0, &ci), -EINVAL);
	FA_ASSERT_EQ(fa_median_ci(v, 10, NAN, &ci), -EINVAL);
	FA_ASSERT_EQ(fa_median_ci(v, FA_MEDIAN_CI_MAX + 1, 0.95, &ci), -E2BIG);
	FA_ASSERT_EQ(fa_median_ci(v, FA_MEDIAN_CI_MAX, 0.95, &ci), 0);
	v[3] = INFINITY;
	FA_ASSERT_EQ(fa_median_ci(v, 10, 0.95, &ci), -EINVAL);
	v[3] = NAN;
	FA_ASSERT_EQ(fa_median_ci(v, 10, 0.95, &ci), -EINVAL);
}

/* ten paired ratios of a bench point, and what they say */
static void test_ratio_verdict_of_known_pairs(void)
{
	double noisy[] = { 0.97, 1.01, 0.99, 1.03, 0.96,
			   1.00, 1.02, 0.98, 1.04, 0.995 };
	double quiet[] = { 0.995, 1.004, 0.999, 1.012, 0.991,
			   1.001, 1.008, 0.997, 1.015, 0.985 };
	double slow[] = { 0.91, 0.94, 0.89, 0.93, 0.95,
			  0.92, 0.90, 0.96, 0.88, 0.93 };
	struct fa_median_ci ci;

	FA_ASSERT_EQ(fa_median_ci(noisy, 10, 0.95, &ci), 0);
	FA_ASSERT(CLOSE(ci.median, 0.9975));
	FA_ASSERT(CLOSE(ci.lo, 0.97) && CLOSE(ci.hi, 1.03));
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_UNRESOLVED);
	FA_ASSERT(!fa_median_ci_within(&ci, 0.02));

	FA_ASSERT_EQ(fa_median_ci(quiet, 10, 0.95, &ci), 0);
	FA_ASSERT(CLOSE(ci.lo, 0.991) && CLOSE(ci.hi, 1.012));
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_SAME);
	FA_ASSERT(fa_median_ci_within(&ci, 0.02));

	FA_ASSERT_EQ(fa_median_ci(slow, 10, 0.95, &ci), 0);
	FA_ASSERT(CLOSE(ci.median, 0.925));
	FA_ASSERT(CLOSE(ci.lo, 0.89) && CLOSE(ci.hi, 0.95));
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_SLOWER);
	/* 0.89..0.95 is not within +-2% of 0.925 */
	FA_ASSERT(!fa_median_ci_within(&ci, 0.02));
}

static void test_ratio_verdict_edges(void)
{
	struct fa_median_ci ci = { .n = 10, .median = 1 };

	/* the ends of 1 +- 2% still count as indistinguishable */
	ci.lo = 0.98, ci.hi = 1.02;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_SAME);
	FA_ASSERT(fa_median_ci_within(&ci, 0.02));
	ci.lo = 0.979;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_UNRESOLVED);
	FA_ASSERT(!fa_median_ci_within(&ci, 0.02));
	/* a small difference, resolved: slower by 1% */
	ci.median = 0.99, ci.lo = 0.985, ci.hi = 0.995;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_SLOWER);
	ci.median = 1.03, ci.lo = 1.001, ci.hi = 1.06;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_FASTER);
	/* not slower by 2%, maybe faster by more: told for the question */
	ci.median = 1.014, ci.lo = 0.998, ci.hi = 1.028;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_NOT_SLOWER);
	ci.lo = 0.98;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_NOT_SLOWER);
	ci.lo = 0.979;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_UNRESOLVED);
	/* touching 1 is containing it */
	ci.median = 1.01, ci.lo = 1, ci.hi = 1.015;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_SAME);
	/* no interval: nothing can be told */
	ci.lo = NAN, ci.hi = NAN;
	FA_ASSERT_EQ(fa_ratio_verdict(&ci, 0.02), FA_RATIO_UNRESOLVED);
	FA_ASSERT(!fa_median_ci_within(&ci, 0.02));
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
	FA_TEST(test_median_ci_ten_values),
	FA_TEST(test_median_ci_known_ranks),
	FA_TEST(test_median_ci_matches_binomial),
	FA_TEST(test_median_ci_too_few),
	FA_TEST(test_median_ci_refusals),
	FA_TEST(test_ratio_verdict_of_known_pairs),
	FA_TEST(test_ratio_verdict_edges),
};

FA_TEST_MAIN(cases, NULL, NULL)
