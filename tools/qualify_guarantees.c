// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: the three guarantees, each measured by a probe of
 * its own (lib/fa_guarantee.h):
 *
 *   read_isolation   racing readers with exactly one writer per unit at
 *                    any time (two writer jobs, each alone on its half of
 *                    the units, one write in flight each), so a torn read
 *                    cannot come from two writers
 *   write_isolation  two writes of one unit submitted at the same instant,
 *                    the unit read back once both completed
 *   power_fail       the kernel's promise: a crash in the middle of
 *                    durable atomic writes (filesystem shutdown on a
 *                    scratch XFS or ext4; the lab's power cuts)
 *
 * read_isolation and write_isolation are advisory unless --require names
 * them: the kernel does not promise them, and an application that
 * serialises its writes per block does not need them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_guarantee.h"
#include "fa_rate.h"
#include "fa_jobreport.h"
#include "fa_util.h"
#include "fa_wiso.h"

#include "probe_powerfail.h"
#include "qualify.h"

#include <sys/stat.h>
#include <sys/vfs.h>

#define FA_XFS_SUPER_MAGIC	0x58465342
#define FA_EXT4_SUPER_MAGIC	0xef53	/* ext2 and ext3 too */

/* A guarantee's result as the step's: provided passes, not tested skips. */
static void fa_q_end_guarantee(struct fa_q_step *s, struct fa_g_result *g)
{
	uint64_t trials, failures;
	char rate[128];

	fa_g_judge(g);
	fa_g_totals(g, &trials, &failures);
	fa_rate_text(failures, trials, rate, sizeof(rate));
	s->result = g->status == FA_G_PROVIDED ? FA_Q_PASS :
		    g->status == FA_G_NOT_PROVIDED ? FA_Q_FAIL : FA_Q_SKIP;
	if (g->status == FA_G_PROVIDED)
		snprintf(s->reason, sizeof(s->reason), "%s failed", rate);
	else if (g->status == FA_G_NOT_PROVIDED)
		snprintf(s->reason, sizeof(s->reason), "%s failed%s%.200s",
			 rate, g->nr_examples ? "; first: " : "",
			 g->nr_examples ? g->examples[0].what : "");
	else
		snprintf(s->reason, sizeof(s->reason), "%s", g->reason);
	/* a guarantee's own words, never PASS/FAIL */
	printf("%s: %s%s: %s\n", s->name,
	       g->status == FA_G_PROVIDED ? "PROVIDED" :
	       g->status == FA_G_NOT_PROVIDED ? "NOT PROVIDED" : "NOT TESTED",
	       s->advisory ? " (advisory; --require to make it count)" :
	       " (counts in the verdict)", s->reason);
	fflush(stdout);
}

/* The largest power-of-two unit up to 64 KiB that fits 16 times. */
static uint64_t fa_q_race_unit(const struct fa_q_ctx *q)
{
	uint64_t sizes[FA_Q_MAX_SIZES], unit = 0;
	int i, nr;

	nr = fa_q_sizes(q->lim.unit_min.value, q->lim.unit_max.value,
			q->o->max_size, sizes, FA_Q_MAX_SIZES);
	for (i = 0; i < nr; i++)
		if (sizes[i] <= 65536 && 16 * sizes[i] <= q->region)
			unit = sizes[i];
	return unit;
}

/* Sum the tear counts of run @nr's jobs named @job. */
static int fa_q_sum_readers(const struct fa_q_ctx *q, int nr, const char *job,
			    struct fa_jobreport *jr, uint64_t *reads,
			    uint64_t *intact, uint64_t *torn, char *why,
			    size_t len)
{
	char prefix[96], path[PATH_MAX + 300];
	struct dirent *de;
	int found = 0;
	DIR *d;

	*reads = *intact = *torn = 0;
	snprintf(prefix, sizeof(prefix), "job%d.%s.", nr, job);
	d = opendir(q->workdir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", q->workdir, de->d_name);
		if (fa_jobreport_load(path, jr, why, len) || !jr->tear_checked)
			continue;
		found++;
		*reads += jr->tear.checked_reads;
		*intact += jr->tear.reads.intact;
		*torn += jr->tear.reads.torn;
	}
	closedir(d);
	return found ? 0 : -ENOENT;
}

static enum fa_q_result fa_q_readers_one(struct fa_q_ctx *q,
					 const struct fa_q_engine *e,
					 uint64_t unit, struct fa_g_result *g,
					 char *why, size_t len)
{
	struct fa_argv a = { .n = 0 };
	uint64_t reads, intact, torn;
	struct fa_jobreport *jr;
	struct fa_g_point *p;
	struct fa_q_run r;
	char err[256], ex[FA_G_TEXT_LEN];
	int ret, nr;

	nr = fa_q_fio_base(q, &a, e);
	/* several jobs of one name: each its own report */
	fa_argv_add(&a, "--atomic_report=%s/job%d.$jobname.$jobnum.json",
		    q->workdir, nr);
	fa_argv_add(&a, "--tear_check=1");
	fa_argv_add(&a, "--time_based");
	fa_argv_add(&a, "--runtime=%u", q->o->runtime);
	fa_argv_add(&a, "--bs=%" PRIu64, unit);
	fa_argv_add(&a, "--name=w");
	fa_argv_add(&a, "--rw=randwrite");
	fa_argv_add(&a, "--iodepth=1");
	fa_argv_add(&a, "--numjobs=2");
	fa_argv_add(&a, "--size=%" PRIu64, 8 * unit);
	fa_argv_add(&a, "--offset_increment=%" PRIu64, 8 * unit);
	fa_argv_add(&a, "--name=r");
	fa_argv_add(&a, "--rw=randread");
	fa_argv_add(&a, "--iodepth=%u", e->iodepth > 1 ? 4 : 1);
	fa_argv_add(&a, "--numjobs=2");
	fa_argv_add(&a, "--size=%" PRIu64, 16 * unit);
	ret = fa_q_fio(q, &a, true, &r);
	if (ret) {
		fa_argv_free(&a);
		snprintf(why, len, "cannot run fio: %s", strerror(-ret));
		return FA_Q_FAIL;
	}
	jr = malloc(sizeof(*jr));
	ret = jr ? fa_q_sum_readers(q, nr, "r", jr, &reads, &intact, &torn,
				    err, sizeof(err)) : -ENOMEM;
	fa_argv_free(&a);
	free(jr);
	if (ret && !r.status && q->o->client) {
		snprintf(why, len, "the fio server's job reports are not visible here (give the server this machine's filesystem)");
		fa_q_run_free(&r);
		return FA_Q_SKIP;
	}
	if (r.status || ret) {
		fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "%s", r.status ? err : "no reader report");
		fa_q_run_free(&r);
		return FA_Q_FAIL;
	}
	fa_q_run_free(&r);
	p = fa_g_point(g, e->engine, unit);
	if (p) {
		p->trials += intact + torn;
		p->failures += torn;
	}
	if (torn) {
		snprintf(ex, sizeof(ex), "%s: %" PRIu64 " torn units of %" PRIu64 " reads of %" PRIu64 " bytes",
			 e->engine, torn, reads, unit);
		fa_g_example(g, 0, unit, ex);
	}
	fa_rate_text(torn, intact + torn, err, sizeof(err));
	snprintf(why, len, "%" PRIu64 " reads, torn: %s", reads, err);
	return torn ? FA_Q_FAIL : FA_Q_PASS;
}

