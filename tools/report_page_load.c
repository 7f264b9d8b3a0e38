// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report html: the one loader of the page. It alone reads the
 * results database, through the store's API (lib/fa_store.h: runs, rows,
 * contexts, guarantees, baselines), and fills the plain model of
 * report_page.h; it asks compare (fa_report_compare_rows()) for the
 * verdicts of each target's latest run against its baseline, so the page
 * shows exactly what `report compare` says. Unknown strings are NULL.
 *
 * A target's baseline: the newest named baseline (`report baseline set`)
 * that holds one of its runs before the latest, else compare's default,
 * the last 5 runs before it that measured the target.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fa_tool.h"
#include "report_page.h"

/* A copy of @s, NULL when @s is NULL or empty */
static char *fa_known(const char *s)
{
	return s && *s ? strdup(s) : NULL;
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

static int fa_load_runs(struct fa_store *st, struct fa_page_model *m)
{
	struct fa_store_run *runs = NULL;
	size_t nr = 0, i;
	int ret;

	ret = fa_store_runs(st, NULL, &runs, &nr);
	if (ret)
		return ret;
	m->runs = calloc(nr + 1, sizeof(*m->runs));
	if (!m->runs) {
		fa_store_runs_free(runs, nr);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		m->runs[i].id = runs[i].id;
		m->runs[i].name = strdup(runs[i].name ? runs[i].name : "");
		m->runs[i].label = fa_known(runs[i].label);
		m->runs[i].created = runs[i].created;
		m->runs[i].started = runs[i].started;
	}
	m->nr_runs = nr;
	fa_store_runs_free(runs, nr);
	return 0;
}

/* The contexts the rows and guarantees point to, read once each */
struct fa_ctx_cache {
	int64_t *ids;
	struct fa_context *ctx;
	size_t nr;
};

static const struct fa_context *fa_ctx_get(struct fa_store *st,
					   struct fa_ctx_cache *c, int64_t id)
{
	struct fa_context *nc;
	int64_t *ni;
	size_t i;

	if (id <= 0)
		return NULL;
	for (i = 0; i < c->nr; i++)
		if (c->ids[i] == id)
			return &c->ctx[i];
	ni = realloc(c->ids, (c->nr + 1) * sizeof(*ni));
	if (ni)
		c->ids = ni;
	nc = realloc(c->ctx, (c->nr + 1) * sizeof(*nc));
	if (nc)
		c->ctx = nc;
	if (!ni || !nc || fa_store_context(st, id, &c->ctx[c->nr]))
		return NULL;
	c->ids[c->nr] = id;
	return &c->ctx[c->nr++];
}

/* "vm", or "vm /mnt/x/f" when the context names the target's path */
static void fa_target_name(const struct fa_context *c, const char *host,
			   char *buf, size_t len)
{
	const char *h = c && *c->text[FA_CTX_HOST] ? c->text[FA_CTX_HOST] :
			host;

	if (c && *c->text[FA_CTX_TARGET_PATH])
		snprintf(buf, len, "%s %s", h, c->text[FA_CTX_TARGET_PATH]);
	else
		snprintf(buf, len, "%s", h);
}

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

/* Replace *@dst by a copy of @src when it is unknown yet */
static void fa_ctx_set(char **dst, const char *src)
{
	if (!*dst && src && *src)
		*dst = strdup(src);
}

/* The context @c recorded, into the model's context of a run's target */
static void fa_ctx_fill(struct fa_page_ctx *p, const struct fa_context *c)
{
	char limits[FA_CTX_TEXT_LEN + 96];

	p->known = true;
	if (!c)
		return;
	fa_ctx_set(&p->host, c->text[FA_CTX_HOST]);
	fa_ctx_set(&p->kernel, c->text[FA_CTX_KERNEL]);
	fa_ctx_set(&p->distro, c->text[FA_CTX_DISTRO]);
	fa_ctx_set(&p->fio_version, c->text[FA_CTX_FIO_VERSION]);
	fa_ctx_set(&p->build, c->text[FA_CTX_BUILD]);
	fa_ctx_set(&p->target_path, c->text[FA_CTX_TARGET_PATH]);
	fa_ctx_set(&p->target_kind, c->text[FA_CTX_TARGET_KIND]);
	fa_ctx_set(&p->dev_name, c->text[FA_CTX_DEVICE_NAME]);
	fa_ctx_set(&p->dev_transport, c->text[FA_CTX_DEVICE_TRANSPORT]);
	fa_ctx_set(&p->dev_model, c->text[FA_CTX_DEVICE_MODEL]);
	fa_ctx_set(&p->dev_serial, c->text[FA_CTX_DEVICE_SERIAL]);
	fa_ctx_set(&p->dev_firmware, c->text[FA_CTX_DEVICE_FIRMWARE]);
	fa_ctx_set(&p->fs_type, c->text[FA_CTX_FS_TYPE]);
	fa_ctx_set(&p->fs_mountpoint, c->text[FA_CTX_FS_MOUNTPOINT]);
	fa_ctx_set(&p->fs_options, c->text[FA_CTX_FS_OPTIONS]);
	if (c->num[FA_CTX_UNIT_MIN] >= 0 && c->num[FA_CTX_UNIT_MAX] >= 0) {
		snprintf(limits, sizeof(limits),
			 "%" PRId64 "..%" PRId64 " bytes%s%s%s",
			 c->num[FA_CTX_UNIT_MIN], c->num[FA_CTX_UNIT_MAX],
			 *c->text[FA_CTX_LIMITS_SOURCE] ? " (" : "",
			 c->text[FA_CTX_LIMITS_SOURCE],
			 *c->text[FA_CTX_LIMITS_SOURCE] ? ")" : "");
		fa_ctx_set(&p->limits, limits);
	}
}

/* The model's arrays per run and target, once the targets are known */
static int fa_alloc_grid(struct fa_page_model *m)
{
	m->ctx = calloc(m->nr_runs * m->nr_targets + 1, sizeof(*m->ctx));
	m->g = calloc((m->nr_runs * m->nr_targets + 1) * FA_G_NR,
		      sizeof(*m->g));
	return m->ctx && m->g ? 0 : -ENOMEM;
}

/*
 * Rows go to their targets (the context's host and path, else the row's
 * host), and each run's context of each target is what its files
 * recorded. @target_of[i] is row i's target.
 */
static int fa_place_rows(struct fa_store *st, struct fa_page_model *m,
			 struct fa_store_rows *rows, struct fa_ctx_cache *cc)
{
	const struct fa_context *c;
	struct fa_page_target *t;
	struct fa_store_row *n;
	size_t i, ti, run, *target_of;
	char name[2 * FA_CTX_TEXT_LEN + 2];
	int ret = 0;

	target_of = calloc(rows->nr + 1, sizeof(*target_of));
	if (!target_of)
		return -ENOMEM;
	for (i = 0; i < rows->nr; i++) {
		c = fa_ctx_get(st, cc, rows->rows[i].context_id);
		fa_target_name(c, rows->rows[i].host, name, sizeof(name));
		target_of[i] = fa_target_of(m, name);
		if (target_of[i] == SIZE_MAX) {
			ret = -ENOMEM;
			goto out;
		}
	}
	ret = fa_alloc_grid(m);
	for (i = 0; !ret && i < rows->nr; i++) {
		run = fa_page_run_index(m, rows->rows[i].run_id);
		if (run == m->nr_runs)
			continue;
		ti = target_of[i];
		t = &m->targets[ti];
		n = realloc(t->rows.rows, (t->rows.nr + 1) * sizeof(*n));
		if (!n) {
			ret = -ENOMEM;
			break;
		}
		t->rows.rows = n;
		/* the row's strings move to the target */
		t->rows.rows[t->rows.nr++] = rows->rows[i];
		memset(&rows->rows[i], 0, sizeof(rows->rows[i]));
		fa_ctx_fill(fa_page_ctx(m, run, ti),
			    fa_ctx_get(st, cc, t->rows.rows[t->rows.nr - 1].context_id));
		fa_ctx_set(&fa_page_ctx(m, run, ti)->host,
			   t->rows.rows[t->rows.nr - 1].host);
		m->nr_rows++;
	}
out:
	free(target_of);
	return ret;
}

static enum fa_g_status fa_g_status_of(const char *s)
{
	if (!strcmp(s, "provided"))
		return FA_G_PROVIDED;
	if (!strcmp(s, "not_provided"))
		return FA_G_NOT_PROVIDED;
	return FA_G_NOT_TESTED;
}

/* Qualify's guarantees, each under its run and target */
static int fa_place_guarantees(struct fa_store *st, struct fa_page_model *m,
			       struct fa_ctx_cache *cc)
{
	struct fa_store_guarantee *g = NULL;
	struct fa_page_guarantee *p;
	const struct fa_context *c;
	char name[2 * FA_CTX_TEXT_LEN + 2];
	size_t nr = 0, i, ti, run;
	int gi, ret;

	ret = fa_store_guarantees(st, 0, &g, &nr);
	for (i = 0; !ret && i < nr; i++) {
		for (gi = 0; gi < FA_G_NR; gi++)
			if (!strcmp(g[i].name,
				    fa_guarantee_name((enum fa_guarantee)gi)))
				break;
		run = fa_page_run_index(m, g[i].run_id);
		if (gi == FA_G_NR || run == m->nr_runs)
			continue;
		c = fa_ctx_get(st, cc, g[i].context_id);
		fa_target_name(c, g[i].host, name, sizeof(name));
		for (ti = 0; ti < m->nr_targets; ti++)
			if (!strcmp(m->targets[ti].name, name))
				break;
		/* a target with guarantees and no rows has no column yet */
		if (ti == m->nr_targets)
			continue;
		p = fa_page_g(m, run, ti, (enum fa_guarantee)gi);
		p->known = true;
		p->status = fa_g_status_of(g[i].status);
		p->trials = g[i].has_counts ? g[i].trials : 0;
		p->failures = g[i].has_counts ? g[i].failures : 0;
		free(p->reason);
		p->reason = fa_known(g[i].reason);
		fa_ctx_fill(fa_page_ctx(m, run, ti), c);
	}
	free(g);
	return ret;
}

/*
 * The newest named baseline holding a run of target @ti before its
 * latest: its runs of the target, newest first, into t->base.
 */
static void fa_named_baseline(struct fa_page_model *m, size_t ti)
{
	struct fa_page_target *t = &m->targets[ti];
	const struct fa_page_baseline *b;
	size_t i, j, r;

	for (i = m->nr_baselines; i > 0 && !t->nr_base; i--) {
		b = &m->baselines[i - 1];
		for (r = t->latest; r > 0; r--) {
			if (!fa_page_ctx(m, r - 1, ti)->known)
				continue;
			for (j = 0; j < b->nr_runs; j++)
				if (b->runs[j] == r - 1)
					t->base[t->nr_base++] = r - 1;
		}
		if (t->nr_base)
			t->baseline_name = b->name;
	}
}

/*
 * compare's view of one target: its latest run against its baseline, a
 * named one or the last m->last runs before it that measured the target.
 */
static int fa_target_compare(struct fa_page_model *m, size_t ti)
{
	struct fa_page_target *t = &m->targets[ti];
	struct fa_store_run *mine;
	int64_t *ids;
	size_t r, n = 0, i;
	int ret;

	fa_report_sort(&t->rows);
	for (i = 0; i < t->rows.nr; i++) {
		r = fa_page_run_index(m, t->rows.rows[i].run_id);
		if (r < m->nr_runs && (!t->has_runs || r > t->latest)) {
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
	fa_named_baseline(m, ti);
	if (!t->nr_base) {
		for (r = 0; r < t->latest; r++)
			if (fa_page_ctx(m, r, ti)->known)
				mine[n++].id = m->runs[r].id;
		n = fa_report_compare_last(mine, n, m->last, ids);
		for (i = 0; i < n; i++)
			t->base[t->nr_base++] = fa_page_run_index(m, ids[i]);
	}
	for (i = 0; i < t->nr_base; i++)
		ids[i] = m->runs[t->base[i]].id;
	ret = fa_report_compare_rows(&t->rows, m->runs[t->latest].id, ids,
				     t->nr_base, m->floor, &t->cmp);
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

static int fa_load_baselines(struct fa_store *st, struct fa_page_model *m)
{
	struct fa_store_baseline *b = NULL;
	struct fa_page_baseline *p;
	size_t nr = 0, i, j, r;
	int ret;

	ret = fa_store_baselines(st, &b, &nr);
	if (ret)
		return ret;
	m->baselines = calloc(nr + 1, sizeof(*m->baselines));
	if (!m->baselines) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr; i++) {
		p = &m->baselines[m->nr_baselines++];
		p->name = strdup(b[i].name ? b[i].name : "");
		p->created = b[i].created;
		p->runs = calloc(b[i].nr_runs + 1, sizeof(*p->runs));
		if (!p->name || !p->runs) {
			ret = -ENOMEM;
			goto out;
		}
		for (j = 0; j < b[i].nr_runs; j++) {
			r = fa_page_run_index(m, b[i].run_ids[j]);
			if (r < m->nr_runs)
				p->runs[p->nr_runs++] = r;
		}
	}
out:
	fa_store_baselines_free(b, nr);
	return ret;
}

int fa_page_load(struct fa_store *st, struct fa_page_model *m)
{
	struct fa_store_rows rows = { 0 };
	struct fa_ctx_cache cc = { 0 };
	size_t i;
	int ret;

	memset(m, 0, sizeof(*m));
	m->floor = FA_COMPARE_DEFAULT_PCT / 100;
	m->last = FA_COMPARE_DEFAULT_LAST;
	m->db_path = strdup(st->path);
	ret = m->db_path ? fa_load_runs(st, m) : -ENOMEM;
	if (!ret)
		ret = fa_load_baselines(st, m);
	if (!ret)
		ret = fa_store_rows(st, NULL, 0, &rows);
	if (!ret)
		ret = fa_place_rows(st, m, &rows, &cc);
	if (!ret)
		ret = fa_place_guarantees(st, m, &cc);
	for (i = 0; !ret && i < m->nr_targets; i++) {
		ret = fa_target_compare(m, i);
		if (!ret)
			ret = fa_target_changes(m, i);
	}
	if (ret == -ENOMEM)
		fa_store_fail(st, ret, "out of memory reading the page's model");
	fa_store_rows_free(&rows);
	free(cc.ids);
	free(cc.ctx);
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
		fa_store_rows_free(&m->targets[i].rows);
		free(m->targets[i].base);
		fa_cmp_result_free(&m->targets[i].cmp);
		free(m->targets[i].changes);
	}
	for (i = 0; i < m->nr_runs; i++) {
		free(m->runs[i].name);
		free(m->runs[i].label);
	}
	for (i = 0; i < m->nr_baselines; i++) {
		free(m->baselines[i].name);
		free(m->baselines[i].runs);
	}
	free(m->baselines);
	free((char *)m->db_path);
	free(m->ctx);
	free(m->g);
	free(m->targets);
	free(m->runs);
	memset(m, 0, sizeof(*m));
}
