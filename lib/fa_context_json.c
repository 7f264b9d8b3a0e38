// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the run context as JSON (the "context" object of job and
 * qualify reports, docs/job-report.md), and its reader. Unknown strings
 * and numbers are null, never "" or 0.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fa_context.h"
#include "fa_json.h"
#include "fa_util.h"

static int fa_ctx_add_u64(struct json_object *o, const char *key,
			  unsigned int known, unsigned int bit, uint64_t v)
{
	if (!(known & bit))
		return fa_json_add_null(o, key);
	return fa_json_add(o, key, json_object_new_uint64(v));
}

static struct json_object *fa_ctx_device_json(const struct fa_runctx_device *d)
{
	struct json_object *o = json_object_new_object();
	int ret = 0;

	if (!o)
		return NULL;
	ret |= fa_json_add_str(o, "name", d->name);
	ret |= fa_json_add_str(o, "transport", d->transport);
	ret |= fa_json_add_str(o, "vendor", d->vendor);
	ret |= fa_json_add_str(o, "model", d->model);
	ret |= fa_json_add_str(o, "serial", d->serial);
	ret |= fa_json_add_str(o, "firmware", d->firmware);
	ret |= fa_json_add_str(o, "source", d->source);
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *fa_ctx_fs_json(const struct fa_runctx_fs *fs)
{
	struct json_object *o = json_object_new_object();
	int ret = 0;

	if (!o)
		return NULL;
	ret |= fa_json_add_str(o, "type", fs->type);
	ret |= fa_json_add_str(o, "mountpoint", fs->mountpoint);
	ret |= fa_json_add_str(o, "source", fs->source);
	ret |= fa_json_add_str(o, "options", fs->options);
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *fa_ctx_limits_json(const struct fa_runctx_limits *l)
{
	struct json_object *o = json_object_new_object();
	int ret = 0;

	if (!o)
		return NULL;
	ret |= fa_ctx_add_u64(o, "unit_min", l->known, FA_RUNCTX_UNIT_MIN,
			      l->unit_min);
	ret |= fa_ctx_add_u64(o, "unit_max", l->known, FA_RUNCTX_UNIT_MAX,
			      l->unit_max);
	ret |= fa_ctx_add_u64(o, "unit_max_opt", l->known,
			      FA_RUNCTX_UNIT_MAX_OPT, l->unit_max_opt);
	ret |= fa_ctx_add_u64(o, "segments_max", l->known,
			      FA_RUNCTX_SEGMENTS_MAX, l->segments_max);
	ret |= fa_json_add_str(o, "source", l->source);
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *fa_runctx_json(const struct fa_runctx *c)
{
	struct json_object *o = json_object_new_object(), *t;
	int ret = 0;

	if (!o)
		return NULL;
	ret |= fa_json_add_str(o, "host", c->host);
	ret |= fa_json_add_str(o, "kernel", c->kernel);
	ret |= fa_json_add_str(o, "distro", c->distro);
	ret |= fa_json_add_str(o, "fio_version", c->fio_version);
	ret |= fa_json_add_str(o, "build", c->build);
	t = json_object_new_object();
	ret |= fa_json_add(o, "target", t);
	if (!ret) {
		ret |= fa_json_add_str(t, "path", c->target_path);
		ret |= fa_json_add_str(t, "kind", c->target_kind);
	}
	if (c->device.known)
		ret |= fa_json_add(o, "device", fa_ctx_device_json(&c->device));
	else
		ret |= fa_json_add_null(o, "device");
	if (c->filesystem.known)
		ret |= fa_json_add(o, "filesystem",
				   fa_ctx_fs_json(&c->filesystem));
	else
		ret |= fa_json_add_null(o, "filesystem");
	if (c->limits.known || c->limits.source[0])
		ret |= fa_json_add(o, "limits", fa_ctx_limits_json(&c->limits));
	else
		ret |= fa_json_add_null(o, "limits");
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* --- reader ------------------------------------------------------------ */

struct fa_runctx_reader {
	const char *bad;
};

static void fa_ctx_str(struct fa_runctx_reader *rd, struct json_object *o,
		       const char *key, char *out, size_t len)
{
	bool bad = false;
	struct json_object *v = fa_json_get(o, key, json_type_string, &bad);

	if (bad)
		rd->bad = key;
	fa_strlcpy(out, v ? json_object_get_string(v) : "", len);
}

static struct json_object *fa_ctx_obj(struct fa_runctx_reader *rd,
				      struct json_object *o, const char *key)
{
	bool bad = false;
	struct json_object *v = fa_json_get(o, key, json_type_object, &bad);

	if (bad)
		rd->bad = key;
	return v;
}

static void fa_ctx_u64(struct fa_runctx_reader *rd, struct json_object *o,
		       const char *key, unsigned int bit,
		       struct fa_runctx_limits *l, uint64_t *out)
{
	bool bad = false;
	struct json_object *v = fa_json_get(o, key, json_type_int, &bad);

	if (bad || (v && json_object_get_int64(v) < 0)) {
		rd->bad = key;
		return;
	}
	if (!v)
		return;
	*out = json_object_get_uint64(v);
	l->known |= bit;
}

int fa_runctx_parse(struct json_object *obj, struct fa_runctx *c,
		     const char **bad_key)
{
	struct fa_runctx_reader rd = { NULL };
	struct json_object *o;
	struct fa_runctx_limits *l = &c->limits;

	memset(c, 0, sizeof(*c));
	if (!obj)
		return 0;
	if (!json_object_is_type(obj, json_type_object)) {
		if (bad_key)
			*bad_key = "context";
		return -EINVAL;
	}
	c->present = true;
	fa_ctx_str(&rd, obj, "host", c->host, sizeof(c->host));
	fa_ctx_str(&rd, obj, "kernel", c->kernel, sizeof(c->kernel));
	fa_ctx_str(&rd, obj, "distro", c->distro, sizeof(c->distro));
	fa_ctx_str(&rd, obj, "fio_version", c->fio_version,
		   sizeof(c->fio_version));
	fa_ctx_str(&rd, obj, "build", c->build, sizeof(c->build));
	o = fa_ctx_obj(&rd, obj, "target");
	fa_ctx_str(&rd, o, "path", c->target_path, sizeof(c->target_path));
	fa_ctx_str(&rd, o, "kind", c->target_kind, sizeof(c->target_kind));
	o = fa_ctx_obj(&rd, obj, "device");
	if (o) {
		struct fa_runctx_device *d = &c->device;

		d->known = true;
		fa_ctx_str(&rd, o, "name", d->name, sizeof(d->name));
		fa_ctx_str(&rd, o, "transport", d->transport,
			   sizeof(d->transport));
		fa_ctx_str(&rd, o, "vendor", d->vendor, sizeof(d->vendor));
		fa_ctx_str(&rd, o, "model", d->model, sizeof(d->model));
		fa_ctx_str(&rd, o, "serial", d->serial, sizeof(d->serial));
		fa_ctx_str(&rd, o, "firmware", d->firmware,
			   sizeof(d->firmware));
		fa_ctx_str(&rd, o, "source", d->source, sizeof(d->source));
	}
	o = fa_ctx_obj(&rd, obj, "filesystem");
	if (o) {
		struct fa_runctx_fs *fs = &c->filesystem;

		fs->known = true;
		fa_ctx_str(&rd, o, "type", fs->type, sizeof(fs->type));
		fa_ctx_str(&rd, o, "mountpoint", fs->mountpoint,
			   sizeof(fs->mountpoint));
		fa_ctx_str(&rd, o, "source", fs->source, sizeof(fs->source));
		fa_ctx_str(&rd, o, "options", fs->options,
			   sizeof(fs->options));
	}
	o = fa_ctx_obj(&rd, obj, "limits");
	if (o) {
		fa_ctx_u64(&rd, o, "unit_min", FA_RUNCTX_UNIT_MIN, l,
			   &l->unit_min);
		fa_ctx_u64(&rd, o, "unit_max", FA_RUNCTX_UNIT_MAX, l,
			   &l->unit_max);
		fa_ctx_u64(&rd, o, "unit_max_opt", FA_RUNCTX_UNIT_MAX_OPT, l,
			   &l->unit_max_opt);
		fa_ctx_u64(&rd, o, "segments_max", FA_RUNCTX_SEGMENTS_MAX, l,
			   &l->segments_max);
		fa_ctx_str(&rd, o, "source", l->source, sizeof(l->source));
	}
	if (rd.bad) {
		if (bad_key)
			*bad_key = rd.bad;
		return -EINVAL;
	}
	return 0;
}
