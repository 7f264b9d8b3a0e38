// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic tearscan: its report, as text or as one JSON object: the
 * counts, the verdict with the tear rate and its bound, the first torn
 * units, units of another geometry, and the acknowledged writes judged.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "fa_acklog.h"
#include "fa_rate.h"
#include "fa_guarantee.h"
#include "fa_scan.h"
#include "fa_stamp.h"
#include "fa_util.h"
#include "tearscan.h"

static const unsigned int fa_reasons[FA_TEAR_NR_REASONS] = {
	FA_TEAR_MIXED_GENERATION, FA_TEAR_PARTIAL, FA_TEAR_BAD_CHECKSUM,
	FA_TEAR_MISPLACED,
};

/* The guarantee a torn unit here breaks, by what the units went through. */
static enum fa_guarantee fa_measured(const struct fa_tearscan *ts)
{
	return ts->after_crash ? FA_G_POWER_FAIL : FA_G_WRITE_ISOLATION;
}

static void fa_verdict(const struct fa_tearscan *ts, char *buf, size_t len)
{
	const struct fa_scan_counts *c = &ts->counts;
	uint64_t n = c->intact + c->torn;
	char rate[96];

	if (!n) {
		snprintf(buf, len,
			 "no stamped unit of %" PRIu32 " bytes in the region: nothing to judge",
			 ts->unit);
		return;
	}
	fa_rate_text(c->torn, n, rate, sizeof(rate));
	snprintf(buf, len, "%s: torn units %s, at rest %s",
		 fa_guarantee_name(fa_measured(ts)), rate,
		 ts->after_crash ? "after a crash (--after crash)" :
				   "after a run without a crash (--after run)");
}

/* "mixed_generation+partial" */
static void fa_reason_list(unsigned int reasons, char *buf, size_t len)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < FA_TEAR_NR_REASONS && used < len; i++)
		if (reasons & fa_reasons[i])
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "+" : "",
					 fa_tear_reason_name(fa_reasons[i]));
}

static void fa_print_example(const struct fa_tearscan *ts,
			     const struct fa_tear_example *ex)
{
	const struct {
		uint32_t n;
		const char *what;
	} blocks[] = {
		{ ex->blocks_ok, "valid" },
		{ ex->blocks_unwritten, "unwritten" },
		{ ex->blocks_bad_checksum, "failing their CRC" },
		{ ex->blocks_misplaced, "of another place" },
	};
	char reasons[96];
	size_t i;
	bool first = true;

	fa_reason_list(ex->reasons, reasons, sizeof(reasons));
	printf("  offset %" PRIu64 " (unit %" PRIu64 "): %s from block %" PRIu32 "; blocks:",
	       ex->offset, (ex->offset - ts->offset) / ts->unit, reasons,
	       ex->first_odd_block);
	for (i = 0; i < FA_ARRAY_SIZE(blocks); i++) {
		if (!blocks[i].n)
			continue;
		printf("%s %" PRIu32 " %s", first ? "" : ",", blocks[i].n,
		       blocks[i].what);
		first = false;
	}
	for (i = 0; i < ex->nr_generations; i++)
		printf("%s %" PRIu64 " (%" PRIu32 " block%s)",
		       i ? "," : "; generations", ex->generations[i],
		       ex->generation_blocks[i],
		       ex->generation_blocks[i] == 1 ? "" : "s");
	printf("%s\n", ex->more_generations ? ", more" : "");
}

