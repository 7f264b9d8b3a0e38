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

int fa_report_compare(int argc, char **argv);
void fa_report_compare_usage(FILE *fp);
int fa_report_html(int argc, char **argv);
void fa_report_html_usage(FILE *fp);

#endif /* FA_REPORT_H */
