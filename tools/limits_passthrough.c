// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic limits on a passthrough node: a SCSI generic node (/dev/sgN,
 * what atomic-sg writes to) or an NVMe generic node (/dev/ngXnY, what
 * atomic-nvme writes to). Prints the device's atomic fields as read through
 * the node, in blocks and bytes, the limits the engine enforces, then the
 * block device behind the node as `fio-atomic limits` reports it (statx,
 * sysfs), and every disagreement between the two. The reading and the
 * checks are lib/fa_passthru.c's; this file only prints.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "fa_passthru.h"
#include "fa_tool.h"
#include "limits_passthrough.h"

/* Everything one run reads: the node and the block device behind it. */
struct fa_pt_report {
	struct fa_pt_limits pl;
	struct fa_limits blk;
	bool have_blk;
	int blk_err;			/* fa_limits_collect() of the block */
	struct fa_disagreement blk_dis[FA_MAX_DISAGREE];
	int nr_blk_dis;
	struct fa_disagreement dis[FA_MAX_DISAGREE];
	int nr_dis;
	struct fa_pt_field fields[FA_PT_MAX_FIELDS];
	int nr_fields;
};

bool fa_limits_is_char_device(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISCHR(st.st_mode);
}

static const char *fa_pt_kind_name(enum fa_pt_kind kind)
{
	return kind == FA_PT_SG ? "sg" : kind == FA_PT_NG ? "ng" : "other";
}

static const char *fa_pt_engine(const struct fa_pt_limits *pl)
{
	return pl->kind == FA_PT_SG ? "atomic-sg" : "atomic-nvme";
}

static const char *fa_pt_origin(const struct fa_pt_limits *pl, char *buf,
				size_t len)
{
	if (pl->kind == FA_PT_SG)
		snprintf(buf, len,
			 "Block Limits VPD page (B0h) and READ CAPACITY(16) of %s",
			 pl->path);
	else
		snprintf(buf, len,
			 "NVMe Identify Controller and Namespace of %s (nsid %" PRIu32 ")",
			 pl->path, pl->ng.nsid);
	return buf;
}

/* The one-line verdict on what the engine accepts. */
static void fa_pt_verdict_line(const struct fa_pt_limits *pl, char *buf,
			       size_t len)
{
	const struct fa_sg_enforced *e = &pl->sg_enf;
	const struct fa_ng_unit *u = &pl->ng_enf.unit[FA_NVME_UNIT_POWERFAIL];

	if (!fa_pt_supported(pl)) {
		snprintf(buf, len,
			 "atomic writes through %s: NOT supported: %s",
			 fa_pt_engine(pl), e->why_none);
	} else if (pl->kind == FA_PT_SG && e->length_max) {
		snprintf(buf, len,
			 "atomic writes through atomic-sg: supported, %" PRIu64 "..%" PRIu64 " bytes in steps of %" PRIu64 ", offsets aligned to %" PRIu64 " (Block Limits VPD page (B0h) of %s)",
			 e->length_min, e->length_max, e->length_step,
			 e->offset_align, pl->path);
	} else if (pl->kind == FA_PT_SG) {
		snprintf(buf, len,
			 "atomic writes through atomic-sg: supported only with an ATOMIC BOUNDARY (atomic_boundary=1..%" PRIu32 "), %" PRIu64 "..%" PRIu64 " bytes (Block Limits VPD page (B0h) of %s)",
			 e->boundary_max, e->boundary_length_min,
			 e->boundary_length_max, pl->path);
	} else {
		snprintf(buf, len,
			 "atomic writes through atomic-nvme: supported, %" PRIu32 "..%" PRIu64 " bytes (power-fail unit, %s=%u from NVMe %s of %s)%s",
			 pl->ng_enf.lbs, u->length_max, u->u.unit_field,
			 u->u.unit_value, u->u.unit_source, pl->path,
			 u->boundary ? ", within atomic boundaries" :
			 ", no atomic boundary");
	}
}

