/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: atomic write limits of a path, where each came from, and the
 * kernel's rules for an untorn write checked against them.
 *
 * Nothing in lib/ prints or exits: functions return 0 or -errno, or a typed
 * result, and the caller decides what to tell the user.
 */
#ifndef FA_LIMITS_H
#define FA_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fa_device_view;

/* Where a limit was read. */
enum fa_source {
	FA_SRC_NONE = 0,	/* not known */
	FA_SRC_STATX,		/* statx(STATX_WRITE_ATOMIC / STATX_DIOALIGN) */
	FA_SRC_SYSFS,		/* /sys/block/<disk>/queue/... */
	FA_SRC_SCSI_VPD,	/* SCSI Block Limits VPD page (B0h) */
	FA_SRC_NVME_ID,		/* NVMe Identify Controller / Namespace */
	FA_SRC_RULE,		/* a rule of the kernel, not a reading */
};

#define FA_ORIGIN_LEN	320

/**
 * struct fa_value - one limit and its provenance
 * @value:	the limit, in bytes unless the field says otherwise
 * @known:	false when the source did not report it
 * @source:	kind of source
 * @origin:	human-readable source, e.g. "statx on /mnt/x/f" or
 *		"/sys/block/loop0/queue/atomic_write_unit_max_bytes"
 */
struct fa_value {
	uint64_t value;
	bool known;
	enum fa_source source;
	char origin[FA_ORIGIN_LEN];
};

/* fa_value_set() - @v is known: @value, read from @src at @origin */
void fa_value_set(struct fa_value *v, uint64_t value, enum fa_source src,
		  const char *origin);

enum fa_path_kind {
	FA_KIND_OTHER = 0,
	FA_KIND_REGULAR,
	FA_KIND_BLOCK,
};

/**
 * struct fa_limits - every atomic write limit of one path, by source
 *
 * The statx and sysfs readings are kept apart so that disagreements can be
 * shown; @unit_min, @unit_max and @segments_max are the ones the kernel
 * enforces on a write to @path (statx where it reports them, which is what
 * the write path checks, else sysfs).
 */
struct fa_limits {
	char path[4096];
	enum fa_path_kind kind;
	unsigned int dev_major, dev_minor;	/* of the device holding it */

	/* statx(2) */
	bool statx_atomic;		/* STATX_WRITE_ATOMIC in stx_mask */
	bool statx_attr_atomic;		/* STATX_ATTR_WRITE_ATOMIC set */
	bool statx_dioalign;		/* STATX_DIOALIGN in stx_mask */
	struct fa_value stx_unit_min;
	struct fa_value stx_unit_max;
	struct fa_value stx_unit_max_opt;	/* 6.16+, 0 = not reported */
	struct fa_value stx_segments_max;
	struct fa_value stx_dio_mem_align;
	struct fa_value stx_dio_offset_align;

	/* sysfs queue of the disk behind a block device (or a loop's file) */
	char queue_dir[512];		/* "" when there is none */
	char disk[64];			/* e.g. "sda" for /dev/sda1 */
	bool partition;
	struct fa_value sys_unit_min;
	struct fa_value sys_unit_max;
	struct fa_value sys_max_bytes;
	struct fa_value sys_boundary;
	struct fa_value sys_logical_block;
	struct fa_value sys_physical_block;
	struct fa_value sys_max_hw_sectors;	/* in bytes */
	struct fa_value sys_max_segments;

	/*
	 * An NVMe multipath head node stacks its limits from the path nodes
	 * (the multipath directory of the disk); the first path's are kept here.
	 */
	char mpath_node[64];
	struct fa_value mpath_unit_min;
	struct fa_value mpath_unit_max;

	/*
	 * A stacked disk (md, dm, LVM: slaves/ in sysfs): how many members,
	 * and the limits the kernel's stacking rule gives over theirs
	 * (fa_stack_rule(); known only when the disk has members).
	 */
	int stack_members;
	int stack_verdict;		/* enum fa_stack_verdict */
	struct fa_value stack_unit_min;
	struct fa_value stack_unit_max;
	struct fa_value stack_max_bytes;

