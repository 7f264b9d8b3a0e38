// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report compare: what changed between the baseline runs'
 * contexts and the compared run's, per host and target: kernel, distro,
 * fio version, build, device model, serial and firmware, filesystem type
 * and options, the target's limits. So a drop can be tied to a kernel
 * upgrade or a firmware update. A field unknown on either side (a file
 * ingested without a context) is not a change.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fa_tool.h"
#include "fa_util.h"
#include "report.h"

static const enum fa_ctx_text fa_watched[] = {
	FA_CTX_KERNEL, FA_CTX_DISTRO, FA_CTX_FIO_VERSION, FA_CTX_BUILD,
	FA_CTX_DEVICE_MODEL, FA_CTX_DEVICE_SERIAL, FA_CTX_DEVICE_FIRMWARE,
	FA_CTX_DEVICE_TRANSPORT, FA_CTX_FS_TYPE, FA_CTX_FS_OPTIONS,
};

struct fa_ctx_set {
	struct fa_context *c;
	size_t nr;
};

static int fa_load(struct fa_store *s, const int64_t *ids, size_t nr,
		   struct fa_ctx_set *set)
{
	struct fa_context *c, *n;
	size_t i, k;

	for (i = 0; i < nr; i++) {
		if (fa_store_run_contexts(s, ids[i], &c, &k)) {
			fa_report_store_error("compare", s);
			return FA_EXIT_ERROR;
		}
		n = realloc(set->c, (set->nr + k + 1) * sizeof(*n));
		if (!n) {
			free(c);
			return FA_EXIT_ERROR;
		}
		set->c = n;
		if (k)
			memcpy(set->c + set->nr, c, k * sizeof(*c));
		set->nr += k;
		free(c);
	}
	return 0;
}

static bool fa_same_place(const struct fa_context *a,
			  const struct fa_context *b)
{
	return !strcmp(a->text[FA_CTX_HOST], b->text[FA_CTX_HOST]) &&
	       !strcmp(a->text[FA_CTX_TARGET_PATH], b->text[FA_CTX_TARGET_PATH]);
}

/* The distinct known values of field @f at @place in @set, ", "-joined */
static void fa_values(const struct fa_ctx_set *set,
		      const struct fa_context *place, int f, bool num,
		      char *buf, size_t len)
{
	char v[FA_CTX_TEXT_LEN + 32];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < set->nr; i++) {
		const struct fa_context *c = &set->c[i];

		if (!fa_same_place(c, place))
			continue;
		if (num && c->num[f] < 0)
			continue;
		if (num)
			snprintf(v, sizeof(v), "%" PRId64, c->num[f]);
		else if (!c->text[f][0])
			continue;
		else
			snprintf(v, sizeof(v), "%s", c->text[f]);
		/* distinct: ", v," not in ", buf," */
		{
			char hay[2048], needle[FA_CTX_TEXT_LEN + 40];

			snprintf(hay, sizeof(hay), ", %s,", buf);
			snprintf(needle, sizeof(needle), ", %s,", v);
			if (strstr(hay, needle))
				continue;
		}
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s", used ? ", " : "", v);
	}
}

static void fa_change(struct json_object *arr, const struct fa_context *at,
		      const char *field, const char *was, const char *now,
		      unsigned int *n)
{
	struct json_object *o;

	if (!*was || !*now || !strcmp(was, now))
		return;
	(*n)++;
	if (!arr) {
		printf("context changed on %s%s%s: %s %s -> %s\n",
		       at->text[FA_CTX_HOST][0] ? at->text[FA_CTX_HOST] : "?",
		       at->text[FA_CTX_TARGET_PATH][0] ? " " : "",
		       at->text[FA_CTX_TARGET_PATH], field, was, now);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "host", json_object_new_string(
			       at->text[FA_CTX_HOST]));
	json_object_object_add(o, "target", json_object_new_string(
			       at->text[FA_CTX_TARGET_PATH]));
	json_object_object_add(o, "field", json_object_new_string(field));
	json_object_object_add(o, "baseline", json_object_new_string(was));
	json_object_object_add(o, "current", json_object_new_string(now));
	json_object_array_add(arr, o);
}

int fa_report_changes(struct fa_store *s, int64_t cur, const int64_t *base,
		      size_t nr_base, struct json_object *arr)
{
	struct fa_ctx_set now = { 0 }, was = { 0 };
	char a[2048], b[2048];
	unsigned int changes = 0, compared = 0;
	size_t i, k;
	int f, ret;

	ret = fa_load(s, &cur, 1, &now);
	if (!ret)
		ret = fa_load(s, base, nr_base, &was);
	for (i = 0; !ret && i < now.nr; i++) {
		/* each place once */
		for (k = 0; k < i && !fa_same_place(&now.c[k], &now.c[i]); k++)
			;
		if (k < i)
			continue;
		for (k = 0; k < was.nr && !fa_same_place(&was.c[k], &now.c[i]);
		     k++)
			;
		if (k == was.nr)
			continue;
		compared++;
		for (k = 0; k < FA_ARRAY_SIZE(fa_watched); k++) {
			f = fa_watched[k];
			fa_values(&was, &now.c[i], f, false, a, sizeof(a));
			fa_values(&now, &now.c[i], f, false, b, sizeof(b));
			fa_change(arr, &now.c[i], fa_context_text_name(f), a,
				  b, &changes);
		}
		for (f = 0; f < FA_CTX_NR_NUM; f++) {
			fa_values(&was, &now.c[i], f, true, a, sizeof(a));
			fa_values(&now, &now.c[i], f, true, b, sizeof(b));
			fa_change(arr, &now.c[i], fa_context_num_name(f), a, b,
				  &changes);
		}
	}
	if (!ret && !arr && !changes)
		printf(compared ? "context: unchanged (kernel, device, filesystem, build, limits)\n" :
				  "context: nothing to compare (no host and target with a context on both sides)\n");
	free(now.c);
	free(was.c);
	return ret;
}
