// SPDX-License-Identifier: GPL-2.0
/*
 * Description: result files into rows (fa_results.h): fio's JSON output
 * with global and job options (external engine names, per-direction bs,
 * iodepth, numjobs, percentiles), fio --client output (host and port, the
 * "All clients" sum skipped), warning lines before the JSON, a truncated
 * file (its line and column), text after the JSON, foreign JSON, a tear
 * report, a qualify report with incomplete rows and one without results,
 * the content hash, fio's size strings.
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

static const char fio_local[] =
	"{\n"
	"  \"fio version\" : \"fio-3.33\",\n"
	"  \"timestamp\" : 1700000000,\n"
	"  \"global options\" : { \"ioengine\" : \"external:/x/y/atomic-uring.so\",\n"
	"                        \"bs\" : \"4k,64k\" },\n"
	"  \"jobs\" : [\n"
	"    { \"jobname\" : \"w\", \"job options\" : { \"rw\" : \"randrw\", \"iodepth\" : \"32\", \"numjobs\" : \"2\" },\n"
	"      \"read\" : { \"io_bytes\" : 4096, \"iops\" : 100.5, \"bw_bytes\" : 411648,\n"
	"                 \"clat_ns\" : { \"percentile\" : { \"50.000000\" : 1000, \"99.000000\" : 9000, \"99.900000\" : 12000 } } },\n"
	"      \"write\" : { \"io_bytes\" : 65536, \"iops\" : 50, \"bw_bytes\" : 3276800,\n"
	"                 \"clat_ns\" : { \"percentile\" : { \"50.00\" : 2000, \"99.990000\" : 5000 } } },\n"
	"      \"trim\" : { \"io_bytes\" : 0, \"iops\" : 0 } }\n"
	"  ]\n"
	"}\n";

static void test_fio_local_rows(void)
{
	struct fa_result *r;

	FA_ASSERT_EQ(parse(fio_local), 0);
	FA_ASSERT_EQ(f.kind, FA_RESULT_FIO);
	FA_ASSERT_STREQ(f.fio_version, "fio-3.33");
	FA_ASSERT_EQ(f.timestamp, 1700000000);
	FA_ASSERT_UEQ(f.nr_rows, 2);
	r = &f.rows[0];
	FA_ASSERT_STREQ(r->host, "here");
	FA_ASSERT_STREQ(r->job, "w");
	FA_ASSERT_STREQ(r->engine, "atomic-uring");
	FA_ASSERT_STREQ(r->rw, "randrw");
	FA_ASSERT_STREQ(r->dir, "read");
	FA_ASSERT_UEQ(r->bs, 4096);
	FA_ASSERT_UEQ(r->iodepth, 32);
	FA_ASSERT_UEQ(r->numjobs, 2);
	FA_ASSERT(r->iops == 100.5);
	FA_ASSERT(r->clat_p50_ns == 1000 && r->clat_p99_ns == 9000 &&
		  r->clat_p999_ns == 12000);
	FA_ASSERT(!r->has_tear);
	r = &f.rows[1];
	FA_ASSERT_STREQ(r->dir, "write");
	FA_ASSERT_UEQ(r->bs, 65536);
	/* keys matched as numbers; 99.99 is not 99.9 */
	FA_ASSERT(r->clat_p50_ns == 2000);
	FA_ASSERT(isnan(r->clat_p99_ns) && isnan(r->clat_p999_ns));
}

static const char fio_client[] =
	"{ \"fio version\" : \"fio-3.33\", \"client_stats\" : [\n"
	"  { \"jobname\" : \"w\", \"hostname\" : \"127.0.0.1\", \"port\" : 8766,\n"
	"    \"job options\" : { \"rw\" : \"randwrite\", \"bs\" : \"16k\" },\n"
	"    \"write\" : { \"io_bytes\" : 1, \"iops\" : 10 } },\n"
	"  { \"jobname\" : \"w\", \"hostname\" : \"nodeb\", \"port\" : 8765,\n"
	"    \"job options\" : { \"rw\" : \"randwrite\", \"bs\" : \"16k\" },\n"
	"    \"write\" : { \"io_bytes\" : 1, \"iops\" : 20 } },\n"
	"  { \"jobname\" : \"All clients\", \"write\" : { \"io_bytes\" : 2, \"iops\" : 30 } }\n"
	"] }";

