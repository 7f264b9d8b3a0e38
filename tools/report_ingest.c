// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report ingest: fio's JSON output (local or fio --client),
 * the engines' job reports, qualify reports and qualify fleet reports
 * into the results database as one run, all files or none: every file is
 * read and parsed before the database is opened, and one transaction
 * holds every insert (lib/fa_store_ingest.c).
 *
 * Test hook: FA_REPORT_KILL_AFTER_ROWS=N makes ingest kill itself with
 * SIGKILL after inserting N rows, inside its transaction, so a test can
 * show that an interrupted ingest leaves the database as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fa_results.h"
#include "fa_tool.h"
#include "report.h"

#define FA_INGEST_SYNOPSIS						\
	"usage: fio-atomic report ingest [--db PATH] [--run NAME] [--host NAME] FILE...\n"

void fa_report_ingest_usage(FILE *fp)
{
	fputs(FA_INGEST_SYNOPSIS
	      "\n"
	      "Read result files into the database as run NAME (default: the\n"
	      "current UTC time):\n"
	      "  fio's JSON output (--output-format=json or json+, also fio --client's,\n"
	      "  one row set per server); non-JSON lines before it are skipped;\n"
	      "  the engines' job reports (<job>.<n>.<time>-<pid>.atomic.json): their\n"
	      "  tear counts join their job's row of a fio output ingested with them,\n"
	      "  their context (kernel, device, filesystem, ...) all of its rows;\n"
	      "  fio-atomic qualify reports: rows (engine, mode, bs, IOPS, latencies,\n"
	      "  plain IOPS and the atomic/plain cost), the three guarantees, context;\n"
	      "  qualify fleet reports: each host's rows and guarantees under it.\n"
	      "All files or none: a file that is not valid JSON (its line and column\n"
	      "are named) or none of these kinds fails the whole invocation and the\n"
	      "database is not touched; one transaction holds everything, so a killed\n"
	      "ingest leaves the database as it was. A file already ingested (same\n"
	      "content) is named with its run and skipped (exit 0).\n"
	      "  --host NAME   host of rows whose file names none (default: this host)\n"
	      "\n"
	      "database:\n" FA_REPORT_DB_HELP
	      FA_REPORT_EXIT_HELP ".\n",
	      fp);
}

#define fa_usage_error(fmt, ...)					\
	fa_tool_usage_error("report", FA_INGEST_SYNOPSIS, "ingest: " fmt, \
			    ##__VA_ARGS__)

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
			got = -errno;
			free(b);
			close(fd);
			return (int)got;
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

static int fa_parse_all(struct fa_store_file *files, size_t nr,
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

/* The test hook: die mid-transaction after N rows */
static void fa_kill_after(size_t rows, void *arg)
{
	long n = *(long *)arg;

	if (n >= 0 && rows >= (size_t)n)
		raise(SIGKILL);
}

static long fa_kill_after_rows(void)
{
	const char *v = getenv("FA_REPORT_KILL_AFTER_ROWS");
	char *end;
	long n;

	if (!v || !*v)
		return -1;
	n = strtol(v, &end, 10);
	return *end || n < 0 ? -1 : n;
}

int fa_report_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'r' },
		{ "host", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_arg = NULL, *run_arg = NULL, *host_arg = NULL;
	char run[FA_STORE_NAME_LEN], host[256];
	struct fa_store_ingest_stats stats = { 0 };
	struct fa_store_file *files;
	struct fa_store s = { 0 };
	long kill_after = fa_kill_after_rows();
	size_t nr, i;
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
			fa_report_ingest_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error("report", FA_INGEST_SYNOPSIS,
						    "ingest: ", opt, argv);
		}
	}
	if (optind >= argc)
		return fa_usage_error("no FILE given");
	if (run_arg && (!*run_arg || !strcmp(run_arg, "latest") ||
			strlen(run_arg) >= sizeof(run)))
		return fa_usage_error("--run '%s' is not a usable run name (1..%zu characters, not 'latest')",
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

	nr = (size_t)(argc - optind);
	files = calloc(nr, sizeof(*files));
	if (!files)
		return FA_EXIT_ERROR;
	for (i = 0; i < nr; i++)
		files[i].path = argv[optind + (int)i];

	/* Everything is read and checked before the database is touched. */
	if (fa_parse_all(files, nr, host)) {
		fa_tool_error("report", "ingest: nothing ingested");
		goto out;
	}
	if (fa_report_open("ingest", db_arg, FA_STORE_CREATE, &s))
		goto out;
	stats.host_given = host_arg;
	if (kill_after >= 0) {
		stats.after_row = fa_kill_after;
		stats.arg = &kill_after;
	}
	if (fa_store_ingest(&s, run, files, nr, &stats)) {
		fa_report_store_error("ingest", &s);
		fa_tool_error("report", "ingest: nothing ingested");
		goto out;
	}
	for (i = 0; i < nr; i++)
		if (files[i].duplicate)
			printf("%s: already ingested as run %s\n",
			       files[i].path, files[i].duplicate_run);
	if (stats.files)
		printf("ingested %zu row%s, %zu guarantee%s and %zu context%s from %zu file%s as run %s into %s\n",
		       stats.rows, stats.rows == 1 ? "" : "s",
		       stats.guarantees, stats.guarantees == 1 ? "" : "s",
		       stats.contexts, stats.contexts == 1 ? "" : "s",
		       stats.files, stats.files == 1 ? "" : "s", run, s.path);
	else
		printf("nothing new to ingest into %s\n", s.path);
	ret = FA_EXIT_OK;
out:
	fa_store_close(&s);
	for (i = 0; i < nr; i++)
		fa_result_file_free(&files[i].parsed);
	free(files);
	return ret;
}
