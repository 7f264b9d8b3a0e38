/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what the parts of `fio-atomic report` share: opening the
 * results database (lib/fa_store.h) with the command's error messages,
 * the grouping and naming of result rows, and each subcommand's entry
 * point and usage.
 *
 *   cmd_report.c      the command: subcommands, the whole help
 *   report_ingest.c   ingest
 *   report_runs.c     runs, label, delete, baseline
 *   report_compare.c  compare
 *   report_export.c   export (CSV, JSON, OpenMetrics)
 *   report_html.c     html
 *   report_db.c       the database's path and opening; groups
 */
#ifndef FA_REPORT_H
#define FA_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fa_store.h"

struct json_object;

/* The lines every subcommand's usage ends with */
#define FA_REPORT_DB_HELP						\
	"  --db PATH, else $FIO_ATOMIC_DB, else\n"			\
	"  $XDG_DATA_HOME/fio-atomic/results.db, else\n"		\
	"  ~/.local/share/fio-atomic/results.db; a database locked by another\n" \
	"  process is waited for $FIO_ATOMIC_DB_WAIT seconds (default 10).\n"

#define FA_REPORT_EXIT_HELP						\
	"exit status: 0 ok; 1 a database-level error (not a database, a newer\n" \
	"  schema, locked, an unknown run or baseline) or a bad file; 2 a usage\n" \
	"  error (bad syntax)"

/* --db, else $FIO_ATOMIC_DB, else the XDG data directory */
int fa_report_db_path(const char *given, char *out, size_t len);

/*
 * Opens the database at --db @given (FA_STORE_CREATE in @flags makes it),
 * saying what is wrong with it as "fio-atomic: report: SUB: PATH: ...".
 * Return: 0, or FA_EXIT_ERROR after the message.
 */
int fa_report_open(const char *sub, const char *given, unsigned int flags,
		   struct fa_store *s);

/* "fio-atomic: report: SUB: " and the store's error */
void fa_report_store_error(const char *sub, const struct fa_store *s);

/* Same group: host, engine, mode, rw, dir, bs, iodepth (rows sort by it) */
int fa_report_group_cmp(const struct fa_store_row *a,
			const struct fa_store_row *b);
void fa_report_sort(struct fa_store_rows *rows);
/* "host atomic-uring io_uring randwrite 16k qd32" (dir for mixed rw) */
void fa_report_group_name(const struct fa_store_row *r, bool with_host,
			  char *buf, size_t len);
/* 4096 -> "4k" */
void fa_report_size(int64_t bytes, char *buf, size_t len);
/* Unix seconds as "2026-01-01 00:00:00" UTC */
void fa_report_time(int64_t t, char *buf, size_t len);

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
int fa_report_compare_rows(const struct fa_store_rows *rows, int64_t cur,
			   const int64_t *base, size_t nr_base, double floor,
			   struct fa_cmp_result *out);
void fa_cmp_result_free(struct fa_cmp_result *r);
/* compare's default baseline: ids of the @last runs before runs[@cur] */
size_t fa_report_compare_last(const struct fa_store_run *runs, size_t cur,
			      size_t last, int64_t *ids);
/* "iops", "p99_clat", "tear_rate"; "ok", "REGRESSED", "improved", "no data" */
const char *fa_cmp_metric_name(enum fa_metric m);
const char *fa_cmp_verdict_name(enum fa_cmp_verdict v);

/*
 * What changed between the contexts of the baseline runs @base and run
 * @cur, per host: printed, or added to @arr when it is not NULL. 0, or
 * FA_EXIT_ERROR after the message (report_changes.c).
 */
int fa_report_changes(struct fa_store *s, int64_t cur, const int64_t *base,
		      size_t nr_base, struct json_object *arr);

int fa_report_ingest(int argc, char **argv);
void fa_report_ingest_usage(FILE *fp);
int fa_report_compare(int argc, char **argv);
void fa_report_compare_usage(FILE *fp);
int fa_report_html(int argc, char **argv);
void fa_report_html_usage(FILE *fp);
int fa_report_runs(int argc, char **argv);
void fa_report_runs_usage(FILE *fp);
int fa_report_label(int argc, char **argv);
void fa_report_label_usage(FILE *fp);
int fa_report_delete(int argc, char **argv);
void fa_report_delete_usage(FILE *fp);
int fa_report_baseline(int argc, char **argv);
void fa_report_baseline_usage(FILE *fp);
int fa_report_export(int argc, char **argv);
void fa_report_export_usage(FILE *fp);

#endif /* FA_REPORT_H */
