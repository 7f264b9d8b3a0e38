/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the statistics of the regression report: medians, median
 * absolute deviations, the noise-aware threshold and the tear-rate test.
 * Pure functions; no I/O.
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

#endif /* FA_STATS_H */
