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
