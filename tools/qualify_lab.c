// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: --lab: the lab VM's devices, the guest side and the power-cut harness.
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
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <json-c/json.h>
#include "fa_device.h"
#include "fa_rate.h"
#include "fa_guard.h"
#include "fa_jobreport.h"
#include "fa_limits.h"
#include "fa_qualify.h"
#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

/* lab-run's exit statuses for a lab that failed (tests/lab/lab-run --help) */
enum { FA_LAB_QEMU_CRASHED = 123, FA_LAB_BOOT_HUNG = 126 };

/* -------- --lab -------- */

/* Run @argv with the tool's own stdout and stderr; its exit status. */
static int fa_q_spawn_inherit(char *const argv[], const char *dir)
{
	const struct fa_spawn s = {
		.dir = dir,
		.in = "/dev/null",
		.exec_error_prefix = "fio-atomic: " CMD ": ",
	};

	return fa_spawn_run(&s, argv);
}

static void fa_q_common_args(const struct fa_q_opts *o, struct fa_argv *a)
{
	/* --quick, --repeat and --ramp as given, so the devices get the same */
	if (o->quick) {
		fa_argv_add(a, "--quick");
	} else {
		fa_argv_add(a, "--runtime=%u", o->runtime);
		fa_argv_add(a, "--repeat=%d", o->repeat);
	}
	if (o->ramp)
		fa_argv_add(a, "--ramp=%u", o->ramp);
	fa_argv_add(a, "--fio=%s", o->fio_path);
	if (o->max_size)
		fa_argv_add(a, "--max-size=%" PRIu64, o->max_size);
	if (o->size_given)
		fa_argv_add(a, "--size=%" PRIu64, o->size);
}

/*
 * Inside the lab VM: qualify the scsi_debug disk and the NVMe namespace,
 * each into $LAB_RESULTS/qualify-<kind>.json.
 */
int fa_q_lab_guest(const struct fa_q_opts *o)
{
	const char *devs[][2] = {
		{ "scsi", getenv("LAB_SCSI_DISK") },
		{ "nvme", getenv("LAB_NVME_NS") },
	};
	const char *results = getenv("LAB_RESULTS");
	int worst = FA_EXIT_OK, ret;
	size_t i;

	if (!results || !results[0]) {
		fa_tool_error(CMD, "--lab-guest runs inside the lab VM only ($LAB_RESULTS is not set)");
		return FA_EXIT_USAGE;
	}
	for (i = 0; i < FA_ARRAY_SIZE(devs); i++) {
		struct fa_argv a = { .n = 0 };

		if (!devs[i][1] || !devs[i][1][0])
			continue;
		printf("== lab %s device %s\n", devs[i][0], devs[i][1]);
		fa_argv_add(&a, "%s", o->self);
		fa_argv_add(&a, CMD);
		fa_argv_add(&a, "%s", devs[i][1]);
		fa_q_common_args(o, &a);
		fa_argv_add(&a, "--json=%s/qualify-%s.json", results,
			    devs[i][0]);
		ret = fa_q_spawn_inherit(a.v, NULL);
		fa_argv_free(&a);
		if (ret < 0)
			ret = FA_EXIT_ERROR;
		if (ret == FA_EXIT_NOT_QUALIFIED && worst == FA_EXIT_OK)
			worst = ret;
		else if (ret && ret != FA_EXIT_NOT_QUALIFIED)
			worst = ret;
	}
	return worst;
}

/* One engine of the harness: a power_fail point, its torn and lost. */
static void fa_q_power_cut_point(struct fa_g_result *g, struct json_object *e)
{
	struct json_object *v;
	struct fa_g_point *p;
	uint64_t intact = 0, torn = 0, lost = 0;
	char name[64], what[FA_G_TEXT_LEN];

	if (json_object_object_get_ex(e, "intact", &v))
		intact = (uint64_t)json_object_get_int64(v);
	if (json_object_object_get_ex(e, "torn", &v))
		torn = (uint64_t)json_object_get_int64(v);
	if (json_object_object_get_ex(e, "lost", &v))
		lost = (uint64_t)json_object_get_int64(v);
	snprintf(name, sizeof(name), "%s %s", fa_jstr(e, "engine"),
		 fa_jstr(e, "mode"));
	p = fa_g_point(g, name, 65536);
	if (!p)
		return;
	p->trials += intact + torn;
	p->failures += torn + lost;
	if (torn || lost) {
		snprintf(what, sizeof(what), "%s: %" PRIu64 " torn units, %" PRIu64 " acknowledged writes lost",
			 name, torn, lost);
		fa_g_example(g, 0, 65536, what);
	}
}