static void fa_mismatch_line(const struct fa_tearscan *ts, char *buf,
			     size_t len)
{
	const struct fa_scan_counts *c = &ts->counts;
	const struct fa_stamp_info *m = &c->mismatch;

	if (m->version != FA_STAMP_VERSION || m->stamp_len != FA_STAMP_LEN)
		snprintf(buf, len,
			 "%" PRIu64 " units hold stamps this scan could not judge; the first, at byte %" PRIu64 ", is stamp version %u with a %u-byte header (this tool reads version %u)",
			 c->mismatched, c->mismatch_offset, m->version,
			 m->stamp_len, FA_STAMP_VERSION);
	else
		snprintf(buf, len,
			 "%" PRIu64 " units hold stamps of another geometry; the first, at byte %" PRIu64 ", belongs to a unit of %" PRIu32 " bytes at offset %" PRIu64 " with %" PRIu32 "-byte blocks (scanned: units of %" PRIu32 " bytes from offset %" PRIu64 ", %" PRIu32 "-byte blocks)",
			 c->mismatched, c->mismatch_offset, m->unit_len,
			 m->unit_offset, m->block_size, ts->unit, ts->offset,
			 ts->block);
}

const char *fa_tearscan_geometry_source(const struct fa_tearscan *ts)
{
	const struct fa_geometry *g = &ts->geometry;

	if (g->unit_source == FA_GEOMETRY_STAMPS ||
	    g->block_source == FA_GEOMETRY_STAMPS)
		return "stamps";
	if (g->unit_source == FA_GEOMETRY_OPTION &&
	    g->block_source == FA_GEOMETRY_OPTION)
		return "options";
	return "fallback";
}

/* "a unit of 16384 bytes at offset 0 with 4096-byte blocks" */
static void fa_sighting(const struct fa_stamp_sighting *s, char *buf,
			size_t len)
{
	snprintf(buf, len,
		 "a unit of %" PRIu32 " bytes at offset %" PRIu64 " with %" PRIu32 "-byte blocks",
		 s->unit, s->unit_offset, s->block);
}

/* Where the geometry came from, and what the stamps said about it. */
static void fa_print_geometry(const struct fa_tearscan *ts)
{
	const struct fa_geometry_probe *p = &ts->probe;
	const char *source = fa_tearscan_geometry_source(ts);
	char first[160], other[160];

	if (!p->found) {
		printf("geometry: no valid stamp in the region; unit %" PRIu32 " (%s), block %" PRIu32 " (%s)\n",
		       ts->unit, ts->unit_origin, ts->block, ts->block_origin);
	} else {
		if (!strcmp(source, "stamps"))
			printf("geometry from the stamps: unit %" PRIu32 ", block %" PRIu32,
			       ts->unit, ts->block);
		else
			printf("geometry given with --unit and --block: unit %" PRIu32 ", block %" PRIu32 ", as the stamps say",
			       ts->unit, ts->block);
		printf(" (first valid stamp at byte %" PRIu64 "; %" PRIu64 " stamp%s read in %" PRIu64 " bytes%s)\n",
		       p->first.at, p->stamps, p->stamps == 1 ? "" : "s",
		       p->bytes_probed,
		       p->conflict ? "" : ", all of this geometry");
	}
	if (ts->offset_from_stamps)
		printf("units start at offset %" PRIu64 ", on the stamps' grid\n",
		       ts->offset);
	if (p->damaged)
		printf("%" PRIu64 " block%s with a stamp that is not valid in its place did not count for the geometry\n",
		       p->damaged, p->damaged == 1 ? "" : "s");
	if (p->conflict) {
		fa_sighting(&p->first, first, sizeof(first));
		fa_sighting(&p->other, other, sizeof(other));
		printf("the stamps disagree: the one at byte %" PRIu64 " belongs to %s, the one at byte %" PRIu64 " to %s; units of the second kind are not judged\n",
		       p->first.at, first, p->other.at, other);
	}
}

