/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: a fake tree (sysfs, /dev, /etc) under a temporary directory,
 * for the unit tests that read such trees instead of the machine's, and
 * the scratch directory of those that write files.
 *
 * fa_tree_make() makes $TMPDIR/NAME.XXXXXX and keeps its path in fa_tree;
 * fa_tree_mkdir(), fa_tree_put(), fa_tree_write() and fa_tree_link() make
 * a directory, a file or a symbolic link at a path relative to it, with
 * the parents it needs, and fa_tree_open_at() a data file left open for
 * the test; fa_tree_remove() removes the tree again (only one
 * fa_tree_make() made, and without following links), so it can be a
 * test's teardown even when the setup stopped half-way. Each returns 0
 * (or the fd) or -errno (-EIO for a short write).
 */
#ifndef FA_FAKE_TREE_H
#define FA_FAKE_TREE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Short, so that every path built under it fits in PATH_MAX. */
static char fa_tree[256];
static bool fa_tree_made;

static inline int fa_tree_make(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	if ((size_t)snprintf(fa_tree, sizeof(fa_tree), "%s/%s.XXXXXX",
			     tmp ? tmp : "/tmp", name) >= sizeof(fa_tree))
		return -ENAMETOOLONG;
	if (!mkdtemp(fa_tree))
		return -errno;
	fa_tree_made = true;
	return 0;
}

static inline int fa_tree_rm_entry(const char *path, const struct stat *st,
				   int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void fa_tree_remove(void)
{
	if (fa_tree_made)
		nftw(fa_tree, fa_tree_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	fa_tree_made = false;
}

/* <fa_tree>/@rel into @path, its parent directories made. */
static inline int fa_tree_path(char *path, size_t size, const char *rel)
{
	char *p;

	if ((size_t)snprintf(path, size, "%s/%s", fa_tree, rel) >= size)
		return -ENAMETOOLONG;
	for (p = path + strlen(fa_tree) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

static inline int fa_tree_mkdir(const char *rel)
{
	char path[PATH_MAX];
	int ret = fa_tree_path(path, sizeof(path), rel);

	if (ret)
		return ret;
	return mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
}

/*
 * <fa_tree>/@rel, replacing what was there, holding @len bytes of @data
 * from byte @at (zeros before it): an fd open for reading and writing.
 */
static inline int fa_tree_open_at(const char *rel, const void *data,
				  size_t len, off_t at)
{
	char path[PATH_MAX];
	int fd = fa_tree_path(path, sizeof(path), rel);

	if (fd)
		return fd;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, data, len, at) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static inline int fa_tree_write(const char *rel, const void *data, size_t len)
{
	int fd = fa_tree_open_at(rel, data, len, 0);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* @text exactly: no newline added. */
static inline int fa_tree_put(const char *rel, const char *text)
{
	return fa_tree_write(rel, text, strlen(text));
}

static inline int fa_tree_link(const char *rel, const char *target)
{
	char path[PATH_MAX];
	int ret = fa_tree_path(path, sizeof(path), rel);

	if (ret)
		return ret;
	return symlink(target, path) ? -errno : 0;
}

#endif /* FA_FAKE_TREE_H */
