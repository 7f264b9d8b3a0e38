// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report runs|label|delete|baseline: runs as objects. A run is
 * named by its name or its numeric id (`report runs` lists both; "latest"
 * is the newest). Each change is one transaction (lib/fa_store_edit.c).
 * An unknown run or baseline is a database-level error (exit 1), bad
 * syntax a usage error (exit 2).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "fa_tool.h"
#include "report.h"

#define FA_RUNS_SYNOPSIS						\
	"usage: fio-atomic report runs [--db PATH] [--target PATH] [--host NAME]\n" \
	"              [--kernel RELEASE] [--since DATE] [--until DATE] [--json]\n"
#define FA_LABEL_SYNOPSIS						\
	"usage: fio-atomic report label [--db PATH] RUN TEXT\n"
#define FA_DELETE_SYNOPSIS						\
	"usage: fio-atomic report delete [--db PATH] RUN\n"
#define FA_BASELINE_SYNOPSIS						\
	"usage: fio-atomic report baseline set [--db PATH] NAME RUN...\n"	\
	"       fio-atomic report baseline list [--db PATH] [--json]\n"	\
	"       fio-atomic report baseline delete [--db PATH] NAME\n"

#define FA_RUN_HELP							\
	"RUN is a run's name or its numeric id (see 'report runs'); 'latest' is\n" \
	"the newest run.\n"

void fa_report_runs_usage(FILE *fp)
{
	fputs(FA_RUNS_SYNOPSIS
	      "\n"
	      "List the runs, oldest first: id, name, when they ran (the earliest\n"
	      "time their files give, else when first ingested; UTC), rows, files,\n"
	      "hosts, kernels, targets and label. Filters (all must hold):\n"
	      "  --target PATH     a context of the run has this target path\n"
	      "  --host NAME       a row, guarantee or context of the run is of NAME\n"
	      "  --kernel RELEASE  a context of the run has this kernel release\n"
	      "  --since DATE, --until DATE  it ran in [since, until]; DATE is\n"
	      "                    YYYY-MM-DD (a whole day for --until),\n"
	      "                    YYYY-MM-DDTHH:MM:SS[Z] (UTC) or @UNIXSECONDS\n"
	      "  --json            {\"fio_atomic_runs\": {\"version\": 1, \"runs\": [...]}}\n"
	      "\n"
	      "database:\n" FA_REPORT_DB_HELP
	      FA_REPORT_EXIT_HELP ".\n", fp);
}

void fa_report_label_usage(FILE *fp)
{
	fputs(FA_LABEL_SYNOPSIS
	      "\n"
	      "Set the label of RUN to TEXT (\"\" removes it): a note that shows in\n"
	      "'report runs', the exports and the dashboard (\"kernel 6.18 upgrade\").\n"
	      FA_RUN_HELP
	      "\n"
	      "database:\n" FA_REPORT_DB_HELP
	      FA_REPORT_EXIT_HELP "; an unknown RUN is 1.\n", fp);
}

void fa_report_delete_usage(FILE *fp)
{
	fputs(FA_DELETE_SYNOPSIS
	      "\n"
	      "Delete RUN and everything ingested under it (files, rows, contexts,\n"
	      "guarantees) in one transaction; the baselines that held it lose it\n"
	      "(they are named). Its files can be ingested again afterwards.\n"
	      FA_RUN_HELP
	      "\n"
	      "database:\n" FA_REPORT_DB_HELP
	      FA_REPORT_EXIT_HELP "; an unknown RUN is 1.\n", fp);
}

void fa_report_baseline_usage(FILE *fp)
{
	fputs(FA_BASELINE_SYNOPSIS
	      "\n"
	      "Named baselines: sets of runs that 'report compare --baseline NAME'\n"
	      "compares against (the median of their medians).\n"
	      "  set NAME RUN...   make NAME these runs (replacing what it held)\n"
	      "  list [--json]     the baselines and their runs\n"
	      "  delete NAME       remove NAME (its runs stay)\n"
	      FA_RUN_HELP
	      "\n"
	      "database:\n" FA_REPORT_DB_HELP
	      FA_REPORT_EXIT_HELP "; an unknown RUN or NAME is 1.\n", fp);
}

/* Parses --db and --json (when @json is not NULL); the rest stays */
static int fa_common_opts(int argc, char **argv, const char *sub,
			  const char *synopsis, void (*usage)(FILE *),
			  const char **db, bool *json, int *first)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char what[32];
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			*db = optarg;
			break;
		case 'j':
			if (!json)
				goto unknown;
			*json = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default: /* ':' or '?' */
