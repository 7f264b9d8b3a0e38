// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic probe write-isolation TARGET [--size S[,S...]] [--pairs N]
 * [--mode pwritev2|io_uring|both] [--units K] [--control-size S]
 * [--control-pairs N] [--no-control] [--destroy-data] [--json]
 *
 * Measures one guarantee, write_isolation (fa_guarantee.h): two writes of
 * the same unit submitted at the same instant must leave one of them
 * whole. Each pair's unit is read back once both writes completed and
 * judged by its stamps (lib/fa_wiso.c); a positive control (plain writes,
 * no RWF_ATOMIC) must show mixed units, else the probe proved nothing.
 *
 * TARGET:
 *   a directory        a scratch file inside it, removed on every exit
 *   a path that does   created as a scratch file, removed on every exit
 *   not exist
 *   a regular file     overwritten from offset 0 only with --destroy-data
 *   a block device     refused while in use (mounted, held, partitioned,
 *                      a filesystem signature) unless --destroy-data
 *
 * Every size is checked against the target's atomic write limits before
 * the first write.
 *
 * Exit status: 0 write_isolation provided at every size, 8 not provided
 * (a mixed or torn unit at some size), 2 usage error (including a size
 * the target cannot write atomically; nothing written), 3 the target has
 * no atomic writes, 9 refused: a target in use or an existing file
 * without --destroy-data (nothing written), 1 could not measure (cannot
 * open or create, an I/O error, a positive control that saw no mix).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_guarantee.h"
#include "fa_rate.h"
#include "fa_guard.h"
#include "fa_json.h"
#include "fa_limits.h"
#include "fa_stamp.h"
#include "fa_tool.h"
#include "fa_util.h"
#include "fa_wiso.h"
#include "probe_wiso.h"

#define FA_PROBE_CMD "probe"
#define FA_PROBE_SYNOPSIS						\
	"usage: fio-atomic probe write-isolation TARGET [--size S[,S...]] [--pairs N]\n" \
	"           [--mode pwritev2|io_uring|both] [--units K] [--control-size S]\n" \
	"           [--control-pairs N] [--no-control] [--destroy-data] [--json]\n"

void fa_cmd_probe_write_isolation_usage(FILE *fp)
{
	fprintf(fp,
		FA_PROBE_SYNOPSIS
		"\n"
		"Probe one guarantee of atomic writes on TARGET:\n"
		"\n"
		"  write-isolation  two RWF_ATOMIC writes of the same unit submitted\n"
		"                   at the same instant must leave one of them whole.\n"
		"                   Each pair's unit is read back (O_DIRECT) once both\n"
		"                   completed and judged by its stamps: all of the\n"
		"                   first write, all of the second, mixed, or other\n"
		"                   (torn, unwritten, stale). The kernel promises\n"
		"                   nothing here; XFS's software fallback mixes.\n"
		"\n"
		"TARGET is a directory (a scratch file is made inside it), a path\n"
		"that does not exist (made, and removed at exit), an existing file\n"
		"or a block device (both written only with --destroy-data; a device\n"
		"in use is refused). Sizes are checked against the target's atomic\n"
		"limits before the first write.\n"
		"\n"
		"options:\n"
		"  --size S[,S...]    bytes per write (default: 64k, 1m and unit_max\n"
		"                     above 1m, those the target takes)\n"
		"  --pairs N          pairs per size and mode (default by size:\n"
		"                     %" PRIu64 " at 64k, %" PRIu64 " at 1m, %" PRIu64 " at 2m)\n"
		"  --mode M           pwritev2 (two threads behind a barrier),\n"
		"                     io_uring (two SQEs in one submit) or both\n"
		"                     (default)\n"
		"  --units K          units in the region; each pair picks one at\n"
		"                     random (default %d)\n"
		"  --control-size S   the positive control: two plain writes of one\n"
		"                     unit in 4k pieces, one backwards (default 1m)\n"
		"  --control-pairs N  its pairs (default %d)\n"
		"  --no-control       skip it (a verdict of provided then rests on\n"
		"                     trust that the detector sees mixes)\n"
		"  --destroy-data     write to an existing file or to a block device\n"
		"                     even when it is in use\n"
		"  --json             the result as JSON (format fio-atomic-probe)\n"
		"\n"
		"exit status: 0 provided, 8 not provided, 2 usage error (a size\n"
		"the target cannot write atomically too; nothing written), 3 no\n"
		"atomic writes on the target, 9 refused (target in use, or an\n"
		"existing file without --destroy-data; nothing written), 1 could\n"
		"not measure (cannot open, I/O error, the control saw no mix).\n",
		fa_wiso_default_pairs(64 << 10), fa_wiso_default_pairs(1 << 20),
		fa_wiso_default_pairs(2 << 20), FA_WISO_DEFAULT_UNITS,
		FA_WISO_DEFAULT_CONTROL_PAIRS);
}