	/*
	 * The device's own view (SCSI Block Limits VPD, NVMe Identify), read
	 * by fa_limits_read_device(), and the queue limits the kernel should
	 * derive from it (the driver's hw limits, then the block layer's
	 * clamp to max_hw_sectors and the largest guaranteed bio).
	 */
	bool device_read;
	int device_err;			/* -errno when it could not be read */
	struct fa_device_view *device;	/* NULL unless device_read */
	struct fa_value expect_unit_min;
	struct fa_value expect_unit_max;
	struct fa_value expect_max_bytes;
	struct fa_value expect_boundary;
	struct fa_value dev_logical_block;

	/* what the kernel enforces on a write to path */
	struct fa_value unit_min;
	struct fa_value unit_max;
	struct fa_value segments_max;
};

/**
 * fa_limits_discover() - read every limit of @path
 * @path:	regular file or block device
 * @lim:	filled in; values a source does not report stay unknown
 *
 * Return: 0, or -errno when @path cannot be examined at all (-ENOENT,
 * -EACCES, ...). A path without atomic support is not an error: the limits
 * say so and fa_limits_supported() is false.
 */
int fa_limits_discover(const char *path, struct fa_limits *lim);

/**
 * fa_limits_from_sysfs() - read a block queue directory into @lim
 * @queue_dir:	e.g. "/sys/block/sda/queue" (tests point it at a fake tree)
 *
 * Missing files leave their values unknown; a file that does not hold a
 * number gives -EINVAL and names nothing else.
 */
int fa_limits_from_sysfs(const char *queue_dir, struct fa_limits *lim);

/**
 * fa_limits_resolve_queue() - find the sysfs queue of a block device
 * @major, @minor: device numbers
 * @sysfs_root: "/sys" (tests point it at a fake tree)
 * @queue_dir, @len: receives ".../block/<disk>/queue"
 * @disk: receives the disk name (at least 64 bytes)
 * @partition: set when the device is a partition of @disk
 */
int fa_limits_resolve_queue(unsigned int major, unsigned int minor,
			    const char *sysfs_root, char *queue_dir, size_t len,
			    char *disk, bool *partition);

/**
 * fa_limits_read_device() - read the device's own view of @lim's block
 * device (SCSI or NVMe, by the disk's driver) and derive what the kernel
 * should report. Needs root (SG_IO, NVMe admin commands).
 *
 * Return: 0; -ENOTTY for a device that is neither SCSI nor NVMe; other
 * -errno when it could not be read (kept in @lim->device_err too).
 */
int fa_limits_read_device(struct fa_limits *lim);

/**
 * fa_limits_expect() - the queue limits the block layer derives from a
 * driver's hw limits: unit_min and unit_max clamped to the largest bio the
 * queue guarantees to take whole (max_hw_sectors, and max_segments pages).
 * Exposed for unit tests.
 */
void fa_limits_expect(struct fa_limits *lim);

/** fa_limits_release() - free what fa_limits_read_device() allocated */
void fa_limits_release(struct fa_limits *lim);

/** fa_limits_finish() - choose the enforced limits from the readings */
void fa_limits_finish(struct fa_limits *lim);

/** fa_limits_supported() - the kernel accepts some atomic write to path */
bool fa_limits_supported(const struct fa_limits *lim);

/**
 * fa_limits_unsupported_reason() - why fa_limits_supported() is false
 * Writes a sentence without a trailing period into @buf.
 */
void fa_limits_unsupported_reason(const struct fa_limits *lim, char *buf,
				  size_t len);

/* A disagreement between two sources of the same limit. */
struct fa_disagreement {
	const char *what;		/* "unit_max" */
	const struct fa_value *a;
	const struct fa_value *b;
	char explanation[256];
};

/**
 * fa_disagreement_add() - record disagreement @n (when @out has room)
 * Return: @n + 1, the count whether or not it was stored.
 */
int fa_disagreement_add(struct fa_disagreement *out, int max, int n,
			const char *what, const struct fa_value *a,
			const struct fa_value *b, const char *why);

/**
 * fa_limits_crosscheck() - compare every limit reported by two sources
 * Return: the number of disagreements found; at most @max are stored.
 */
int fa_limits_crosscheck(const struct fa_limits *lim,
			 struct fa_disagreement *out, int max);

