// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report html: the one loader of the page. Every SQL statement
 * the page needs is here; it fills the plain model of report_page.h (runs
 * with their contexts, rows per target, guarantees, baselines) and asks
 * compare (fa_report_compare_rows()) for the verdicts of each target's
 * latest run, so the page shows exactly what `report compare` says.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fa_tool.h"
#include "report_page.h"

static void fa_load_error(sqlite3 *db, char *err, size_t len)
{
	snprintf(err, len, "%s", sqlite3_errmsg(db));
}

/* A text column, NULL when NULL or empty (unknown is NULL, never "") */
static char *fa_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s && *s ? strdup((const char *)s) : NULL;
}

static double fa_col_double(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

size_t fa_page_run_index(const struct fa_page_model *m, int64_t id)
{
	size_t lo = 0, hi = m->nr_runs, mid;

	/* runs are ordered by id */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->runs[mid].id == id)
			return mid;
		if (m->runs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return m->nr_runs;
}

static int fa_load_runs(sqlite3 *db, struct fa_page_model *m)
{
	static const char sql[] =
		"SELECT r.id, r.name, r.created,"
		" (SELECT MIN(f.started) FROM files f"
		"  WHERE f.run_id = r.id AND f.started > 0)"
		" FROM runs r ORDER BY r.id";
	struct fa_page_run *n;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (m->nr_runs == cap) {
			cap = cap ? cap * 2 : 16;
			n = realloc(m->runs, cap * sizeof(*n));
			if (!n) {
				rc = SQLITE_NOMEM;
				break;
			}
			m->runs = n;
		}
		n = &m->runs[m->nr_runs++];
		memset(n, 0, sizeof(*n));
		n->id = sqlite3_column_int64(st, 0);
		n->name = fa_col_text(st, 1);
		if (!n->name)
			n->name = strdup("");
		n->created = sqlite3_column_int64(st, 2);
		n->started = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* One result row and what its file recorded with it */
struct fa_load_row {
	struct fa_report_row r;
	char *fio_version;
};

static size_t fa_target_of(struct fa_page_model *m, const char *name)
{
	struct fa_page_target *n;
	size_t i;

	for (i = 0; i < m->nr_targets; i++)
		if (!strcmp(m->targets[i].name, name))
			return i;
	n = realloc(m->targets, (m->nr_targets + 1) * sizeof(*n));
	if (!n)
		return SIZE_MAX;
	m->targets = n;
	n = &m->targets[m->nr_targets];
	memset(n, 0, sizeof(*n));
	n->name = strdup(name);
	if (!n->name)
		return SIZE_MAX;
	return m->nr_targets++;
}

static int fa_load_rows(sqlite3 *db, struct fa_load_row **out, size_t *nr)
{
	static const char sql[] =
		"SELECT r.run_id, r.host, r.engine, r.rw, r.dir, r.bs,"
		" r.iodepth, r.iops, r.clat_p50_ns, r.clat_p99_ns,"
		" r.clat_p999_ns, r.torn, r.intact, f.fio_version"
		" FROM results r JOIN files f ON f.id = r.file_id"
		" ORDER BY r.id";
	struct fa_load_row *rows = NULL, *n;
	size_t cap = 0, count = 0;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			n = realloc(rows, cap * sizeof(*n));
			if (!n) {
				rc = SQLITE_NOMEM;
				break;
			}
			rows = n;
		}
		n = &rows[count++];
		memset(n, 0, sizeof(*n));
		n->r.run_id = sqlite3_column_int64(st, 0);
		n->r.host = fa_col_text(st, 1);
		n->r.engine = fa_col_text(st, 2);
		n->r.rw = fa_col_text(st, 3);
		n->r.dir = fa_col_text(st, 4);
		n->r.bs = sqlite3_column_int64(st, 5);
		n->r.iodepth = sqlite3_column_int64(st, 6);
		n->r.iops = fa_col_double(st, 7);
		n->r.p50 = fa_col_double(st, 8);
		n->r.p99 = fa_col_double(st, 9);
		n->r.p999 = fa_col_double(st, 10);
		n->r.has_tear = sqlite3_column_type(st, 11) != SQLITE_NULL;
		n->r.torn = sqlite3_column_int64(st, 11);
		n->r.intact = sqlite3_column_int64(st, 12);
		n->fio_version = fa_col_text(st, 13);
		/* the grouping compares strings: "" for unknown here */
		if (!n->r.host)
			n->r.host = strdup("");
		if (!n->r.engine)
			n->r.engine = strdup("");
		if (!n->r.rw)
			n->r.rw = strdup("");
		if (!n->r.dir)
			n->r.dir = strdup("");
	}
	sqlite3_finalize(st);
	*out = rows;
	*nr = count;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* Replace *@dst by a copy of @src when it is unknown yet */
static void fa_ctx_set(char **dst, const char *src)
{
	if (!*dst && src && *src)
		*dst = strdup(src);
}

/*
 * The rows go to their targets (the row's host; its path too once the
 * database records contexts) and each run's context of each target is
 * what its files recorded.
 */
static int fa_place_rows(struct fa_page_model *m, struct fa_load_row *rows,
			 size_t nr)
{
	struct fa_page_target *t;
	struct fa_report_row *n;
	struct fa_page_ctx *c;
	size_t i, ti, run;

	for (i = 0; i < nr; i++)
		if (fa_target_of(m, rows[i].r.host) == SIZE_MAX)
			return -ENOMEM;
	m->ctx = calloc(m->nr_runs * m->nr_targets + 1, sizeof(*m->ctx));
	m->g = calloc((m->nr_runs * m->nr_targets + 1) * FA_G_NR,
		      sizeof(*m->g));
	if (!m->ctx || !m->g)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		run = fa_page_run_index(m, rows[i].r.run_id);
		ti = fa_target_of(m, rows[i].r.host);
		if (run == m->nr_runs || ti == SIZE_MAX)
			continue;
		t = &m->targets[ti];
		n = realloc(t->rows.rows, (t->rows.nr + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->rows.rows = n;
		/* the row's strings move to the target */
		t->rows.rows[t->rows.nr++] = rows[i].r;
		memset(&rows[i].r, 0, sizeof(rows[i].r));
		c = fa_page_ctx(m, run, ti);
		c->known = true;
		fa_ctx_set(&c->host, t->rows.rows[t->rows.nr - 1].host);
		fa_ctx_set(&c->fio_version, rows[i].fio_version);
		m->nr_rows++;
	}
	return 0;
}

/*
 * compare's view of one target: its latest run against the runs before
 * it that measured this target (the last m->last of them).
 */
static int fa_target_compare(struct fa_page_model *m, size_t ti)
{
	struct fa_page_target *t = &m->targets[ti];
	struct fa_report_run *mine;
	int64_t *ids;
	size_t r, n = 0, nr_ids, i;
	int ret;

	fa_report_sort(&t->rows);
	for (r = 0; r < m->nr_runs; r++) {
		if (!fa_page_ctx(m, r, ti)->known)
			continue;
		for (i = 0; i < t->rows.nr; i++)
			if (t->rows.rows[i].run_id == m->runs[r].id)
				break;
		if (i < t->rows.nr) {
			t->latest = r;
			t->has_runs = true;
		}
	}
	if (!t->has_runs)
		return 0;
	mine = calloc(m->nr_runs + 1, sizeof(*mine));
	ids = calloc(m->nr_runs + 1, sizeof(*ids));
	t->base = calloc(m->nr_runs + 1, sizeof(*t->base));
	if (!mine || !ids || !t->base) {
		ret = -ENOMEM;
		goto out;
	}
	for (r = 0; r < t->latest; r++)
		if (fa_page_ctx(m, r, ti)->known)
			mine[n++].id = m->runs[r].id;
	nr_ids = fa_report_compare_last(mine, n, m->last, ids);
	for (i = 0; i < nr_ids; i++)
		t->base[t->nr_base++] = fa_page_run_index(m, ids[i]);
	ret = fa_report_compare_rows(&t->rows, m->runs[t->latest].id, ids,
				     nr_ids, m->floor, &t->cmp);
out:
	free(mine);
	free(ids);
	return ret;
}

static int fa_change_add(struct fa_page_target *t, size_t run,
			 const char *what, const char *from, const char *to)
{
	struct fa_page_change *n;

	if (!from || !to || !strcmp(from, to))
		return 0;
	n = realloc(t->changes, (t->nr_changes + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	t->changes = n;
	n[t->nr_changes++] = (struct fa_page_change){
		.run = run, .what = what, .from = from, .to = to,
	};
	return 0;
}

/* Kernel, firmware and fio changes between a target's successive runs */
static int fa_target_changes(struct fa_page_model *m, size_t ti)
{
	struct fa_page_ctx *prev = NULL, *c;
	struct fa_page_target *t = &m->targets[ti];
	size_t r;
	int ret = 0;

	for (r = 0; r < m->nr_runs && !ret; r++) {
		c = fa_page_ctx(m, r, ti);
		if (!c->known)
			continue;
		if (prev) {
			ret |= fa_change_add(t, r, "kernel", prev->kernel,
					     c->kernel);
			ret |= fa_change_add(t, r, "firmware",
					     prev->dev_firmware,
					     c->dev_firmware);
			ret |= fa_change_add(t, r, "fio", prev->fio_version,
					     c->fio_version);
		}
		prev = c;
	}
	return ret;
}

int fa_page_load(sqlite3 *db, const char *db_path, struct fa_page_model *m,
		 char *err, size_t errlen)
{
	struct fa_load_row *rows = NULL;
	size_t nr = 0, i;
	int ret;

	memset(m, 0, sizeof(*m));
	m->db_path = db_path;
	m->floor = FA_COMPARE_DEFAULT_PCT / 100;
	m->last = FA_COMPARE_DEFAULT_LAST;
	ret = fa_load_runs(db, m);
	if (!ret)
		ret = fa_load_rows(db, &rows, &nr);
	if (ret) {
		fa_load_error(db, err, errlen);
		goto out;
	}
	ret = fa_place_rows(m, rows, nr);
	for (i = 0; !ret && i < m->nr_targets; i++) {
		ret = fa_target_compare(m, i);
		if (!ret)
			ret = fa_target_changes(m, i);
	}
	if (ret)
		snprintf(err, errlen, "%s", strerror(-ret));
out:
	for (i = 0; i < nr; i++) {
		free(rows[i].r.host);
		free(rows[i].r.engine);
		free(rows[i].r.rw);
		free(rows[i].r.dir);
		free(rows[i].fio_version);
	}
	free(rows);
	if (ret)
		fa_page_free(m);
	return ret;
}

static void fa_ctx_free(struct fa_page_ctx *c)
{
	char **s[] = {
		&c->host, &c->kernel, &c->distro, &c->fio_version, &c->build,
		&c->target_path, &c->target_kind, &c->dev_name,
		&c->dev_transport, &c->dev_model, &c->dev_serial,
		&c->dev_firmware, &c->fs_type, &c->fs_mountpoint,
		&c->fs_options, &c->limits,
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
}

void fa_page_free(struct fa_page_model *m)
{
	size_t i, n = m->nr_runs * m->nr_targets;

	for (i = 0; m->ctx && i < n; i++)
		fa_ctx_free(&m->ctx[i]);
	for (i = 0; m->g && i < n * FA_G_NR; i++)
		free(m->g[i].reason);
	for (i = 0; i < m->nr_targets; i++) {
		free(m->targets[i].name);
		fa_report_rows_free(&m->targets[i].rows);
		free(m->targets[i].base);
		fa_cmp_result_free(&m->targets[i].cmp);
		free(m->targets[i].changes);
	}
	for (i = 0; i < m->nr_runs; i++) {
		free(m->runs[i].name);
		free(m->runs[i].label);
	}
	free(m->ctx);
	free(m->g);
	free(m->targets);
	free(m->runs);
	memset(m, 0, sizeof(*m));
}
