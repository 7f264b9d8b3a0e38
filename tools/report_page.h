/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic report html: the page's model, filled once by fa_page_load()
 * (report_page_load.c, the only reader of the database, through
 * lib/fa_store.h), then written as HTML (report_page_write.c, the index;
 * report_page_run.c, a page per run) with gnuplot images
 * (report_page_plots.c). Nothing but the loader sees the database.
 *
 * A target is where results were measured: the host, and the target's
 * path when the run recorded its context. Strings the database does not
 * know are NULL.
 */
#ifndef FA_REPORT_PAGE_H
#define FA_REPORT_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fa_guarantee.h"
#include "report.h"

/* What a run recorded about one target: the shared `context` object */
struct fa_page_ctx {
	bool known;		/* the run has results or guarantees here */
	char *host, *kernel, *distro, *fio_version, *build;
	char *target_path, *target_kind;
	char *dev_name, *dev_transport, *dev_model, *dev_serial, *dev_firmware;
	char *fs_type, *fs_mountpoint, *fs_options;
	char *limits;		/* "4096..2097152 bytes (statx on /mnt/x/f)" */
};

/* One guarantee of one target in one run (a qualify report's) */
struct fa_page_guarantee {
	bool known;
	enum fa_g_status status;
	uint64_t trials, failures;
	char *reason;
};

struct fa_page_run {
	int64_t id;
	char *name;
	char *label;
	int64_t created;	/* first ingest, Unix seconds */
	int64_t started;	/* earliest time its files say they ran; 0 */
};

/* A change of kernel, firmware or fio between two runs of a target */
struct fa_page_change {
	size_t run;		/* the first run with the new value */
	const char *what;	/* "kernel", "firmware", "fio" */
	const char *from, *to;	/* point into the model's contexts */
};

struct fa_page_target {
	char *name;		/* "vm", "vm /mnt/x/f" */
	struct fa_store_rows rows;	/* its rows, fa_report_sort()ed */
	bool has_runs;
	size_t latest;		/* the latest run with rows here */
	size_t *base;		/* the baseline's runs, newest first */
	size_t nr_base;
	const char *baseline_name;	/* a named baseline, else NULL */
	struct fa_cmp_result cmp;	/* latest against the baseline */
	struct fa_page_change *changes;
	size_t nr_changes;
};

/* A named baseline (report baseline set): its runs, by index */
struct fa_page_baseline {
	char *name;
	int64_t created;
	size_t *runs;
	size_t nr_runs;
};

struct fa_page_model {
	const char *db_path;
	struct fa_page_run *runs;	/* oldest first */
	size_t nr_runs;
	struct fa_page_target *targets;
	size_t nr_targets;
	struct fa_page_ctx *ctx;	/* [run * nr_targets + target] */
	struct fa_page_guarantee *g;	/* [(run * nr_targets + target) * FA_G_NR + g] */
	struct fa_page_baseline *baselines;	/* oldest first */
	size_t nr_baselines;
	size_t nr_rows;
	double floor;			/* compare's threshold floor, 0.05 */
	size_t last;			/* compare's default baseline: N runs */
};

/*
 * fa_page_load() - fill @m from the store @st: runs, their contexts, rows
 * per target, guarantees, baselines, and compare's verdicts of each
 * target's latest run. 0, or -errno with the store's error set.
 */
int fa_page_load(struct fa_store *st, struct fa_page_model *m);
void fa_page_free(struct fa_page_model *m);

static inline struct fa_page_ctx *fa_page_ctx(const struct fa_page_model *m,
					      size_t run, size_t target)
{
	return &m->ctx[run * m->nr_targets + target];
}

static inline struct fa_page_guarantee *
fa_page_g(const struct fa_page_model *m, size_t run, size_t target,
	  enum fa_guarantee g)
{
	return &m->g[(run * m->nr_targets + target) * FA_G_NR + g];
}

/* Index of the run with database id @id; m->nr_runs when none */
size_t fa_page_run_index(const struct fa_page_model *m, int64_t id);

/* Where the page is written and how its images are drawn */
struct fa_page_out {
	const char *dir;	/* absolute */
	const char *plots;	/* absolute: plots/ with the scripts */
	const char *gnuplot;
	unsigned int images;
};

/*
 * fa_page_trends() / fa_page_latency() - write the TSV files of one
 * target's trends (per engine, rw and queue depth, a line per size) or of
 * its latest run's latency against write size, and draw them. Each image
 * written is added to @names (up to @max, "trend-3-1.png"), with its
 * heading in @titles. 0 or -errno (reported).
 */
#define FA_PAGE_MAX_IMAGES	64
#define FA_PAGE_TITLE_LEN	256
int fa_page_trends(struct fa_page_out *o, const struct fa_page_model *m,
		   size_t target, char names[][64],
		   char titles[][FA_PAGE_TITLE_LEN], size_t max, size_t *nr);
int fa_page_latency(struct fa_page_out *o, const struct fa_page_model *m,
		    size_t target, char *name, size_t len);

/* index.html and one run-ID.html per run. 0 or -errno (reported). */
int fa_page_write(struct fa_page_out *o, const struct fa_page_model *m);

/* What the index and the run pages share (report_page_run.c) */
void fa_page_head(FILE *fp, const char *title);
void fa_page_tail(FILE *fp);
/* "6.18.44, QEMU NVMe Ctrl 10.0.2, fio-3.33": the context in one line */
void fa_page_ctx_line(FILE *fp, const struct fa_page_ctx *c);
/* Every known field of @c, for a title="" attribute (escaped) */
void fa_page_ctx_title(FILE *fp, const struct fa_page_ctx *c);
/* <td class="g-...">provided: 0 of 4096 (95% upper bound 0.0731%)</td> */
void fa_page_g_cell(FILE *fp, const struct fa_page_guarantee *g);
/* A row's end: the run's link, its three guarantee cells, </tr> */
void fa_page_g_cells(FILE *fp, const struct fa_page_model *m, size_t run,
		     size_t target);
/* <a href="run-ID.html">NAME</a> */
void fa_page_run_link(FILE *fp, const struct fa_page_run *r);
/* run-ID.html for every run. 0 or -errno (reported). */
int fa_page_write_runs(struct fa_page_out *o, const struct fa_page_model *m);

/* "4k", "16k qd32" helpers shared by the page's files */
void fa_page_series_name(const struct fa_store_row *r, char *buf,
			 size_t len);

#endif /* FA_REPORT_PAGE_H */
