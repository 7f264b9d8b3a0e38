// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic probe power-fail: the command: its options, and the probe's
 * result as text or JSON (the probe itself: probe_powerfail.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "fa_json.h"
#include "fa_rate.h"
#include "fa_powerfail.h"
#include "fa_tool.h"
#include "fa_util.h"
#include "probe_powerfail_int.h"

#define CMD		"probe power-fail"

#define FA_PF_SYNOPSIS							\
	"usage: fio-atomic probe power-fail [DIR] [--fs xfs|ext4] [--image SIZE]\n" \
	"                                   [--runs N] [--size S[,S...]]\n" \
	"                                   [--engines E[,E...]] [--fio PATH] [--json]\n"

void fa_cmd_probe_power_fail_usage(FILE *fp)
{
	fprintf(fp,
		FA_PF_SYNOPSIS
		"\n"
		"Is an atomic write all old or all new after a crash, and is an\n"
		"acknowledged durable write still there? Makes its own XFS on a\n"
		"sparse loop image in a scratch directory in DIR (default\n"
		"$TMPDIR or /tmp), with DIR's block and sector size when DIR is\n"
		"on XFS; with --fs ext4 an ext4 with DIR's block and bigalloc\n"
		"cluster size (dumpe2fs -h, DIR on ext4), written at the sizes\n"
		"its files take (statx; ext4 has no software fallback: on a loop\n"
		"device without atomic writes it has none, and the probe cannot\n"
		"measure); then,\n"
		"--runs times: stamped O_DIRECT O_DSYNC writes\n"
		"(fio, tear_check=1, tear_ack_log) through each engine at each\n"
		"size, and plain 1 MiB writes (ext4: 256 KiB) as the positive\n"
		"control, all on\n"
		"files of one extent per block; after 1 to 3 s the filesystem is\n"
		"shut down without flushing its log (XFS_IOC_GOINGDOWN, as\n"
		"xfs_io -x -c shutdown; ext4: EXT4_IOC_SHUTDOWN, no log flush),\n"
		"unmounted, mounted (log recovery) and\n"
		"every file scanned with fio-atomic tearscan --acks. Needs root.\n"
		"Removes everything it made, on every exit.\n"
		"\n"
		"options:\n"
		"  --fs xfs|ext4    the scratch filesystem (default xfs)\n"
		"  --image SIZE     sparse image size (default 8g: XFS's atomic\n"
		"                   unit_max is 2 MiB on it; ext4 1g)\n"
		"  --runs N         crashes (default 6, about 55 s here)\n"
		"  --size S,...     atomic write sizes (default 64k,1m; ext4: the\n"
		"                   scratch's unit_min and unit_max; at most %d)\n"
		"  --engines E,...  atomic-pvsync2, atomic-uring (default both)\n"
		"  --fio PATH       fio (default $FIO, else the fio installed with the\n"
		"                   engines, else build/fio/fio)\n"
		"  --json           one JSON object instead of the report\n"
		"  -h, --help       this help\n"
		"\n"
		"exit status: 0 power_fail provided (no torn unit, no lost\n"
		"acknowledged write, the control tore), 8 not provided, 1 could\n"
		"not measure (or the control saw nothing), 2 usage error.\n",
		FA_PF_MAX_SIZES);
}

#define fa_pf_usage(...) fa_tool_usage_error(CMD, FA_PF_SYNOPSIS, __VA_ARGS__)

static int fa_pf_sizes_arg(struct fa_pf_opts *o, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int ret = FA_EXIT_OK;
	uint64_t v;

	if (!copy)
		return FA_EXIT_ERROR;
	o->nr_sizes = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->nr_sizes >= FA_PF_MAX_SIZES)
			ret = fa_pf_usage("--size %s: at most %d sizes", arg,
					  FA_PF_MAX_SIZES);
		else if (fa_tool_parse_size(tok, &v) || v < 512 ||
			 v > (16 << 20) || (v & (v - 1)))
			ret = fa_pf_usage("--size %s is not a power of two from 512 to 16m",
					  tok);
		else
			o->sizes[o->nr_sizes++] = v;
	}
	if (!ret && !o->nr_sizes)
		ret = fa_pf_usage("--size needs at least one size");
	free(copy);
	return ret;
}

static int fa_pf_engines_arg(struct fa_pf_opts *o, const char *arg)
{
	static const char *const known[] = { "atomic-pvsync2",
					     "atomic-uring" };
	char *copy = strdup(arg), *tok, *save = NULL;
	int ret = FA_EXIT_OK;
	size_t k;

	if (!copy)
		return FA_EXIT_ERROR;
	o->nr_engines = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < FA_ARRAY_SIZE(known); k++)
			if (!strcmp(tok, known[k]))
				break;
		if (k == FA_ARRAY_SIZE(known))
			ret = fa_pf_usage("--engines: '%s' is not atomic-pvsync2 or atomic-uring",
					  tok);
		else if (o->nr_engines >= FA_PF_MAX_ENGINES)
			ret = fa_pf_usage("--engines %s: at most %d", arg,
					  FA_PF_MAX_ENGINES);
		else
			o->engines[o->nr_engines++] = known[k];
	}
	if (!ret && !o->nr_engines)
		ret = fa_pf_usage("--engines needs at least one engine");
	free(copy);
	return ret;
}

