// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: steps 3 and 4: the sweep of atomic writes, racing readers.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <json-c/json.h>
#include "fa_device.h"
#include "fa_guard.h"
#include "fa_jobreport.h"
#include "fa_limits.h"
#include "fa_qualify.h"
#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

/* -------- step 3: writes -------- */

static bool fa_q_point(struct fa_q_ctx *q, const struct fa_q_engine *e,
		       uint64_t bs, char *why, size_t len)
{
	struct json_object *root = NULL, *row;
	struct fa_argv a = { .n = 0 };
	const char *json;
	struct fa_q_point p;
	struct fa_q_run r;
	char sz[32];
	int ret;

	fa_q_fio_base(q, &a, e);
	fa_argv_add(&a, "--name=sweep");
	fa_argv_add(&a, "--rw=randwrite");
	fa_argv_add(&a, "--bs=%" PRIu64, bs);
	fa_argv_add(&a, "--iodepth=%u", e->iodepth);
	fa_argv_add(&a, "--size=%" PRIu64, q->region);
	fa_argv_add(&a, "--time_based");
	fa_argv_add(&a, "--runtime=%u", q->o->runtime);
	fa_argv_add(&a, "--randrepeat=0");
	ret = fa_q_fio(q, &a, true, &r);
	fa_argv_free(&a);
	fa_q_size_str(bs, sz, sizeof(sz));
	if (ret) {
		snprintf(why, len, "%s %s bs=%s: cannot run fio: %s",
			 e->engine, e->mode, sz, strerror(-ret));
		return false;
	}
	json = fa_q_fio_json_start(r.out);
	if (json)
		root = json_tokener_parse(json);
	ret = root ? fa_q_fio_point(root, "sweep", &p) : -EINVAL;
	if (ret || r.status || p.error || !p.ios) {
		char err[256];

		fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "%s %s bs=%s: %s", e->engine, e->mode, sz,
			 ret ? "no fio JSON" : p.error ?
			 strerror(p.error) : !p.ios ? "no write completed" :
			 err);
		printf("  %-14s %-9s bs=%-5s qd=%-2u FAILED: %s\n", e->engine,
		       e->mode, sz, e->iodepth, why);
		json_object_put(root);
		fa_q_run_free(&r);
		return false;
	}
	printf("  %-14s %-9s bs=%-5s qd=%-2u %9.0f IOPS %9.1f MiB/s  clat p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us\n",
	       e->engine, e->mode, sz, e->iodepth, p.iops,
	       p.bw_bytes / 1048576.0, p.clat_p50_ns / 1000.0,
	       p.clat_p99_ns / 1000.0, p.clat_p999_ns / 1000.0);
	fflush(stdout);
	row = json_object_new_object();
	json_object_object_add(row, "engine", json_object_new_string(e->engine));
	json_object_object_add(row, "mode", json_object_new_string(e->mode));
	json_object_object_add(row, "bs", json_object_new_uint64(bs));
	json_object_object_add(row, "iodepth",
			       json_object_new_int((int)e->iodepth));
	json_object_object_add(row, "iops", json_object_new_double(p.iops));
	json_object_object_add(row, "bw_bytes",
			       json_object_new_uint64(p.bw_bytes));
	json_object_object_add(row, "clat_p50_ns",
			       json_object_new_uint64(p.clat_p50_ns));
	json_object_object_add(row, "clat_p99_ns",
			       json_object_new_uint64(p.clat_p99_ns));
	json_object_object_add(row, "clat_p999_ns",
			       json_object_new_uint64(p.clat_p999_ns));
	json_object_array_add(q->results, row);
	json_object_put(root);
	fa_q_run_free(&r);
	return true;
}

