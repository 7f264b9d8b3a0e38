// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify --lab --kernels K1,K2,...: what a kernel upgrade
 * changes. The lab's whole qualification (its devices in one boot, then
 * the power-cut harness) runs once per kernel (lab-run's $LAB_KERNEL: an
 * ABI, a version or a suite), and one report sets them side by side: per
 * device the atomic limits, the three guarantees and the atomic cost
 * (atomic/plain IOPS) per engine and size; the power cut's power_fail;
 * each kernel's verdict.
 *
 * A kernel the lab could not measure (QEMU failed, the kernel cannot be
 * fetched) has its column empty and its reason; the command then exits
 * 1 (could not measure), else 8 when a kernel is NOT QUALIFIED, else 0.
 * --html DIR gets one report per kernel, in DIR/K.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

#define FA_QK_VERSION	1
#define FA_QK_CELL	48

struct fa_qk_kernel {
	char spec[64];		/* as given: "6.12", "7", an ABI, a suite */
	char release[96];	/* uname -r in the guest, "" when unknown */
	int exit;		/* fa_q_lab()'s exit status */
	struct json_object *report;	/* the lab report, or NULL */
};

/* One row of the comparison: what, for which device, per kernel */
struct fa_qk_row {
	char device[16];
	char what[80];
	char cell[FA_Q_MAX_KERNELS][FA_QK_CELL];
};

struct fa_qk {
	struct fa_qk_kernel k[FA_Q_MAX_KERNELS];
	int nr;
	struct fa_qk_row *rows;
	size_t nr_rows, cap;
};

int fa_q_parse_kernels(const char *arg, char out[][64], int max)
{
	const char *p = arg;
	int n = 0;

	if (!arg || !*arg)
		return -EINVAL;
	while (*p) {
		size_t len = strcspn(p, ",");
		size_t i;

		if (!len || len >= 64 || n == max)
			return -EINVAL;
		for (i = 0; i < len; i++)
			if (!isalnum((unsigned char)p[i]) && !strchr(".+-_", p[i]))
				return -EINVAL;
		memcpy(out[n], p, len);
		out[n][len] = '\0';
		n++;
		p += len;
		if (*p == ',' && !*++p)
			return -EINVAL;
	}
	return n;
}

/* The row for (@device, @what), made on first use; NULL without memory */
static struct fa_qk_row *fa_qk_row(struct fa_qk *q, const char *device,
				   const char *what)
{
	struct fa_qk_row *r;
	size_t i;

	for (i = 0; i < q->nr_rows; i++)
		if (!strcmp(q->rows[i].device, device) &&
		    !strcmp(q->rows[i].what, what))
			return &q->rows[i];
	if (q->nr_rows == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 32;

		r = realloc(q->rows, cap * sizeof(*r));
		if (!r)
			return NULL;
		q->rows = r;
		q->cap = cap;
	}
	r = &q->rows[q->nr_rows++];
	memset(r, 0, sizeof(*r));
	fa_strlcpy(r->device, device, sizeof(r->device));
	fa_strlcpy(r->what, what, sizeof(r->what));
	return r;
}

static void fa_qk_set(struct fa_qk *q, int k, const char *device,
		      const char *what, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void fa_qk_set(struct fa_qk *q, int k, const char *device,
		      const char *what, const char *fmt, ...)
{
	struct fa_qk_row *r = fa_qk_row(q, device, what);
	va_list ap;

	if (!r)
		return;
	va_start(ap, fmt);
	vsnprintf(r->cell[k], sizeof(r->cell[k]), fmt, ap);
	va_end(ap);
}

static struct json_object *fa_qk_get(struct json_object *o, const char *a,
				     const char *b)
{
	struct json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b && (!v || !json_object_object_get_ex(v, b, &v)))
		return NULL;
	return v;
}

