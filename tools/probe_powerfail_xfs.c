// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic probe power-fail: the programs it runs (through
 * lib/fa_spawn.c) and the scratch filesystem it makes on a loop image and
 * removes on every path: an XFS with the target's geometry where xfs_info
 * can read it, or an ext4 (probe_powerfail_ext4.c gives mkfs.ext4's
 * arguments); the loop device and the mount are the same for both.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_mount.h"
#include "fa_powerfail.h"
#include "fa_spawn.h"
#include "fa_util.h"
#include "probe_powerfail_int.h"

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
int fa_pf_spawn(char *const argv[], const char *out, const char *err,
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
int fa_pf_run(char *const argv[], const char *out, const char *err)
{
	pid_t pid;
	int ret = fa_pf_spawn(argv, out, err, &pid);

	if (ret)
		return ret;
	return fa_spawn_wait(pid, NULL);
}

char *fa_pf_slurp(const char *path)
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

int fa_pf_fail(struct fa_pf *p, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

void fa_pf_path(const struct fa_pf *p, char *buf, size_t len,
		       const char *name)
{
	snprintf(buf, len, "%s/%s", p->scratch, name);
}

/* The first line of a program's stderr, for a message. */
void fa_pf_first_line(const char *path, char *buf, size_t len)
{
	char *s = fa_pf_slurp(path);

	snprintf(buf, len, "%.*s", (int)strcspn(s ? s : "", "\n"),
		 s ? s : "");
	free(s);
}

/* Run a helper program; a message naming it on failure. */
int fa_pf_helper(struct fa_pf *p, struct fa_argv *a,
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

int fa_pf_cmd(struct fa_pf *p, const char *out, ...)
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
 * directory), from the mount table.
 */
static int fa_pf_mountpoint(const char *dir, char *buf, size_t len)
{
	static struct fa_mount m;
	char cur[PATH_MAX];
	int ret;

	if (!realpath(dir, cur))
		return -errno;
	ret = fa_mount_find_path(FA_MOUNTINFO, cur, &m);
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	return fa_strlcpy(buf, m.target, len) >= len ? -ENAMETOOLONG : 0;
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

static void fa_pf_xfs_mkfs_args(struct fa_pf *p, struct fa_argv *a)
{
	fa_pf_geometry(p);
	fa_argv_add(a, "mkfs.xfs");
	fa_argv_add(a, "-q");
	fa_argv_add(a, "-f");
	if (p->rep->block_size)
		fa_argv_add(a, "-b");
	if (p->rep->block_size)
		fa_argv_add(a, "size=%u", p->rep->block_size);
	if (p->rep->sector_size)
		fa_argv_add(a, "-s");
	if (p->rep->sector_size)
		fa_argv_add(a, "size=%u", p->rep->sector_size);
	fa_argv_add(a, "%s", p->image);
}

int fa_pf_make_fs(struct fa_pf *p)
{
	struct fa_argv a = { .n = 0 };
	char out[PATH_MAX + 16];
	char *text;
	int fd, ret;

	if (!strcmp(p->fstype, "ext4"))
		fa_pf_ext4_mkfs_args(p, &a);
	else
		fa_pf_xfs_mkfs_args(p, &a);
	fd = open(p->image, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		fa_argv_free(&a);
		return fa_pf_fail(p, ret, "creating %s: %s", p->image,
				  strerror(-ret));
	}
	ret = ftruncate(fd, (off_t)p->o->image_size) ? -errno : 0;
	close(fd);
	if (ret) {
		fa_argv_free(&a);
		return fa_pf_fail(p, ret, "sizing %s to %" PRIu64 ": %s",
				  p->image, p->o->image_size,
				  strerror(-ret));
	}
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

/*
 * An ext4 is mounted without its lazy inode table zeroing: that thread
 * would write the whole table into the sparse image.
 */
int fa_pf_mount(struct fa_pf *p)
{
	int ret;

	if (!strcmp(p->fstype, "ext4"))
		ret = fa_pf_cmd(p, NULL, "mount", "-t", "ext4", "-o",
				"noinit_itable", p->loop, p->mnt, NULL);
	else
		ret = fa_pf_cmd(p, NULL, "mount", "-t", "xfs", p->loop,
				p->mnt, NULL);

	p->mounted = !ret;
	return ret;
}

/*
 * umount returns once the mount is detached; the superblock lives on
 * while anything still holds a file of it (an io_uring ring's files are
 * released after the process is gone). A mount of the same device
 * before it is gone would attach to the old, shut-down superblock
 * without log recovery: wait until XFS (or ext4) has let go of the
 * device (its /sys/fs/TYPE/DEV directory is gone).
 */
static int fa_pf_wait_released(struct fa_pf *p)
{
	const char *dev = strrchr(p->loop, '/');
	char sys[128];
	int i;

	if (!dev)
		return 0;
	snprintf(sys, sizeof(sys), "/sys/fs/%s/%s", p->fstype, dev + 1);
	for (i = 0; i < 200 && !access(sys, F_OK); i++)
		usleep(50000);
	if (!access(sys, F_OK))
		return fa_pf_fail(p, -EBUSY,
				  "%s is still held by %s 10 s after its unmount (%s exists)",
				  p->loop, p->fstype, sys);
	return 0;
}

int fa_pf_umount(struct fa_pf *p)
{
	int ret = fa_pf_cmd(p, NULL, "umount", p->mnt, NULL);

	if (!ret) {
		p->mounted = false;
		ret = fa_pf_wait_released(p);
	}
	return ret;
}

/* Unmount, detach, remove: every path out of the probe comes here. */
void fa_pf_cleanup(struct fa_pf *p)
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
int fa_pf_layout(struct fa_pf *p, const char *path, uint64_t size)
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