static int fa_probe_usage_error(const char *fmt, const char *arg)
{
	return fa_tool_usage_error(FA_PROBE_CMD, FA_PROBE_SYNOPSIS, fmt, arg);
}

/* The scratch file, removed on every way out (signals included). */
static char fa_probe_scratch[PATH_MAX];

static void fa_probe_unlink_scratch(void)
{
	if (fa_probe_scratch[0]) {
		unlink(fa_probe_scratch);
		fa_probe_scratch[0] = '\0';
	}
}

static void fa_probe_signal(int sig)
{
	if (fa_probe_scratch[0])
		unlink(fa_probe_scratch);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fa_probe_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(sigs); i++)
		signal(sigs[i], fa_probe_signal);
}

struct fa_probe {
	const char *target;
	struct fa_wiso_config cfg;
	bool sizes_given;
	bool destroy;
	bool json;
	const char *path;		/* what is written: target or scratch */
	struct fa_limits lim;
};

static int fa_probe_sizes(struct fa_probe *p, char *list)
{
	char *tok, *save = NULL;
	uint64_t v;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (fa_tool_parse_size(tok, &v) || !v)
			return fa_probe_usage_error("--size: '%s' is not a size",
						    tok);
		if (p->cfg.nr_sizes >= FA_WISO_MAX_SIZES)
			return fa_probe_usage_error("--size: more than 8 sizes at '%s'",
						    tok);
		p->cfg.sizes[p->cfg.nr_sizes++] = v;
	}
	if (!p->cfg.nr_sizes)
		return fa_probe_usage_error("--size: no size in '%s'", list);
	p->sizes_given = true;
	return 0;
}

/*
 * Open what the probe writes. Returns the fd, or -(exit status) after
 * saying why.
 */
static int fa_probe_open(struct fa_probe *p)
{
	char why[512];
	struct stat st;
	int fd, ret;

	ret = stat(p->target, &st);
	if (ret && errno != ENOENT) {
		fa_tool_path_error(FA_PROBE_CMD, p->target, -errno);
		return -FA_EXIT_ERROR;
	}
	if (ret) {
		/* a new file: ours, removed at exit */
		fd = open(p->target, O_RDWR | O_CREAT | O_EXCL | O_DIRECT,
			  0600);
		if (fd < 0) {
			fa_tool_error(FA_PROBE_CMD, "cannot create %s: %s",
				      p->target, strerror(errno));
			return -FA_EXIT_ERROR;
		}
		fa_strlcpy(fa_probe_scratch, p->target,
			   sizeof(fa_probe_scratch));
		p->path = fa_probe_scratch;
		return fd;
	}
	if (S_ISDIR(st.st_mode)) {
		if ((size_t)snprintf(fa_probe_scratch, sizeof(fa_probe_scratch),
				     "%s/.fio-atomic-probe.XXXXXX", p->target) >=
		    sizeof(fa_probe_scratch)) {
			fa_probe_scratch[0] = '\0';
			return -fa_probe_usage_error("TARGET: '%s' is too long",
						     p->target);
		}
		fd = mkstemp(fa_probe_scratch);
		if (fd < 0) {
			fa_tool_error(FA_PROBE_CMD,
				      "cannot make a scratch file in %s: %s",
				      p->target, strerror(errno));
			fa_probe_scratch[0] = '\0';
			return -FA_EXIT_ERROR;
		}
		close(fd);
		p->path = fa_probe_scratch;
	} else if (S_ISREG(st.st_mode)) {
		if (!p->destroy) {
			fa_tool_error(FA_PROBE_CMD,
				      "refusing to overwrite the existing file %s (name a directory or a new path, or give --destroy-data)",
				      p->target);
			return -FA_EXIT_REFUSED;
		}
		p->path = p->target;
	} else if (S_ISBLK(st.st_mode)) {
		if (!p->destroy) {
			ret = fa_guard_device(p->target, why, sizeof(why));
			if (ret == -EBUSY) {
				fa_tool_error(FA_PROBE_CMD,
					      "refusing to write: %s (give --destroy-data to write anyway)",
					      why);
				return -FA_EXIT_REFUSED;
			}
			if (ret) {
				fa_tool_path_error(FA_PROBE_CMD, p->target,
						   ret);
				return -FA_EXIT_ERROR;
			}
		}
		p->path = p->target;
	} else {
		return -fa_probe_usage_error(
			"TARGET: '%s' is not a directory, regular file or block device",
			p->target);
	}
	fd = open(p->path, O_RDWR | O_DIRECT);
	if (fd < 0) {
		fa_tool_path_error(FA_PROBE_CMD, p->path, -errno);
		return -FA_EXIT_ERROR;
	}
	return fd;
}

