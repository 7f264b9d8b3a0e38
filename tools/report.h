/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what the parts of `fio-atomic report` share: the results
 * database (SQLite, report_db.c) and its schema, and the grouping of
 * result rows.
 */
#ifndef FA_REPORT_H
#define FA_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "fa_results.h"

#define FA_REPORT_SCHEMA_VERSION 1

/*
 * One result row read back from the database for compare and html.
 * NaN stands for a value the row does not have.
 */
struct fa_report_row {
	int64_t run_id;
	char *host, *engine, *rw, *dir;
	int64_t bs, iodepth;
	double iops, p50, p99, p999;
	bool has_tear;
	int64_t torn, intact;
};

struct fa_report_rows {
	struct fa_report_row *rows;
	size_t nr;
};

struct fa_report_run {
	int64_t id;
	char *name;
	int64_t created;
};

/* One file named to ingest: read, parsed and checked before any insert. */
struct fa_ingest_file {
	const char *path;
	char hash[FA_RESULT_HASH_LEN];
	struct fa_result_file parsed;
	bool duplicate;
	bool *merged;		/* per row: a tear row folded into a fio row */
};

/* Opens (creating the file, its directory and the schema) the database. */
int fa_report_open(const char *cmd, const char *path, sqlite3 **db);
/* --db, else $FIO_ATOMIC_DB, else the XDG data directory */
int fa_report_db_path(const char *given, char *out, size_t len);

/* Runs @sql; a failure is reported as "@cmd: database: ..." */
int fa_exec(const char *cmd, sqlite3 *db, const char *sql);

/*
 * Inserts @files as run @run inside the caller's transaction: files
 * already ingested (same hash) are named and skipped, tear rows fold into
 * the fio rows of their job. 0 or -EIO (reported); the caller rolls back.
 */
int fa_ingest_db(sqlite3 *db, const char *run,
		 struct fa_ingest_file *files, size_t nr,
		 size_t *rows_added, size_t *files_added);

/* All runs, oldest first; free with fa_report_runs_free(). */
int fa_report_runs(sqlite3 *db, struct fa_report_run **runs, size_t *nr);
void fa_report_runs_free(struct fa_report_run *runs, size_t nr);

/* Rows of the runs in @ids (all runs when @nr_ids is 0) */
int fa_report_load(sqlite3 *db, const int64_t *ids, size_t nr_ids,
		   struct fa_report_rows *out);
void fa_report_rows_free(struct fa_report_rows *rows);

/* Same group: host, engine, rw, dir, bs, iodepth (rows sort by it) */
int fa_report_group_cmp(const struct fa_report_row *a,
			const struct fa_report_row *b);
void fa_report_sort(struct fa_report_rows *rows);
/* "host atomic-uring randwrite 16k qd32" (dir added for mixed rw) */
void fa_report_group_name(const struct fa_report_row *r, bool with_host,
			  char *buf, size_t len);
/* 4096 -> "4k" */
void fa_report_size(int64_t bytes, char *buf, size_t len);

/* compare's defaults: the runs before the one compared, the threshold */
#define FA_COMPARE_DEFAULT_LAST	5
#define FA_COMPARE_DEFAULT_PCT	5.0

enum fa_metric {
	FA_METRIC_IOPS,
	FA_METRIC_P99,
	FA_METRIC_TEAR,
	FA_NR_METRICS,
};

enum fa_cmp_verdict {
	FA_V_OK,
	FA_V_REGRESSED,
	FA_V_IMPROVED,
	FA_V_NO_DATA,
};

/*
 * One metric of one group: baseline and current value (IOPS; p99 in ns;
 * the tear rate as a fraction, with its counts), the relative change and
 * the threshold it was judged by (for the tear rate: the baseline's 95%
 * upper bound). NaN where there is no value.
 */
struct fa_metric_result {
	enum fa_cmp_verdict verdict;
	double base, cur, change, threshold;
	uint64_t base_torn, base_n, cur_torn, cur_n;
};

enum fa_cmp_status {
	FA_CMP_COMPARED,
	FA_CMP_MISSING,		/* in the baseline only */
	FA_CMP_NEW,		/* in the run only */
	FA_CMP_ABSENT,		/* in neither (never in a result) */
};

/* One group: rows[first, end) of the sorted rows compared */
struct fa_cmp_group {
	size_t first, end;
	enum fa_cmp_status status;
	struct fa_metric_result res[FA_NR_METRICS];
};

struct fa_cmp_result {
	struct fa_cmp_group *groups;
	size_t nr;
	unsigned int regressions, missing, added, compared;
};

/*
 * compare's judgement (see fa_report_compare_usage()): run @cur against
 * the runs @base in @rows, sorted by fa_report_sort(); @floor is the
 * threshold's floor as a fraction (0.05). One group per group present in
 * either side. 0 or -ENOMEM; free @out with fa_cmp_result_free().
 */
int fa_report_compare_rows(const struct fa_report_rows *rows, int64_t cur,
			   const int64_t *base, size_t nr_base, double floor,
			   struct fa_cmp_result *out);
void fa_cmp_result_free(struct fa_cmp_result *r);
/* compare's default baseline: ids of the @last runs before runs[@cur] */
size_t fa_report_compare_last(const struct fa_report_run *runs, size_t cur,
			      size_t last, int64_t *ids);
/* "iops", "p99_clat", "tear_rate"; "ok", "REGRESSED", "improved", "no data" */
const char *fa_cmp_metric_name(enum fa_metric m);
const char *fa_cmp_verdict_name(enum fa_cmp_verdict v);

int fa_report_compare(int argc, char **argv);
void fa_report_compare_usage(FILE *fp);
int fa_report_html(int argc, char **argv);
void fa_report_html_usage(FILE *fp);

#endif /* FA_REPORT_H */
