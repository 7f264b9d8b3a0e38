// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic limits --env PATH: the variables the job files in jobs/
 * expand (fio replaces ${NAME} in a job file with the environment's NAME,
 * and fails the job when NAME is unset or empty), so that
 *
 *	env=$(fio-atomic limits --env /mnt/xfs/f) && eval "$env"
 *	fio jobs/atomic-conformance.fio
 *
 * runs every job on any target. Measured values are assigned outright;
 * the tunables (FIO_ATOMIC_SIZE, FIO_ATOMIC_RUNTIME, FIO_ATOMIC_ENGINES)
 * keep a value the caller already set. Everything is exported on the last
 * line, since fio reads the environment. Values are single-quoted where
 * the shell would otherwise read them differently.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fa_cases.h"
#include "fa_paths.h"
#include "fa_util.h"
#include "fa_tool.h"
#include "limits_env.h"

#define FA_ENV_DEFAULT_SIZE	"256m"
#define FA_ENV_DEFAULT_RUNTIME	"30"

/* The job-file prefix of each case's variables. */
static const char *const fa_case_vars[FA_CASE_NR] = {
	[FA_CASE_NOT_POW2]	= "FIO_ATOMIC_NOT_POW2",
	[FA_CASE_BELOW_MIN]	= "FIO_ATOMIC_BELOW_MIN",
	[FA_CASE_ABOVE_MAX]	= "FIO_ATOMIC_ABOVE_MAX",
	[FA_CASE_MISALIGNED]	= "FIO_ATOMIC_MISALIGNED",
};

static const char *const fa_env_exported =
	"FIO_ATOMIC_TARGET FIO_ATOMIC_UNIT_MIN FIO_ATOMIC_UNIT_MAX "
	"FIO_ATOMIC_SEGMENTS_MAX FIO_ATOMIC_DIO_ALIGN "
	"FIO_ATOMIC_NOT_POW2 FIO_ATOMIC_NOT_POW2_SIZE "
	"FIO_ATOMIC_BELOW_MIN FIO_ATOMIC_BELOW_MIN_SIZE "
	"FIO_ATOMIC_ABOVE_MAX FIO_ATOMIC_ABOVE_MAX_SIZE "
	"FIO_ATOMIC_MISALIGNED FIO_ATOMIC_MISALIGNED_OFFSET "
	"FIO_ATOMIC_MISALIGNED_SIZE FIO_ATOMIC_MIXED_CASES "
	"FIO_ATOMIC_SIZE FIO_ATOMIC_RUNTIME";

/* Bytes the shell reads literally, wherever they stand in a word. */
static const char fa_env_plain[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./,:+@%-";

/* @s as one shell word: bare when every byte is plain, else quoted. */
static void fa_env_quote(FILE *fp, const char *s)
{
	const char *p;

	if (s[0] && strspn(s, fa_env_plain) == strlen(s)) {
		fputs(s, fp);
		return;
	}
	fputc('\'', fp);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", fp);
		else
			fputc(*p, fp);
	}
	fputc('\'', fp);
}

static void fa_env_u64(FILE *fp, const char *name, const char *suffix,
		       uint64_t value)
{
	fprintf(fp, "%s%s=%" PRIu64 "\n", name, suffix, value);
}

/* The engines of this fio-atomic (installed, or its build's), if there. */
static bool fa_env_engines_dir(char *buf, size_t len)
{
	if (fa_strlcpy(buf, fa_paths()->engines, len) >= len)
		return false;
	return !access(buf, X_OK);
}

