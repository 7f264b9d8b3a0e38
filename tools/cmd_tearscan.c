// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic tearscan PATH --unit SIZE [--block SIZE] [--offset N]
 * [--length N] [--acks FILE...] [--json]: read a file or block device that
 * was written with stamped units (fio's tear_check=1, fa_stamp.h) and
 * count the units that are unwritten, intact and torn, with the tear rate,
 * its 95% upper confidence bound, and the first torn units in detail.
 * With --acks, also judge every write of the acknowledged-write logs
 * (fio's tear_ack_log, fa_acklog.h) against what its unit holds.
 *
 * Opens PATH read-only; never writes.
 *
 * Exit status: 0 no torn unit and no lost write, 1 error (including units
 * or acknowledged writes of another geometry, which could not be judged),
 * 2 usage error, 5 torn units found (even if writes were lost too: a torn
 * unit is the stronger finding, and the counts say both), 6 acknowledged
 * writes lost.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_acklog.h"
#include "fa_limits.h"
#include "fa_scan.h"
#include "fa_stamp.h"
#include "fa_tool.h"
#include "fa_util.h"

#define FA_TEARSCAN_SYNOPSIS						\
	"usage: fio-atomic tearscan PATH --unit SIZE [--block SIZE] [--offset N]\n" \
	"                           [--length N] [--acks FILE...] [--json]\n"

/* What was asked and what it resolved to. */
struct fa_tearscan {
	const char *path;
	const char *kind;		/* "regular file", "block device" */
	uint64_t size;			/* of the target */
	uint64_t offset, length;	/* the region scanned */
	uint64_t trailing;		/* bytes after the last whole unit */
	uint32_t unit, block;
	char block_origin[FA_ORIGIN_LEN + 16];
	struct fa_scan_counts counts;
	/* --acks */
	char **ack_files;
	unsigned int nr_ack_files;
	struct fa_ack_set acks;
	struct fa_ack_check check;
};

static const unsigned int fa_reasons[FA_TEAR_NR_REASONS] = {
	FA_TEAR_MIXED_GENERATION, FA_TEAR_PARTIAL, FA_TEAR_BAD_CHECKSUM,
	FA_TEAR_MISPLACED,
};

/* "7.14%", "0.299%": three significant digits, trailing zeros kept */
static void fa_percent(double rate, char *buf, size_t len)
{
	snprintf(buf, len, "%#.3g%%", rate * 100);
}

static void fa_verdict(const struct fa_tearscan *ts, char *buf, size_t len)
{
	const struct fa_scan_counts *c = &ts->counts;
	uint64_t n = c->intact + c->torn;
	char rate[32], bound[32];

	if (!n) {
		snprintf(buf, len,
			 "no stamped unit of %" PRIu32 " bytes in the region: nothing to judge",
			 ts->unit);
		return;
	}
	fa_percent(fa_tear_rate(c), rate, sizeof(rate));
	fa_percent(fa_tear_upper95(c->torn, n), bound, sizeof(bound));
	if (!c->torn)
		snprintf(buf, len,
			 "0 of %" PRIu64 " written units torn: tear rate < %s (95%% upper bound)",
			 n, bound);
	else
		snprintf(buf, len,
			 "%" PRIu64 " of %" PRIu64 " written units torn: tear rate %s (95%% upper bound %s)",
			 c->torn, n, rate, bound);
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

static void fa_print_text(const struct fa_tearscan *ts)
{
	const struct fa_scan_counts *c = &ts->counts;
	char line[1024];
	unsigned int i;

	printf("%s: %s, %" PRIu64 " bytes\n", ts->path, ts->kind, ts->size);
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

static int fa_print_json(const struct fa_tearscan *ts)
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
	json_object_object_add(root, "block_origin",
			       json_object_new_string(ts->block_origin));
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
	if (ts->ack_files)
		json_object_object_add(root, "acks", fa_json_acks(ts));

	printf("%s\n", json_object_to_json_string_ext(root,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}

void fa_cmd_tearscan_usage(FILE *fp)
{
	fprintf(fp,
		FA_TEARSCAN_SYNOPSIS
		"\n"
		"Read PATH (a regular file or a block device written with\n"
		"stamped units, e.g. by fio with tear_check=1) in units of SIZE\n"
		"bytes from --offset on, and count the units that are\n"
		"unwritten (no stamp), intact (every block stamped by the same\n"
		"write, in its place) and torn (blocks of several writes, some\n"
		"blocks unwritten, a block failing its CRC, or a block of\n"
		"another place); then the tear rate, torn / (intact + torn),\n"
		"with its exact 95%% upper confidence bound, and the first torn\n"
		"units. PATH is opened read-only and never written.\n"
		"\n"
		"options:\n"
		"  -u, --unit SIZE    bytes per unit, as the writer used (required)\n"
		"  -b, --block SIZE   bytes per stamped block (default: the\n"
		"                     logical block size of PATH)\n"
		"  -o, --offset N     first byte of the first unit (default 0)\n"
		"  -l, --length N     bytes to scan (default: to the end)\n"
		"  -a, --acks FILE... acknowledged-write logs (fio's tear_ack_log;\n"
		"                     every argument up to the next option)\n"
		"  -j, --json         print one JSON object instead of the report\n"
		"  -h, --help         this help\n"
		"sizes take k, m, g and t suffixes (powers of 1024)\n"
		"\n"
		"With --acks, every acknowledged write is judged against its\n"
		"unit: found (the unit holds it), newer (a later write of the\n"
		"same job), raced (an earlier write of the same job that was\n"
		"in flight with it), other_job, or lost: the unit is unwritten,\n"
		"torn, of another geometry, or holds an earlier write of the\n"
		"same job that had completed before this one was submitted.\n"
		"\n"
		"exit status: 0 no torn unit and no lost write, 1 error (also:\n"
		"units or acknowledged writes of another unit or block size,\n"
		"which were not judged, or a damaged log), 2 usage error, 5 torn\n"
		"units found (whether or not writes were lost), 6 acknowledged\n"
		"writes lost.\n");
}

#define fa_usage_error(...) \
	fa_tool_usage_error("tearscan", FA_TEARSCAN_SYNOPSIS, __VA_ARGS__)

static int fa_size_arg(const char *opt, const char *arg, uint64_t *out)
{
	int ret = fa_tool_parse_size(arg, out);

	if (ret == -ERANGE)
		return fa_usage_error("%s %s is too large", opt, arg);
	if (ret)
		return fa_usage_error("%s '%s' is not a size (e.g. 4096, 64k, 1m)",
				      opt, arg);
	return FA_EXIT_OK;
}

static int fa_unit_arg(struct fa_tearscan *ts, const char *arg, uint64_t v)
{
	if (!v || v > FA_STAMP_MAX_UNIT)
		return fa_usage_error("--unit %s is out of range (1..%u bytes)",
				      arg, FA_STAMP_MAX_UNIT);
	ts->unit = (uint32_t)v;
	return FA_EXIT_OK;
}

static int fa_block_arg(struct fa_tearscan *ts, const char *arg, uint64_t v)
{
	if (v < FA_STAMP_MIN_BLOCK || v > FA_STAMP_MAX_BLOCK || (v & (v - 1)))
		return fa_usage_error("--block %s is not a power of two from %u to %u",
				      arg, FA_STAMP_MIN_BLOCK,
				      FA_STAMP_MAX_BLOCK);
	ts->block = (uint32_t)v;
	snprintf(ts->block_origin, sizeof(ts->block_origin),
		 "given with --block");
	return FA_EXIT_OK;
}

/* Size of the target and what it is; -errno when it is neither kind. */
static int fa_target_size(int fd, struct fa_tearscan *ts)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISREG(st.st_mode)) {
		ts->kind = "regular file";
		ts->size = (uint64_t)st.st_size;
		return 0;
	}
	if (S_ISBLK(st.st_mode)) {
		ts->kind = "block device";
		if (ioctl(fd, BLKGETSIZE64, &ts->size))
			return -errno;
		return 0;
	}
	return -EINVAL;
}

/* The block size of the target, as the writers stamped with. */
static int fa_default_block(struct fa_tearscan *ts)
{
	static struct fa_limits lim;	/* 8 KiB of paths: off the stack */
	const struct fa_value *src;
	int ret;

	ret = fa_limits_discover(ts->path, &lim);
	if (ret)
		return ret;
	ts->block = fa_stamp_block_for(&lim, &src);
	if (src)
		snprintf(ts->block_origin, sizeof(ts->block_origin),
			 "from %s", src->origin);
	else
		snprintf(ts->block_origin, sizeof(ts->block_origin),
			 "the default: %s reports no logical block size",
			 ts->path);
	return 0;
}

/* The region against the geometry and the target's size. */
static int fa_check_region(struct fa_tearscan *ts, bool have_length)
{
	if (ts->unit % ts->block)
		return fa_usage_error("--unit %" PRIu32 " is not a multiple of the block size %" PRIu32 " (%s)",
				      ts->unit, ts->block, ts->block_origin);
	if (ts->offset % ts->block)
		return fa_usage_error("--offset %" PRIu64 " is not a multiple of the block size %" PRIu32 " (%s)",
				      ts->offset, ts->block, ts->block_origin);
	if (ts->offset > ts->size)
		return fa_usage_error("--offset %" PRIu64 " is beyond the end of %s (%" PRIu64 " bytes)",
				      ts->offset, ts->path, ts->size);
	if (!have_length)
		ts->length = ts->size - ts->offset;
	else if (ts->length > ts->size - ts->offset)
		return fa_usage_error("--offset %" PRIu64 " --length %" PRIu64 " goes beyond the end of %s (%" PRIu64 " bytes)",
				      ts->offset, ts->length, ts->path,
				      ts->size);
	ts->trailing = ts->length % ts->unit;
	return FA_EXIT_OK;
}

/* Every log, whole; a damaged one is an error naming the record. */
static int fa_load_acks(struct fa_tearscan *ts)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ts->nr_ack_files && !ret; i++) {
		const char *path = ts->ack_files[i];
		unsigned char *buf = NULL;
		size_t len = 0, bad;
		struct stat st;
		FILE *fp;

		fp = fopen(path, "rb");
		if (!fp || fstat(fileno(fp), &st)) {
			fa_tool_path_error("tearscan", path, -errno);
			if (fp)
				fclose(fp);
			return FA_EXIT_ERROR;
		}
		if (st.st_size > 0) {
			buf = malloc((size_t)st.st_size);
			if (!buf) {
				fclose(fp);
				fa_tool_error("tearscan", "%s: out of memory",
					      path);
				return FA_EXIT_ERROR;
			}
			len = fread(buf, 1, (size_t)st.st_size, fp);
		}
		if (ferror(fp)) {
			fa_tool_error("tearscan", "%s: read error", path);
			ret = FA_EXIT_ERROR;
		} else {
			ret = fa_ack_set_add_log(&ts->acks, buf, len, &bad);
			if (ret < 0) {
				fa_tool_error("tearscan", "%s: %s", path,
					      strerror(-ret));
				ret = FA_EXIT_ERROR;
			} else if (ret) {
				fa_tool_error("tearscan", "%s: record %zu (byte %zu): %s: not an intact acknowledged-write log (%u-byte records, fa_acklog.h)",
					      path, bad, bad * FA_ACK_LEN,
					      fa_ack_status_name(ret),
					      FA_ACK_LEN);
				ret = FA_EXIT_ERROR;
			}
		}
		free(buf);
		fclose(fp);
	}
	if (!ret && fa_ack_set_prepare(&ts->acks)) {
		fa_tool_error("tearscan", "out of memory");
		ret = FA_EXIT_ERROR;
	}
	return ret;
}

static void fa_check_unit(void *arg, uint64_t offset, enum fa_unit_state state,
			  uint64_t generation)
{
	struct fa_tearscan *ts = arg;

	fa_ack_check_unit(&ts->acks, &ts->check, offset, ts->unit, state,
			  generation);
}

static int fa_tearscan_run(struct fa_tearscan *ts, bool have_block,
			   bool have_length, bool json)
{
	const struct fa_scan_counts *c = &ts->counts;
	int fd, ret;

	fd = open(ts->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fa_tool_path_error("tearscan", ts->path, -errno);
		return FA_EXIT_ERROR;
	}
	ret = fa_target_size(fd, ts);
	if (ret == -EINVAL) {
		fa_tool_error("tearscan", "%s: neither a regular file nor a block device",
			      ts->path);
		ret = FA_EXIT_ERROR;
		goto out;
	}
	if (ret) {
		fa_tool_path_error("tearscan", ts->path, ret);
		ret = FA_EXIT_ERROR;
		goto out;
	}
	if (!have_block) {
		ret = fa_default_block(ts);
		if (ret) {
			fa_tool_path_error("tearscan", ts->path, ret);
			ret = FA_EXIT_ERROR;
			goto out;
		}
	}
	ret = fa_check_region(ts, have_length);
	if (ret)
		goto out;

	fa_scan_counts_init(&ts->counts);
	if (ts->ack_files) {
		ret = fa_load_acks(ts);
		if (ret)
			goto out;
		fa_ack_check_init(&ts->check, ts->offset,
				  ts->offset + ts->length - ts->trailing);
		ts->counts.unit_fn = fa_check_unit;
		ts->counts.unit_arg = ts;
	}
	ret = fa_scan_fd(fd, ts->offset, ts->length, ts->unit, ts->block,
			 &ts->counts);
	if (ts->ack_files)
		fa_ack_check_finish(&ts->acks, &ts->check);
	if (ret) {
		fa_tool_error("tearscan", "reading %s: %s", ts->path,
			      strerror(-ret));
		ret = FA_EXIT_ERROR;
		goto out;
	}
	if (json)
		ret = fa_print_json(ts);
	else
		fa_print_text(ts);
	if (ret || fflush(stdout) == EOF) {
		fa_tool_error("tearscan", "writing output: %s",
			      strerror(ret ? -ret : errno));
		ret = FA_EXIT_ERROR;
		goto out;
	}

	if (c->torn) {
		ret = FA_EXIT_TORN;
	} else if (ts->check.lost) {
		ret = FA_EXIT_LOST;
	} else if (c->mismatched) {
		fa_tool_error("tearscan", "%" PRIu64 " units not judged (stamps of another geometry, see above): scan again with the writer's --unit, --block and --offset",
			      c->mismatched);
		ret = FA_EXIT_ERROR;
	} else if (c->bytes_scanned != ts->length - ts->trailing) {
		fa_tool_error("tearscan", "%s ended after %" PRIu64 " of %" PRIu64 " bytes",
			      ts->path, c->bytes_scanned,
			      ts->length - ts->trailing);
		ret = FA_EXIT_ERROR;
	} else if (ts->check.off_grid) {
		fa_tool_error("tearscan", "%" PRIu64 " acknowledged writes not judged (offset or length off the --unit %" PRIu32 " grid): scan again with the writer's --unit and --offset",
			      ts->check.off_grid, ts->unit);
		ret = FA_EXIT_ERROR;
	} else {
		ret = FA_EXIT_OK;
	}
out:
	close(fd);
	fa_ack_set_free(&ts->acks);
	return ret;
}

/*
 * --acks FILE...: every argument after it up to the next option is a log;
 * they are taken out of argv here, before getopt_long() would see them
 * as more PATHs. Returns the new argc, or -1 after a usage error.
 */
static int fa_take_ack_files(struct fa_tearscan *ts, int argc, char **argv)
{
	int i, out = 1, n;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--acks") && strcmp(a, "-a") &&
		    strncmp(a, "--acks=", 7)) {
			argv[out++] = argv[i];
			continue;
		}
		if (!ts->ack_files) {
			ts->ack_files = calloc((size_t)argc, sizeof(char *));
			if (!ts->ack_files)
				return -1;
		}
		n = 0;
		if (!strncmp(a, "--acks=", 7) && a[7]) {
			ts->ack_files[ts->nr_ack_files++] = argv[i] + 7;
			n++;
		}
		while (i + 1 < argc && argv[i + 1][0] != '-') {
			ts->ack_files[ts->nr_ack_files++] = argv[++i];
			n++;
		}
		if (!n)
			return -1;
	}
	argv[out] = NULL;
	return out;
}