void fa_q_step_read_isolation(struct fa_q_ctx *q)
{
	struct fa_g_result *g = &q->g[FA_G_READ_ISOLATION];
	uint64_t unit;
	char why[512];
	struct fa_q_step *s;
	int i;

	s = fa_q_begin(q, "read_isolation", false,
		       "racing readers, one writer per unit at a time (tear_check=1), per engine");
	s->advisory = !q->o->require[FA_G_READ_ISOLATION];
	fa_g_init(g, FA_G_READ_ISOLATION);
	fa_strlcpy(g->how, "two writer jobs, each alone on its half of 16 units with one write in flight, and two readers of all 16: every unit read is classified",
		   sizeof(g->how));
	if (!fa_q_can_write(q)) {
		fa_strlcpy(g->reason, "no atomic writes", sizeof(g->reason));
		fa_q_end_guarantee(s, g);
		return;
	}
	unit = fa_q_race_unit(q);
	if (!unit) {
		fa_strlcpy(g->reason, "no unit size of at most 64 KiB fits 16 times in the region",
			   sizeof(g->reason));
		fa_q_end_guarantee(s, g);
		return;
	}
	for (i = 0; i < q->nr_engines; i++) {
		const struct fa_q_engine *e = &q->engines[i];
		enum fa_q_result r;

		/* one passthrough mode per engine is enough for readers */
		if (i && !strcmp(e->engine, q->engines[i - 1].engine))
			continue;
		r = fa_q_readers_one(q, e, unit, g, why, sizeof(why));
		printf("  %-14s %-9s unit %" PRIu64 ": %s: %s\n", e->engine,
		       e->mode, unit, fa_q_result_name(r), why);
		if (r == FA_Q_SKIP && !g->reason[0])
			snprintf(g->reason, sizeof(g->reason), "%s: %.200s",
				 e->engine, why);
	}
	fa_q_end_guarantee(s, g);
}

