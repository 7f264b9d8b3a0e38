// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the destructive-write guard. A benchmark that overwrites a
 * mounted filesystem or an LVM member destroys data; the guard looks at
 * every place the kernel and the disk itself say a device is in use.
 */
#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fa_guard.h"
#include "fa_mount.h"
#include "fa_util.h"

int fa_guard_mounted_in(const char *mountinfo, unsigned int major,
			unsigned int minor, char *where, size_t len)
{
	struct fa_mount *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	ret = fa_mount_find_devno(mountinfo, major, minor, m);
	if (ret > 0)
		fa_strlcpy(where, m->target, len);
	free(m);
	return ret;
}

static int fa_dir_has_entries(const char *path, char *first, size_t len)
{
	struct dirent *de;
	DIR *dir;
	int n = 0;

	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (!n)
			fa_strlcpy(first, de->d_name, len);
		n++;
	}
	closedir(dir);
	return n;
}

/* Partitions of disk appear as <disk>/<name>/partition in sysfs. */
static int fa_guard_partitions(const char *disk, unsigned int *pmajor,
			       unsigned int *pminor, char *part, size_t len)
{
	char path[PATH_MAX], devfile[PATH_MAX + 272], buf[32];
	struct dirent *de;
	FILE *fp;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/sys/block/%s", disk);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, disk, strlen(disk)))
			continue;
		snprintf(devfile, sizeof(devfile), "%s/%s/dev", path,
			 de->d_name);
		fp = fopen(devfile, "re");
		if (!fp)
			continue;
		if (fgets(buf, sizeof(buf), fp) &&
		    sscanf(buf, "%u:%u", pmajor, pminor) == 2 && !n) {
			fa_strlcpy(part, de->d_name, len);
			n++;
		}
		fclose(fp);
	}
	closedir(dir);
	return n;
}

static int fa_guard_signature(const char *path, char *why, size_t len)
{
	const char *type = NULL, *usage = NULL;
	blkid_probe pr;
	int ret;

	pr = blkid_new_probe_from_filename(path);
	if (!pr)
		return -errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_USAGE);
	blkid_probe_enable_partitions(pr, 1);
	ret = blkid_do_safeprobe(pr);
	if (ret == 0) {
		blkid_probe_lookup_value(pr, "TYPE", &type, NULL);
		blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
		if (!type)
			blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL);
		snprintf(why, len, "%s holds a %s signature%s%s", path,
			 type ? type : "known",
			 usage ? " used as " : "", usage ? usage : "");
		ret = -EBUSY;
	} else if (ret == 1) {
		ret = 0;	/* nothing found */
	} else {
		snprintf(why, len, "%s holds ambiguous signatures", path);
		ret = -EBUSY;
	}
	blkid_free_probe(pr);
	return ret;
}

int fa_guard_device(const char *path, char *why, size_t len)
{
	char disk[64], holders[PATH_MAX + 96];
	char where[PATH_MAX], name[256];
	unsigned int pmajor, pminor;
	bool partition;
	dev_t whole;
	struct stat st;
	int ret;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode)) {
		snprintf(why, len, "%s is not a block device", path);
		return -ENOTBLK;
	}
	ret = fa_guard_mounted_in(FA_MOUNTINFO, major(st.st_rdev),
				  minor(st.st_rdev), where, sizeof(where));
	if (ret > 0) {
		snprintf(why, len, "%s is mounted on %s", path, where);
		return -EBUSY;
	}
	if (blkid_devno_to_wholedisk(st.st_rdev, disk, sizeof(disk),
				     &whole))
		return -ENODEV;
	partition = whole != st.st_rdev;
	snprintf(holders, sizeof(holders), "/sys/dev/block/%u:%u/holders",
		 major(st.st_rdev), minor(st.st_rdev));
	if (fa_dir_has_entries(holders, name, sizeof(name)) > 0) {
		snprintf(why, len, "%s is held by %s (LVM, MD or dm)", path,
			 name);
		return -EBUSY;
	}
	if (!partition &&
	    fa_guard_partitions(disk, &pmajor, &pminor, name, sizeof(name))) {
		if (fa_guard_mounted_in(FA_MOUNTINFO, pmajor, pminor,
					where, sizeof(where)) > 0)
			snprintf(why, len, "%s has partition %s mounted on %s",
				 path, name, where);
		else
			snprintf(why, len, "%s has partitions (%s)", path,
				 name);
		return -EBUSY;
	}
	return fa_guard_signature(path, why, len);
}
