// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the mount table through libmount (see fa_mount.h); this is
 * the one file that talks to libmount.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <libmount/libmount.h>

#include "fa_mount.h"
#include "fa_util.h"

static int fa_mount_table(const char *mountinfo, struct libmnt_table **tb)
{
	*tb = mnt_new_table();
	if (!*tb)
		return -ENOMEM;
	/* libmount returns -errno, or a negative count of bad lines */
	if (mnt_table_parse_file(*tb, mountinfo)) {
		mnt_unref_table(*tb);
		*tb = NULL;
		return -errno ? -errno : -EINVAL;
	}
	return 0;
}

static void fa_mount_copy(struct libmnt_fs *fs, struct fa_mount *m)
{
	const char *s;
	dev_t dev = mnt_fs_get_devno(fs);

	s = mnt_fs_get_fstype(fs);
	fa_strlcpy(m->type, s ? s : "", sizeof(m->type));
	s = mnt_fs_get_target(fs);
	fa_strlcpy(m->target, s ? s : "", sizeof(m->target));
	s = mnt_fs_get_source(fs);
	fa_strlcpy(m->source, s ? s : "", sizeof(m->source));
	s = mnt_fs_get_options(fs);
	fa_strlcpy(m->options, s ? s : "", sizeof(m->options));
	m->major = major(dev);
	m->minor = minor(dev);
}

int fa_mount_find_devno(const char *mountinfo, unsigned int maj,
			unsigned int min, struct fa_mount *m)
{
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	int ret;

	ret = fa_mount_table(mountinfo, &tb);
	if (ret)
		return ret;
	fs = mnt_table_find_devno(tb, makedev(maj, min), MNT_ITER_BACKWARD);
	if (fs)
		fa_mount_copy(fs, m);
	mnt_unref_table(tb);
	return fs ? 1 : 0;
}

int fa_mount_find_path(const char *mountinfo, const char *path,
		       struct fa_mount *m)
{
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	char *dir, *slash;
	int ret;

	if (!path || path[0] != '/')
		return -EINVAL;
	ret = fa_mount_table(mountinfo, &tb);
	if (ret)
		return ret;
	/*
	 * mnt_table_find_mountpoint() would stat() the path, which a file
	 * about to be made does not have: its leading parts by name instead.
	 */
	dir = strdup(path);
	if (!dir) {
		mnt_unref_table(tb);
		return -ENOMEM;
	}
	for (;;) {
		fs = mnt_table_find_target(tb, dir, MNT_ITER_BACKWARD);
		slash = strrchr(dir, '/');
		if (fs || !slash || !dir[1])
			break;
		slash[slash == dir] = '\0';
	}
	if (fs)
		fa_mount_copy(fs, m);
	free(dir);
	mnt_unref_table(tb);
	return fs ? 1 : 0;
}
