// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: limits of SCSI generic (/dev/sgN) and NVMe generic
 * (/dev/ngXnY) nodes: classifying a char device through sysfs, reading the
 * device through the node (read-only commands), the atomic fields in
 * blocks and bytes, what the atomic-sg and atomic-nvme engines accept
 * (asked of their own rule functions), and the cross-check against the
 * kernel's limits of the block device behind the node.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fa_passthru.h"
#include "fa_util.h"

int fa_pt_classify(const char *sysfs_root, unsigned int major,
		   unsigned int minor, enum fa_pt_kind *kind, char *cls,
		   size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	if (!sysfs_root || !kind || !cls || !len)
		return -EINVAL;
	*kind = FA_PT_NONE;
	cls[0] = '\0';
	snprintf(link, sizeof(link), "%s/dev/char/%u:%u", sysfs_root, major,
		 minor);
	if (access(link, F_OK))
		return -errno;
	snprintf(link, sizeof(link), "%s/dev/char/%u:%u/subsystem",
		 sysfs_root, major, minor);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	fa_strlcpy(cls, base, len);
	if (!strcmp(base, "scsi_generic"))
		*kind = FA_PT_SG;
	else if (!strcmp(base, "nvme-generic"))
		*kind = FA_PT_NG;
	return 0;
}

static int fa_pt_add(struct fa_pt_field *out, int max, int n,
		     const char *name, uint64_t value, uint64_t blocks,
		     uint64_t lbs, const char *unit)
{
	if (n >= max)
		return n;
	out[n].name = name;
	out[n].value = value;
	out[n].blocks = blocks;
	out[n].bytes = blocks * lbs;
	out[n].unit = unit;
	return n + 1;
}

int fa_pt_sg_fields(const struct fa_scsi_block_limits *bl, uint32_t lbs,
		    struct fa_pt_field *out, int max)
{
	static const char b[] = "blocks";
	int n = 0;

	if (!bl || !bl->has_atomic)
		return 0;
	n = fa_pt_add(out, max, n, "MAXIMUM ATOMIC TRANSFER LENGTH",
		      bl->max_atomic_transfer_length,
		      bl->max_atomic_transfer_length, lbs, b);
	n = fa_pt_add(out, max, n, "ATOMIC ALIGNMENT", bl->atomic_alignment,
		      bl->atomic_alignment, lbs, b);
	n = fa_pt_add(out, max, n, "ATOMIC TRANSFER LENGTH GRANULARITY",
		      bl->atomic_transfer_length_granularity,
		      bl->atomic_transfer_length_granularity, lbs, b);
	n = fa_pt_add(out, max, n,
		      "MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY",
		      bl->max_atomic_transfer_length_with_boundary,
		      bl->max_atomic_transfer_length_with_boundary, lbs, b);
	n = fa_pt_add(out, max, n, "MAXIMUM ATOMIC BOUNDARY SIZE",
		      bl->max_atomic_boundary_size,
		      bl->max_atomic_boundary_size, lbs, b);
	return n;
}

int fa_pt_ng_fields(const struct fa_nvme_atomic *a, struct fa_pt_field *out,
		    int max)
{
	static const char zb[] = "0's based blocks";
	uint64_t lbs = fa_nvme_lba_size(a);
	int n = 0;

	n = fa_pt_add(out, max, n, "awun", a->awun, a->awun + 1ULL, lbs, zb);
	n = fa_pt_add(out, max, n, "awupf", a->awupf, a->awupf + 1ULL, lbs,
		      zb);
	n = fa_pt_add(out, max, n, "acwu", a->acwu, a->acwu + 1ULL, lbs, zb);
	n = fa_pt_add(out, max, n, "nawun", a->nawun, a->nawun + 1ULL, lbs,
		      zb);
	n = fa_pt_add(out, max, n, "nawupf", a->nawupf, a->nawupf + 1ULL, lbs,
		      zb);
	n = fa_pt_add(out, max, n, "nacwu", a->nacwu, a->nacwu + 1ULL, lbs,
		      zb);
	/* A boundary size of 0 means there are no boundaries. */
	n = fa_pt_add(out, max, n, "nabsn", a->nabsn,
		      a->nabsn ? a->nabsn + 1ULL : 0, lbs,
		      "0's based blocks, 0 = none");
	n = fa_pt_add(out, max, n, "nabo", a->nabo, a->nabo, lbs, "LBA");
	n = fa_pt_add(out, max, n, "nabspf", a->nabspf,
		      a->nabspf ? a->nabspf + 1ULL : 0, lbs,
		      "0's based blocks, 0 = none");
	return n;
}

