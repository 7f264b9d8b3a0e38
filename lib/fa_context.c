// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: collecting the run context of a target (see fa_context.h):
 * what the target is, the whole disk under it (libblkid), the filesystem
 * holding it (libmount), the host, and the limits in force.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#include <blkid/blkid.h>

#include "fa_context.h"
#include "fa_limits.h"
#include "fa_mount.h"
#include "fa_nvme.h"
#include "fa_passthru.h"
#include "fa_scsi.h"
#include "fa_util.h"

#ifndef FA_BUILD
#define FA_BUILD "unknown"
#endif

static void fa_ctx_filesystem(struct fa_runctx *c)
{
	struct fa_mount *m = malloc(sizeof(*m));
	struct fa_runctx_fs *fs = &c->filesystem;

	if (!m)
		return;
	if (fa_mount_find_path(FA_MOUNTINFO, c->target_path, m) > 0) {
		fs->known = true;
		fa_strlcpy(fs->type, m->type, sizeof(fs->type));
		fa_strlcpy(fs->mountpoint, m->target, sizeof(fs->mountpoint));
		fa_strlcpy(fs->source, m->source, sizeof(fs->source));
		fa_strlcpy(fs->options, m->options, sizeof(fs->options));
	}
	free(m);
}

/* The whole disk of a block device number, and its transport. */
static void fa_ctx_disk_of(dev_t devno, struct fa_runctx_device *d)
{
	dev_t whole;

	if (!major(devno) ||
	    blkid_devno_to_wholedisk(devno, d->name, sizeof(d->name), &whole))
		return;
	d->known = true;
	fa_runctx_transport("/sys", d->name, d->transport,
			     sizeof(d->transport));
}

static const char *fa_ctx_base(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? p + 1 : path;
}

/* An sg node: the disk behind it, if any; its identity from the node. */
static void fa_ctx_sg(const struct stat *st, struct fa_runctx_device *d,
		      const char *path)
{
	if (fa_scsi_block_name("/sys", major(st->st_rdev), minor(st->st_rdev),
			       d->name, sizeof(d->name)))
		fa_strlcpy(d->name, fa_ctx_base(path), sizeof(d->name));
	d->known = true;
	fa_strlcpy(d->transport, "scsi", sizeof(d->transport));
}

/* An ng node: its namespace's block device name, from libnvme's scan. */
static void fa_ctx_ng(struct fa_runctx_device *d, const char *path)
{
	char generic[64], blk[PATH_MAX];

	if (fa_nvme_ns_names(fa_ctx_base(path), d->name, sizeof(d->name),
			     generic, sizeof(generic))) {
		/* not in the scan: the kernel's naming, ngXnY of nvmeXnY */
		if (fa_nvme_block_path(fa_ctx_base(path), blk, sizeof(blk)))
			fa_strlcpy(blk, fa_ctx_base(path), sizeof(blk));
		fa_strlcpy(d->name, blk, sizeof(d->name));
	}
	d->known = true;
	fa_strlcpy(d->transport, "nvme", sizeof(d->transport));
}

static void fa_ctx_identity(struct fa_runctx_device *d, const char *node)
{
	char dev[sizeof(d->name) + 8];

	if (!d->known)
		return;
	if (!node) {
		snprintf(dev, sizeof(dev), "/dev/%s", d->name);
		node = dev;
	}
	if (!fa_runctx_identity_device(node, d))
		return;
	fa_runctx_device_sysfs("/sys", d);
}