/*
 * One layout of the pair probe: its points joined to @g, each engine
 * named with the layout ("atomic-pvsync2 fresh"). @fresh: @path is made
 * here and removed after.
 * Return: 0, -EBADF when @path cannot be opened (a tool error, recorded).
 */
static int fa_q_wiso_layout(struct fa_q_ctx *q, struct fa_g_result *g,
			    const struct fa_wiso_config *cfg, const char *path,
			    bool fresh, const char *layout)
{
	static struct fa_g_result part;
	struct fa_g_point *p;
	char name[64];
	int fd, ret, i;

	fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC |
		  (fresh ? O_CREAT | O_EXCL : 0), 0600);
	if (fd < 0) {
		fa_q_tool_error(q, "write_isolation: cannot open %s: %s", path,
				strerror(errno));
		return -EBADF;
	}
	if (layout)
		printf("  %s file: %s%s\n", layout, path,
		       fresh ? " (removed after)" : "");
	ret = fa_wiso_probe(fd, &q->lim, cfg, &part);
	close(fd);
	if (fresh)
		unlink(path);
	if (ret == -EINVAL)
		fa_q_tool_error(q, "write_isolation: a probe size the target refuses: %s",
				part.reason);
	for (i = 0; i < part.nr_points; i++) {
		snprintf(name, sizeof(name), "%s%s%s", part.points[i].engine,
			 layout ? " " : "", layout ? layout : "");
		p = fa_g_point(g, name, part.points[i].size);
		if (!p)
			continue;
		*p = part.points[i];
		fa_strlcpy(p->engine, name, sizeof(p->engine));
	}
	for (i = 0; i < part.nr_examples; i++)
		fa_g_example(g, part.examples[i].offset, part.examples[i].size,
			     part.examples[i].what);
	if (part.has_control) {
		g->has_control = true;
		g->control_trials += part.control_trials;
		g->control_failures += part.control_failures;
	}
	if (ret && !g->reason[0])
		fa_strlcpy(g->reason, part.reason, sizeof(g->reason));
	return ret;
}

/*
 * The pair probe (lib/fa_wiso.c) on the target itself: the largest
 * atomic write and one of at most 64 KiB, each a few thousand pairs
 * (fa_wiso_default_pairs(): enough that XFS's software fallback shows its
 * mixes at 2 MiB run after run), pwritev2 from two threads behind a
 * barrier. Two SQEs in one io_uring submit were measured to run one after
 * the other on 6.18, so they cannot race and are not the probe.
 */