static void fa_pf_print_text(const struct fa_pf_opts *o,
			     const struct fa_g_result *r,
			     const struct fa_pf_report *rep)
{
	char rate[160], sz[32];
	int i, j;

	printf("power_fail probe: %s on a %" PRIu64 "-byte loop image (%s%s%s), %u crash%s\n",
	       strcmp(rep->fstype, "ext4") ? "XFS" : "ext4", o->image_size,
	       rep->geometry, rep->atomic_limits[0] ? "; atomic writes " : "",
	       rep->atomic_limits, rep->crashes,
	       rep->crashes == 1 ? "" : "es");
	for (i = 0; i < r->nr_points; i++) {
		const struct fa_g_point *pt = &r->points[i];
		uint64_t torn = 0, lost = 0, acked = 0;

		for (j = 0; j < pt->nr_outcomes; j++) {
			if (!strcmp(pt->outcome_name[j], "torn"))
				torn = pt->outcome[j];
			else if (!strcmp(pt->outcome_name[j], "lost"))
				lost = pt->outcome[j];
			else if (!strcmp(pt->outcome_name[j], "acked"))
				acked = pt->outcome[j];
		}
		fa_pf_size_str(pt->size, sz, sizeof(sz));
		fa_rate_text(pt->failures, pt->trials, rate, sizeof(rate));
		printf("  %-15s %5s: %" PRIu64 " torn, %" PRIu64 " of %" PRIu64 " acknowledged writes lost; failures %s\n",
		       pt->engine, sz, torn, lost, acked, rate);
	}
	fa_rate_text(r->control_failures, r->control_trials, rate,
		     sizeof(rate));
	printf("  control (plain %s writes, atomic-uring): torn %s; %" PRIu64 " of %" PRIu64 " acknowledged writes lost\n",
	       strcmp(rep->fstype, "ext4") ? "1m" : "256k", rate,
	       rep->control.lost, rep->control.acked);
	printf("  not judged: %" PRIu64 " atomic writes acknowledged after the shutdown began (%" PRIu64 " of them not found)\n",
	       rep->during_acked, rep->during_lost);
	for (i = 0; i < r->nr_examples; i++)
		printf("  example: offset %" PRIu64 ": %s\n",
		       r->examples[i].offset, r->examples[i].what);
	printf("%s\n", r->reason);
}

