// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: steps 1 and 2: the limits cross-checked, every rule broken once.
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

/* -------- step 1: limits -------- */

void fa_q_step_limits(struct fa_q_ctx *q)
{
	struct fa_q_step *s;
	char line[2048];
	int ret, i;

	s = fa_q_begin(q, "limits", true, q->path);
	ret = fa_limits_collect(q->path, &q->lim, q->dis, FA_MAX_DISAGREE,
				&q->nr_dis);
	if (ret) {
		fa_q_end(s, FA_Q_FAIL, "cannot examine %s: %s", q->path,
			 strerror(-ret));
		return;
	}
	fa_q_classify(q);
	json_object_put(q->details[0]);
	q->details[0] = fa_limits_json(&q->lim, q->dis, q->nr_dis);
	fa_limits_verdict_line(&q->lim, line, sizeof(line));
	printf("  %s\n", line);
	if (q->kind == FA_Q_SCSI)
		printf("  SCSI disk %s, generic node %s\n", q->lim.disk, q->sg);
	if (q->kind == FA_Q_NVME)
		printf("  NVMe namespace %s, generic node %s\n", q->lim.disk,
		       q->ng);
	for (i = 0; i < q->nr_dis && i < FA_MAX_DISAGREE; i++)
		printf("  DISAGREE %s: %s\n", q->dis[i].what,
		       q->dis[i].explanation);
	if (q->nr_dis) {
		fa_q_end(s, FA_Q_FAIL, "%d disagreement%s between sources, first: %s: %s",
			 q->nr_dis, q->nr_dis == 1 ? "" : "s", q->dis[0].what,
			 q->dis[0].explanation);
	} else if (!fa_limits_supported(&q->lim)) {
		fa_limits_unsupported_reason(&q->lim, line, sizeof(line));
		fa_q_end(s, FA_Q_FAIL, "no atomic writes: %s", line);
	} else {
		fa_q_end(s, FA_Q_PASS, "%" PRIu64 "..%" PRIu64 " bytes, sources agree",
			 q->lim.unit_min.value, q->lim.unit_max.value);
	}
}

bool fa_q_can_write(const struct fa_q_ctx *q)
{
	return q->nr_steps && fa_limits_supported(&q->lim);
}

/* -------- step 2: conformance -------- */

struct fa_q_case {
	const struct fa_q_engine *engine;
	const char *rule;
	const char *expect;	/* prefix every rejection must have */
	uint64_t writes;
	char opts[4][64];
	int nr_opts;
};

static void fa_q_case_opt(struct fa_q_case *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fa_q_case_opt(struct fa_q_case *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->opts[c->nr_opts++], sizeof(c->opts[0]), fmt, ap);
	va_end(ap);
}

/* Run one case; false when it did not behave. */
static bool fa_q_run_case(struct fa_q_ctx *q, struct fa_q_case *c,
			  struct json_object *arr)
{
	const struct fa_conf_rule *found = NULL;
	struct fa_jobreport *rep = NULL;
	struct json_object *obj;
	struct fa_argv a = { .n = 0 };
	struct fa_q_run r;
	char why[512] = "", report[PATH_MAX + 64], err[256], job[64];
	bool ok = false;
	int i, ret = 0, nr, run_ret;

