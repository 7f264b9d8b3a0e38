// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: the target: the guard, the scratch file, its kind and the engines that apply.
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
#include "fa_mount.h"
#include "fa_nvme.h"
#include "fa_qualify.h"
#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

const char *const fa_q_kind_names[] = {
	[FA_Q_FILE]	= "file",
	[FA_Q_BLOCK]	= "block",
	[FA_Q_SCSI]	= "scsi",
	[FA_Q_NVME]	= "nvme",
};

/* -------- the target -------- */

/*
 * Refuse before anything is written: an existing file, or a block device
 * that is mounted, held, partitioned or carries a signature.
 */
static int fa_q_guard(struct fa_q_ctx *q, const struct stat *st)
{
	char why[1024], where[PATH_MAX];
	int ret;

	if (q->o->destroy)
		return 0;
	if (S_ISREG(st->st_mode)) {
		fa_tool_error(CMD, "refusing to write to %s: it is an existing file; qualify overwrites it (pass --destroy-data to allow that, or give a directory or a new file name)",
			      q->o->target);
		return -EBUSY;
	}
	ret = fa_guard_mounted_in(FA_MOUNTINFO, major(st->st_rdev),
				  minor(st->st_rdev), where, sizeof(where));
	if (ret > 0) {
		fa_tool_error(CMD, "refusing to write to %s: it is mounted at %s (unmount it, or pass --destroy-data to overwrite it anyway)",
			      q->o->target, where);
		return -EBUSY;
	}
	ret = fa_guard_device(q->o->target, why, sizeof(why));
	if (ret == -EBUSY) {
		fa_tool_error(CMD, "refusing to write to %s: %s (pass --destroy-data to overwrite it anyway)",
			      q->o->target, why);
		return -EBUSY;
	}
	if (ret) {
		fa_tool_path_error(CMD, q->o->target, ret);
		return ret;
	}
	return 0;
}

static int fa_q_make_scratch(struct fa_q_ctx *q, bool in_dir)
{
	char abs[PATH_MAX - 64], dir[PATH_MAX - 64], *slash;
	struct statvfs sv;
	int fd, ret;

	/* fio runs in its own working directory: every path it gets is absolute */
	ret = fa_abspath(q->o->target, abs, sizeof(abs));
	if (ret)
		return ret;
	if (in_dir)
		snprintf(q->path, sizeof(q->path),
			 "%s/fio-atomic-qualify.%d", abs, getpid());
	else
		fa_strlcpy(q->path, abs, sizeof(q->path));
	/*
	 * XFS's software atomic writes are out of place: a file that fills
	 * the filesystem turns every write into ENOSPC. A quarter of the
	 * free space leaves room for them.
	 */
	fa_strlcpy(dir, abs, sizeof(dir));
	slash = strrchr(dir, '/');
	if (!in_dir && slash)
		*slash = '\0';
	if (!statvfs(dir[0] ? dir : "/", &sv)) {
		uint64_t free_bytes = (uint64_t)sv.f_bavail * sv.f_frsize;

		/* a size the filesystem cannot hold is the user's mistake */
		if (q->o->size_given && q->o->size > free_bytes) {
			fa_tool_error(CMD, "--size %" PRIu64 " is more than the %" PRIu64 " bytes free on %s",
				      q->o->size, free_bytes,
				      dir[0] ? dir : "/");
			return -EFBIG;
		}
		if (!q->o->size_given && q->o->size > free_bytes / 4) {
			q->o->size = (free_bytes / 4) & ~((1ULL << 20) - 1);
			if (q->o->size < (1ULL << 20))
				return -ENOSPC;
			printf("scratch file of %" PRIu64 " MiB: a quarter of the free space\n",
			       q->o->size >> 20);
		}
	}
	fd = open(q->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ret = posix_fallocate(fd, 0, (off_t)q->o->size);
	close(fd);
	if (ret) {
		unlink(q->path);
		return -ret;
	}
	q->remove_path = true;
	q->region = q->o->size;
	return 0;
}

/*
 * What TARGET is: a directory (a scratch file is made in it), a new file,
 * an existing file (with --destroy-data) or a block device.
 */
int fa_q_setup_target(struct fa_q_ctx *q)
{
	const char *t = q->o->target;
	struct stat st;
	int ret, fd;

	if (stat(t, &st) < 0) {
		if (errno != ENOENT) {
			fa_tool_path_error(CMD, t, -errno);
			return FA_EXIT_ERROR;
		}
		ret = fa_q_make_scratch(q, false);
		if (ret == -EFBIG)
			return FA_EXIT_USAGE;
		if (ret) {
			fa_tool_path_error(CMD, t, ret);
			return FA_EXIT_ERROR;
		}
		q->kind = FA_Q_FILE;
		return 0;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) &&
	    !S_ISBLK(st.st_mode)) {
		fa_tool_error(CMD, "%s is neither a directory, a regular file nor a block device (for NVMe and SCSI give the block device: its generic node is found from it)",
			      t);
		return FA_EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode) && fa_q_guard(q, &st))
		return FA_EXIT_REFUSED;
	if (S_ISDIR(st.st_mode)) {
		ret = fa_q_make_scratch(q, true);
		if (ret == -EFBIG)
			return FA_EXIT_USAGE;
		if (ret) {
			fa_tool_path_error(CMD, q->path, ret);
			return FA_EXIT_ERROR;
		}
		q->kind = FA_Q_FILE;
		return 0;
	}
	ret = fa_abspath(t, q->path, sizeof(q->path));
	if (ret) {
		fa_tool_path_error(CMD, t, ret);
		return FA_EXIT_ERROR;
	}
	q->kind = S_ISREG(st.st_mode) ? FA_Q_FILE : FA_Q_BLOCK;
	q->region = q->o->size;
	if (S_ISREG(st.st_mode))
		return 0;
	fd = open(t, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		uint64_t bytes = 0;

		if (!ioctl(fd, BLKGETSIZE64, &bytes) && bytes &&
		    bytes < q->region)
			q->region = bytes;
		close(fd);
	}
	return 0;
}