/* 64k, 1m and unit_max above 1m: those the target takes. */
static void fa_probe_default_sizes(struct fa_probe *p)
{
	uint64_t want[] = { 64 << 10, 1 << 20, p->lim.unit_max.value };
	char msg[512];
	size_t i;
	int j;

	for (i = 0; i < FA_ARRAY_SIZE(want); i++) {
		if (i == 2 && want[i] <= (1 << 20))
			continue;
		for (j = 0; j < p->cfg.nr_sizes; j++)
			if (p->cfg.sizes[j] == want[i])
				break;
		if (j < p->cfg.nr_sizes ||
		    fa_wiso_check_size(&p->lim, want[i], msg, sizeof(msg)))
			continue;
		p->cfg.sizes[p->cfg.nr_sizes++] = want[i];
	}
	if (!p->cfg.nr_sizes && p->lim.unit_max.value)
		p->cfg.sizes[p->cfg.nr_sizes++] = p->lim.unit_max.value;
}

/* Exit status for a size or control the target refuses, or 0. */
static int fa_probe_check(struct fa_probe *p)
{
	uint64_t csize = p->cfg.control_size, need, have;
	uint32_t block = fa_stamp_block_for(&p->lim, NULL);
	char msg[1024];
	int i, ret;

	if (!fa_limits_supported(&p->lim)) {
		fa_limits_unsupported_reason(&p->lim, msg, sizeof(msg));
		fa_tool_error(FA_PROBE_CMD, "%s: %s", p->path, msg);
		return FA_EXIT_UNSUPPORTED;
	}
	if (!p->sizes_given)
		fa_probe_default_sizes(p);
	for (i = 0; i < p->cfg.nr_sizes; i++) {
		ret = fa_wiso_check_size(&p->lim, p->cfg.sizes[i], msg,
					 sizeof(msg));
		if (ret) {
			fa_tool_error(FA_PROBE_CMD, "%s", msg);
			return ret == -EOPNOTSUPP ? FA_EXIT_UNSUPPORTED :
			       FA_EXIT_USAGE;
		}
	}
	if (p->cfg.control && (csize > UINT32_MAX ||
			       fa_stamp_valid_geometry((uint32_t)csize, block))) {
		fa_tool_error(FA_PROBE_CMD,
			      "--control-size=%" PRIu64 " is not a multiple of the target's block of %" PRIu32 " bytes up to %u",
			      csize, block, FA_STAMP_MAX_UNIT);
		return FA_EXIT_USAGE;
	}
	if (p->lim.kind == FA_KIND_BLOCK) {
		int fd = open(p->path, O_RDONLY);

		need = fa_wiso_region_len(&p->cfg);
		have = 0;
		if (fd >= 0) {
			if (ioctl(fd, BLKGETSIZE64, &have))
				have = 0;
			close(fd);
		}
		if (have < need) {
			fa_tool_error(FA_PROBE_CMD,
				      "%s has %" PRIu64 " bytes; the probe's region needs %" PRIu64 " (--units times the largest size)",
				      p->path, have, need);
			return FA_EXIT_USAGE;
		}
	}
	return 0;
}

static bool fa_probe_size_failed(const struct fa_g_result *r, uint64_t size)
{
	int i;

	for (i = 0; i < r->nr_points; i++)
		if (r->points[i].size == size && r->points[i].failures)
			return true;
	return false;
}

/* "1048576, 2097152" for the sizes that failed (@failed) or did not */
static void fa_probe_size_list(const struct fa_g_result *r, bool failed,
			       char *buf, size_t len)
{
	size_t used = 0;
	int i, j;

	buf[0] = '\0';
	for (i = 0; i < r->nr_points && used < len; i++) {
		if (fa_probe_size_failed(r, r->points[i].size) != failed)
			continue;
		for (j = 0; j < i && r->points[j].size != r->points[i].size; j++)
			;
		if (j < i)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%" PRIu64,
					 used ? ", " : "", r->points[i].size);
	}
}