	nr = fa_q_fio_base(q, &a, c->engine);
	snprintf(job, sizeof(job), "conformance-%s", c->rule);
	fa_q_report_path(q, nr, job, report, sizeof(report));
	fa_argv_add(&a, "--name=%s", job);
	fa_argv_add(&a, "--rw=write");
	fa_argv_add(&a, "--atomic_validate=off");
	fa_argv_add(&a, "--continue_on_error=write");
	fa_argv_add(&a, "--ignore_error=EIO,22:95");
	for (i = 0; i < c->nr_opts; i++)
		fa_argv_add(&a, "%s", c->opts[i]);
	run_ret = fa_q_fio(q, &a, false, &r);
	fa_argv_free(&a);
	rep = malloc(sizeof(*rep));
	if (run_ret || !rep) {
		snprintf(why, sizeof(why), "cannot run fio: %s",
			 strerror(run_ret ? -run_ret : ENOMEM));
	} else {
		/* The engine's own report says what it sent and saw. */
		ret = fa_jobreport_load(report, rep, err, sizeof(err));
		if (!ret)
			found = fa_jobreport_rule(rep, c->rule);
		ok = fa_q_conf_judge(found, c->writes, c->expect, why,
				     sizeof(why));
		if (ret && r.status)
			fa_q_fio_error(&r, why, sizeof(why));
		else if (ret)
			snprintf(why, sizeof(why), "job report %.200s: %.200s",
				 report, err);
	}
	printf("  %-14s %-16s %s: ", c->engine->engine, c->rule,
	       ok ? "ok" : "WRONG");
	if (ok && found && !found->enforced)
		printf("%" PRIu64 " writes counted outside the guarantee (the device does not enforce it)\n",
		       found->sent);
	else if (ok)
		printf("%" PRIu64 " illegal writes, %" PRIu64 " rejected (%s)\n",
		       found->sent, found->rejected, found->last.text);
	else
		printf("%s\n", why);

	obj = json_object_new_object();
	json_object_object_add(obj, "engine",
			       json_object_new_string(c->engine->engine));
	json_object_object_add(obj, "rule", json_object_new_string(c->rule));
	json_object_object_add(obj, "writes",
			       json_object_new_uint64(c->writes));
	json_object_object_add(obj, "sent", found ?
			       json_object_new_uint64(found->sent) : NULL);
	json_object_object_add(obj, "rejected", found ?
			       json_object_new_uint64(found->rejected) : NULL);
	json_object_object_add(obj, "accepted", found ?
			       json_object_new_uint64(found->accepted) : NULL);
	json_object_object_add(obj, "how", found && found->last.text[0] ?
			       json_object_new_string(found->last.text) : NULL);
	json_object_object_add(obj, "enforced", json_object_new_boolean(
			       !found || found->enforced));
	json_object_object_add(obj, "expected", c->expect ?
			       json_object_new_string(c->expect) : NULL);
	json_object_object_add(obj, "result",
			       json_object_new_string(ok ? "PASS" : "FAIL"));
	json_object_object_add(obj, "reason",
			       ok ? NULL : json_object_new_string(why));
	json_object_array_add(arr, obj);
	if (!run_ret)
		fa_q_run_free(&r);
	free(rep);
	return ok;
}

static void fa_q_note(struct json_object *notes, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fa_q_note(struct json_object *notes, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("  %s\n", buf);
	json_object_array_add(notes, json_object_new_string(buf));
}

static uint64_t fa_q_field(const struct fa_limits *lim, const char *name,
			   bool *found)
{
	const struct fa_device_field *f = NULL;

	if (lim->device_read && lim->device)
		f = fa_device_field_find(lim->device, name);
	*found = f != NULL;
	return f ? f->value : 0;
}

#define FA_Q_EINVAL	"Invalid argument"
#define FA_Q_SENSE	"CHECK CONDITION: ILLEGAL REQUEST"

/* Kernel rules, through atomic-pvsync2 on the file or block device. */
static int fa_q_kernel_cases(struct fa_q_ctx *q, struct json_object *arr,
			     struct json_object *notes)
{
	uint64_t min = q->lim.unit_min.value, max = q->lim.unit_max.value;
	const struct fa_q_engine *e = &q->engines[0];
	uint64_t bs;
	int failed = 0;
	struct fa_q_case c;

	/* 3 x unit_min: not a power of two, within the limits when it fits */
	c = (struct fa_q_case){ .engine = e, .rule = "pow2",
				.expect = FA_Q_EINVAL, .writes = 4 };
	fa_q_case_opt(&c, "--bs=%" PRIu64, 3 * min);
	fa_q_case_opt(&c, "--size=%" PRIu64, 12 * min);
	failed += !fa_q_run_case(q, &c, arr);

	if (min >= 2 * 512) {
		c = (struct fa_q_case){ .engine = e, .rule = "unit_min",
					.expect = FA_Q_EINVAL, .writes = 4 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, min / 2);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * min);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "unit_min: not tried: unit_min %" PRIu64 " leaves no shorter direct write",
			  min);
	}

	if (8 * max <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "unit_max",
					.expect = FA_Q_EINVAL, .writes = 4 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, 2 * max);
		fa_q_case_opt(&c, "--size=%" PRIu64, 8 * max);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "unit_max: not tried: 4 writes of %" PRIu64 " bytes do not fit in the %" PRIu64 "-byte region",
			  2 * max, q->region);
	}

	bs = 2 * min <= max ? 2 * min : min;
	c = (struct fa_q_case){ .engine = e, .rule = "align",
				.expect = FA_Q_EINVAL, .writes = 4 };
	fa_q_case_opt(&c, "--bs=%" PRIu64, bs);
	fa_q_case_opt(&c, "--offset=%" PRIu64, bs / 2);
	fa_q_case_opt(&c, "--size=%" PRIu64, 4 * bs);
	failed += !fa_q_run_case(q, &c, arr);

	/* The errno differs (EOPNOTSUPP on XFS, EINVAL on a block device). */
	c = (struct fa_q_case){ .engine = e, .rule = "direct",
				.expect = NULL, .writes = 4 };
	fa_q_case_opt(&c, "--direct=0");
	fa_q_case_opt(&c, "--bs=%" PRIu64, min);
	fa_q_case_opt(&c, "--size=%" PRIu64, 4 * min);
	failed += !fa_q_run_case(q, &c, arr);

	fa_q_note(notes, "segments: not tried: the engines send one buffer per write (segments_max %" PRIu64 ")",
		  q->lim.segments_max.known ? q->lim.segments_max.value : 0);
	return failed;
}

