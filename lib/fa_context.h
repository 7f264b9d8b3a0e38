/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the run context recorded with every result (engine job
 * reports, qualify reports): the host, kernel and distribution, the fio
 * and fio-atomic builds, the target, the disk under it with its identity
 * (model, serial, firmware and where they were read), the filesystem
 * holding it and the atomic limits in force. Recorded at run time, never
 * guessed later; docs/job-report.md documents the JSON object.
 *
 * Strings are "" when not known (written as JSON null). Collection never
 * fails as a whole: what cannot be read stays unknown.
 */
#ifndef FA_CONTEXT_H
#define FA_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;
struct fa_limits;

#define FA_RUNCTX_PATH_LEN		4096

/**
 * struct fa_runctx_device - the disk under the target
 * @known:	false: no disk (tmpfs, an overlay, a node without one)
 * @name:	kernel name of the whole disk ("nvme0n1", "sda", "loop0")
 * @transport:	"nvme", "scsi", "virtio", "loop", "dm", "md", "mmc", ...
 * @vendor:	SCSI VENDOR IDENTIFICATION ("" for NVMe)
 * @model:	NVMe mn, SCSI PRODUCT IDENTIFICATION, or sysfs's model
 * @serial:	NVMe sn, SCSI unit serial number (VPD 80h)
 * @firmware:	NVMe fr, SCSI PRODUCT REVISION LEVEL
 * @source:	where the identity was read: FA_RUNCTX_SRC_* ("" when none)
 */
struct fa_runctx_device {
	bool known;
	char name[64];
	char transport[16];
	char vendor[64];
	char model[128];
	char serial[128];
	char firmware[64];
	char source[64];
};

#define FA_RUNCTX_SRC_NVME		"NVMe Identify Controller"
#define FA_RUNCTX_SRC_SCSI		"SCSI INQUIRY and VPD 80h"
#define FA_RUNCTX_SRC_SYSFS	"sysfs"

/**
 * struct fa_runctx_fs - the filesystem holding the target (files, dirs)
 * @options:	VFS and filesystem options, as libmount merges them
 */
struct fa_runctx_fs {
	bool known;
	char type[64];
	char mountpoint[FA_RUNCTX_PATH_LEN];
	char source[FA_RUNCTX_PATH_LEN];
	char options[2048];
};

/* Which of struct fa_runctx_limits's numbers are known. */
enum {
	FA_RUNCTX_UNIT_MIN		= 1 << 0,
	FA_RUNCTX_UNIT_MAX		= 1 << 1,
	FA_RUNCTX_UNIT_MAX_OPT	= 1 << 2,
	FA_RUNCTX_SEGMENTS_MAX	= 1 << 3,
};

/**
 * struct fa_runctx_limits - the atomic limits in force on the target
 * @known:	FA_RUNCTX_* bits; a number not known is written as null
 * @source:	where unit_max (else unit_min) came from
 */
struct fa_runctx_limits {
	unsigned int known;
	uint64_t unit_min, unit_max, unit_max_opt, segments_max;
	char source[320];
};

/**
 * struct fa_runctx - the context object
 * @present:	set by collection, and by the reader when a report has one
 * @host:	uname nodename
 * @kernel:	uname release
 * @distro:	PRETTY_NAME of os-release(5)
 * @fio_version: "fio-3.33" (the caller sets it: fio's, or the tool's fio)
 * @build:	git describe of the fio-atomic build
 * @target_kind: "file", "dir", "block", "sg", "ng" or "other"
 */
struct fa_runctx {
	bool present;
	char host[128];
	char kernel[128];
	char distro[256];
	char fio_version[32];
	char build[64];
	char target_path[FA_RUNCTX_PATH_LEN];
	char target_kind[16];
	struct fa_runctx_device device;
	struct fa_runctx_fs filesystem;
	struct fa_runctx_limits limits;
};

/**
 * fa_runctx_collect() - record the context of a run on @path
 * @c:		zeroed and filled; fio_version and limits are the caller's
 * @path:	the target: a file (existing or not: its directory counts),
 *		a directory, a block device, an sg or ng node
 *
 * Device identity is read from the device (root) and else from sysfs.
 * Return: 0; -errno only for bad arguments.
 */
int fa_runctx_collect(struct fa_runctx *c, const char *path);

/**
 * fa_runctx_set_limits() - the limits the kernel enforces on a write,
 * from fa_limits_discover()'s @lim
 */
void fa_runctx_set_limits(struct fa_runctx *c, const struct fa_limits *lim);

/**
 * fa_runctx_json() - @c as the JSON object "context"
 * Return: a new object, or NULL when out of memory.
 */
struct json_object *fa_runctx_json(const struct fa_runctx *c);

/**
 * fa_runctx_parse() - read a "context" object into @c
 * @obj:	the object (NULL or JSON null leave @c empty, not present)
 * @bad_key:	on failure, the member that had the wrong type
 * Return: 0, or -EINVAL for a member of the wrong type or range.
 */
int fa_runctx_parse(struct json_object *obj, struct fa_runctx *c,
		     const char **bad_key);

/**
 * fa_runctx_line() - @c in one line of text, for a tool's report: host,
 * kernel, distribution, build; the disk with its identity; the filesystem
 */
void fa_runctx_line(const struct fa_runctx *c, char *buf, size_t len);

/* --- the parts, exported for their tests ------------------------------- */

/**
 * fa_os_release_get() - one variable of an os-release(5) file
 * @buf, @len:	the file's bytes (need not be NUL-terminated)
 * @key:	e.g. "PRETTY_NAME"
 * @out, @out_len: receives the value, unquoted and unescaped, cut to fit
 *
 * Shell-like assignments as os-release(5) allows them: unquoted, '...'
 * and "..." values (with \", \\, \$ and \` escapes in double quotes),
 * comments and blank lines. A line that is not such an assignment is
 * skipped; the last assignment of @key counts, as in a shell.
 *
 * Return: 1 found, 0 not found, -EINVAL for bad arguments.
 */
int fa_os_release_get(const char *buf, size_t len, const char *key,
		      char *out, size_t out_len);

/**
 * fa_runctx_distro() - PRETTY_NAME (else NAME) from @root's
 * etc/os-release, else usr/lib/os-release; "" when neither says
 * @root:	"/" (tests give a fake tree)
 */
void fa_runctx_distro(const char *root, char *out, size_t len);

/**
 * fa_runctx_transport() - the transport of whole disk @disk
 * @sysfs_root:	"/sys" (tests give a fake tree)
 *
 * From where the disk sits in sysfs (a virtual disk by its driver's name:
 * loop, dm, md, ...) or from its device's subsystem (nvme, scsi, virtio,
 * mmc). "" when neither tells.
 */
void fa_runctx_transport(const char *sysfs_root, const char *disk,
			  char *out, size_t len);

/**
 * fa_runctx_device_sysfs() - the identity sysfs shows for whole disk
 * @d->name of transport @d->transport (model, serial, firmware; vendor
 * for SCSI); sets @d->source to FA_RUNCTX_SRC_SYSFS when it found any.
 */
void fa_runctx_device_sysfs(const char *sysfs_root, struct fa_runctx_device *d);

/**
 * fa_runctx_identity_device() - the identity read from the device
 * itself, through @node (an sg or ng node, or /dev/<disk>): NVMe Identify
 * Controller, or SCSI INQUIRY and VPD 80h. Needs root.
 * Return: 0 (fields and @d->source set), or -errno.
 */
int fa_runctx_identity_device(const char *node, struct fa_runctx_device *d);

#endif /* FA_CONTEXT_H */