unknown:
			snprintf(what, sizeof(what), "%s: ", sub);
			return fa_tool_getopt_error("report", synopsis, what,
						    opt, argv);
		}
	}
	*first = optind;
	return 0;
}

/* DATE of --since/--until as Unix seconds; a bare day ends at 23:59:59 */
static int fa_parse_date(const char *s, bool end_of_day, int64_t *out)
{
	struct tm tm;
	const char *rest;
	char *e;
	long long v;

	if (*s == '@') {
		errno = 0;
		v = strtoll(s + 1, &e, 10);
		if (errno || *e || e == s + 1 || v < 0)
			return -EINVAL;
		*out = v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	rest = strptime(s, "%Y-%m-%d", &tm);
	if (!rest)
		return -EINVAL;
	if (!*rest) {
		if (end_of_day) {
			tm.tm_hour = 23;
			tm.tm_min = 59;
			tm.tm_sec = 59;
		}
	} else {
		rest = strptime(rest, (*rest == 'T') ? "T%H:%M:%S" :
				" %H:%M:%S", &tm);
		if (!rest || (*rest && strcmp(rest, "Z")))
			return -EINVAL;
	}
	*out = (int64_t)timegm(&tm);
	return *out < 0 ? -EINVAL : 0;
}

#define fa_add json_object_object_add

static struct json_object *fa_json_str(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static void fa_print_runs(const struct fa_store_run *runs, size_t nr,
			  bool json)
{
	struct json_object *root, *arr, *o;
	char when[32];
	size_t i;

	if (json) {
		arr = json_object_new_array();
		for (i = 0; i < nr; i++) {
			const struct fa_store_run *r = &runs[i];

			o = json_object_new_object();
			fa_report_time(r->started, when, sizeof(when));
			fa_add(o, "id", json_object_new_int64(r->id));
			fa_add(o, "name", fa_json_str(r->name));
			fa_add(o, "label", fa_json_str(r->label));
			fa_add(o, "started", json_object_new_int64(r->started));
			fa_add(o, "started_utc", json_object_new_string(when));
			fa_add(o, "created", json_object_new_int64(r->created));
			fa_add(o, "rows", json_object_new_int64(r->nr_rows));
			fa_add(o, "files", json_object_new_int64(r->nr_files));
			fa_add(o, "hosts", fa_json_str(r->hosts));
			fa_add(o, "kernels", fa_json_str(r->kernels));
			fa_add(o, "targets", fa_json_str(r->targets));
			json_object_array_add(arr, o);
		}
		o = json_object_new_object();
		fa_add(o, "version", json_object_new_int(1));
		fa_add(o, "runs", arr);
		root = json_object_new_object();
		fa_add(root, "fio_atomic_runs", o);
		puts(json_object_to_json_string_ext(root,
						    JSON_C_TO_STRING_PRETTY));
		json_object_put(root);
		return;
	}
	printf("%5s  %-24s %-19s %6s %5s  %-16s %-12s %s\n", "id", "run",
	       "ran (UTC)", "rows", "files", "hosts", "kernels",
	       "targets / label");
	for (i = 0; i < nr; i++) {
		fa_report_time(runs[i].started, when, sizeof(when));
		printf("%5" PRId64 "  %-24s %-19s %6" PRId64 " %5" PRId64 "  %-16s %-12s %s%s%s\n",
		       runs[i].id, runs[i].name, when, runs[i].nr_rows,
		       runs[i].nr_files, *runs[i].hosts ? runs[i].hosts : "-",
		       *runs[i].kernels ? runs[i].kernels : "-",
		       *runs[i].targets ? runs[i].targets : "-",
		       runs[i].label ? " / " : "",
		       runs[i].label ? runs[i].label : "");
	}
	printf("%zu run%s\n", nr, nr == 1 ? "" : "s");
}

int fa_report_runs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "target", required_argument, NULL, 't' },
		{ "host", required_argument, NULL, 'H' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fa_store_run_filter flt = { 0 };
	struct fa_store_run *runs = NULL;
	const char *db_arg = NULL;
	struct fa_store s;
	bool json = false;
	size_t nr = 0;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:t:H:k:s:u:jh", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_arg = optarg;
			break;
		case 't':
			flt.target = optarg;
			break;
		case 'H':
			flt.host = optarg;
			break;
		case 'k':
			flt.kernel = optarg;
			break;
		case 's':
		case 'u':
			if (fa_parse_date(optarg, opt == 'u', opt == 's' ?
					  &flt.since : &flt.until))
				return fa_tool_usage_error("report", FA_RUNS_SYNOPSIS,
					"runs: --%s '%s' is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @UNIXSECONDS)",
					opt == 's' ? "since" : "until", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fa_report_runs_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error("report", FA_RUNS_SYNOPSIS,
						    "runs: ", opt, argv);
		}
	}
	if (optind < argc)
		return fa_tool_usage_error("report", FA_RUNS_SYNOPSIS,
					   "runs: unexpected argument '%s'",
					   argv[optind]);
	if (flt.since && flt.until && flt.since > flt.until)
		return fa_tool_usage_error("report", FA_RUNS_SYNOPSIS,
					   "runs: --since is after --until");
	if (fa_report_open("runs", db_arg, 0, &s))
		return FA_EXIT_ERROR;
	if (fa_store_runs(&s, &flt, &runs, &nr)) {
		fa_report_store_error("runs", &s);
		fa_store_close(&s);
		return FA_EXIT_ERROR;
	}
	fa_print_runs(runs, nr, json);
	fa_store_runs_free(runs, nr);
	fa_store_close(&s);
	return FA_EXIT_OK;
}

