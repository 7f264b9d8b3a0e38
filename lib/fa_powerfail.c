// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the power_fail probe's readers (fa_powerfail.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fa_json.h"
#include "fa_powerfail.h"
#include "fa_util.h"

/* "NAME=" followed by a number, on @line only; 0 when not there. */
static uint64_t fa_pf_field(const char *line, const char *end,
			    const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = line; p && p < end; p = strstr(p + 1, name)) {
		p = strstr(p, name);
		if (!p || p >= end)
			break;
		/* "sectsz=" must not match inside "log sectsz=" of a
		 * later line, nor "bsize" inside "isize" */
		if ((p == line || p[-1] == ' ' || p[-1] == '\t') &&
		    p[n] == '=')
			return strtoull(p + n + 1, NULL, 10);
	}
	return 0;
}

static bool fa_pf_pow2(uint64_t v, uint64_t min, uint64_t max)
{
	return v >= min && v <= max && !(v & (v - 1));
}

int fa_pf_parse_xfs_info(const char *text, struct fa_pf_xfs_geometry *g)
{
	const char *line, *end, *section = "";
	uint64_t v;

	memset(g, 0, sizeof(*g));
	for (line = text; line && *line; line = *end ? end + 1 : NULL) {
		end = strchrnul(line, '\n');
		while (*line == ' ' || *line == '\t')
			line++;
		/* "data     =..." opens a section, "         =..." goes on */
		if (*line != '=')
			section = line;
		if (!strncmp(section, "meta-data", 9) && !g->sector_size)
			g->sector_size = (uint32_t)fa_pf_field(line, end,
								"sectsz");
		if (!strncmp(section, "data", 4) &&
		    (section[4] == ' ' || section[4] == '=')) {
			v = fa_pf_field(line, end, "bsize");
			if (v && !g->block_size) {
				if (!fa_pf_pow2(v, 512, 65536))
					return -EINVAL;
				g->block_size = (uint32_t)v;
			}
		}
	}
	if (!g->block_size)
		return -EINVAL;
	if (!fa_pf_pow2(g->sector_size, 512, g->block_size))
		g->sector_size = 0;
	return 0;
}

/* The value of a "Name:   value" line of dumpe2fs -h; NULL when absent. */
static const char *fa_pf_e2_field(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *line;

	for (line = text; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, name, n) && line[n] == ':')
			return line + n + 1 + strspn(line + n + 1, " \t");
	}
	return NULL;
}

/* @word among the space-separated words of the line at @v */
static bool fa_pf_has_word(const char *v, const char *word)
{
	size_t n = strlen(word);
	const char *end = strchrnul(v, '\n');

	while (v < end) {
		v += strspn(v, " \t");
		if (!strncmp(v, word, n) &&
		    (v + n == end || v[n] == ' ' || v[n] == '\t'))
			return true;
		v += strcspn(v, " \t\n");
	}
	return false;
}

int fa_pf_parse_dumpe2fs(const char *text, struct fa_pf_ext4_geometry *g)
{
	const char *v;
	uint64_t cs;

	memset(g, 0, sizeof(*g));
	v = fa_pf_e2_field(text, "Block size");
	if (!v || !fa_pf_pow2(strtoull(v, NULL, 10), 1024, 65536))
		return -EINVAL;
	g->block_size = (uint32_t)strtoull(v, NULL, 10);
	v = fa_pf_e2_field(text, "Filesystem features");
	if (!v || !fa_pf_has_word(v, "bigalloc"))
		return 0;
	v = fa_pf_e2_field(text, "Cluster size");
	cs = v ? strtoull(v, NULL, 10) : 0;
	/* mke2fs allows clusters up to 2^16 blocks */
	if (!fa_pf_pow2(cs, g->block_size, (uint64_t)g->block_size << 16)) {
		g->block_size = 0;
		return -EINVAL;
	}
	g->cluster_size = (uint32_t)cs;
	return 0;
}

static bool fa_pf_u64(struct json_object *o, const char *key, uint64_t *v)
{
	bool bad = false;
	struct json_object *n = fa_json_get(o, key, json_type_int, &bad);

	if (!n || bad || json_object_get_int64(n) < 0)
		return false;
	*v = json_object_get_uint64(n);
	return true;
}

