// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: step 3, the sweep of atomic writes through every
 * engine at every power-of-two size.
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
#include "fa_stats.h"
#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

/* -------- step 3: writes -------- */

/* A warning on a point whose figure cannot be trusted or compared. */
#define FA_Q_MIN_IOS		100
#define FA_Q_MAX_SPREAD		0.20

/* The engine's option for plain writes, or NULL: no plain mode (NVMe). */
static const char *fa_q_plain_opt(const struct fa_q_engine *e)
{
	if (!strcmp(e->engine, "atomic-sg"))
		return "--write_atomic=0";
	if (!strcmp(e->engine, "atomic-nvme"))
		return NULL;
	return "--rwf_atomic=0";
}

/* One fio run of the sweep; false (with @why) when it failed. */
static bool fa_q_run_point(struct fa_q_ctx *q, const struct fa_q_engine *e,
			   uint64_t bs, bool plain, struct fa_q_point *p,
			   char *why, size_t len)
{
	struct json_object *root = NULL;
	struct fa_argv a = { .n = 0 };
	const char *json;
	struct fa_q_run r;
	char err[256];
	int ret;

	fa_q_fio_base(q, &a, e);
	if (plain)
		fa_argv_add(&a, "%s", fa_q_plain_opt(e));
	fa_argv_add(&a, "--name=sweep");
	fa_argv_add(&a, "--rw=randwrite");
	fa_argv_add(&a, "--bs=%" PRIu64, bs);
	fa_argv_add(&a, "--iodepth=%u", e->iodepth);
	fa_argv_add(&a, "--size=%" PRIu64, q->region);
	fa_argv_add(&a, "--time_based");
	fa_argv_add(&a, "--runtime=%u", q->o->runtime);
	if (q->o->ramp)
		fa_argv_add(&a, "--ramp_time=%u", q->o->ramp);
	fa_argv_add(&a, "--randrepeat=0");
	ret = fa_q_fio(q, &a, true, &r);
	fa_argv_free(&a);
	if (ret) {
		snprintf(why, len, "cannot run fio: %s", strerror(-ret));
		return false;
	}
	json = fa_q_fio_json_start(r.out);
	if (json)
		root = json_tokener_parse(json);
	ret = root ? fa_q_fio_point(root, "sweep", p) : -EINVAL;
	if (ret || r.status || p->error || !p->ios) {
		fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "%s", ret ? "no fio JSON" : p->error ?
			 strerror(p->error) : !p->ios ? "no write completed" :
			 err);
	}
	json_object_put(root);
	fa_q_run_free(&r);
	return !(ret || r.status || p->error || !p->ios);
}

/* "76.3 us", "1.71 ms", "2.30 s": latencies in units that fit them. */
void fa_q_lat_str(double ns, char *buf, size_t len)
{
	if (ns >= 1e9)
		snprintf(buf, len, "%.2f s", ns / 1e9);
	else if (ns >= 1e6)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.1f us", ns / 1e3);
}

struct fa_q_series {
	double iops[FA_Q_MAX_REPEAT];
	double p50[FA_Q_MAX_REPEAT];
	double p99[FA_Q_MAX_REPEAT];
	double p999[FA_Q_MAX_REPEAT];
	double bw[FA_Q_MAX_REPEAT];
	uint64_t min_ios;
	int n;
};

static void fa_q_series_add(struct fa_q_series *s, const struct fa_q_point *p)
{
	s->iops[s->n] = p->iops;
	s->p50[s->n] = (double)p->clat_p50_ns;
	s->p99[s->n] = (double)p->clat_p99_ns;
	s->p999[s->n] = (double)p->clat_p999_ns;
	s->bw[s->n] = (double)p->bw_bytes;
	if (!s->n || p->ios < s->min_ios)
		s->min_ios = p->ios;
	s->n++;
}

/* (max - min) / median of the IOPS: how far repeats of one point differ */
static double fa_q_spread(const struct fa_q_series *s, double median)
{
	double lo = s->iops[0], hi = s->iops[0];
	int i;

	for (i = 1; i < s->n; i++) {
		if (s->iops[i] < lo)
			lo = s->iops[i];
		if (s->iops[i] > hi)
			hi = s->iops[i];
	}
	return median > 0 ? (hi - lo) / median : 0;
}

/*
 * One point of the sweep: --repeat runs of atomic writes, each paired
 * with plain writes through the same engine on the same target (the cost
 * of atomicity), in alternating order so neither side always runs on a
 * fresher file.
 */