static void fa_probe_print_text(const struct fa_probe *p,
				const struct fa_g_result *r, double secs)
{
	char rate[128], bad[256], good[256];
	const struct fa_g_point *pt;
	int i;

	printf("write_isolation probe of %s%s%s: %s\n", p->target,
	       p->path != p->target ? ", scratch file " : "",
	       p->path != p->target ? p->path : "", r->how);
	printf("  block %" PRIu32 " bytes, %u units per size, %.1f s\n",
	       fa_stamp_block_for(&p->lim, NULL),
	       p->cfg.units ? p->cfg.units : FA_WISO_DEFAULT_UNITS, secs);
	for (i = 0; i < r->nr_points; i++) {
		pt = &r->points[i];
		fa_rate_text(pt->failures, pt->trials, rate, sizeof(rate));
		printf("  %-15s %8" PRIu64 " bytes: mixed or torn %s; first %" PRIu64 ", second %" PRIu64 ", mixed %" PRIu64 ", other %" PRIu64 "\n",
		       pt->engine, pt->size, rate, pt->outcome[FA_WISO_FIRST],
		       pt->outcome[FA_WISO_SECOND], pt->outcome[FA_WISO_MIXED],
		       pt->outcome[FA_WISO_OTHER]);
	}
	if (r->has_control) {
		fa_rate_text(r->control_failures, r->control_trials, rate,
			     sizeof(rate));
		printf("  %-15s %8" PRIu64 " bytes: mixed or torn %s: positive control %s\n",
		       "control plain",
		       p->cfg.control_size, rate,
		       r->control_passed ? "passed (the probe sees mixes)" :
		       "FAILED (no mix seen: the probe proves nothing)");
	}
	for (i = 0; i < r->nr_examples; i++)
		printf("  example: unit at %" PRIu64 " (%" PRIu64 " bytes): %s\n",
		       r->examples[i].offset, r->examples[i].size,
		       r->examples[i].what);
	fa_probe_size_list(r, true, bad, sizeof(bad));
	fa_probe_size_list(r, false, good, sizeof(good));
	switch (r->status) {
	case FA_G_NOT_PROVIDED:
		printf("write_isolation: NOT PROVIDED at %s bytes (two overlapping atomic writes left a unit mixed)%s%s%s\n",
		       bad, good[0] ? "; none mixed at " : "", good,
		       good[0] ? " bytes" : "");
		break;
	case FA_G_PROVIDED:
		printf("write_isolation: provided at %s bytes (no unit mixed; the kernel does not promise it)\n",
		       good);
		break;
	default:
		printf("write_isolation: not tested: %s\n", r->reason);
		break;
	}
}