static void fa_pt_print_fields(const struct fa_pt_report *r)
{
	const struct fa_pt_limits *pl = &r->pl;
	char origin[FA_ORIGIN_LEN];
	int i;

	printf("device: %s\n", fa_pt_origin(pl, origin, sizeof(origin)));
	if (pl->kind == FA_PT_SG) {
		printf("  %-52s %10" PRIu32 "  bytes (READ CAPACITY(16))\n",
		       "LOGICAL BLOCK LENGTH IN BYTES", pl->sg_enf.lbs);
		if (!pl->sg.have_bl)
			printf("  no Block Limits VPD page: %s\n",
			       pl->sg.no_bl_why);
		else if (!r->nr_fields)
			printf("  the Block Limits VPD page is %u bytes: no atomic fields (bytes 44-63)\n",
			       pl->sg.bl.page_length + 4);
	} else {
		printf("  %-52s %10" PRIu32 "  bytes (lbads=%u of LBA format %u)\n",
		       "LBA data size", pl->ng_enf.lbs, pl->ng.lbads,
		       pl->ng.lbaf);
		printf("  %-52s %10u  %s\n", "nsfeat", pl->ng.nsfeat,
		       pl->ng.nsfeat & FA_NVME_NSFEAT_NSABP ?
		       "(NSABP set: the namespace's na* fields apply)" :
		       "(NSABP clear: the controller's fields apply)");
		if (pl->ng.dn_known)
			printf("  %-52s %10u  (Write Atomicity Normal, Get Features 0Ah)\n",
			       "dn", pl->ng.dn);
	}
	for (i = 0; i < r->nr_fields; i++)
		printf("  %-52s %10" PRIu64 "  %-26s %10" PRIu64 " bytes\n",
		       r->fields[i].name, r->fields[i].value,
		       r->fields[i].unit, r->fields[i].bytes);
	putchar('\n');
}

static void fa_pt_print_enforced(const struct fa_pt_limits *pl)
{
	const struct fa_sg_enforced *e = &pl->sg_enf;
	int unit;

	printf("%s enforces:\n", fa_pt_engine(pl));
	if (pl->kind == FA_PT_SG) {
		if (e->length_max)
			printf("  atomic_boundary=0: lengths %" PRIu64 "..%" PRIu64 " bytes in steps of %" PRIu64 ", offsets multiples of %" PRIu64 "\n",
			       e->length_min, e->length_max, e->length_step,
			       e->offset_align);
		else
			printf("  atomic_boundary=0: no length is accepted\n");
		if (e->boundary_max)
			printf("  atomic_boundary=1..%" PRIu32 " blocks: lengths %" PRIu64 "..%" PRIu64 " bytes\n",
			       e->boundary_max, e->boundary_length_min,
			       e->boundary_length_max);
		else
			printf("  atomic_boundary>0: not accepted (MAXIMUM ATOMIC BOUNDARY SIZE or ... WITH ATOMIC BOUNDARY is 0)\n");
		if (e->sd.unit_max)
			printf("  the kernel's sd driver derives %" PRIu64 "..%" PRIu64 " bytes%s\n",
			       e->sd.unit_min, e->sd.unit_max,
			       e->sd.use_boundary ?
			       ", sent with an ATOMIC BOUNDARY" : "");
		else
			printf("  the kernel's sd driver enables none: %s\n",
			       e->sd.why_none);
	} else {
		for (unit = FA_NVME_UNIT_POWERFAIL;
		     unit <= FA_NVME_UNIT_NORMAL; unit++) {
			const struct fa_ng_unit *u = &pl->ng_enf.unit[unit];

			printf("  unit=%-10s %s=%u from %s: lengths %" PRIu32 "..%" PRIu64 " bytes, multiples of %" PRIu32,
			       unit ? "normal" : "powerfail", u->u.unit_field,
			       u->u.unit_value, u->u.unit_source,
			       pl->ng_enf.lbs, u->length_max, pl->ng_enf.lbs);
			if (u->boundary)
				printf(", not crossing a boundary (%s=%u: every %" PRIu64 " bytes from %" PRIu64 ")\n",
				       u->u.boundary_field,
				       u->u.boundary_value, u->boundary,
				       u->boundary_start);
			else
				printf(", no atomic boundary\n");
		}
	}
	putchar('\n');
}

