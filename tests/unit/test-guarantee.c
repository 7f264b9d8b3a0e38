// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the guarantee result every probe fills: its judgement
 * (a failure is not_provided; no trial, or a positive control that saw
 * nothing, is not_tested with a reason; else provided), its points and
 * totals, its JSON (names, rate, exact upper bound, control) and the one
 * rate format of the project.
 */
#include <string.h>

#include <json-c/json.h>

#include "fa_guarantee.h"
#include "fa_test.h"

static void test_names(void)
{
	FA_ASSERT_STREQ(fa_guarantee_name(FA_G_POWER_FAIL), "power_fail");
	FA_ASSERT_STREQ(fa_guarantee_name(FA_G_READ_ISOLATION), "read_isolation");
	FA_ASSERT_STREQ(fa_guarantee_name(FA_G_WRITE_ISOLATION), "write_isolation");
	FA_ASSERT_STREQ(fa_g_status_name(FA_G_NOT_PROVIDED), "not_provided");
	FA_ASSERT_STREQ(fa_g_status_name(FA_G_NOT_TESTED), "not_tested");
}

static void test_judge(void)
{
	struct fa_g_result r;
	struct fa_g_point *p;

	fa_g_init(&r, FA_G_WRITE_ISOLATION);
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_NOT_TESTED);
	FA_ASSERT_CONTAINS(r.reason, "no trial");

	p = fa_g_point(&r, "atomic-pvsync2", 65536);
	p->trials = 1000;
	FA_ASSERT(fa_g_point(&r, "atomic-pvsync2", 65536) == p);
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_PROVIDED);

	r.has_control = true;
	r.control_trials = 50;
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_NOT_TESTED);
	FA_ASSERT_CONTAINS(r.reason, "proved nothing");

	r.control_failures = 3;
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_PROVIDED);
	FA_ASSERT(r.control_passed);

	p = fa_g_point(&r, "atomic-pvsync2", 2097152);
	p->trials = 100;
	p->failures = 7;
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_NOT_PROVIDED);
}

static void test_json(void)
{
	struct fa_g_result r;
	struct fa_g_point *p;
	struct json_object *o, *v;

	fa_g_init(&r, FA_G_READ_ISOLATION);
	p = fa_g_point(&r, "atomic-uring", 4096);
	p->trials = 10;
	p->failures = 1;
	p = fa_g_point(&r, "atomic-pvsync2", 4096);
	p->trials = 10;
	fa_g_example(&r, 8192, 4096, "torn: partial");
	fa_g_judge(&r);
	o = fa_g_json(&r);
	FA_ASSERT(o != NULL);
	FA_ASSERT(json_object_object_get_ex(o, "status", &v));
	FA_ASSERT_STREQ(json_object_get_string(v), "not_provided");
	FA_ASSERT(json_object_object_get_ex(o, "trials", &v));
	FA_ASSERT_EQ(json_object_get_int(v), 20);
	FA_ASSERT(json_object_object_get_ex(o, "sizes", &v));
	FA_ASSERT_EQ((int)json_object_array_length(v), 1);
	FA_ASSERT(json_object_object_get_ex(o, "engines", &v));
	FA_ASSERT_EQ((int)json_object_array_length(v), 2);
	FA_ASSERT(json_object_object_get_ex(o, "rate_upper95", &v));
	FA_ASSERT(json_object_get_double(v) > 0.05);
	FA_ASSERT(json_object_object_get_ex(o, "control", &v) && !v);
	json_object_put(o);
}

/* A measure names its guarantee and keeps its counts and condition. */
static void test_measure(void)
{
	struct json_object *o, *v;

	o = fa_g_measure_json(FA_G_POWER_FAIL, 64, 0, FA_G_COND_AFTER_CRASH);
	FA_ASSERT(o != NULL);
	FA_ASSERT(json_object_object_get_ex(o, "guarantee", &v));
	FA_ASSERT_STREQ(json_object_get_string(v), "power_fail");
	FA_ASSERT(json_object_object_get_ex(o, "trials", &v));
	FA_ASSERT_EQ(json_object_get_int(v), 64);
	FA_ASSERT(json_object_object_get_ex(o, "rate_upper95", &v));
	/* 1 - 0.05^(1/64) */
	FA_ASSERT(json_object_get_double(v) > 0.0457 &&
		  json_object_get_double(v) < 0.0458);
	FA_ASSERT(json_object_object_get_ex(o, "condition", &v));
	FA_ASSERT_CONTAINS(json_object_get_string(v), "after a crash");
	json_object_put(o);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_measure),
	FA_TEST(test_names),
	FA_TEST(test_judge),
	FA_TEST(test_json),
};

FA_TEST_MAIN(cases, NULL, NULL)
