// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: running other programs: the argv builder and the one
 * fork/exec/wait of the tools (fa_spawn.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fa_spawn.h"

void fa_argv_add(struct fa_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->n >= FA_ARGV_MAX)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

void fa_argv_free(struct fa_argv *a)
{
	while (a->n)
		free(a->v[--a->n]);
	a->v[0] = NULL;
}

/* In the child: @path onto @target_fd; a NULL path leaves it as it is. */
static int fa_spawn_redirect(const char *path, int flags, int target_fd)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, flags, 0644);
	if (fd < 0 || dup2(fd, target_fd) < 0)
		return -1;
	return 0;
}

static void __attribute__((noreturn))
fa_spawn_child(const struct fa_spawn *s, char *const argv[])
{
	const char *preload = getenv("FA_PRELOAD");

	if (fa_spawn_redirect(s->in, O_RDONLY, 0) ||
	    fa_spawn_redirect(s->out, O_WRONLY | O_CREAT | O_TRUNC, 1) ||
	    fa_spawn_redirect(s->err, O_WRONLY | O_CREAT | O_TRUNC, 2))
		_exit(127);
	if (s->dir && chdir(s->dir) < 0)
		_exit(126);
	if (s->flags & FA_SPAWN_DEFAULT_SIGNALS) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
	}
	if ((s->flags & FA_SPAWN_PRELOAD) && preload && preload[0]) {
		setenv("LD_PRELOAD", preload, 1);
		setenv("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", 1);
	}
	if (s->flags & FA_SPAWN_PATH)
		execvp(argv[0], argv);
	else
		execv(argv[0], argv);
	if (!(s->flags & FA_SPAWN_QUIET))
		dprintf(2, "%scannot run %s: %s\n",
			s->exec_error_prefix ? s->exec_error_prefix : "",
			argv[0], strerror(errno));
	_exit(127);
}

int fa_spawn_start(const struct fa_spawn *s, char *const argv[], pid_t *pid)
{
	fflush(stdout);
	fflush(stderr);
	*pid = fork();
	if (*pid < 0)
		return -errno;
	if (!*pid)
		fa_spawn_child(s, argv);
	return 0;
}

int fa_spawn_wait(pid_t pid, volatile sig_atomic_t *stop)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
		/* interrupted: end the child, then wait for it */
		if (stop && *stop)
			kill(pid, SIGTERM);
	}
	if (stop && *stop)
		return -EINTR;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
}

int fa_spawn_run(const struct fa_spawn *s, char *const argv[])
{
	pid_t pid;
	int ret;

	ret = fa_spawn_start(s, argv, &pid);
	if (ret)
		return ret;
	return fa_spawn_wait(pid, s->stop);
}