/* The Block Limits VPD rules, through atomic-sg on the generic node. */
static int fa_q_scsi_cases(struct fa_q_ctx *q, struct json_object *arr,
			   struct json_object *notes)
{
	const struct fa_q_engine *e = NULL;
	uint64_t lbs, align, gran, maxlen, bndry, bndry_len, blocks, unit;
	bool has_atomic, f;
	struct fa_q_case c;
	int failed = 0, i;

	for (i = 0; i < q->nr_engines; i++)
		if (!strcmp(q->engines[i].engine, "atomic-sg"))
			e = &q->engines[i];
	maxlen = fa_q_field(&q->lim, "MAXIMUM ATOMIC TRANSFER LENGTH",
			    &has_atomic);
	if (!e || !has_atomic) {
		fa_q_note(notes, "SCSI rules: not tried: the Block Limits VPD page has no atomic fields");
		return 0;
	}
	lbs = fa_q_field(&q->lim, "LOGICAL BLOCK LENGTH IN BYTES", &f);
	align = fa_q_field(&q->lim, "ATOMIC ALIGNMENT", &f);
	gran = fa_q_field(&q->lim, "ATOMIC TRANSFER LENGTH GRANULARITY", &f);
	bndry_len = fa_q_field(&q->lim,
			       "MAXIMUM ATOMIC TRANSFER LENGTH WITH BOUNDARY",
			       &f);
	bndry = fa_q_field(&q->lim, "MAXIMUM ATOMIC BOUNDARY SIZE", &f);
	if (!lbs)
		lbs = 512;
	unit = (gran ? gran : 1) * (align ? align : 1);

	if (align > 1) {
		c = (struct fa_q_case){ .engine = e, .rule = "alignment",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, unit * lbs);
		fa_q_case_opt(&c, "--offset=%" PRIu64, lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * unit * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "alignment: not tried: ATOMIC ALIGNMENT %" PRIu64 " lets every LBA start a write",
			  align);
	}
	if (gran > 1) {
		c = (struct fa_q_case){ .engine = e, .rule = "granularity",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, (gran + 1) * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * (gran + 1) * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "granularity: not tried: ATOMIC TRANSFER LENGTH GRANULARITY %" PRIu64 " takes any length",
			  gran);
	}
	blocks = maxlen + unit;
	if (maxlen && 2 * blocks * lbs <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "max_length",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, blocks * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * blocks * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	}
	if (bndry) {
		c = (struct fa_q_case){ .engine = e, .rule = "boundary_size",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, unit * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * unit * lbs);
		fa_q_case_opt(&c, "--atomic_boundary=%" PRIu64, 2 * bndry);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "boundary_size: not tried: MAXIMUM ATOMIC BOUNDARY SIZE 0 (no boundaries)");
	}
	blocks = bndry_len + unit;
	/* SG_IO buffers beyond 1 MiB fail in the host adapter, not the rule */
	if (bndry && bndry_len && blocks * lbs <= (1 << 20) &&
	    2 * blocks * lbs <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "boundary_length",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, blocks * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * blocks * lbs);
		fa_q_case_opt(&c, "--atomic_boundary=%" PRIu64,
			      gran ? gran : 1);
		failed += !fa_q_run_case(q, &c, arr);
	} else if (bndry) {
		fa_q_note(notes, "boundary_length: not tried: MAXIMUM ATOMIC TRANSFER LENGTH WITH BOUNDARY %" PRIu64 " blocks is beyond a 1 MiB write",
			  bndry_len);
	}
	return failed;
}

