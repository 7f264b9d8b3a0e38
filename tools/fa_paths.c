// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: where the tool finds what it runs and reads. One decision,
 * from where /proc/self/exe lies:
 *
 *   ROOT$(bindir)/fio-atomic   installed (`make install`): the engines, fio
 *                              and the helpers in ROOT$(libdir)/fio-atomic,
 *                              plots/ and tests/lab/ in
 *                              ROOT$(datadir)/fio-atomic; ROOT is empty, or
 *                              the DESTDIR the install was staged in
 *   BUILD/fio-atomic           a build directory: the engines in
 *                              BUILD/engines, fio in BUILD/fio/fio, the
 *                              helpers in BUILD/tests/tools, plots/ and
 *                              tests/lab/ in the source tree above BUILD
 *
 * $(bindir), $(libdir) and $(datadir) are compiled in by the Makefile.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_paths.h"
#include "fa_util.h"

#ifndef FA_BINDIR
#define FA_BINDIR "/usr/local/bin"
#endif
#ifndef FA_LIBDIR
#define FA_LIBDIR "/usr/local/lib/fio-atomic"
#endif
#ifndef FA_DATADIR
#define FA_DATADIR "/usr/local/share/fio-atomic"
#endif

static struct fa_paths fa_the_paths;
static bool fa_paths_done;

/* @a then @b into @buf; false (and @buf unchanged) when it does not fit */
static bool fa_join(char *buf, size_t len, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + lb >= len)
		return false;
	memmove(buf, a, la);
	memcpy(buf + la, b, lb + 1);
	return true;
}

/*
 * The part of @dir before @bindir when @dir ends with it ("" for @dir ==
 * @bindir), else false. @bindir is absolute, so the match starts at a '/'.
 */
static bool fa_root_of(const char *dir, const char *bindir, char *root,
		       size_t len)
{
	size_t d = strlen(dir), b = strlen(bindir);

	if (!b || d < b || strcmp(dir + d - b, bindir))
		return false;
	if (d - b >= len)
		return false;
	memcpy(root, dir, d - b);
	root[d - b] = '\0';
	return true;
}

/* bindir as compiled in, or as it resolves (/bin -> /usr/bin) */
static bool fa_installed_root(const char *dir, char *root, size_t len)
{
	char real[PATH_MAX];

	if (fa_root_of(dir, FA_BINDIR, root, len))
		return true;
	return realpath(FA_BINDIR, real) && fa_root_of(dir, real, root, len);
}

/* the source tree: the first of .., ../.., ../../.. holding plots/ */
static void fa_tree(const char *build, char *top, size_t len)
{
	static const char *const ups[] = { "/..", "/../..", "/../../.." };
	char up[PATH_MAX], real[PATH_MAX], probe[PATH_MAX];
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(ups); i++) {
		if (!fa_join(up, sizeof(up), build, ups[i]) ||
		    !realpath(up, real))
			continue;
		if (fa_join(probe, sizeof(probe), real, "/plots") &&
		    !access(probe, X_OK) &&
		    fa_join(probe, sizeof(probe), real, "/Makefile") &&
		    !access(probe, R_OK)) {
			fa_strlcpy(top, real, len);
			return;
		}
	}
	/* no tree: the messages name where it was looked for */
	fa_join(top, len, build, "/..");
}

static void fa_lab_cache(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		snprintf(buf, len, "%s/fio-atomic/lab", xdg);
	else if (home && home[0] == '/')
		snprintf(buf, len, "%s/.cache/fio-atomic/lab", home);
	else
		fa_strlcpy(buf, "/var/cache/fio-atomic/lab", len);
}

const struct fa_paths *fa_paths(void)
{
	struct fa_paths *p = &fa_the_paths;
	char dir[PATH_MAX], root[PATH_MAX];
	char *slash;
	ssize_t n;

	if (fa_paths_done)
		return p;
	fa_paths_done = true;
	n = readlink("/proc/self/exe", p->self, sizeof(p->self) - 1);
	if (n <= 0) {
		/* no /proc: the compiled-in install is all there is */
		fa_join(p->self, sizeof(p->self), FA_BINDIR, "/fio-atomic");
		n = (ssize_t)strlen(p->self);
	}
	p->self[n] = '\0';
	fa_strlcpy(dir, p->self, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';

	p->installed = fa_installed_root(dir, root, sizeof(root));
	if (p->installed) {
		fa_join(p->data, sizeof(p->data), root, FA_DATADIR);
		fa_join(p->engines, sizeof(p->engines), root, FA_LIBDIR);
		fa_join(p->helpers, sizeof(p->helpers), root, FA_LIBDIR);
		fa_join(p->fio, sizeof(p->fio), root, FA_LIBDIR "/fio");
		fa_lab_cache(p->lab_cache, sizeof(p->lab_cache));
	} else {
		fa_tree(dir, p->data, sizeof(p->data));
		fa_join(p->engines, sizeof(p->engines), dir, "/engines");
		fa_join(p->helpers, sizeof(p->helpers), dir, "/tests/tools");
		fa_join(p->fio, sizeof(p->fio), dir, "/fio/fio");
	}
	return p;
}

int fa_path_data(const char *rel, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s", fa_paths()->data, rel) >= len)
		return -ENAMETOOLONG;
	return access(buf, F_OK) ? -ENOENT : 0;
}

static int fa_path_choose(const char *first, const char *env,
			  const char *fallback, char *buf, size_t len)
{
	const char *v = getenv(env);
	const char *pick = first && first[0] ? first :
			   v && v[0] ? v : fallback;

	return fa_strlcpy(buf, pick, len) < len ? 0 : -ENAMETOOLONG;
}

int fa_path_fio(const char *opt, char *buf, size_t len)
{
	return fa_path_choose(opt, "FIO", fa_paths()->fio, buf, len);
}

int fa_path_engines(char *buf, size_t len)
{
	return fa_path_choose(NULL, "FIO_ATOMIC_ENGINES",
			      fa_paths()->engines, buf, len);
}

int fa_path_program(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	if (strchr(name, '/')) {
		if (fa_strlcpy(buf, name, len) >= len)
			return -ENAMETOOLONG;
		return access(buf, X_OK) ? -ENOENT : 0;
	}
	/* exec's own default when PATH is unset */
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		int n;

		end = strchrnul(p, ':');
		/* an empty entry is the working directory */
		if (end == p)
			n = snprintf(buf, len, "./%s", name);
		else
			n = snprintf(buf, len, "%.*s/%s", (int)(end - p), p,
				     name);
		if (n > 0 && (size_t)n < len && !access(buf, X_OK))
			return 0;
		if (!*end)
			break;
	}
	fa_strlcpy(buf, name, len);
	return -ENOENT;
}

int fa_path_gnuplot(char *buf, size_t len)
{
	const char *v = getenv("GNUPLOT");

	return fa_path_program(v && v[0] ? v : "gnuplot", buf, len);
}