static void test_fio_client_hosts(void)
{
	FA_ASSERT_EQ(parse(fio_client), 0);
	FA_ASSERT_UEQ(f.nr_rows, 2);
	FA_ASSERT_STREQ(f.rows[0].host, "127.0.0.1:8766");
	FA_ASSERT_STREQ(f.rows[1].host, "nodeb");
	FA_ASSERT_STREQ(f.rows[0].engine, "psync");
	FA_ASSERT_UEQ(f.rows[0].bs, 16384);
	FA_ASSERT_UEQ(f.skipped_rows, 1);
	FA_ASSERT_CONTAINS(f.note, "All clients");
}

/* fio 3.38 on: "global options" is an array, one entry per server. */
static const char fio_client_globals[] =
	"{ \"fio version\" : \"fio-3.41\",\n"
	"  \"global options\" : [\n"
	"    { \"hostname\" : \"127.0.0.1\", \"port\" : 9001,\n"
	"      \"ioengine\" : \"external:/x/atomic-uring.so\", \"bs\" : \"64k\" },\n"
	"    { \"hostname\" : \"127.0.0.1\", \"port\" : 9002,\n"
	"      \"ioengine\" : \"libaio\", \"bs\" : \"8k\" } ],\n"
	"  \"client_stats\" : [\n"
	"  { \"jobname\" : \"r\", \"hostname\" : \"127.0.0.1\", \"port\" : 9002,\n"
	"    \"job options\" : { \"rw\" : \"randread\" },\n"
	"    \"read\" : { \"io_bytes\" : 1, \"iops\" : 10 } },\n"
	"  { \"jobname\" : \"r\", \"hostname\" : \"127.0.0.1\", \"port\" : 9001,\n"
	"    \"job options\" : { \"rw\" : \"randread\" },\n"
	"    \"read\" : { \"io_bytes\" : 1, \"iops\" : 20 } } ] }";

static void test_fio_client_globals_per_server(void)
{
	FA_ASSERT_EQ(parse(fio_client_globals), 0);
	FA_ASSERT_UEQ(f.nr_rows, 2);
	FA_ASSERT_STREQ(f.rows[0].engine, "libaio");
	FA_ASSERT_UEQ(f.rows[0].bs, 8192);
	FA_ASSERT_STREQ(f.rows[1].engine, "atomic-uring");
	FA_ASSERT_UEQ(f.rows[1].bs, 65536);
}

static void test_warning_lines_skipped(void)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "fio: some warning\nnote: {not json\n%s",
		 fio_local);
	FA_ASSERT_EQ(parse(buf), 0);
	FA_ASSERT_UEQ(f.skipped_lines, 2);
	FA_ASSERT_UEQ(f.nr_rows, 2);
}

static void test_truncated_names_line(void)
{
	char buf[4096];

	/* cut inside line 9, in the read percentiles */
	snprintf(buf, sizeof(buf), "%s", fio_local);
	buf[strstr(buf, "\"clat_ns\"") - buf + 4] = '\0';
	FA_ASSERT_EQ(parse(buf), -EINVAL);
	FA_ASSERT_UEQ(err.line, 9);
	FA_ASSERT(err.column > 1);
	FA_ASSERT_CONTAINS(err.reason, "truncated");
	FA_ASSERT_UEQ(f.nr_rows, 0);
}

static void test_syntax_error_place(void)
{
	FA_ASSERT_EQ(parse("{\n  \"a\" : 1,\n  \"b\" : ]\n}\n"), -EINVAL);
	FA_ASSERT_UEQ(err.line, 3);
	FA_ASSERT_UEQ(err.column, 9);
}

static void test_text_after_json(void)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%sgarbage\n", fio_local);
	FA_ASSERT_EQ(parse(buf), -EINVAL);
	FA_ASSERT_CONTAINS(err.reason, "after the JSON");
	FA_ASSERT_UEQ(err.column, 1);
}

static void test_foreign_json(void)
{
	FA_ASSERT_EQ(parse("{ \"name\" : \"a package.json\", \"version\" : \"1\" }"),
		     -EINVAL);
	FA_ASSERT_UEQ(err.line, 0);
	FA_ASSERT_CONTAINS(err.reason, "not fio's output");
	FA_ASSERT_EQ(parse(""), -EINVAL);
	FA_ASSERT_CONTAINS(err.reason, "empty");
	FA_ASSERT_EQ(parse("[1, 2]"), -EINVAL);
}

