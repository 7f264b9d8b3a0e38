// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the command-line tool. `fio-atomic COMMAND [ARGS]` looks the
 * command up in fa_commands[] and hands it its own argv; adding a command
 * means one cmd_<name>.c file and one line in the table below.
 */
#include <stdio.h>
#include <string.h>

#include "fa_tool.h"
#include "fa_util.h"

static const struct fa_command fa_commands[] = {
	{
		.name = "limits",
		.summary = "atomic write limits of a file or block device",
		.run = fa_cmd_limits,
		.usage = fa_cmd_limits_usage,
	},
	{
		.name = "tearscan",
		.summary = "count torn units in a target written with stamps",
		.run = fa_cmd_tearscan,
		.usage = fa_cmd_tearscan_usage,
	},
	{
		.name = "report",
		.summary = "results database: ingest, compare runs, html dashboard",
		.run = fa_cmd_report,
		.usage = fa_cmd_report_usage,
	},
	{
		.name = "qualify",
		.summary = "qualify a device for atomic writes, with a verdict",
		.run = fa_cmd_qualify,
		.usage = fa_cmd_qualify_usage,
	},
	{
		.name = "probe",
		.summary = "probe one guarantee of atomic writes (power-fail, write-isolation)",
		.run = fa_cmd_probe,
		.usage = fa_cmd_probe_usage,
	},
};

static const struct fa_command *fa_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(fa_commands); i++)
		if (!strcmp(fa_commands[i].name, name))
			return &fa_commands[i];
	return NULL;
}

static void fa_usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"usage: fio-atomic COMMAND [ARGS]\n"
		"       fio-atomic help [COMMAND]\n"
		"       fio-atomic --help | --version\n"
		"\n"
		"Check, exercise and report atomic (RWF_ATOMIC) writes.\n"
		"\n"
		"commands:\n");
	for (i = 0; i < FA_ARRAY_SIZE(fa_commands); i++)
		fprintf(fp, "  %-10s %s\n", fa_commands[i].name,
			fa_commands[i].summary);
	fprintf(fp,
		"\n"
		"exit status: 0 ok, 1 error, 2 usage error, 3 atomic writes\n"
		"not supported, 4 sources of a limit disagree, 5 torn units\n"
		"found (tearscan), 6 acknowledged writes lost (tearscan --acks),\n"
		"7 a regression (report compare), 8 not qualified (qualify) or\n"
		"a guarantee not provided (probe), 9 refused to write to a\n"
		"target in use (qualify, probe).\n"
		"Run 'fio-atomic COMMAND --help' for a command's options.\n");
}

static int fa_help(int argc, char **argv)
{
	const struct fa_command *cmd;

	if (argc < 2) {
		fa_usage(stdout);
		return FA_EXIT_OK;
	}
	cmd = fa_find_command(argv[1]);
	if (!cmd) {
		fa_tool_error("help", "unknown command '%s'", argv[1]);
		return FA_EXIT_USAGE;
	}
	cmd->usage(stdout);
	return FA_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct fa_command *cmd;
	const char *name;

	if (argc < 2) {
		fa_usage(stderr);
		return FA_EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		fa_usage(stdout);
		return FA_EXIT_OK;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("fio-atomic %s\n", FA_VERSION);
		return FA_EXIT_OK;
	}
	if (!strcmp(name, "help"))
		return fa_help(argc - 1, argv + 1);
	if (name[0] == '-') {
		fa_tool_error(NULL, "unknown option '%s' (try '%s --help')",
			      name, "fio-atomic");
		return FA_EXIT_USAGE;
	}
	cmd = fa_find_command(name);
	if (!cmd) {
		fa_tool_error(NULL, "unknown command '%s' (try '%s --help')",
			      name, "fio-atomic");
		return FA_EXIT_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
