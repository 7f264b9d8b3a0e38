/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what the subcommands of the fio-atomic tool share. Each
 * command lives in tools/cmd_<name>.c and is listed once in the command
 * table of tools/fio-atomic.c.
 */
#ifndef FA_TOOL_H
#define FA_TOOL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fa_limits.h"
#include "fa_util.h"

#ifndef FA_VERSION
#define FA_VERSION "0.1"
#endif

/* Exit codes shared by every command; scripts rely on them. */
enum fa_exit {
	FA_EXIT_OK = 0,
	FA_EXIT_ERROR = 1,		/* could not examine or run */
	FA_EXIT_USAGE = 2,		/* bad command line */
	FA_EXIT_UNSUPPORTED = 3,	/* target has no atomic writes */
	FA_EXIT_DISAGREE = 4,		/* sources of a limit disagree */
	FA_EXIT_TORN = 5,		/* tearscan found torn units */
	FA_EXIT_LOST = 6,		/* acknowledged writes lost */
	FA_EXIT_REGRESSION = 7,		/* report compare found a regression */
	FA_EXIT_NOT_QUALIFIED = 8,	/* qualify: a step failed */
	FA_EXIT_REFUSED = 9,		/* target in use: nothing written */
};

/**
 * struct fa_command - one subcommand of fio-atomic
 * @name:	what the user types
 * @summary:	one line for the command list of --help
 * @run:	argv[0] is @name; returns an enum fa_exit value
 * @usage:	prints the command's full help to @fp
 */
struct fa_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *fp);
};

/* Enough for every check fa_limits_crosscheck() has, with room to grow. */
#define FA_MAX_DISAGREE	32

struct json_object;

/**
 * fa_limits_collect() - what `fio-atomic limits` reads: every source of
 * @path's limits (the device's own view too, for a block device, when it
 * can be read) and their disagreements, at most @max kept in @dis.
 * Return: 0, or -errno when @path cannot be examined.
 */
int fa_limits_collect(const char *path, struct fa_limits *lim,
		      struct fa_disagreement *dis, int max, int *nr_dis);

/** fa_limits_json() - the object `fio-atomic limits --json` prints */
struct json_object *fa_limits_json(const struct fa_limits *lim,
				   const struct fa_disagreement *dis,
				   int nr_dis);

/** fa_limits_print_text() - the table `fio-atomic limits` prints */
void fa_limits_print_text(const struct fa_limits *lim,
			  const struct fa_disagreement *dis, int nr_dis);

/** fa_limits_verdict_line() - "atomic writes: supported, ..." */
void fa_limits_verdict_line(const struct fa_limits *lim, char *buf,
			    size_t len);

int fa_cmd_limits(int argc, char **argv);
void fa_cmd_limits_usage(FILE *fp);
int fa_cmd_tearscan(int argc, char **argv);
void fa_cmd_tearscan_usage(FILE *fp);
int fa_cmd_report(int argc, char **argv);
void fa_cmd_report_usage(FILE *fp);
int fa_cmd_qualify(int argc, char **argv);
void fa_cmd_qualify_usage(FILE *fp);
int fa_cmd_probe(int argc, char **argv);
void fa_cmd_probe_usage(FILE *fp);

/* "fio-atomic: CMD: " prefixed message on stderr, newline added. */
void fa_tool_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A bad command line: "fio-atomic: CMD: " and the message on stderr, then
 * @synopsis (the command's usage lines). Returns FA_EXIT_USAGE.
 */
int fa_tool_usage_error(const char *cmd, const char *synopsis,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * What getopt_long() returned for a bad option (its optstring starts with
 * ':'): @opt ':' is an option without its value, anything else one it does
 * not know (by the letter when getopt set optopt, else by the word). As
 * fa_tool_usage_error(), the message after @what ("compare: ", or "").
 */
int fa_tool_getopt_error(const char *cmd, const char *synopsis,
			 const char *what, int opt, char *const argv[]);

/* A size on the command line: fa_parse_size()'s grammar. */
static inline int fa_tool_parse_size(const char *s, uint64_t *out)
{
	return fa_parse_size(s, strlen(s), out);
}

/* A whole decimal number from @min to @max: 0, or -EINVAL. */
int fa_tool_parse_count(const char *s, unsigned long min, unsigned long max,
			unsigned long *out);

/* @s as HTML text: & < > " ' escaped. NULL writes nothing. */
void fa_tool_html_escape(FILE *fp, const char *s);

/*
 * Report a failure to examine @path (a negative errno) the way every
 * command does, with a hint to run as root for permission errors.
 */
void fa_tool_path_error(const char *cmd, const char *path, int err);

/* mkdir -p: @dir and every missing parent, mode 0755; 0 or -errno */
int fa_tool_mkdir_p(const char *dir);

/*
 * Copy the file @src to @dst (replaced when it exists, written to a
 * temporary name beside it first): the HTML pages' stylesheet. 0 or -errno.
 */
int fa_tool_copy_file(const char *src, const char *dst);

/* Short stable name of a limit's source kind, used in tables and JSON. */
const char *fa_tool_source_name(enum fa_source src);

#endif /* FA_TOOL_H */
