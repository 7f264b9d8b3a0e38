// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report export: the results as files for other tools.
 *
 *   --csv, --json     one row per result with its run and context columns
 *                     (the column list is fa_columns below and in
 *                     docs/results-db.md), of every run or of --run RUN;
 *   --openmetrics F   the latest run per target (host and target path) as
 *                     an OpenMetrics text file for node_exporter's textfile
 *                     collector: fio_atomic_iops, fio_atomic_clat_p99_seconds
 *                     and fio_atomic_guarantee; written to a temporary file
 *                     beside F and renamed, so a collector never reads half
 *                     of it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_tool.h"
#include "fa_util.h"
#include "report.h"
#include "report_export.h"

#define FA_EXPORT_SYNOPSIS						\
	"usage: fio-atomic report export [--db PATH] (--csv | --json) [--run RUN] [--out FILE]\n" \
	"       fio-atomic report export [--db PATH] --openmetrics FILE\n"

void fa_report_export_usage(FILE *fp)
{
	size_t i;

	fputs(FA_EXPORT_SYNOPSIS
	      "\n"
	      "--csv, --json: one row per result with its run and its context, of\n"
	      "  every run or of --run RUN (a name or an id), to FILE or stdout.\n"
	      "  CSV (RFC 4180) has a header line; an unknown value is empty. JSON is\n"
	      "  {\"fio_atomic_export\": {\"version\": 1, \"columns\": [...],\n"
	      "  \"rows\": [{column: value}]}}, an unknown value null. Columns:\n  ",
	      fp);
	for (i = 0; i < fa_nr_columns; i++)
		fprintf(fp, "%s%s", fa_columns[i].name,
			i + 1 < fa_nr_columns ? (i % 6 == 5 ? ",\n  " : ", ") :
						"\n");
	fputs("--openmetrics FILE: the latest run of each target (host and target\n"
	      "  path) as OpenMetrics text for node_exporter's textfile collector\n"
	      "  (name FILE *.prom in its directory): fio_atomic_iops and\n"
	      "  fio_atomic_clat_p99_seconds per engine, mode, rw, dir, bs and iodepth\n"
	      "  (the median of the run's samples), fio_atomic_guarantee{guarantee=...}\n"
	      "  1 provided, 0 not provided (not tested: no sample); labels target,\n"
	      "  host, run. Written to a temporary file beside FILE, then renamed.\n"
	      "\n"
	      "database:\n" FA_REPORT_DB_HELP
	      FA_REPORT_EXIT_HELP "; an unknown RUN is 1.\n", fp);
}