static int fa_probe_print_json(const struct fa_probe *p,
			       const struct fa_g_result *r, double secs)
{
	struct json_object *root = json_object_new_object(), *arr, *g;
	int ret = 0;

	if (!root)
		return -ENOMEM;
	ret |= fa_json_add(root, "format", json_object_new_string("fio-atomic-probe"));
	ret |= fa_json_add(root, "version", json_object_new_int(1));
	ret |= fa_json_add(root, "target", json_object_new_string(p->target));
	ret |= fa_json_add_str(root, "scratch_file",
			       p->path != p->target ? p->path : NULL);
	ret |= fa_json_add(root, "block_size", json_object_new_uint64(
				   fa_stamp_block_for(&p->lim, NULL)));
	ret |= fa_json_add(root, "units", json_object_new_uint64(
				   p->cfg.units ? p->cfg.units :
				   FA_WISO_DEFAULT_UNITS));
	ret |= fa_json_add(root, "seconds", json_object_new_double(secs));
	arr = json_object_new_array();
	g = fa_g_json(r);
	if (!g)
		ret = -ENOMEM;
	else
		ret |= fa_json_append(arr, g);
	ret |= fa_json_add(root, "guarantees", arr);
	if (!ret)
		printf("%s\n", json_object_to_json_string_ext(root,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return ret ? -ENOMEM : 0;
}

static double fa_probe_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fa_probe_run(struct fa_probe *p)
{
	static struct fa_g_result r;
	double start;
	int fd, ret, status;

	fa_probe_catch_signals();
	fd = fa_probe_open(p);
	if (fd < 0) {
		fa_probe_unlink_scratch();
		return -fd;
	}
	ret = fa_limits_discover(p->path, &p->lim);
	if (ret) {
		fa_tool_path_error(FA_PROBE_CMD, p->path, ret);
		status = FA_EXIT_ERROR;
		goto out;
	}
	if (!p->cfg.control_size)
		p->cfg.control_size = 1 << 20;
	status = fa_probe_check(p);
	if (status)
		goto out;
	/* a unit written into a hole mixed more often (fa_wiso.h) */
	p->cfg.punch = p->lim.kind == FA_KIND_REGULAR;
	start = fa_probe_now();
	ret = fa_wiso_probe(fd, &p->lim, &p->cfg, &r);
	if (ret) {
		fa_tool_error(FA_PROBE_CMD, "%s: %s", p->path,
			      r.reason[0] ? r.reason : strerror(-ret));
		status = FA_EXIT_ERROR;
		goto out;
	}
	if (p->json)
		ret = fa_probe_print_json(p, &r, fa_probe_now() - start);
	else
		fa_probe_print_text(p, &r, fa_probe_now() - start);
	if (ret) {
		fa_tool_error(FA_PROBE_CMD, "out of memory");
		status = FA_EXIT_ERROR;
	} else if (r.status == FA_G_PROVIDED) {
		status = FA_EXIT_OK;
	} else if (r.status == FA_G_NOT_PROVIDED) {
		status = FA_EXIT_NOT_QUALIFIED;
	} else {
		status = FA_EXIT_ERROR;
	}
out:
	close(fd);
	fa_limits_release(&p->lim);
	fa_probe_unlink_scratch();
	return status;
}

int fa_cmd_probe_write_isolation(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "pairs", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "units", required_argument, NULL, 'u' },
		{ "control-size", required_argument, NULL, 'C' },
		{ "control-pairs", required_argument, NULL, 'N' },
		{ "no-control", no_argument, NULL, 'X' },
		{ "destroy-data", no_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fa_probe p;	/* the limits are large */
	unsigned long n;
	int opt, ret;

	memset(&p, 0, sizeof(p));
	p.cfg.pwritev2 = p.cfg.io_uring = true;
	p.cfg.control = true;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:n:m:u:jh", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			ret = fa_probe_sizes(&p, optarg);
			if (ret)
				return ret;
			break;
		case 'n':
		case 'N':
			if (fa_tool_parse_count(optarg, 1, 100000000, &n))
				return fa_probe_usage_error(
					"pairs: '%s' is not a count from 1 to 100000000",
					optarg);
			if (opt == 'n')
				p.cfg.pairs = n;
			else
				p.cfg.control_pairs = n;
			break;
		case 'm':
			p.cfg.pwritev2 = !strcmp(optarg, "pwritev2") ||
					 !strcmp(optarg, "both");
			p.cfg.io_uring = !strcmp(optarg, "io_uring") ||
					 !strcmp(optarg, "both");
			if (!p.cfg.pwritev2 && !p.cfg.io_uring)
				return fa_probe_usage_error(
					"--mode: '%s' is not pwritev2, io_uring or both",
					optarg);
			break;
		case 'u':
			if (fa_tool_parse_count(optarg, 1, 4096, &n))
				return fa_probe_usage_error(
					"--units: '%s' is not a count from 1 to 4096",
					optarg);
			p.cfg.units = (unsigned int)n;
			break;
		case 'C':
			if (fa_tool_parse_size(optarg, &p.cfg.control_size) ||
			    !p.cfg.control_size)
				return fa_probe_usage_error(
					"--control-size: '%s' is not a size",
					optarg);
			break;
		case 'X':
			p.cfg.control = false;
			break;
		case 'D':
			p.destroy = true;
			break;
		case 'j':
			p.json = true;
			break;
		case 'h':
			fa_cmd_probe_write_isolation_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error(FA_PROBE_CMD, FA_PROBE_SYNOPSIS,
						    "", opt, argv);
		}
	}
	if (optind >= argc)
		return fa_probe_usage_error("missing TARGET%s", "");
	if (optind != argc - 1)
		return fa_probe_usage_error("one TARGET only, got '%s' too",
					    argv[optind + 1]);
	p.target = argv[optind];
	p.path = p.target;
	return fa_probe_run(&p);
}
