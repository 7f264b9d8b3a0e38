// SPDX-License-Identifier: GPL-2.0
/*
 * Description: qualify reports, qualify fleet reports and version-2 job
 * reports into rows, contexts and guarantees (fa_results.h): a qualify
 * row keeps its mode apart from rw (rw is the sweep's randwrite), its
 * plain IOPS and atomic cost; read_isolation's trials become the tear
 * counts of the one row at their engine and size, not of two modes
 * sharing them; the context's fields, nulls staying unknown; a report
 * without a context has none, one whose context has a member of the
 * wrong type is refused naming it; the three guarantees with counts, bound,
 * control and points; a fleet's hosts each under its context's host; a
 * newer fleet or job report version refused; a job report without tear
 * counts but with a context is a row without counts.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "fa_results.h"
#include "fa_test.h"

static struct fa_result_file f;
static struct fa_parse_error err;

static int parse(const char *s)
{
	return fa_results_parse(s, strlen(s), "here", &f, &err);
}

static void teardown(void)
{
	fa_result_file_free(&f);
}

#define CONTEXT(host)							\
	"\"context\": { \"host\": \"" host "\", \"kernel\": \"6.18.44\","	\
	" \"distro\": null, \"fio_version\": \"fio-3.33\","		\
	" \"build\": \"v0.3-1-gabc\","					\
	" \"target\": { \"path\": \"/mnt/x/f\", \"kind\": \"file\" },"	\
	" \"device\": null,"						\
	" \"filesystem\": { \"type\": \"xfs\", \"mountpoint\": \"/mnt/x\","	\
	"   \"source\": \"/dev/loop0\", \"options\": \"rw,relatime\" },"	\
	" \"limits\": { \"unit_min\": 4096, \"unit_max\": 2097152,"	\
	"   \"unit_max_opt\": 0, \"segments_max\": 1,"			\
	"   \"source\": \"statx on /mnt/x/f\" } }"

#define BODY(host)							\
	"{ \"timestamp\": 1767225600, \"fio_version\": \"fio-3.33\","	\
	CONTEXT(host) ","						\
	" \"results\": ["						\
	"  { \"engine\": \"atomic-pvsync2\", \"mode\": \"pwritev2\", \"bs\": 4096,"	\
	"    \"iodepth\": 1, \"iops\": 9000, \"plain_iops\": 18000,"	\
	"    \"atomic_cost\": 0.5, \"clat_p99_ns\": 250000 },"		\
	"  { \"engine\": \"atomic-nvme\", \"mode\": \"ioctl\", \"bs\": 4096,"	\
	"    \"iodepth\": 1, \"iops\": 100, \"plain_iops\": null },"	\
	"  { \"engine\": \"atomic-nvme\", \"mode\": \"uring_cmd\", \"bs\": 4096,"	\
	"    \"iodepth\": 16, \"iops\": 200 } ],"			\
	" \"guarantees\": {"						\
	"  \"power_fail\": { \"status\": \"not_tested\", \"reason\": \"RAM disk\","	\
	"    \"trials\": 0, \"failures\": 0, \"rate_upper95\": 1 },"	\
	"  \"read_isolation\": { \"status\": \"provided\", \"reason\": null,"	\
	"    \"trials\": 6096, \"failures\": 0, \"rate_upper95\": 0.00049,"	\
	"    \"points\": [ { \"engine\": \"atomic-pvsync2\", \"size\": 4096,"	\
	"      \"trials\": 4096, \"failures\": 0 },"			\
	"      { \"engine\": \"atomic-nvme\", \"size\": 4096,"		\
	"      \"trials\": 2000, \"failures\": 0 } ] },"		\
	"  \"write_isolation\": { \"status\": \"not_provided\","	\
	"    \"reason\": \"mixed\", \"trials\": 3916, \"failures\": 298,"	\
	"    \"rate_upper95\": 0.0833,"					\
	"    \"control\": { \"trials\": 100, \"failures\": 40 },"	\
	"    \"points\": [ { \"engine\": \"atomic-pvsync2\", \"size\": 2097152,"	\
	"      \"trials\": 3916, \"failures\": 298 } ] } } }"

static void test_qualify_rows(void)
{
	const struct fa_result *r;

	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\": " BODY("vm") "}"), 0);
	FA_ASSERT_EQ(f.kind, FA_RESULT_QUALIFY);
	FA_ASSERT_UEQ(f.nr_rows, 3);
	r = &f.rows[0];
	FA_ASSERT_STREQ(r->host, "vm");
	FA_ASSERT(r->host_named);
	FA_ASSERT_STREQ(r->engine, "atomic-pvsync2");
	FA_ASSERT_STREQ(r->mode, "pwritev2");
	FA_ASSERT_STREQ(r->rw, "randwrite");
	FA_ASSERT_STREQ(r->dir, "write");
	FA_ASSERT(r->iops == 9000 && r->plain_iops == 18000 &&
		  r->atomic_cost == 0.5 && r->clat_p99_ns == 250000);
	FA_ASSERT_EQ(r->context, 0);
	/* read_isolation at (atomic-pvsync2, 4096): one row, its counts */
	FA_ASSERT(r->has_tear);
	FA_ASSERT_UEQ(r->torn, 0);
	FA_ASSERT_UEQ(r->intact, 4096);
	/* two modes of atomic-nvme at 4096: the counts stay apart */
	FA_ASSERT(!f.rows[1].has_tear && !f.rows[2].has_tear);
	FA_ASSERT_STREQ(f.rows[2].mode, "uring_cmd");
	FA_ASSERT_UEQ(f.rows[2].iodepth, 16);
	FA_ASSERT(isnan(f.rows[1].plain_iops) && isnan(f.rows[1].atomic_cost));
}

