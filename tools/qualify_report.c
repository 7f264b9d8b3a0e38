// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: the JSON report, and the run context it records.
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

/* -------- the report -------- */

struct json_object *fa_q_kernel_json(void)
{
	struct json_object *k = json_object_new_object();
	struct utsname u;

	if (uname(&u) == 0) {
		json_object_object_add(k, "release",
				       json_object_new_string(u.release));
		json_object_object_add(k, "version",
				       json_object_new_string(u.version));
		json_object_object_add(k, "machine",
				       json_object_new_string(u.machine));
	}
	return k;
}

/*
 * The disk, as reports before the run context had it; its model and
 * firmware are the context's now.
 */
static struct json_object *fa_q_device_json(const struct fa_q_ctx *q)
{
	const struct fa_runctx_device *dev = q->context ? &q->context->device :
					  NULL;
	struct json_object *d;

	if (!q->lim.disk[0] || q->kind == FA_Q_FILE)
		return NULL;
	d = json_object_new_object();
	json_object_object_add(d, "disk", json_object_new_string(q->lim.disk));
	json_object_object_add(d, "model", dev && dev->model[0] ?
			       json_object_new_string(dev->model) : NULL);
	json_object_object_add(d, "firmware", dev && dev->firmware[0] ?
			       json_object_new_string(dev->firmware) : NULL);
	json_object_object_add(d, "generic_node", q->sg[0] ?
			       json_object_new_string(q->sg) : q->ng[0] ?
			       json_object_new_string(q->ng) : NULL);
	return d;
}

/*
 * The run context of the target, recorded once its limits are read, and
 * its line in the text report.
 */
void fa_q_record_context(struct fa_q_ctx *q)
{
	char line[8192];

	q->context = calloc(1, sizeof(*q->context));
	if (!q->context)
		return;
	fa_runctx_collect(q->context, q->path);
	fa_runctx_set_limits(q->context, &q->lim);
	fa_runctx_line(q->context, line, sizeof(line));
	printf("  context: %s\n", line);
}

static struct json_object *fa_q_context_json(const struct fa_q_ctx *q)
{
	if (!q->context)
		return NULL;
	fa_strlcpy(q->context->fio_version, q->fio_version,
		   sizeof(q->context->fio_version));
	return fa_runctx_json(q->context);
}

struct json_object *fa_q_steps_json(const struct fa_q_step *steps,
				    struct json_object **details,
				    int nr)
{
	struct json_object *arr = json_object_new_array(), *obj;
	int i;

	for (i = 0; i < nr; i++) {
		obj = json_object_new_object();
		json_object_object_add(obj, "name",
				       json_object_new_string(steps[i].name));
		json_object_object_add(obj, "result", json_object_new_string(
				fa_q_result_name(steps[i].result)));
		json_object_object_add(obj, "reason", steps[i].reason[0] ?
				json_object_new_string(steps[i].reason) : NULL);
		/* outside the verdict: a guarantee not --require'd */
		json_object_object_add(obj, "advisory",
				json_object_new_boolean(steps[i].advisory));
		json_object_object_add(obj, "details",
				       details ? json_object_get(details[i]) :
				       NULL);
		json_object_array_add(arr, obj);
	}
	return arr;
}

void fa_q_add_verdict(struct json_object *obj, bool ok,
		      const char *failing)
{
	struct json_object *arr = json_object_new_array();
	char *copy = strdup(failing), *tok, *save = NULL;

	for (tok = copy ? strtok_r(copy, ", ", &save) : NULL; tok;
	     tok = strtok_r(NULL, ", ", &save))
		json_object_array_add(arr, json_object_new_string(tok));
	free(copy);
	json_object_object_add(obj, "verdict", json_object_new_string(
			       ok ? "QUALIFIED" : "NOT QUALIFIED"));
	json_object_object_add(obj, "failing_steps", arr);
}

/* The inner object of the report for one target. */
struct json_object *fa_q_report(struct fa_q_ctx *q, bool ok,
				const char *failing)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "version",
			       json_object_new_string(FA_VERSION));
	json_object_object_add(obj, "target",
			       json_object_new_string(q->o->target));
	json_object_object_add(obj, "path", json_object_new_string(q->path));
	json_object_object_add(obj, "kind", json_object_new_string(
			       fa_q_kind_names[q->kind]));
	json_object_object_add(obj, "context", fa_q_context_json(q));
	json_object_object_add(obj, "kernel", fa_q_kernel_json());
	json_object_object_add(obj, "device", fa_q_device_json(q));
	json_object_object_add(obj, "fio_server", q->o->client ?
			       json_object_new_string(q->o->client) : NULL);
	json_object_object_add(obj, "timestamp",
			       json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(obj, "fio_version", q->fio_version[0] ?
			       json_object_new_string(q->fio_version) : NULL);
	json_object_object_add(obj, "runtime_per_point_s",
			       json_object_new_int((int)q->o->runtime));
	json_object_object_add(obj, "ramp_s",
			       json_object_new_int((int)q->o->ramp));
	json_object_object_add(obj, "repeat",
			       json_object_new_int(q->o->repeat));
	/* --quick: a smoke test, said on every surface */
	json_object_object_add(obj, "quick",
			       json_object_new_boolean(q->o->quick));
	json_object_object_add(obj, "limits", q->nr_steps ?
			       json_object_get(q->details[0]) : NULL);
	json_object_object_add(obj, "steps", fa_q_steps_json(q->steps,
			       q->details, q->nr_steps));
	json_object_object_add(obj, "results", json_object_get(q->results));
	fa_q_guarantees_json(q, obj);
	fa_q_add_verdict(obj, ok, failing);
	return obj;
}

int fa_q_write_json_as(const char *path, const char *key,
		       struct json_object *inner)
{
	struct json_object *root = json_object_new_object();
	int ret;

	json_object_object_add(root, key, json_object_get(inner));
	ret = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY |
				      JSON_C_TO_STRING_SPACED |
				      JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(root);
	if (ret) {
		fa_tool_error(CMD, "cannot write %s: %s", path,
			      json_util_get_last_err());
		return -EIO;
	}
	return 0;
}

int fa_q_write_json(const char *path, struct json_object *inner)
{
	return fa_q_write_json_as(path, "fio_atomic_qualify", inner);
}
