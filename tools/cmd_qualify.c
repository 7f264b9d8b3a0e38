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

volatile sig_atomic_t fa_q_interrupted;

/* SIGINT, SIGTERM, SIGHUP: stop fio, then clean up as on any error. */
static void fa_q_on_signal(int sig)
{
	fa_q_interrupted = sig;
}

static void fa_q_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fa_q_on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: waitpid() returns EINTR, fio is stopped */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * Sizes the limits rule out are the user's mistake, found before the
 * first measured write.
 */
static int fa_q_check_sizes(const struct fa_q_ctx *q)
{
	const struct fa_limits *lim = &q->lim;

	if (!fa_q_can_write(q) || !q->o->max_size)
		return 0;
	if (q->o->max_size < lim->unit_min.value) {
		fa_tool_error(CMD, "--max-size %" PRIu64 " is below the target's smallest atomic write, unit_min %" PRIu64 " (%s)",
			      q->o->max_size, lim->unit_min.value,
			      lim->unit_min.origin);
		return FA_EXIT_USAGE;
	}
	return 0;
}

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

/* A guarantee whose step --steps left out: not tested, and why. */
static void fa_q_not_asked(struct fa_q_ctx *q)
{
	static const struct {
		unsigned int step;
		int g;
		const char *name;
	} steps[] = {
		{ FA_Q_STEP_READ_ISO, FA_G_READ_ISOLATION, "read-isolation" },
		{ FA_Q_STEP_WRITE_ISO, FA_G_WRITE_ISOLATION, "write-isolation" },
		{ FA_Q_STEP_POWER_FAIL, FA_G_POWER_FAIL, "power-fail" },
	};
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(steps); i++) {
		struct fa_g_result *g = &q->g[steps[i].g];

		if (!(q->o->skip_steps & steps[i].step))
			continue;
		fa_g_init(g, steps[i].g);
		snprintf(g->reason, sizeof(g->reason),
			 "not asked for: --steps leaves out %s", steps[i].name);
	}
}

/* The steps after limits; for another host, those that run here are not its. */
static void fa_q_steps(struct fa_q_ctx *q)
{
	const struct fa_q_opts *o = q->o;

	if (!(o->skip_steps & FA_Q_STEP_CONFORMANCE)) {
		if (o->remote)
			fa_q_not_here(q, "conformance", -1);
		else
			fa_q_step_conformance(q);
	}
	if (!(o->skip_steps & FA_Q_STEP_WRITES))
		fa_q_step_writes(q);
	if (!(o->skip_steps & FA_Q_STEP_READ_ISO))
		fa_q_step_read_isolation(q);
	if (!(o->skip_steps & FA_Q_STEP_WRITE_ISO)) {
		if (o->remote)
			fa_q_not_here(q, "write_isolation",
				      FA_G_WRITE_ISOLATION);
		else
			fa_q_step_write_isolation(q);
	}
	if (!(o->skip_steps & FA_Q_STEP_POWER_FAIL)) {
		if (o->remote)
			fa_q_not_here(q, "power_fail", FA_G_POWER_FAIL);
		else
			fa_q_step_power_fail(q);
	}
	fa_q_not_asked(q);
}

/*
 * One host of a fleet that could not be measured: its report all the
 * same, with what it has and why there is no verdict.
 */
static int fa_q_member_failed(struct fa_q_ctx *q)
{
	struct json_object *report = fa_q_report(q, false, "");
	int ret = 0;

	fa_q_report_host(q, report, q->tool_error);
	if (q->o->json_out && fa_q_write_json(q->o->json_out, report))
		ret = -EIO;
	json_object_put(report);
	return ret;
}