/* The lengths (blocks) fa_scsi_check_write() accepts at LBA 0. */
static void fa_sg_scan(const struct fa_scsi_block_limits *bl, uint32_t lbs,
		       uint32_t boundary, uint64_t *min, uint64_t *max,
		       uint64_t *step)
{
	struct fa_scsi_verdict v;
	uint64_t n;

	*min = *max = *step = 0;
	for (n = 1; n <= FA_SCSI_ATOMIC16_MAX_BLOCKS; n++) {
		if (fa_scsi_check_write(bl, lbs, 0, n * lbs, boundary, &v))
			continue;
		if (!*min)
			*min = n;
		*max = n;
		*step = fa_gcd(*step, n);
	}
}

/* The LBA alignment the rules ask of a write of @blocks blocks. */
static uint64_t fa_sg_align(const struct fa_scsi_block_limits *bl,
			    uint32_t lbs, uint64_t blocks, uint32_t boundary)
{
	struct fa_scsi_verdict v;

	if (fa_scsi_check_write(bl, lbs, lbs, blocks * lbs, boundary, &v) ==
	    FA_SCSI_RULE_ALIGNMENT)
		return v.limit;
	return 1;
}

void fa_sg_enforced(const struct fa_scsi_dev *dev, const char *path,
		    struct fa_sg_enforced *e)
{
	const struct fa_scsi_block_limits *bl = &dev->bl;
	uint32_t lbs = dev->cap.logical_block_length;
	struct fa_scsi_block_limits none;
	struct fa_scsi_verdict v;
	uint64_t min, max, step;
	uint32_t b;

	memset(e, 0, sizeof(*e));
	e->lbs = lbs;
	if (!dev->have_bl) {
		/* fa_scsi_check_write() refuses everything on this page. */
		memset(&none, 0, sizeof(none));
		bl = &none;
	}
	fa_scsi_sd_config_atomic(dev->have_bl ? bl : NULL, &dev->cap, &e->sd);
	if (!lbs)
		return;

	fa_sg_scan(bl, lbs, 0, &min, &max, &step);
	e->length_min = min * lbs;
	e->length_max = max * lbs;
	e->length_step = step * lbs;

	/*
	 * With a boundary: the rules refuse a boundary of 1 block only when
	 * they take none, and the lengths do not depend on its size.
	 */
	fa_sg_scan(bl, lbs, 1, &min, &max, &step);
	if (max) {
		for (b = 1; b <= FA_SCSI_ATOMIC16_MAX_BLOCKS; b++)
			if (fa_scsi_check_write(bl, lbs, 0, min * lbs, b,
						&v) == FA_SCSI_RULE_OK)
				e->boundary_max = b;
		e->boundary_length_min = min * lbs;
		e->boundary_length_max = max * lbs;
	}

	if (e->length_max)
		e->offset_align = fa_sg_align(bl, lbs,
					      e->length_min / lbs, 0) * lbs;
	else if (e->boundary_length_max)
		e->offset_align = fa_sg_align(bl, lbs,
					      e->boundary_length_min / lbs,
					      e->boundary_max) * lbs;
	e->supported = e->length_max || e->boundary_length_max;
	if (e->supported)
		return;
	if (!dev->have_bl)
		fa_strlcpy(e->why_none, dev->no_bl_why, sizeof(e->why_none));
	else
		fa_scsi_unsupported_reason(bl, path, e->why_none,
					   sizeof(e->why_none));
	if (!e->why_none[0])
		snprintf(e->why_none, sizeof(e->why_none),
			 "no WRITE ATOMIC(16) of 1..65535 blocks passes the rules of the Block Limits VPD page of %s",
			 path);
}

void fa_ng_enforced(const struct fa_nvme_atomic *a, struct fa_ng_enforced *e)
{
	struct fa_nvme_verdict v;
	uint64_t n, start;
	int unit;

	memset(e, 0, sizeof(*e));
	e->lbs = fa_nvme_lba_size(a);
	for (unit = FA_NVME_UNIT_POWERFAIL; unit <= FA_NVME_UNIT_NORMAL;
	     unit++) {
		struct fa_ng_unit *eu = &e->unit[unit];

		fa_nvme_unit_info(a, unit, &eu->u);
		eu->boundary = (uint64_t)eu->u.boundary_blocks * e->lbs;
		eu->boundary_start = (uint64_t)eu->u.nabo * e->lbs;
		/* From a boundary, only the unit and NLB can stop a write. */
		start = eu->u.boundary_blocks ? eu->boundary_start : 0;
		for (n = 1; n <= FA_NVME_MAX_BLOCKS; n++)
			if (fa_nvme_check_io(a, unit, start, n * e->lbs, &v) ==
			    FA_NVME_RULE_OK)
				eu->length_max = n * e->lbs;
	}
}

