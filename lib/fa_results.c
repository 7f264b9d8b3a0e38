// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: a result file read and recognised, fio's JSON output and the
 * engines' job (tear) reports turned into result rows (fa_results.h);
 * the helpers the other parts share (fa_results_int.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "fa_crc32c.h"
#include "fa_jobreport.h"
#include "fa_json.h"
#include "fa_results.h"
#include "fa_results_int.h"
#include "fa_util.h"

static const char *const fa_dirs[] = { "read", "write", "trim" };

void fa_rj_error(struct fa_parse_error *err, unsigned int line,
		 unsigned int column, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
}

/* 1-based line and column of byte @off of @buf */
static void fa_place(const char *buf, size_t off, unsigned int *line,
		     unsigned int *column)
{
	size_t i, bol = 0;
	unsigned int l = 1;

	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			bol = i + 1;
		}
	}
	*line = l;
	*column = (unsigned int)(off - bol) + 1;
}

void fa_results_hash(const void *buf, size_t len,
		     char out[FA_RESULT_HASH_LEN])
{
	const unsigned char *p = buf;
	uint64_t fnv = 0xcbf29ce484222325ull;
	uint32_t crc;
	size_t i;

	for (i = 0; i < len; i++) {
		fnv ^= p[i];
		fnv *= 0x100000001b3ull;
	}
	crc = fa_crc32c(0, buf, len);
	snprintf(out, FA_RESULT_HASH_LEN, "%016" PRIx64 "%08" PRIx32 "%08" PRIx32,
		 fnv, crc, (uint32_t)len);
}

void fa_results_engine_name(const char *ioengine, char *out, size_t len)
{
	const char *name = ioengine, *slash;
	size_t n;

	if (!strncmp(name, "external:", 9)) {
		name += 9;
		slash = strrchr(name, '/');
		if (slash)
			name = slash + 1;
		n = strlen(name);
		if (n > 3 && !strcmp(name + n - 3, ".so"))
			n -= 3;
		if (n >= len)
			n = len - 1;
		memcpy(out, name, n);
		out[n] = '\0';
		return;
	}
	fa_strlcpy(out, name, len);
}

int fa_results_parse_bs(const char *s, int dir, uint64_t *out)
{
	const char *start = s, *comma;
	int i;

	/* "read,write,trim": a missing later field repeats the first */
	for (i = 0; i < dir; i++) {
		comma = strchr(start, ',');
		if (!comma)
			break;
		start = comma + 1;
	}
	if (i < dir || !*start)
		start = s;
	comma = strchr(start, ',');
	return fa_parse_size(start, comma ? (size_t)(comma - start) :
				 strlen(start), out);
}