static void fa_print_lost(const struct fa_lost_example *ex)
{
	printf("  offset %" PRIu64 ": generation %" PRIu64 " acknowledged, ",
	       ex->offset, ex->generation);
	switch (ex->reason) {
	case FA_LOST_OLDER:
		printf("the unit holds generation %" PRIu64 ", whose write had completed (submitted_hi %" PRIu64 ") before it was submitted\n",
		       ex->found, ex->found_submitted_hi);
		break;
	case FA_LOST_TORN:
		printf("the unit is torn\n");
		break;
	case FA_LOST_UNWRITTEN:
		printf("the unit holds no stamp\n");
		break;
	case FA_LOST_MISMATCHED:
		printf("the unit holds stamps of another geometry\n");
		break;
	}
}

static void fa_print_acks(const struct fa_tearscan *ts)
{
	const struct fa_ack_check *k = &ts->check;
	unsigned int i;

	printf("\nacknowledged writes (%zu records in %u log%s):\n",
	       ts->acks.nr, ts->nr_ack_files, ts->nr_ack_files == 1 ? "" : "s");
	printf("%-20s%12" PRIu64 "\n", "acked", k->acked);
	printf("%-20s%12" PRIu64 "\n", "units with acks", k->units);
	printf("  %-18s%12" PRIu64 "\n", "found", k->found);
	printf("  %-18s%12" PRIu64 "\n", "newer", k->newer);
	printf("  %-18s%12" PRIu64 "\n", "raced", k->raced);
	printf("  %-18s%12" PRIu64 "\n", "other_job", k->other_job);
	printf("%-20s%12" PRIu64 "\n", "lost", k->lost);
	printf("  %-18s%12" PRIu64 "\n", "unwritten", k->lost_unwritten);
	printf("  %-18s%12" PRIu64 "\n", "torn", k->lost_torn);
	printf("  %-18s%12" PRIu64 "\n", "mismatched", k->lost_mismatched);
	printf("  %-18s%12" PRIu64 "\n", "older", k->lost_older);
	if (k->outside)
		printf("%-20s%12" PRIu64 "\n", "outside region", k->outside);
	if (k->off_grid)
		printf("%-20s%12" PRIu64 "\n", "off grid", k->off_grid);
	putchar('\n');
	if (!k->lost)
		printf("0 of %" PRIu64 " acknowledged writes lost\n", k->acked);
	else
		printf("%" PRIu64 " of %" PRIu64 " acknowledged writes lost (first %u):\n",
		       k->lost, k->acked, k->nr_examples);
	for (i = 0; i < k->nr_examples; i++)
		fa_print_lost(&k->examples[i]);
}

void fa_tearscan_print_text(const struct fa_tearscan *ts)
{
	const struct fa_scan_counts *c = &ts->counts;
	char line[1024];
	unsigned int i;

	printf("%s: %s, %" PRIu64 " bytes\n", ts->path, ts->kind, ts->size);
	fa_print_geometry(ts);
	printf("scanned %" PRIu64 " bytes from offset %" PRIu64 ": units of %" PRIu32 " bytes, %" PRIu32 "-byte blocks (%s), read %s\n",
	       c->bytes_scanned, ts->offset, ts->unit, ts->block,
	       ts->block_origin,
	       c->direct ? "with O_DIRECT" : "through the page cache");
	if (ts->trailing)
		printf("the last %" PRIu64 " bytes are less than a unit and were not scanned\n",
		       ts->trailing);
	putchar('\n');
	printf("%-20s%12" PRIu64 "\n", "units", c->units);
	printf("%-20s%12" PRIu64 "\n", "unwritten", c->unwritten);
	printf("%-20s%12" PRIu64 "\n", "intact", c->intact);
	printf("%-20s%12" PRIu64 "\n", "torn", c->torn);
	for (i = 0; i < FA_TEAR_NR_REASONS; i++)
		printf("  %-18s%12" PRIu64 "\n",
		       fa_tear_reason_name(fa_reasons[i]),
		       fa_scan_reason_count(c, fa_reasons[i]));
	if (c->mismatched)
		printf("%-20s%12" PRIu64 "\n", "mismatched", c->mismatched);
	putchar('\n');
	fa_verdict(ts, line, sizeof(line));
	printf("%s\n", line);
	if (c->mismatched) {
		fa_mismatch_line(ts, line, sizeof(line));
		printf("%s\n", line);
	}
	if (c->nr_examples) {
		printf("torn units (first %u of %" PRIu64 "):\n",
		       c->nr_examples, c->torn);
		for (i = 0; i < c->nr_examples; i++)
			fa_print_example(ts, &c->examples[i]);
	}
	if (ts->ack_files)
		fa_print_acks(ts);
}