int fa_runctx_collect(struct fa_runctx *c, const char *path)
{
	struct fa_runctx_device *d = &c->device;
	enum fa_pt_kind pt;
	char cls[64];
	struct utsname u;
	struct stat st;
	bool exists;

	if (!c || !path || !path[0])
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->present = true;
	if (!uname(&u)) {
		fa_strlcpy(c->host, u.nodename, sizeof(c->host));
		fa_strlcpy(c->kernel, u.release, sizeof(c->kernel));
	}
	fa_runctx_distro("", c->distro, sizeof(c->distro));
	fa_strlcpy(c->build, FA_BUILD, sizeof(c->build));
	/* an absolute path, through its parent for one not made yet */
	if (fa_abspath(path, c->target_path, sizeof(c->target_path)))
		fa_strlcpy(c->target_path, path, sizeof(c->target_path));
	exists = !stat(path, &st);
	if (!exists || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
		fa_strlcpy(c->target_kind,
			   exists && S_ISDIR(st.st_mode) ? "dir" : "file",
			   sizeof(c->target_kind));
		fa_ctx_filesystem(c);
		if (!exists) {
			char dir[FA_RUNCTX_PATH_LEN], *slash;

			fa_strlcpy(dir, c->target_path, sizeof(dir));
			slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir] = '\0';
			if (stat(dir, &st))
				return 0;
		}
		fa_ctx_disk_of(st.st_dev, d);
		fa_ctx_identity(d, NULL);
		return 0;
	}
	if (S_ISBLK(st.st_mode)) {
		fa_strlcpy(c->target_kind, "block", sizeof(c->target_kind));
		fa_ctx_disk_of(st.st_rdev, d);
		fa_ctx_identity(d, NULL);
		return 0;
	}
	if (S_ISCHR(st.st_mode) &&
	    !fa_pt_classify("/sys", major(st.st_rdev), minor(st.st_rdev), &pt,
			    cls, sizeof(cls)) && pt != FA_PT_NONE) {
		fa_strlcpy(c->target_kind, pt == FA_PT_SG ? "sg" : "ng",
			   sizeof(c->target_kind));
		if (pt == FA_PT_SG)
			fa_ctx_sg(&st, d, path);
		else
			fa_ctx_ng(d, path);
		fa_ctx_identity(d, c->target_path);
		return 0;
	}
	fa_strlcpy(c->target_kind, "other", sizeof(c->target_kind));
	return 0;
}

void fa_runctx_set_limits(struct fa_runctx *c, const struct fa_limits *lim)
{
	struct fa_runctx_limits *l = &c->limits;

	memset(l, 0, sizeof(*l));
	if (lim->unit_min.known) {
		l->known |= FA_RUNCTX_UNIT_MIN;
		l->unit_min = lim->unit_min.value;
		fa_strlcpy(l->source, lim->unit_min.origin, sizeof(l->source));
	}
	if (lim->unit_max.known) {
		l->known |= FA_RUNCTX_UNIT_MAX;
		l->unit_max = lim->unit_max.value;
		fa_strlcpy(l->source, lim->unit_max.origin, sizeof(l->source));
	}
	if (lim->segments_max.known) {
		l->known |= FA_RUNCTX_SEGMENTS_MAX;
		l->segments_max = lim->segments_max.value;
	}
	/* statx reports 0 ("no opinion") by leaving the field out */
	if (lim->stx_unit_max_opt.known || lim->statx_atomic) {
		l->known |= FA_RUNCTX_UNIT_MAX_OPT;
		l->unit_max_opt = lim->stx_unit_max_opt.known ?
				  lim->stx_unit_max_opt.value : 0;
	}
}

static const char *fa_ctx_or(const char *s, const char *unknown)
{
	return s[0] ? s : unknown;
}

/* Append to @buf, which @n bytes already fill; cut at @len. */
static void fa_ctx_cat(char *buf, size_t len, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fa_ctx_cat(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n += (size_t)w;
}

void fa_runctx_line(const struct fa_runctx *c, char *buf, size_t len)
{
	const struct fa_runctx_device *d = &c->device;
	const struct fa_runctx_fs *fs = &c->filesystem;
	size_t n = 0;

	if (!len)
		return;
	buf[0] = '\0';
	fa_ctx_cat(buf, len, &n, "host %s, kernel %s, %s, build %s",
		   fa_ctx_or(c->host, "?"), fa_ctx_or(c->kernel, "?"),
		   fa_ctx_or(c->distro, "distribution unknown"),
		   fa_ctx_or(c->build, "?"));
	if (d->known) {
		fa_ctx_cat(buf, len, &n, "; disk %s (%s)", d->name,
			   fa_ctx_or(d->transport, "transport unknown"));
		if (d->source[0])
			fa_ctx_cat(buf, len, &n,
				   ": %s%s%s, serial %s, firmware %s (%s)",
				   d->vendor, d->vendor[0] ? " " : "",
				   fa_ctx_or(d->model, "model ?"),
				   fa_ctx_or(d->serial, "?"),
				   fa_ctx_or(d->firmware, "?"), d->source);
	}
	if (fs->known)
		fa_ctx_cat(buf, len, &n, "; %s on %s from %s (%s)",
			   fa_ctx_or(fs->type, "?"),
			   fa_ctx_or(fs->mountpoint, "?"),
			   fa_ctx_or(fs->source, "?"), fs->options);
}
