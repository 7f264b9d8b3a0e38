/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what the parts of the result-file parser share (fa_results.c,
 * fa_results_qualify.c, fa_results_context.c): typed json-c lookups that
 * treat a member of the wrong type as missing, and growing the file's
 * arrays. Not a public interface.
 */
#ifndef FA_RESULTS_INT_H
#define FA_RESULTS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "fa_results.h"

#define FA_RESULT_MAX_CONTEXTS	4096
#define FA_RESULT_MAX_GPOINTS	100000

/* @obj's member @key; NULL when missing or @obj is not an object */
struct json_object *fa_rj_get(struct json_object *obj, const char *key);
/* a string member, or NULL */
const char *fa_rj_string(struct json_object *obj, const char *key);
/* a finite number member */
bool fa_rj_number(struct json_object *obj, const char *key, double *out);
/* a count: a number >= 0 that fits */
bool fa_rj_count(struct json_object *obj, const char *key, uint64_t *out);

void fa_rj_error(struct fa_parse_error *err, unsigned int line,
		 unsigned int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A new row with its unknowns set (NaN figures, iodepth 1, no context) */
int fa_rj_add_row(struct fa_result_file *f, size_t *cap,
		  struct fa_result **row);
/* Counts an entry left out; the first one's reason is kept in f->note */
void fa_rj_skip_row(struct fa_result_file *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The "context" member of @obj as a new context of @f: its index, -1
 * when @obj has none (or it is not an object), -E2BIG, -ENOMEM.
 */
int fa_rj_context(struct json_object *obj, struct fa_result_file *f,
		  struct fa_parse_error *err);

/* A qualify report's body (fa_results_qualify.c) */
int fa_rj_parse_qualify(struct json_object *root, const char *default_host,
			struct fa_result_file *f, struct fa_parse_error *err);
/* A qualify fleet report (fa_results_qualify.c) */
int fa_rj_parse_fleet(struct json_object *root, const char *default_host,
		      struct fa_result_file *f, struct fa_parse_error *err);

#endif /* FA_RESULTS_INT_H */
