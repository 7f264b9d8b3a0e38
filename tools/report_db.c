// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report: where the results database lives and opening it with
 * the command's messages (the database itself is lib/fa_store.h), and how
 * result rows group and are named (report.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fa_tool.h"
#include "report.h"

#define FA_REPORT_WAIT_S	10

int fa_report_db_path(const char *given, char *out, size_t len)
{
	const char *env = getenv("FIO_ATOMIC_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (given && *given)
		snprintf(out, len, "%s", given);
	else if (env && *env)
		snprintf(out, len, "%s", env);
	else if (xdg && *xdg)
		snprintf(out, len, "%s/fio-atomic/results.db", xdg);
	else if (home && *home)
		snprintf(out, len, "%s/.local/share/fio-atomic/results.db",
			 home);
	else
		return -ENOENT;
	return 0;
}

void fa_report_store_error(const char *sub, const struct fa_store *s)
{
	fa_tool_error("report", "%s: %s", sub, s->error);
}

/* $FIO_ATOMIC_DB_WAIT seconds, 0..3600; a bad value is the default */
static int fa_wait_ms(void)
{
	const char *v = getenv("FIO_ATOMIC_DB_WAIT");
	unsigned long n;

	if (v && *v && !fa_tool_parse_count(v, 0, 3600, &n))
		return (int)n * 1000;
	return FA_REPORT_WAIT_S * 1000;
}

int fa_report_open(const char *sub, const char *given, unsigned int flags,
		   struct fa_store *s)
{
	char path[4096];

	if (fa_report_db_path(given, path, sizeof(path))) {
		fa_tool_error("report", "%s: no database path: give --db, FIO_ATOMIC_DB or HOME",
			      sub);
		return FA_EXIT_ERROR;
	}
	if (fa_store_open(s, path, flags, fa_wait_ms())) {
		fa_report_store_error(sub, s);
		return FA_EXIT_ERROR;
	}
	if (s->upgraded_from)
		fprintf(stderr, "fio-atomic: report: %s: upgraded the schema of %s from version %d to %d\n",
			sub, path, s->upgraded_from, FA_STORE_SCHEMA_VERSION);
	return 0;
}

int fa_report_group_cmp(const struct fa_store_row *a,
			const struct fa_store_row *b)
{
	int c;

	c = strcmp(a->host, b->host);
	if (!c)
		c = strcmp(a->engine, b->engine);
	if (!c)
		c = strcmp(a->mode, b->mode);
	if (!c)
		c = strcmp(a->rw, b->rw);
	if (!c)
		c = strcmp(a->dir, b->dir);
	if (!c)
		c = (a->bs > b->bs) - (a->bs < b->bs);
	if (!c)
		c = (a->iodepth > b->iodepth) - (a->iodepth < b->iodepth);
	return c;
}

static int fa_row_cmp(const void *x, const void *y)
{
	const struct fa_store_row *a = x, *b = y;
	int c = fa_report_group_cmp(a, b);

	if (!c)
		c = (a->run_id > b->run_id) - (a->run_id < b->run_id);
	return c;
}

void fa_report_sort(struct fa_store_rows *rows)
{
	if (rows->nr)
		qsort(rows->rows, rows->nr, sizeof(*rows->rows), fa_row_cmp);
}

void fa_report_size(int64_t bytes, char *buf, size_t len)
{
	if (bytes > 0 && !(bytes % (1 << 20)))
		snprintf(buf, len, "%" PRId64 "m", bytes >> 20);
	else if (bytes > 0 && !(bytes % 1024))
		snprintf(buf, len, "%" PRId64 "k", bytes >> 10);
	else
		snprintf(buf, len, "%" PRId64, bytes);
}

void fa_report_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* rw= values with both directions: the direction is part of the name */
static bool fa_mixed(const char *rw)
{
	return strstr(rw, "rw") || !strcmp(rw, "readwrite") ||
	       !strcmp(rw, "trimwrite");
}

void fa_report_group_name(const struct fa_store_row *r, bool with_host,
			  char *buf, size_t len)
{
	char bs[32];

	fa_report_size(r->bs, bs, sizeof(bs));
	if (!*r->dir) {
		/* a tear report alone: no I/O figures, only the job's engine */
		snprintf(buf, len, "%s%s%s (tear)", with_host ? r->host : "",
			 with_host ? " " : "", r->engine);
		return;
	}
	snprintf(buf, len, "%s%s%s%s%s %s%s%s %s qd%" PRId64,
		 with_host ? r->host : "", with_host ? " " : "", r->engine,
		 *r->mode ? " " : "", r->mode, r->rw,
		 fa_mixed(r->rw) ? "/" : "", fa_mixed(r->rw) ? r->dir : "",
		 bs, r->iodepth);
}
