// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic probe power-fail: the scratch ext4, for a directory on ext4.
 * It copies the target's geometry (block size, bigalloc cluster size:
 * ext4's atomic writes above one block are per cluster) from dumpe2fs -h
 * on the device the target is mounted from, and, once it is mounted,
 * asks statx what its files take: ext4 has no software fallback, so a
 * scratch ext4 has atomic writes only when the loop device under it has
 * them. When it has none the probe cannot test (-EOPNOTSUPP, the reason
 * in the message). The crash is EXT4_IOC_SHUTDOWN with
 * EXT4_GOING_FLAGS_NOLOGFLUSH, XFS_IOC_GOINGDOWN's counterpart (the same
 * ioctl number and flag: probe_powerfail.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fa_limits.h"
#include "fa_mount.h"
#include "fa_powerfail.h"
#include "fa_spawn.h"
#include "fa_util.h"
#include "probe_powerfail_int.h"

/* dumpe2fs -h on the device @p->o->dir is mounted from */
static void fa_pf_ext4_geometry(struct fa_pf *p)
{
	static struct fa_mount m;
	struct fa_pf_ext4_geometry g;
	char out[PATH_MAX + 16], cur[PATH_MAX];
	char *text;

	fa_strlcpy(p->rep->geometry, "mkfs.ext4 defaults",
		   sizeof(p->rep->geometry));
	if (!realpath(p->o->dir, cur) ||
	    fa_mount_find_path(FA_MOUNTINFO, cur, &m) != 1 ||
	    strcmp(m.type, "ext4") || !m.source[0])
		return;
	fa_pf_path(p, out, sizeof(out), "dumpe2fs.out");
	if (fa_pf_cmd(p, out, "dumpe2fs", "-h", m.source, NULL)) {
		snprintf(p->rep->geometry, sizeof(p->rep->geometry),
			 "mkfs.ext4 defaults: dumpe2fs -h cannot read %.400s",
			 m.source);
		p->err[0] = '\0';
		return;
	}
	text = fa_pf_slurp(out);
	if (text && !fa_pf_parse_dumpe2fs(text, &g)) {
		p->rep->block_size = g.block_size;
		p->rep->cluster_size = g.cluster_size;
		if (g.cluster_size)
			snprintf(p->rep->geometry, sizeof(p->rep->geometry),
				 "block size %u, bigalloc cluster size %u, from dumpe2fs -h %.400s",
				 g.block_size, g.cluster_size, m.source);
		else
			snprintf(p->rep->geometry, sizeof(p->rep->geometry),
				 "block size %u, from dumpe2fs -h %.400s",
				 g.block_size, m.source);
	}
	free(text);
}

/*
 * mkfs.ext4 for the image: the target's block and cluster size; one inode
 * per MiB, inode tables and journal not zeroed (a sparse image stays
 * small: the lab's ext4 that holds it has some hundred MiB).
 */
void fa_pf_ext4_mkfs_args(struct fa_pf *p, struct fa_argv *a)
{
	fa_pf_ext4_geometry(p);
	fa_argv_add(a, "mkfs.ext4");
	fa_argv_add(a, "-q");
	fa_argv_add(a, "-F");
	if (p->rep->block_size)
		fa_argv_add(a, "-b");
	if (p->rep->block_size)
		fa_argv_add(a, "%u", p->rep->block_size);
	if (p->rep->cluster_size) {
		fa_argv_add(a, "-O");
		fa_argv_add(a, "bigalloc");
		fa_argv_add(a, "-C");
		fa_argv_add(a, "%u", p->rep->cluster_size);
	}
	fa_argv_add(a, "-i");
	fa_argv_add(a, "1048576");
	fa_argv_add(a, "-E");
	fa_argv_add(a, "lazy_itable_init=1,lazy_journal_init=1");
	fa_argv_add(a, "%s", p->image);
}

/*
 * Why the scratch ext4's files have no atomic writes, in few words (the
 * reason becomes a guarantee's, 256 bytes): the loop device's own limit
 * when it has none, else what statx said.
 */
static void fa_pf_no_atomic(struct fa_pf *p, const struct fa_limits *lim,
			    char *buf, size_t len)
{
	const char *dev = strrchr(p->loop, '/');
	char sys[128], *v = NULL;
	struct utsname u;

	if (dev) {
		snprintf(sys, sizeof(sys),
			 "/sys/block/%s/queue/atomic_write_unit_max_bytes",
			 dev + 1);
		v = fa_pf_slurp(sys);
	}
	if (v && v[0] && strtoull(v, NULL, 10) == 0 && !uname(&u)) {
		snprintf(buf, len,
			 "ext4 has no software fallback and %s is 0 (%s)", sys,
			 u.release);
	} else {
		fa_limits_unsupported_reason(lim, buf, len);
	}
	free(v);
}

/* largest of @lo..@hi (powers of two) that is at most @cap */
static uint64_t fa_pf_pick(uint64_t lo, uint64_t hi, uint64_t cap)
{
	uint64_t v = lo;

	while (v * 2 <= hi && v * 2 <= cap)
		v *= 2;
	return v;
}

/*
 * What the scratch ext4's files take (statx on a laid-out file): the
 * sizes the crashes write, unit_min and unit_max (at most 1 MiB) unless
 * they were given, in which case each must fit.
 */
int fa_pf_ext4_sizes(struct fa_pf *p)
{
	struct fa_limits *lim = calloc(1, sizeof(*lim));
	char path[PATH_MAX + 32], why[400], sz[32];
	uint64_t umin, umax;
	int i, ret;

	if (!lim)
		return fa_pf_fail(p, -ENOMEM, "out of memory");
	snprintf(path, sizeof(path), "%s/statx", p->mnt);
	ret = fa_pf_layout(p, path, 1 << 20);
	if (!ret) {
		ret = fa_limits_discover(path, lim);
		if (ret)
			fa_pf_fail(p, ret, "statx %s: %s", path,
				   strerror(-ret));
	}
	unlink(path);
	if (ret)
		goto out;
	if (!fa_limits_supported(lim)) {
		fa_pf_no_atomic(p, lim, why, sizeof(why));
		/* short: it becomes a guarantee's reason (256 bytes); the
		 * geometry is in @p->rep */
		ret = fa_pf_fail(p, -EOPNOTSUPP,
				 "no atomic writes on a scratch ext4 on %s: %s",
				 p->loop, why);
		goto out;
	}
	umin = lim->unit_min.value;
	umax = lim->unit_max.value;
	if (p->o->auto_sizes) {
		p->o->sizes[0] = umin;
		p->o->sizes[1] = fa_pf_pick(umin, umax, 1 << 20);
		p->o->nr_sizes = p->o->sizes[1] > umin ? 2 : 1;
	}
	for (i = 0; i < p->o->nr_sizes; i++) {
		if (p->o->sizes[i] >= umin && p->o->sizes[i] <= umax)
			continue;
		fa_pf_size_str(p->o->sizes[i], sz, sizeof(sz));
		ret = fa_pf_fail(p, -EINVAL,
				 "--size %s is outside the scratch ext4's atomic writes, %" PRIu64 "..%" PRIu64 " bytes (statx on %s)",
				 sz, umin, umax, path);
		goto out;
	}
	snprintf(p->rep->atomic_limits, sizeof(p->rep->atomic_limits),
		 "%" PRIu64 "..%" PRIu64 " bytes, statx on a file of the scratch ext4",
		 umin, umax);
out:
	fa_limits_release(lim);
	free(lim);
	return ret;
}
