// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the results database's API (fa_store.h) on temporary
 * files: a new database gets schema 2; a version-1 database is upgraded
 * (and says so); a newer one, a text file and another program's SQLite
 * file are refused naming the file with the right errno; an ingest of a
 * qualify report stores rows, a context and guarantees that read back;
 * a duplicate is recognised; runs filter by kernel; a run is found by
 * name, id and "latest", an unknown one is -ENOENT naming it; labels,
 * baselines and delete.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fa_fake_tree.h"
#include "fa_results.h"
#include "fa_store.h"
#include "fa_test.h"

static char path[PATH_MAX];
static struct fa_store s;

/* a database of its own per case, in a directory removed after each */
static int setup(void)
{
	static int n;

	if (fa_tree_make("fa-test-store"))
		return -1;
	snprintf(path, sizeof(path), "%s/r%d.db", fa_tree, n++);
	return 0;
}

static void teardown(void)
{
	fa_store_close(&s);
	fa_tree_remove();
}

static void sql(const char *text)
{
	sqlite3 *db;

	if (sqlite3_open(path, &db) || sqlite3_exec(db, text, NULL, NULL, NULL))
		abort();
	sqlite3_close(db);
}

static const char qualify[] =
	"{ \"fio_atomic_qualify\": { \"timestamp\": 1767225600,"
	" \"context\": { \"host\": \"vm\", \"kernel\": \"6.18.44\","
	"  \"target\": { \"path\": \"/mnt/x/f\", \"kind\": \"file\" },"
	"  \"limits\": { \"unit_max\": 2097152 } },"
	" \"results\": [ { \"engine\": \"atomic-uring\", \"mode\": \"io_uring\","
	"  \"bs\": 16384, \"iodepth\": 16, \"iops\": 11700, \"plain_iops\": 39000 } ],"
	" \"guarantees\": { \"write_isolation\": { \"status\": \"not_provided\","
	"  \"trials\": 3916, \"failures\": 298, \"rate_upper95\": 0.0833,"
	"  \"points\": [ { \"engine\": \"atomic-pvsync2\", \"size\": 2097152,"
	"   \"trials\": 3916, \"failures\": 298 } ] } } } }";

static int ingest(const char *run, struct fa_store_file *f)
{
	struct fa_store_ingest_stats st = { 0 };
	struct fa_parse_error err;

	memset(f, 0, sizeof(*f));
	f->path = "q.json";
	fa_results_hash(qualify, strlen(qualify), f->hash);
	if (fa_results_parse(qualify, strlen(qualify), "here", &f->parsed, &err))
		return -EINVAL;
	return fa_store_ingest(&s, run, f, 1, &st);
}

static void test_new_database(void)
{
	FA_ASSERT_EQ(fa_store_open(&s, path, 0, 0), -ENOENT);
	FA_ASSERT_CONTAINS(s.error, path);
	FA_ASSERT_EQ(fa_store_open(&s, path, FA_STORE_CREATE, 0), 0);
	FA_ASSERT(s.created);
	FA_ASSERT_EQ(s.upgraded_from, 0);
}

static void test_upgrade_v1(void)
{
	sql("CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);"
	    "CREATE TABLE files (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, path TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, fio_version TEXT, started INTEGER, ingested INTEGER NOT NULL);"
	    "CREATE TABLE results (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, file_id INTEGER NOT NULL, host TEXT NOT NULL, job TEXT NOT NULL, engine TEXT NOT NULL, rw TEXT NOT NULL, dir TEXT NOT NULL, bs INTEGER NOT NULL, iodepth INTEGER NOT NULL, numjobs INTEGER NOT NULL, iops REAL, bw_bytes REAL, clat_p50_ns REAL, clat_p99_ns REAL, clat_p999_ns REAL, torn INTEGER, intact INTEGER, checked INTEGER);"
	    "CREATE INDEX results_run ON results(run_id);"
	    "INSERT INTO runs VALUES (1, 'old', 1);"
	    "INSERT INTO files VALUES (1, 1, 'a', 'h', 'fio', NULL, NULL, 1);"
	    "INSERT INTO results VALUES (1, 1, 1, 'h', 'j', 'psync', 'randwrite', 'write', 4096, 1, 1, 100, NULL, NULL, NULL, NULL, NULL, NULL, NULL);"
	    "PRAGMA user_version = 1;");
	FA_ASSERT_EQ(fa_store_open(&s, path, 0, 0), 0);
	FA_ASSERT_EQ(s.upgraded_from, 1);
	{
		struct fa_store_rows rows;

		FA_ASSERT_EQ(fa_store_rows(&s, NULL, 0, &rows), 0);
		FA_ASSERT_UEQ(rows.nr, 1);
		FA_ASSERT(rows.rows[0].iops == 100);
		FA_ASSERT_STREQ(rows.rows[0].mode, "");
		FA_ASSERT_EQ(rows.rows[0].context_id, 0);
		FA_ASSERT(isnan(rows.rows[0].atomic_cost));
		fa_store_rows_free(&rows);
	}
}

static void test_refusals(void)
{
	FILE *fp = fopen(path, "w");

	fputs("hello\n", fp);
	fclose(fp);
	FA_ASSERT_EQ(fa_store_open(&s, path, FA_STORE_CREATE, 0), -ENOTSUP);
	FA_ASSERT_CONTAINS(s.error, path);
	FA_ASSERT_CONTAINS(s.error, "not a database");
	unlink(path);
	sql("CREATE TABLE t (x); PRAGMA user_version = 3;");
	FA_ASSERT_EQ(fa_store_open(&s, path, 0, 0), -EPROTO);
	FA_ASSERT_CONTAINS(s.error, "schema version 3 is newer than this tool's 2");
	unlink(path);
	sql("CREATE TABLE t (x);");
	FA_ASSERT_EQ(fa_store_open(&s, path, 0, 0), -EMEDIUMTYPE);
	FA_ASSERT_CONTAINS(s.error, "something else");
}