void fa_q_step_writes(struct fa_q_ctx *q)
{
	uint64_t sizes[FA_Q_MAX_SIZES];
	char first[512] = "", why[512], what[128];
	int nr, i, j, failed = 0, points = 0;
	struct fa_q_step *s;

	snprintf(what, sizeof(what), "every power-of-two size, %u s per point",
		 q->o->runtime);
	s = fa_q_begin(q, "writes", true, what);
	if (!fa_q_can_write(q)) {
		fa_q_end(s, FA_Q_SKIP, "no atomic writes");
		return;
	}
	nr = fa_q_sizes(q->lim.unit_min.value, q->lim.unit_max.value,
			q->o->max_size, sizes, FA_Q_MAX_SIZES);
	if (nr <= 0) {
		fa_q_end(s, FA_Q_SKIP, "no power-of-two size between unit_min %" PRIu64 " and %" PRIu64,
			 q->lim.unit_min.value,
			 q->o->max_size ? q->o->max_size :
			 q->lim.unit_max.value);
		return;
	}
	for (i = 0; i < q->nr_engines; i++) {
		for (j = 0; j < nr; j++) {
			if (sizes[j] > q->region)
				break;
			points++;
			if (fa_q_point(q, &q->engines[i], sizes[j], why,
				       sizeof(why)))
				continue;
			if (!failed++)
				fa_strlcpy(first, why, sizeof(first));
		}
	}
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%d of %d points failed, first: %s",
			 failed, points, first);
	else
		fa_q_end(s, FA_Q_PASS, "%d points, %d engine%s x %d size%s",
			 points, q->nr_engines, q->nr_engines == 1 ? "" : "s",
			 nr, nr == 1 ? "" : "s");
}

/* -------- step 4: tear -------- */

/*
 * Writers and racing readers in one fio run; the readers' tear report is
 * the verdict. An engine that does not take tear_check is skipped with
 * fio's own words, so it is used as soon as it accepts the option.
 */
static enum fa_q_result fa_q_tear_one(struct fa_q_ctx *q,
				      const struct fa_q_engine *e,
				      uint64_t unit, char *why, size_t len)
{
	struct json_object *rep = NULL, *obj;
	struct fa_argv a = { .n = 0 };
	struct fa_jobreport *jr = NULL;
	enum fa_q_result res = FA_Q_FAIL;
	char report[PATH_MAX + 64], err[256];
	struct fa_q_run r;
	int ret;

	snprintf(report, sizeof(report), "%s/tear-%s-%s.json", q->workdir,
		 e->engine, e->mode);
	unlink(report);
	fa_q_fio_base(q, &a, e);
	fa_argv_add(&a, "--tear_check=1");
	fa_argv_add(&a, "--size=%" PRIu64, 16 * unit);
	fa_argv_add(&a, "--time_based");
	fa_argv_add(&a, "--runtime=%u", q->o->runtime);
	fa_argv_add(&a, "--name=w");
	fa_argv_add(&a, "--rw=randwrite");
	fa_argv_add(&a, "--bs=%" PRIu64, unit);
	fa_argv_add(&a, "--iodepth=%u", e->iodepth > 1 ? 4 : 1);
	fa_argv_add(&a, "--atomic_report=%s/tear-%s-%s-w.json", q->workdir,
		    e->engine, e->mode);
	fa_argv_add(&a, "--name=r");
	fa_argv_add(&a, "--rw=randread");
	fa_argv_add(&a, "--bs=%" PRIu64, unit);
	fa_argv_add(&a, "--iodepth=%u", e->iodepth > 1 ? 4 : 1);
	fa_argv_add(&a, "--atomic_report=%s", report);
	ret = fa_q_fio(q, &a, true, &r);
	fa_argv_free(&a);
	if (ret) {
		snprintf(why, len, "cannot run fio: %s", strerror(-ret));
		goto out;
	}
	if (r.status && strstr(r.err, "tear_check")) {
		fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "the engine does not take tear_check (%s)",
			 err);
		res = FA_Q_SKIP;
		goto out_free;
	}
	jr = malloc(sizeof(*jr));
	if (jr && !fa_jobreport_load(report, jr, err, sizeof(err)) &&
	    jr->tear_checked)
		rep = json_object_from_file(report);
	if (!r.status && !rep && q->o->client) {
		snprintf(why, len, "the fio server's tear report %.300s is not visible here (give the server this machine's filesystem)",
			 report);
		res = FA_Q_SKIP;
		goto out_free;
	}
	if (r.status || !rep) {
		if (r.status)
			fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "%s", r.status ? err : "no tear report");
		goto out_free;
	}
	if (fa_q_tear_judge(jr->tear.reads.torn, jr->tear.reads.intact, why,
			    len)) {
		const struct fa_scan_counts *c = &jr->tear.reads;

		res = FA_Q_PASS;
		snprintf(why, len, "0 torn of %" PRIu64 " reads, %" PRIu64 " intact units (tear rate < %.4f%%, 95%% upper bound)",
			 jr->tear.checked_reads, c->intact,
			 100 * fa_tear_upper95(c->torn, c->intact + c->torn));
	}
