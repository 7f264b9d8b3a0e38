// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify TARGET: does this device, with this kernel, give the
 * atomic writes it claims, and at what cost? One run of steps, each
 * ending PASS, FAIL (reason) or SKIP (reason), then a verdict:
 *
 *   1 limits       every source of the limits read and cross-checked, as
 *                  `fio-atomic limits` does
 *   2 conformance  each kernel rule, and each rule of the device's own
 *                  (SCSI Block Limits, NVMe AWUPF/boundary), broken once
 *                  with atomic_validate=off: every illegal write must be
 *                  rejected as the rule says
 *   3 writes       atomic writes of every power of two from unit_min to
 *                  unit_max through every engine that applies: IOPS and
 *                  completion latency percentiles
 *   4 tear         racing readers (tear_check=1) per engine that takes it
 *
 * fio runs as a child process (fork/exec, JSON output); the pure logic
 * (verdict, sweep, parsers) is lib/fa_qualify.c. `--lab` runs all of it
 * on the lab VM's devices and adds the power-cut harness.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <json-c/json.h>
#include "fa_device.h"
#include "fa_guard.h"
#include "fa_jobreport.h"
#include "fa_limits.h"
#include "fa_qualify.h"
#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

/* -------- one target -------- */

static void fa_q_cleanup_workdir(struct fa_q_ctx *q)
{
	char path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	if (!q->workdir[0])
		return;
	d = opendir(q->workdir);
	if (d) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", q->workdir,
				 de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(q->workdir);
}

static int fa_q_target(struct fa_q_opts *o)
{
	static struct fa_q_ctx q;
	struct json_object *report;
	char failing[512];
	const char *tmp = getenv("TMPDIR");
	bool ok;
	int ret, i;

	memset(&q, 0, sizeof(q));
	q.o = o;
	ret = fa_q_setup_target(&q);
	if (ret)
		return ret;
	snprintf(q.workdir, sizeof(q.workdir), "%s/fio-atomic-qualify.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(q.workdir)) {
		fa_tool_path_error(CMD, q.workdir, -errno);
		q.workdir[0] = '\0';
		ret = FA_EXIT_ERROR;
		goto out;
	}
	q.results = json_object_new_array();
	q.tear = json_object_new_object();
	fa_q_fio_version(&q);
	printf("qualify %s: fio %s, engines %s%s%s\n", o->target, o->fio_path,
	       o->engine_dir, o->client ? ", steps 3 and 4 on fio server " :
	       "", o->client ? o->client : "");

	fa_q_step_limits(&q);
	fa_q_plan_engines(&q);
	fa_q_step_conformance(&q);
	fa_q_step_writes(&q);
	fa_q_step_tear(&q);

	ok = fa_q_verdict(q.steps, q.nr_steps, failing, sizeof(failing));
	if (ok)
		printf("verdict: QUALIFIED: %s\n", o->target);
	else
		printf("verdict: NOT QUALIFIED: %s (failing: %s)\n", o->target,
		       failing);
	report = fa_q_report(&q, ok, failing);
	ret = ok ? FA_EXIT_OK : FA_EXIT_NOT_QUALIFIED;
	if (o->json_out && fa_q_write_json(o->json_out, report))
		ret = FA_EXIT_ERROR;
	if (o->html_dir && fa_q_write_html(o, o->html_dir, &report, 1,
					   ok ? "QUALIFIED" : "NOT QUALIFIED", NULL))
		ret = FA_EXIT_ERROR;
	json_object_put(report);
out:
	for (i = 0; i < q.nr_steps; i++)
		json_object_put(q.details[i]);
	json_object_put(q.results);
	json_object_put(q.tear);
	if (q.nr_steps)
		fa_limits_release(&q.lim);
	if (q.remove_path)
		unlink(q.path);
	fa_q_cleanup_workdir(&q);
	return ret;
}

/* -------- command line -------- */

#define FA_QUALIFY_SYNOPSIS \
	"usage: fio-atomic qualify TARGET [options]\n" \
	"       fio-atomic qualify --lab [--runs N] [options]\n"