static struct json_object *fa_json_mismatch(const struct fa_tearscan *ts)
{
	const struct fa_scan_counts *c = &ts->counts;
	struct json_object *obj;

	if (!c->mismatched)
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(obj, "at",
			       json_object_new_uint64(c->mismatch_offset));
	json_object_object_add(obj, "unit_offset",
			       json_object_new_uint64(c->mismatch.unit_offset));
	json_object_object_add(obj, "unit",
			       json_object_new_int64(c->mismatch.unit_len));
	json_object_object_add(obj, "block",
			       json_object_new_int64(c->mismatch.block_size));
	json_object_object_add(obj, "version",
			       json_object_new_int(c->mismatch.version));
	return obj;
}

static struct json_object *fa_json_sighting(const struct fa_stamp_sighting *s)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "at", json_object_new_uint64(s->at));
	json_object_object_add(obj, "unit_offset",
			       json_object_new_uint64(s->unit_offset));
	json_object_object_add(obj, "unit", json_object_new_int64(s->unit));
	json_object_object_add(obj, "block", json_object_new_int64(s->block));
	return obj;
}

/* What the stamps said: the geometry's evidence. */
static struct json_object *fa_json_geometry(const struct fa_tearscan *ts)
{
	const struct fa_geometry_probe *p = &ts->probe;
	const struct fa_geometry *g = &ts->geometry;
	const char *unit_source = fa_geometry_source_name(g->unit_source);
	const char *block_source = fa_geometry_source_name(g->block_source);
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "unit_source",
			       json_object_new_string(unit_source));
	json_object_object_add(obj, "block_source",
			       json_object_new_string(block_source));
	json_object_object_add(obj, "offset_from_stamps",
			       json_object_new_boolean(ts->offset_from_stamps));
	json_object_object_add(obj, "bytes_probed",
			       json_object_new_uint64(p->bytes_probed));
	json_object_object_add(obj, "stamps_read",
			       json_object_new_uint64(p->stamps));
	json_object_object_add(obj, "damaged_stamps",
			       json_object_new_uint64(p->damaged));
	json_object_object_add(obj, "first_stamp", p->found ?
			       fa_json_sighting(&p->first) : NULL);
	json_object_object_add(obj, "conflict", p->conflict ?
			       fa_json_sighting(&p->other) : NULL);
	return obj;
}

static struct json_object *fa_json_acks(const struct fa_tearscan *ts)
{
	const struct fa_ack_check *k = &ts->check;
	struct json_object *obj, *arr, *ex;
	unsigned int i;