void fa_q_step_write_isolation(struct fa_q_ctx *q)
{
	struct fa_g_result *g = &q->g[FA_G_WRITE_ISOLATION];
	uint64_t sizes[FA_Q_MAX_SIZES], small = 0, big = 0;
	struct fa_wiso_config cfg;
	struct fa_q_step *s;
	char sz[32], rate[128], probe_path[PATH_MAX + 8];
	int i, nr, ret;

	s = fa_q_begin(q, "write_isolation", false,
		       "two writes of one unit at the same instant (pwritev2, two threads behind a barrier), the unit read back once both completed");
	s->advisory = !q->o->require[FA_G_WRITE_ISOLATION];
	fa_g_init(g, FA_G_WRITE_ISOLATION);
	if (!fa_q_can_write(q)) {
		fa_strlcpy(g->reason, "no atomic writes", sizeof(g->reason));
		fa_q_end_guarantee(s, g);
		return;
	}
	/* --max-size bounds the sweep; the probe needs the largest writes */
	nr = fa_q_sizes(q->lim.unit_min.value, q->lim.unit_max.value, 0,
			sizes, FA_Q_MAX_SIZES);
	memset(&cfg, 0, sizeof(cfg));
	cfg.units = FA_WISO_DEFAULT_UNITS;
	for (i = 0; i < nr; i++) {
		if (sizes[i] * cfg.units > q->region)
			break;
		if (sizes[i] <= 65536)
			small = sizes[i];
		big = sizes[i];
	}
	if (!big) {
		fa_strlcpy(g->reason, "no atomic write size fits 8 units in the region",
			   sizeof(g->reason));
		fa_q_end_guarantee(s, g);
		return;
	}
	if (small && small != big)
		cfg.sizes[cfg.nr_sizes++] = small;
	cfg.sizes[cfg.nr_sizes++] = big;
	cfg.pwritev2 = true;
	cfg.control = fa_wiso_region_len(&cfg) <= q->region;
	cfg.punch = q->kind == FA_Q_FILE;
	if (q->kind == FA_Q_FILE && q->remove_path) {
		/*
		 * Two layouts of qualify's own files: a fresh file beside
		 * the scratch file, and the scratch file the sweep has aged
		 * (fragmented, as a database's files are). On XFS's software
		 * fallback they differ: 2 MiB pairs mixed 0.07% on a fresh
		 * file and 0.5-12% on the aged one; 64 KiB pairs never on a
		 * fresh file (0 of 22,000) and once on an aged one.
		 */
		snprintf(probe_path, sizeof(probe_path), "%s.wiso", q->path);
		ret = fa_q_wiso_layout(q, g, &cfg, probe_path, true, "fresh");
		cfg.control = false;
		if (!ret)
			ret = fa_q_wiso_layout(q, g, &cfg, q->path, false,
					       "aged");
	} else {
		ret = fa_q_wiso_layout(q, g, &cfg, q->path, false, NULL);
	}
	if (ret == -EBADF) {
		fa_q_end(s, FA_Q_SKIP, "cannot open the probe's file");
		return;
	}
	fa_g_judge(g);
	for (i = 0; i < g->nr_points; i++) {
		const struct fa_g_point *p = &g->points[i];

		fa_q_size_str(p->size, sz, sizeof(sz));
		fa_rate_text(p->failures, p->trials, rate, sizeof(rate));
		printf("  %-14s bs=%-5s pairs mixed at rest: %s\n", p->engine,
		       sz, rate);
	}
	if (g->has_control)
		printf("  control: plain writes in 4 KiB pieces, opposite orders: %" PRIu64 " of %" PRIu64 " pairs mixed\n",
		       g->control_failures, g->control_trials);
	fa_q_end_guarantee(s, g);
}

/*
 * power_fail on the host: never a crash of a filesystem qualify did not
 * make. For a directory on XFS (or ext4), a scratch XFS (ext4) of the
 * same geometry on a loop image in that directory is crashed (filesystem
 * shutdown, as xfstests generic/778 does) in the middle of durable
 * stamped atomic writes, again and again, and scanned with the
 * acknowledged-write logs (tools/probe_powerfail.c). A scratch ext4
 * without atomic writes (ext4 has no software fallback: the loop device
 * under it must have them) is not tested, with that reason. Elsewhere it
 * says why it could not.
 */
