// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic probe power-fail [DIR] [--image SIZE] [--runs N] [--size S,...]
 * [--engines E,...] [--json]: does an atomic write survive a crash whole,
 * and does an acknowledged durable one survive at all? On the host, with
 * an XFS (or, with --fs ext4, an ext4) the probe makes itself on a loop
 * image:
 *
 *   1 a scratch directory in DIR; xfs_info DIR's block and sector size
 *     (when DIR is on XFS) given to mkfs.xfs on a sparse image there; with
 *     --fs ext4, dumpe2fs -h's block and bigalloc cluster size (DIR on
 *     ext4) given to
 *     mkfs.ext4, and the sizes taken from statx on the scratch's files
 *     (none: the probe cannot test, -EOPNOTSUPP)
 *   2 per run: one file per (engine, size) and one for the control, each
 *     laid out as one extent per filesystem block (even blocks written,
 *     then odd ones), so that a write spans many extents
 *   3 one fio: stamped (tear_check=1), logged (tear_ack_log) random
 *     writes, O_DIRECT and O_DSYNC (sync=dsync), 2 jobs per file, iodepth
 *     8 for atomic-uring; the control writes plain 1 MiB writes the same
 *     way
 *   4 after 1 to 3 s: the ack logs' lengths noted, then XFS_IOC_GOINGDOWN
 *     without log flush (what `xfs_io -x -c shutdown` does; on ext4
 *     EXT4_IOC_SHUTDOWN with EXT4_GOING_FLAGS_NOLOGFLUSH, the same ioctl
 *     number and flag): the log's (journal's) tail in memory is lost, as
 *     in a crash; fio's writes fail with EIO
 *   5 unmount, mount (log recovery), `fio-atomic tearscan FILE --acks
 *     LOGS --json` per file: torn units, and acknowledged writes lost
 *
 * The writes acknowledged before the shutdown began are judged; those
 * logged after it are counted apart (the shutdown aborts the in-memory
 * log under a write's fsync; a power cut cannot answer a write then).
 *
 * External programs (mkfs.xfs, xfs_info, losetup, mount, umount, fio,
 * fio-atomic tearscan) run through fa_pf_spawn(); the scratch XFS is
 * probe_powerfail_xfs.c's, the command probe_powerfail_cmd.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_acklog.h"
#include "fa_json.h"
#include "fa_powerfail.h"
#include "fa_paths.h"
#include "fa_spawn.h"
#include "fa_tool.h"
#include "fa_util.h"
#include "probe_powerfail_int.h"

#define CMD		"probe power-fail"
#define FA_PF_JOBS	2	/* jobs per file, each in its own half */
#define FA_PF_DEPTH	8	/* atomic-uring's iodepth */
#define FA_PF_CTL_SIZE	(1u << 20)
#define FA_PF_CTL_SIZE_EXT4 (256u << 10)

/* xfs_fs.h is in xfsprogs' -dev package; the ABI is fixed */
#ifndef XFS_IOC_GOINGDOWN
#define XFS_IOC_GOINGDOWN		_IOR('X', 125, uint32_t)
#endif
#define FA_XFS_GOING_NOLOGFLUSH		0x2
/* ext4's shutdown is the same ioctl (fs/ext4/ext4.h: EXT4_IOC_SHUTDOWN,
 * EXT4_GOING_FLAGS_NOLOGFLUSH 0x2) */
#define FA_EXT4_IOC_SHUTDOWN		_IOR('X', 125, uint32_t)
#define FA_EXT4_GOING_NOLOGFLUSH	0x2

static volatile sig_atomic_t fa_pf_stop;

static void fa_pf_on_signal(int sig)
{
	fa_pf_stop = sig;
}

/* -------- one crash -------- */

void fa_pf_size_str(uint64_t v, char *buf, size_t len)
{
	if (v >= (1 << 20) && !(v % (1 << 20)))
		snprintf(buf, len, "%" PRIu64 "m", v >> 20);
	else if (v >= 1024 && !(v % 1024))
		snprintf(buf, len, "%" PRIu64 "k", v >> 10);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

static const char *fa_pf_engine(const struct fa_pf *p, int i)
{
	if (i == p->nr_files - 1)
		return "atomic-uring";
	return p->o->engines[i / p->o->nr_sizes];
}

static bool fa_pf_ext4(const struct fa_pf *p)
{
	return !strcmp(p->fstype, "ext4");
}

static uint64_t fa_pf_bs(const struct fa_pf *p, int i)
{
	if (i == p->nr_files - 1)
		return fa_pf_ext4(p) ? FA_PF_CTL_SIZE_EXT4 : FA_PF_CTL_SIZE;
	return p->o->sizes[i % p->o->nr_sizes];
}

static void fa_pf_fio_args(struct fa_pf *p, struct fa_argv *a,
			   unsigned int run)
{
	int i;

	fa_argv_add(a, "%s", p->o->fio);
	fa_argv_add(a, "--output-format=json");
	fa_argv_add(a, "--output=%s/fio.%u.json", p->scratch, run);
	/* global: every job */
	fa_argv_add(a, "--rw=randwrite");
	fa_argv_add(a, "--direct=1");
	fa_argv_add(a, "--sync=dsync");
	fa_argv_add(a, "--time_based");
	fa_argv_add(a, "--runtime=120");
	fa_argv_add(a, "--numjobs=%d", FA_PF_JOBS);
	for (i = 0; i < p->nr_files; i++) {
		const char *e = fa_pf_engine(p, i);
		uint64_t half = p->file_size[i] / FA_PF_JOBS;

		fa_argv_add(a, "--name=f%d", i);
		fa_argv_add(a, "--ioengine=external:%s/%s.so",
			  p->o->engine_dir, e);
		fa_argv_add(a, "--filename=%s/f%d", p->mnt, i);
		fa_argv_add(a, "--size=%" PRIu64, half);
		fa_argv_add(a, "--offset_increment=%" PRIu64, half);
		fa_argv_add(a, "--bs=%" PRIu64, fa_pf_bs(p, i));
		/* engine options: after the engine, in each job */
		fa_argv_add(a, "--tear_check=1");
		fa_argv_add(a, "--rwf_atomic=%d", i < p->nr_files - 1);
		if (!strcmp(e, "atomic-uring"))
			fa_argv_add(a, "--iodepth=%d", FA_PF_DEPTH);
		fa_argv_add(a, "--tear_ack_log=%s/r%u.f%d", p->acks, run, i);
		fa_argv_add(a, "--atomic_report=%s/r%u.f%d.$jobnum.json",
			  p->acks, run, i);
	}
}

/* ms milliseconds, or until fio ends: 1 when it ended, 0, -EINTR */
static int fa_pf_sleep(pid_t fio, unsigned int ms, int *status)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	unsigned int t;
	int st;

	for (t = 0; t < ms; t += 10) {
		if (fa_pf_stop)
			return -EINTR;
		if (fio > 0 && waitpid(fio, &st, WNOHANG) == fio) {
			*status = WIFEXITED(st) ? WEXITSTATUS(st) :
				  128 + WTERMSIG(st);
			return 1;
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}

#define FA_PF_MAX_LOGS	64

struct fa_pf_log {
	char name[NAME_MAX + 1];
	off_t before;		/* its length when the shutdown began */
};

/* The ack logs of @run, with their lengths now. */
static int fa_pf_logs(struct fa_pf *p, unsigned int run,
		      struct fa_pf_log *logs, int *nr)
{
	char prefix[32];
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int fd;

	snprintf(prefix, sizeof(prefix), "r%u.f", run);
	dir = opendir(p->acks);
	if (!dir)
		return -errno;
	fd = dirfd(dir);
	*nr = 0;
	while ((d = readdir(dir)) && *nr < FA_PF_MAX_LOGS) {
		if (strncmp(d->d_name, prefix, strlen(prefix)) ||
		    strstr(d->d_name, ".json") || strstr(d->d_name, ".cut"))
			continue;
		if (fstatat(fd, d->d_name, &st, 0))
			continue;
		fa_strlcpy(logs[*nr].name, d->d_name, sizeof(logs[*nr].name));
		logs[*nr].before = st.st_size - st.st_size % FA_ACK_LEN;
		(*nr)++;
	}
	closedir(dir);
	return 0;
}

static struct fa_pf_log *fa_pf_find_log(struct fa_pf_log *logs, int nr,
					const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(logs[i].name, name))
			return &logs[i];
	return NULL;
}

/* LOG.cut: the records logged before the shutdown began */
static int fa_pf_cut(struct fa_pf *p, const struct fa_pf_log *l)
{
	char src[PATH_MAX * 6], dst[PATH_MAX * 6];
	char *buf = NULL;
	int in, out, ret = 0;
	ssize_t n = 0;

	snprintf(src, sizeof(src), "%s/%s", p->acks, l->name);
	snprintf(dst, sizeof(dst), "%s/%s.cut", p->acks, l->name);
	in = open(src, O_RDONLY | O_CLOEXEC);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (l->before)
		buf = malloc((size_t)l->before);
	if (in < 0 || out < 0 || (l->before && !buf))
		ret = -EIO;
	if (!ret && l->before) {
		n = pread(in, buf, (size_t)l->before, 0);
		if (n != l->before || write(out, buf, (size_t)n) != n)
			ret = -EIO;
	}
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out))
		ret = -EIO;
	if (ret)
		return fa_pf_fail(p, ret, "copying %s to %s", src, dst);
	return 0;
}