static int fa_pf_print_json(const struct fa_pf_opts *o,
			    const struct fa_g_result *r,
			    const struct fa_pf_report *rep)
{
	struct json_object *root = json_object_new_object(), *fs, *st, *s;
	int ret = 0;

	if (!root)
		return -ENOMEM;
	ret |= fa_json_add(root, "format",
			   json_object_new_string("fio-atomic-probe"));
	ret |= fa_json_add(root, "version", json_object_new_int(1));
	ret |= fa_json_add(root, "probe", json_object_new_string("power-fail"));
	fs = json_object_new_object();
	if (fs) {
		ret |= fa_json_add(fs, "type",
				   json_object_new_string(rep->fstype));
		ret |= fa_json_add(fs, "image_size",
				   json_object_new_uint64(o->image_size));
		ret |= fa_json_add(fs, "block_size",
				   json_object_new_uint64(rep->block_size));
		ret |= fa_json_add(fs, "sector_size",
				   json_object_new_uint64(rep->sector_size));
		ret |= fa_json_add(fs, "cluster_size",
				   json_object_new_uint64(rep->cluster_size));
		ret |= fa_json_add(fs, "geometry",
				   json_object_new_string(rep->geometry));
	}
	ret |= fa_json_add(root, "filesystem", fs);
	ret |= fa_json_add(root, "runs", json_object_new_uint64(o->runs));
	ret |= fa_json_add(root, "crashes",
			   json_object_new_uint64(rep->crashes));
	ret |= fa_json_add(root, "durability",
			   json_object_new_string("O_DSYNC"));
	st = json_object_new_object();
	if (st) {
		const struct fa_pf_counts *c[] = { &rep->atomic,
						   &rep->control };
		const char *name[] = { "atomic", "control" };
		int i;

		for (i = 0; i < 2; i++) {
			s = json_object_new_object();
			if (s) {
				ret |= fa_json_add(s, "units", json_object_new_uint64(c[i]->units));
				ret |= fa_json_add(s, "torn", json_object_new_uint64(c[i]->torn));
				ret |= fa_json_add(s, "acked", json_object_new_uint64(c[i]->acked));
				ret |= fa_json_add(s, "lost", json_object_new_uint64(c[i]->lost));
			}
			ret |= fa_json_add(st, name[i], s);
		}
		ret |= fa_json_add(st, "acked_during_shutdown",
				   json_object_new_uint64(rep->during_acked));
		ret |= fa_json_add(st, "lost_during_shutdown",
				   json_object_new_uint64(rep->during_lost));
	}
	ret |= fa_json_add(root, "counts", st);
	ret |= fa_json_add(root, "result", fa_g_json(r));
	if (!ret)
		printf("%s\n", json_object_to_json_string_ext(root,
			       JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return ret ? -ENOMEM : 0;
}

int fa_cmd_probe_power_fail(int argc, char **argv)
{
	enum { OPT_IMAGE = 256, OPT_RUNS, OPT_SIZE, OPT_ENGINES, OPT_FIO,
	       OPT_JSON, OPT_FS };
	static const struct option opts[] = {
		{ "fs", required_argument, NULL, OPT_FS },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "engines", required_argument, NULL, OPT_ENGINES },
		{ "fio", required_argument, NULL, OPT_FIO },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fa_g_result r;
	static struct fa_pf_opts o;
	struct fa_pf_report rep;
	unsigned long runs;
	char err[512];
	bool json = false;
	struct stat st;
	int opt, ret, i;

	fa_pf_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_IMAGE:
			ret = fa_tool_parse_size(optarg, &o.image_size);
			if (ret || o.image_size < (512ull << 20))
				return fa_pf_usage("--image %s is not a size of at least 512m",
						   optarg);
			o.image_given = true;
			break;
		case OPT_RUNS:
			if (fa_tool_parse_count(optarg, 1, 1000, &runs))
				return fa_pf_usage("--runs %s is not a number from 1 to 1000",
						   optarg);
			o.runs = (unsigned int)runs;
			break;
		case OPT_SIZE:
			ret = fa_pf_sizes_arg(&o, optarg);
			if (ret)
				return ret;
			o.auto_sizes = false;
			break;
		case OPT_ENGINES:
			ret = fa_pf_engines_arg(&o, optarg);
			if (ret)
				return ret;
			break;
		case OPT_FIO:
			fa_strlcpy(o.fio, optarg, sizeof(o.fio));
			break;
		case OPT_FS:
			if (strcmp(optarg, "xfs") && strcmp(optarg, "ext4"))
				return fa_pf_usage("--fs %s is not xfs or ext4",
						   optarg);
			o.fs = !strcmp(optarg, "ext4") ? "ext4" : "xfs";
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fa_cmd_probe_power_fail_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error(CMD, FA_PF_SYNOPSIS, "", opt,
						    argv);
		}
	}
	if (argc - optind > 1)
		return fa_pf_usage("one DIR only, got '%s' too",
				   argv[optind + 1]);
	if (optind < argc) {
		o.dir = argv[optind];
		if (stat(o.dir, &st))
			return fa_pf_usage("DIR %s: %s", o.dir,
					   strerror(errno));
		if (!S_ISDIR(st.st_mode))
			return fa_pf_usage("DIR %s is not a directory", o.dir);
	}
	/* measured (LAB.md): unit_max 1 MiB on 1 GiB, 2 MiB on 8 GiB; the
	 * engines refuse anything larger before the first write */
	for (i = 0; i < o.nr_sizes && (!o.fs || strcmp(o.fs, "ext4")); i++)
		if (o.sizes[i] > (1 << 20) && o.image_size < (8ull << 30))
			return fa_pf_usage("--size %" PRIu64 " needs --image 8g or more (XFS's atomic unit_max grows with the log: 1m on 1g, 2m on 8g)",
					   o.sizes[i]);
	if (!json)
		o.progress = stdout;
	ret = fa_probe_power_fail(&o, &r, &rep, err, sizeof(err));
	if (ret) {
		if (rep.geometry[0])
			fa_tool_error(CMD, "could not measure: %s (the scratch %s: %s)",
				      err, rep.fstype, rep.geometry);
		else
			fa_tool_error(CMD, "could not measure: %s", err);
		return FA_EXIT_ERROR;
	}
	if (json ? fa_pf_print_json(&o, &r, &rep) :
		   (fa_pf_print_text(&o, &r, &rep), 0))
		return FA_EXIT_ERROR;
	if (r.status == FA_G_PROVIDED)
		return FA_EXIT_OK;
	if (r.status == FA_G_NOT_PROVIDED)
		return FA_EXIT_NOT_QUALIFIED;
	return FA_EXIT_ERROR;
}