static bool fa_q_point(struct fa_q_ctx *q, const struct fa_q_engine *e,
		       uint64_t bs, char *why, size_t len)
{
	static struct fa_q_series atomic, plain;
	struct json_object *row, *warn;
	double iops, plain_iops = 0, spread, p50, p99, p999, bw;
	uint64_t opt = q->lim.stx_unit_max_opt.known ?
		       q->lim.stx_unit_max_opt.value : 0;
	bool with_plain = fa_q_plain_opt(e) != NULL, above_opt;
	struct fa_q_point p;
	char sz[32], l50[32], l99[32], l999[32], cost[64] = "";
	int rep, k;

	memset(&atomic, 0, sizeof(atomic));
	memset(&plain, 0, sizeof(plain));
	fa_q_size_str(bs, sz, sizeof(sz));
	for (rep = 0; rep < q->o->repeat; rep++) {
		for (k = 0; k < (with_plain ? 2 : 1); k++) {
			bool is_plain = with_plain && (k ^ (rep & 1));

			memset(&p, 0, sizeof(p));
			if (!fa_q_run_point(q, e, bs, is_plain, &p, why, len)) {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s %s bs=%s%s: %.400s",
					 e->engine, e->mode, sz,
					 is_plain ? " (plain writes)" : "",
					 why);
				fa_strlcpy(why, msg, len);
				printf("  %-14s %-9s bs=%-5s qd=%-2u FAILED: %s\n",
				       e->engine, e->mode, sz, e->iodepth, why);
				return false;
			}
			fa_q_series_add(is_plain ? &plain : &atomic, &p);
		}
	}
	iops = fa_median(atomic.iops, atomic.n);
	p50 = fa_median(atomic.p50, atomic.n);
	p99 = fa_median(atomic.p99, atomic.n);
	p999 = fa_median(atomic.p999, atomic.n);
	bw = fa_median(atomic.bw, atomic.n);
	spread = fa_q_spread(&atomic, iops);
	if (with_plain) {
		plain_iops = fa_median(plain.iops, plain.n);
		snprintf(cost, sizeof(cost), "  atomic/plain %.2f",
			 plain_iops > 0 ? iops / plain_iops : 0);
	}
	above_opt = opt && bs > opt;
	fa_q_lat_str(p50, l50, sizeof(l50));
	fa_q_lat_str(p99, l99, sizeof(l99));
	fa_q_lat_str(p999, l999, sizeof(l999));
	printf("  %-14s %-9s bs=%-5s qd=%-2u %9.0f IOPS %9.1f MiB/s  clat p50 %9s  p99 %9s  p99.9 %9s%s%s%s\n",
	       e->engine, e->mode, sz, e->iodepth, iops, bw / 1048576.0, l50,
	       l99, l999, cost, above_opt ? " (above unit_max_opt: software fallback)" : "",
	       q->o->quick ? " [--quick]" : "");

	row = json_object_new_object();
	warn = json_object_new_array();
	json_object_object_add(row, "engine", json_object_new_string(e->engine));
	json_object_object_add(row, "mode", json_object_new_string(e->mode));
	json_object_object_add(row, "bs", json_object_new_uint64(bs));
	json_object_object_add(row, "iodepth",
			       json_object_new_int((int)e->iodepth));
	json_object_object_add(row, "repeat", json_object_new_int(atomic.n));
	json_object_object_add(row, "iops", json_object_new_double(iops));
	json_object_object_add(row, "iops_spread",
			       json_object_new_double(spread));
	json_object_object_add(row, "bw_bytes",
			       json_object_new_uint64((uint64_t)bw));
	json_object_object_add(row, "clat_p50_ns",
			       json_object_new_uint64((uint64_t)p50));
	json_object_object_add(row, "clat_p99_ns",
			       json_object_new_uint64((uint64_t)p99));
	json_object_object_add(row, "clat_p999_ns",
			       json_object_new_uint64((uint64_t)p999));
	json_object_object_add(row, "ios_min",
			       json_object_new_uint64(atomic.min_ios));
	json_object_object_add(row, "plain_iops", with_plain ?
			       json_object_new_double(plain_iops) : NULL);
	json_object_object_add(row, "atomic_cost", with_plain && plain_iops > 0 ?
			       json_object_new_double(iops / plain_iops) : NULL);
	json_object_object_add(row, "above_unit_max_opt",
			       json_object_new_boolean(above_opt));
	if (atomic.min_ios < FA_Q_MIN_IOS) {
		char w[128];

		snprintf(w, sizeof(w), "only %" PRIu64 " I/Os in a run (fewer than %d): the figure is noise",
			 atomic.min_ios, FA_Q_MIN_IOS);
		printf("    warning: %s\n", w);
		json_object_array_add(warn, json_object_new_string(w));
	}
	if (atomic.n > 1 && spread > FA_Q_MAX_SPREAD) {
		char w[128];

		snprintf(w, sizeof(w), "IOPS spread %.0f%% over %d repeats (above %.0f%%)",
			 100 * spread, atomic.n, 100 * FA_Q_MAX_SPREAD);
		printf("    warning: %s\n", w);
		json_object_array_add(warn, json_object_new_string(w));
	}
	json_object_object_add(row, "warnings", warn);
	fflush(stdout);
	json_object_array_add(q->results, row);
	return true;
}

void fa_q_step_writes(struct fa_q_ctx *q)
{
	uint64_t sizes[FA_Q_MAX_SIZES];
	char first[512] = "", why[512], what[160];
	int nr, i, j, failed = 0, points = 0;
	struct fa_q_step *s;

	snprintf(what, sizeof(what), "every power-of-two size, %u s per point%s, %d repeat%s, atomic against plain writes",
		 q->o->runtime, q->o->quick ? " (--quick: a smoke test)" : "",
		 q->o->repeat, q->o->repeat == 1 ? "" : "s");
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
			if (q->tool_error[0])
				break;
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