/* tearscan FILE --acks LOGS --json, its report parsed */
static int fa_pf_scan(struct fa_pf *p, unsigned int run, int i,
		      const struct fa_pf_log *logs, int nr, bool cut,
		      struct fa_pf_counts *c, const char *what)
{
	struct fa_argv a = { .n = 0 };
	char out[PATH_MAX + 32], err[PATH_MAX + 32], prefix[32], line[200];
	char *json;
	int j, st, ret, logs_given = 0;

	snprintf(prefix, sizeof(prefix), "r%u.f%d.", run, i);
	fa_argv_add(&a, "%s", p->o->self);
	fa_argv_add(&a, "tearscan");
	fa_argv_add(&a, "%s/f%d", p->mnt, i);
	/* the writer's unit: a file that holds no stamp after the crash
	 * (every write to it lost) still has its writes judged */
	fa_argv_add(&a, "--unit=%" PRIu64, fa_pf_bs(p, i));
	fa_argv_add(&a, "--json");
	fa_argv_add(&a, "--acks");
	for (j = 0; j < nr; j++) {
		if (strncmp(logs[j].name, prefix, strlen(prefix)))
			continue;
		fa_argv_add(&a, "%s/%s%s", p->acks, logs[j].name,
			    cut ? ".cut" : "");
		logs_given++;
	}
	if (!logs_given) {
		/* no job of this file had started when the crash came (fio
		 * opens a log with its job; under TCG that can take seconds):
		 * nothing acknowledged, an empty log says so */
		int fd;

		fa_pf_path(p, out, sizeof(out), "no-acks");
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		fa_argv_add(&a, "%s", out);
	}
	fa_pf_path(p, out, sizeof(out), "tearscan.out");
	fa_pf_path(p, err, sizeof(err), "tearscan.err");
	st = fa_pf_run(a.v, out, err);
	fa_argv_free(&a);
	if (st != FA_EXIT_OK && st != FA_EXIT_TORN && st != FA_EXIT_LOST) {
		fa_pf_first_line(err, line, sizeof(line));
		return fa_pf_fail(p, -EIO, "tearscan %s/f%d: exit %d: %s",
				  p->mnt, i, st, line);
	}
	json = fa_pf_slurp(out);
	/* examples are the guarantee's failures: not the control's tears */
	ret = fa_pf_scan_parse(json ? json : "", c,
			       cut && i < p->nr_files - 1 ? p->r : NULL, what);
	free(json);
	if (ret)
		return fa_pf_fail(p, ret, "tearscan %s/f%d: not a report with acks",
				  p->mnt, i);
	return 0;
}

