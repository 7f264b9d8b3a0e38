// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the per-job report's reader (fa_jobreport_parse() on a buffer,
 * fa_jobreport_load() on a file), and the verdict names it shares with the
 * writer. See fa_jobreport.h and docs/job-report.md for the schema.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_jobreport.h"
#include "fa_json.h"
#include "fa_util.h"

static const char *const fa_verdict_names[] = {
	[FA_JR_NOT_CHECKED]	= "not_checked",
	[FA_JR_ACCEPTED]	= "accepted",
	[FA_JR_REFUSED]		= "refused",
};

const char *fa_jobreport_verdict_name(enum fa_jr_verdict v)
{
	if ((unsigned int)v >= FA_ARRAY_SIZE(fa_verdict_names))
		return "unknown";
	return fa_verdict_names[v];
}

struct fa_jr_reader {
	bool bad;
	const char *bad_key;
};

static void fa_jr_copy_str(struct fa_jr_reader *rd, struct json_object *obj,
			   const char *key, char *out, size_t len)
{
	bool bad = false;
	struct json_object *v = fa_json_get(obj, key, json_type_string, &bad);

	if (bad) {
		rd->bad = true;
		rd->bad_key = key;
	}
	fa_strlcpy(out, v ? json_object_get_string(v) : "", len);
}

static uint64_t fa_jr_u64(struct fa_jr_reader *rd, struct json_object *obj,
			  const char *key)
{
	bool bad = false;
	struct json_object *v = fa_json_get(obj, key, json_type_int, &bad);

	if (bad || (v && json_object_get_int64(v) < 0)) {
		rd->bad = true;
		rd->bad_key = key;
		return 0;
	}
	return v ? json_object_get_uint64(v) : 0;
}

/* A count that must fit a narrower field: larger is a bad report. */
static uint64_t fa_jr_num(struct fa_jr_reader *rd, struct json_object *obj,
			  const char *key, uint64_t max)
{
	uint64_t v = fa_jr_u64(rd, obj, key);

	if (v > max) {
		rd->bad = true;
		rd->bad_key = key;
		return 0;
	}
	return v;
}

static bool fa_jr_bool(struct fa_jr_reader *rd, struct json_object *obj,
		       const char *key)
{
	bool bad = false;
	struct json_object *v = fa_json_get(obj, key, json_type_boolean, &bad);

	if (bad) {
		rd->bad = true;
		rd->bad_key = key;
	}
	return v && json_object_get_boolean(v);
}

static struct json_object *fa_jr_obj(struct fa_jr_reader *rd,
				     struct json_object *obj, const char *key)
{
	bool bad = false;
	struct json_object *v = fa_json_get(obj, key, json_type_object, &bad);

	if (bad) {
		rd->bad = true;
		rd->bad_key = key;
	}
	return v;
}

static void fa_jr_read_rules(struct fa_jr_reader *rd, struct json_object *conf,
			     struct fa_jobreport *r)
{
	bool bad = false;
	struct json_object *arr = fa_json_get(conf, "rules", json_type_array,
					      &bad);
	size_t i, n;

	if (bad) {
		rd->bad = true;
		rd->bad_key = "rules";
	}
	n = arr ? json_object_array_length(arr) : 0;
	for (i = 0; i < n && r->nr_rules < FA_JR_MAX_RULES; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i), *w;
		struct fa_conf_rule *c = &r->rules[r->nr_rules];

		if (!json_object_is_type(o, json_type_object)) {
			rd->bad = true;
			rd->bad_key = "rules";
			return;
		}
		r->nr_rules++;
		fa_jr_copy_str(rd, o, "rule", c->rule, sizeof(c->rule));
		c->enforced = fa_jr_bool(rd, o, "enforced");
		c->sent = fa_jr_u64(rd, o, "sent");
		c->rejected = fa_jr_u64(rd, o, "rejected");
		c->accepted = fa_jr_u64(rd, o, "accepted");
		w = fa_jr_obj(rd, o, "last_rejection");
		if (!w)
			continue;
		c->last.kind = FA_REJ_ERRNO;
		c->last.err = (int)fa_jr_num(rd, w, "errno", INT_MAX);
		if (json_object_object_get_ex(w, "sense_key", NULL)) {
			c->last.kind = FA_REJ_SENSE;
			c->last.sense_key = (uint8_t)fa_jr_num(rd, w,
							      "sense_key", UINT8_MAX);
			c->last.asc = (uint8_t)fa_jr_num(rd, w, "asc", UINT8_MAX);
			c->last.ascq = (uint8_t)fa_jr_num(rd, w, "ascq", UINT8_MAX);
		}
		if (json_object_object_get_ex(w, "nvme_status", NULL)) {
			c->last.kind = FA_REJ_NVME;
			c->last.nvme_status = (int)fa_jr_num(rd, w,
							     "nvme_status", INT_MAX);
		}
		fa_jr_copy_str(rd, w, "text", c->last.text,
			       sizeof(c->last.text));
	}
}

