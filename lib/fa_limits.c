// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: discover the atomic write limits of a path from statx and sysfs.
 *
 * statx is called through syscall(2) with the kernel's own structure layout
 * so that the atomic fields are read even when the C library's headers
 * predate them (Debian 12 ships 6.1 headers).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fa_device.h"
#include "fa_limits.h"
#include "fa_stack.h"
#include "fa_util.h"

#ifndef SYS_statx
#define SYS_statx 332
#endif

#define FA_STATX_BASIC_STATS	0x000007ffU
#define FA_STATX_DIOALIGN	0x00002000U
#define FA_STATX_WRITE_ATOMIC	0x00010000U
#define FA_STATX_ATTR_WRITE_ATOMIC 0x00400000ULL

struct fa_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

/* The kernel's struct statx as of 6.16 (include/uapi/linux/stat.h). */
struct fa_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct fa_statx_timestamp stx_atime;
	struct fa_statx_timestamp stx_btime;
	struct fa_statx_timestamp stx_ctime;
	struct fa_statx_timestamp stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align;
	uint32_t stx_dio_offset_align;
	uint64_t stx_subvol;
	uint32_t stx_atomic_write_unit_min;
	uint32_t stx_atomic_write_unit_max;
	uint32_t stx_atomic_write_segments_max;
	uint32_t stx_dio_read_offset_align;
	uint32_t stx_atomic_write_unit_max_opt;
	uint32_t spare2;
	uint64_t spare3[8];
};

_Static_assert(sizeof(struct fa_statx) == 256, "struct statx is 256 bytes");
_Static_assert(offsetof(struct fa_statx, stx_atomic_write_unit_min) == 0xa8,
	       "stx_atomic_write_unit_min at 0xa8");
_Static_assert(offsetof(struct fa_statx, stx_atomic_write_unit_max_opt) == 0xb8,
	       "stx_atomic_write_unit_max_opt at 0xb8");

void fa_value_set(struct fa_value *v, uint64_t value, enum fa_source src,
		  const char *origin)
{
	v->value = value;
	v->known = true;
	v->source = src;
	fa_strlcpy(v->origin, origin, sizeof(v->origin));
}