static void fa_pt_print_disagreement(const struct fa_disagreement *d)
{
	printf("DISAGREE %s: %s says %" PRIu64 ", %s says %" PRIu64 ": %s\n",
	       d->what, d->a->origin, d->a->value, d->b->origin, d->b->value,
	       d->explanation);
}

static void fa_pt_print_text(const struct fa_pt_report *r)
{
	const struct fa_pt_limits *pl = &r->pl;
	char verdict[1024];
	int i;

	printf("%s: %s node %u:%u (class %s), block device %s\n\n", pl->path,
	       pl->kind == FA_PT_SG ? "SCSI generic" : "NVMe generic",
	       pl->major, pl->minor, pl->cls,
	       pl->block[0] ? pl->block : "none");
	fa_pt_print_fields(r);
	fa_pt_print_enforced(pl);
	if (r->have_blk) {
		printf("the kernel's limits, through the block device %s:\n",
		       pl->block);
		fa_limits_print_text(&r->blk, r->blk_dis, r->nr_blk_dis);
		putchar('\n');
	} else if (pl->block[0]) {
		printf("the block device %s could not be examined: %s: nothing to cross-check\n\n",
		       pl->block, strerror(-r->blk_err));
	} else {
		printf("no block device behind %s (%s): nothing to cross-check\n\n",
		       pl->path, strerror(-pl->block_err));
	}
	for (i = 0; i < r->nr_dis && i < FA_MAX_DISAGREE; i++)
		fa_pt_print_disagreement(&r->dis[i]);
	fa_pt_verdict_line(pl, verdict, sizeof(verdict));
	printf("%s\n", verdict);
}

static void fa_json_add_u64(struct json_object *obj, const char *key,
			    uint64_t v)
{
	json_object_object_add(obj, key, json_object_new_uint64(v));
}

static struct json_object *fa_pt_json_value(const struct fa_value *v)
{
	struct json_object *obj = json_object_new_object();

	fa_json_add_u64(obj, "value", v->value);
	json_object_object_add(obj, "source", json_object_new_string(
			fa_tool_source_name(v->source)));
	json_object_object_add(obj, "origin",
			       json_object_new_string(v->origin));
	return obj;
}

static struct json_object *fa_pt_json_enforced(const struct fa_pt_limits *pl)
{
	struct json_object *obj = json_object_new_object(), *sd, *units, *u;
	const struct fa_sg_enforced *e = &pl->sg_enf;
	int unit;

	json_object_object_add(obj, "engine",
			       json_object_new_string(fa_pt_engine(pl)));
	if (pl->kind == FA_PT_SG) {
		fa_json_add_u64(obj, "length_min", e->length_min);
		fa_json_add_u64(obj, "length_max", e->length_max);
		fa_json_add_u64(obj, "length_step", e->length_step);
		fa_json_add_u64(obj, "offset_align", e->offset_align);
		fa_json_add_u64(obj, "boundary_max_blocks", e->boundary_max);
		fa_json_add_u64(obj, "boundary_length_min",
				e->boundary_length_min);
		fa_json_add_u64(obj, "boundary_length_max",
				e->boundary_length_max);
		sd = json_object_new_object();
		fa_json_add_u64(sd, "unit_min", e->sd.unit_min);
		fa_json_add_u64(sd, "unit_max", e->sd.unit_max);
		fa_json_add_u64(sd, "max_bytes", e->sd.max_bytes);
		json_object_object_add(sd, "use_boundary",
				       json_object_new_boolean(e->sd.use_boundary));
		json_object_object_add(sd, "why_none", e->sd.why_none[0] ?
				       json_object_new_string(e->sd.why_none) :
				       NULL);
		json_object_object_add(obj, "sd", sd);
		return obj;
	}
	fa_json_add_u64(obj, "lba_size", pl->ng_enf.lbs);
	units = json_object_new_object();
	for (unit = FA_NVME_UNIT_POWERFAIL; unit <= FA_NVME_UNIT_NORMAL;
	     unit++) {
		const struct fa_ng_unit *nu = &pl->ng_enf.unit[unit];

		u = json_object_new_object();
		json_object_object_add(u, "field",
				       json_object_new_string(nu->u.unit_field));
		fa_json_add_u64(u, "value", nu->u.unit_value);
		json_object_object_add(u, "source",
				       json_object_new_string(nu->u.unit_source));
		fa_json_add_u64(u, "blocks", nu->u.unit_blocks);
		fa_json_add_u64(u, "length_max", nu->length_max);
		json_object_object_add(u, "boundary_field",
				       json_object_new_string(nu->u.boundary_field));
		fa_json_add_u64(u, "boundary_value", nu->u.boundary_value);
		fa_json_add_u64(u, "boundary", nu->boundary);
		fa_json_add_u64(u, "boundary_start", nu->boundary_start);
		json_object_object_add(units, unit ? "normal" : "powerfail", u);
	}
	json_object_object_add(obj, "units", units);
	return obj;
}

