/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: small json-c helpers shared by the library's JSON writers
 * and readers: adding members without leaking on failure, and typed
 * lookups that tell a missing member from one of the wrong type.
 */
#ifndef FA_JSON_H
#define FA_JSON_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <json-c/json.h>

/* json-c takes ownership of @val, also when it is NULL or adding fails. */
static inline int fa_json_add(struct json_object *obj, const char *key,
			      struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static inline int fa_json_append(struct json_object *arr,
				 struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

/* JSON null: json-c's NULL member. */
static inline int fa_json_add_null(struct json_object *obj, const char *key)
{
	return json_object_object_add(obj, key, NULL) ? -ENOMEM : 0;
}

/* A string member; "" (not known) is written as null. */
static inline int fa_json_add_str(struct json_object *obj, const char *key,
				  const char *s)
{
	if (!s || !s[0])
		return fa_json_add_null(obj, key);
	return fa_json_add(obj, key, json_object_new_string(s));
}

/* A member of @type; NULL when it is missing or JSON null. */
static inline struct json_object *fa_json_get(struct json_object *obj,
					      const char *key,
					      enum json_type type, bool *bad)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return NULL;
	if (json_object_get_type(v) == type)
		return v;
	/* An integer where a double is expected is still a number. */
	if (type == json_type_double && json_object_is_type(v, json_type_int))
		return v;
	*bad = true;
	return NULL;
}
/*
 * fa_json_fio_percentile() - percentile @want of fio's clat_ns.percentile
 * object @pct in *@out. fio names them "99.900000" (the digits follow its
 * percent_list): matched as numbers, not as text. False when absent.
 */
static inline bool fa_json_fio_percentile(struct json_object *pct,
					  double want, double *out)
{
	struct json_object_iterator it, end;

	if (!pct || !json_object_is_type(pct, json_type_object))
		return false;
	it = json_object_iter_begin(pct);
	end = json_object_iter_end(pct);
	for (; !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		double at = strtod(json_object_iter_peek_name(&it), NULL);
		struct json_object *v = json_object_iter_peek_value(&it);

		if (at > want - 1e-6 && at < want + 1e-6 &&
		    (json_object_is_type(v, json_type_int) ||
		     json_object_is_type(v, json_type_double))) {
			*out = json_object_get_double(v);
			return true;
		}
	}
	return false;
}

#endif /* FA_JSON_H */
