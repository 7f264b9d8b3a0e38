/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: where the tool finds what it runs and reads (fio, the
 * engines, plots/, the lab scripts), installed or in its build tree.
 */
#ifndef FA_PATHS_H
#define FA_PATHS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/**
 * struct fa_paths - the places one run of the tool uses
 * @installed:	the executable is $(bindir)/fio-atomic of `make install`
 * @self:	the executable, from /proc/self/exe
 * @data:	holds plots/ and tests/lab/: ROOT$(datadir)/fio-atomic
 *		installed, the source tree above the build directory otherwise
 * @engines:	the engines' directory: ROOT$(libdir)/fio-atomic, or
 *		BUILD/engines
 * @fio:	the fio the engines were built against: ROOT$(libdir)/
 *		fio-atomic/fio, or BUILD/fio/fio
 * @helpers:	helper programs (tear-bound): ROOT$(libdir)/fio-atomic, or
 *		BUILD/tests/tools
 * @lab_cache:	the lab VM's kernel and initramfs cache when installed
 *		($XDG_CACHE_HOME or ~/.cache, then fio-atomic/lab); empty in
 *		the build tree, where lab-run keeps it in build/lab
 *
 * ROOT is what precedes $(bindir) in the executable's directory: empty for
 * an install in place, the staging directory of `make install DESTDIR=`.
 */
struct fa_paths {
	bool installed;
	char self[PATH_MAX];
	char data[PATH_MAX];
	char engines[PATH_MAX];
	char fio[PATH_MAX];
	char helpers[PATH_MAX];
	char lab_cache[PATH_MAX];
};

/**
 * fa_paths() - the places of this run, worked out once from where
 * /proc/self/exe lies: in $(bindir) (compiled in as FA_BINDIR) it is
 * installed, anywhere else it is a build directory of the source tree.
 */
const struct fa_paths *fa_paths(void);

/**
 * fa_path_data() - @rel (e.g. "plots/trend.gp") below fa_paths()->data
 * Return: 0 when it exists, -ENOENT when not (@buf still names it, for
 * the message), -ENAMETOOLONG.
 */
int fa_path_data(const char *rel, char *buf, size_t len);

/**
 * fa_path_fio() - the fio to run: @opt (--fio) when given, else $FIO, else
 * fa_paths()->fio. Return: 0, or -ENAMETOOLONG.
 */
int fa_path_fio(const char *opt, char *buf, size_t len);

/**
 * fa_path_engines() - the engines' directory: $FIO_ATOMIC_ENGINES when set
 * (what `limits --env` exports), else fa_paths()->engines.
 * Return: 0, or -ENAMETOOLONG.
 */
int fa_path_engines(char *buf, size_t len);

/**
 * fa_path_program() - @name as exec would find it: itself when it holds a
 * '/', else the first executable PATH entry.
 * Return: 0, -ENOENT when there is none, -ENAMETOOLONG.
 */
int fa_path_program(const char *name, char *buf, size_t len);

/**
 * fa_path_gnuplot() - $GNUPLOT, else gnuplot from PATH, via
 * fa_path_program(). Return: as fa_path_program().
 */
int fa_path_gnuplot(char *buf, size_t len);

#endif /* FA_PATHS_H */