/* The power-cut harness's results, as a step and as power_fail. */
static void fa_q_power_cut(const struct fa_q_opts *o, const char *dir,
			   char *tool_error, size_t tool_error_size,
			   struct fa_q_step *s, struct json_object **out,
			   struct fa_g_result *g)
{
	char script[PATH_MAX + 64], json[PATH_MAX + 32], first[400] = "";
	struct json_object *engines, *e;
	struct fa_argv a = { .n = 0 };
	int ret, passed = 0, failed = 0;
	size_t i, nr;

	memset(s, 0, sizeof(*s));
	fa_strlcpy(s->name, "power-cut", sizeof(s->name));
	*out = NULL;
	fa_g_init(g, FA_G_POWER_FAIL);
	snprintf(g->how, sizeof(g->how), "the lab VM killed (SIGKILL of QEMU) in the middle of stamped atomic writes to its NVMe namespace, %d runs per engine, booted again and scanned with the acknowledged-write logs",
		 o->runs);
	printf("step: power-cut: tests/lab/power-cut --runs %d\n", o->runs);
	if (fa_path_data("tests/lab/power-cut", script, sizeof(script)) ||
	    access(script, X_OK)) {
		fa_q_end(s, FA_Q_SKIP, "%s not found: no power-cut harness in this build",
			 script);
		return;
	}
	snprintf(json, sizeof(json), "%s/power-cut.json", dir);
	fa_argv_add(&a, "%s", script);
	fa_argv_add(&a, "--runs");
	fa_argv_add(&a, "%d", o->runs);
	fa_argv_add(&a, "--json");
	fa_argv_add(&a, "%s", json);
	ret = fa_q_spawn_inherit(a.v, "/");
	fa_argv_free(&a);
	*out = json_object_from_file(json);
	if (!*out) {
		/* The lab failed (its own messages say how), not the device. */
		snprintf(tool_error, tool_error_size,
			 "the power-cut harness exited %d and wrote no report",
			 ret);
		fa_q_end(s, FA_Q_SKIP, "%s", tool_error);
		return;
	}
	engines = json_object_object_get(*out, "engines");
	nr = engines ? json_object_array_length(engines) : 0;
	for (i = 0; i < nr; i++) {
		const char *v;
		char rate[96];

		e = json_object_array_get_idx(engines, i);
		v = fa_jstr(e, "verdict");
		if (!strcmp(v, "PASS") || !strcmp(v, "FAIL"))
			fa_q_power_cut_point(g, e);
		fa_rate_text(fa_juint(e, "torn"), fa_juint(e, "intact") +
			     fa_juint(e, "torn"), rate, sizeof(rate));
		printf("  %-14s %-9s power_fail: torn units %s over %s runs: %s %s\n",
		       fa_jstr(e, "engine"), fa_jstr(e, "mode"), rate,
		       fa_jstr(e, "runs"), v, fa_jstr(e, "reason"));
		if (!strcmp(v, "PASS"))
			passed++;
		if (!strcmp(v, "FAIL") && !failed++)
			snprintf(first, sizeof(first), "%s %s: %s",
				 fa_jstr(e, "engine"), fa_jstr(e, "mode"),
				 fa_jstr(e, "reason"));
	}
	if (!passed && !failed)
		snprintf(g->reason, sizeof(g->reason),
			 "no engine was judged (harness exit %d)", ret);
	fa_g_judge(g);
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%s", first);
	else if (!passed)
		fa_q_end(s, FA_Q_SKIP, "no engine was judged (harness exit %d)",
			 ret);
	else
		fa_q_end(s, FA_Q_PASS, "%d engine%s, 0 torn", passed,
			 passed == 1 ? "" : "s");
}

/*
 * What lab-run and the power-cut harness find by themselves in the build
 * tree, given by the tool that runs them, which may be installed: this
 * fio-atomic, its fio, engines and tear-bound, and the VM cache (under
 * build/lab in the tree; in the user's cache directory when installed).
 */