static void fa_set(struct fa_value *v, uint64_t value, enum fa_source src,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fa_set(struct fa_value *v, uint64_t value, enum fa_source src,
		   const char *fmt, ...)
{
	va_list ap;

	v->value = value;
	v->known = true;
	v->source = src;
	va_start(ap, fmt);
	vsnprintf(v->origin, sizeof(v->origin), fmt, ap);
	va_end(ap);
}

static int fa_read_statx(const char *path, struct fa_limits *lim,
			 struct stat *st)
{
	struct fa_statx stx;
	long ret;

	memset(&stx, 0, sizeof(stx));
	ret = syscall(SYS_statx, AT_FDCWD, path, 0,
		      FA_STATX_BASIC_STATS | FA_STATX_DIOALIGN |
		      FA_STATX_WRITE_ATOMIC, &stx);
	if (ret < 0) {
		if (errno != ENOSYS)
			return -errno;
		/* Pre-4.11 kernel: nothing atomic, but stat still works. */
		if (stat(path, st) < 0)
			return -errno;
		return 0;
	}

	memset(st, 0, sizeof(*st));
	st->st_mode = stx.stx_mode;
	st->st_rdev = makedev(stx.stx_rdev_major, stx.stx_rdev_minor);
	st->st_dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	st->st_size = (off_t)stx.stx_size;

	if (stx.stx_mask & FA_STATX_DIOALIGN) {
		lim->statx_dioalign = true;
		fa_set(&lim->stx_dio_mem_align, stx.stx_dio_mem_align,
		       FA_SRC_STATX, "statx on %s", path);
		fa_set(&lim->stx_dio_offset_align, stx.stx_dio_offset_align,
		       FA_SRC_STATX, "statx on %s", path);
	}
	if (stx.stx_attributes & FA_STATX_ATTR_WRITE_ATOMIC)
		lim->statx_attr_atomic = true;
	if (stx.stx_mask & FA_STATX_WRITE_ATOMIC) {
		lim->statx_atomic = true;
		fa_set(&lim->stx_unit_min, stx.stx_atomic_write_unit_min,
		       FA_SRC_STATX, "statx on %s", path);
		fa_set(&lim->stx_unit_max, stx.stx_atomic_write_unit_max,
		       FA_SRC_STATX, "statx on %s", path);
		fa_set(&lim->stx_segments_max,
		       stx.stx_atomic_write_segments_max, FA_SRC_STATX,
		       "statx on %s", path);
		/* 0 means the kernel has no opinion (or predates 6.16). */
		if (stx.stx_atomic_write_unit_max_opt)
			fa_set(&lim->stx_unit_max_opt,
			       stx.stx_atomic_write_unit_max_opt, FA_SRC_STATX,
			       "statx on %s", path);
	}
	return 0;
}

/*
 * The whole-disk walk by hand rather than libblkid's
 * blkid_devno_to_wholedisk() (which the guard and the run context use):
 * libblkid reads only the real /sys, and this one is tested and fuzzed on
 * fake sysfs trees.
 */
int fa_limits_resolve_queue(unsigned int major, unsigned int minor,
			    const char *sysfs_root, char *queue_dir, size_t len,
			    char *disk, bool *partition)
{
	char link[PATH_MAX], target[PATH_MAX], probe[PATH_MAX];
	char *base, *slash;
	ssize_t n;

	snprintf(link, sizeof(link), "%s/dev/block/%u:%u", sysfs_root, major,
		 minor);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';

	/* .../block/sda/sda1 for a partition, .../block/sda for a disk. */
	snprintf(probe, sizeof(probe), "%s/dev/block/%u:%u/partition",
		 sysfs_root, major, minor);
	*partition = access(probe, F_OK) == 0;

	base = strrchr(target, '/');
	if (!base || !base[1])
		return -EINVAL;
	if (*partition) {
		*base = '\0';
		slash = strrchr(target, '/');
		if (!slash || !slash[1])
			return -EINVAL;
		base = slash;
	}
	fa_strlcpy(disk, base + 1, 64);
	snprintf(queue_dir, len, "%s/block/%s/queue", sysfs_root, disk);
	return 0;
}

/*
 * Read one unsigned number from a sysfs file. A missing file is not an
 * error (older kernels lack the atomic files); an empty or non-numeric one is.
 */
static int fa_sysfs_u64(const char *dir, const char *name, uint64_t scale,
			struct fa_value *v)
{
	char path[PATH_MAX], buf[64], *end;
	unsigned long long x;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n == 0 || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(buf, &end, 10);
	if (errno || (*end && *end != '\n'))
		return -EINVAL;
	if (scale && x > UINT64_MAX / scale)
		return -ERANGE;
	fa_set(v, x * (scale ? scale : 1), FA_SRC_SYSFS, "%s", path);
	return 0;
}

int fa_limits_from_sysfs(const char *queue_dir, struct fa_limits *lim)
{
	static const struct {
		const char *name;
		size_t off;
		uint64_t scale;
	} files[] = {
		{ "atomic_write_unit_min_bytes",
		  offsetof(struct fa_limits, sys_unit_min), 1 },
		{ "atomic_write_unit_max_bytes",
		  offsetof(struct fa_limits, sys_unit_max), 1 },
		{ "atomic_write_max_bytes",
		  offsetof(struct fa_limits, sys_max_bytes), 1 },
		{ "atomic_write_boundary_bytes",
		  offsetof(struct fa_limits, sys_boundary), 1 },
		{ "logical_block_size",
		  offsetof(struct fa_limits, sys_logical_block), 1 },
		{ "physical_block_size",
		  offsetof(struct fa_limits, sys_physical_block), 1 },
		{ "max_hw_sectors_kb",
		  offsetof(struct fa_limits, sys_max_hw_sectors), 1024 },
		{ "max_segments",
		  offsetof(struct fa_limits, sys_max_segments), 1 },
	};
	size_t i;
	int ret;

	fa_strlcpy(lim->queue_dir, queue_dir, sizeof(lim->queue_dir));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct fa_value *v = (struct fa_value *)((char *)lim +
							 files[i].off);

		ret = fa_sysfs_u64(queue_dir, files[i].name, files[i].scale, v);
		if (ret)
			return ret;
	}
	return 0;
}

static void fa_copy_value(struct fa_value *dst, const struct fa_value *src)
{
	if (src->known)
		*dst = *src;
}

