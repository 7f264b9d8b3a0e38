// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic tearscan PATH [--unit SIZE] [--block SIZE] [--offset N]
 * [--length N] [--acks FILE...] [--json]: read a file or block device that
 * was written with stamped units (fio's tear_check=1, fa_stamp.h) and
 * count the units that are unwritten, intact and torn, with the tear rate,
 * its 95% upper confidence bound, and the first torn units in detail.
 * With --acks, also judge every write of the acknowledged-write logs
 * (fio's tear_ack_log, fa_acklog.h) against what its unit holds.
 *
 * The unit and block size are the stamps' own (fa_geometry.h) unless
 * given; a given one the stamps contradict is refused as a usage error
 * (exit 2, nothing scanned), and stamps of two geometries in the region
 * are reported and exit 1 like other units that could not be judged.
 *
 * Opens PATH read-only; never writes. This file holds the command line
 * and the run; the report writers are in tearscan_output.c.
 *
 * Exit status: 0 no torn unit and no lost write, 1 error (including units
 * or acknowledged writes of another geometry, which could not be judged,
 * and stamps that disagree on the geometry), 2 usage error (including a
 * --unit or --block the stamps contradict), 5 torn units found (even if
 * writes were lost too: a torn unit is the stronger finding, and the
 * counts say both), 6 acknowledged writes lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_acklog.h"
#include "fa_limits.h"
#include "fa_scan.h"
#include "fa_stamp.h"
#include "fa_tool.h"
#include "tearscan.h"

#define FA_TEARSCAN_SYNOPSIS						\
	"usage: fio-atomic tearscan PATH [--unit SIZE] [--block SIZE] [--offset N]\n" \
	"                           [--length N] [--acks FILE...]\n" \
	"                           [--after crash|run] [--json]\n"

void fa_cmd_tearscan_usage(FILE *fp)
{
	fprintf(fp,
		FA_TEARSCAN_SYNOPSIS
		"\n"
		"Read PATH (a regular file or a block device written with\n"
		"stamped units, e.g. by fio with tear_check=1) in units from\n"
		"--offset on, and count the units that are unwritten (no\n"
		"stamp), intact (every block stamped by the same write, in its\n"
		"place) and torn (blocks of several writes, some blocks\n"
		"unwritten, a block failing its CRC, or a block of another\n"
		"place); then the tear rate, torn / (intact + torn), with its\n"
		"exact 95%% upper confidence bound, and the first torn units.\n"
		"PATH is opened read-only and never written.\n"
		"\n"
		"The unit and block size come from the stamps themselves: the\n"
		"first valid stamp in the region, checked against every stamp\n"
		"in the 4 MiB after it (stamps that disagree are reported, and\n"
		"exit 1). Without --offset and --length, units start on the\n"
		"stamps' grid. A region without a valid stamp is scanned with\n"
		"the logical block size of PATH, in units of one block unless\n"
		"--unit is given.\n"
		"\n"
		"options:\n"
		"  -u, --unit SIZE    bytes per unit; refused (exit 2) unless\n"
		"                     the stamps say the same\n"
		"  -b, --block SIZE   bytes per stamped block; likewise\n"
		"  -o, --offset N     first byte of the first unit (default: 0,\n"
		"                     or the stamps' grid)\n"
		"  -l, --length N     bytes to scan (default: to the end)\n"
		"  -a, --acks FILE... acknowledged-write logs (fio's tear_ack_log;\n"
		"                     every argument up to the next option)\n"
		"  -A, --after crash|run  what the units went through, so which\n"
		"                     guarantee a torn unit breaks: crash (a power\n"
		"                     cut or a filesystem shutdown, then recovery):\n"
		"                     power_fail; run (no crash): write_isolation,\n"
		"                     two overlapping writes mixed (default: crash\n"
		"                     with --acks, else run)\n"
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
		"which were not judged, stamps that disagree on the geometry,\n"
		"or a damaged log), 2 usage error (also: a --unit or --block\n"
		"the stamps contradict; nothing is scanned), 5 torn units found\n"
		"(whether or not writes were lost), 6 acknowledged writes lost.\n");
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

/* The region against the target's size; sets the length if not given. */
static int fa_check_extent(struct fa_tearscan *ts, bool have_length)
{
	if (ts->offset > ts->size)
		return fa_usage_error("--offset %" PRIu64 " is beyond the end of %s (%" PRIu64 " bytes)",
				      ts->offset, ts->path, ts->size);
	if (ts->offset % FA_STAMP_MIN_BLOCK)
		return fa_usage_error("--offset %" PRIu64 " is not a multiple of %u (no stamped block is smaller)",
				      ts->offset, FA_STAMP_MIN_BLOCK);
	if (!have_length)
		ts->length = ts->size - ts->offset;
	else if (ts->length > ts->size - ts->offset)
		return fa_usage_error("--offset %" PRIu64 " --length %" PRIu64 " goes beyond the end of %s (%" PRIu64 " bytes)",
				      ts->offset, ts->length, ts->path,
				      ts->size);
	return FA_EXIT_OK;
}

/* The region against the geometry. */
static int fa_check_grid(struct fa_tearscan *ts)
{
	if (ts->unit % ts->block)
		return fa_usage_error("--unit %" PRIu32 " is not a multiple of the block size %" PRIu32 " (%s)",
				      ts->unit, ts->block, ts->block_origin);
	if (ts->offset % ts->block)
		return fa_usage_error("--offset %" PRIu64 " is not a multiple of the block size %" PRIu32 " (%s)",
				      ts->offset, ts->block, ts->block_origin);
	ts->trailing = ts->length % ts->unit;
	return FA_EXIT_OK;
}

/* A given --unit or --block the stamps contradict: nothing is scanned. */
static int fa_geometry_refusal(const struct fa_tearscan *ts)
{
	const struct fa_stamp_sighting *f = &ts->probe.first;
	const struct fa_geometry *g = &ts->geometry;

	return fa_usage_error("%s %" PRIu32 " disagrees with the stamps, which say %" PRIu32 ": the stamp at byte %" PRIu64 " of %s belongs to a unit of %" PRIu32 " bytes at offset %" PRIu64 " with %" PRIu32 "-byte blocks; leave out --unit and --block to scan with the stamps' geometry",
			      g->disagree_unit ? "--unit" : "--block",
			      g->disagree_unit ? ts->unit : ts->block,
			      g->disagree_unit ? f->unit : f->block, f->at,
			      ts->path, f->unit, f->unit_offset, f->block);
}

static void fa_origin(char *buf, size_t len, enum fa_geometry_source src,
		      const char *option)
{
	if (src == FA_GEOMETRY_STAMPS)
		snprintf(buf, len, "from the stamps");
	else if (src == FA_GEOMETRY_OPTION)
		snprintf(buf, len, "given with %s", option);
}

/*
 * The unit and block size: read from the stamps in the region where not
 * given, checked against them where given; the target's block size and
 * one block per unit when the region holds no valid stamp.
 */
static int fa_resolve_geometry(struct fa_tearscan *ts, int fd,
			       bool have_offset, bool have_length)
{
	uint32_t fallback = 0;
	int ret;

	ret = fa_geometry_probe_init(&ts->probe, ts->offset, ts->length);
	if (!ret)
		ret = fa_geometry_probe_fd(fd, &ts->probe);
	if (ret) {
		fa_tool_error("tearscan", "reading %s for its stamps: %s",
			      ts->path, strerror(-ret));
		return FA_EXIT_ERROR;
	}
	if (!ts->probe.found && !ts->block) {
		ret = fa_default_block(ts);
		if (ret) {
			fa_tool_path_error("tearscan", ts->path, ret);
			return FA_EXIT_ERROR;
		}
		fallback = ts->block;
		ts->block = 0;
	}
	if (fa_geometry_resolve(&ts->probe, ts->unit, ts->block, fallback,
				&ts->geometry))
		return fa_geometry_refusal(ts);
	ts->unit = ts->geometry.unit;
	ts->block = ts->geometry.block;
	fa_origin(ts->unit_origin, sizeof(ts->unit_origin),
		  ts->geometry.unit_source, "--unit");
	if (ts->geometry.unit_source == FA_GEOMETRY_FALLBACK)
		snprintf(ts->unit_origin, sizeof(ts->unit_origin),
			 "one block per unit");
	/* the fallback's origin is fa_default_block()'s */
	fa_origin(ts->block_origin, sizeof(ts->block_origin),
		  ts->geometry.block_source, "--block");
	if (ts->probe.found && !have_offset && !have_length &&
	    ts->geometry.phase) {
		ts->offset = ts->geometry.phase;
		ts->length = ts->size - ts->offset;
		ts->offset_from_stamps = true;
	}
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

static int fa_tearscan_run(struct fa_tearscan *ts, bool have_offset,
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
	ret = fa_check_extent(ts, have_length);
	if (!ret)
		ret = fa_resolve_geometry(ts, fd, have_offset, have_length);
	if (!ret)
		ret = fa_check_grid(ts);
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
		ret = fa_tearscan_print_json(ts);
	else
		fa_tearscan_print_text(ts);
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
	} else if (ts->probe.conflict) {
		fa_tool_error("tearscan", "the stamps disagree on the geometry (see above): scan each part with its own --offset and --length");
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
		{ "after", required_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_offset = false, have_length = false;
	bool json = false;
	const char *after = NULL;
	uint64_t v;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":u:b:o:l:A:jh", opts,
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
			break;
		case 'o':
			ret = fa_size_arg("--offset", optarg, &ts->offset);
			if (ret)
				return ret;
			have_offset = true;
			break;
		case 'l':
			ret = fa_size_arg("--length", optarg, &ts->length);
			if (ret)
				return ret;
			have_length = true;
			break;
		case 'A':
			if (strcmp(optarg, "crash") && strcmp(optarg, "run"))
				return fa_usage_error("--after '%s': crash or run",
						      optarg);
			after = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fa_cmd_tearscan_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error("tearscan",
						    FA_TEARSCAN_SYNOPSIS, "", opt,
						    argv);
		}
	}
	if (optind != argc - 1) {
		if (optind >= argc)
			return fa_usage_error("missing PATH");
		return fa_usage_error("one PATH only, got '%s' too",
				      argv[optind + 1]);
	}
	ts->path = argv[optind];
	ts->after_crash = after ? !strcmp(after, "crash") : ts->nr_ack_files;
	return fa_tearscan_run(ts, have_offset, have_length, json);
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
