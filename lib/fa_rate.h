/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: how a failure rate (torn units, mixed pairs, lost writes) is
 * written for a person, one format everywhere:
 *
 *   0.12% (95% upper bound 0.31%)          some failures
 *   0 of 8,192 (95% upper bound 0.037%)    none: the count judged says
 *                                          how much "none" is worth
 *
 * The bound is the exact one-sided 95% (Clopper-Pearson) upper bound of
 * fa_tear_upper95(). Two significant digits; the rate is rounded to
 * nearest, the bound upward, so the printed bound is never below the
 * true one. No I/O.
 */
#ifndef FA_RATE_H
#define FA_RATE_H

#include <stddef.h>
#include <stdint.h>

/* Room for any text fa_rate_text() writes */
#define FA_RATE_TEXT_LEN	96

/**
 * fa_rate_text() - @failures of @trials as text (see above)
 * @buf, @len:	the text; truncated to @len, always terminated
 *
 * @trials 0 gives "nothing judged". Return: @buf.
 */
char *fa_rate_text(uint64_t failures, uint64_t trials, char *buf, size_t len);

/**
 * fa_rate_percent() - @fraction (0.0012) as "0.12%": two significant
 * digits, rounded upward when @up, else to nearest; 0 gives "0%"
 */
char *fa_rate_percent(double fraction, int up, char *buf, size_t len);

/** fa_count_text() - 8192 as "8,192" */
char *fa_count_text(uint64_t n, char *buf, size_t len);

#endif /* FA_RATE_H */