int fa_report_label(int argc, char **argv)
{
	const char *db_arg = NULL;
	struct fa_store_run run;
	struct fa_store s;
	int first, ret;

	ret = fa_common_opts(argc, argv, "label", FA_LABEL_SYNOPSIS,
			     fa_report_label_usage, &db_arg, NULL, &first);
	if (ret)
		return ret < 0 ? FA_EXIT_OK : ret;
	if (argc - first != 2)
		return fa_tool_usage_error("report", FA_LABEL_SYNOPSIS,
					   "label: give RUN and TEXT (%d argument%s given)",
					   argc - first, argc - first == 1 ? "" : "s");
	if (fa_report_open("label", db_arg, 0, &s))
		return FA_EXIT_ERROR;
	ret = fa_store_find_run(&s, argv[first], &run);
	if (!ret) {
		ret = fa_store_label(&s, run.id, argv[first + 1]);
		if (!ret)
			printf(*argv[first + 1] ? "run %s (id %" PRId64 ") labelled '%s'\n" :
			       "run %s (id %" PRId64 ") has no label now%s\n",
			       run.name, run.id, argv[first + 1]);
		fa_store_run_free(&run);
	}
	if (ret)
		fa_report_store_error("label", &s);
	fa_store_close(&s);
	return ret ? FA_EXIT_ERROR : FA_EXIT_OK;
}

int fa_report_delete(int argc, char **argv)
{
	const char *db_arg = NULL;
	struct fa_store_run run;
	struct fa_store s;
	char *baselines = NULL;
	int first, ret;

	ret = fa_common_opts(argc, argv, "delete", FA_DELETE_SYNOPSIS,
			     fa_report_delete_usage, &db_arg, NULL, &first);
	if (ret)
		return ret < 0 ? FA_EXIT_OK : ret;
	if (argc - first != 1)
		return fa_tool_usage_error("report", FA_DELETE_SYNOPSIS,
					   "delete: give one RUN (%d arguments given)",
					   argc - first);
	if (fa_report_open("delete", db_arg, 0, &s))
		return FA_EXIT_ERROR;
	ret = fa_store_find_run(&s, argv[first], &run);
	if (!ret) {
		ret = fa_store_delete_run(&s, run.id, &baselines);
		if (!ret)
			printf("deleted run %s (id %" PRId64 "): %" PRId64 " row%s, %" PRId64 " file%s%s%s\n",
			       run.name, run.id, run.nr_rows,
			       run.nr_rows == 1 ? "" : "s", run.nr_files,
			       run.nr_files == 1 ? "" : "s",
			       baselines && *baselines ?
				       "; removed from baseline " : "",
			       baselines ? baselines : "");
		fa_store_run_free(&run);
		free(baselines);
	}
	if (ret)
		fa_report_store_error("delete", &s);
	fa_store_close(&s);
	return ret ? FA_EXIT_ERROR : FA_EXIT_OK;
}

static int fa_baseline_set(struct fa_store *s, const char *name,
			   char **refs, int nr)
{
	struct fa_store_run run;
	int64_t *ids;
	bool replaced;
	int i, ret = 0;

	ids = calloc((size_t)nr, sizeof(*ids));
	if (!ids)
		return fa_store_fail(s, -ENOMEM, "out of memory");
	for (i = 0; i < nr && !ret; i++) {
		ret = fa_store_find_run(s, refs[i], &run);
		ids[i] = run.id;
		fa_store_run_free(&run);
	}
	if (!ret)
		ret = fa_store_baseline_set(s, name, ids, (size_t)nr,
					    &replaced);
	if (!ret)
		printf("baseline %s %s: %d run%s\n", name,
		       replaced ? "replaced" : "set", nr, nr == 1 ? "" : "s");
	free(ids);
	return ret;
}