static void test_ingest_and_read(void)
{
	struct fa_store_file f, again;
	struct fa_store_rows rows;
	struct fa_store_guarantee *g;
	struct fa_context c;
	size_t n;

	FA_ASSERT_EQ(fa_store_open(&s, path, FA_STORE_CREATE, 0), 0);
	FA_ASSERT_EQ(ingest("n1", &f), 0);
	FA_ASSERT(!f.duplicate);
	FA_ASSERT_EQ(fa_store_rows(&s, NULL, 0, &rows), 0);
	FA_ASSERT_UEQ(rows.nr, 1);
	FA_ASSERT_STREQ(rows.rows[0].mode, "io_uring");
	FA_ASSERT_STREQ(rows.rows[0].rw, "randwrite");
	FA_ASSERT(rows.rows[0].plain_iops == 39000);
	FA_ASSERT(fabs(rows.rows[0].atomic_cost - 0.3) < 1e-9);
	FA_ASSERT_EQ(fa_store_context(&s, rows.rows[0].context_id, &c), 0);
	fa_store_rows_free(&rows);
	FA_ASSERT_STREQ(c.text[FA_CTX_KERNEL], "6.18.44");
	FA_ASSERT_STREQ(c.text[FA_CTX_DEVICE_MODEL], "");
	FA_ASSERT_EQ(c.num[FA_CTX_UNIT_MAX], 2097152);
	FA_ASSERT_EQ(c.num[FA_CTX_UNIT_MIN], -1);
	FA_ASSERT_EQ(fa_store_guarantees(&s, 1, &g, &n), 0);
	FA_ASSERT_UEQ(n, 1);
	FA_ASSERT_STREQ(g[0].status, "not_provided");
	FA_ASSERT_UEQ(g[0].failures, 298);
	FA_ASSERT(g[0].upper95 == 0.0833);
	free(g);
	fa_result_file_free(&f.parsed);
	FA_ASSERT_EQ(ingest("n2", &again), 0);
	FA_ASSERT(again.duplicate);
	FA_ASSERT_STREQ(again.duplicate_run, "n1");
	fa_result_file_free(&again.parsed);
}

static void test_runs_labels_baselines(void)
{
	struct fa_store_run_filter flt = { .kernel = "6.18.44" };
	struct fa_store_run *runs, r;
	struct fa_store_baseline b;
	struct fa_store_file f;
	bool replaced;
	char *names;
	size_t n;

	FA_ASSERT_EQ(fa_store_open(&s, path, FA_STORE_CREATE, 0), 0);
	FA_ASSERT_EQ(ingest("n1", &f), 0);
	fa_result_file_free(&f.parsed);
	FA_ASSERT_EQ(fa_store_runs(&s, &flt, &runs, &n), 0);
	FA_ASSERT_UEQ(n, 1);
	FA_ASSERT_STREQ(runs[0].kernels, "6.18.44");
	FA_ASSERT_EQ(runs[0].started, 1767225600);
	fa_store_runs_free(runs, n);
	flt.kernel = "6.1";
	FA_ASSERT_EQ(fa_store_runs(&s, &flt, &runs, &n), 0);
	FA_ASSERT_UEQ(n, 0);
	fa_store_runs_free(runs, n);
	FA_ASSERT_EQ(fa_store_find_run(&s, "nope", &r), -ENOENT);
	FA_ASSERT_CONTAINS(s.error, "'nope'");
	FA_ASSERT_EQ(fa_store_find_run(&s, "1", &r), 0);
	FA_ASSERT_STREQ(r.name, "n1");
	fa_store_run_free(&r);
	FA_ASSERT_EQ(fa_store_label(&s, 1, "kernel upgrade"), 0);
	FA_ASSERT_EQ(fa_store_find_run(&s, "latest", &r), 0);
	FA_ASSERT_STREQ(r.label, "kernel upgrade");
	fa_store_run_free(&r);
	FA_ASSERT_EQ(fa_store_label(&s, 99, "x"), -ENOENT);
	FA_ASSERT_EQ(fa_store_baseline_set(&s, "good", (int64_t[]){ 1 }, 1,
					   &replaced), 0);
	FA_ASSERT(!replaced);
	FA_ASSERT_EQ(fa_store_baseline_find(&s, "good", &b), 0);
	FA_ASSERT_UEQ(b.nr_runs, 1);
	fa_store_baseline_free(&b);
	FA_ASSERT_EQ(fa_store_delete_run(&s, 1, &names), 0);
	FA_ASSERT_STREQ(names, "good");
	free(names);
	FA_ASSERT_EQ(fa_store_baseline_find(&s, "good", &b), 0);
	FA_ASSERT_UEQ(b.nr_runs, 0);
	fa_store_baseline_free(&b);
	FA_ASSERT_EQ(fa_store_delete_run(&s, 1, NULL), -ENOENT);
	FA_ASSERT_EQ(fa_store_baseline_delete(&s, "good"), 0);
	FA_ASSERT_EQ(fa_store_baseline_delete(&s, "good"), -ENOENT);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_new_database),
	FA_TEST(test_upgrade_v1),
	FA_TEST(test_refusals),
	FA_TEST(test_ingest_and_read),
	FA_TEST(test_runs_labels_baselines),
};

FA_TEST_MAIN(cases, setup, teardown)