/* One device's report of kernel @k into the rows */
static void fa_qk_device(struct fa_qk *q, int k, struct json_object *dev)
{
	static const char *const gs[] = {
		"power_fail", "read_isolation", "write_isolation",
	};
	struct json_object *limits = fa_qk_get(dev, "context", "limits");
	struct json_object *res = fa_qk_get(dev, "results", NULL);
	const char *name = fa_jstr(dev, "kind");
	char what[80];
	size_t i;

	/* the lab's devices by kind: scsi, nvme (their nodes may differ) */
	if (!*name)
		name = fa_jstr(dev, "target");
	if (limits)
		fa_qk_set(q, k, name, "atomic write sizes (bytes)",
			  "%" PRIu64 "..%" PRIu64, fa_juint(limits, "unit_min"),
			  fa_juint(limits, "unit_max"));
	for (i = 0; i < FA_ARRAY_SIZE(gs); i++) {
		struct json_object *g = fa_qk_get(dev, "guarantees", gs[i]);

		if (g)
			fa_qk_set(q, k, name, gs[i], "%s",
				  fa_jstr(g, "status"));
	}
	for (i = 0; res && i < json_object_array_length(res); i++) {
		struct json_object *row = json_object_array_get_idx(res, i);
		struct json_object *cost = fa_qk_get(row, "atomic_cost", NULL);

		if (!cost || !json_object_is_type(cost, json_type_double))
			continue;
		snprintf(what, sizeof(what), "atomic/plain IOPS %s %s %" PRIu64,
			 fa_jstr(row, "engine"), fa_jstr(row, "mode"),
			 fa_juint(row, "bs"));
		fa_qk_set(q, k, name, what, "%.2f",
			  json_object_get_double(cost));
	}
}

static void fa_qk_kernel_rows(struct fa_qk *q, int k)
{
	struct fa_qk_kernel *kk = &q->k[k];
	struct json_object *devs = fa_qk_get(kk->report, "devices", NULL);
	struct json_object *pf = fa_qk_get(kk->report, "guarantees",
					   "power_fail");
	size_t i;

	fa_qk_set(q, k, "lab", "kernel", "%s",
		  kk->release[0] ? kk->release : "?");
	fa_qk_set(q, k, "lab", "verdict", "%s", !kk->report ?
		  "could not measure" : fa_jstr(kk->report, "verdict"));
	for (i = 0; devs && i < json_object_array_length(devs); i++)
		fa_qk_device(q, k, json_object_array_get_idx(devs, i));
	if (pf)
		fa_qk_set(q, k, "lab", "power_fail (power cut, NVMe)", "%s",
			  fa_jstr(pf, "status"));
}

static void fa_qk_print(const struct fa_qk *q)
{
	size_t i, w = 4;
	int k;

	for (i = 0; i < q->nr_rows; i++) {
		size_t l = strlen(q->rows[i].device) + 1 +
			   strlen(q->rows[i].what);

		if (l > w)
			w = l;
	}
	printf("\nkernels side by side:\n%-*s", (int)w, "");
	for (k = 0; k < q->nr; k++)
		printf("  %-*s", k + 1 < q->nr ? 22 : 0, q->k[k].spec);
	printf("\n");
	for (i = 0; i < q->nr_rows; i++) {
		char label[128];

		snprintf(label, sizeof(label), "%s %s", q->rows[i].device,
			 q->rows[i].what);
		printf("%-*s", (int)w, label);
		for (k = 0; k < q->nr; k++)
			printf("  %-*s", k + 1 < q->nr ? 22 : 0,
			       q->rows[i].cell[k][0] ? q->rows[i].cell[k] : "-");
		printf("\n");
	}
}

static struct json_object *fa_qk_json(const struct fa_qk *q)
{
	struct json_object *o = json_object_new_object();
	struct json_object *ks = json_object_new_array();
	struct json_object *rows = json_object_new_array();
	size_t i;
	int k;