struct json_object *fa_rj_get(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_is_type(obj, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

const char *fa_rj_string(struct json_object *obj, const char *key)
{
	struct json_object *v = fa_rj_get(obj, key);

	if (!v || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

bool fa_rj_number(struct json_object *obj, const char *key, double *out)
{
	struct json_object *v = fa_rj_get(obj, key);

	if (!v || !(json_object_is_type(v, json_type_int) ||
		    json_object_is_type(v, json_type_double)))
		return false;
	*out = json_object_get_double(v);
	return isfinite(*out);
}

bool fa_rj_count(struct json_object *obj, const char *key, uint64_t *out)
{
	double d;

	if (!fa_rj_number(obj, key, &d) || d < 0 || d > 9.0e18)
		return false;
	*out = (uint64_t)d;
	return true;
}

int fa_rj_add_row(struct fa_result_file *f, size_t *cap,
		  struct fa_result **row)
{
	struct fa_result *rows;
	size_t ncap;

	if (f->nr_rows >= FA_RESULT_MAX_ROWS)
		return -E2BIG;
	if (f->nr_rows == *cap) {
		ncap = *cap ? *cap * 2 : 8;
		rows = realloc(f->rows, ncap * sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		f->rows = rows;
		*cap = ncap;
	}
	*row = &f->rows[f->nr_rows++];
	memset(*row, 0, sizeof(**row));
	(*row)->clat_p50_ns = NAN;
	(*row)->clat_p99_ns = NAN;
	(*row)->clat_p999_ns = NAN;
	(*row)->iops = NAN;
	(*row)->bw_bytes = NAN;
	(*row)->plain_iops = NAN;
	(*row)->atomic_cost = NAN;
	(*row)->iops_spread = NAN;
	(*row)->iodepth = 1;
	(*row)->numjobs = 1;
	(*row)->context = -1;
	return 0;
}

void fa_rj_skip_row(struct fa_result_file *f, const char *fmt, ...)
{
	va_list ap;

	if (!f->skipped_rows++) {
		va_start(ap, fmt);
		vsnprintf(f->note, sizeof(f->note), fmt, ap);
		va_end(ap);
	}
}

/* A job option as fio reports it: the job's own, else the global one. */
static const char *fa_option(struct json_object *job,
			     struct json_object *global, const char *key)
{
	const char *v = fa_rj_string(fa_rj_get(job, "job options"), key);

	return v ? v : fa_rj_string(global, key);
}

static uint32_t fa_option_uint(struct json_object *job,
			       struct json_object *global, const char *key,
			       uint32_t def)
{
	const char *v = fa_option(job, global, key);
	uint64_t n;

	if (!v || fa_parse_size(v, strlen(v), &n) || !n || n > UINT32_MAX)
		return def;
	return (uint32_t)n;
}

static void fa_percentiles(struct json_object *dir, struct fa_result *r)
{
	struct json_object *pct = fa_rj_get(fa_rj_get(dir, "clat_ns"), "percentile");
	double v;

	if (fa_json_fio_percentile(pct, 50.0, &v))
		r->clat_p50_ns = v;
	if (fa_json_fio_percentile(pct, 99.0, &v))
		r->clat_p99_ns = v;
	if (fa_json_fio_percentile(pct, 99.9, &v))
		r->clat_p999_ns = v;
}

/* Sets @r's host: fio --client's server, else the default host */
static void fa_job_host(struct json_object *job, const char *default_host,
			struct fa_result *r)
{
	const char *host = fa_rj_string(job, "hostname");
	double port;

	if (!host || !*host) {
		fa_strlcpy(r->host, default_host, sizeof(r->host));
		return;
	}
	r->host_named = true;
	/* Several servers may share an address on different ports. */
	if (fa_rj_number(job, "port", &port) && port > 0 &&
	    port != FA_FIO_DEFAULT_PORT)
		snprintf(r->host, sizeof(r->host), "%s:%u", host,
			 (unsigned int)port);
	else
		fa_strlcpy(r->host, host, sizeof(r->host));
}

/*
 * fio --client output from fio 3.38 on gives "global options" as an array,
 * one object per server, each naming its hostname and port: the job's is
 * the one from its own server.
 */
static struct json_object *fa_job_global(struct json_object *job,
					 struct json_object *global)
{
	const char *host = fa_rj_string(job, "hostname"), *h;
	double port = -1, p;
	size_t i, n;

	if (!global || !json_object_is_type(global, json_type_array))
		return global;
	fa_rj_number(job, "port", &port);
	n = json_object_array_length(global);
	for (i = 0; i < n; i++) {
		struct json_object *g = json_object_array_get_idx(global, i);

		h = fa_rj_string(g, "hostname");
		if (!host || !h || strcmp(host, h))
			continue;
		if (fa_rj_number(g, "port", &p) && p != port)
			continue;
		return g;
	}
	return NULL;
}

static int fa_fio_job(struct json_object *job, struct json_object *global,
		      const char *default_host, struct fa_result_file *f,
		      size_t *cap)
{
	const char *name = fa_rj_string(job, "jobname"), *v;
	struct fa_result *r;
	unsigned int d;
	double io;
	int ret;

	if (!name) {
		fa_rj_skip_row(f, "a job without a \"jobname\"");
		return 0;
	}
	global = fa_job_global(job, global);
	/* the sum fio --client adds over its servers; each is its own row */
	if (!strcmp(name, "All clients")) {
		fa_rj_skip_row(f, "fio's \"All clients\" sum (each server has its own rows)");
		return 0;
	}
	for (d = 0; d < FA_ARRAY_SIZE(fa_dirs); d++) {
		struct json_object *dir = fa_rj_get(job, fa_dirs[d]);

		if (!dir || !fa_rj_number(dir, "io_bytes", &io) || io <= 0)
			continue;
		ret = fa_rj_add_row(f, cap, &r);
		if (ret)
			return ret;
		fa_strlcpy(r->job, name, sizeof(r->job));
		fa_job_host(job, default_host, r);
		v = fa_option(job, global, "ioengine");
		fa_results_engine_name(v ? v : "psync", r->engine,
				       sizeof(r->engine));
		v = fa_option(job, global, "rw");
		if (!v)
			v = fa_option(job, global, "readwrite");
		fa_strlcpy(r->rw, v ? v : "read", sizeof(r->rw));
		fa_strlcpy(r->dir, fa_dirs[d], sizeof(r->dir));
		v = fa_option(job, global, "bs");
		if (!v)
			v = fa_option(job, global, "blocksize");
		if (!v || fa_results_parse_bs(v, (int)d, &r->bs))
			r->bs = v ? 0 : 4096;
		r->iodepth = fa_option_uint(job, global, "iodepth", 1);
		r->numjobs = fa_option_uint(job, global, "numjobs", 1);
		fa_rj_number(dir, "iops", &r->iops);
		if (!fa_rj_number(dir, "bw_bytes", &r->bw_bytes) &&
		    fa_rj_number(dir, "bw", &r->bw_bytes))
			r->bw_bytes *= 1024;
		fa_percentiles(dir, r);
	}
	return 0;
}

static int fa_parse_fio(struct json_object *root, const char *default_host,
			struct fa_result_file *f, struct fa_parse_error *err)
{
	struct json_object *jobs = fa_rj_get(root, "client_stats");
	struct json_object *global = fa_rj_get(root, "global options");
	const char *version = fa_rj_string(root, "fio version");
	size_t i, n, cap = 0;
	double ts;
	int ret;

	if (!jobs)
		jobs = fa_rj_get(root, "jobs");
	if (!jobs || !json_object_is_type(jobs, json_type_array)) {
		fa_rj_error(err, 0, 0, "fio output without a \"jobs\" or \"client_stats\" array");
		return -EINVAL;
	}
	f->kind = FA_RESULT_FIO;
	if (version)
		fa_strlcpy(f->fio_version, version, sizeof(f->fio_version));
	if (fa_rj_number(root, "timestamp", &ts) && ts > 0 && ts < 1e15)
		f->timestamp = (int64_t)ts;
	n = json_object_array_length(jobs);
	for (i = 0; i < n; i++) {
		ret = fa_fio_job(json_object_array_get_idx(jobs, i), global,
				 default_host, f, &cap);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * An engine's job report (fio-atomic-job-report): its tear counts (under
 * "tear", when tear_check was on) and, from version 2, its "context";
 * or the tear report it replaced (fio-atomic-tear-1, counts at the top),
 * so databases keep taking the older files. One row, which the ingest
 * joins to fio's rows of its job; a report with neither counts nor a
 * context has nothing to take.
 */
static int fa_parse_tear(struct json_object *root, const char *default_host,
			 struct fa_result_file *f, struct fa_parse_error *err)
{
	struct json_object *jobobj = fa_rj_get(root, "job");
	const char *job = fa_rj_string(root, "job");
	const char *engine = fa_rj_string(root, "engine");
	const char *mode = fa_rj_string(root, "mode");
	uint64_t torn = 0, intact = 0, checked = 0;
	struct fa_jobreport *jr = NULL;
	bool has_tear = true;
	struct fa_result *r;
	size_t cap = 0;
	int ret = 0, ctx = -1;
	char why[160];

	f->kind = FA_RESULT_TEAR;
	if (jobobj && json_object_is_type(jobobj, json_type_object)) {
		/* the job report's own reader (lib/fa_jobreport_read.c) */
		jr = malloc(sizeof(*jr));
		if (!jr)
			return -ENOMEM;
		ret = fa_jobreport_from_json(root, jr, why, sizeof(why));
		if (ret) {
			fa_rj_error(err, 0, 0, "job report %s", why);
			ret = -EINVAL;
			goto out;
		}
		job = jr->job;
		engine = jr->engine;
		mode = jr->mode;
		ctx = fa_rj_context(root, f, err);
		if (ctx < -1) {
			ret = ctx;
			goto out;
		}
		has_tear = jr->tear_checked;
		if (!has_tear && ctx < 0) {
			fa_rj_skip_row(f, "job report without tear counts (tear_check was off) or context: nothing to take");
			goto out;
		}
		torn = jr->tear.reads.torn;
		intact = jr->tear.reads.intact;
		checked = jr->tear.checked_reads;
	} else if (!fa_rj_count(root, "torn", &torn) ||
		   !fa_rj_count(root, "intact", &intact)) {
		/* fio-atomic-tear-1, which job reports replaced */
		fa_rj_error(err, 0, 0, "tear report without \"torn\" and \"intact\" counts");
		return -EINVAL;
	} else if (!fa_rj_count(root, "checked_reads", &checked)) {
		checked = torn + intact;
	}
	ret = fa_rj_add_row(f, &cap, &r);
	if (ret)
		goto out;
	r->context = ctx;
	r->job_report = true;
	if (ctx >= 0 && f->contexts[ctx].text[FA_CTX_HOST][0]) {
		fa_strlcpy(r->host, f->contexts[ctx].text[FA_CTX_HOST],
			   sizeof(r->host));
		r->host_named = true;
	} else {
		fa_strlcpy(r->host, default_host, sizeof(r->host));
	}
	fa_strlcpy(r->job, job ? job : "", sizeof(r->job));
	fa_strlcpy(r->engine, engine ? engine : "", sizeof(r->engine));
	fa_strlcpy(r->mode, mode ? mode : "", sizeof(r->mode));
	r->has_tear = has_tear;
	r->torn = torn;
	r->intact = intact;
	r->checked = checked;
out:
	free(jr);
	return ret;
}

/*
 * fio prints some warnings on stdout before its JSON: skip whole lines up
 * to the first one that starts with '{'.
 */
static size_t fa_json_start(const char *buf, size_t len, unsigned int *lines)
{
	size_t pos = 0, i;

	*lines = 0;
	while (pos < len) {
		for (i = pos; i < len && (buf[i] == ' ' || buf[i] == '\t'); i++)
			;
		if (i < len && buf[i] == '{')
			return i;
		while (pos < len && buf[pos] != '\n')
			pos++;
		if (pos == len)
			break;
		pos++;
		(*lines)++;
	}
	return len;
}

int fa_results_parse(const char *buf, size_t len, const char *default_host,
		     struct fa_result_file *out, struct fa_parse_error *err)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	unsigned int line, column, skipped;
	size_t start, end, i;
	const char *format;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (len > INT_MAX) {
		fa_rj_error(err, 0, 0, "file too large (%zu bytes)", len);
		return -EINVAL;
	}
	if (memchr(buf, '\0', len)) {
		i = (size_t)((const char *)memchr(buf, '\0', len) - buf);
		fa_place(buf, i, &line, &column);
		fa_rj_error(err, line, column, "a NUL byte: not a text file");
		return -EINVAL;
	}
	start = fa_json_start(buf, len, &skipped);
	if (start == len) {
		fa_place(buf, len, &line, &column);
		fa_rj_error(err, line, column,
			     len ? "no line starts a JSON object ('{')" :
				   "empty file");
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, buf + start, (int)(len - start));
	jerr = json_tokener_get_error(tok);
	end = start + json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root) {
		fa_place(buf, end, &line, &column);
		if (jerr == json_tokener_continue || jerr == json_tokener_success)
			fa_rj_error(err, line, column,
				     "the file ends inside the JSON object (truncated?)");
		else
			fa_rj_error(err, line, column, "%s",
				     json_tokener_error_desc(jerr));
		return -EINVAL;
	}
	for (i = end; i < len; i++)
		if (!isspace((unsigned char)buf[i]))
			break;
	if (i < len) {
		json_object_put(root);
		fa_place(buf, i, &line, &column);
		fa_rj_error(err, line, column, "text after the JSON object");
		return -EINVAL;
	}
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		fa_rj_error(err, 1, 1, "not a JSON object");
		return -EINVAL;
	}
	out->skipped_lines = skipped;
	format = fa_rj_string(root, "format");
	if (fa_rj_get(root, "fio_atomic_qualify_fleet")) {
		ret = fa_rj_parse_fleet(root, default_host, out, err);
	} else if (fa_rj_get(root, "fio_atomic_qualify")) {
		ret = fa_rj_parse_qualify(root, default_host, out, err);
	} else if (format && (!strncmp(format, "fio-atomic-tear-", 16) ||
			      !strcmp(format, "fio-atomic-job-report"))) {
		ret = fa_parse_tear(root, default_host, out, err);
	} else if (fa_rj_get(root, "fio version") || fa_rj_get(root, "client_stats") ||
		   (fa_rj_get(root, "jobs") && fa_rj_get(root, "global options"))) {
		ret = fa_parse_fio(root, default_host, out, err);
	} else {
		fa_rj_error(err, 0, 0,
			     "valid JSON, but not fio's output (no \"fio version\" or \"jobs\"), not a fio-atomic job or tear report (\"format\"), not a qualify report (\"fio_atomic_qualify\") and not a qualify fleet report (\"fio_atomic_qualify_fleet\")");
		ret = -EINVAL;
	}
	json_object_put(root);
	if (ret) {
		fa_result_file_free(out);
		out->skipped_lines = skipped;
		if (ret == -E2BIG) {
			fa_rj_error(err, 0, 0, "more than %d rows, %d contexts or %d guarantee points",
				    FA_RESULT_MAX_ROWS, FA_RESULT_MAX_CONTEXTS,
				    FA_RESULT_MAX_GPOINTS);
			ret = -EINVAL;
		}
	}
	return ret;
}

void fa_result_file_free(struct fa_result_file *f)
{
	free(f->rows);
	free(f->contexts);
	free(f->guarantees);
	free(f->gpoints);
	memset(f, 0, sizeof(*f));
}