static void test_qualify_context(void)
{
	const struct fa_context *c;

	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\": " BODY("vm") "}"), 0);
	FA_ASSERT_UEQ(f.nr_contexts, 1);
	c = &f.contexts[0];
	FA_ASSERT_STREQ(c->text[FA_CTX_HOST], "vm");
	FA_ASSERT_STREQ(c->text[FA_CTX_KERNEL], "6.18.44");
	FA_ASSERT_STREQ(c->text[FA_CTX_DISTRO], "");
	FA_ASSERT_STREQ(c->text[FA_CTX_BUILD], "v0.3-1-gabc");
	FA_ASSERT_STREQ(c->text[FA_CTX_TARGET_PATH], "/mnt/x/f");
	FA_ASSERT_STREQ(c->text[FA_CTX_TARGET_KIND], "file");
	FA_ASSERT_STREQ(c->text[FA_CTX_DEVICE_MODEL], "");
	FA_ASSERT_STREQ(c->text[FA_CTX_FS_TYPE], "xfs");
	FA_ASSERT_STREQ(c->text[FA_CTX_FS_OPTIONS], "rw,relatime");
	FA_ASSERT_STREQ(c->text[FA_CTX_LIMITS_SOURCE], "statx on /mnt/x/f");
	FA_ASSERT_EQ(c->num[FA_CTX_UNIT_MAX], 2097152);
	FA_ASSERT_EQ(c->num[FA_CTX_UNIT_MAX_OPT], 0);
	FA_ASSERT_STREQ(fa_context_text_name(FA_CTX_FS_MOUNTPOINT),
			"fs_mountpoint");
	FA_ASSERT_STREQ(fa_context_num_name(FA_CTX_SEGMENTS_MAX),
			"segments_max");
}

static void test_qualify_without_context(void)
{
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\": { \"results\": ["
			   " { \"engine\": \"atomic-uring\", \"mode\": \"io_uring\","
			   "   \"bs\": 16384, \"iops\": 5 } ] } }"), 0);
	FA_ASSERT_UEQ(f.nr_contexts, 0);
	FA_ASSERT_UEQ(f.nr_rows, 1);
	FA_ASSERT_EQ(f.rows[0].context, -1);
	FA_ASSERT_STREQ(f.rows[0].host, "here");
	FA_ASSERT(!f.rows[0].host_named);
	FA_ASSERT_UEQ(f.nr_guarantees, 0);
}

/* One reader of the context for job reports and qualify reports alike */
static void test_qualify_context_bad_type(void)
{
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\": { \"context\": {"
			   " \"host\": \"h\", \"limits\": { \"unit_max\": \"2m\" } },"
			   " \"results\": [] } }"), -EINVAL);
	FA_ASSERT(strstr(err.reason, "\"unit_max\""));
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\": { \"context\": 7,"
			   " \"results\": [] } }"), -EINVAL);
	FA_ASSERT(strstr(err.reason, "\"context\""));
}

