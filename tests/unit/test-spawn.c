// SPDX-License-Identifier: GPL-2.0
/*
 * Description: running programs (fa_spawn.h): the argv builder formats,
 * stays NULL-terminated and stops at FA_ARGV_MAX; a child's exit status
 * and signal come back; stdout and stderr go to files or are inherited,
 * in the working directory asked for; an exec failure is 127 with a line
 * naming the program (prefixed, or none when quiet); PATH is searched
 * only when asked; FA_PRELOAD reaches the child only when asked; a stop
 * flag set by a signal handler ends the child and the wait with -EINTR.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_spawn.h"
#include "fa_test.h"

static char out[PATH_MAX], err[PATH_MAX];
static struct fa_argv a;

static int setup(void)
{
	memset(&a, 0, sizeof(a));
	if (fa_tree_make("fa-test-spawn"))
		return -1;
	snprintf(out, sizeof(out), "%s/out", fa_tree);
	snprintf(err, sizeof(err), "%s/err", fa_tree);
	return 0;
}

static void teardown(void)
{
	fa_argv_free(&a);
	fa_tree_remove();
}

/* The file's first 4 KiB, in a static buffer; "" when it is not there. */
static const char *slurp(const char *path)
{
	static char buf[4096];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* /bin/sh -c SCRIPT, its output in the files */
static int sh(const char *script, const struct fa_spawn *s)
{
	fa_argv_free(&a);
	fa_argv_add(&a, "/bin/sh");
	fa_argv_add(&a, "-c");
	fa_argv_add(&a, "%s", script);
	return fa_spawn_run(s, a.v);
}

static void test_argv(void)
{
	int i;

	fa_argv_add(&a, "--bs=%d", 4096);
	fa_argv_add(&a, "%s", "x");
	FA_ASSERT_EQ(a.n, 2);
	FA_ASSERT_STREQ(a.v[0], "--bs=4096");
	FA_ASSERT_STREQ(a.v[1], "x");
	FA_ASSERT(!a.v[2]);
	for (i = 0; i < FA_ARGV_MAX + 5; i++)
		fa_argv_add(&a, "%d", i);
	FA_ASSERT_EQ(a.n, FA_ARGV_MAX);
	FA_ASSERT(!a.v[FA_ARGV_MAX]);
	fa_argv_free(&a);
	FA_ASSERT_EQ(a.n, 0);
	FA_ASSERT(!a.v[0]);
}

static void test_status(void)
{
	const struct fa_spawn s = { .in = "/dev/null" };

	FA_ASSERT_EQ(sh("exit 0", &s), 0);
	FA_ASSERT_EQ(sh("exit 3", &s), 3);
	FA_ASSERT_EQ(sh("kill -TERM $$", &s), 128 + SIGTERM);
}

static void test_files_and_dir(void)
{
	const struct fa_spawn s = {
		.dir = fa_tree, .in = "/dev/null", .out = out, .err = err,
	};
	char want[PATH_MAX + 2], real[PATH_MAX];

	FA_ASSERT(realpath(fa_tree, real));
	FA_ASSERT_EQ(sh("pwd -P; echo oops >&2; cat", &s), 0);
	snprintf(want, sizeof(want), "%s\n", real);
	FA_ASSERT_STREQ(slurp(out), want);
	FA_ASSERT_STREQ(slurp(err), "oops\n");
	/* truncated, not appended */
	FA_ASSERT_EQ(sh("echo again", &s), 0);
	FA_ASSERT_STREQ(slurp(out), "again\n");
}

static void test_no_dir(void)
{
	const struct fa_spawn s = {
		.dir = "/nonexistent/fa-test", .out = out, .err = err,
	};

	FA_ASSERT_EQ(sh("echo ran", &s), 126);
	FA_ASSERT_STREQ(slurp(out), "");
}

static void test_exec_failure(void)
{
	struct fa_spawn s = { .in = "/dev/null", .out = out, .err = err };

	fa_argv_add(&a, "/nonexistent/fa-test-prog");
	FA_ASSERT_EQ(fa_spawn_run(&s, a.v), 127);
	FA_ASSERT_STREQ(slurp(err),
			"cannot run /nonexistent/fa-test-prog: No such file or directory\n");
	s.exec_error_prefix = "fio-atomic: qualify: ";
	FA_ASSERT_EQ(fa_spawn_run(&s, a.v), 127);
	FA_ASSERT_STREQ(slurp(err),
			"fio-atomic: qualify: cannot run /nonexistent/fa-test-prog: No such file or directory\n");
	s.flags = FA_SPAWN_QUIET;
	FA_ASSERT_EQ(fa_spawn_run(&s, a.v), 127);
	FA_ASSERT_STREQ(slurp(err), "");
}

static void test_path(void)
{
	struct fa_spawn s = { .in = "/dev/null", .out = out, .err = err };

	fa_argv_add(&a, "true");
	FA_ASSERT_EQ(fa_spawn_run(&s, a.v), 127);
	s.flags = FA_SPAWN_PATH;
	FA_ASSERT_EQ(fa_spawn_run(&s, a.v), 0);
}

static void test_preload(void)
{
	struct fa_spawn s = { .in = "/dev/null", .out = out, .err = err };
	const char *script = "echo \"$LD_PRELOAD|$ASAN_OPTIONS\"";
	char *saved = getenv("FA_PRELOAD");

	saved = saved ? strdup(saved) : NULL;
	setenv("FA_PRELOAD", "/nonexistent/fa-test.so", 1);
	FA_ASSERT_EQ(sh(script, &s), 0);
	FA_ASSERT(!strstr(slurp(out), "fa-test.so"));
	s.flags = FA_SPAWN_PRELOAD;
	FA_ASSERT_EQ(sh(script, &s), 0);
	FA_ASSERT_STREQ(slurp(out),
			"/nonexistent/fa-test.so|detect_leaks=0:abort_on_error=1\n");
	if (saved)
		setenv("FA_PRELOAD", saved, 1);
	else
		unsetenv("FA_PRELOAD");
	free(saved);
}

static volatile sig_atomic_t stop;

static void on_alarm(int sig)
{
	stop = sig;
}

static void test_stop(void)
{
	const struct fa_spawn s = { .in = "/dev/null", .stop = &stop };
	struct itimerval t = { .it_value = { .tv_usec = 100000 } };
	struct sigaction sa, old;
	struct timespec t0, t1;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);	/* no SA_RESTART: waitpid sees EINTR */
	stop = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	setitimer(ITIMER_REAL, &t, NULL);
	ret = sh("exec sleep 30", &s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sigaction(SIGALRM, &old, NULL);
	FA_ASSERT_EQ(ret, -EINTR);
	FA_ASSERT(t1.tv_sec - t0.tv_sec < 10);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_argv),
	FA_TEST(test_status),
	FA_TEST(test_files_and_dir),
	FA_TEST(test_no_dir),
	FA_TEST(test_exec_failure),
	FA_TEST(test_path),
	FA_TEST(test_preload),
	FA_TEST(test_stop),
};

FA_TEST_MAIN(cases, setup, teardown)