#define fa_usage_error(fmt, ...)					\
	fa_tool_usage_error("report", FA_EXPORT_SYNOPSIS, "export: " fmt, \
			    ##__VA_ARGS__)

static void fa_csv_field(FILE *fp, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void fa_write_csv(FILE *fp, const struct fa_export_table *t)
{
	char num[64];
	size_t r, c;

	for (c = 0; c < fa_nr_columns; c++)
		fprintf(fp, "%s%s", c ? "," : "", fa_columns[c].name);
	fputs("\r\n", fp);
	for (r = 0; r < t->nr; r++) {
		for (c = 0; c < fa_nr_columns; c++) {
			const struct fa_cell *v;

			v = &t->cells[r * fa_nr_columns + c];

			if (c)
				fputc(',', fp);
			if (fa_cell_text(v, num, sizeof(num)))
				fa_csv_field(fp, v->type == FA_CELL_TEXT ?
					     v->text : num);
		}
		fputs("\r\n", fp);
	}
}

static struct json_object *fa_cell_json(const struct fa_cell *v)
{
	switch (v->type) {
	case FA_CELL_INT:
		return json_object_new_int64(v->i);
	case FA_CELL_REAL:
		return json_object_new_double(v->d);
	case FA_CELL_TEXT:
		return json_object_new_string(v->text);
	case FA_CELL_NULL:
	default:
		return NULL;
	}
}

static int fa_write_json(FILE *fp, const struct fa_export_table *t)
{
	struct json_object *root, *body, *cols, *rows, *o;
	size_t r, c;

	cols = json_object_new_array();
	rows = json_object_new_array();
	for (c = 0; c < fa_nr_columns; c++)
		json_object_array_add(cols, json_object_new_string(
					      fa_columns[c].name));
	for (r = 0; r < t->nr; r++) {
		o = json_object_new_object();
		for (c = 0; c < fa_nr_columns; c++)
			json_object_object_add(o, fa_columns[c].name,
				fa_cell_json(&t->cells[r * fa_nr_columns + c]));
		json_object_array_add(rows, o);
	}
	body = json_object_new_object();
	json_object_object_add(body, "version", json_object_new_int(1));
	json_object_object_add(body, "columns", cols);
	json_object_object_add(body, "rows", rows);
	root = json_object_new_object();
	json_object_object_add(root, "fio_atomic_export", body);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      fp);
	fputc('\n', fp);
	json_object_put(root);
	return 0;
}

/* --out FILE through a temporary file and a rename, or stdout */
static int fa_export_table(struct fa_store *s, int64_t run_id, bool csv,
			   const char *out)
{
	struct fa_export_table t = { 0 };
	char tmp[4200];
	FILE *fp = stdout;
	int ret;

	ret = fa_export_load(s, run_id, &t);
	if (ret)
		return ret;
	if (out) {
		snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
		fp = fopen(tmp, "w");
		if (!fp) {
			ret = -errno;
			fa_tool_path_error("report", tmp, ret);
			fa_export_free(&t);
			return FA_EXIT_ERROR;
		}
	}
	if (csv)
		fa_write_csv(fp, &t);
	else
		fa_write_json(fp, &t);
	fa_export_free(&t);
	if (!out)
		return fflush(stdout) ? FA_EXIT_ERROR : 0;
	if (fclose(fp) || rename(tmp, out)) {
		ret = -errno;
		unlink(tmp);
		fa_tool_path_error("report", out, ret);
		return FA_EXIT_ERROR;
	}
	return 0;
}

int fa_report_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "openmetrics", required_argument, NULL, 'm' },
		{ "run", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_arg = NULL, *run_arg = NULL, *out = NULL, *om = NULL;
	struct fa_store_run run = { 0 };
	struct fa_store s;
	int opt, formats = 0, ret;
	bool csv = false;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:cjm:r:o:h", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_arg = optarg;
			break;
		case 'c':
			csv = true;
			formats++;
			break;
		case 'j':
			formats++;
			break;
		case 'm':
			om = optarg;
			formats++;
			break;
		case 'r':
			run_arg = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			fa_report_export_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error("report", FA_EXPORT_SYNOPSIS,
						    "export: ", opt, argv);
		}
	}
	if (optind < argc)
		return fa_usage_error("unexpected argument '%s'", argv[optind]);
	if (formats != 1)
		return fa_usage_error("give one of --csv, --json, --openmetrics FILE");
	if (om && (run_arg || out))
		return fa_usage_error("--openmetrics takes the latest run per target and its FILE: no --run or --out");
	if (om && !*om)
		return fa_usage_error("--openmetrics needs a FILE");
	if (fa_report_open("export", db_arg, 0, &s))
		return FA_EXIT_ERROR;
	if (run_arg && fa_store_find_run(&s, run_arg, &run)) {
		fa_report_store_error("export", &s);
		fa_store_close(&s);
		return FA_EXIT_ERROR;
	}
	if (om)
		ret = fa_export_openmetrics(&s, om);
	else
		ret = fa_export_table(&s, run.id, csv, out);
	if (ret < 0) {
		fa_report_store_error("export", &s);
		ret = FA_EXIT_ERROR;
	}
	fa_store_run_free(&run);
	fa_store_close(&s);
	return ret;
}