static void test_qualify_guarantees(void)
{
	const struct fa_result_guarantee *g;

	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\": " BODY("vm") "}"), 0);
	FA_ASSERT_UEQ(f.nr_guarantees, 3);
	g = &f.guarantees[0];
	FA_ASSERT_STREQ(g->name, "power_fail");
	FA_ASSERT_STREQ(g->status, "not_tested");
	FA_ASSERT_STREQ(g->reason, "RAM disk");
	FA_ASSERT_UEQ(g->nr_points, 0);
	g = &f.guarantees[1];
	FA_ASSERT_STREQ(g->name, "read_isolation");
	FA_ASSERT_STREQ(g->reason, "");
	FA_ASSERT_UEQ(g->nr_points, 2);
	FA_ASSERT(!g->has_control);
	g = &f.guarantees[2];
	FA_ASSERT_STREQ(g->status, "not_provided");
	FA_ASSERT(g->has_counts);
	FA_ASSERT_UEQ(g->trials, 3916);
	FA_ASSERT_UEQ(g->failures, 298);
	FA_ASSERT(g->upper95 == 0.0833);
	FA_ASSERT(g->has_control && g->control_trials == 100 &&
		  g->control_failures == 40);
	FA_ASSERT_UEQ(g->first_point, 2);
	FA_ASSERT_UEQ(f.gpoints[2].size, 2097152);
	FA_ASSERT_UEQ(f.gpoints[2].failures, 298);
	FA_ASSERT_STREQ(g->host, "vm");
	FA_ASSERT_EQ(g->context, 0);
}

static void test_fleet(void)
{
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify_fleet\": { \"version\": 1,"
			   " \"hosts\": [ " BODY("node-a") ","
			   " { \"fio_atomic_qualify\": " BODY("node-b") "} ] } }"),
		     0);
	FA_ASSERT_EQ(f.kind, FA_RESULT_FLEET);
	FA_ASSERT_UEQ(f.nr_hosts, 2);
	FA_ASSERT_UEQ(f.nr_contexts, 2);
	FA_ASSERT_UEQ(f.nr_rows, 6);
	FA_ASSERT_UEQ(f.nr_guarantees, 6);
	FA_ASSERT_STREQ(f.rows[0].host, "node-a");
	FA_ASSERT_STREQ(f.rows[5].host, "node-b");
	FA_ASSERT_EQ(f.rows[5].context, 1);
	FA_ASSERT_STREQ(f.guarantees[5].host, "node-b");
	FA_ASSERT_UEQ(f.guarantees[5].first_point, 5);
	/* each host's read_isolation folds into its own rows */
	FA_ASSERT(f.rows[3].has_tear && f.rows[3].intact == 4096);
}

static void test_fleet_refusals(void)
{
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify_fleet\": { \"version\": 2,"
			   " \"hosts\": [] } }"), -EINVAL);
	FA_ASSERT(strstr(err.reason, "version 2 is newer than this tool's 1"));
	teardown();
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify_fleet\": { \"version\": 1 } }"),
		     -EINVAL);
	FA_ASSERT(strstr(err.reason, "\"hosts\""));
}

static void test_jobreport_v2(void)
{
	FA_ASSERT_EQ(parse("{ \"format\": \"fio-atomic-job-report\", \"version\": 2,"
			   " \"engine\": \"atomic-pvsync2\", \"mode\": \"pwritev2\","
			   " \"job\": { \"name\": \"r\" }, " CONTEXT("vm") ","
			   " \"tear\": { \"checked_reads\": 50, \"intact\": 49,"
			   "   \"torn\": 1 } }"), 0);
	FA_ASSERT_EQ(f.kind, FA_RESULT_TEAR);
	FA_ASSERT_UEQ(f.nr_rows, 1);
	FA_ASSERT(f.rows[0].job_report && f.rows[0].has_tear);
	FA_ASSERT_UEQ(f.rows[0].torn, 1);
	FA_ASSERT_STREQ(f.rows[0].host, "vm");
	FA_ASSERT_STREQ(f.rows[0].mode, "pwritev2");
	FA_ASSERT_EQ(f.rows[0].context, 0);
	teardown();
	/* no tear counts, but a context: a row that carries only that */
	FA_ASSERT_EQ(parse("{ \"format\": \"fio-atomic-job-report\", \"version\": 2,"
			   " \"engine\": \"atomic-uring\", \"job\": { \"name\": \"w\" }, "
			   CONTEXT("vm") " }"), 0);
	FA_ASSERT_UEQ(f.nr_rows, 1);
	FA_ASSERT(!f.rows[0].has_tear && f.rows[0].job_report);
	FA_ASSERT_UEQ(f.skipped_rows, 0);
	teardown();
	FA_ASSERT_EQ(parse("{ \"format\": \"fio-atomic-job-report\", \"version\": 3,"
			   " \"job\": { \"name\": \"w\" } }"), -EINVAL);
	FA_ASSERT(strstr(err.reason, "version 3 is newer than this tool's 2"));
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_qualify_rows),
	FA_TEST(test_qualify_context),
	FA_TEST(test_qualify_without_context),
	FA_TEST(test_qualify_context_bad_type),
	FA_TEST(test_qualify_guarantees),
	FA_TEST(test_fleet),
	FA_TEST(test_fleet_refusals),
	FA_TEST(test_jobreport_v2),
};

FA_TEST_MAIN(cases, NULL, teardown)