void fa_pt_fill(struct fa_pt_limits *pl)
{
	char origin[FA_ORIGIN_LEN];
	uint64_t min = 0, max = 0;

	if (pl->kind == FA_PT_SG) {
		const struct fa_sg_enforced *e = &pl->sg_enf;

		fa_sg_enforced(&pl->sg, pl->path, &pl->sg_enf);
		if (e->length_max && !e->sd.use_boundary) {
			min = e->length_min;
			max = e->length_max;
		} else {
			min = e->boundary_length_min;
			max = e->boundary_length_max;
		}
		snprintf(origin, sizeof(origin),
			 "atomic-sg's rules on the Block Limits VPD page (B0h) of %.200s",
			 pl->path);
		fa_value_set(&pl->enf_unit_min, min, FA_SRC_SCSI_VPD, origin);
		fa_value_set(&pl->enf_unit_max, max, FA_SRC_SCSI_VPD, origin);
		snprintf(origin, sizeof(origin), "READ CAPACITY(16) of %.200s",
			 pl->path);
		fa_value_set(&pl->dev_logical_block,
			  pl->sg.cap.logical_block_length, FA_SRC_SCSI_VPD,
			  origin);
	} else {
		const struct fa_ng_unit *eu =
			&pl->ng_enf.unit[FA_NVME_UNIT_POWERFAIL];

		fa_ng_enforced(&pl->ng, &pl->ng_enf);
		snprintf(origin, sizeof(origin),
			 "atomic-nvme's power-fail unit (%s=%u from NVMe %s of %.120s)",
			 eu->u.unit_field, eu->u.unit_value, eu->u.unit_source,
			 pl->path);
		fa_value_set(&pl->enf_unit_min, pl->ng_enf.lbs, FA_SRC_NVME_ID,
			  origin);
		fa_value_set(&pl->enf_unit_max, eu->length_max, FA_SRC_NVME_ID,
			  origin);
		snprintf(origin, sizeof(origin),
			 "lbads=%u of NVMe Identify Namespace of %.200s",
			 pl->ng.lbads, pl->path);
		fa_value_set(&pl->dev_logical_block, pl->ng_enf.lbs,
			  FA_SRC_NVME_ID, origin);
	}
}

static int fa_pt_sg_read(struct fa_pt_limits *pl, char *why, size_t len)
{
	char name[128];
	int fd, ret;

	/* O_NONBLOCK: an sg node held O_EXCL elsewhere fails at once. */
	fd = open(pl->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, len, "cannot open %s: %s", pl->path,
			 strerror(-ret));
		return ret;
	}
	ret = fa_scsi_probe(fd, &pl->sg, why, len);
	close(fd);
	if (ret)
		return ret;
	pl->block_err = fa_scsi_block_name("/sys", pl->major, pl->minor, name,
					   sizeof(name));
	if (!pl->block_err)
		snprintf(pl->block, sizeof(pl->block), "/dev/%s", name);
	return 0;
}

static int fa_pt_ng_read(struct fa_pt_limits *pl, char *why, size_t len)
{
	struct stat st;
	int ret;

	ret = fa_nvme_identify(pl->path, &pl->ng, why, len);
	if (ret)
		return ret;
	/* The kernel names a namespace's block device as its ng node. */
	pl->block_err = fa_nvme_block_path(pl->path, pl->block,
					   sizeof(pl->block));
	if (!pl->block_err && (stat(pl->block, &st) || !S_ISBLK(st.st_mode)))
		pl->block_err = -ENODEV;
	if (pl->block_err)
		pl->block[0] = '\0';
	return 0;
}

