// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic probe power-fail [DIR] [--image SIZE] [--runs N] [--size S,...]
 * [--engines E,...] [--json]: does an atomic write survive a crash whole,
 * and does an acknowledged durable one survive at all? On the host, with
 * an XFS the probe makes itself on a loop image:
 *
 *   1 a scratch directory in DIR; xfs_info DIR's block and sector size
 *     (when DIR is on XFS) given to mkfs.xfs on a sparse image there
 *   2 per run: one file per (engine, size) and one for the control, each
 *     laid out as one extent per filesystem block (even blocks written,
 *     then odd ones), so that a write spans many extents
 *   3 one fio: stamped (tear_check=1), logged (tear_ack_log) random
 *     writes, O_DIRECT and O_DSYNC (sync=dsync), 2 jobs per file, iodepth
 *     8 for atomic-uring; the control writes plain 1 MiB writes the same
 *     way
 *   4 after 1 to 3 s: the ack logs' lengths noted, then XFS_IOC_GOINGDOWN
 *     without log flush (what `xfs_io -x -c shutdown` does): the log's
 *     tail in memory is lost, as in a crash; fio's writes fail with EIO
 *   5 unmount, mount (log recovery), `fio-atomic tearscan FILE --acks
 *     LOGS --json` per file: torn units, and acknowledged writes lost
 *
 * The writes acknowledged before the shutdown began are judged; those
 * logged after it are counted apart (the shutdown aborts the in-memory
 * log under a write's fsync; a power cut cannot answer a write then).
 *
 * External programs (mkfs.xfs, xfs_info, losetup, mount, umount, fio,
 * fio-atomic tearscan) run through fa_pf_spawn() (lib/fa_spawn.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
#include "fa_spawn.h"
#include "fa_paths.h"
#include "fa_tool.h"
#include "fa_util.h"
#include "probe_powerfail.h"

#define CMD		"probe power-fail"
#define FA_PF_JOBS	2	/* jobs per file, each in its own half */
#define FA_PF_DEPTH	8	/* atomic-uring's iodepth */
#define FA_PF_CTL_SIZE	(1u << 20)

/* xfs_fs.h is in xfsprogs' -dev package; the ABI is fixed */
#ifndef XFS_IOC_GOINGDOWN
#define XFS_IOC_GOINGDOWN		_IOR('X', 125, uint32_t)
#endif
#define FA_XFS_GOING_NOLOGFLUSH		0x2

/* -------- running programs -------- */

/* a sanitised build's engines, in an uninstrumented fio */
static bool fa_pf_is_fio(const char *prog)
{
	return strstr(prog, "fio") && !strstr(prog, "fio-atomic");
}

/*
 * Start @argv (argv[0] a path, or a name looked up in PATH) with stdin
 * from /dev/null, stdout and stderr to files (NULL: /dev/null).
 */
static int fa_pf_spawn(char *const argv[], const char *out, const char *err,
		       pid_t *pid)
{
	const struct fa_spawn s = {
		.in = "/dev/null",
		.out = out ? out : "/dev/null",
		.err = err ? err : "/dev/null",
		.flags = FA_SPAWN_PATH | FA_SPAWN_DEFAULT_SIGNALS |
			 (fa_pf_is_fio(argv[0]) ? FA_SPAWN_PRELOAD : 0),
	};

	return fa_spawn_start(&s, argv, pid);
}

/* Run to the end: exit status, or -errno when it could not start. */
static int fa_pf_run(char *const argv[], const char *out, const char *err)
{
	pid_t pid;
	int ret = fa_pf_spawn(argv, out, err, &pid);

	if (ret)
		return ret;
	return fa_spawn_wait(pid, NULL);
}

static char *fa_pf_slurp(const char *path)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *fp = fopen(path, "re");

	if (!fp)
		return strdup("");
	if (getdelim(&buf, &cap, '\0', fp) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(fp);
	return buf;
}

/* -------- the probe's state -------- */

struct fa_pf {
	struct fa_pf_opts *o;
	struct fa_g_result *r;
	struct fa_pf_report *rep;
	char *err;
	size_t errlen;
	char scratch[PATH_MAX];
	char image[PATH_MAX + 16];
	char mnt[PATH_MAX + 16];
	char acks[PATH_MAX + 16];
	char loop[64];
	bool mounted;
	uint64_t file_size[FA_PF_MAX_SIZES * FA_PF_MAX_ENGINES + 1];
	int nr_files;		/* the points, then the control */
};

static volatile sig_atomic_t fa_pf_stop;

static void fa_pf_on_signal(int sig)
{
	fa_pf_stop = sig;
}

static int fa_pf_fail(struct fa_pf *p, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fa_pf_fail(struct fa_pf *p, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

static void fa_pf_path(const struct fa_pf *p, char *buf, size_t len,
		       const char *name)
{
	snprintf(buf, len, "%s/%s", p->scratch, name);
}

/* The first line of a program's stderr, for a message. */
static void fa_pf_first_line(const char *path, char *buf, size_t len)
{
	char *s = fa_pf_slurp(path);

	snprintf(buf, len, "%.*s", (int)strcspn(s ? s : "", "\n"),
		 s ? s : "");
	free(s);
}

/* Run a helper program; a message naming it on failure. */
static int fa_pf_helper(struct fa_pf *p, struct fa_argv *a,
			const char *out)
{
	char err[PATH_MAX + 16], line[200];
	int st;

	fa_pf_path(p, err, sizeof(err), "helper.err");
	st = fa_pf_run(a->v, out, err);
	if (st == 0)
		return 0;
	fa_pf_first_line(err, line, sizeof(line));
	fa_pf_fail(p, -EIO, "%s %s failed (exit %d): %s", a->v[0],
		   a->n > 1 ? a->v[1] : "", st, line[0] ? line : "no message");
	return -EIO;
}

static int fa_pf_cmd(struct fa_pf *p, const char *out, ...)
{
	struct fa_argv a = { .n = 0 };
	const char *s;
	va_list ap;
	int ret;

	va_start(ap, out);
	while ((s = va_arg(ap, const char *)))
		fa_argv_add(&a, "%s", s);
	va_end(ap);
	ret = fa_pf_helper(p, &a, out);
	fa_argv_free(&a);
	return ret;
}

/* -------- the scratch XFS -------- */

/*
 * The mount point holding @dir (xfs_info takes a mount point, not any
 * directory): the last directory up the tree on @dir's device.
 */
static int fa_pf_mountpoint(const char *dir, char *buf, size_t len)
{
	char cur[PATH_MAX], up[PATH_MAX + 4];
	struct stat st, pst;

	if (!realpath(dir, cur) || stat(cur, &st))
		return -errno;
	while (strcmp(cur, "/")) {
		snprintf(up, sizeof(up), "%s/..", cur);
		if (stat(up, &pst))
			return -errno;
		if (pst.st_dev != st.st_dev)
			break;
		*strrchr(cur, '/') = '\0';
		if (!cur[0])
			strcpy(cur, "/");
	}
	return fa_strlcpy(buf, cur, len) >= len ? -ENAMETOOLONG : 0;
}

static void fa_pf_geometry(struct fa_pf *p)
{
	struct fa_pf_xfs_geometry g;
	char out[PATH_MAX + 16], mnt[PATH_MAX];
	char *text;

	fa_strlcpy(p->rep->geometry, "mkfs.xfs defaults",
		   sizeof(p->rep->geometry));
	if (!p->o->dir)
		return;
	fa_pf_path(p, out, sizeof(out), "xfs_info.out");
	if (fa_pf_mountpoint(p->o->dir, mnt, sizeof(mnt)) ||
	    fa_pf_cmd(p, out, "xfs_info", mnt, NULL)) {
		snprintf(p->rep->geometry, sizeof(p->rep->geometry),
			 "mkfs.xfs defaults: xfs_info cannot read %s",
			 p->o->dir);
		p->err[0] = '\0';
		return;
	}
	text = fa_pf_slurp(out);
	if (text && !fa_pf_parse_xfs_info(text, &g)) {
		p->rep->block_size = g.block_size;
		p->rep->sector_size = g.sector_size;
		snprintf(p->rep->geometry, sizeof(p->rep->geometry),
			 "block size %u, sector size %u, from xfs_info %.400s",
			 g.block_size, g.sector_size, mnt);
	}
	free(text);
}

static int fa_pf_make_xfs(struct fa_pf *p)
{
	struct fa_argv a = { .n = 0 };
	char out[PATH_MAX + 16];
	char *text;
	int fd, ret;

	fa_pf_geometry(p);
	fd = open(p->image, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fa_pf_fail(p, -errno, "creating %s: %s", p->image,
				  strerror(errno));
	ret = ftruncate(fd, (off_t)p->o->image_size) ? -errno : 0;
	close(fd);
	if (ret)
		return fa_pf_fail(p, ret, "sizing %s to %" PRIu64 ": %s",
				  p->image, p->o->image_size,
				  strerror(-ret));
	fa_argv_add(&a, "mkfs.xfs");
	fa_argv_add(&a, "-q");
	fa_argv_add(&a, "-f");
	if (p->rep->block_size)
		fa_argv_add(&a, "-b");
	if (p->rep->block_size)
		fa_argv_add(&a, "size=%u", p->rep->block_size);
	if (p->rep->sector_size)
		fa_argv_add(&a, "-s");
	if (p->rep->sector_size)
		fa_argv_add(&a, "size=%u", p->rep->sector_size);
	fa_argv_add(&a, "%s", p->image);
	ret = fa_pf_helper(p, &a, NULL);
	fa_argv_free(&a);
	if (ret)
		return ret;
	fa_pf_path(p, out, sizeof(out), "losetup.out");
	ret = fa_pf_cmd(p, out, "losetup", "--find", "--show", p->image,
			NULL);
	if (ret)
		return ret;
	text = fa_pf_slurp(out);
	fa_strlcpy(p->loop, text ? text : "", sizeof(p->loop));
	free(text);
	p->loop[strcspn(p->loop, "\n")] = '\0';
	if (strncmp(p->loop, "/dev/loop", 9))
		return fa_pf_fail(p, -ENODEV, "losetup gave no loop device for %s",
				  p->image);
	if (mkdir(p->mnt, 0700))
		return fa_pf_fail(p, -errno, "mkdir %s: %s", p->mnt,
				  strerror(errno));
	return 0;
}

static int fa_pf_mount(struct fa_pf *p)
{
	int ret = fa_pf_cmd(p, NULL, "mount", "-t", "xfs", p->loop, p->mnt,
			    NULL);

	p->mounted = !ret;
	return ret;
}

static int fa_pf_umount(struct fa_pf *p)
{
	int ret = fa_pf_cmd(p, NULL, "umount", p->mnt, NULL);

	if (!ret)
		p->mounted = false;
	return ret;
}

/* Unmount, detach, remove: every path out of the probe comes here. */
static void fa_pf_cleanup(struct fa_pf *p)
{
	char *keep = p->err[0] ? strdup(p->err) : NULL;

	if (p->mounted && fa_pf_umount(p)) {
		/* something still holds it: once more, lazily */
		fa_pf_cmd(p, NULL, "umount", "-l", p->mnt, NULL);
		p->mounted = false;
	}
	if (p->loop[0])
		fa_pf_cmd(p, NULL, "losetup", "-d", p->loop, NULL);
	if (p->scratch[0])
		fa_pf_cmd(p, NULL, "rm", "-rf", "--one-file-system",
			  p->scratch, NULL);
	if (keep) {
		fa_strlcpy(p->err, keep, p->errlen);
		free(keep);
	} else {
		p->err[0] = '\0';
	}
}

/*
 * One extent per filesystem block: the even blocks first, then the odd
 * ones, so that no two neighbours in the file are neighbours on disk and
 * a plain write of a unit is issued as one mapping per block.
 */
static int fa_pf_layout(struct fa_pf *p, const char *path, uint64_t size)
{
	uint32_t bs = p->rep->block_size ? p->rep->block_size : 4096;
	uint64_t off;
	void *buf;
	int fd, pass, ret = 0;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return fa_pf_fail(p, -errno, "creating %s: %s", path,
				  strerror(errno));
	if (posix_memalign(&buf, 4096, bs)) {
		close(fd);
		return fa_pf_fail(p, -ENOMEM, "out of memory");
	}
	memset(buf, 0xa5, bs);
	for (pass = 0; pass < 2 && !ret; pass++) {
		for (off = pass * bs; off < size && !ret; off += 2 * bs)
			if (pwrite(fd, buf, bs, (off_t)off) != (ssize_t)bs)
				ret = -(errno ? errno : EIO);
		if (!ret && fsync(fd))
			ret = -errno;
	}
	free(buf);
	close(fd);
	if (ret)
		return fa_pf_fail(p, ret, "laying out %s: %s", path,
				  strerror(-ret));
	return 0;
}

/* -------- one crash -------- */

static void fa_pf_size_str(uint64_t v, char *buf, size_t len)
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

static uint64_t fa_pf_bs(const struct fa_pf *p, int i)
{
	if (i == p->nr_files - 1)
		return FA_PF_CTL_SIZE;
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
	int j, st, ret;

	snprintf(prefix, sizeof(prefix), "r%u.f%d.", run, i);
	fa_argv_add(&a, "%s", p->o->self);
	fa_argv_add(&a, "tearscan");
	fa_argv_add(&a, "%s/f%d", p->mnt, i);
	fa_argv_add(&a, "--json");
	fa_argv_add(&a, "--acks");
	for (j = 0; j < nr; j++)
		if (!strncmp(logs[j].name, prefix, strlen(prefix)))
			fa_argv_add(&a, "%s/%s%s", p->acks, logs[j].name,
				  cut ? ".cut" : "");
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
		uint32_t flag = FA_XFS_GOING_NOLOGFLUSH;

		ret = ioctl(fd, XFS_IOC_GOINGDOWN, &flag) ? -errno : 0;
		if (ret)
			fa_pf_fail(p, ret, "XFS_IOC_GOINGDOWN on %s: %s",
				   p->mnt, strerror(-ret));
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
	fa_pf_path(p, p->image, sizeof(p->image), "xfs.img");
	fa_pf_path(p, p->mnt, sizeof(p->mnt), "mnt");
	fa_pf_path(p, p->acks, sizeof(p->acks), "acks");
	if (mkdir(p->acks, 0700))
		return fa_pf_fail(p, -errno, "mkdir %s: %s", p->acks,
				  strerror(errno));
	ret = fa_pf_make_xfs(p);
	if (!ret)
		ret = fa_pf_mount(p);
	return ret;
}

int fa_probe_power_fail(struct fa_pf_opts *o, struct fa_g_result *r,
			struct fa_pf_report *rep, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = fa_pf_on_signal }, oint, oterm;
	struct fa_pf p = {
		.o = o, .r = r, .rep = rep, .err = err, .errlen = errlen,
	};
	unsigned int run;
	int i, ret;

	fa_g_init(r, FA_G_POWER_FAIL);
	memset(rep, 0, sizeof(*rep));
	err[0] = '\0';
	if (!o->runs || !o->nr_sizes || !o->nr_engines)
		return fa_pf_fail(&p, -EINVAL, "nothing to run");
	p.nr_files = o->nr_sizes * o->nr_engines + 1;
	for (i = 0; i < p.nr_files; i++) {
		uint64_t bs = fa_pf_bs(&p, i);

		/* 32 units, at least 32 MiB: many first writes per run */
		p.file_size[i] = bs * 32 > (32 << 20) ? bs * 32 : 32 << 20;
	}
	snprintf(r->how, sizeof(r->how),
		 "stamped O_DIRECT O_DSYNC writes, 2 jobs per file, on an XFS made on a loop image, shut down (no log flush) after 1-3 s, remounted, scanned with the acknowledged-write logs");
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

/* -------- the command -------- */

#define FA_PF_SYNOPSIS							\
	"usage: fio-atomic probe power-fail [DIR] [--image SIZE] [--runs N]\n" \
	"                                   [--size S[,S...]] [--engines E[,E...]]\n" \
	"                                   [--fio PATH] [--json]\n"

void fa_cmd_probe_power_fail_usage(FILE *fp)
{
	fprintf(fp,
		FA_PF_SYNOPSIS
		"\n"
		"Is an atomic write all old or all new after a crash, and is an\n"
		"acknowledged durable write still there? Makes its own XFS on a\n"
		"sparse loop image in a scratch directory in DIR (default\n"
		"$TMPDIR or /tmp), with DIR's block and sector size when DIR is\n"
		"on XFS; then, --runs times: stamped O_DIRECT O_DSYNC writes\n"
		"(fio, tear_check=1, tear_ack_log) through each engine at each\n"
		"size, and plain 1 MiB writes as the positive control, all on\n"
		"files of one extent per block; after 1 to 3 s the filesystem is\n"
		"shut down without flushing its log (XFS_IOC_GOINGDOWN, as\n"
		"xfs_io -x -c shutdown), unmounted, mounted (log recovery) and\n"
		"every file scanned with fio-atomic tearscan --acks. Needs root.\n"
		"Removes everything it made, on every exit.\n"
		"\n"
		"options:\n"
		"  --image SIZE     sparse image size (default 8g: XFS's atomic\n"
		"                   unit_max is 2 MiB on it)\n"
		"  --runs N         crashes (default 6, about 55 s here)\n"
		"  --size S,...     atomic write sizes (default 64k,1m; at most %d)\n"
		"  --engines E,...  atomic-pvsync2, atomic-uring (default both)\n"
		"  --fio PATH       fio (default $FIO, else the fio installed with the\n"
		"                   engines, else build/fio/fio)\n"
		"  --json           one JSON object instead of the report\n"
		"  -h, --help       this help\n"
		"\n"
		"exit status: 0 power_fail provided (no torn unit, no lost\n"
		"acknowledged write, the control tore), 8 not provided, 1 could\n"
		"not measure (or the control saw nothing), 2 usage error.\n",
		FA_PF_MAX_SIZES);
}

#define fa_pf_usage(...) fa_tool_usage_error(CMD, FA_PF_SYNOPSIS, __VA_ARGS__)

static int fa_pf_sizes_arg(struct fa_pf_opts *o, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int ret = FA_EXIT_OK;
	uint64_t v;

	if (!copy)
		return FA_EXIT_ERROR;
	o->nr_sizes = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->nr_sizes >= FA_PF_MAX_SIZES)
			ret = fa_pf_usage("--size %s: at most %d sizes", arg,
					  FA_PF_MAX_SIZES);
		else if (fa_tool_parse_size(tok, &v) || v < 512 ||
			 v > (16 << 20) || (v & (v - 1)))
			ret = fa_pf_usage("--size %s is not a power of two from 512 to 16m",
					  tok);
		else
			o->sizes[o->nr_sizes++] = v;
	}
	if (!ret && !o->nr_sizes)
		ret = fa_pf_usage("--size needs at least one size");
	free(copy);
	return ret;
}

static int fa_pf_engines_arg(struct fa_pf_opts *o, const char *arg)
{
	static const char *const known[] = { "atomic-pvsync2",
					     "atomic-uring" };
	char *copy = strdup(arg), *tok, *save = NULL;
	int ret = FA_EXIT_OK;
	size_t k;

	if (!copy)
		return FA_EXIT_ERROR;
	o->nr_engines = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < FA_ARRAY_SIZE(known); k++)
			if (!strcmp(tok, known[k]))
				break;
		if (k == FA_ARRAY_SIZE(known))
			ret = fa_pf_usage("--engines: '%s' is not atomic-pvsync2 or atomic-uring",
					  tok);
		else if (o->nr_engines >= FA_PF_MAX_ENGINES)
			ret = fa_pf_usage("--engines %s: at most %d", arg,
					  FA_PF_MAX_ENGINES);
		else
			o->engines[o->nr_engines++] = known[k];
	}
	if (!ret && !o->nr_engines)
		ret = fa_pf_usage("--engines needs at least one engine");
	free(copy);
	return ret;
}

static void fa_pf_print_text(const struct fa_pf_opts *o,
			     const struct fa_g_result *r,
			     const struct fa_pf_report *rep)
{
	char rate[160], sz[32];
	int i, j;

	printf("power_fail probe: XFS on a %" PRIu64 "-byte loop image (%s), %u crash%s\n",
	       o->image_size, rep->geometry, rep->crashes,
	       rep->crashes == 1 ? "" : "es");
	for (i = 0; i < r->nr_points; i++) {
		const struct fa_g_point *pt = &r->points[i];
		uint64_t torn = 0, lost = 0, acked = 0;

		for (j = 0; j < pt->nr_outcomes; j++) {
			if (!strcmp(pt->outcome_name[j], "torn"))
				torn = pt->outcome[j];
			else if (!strcmp(pt->outcome_name[j], "lost"))
				lost = pt->outcome[j];
			else if (!strcmp(pt->outcome_name[j], "acked"))
				acked = pt->outcome[j];
		}
		fa_pf_size_str(pt->size, sz, sizeof(sz));
		fa_g_percent(pt->failures, pt->trials, rate, sizeof(rate));
		printf("  %-15s %5s: %" PRIu64 " torn, %" PRIu64 " of %" PRIu64 " acknowledged writes lost; failures %s\n",
		       pt->engine, sz, torn, lost, acked, rate);
	}
	fa_g_percent(r->control_failures, r->control_trials, rate,
		     sizeof(rate));
	printf("  control (plain 1m writes, atomic-uring): torn %s; %" PRIu64 " of %" PRIu64 " acknowledged writes lost\n",
	       rate, rep->control.lost, rep->control.acked);
	printf("  not judged: %" PRIu64 " atomic writes acknowledged after the shutdown began (%" PRIu64 " of them not found)\n",
	       rep->during_acked, rep->during_lost);
	for (i = 0; i < r->nr_examples; i++)
		printf("  example: offset %" PRIu64 ": %s\n",
		       r->examples[i].offset, r->examples[i].what);
	printf("%s\n", r->reason);
}

static int fa_pf_print_json(const struct fa_pf_opts *o,
			    const struct fa_g_result *r,
			    const struct fa_pf_report *rep)
{
	struct json_object *root = json_object_new_object(), *fs, *st, *s;
	int ret = 0;

	if (!root)
		return -ENOMEM;
	ret |= fa_json_add(root, "format",
			   json_object_new_string("fio-atomic-probe"));
	ret |= fa_json_add(root, "version", json_object_new_int(1));
	ret |= fa_json_add(root, "probe", json_object_new_string("power-fail"));
	fs = json_object_new_object();
	if (fs) {
		ret |= fa_json_add(fs, "type", json_object_new_string("xfs"));
		ret |= fa_json_add(fs, "image_size",
				   json_object_new_uint64(o->image_size));
		ret |= fa_json_add(fs, "block_size",
				   json_object_new_uint64(rep->block_size));
		ret |= fa_json_add(fs, "sector_size",
				   json_object_new_uint64(rep->sector_size));
		ret |= fa_json_add(fs, "geometry",
				   json_object_new_string(rep->geometry));
	}
	ret |= fa_json_add(root, "filesystem", fs);
	ret |= fa_json_add(root, "runs", json_object_new_uint64(o->runs));
	ret |= fa_json_add(root, "crashes",
			   json_object_new_uint64(rep->crashes));
	ret |= fa_json_add(root, "durability",
			   json_object_new_string("O_DSYNC"));
	st = json_object_new_object();
	if (st) {
		const struct fa_pf_counts *c[] = { &rep->atomic,
						   &rep->control };
		const char *name[] = { "atomic", "control" };
		int i;

		for (i = 0; i < 2; i++) {
			s = json_object_new_object();
			if (s) {
				ret |= fa_json_add(s, "units", json_object_new_uint64(c[i]->units));
				ret |= fa_json_add(s, "torn", json_object_new_uint64(c[i]->torn));
				ret |= fa_json_add(s, "acked", json_object_new_uint64(c[i]->acked));
				ret |= fa_json_add(s, "lost", json_object_new_uint64(c[i]->lost));
			}
			ret |= fa_json_add(st, name[i], s);
		}
		ret |= fa_json_add(st, "acked_during_shutdown",
				   json_object_new_uint64(rep->during_acked));
		ret |= fa_json_add(st, "lost_during_shutdown",
				   json_object_new_uint64(rep->during_lost));
	}
	ret |= fa_json_add(root, "counts", st);
	ret |= fa_json_add(root, "result", fa_g_json(r));
	if (!ret)
		printf("%s\n", json_object_to_json_string_ext(root,
			       JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return ret ? -ENOMEM : 0;
}

int fa_cmd_probe_power_fail(int argc, char **argv)
{
	enum { OPT_IMAGE = 256, OPT_RUNS, OPT_SIZE, OPT_ENGINES, OPT_FIO,
	       OPT_JSON };
	static const struct option opts[] = {
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "engines", required_argument, NULL, OPT_ENGINES },
		{ "fio", required_argument, NULL, OPT_FIO },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fa_g_result r;
	static struct fa_pf_opts o;
	struct fa_pf_report rep;
	unsigned long runs;
	char err[512];
	bool json = false;
	struct stat st;
	int opt, ret, i;

	fa_pf_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_IMAGE:
			ret = fa_tool_parse_size(optarg, &o.image_size);
			if (ret || o.image_size < (512ull << 20))
				return fa_pf_usage("--image %s is not a size of at least 512m",
						   optarg);
			break;
		case OPT_RUNS:
			if (fa_tool_parse_count(optarg, 1, 1000, &runs))
				return fa_pf_usage("--runs %s is not a number from 1 to 1000",
						   optarg);
			o.runs = (unsigned int)runs;
			break;
		case OPT_SIZE:
			ret = fa_pf_sizes_arg(&o, optarg);
			if (ret)
				return ret;
			break;
		case OPT_ENGINES:
			ret = fa_pf_engines_arg(&o, optarg);
			if (ret)
				return ret;
			break;
		case OPT_FIO:
			fa_strlcpy(o.fio, optarg, sizeof(o.fio));
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fa_cmd_probe_power_fail_usage(stdout);
			return FA_EXIT_OK;
		case ':':
			return fa_pf_usage("option '%s' needs a value",
					   argv[optind - 1]);
		default:
			return fa_pf_usage("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return fa_pf_usage("one DIR only, got '%s' too",
				   argv[optind + 1]);
	if (optind < argc) {
		o.dir = argv[optind];
		if (stat(o.dir, &st))
			return fa_pf_usage("DIR %s: %s", o.dir,
					   strerror(errno));
		if (!S_ISDIR(st.st_mode))
			return fa_pf_usage("DIR %s is not a directory", o.dir);
	}
	/* measured (LAB.md): unit_max 1 MiB on 1 GiB, 2 MiB on 8 GiB; the
	 * engines refuse anything larger before the first write */
	for (i = 0; i < o.nr_sizes; i++)
		if (o.sizes[i] > (1 << 20) && o.image_size < (8ull << 30))
			return fa_pf_usage("--size %" PRIu64 " needs --image 8g or more (XFS's atomic unit_max grows with the log: 1m on 1g, 2m on 8g)",
					   o.sizes[i]);
	if (!json)
		o.progress = stdout;
	ret = fa_probe_power_fail(&o, &r, &rep, err, sizeof(err));
	if (ret) {
		fa_tool_error(CMD, "could not measure: %s", err);
		return FA_EXIT_ERROR;
	}
	if (json ? fa_pf_print_json(&o, &r, &rep) :
		   (fa_pf_print_text(&o, &r, &rep), 0))
		return FA_EXIT_ERROR;
	if (r.status == FA_G_PROVIDED)
		return FA_EXIT_OK;
	if (r.status == FA_G_NOT_PROVIDED)
		return FA_EXIT_NOT_QUALIFIED;
	return FA_EXIT_ERROR;
}