void fa_limits_finish(struct fa_limits *lim)
{
	memset(&lim->unit_min, 0, sizeof(lim->unit_min));
	memset(&lim->unit_max, 0, sizeof(lim->unit_max));
	memset(&lim->segments_max, 0, sizeof(lim->segments_max));

	/*
	 * The write path of both files and block devices checks the same
	 * numbers statx reports, so statx wins; sysfs stands in on kernels
	 * whose statx does not know STATX_WRITE_ATOMIC for this path.
	 */
	if (lim->statx_atomic) {
		fa_copy_value(&lim->unit_min, &lim->stx_unit_min);
		fa_copy_value(&lim->unit_max, &lim->stx_unit_max);
		fa_copy_value(&lim->segments_max, &lim->stx_segments_max);
	} else if (lim->kind == FA_KIND_BLOCK) {
		fa_copy_value(&lim->unit_min, &lim->sys_unit_min);
		fa_copy_value(&lim->unit_max, &lim->sys_unit_max);
		if (lim->sys_unit_max.known)
			fa_set(&lim->segments_max, 1, FA_SRC_RULE,
			       "the kernel's one-segment rule");
	}
}

bool fa_limits_supported(const struct fa_limits *lim)
{
	return lim->unit_min.known && lim->unit_max.known &&
	       lim->unit_min.value && lim->unit_max.value &&
	       lim->unit_min.value <= lim->unit_max.value;
}

void fa_limits_unsupported_reason(const struct fa_limits *lim, char *buf,
				  size_t len)
{
	if (lim->kind != FA_KIND_REGULAR && lim->kind != FA_KIND_BLOCK) {
		snprintf(buf, len,
			 "%s is neither a regular file nor a block device",
			 lim->path);
	} else if (lim->statx_atomic && lim->stx_unit_max.value == 0) {
		if (lim->kind == FA_KIND_BLOCK && lim->sys_unit_max.known)
			snprintf(buf, len,
				 "%s does not support atomic writes (statx reports atomic_write_unit_max 0, %s is %" PRIu64 ")",
				 lim->path, lim->sys_unit_max.origin,
				 lim->sys_unit_max.value);
		else
			snprintf(buf, len,
				 "%s does not support atomic writes (statx reports atomic_write_unit_max 0)",
				 lim->path);
	} else if (lim->kind == FA_KIND_BLOCK && lim->sys_unit_max.known &&
		   lim->sys_unit_max.value == 0 && lim->mpath_unit_max.value) {
		snprintf(buf, len,
			 "%s does not support atomic writes (%s is 0) although its multipath path %s reports %" PRIu64 ": the kernel did not stack the path's limits onto the head node (nvme_core.multipath=N avoids it)",
			 lim->path, lim->sys_unit_max.origin, lim->mpath_node,
			 lim->mpath_unit_max.value);
	} else if (lim->kind == FA_KIND_BLOCK && lim->sys_unit_max.known &&
		   lim->sys_unit_max.value == 0) {
		snprintf(buf, len,
			 "%s does not support atomic writes (%s is 0)",
			 lim->path, lim->sys_unit_max.origin);
	} else if (!lim->statx_atomic && lim->kind == FA_KIND_REGULAR) {
		snprintf(buf, len,
			 "%s does not support atomic writes (statx does not report STATX_WRITE_ATOMIC: the filesystem or a pre-6.11 kernel has none)",
			 lim->path);
	} else if (!lim->statx_atomic && !lim->sys_unit_max.known) {
		snprintf(buf, len,
			 "%s does not support atomic writes (neither statx nor sysfs report atomic limits: kernel older than 6.11?)",
			 lim->path);
	} else if (lim->unit_min.value > lim->unit_max.value) {
		snprintf(buf, len,
			 "%s reports atomic_write_unit_min %" PRIu64 " above unit_max %" PRIu64 " (%s)",
			 lim->path, lim->unit_min.value, lim->unit_max.value,
			 lim->unit_max.origin);
	} else {
		snprintf(buf, len, "%s does not support atomic writes",
			 lim->path);
	}
}

/*
 * An NVMe multipath head node nvme<S>n<N> has hidden path nodes
 * nvme<S>c<C>n<N> in /sys/block. Kernels that do not stack atomic limits
 * onto the head (6.12) report 0 there while the paths have them.
 */
