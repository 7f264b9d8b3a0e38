// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the pure logic of fio-atomic qualify: the verdict (a FAIL,
 * or a SKIP of a required step, is NOT QUALIFIED and names the step), the
 * sizes of the sweep, the write side and percentiles of fio's JSON (after
 * fio's own warning lines), and the judgement of the conformance counts
 * the engines' job reports hold (errno, SCSI sense, NVMe writes outside
 * the guarantee).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "fa_jobreport.h"
#include "fa_qualify.h"
#include "fa_test.h"

static struct fa_q_step make_step(const char *name, bool required,
				  enum fa_q_result r)
{
	struct fa_q_step s;

	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "%s", name);
	s.required = required;
	s.result = r;
	return s;
}

static void test_verdict_advisory_fail(void)
{
	struct fa_q_step s[] = {
		make_step("limits", true, FA_Q_PASS),
		make_step("write_isolation", false, FA_Q_FAIL),
		make_step("read_isolation", false, FA_Q_FAIL),
	};
	char failing[128];

	s[1].advisory = true;
	s[2].advisory = true;
	FA_ASSERT(fa_q_verdict(s, 3, failing, sizeof(failing)));
	s[2].advisory = false;	/* --require read-isolation */
	FA_ASSERT(!fa_q_verdict(s, 3, failing, sizeof(failing)));
	FA_ASSERT_STREQ(failing, "read_isolation");
}

static void test_verdict_all_pass(void)
{
	struct fa_q_step s[] = {
		make_step("limits", true, FA_Q_PASS),
		make_step("conformance", false, FA_Q_PASS),
		make_step("writes", true, FA_Q_PASS),
		make_step("tear", false, FA_Q_SKIP),
	};
	char failing[128];

	FA_ASSERT(fa_q_verdict(s, 4, failing, sizeof(failing)));
	FA_ASSERT_STREQ(failing, "");
}

static void test_verdict_names_failing_steps(void)
{
	struct fa_q_step s[] = {
		make_step("limits", true, FA_Q_FAIL),
		make_step("conformance", false, FA_Q_SKIP),
		make_step("writes", true, FA_Q_SKIP),
		make_step("tear", false, FA_Q_FAIL),
	};
	char failing[128];

	FA_ASSERT(!fa_q_verdict(s, 4, failing, sizeof(failing)));
	FA_ASSERT_STREQ(failing, "limits, writes, tear");
}

static void test_verdict_required_skip_fails(void)
{
	struct fa_q_step s[] = {
		make_step("limits", true, FA_Q_PASS),
		make_step("writes", true, FA_Q_SKIP),
	};
	char failing[128];

	FA_ASSERT(!fa_q_verdict(s, 2, failing, sizeof(failing)));
	FA_ASSERT_STREQ(failing, "writes");
}

static void test_verdict_short_buffer(void)
{
	struct fa_q_step s[] = {
		make_step("conformance", false, FA_Q_FAIL),
		make_step("writes", true, FA_Q_FAIL),
	};
	char failing[8];

	FA_ASSERT(!fa_q_verdict(s, 2, failing, sizeof(failing)));
	FA_ASSERT_STREQ(failing, "conform");
}

static void test_sizes_xfs(void)
{
	uint64_t sz[32];
	int nr = fa_q_sizes(4096, 1048576, 0, sz, 32);

	FA_ASSERT_EQ(nr, 9);
	FA_ASSERT_UEQ(sz[0], 4096);
	FA_ASSERT_UEQ(sz[8], 1048576);
}

static void test_sizes_cap_and_round_up(void)
{
	uint64_t sz[32];
	int nr = fa_q_sizes(1536, 65536, 16384, sz, 32);

	FA_ASSERT_EQ(nr, 4);
	FA_ASSERT_UEQ(sz[0], 2048);
	FA_ASSERT_UEQ(sz[3], 16384);
}

