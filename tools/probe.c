// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic probe GUARANTEE ...: one probe per guarantee (fa_guarantee.h),
 * each in its own tools/probe_<name>.c; this only picks one.
 */
#include <stdio.h>
#include <string.h>

#include "fa_tool.h"
#include "fa_util.h"
#include "probe_powerfail.h"
#include "probe_wiso.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *fp);
} fa_probes[] = {
	{ "power-fail", fa_cmd_probe_power_fail,
	  fa_cmd_probe_power_fail_usage },
	{ "write-isolation", fa_cmd_probe_write_isolation,
	  fa_cmd_probe_write_isolation_usage },
};

void fa_cmd_probe_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: fio-atomic probe GUARANTEE [ARGS]\n\nprobes:\n");
	for (i = 0; i < FA_ARRAY_SIZE(fa_probes); i++)
		fprintf(fp, "  %s\n", fa_probes[i].name);
	fprintf(fp, "Run 'fio-atomic probe GUARANTEE --help' for its options.\n");
}

int fa_cmd_probe(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		fa_tool_error("probe", "which probe? (try 'fio-atomic probe --help')");
		return FA_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fa_cmd_probe_usage(stdout);
		return FA_EXIT_OK;
	}
	for (i = 0; i < FA_ARRAY_SIZE(fa_probes); i++)
		if (!strcmp(argv[1], fa_probes[i].name))
			return fa_probes[i].run(argc - 1, argv + 1);
	fa_tool_error("probe", "unknown probe '%s' (try 'fio-atomic probe --help')",
		      argv[1]);
	return FA_EXIT_USAGE;
}