int fa_pt_discover(const char *path, struct fa_pt_limits *pl, char *why,
		   size_t len)
{
	struct stat st;
	int ret;

	memset(pl, 0, sizeof(*pl));
	if (len)
		why[0] = '\0';
	if (fa_strlcpy(pl->path, path, sizeof(pl->path)) >= sizeof(pl->path))
		return -ENAMETOOLONG;
	if (stat(path, &st) < 0) {
		ret = -errno;
		snprintf(why, len, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (!S_ISCHR(st.st_mode)) {
		snprintf(why, len, "%s is not a character device", path);
		return -ENOTBLK;
	}
	pl->major = major(st.st_rdev);
	pl->minor = minor(st.st_rdev);
	ret = fa_pt_classify("/sys", pl->major, pl->minor, &pl->kind, pl->cls,
			     sizeof(pl->cls));
	if (ret == -ENOENT)
		ret = 0;	/* no sysfs entry: a kind of its own */
	if (ret) {
		snprintf(why, len, "%s: sysfs of char device %u:%u: %s", path,
			 pl->major, pl->minor, strerror(-ret));
		return ret;
	}
	if (pl->kind == FA_PT_NONE) {
		snprintf(why, len,
			 "%s is a character device %u:%u of class '%s', neither a SCSI generic node (sg, class scsi_generic) nor an NVMe generic node (ng, class nvme-generic)",
			 path, pl->major, pl->minor,
			 pl->cls[0] ? pl->cls : "none");
		return -ENOTTY;
	}
	ret = pl->kind == FA_PT_SG ? fa_pt_sg_read(pl, why, len) :
				     fa_pt_ng_read(pl, why, len);
	if (ret)
		return ret;
	fa_pt_fill(pl);
	return 0;
}

bool fa_pt_supported(const struct fa_pt_limits *pl)
{
	if (pl->kind == FA_PT_SG)
		return pl->sg_enf.supported;
	/* A unit is at least one block: awupf and nawupf are 0's based. */
	return pl->kind == FA_PT_NG && pl->ng_enf.unit[0].length_max;
}

/*
 * Is a naturally aligned RWF_ATOMIC write of @length at @offset one the
 * engine accepts, as the kernel's driver sends it? @msg says why not.
 */
static bool fa_pt_accepts(const struct fa_pt_limits *pl, uint64_t offset,
			  uint64_t length, char *msg, size_t len)
{
	char what[96], rule[400];

	snprintf(what, sizeof(what),
		 "an RWF_ATOMIC write of %" PRIu64 " bytes at offset %" PRIu64,
		 length, offset);
	if (pl->kind == FA_PT_SG) {
		const struct fa_sg_enforced *e = &pl->sg_enf;
		struct fa_scsi_verdict v;
		uint32_t lbs = e->lbs;
		uint32_t b = e->sd.use_boundary && lbs ?
			     (uint32_t)(length / lbs) : 0;

		if (!fa_scsi_check_write(&pl->sg.bl, lbs, offset, length, b,
					 &v))
			return true;
		fa_scsi_verdict_message(&v, lbs, "length", pl->path, rule,
					sizeof(rule));
		snprintf(msg, len, "%s: %s", what, rule);
	} else {
		struct fa_nvme_verdict v;

		if (!fa_nvme_check_io(&pl->ng, FA_NVME_UNIT_POWERFAIL, offset,
				      length, &v))
			return true;
		fa_nvme_verdict_message(&pl->ng, &v, what, msg, len);
	}
	return false;
}

int fa_pt_crosscheck(const struct fa_pt_limits *pl,
		     const struct fa_limits *blk, struct fa_disagreement *out,
		     int max)
{
	uint64_t length, k, nr_offsets;
	char msg[512], why[sizeof(out->explanation)];
	const struct fa_value *a, *b;
	const char *what;
	int n = 0;

	if (!blk)
		return 0;
	if (blk->sys_logical_block.known &&
	    blk->sys_logical_block.value != pl->dev_logical_block.value)
		n = fa_disagreement_add(out, max, n, "logical_block",
					&pl->dev_logical_block,
					&blk->sys_logical_block,
				   "the logical block size read through the passthrough node and the block queue's disagree");
	if (!fa_limits_supported(blk) || !fa_is_pow2(blk->unit_min.value))
		return n;

	/* SCSI rules repeat with the alignment; NVMe's with a boundary. */
	nr_offsets = pl->kind == FA_PT_NG ? 4 : 2;
	for (length = blk->unit_min.value; length && length <=
	     blk->unit_max.value; length <<= 1) {
		for (k = 0; k < nr_offsets; k++)
			if (!fa_pt_accepts(pl, k * length, length, msg,
					   sizeof(msg)))
				break;
		if (k == nr_offsets)
			continue;
		if (length > pl->enf_unit_max.value) {
			what = "unit_max";
			a = &pl->enf_unit_max;
			b = &blk->unit_max;
		} else if (length < pl->enf_unit_min.value) {
			what = "unit_min";
			a = &pl->enf_unit_min;
			b = &blk->unit_min;
		} else {
			/* in range, refused by granularity or alignment */
			what = "atomic_write";
			a = &pl->enf_unit_max;
			b = &blk->unit_max;
		}
		snprintf(why, sizeof(why),
			 "%s refuses what the kernel takes: %.200s",
			 pl->kind == FA_PT_SG ? "atomic-sg" : "atomic-nvme",
			 msg);
		n = fa_disagreement_add(out, max, n, what, a, b, why);
		break;	/* one is enough: the rest follow from it */
	}
	return n;
}