static void test_sizes_none_and_bad(void)
{
	uint64_t sz[4];

	FA_ASSERT_EQ(fa_q_sizes(4096, 4096, 2048, sz, 4), 0);
	FA_ASSERT_EQ(fa_q_sizes(0, 4096, 0, sz, 4), -EINVAL);
	FA_ASSERT_EQ(fa_q_sizes(8192, 4096, 0, sz, 4), -EINVAL);
	FA_ASSERT_EQ(fa_q_sizes(512, 1 << 20, 0, sz, 4), 4);
}

static const char fio_out[] =
	"atomic-uring: p: something logged\n"
	"{\n"
	"  \"fio version\" : \"fio-3.33\",\n"
	"  \"jobs\" : [\n"
	"    { \"jobname\" : \"other\", \"error\" : 0,\n"
	"      \"write\" : { \"iops\" : 1.0 } },\n"
	"    { \"jobname\" : \"p\", \"error\" : 0,\n"
	"      \"write\" : { \"iops\" : 6812.5, \"bw_bytes\" : 111616000,\n"
	"        \"total_ios\" : 13625,\n"
	"        \"clat_ns\" : { \"min\" : 1,\n"
	"          \"percentile\" : { \"1.000000\" : 10, \"50.000000\" : 140288,\n"
	"            \"99.000000\" : 296960, \"99.900000\" : 585728,\n"
	"            \"99.950000\" : 700000 } } } }\n"
	"  ]\n"
	"}\n";

static void test_fio_json(void)
{
	const char *start = fa_q_fio_json_start(fio_out);
	struct json_object *root;
	struct fa_q_point p;

	FA_ASSERT(start);
	FA_ASSERT(start[0] == '{');
	root = json_tokener_parse(start);
	FA_ASSERT(root);
	FA_ASSERT_EQ(fa_q_fio_point(root, "p", &p), 0);
	FA_ASSERT(p.iops > 6812.4 && p.iops < 6812.6);
	FA_ASSERT_UEQ(p.bw_bytes, 111616000);
	FA_ASSERT_UEQ(p.ios, 13625);
	FA_ASSERT_UEQ(p.clat_p50_ns, 140288);
	FA_ASSERT_UEQ(p.clat_p99_ns, 296960);
	FA_ASSERT_UEQ(p.clat_p999_ns, 585728);
	FA_ASSERT_EQ(fa_q_fio_point(root, "nope", &p), -ENOENT);
	FA_ASSERT_EQ(fa_q_fio_point(root, NULL, &p), 0);
	FA_ASSERT(p.iops > 0.9 && p.iops < 1.1);
	FA_ASSERT_UEQ(p.clat_p99_ns, 0);
	json_object_put(root);
}

static void test_fio_json_client(void)
{
	static const char out[] =
		"\n{\n  \"client_stats\" : [\n"
		"    { \"jobname\" : \"sweep\", \"error\" : 0,\n"
		"      \"write\" : { \"iops\" : 812.0, \"bw_bytes\" : 13303808,\n"
		"        \"total_ios\" : 812, \"clat_ns\" : { \"percentile\" :\n"
		"          { \"50.000000\" : 1000, \"99.900000\" : 9000 } } } },\n"
		"    { \"jobname\" : \"All clients\", \"error\" : 0,\n"
		"      \"write\" : { \"iops\" : 812.0 } }\n  ]\n}\n";
	const char *start = fa_q_fio_json_start(out);
	struct json_object *root;
	struct fa_q_point p;

	FA_ASSERT(start);
	root = json_tokener_parse(start);
	FA_ASSERT(root);
	FA_ASSERT_EQ(fa_q_fio_point(root, "sweep", &p), 0);
	FA_ASSERT_UEQ(p.ios, 812);
	FA_ASSERT_UEQ(p.clat_p50_ns, 1000);
	FA_ASSERT_UEQ(p.clat_p999_ns, 9000);
	FA_ASSERT_UEQ(p.clat_p99_ns, 0);
	json_object_put(root);
}

static void test_fio_json_missing(void)
{
	struct json_object *root = json_tokener_parse("{\"x\": 1}");
	struct fa_q_point p;

	FA_ASSERT(!fa_q_fio_json_start("fio: bad option\nerr\n"));
	FA_ASSERT(!fa_q_fio_json_start(""));
	FA_ASSERT(root);
	FA_ASSERT_EQ(fa_q_fio_point(root, NULL, &p), -EINVAL);
	json_object_put(root);
}

