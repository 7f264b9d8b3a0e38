/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the results database (SQLite) behind `fio-atomic report`,
 * as a small API for the report's commands and its page:
 *
 *   open / upgrade   fa_store_open(): creates the schema, upgrades an
 *                    older one in place in one transaction, refuses a
 *                    newer one, a file that is not an SQLite database or
 *                    is one of something else, each naming the file;
 *   runs             fa_store_runs() (filtered), fa_store_find_run();
 *   rows of a run    fa_store_rows();
 *   context          fa_store_context(), fa_store_run_contexts();
 *   guarantees       fa_store_guarantees();
 *   ingest           fa_store_ingest() (fa_store_ingest.c);
 *   runs as objects  fa_store_label(), fa_store_delete_run(), the named
 *                    baselines (fa_store_edit.c).
 *
 * The schema (version 2, PRAGMA user_version) is documented in
 * docs/results-db.md: runs, files, results, contexts, guarantees,
 * guarantee_points, baselines, baseline_runs. Every change is one
 * transaction. Nothing here prints: a failure returns -errno and leaves
 * its text, naming the database file, in struct fa_store's @error.
 * Parts: fa_store.c (open, schema, upgrade), fa_store_read.c,
 * fa_store_ingest.c, fa_store_edit.c.
 */
#ifndef FA_STORE_H
#define FA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_results.h"

#define FA_STORE_SCHEMA_VERSION	2
#define FA_STORE_NAME_LEN	128
#define FA_STORE_ERROR_LEN	768

struct sqlite3;

/**
 * struct fa_store - an open results database
 * @db:			the SQLite handle
 * @path:		the file, as given
 * @error:		the last failure's text, naming @path
 * @upgraded_from:	the schema version fa_store_open() upgraded from
 *			(0 when it did not upgrade; 0 also for a new file)
 * @created:		fa_store_open() made a new database
 */
struct fa_store {
	struct sqlite3 *db;
	char path[4096];
	char error[FA_STORE_ERROR_LEN];
	int upgraded_from;
	bool created;
};

/* fa_store_open() flags */
#define FA_STORE_CREATE	1u	/* make the file (and its directories) */

/**
 * fa_store_open() - open the database at @path, creating or upgrading
 * its schema in one transaction
 * @flags:	FA_STORE_CREATE, or 0 to require an existing file
 * @wait_ms:	how long to wait for another process's lock
 *
 * Return: 0; -ENOENT no such file (without FA_STORE_CREATE); -ENOTSUP
 * not an SQLite database; -EMEDIUMTYPE an SQLite database of something
 * else; -EPROTO a schema newer than FA_STORE_SCHEMA_VERSION; -EBUSY
 * locked for longer than @wait_ms; -EIO otherwise. @error says which.
 */
int fa_store_open(struct fa_store *s, const char *path, unsigned int flags,
		  int wait_ms);
void fa_store_close(struct fa_store *s);

/* Transactions: BEGIN IMMEDIATE, COMMIT, ROLLBACK; 0 or -EIO/-EBUSY */
int fa_store_begin(struct fa_store *s);
int fa_store_commit(struct fa_store *s);
void fa_store_rollback(struct fa_store *s);