/* The rules an atomic write must follow, in the order they are checked. */
enum fa_rule {
	FA_RULE_OK = 0,
	FA_RULE_UNSUPPORTED,	/* target has no atomic write support */
	FA_RULE_DIRECT,		/* needs O_DIRECT */
	FA_RULE_POW2,		/* length a power of two */
	FA_RULE_MIN,		/* length >= unit_min */
	FA_RULE_MAX,		/* length <= unit_max */
	FA_RULE_ALIGN,		/* offset naturally aligned to length */
	FA_RULE_SEGMENTS,	/* iovec count <= segments_max */
	FA_RULE_UBUF,		/* one user buffer, not registered buffers */
	FA_RULE_NR,
};

/** fa_rule_name() - short stable name, used in counters and JSON */
const char *fa_rule_name(enum fa_rule rule);

/** fa_rule_errno() - the errno the kernel gives for breaking @rule */
int fa_rule_errno(enum fa_rule rule);

/**
 * struct fa_write - one planned atomic write
 * @offset:	byte offset in the file or device
 * @length:	bytes
 * @nr_segs:	iovec count
 * @direct:	opened with O_DIRECT
 * @registered_buffer: an io_uring fixed (registered) buffer: it reaches the
 *		kernel as a bvec iterator, and generic_atomic_write_valid()
 *		takes only a single user buffer (ITER_UBUF)
 */
struct fa_write {
	uint64_t offset;
	uint64_t length;
	unsigned int nr_segs;
	bool direct;
	bool registered_buffer;
};

/**
 * struct fa_verdict - the first rule a write breaks
 * @rule:	FA_RULE_OK when it breaks none
 * @value:	the offending value (length, offset or segment count)
 * @limit:	the limit it broke (or the required alignment)
 * @src:	the limit's provenance (NULL for pure rules such as POW2)
 */
struct fa_verdict {
	enum fa_rule rule;
	uint64_t value;
	uint64_t limit;
	const struct fa_value *src;
};

/** fa_check_write() - apply the kernel's atomic write rules to @w */
enum fa_rule fa_check_write(const struct fa_limits *lim,
			    const struct fa_write *w, struct fa_verdict *v);

/**
 * fa_verdict_message() - the user-facing sentence for a failed verdict
 * @what:	how the value was spelled in the job, e.g. "bs" or "offset"
 *
 * e.g. "bs=24576 is not a power of two (atomic writes here must be
 * 4096..1048576 bytes, from statx on /mnt/x/f)".
 */
void fa_verdict_message(const struct fa_limits *lim,
			const struct fa_verdict *v, const char *what,
			char *buf, size_t len);

#define FA_JOB_MAX_SIZES	64

/**
 * struct fa_job - every write a job can produce, summarised
 * @sizes:	each distinct write length the job can issue
 * @size_opt:	the job option each size came from ("bs", "bssplit", ...)
 * @offset_align: every write offset is a multiple of this
 * @align_opt:	the option that sets @offset_align ("blockalign", ...)
 * @start_offset: first byte the job writes
 * @nr_segs:	iovecs per write
 * @direct:	O_DIRECT
 * @registered_buffer: writes come from io_uring registered buffers
 */
struct fa_job {
	uint64_t sizes[FA_JOB_MAX_SIZES];
	const char *size_opt[FA_JOB_MAX_SIZES];
	int nr_sizes;
	uint64_t offset_align;
	const char *align_opt;
	uint64_t start_offset;
	unsigned int nr_segs;
	bool direct;
	bool registered_buffer;
};

/** fa_job_add_size() - record a size once; -E2BIG when full */
int fa_job_add_size(struct fa_job *job, uint64_t size, const char *opt);

/**
 * fa_check_job() - check every write @job can produce before the first one
 * @msg, @len:	receives the message of the first broken rule
 *
 * Return: the first broken rule, FA_RULE_OK when the job is safe.
 */
enum fa_rule fa_check_job(const struct fa_limits *lim, const struct fa_job *job,
			  struct fa_verdict *v, char *msg, size_t len);

/* Helpers shared with the engines' job checks. */
static inline bool fa_is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

#endif /* FA_LIMITS_H */