/* The SCSI or NVMe generic node of a whole disk, once its limits are read. */
void fa_q_classify(struct fa_q_ctx *q)
{
	const struct fa_limits *lim = &q->lim;
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (q->kind != FA_Q_BLOCK || lim->partition || !lim->disk[0])
		return;
	if (!strncmp(lim->disk, "nvme", 4)) {
		char block[64], generic[48];

		/*
		 * libnvme's scan knows each namespace's generic node; the
		 * kernel's naming (ngXnY for nvmeXnY) where it finds none.
		 */
		if (fa_nvme_ns_names(lim->disk, block, sizeof(block), generic,
				     sizeof(generic)))
			snprintf(generic, sizeof(generic), "ng%.40s",
				 lim->disk + 4);
		snprintf(q->ng, sizeof(q->ng), "/dev/%s", generic);
		if (access(q->ng, F_OK) == 0)
			q->kind = FA_Q_NVME;
		else
			q->ng[0] = '\0';
		return;
	}
	snprintf(dir, sizeof(dir), "/sys/block/%s/device/scsi_generic",
		 lim->disk);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(q->sg, sizeof(q->sg), "/dev/%.58s", de->d_name);
		q->kind = FA_Q_SCSI;
		break;
	}
	closedir(d);
}

static void fa_q_add_engine(struct fa_q_ctx *q, const char *engine,
			    const char *mode, const char *mode_opt,
			    const char *filename, unsigned int iodepth,
			    bool direct)
{
	struct fa_q_engine *e = &q->engines[q->nr_engines++];

	e->engine = engine;
	e->mode = mode;
	e->mode_opt = mode_opt;
	e->filename = filename;
	e->iodepth = iodepth;
	e->direct = direct;
}

void fa_q_plan_engines(struct fa_q_ctx *q)
{
	fa_q_add_engine(q, "atomic-pvsync2", "pwritev2", NULL, q->path, 1,
			true);
	fa_q_add_engine(q, "atomic-uring", "io_uring", NULL, q->path, 16,
			true);
	if (q->kind == FA_Q_SCSI)
		fa_q_add_engine(q, "atomic-sg", "sg_sync", "--sg_mode=sync",
				q->sg, 1, false);
	if (q->kind == FA_Q_NVME) {
		fa_q_add_engine(q, "atomic-nvme", "ioctl", "--nvme_mode=ioctl",
				q->ng, 1, false);
		fa_q_add_engine(q, "atomic-nvme", "uring_cmd",
				"--nvme_mode=uring_cmd", q->ng, 16, false);
	}
}
