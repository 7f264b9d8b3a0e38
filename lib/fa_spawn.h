/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: running other programs (fio, mkfs.xfs, gnuplot, the tool
 * itself): an argv builder, and one fork/exec/wait with optional
 * redirections, working directory and interruption.
 *
 * Nothing in lib/ prints or exits: functions return 0 or -errno, or the
 * child's status. Only a child whose exec failed writes a line naming the
 * program to its own stderr (unless FA_SPAWN_QUIET), as a shell would.
 */
#ifndef FA_SPAWN_H
#define FA_SPAWN_H

#include <signal.h>
#include <sys/types.h>

#define FA_ARGV_MAX	256

/**
 * struct fa_argv - a NULL-terminated argument vector being built
 * @v:		the arguments, each allocated; v[n] is NULL
 * @n:		arguments in @v
 *
 * Start from { .n = 0 }; fa_argv_free() returns it to that.
 */
struct fa_argv {
	char *v[FA_ARGV_MAX + 1];
	int n;
};

/**
 * fa_argv_add() - append one printf-formatted argument
 *
 * An argument past FA_ARGV_MAX, or one that cannot be allocated, is left
 * out: the vector stays NULL-terminated.
 */
void fa_argv_add(struct fa_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** fa_argv_free() - free the arguments of @a and empty it */
void fa_argv_free(struct fa_argv *a);

enum {
	/* argv[0] may be a name looked up in PATH (execvp) */
	FA_SPAWN_PATH = 1 << 0,
	/*
	 * A sanitised build's engines in an uninstrumented fio: when
	 * $FA_PRELOAD is set and not empty, the child gets it as LD_PRELOAD
	 * and ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
	 */
	FA_SPAWN_PRELOAD = 1 << 1,
	/* SIGINT and SIGTERM back to their default action in the child */
	FA_SPAWN_DEFAULT_SIGNALS = 1 << 2,
	/* no "cannot run" line when exec fails */
	FA_SPAWN_QUIET = 1 << 3,
};

/**
 * struct fa_spawn - how to run a program; zero: as the caller runs
 * @dir:	working directory of the child; NULL: the caller's
 * @in:		file for stdin; NULL: inherited
 * @out, @err:	files for stdout and stderr, created or truncated; NULL:
 *		inherited
 * @flags:	FA_SPAWN_* bits
 * @exec_error_prefix: put before "cannot run PROG: REASON" when exec
 *		fails; NULL: nothing
 * @stop:	when set, fa_spawn_wait() sends the child SIGTERM once a
 *		wait interrupted by a signal finds *@stop non-zero (the
 *		caller's signal handler sets it), and returns -EINTR
 *
 * A child that cannot set up its redirections exits with 127, one that
 * cannot enter @dir with 126, one whose exec fails with 127.
 */
struct fa_spawn {
	const char *dir;
	const char *in;
	const char *out;
	const char *err;
	unsigned int flags;
	const char *exec_error_prefix;
	volatile sig_atomic_t *stop;
};

/**
 * fa_spawn_start() - start @argv as @s says, without waiting for it
 * @pid:	receives the child's pid
 *
 * stdout and stderr are flushed first, so nothing buffered is written
 * twice.
 *
 * Return: 0, or -errno when it cannot fork.
 */
int fa_spawn_start(const struct fa_spawn *s, char *const argv[], pid_t *pid);

/**
 * fa_spawn_wait() - wait for a child of fa_spawn_start()
 * @stop:	as struct fa_spawn's, or NULL
 *
 * Return: its exit status, or 128 + the signal that ended it; -EINTR when
 * *@stop was set by then; other -errno when it cannot be waited for.
 */
int fa_spawn_wait(pid_t pid, volatile sig_atomic_t *stop);

/**
 * fa_spawn_run() - fa_spawn_start(), then fa_spawn_wait() with @s->stop
 * Return: as fa_spawn_wait(), or -errno when it could not start.
 */
int fa_spawn_run(const struct fa_spawn *s, char *const argv[]);

#endif /* FA_SPAWN_H */