int fa_limits_print_env(const struct fa_limits *lim, FILE *fp)
{
	struct fa_case cases[FA_CASE_NR];
	char engines[PATH_MAX + 16], mixed[128] = "";
	bool have_engines;
	int i;

	if (fa_cases_plan(lim, cases))
		return -EOPNOTSUPP;

	fprintf(fp, "# fio-atomic limits --env: atomic writes %" PRIu64 "..%" PRIu64 " bytes\n",
		lim->unit_min.value, lim->unit_max.value);
	fputs("FIO_ATOMIC_TARGET=", fp);
	fa_env_quote(fp, lim->path);
	fputc('\n', fp);
	fa_env_u64(fp, "FIO_ATOMIC_UNIT_MIN", "", lim->unit_min.value);
	fa_env_u64(fp, "FIO_ATOMIC_UNIT_MAX", "", lim->unit_max.value);
	/* Empty: the kernel does not report it (one segment is always safe). */
	if (lim->segments_max.known)
		fa_env_u64(fp, "FIO_ATOMIC_SEGMENTS_MAX", "",
			   lim->segments_max.value);
	else
		fputs("FIO_ATOMIC_SEGMENTS_MAX=\n", fp);
	fa_env_u64(fp, "FIO_ATOMIC_DIO_ALIGN", "", fa_dio_align(lim));

	for (i = 0; i < FA_CASE_NR; i++) {
		const struct fa_case *c = &cases[i];

		if (!c->alone) {
			fprintf(fp, "# %s breaks rule %s, but not alone: %s\n",
				c->job, fa_rule_name(c->rule), c->why);
			snprintf(mixed + strlen(mixed),
				 sizeof(mixed) - strlen(mixed), "%s%s",
				 mixed[0] ? " " : "", c->job);
		}
		fa_env_u64(fp, fa_case_vars[i], "", c->bs);
		if (i == FA_CASE_MISALIGNED)
			fa_env_u64(fp, fa_case_vars[i], "_OFFSET", c->offset);
		fa_env_u64(fp, fa_case_vars[i], "_SIZE", c->size);
	}
	fputs("FIO_ATOMIC_MIXED_CASES=", fp);
	fa_env_quote(fp, mixed);
	fputc('\n', fp);

	have_engines = fa_env_engines_dir(engines, sizeof(engines));
	if (have_engines) {
		fputs("FIO_ATOMIC_ENGINES=${FIO_ATOMIC_ENGINES:-", fp);
		fa_env_quote(fp, engines);
		fputs("}\n", fp);
	}
	fputs("FIO_ATOMIC_SIZE=${FIO_ATOMIC_SIZE:-" FA_ENV_DEFAULT_SIZE "}\n",
	      fp);
	fputs("FIO_ATOMIC_RUNTIME=${FIO_ATOMIC_RUNTIME:-" FA_ENV_DEFAULT_RUNTIME "}\n",
	      fp);
	fprintf(fp, "export %s%s\n", fa_env_exported,
		have_engines ? " FIO_ATOMIC_ENGINES" : "");
	return 0;
}

/*
 * Nothing on stdout unless every value is sound: an eval of an empty
 * string succeeds, and fio then stops at the first ${FIO_ATOMIC_...} it
 * cannot expand, which names the variable but not the reason.
 */
int fa_limits_env(const struct fa_limits *lim,
		  const struct fa_disagreement *dis, int nr_dis)
{
	char verdict[2048];
	int i;

	if (nr_dis) {
		for (i = 0; i < nr_dis && i < FA_MAX_DISAGREE; i++)
			fa_tool_error("limits", "%s: %s disagree: %s",
				      lim->path, dis[i].what,
				      dis[i].explanation);
		fa_tool_error("limits",
			      "%s: sources disagree, no assignments printed (see fio-atomic limits %s)",
			      lim->path, lim->path);
		return FA_EXIT_DISAGREE;
	}
	if (fa_limits_print_env(lim, stdout)) {
		fa_limits_verdict_line(lim, verdict, sizeof(verdict));
		fa_tool_error("limits", "%s: %s", lim->path, verdict);
		return FA_EXIT_UNSUPPORTED;
	}
	if (fflush(stdout) == EOF) {
		fa_tool_error("limits", "writing output: %s", strerror(errno));
		return FA_EXIT_ERROR;
	}
	return FA_EXIT_OK;
}
