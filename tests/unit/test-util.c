// SPDX-License-Identifier: GPL-2.0
/*
 * Description: fa_util.h's helpers: one size grammar for the command line
 * and fio's JSON (decimal and hexadecimal, k/m/g/t with "i" and "b", spaces
 * around, overflow), and absolute paths of files that exist and that do
 * not exist yet.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_test.h"
#include "fa_util.h"

static int size(const char *s, uint64_t *v)
{
	return fa_parse_size(s, strlen(s), v);
}

static void test_sizes(void)
{
	uint64_t v;

	FA_ASSERT_EQ(size("4096", &v), 0);
	FA_ASSERT_EQ(v, 4096);
	FA_ASSERT_EQ(size("64k", &v), 0);
	FA_ASSERT_EQ(v, 65536);
	FA_ASSERT_EQ(size("16KiB", &v), 0);
	FA_ASSERT_EQ(v, 16384);
	FA_ASSERT_EQ(size("1mb", &v), 0);
	FA_ASSERT_EQ(v, 1 << 20);
	FA_ASSERT_EQ(size("2G", &v), 0);
	FA_ASSERT_EQ(v, 2ull << 30);
	FA_ASSERT_EQ(size("1t", &v), 0);
	FA_ASSERT_EQ(v, 1ull << 40);
	FA_ASSERT_EQ(size("0x1000", &v), 0);
	FA_ASSERT_EQ(v, 4096);
	FA_ASSERT_EQ(size("0x10k", &v), 0);
	FA_ASSERT_EQ(v, 16384);
	FA_ASSERT_EQ(size(" 4k ", &v), 0);
	FA_ASSERT_EQ(v, 4096);
	/* "4k" of "4k,1m": the length bounds the text */
	FA_ASSERT_EQ(fa_parse_size("4k,1m", 2, &v), 0);
	FA_ASSERT_EQ(v, 4096);
	FA_ASSERT_EQ(size("18446744073709551615", &v), 0);
	FA_ASSERT_EQ(v, UINT64_MAX);
}

static void test_not_sizes(void)
{
	uint64_t v = 7;

	FA_ASSERT_EQ(size("", &v), -EINVAL);
	FA_ASSERT_EQ(size("k", &v), -EINVAL);
	FA_ASSERT_EQ(size("0x", &v), -EINVAL);
	FA_ASSERT_EQ(size("4q", &v), -EINVAL);
	FA_ASSERT_EQ(size("4kq", &v), -EINVAL);
	FA_ASSERT_EQ(size("-4k", &v), -EINVAL);
	FA_ASSERT_EQ(size("4 k", &v), -EINVAL);
	FA_ASSERT_EQ(size("12ab", &v), -EINVAL);
	FA_ASSERT_EQ(size("18446744073709551616", &v), -ERANGE);
	FA_ASSERT_EQ(size("16777216t", &v), -ERANGE);
	FA_ASSERT_EQ(v, 7);
}

static void test_abspath(void)
{
	char cwd[PATH_MAX], out[PATH_MAX], dir[PATH_MAX];
	char want[PATH_MAX + 16];

	FA_ASSERT_EQ(fa_tree_make("fa-util"), 0);
	FA_ASSERT(realpath(fa_tree, dir) != NULL);
	FA_ASSERT(getcwd(cwd, sizeof(cwd)) != NULL);
	FA_ASSERT_EQ(chdir(dir), 0);
	/* a file not made yet, by a relative name: through its parent */
	FA_ASSERT_EQ(fa_abspath("new", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/new", dir);
	FA_ASSERT_STREQ(out, want);
	FA_ASSERT_EQ(fa_abspath("./.././", out, sizeof(out)), 0);
	*strrchr(dir, '/') = '\0';	/* the tree's parent, $TMPDIR */
	FA_ASSERT_STREQ(out, dir);
	FA_ASSERT_EQ(fa_abspath("/new-in-root", out, sizeof(out)), 0);
	FA_ASSERT_STREQ(out, "/new-in-root");
	FA_ASSERT_EQ(fa_abspath("no/such/dir", out, sizeof(out)), -ENOENT);
	FA_ASSERT_EQ(fa_abspath("new", out, 4), -ENAMETOOLONG);
	FA_ASSERT_EQ(chdir(cwd), 0);
	FA_ASSERT_EQ(rmdir(fa_tree), 0);	/* nothing made in it */
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_sizes),
	FA_TEST(test_not_sizes),
	FA_TEST(test_abspath),
};

FA_TEST_MAIN(cases, NULL, fa_tree_remove)
