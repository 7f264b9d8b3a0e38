// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the destructive-write guard: finding a major:minor in a
 * fake mountinfo file through libmount (found, not found, malformed lines
 * after the first skipped, long lines, missing file), and
 * fa_guard_device() refusing what is not a block device and a block
 * device that is mounted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_guard.h"
#include "fa_test.h"

static char mountinfo[PATH_MAX];
static char where[PATH_MAX];
static char why[PATH_MAX + 256];

static int setup(void)
{
	strcpy(where, "untouched");
	why[0] = '\0';
	if (fa_tree_make("fa-guard"))
		return -1;
	snprintf(mountinfo, sizeof(mountinfo), "%s/mountinfo", fa_tree);
	return 0;
}

static int write_mountinfo(const char *text)
{
	return fa_tree_put("mountinfo", text);
}

/* fa_guard_mounted_in() on a mountinfo of @text, for device 8:@minor */
static int mounted_in(const char *text, unsigned int minor)
{
	int ret = write_mountinfo(text);

	return ret ? ret : fa_guard_mounted_in(mountinfo, 8, minor, where,
					       sizeof(where));
}

#define MOUNTINFO_ROOT \
	"22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
#define MOUNTINFO_PROC \
	"23 22 0:21 / /proc rw,nosuid,nodev,noexec shared:12 - proc proc rw\n"
#define MOUNTINFO_SDA1 \
	"36 22 8:1 / /mnt/data rw,noatime shared:20 - xfs /dev/sda1 rw\n"

static void test_mounted_found(void)
{
	FA_ASSERT_EQ(mounted_in(MOUNTINFO_ROOT MOUNTINFO_PROC
				MOUNTINFO_SDA1, 1), 1);
	FA_ASSERT_STREQ(where, "/mnt/data");
}

static void test_mounted_not_found(void)
{
	FA_ASSERT_EQ(mounted_in(MOUNTINFO_ROOT MOUNTINFO_PROC
				MOUNTINFO_SDA1, 0), 0);
	FA_ASSERT_STREQ(where, "untouched");
}

static void test_mounted_minor_must_match(void)
{
	FA_ASSERT_EQ(mounted_in(MOUNTINFO_SDA1, 17), 0);
}

/*
 * libmount tells the table's format from its first line, which the
 * kernel always writes whole; the lines after it may be anything.
 */
static void test_mounted_malformed_lines_skipped(void)
{
	FA_ASSERT_EQ(mounted_in(MOUNTINFO_ROOT
				"garbage\n"
				"\n"
				"1 2 x:y / /a rw - xfs /dev/x rw\n"
				"1 2 8:1\n"
				MOUNTINFO_SDA1, 1), 1);
	FA_ASSERT_STREQ(where, "/mnt/data");
}

static void test_mounted_empty_file(void)
{
	FA_ASSERT_EQ(mounted_in("", 1), 0);
}

static void test_mounted_last_line_without_newline(void)
{
	FA_ASSERT_EQ(mounted_in(MOUNTINFO_ROOT
				"36 22 8:1 / /mnt/data rw - xfs /dev/sda1 rw",
				1), 1);
	FA_ASSERT_STREQ(where, "/mnt/data");
}

static void test_mounted_where_truncated(void)
{
	char small[4];

	FA_ASSERT_EQ(write_mountinfo(MOUNTINFO_SDA1), 0);
	FA_ASSERT_EQ(fa_guard_mounted_in(mountinfo, 8, 1, small,
					 sizeof(small)), 1);
	FA_ASSERT_STREQ(small, "/mn");
}

/* Mount options can be far longer than a line buffer (overlayfs lowerdir). */
static void test_mounted_long_line_still_found(void)
{
	static char text[16384];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text),
			     "40 22 8:1 / /mnt/data rw - overlay overlay rw,lowerdir=");
	while (n < 8000)
		text[n++] = 'a';
	text[n++] = '\n';
	text[n] = '\0';
	FA_ASSERT_EQ(mounted_in(text, 1), 1);
	FA_ASSERT_STREQ(where, "/mnt/data");
}

static void test_mounted_missing_file(void)
{
	FA_ASSERT_EQ(fa_guard_mounted_in(mountinfo, 8, 1, where,
					 sizeof(where)), -ENOENT);
}

static void test_device_regular_file(void)
{
	FA_ASSERT_EQ(write_mountinfo(""), 0);
	FA_ASSERT_EQ(fa_guard_device(mountinfo, why, sizeof(why)), -ENOTBLK);
	FA_ASSERT_CONTAINS(why, "is not a block device");
}

static void test_device_missing(void)
{
	FA_ASSERT_EQ(fa_guard_device(mountinfo, why, sizeof(why)), -ENOENT);
}

/* Some block device this system has mounted, found in the real mountinfo. */
static int find_mounted_block_device(char *dev, size_t len)
{
	char line[8192], source[PATH_MAX];
	unsigned int ma, mi;
	struct stat st;
	int found = 0;
	FILE *fp;

	fp = fopen("/proc/self/mountinfo", "re");
	if (!fp)
		return 0;
	while (!found && fgets(line, sizeof(line), fp)) {
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*u %*u %u:%u", &ma, &mi) != 2 ||
		    sscanf(sep, " - %*s %4095s", source) != 1)
			continue;
		if (stat(source, &st) || !S_ISBLK(st.st_mode) ||
		    major(st.st_rdev) != ma || minor(st.st_rdev) != mi)
			continue;
		snprintf(dev, len, "%s", source);
		found = 1;
	}
	fclose(fp);
	return found;
}

static void test_device_mounted_refused(void)
{
	char dev[PATH_MAX];

	if (geteuid())
		FA_SKIP("not root: block devices cannot be probed");
	if (!find_mounted_block_device(dev, sizeof(dev)))
		FA_SKIP("no block device is mounted here (container?)");
	FA_ASSERT_EQ(fa_guard_device(dev, why, sizeof(why)), -EBUSY);
	FA_ASSERT_CONTAINS(why, "is mounted on");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_mounted_found),
	FA_TEST(test_mounted_not_found),
	FA_TEST(test_mounted_minor_must_match),
	FA_TEST(test_mounted_malformed_lines_skipped),
	FA_TEST(test_mounted_empty_file),
	FA_TEST(test_mounted_last_line_without_newline),
	FA_TEST(test_mounted_where_truncated),
	FA_TEST(test_mounted_long_line_still_found),
	FA_TEST(test_mounted_missing_file),
	FA_TEST(test_device_regular_file),
	FA_TEST(test_device_missing),
	FA_TEST(test_device_mounted_refused),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
