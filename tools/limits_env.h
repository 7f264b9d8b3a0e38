/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic limits --env: a target's limits as shell assignments for
 * the job files in jobs/.
 */
#ifndef FA_LIMITS_ENV_H
#define FA_LIMITS_ENV_H

#include <stdio.h>

#include "fa_limits.h"

/**
 * fa_limits_print_env() - print @lim's limits, the conformance cases that
 * fit them and the job files' tunables as POSIX shell assignments
 * Return: 0, or -EOPNOTSUPP (nothing printed) when @lim has no atomic writes.
 */
int fa_limits_print_env(const struct fa_limits *lim, FILE *fp);

/**
 * fa_limits_env() - `fio-atomic limits --env`: the assignments on stdout
 * when @lim supports atomic writes and its sources agree; otherwise
 * nothing on stdout and the reason on stderr
 * Return: an enum fa_exit value, as for `fio-atomic limits`
 */
int fa_limits_env(const struct fa_limits *lim,
		  const struct fa_disagreement *dis, int nr_dis);

#endif /* FA_LIMITS_ENV_H */
