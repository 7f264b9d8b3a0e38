// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the one format of a failure rate (fa_rate.h): none of N
 * with the count and its bound, a rate with its bound, two significant
 * digits, the bound rounded up and never below the exact bound, the rate
 * rounded to nearest, thousands separators, nothing judged.
 */
#include <stdlib.h>
#include <string.h>

#include "fa_rate.h"
#include "fa_scan.h"
#include "fa_test.h"

static char buf[FA_RATE_TEXT_LEN];

static void test_none_of_n(void)
{
	/* 1 - 0.05^(1/8192) = 0.0366%: up to 0.037% */
	FA_ASSERT_STREQ(fa_rate_text(0, 8192, buf, sizeof(buf)),
			"0 of 8,192 (95% upper bound 0.037%)");
	FA_ASSERT_STREQ(fa_rate_text(0, 1000000, buf, sizeof(buf)),
			"0 of 1,000,000 (95% upper bound 0.00030%)");
	FA_ASSERT_STREQ(fa_rate_text(0, 3, buf, sizeof(buf)),
			"0 of 3 (95% upper bound 64%)");
}

static void test_some_failures(void)
{
	/* 12 of 10000: 0.12%, exact bound 0.1944%: up to 0.20% */
	FA_ASSERT_STREQ(fa_rate_text(12, 10000, buf, sizeof(buf)),
			"0.12% (95% upper bound 0.20%)");
	FA_ASSERT_STREQ(fa_rate_text(11, 6432, buf, sizeof(buf)),
			"0.17% (95% upper bound 0.29%)");	/* 0.2829% up */
	FA_ASSERT_STREQ(fa_rate_text(5, 5, buf, sizeof(buf)),
			"100% (95% upper bound 100%)");
}

static void test_percent_rounding(void)
{
	FA_ASSERT_STREQ(fa_rate_percent(0.0012, 0, buf, sizeof(buf)), "0.12%");
	FA_ASSERT_STREQ(fa_rate_percent(0.0012, 1, buf, sizeof(buf)), "0.12%");
	FA_ASSERT_STREQ(fa_rate_percent(0.00121, 1, buf, sizeof(buf)), "0.13%");
	FA_ASSERT_STREQ(fa_rate_percent(0.00121, 0, buf, sizeof(buf)), "0.12%");
	FA_ASSERT_STREQ(fa_rate_percent(0.0996, 0, buf, sizeof(buf)), "10%");
	FA_ASSERT_STREQ(fa_rate_percent(0.123, 0, buf, sizeof(buf)), "12%");
	FA_ASSERT_STREQ(fa_rate_percent(0.001, 0, buf, sizeof(buf)), "0.10%");
	FA_ASSERT_STREQ(fa_rate_percent(0, 1, buf, sizeof(buf)), "0%");
}

static void test_bound_never_below_exact(void)
{
	static const uint64_t n[] = { 7, 100, 999, 4096, 65536, 1000003 };
	size_t i, k;

	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		for (k = 0; k <= 3 && k <= n[i]; k++) {
			double exact = 100 * fa_tear_upper95(k, n[i]);

			fa_rate_percent(exact / 100, 1, buf, sizeof(buf));
			FA_ASSERT(strtod(buf, NULL) >= exact);
			FA_ASSERT(strtod(buf, NULL) <= exact * 1.1);
		}
	}
}

static void test_counts_and_nothing(void)
{
	FA_ASSERT_STREQ(fa_count_text(0, buf, sizeof(buf)), "0");
	FA_ASSERT_STREQ(fa_count_text(999, buf, sizeof(buf)), "999");
	FA_ASSERT_STREQ(fa_count_text(1000, buf, sizeof(buf)), "1,000");
	FA_ASSERT_STREQ(fa_count_text(18446744073709551615ull, buf,
				      sizeof(buf)),
			"18,446,744,073,709,551,615");
	FA_ASSERT_STREQ(fa_rate_text(0, 0, buf, sizeof(buf)),
			"nothing judged");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_none_of_n),
	FA_TEST(test_some_failures),
	FA_TEST(test_percent_rounding),
	FA_TEST(test_bound_never_below_exact),
	FA_TEST(test_counts_and_nothing),
};

FA_TEST_MAIN(cases, NULL, NULL)
