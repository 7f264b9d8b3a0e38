/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the few assertion macros the unit tests share.
 *
 * A test program is a table of cases, each a function testing one
 * behaviour. An FA_ASSERT*() that fails prints file:line, the expression
 * and the values, and ends the case; FA_SKIP() ends it as skipped with a
 * reason. fa_test_main() prints one PASS/FAIL/SKIP line per case and
 * returns the exit status: 0 all passed (or some skipped), 1 any failed,
 * 77 every case skipped (the last line then gives the first reason).
 */
#ifndef FA_TEST_H
#define FA_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum fa_test_state {
	FA_TEST_PASS,
	FA_TEST_FAIL,
	FA_TEST_SKIP,
};

struct fa_test_case {
	const char *name;
	void (*fn)(void);
};

#define FA_TEST(fn)	{ #fn, fn }

/* The state of the running case; one program is one translation unit. */
static enum fa_test_state fa_test_state;
static char fa_test_skip_reason[1024];

#define FA_FAIL(fmt, ...)						\
	do {								\
		fprintf(stderr, "%s:%d: " fmt "\n", __FILE__, __LINE__,	\
			##__VA_ARGS__);					\
		fa_test_state = FA_TEST_FAIL;				\
		return;							\
	} while (0)

#define FA_ASSERT(expr)							\
	do {								\
		if (!(expr))						\
			FA_FAIL("assertion failed: %s", #expr);		\
	} while (0)

/* Signed integers, including -errno returns. */
#define FA_ASSERT_EQ(a, b)						\
	do {								\
		intmax_t fa_a_ = (intmax_t)(a), fa_b_ = (intmax_t)(b);	\
		if (fa_a_ != fa_b_)					\
			FA_FAIL("assertion failed: %s == %s (%jd != %jd)", \
				#a, #b, fa_a_, fa_b_);			\
	} while (0)

/* Unsigned integers: sizes, limits, offsets. */
#define FA_ASSERT_UEQ(a, b)						\
	do {								\
		uintmax_t fa_a_ = (uintmax_t)(a), fa_b_ = (uintmax_t)(b); \
		if (fa_a_ != fa_b_)					\
			FA_FAIL("assertion failed: %s == %s (%ju != %ju)", \
				#a, #b, fa_a_, fa_b_);			\
	} while (0)

#define FA_ASSERT_STREQ(a, b)						\
	do {								\
		const char *fa_a_ = (a), *fa_b_ = (b);			\
		if (strcmp(fa_a_, fa_b_))				\
			FA_FAIL("assertion failed: %s equals %s "	\
				"(\"%s\" vs \"%s\")",			\
				#a, #b, fa_a_, fa_b_);			\
	} while (0)

#define FA_ASSERT_CONTAINS(haystack, needle)				\
	do {								\
		const char *fa_h_ = (haystack), *fa_n_ = (needle);	\
		if (!strstr(fa_h_, fa_n_))				\
			FA_FAIL("assertion failed: %s contains "	\
				"\"%s\" (it is \"%s\")",		\
				#haystack, fa_n_, fa_h_);		\
	} while (0)

#define FA_SKIP(fmt, ...)						\
	do {								\
		snprintf(fa_test_skip_reason,				\
			 sizeof(fa_test_skip_reason), fmt,		\
			 ##__VA_ARGS__);				\
		fa_test_state = FA_TEST_SKIP;				\
		return;							\
	} while (0)

/**
 * fa_test_main() - run every case, print a line for each, give the status
 * @setup, @teardown: run around every case when not NULL; a setup that
 *		fails (non-zero) fails the case without running it; teardown
 *		runs either way, so it must cope with a half-finished setup
 */
static inline int fa_test_main(const char *prog,
			       const struct fa_test_case *cases, size_t nr,
			       int (*setup)(void), void (*teardown)(void))
{
	size_t i, passed = 0, failed = 0, skipped = 0;
	char first_skip[sizeof(fa_test_skip_reason)] = "";

	for (i = 0; i < nr; i++) {
		fa_test_state = FA_TEST_PASS;
		fa_test_skip_reason[0] = '\0';
		if (setup && setup()) {
			fprintf(stderr, "%s: setup failed\n", cases[i].name);
			fa_test_state = FA_TEST_FAIL;
		} else {
			cases[i].fn();
		}
		if (teardown)
			teardown();
		switch (fa_test_state) {
		case FA_TEST_PASS:
			printf("PASS %s\n", cases[i].name);
			passed++;
			break;
		case FA_TEST_SKIP:
			printf("SKIP %s: %s\n", cases[i].name,
			       fa_test_skip_reason);
			if (!skipped++)
				snprintf(first_skip, sizeof(first_skip), "%s",
					 fa_test_skip_reason);
			break;
		case FA_TEST_FAIL:
		default:
			printf("FAIL %s\n", cases[i].name);
			failed++;
			break;
		}
		fflush(stdout);
	}
	printf("%s: %zu passed, %zu failed, %zu skipped\n", prog, passed,
	       failed, skipped);
	if (failed)
		return 1;
	if (!passed && skipped) {
		/* The runner shows the last line as the reason. */
		printf("skipped: %s\n", first_skip);
		return 77;
	}
	return 0;
}

#define FA_TEST_MAIN(cases, setup, teardown)				\
	int main(int argc, char **argv)					\
	{								\
		(void)argc;						\
		return fa_test_main(argv[0], cases,			\
				    sizeof(cases) / sizeof((cases)[0]),	\
				    setup, teardown);			\
	}

#endif /* FA_TEST_H */