/*
 * NVMe neither enforces nor reports its atomic unit: a write beyond it
 * completes and is simply not atomic. The engine must count every such
 * write outside the guarantee.
 */
static int fa_q_nvme_cases(struct fa_q_ctx *q, struct json_object *arr,
			   struct json_object *notes)
{
	uint64_t lbads, awupf, nawupf, nsfeat, nabspf, unit, lbs;
	const struct fa_q_engine *e = NULL;
	struct fa_q_case c;
	int failed = 0, i;
	bool f;

	for (i = 0; i < q->nr_engines; i++)
		if (!strcmp(q->engines[i].engine, "atomic-nvme")) {
			e = &q->engines[i];
			break;
		}
	lbads = fa_q_field(&q->lim, "lbads", &f);
	if (!e || !f || lbads < 9 || lbads > 16) {
		fa_q_note(notes, "NVMe rules: not tried: the Identify data could not be read");
		return 0;
	}
	lbs = 1ULL << lbads;
	awupf = fa_q_field(&q->lim, "awupf", &f);
	nawupf = fa_q_field(&q->lim, "nawupf", &f);
	nsfeat = fa_q_field(&q->lim, "nsfeat", &f);
	nabspf = fa_q_field(&q->lim, "nabspf", &f);
	unit = ((nsfeat & 2) && nawupf ? nawupf + 1 : awupf + 1) * lbs;

	if (8 * unit <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "atomic_unit",
					.expect = NULL, .writes = 4 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, 2 * unit);
		fa_q_case_opt(&c, "--size=%" PRIu64, 8 * unit);
		failed += !fa_q_run_case(q, &c, arr);
	}
	if (nabspf) {
		uint64_t b = (nabspf + 1) * lbs;

		c = (struct fa_q_case){ .engine = e, .rule = "atomic_boundary",
					.expect = NULL, .writes = 1 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, 2 * lbs);
		fa_q_case_opt(&c, "--offset=%" PRIu64, b - lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "atomic_boundary: not tried: nabspf 0 (no atomic boundaries)");
	}
	return failed;
}

void fa_q_step_conformance(struct fa_q_ctx *q)
{
	struct json_object *arr, *notes, *d;
	struct fa_q_step *s;
	int failed, tried;

	s = fa_q_begin(q, "conformance", false,
		       "each rule broken once with atomic_validate=off");
	if (!fa_q_can_write(q)) {
		fa_q_end(s, FA_Q_SKIP, "no atomic writes");
		return;
	}
	d = q->details[q->nr_steps - 1];
	arr = json_object_new_array();
	notes = json_object_new_array();
	json_object_object_add(d, "cases", arr);
	json_object_object_add(d, "not_tried", notes);
	failed = fa_q_kernel_cases(q, arr, notes);
	if (q->kind == FA_Q_SCSI)
		failed += fa_q_scsi_cases(q, arr, notes);
	if (q->kind == FA_Q_NVME)
		failed += fa_q_nvme_cases(q, arr, notes);
	tried = (int)json_object_array_length(arr);
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%d of %d rules not enforced as expected",
			 failed, tried);
	else
		fa_q_end(s, FA_Q_PASS, "%d rules, every illegal write handled as expected",
			 tried);
}
