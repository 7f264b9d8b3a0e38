// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report ingest|compare|html: a results database for nightly
 * performance dashboards.
 *
 *   ingest   fio JSON output (local or fio --client), the engines' tear
 *            reports and qualify reports into an SQLite database, one
 *            transaction per invocation, each file once (content hash);
 *   compare  a run against a baseline, noise-aware; exit 7 on regression
 *            (report_compare.c);
 *   html     a static dashboard drawn by gnuplot (report_html.c).
 *
 * The database and its queries are in report_db.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fa_results.h"
#include "fa_tool.h"
#include "fa_util.h"
#include "report.h"

#define FA_REPORT_SYNOPSIS						\
	"usage: fio-atomic report ingest [--db PATH] [--run NAME] [--host NAME] FILE...\n" \
	"       fio-atomic report compare [--db PATH] [--run NAME|latest]\n" \
	"                  [--baseline NAME | --last N] [--threshold PCT] [--json]\n" \
	"       fio-atomic report html [--db PATH] --out DIR [--plots DIR]\n"

static void fa_report_usage(FILE *fp)
{
	fputs(FA_REPORT_SYNOPSIS
	      "\n"
	      "A results database for nightly dashboards: did last night get worse?\n"
	      "\n"
	      "ingest: read fio's JSON output (--output-format=json or json+, also\n"
	      "  fio --client's, one row set per server), the engines' tear reports\n"
	      "  (<job>.<n>.tear.json) and fio-atomic qualify reports into the\n"
	      "  database as run NAME (default: the current UTC time). Non-JSON lines\n"
	      "  before fio's JSON are skipped. A tear report of a job that is in a\n"
	      "  fio output of the same invocation adds its counts to that job's row.\n"
	      "  All files or none: a file that is not valid JSON (its line and column\n"
	      "  are named) or not one of these kinds fails the whole invocation, and\n"
	      "  one transaction holds everything, so a killed ingest leaves the\n"
	      "  database as it was. A file already ingested (same content) is named\n"
	      "  with its run and skipped (exit 0).\n"
	      "  --host NAME   host of rows whose file names none (default: this host)\n"
	      "\n",
	      fp);
	fa_report_compare_usage(fp);
	fputc('\n', fp);
	fa_report_html_usage(fp);
	fputs("\n"
	      "database: --db PATH, else $FIO_ATOMIC_DB, else\n"
	      "  $XDG_DATA_HOME/fio-atomic/results.db, else\n"
	      "  ~/.local/share/fio-atomic/results.db (directories are created).\n"
	      "\n"
	      "exit status: 0 ok, 1 error, 2 usage error, 7 a regression (compare).\n",
	      fp);
}

void fa_cmd_report_usage(FILE *fp)
{
	fa_report_usage(fp);
}

#define fa_usage_error(...) \
	fa_tool_usage_error("report", FA_REPORT_SYNOPSIS, __VA_ARGS__)

/* ---- ingest ---- */