static struct fa_conf_rule make_rule(const char *rule, bool enforced,
				     uint64_t sent, uint64_t rejected,
				     const char *how)
{
	struct fa_conf_rule c;

	memset(&c, 0, sizeof(c));
	snprintf(c.rule, sizeof(c.rule), "%s", rule);
	c.enforced = enforced;
	c.sent = sent;
	c.rejected = rejected;
	c.accepted = sent - rejected;
	if (rejected) {
		c.last.kind = FA_REJ_ERRNO;
		snprintf(c.last.text, sizeof(c.last.text), "%s", how);
	}
	return c;
}

static void test_conf_judge(void)
{
	struct fa_conf_rule pow2 = make_rule("pow2", true, 6, 6,
					     "Invalid argument");
	struct fa_conf_rule sense = make_rule("alignment", true, 2, 2,
		"CHECK CONDITION: ILLEGAL REQUEST / INVALID FIELD IN CDB (asc 0x24)");
	struct fa_conf_rule leaky = make_rule("max_length", true, 2, 1, "X");
	struct fa_conf_rule nvme = make_rule("atomic_unit", false, 16, 0, "");
	char why[256];

	FA_ASSERT(fa_q_conf_judge(&pow2, 6, "Invalid argument", why,
				  sizeof(why)));
	FA_ASSERT(!fa_q_conf_judge(&pow2, 6, "Operation not supported", why,
				   sizeof(why)));
	FA_ASSERT_CONTAINS(why, "expected 'Operation not supported'");
	FA_ASSERT(!fa_q_conf_judge(&pow2, 4, NULL, why, sizeof(why)));
	FA_ASSERT_CONTAINS(why, "expected 4");
	FA_ASSERT(fa_q_conf_judge(&sense, 2, "CHECK CONDITION: ILLEGAL REQUEST",
				  why, sizeof(why)));
	FA_ASSERT(!fa_q_conf_judge(&leaky, 2, NULL, why, sizeof(why)));
	FA_ASSERT_CONTAINS(why, "1 of 2 illegal writes ACCEPTED");
	FA_ASSERT(fa_q_conf_judge(&nvme, 16, NULL, why, sizeof(why)));
	FA_ASSERT(!fa_q_conf_judge(&nvme, 32, NULL, why, sizeof(why)));
	FA_ASSERT(!fa_q_conf_judge(NULL, 4, NULL, why, sizeof(why)));
	FA_ASSERT_CONTAINS(why, "no illegal write");
}

static void test_tear_judge(void)
{
	char why[128];

	FA_ASSERT(fa_q_tear_judge(0, 100, why, sizeof(why)));
	FA_ASSERT(!fa_q_tear_judge(1, 100, why, sizeof(why)));
	FA_ASSERT_STREQ(why, "1 torn unit");
	FA_ASSERT(!fa_q_tear_judge(0, 0, why, sizeof(why)));
	FA_ASSERT_CONTAINS(why, "proved nothing");
}

static void test_result_names(void)
{
	FA_ASSERT_STREQ(fa_q_result_name(FA_Q_PASS), "PASS");
	FA_ASSERT_STREQ(fa_q_result_name(FA_Q_FAIL), "FAIL");
	FA_ASSERT_STREQ(fa_q_result_name(FA_Q_SKIP), "SKIP");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_verdict_all_pass),
	FA_TEST(test_verdict_advisory_fail),
	FA_TEST(test_verdict_names_failing_steps),
	FA_TEST(test_verdict_required_skip_fails),
	FA_TEST(test_verdict_short_buffer),
	FA_TEST(test_sizes_xfs),
	FA_TEST(test_sizes_cap_and_round_up),
	FA_TEST(test_sizes_none_and_bad),
	FA_TEST(test_fio_json),
	FA_TEST(test_fio_json_client),
	FA_TEST(test_fio_json_missing),
	FA_TEST(test_conf_judge),
	FA_TEST(test_tear_judge),
	FA_TEST(test_result_names),
};

FA_TEST_MAIN(cases, NULL, NULL)
