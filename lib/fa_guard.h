/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: refuse to write to a block device that is in use.
 */
#ifndef FA_GUARD_H
#define FA_GUARD_H

#include <stddef.h>

/**
 * fa_guard_device() - is a block device safe to overwrite?
 * @path:	block device
 * @why, @len:	receives the reason when it is not
 *
 * A device is in use when it (or one of its partitions) is mounted, is held
 * by another device (LVM, MD, dm), has partitions, or carries a filesystem
 * or RAID signature that libblkid recognises.
 *
 * Return: 0 when safe, -EBUSY when in use (with @why), other -errno when
 * the device could not be examined.
 */
int fa_guard_device(const char *path, char *why, size_t len);

/**
 * fa_guard_mounted_in() - is major:minor mounted, per a mountinfo file?
 * Return: 1 mounted (mount point in @where), 0 not, -errno on error.
 */
int fa_guard_mounted_in(const char *mountinfo, unsigned int major,
			unsigned int minor, char *where, size_t len);

#endif /* FA_GUARD_H */
