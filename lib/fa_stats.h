/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the statistics of the regression report and the benchmark:
 * medians, median absolute deviations, the noise-aware threshold, the
 * tear-rate test, and the distribution-free confidence interval of a
 * median of paired ratios with its verdict. Pure functions; no I/O.
 */
#ifndef FA_STATS_H
#define FA_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * fa_median() - median of @n values (mean of the middle two for even @n)
 * @v:	the values; reordered in place
 * @n:	how many
 *
 * Return: the median; NaN when @n is 0.
 */
double fa_median(double *v, size_t n);

/**
 * fa_mad() - median absolute deviation from the median
 * @v:	the values; reordered in place
 * @n:	how many
 *
 * Return: median(|v[i] - median(v)|), unscaled; NaN when @n is 0.
 */
double fa_mad(double *v, size_t n);

/**
 * fa_noise_threshold() - relative change a metric must exceed to count
 * @floor:	the user's threshold as a fraction (0.05 for 5%)
 * @median:	the baseline's median of the metric
 * @mad:	the baseline's median absolute deviation of the metric
 *
 * max(@floor, 3 * @mad / |@median|): a metric that is noisy across the
 * baseline's runs needs a larger change to be called a regression.
 *
 * Return: a fraction; @floor when @median is 0 or not a number.
 */
double fa_noise_threshold(double floor, double median, double mad);

/**
 * fa_tear_lower95() - one-sided exact (Clopper-Pearson) 95% lower bound of
 * a tear probability, @torn torn of @n units judged
 *
 * Return: the bound in [0, 1]; 0 when @torn is 0 or @n is 0.
 */
double fa_tear_lower95(uint64_t torn, uint64_t n);

/**
 * fa_tear_regressed() - did the tear rate get worse?
 * @base_torn, @base_n:	the baseline's torn units of units judged
 * @cur_torn, @cur_n:	the current run's
 *
 * Worse is: torn units now where the baseline had none (and judged some),
 * or a current rate whose 95% lower bound exceeds the baseline's 95%
 * upper bound.
 */
bool fa_tear_regressed(uint64_t base_torn, uint64_t base_n,
		       uint64_t cur_torn, uint64_t cur_n);

/* Above this many values the binomial tail underflows a double. */
#define FA_MEDIAN_CI_MAX	1000

/**
 * struct fa_median_ci - a median and its distribution-free confidence
 * interval, the order statistics [v(lo_rank), v(hi_rank)] of the sorted
 * values
 * @n:		how many values
 * @median:	their median
 * @lo, @hi:	the interval's ends
 * @lo_rank, @hi_rank: their 1-based ranks; hi_rank = n + 1 - lo_rank
 * @coverage:	the interval's exact coverage, P(lo_rank <= B <= n - lo_rank)
 *		for B ~ Binomial(n, 1/2): at least the level asked for
 */
struct fa_median_ci {
	size_t n;
	double median;
	double lo, hi;
	size_t lo_rank, hi_rank;
	double coverage;
};

/**
 * fa_median_ci() - the median of @n values with its order-statistic
 * confidence interval
 * @v:		the values; sorted in place
 * @n:		how many
 * @level:	the coverage asked for, e.g. 0.95
 * @ci:		filled on success
 *
 * The interval is the narrowest symmetric pair of order statistics whose
 * coverage is at least @level, whatever the values' distribution, as long
 * as they are independent and share one median (the sign test's interval).
 * For 0.95 it needs at least 6 values: v(1)..v(6) of 6 (96.9%), v(2)..v(9)
 * of 10 (97.9%), v(6)..v(15) of 20, v(14)..v(27) of 40.
 *
 * Return: 0; -EINVAL for a @level outside (0, 1) or a value that is not a
 * finite number; -EDOM when @n values cannot reach @level (the median is
 * still filled in, the interval is not); -E2BIG above FA_MEDIAN_CI_MAX.
 */
int fa_median_ci(double *v, size_t n, double level, struct fa_median_ci *ci);

/**
 * fa_median_ci_within() - does the interval lie within +-@tolerance of
 * its median (both ends)?
 */
bool fa_median_ci_within(const struct fa_median_ci *ci, double tolerance);

/**
 * enum fa_ratio_verdict - what the interval of a median ratio A/B says
 * @FA_RATIO_SAME:	it contains 1 and lies within 1 +- tolerance:
 *			indistinguishable
 * @FA_RATIO_SLOWER:	it lies below 1: A is slower
 * @FA_RATIO_FASTER:	it lies above 1: A is faster
 * @FA_RATIO_NOT_SLOWER: it contains 1 and reaches beyond 1 + tolerance
 *			only: A is not slower by the tolerance or more, but may
 *			be faster by that much
 * @FA_RATIO_UNRESOLVED: it contains 1 and reaches below 1 - tolerance:
 *			the runs cannot tell whether A is slower by that much
 */
enum fa_ratio_verdict {
	FA_RATIO_SAME,
	FA_RATIO_SLOWER,
	FA_RATIO_FASTER,
	FA_RATIO_NOT_SLOWER,
	FA_RATIO_UNRESOLVED,
};

/**
 * fa_ratio_verdict() - the verdict on a median ratio's interval
 * @ci:		from fa_median_ci() on the paired ratios A/B
 * @tolerance:	the difference that counts, as a fraction (0.02 for 2%)
 */
enum fa_ratio_verdict fa_ratio_verdict(const struct fa_median_ci *ci,
				       double tolerance);

#endif /* FA_STATS_H */