void fa_cmd_qualify_usage(FILE *fp)
{
	fprintf(fp,
		FA_QUALIFY_SYNOPSIS
		"\n"
		"Qualify a device, with this kernel, for atomic writes: read and\n"
		"cross-check its limits, break every rule once and check each\n"
		"illegal write is rejected, measure atomic writes at every\n"
		"power-of-two size through every engine that applies, race\n"
		"readers against writers for torn units, and give a verdict.\n"
		"\n"
		"TARGET is a directory on a filesystem (a scratch file is made and\n"
		"removed there), a file that does not exist yet, or a block\n"
		"device (its SCSI or NVMe generic node is used too). A block device\n"
		"in use (mounted, held, partitioned, with a filesystem or partition\n"
		"table signature) or an existing file is refused unless\n"
		"--destroy-data is given: qualify overwrites it.\n"
		"\n"
		"options:\n"
		"  --fio PATH         fio to run (default: $FIO, else fio/fio next\n"
		"                     to this tool)\n"
		"  --runtime S        seconds per measured point (default 2)\n"
		"  --quick            1 second per point\n"
		"  --size SIZE        scratch file size / device region (default 256m)\n"
		"  --max-size SIZE    largest write size of the sweep\n"
		"  --destroy-data     overwrite an existing file or a device in use\n"
		"  --json OUT         write the report as JSON\n"
		"  --html DIR         write DIR/index.html with latency plots (gnuplot)\n"
		"  --lab              qualify the lab VM's scsi_debug disk and NVMe\n"
		"                     namespace, then run the power-cut harness\n"
		"  --runs N           power-cut runs with --lab (default 10)\n"
		"  --client HOST[,PORT]  run the measuring fio jobs (steps 3 and\n"
		"                     4) on a fio server (fio --server) that sees\n"
		"                     TARGET, fio and the engines at the same paths\n"
		"  -h, --help         this help\n"
		"\n"
		"exit status: 0 qualified, 1 error, 2 usage error, 8 not qualified,\n"
		"9 refused to write to TARGET (nothing written).\n");
}

/* This executable's directory: fio, engines and scripts are found from it. */
static int fa_q_locate(struct fa_q_opts *o, const char *fio_opt)
{
	const char *env = getenv("FIO");
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", o->self, sizeof(o->self) - 1);
	if (n <= 0)
		return -errno;
	o->self[n] = '\0';
	fa_strlcpy(o->tool_dir, o->self, sizeof(o->tool_dir));
	slash = strrchr(o->tool_dir, '/');
	if (slash)
		*slash = '\0';
	snprintf(o->engine_dir, sizeof(o->engine_dir), "%s/engines",
		 o->tool_dir);
	if (fio_opt)
		fa_strlcpy(o->fio_path, fio_opt, sizeof(o->fio_path));
	else if (env && env[0])
		fa_strlcpy(o->fio_path, env, sizeof(o->fio_path));
	else
		snprintf(o->fio_path, sizeof(o->fio_path), "%s/fio/fio",
			 o->tool_dir);
	return 0;
}