static int fa_baseline_list(struct fa_store *s, bool json)
{
	struct fa_store_baseline *b = NULL;
	struct json_object *root, *arr, *o, *runs;
	struct fa_store_run run;
	char when[32], ref[32];
	size_t nr = 0, i, k;
	int ret;

	ret = fa_store_baselines(s, &b, &nr);
	if (ret)
		return ret;
	arr = json_object_new_array();
	for (i = 0; i < nr; i++) {
		fa_report_time(b[i].created, when, sizeof(when));
		o = json_object_new_object();
		runs = json_object_new_array();
		json_object_object_add(o, "name", json_object_new_string(b[i].name));
		json_object_object_add(o, "created", json_object_new_int64(b[i].created));
		json_object_object_add(o, "runs", runs);
		json_object_array_add(arr, o);
		if (!json)
			printf("%-20s %s UTC  ", b[i].name, when);
		for (k = 0; k < b[i].nr_runs; k++) {
			snprintf(ref, sizeof(ref), "%" PRId64, b[i].run_ids[k]);
			if (fa_store_find_run(s, ref, &run))
				continue;
			json_object_array_add(runs,
					      json_object_new_string(run.name));
			if (!json)
				printf("%s%s (id %" PRId64 ")", k ? ", " : "",
				       run.name, run.id);
			fa_store_run_free(&run);
		}
		if (!json)
			printf("%s\n", b[i].nr_runs ? "" : "(no runs left)");
	}
	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "version", json_object_new_int(1));
		json_object_object_add(o, "baselines", arr);
		root = json_object_new_object();
		json_object_object_add(root, "fio_atomic_baselines", o);
		puts(json_object_to_json_string_ext(root,
						    JSON_C_TO_STRING_PRETTY));
		json_object_put(root);
	} else {
		json_object_put(arr);
		printf("%zu baseline%s\n", nr, nr == 1 ? "" : "s");
	}
	fa_store_baselines_free(b, nr);
	return 0;
}

int fa_report_baseline(int argc, char **argv)
{
	const char *db_arg = NULL, *verb;
	struct fa_store s;
	bool json = false;
	int first, ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc >= 2) {
			fa_report_baseline_usage(stdout);
			return FA_EXIT_OK;
		}
		return fa_tool_usage_error("report", FA_BASELINE_SYNOPSIS,
					   "baseline: set, list or delete?");
	}
	verb = argv[1];
	if (strcmp(verb, "set") && strcmp(verb, "list") && strcmp(verb, "delete"))
		return fa_tool_usage_error("report", FA_BASELINE_SYNOPSIS,
					   "baseline: unknown action '%s' (set, list, delete)",
					   verb);
	ret = fa_common_opts(argc - 1, argv + 1, "baseline",
			     FA_BASELINE_SYNOPSIS, fa_report_baseline_usage,
			     &db_arg, !strcmp(verb, "list") ? &json : NULL,
			     &first);
	if (ret)
		return ret < 0 ? FA_EXIT_OK : ret;
	argc--;
	argv++;
	if (!strcmp(verb, "set") && argc - first < 2)
		return fa_tool_usage_error("report", FA_BASELINE_SYNOPSIS,
					   "baseline set: give NAME and at least one RUN");
	if (!strcmp(verb, "set") && (!*argv[first] ||
				     strlen(argv[first]) >= FA_STORE_NAME_LEN))
		return fa_tool_usage_error("report", FA_BASELINE_SYNOPSIS,
					   "baseline set: NAME '%s' is not usable (1..%d characters)",
					   argv[first], FA_STORE_NAME_LEN - 1);
	if (!strcmp(verb, "delete") && argc - first != 1)
		return fa_tool_usage_error("report", FA_BASELINE_SYNOPSIS,
					   "baseline delete: give one NAME");
	if (!strcmp(verb, "list") && argc - first != 0)
		return fa_tool_usage_error("report", FA_BASELINE_SYNOPSIS,
					   "baseline list: unexpected argument '%s'",
					   argv[first]);
	if (fa_report_open("baseline", db_arg, 0, &s))
		return FA_EXIT_ERROR;
	if (!strcmp(verb, "set")) {
		ret = fa_baseline_set(&s, argv[first], argv + first + 1,
				      argc - first - 1);
	} else if (!strcmp(verb, "delete")) {
		ret = fa_store_baseline_delete(&s, argv[first]);
		if (!ret)
			printf("baseline %s deleted\n", argv[first]);
	} else {
		ret = fa_baseline_list(&s, json);
	}
	if (ret)
		fa_report_store_error("baseline", &s);
	fa_store_close(&s);
	return ret ? FA_EXIT_ERROR : FA_EXIT_OK;
}