int fa_q_target(struct fa_q_opts *o)
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
	printf("qualify %s: fio %s, engines %s%s%s%s%s\n", o->target,
	       o->fio_path, o->engine_dir,
	       o->client ? ", measuring on fio server " : "",
	       o->client ? o->client : "",
	       o->client && o->remote ? " (not this machine)" : "",
	       o->quick ? " (--quick: a smoke test, its figures are not for comparing)" :
	       "");

	fa_q_step_limits(&q);
	if (o->remote)
		fa_q_limits_not_here(&q);
	else
		fa_q_record_context(&q);
	fa_q_plan_engines(&q);
	ret = fa_q_check_sizes(&q);
	if (ret)
		goto out;
	if (!fa_q_preflight(&q))
		fa_q_steps(&q);
	if (fa_q_interrupted)
		fa_q_tool_error(&q, "interrupted by signal %d",
				(int)fa_q_interrupted);
	/*
	 * Through a fio server alone the required steps cannot run: what was
	 * measured is reported, but a verdict would judge what was not.
	 */
	if (!q.tool_error[0] && o->remote)
		fa_q_tool_error(&q, "no verdict for a host that is not this machine: limits, conformance, write_isolation and power_fail run on the host itself (run fio-atomic qualify there); its writes and read_isolation were measured through its fio server");
	if (q.tool_error[0]) {
		/* The tool failed, not the target: no verdict. */
		printf("qualify: could not measure: %s\n", q.tool_error);
		fa_tool_error(CMD, "could not measure %s: %s (no verdict)",
			      o->target, q.tool_error);
		ret = FA_EXIT_ERROR;
		if (o->fleet_member)
			fa_q_member_failed(&q);
		goto out;
	}

	ok = fa_q_verdict(q.steps, q.nr_steps, failing, sizeof(failing));
	if (ok)
		printf("verdict: QUALIFIED: %s\n", o->target);
	else
		printf("verdict: NOT QUALIFIED: %s (failing: %s)\n", o->target,
		       failing);
	report = fa_q_report(&q, ok, failing);
	fa_q_report_host(&q, report, NULL);
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
	if (q.nr_steps)
		fa_limits_release(&q.lim);
	if (q.remove_path)
		unlink(q.path);
	free(q.context);
	fa_q_cleanup_workdir(&q);
	return ret;
}

/* -------- command line -------- */

#define FA_QUALIFY_SYNOPSIS \
	"usage: fio-atomic qualify TARGET [options]\n" \
	"       fio-atomic qualify --lab [--runs N] [--kernels K1,K2,...] [options]\n"

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
		"  --fio PATH         fio to run (default: $FIO, else the fio\n"
		"                     installed with the engines, else build/fio/fio)\n"
		"  --runtime S        seconds per measured point (default 2)\n"
		"  --quick            a smoke test: 1 second per point, run once\n"
		"                     (its figures are not for comparing)\n"
		"  --repeat N         runs per point, median and spread reported,\n"
		"                     a warning above 20%% spread (default 3)\n"
		"  --ramp S           seconds of writes before each measurement\n"
		"  --size SIZE        scratch file size / device region (default 256m)\n"
		"  --max-size SIZE    largest write size of the sweep\n"
		"  --destroy-data     overwrite an existing file or a device in use\n"
		"  --json OUT         write the report as JSON\n"
		"  --html DIR         write DIR/index.html with latency plots (gnuplot)\n"
		"  --lab              qualify the lab VM's scsi_debug disk and NVMe\n"
		"                     namespace, then run the power-cut harness\n"
		"  --runs N           power-cut runs with --lab (default 10)\n"
		"  --kernels K1,K2,...  with --lab: the whole qualification once\n"
		"                     per lab kernel (a version such as 6.12 or\n"
		"                     7.3, an ABI or a suite), then one report\n"
		"                     side by side: limits, guarantees, atomic\n"
		"                     cost per size, verdicts\n"
		"  --client HOST[,PORT]  run the measuring fio jobs (the sweep and\n"
		"                     the readers) on a fio server (fio --server)\n"
		"                     that sees TARGET, fio and the engines at the\n"
		"                     same paths\n"
		"  --client H1[:PORT],H2[:PORT],...  a fleet: every server at once,\n"
		"                     one report with a row per host ([IPv6]:PORT;\n"
		"                     PORT defaults to 8765); the steps that run\n"
		"                     here (limits, conformance, write-isolation,\n"
		"                     power-fail) are a host's only when the host\n"
		"                     is this machine, else not tested\n"
		"  --steps LIST       run only these steps (comma separated; limits\n"
		"                     always runs): conformance, writes,\n"
		"                     read-isolation, write-isolation, power-fail\n"
		"  --require LIST     make read-isolation and/or write-isolation\n"
		"                     count in the verdict (comma separated), for\n"
		"                     applications that do not serialise their\n"
		"                     writes per block; power-fail always counts\n"
		"  -h, --help         this help\n"
		"\n"
		"Three guarantees are measured apart: power_fail (after a crash each\n"
		"atomic write is all old or all new: the kernel's promise),\n"
		"read_isolation (a read racing a write sees one or the other) and\n"
		"write_isolation (two overlapping writes in flight leave one whole).\n"
		"\n"
		"exit status: 0 qualified, 8 not qualified (a promise or a rule\n"
		"failed), 9 refused to write to TARGET (nothing written), 2 usage\n"
		"error (also: sizes the target rules out, a --size beyond the free\n"
		"space, a report path that cannot be written), 1 the tool could not\n"
		"measure (fio does not run, an engine does not load, fio failed to\n"
		"start a job, interrupted): never a verdict on the target.\n"
		"With several --client hosts: 0 when every host is QUALIFIED, 1 when\n"
		"a host could not be measured (its row says why), else 8 when a host\n"
		"is NOT QUALIFIED.\n");
}