static void fa_q_lab_env(const struct fa_q_opts *o)
{
	const struct fa_paths *p = fa_paths();
	char bound[PATH_MAX + 16];

	snprintf(bound, sizeof(bound), "%s/tear-bound", p->helpers);
	setenv("FIO", o->fio_path, 1);
	setenv("FA_TOOL", o->self, 1);
	setenv("ENGINE_DIR", o->engine_dir, 1);
	setenv("FA_TEAR_BOUND", bound, 1);
	if (p->lab_cache[0])
		setenv("LAB_CACHE_DIR", p->lab_cache, 0);
}

/* lab-run's command line for the guest's half of qualify --lab */
static void fa_q_lab_argv(const struct fa_q_opts *o, const char *lab_run,
			  const char *dir, struct fa_argv *a)
{
	fa_argv_add(a, "%s", lab_run);
	fa_argv_add(a, "--results");
	fa_argv_add(a, "%s", dir);
	fa_argv_add(a, "--timeout");
	fa_argv_add(a, "1800");
	/* the guest's environment is built from scratch */
	if (getenv("FA_PRELOAD") && getenv("FA_PRELOAD")[0]) {
		fa_argv_add(a, "--env");
		fa_argv_add(a, "FA_PRELOAD=%s", getenv("FA_PRELOAD"));
	}
	fa_argv_add(a, "--");
	fa_argv_add(a, "%s", o->self);
	fa_argv_add(a, CMD);
	fa_argv_add(a, "--lab-guest");
	fa_q_common_args(o, a);
}