static int fa_limits_multipath(const char *disk, struct fa_limits *lim)
{
	unsigned int subsys, ns, s2, ctrl, n2;
	char pq[PATH_MAX], tail;
	struct fa_limits *path_lim;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (sscanf(disk, "nvme%un%u%c", &subsys, &ns, &tail) != 2)
		return 0;
	d = opendir("/sys/block");
	if (!d)
		return 0;
	path_lim = calloc(1, sizeof(*path_lim));
	if (!path_lim) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "nvme%uc%un%u%c", &s2, &ctrl, &n2,
			   &tail) != 3 || s2 != subsys || n2 != ns)
			continue;
		snprintf(pq, sizeof(pq), "/sys/block/%s/queue", de->d_name);
		ret = fa_limits_from_sysfs(pq, path_lim);
		if (ret)
			break;
		fa_strlcpy(lim->mpath_node, de->d_name,
			   sizeof(lim->mpath_node));
		lim->mpath_unit_min = path_lim->sys_unit_min;
		lim->mpath_unit_max = path_lim->sys_unit_max;
		break;
	}
	free(path_lim);
	closedir(d);
	return ret;
}

/*
 * A stacked disk (md, dm) takes its atomic limits from its members by the
 * kernel's rule (6.13 for md, 6.14 for dm): what the rule gives is kept
 * beside what the disk reports.
 */
static int fa_limits_stack(const char *disk, struct fa_limits *lim)
{
	struct fa_stack_limits *members, out;
	char (*names)[64];
	uint64_t chunk;
	int n;

	members = calloc(FA_STACK_MAX_MEMBERS, sizeof(*members));
	names = calloc(FA_STACK_MAX_MEMBERS, sizeof(*names));
	if (!members || !names) {
		free(members);
		free(names);
		return -ENOMEM;
	}
	n = fa_stack_read("/sys", disk, members, names, FA_STACK_MAX_MEMBERS,
			  &chunk);
	if (n > 0) {
		lim->stack_members = n;
		lim->stack_verdict = fa_stack_rule(members, n, chunk, &out);
		/* the block layer's clamp of the top queue: one request */
		if (lim->sys_max_hw_sectors.known) {
			uint64_t cap = lim->sys_max_hw_sectors.value;

			while (cap & (cap - 1))
				cap &= cap - 1;
			if (out.unit_max > cap)
				out.unit_max = cap;
			if (out.unit_min > cap)
				out.unit_min = cap;
		}
		fa_set(&lim->stack_unit_min, out.unit_min, FA_SRC_RULE,
		       "the kernel's stacking rule over %s's %d members (%s%s; chunk %" PRIu64 "): %s",
		       disk, n, names[0], n > 1 ? ", ..." : "", chunk,
		       fa_stack_verdict_str(lim->stack_verdict));
		lim->stack_unit_max = lim->stack_unit_min;
		lim->stack_unit_max.value = out.unit_max;
		lim->stack_max_bytes = lim->stack_unit_min;
		lim->stack_max_bytes.value = out.max_bytes;
	}
	free(members);
	free(names);
	/* members that cannot be read leave the rule unknown, not an error */
	return n == -ENOMEM ? n : 0;
}

int fa_limits_discover(const char *path, struct fa_limits *lim)
{
	struct stat st;
	int ret;

	memset(lim, 0, sizeof(*lim));
	fa_strlcpy(lim->path, path, sizeof(lim->path));

	ret = fa_read_statx(path, lim, &st);
	if (ret)
		return ret;

	if (S_ISREG(st.st_mode)) {
		lim->kind = FA_KIND_REGULAR;
		lim->dev_major = major(st.st_dev);
		lim->dev_minor = minor(st.st_dev);
	} else if (S_ISBLK(st.st_mode)) {
		lim->kind = FA_KIND_BLOCK;
		lim->dev_major = major(st.st_rdev);
		lim->dev_minor = minor(st.st_rdev);
		ret = fa_limits_resolve_queue(lim->dev_major, lim->dev_minor,
					      "/sys", lim->queue_dir,
					      sizeof(lim->queue_dir), lim->disk,
					      &lim->partition);
		if (!ret)
			ret = fa_limits_from_sysfs(lim->queue_dir, lim);
		if (!ret)
			ret = fa_limits_multipath(lim->disk, lim);
		if (!ret)
			ret = fa_limits_stack(lim->disk, lim);
		if (ret)
			return ret;
	} else {
		lim->kind = FA_KIND_OTHER;
	}

	fa_limits_finish(lim);
	return 0;
}