static int fa_tearscan_args(struct fa_tearscan *ts, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "block", required_argument, NULL, 'b' },
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_unit = false, have_block = false, have_length = false;
	bool json = false;
	uint64_t v;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":u:b:o:l:jh", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'u':
		case 'b':
			ret = fa_size_arg(opt == 'u' ? "--unit" : "--block",
					  optarg, &v);
			if (ret)
				return ret;
			if (opt == 'u')
				ret = fa_unit_arg(ts, optarg, v);
			else
				ret = fa_block_arg(ts, optarg, v);
			if (ret)
				return ret;
			if (opt == 'u')
				have_unit = true;
			else
				have_block = true;
			break;
		case 'o':
			ret = fa_size_arg("--offset", optarg, &ts->offset);
			if (ret)
				return ret;
			break;
		case 'l':
			ret = fa_size_arg("--length", optarg, &ts->length);
			if (ret)
				return ret;
			have_length = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fa_cmd_tearscan_usage(stdout);
			return FA_EXIT_OK;
		case ':':
			return fa_usage_error("option '%s' needs a value",
					      argv[optind - 1]);
		default:
			if (optopt)
				return fa_usage_error("unknown option '-%c'",
						      optopt);
			return fa_usage_error("unknown option '%s'",
					      argv[optind - 1]);
		}
	}
	if (optind != argc - 1) {
		if (optind >= argc)
			return fa_usage_error("missing PATH");
		return fa_usage_error("one PATH only, got '%s' too",
				      argv[optind + 1]);
	}
	if (!have_unit)
		return fa_usage_error("missing --unit SIZE (the bytes per write the stamps were made with)");
	ts->path = argv[optind];
	return fa_tearscan_run(ts, have_block, have_length, json);
}

int fa_cmd_tearscan(int argc, char **argv)
{
	static struct fa_tearscan ts;	/* the counts hold the examples */
	int ret;

	memset(&ts, 0, sizeof(ts));
	argc = fa_take_ack_files(&ts, argc, argv);
	if (argc < 0)
		ret = fa_usage_error("--acks needs at least one FILE");
	else
		ret = fa_tearscan_args(&ts, argc, argv);
	free(ts.ack_files);
	return ret;
}
