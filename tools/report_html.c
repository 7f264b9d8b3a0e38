// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report html: the command. Options, where the gnuplot scripts
 * and the stylesheet are, the database opened; the page itself is
 * report_page_*.c: one loader (the only reader of the database, through
 * lib/fa_store.h), the HTML, the images.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_paths.h"
#include "fa_tool.h"
#include "report.h"
#include "report_page.h"

#define FA_HTML_SYNOPSIS						\
	"usage: fio-atomic report html [--db PATH] --out DIR [--plots DIR]\n"

void fa_report_html_usage(FILE *fp)
{
	fputs(FA_HTML_SYNOPSIS
	      "\n"
	      "  Write a static dashboard to DIR: index.html opens with the latest\n"
	      "  run of each target against its baseline (compare's verdicts), then\n"
	      "  per target its runs with their context (kernel, device, firmware,\n"
	      "  fio) and the changes between them, the guarantees over runs, IOPS\n"
	      "  and p99 over runs (a line per write size, changes marked) and\n"
	      "  latency against write size in the latest run, the engines\n"
	      "  overlaid; run-ID.html per run. PNG images drawn by gnuplot from TSV\n"
	      "  files written beside them; fio-atomic.css copied beside the page.\n"
	      "  The gnuplot scripts and the stylesheet come from --plots DIR, else\n"
	      "  $FIO_ATOMIC_PLOTS, else the installed plots/ (or the source\n"
	      "  tree's); gnuplot is $GNUPLOT or 'gnuplot' from PATH. The database\n"
	      "  is read first: a bad one leaves no DIR behind, nor does a failure\n"
	      "  in a DIR it made.\n"
	      "\n"
	      "database:\n" FA_REPORT_DB_HELP
	      FA_REPORT_EXIT_HELP ".\n",
	      fp);
}

#define fa_usage_error(fmt, ...)					\
	fa_tool_usage_error("report", FA_HTML_SYNOPSIS, "html: " fmt,	\
			    ##__VA_ARGS__)

/* The stylesheet every fio-atomic page shares, copied beside the page */
static int fa_html_css(const char *plots, const char *out)
{
	char src[PATH_MAX + 32], dst[PATH_MAX + 32];
	int ret;

	snprintf(src, sizeof(src), "%s/fio-atomic.css", plots);
	snprintf(dst, sizeof(dst), "%s/fio-atomic.css", out);
	ret = fa_tool_copy_file(src, dst);
	if (ret)
		fa_tool_error("report", "html: cannot copy the stylesheet %s to %s: %s",
			      src, out, strerror(-ret));
	return ret;
}

static int fa_rm_one(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int fa_report_html(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "plots", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_arg = NULL, *plots_arg = getenv("FIO_ATOMIC_PLOTS");
	char path[4096], plots[PATH_MAX], out[PATH_MAX], gnuplot[PATH_MAX];
	struct fa_page_out h = { 0 };
	struct fa_page_model m;
	const char *out_arg = NULL;
	struct fa_store db;
	bool made;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:o:p:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_arg = optarg;
			break;
		case 'o':
			out_arg = optarg;
			break;
		case 'p':
			plots_arg = optarg;
			break;
		case 'h':
			fa_report_html_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error("report", FA_HTML_SYNOPSIS,
						    "html: ", opt, argv);
		}
	}
	if (optind < argc)
		return fa_usage_error("unexpected argument '%s'", argv[optind]);
	if (!out_arg || !*out_arg)
		return fa_usage_error("missing --out DIR");
	if (plots_arg && *plots_arg)
		snprintf(plots, sizeof(plots), "%s", plots_arg);
	else if (fa_path_data("plots/trend.gp", plots, sizeof(plots)) ||
		 fa_path_data("plots", plots, sizeof(plots))) {
		fa_tool_error("report", "html: cannot find the gnuplot scripts (%s/plots/trend.gp): give --plots DIR or FIO_ATOMIC_PLOTS",
			      fa_paths()->data);
		return FA_EXIT_ERROR;
	}
	/* gnuplot runs in the output directory: the scripts need a full path */
	if (!realpath(plots, path)) {
		fa_tool_path_error("report", plots, -errno);
		return FA_EXIT_ERROR;
	}
	snprintf(plots, sizeof(plots), "%s", path);
	h.plots = plots;
	if (fa_path_gnuplot(gnuplot, sizeof(gnuplot))) {
		fa_path_gnuplot_error("report", "html");
		return FA_EXIT_ERROR;
	}
	h.gnuplot = gnuplot;
	/* the database first: a bad one must leave no DIR behind */
	if (fa_report_open("html", db_arg, 0, &db))
		return FA_EXIT_ERROR;
	ret = fa_page_load(&db, &m);
	if (ret)
		fa_report_store_error("html", &db);
	fa_store_close(&db);
	if (ret)
		return FA_EXIT_ERROR;
	made = access(out_arg, F_OK) != 0;
	ret = fa_tool_mkdir_p(out_arg);
	if (ret) {
		fa_tool_path_error("report", out_arg, ret);
		goto out;
	}
	if (!realpath(out_arg, out)) {
		ret = -errno;
		fa_tool_path_error("report", out_arg, ret);
		goto out;
	}
	h.dir = out;
	ret = fa_html_css(h.plots, h.dir);
	if (!ret)
		ret = fa_page_write(&h, &m);
	if (!ret)
		printf("wrote %s/index.html with %u image%s and %zu run page%s\n",
		       h.dir, h.images, h.images == 1 ? "" : "s", m.nr_runs,
		       m.nr_runs == 1 ? "" : "s");
out:
	fa_page_free(&m);
	/* a DIR this run made holds only what it wrote */
	if (ret && made)
		nftw(out_arg, fa_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return ret ? FA_EXIT_ERROR : FA_EXIT_OK;
}