/* From the host: boot the lab, qualify its devices, then the harness. */
int fa_q_lab(struct fa_q_opts *o)
{
	static const char *const kinds[] = { "scsi", "nvme" };
	struct json_object *targets[2], *combined, *pc = NULL, *guarantees;
	static struct fa_g_result power_fail;
	struct json_object *devices, *rows;
	struct fa_q_step steps[3];
	char lab_run[PATH_MAX + 64], dir[PATH_MAX], path[PATH_MAX + 32];
	char failing[512], tool_error[256] = "";
	struct fa_argv a = { .n = 0 };
	const char *tmp = getenv("TMPDIR");
	int nr = 0, nr_steps = 0, ret, i, attempt;
	bool ok;

	if (fa_path_data("tests/lab/lab-run", lab_run, sizeof(lab_run)) ||
	    access(lab_run, X_OK)) {
		fa_tool_error(CMD, "--lab needs %s (the lab VM runner)",
			      lab_run);
		return FA_EXIT_ERROR;
	}
	snprintf(dir, sizeof(dir), "%s/fio-atomic-qualify-lab.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fa_tool_path_error(CMD, dir, -errno);
		return FA_EXIT_ERROR;
	}
	fa_q_lab_env(o);
	printf("qualify --lab: booting %s (results in %s)\n", lab_run, dir);
	fa_q_lab_argv(o, lab_run, dir, &a);
	/* the guest sees the host's root at the same paths: cwd "/" is safe */
	for (attempt = 1; attempt <= 2; attempt++) {
		ret = fa_q_spawn_inherit(a.v, "/");
		/*
		 * QEMU crashed (123) or the boot hung (126): the lab failed,
		 * not a device; the guest's reports, if any, are incomplete.
		 */
		if ((ret != FA_LAB_QEMU_CRASHED && ret != FA_LAB_BOOT_HUNG) ||
		    attempt == 2)
			break;
		printf("qualify --lab: lab-run exit %d (%s), booting again\n",
		       ret, ret == FA_LAB_QEMU_CRASHED ? "QEMU crashed" :
		       "the boot hung");
		for (i = 0; i < 2; i++) {
			snprintf(path, sizeof(path), "%s/qualify-%s.json",
				 dir, kinds[i]);
			unlink(path);
		}
	}
	fa_argv_free(&a);

	for (i = 0; i < 2; i++) {
		struct json_object *root, *inner;
		struct fa_q_step *s = &steps[nr_steps++];

		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "lab-%s", kinds[i]);
		s->required = true;
		snprintf(path, sizeof(path), "%s/qualify-%s.json", dir,
			 kinds[i]);
		root = json_object_from_file(path);
		inner = root ? json_object_object_get(root,
						      "fio_atomic_qualify") :
			NULL;
		if (!inner) {
			s->result = FA_Q_SKIP;
			snprintf(s->reason, sizeof(s->reason),
				 "no report from the lab (lab-run exit %d)",
				 ret);
			if (!tool_error[0])
				snprintf(tool_error, sizeof(tool_error),
					 "no %s report from the lab VM (lab-run exit %d)",
					 kinds[i], ret);
			json_object_put(root);
			continue;
		}
		targets[nr++] = json_object_get(inner);
		json_object_put(root);
		if (!strcmp(fa_jstr(inner, "verdict"), "QUALIFIED")) {
			s->result = FA_Q_PASS;
		} else {
			struct json_object *f;
			size_t j;

			s->result = FA_Q_FAIL;
			f = json_object_object_get(inner, "failing_steps");
			snprintf(s->reason, sizeof(s->reason), "%s:",
				 fa_jstr(inner, "target"));
			for (j = 0; f && j < json_object_array_length(f); j++)
				snprintf(s->reason + strlen(s->reason),
					 sizeof(s->reason) - strlen(s->reason),
					 " %s", json_object_get_string(
					 json_object_array_get_idx(f, j)));
		}
	}
	if (!tool_error[0])
		fa_q_power_cut(o, dir, tool_error, sizeof(tool_error),
			       &steps[nr_steps++], &pc, &power_fail);
	if (tool_error[0]) {
		/* The lab could not measure: no verdict on its devices. */
		printf("qualify: could not measure: %s\n", tool_error);
		fa_tool_error(CMD, "could not measure the lab: %s (no verdict)",
			      tool_error);
		ret = FA_EXIT_ERROR;
		json_object_put(pc);
		goto out;
	}

	printf("\nlab verdicts:\n");
	for (i = 0; i < nr_steps; i++)
		printf("  %-10s %s%s%s\n", steps[i].name,
		       steps[i].result == FA_Q_PASS ? "QUALIFIED" :
		       steps[i].result == FA_Q_SKIP ? "SKIP" : "NOT QUALIFIED",
		       steps[i].reason[0] ? ": " : "", steps[i].reason);
	ok = fa_q_verdict(steps, nr_steps, failing, sizeof(failing));
	printf("verdict: %s: lab%s%s%s\n", ok ? "QUALIFIED" : "NOT QUALIFIED",
	       ok ? "" : " (failing: ", ok ? "" : failing, ok ? "" : ")");

	combined = json_object_new_object();
	json_object_object_add(combined, "version",
			       json_object_new_string(FA_VERSION));
	json_object_object_add(combined, "target", json_object_new_string("lab"));
	json_object_object_add(combined, "kernel", fa_q_kernel_json());
	json_object_object_add(combined, "steps",
			       fa_q_steps_json(steps, NULL, nr_steps));
	json_object_object_add(combined, "timestamp",
			       json_object_new_int64((int64_t)time(NULL)));
	devices = json_object_new_array();
	rows = json_object_new_array();
	for (i = 0; i < nr; i++) {
		struct json_object *res, *row, *copy;
		size_t j;

		json_object_array_add(devices, json_object_get(targets[i]));
		/* every device's rows in one table, each naming its device */
		res = json_object_object_get(targets[i], "results");
		for (j = 0; res && j < json_object_array_length(res); j++) {
			row = json_object_array_get_idx(res, j);
			copy = NULL;
			if (json_object_deep_copy(row, &copy, NULL))
				continue;
			json_object_object_add(copy, "target",
					       json_object_new_string(fa_jstr(
					       targets[i], "target")));
			json_object_array_add(rows, copy);
		}
	}
	json_object_object_add(combined, "devices", devices);
	json_object_object_add(combined, "results", rows);
	/* each device's own guarantees are in its report under devices */
	guarantees = json_object_new_object();
	json_object_object_add(guarantees, "power_fail",
			       fa_g_json(&power_fail));
	json_object_object_add(combined, "guarantees", guarantees);
	json_object_object_add(combined, "power_cut", pc);
	fa_q_add_verdict(combined, ok, failing);

	ret = ok ? FA_EXIT_OK : FA_EXIT_NOT_QUALIFIED;
	if (o->json_out && fa_q_write_json(o->json_out, combined))
		ret = FA_EXIT_ERROR;
	if (o->html_dir && fa_q_write_html(o, o->html_dir, targets, nr,
					   ok ? "lab QUALIFIED" :
					   "lab NOT QUALIFIED",
					   json_object_object_get(combined,
								  "steps")))
		ret = FA_EXIT_ERROR;
	json_object_put(combined);
out:
	for (i = 0; i < nr; i++)
		json_object_put(targets[i]);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/qualify-%s.json", dir,
			 kinds[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/power-cut.json", dir);
	unlink(path);
	rmdir(dir);
	return ret;
}
