// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the "context" object of the engines' job reports (version 2)
 * and of qualify reports, read into a struct fa_context (fa_results.h):
 *
 *   "context": { "host", "kernel", "distro", "fio_version", "build",
 *                "target": { "path", "kind" },
 *                "device": { "name", "transport", "model", "serial",
 *                            "firmware", "source" } or null,
 *                "filesystem": { "type", "mountpoint", "source",
 *                                "options" } or null,
 *                "limits": { "unit_min", "unit_max", "unit_max_opt",
 *                            "segments_max", "source" } }
 *
 * It is read by fa_runctx_parse() (lib/fa_context_json.c), the reader
 * of the job reports too: what is null or missing stays unknown (the
 * context is what the run recorded, never guessed here), a member of
 * another type is an error naming it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fa_context.h"
#include "fa_results.h"
#include "fa_results_int.h"
#include "fa_util.h"

/* Each field's column in the results database */
static const char *const fa_ctx_texts[FA_CTX_NR_TEXT] = {
	[FA_CTX_HOST] = "host",
	[FA_CTX_KERNEL] = "kernel",
	[FA_CTX_DISTRO] = "distro",
	[FA_CTX_FIO_VERSION] = "fio_version",
	[FA_CTX_BUILD] = "build",
	[FA_CTX_TARGET_PATH] = "target_path",
	[FA_CTX_TARGET_KIND] = "target_kind",
	[FA_CTX_DEVICE_NAME] = "device_name",
	[FA_CTX_DEVICE_TRANSPORT] = "device_transport",
	[FA_CTX_DEVICE_MODEL] = "device_model",
	[FA_CTX_DEVICE_SERIAL] = "device_serial",
	[FA_CTX_DEVICE_FIRMWARE] = "device_firmware",
	[FA_CTX_DEVICE_SOURCE] = "device_source",
	[FA_CTX_FS_TYPE] = "fs_type",
	[FA_CTX_FS_MOUNTPOINT] = "fs_mountpoint",
	[FA_CTX_FS_SOURCE] = "fs_source",
	[FA_CTX_FS_OPTIONS] = "fs_options",
	[FA_CTX_LIMITS_SOURCE] = "limits_source",
};

static const char *const fa_ctx_nums[FA_CTX_NR_NUM] = {
	[FA_CTX_UNIT_MIN] = "unit_min",
	[FA_CTX_UNIT_MAX] = "unit_max",
	[FA_CTX_UNIT_MAX_OPT] = "unit_max_opt",
	[FA_CTX_SEGMENTS_MAX] = "segments_max",
};

const char *fa_context_text_name(enum fa_ctx_text field)
{
	return (unsigned int)field < FA_CTX_NR_TEXT ? fa_ctx_texts[field] :
		"?";
}

const char *fa_context_num_name(enum fa_ctx_num field)
{
	return (unsigned int)field < FA_CTX_NR_NUM ? fa_ctx_nums[field] : "?";
}

static int fa_new_context(struct fa_result_file *f)
{
	struct fa_context *c;
	int i;

	if (f->nr_contexts >= FA_RESULT_MAX_CONTEXTS)
		return -E2BIG;
	c = realloc(f->contexts, (f->nr_contexts + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	f->contexts = c;
	c = &f->contexts[f->nr_contexts];
	memset(c, 0, sizeof(*c));
	for (i = 0; i < FA_CTX_NR_NUM; i++)
		c->num[i] = -1;
	return (int)f->nr_contexts++;
}

/* A run's context as the database's columns */
static void fa_context_from_run(struct fa_context *c,
				const struct fa_runctx *r)
{
	const char *text[FA_CTX_NR_TEXT] = {
		[FA_CTX_HOST] = r->host,
		[FA_CTX_KERNEL] = r->kernel,
		[FA_CTX_DISTRO] = r->distro,
		[FA_CTX_FIO_VERSION] = r->fio_version,
		[FA_CTX_BUILD] = r->build,
		[FA_CTX_TARGET_PATH] = r->target_path,
		[FA_CTX_TARGET_KIND] = r->target_kind,
		[FA_CTX_DEVICE_NAME] = r->device.name,
		[FA_CTX_DEVICE_TRANSPORT] = r->device.transport,
		[FA_CTX_DEVICE_MODEL] = r->device.model,
		[FA_CTX_DEVICE_SERIAL] = r->device.serial,
		[FA_CTX_DEVICE_FIRMWARE] = r->device.firmware,
		[FA_CTX_DEVICE_SOURCE] = r->device.source,
		[FA_CTX_FS_TYPE] = r->filesystem.type,
		[FA_CTX_FS_MOUNTPOINT] = r->filesystem.mountpoint,
		[FA_CTX_FS_SOURCE] = r->filesystem.source,
		[FA_CTX_FS_OPTIONS] = r->filesystem.options,
		[FA_CTX_LIMITS_SOURCE] = r->limits.source,
	};
	const struct {
		unsigned int bit;
		uint64_t value;
	} num[FA_CTX_NR_NUM] = {
		[FA_CTX_UNIT_MIN] = { FA_RUNCTX_UNIT_MIN, r->limits.unit_min },
		[FA_CTX_UNIT_MAX] = { FA_RUNCTX_UNIT_MAX, r->limits.unit_max },
		[FA_CTX_UNIT_MAX_OPT] = { FA_RUNCTX_UNIT_MAX_OPT,
					  r->limits.unit_max_opt },
		[FA_CTX_SEGMENTS_MAX] = { FA_RUNCTX_SEGMENTS_MAX,
					  r->limits.segments_max },
	};
	int i;

	for (i = 0; i < FA_CTX_NR_TEXT; i++)
		fa_strlcpy(c->text[i], text[i], sizeof(c->text[i]));
	for (i = 0; i < FA_CTX_NR_NUM; i++)
		if ((r->limits.known & num[i].bit) && num[i].value <= INT64_MAX)
			c->num[i] = (int64_t)num[i].value;
}

int fa_rj_context(struct json_object *obj, struct fa_result_file *f,
		  struct fa_parse_error *err)
{
	struct json_object *ctx = fa_rj_get(obj, "context");
	struct fa_runctx r;
	const char *bad = "context";
	int idx;

	if (!ctx)
		return -1;
	/* The one reader of the object, as the job report's reader uses it. */
	if (fa_runctx_parse(ctx, &r, &bad)) {
		fa_rj_error(err, 0, 0,
			    "\"context\": \"%s\" is not of the type the format gives it",
			    bad);
		return -EINVAL;
	}
	idx = fa_new_context(f);
	if (idx < 0)
		return idx;
	fa_context_from_run(&f->contexts[idx], &r);
	return idx;
}