int fa_disagreement_add(struct fa_disagreement *out, int max, int n,
			const char *what, const struct fa_value *a,
			const struct fa_value *b, const char *why)
{
	if (n < max) {
		out[n].what = what;
		out[n].a = a;
		out[n].b = b;
		fa_strlcpy(out[n].explanation, why, sizeof(out[n].explanation));
	}
	return n + 1;
}

int fa_limits_crosscheck(const struct fa_limits *lim,
			 struct fa_disagreement *out, int max)
{
	int n = 0;

	if (lim->kind != FA_KIND_BLOCK)
		return 0;

	/* For a block device statx is meant to repeat the queue limits. */
	if (lim->statx_atomic && lim->sys_unit_min.known &&
	    lim->stx_unit_min.value != lim->sys_unit_min.value)
		n = fa_disagreement_add(out, max, n, "unit_min", &lim->stx_unit_min,
					&lim->sys_unit_min,
					"statx and the block queue disagree");
	if (lim->statx_atomic && lim->sys_unit_max.known &&
	    lim->stx_unit_max.value != lim->sys_unit_max.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->stx_unit_max,
					&lim->sys_unit_max,
					"statx and the block queue disagree");
	if (!lim->statx_atomic && lim->sys_unit_max.known &&
	    lim->sys_unit_max.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->sys_unit_max,
					&lim->sys_unit_max,
					"sysfs reports atomic limits but statx does not report STATX_WRITE_ATOMIC");
	if (lim->sys_unit_max.known && lim->sys_max_bytes.known &&
	    lim->sys_unit_max.value > lim->sys_max_bytes.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->sys_unit_max,
					&lim->sys_max_bytes,
					"atomic unit_max exceeds atomic_write_max_bytes");
	if (lim->sys_unit_max.known && lim->sys_boundary.known &&
	    lim->sys_boundary.value &&
	    lim->sys_unit_max.value > lim->sys_boundary.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->sys_unit_max,
					&lim->sys_boundary,
					"atomic unit_max exceeds the atomic boundary");
	if (lim->sys_unit_min.known && lim->sys_logical_block.known &&
	    lim->sys_unit_min.value &&
	    lim->sys_unit_min.value < lim->sys_logical_block.value)
		n = fa_disagreement_add(out, max, n, "unit_min", &lim->sys_unit_min,
					&lim->sys_logical_block,
					"atomic unit_min is below the logical block size");
	/* What the device itself promises, through the driver's eyes. */
	if (lim->device_read && lim->expect_unit_min.known &&
	    lim->sys_unit_min.known &&
	    lim->expect_unit_min.value != lim->sys_unit_min.value)
		n = fa_disagreement_add(out, max, n, "unit_min", &lim->expect_unit_min,
					&lim->sys_unit_min,
					"the device's own limits and the kernel's queue limits disagree");
	if (lim->device_read && lim->expect_unit_max.known &&
	    lim->sys_unit_max.known &&
	    lim->expect_unit_max.value != lim->sys_unit_max.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->expect_unit_max,
					&lim->sys_unit_max,
					lim->mpath_unit_max.value ?
					"the device's own limits and the multipath head node's queue limits disagree (the path node has them)" :
					"the device's own limits and the kernel's queue limits disagree");
	if (lim->device_read && lim->expect_max_bytes.known &&
	    lim->expect_unit_max.value && lim->sys_max_bytes.known &&
	    lim->expect_max_bytes.value != lim->sys_max_bytes.value)
		n = fa_disagreement_add(out, max, n, "max_bytes", &lim->expect_max_bytes,
					&lim->sys_max_bytes,
					"the device's own limits and the kernel's queue limits disagree");
	if (lim->device_read && lim->dev_logical_block.known &&
	    lim->sys_logical_block.known &&
	    lim->dev_logical_block.value != lim->sys_logical_block.value)
		n = fa_disagreement_add(out, max, n, "logical_block",
					&lim->dev_logical_block,
					&lim->sys_logical_block,
					"the device's logical block size and the kernel's disagree");
	if (lim->mpath_unit_max.known && lim->sys_unit_max.known &&
	    lim->mpath_unit_max.value != lim->sys_unit_max.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->sys_unit_max,
					&lim->mpath_unit_max,
					"the NVMe multipath head node and its path disagree: the kernel did not stack the path's atomic limits onto the head (6.12 does not; nvme_core.multipath=N avoids it)");
	/* A stack against the rule over its members */
	if (lim->stack_unit_max.known && lim->sys_unit_max.known &&
	    lim->stack_unit_max.value != lim->sys_unit_max.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->stack_unit_max,
					&lim->sys_unit_max,
					!lim->sys_unit_max.value ?
					"the stacked device reports no atomic writes although its members' limits stack: the kernel (md 6.13+, dm 6.14+) or the target does not stack them" :
					"the stacked device's queue limits disagree with the kernel's stacking rule over its members");
	else if (lim->stack_unit_min.known && lim->sys_unit_min.known &&
		 lim->stack_unit_min.value != lim->sys_unit_min.value)
		n = fa_disagreement_add(out, max, n, "unit_min", &lim->stack_unit_min,
					&lim->sys_unit_min,
					"the stacked device's queue limits disagree with the kernel's stacking rule over its members");
	if (lim->sys_unit_max.known && lim->sys_max_hw_sectors.known &&
	    lim->sys_unit_max.value > lim->sys_max_hw_sectors.value)
		n = fa_disagreement_add(out, max, n, "unit_max", &lim->sys_unit_max,
					&lim->sys_max_hw_sectors,
					"atomic unit_max exceeds the largest request the hardware takes");
	return n;
}