/* --require read-isolation,write-isolation (power-fail always counts) */
static int fa_q_parse_require(struct fa_q_opts *o, const char *arg)
{
	char buf[256], *tok, *save = NULL;
	int g;

	if (fa_strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
		goto bad;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (g = 0; g < FA_G_NR; g++) {
			char dashed[32], *p;

			fa_strlcpy(dashed, fa_guarantee_name(g), sizeof(dashed));
			for (p = dashed; *p; p++)
				if (*p == '_')
					*p = '-';
			if (!strcmp(tok, dashed) ||
			    !strcmp(tok, fa_guarantee_name(g)))
				break;
		}
		if (g == FA_G_NR)
			goto bad;
		o->require[g] = true;
	}
	return 0;
bad:
	fa_tool_error(CMD, "--require '%s': expected a list of read-isolation, write-isolation, power-fail",
		      arg);
	return -EINVAL;
}

/* --steps conformance,writes,...: limits always runs, the rest on demand */
static int fa_q_parse_steps(struct fa_q_opts *o, const char *arg)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} steps[] = {
		{ "conformance", FA_Q_STEP_CONFORMANCE },
		{ "writes", FA_Q_STEP_WRITES },
		{ "read_isolation", FA_Q_STEP_READ_ISO },
		{ "write_isolation", FA_Q_STEP_WRITE_ISO },
		{ "power_fail", FA_Q_STEP_POWER_FAIL },
	};
	char buf[256], *tok, *save = NULL, *p;
	unsigned int want = 0, i;

	if (fa_strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
		goto bad;
	for (p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "limits"))
			continue;
		for (i = 0; i < FA_ARRAY_SIZE(steps); i++)
			if (!strcmp(tok, steps[i].name))
				break;
		if (i == FA_ARRAY_SIZE(steps))
			goto bad;
		want |= steps[i].bit;
	}
	o->skip_steps = ~want;
	return 0;
bad:
	fa_tool_error(CMD, "--steps '%s': expected a list of limits, conformance, writes, read-isolation, write-isolation, power-fail",
		      arg);
	return -EINVAL;
}

/* A report path that cannot be written is found before the first write. */
static int fa_q_check_output(const char *opt, const char *path, bool is_dir)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	if (!path)
		return 0;
	if (!stat(path, &st)) {
		if (is_dir != !!S_ISDIR(st.st_mode)) {
			fa_tool_error(CMD, "%s %s: %s", opt, path, is_dir ?
				      "not a directory" : "is a directory");
			return -EINVAL;
		}
		if (access(path, W_OK | (is_dir ? X_OK : 0))) {
			fa_tool_error(CMD, "%s %s: %s", opt, path,
				      strerror(errno));
			return -errno;
		}
		return 0;
	}
	fa_strlcpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	if (access(dir, W_OK | X_OK)) {
		fa_tool_error(CMD, "%s %s: cannot create it in %s: %s", opt,
			      path, dir, strerror(errno));
		return -errno;
	}
	return 0;
}

static int fa_q_check_outputs(const struct fa_q_opts *o)
{
	return fa_q_check_output("--json", o->json_out, false) ||
	       fa_q_check_output("--html", o->html_dir, true);
}

/* fio, the engines and this executable, installed or in the build tree */
static int fa_q_locate(struct fa_q_opts *o, const char *fio_opt)
{
	fa_strlcpy(o->self, fa_paths()->self, sizeof(o->self));
	if (fa_path_engines(o->engine_dir, sizeof(o->engine_dir)) ||
	    fa_path_fio(fio_opt, o->fio_path, sizeof(o->fio_path)))
		return -ENAMETOOLONG;
	return 0;
}