/* Records the text of a failure: "PATH: what" */
int fa_store_fail(struct fa_store *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with SQLite's own message appended */
int fa_store_sql_fail(struct fa_store *s, const char *what);

/**
 * struct fa_store_run - a run: what was ingested under one name
 * @started:	the earliest time its files say they ran, else @created
 * @label:	NULL when it has none
 * @hosts, @kernels, @targets:	its distinct values, ", "-joined ("" none)
 */
struct fa_store_run {
	int64_t id;
	char *name;
	char *label;
	int64_t created;
	int64_t started;
	int64_t nr_rows;
	int64_t nr_files;
	char *hosts;
	char *kernels;
	char *targets;
};

/**
 * struct fa_store_run_filter - which runs fa_store_runs() returns
 * @target, @host, @kernel:	a run with a row or context of that target
 *				path, host or kernel release (NULL: any)
 * @since, @until:	@started within [since, until] (0: open)
 */
struct fa_store_run_filter {
	const char *target;
	const char *host;
	const char *kernel;
	int64_t since;
	int64_t until;
};

/* Runs oldest first (by id); @filter NULL for all */
int fa_store_runs(struct fa_store *s, const struct fa_store_run_filter *filter,
		  struct fa_store_run **runs, size_t *nr);
void fa_store_runs_free(struct fa_store_run *runs, size_t nr);
void fa_store_run_free(struct fa_store_run *run);

/**
 * fa_store_find_run() - a run by name, else by numeric id; "latest" is
 * the newest
 *
 * Return: 0 and *@out (free with fa_store_run_free()); -ENOENT with
 * @error naming @ref.
 */
int fa_store_find_run(struct fa_store *s, const char *ref,
		      struct fa_store_run *out);

/**
 * struct fa_store_row - one result row read back
 * NaN stands for a figure the row does not have; @context_id 0 for none;
 * @mode is "" for fio's rows.
 */
struct fa_store_row {
	int64_t id, run_id, file_id, context_id;
	char *host, *job, *engine, *mode, *rw, *dir;
	int64_t bs, iodepth, numjobs;
	double iops, bw_bytes, p50, p99, p999;
	double plain_iops, atomic_cost;
	bool has_tear;
	int64_t torn, intact, checked;
};

struct fa_store_rows {
	struct fa_store_row *rows;
	size_t nr;
};

/* Rows of the runs in @ids (all runs when @nr_ids is 0), by id */
int fa_store_rows(struct fa_store *s, const int64_t *ids, size_t nr_ids,
		  struct fa_store_rows *out);
void fa_store_rows_free(struct fa_store_rows *rows);

/**
 * struct fa_store_file_info - a file ingested: its path and kind ("fio",
 * "tear", "qualify", "fleet"), when it says it ran (0 unknown)
 */
struct fa_store_file_info {
	int64_t id, run_id;
	char path[4096];
	char kind[16];
	int64_t started;
};

int fa_store_file(struct fa_store *s, int64_t file_id,
		  struct fa_store_file_info *out);

/* One context by id (its unknowns "" and -1); -ENOENT */
int fa_store_context(struct fa_store *s, int64_t context_id,
		     struct fa_context *out);

/* The distinct contexts recorded in a run */
int fa_store_run_contexts(struct fa_store *s, int64_t run_id,
			  struct fa_context **out, size_t *nr);

/**
 * struct fa_store_guarantee - one guarantee of a qualify report
 * @upper95:	NaN when unknown; @context_id 0 for none
 */
struct fa_store_guarantee {
	int64_t id, run_id, context_id;
	char host[FA_RESULT_NAME_LEN];
	char name[24];
	char status[16];
	char reason[FA_CTX_TEXT_LEN];
	bool has_counts;
	uint64_t trials, failures;
	double upper95;
	bool has_control;
	uint64_t control_trials, control_failures;
};

/* The guarantees of a run (all runs when @run_id is 0), by id */
int fa_store_guarantees(struct fa_store *s, int64_t run_id,
			struct fa_store_guarantee **out, size_t *nr);

/**
 * struct fa_store_file - one file for fa_store_ingest(), read and parsed
 * by the caller; fa_store_ingest() sets @duplicate (and @duplicate_run)
 * for content already in the database
 */
struct fa_store_file {
	const char *path;
	char hash[FA_RESULT_HASH_LEN];
	struct fa_result_file parsed;
	bool duplicate;
	char duplicate_run[FA_STORE_NAME_LEN];
};

/**
 * struct fa_store_ingest_stats - what fa_store_ingest() added
 * @host_given:	the host the user named for this ingest (--host), or
 *		NULL: job reports join fio's rows of that host too
 * @after_row:	called after each row inserted, inside the transaction
 *		(the test hook that kills an ingest there), or NULL
 */
struct fa_store_ingest_stats {
	size_t rows, files, contexts, guarantees;
	const char *host_given;
	void (*after_row)(size_t rows_so_far, void *arg);
	void *arg;
};

/**
 * fa_store_ingest() - add @files as run @run, in one transaction
 *
 * Files whose content is already stored are marked duplicate and
 * skipped. A job report's row joins fio's rows of its job from this
 * invocation (its tear counts to the reading direction's row, its
 * context to all of them): of its own host, else of @host_given, else of
 * the one host that ran the job.
 * Return: 0; -errno with @error set, the database as it was.
 */
int fa_store_ingest(struct fa_store *s, const char *run,
		    struct fa_store_file *files, size_t nr,
		    struct fa_store_ingest_stats *stats);

/* Sets (or with NULL or "" clears) the label of a run; one transaction */
int fa_store_label(struct fa_store *s, int64_t run_id, const char *label);

/**
 * fa_store_delete_run() - a run and everything ingested under it, in one
 * transaction; it leaves the baselines that held it
 * @baselines:	set to the ", "-joined names of those baselines ("" none),
 *		caller frees; may be NULL
 */
int fa_store_delete_run(struct fa_store *s, int64_t run_id,
			char **baselines);

/**
 * struct fa_store_baseline - a named set of runs to compare against
 */
struct fa_store_baseline {
	int64_t id;
	char *name;
	int64_t created;
	int64_t *run_ids;
	size_t nr_runs;
};

/* Creates or replaces baseline @name; @replaced says which */
int fa_store_baseline_set(struct fa_store *s, const char *name,
			  const int64_t *run_ids, size_t nr, bool *replaced);
/* -ENOENT when there is none of that name */
int fa_store_baseline_delete(struct fa_store *s, const char *name);
int fa_store_baseline_find(struct fa_store *s, const char *name,
			   struct fa_store_baseline *out);
int fa_store_baselines(struct fa_store *s, struct fa_store_baseline **out,
		       size_t *nr);
void fa_store_baseline_free(struct fa_store_baseline *b);
void fa_store_baselines_free(struct fa_store_baseline *b, size_t nr);

#endif /* FA_STORE_H */