	json_object_object_add(o, "version", json_object_new_int(FA_QK_VERSION));
	json_object_object_add(o, "timestamp",
			       json_object_new_int64((int64_t)time(NULL)));
	for (k = 0; k < q->nr; k++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "requested",
				       json_object_new_string(q->k[k].spec));
		json_object_object_add(e, "release", q->k[k].release[0] ?
				       json_object_new_string(q->k[k].release) :
				       NULL);
		json_object_object_add(e, "exit",
				       json_object_new_int(q->k[k].exit));
		json_object_object_add(e, "report",
				       json_object_get(q->k[k].report));
		json_object_array_add(ks, e);
	}
	json_object_object_add(o, "kernels", ks);
	for (i = 0; i < q->nr_rows; i++) {
		struct json_object *r = json_object_new_object();
		struct json_object *v = json_object_new_array();

		json_object_object_add(r, "device",
				       json_object_new_string(q->rows[i].device));
		json_object_object_add(r, "what",
				       json_object_new_string(q->rows[i].what));
		for (k = 0; k < q->nr; k++)
			json_object_array_add(v, q->rows[i].cell[k][0] ?
					      json_object_new_string(q->rows[i].cell[k]) :
					      NULL);
		json_object_object_add(r, "per_kernel", v);
		json_object_array_add(rows, r);
	}
	json_object_object_add(o, "rows", rows);
	return o;
}

/* The guest's kernel release, as its devices' reports recorded it */
static void fa_qk_release(struct fa_qk_kernel *kk)
{
	struct json_object *devs = fa_qk_get(kk->report, "devices", NULL);
	struct json_object *d = devs && json_object_array_length(devs) ?
				json_object_array_get_idx(devs, 0) : NULL;

	fa_strlcpy(kk->release, fa_jstr(fa_qk_get(d, "kernel", NULL),
					 "release"), sizeof(kk->release));
}

int fa_q_lab_kernels(struct fa_q_opts *o)
{
	static struct fa_qk q;
	static struct fa_q_opts ko;
	static char html[FA_Q_MAX_KERNELS][PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], path[PATH_MAX + 32];
	bool unmeasured = false, not_qualified = false;
	int k, ret;

	memset(&q, 0, sizeof(q));
	q.nr = o->nr_kernels;
	for (k = 0; k < q.nr; k++)
		fa_strlcpy(q.k[k].spec, o->kernels[k], sizeof(q.k[k].spec));
	snprintf(dir, sizeof(dir), "%s/fio-atomic-qualify-kernels.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fa_tool_path_error(CMD, dir, -errno);
		return FA_EXIT_ERROR;
	}
	for (k = 0; k < q.nr; k++) {
		struct fa_qk_kernel *kk = &q.k[k];
		struct json_object *root;

		printf("\n=== kernel %s (%d of %d)\n", kk->spec, k + 1, q.nr);
		fflush(stdout);
		snprintf(path, sizeof(path), "%s/kernel-%d.json", dir, k);
		ko = *o;
		ko.nr_kernels = 0;
		ko.json_out = path;
		ko.html_dir = NULL;
		/* each kernel's HTML report in a directory of its own */
		if (o->html_dir) {
			snprintf(html[k], sizeof(html[k]), "%s/%s", o->html_dir,
				 kk->spec);
			if (mkdir(html[k], 0755) && errno != EEXIST)
				fa_tool_path_error(CMD, html[k], -errno);
			else
				ko.html_dir = html[k];
		}
		setenv("LAB_KERNEL", kk->spec, 1);
		kk->exit = fa_q_lab(&ko);
		root = json_object_from_file(path);
		unlink(path);
		if (root && json_object_object_get_ex(root, "fio_atomic_qualify",
						      &kk->report))
			json_object_get(kk->report);
		json_object_put(root);
		fa_qk_release(kk);
		if (!kk->report || kk->exit == FA_EXIT_ERROR) {
			unmeasured = true;
		} else if (kk->exit == FA_EXIT_NOT_QUALIFIED) {
			not_qualified = true;
		}
		fa_qk_kernel_rows(&q, k);
	}
	unsetenv("LAB_KERNEL");
	rmdir(dir);
	fa_qk_print(&q);
	ret = unmeasured ? FA_EXIT_ERROR : not_qualified ?
	      FA_EXIT_NOT_QUALIFIED : FA_EXIT_OK;
	if (o->json_out) {
		struct json_object *inner = fa_qk_json(&q);

		if (fa_q_write_json_as(o->json_out, "fio_atomic_qualify_kernels",
				       inner))
			ret = FA_EXIT_ERROR;
		json_object_put(inner);
	}
	if (unmeasured)
		fa_tool_error(CMD, "--kernels: the lab could not measure every kernel (see above): no verdict");
	for (k = 0; k < q.nr; k++)
		json_object_put(q.k[k].report);
	free(q.rows);
	return ret;
}