void fa_q_step_power_fail(struct fa_q_ctx *q)
{
	struct fa_g_result *g = &q->g[FA_G_POWER_FAIL];
	static struct fa_pf_report rep;
	struct fa_pf_opts pf;
	struct fa_q_step *s;
	struct statfs sf;
	struct stat st;
	char err[512];
	int ret;

	s = fa_q_begin(q, "power_fail", false,
		       "crashes in the middle of durable stamped atomic writes, scanned after recovery");
	fa_g_init(g, FA_G_POWER_FAIL);
	if (!fa_q_can_write(q)) {
		fa_strlcpy(g->reason, "no atomic writes", sizeof(g->reason));
		fa_q_end_guarantee(s, g);
		return;
	}
	if (stat(q->o->target, &st) || !S_ISDIR(st.st_mode)) {
		fa_strlcpy(g->reason, q->kind == FA_Q_FILE ?
			   "a crash needs a filesystem qualify makes: give a directory on XFS or ext4" :
			   "a block device is crashed only by a power cut: qualify --lab has the harness",
			   sizeof(g->reason));
		fa_q_end_guarantee(s, g);
		return;
	}
	if (statfs(q->o->target, &sf) ||
	    (sf.f_type != FA_XFS_SUPER_MAGIC &&
	     sf.f_type != FA_EXT4_SUPER_MAGIC)) {
		snprintf(g->reason, sizeof(g->reason),
			 "the crash (filesystem shutdown) is XFS's and ext4's: %s is on a filesystem of type %#lx",
			 q->o->target, (unsigned long)sf.f_type);
		fa_q_end_guarantee(s, g);
		return;
	}
	fa_pf_opts_init(&pf);
	pf.dir = q->o->target;
	if (sf.f_type == FA_EXT4_SUPER_MAGIC)
		pf.fs = "ext4";
	if (q->o->quick) {
		/* a smoke test: 3 crashes, files of 8 units and 4 MiB or
		 * more (not 32 and 32 MiB), a fifth of the layout's time */
		pf.runs = 3;
		pf.file_units = 8;
		pf.file_min = 4 << 20;
	}
	fa_strlcpy(pf.fio, q->o->fio_path, sizeof(pf.fio));
	fa_strlcpy(pf.engine_dir, q->o->engine_dir, sizeof(pf.engine_dir));
	fa_strlcpy(pf.self, q->o->self, sizeof(pf.self));
	pf.progress = stdout;
	printf("  a scratch %s on a loop image in %s, crashed %u times (the target's own filesystem is never crashed)\n",
	       sf.f_type == FA_EXT4_SUPER_MAGIC ? "ext4" : "XFS",
	       q->o->target, pf.runs);
	fflush(stdout);
	ret = fa_probe_power_fail(&pf, g, &rep, err, sizeof(err));
	if (ret == -EOPNOTSUPP) {
		/* the scratch cannot take atomic writes: not the tool's
		 * failure, and not the target's */
		fa_g_init(g, FA_G_POWER_FAIL);
		fa_strlcpy(g->reason, err, sizeof(g->reason));
		printf("  %s\n", rep.geometry);
		fa_q_end_guarantee(s, g);
		return;
	}
	if (ret) {
		fa_q_tool_error(q, "power_fail: %s", err);
		fa_strlcpy(g->reason, err, sizeof(g->reason));
		fa_q_end(s, FA_Q_SKIP, "could not measure: %s", err);
		return;
	}
	printf("  %s%s%s; control: %" PRIu64 " torn of %" PRIu64 " plain-write units\n",
	       rep.geometry, rep.atomic_limits[0] ? "; atomic writes " : "",
	       rep.atomic_limits, g->control_failures, g->control_trials);
	fa_q_end_guarantee(s, g);
}

void fa_q_guarantees_json(const struct fa_q_ctx *q, struct json_object *obj)
{
	struct json_object *g = json_object_new_object();
	int i;

	for (i = 0; g && i < FA_G_NR; i++)
		json_object_object_add(g, fa_guarantee_name(i),
				       fa_g_json(&q->g[i]));
	json_object_object_add(obj, "guarantees", g);
}