int fa_cmd_qualify(int argc, char **argv)
{
	enum {
		OPT_FIO = 256, OPT_RUNTIME, OPT_QUICK, OPT_SIZE, OPT_MAX_SIZE,
		OPT_DESTROY, OPT_JSON, OPT_HTML, OPT_LAB, OPT_RUNS,
		OPT_LAB_GUEST, OPT_CLIENT,
	};
	static const struct option opts[] = {
		{ "fio", required_argument, NULL, OPT_FIO },
		{ "runtime", required_argument, NULL, OPT_RUNTIME },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "destroy-data", no_argument, NULL, OPT_DESTROY },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "lab", no_argument, NULL, OPT_LAB },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "lab-guest", no_argument, NULL, OPT_LAB_GUEST },
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fa_q_opts o;
	const char *fio_opt = NULL;
	bool runs_given = false;
	unsigned long v;
	int opt;

	memset(&o, 0, sizeof(o));
	o.runtime = 2;
	o.size = 256ULL << 20;
	o.runs = 10;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_FIO:
			fio_opt = optarg;
			break;
		case OPT_RUNTIME:
			if (fa_tool_parse_count(optarg, 1, 3600, &v)) {
				fa_tool_error(CMD, "--runtime '%s': expected whole seconds, 1..3600",
					      optarg);
				return FA_EXIT_USAGE;
			}
			o.runtime = (unsigned int)v;
			break;
		case OPT_QUICK:
			o.quick = true;
			break;
		case OPT_SIZE:
		case OPT_MAX_SIZE:
			if (fa_q_parse_size(optarg, opt == OPT_SIZE ?
					    &o.size : &o.max_size)) {
				fa_tool_error(CMD, "--%s '%s': expected a size such as 4096, 64k, 256m or 1g",
					      opt == OPT_SIZE ? "size" :
					      "max-size", optarg);
				return FA_EXIT_USAGE;
			}
			if (opt == OPT_SIZE)
				o.size_given = true;
			break;
		case OPT_DESTROY:
			o.destroy = true;
			break;
		case OPT_JSON:
			o.json_out = optarg;
			break;
		case OPT_HTML:
			o.html_dir = optarg;
			break;
		case OPT_LAB:
			o.lab = true;
			break;
		case OPT_RUNS:
			if (fa_tool_parse_count(optarg, 1, 100000, &v)) {
				fa_tool_error(CMD, "--runs '%s': expected a count, 1..100000",
					      optarg);
				return FA_EXIT_USAGE;
			}
			o.runs = (int)v;
			runs_given = true;
			break;
		case OPT_LAB_GUEST:
			o.lab_guest = true;
			break;
		case OPT_CLIENT:
			if (!optarg[0]) {
				fa_tool_error(CMD, "--client needs HOST[,PORT]");
				return FA_EXIT_USAGE;
			}
			o.client = optarg;
			break;
		case 'h':
			fa_cmd_qualify_usage(stdout);
			return FA_EXIT_OK;
		case ':':
			fa_tool_error(CMD, "option '%s' needs a value",
				      argv[optind - 1]);
			fputs(FA_QUALIFY_SYNOPSIS, stderr);
			return FA_EXIT_USAGE;
		default:
			if (optopt)
				fa_tool_error(CMD, "unknown option '-%c'",
					      optopt);
			else
				fa_tool_error(CMD, "unknown option '%s'",
					      argv[optind - 1]);
			fputs(FA_QUALIFY_SYNOPSIS, stderr);
			return FA_EXIT_USAGE;
		}
	}
	if (o.quick)
		o.runtime = 1;
	if (runs_given && !o.lab) {
		fa_tool_error(CMD, "--runs is for --lab (the power-cut harness)");
		return FA_EXIT_USAGE;
	}
	if (o.client && (o.lab || o.lab_guest)) {
		fa_tool_error(CMD, "--client and --lab do not go together (the lab runs its own fio)");
		return FA_EXIT_USAGE;
	}
	if (o.lab || o.lab_guest) {
		if (optind < argc) {
			fa_tool_error(CMD, "--lab qualifies the lab's devices: no TARGET ('%s' given)",
				      argv[optind]);
			return FA_EXIT_USAGE;
		}
	} else if (optind != argc - 1) {
		if (optind >= argc)
			fa_tool_error(CMD, "missing TARGET (a directory, a new file or a block device)");
		else
			fa_tool_error(CMD, "one TARGET only, got '%s' too",
				      argv[optind + 1]);
		fputs(FA_QUALIFY_SYNOPSIS, stderr);
		return FA_EXIT_USAGE;
	}
	if (fa_q_locate(&o, fio_opt)) {
		fa_tool_error(CMD, "cannot find this tool's directory: %s",
			      strerror(errno));
		return FA_EXIT_ERROR;
	}
	if (o.lab_guest)
		return fa_q_lab_guest(&o);
	if (o.lab)
		return fa_q_lab(&o);
	if (access(o.fio_path, X_OK)) {
		fa_tool_error(CMD, "no fio at %s (give --fio PATH or set $FIO, or run 'make')",
			      o.fio_path);
		return FA_EXIT_ERROR;
	}
	o.target = argv[optind];
	return fa_q_target(&o);
}