static int fa_read_file(const char *path, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = NULL, *nb;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!b || n == cap) {
			if (b)
				cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				close(fd);
				return -ENOMEM;
			}
			b = nb;
		}
		got = read(fd, b + n, cap - n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			close(fd);
			return -errno;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static void fa_default_run(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int fa_parse_all(struct fa_ingest_file *files, size_t nr,
			const char *host)
{
	struct fa_parse_error err;
	size_t i, len = 0;
	char *buf = NULL;
	int ret;

	for (i = 0; i < nr; i++) {
		ret = fa_read_file(files[i].path, &buf, &len);
		if (ret) {
			fa_tool_path_error("report", files[i].path, ret);
			return -1;
		}
		fa_results_hash(buf, len, files[i].hash);
		ret = fa_results_parse(buf, len, host, &files[i].parsed, &err);
		free(buf);
		if (ret == -ENOMEM) {
			fa_tool_error("report", "%s: out of memory",
				      files[i].path);
			return -1;
		}
		if (ret && err.line)
			fa_tool_error("report", "%s:%u:%u: %s", files[i].path,
				      err.line, err.column, err.reason);
		else if (ret)
			fa_tool_error("report", "%s: %s", files[i].path,
				      err.reason);
		if (ret)
			return -1;
		files[i].merged = calloc(files[i].parsed.nr_rows + 1,
					 sizeof(bool));
		if (!files[i].merged)
			return -1;
		if (files[i].parsed.skipped_lines)
			printf("%s: skipped %u line%s before the JSON\n",
			       files[i].path, files[i].parsed.skipped_lines,
			       files[i].parsed.skipped_lines == 1 ? "" : "s");
		if (files[i].parsed.skipped_rows)
			printf("%s: skipped %u entr%s: %s%s\n", files[i].path,
			       files[i].parsed.skipped_rows,
			       files[i].parsed.skipped_rows == 1 ? "y" : "ies",
			       files[i].parsed.note,
			       files[i].parsed.skipped_rows > 1 ?
				       " (the first)" : "");
	}
	return 0;
}

static int fa_report_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'r' },
		{ "host", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_arg = NULL, *run_arg = NULL, *host_arg = NULL;
	char path[4096], run[128], host[256];
	struct fa_ingest_file *files;
	size_t nr, i, rows = 0, added = 0;
	sqlite3 *db = NULL;
	int opt, ret = FA_EXIT_ERROR;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:r:H:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_arg = optarg;
			break;
		case 'r':
			run_arg = optarg;
			break;
		case 'H':
			host_arg = optarg;
			break;
		case 'h':
			fa_report_usage(stdout);
			return FA_EXIT_OK;
		case ':':
			return fa_usage_error("option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return fa_usage_error("ingest: unknown option '%s'",
					      argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return fa_usage_error("ingest: no FILE given");
	if (run_arg && (!*run_arg || !strcmp(run_arg, "latest") ||
			strlen(run_arg) >= sizeof(run)))
		return fa_usage_error("ingest: --run '%s' is not a usable run name (1..%zu characters, not 'latest')",
				      run_arg, sizeof(run) - 1);
	if (run_arg)
		snprintf(run, sizeof(run), "%s", run_arg);
	else
		fa_default_run(run, sizeof(run));
	if (host_arg)
		snprintf(host, sizeof(host), "%s", host_arg);
	else if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	if (fa_report_db_path(db_arg, path, sizeof(path))) {
		fa_tool_error("report", "no database path: give --db, FIO_ATOMIC_DB or HOME");
		return FA_EXIT_ERROR;
	}

	nr = (size_t)(argc - optind);
	files = calloc(nr, sizeof(*files));
	if (!files)
		return FA_EXIT_ERROR;
	for (i = 0; i < nr; i++)
		files[i].path = argv[optind + (int)i];

	/* Everything is read and checked before the database is touched. */
	if (fa_parse_all(files, nr, host)) {
		fa_tool_error("report", "nothing ingested");
		goto out;
	}
	if (fa_report_open("report", path, &db))
		goto out;
	if (fa_exec("report", db, "BEGIN IMMEDIATE"))
		goto out;
	if (fa_ingest_db(db, run, files, nr, &rows, &added)) {
		fa_exec("report", db, "ROLLBACK");
		fa_tool_error("report", "nothing ingested");
		goto out;
	}
	if (fa_exec("report", db, "COMMIT")) {
		fa_tool_error("report", "nothing ingested");
		goto out;
	}
	if (added)
		printf("ingested %zu row%s from %zu file%s as run %s into %s\n",
		       rows, rows == 1 ? "" : "s", added,
		       added == 1 ? "" : "s", run, path);
	else
		printf("nothing new to ingest into %s\n", path);
	ret = FA_EXIT_OK;
out:
	if (db)
		sqlite3_close(db);
	for (i = 0; i < nr; i++) {
		fa_result_file_free(&files[i].parsed);
		free(files[i].merged);
	}
	free(files);
	return ret;
}

int fa_cmd_report(int argc, char **argv)
{
	const char *sub;

	if (argc < 2) {
		fa_report_usage(stderr);
		return FA_EXIT_USAGE;
	}
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") ||
	    !strcmp(sub, "help")) {
		fa_report_usage(stdout);
		return FA_EXIT_OK;
	}
	if (!strcmp(sub, "ingest"))
		return fa_report_ingest(argc - 1, argv + 1);
	if (!strcmp(sub, "compare"))
		return fa_report_compare(argc - 1, argv + 1);
	if (!strcmp(sub, "html"))
		return fa_report_html(argc - 1, argv + 1);
	return fa_usage_error("unknown subcommand '%s' (ingest, compare, html)",
			      sub);
}
