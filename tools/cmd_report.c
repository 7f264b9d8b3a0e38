// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report: a results database for nightly performance
 * dashboards and regression tracking. The subcommands, each in its own
 * file (report.h):
 *
 *   ingest     result files into the database as a run
 *   runs       the runs, filtered by target, host, kernel and time
 *   label      a run's label
 *   delete     a run and everything ingested under it
 *   baseline   named sets of runs to compare against
 *   compare    a run against a baseline, noise-aware; exit 7 on regression
 *   export     CSV, JSON, or an OpenMetrics file for node_exporter
 *   html       a static dashboard drawn by gnuplot
 *
 * `report --help` prints every subcommand's usage; `report SUB --help`
 * only SUB's.
 */
#include <stdio.h>
#include <string.h>

#include "fa_tool.h"
#include "report.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *fp);
} fa_subs[] = {
	{ "ingest", fa_report_ingest, fa_report_ingest_usage },
	{ "runs", fa_report_runs, fa_report_runs_usage },
	{ "label", fa_report_label, fa_report_label_usage },
	{ "delete", fa_report_delete, fa_report_delete_usage },
	{ "baseline", fa_report_baseline, fa_report_baseline_usage },
	{ "compare", fa_report_compare, fa_report_compare_usage },
	{ "export", fa_report_export, fa_report_export_usage },
	{ "html", fa_report_html, fa_report_html_usage },
};

#define FA_NR_SUBS (sizeof(fa_subs) / sizeof(fa_subs[0]))

#define FA_REPORT_SYNOPSIS						\
	"usage: fio-atomic report SUBCOMMAND [OPTION...]\n"		\
	"  ingest, runs, label, delete, baseline, compare, export, html;\n" \
	"  'fio-atomic report SUBCOMMAND --help' for one of them\n"

static void fa_report_usage(FILE *fp)
{
	size_t i;

	fputs(FA_REPORT_SYNOPSIS
	      "\n"
	      "A results database for nightly dashboards: did it get worse, and what\n"
	      "changed (kernel, device firmware, filesystem, build) since?\n",
	      fp);
	for (i = 0; i < FA_NR_SUBS; i++) {
		fprintf(fp, "\n---- report %s ----\n", fa_subs[i].name);
		fa_subs[i].usage(fp);
	}
}

void fa_cmd_report_usage(FILE *fp)
{
	fa_report_usage(fp);
}

int fa_cmd_report(int argc, char **argv)
{
	const char *sub;
	size_t i;

	if (argc < 2) {
		fa_tool_error("report", "no subcommand given");
		fputs(FA_REPORT_SYNOPSIS, stderr);
		return FA_EXIT_USAGE;
	}
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") ||
	    !strcmp(sub, "help")) {
		fa_report_usage(stdout);
		return FA_EXIT_OK;
	}
	for (i = 0; i < FA_NR_SUBS; i++)
		if (!strcmp(sub, fa_subs[i].name))
			return fa_subs[i].run(argc - 1, argv + 1);
	return fa_tool_usage_error("report", FA_REPORT_SYNOPSIS,
				   "unknown subcommand '%s'", sub);
}