static void fa_pf_examples(struct json_object *root, struct fa_g_result *r,
			   const char *what, uint64_t unit)
{
	struct json_object *arr, *e, *acks, *v;
	char text[FA_G_TEXT_LEN];
	bool bad = false;
	uint64_t off, gen;
	size_t i, n;

	arr = fa_json_get(root, "examples", json_type_array, &bad);
	n = arr ? json_object_array_length(arr) : 0;
	for (i = 0; i < n && r->nr_examples < FA_G_MAX_EXAMPLES; i++) {
		e = json_object_array_get_idx(arr, i);
		if (!fa_pf_u64(e, "offset", &off))
			continue;
		v = fa_json_get(e, "reasons", json_type_array, &bad);
		snprintf(text, sizeof(text), "%s: torn unit (%s)", what,
			 v ? json_object_to_json_string_ext(v,
					JSON_C_TO_STRING_PLAIN) : "?");
		fa_g_example(r, off, unit, text);
	}
	acks = fa_json_get(root, "acks", json_type_object, &bad);
	arr = fa_json_get(acks, "lost_examples", json_type_array, &bad);
	n = arr ? json_object_array_length(arr) : 0;
	for (i = 0; i < n && r->nr_examples < FA_G_MAX_EXAMPLES; i++) {
		e = json_object_array_get_idx(arr, i);
		v = fa_json_get(e, "reason", json_type_string, &bad);
		if (!fa_pf_u64(e, "offset", &off) ||
		    !fa_pf_u64(e, "generation", &gen))
			continue;
		snprintf(text, sizeof(text),
			 "%s: acknowledged write lost (generation %" PRIu64 ", unit %s)",
			 what, gen, v ? json_object_get_string(v) : "?");
		fa_g_example(r, off, unit, text);
	}
}

int fa_pf_scan_parse(const char *json, struct fa_pf_counts *c,
		     struct fa_g_result *r, const char *what)
{
	struct json_object *root, *acks;
	uint64_t intact, torn, acked, lost, unit = 0;
	bool bad = false;
	int ret = -EINVAL;

	memset(c, 0, sizeof(*c));
	root = json_tokener_parse(json);
	if (!root)
		return -EINVAL;
	acks = fa_json_get(root, "acks", json_type_object, &bad);
	if (json_object_is_type(root, json_type_object) && acks &&
	    fa_pf_u64(root, "intact", &intact) &&
	    fa_pf_u64(root, "torn", &torn) &&
	    fa_pf_u64(acks, "acked", &acked) &&
	    fa_pf_u64(acks, "lost", &lost) && lost <= acked &&
	    intact <= UINT64_MAX - torn) {
		fa_pf_u64(root, "unit", &unit);
		c->scans = 1;
		c->units = intact + torn;
		c->torn = torn;
		c->acked = acked;
		c->lost = lost;
		if (r)
			fa_pf_examples(root, r, what ? what : "", unit);
		ret = 0;
	}
	json_object_put(root);
	return ret;
}

void fa_pf_counts_add(struct fa_pf_counts *sum, const struct fa_pf_counts *c)
{
	sum->scans += c->scans;
	sum->units += c->units;
	sum->torn += c->torn;
	sum->acked += c->acked;
	sum->lost += c->lost;
}

static void fa_pf_outcome(struct fa_g_point *p, const char *name, uint64_t n)
{
	int i;

	for (i = 0; i < p->nr_outcomes; i++)
		if (!strcmp(p->outcome_name[i], name))
			break;
	if (i == p->nr_outcomes) {
		if (i >= 4)
			return;
		fa_strlcpy(p->outcome_name[i], name,
			   sizeof(p->outcome_name[i]));
		p->outcome[i] = 0;
		p->nr_outcomes++;
	}
	p->outcome[i] += n;
}

int fa_pf_add_point(struct fa_g_result *r, const char *engine, uint64_t size,
		    const struct fa_pf_counts *c)
{
	struct fa_g_point *p = fa_g_point(r, engine, size);

	if (!p)
		return -ENOSPC;
	p->trials += c->units;
	p->failures += c->torn + c->lost;
	fa_pf_outcome(p, "torn", c->torn);
	fa_pf_outcome(p, "lost", c->lost);
	fa_pf_outcome(p, "acked", c->acked);
	return 0;
}

void fa_pf_add_control(struct fa_g_result *r, const struct fa_pf_counts *c)
{
	r->has_control = true;
	r->control_trials += c->units;
	r->control_failures += c->torn;
}

void fa_pf_verdict(const struct fa_g_result *r,
		   const struct fa_pf_counts *atomic,
		   const struct fa_pf_counts *control, unsigned int crashes,
		   char *buf, size_t len)
{
	static const char *const word[] = {
		[FA_G_NOT_TESTED]	= "NOT TESTED",
		[FA_G_PROVIDED]		= "PROVIDED",
		[FA_G_NOT_PROVIDED]	= "NOT PROVIDED",
	};
	const char *w = (unsigned int)r->status < FA_ARRAY_SIZE(word) ?
			word[r->status] : "UNKNOWN";
	int n;

	n = snprintf(buf, len,
		     "%s: %s: %" PRIu64 " torn of %" PRIu64 " units, %" PRIu64 " of %" PRIu64 " durable writes lost in %u crash%s; control: %" PRIu64 " torn of %" PRIu64 " units",
		     fa_guarantee_name(r->guarantee), w, atomic->torn,
		     atomic->units, atomic->lost, atomic->acked, crashes,
		     crashes == 1 ? "" : "es", control->torn, control->units);
	if (r->status == FA_G_NOT_TESTED && r->reason[0] && n >= 0 &&
	    (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%s)", r->reason);
}
