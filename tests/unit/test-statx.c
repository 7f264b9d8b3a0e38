// SPDX-License-Identifier: GPL-2.0
/*
 * Description: fa_limits_discover() on real paths of this machine: a
 * regular file in the temporary directory (whatever filesystem that is:
 * the verdict must agree with what statx reported), a missing path, a
 * directory, /dev/null, a block device, and, when there is one, a file in
 * a directory whose files take atomic writes (FA_TEST_ATOMIC_DIR, by
 * default the lab's XFS-on-loop mount /tmp/fa/mnt).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_limits.h"
#include "fa_test.h"

#define FA_XFS_SUPER_MAGIC	0x58465342

static char file[sizeof(fa_tree) + 8];	/* <tree>/file */
static struct fa_limits lim;
static char reason[1024];

static int setup(void)
{
	memset(&lim, 0, sizeof(lim));
	memset(reason, 0, sizeof(reason));
	if (fa_tree_make("fa-statx") || fa_tree_put("file", ""))
		return -1;
	snprintf(file, sizeof(file), "%s/file", fa_tree);
	return 0;
}

static void test_regular_file_kind(void)
{
	struct stat st;

	FA_ASSERT_EQ(stat(file, &st), 0);
	FA_ASSERT_EQ(fa_limits_discover(file, &lim), 0);
	FA_ASSERT_EQ(lim.kind, FA_KIND_REGULAR);
	FA_ASSERT_STREQ(lim.path, file);
	FA_ASSERT_UEQ(lim.dev_major, major(st.st_dev));
	FA_ASSERT_UEQ(lim.dev_minor, minor(st.st_dev));
}

/* Supported exactly when statx reported a usable range for the file. */
static void test_regular_file_verdict_follows_statx(void)
{
	bool statx_range;

	FA_ASSERT_EQ(fa_limits_discover(file, &lim), 0);
	statx_range = lim.statx_atomic && lim.stx_unit_min.value &&
		      lim.stx_unit_min.value <= lim.stx_unit_max.value;
	FA_ASSERT_EQ(fa_limits_supported(&lim), statx_range);
	if (fa_limits_supported(&lim)) {
		FA_ASSERT_EQ(lim.unit_max.source, FA_SRC_STATX);
		FA_ASSERT_CONTAINS(lim.unit_max.origin, "statx on ");
	} else {
		fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
		FA_ASSERT_CONTAINS(reason, file);
	}
}

static void test_regular_file_has_no_queue(void)
{
	FA_ASSERT_EQ(fa_limits_discover(file, &lim), 0);
	FA_ASSERT_STREQ(lim.queue_dir, "");
	FA_ASSERT(!lim.sys_unit_max.known);
	FA_ASSERT(!lim.sys_logical_block.known);
}

static void test_regular_file_never_disagrees(void)
{
	struct fa_disagreement d[8];

	FA_ASSERT_EQ(fa_limits_discover(file, &lim), 0);
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 0);
}

static void test_missing_path(void)
{
	char gone[300];

	snprintf(gone, sizeof(gone), "%s.gone", file);
	FA_ASSERT_EQ(fa_limits_discover(gone, &lim), -ENOENT);
}

static void test_path_too_long(void)
{
	static char path[PATH_MAX + 16];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	FA_ASSERT_EQ(fa_limits_discover(path, &lim), -ENAMETOOLONG);
}

static void test_dev_null(void)
{
	struct stat st;

	if (stat("/dev/null", &st) || !S_ISCHR(st.st_mode))
		FA_SKIP("/dev/null is not a character device here");
	FA_ASSERT_EQ(fa_limits_discover("/dev/null", &lim), 0);
	FA_ASSERT_EQ(lim.kind, FA_KIND_OTHER);
	FA_ASSERT(!fa_limits_supported(&lim));
	fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
	FA_ASSERT_CONTAINS(reason,
			   "neither a regular file nor a block device");
}

static void test_directory(void)
{
	const char *tmp = getenv("TMPDIR");

	FA_ASSERT_EQ(fa_limits_discover(tmp ? tmp : "/tmp", &lim), 0);
	FA_ASSERT_EQ(lim.kind, FA_KIND_OTHER);
	FA_ASSERT(!fa_limits_supported(&lim));
}

/* The first disk in /sys/block that has a node in /dev. */
static int find_block_device(char *dev, size_t len, char *disk,
			     size_t disk_len)
{
	struct dirent *de;
	struct stat st;
	int found = 0;
	DIR *dir;

	dir = opendir("/sys/block");
	if (!dir)
		return 0;
	while (!found && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dev, len, "/dev/%s", de->d_name);
		if (stat(dev, &st) || !S_ISBLK(st.st_mode))
			continue;
		snprintf(disk, disk_len, "%s", de->d_name);
		found = 1;
	}
	closedir(dir);
	return found;
}

static void test_block_device_reads_queue(void)
{
	char dev[300], disk[256];

	if (!find_block_device(dev, sizeof(dev), disk, sizeof(disk)))
		FA_SKIP("no block device with a node in /dev (container?)");
	FA_ASSERT_EQ(fa_limits_discover(dev, &lim), 0);
	FA_ASSERT_EQ(lim.kind, FA_KIND_BLOCK);
	FA_ASSERT_STREQ(lim.disk, disk);
	FA_ASSERT(!lim.partition);
	FA_ASSERT_CONTAINS(lim.queue_dir, "/queue");
	FA_ASSERT(lim.sys_logical_block.known);
	FA_ASSERT(lim.sys_logical_block.value >= 512);
}

static void test_atomic_file_supported(void)
{
	const char *dir = getenv("FA_TEST_ATOMIC_DIR");
	char path[300];
	struct statfs sfs;
	int fd;

	if (!dir) {
		dir = "/tmp/fa/mnt";
		if (statfs(dir, &sfs) || sfs.f_type != FA_XFS_SUPER_MAGIC)
			FA_SKIP("no XFS mounted on %s (set FA_TEST_ATOMIC_DIR to a directory whose files take atomic writes)",
				dir);
	}
	snprintf(path, sizeof(path), "%s/fa-statx.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		FA_SKIP("cannot create a file in %s: %s", dir, strerror(errno));
	close(fd);
	fa_limits_discover(path, &lim);
	unlink(path);
	FA_ASSERT_EQ(lim.kind, FA_KIND_REGULAR);
	if (!lim.statx_atomic)
		FA_SKIP("statx on %s does not report STATX_WRITE_ATOMIC (kernel older than 6.16?)",
			path);
	FA_ASSERT(fa_limits_supported(&lim));
	FA_ASSERT(fa_is_pow2(lim.unit_min.value));
	FA_ASSERT(fa_is_pow2(lim.unit_max.value));
	FA_ASSERT(lim.segments_max.known);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_regular_file_kind),
	FA_TEST(test_regular_file_verdict_follows_statx),
	FA_TEST(test_regular_file_has_no_queue),
	FA_TEST(test_regular_file_never_disagrees),
	FA_TEST(test_missing_path),
	FA_TEST(test_path_too_long),
	FA_TEST(test_dev_null),
	FA_TEST(test_directory),
	FA_TEST(test_block_device_reads_queue),
	FA_TEST(test_atomic_file_supported),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
