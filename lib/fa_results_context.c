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
 * Whatever is null, missing or of another type stays unknown: the
 * context is what the run recorded, never guessed here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fa_results.h"
#include "fa_results_int.h"
#include "fa_util.h"

/* Where each field is: its object under "context" (NULL: at the top) */
static const struct {
	const char *column, *object, *key;
} fa_ctx_texts[FA_CTX_NR_TEXT] = {
	[FA_CTX_HOST] = { "host", NULL, "host" },
	[FA_CTX_KERNEL] = { "kernel", NULL, "kernel" },
	[FA_CTX_DISTRO] = { "distro", NULL, "distro" },
	[FA_CTX_FIO_VERSION] = { "fio_version", NULL, "fio_version" },
	[FA_CTX_BUILD] = { "build", NULL, "build" },
	[FA_CTX_TARGET_PATH] = { "target_path", "target", "path" },
	[FA_CTX_TARGET_KIND] = { "target_kind", "target", "kind" },
	[FA_CTX_DEVICE_NAME] = { "device_name", "device", "name" },
	[FA_CTX_DEVICE_TRANSPORT] = { "device_transport", "device", "transport" },
	[FA_CTX_DEVICE_MODEL] = { "device_model", "device", "model" },
	[FA_CTX_DEVICE_SERIAL] = { "device_serial", "device", "serial" },
	[FA_CTX_DEVICE_FIRMWARE] = { "device_firmware", "device", "firmware" },
	[FA_CTX_DEVICE_SOURCE] = { "device_source", "device", "source" },
	[FA_CTX_FS_TYPE] = { "fs_type", "filesystem", "type" },
	[FA_CTX_FS_MOUNTPOINT] = { "fs_mountpoint", "filesystem", "mountpoint" },
	[FA_CTX_FS_SOURCE] = { "fs_source", "filesystem", "source" },
	[FA_CTX_FS_OPTIONS] = { "fs_options", "filesystem", "options" },
	[FA_CTX_LIMITS_SOURCE] = { "limits_source", "limits", "source" },
};

static const char *const fa_ctx_nums[FA_CTX_NR_NUM] = {
	[FA_CTX_UNIT_MIN] = "unit_min",
	[FA_CTX_UNIT_MAX] = "unit_max",
	[FA_CTX_UNIT_MAX_OPT] = "unit_max_opt",
	[FA_CTX_SEGMENTS_MAX] = "segments_max",
};

const char *fa_context_text_name(enum fa_ctx_text field)
{
	return (unsigned int)field < FA_CTX_NR_TEXT ?
		       fa_ctx_texts[field].column : "?";
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

int fa_rj_context(struct json_object *obj, struct fa_result_file *f)
{
	struct json_object *ctx = fa_rj_get(obj, "context"), *limits;
	struct fa_context *c;
	const char *s;
	uint64_t n;
	int i, idx;

	if (!ctx || !json_object_is_type(ctx, json_type_object))
		return -1;
	idx = fa_new_context(f);
	if (idx < 0)
		return idx;
	c = &f->contexts[idx];
	for (i = 0; i < FA_CTX_NR_TEXT; i++) {
		struct json_object *o = fa_ctx_texts[i].object ?
			fa_rj_get(ctx, fa_ctx_texts[i].object) : ctx;

		s = fa_rj_string(o, fa_ctx_texts[i].key);
		if (s)
			fa_strlcpy(c->text[i], s, sizeof(c->text[i]));
	}
	limits = fa_rj_get(ctx, "limits");
	for (i = 0; i < FA_CTX_NR_NUM; i++)
		if (fa_rj_count(limits, fa_ctx_nums[i], &n) && n <= INT64_MAX)
			c->num[i] = (int64_t)n;
	return idx;
}