static const struct {
	const char *key;
	size_t off;
} fa_jr_reasons[] = {
	{ "mixed_generation", offsetof(struct fa_scan_counts,
				       mixed_generation) },
	{ "partial", offsetof(struct fa_scan_counts, partial) },
	{ "bad_checksum", offsetof(struct fa_scan_counts, bad_checksum) },
	{ "misplaced", offsetof(struct fa_scan_counts, misplaced) },
};

static void fa_jr_read_tear(struct fa_jr_reader *rd, struct json_object *t,
			    struct fa_jobreport *r)
{
	struct fa_jr_tear *tr = &r->tear;
	struct fa_scan_counts *c = &tr->reads;
	struct json_object *reasons;
	size_t i;

	r->tear_checked = true;
	tr->block = (uint32_t)fa_jr_num(rd, t, "block", UINT32_MAX);
	tr->stamped_writes = fa_jr_u64(rd, t, "stamped_writes");
	tr->acked_writes = fa_jr_u64(rd, t, "acked_writes");
	tr->checked_reads = fa_jr_u64(rd, t, "checked_reads");
	tr->torn_reads = fa_jr_u64(rd, t, "torn_reads");
	fa_jr_copy_str(rd, t, "ack_log", tr->ack_log, sizeof(tr->ack_log));
	c->units = fa_jr_u64(rd, t, "units");
	c->unwritten = fa_jr_u64(rd, t, "unwritten");
	c->intact = fa_jr_u64(rd, t, "intact");
	c->torn = fa_jr_u64(rd, t, "torn");
	c->mismatched = fa_jr_u64(rd, t, "mismatched");
	c->blocks_bad_checksum = fa_jr_u64(rd, t, "blocks_bad_checksum");
	c->blocks_misplaced = fa_jr_u64(rd, t, "blocks_misplaced");
	reasons = fa_jr_obj(rd, t, "torn_by_reason");
	for (i = 0; reasons && i < FA_ARRAY_SIZE(fa_jr_reasons); i++)
		*(uint64_t *)((char *)c + fa_jr_reasons[i].off) =
			fa_jr_u64(rd, reasons, fa_jr_reasons[i].key);
}

static void fa_jr_read_body(struct fa_jr_reader *rd, struct json_object *root,
			    struct fa_jobreport *r)
{
	struct json_object *o;
	char verdict[16];
	int i;

	fa_jr_copy_str(rd, root, "tool_version", r->tool_version,
		       sizeof(r->tool_version));
	fa_jr_copy_str(rd, root, "engine", r->engine, sizeof(r->engine));
	fa_jr_copy_str(rd, root, "mode", r->mode, sizeof(r->mode));
	fa_jr_copy_str(rd, root, "fio_version", r->fio_version,
		       sizeof(r->fio_version));
	fa_jr_copy_str(rd, root, "hostname", r->hostname, sizeof(r->hostname));
	fa_jr_copy_str(rd, root, "kernel", r->kernel, sizeof(r->kernel));
	fa_jr_copy_str(rd, root, "started", r->started, sizeof(r->started));
	fa_jr_copy_str(rd, root, "finished", r->finished, sizeof(r->finished));
	o = fa_jr_obj(rd, root, "job");
	fa_jr_copy_str(rd, o, "name", r->job, sizeof(r->job));
	r->thread = (int)fa_jr_num(rd, o, "thread", INT_MAX);
	r->pid = (int)fa_jr_num(rd, o, "pid", INT_MAX);
	fa_jr_copy_str(rd, o, "rw", r->rw, sizeof(r->rw));
	r->bs_min = fa_jr_u64(rd, o, "bs_min");
	r->bs_max = fa_jr_u64(rd, o, "bs_max");
	r->iodepth = (unsigned int)fa_jr_num(rd, o, "iodepth", INT_MAX);
	o = fa_jr_obj(rd, root, "target");
	fa_jr_copy_str(rd, o, "path", r->target, sizeof(r->target));
	fa_jr_copy_str(rd, o, "kind", r->kind, sizeof(r->kind));
	fa_jr_copy_str(rd, o, "device", r->device, sizeof(r->device));
	r->nr_files = (unsigned int)fa_jr_num(rd, o, "nr_files", INT_MAX);
	o = fa_jr_obj(rd, root, "limits");
	if (o) {
		json_object_object_foreach(o, name, val) {
			if (r->nr_limits >= FA_JR_MAX_LIMITS)
				break;
			if (!json_object_is_type(val, json_type_object)) {
				rd->bad = true;
				rd->bad_key = "limits";
				break;
			}
			i = r->nr_limits++;
			fa_strlcpy(r->limits[i].name, name,
				   sizeof(r->limits[i].name));
			r->limits[i].value = fa_jr_u64(rd, val, "value");
			fa_jr_copy_str(rd, val, "unit", r->limits[i].unit,
				       sizeof(r->limits[i].unit));
			fa_jr_copy_str(rd, val, "source", r->limits[i].origin,
				       sizeof(r->limits[i].origin));
		}
	}
	o = fa_jr_obj(rd, root, "validation");
	fa_jr_copy_str(rd, o, "mode", r->validate, sizeof(r->validate));
	r->atomic = fa_jr_bool(rd, o, "atomic");
	fa_jr_copy_str(rd, o, "verdict", verdict, sizeof(verdict));
	for (i = 0; i < (int)FA_ARRAY_SIZE(fa_verdict_names); i++)
		if (!strcmp(verdict, fa_verdict_names[i]))
			r->verdict = i;
	o = fa_jr_obj(rd, o, "refusal");
	if (o) {
		struct fa_jr_refusal *f = &r->refusal;

		fa_jr_copy_str(rd, o, "rule", f->rule, sizeof(f->rule));
		f->value = fa_jr_u64(rd, o, "value");
		fa_jr_copy_str(rd, o, "limit", f->limit, sizeof(f->limit));
		fa_jr_copy_str(rd, o, "source", f->source, sizeof(f->source));
		fa_jr_copy_str(rd, o, "message", f->message,
			       sizeof(f->message));
		f->err = (int)fa_jr_num(rd, o, "errno", INT_MAX);
	}
	o = fa_jr_obj(rd, root, "writes");
	r->atomic_writes = fa_jr_u64(rd, o, "atomic");
	r->refused_writes = fa_jr_u64(rd, o, "refused");
	o = fa_jr_obj(rd, root, "conformance");
	if (o)
		fa_jr_read_rules(rd, o, r);
	o = fa_jr_obj(rd, root, "tear");
	if (o)
		fa_jr_read_tear(rd, o, r);
}