out_free:
	fa_q_run_free(&r);
out:
	free(jr);
	obj = json_object_new_object();
	json_object_object_add(obj, "engine", json_object_new_string(e->engine));
	json_object_object_add(obj, "mode", json_object_new_string(e->mode));
	json_object_object_add(obj, "unit", json_object_new_uint64(unit));
	json_object_object_add(obj, "result",
			       json_object_new_string(fa_q_result_name(res)));
	json_object_object_add(obj, "reason", json_object_new_string(why));
	json_object_object_add(obj, "report", rep);
	json_object_array_add(json_object_object_get(q->tear,
						     "racing_readers"), obj);
	return res;
}

void fa_q_step_tear(struct fa_q_ctx *q)
{
	int i, passed = 0, failed = 0, skipped = 0;
	char why[512], first[600] = "", skips[1024] = "";
	uint64_t sizes[FA_Q_MAX_SIZES], unit = 0;
	struct fa_q_step *s;
	int nr;

	s = fa_q_begin(q, "tear", false,
		       "racing readers (tear_check=1) per engine");
	json_object_object_add(q->tear, "racing_readers",
			       json_object_new_array());
	if (!fa_q_can_write(q)) {
		fa_q_end(s, FA_Q_SKIP, "no atomic writes");
		return;
	}
	/* 64 KiB units where the limits allow, as the lab's tear test */
	nr = fa_q_sizes(q->lim.unit_min.value, q->lim.unit_max.value,
			q->o->max_size, sizes, FA_Q_MAX_SIZES);
	for (i = 0; i < nr; i++)
		if (sizes[i] <= 65536 && 16 * sizes[i] <= q->region)
			unit = sizes[i];
	if (!unit) {
		fa_q_end(s, FA_Q_SKIP, "no unit size of at most 64 KiB fits 16 times in the region");
		return;
	}
	for (i = 0; i < q->nr_engines; i++) {
		const struct fa_q_engine *e = &q->engines[i];
		enum fa_q_result r;

		/* one passthrough mode per engine is enough for readers */
		if (i && !strcmp(e->engine, q->engines[i - 1].engine))
			continue;
		r = fa_q_tear_one(q, e, unit, why, sizeof(why));
		printf("  %-14s %-9s unit %" PRIu64 ": %s: %s\n", e->engine,
		       e->mode, unit, fa_q_result_name(r), why);
		if (r == FA_Q_PASS)
			passed++;
		if (r == FA_Q_FAIL && !failed++)
			snprintf(first, sizeof(first), "%s: %s", e->engine,
				 why);
		if (r == FA_Q_SKIP && !skipped++)
			snprintf(skips, sizeof(skips), "%s: %s", e->engine,
				 why);
	}
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%s", first);
	else if (!passed)
		fa_q_end(s, FA_Q_SKIP, "%s", skips);
	else if (skipped)
		fa_q_end(s, FA_Q_PASS, "0 torn through %d engine%s; %d skipped, first %s",
			 passed, passed == 1 ? "" : "s", skipped, skips);
	else
		fa_q_end(s, FA_Q_PASS, "0 torn through %d engine%s", passed,
			 passed == 1 ? "" : "s");
}
