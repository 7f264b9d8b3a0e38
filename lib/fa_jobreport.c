// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the per-job report and its JSON writer; the reader is in
 * fa_jobreport_read.c. See fa_jobreport.h and docs/job-report.md for the
 * schema.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "fa_guarantee.h"
#include "fa_jobreport.h"
#include "fa_json.h"
#include "fa_util.h"

#ifndef FA_BUILD
#define FA_BUILD "unknown"
#endif

void fa_conf_rule_count(struct fa_conf_rule *r, const struct fa_rejection *why)
{
	r->sent++;
	if (!why) {
		r->accepted++;
		return;
	}
	r->rejected++;
	r->last = *why;
}

void fa_rejection_errno(struct fa_rejection *why, int err)
{
	memset(why, 0, sizeof(*why));
	why->kind = FA_REJ_ERRNO;
	why->err = err;
	fa_strlcpy(why->text, strerror(err), sizeof(why->text));
}

void fa_jobreport_now(char *buf, size_t len)
{
	struct tm tm;
	time_t now = time(NULL);

	if (!gmtime_r(&now, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		fa_strlcpy(buf, "", len);
}

void fa_jobreport_init(struct fa_jobreport *r)
{
	struct utsname u;

	memset(r, 0, sizeof(*r));
	r->version = FA_JR_VERSION;
	fa_strlcpy(r->tool_version, FA_BUILD, sizeof(r->tool_version));
	if (!uname(&u)) {
		fa_strlcpy(r->kernel, u.release, sizeof(r->kernel));
		fa_strlcpy(r->hostname, u.nodename, sizeof(r->hostname));
	}
	fa_jobreport_now(r->started, sizeof(r->started));
	fa_scan_counts_init(&r->tear.reads);
}

int fa_jobreport_add_limit(struct fa_jobreport *r, const char *name,
			   uint64_t value, const char *origin)
{
	struct fa_jr_limit *l;

	if (r->nr_limits >= FA_JR_MAX_LIMITS)
		return -ENOSPC;
	l = &r->limits[r->nr_limits++];
	fa_strlcpy(l->name, name, sizeof(l->name));
	l->value = value;
	fa_strlcpy(l->unit, strstr(name, "segments_max") ? "segments" : "bytes",
		   sizeof(l->unit));
	fa_strlcpy(l->origin, origin ? origin : "", sizeof(l->origin));
	return 0;
}

const struct fa_conf_rule *fa_jobreport_rule(const struct fa_jobreport *r,
					     const char *rule)
{
	int i;

	for (i = 0; i < r->nr_rules; i++)
		if (!strcmp(r->rules[i].rule, rule))
			return &r->rules[i];
	return NULL;
}

/* --- writer ------------------------------------------------------------ */

static struct json_object *fa_jr_rejection_json(const struct fa_rejection *w)
{
	struct json_object *o;
	int ret = 0;

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (w->err)
		ret |= fa_json_add(o, "errno", json_object_new_int(w->err));
	if (w->kind == FA_REJ_SENSE) {
		ret |= fa_json_add(o, "sense_key",
				   json_object_new_int(w->sense_key));
		ret |= fa_json_add(o, "asc", json_object_new_int(w->asc));
		ret |= fa_json_add(o, "ascq", json_object_new_int(w->ascq));
	}
	if (w->kind == FA_REJ_NVME)
		ret |= fa_json_add(o, "nvme_status",
				   json_object_new_int(w->nvme_status));
	ret |= fa_json_add(o, "text", json_object_new_string(w->text));
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *fa_jr_rules_json(const struct fa_jobreport *r)
{
	struct json_object *arr = json_object_new_array(), *o;
	int i, ret = 0;

	for (i = 0; arr && i < r->nr_rules && !ret; i++) {
		const struct fa_conf_rule *c = &r->rules[i];

		o = json_object_new_object();
		if (!o) {
			ret = -ENOMEM;
			break;
		}
		ret |= fa_json_add(o, "rule", json_object_new_string(c->rule));
		ret |= fa_json_add(o, "enforced",
				   json_object_new_boolean(c->enforced));
		ret |= fa_json_add(o, "sent", json_object_new_uint64(c->sent));
		ret |= fa_json_add(o, "rejected",
				   json_object_new_uint64(c->rejected));
		ret |= fa_json_add(o, "accepted",
				   json_object_new_uint64(c->accepted));
		if (c->last.kind == FA_REJ_NONE)
			ret |= fa_json_add_null(o, "last_rejection");
		else
			ret |= fa_json_add(o, "last_rejection",
					   fa_jr_rejection_json(&c->last));
		ret |= fa_json_append(arr, o);
	}
	if (ret) {
		json_object_put(arr);
		return NULL;
	}
	return arr;
}

static struct json_object *fa_jr_limits_json(const struct fa_jobreport *r)
{
	struct json_object *obj = json_object_new_object(), *l;
	int i, ret = 0;

	for (i = 0; obj && i < r->nr_limits && !ret; i++) {
		l = json_object_new_object();
		if (!l) {
			ret = -ENOMEM;
			break;
		}
		ret |= fa_json_add(l, "value",
				   json_object_new_uint64(r->limits[i].value));
		ret |= fa_json_add_str(l, "unit", r->limits[i].unit);
		ret |= fa_json_add_str(l, "source", r->limits[i].origin);
		ret |= fa_json_add(obj, r->limits[i].name, l);
	}
	if (ret) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static struct json_object *fa_jr_validation_json(const struct fa_jobreport *r)
{
	struct json_object *v = json_object_new_object(), *ref;
	const struct fa_jr_refusal *f = &r->refusal;
	int ret = 0;

	if (!v)
		return NULL;
	ret |= fa_json_add_str(v, "mode", r->validate);
	ret |= fa_json_add(v, "atomic", json_object_new_boolean(r->atomic));
	ret |= fa_json_add(v, "verdict", json_object_new_string(
				   fa_jobreport_verdict_name(r->verdict)));
	if (r->verdict == FA_JR_REFUSED) {
		ref = json_object_new_object();
		if (!ref) {
			json_object_put(v);
			return NULL;
		}
		ret |= fa_json_add(ref, "rule", json_object_new_string(f->rule));
		ret |= fa_json_add(ref, "value",
				   json_object_new_uint64(f->value));
		ret |= fa_json_add_str(ref, "limit", f->limit);
		ret |= fa_json_add_str(ref, "source", f->source);
		ret |= fa_json_add(ref, "message",
				   json_object_new_string(f->message));
		ret |= fa_json_add(ref, "errno", json_object_new_int(f->err));
		ret |= fa_json_add(v, "refusal", ref);
	} else {
		ret |= fa_json_add_null(v, "refusal");
	}
	if (ret) {
		json_object_put(v);
		return NULL;
	}
	return v;
}

static struct json_object *fa_jr_tear_json(const struct fa_jobreport *r)
{
	const struct fa_jr_tear *t = &r->tear;
	struct json_object *o;
	int ret = 0;

	o = json_object_new_object();
	if (!o)
		return NULL;
	ret |= fa_json_add(o, "block", json_object_new_int64(t->block));
	ret |= fa_json_add(o, "stamped_writes",
			   json_object_new_uint64(t->stamped_writes));
	ret |= fa_json_add(o, "acked_writes",
			   json_object_new_uint64(t->acked_writes));
	ret |= fa_json_add_str(o, "ack_log", t->ack_log);
	ret |= fa_json_add(o, "checked_reads",
			   json_object_new_uint64(t->checked_reads));
	ret |= fa_json_add(o, "torn_reads",
			   json_object_new_uint64(t->torn_reads));
	if (!ret)
		ret = fa_scan_counts_json(o, &t->reads);
	/* Only a reading job measures: its reads raced the writers. */
	if (t->checked_reads)
		ret |= fa_json_add(o, "measures", fa_g_measure_json(
				   FA_G_READ_ISOLATION,
				   t->reads.intact + t->reads.torn,
				   t->reads.torn, FA_G_COND_RACING_READS));
	else
		ret |= fa_json_add_null(o, "measures");
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *fa_jobreport_json(const struct fa_jobreport *r)
{
	struct json_object *root = json_object_new_object(), *o;
	int ret = 0;

	if (!root)
		return NULL;
	ret |= fa_json_add(root, "format", json_object_new_string(FA_JR_FORMAT));
	ret |= fa_json_add(root, "version", json_object_new_int(FA_JR_VERSION));
	ret |= fa_json_add_str(root, "tool_version", r->tool_version);
	ret |= fa_json_add(root, "engine", json_object_new_string(r->engine));
	ret |= fa_json_add_str(root, "mode", r->mode);
	ret |= fa_json_add_str(root, "fio_version", r->fio_version);
	ret |= fa_json_add_str(root, "hostname", r->hostname);
	ret |= fa_json_add_str(root, "kernel", r->kernel);
	ret |= fa_json_add_str(root, "started", r->started);
	ret |= fa_json_add_str(root, "finished", r->finished);
	ret |= fa_jobreport_context_add(root, r);

	o = json_object_new_object();
	ret |= fa_json_add(root, "job", o);
	if (!ret) {
		ret |= fa_json_add(o, "name", json_object_new_string(r->job));
		ret |= fa_json_add(o, "thread",
				   json_object_new_int(r->thread));
		ret |= fa_json_add(o, "pid", json_object_new_int(r->pid));
		ret |= fa_json_add_str(o, "rw", r->rw);
		ret |= fa_json_add(o, "bs_min",
				   json_object_new_uint64(r->bs_min));
		ret |= fa_json_add(o, "bs_max",
				   json_object_new_uint64(r->bs_max));
		ret |= fa_json_add(o, "iodepth",
				   json_object_new_int(r->iodepth));
	}
	o = json_object_new_object();
	ret |= fa_json_add(root, "target", o);
	if (!ret) {
		ret |= fa_json_add_str(o, "path", r->target);
		ret |= fa_json_add_str(o, "kind", r->kind);
		ret |= fa_json_add_str(o, "device", r->device);
		ret |= fa_json_add(o, "nr_files",
				   json_object_new_int(r->nr_files));
	}
	ret |= fa_json_add(root, "limits", fa_jr_limits_json(r));
	ret |= fa_json_add(root, "validation", fa_jr_validation_json(r));
	o = json_object_new_object();
	ret |= fa_json_add(root, "writes", o);
	if (!ret) {
		ret |= fa_json_add(o, "atomic",
				   json_object_new_uint64(r->atomic_writes));
		ret |= fa_json_add(o, "refused",
				   json_object_new_uint64(r->refused_writes));
	}
	o = json_object_new_object();
	ret |= fa_json_add(root, "conformance", o);
	if (!ret)
		ret |= fa_json_add(o, "rules", fa_jr_rules_json(r));
	if (r->tear_checked)
		ret |= fa_json_add(root, "tear", fa_jr_tear_json(r));
	else
		ret |= fa_json_add_null(root, "tear");
	if (ret) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

static int fa_write_all(int fd, const char *text, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return 0;
}

int fa_jobreport_write(const char *path, const struct fa_jobreport *r)
{
	struct json_object *root = fa_jobreport_json(r);
	char tmp[PATH_MAX];
	const char *text;
	struct stat st;
	bool in_place;
	int fd, ret;

	if (!root)
		return -ENOMEM;
	/*
	 * A regular file is replaced whole (a temporary file renamed over
	 * it), so a reader never sees half a report. Anything else that
	 * exists (/dev/null, a fifo, a terminal) is written to as it is:
	 * a rename would put a regular file in its place.
	 */
	in_place = !stat(path, &st) && !S_ISREG(st.st_mode);
	if (!in_place && snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path,
				  (int)getpid()) >= (int)sizeof(tmp)) {
		json_object_put(root);
		return -ENAMETOOLONG;
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	fd = in_place ? open(path, O_WRONLY | O_CLOEXEC) :
			open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = fa_write_all(fd, text, strlen(text));
	if (!ret)
		ret = fa_write_all(fd, "\n", 1);
	if (close(fd) && !ret)
		ret = -errno;
	if (in_place)
		goto out;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	json_object_put(root);
	return ret;
}