static void test_tear_report(void)
{
	FA_ASSERT_EQ(parse("{ \"format\" : \"fio-atomic-tear-1\", \"engine\" : \"atomic-uring\","
			   " \"job\" : \"r\", \"torn\" : 2, \"intact\" : 98,"
			   " \"checked_reads\" : 120 }"), 0);
	FA_ASSERT_EQ(f.kind, FA_RESULT_TEAR);
	FA_ASSERT_UEQ(f.nr_rows, 1);
	FA_ASSERT(f.rows[0].has_tear);
	FA_ASSERT_UEQ(f.rows[0].torn, 2);
	FA_ASSERT_UEQ(f.rows[0].intact, 98);
	FA_ASSERT_UEQ(f.rows[0].checked, 120);
	FA_ASSERT_STREQ(f.rows[0].job, "r");
	teardown();
	FA_ASSERT_EQ(parse("{ \"format\" : \"fio-atomic-tear-1\", \"torn\" : \"x\" }"),
		     -EINVAL);
}

static void test_qualify_tolerant(void)
{
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\" : 1, \"verdict\" : \"pass\", \"results\" : ["
			   " { \"engine\" : \"atomic-pvsync2\", \"mode\" : \"randwrite\", \"bs\" : 16384,"
			   "   \"iodepth\" : 4, \"iops\" : 5000, \"clat_p99_ns\" : 80000 },"
			   " { \"engine\" : \"atomic-uring\", \"bs\" : \"64k\", \"iops\" : 100 },"
			   " { \"engine\" : \"atomic-uring\", \"iops\" : 100 },"
			   " { \"mode\" : \"write\" } ] }"), 0);
	FA_ASSERT_EQ(f.kind, FA_RESULT_QUALIFY);
	FA_ASSERT_UEQ(f.nr_rows, 2);
	FA_ASSERT_UEQ(f.skipped_rows, 2);
	FA_ASSERT_CONTAINS(f.note, "results[2]");
	FA_ASSERT_UEQ(f.rows[0].iodepth, 4);
	FA_ASSERT(f.rows[0].clat_p99_ns == 80000);
	FA_ASSERT_UEQ(f.rows[1].bs, 65536);
	teardown();
	FA_ASSERT_EQ(parse("{ \"fio_atomic_qualify\" : { \"steps\" : [] } }"), 0);
	FA_ASSERT_UEQ(f.nr_rows, 0);
	FA_ASSERT_CONTAINS(f.note, "without a \"results\"");
}

static void test_hash(void)
{
	char a[FA_RESULT_HASH_LEN], b[FA_RESULT_HASH_LEN];

	fa_results_hash("abc", 3, a);
	fa_results_hash("abc", 3, b);
	FA_ASSERT_STREQ(a, b);
	FA_ASSERT_UEQ(strlen(a), 32);
	fa_results_hash("abd", 3, b);
	FA_ASSERT(strcmp(a, b));
}

static void test_sizes_and_engine_names(void)
{
	char name[64];
	uint64_t v;

	FA_ASSERT_EQ(fa_results_parse_bs("4k", 1, &v), 0);
	FA_ASSERT_UEQ(v, 4096);
	FA_ASSERT_EQ(fa_results_parse_bs("4k,1m", 1, &v), 0);
	FA_ASSERT_UEQ(v, 1 << 20);
	FA_ASSERT_EQ(fa_results_parse_bs("4k,1m", 2, &v), 0);
	FA_ASSERT_UEQ(v, 4096);
	FA_ASSERT_EQ(fa_results_parse_bs("16KiB", 0, &v), 0);
	FA_ASSERT_UEQ(v, 16384);
	FA_ASSERT_EQ(fa_results_parse_bs("4q", 0, &v), -EINVAL);
	FA_ASSERT_EQ(fa_results_parse_bs("", 0, &v), -EINVAL);
	fa_results_engine_name("external:/a/b/atomic-sg.so", name, sizeof(name));
	FA_ASSERT_STREQ(name, "atomic-sg");
	fa_results_engine_name("io_uring", name, sizeof(name));
	FA_ASSERT_STREQ(name, "io_uring");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_fio_local_rows),
	FA_TEST(test_fio_client_hosts),
	FA_TEST(test_fio_client_globals_per_server),
	FA_TEST(test_warning_lines_skipped),
	FA_TEST(test_truncated_names_line),
	FA_TEST(test_syntax_error_place),
	FA_TEST(test_text_after_json),
	FA_TEST(test_foreign_json),
	FA_TEST(test_tear_report),
	FA_TEST(test_qualify_tolerant),
	FA_TEST(test_hash),
	FA_TEST(test_sizes_and_engine_names),
};

FA_TEST_MAIN(cases, NULL, teardown)