void fa_limits_expect(struct fa_limits *lim)
{
	const struct fa_device_view *dv = lim->device;
	uint64_t segs, bio, unit_limit, page = 4096;

	memset(&lim->expect_unit_min, 0, sizeof(lim->expect_unit_min));
	memset(&lim->expect_unit_max, 0, sizeof(lim->expect_unit_max));
	memset(&lim->expect_max_bytes, 0, sizeof(lim->expect_max_bytes));
	memset(&lim->expect_boundary, 0, sizeof(lim->expect_boundary));
	memset(&lim->dev_logical_block, 0, sizeof(lim->dev_logical_block));
	if (!dv)
		return;
	lim->dev_logical_block = dv->logical_block;
	lim->expect_boundary = dv->hw_boundary;
	if (!dv->hw_unit_max.known || !dv->hw_unit_min.known)
		return;

	/*
	 * blk_atomic_writes_update_limits(): an atomic write is one bio, so
	 * the units are clamped to the largest bio the queue is guaranteed to
	 * take whole: two logical blocks plus a page for every further
	 * segment (at most BIO_MAX_VECS), and max_hw_sectors.
	 */
	unit_limit = UINT64_MAX;
	if (lim->sys_max_segments.known && lim->sys_logical_block.known) {
		segs = lim->sys_max_segments.value;
		if (segs > 256)
			segs = 256;
		bio = (segs < 2 ? segs : 2) * lim->sys_logical_block.value;
		if (segs > 2)
			bio += (segs - 2) * page;
		unit_limit = bio;
	}
	if (lim->sys_max_hw_sectors.known &&
	    lim->sys_max_hw_sectors.value < unit_limit)
		unit_limit = lim->sys_max_hw_sectors.value;
	unit_limit = fa_rounddown_pow2(unit_limit);

	fa_set(&lim->expect_unit_min,
	       dv->hw_unit_min.value < unit_limit ? dv->hw_unit_min.value :
						    unit_limit,
	       dv->source, "%s (as the kernel derives it)", dv->origin);
	fa_set(&lim->expect_unit_max,
	       dv->hw_unit_max.value < unit_limit ? dv->hw_unit_max.value :
						    unit_limit,
	       dv->source, "%s (as the kernel derives it)", dv->origin);
	if (!dv->hw_unit_max.value) {
		lim->expect_unit_min.value = 0;
		lim->expect_unit_max.value = 0;
	}
	/* atomic_write_max_sectors: the hw maximum, within max_hw_sectors */
	if (dv->hw_max_bytes.known) {
		lim->expect_max_bytes = dv->hw_max_bytes;
		if (lim->sys_max_hw_sectors.known &&
		    lim->sys_max_hw_sectors.value < dv->hw_max_bytes.value)
			lim->expect_max_bytes.value =
				lim->sys_max_hw_sectors.value;
	}
}

void fa_limits_release(struct fa_limits *lim)
{
	free(lim->device);
	lim->device = NULL;
	lim->device_read = false;
}