int fa_cmd_qualify(int argc, char **argv)
{
	enum {
		OPT_FIO = 256, OPT_RUNTIME, OPT_QUICK, OPT_SIZE, OPT_MAX_SIZE,
		OPT_DESTROY, OPT_JSON, OPT_HTML, OPT_LAB, OPT_RUNS,
		OPT_LAB_GUEST, OPT_CLIENT, OPT_REQUIRE, OPT_RAMP, OPT_REPEAT,
		OPT_STEPS, OPT_KERNELS,
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
		{ "require", required_argument, NULL, OPT_REQUIRE },
		{ "ramp", required_argument, NULL, OPT_RAMP },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "steps", required_argument, NULL, OPT_STEPS },
		{ "kernels", required_argument, NULL, OPT_KERNELS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fa_q_opts o;
	const char *fio_opt = NULL;
	bool runs_given = false, repeat_given = false;
	unsigned long v;
	int opt;

	memset(&o, 0, sizeof(o));
	o.runtime = 2;
	o.size = 256ULL << 20;
	o.runs = 10;
	o.repeat = 3;
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
			o.runtime_given = true;
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
		case OPT_KERNELS:
			o.nr_kernels = fa_q_parse_kernels(optarg, o.kernels,
							  FA_Q_MAX_KERNELS);
			if (o.nr_kernels < 1) {
				fa_tool_error(CMD, "--kernels '%s': expected 1 to %d lab kernels separated by commas (6.12,7.3; each a version, an ABI or a suite)",
					      optarg, FA_Q_MAX_KERNELS);
				return FA_EXIT_USAGE;
			}
			break;
		case OPT_RAMP:
			if (fa_tool_parse_count(optarg, 0, 600, &v)) {
				fa_tool_error(CMD, "--ramp '%s': expected whole seconds, 0..600",
					      optarg);
				return FA_EXIT_USAGE;
			}
			o.ramp = (unsigned int)v;
			break;
		case OPT_REPEAT:
			if (fa_tool_parse_count(optarg, 1, FA_Q_MAX_REPEAT, &v)) {
				fa_tool_error(CMD, "--repeat '%s': expected a count, 1..%d",
					      optarg, FA_Q_MAX_REPEAT);
				return FA_EXIT_USAGE;
			}
			o.repeat = (int)v;
			repeat_given = true;
			break;
		case OPT_STEPS:
			if (fa_q_parse_steps(&o, optarg))
				return FA_EXIT_USAGE;
			break;
		case OPT_REQUIRE:
			if (fa_q_parse_require(&o, optarg))
				return FA_EXIT_USAGE;
			break;
		case OPT_CLIENT:
			if (fa_q_parse_clients(&o, optarg))
				return FA_EXIT_USAGE;
			break;
		case 'h':
			fa_cmd_qualify_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error(CMD, FA_QUALIFY_SYNOPSIS, "",
						    opt, argv);
		}
	}
	if (o.quick && o.runtime_given) {
		fa_tool_error(CMD, "--quick sets 1 s per point: give --quick or --runtime, not both");
		return FA_EXIT_USAGE;
	}
	if (o.quick && repeat_given && o.repeat > 1) {
		fa_tool_error(CMD, "--quick runs each point once: give --quick or --repeat, not both");
		return FA_EXIT_USAGE;
	}
	if (o.quick) {
		o.runtime = 1;
		o.repeat = 1;
	}
	if (fa_q_check_outputs(&o))
		return FA_EXIT_USAGE;
	if (o.html_dir && fa_q_check_plotting())
		return FA_EXIT_ERROR;
	if (o.nr_kernels && !o.lab) {
		fa_tool_error(CMD, "--kernels is for --lab (the lab's kernels)");
		return FA_EXIT_USAGE;
	}
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
		fa_tool_error(CMD, "the path of fio or of the engines is longer than %d bytes",
			      PATH_MAX);
		return FA_EXIT_ERROR;
	}
	if (o.lab_guest)
		return fa_q_lab_guest(&o);
	if (o.lab && o.nr_kernels)
		return fa_q_lab_kernels(&o);
	if (o.lab)
		return fa_q_lab(&o);
	if (access(o.fio_path, X_OK)) {
		fa_tool_error(CMD, "no fio at %s (give --fio PATH or set $FIO, or run 'make')",
			      o.fio_path);
		return FA_EXIT_ERROR;
	}
	o.target = argv[optind];
	fa_q_catch_signals();
	if (o.nr_hosts > 1)
		return fa_q_fleet(&o);
	return fa_q_target(&o);
}