static struct json_object *fa_pt_json(const struct fa_pt_report *r)
{
	const struct fa_pt_limits *pl = &r->pl;
	struct json_object *root, *fields, *f, *arr, *obj;
	char buf[1024];
	bool supported = fa_pt_supported(pl);
	int i;

	root = json_object_new_object();
	if (!root)
		return NULL;
	json_object_object_add(root, "path", json_object_new_string(pl->path));
	json_object_object_add(root, "kind",
			       json_object_new_string(fa_pt_kind_name(pl->kind)));
	snprintf(buf, sizeof(buf), "%u:%u", pl->major, pl->minor);
	json_object_object_add(root, "device", json_object_new_string(buf));
	json_object_object_add(root, "class", json_object_new_string(pl->cls));
	json_object_object_add(root, "block_device", pl->block[0] ?
			       json_object_new_string(pl->block) : NULL);
	json_object_object_add(root, "origin", json_object_new_string(
			fa_pt_origin(pl, buf, sizeof(buf))));
	fa_json_add_u64(root, "logical_block", pl->dev_logical_block.value);
	if (pl->kind == FA_PT_SG) {
		json_object_object_add(root, "block_limits_page",
				       json_object_new_boolean(pl->sg.have_bl));
		json_object_object_add(root, "block_limits_error",
				       pl->sg.have_bl ? NULL :
				       json_object_new_string(pl->sg.no_bl_why));
	} else {
		fa_json_add_u64(root, "nsid", pl->ng.nsid);
		fa_json_add_u64(root, "nsfeat", pl->ng.nsfeat);
		fa_json_add_u64(root, "flbas", pl->ng.flbas);
		fa_json_add_u64(root, "lbads", pl->ng.lbads);
		json_object_object_add(root, "dn", pl->ng.dn_known ?
				       json_object_new_boolean(pl->ng.dn) :
				       NULL);
	}
	fields = json_object_new_object();
	for (i = 0; i < r->nr_fields; i++) {
		f = json_object_new_object();
		fa_json_add_u64(f, "value", r->fields[i].value);
		fa_json_add_u64(f, "blocks", r->fields[i].blocks);
		fa_json_add_u64(f, "bytes", r->fields[i].bytes);
		json_object_object_add(f, "unit",
				       json_object_new_string(r->fields[i].unit));
		json_object_object_add(fields, r->fields[i].name, f);
	}
	json_object_object_add(root, "fields", fields);
	json_object_object_add(root, "enforced", fa_pt_json_enforced(pl));
	json_object_object_add(root, "block", r->have_blk ?
			       fa_limits_json(&r->blk, r->blk_dis,
					      r->nr_blk_dis) : NULL);
	json_object_object_add(root, "block_error", r->have_blk ? NULL :
			       json_object_new_string(strerror(pl->block[0] ?
					-r->blk_err : -pl->block_err)));

