/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the mount table, through libmount: which filesystem is
 * mounted from a device, and which one holds a path (its type, mount
 * point, source and options).
 */
#ifndef FA_MOUNT_H
#define FA_MOUNT_H

#include <stddef.h>

#define FA_MOUNTINFO	"/proc/self/mountinfo"

/**
 * struct fa_mount - one entry of a mount table
 * @type:	filesystem type ("xfs")
 * @target:	mount point
 * @source:	what is mounted ("/dev/loop0"); "" when the table has none
 * @options:	VFS and filesystem options, merged ("rw,relatime,attr2,...")
 * @major, @minor: the st_dev of the filesystem
 */
struct fa_mount {
	char type[64];
	char target[4096];
	char source[4096];
	char options[2048];
	unsigned int major, minor;
};

/**
 * fa_mount_find_devno() - the last mount of major:minor in @mountinfo
 * @mountinfo:	a mountinfo file (FA_MOUNTINFO; tests give their own)
 * @m:		filled when found (strings cut to their fields' sizes)
 *
 * Return: 1 found, 0 not mounted, -errno when @mountinfo cannot be read
 * or parsed.
 */
int fa_mount_find_devno(const char *mountinfo, unsigned int major,
			unsigned int minor, struct fa_mount *m);

/**
 * fa_mount_find_path() - the filesystem holding @path
 * @path:	an absolute, canonical path (realpath()), existing or not
 *
 * The mount whose mount point is the longest leading part of @path, the
 * last one mounted when several are (what the kernel resolves @path to).
 *
 * Return: 1 found, 0 none, -errno as fa_mount_find_devno().
 */
int fa_mount_find_path(const char *mountinfo, const char *path,
		       struct fa_mount *m);

#endif /* FA_MOUNT_H */