static int fa_pf_crash(struct fa_pf *p, unsigned int run)
{
	struct fa_argv a = { .n = 0 };
	struct fa_pf_log before[FA_PF_MAX_LOGS], after[FA_PF_MAX_LOGS];
	char path[PATH_MAX + 64], err[PATH_MAX + 16], line[200];
	struct fa_pf_counts run_atomic = { 0 }, run_ctl = { 0 };
	int i, nr_before, nr_after, st = 0, ret, fd;
	unsigned int delay;
	pid_t fio;

	for (i = 0; i < p->nr_files; i++) {
		snprintf(path, sizeof(path), "%s/f%d", p->mnt, i);
		ret = fa_pf_layout(p, path, p->file_size[i]);
		if (ret)
			return ret;
	}
	fa_pf_fio_args(p, &a, run);
	snprintf(err, sizeof(err), "%s/fio.%u.err", p->scratch, run);
	ret = fa_pf_spawn(a.v, NULL, err, &fio);
	fa_argv_free(&a);
	if (ret)
		return fa_pf_fail(p, ret, "cannot start %s: %s", p->o->fio,
				  strerror(-ret));
	/* 1 to 3 s of writes: random, so the crash finds any phase */
	delay = 1000 + (unsigned int)(random() % 2001);
	ret = fa_pf_sleep(fio, delay, &st);
	if (ret) {
		if (ret < 0) {
			kill(fio, SIGKILL);
			fa_spawn_wait(fio, NULL);
			return fa_pf_fail(p, ret, "interrupted");
		}
		fa_pf_first_line(err, line, sizeof(line));
		return fa_pf_fail(p, -EIO, "fio ended (exit %d) before the crash: %s",
				  st, line[0] ? line : "no message");
	}
	ret = fa_pf_logs(p, run, before, &nr_before);
	fd = open(p->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!ret && fd >= 0) {
		uint32_t flag = fa_pf_ext4(p) ? FA_EXT4_GOING_NOLOGFLUSH :
						 FA_XFS_GOING_NOLOGFLUSH;

		ret = ioctl(fd, fa_pf_ext4(p) ? FA_EXT4_IOC_SHUTDOWN :
						XFS_IOC_GOINGDOWN, &flag) ?
		      -errno : 0;
		if (ret)
			fa_pf_fail(p, ret, "%s on %s: %s",
				   fa_pf_ext4(p) ? "EXT4_IOC_SHUTDOWN" :
				   "XFS_IOC_GOINGDOWN", p->mnt,
				   strerror(-ret));
	} else if (!ret) {
		ret = fa_pf_fail(p, -errno, "opening %s: %s", p->mnt,
				 strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	/* its writes now fail with EIO and it ends; if not, end it */
	if (fa_pf_sleep(fio, 60000, &st) != 1) {
		kill(fio, SIGKILL);
		fa_spawn_wait(fio, NULL);
		if (!ret)
			ret = fa_pf_fail(p, -ETIMEDOUT,
					 "fio still ran 60 s after the shutdown");
	}
	if (ret)
		return ret;
	p->rep->crashes++;
	ret = fa_pf_logs(p, run, after, &nr_after);
	if (ret)
		return fa_pf_fail(p, ret, "reading %s: %s", p->acks,
				  strerror(-ret));
	for (i = 0; i < nr_after; i++) {
		struct fa_pf_log *b = fa_pf_find_log(before, nr_before,
						     after[i].name);

		after[i].before = b ? b->before : 0;
		ret = fa_pf_cut(p, &after[i]);
		if (ret)
			return ret;
	}
	ret = fa_pf_umount(p);
	if (!ret)
		ret = fa_pf_mount(p);	/* log recovery */
	if (ret)
		return ret;
	for (i = 0; i < p->nr_files && !ret; i++) {
		bool control = i == p->nr_files - 1;
		struct fa_pf_counts c, all;
		char what[96], sz[32];

		fa_pf_size_str(fa_pf_bs(p, i), sz, sizeof(sz));
		snprintf(what, sizeof(what), "run %u, %s%s %s", run + 1,
			 control ? "control " : "", fa_pf_engine(p, i), sz);
		ret = fa_pf_scan(p, run, i, after, nr_after, true, &c, what);
		if (ret)
			break;
		if (control) {
			fa_pf_add_control(p->r, &c);
			fa_pf_counts_add(&run_ctl, &c);
			continue;
		}
		if (fa_pf_add_point(p->r, fa_pf_engine(p, i), fa_pf_bs(p, i),
				    &c))
			return fa_pf_fail(p, -ENOSPC, "too many points");
		fa_pf_counts_add(&run_atomic, &c);
		/* the writes that raced the shutdown, for the record */
		ret = fa_pf_scan(p, run, i, after, nr_after, false, &all, what);
		if (!ret && all.acked >= c.acked) {
			p->rep->during_acked += all.acked - c.acked;
			p->rep->during_lost += all.lost > c.lost ?
					       all.lost - c.lost : 0;
		}
	}
	if (ret)
		return ret;
	fa_pf_counts_add(&p->rep->atomic, &run_atomic);
	fa_pf_counts_add(&p->rep->control, &run_ctl);
	if (p->o->progress)
		fprintf(p->o->progress,
			"crash %u at %.1f s: atomic %" PRIu64 " torn of %" PRIu64 " units, %" PRIu64 " of %" PRIu64 " acknowledged lost; control %" PRIu64 " torn of %" PRIu64 "\n",
			run + 1, delay / 1000.0, run_atomic.torn,
			run_atomic.units, run_atomic.lost, run_atomic.acked,
			run_ctl.torn, run_ctl.units);
	for (i = 0; i < p->nr_files; i++) {
		snprintf(path, sizeof(path), "%s/f%d", p->mnt, i);
		unlink(path);
	}
	return 0;
}

/* -------- the probe -------- */

void fa_pf_opts_init(struct fa_pf_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->image_size = 8ull << 30;
	o->runs = 6;
	o->sizes[0] = 64 << 10;
	o->sizes[1] = 1 << 20;
	o->nr_sizes = 2;
	o->auto_sizes = true;
	o->file_units = 32;
	o->file_min = 32 << 20;
	o->engines[0] = "atomic-pvsync2";
	o->engines[1] = "atomic-uring";
	o->nr_engines = 2;
}

/* fio, the engines and fio-atomic itself: installed, or in the build */
static int fa_pf_locate(struct fa_pf_opts *o)
{
	if (!o->self[0])
		fa_strlcpy(o->self, fa_paths()->self, sizeof(o->self));
	if (!o->engine_dir[0] &&
	    fa_path_engines(o->engine_dir, sizeof(o->engine_dir)))
		return -ENAMETOOLONG;
	if (!o->fio[0] && fa_path_fio(NULL, o->fio, sizeof(o->fio)))
		return -ENAMETOOLONG;
	return 0;
}

static int fa_pf_prepare(struct fa_pf *p)
{
	const char *base = p->o->dir;
	char engine[PATH_MAX + 64];
	int i, ret;

	ret = fa_pf_locate(p->o);
	if (ret)
		return fa_pf_fail(p, ret, "cannot find this executable: %s",
				  strerror(-ret));
	if (access(p->o->fio, X_OK))
		return fa_pf_fail(p, -ENOENT, "no fio at %s (--fio or $FIO)",
				  p->o->fio);
	for (i = 0; i < p->o->nr_engines; i++) {
		snprintf(engine, sizeof(engine), "%s/%s.so", p->o->engine_dir,
			 p->o->engines[i]);
		if (access(engine, R_OK))
			return fa_pf_fail(p, -ENOENT, "no engine %s", engine);
	}
	if (geteuid())
		return fa_pf_fail(p, -EPERM, "needs root (losetup, mount)");
	if (!base) {
		base = getenv("TMPDIR");
		if (!base || !base[0])
			base = "/tmp";
	}
	snprintf(p->scratch, sizeof(p->scratch),
		 "%s/fio-atomic-power-fail.XXXXXX", base);
	if (!mkdtemp(p->scratch)) {
		ret = -errno;
		fa_pf_fail(p, ret, "cannot make a scratch directory in %s: %s",
			   base, strerror(-ret));
		p->scratch[0] = '\0';
		return ret;
	}
	fa_pf_path(p, p->image, sizeof(p->image),
		   fa_pf_ext4(p) ? "ext4.img" : "xfs.img");
	fa_pf_path(p, p->mnt, sizeof(p->mnt), "mnt");
	fa_pf_path(p, p->acks, sizeof(p->acks), "acks");
	if (mkdir(p->acks, 0700))
		return fa_pf_fail(p, -errno, "mkdir %s: %s", p->acks,
				  strerror(errno));
	ret = fa_pf_make_fs(p);
	if (!ret)
		ret = fa_pf_mount(p);
	if (!ret && fa_pf_ext4(p))
		ret = fa_pf_ext4_sizes(p);
	if (ret)
		return ret;
	p->nr_files = p->o->nr_sizes * p->o->nr_engines + 1;
	for (i = 0; i < p->nr_files; i++) {
		uint64_t bs = fa_pf_bs(p, i), min = p->o->file_min;

		/* 32 units, at least 32 MiB by default (ext4: at most
		 * 4 MiB, its units are a cluster or less): many first writes
		 * per run */
		if (fa_pf_ext4(p) && min > (4 << 20))
			min = 4 << 20;
		p->file_size[i] = bs * p->o->file_units > min ?
				  bs * p->o->file_units : min;
	}
	return 0;
}


int fa_probe_power_fail(struct fa_pf_opts *o, struct fa_g_result *r,
			struct fa_pf_report *rep, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = fa_pf_on_signal }, oint, oterm;
	struct fa_pf p = {
		.o = o, .r = r, .rep = rep, .err = err, .errlen = errlen,
	};
	unsigned int run;
	int ret;

	fa_g_init(r, FA_G_POWER_FAIL);
	memset(rep, 0, sizeof(*rep));
	err[0] = '\0';
	if (!o->runs || !o->nr_sizes || !o->nr_engines)
		return fa_pf_fail(&p, -EINVAL, "nothing to run");
	p.fstype = o->fs && !strcmp(o->fs, "ext4") ? "ext4" : "xfs";
	fa_strlcpy(rep->fstype, p.fstype, sizeof(rep->fstype));
	/* ext4's atomic unit does not grow with the log: 1 GiB is plenty */
	if (fa_pf_ext4(&p) && !o->image_given)
		o->image_size = 1ull << 30;
	snprintf(r->how, sizeof(r->how),
		 "stamped O_DIRECT O_DSYNC writes, 2 jobs per file, on an %s made on a loop image, shut down (no log flush) after 1-3 s, remounted, scanned with the acknowledged-write logs",
		 fa_pf_ext4(&p) ? "ext4" : "XFS");
	srandom((unsigned int)(time(NULL) ^ getpid()));
	fa_pf_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	ret = fa_pf_prepare(&p);
	for (run = 0; !ret && run < o->runs; run++) {
		ret = fa_pf_stop ? fa_pf_fail(&p, -EINTR, "interrupted") :
				   fa_pf_crash(&p, run);
	}
	fa_pf_cleanup(&p);
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	if (ret)
		return ret;
	fa_g_judge(r);
	{
		char line[FA_G_TEXT_LEN];

		fa_pf_verdict(r, &rep->atomic, &rep->control, rep->crashes,
			      line, sizeof(line));
		fa_strlcpy(r->reason, line, sizeof(r->reason));
	}
	return 0;
}