	arr = json_object_new_array();
	for (i = 0; i < r->nr_dis && i < FA_MAX_DISAGREE; i++) {
		obj = json_object_new_object();
		json_object_object_add(obj, "limit",
				       json_object_new_string(r->dis[i].what));
		json_object_object_add(obj, "a",
				       fa_pt_json_value(r->dis[i].a));
		json_object_object_add(obj, "b",
				       fa_pt_json_value(r->dis[i].b));
		json_object_object_add(obj, "explanation",
				       json_object_new_string(r->dis[i].explanation));
		json_object_array_add(arr, obj);
	}
	json_object_object_add(root, "disagreements", arr);
	json_object_object_add(root, "supported",
			       json_object_new_boolean(supported));
	json_object_object_add(root, "reason", supported ? NULL :
			       json_object_new_string(pl->sg_enf.why_none));
	fa_pt_verdict_line(pl, buf, sizeof(buf));
	json_object_object_add(root, "verdict", json_object_new_string(buf));
	return root;
}

int fa_limits_passthrough(const char *path, bool json)
{
	static struct fa_pt_report r;	/* paths and fields: off the stack */
	struct fa_pt_limits *pl = &r.pl;
	struct json_object *root;
	char why[512];
	int ret, status;

	memset(&r, 0, sizeof(r));
	ret = fa_pt_discover(path, pl, why, sizeof(why));
	if (ret) {
		fa_tool_error("limits", "%s", why[0] ? why : strerror(-ret));
		return FA_EXIT_ERROR;
	}
	if (pl->kind == FA_PT_SG)
		r.nr_fields = fa_pt_sg_fields(&pl->sg.bl, pl->sg_enf.lbs,
					      r.fields, FA_PT_MAX_FIELDS);
	else
		r.nr_fields = fa_pt_ng_fields(&pl->ng, r.fields,
					      FA_PT_MAX_FIELDS);
	if (pl->block[0]) {
		r.blk_err = fa_limits_collect(pl->block, &r.blk, r.blk_dis,
					      FA_MAX_DISAGREE, &r.nr_blk_dis);
		r.have_blk = !r.blk_err;
	}
	r.nr_dis = fa_pt_crosscheck(pl, r.have_blk ? &r.blk : NULL, r.dis,
				    FA_MAX_DISAGREE);

	if (json) {
		root = fa_pt_json(&r);
		if (!root) {
			fa_tool_error("limits", "%s", strerror(ENOMEM));
			status = FA_EXIT_ERROR;
			goto out;
		}
		printf("%s\n", json_object_to_json_string_ext(root,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else {
		fa_pt_print_text(&r);
	}
	if (fflush(stdout) == EOF) {
		fa_tool_error("limits", "writing output: %s", strerror(errno));
		status = FA_EXIT_ERROR;
	} else if (r.nr_dis || r.nr_blk_dis) {
		status = FA_EXIT_DISAGREE;
	} else if (!fa_pt_supported(pl)) {
		status = FA_EXIT_UNSUPPORTED;
	} else {
		status = FA_EXIT_OK;
	}
out:
	if (r.have_blk)
		fa_limits_release(&r.blk);
	return status;
}

void fa_limits_passthrough_usage(FILE *fp)
{
	fprintf(fp,
		"\n"
		"PATH may also be a passthrough node: a SCSI generic node\n"
		"(/dev/sgN, what atomic-sg writes to) or an NVMe generic node\n"
		"(/dev/ngXnY, what atomic-nvme writes to). Then the device's\n"
		"atomic fields are read through it (Block Limits VPD page and\n"
		"READ CAPACITY(16); Identify awun, awupf, acwu, nawun, nawupf,\n"
		"nabsn, nabo, nabspf), shown as reported and in bytes, with the\n"
		"limits the engine enforces, then cross-checked against the\n"
		"block device behind the node (sdX, nvmeXnY) where there is\n"
		"one. Only reading commands are sent. For these nodes: 0 the\n"
		"engine accepts atomic writes and the block device agrees,\n"
		"1 the node could not be read or is a character device of\n"
		"another kind, 3 the device's rules allow no atomic write\n"
		"(an NVMe namespace always has a unit of at least one block),\n"
		"4 the engine's rules and the block device's limits disagree.\n");
}
