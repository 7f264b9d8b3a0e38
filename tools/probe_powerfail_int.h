/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what the parts of the host power_fail probe share: its
 * state, the programs it runs and the scratch filesystem it makes (XFS:
 * probe_powerfail_xfs.c, which also holds the loop device and the mount;
 * ext4: probe_powerfail_ext4.c), for the crashes (probe_powerfail.c).
 */
#ifndef FA_PROBE_POWERFAIL_INT_H
#define FA_PROBE_POWERFAIL_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fa_spawn.h"
#include "probe_powerfail.h"

/* The probe's state, from its start to its cleanup. */
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
	const char *fstype;	/* "xfs" or "ext4": the scratch's */
	bool mounted;
	uint64_t file_size[FA_PF_MAX_SIZES * FA_PF_MAX_ENGINES + 1];
	int nr_files;		/* the points, then the control */
};

/* programs: stdin from /dev/null, stdout and stderr to files (NULL: /dev/null) */
int fa_pf_spawn(char *const argv[], const char *out, const char *err,
		pid_t *pid);
/* run to the end: exit status, or -errno when it could not start */
int fa_pf_run(char *const argv[], const char *out, const char *err);
/* a file's contents, "" when it cannot be read; free() it */
char *fa_pf_slurp(const char *path);
/* @p->err = the message; returns @ret */
int fa_pf_fail(struct fa_pf *p, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* the first line of a program's stderr file, for a message */
void fa_pf_first_line(const char *path, char *buf, size_t len);
/* "64k", "1m": a size as the options take it */
void fa_pf_size_str(uint64_t v, char *buf, size_t len);
/* @name in the scratch directory */
void fa_pf_path(const struct fa_pf *p, char *buf, size_t len,
		const char *name);
/* run a helper program (NULL-terminated arguments); a message on failure */
int fa_pf_helper(struct fa_pf *p, struct fa_argv *a, const char *out);
int fa_pf_cmd(struct fa_pf *p, const char *out, ...);

/* the scratch filesystem: made with the target's geometry, mounted,
 * cleaned up */
int fa_pf_make_fs(struct fa_pf *p);
int fa_pf_mount(struct fa_pf *p);
int fa_pf_umount(struct fa_pf *p);
void fa_pf_cleanup(struct fa_pf *p);
/* a file of @size laid out as one extent per filesystem block */
int fa_pf_layout(struct fa_pf *p, const char *path, uint64_t size);

/* the scratch ext4: mkfs.ext4's arguments with the target's geometry;
 * once mounted, the sizes its files take (-EOPNOTSUPP: none) */
void fa_pf_ext4_mkfs_args(struct fa_pf *p, struct fa_argv *a);
int fa_pf_ext4_sizes(struct fa_pf *p);

#endif /* FA_PROBE_POWERFAIL_INT_H */