	obj = json_object_new_object();
	arr = json_object_new_array();
	for (i = 0; i < ts->nr_ack_files; i++)
		json_object_array_add(arr,
			json_object_new_string(ts->ack_files[i]));
	json_object_object_add(obj, "logs", arr);
	json_object_object_add(obj, "records",
			       json_object_new_uint64(ts->acks.nr));
	json_object_object_add(obj, "acked", json_object_new_uint64(k->acked));
	json_object_object_add(obj, "units", json_object_new_uint64(k->units));
	json_object_object_add(obj, "found", json_object_new_uint64(k->found));
	json_object_object_add(obj, "newer", json_object_new_uint64(k->newer));
	json_object_object_add(obj, "raced", json_object_new_uint64(k->raced));
	json_object_object_add(obj, "other_job",
			       json_object_new_uint64(k->other_job));
	json_object_object_add(obj, "lost", json_object_new_uint64(k->lost));
	ex = json_object_new_object();
	json_object_object_add(ex, "unwritten",
			       json_object_new_uint64(k->lost_unwritten));
	json_object_object_add(ex, "torn",
			       json_object_new_uint64(k->lost_torn));
	json_object_object_add(ex, "mismatched",
			       json_object_new_uint64(k->lost_mismatched));
	json_object_object_add(ex, "older",
			       json_object_new_uint64(k->lost_older));
	json_object_object_add(obj, "lost_by_reason", ex);
	json_object_object_add(obj, "outside",
			       json_object_new_uint64(k->outside));
	json_object_object_add(obj, "off_grid",
			       json_object_new_uint64(k->off_grid));
	arr = json_object_new_array();
	for (i = 0; i < k->nr_examples; i++) {
		const struct fa_lost_example *l = &k->examples[i];

		ex = json_object_new_object();
		json_object_object_add(ex, "offset",
				       json_object_new_uint64(l->offset));
		json_object_object_add(ex, "generation",
				       json_object_new_uint64(l->generation));
		json_object_object_add(ex, "found",
				       json_object_new_uint64(l->found));
		json_object_object_add(ex, "found_submitted_hi",
				json_object_new_uint64(l->found_submitted_hi));
		json_object_object_add(ex, "reason", json_object_new_string(
				fa_lost_reason_name(l->reason)));
		json_object_array_add(arr, ex);
	}
	json_object_object_add(obj, "lost_examples", arr);
	return obj;
}

int fa_tearscan_print_json(const struct fa_tearscan *ts)
{
	const struct fa_scan_counts *c = &ts->counts;
	struct json_object *root;
	char line[1024];

	root = json_object_new_object();
	if (!root)
		return -ENOMEM;
	json_object_object_add(root, "path", json_object_new_string(ts->path));
	json_object_object_add(root, "kind", json_object_new_string(ts->kind));
	json_object_object_add(root, "size", json_object_new_uint64(ts->size));
	json_object_object_add(root, "offset",
			       json_object_new_uint64(ts->offset));
	json_object_object_add(root, "length",
			       json_object_new_uint64(ts->length));
	json_object_object_add(root, "bytes_scanned",
			       json_object_new_uint64(c->bytes_scanned));
	json_object_object_add(root, "trailing_bytes",
			       json_object_new_uint64(ts->trailing));
	json_object_object_add(root, "unit", json_object_new_int64(ts->unit));
	json_object_object_add(root, "block", json_object_new_int64(ts->block));
	json_object_object_add(root, "geometry_source", json_object_new_string(
				       fa_tearscan_geometry_source(ts)));
	json_object_object_add(root, "unit_origin",
			       json_object_new_string(ts->unit_origin));
	json_object_object_add(root, "block_origin",
			       json_object_new_string(ts->block_origin));
	json_object_object_add(root, "geometry", fa_json_geometry(ts));
	json_object_object_add(root, "direct",
			       json_object_new_boolean(c->direct));
	json_object_object_add(root, "stamp_version",
			       json_object_new_int(FA_STAMP_VERSION));

	if (fa_scan_counts_json(root, c)) {
		json_object_put(root);
		return -ENOMEM;
	}
	json_object_object_add(root, "mismatch", fa_json_mismatch(ts));
	fa_verdict(ts, line, sizeof(line));
	json_object_object_add(root, "verdict", json_object_new_string(line));
	json_object_object_add(root, "measures", fa_g_measure_json(
			fa_measured(ts), c->intact + c->torn, c->torn,
			ts->after_crash ? FA_G_COND_AFTER_CRASH :
					  FA_G_COND_AFTER_RUN));
	if (ts->ack_files)
		json_object_object_add(root, "acks", fa_json_acks(ts));

	printf("%s\n", json_object_to_json_string_ext(root,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}