int fa_jobreport_from_json(struct json_object *root, struct fa_jobreport *r,
			   char *why, size_t why_len)
{
	struct fa_jr_reader rd = { 0 };
	struct json_object *v;
	int64_t version;

	memset(r, 0, sizeof(*r));
	fa_scan_counts_init(&r->tear.reads);
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "format", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), FA_JR_FORMAT)) {
		snprintf(why, why_len, "not a %s (no \"format\": \"%s\")",
			 FA_JR_FORMAT, FA_JR_FORMAT);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(root, "version", &v) ||
	    !json_object_is_type(v, json_type_int)) {
		snprintf(why, why_len, "no integer \"version\"");
		return -EINVAL;
	}
	version = json_object_get_int64(v);
	if (version < 1) {
		snprintf(why, why_len, "version %" PRId64 " is not valid",
			 version);
		return -EINVAL;
	}
	if (version > FA_JR_VERSION) {
		snprintf(why, why_len,
			 "version %" PRId64 " is newer than this tool's %d",
			 version, FA_JR_VERSION);
		return -EPROTONOSUPPORT;
	}
	r->version = (int)version;
	fa_jr_read_body(&rd, root, r);
	if (!rd.bad && fa_jobreport_context_read(root, r, &rd.bad_key))
		rd.bad = true;
	if (rd.bad) {
		snprintf(why, why_len, "member \"%s\" has the wrong type",
			 rd.bad_key);
		return -EINVAL;
	}
	return 0;
}

int fa_jobreport_parse(const char *buf, size_t len, struct fa_jobreport *r,
		       char *why, size_t why_len)
{
	struct json_tokener *tok;
	struct json_object *root;
	int ret;

	memset(r, 0, sizeof(*r));
	fa_scan_counts_init(&r->tear.reads);
	if (len > INT_MAX) {
		snprintf(why, why_len, "too large for a job report");
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		snprintf(why, why_len, "not JSON: %s",
			 json_tokener_error_desc(json_tokener_get_error(tok)));
		ret = -EINVAL;
	} else {
		ret = fa_jobreport_from_json(root, r, why, why_len);
	}
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

int fa_jobreport_load(const char *path, struct fa_jobreport *r, char *why,
		      size_t why_len)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, why_len, "%s", strerror(-ret));
		return ret;
	}
	for (;;) {
		if (len == cap) {
			char *nbuf;

			cap = cap ? cap * 2 : 16384;
			if (cap > (64u << 20)) {
				ret = -EFBIG;
				snprintf(why, why_len, "larger than 64 MiB");
				goto out;
			}
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				ret = -ENOMEM;
				snprintf(why, why_len, "%s", strerror(ENOMEM));
				goto out;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(why, why_len, "%s", strerror(-ret));
			goto out;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	ret = fa_jobreport_parse(buf, len, r, why, why_len);
out:
	free(buf);
	close(fd);
	return ret;
}
