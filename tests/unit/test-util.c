// SPDX-License-Identifier: GPL-2.0
/*
 * Description: fa_util.h's helpers: one size grammar for the command line
 * and fio's JSON (decimal and hexadecimal, k/m/g/t with "i" and "b", spaces
 * around, overflow), and absolute paths of files that exist and that do
 * not exist yet.
 */
#include <errno.h>
#include <inttypes.h>
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

/* @text parsed: @ret, and the size when 0 (else the output untouched) */
struct size_case {
	const char *text;
	int ret;
	uint64_t value;
};

static void expect_sizes(const struct size_case *sc, size_t nr)
{
	uint64_t v;
	size_t i;
	int ret;

	for (i = 0; i < nr; i++, sc++) {
		v = 7;
		ret = size(sc->text, &v);
		if (ret != sc->ret || v != (sc->ret ? 7 : sc->value))
			FA_FAIL("\"%s\": %d, %" PRIu64 "; want %d, %" PRIu64,
				sc->text, ret, v, sc->ret,
				sc->ret ? 7 : sc->value);
	}
}

static void test_sizes(void)
{
	static const struct size_case sc[] = {
		{ "4096", 0, 4096 },
		{ "64k", 0, 65536 },
		{ "16KiB", 0, 16384 },
		{ "1mb", 0, 1 << 20 },
		{ "2G", 0, 2ull << 30 },
		{ "1t", 0, 1ull << 40 },
		{ "0x1000", 0, 4096 },
		{ "0x10k", 0, 16384 },
		{ " 4k ", 0, 4096 },
		{ "18446744073709551615", 0, UINT64_MAX },
	};
	uint64_t v;

	expect_sizes(sc, sizeof(sc) / sizeof(sc[0]));
	/* "4k" of "4k,1m": the length bounds the text */
	FA_ASSERT_EQ(fa_parse_size("4k,1m", 2, &v), 0);
	FA_ASSERT_EQ(v, 4096);
}

static void test_not_sizes(void)
{
	static const struct size_case sc[] = {
		{ "", -EINVAL, 0 },
		{ "k", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "4q", -EINVAL, 0 },
		{ "4kq", -EINVAL, 0 },
		{ "-4k", -EINVAL, 0 },
		{ "4 k", -EINVAL, 0 },
		{ "12ab", -EINVAL, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "16777216t", -ERANGE, 0 },
	};

	expect_sizes(sc, sizeof(sc) / sizeof(sc[0]));
	/* a NUL inside the text is no unit (it was 4 TiB: strchr finds NUL) */
	{
		uint64_t v = 7;

		FA_ASSERT_EQ(fa_parse_size("4\0", 2, &v), -EINVAL);
		FA_ASSERT_EQ(v, 7);
	}
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
