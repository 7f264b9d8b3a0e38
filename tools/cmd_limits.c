// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic limits PATH [--json]: every atomic write limit of a file or
 * block device, from every source, side by side, with where each value was
 * read; then the disagreements between sources and a verdict.
 * With --env: shell assignments for the job files in jobs/ (limits_env.c),
 * printed only when the status is 0.
 *
 * Exit status: 0 supported and consistent, 1 PATH could not be examined,
 * 2 usage error, 3 not supported, 4 sources disagree. A disagreement wins
 * over "not supported": it means the verdict itself is in doubt (e.g. an
 * NVMe multipath head reporting 0 while its path reports 64 KiB).
 * A character device is handed to tools/limits_passthrough.c (sg and ng
 * nodes; any other kind is exit 1), which keeps these statuses.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "fa_device.h"
#include "fa_limits.h"
#include "fa_tool.h"
#include "fa_util.h"
#include "limits_env.h"
#include "limits_passthrough.h"

#define FA_NO_FIELD	((size_t)-1)
#define FA_FIELD(f)	offsetof(struct fa_limits, f)


enum fa_column {
	FA_COL_STATX,
	FA_COL_SYSFS,
	FA_COL_DEVICE,
	FA_COL_ENFORCED,
	FA_COL_NR,
};

static const char *const fa_column_names[FA_COL_NR] = {
	[FA_COL_STATX]		= "statx",
	[FA_COL_SYSFS]		= "sysfs",
	[FA_COL_DEVICE]		= "device",
	[FA_COL_ENFORCED]	= "enforced",
};

/* One row of the table: where each source keeps this limit, if it has it. */
struct fa_limit_row {
	const char *name;
	size_t field[FA_COL_NR];
};

static const struct fa_limit_row fa_rows[] = {
	{ "unit_min", { FA_FIELD(stx_unit_min), FA_FIELD(sys_unit_min),
			FA_FIELD(expect_unit_min), FA_FIELD(unit_min) } },
	{ "unit_max", { FA_FIELD(stx_unit_max), FA_FIELD(sys_unit_max),
			FA_FIELD(expect_unit_max), FA_FIELD(unit_max) } },
	{ "unit_max_opt", { FA_FIELD(stx_unit_max_opt), FA_NO_FIELD,
			    FA_NO_FIELD, FA_NO_FIELD } },
	{ "segments_max", { FA_FIELD(stx_segments_max), FA_NO_FIELD,
			    FA_NO_FIELD, FA_FIELD(segments_max) } },
	{ "dio_mem_align", { FA_FIELD(stx_dio_mem_align), FA_NO_FIELD,
			     FA_NO_FIELD, FA_NO_FIELD } },
	{ "dio_offset_align", { FA_FIELD(stx_dio_offset_align), FA_NO_FIELD,
				FA_NO_FIELD, FA_NO_FIELD } },
	{ "max_bytes", { FA_NO_FIELD, FA_FIELD(sys_max_bytes),
			 FA_FIELD(expect_max_bytes), FA_NO_FIELD } },
	{ "boundary", { FA_NO_FIELD, FA_FIELD(sys_boundary),
			FA_FIELD(expect_boundary), FA_NO_FIELD } },
	{ "logical_block", { FA_NO_FIELD, FA_FIELD(sys_logical_block),
			     FA_FIELD(dev_logical_block), FA_NO_FIELD } },
	{ "physical_block", { FA_NO_FIELD, FA_FIELD(sys_physical_block),
			      FA_NO_FIELD, FA_NO_FIELD } },
	{ "max_hw_sectors", { FA_NO_FIELD, FA_FIELD(sys_max_hw_sectors),
			      FA_NO_FIELD, FA_NO_FIELD } },
};

#define FA_NR_ROWS	FA_ARRAY_SIZE(fa_rows)

/* The value of @row in @col, or NULL when that source has no such limit. */
static const struct fa_value *fa_cell(const struct fa_limits *lim,
				      const struct fa_limit_row *row,
				      enum fa_column col)
{
	const struct fa_value *v;

	if (row->field[col] == FA_NO_FIELD)
		return NULL;
	v = (const struct fa_value *)((const char *)lim + row->field[col]);
	return v->known ? v : NULL;
}

static const char *fa_kind_name(enum fa_path_kind kind)
{
	switch (kind) {
	case FA_KIND_REGULAR:
		return "regular";
	case FA_KIND_BLOCK:
		return "block";
	case FA_KIND_OTHER:
	default:
		return "other";
	}
}

/*
 * Origins are long (sysfs paths), so the table shows a footnote number
 * and the origins are listed once below it.
 */
struct fa_origins {
	const char *text[FA_NR_ROWS * FA_COL_NR];
	int nr;
};

static int fa_origin_index(struct fa_origins *o, const char *origin)
{
	int i;

	for (i = 0; i < o->nr; i++)
		if (!strcmp(o->text[i], origin))
			return i + 1;
	o->text[o->nr++] = origin;
	return o->nr;
}

/* Distinct origins of the enforced limits, as "A", "A and B", "A, B and C". */
static void fa_enforced_origins(const struct fa_limits *lim, char *buf,
				size_t len)
{
	const struct fa_value *vals[] = {
		&lim->unit_min, &lim->unit_max, &lim->segments_max,
	};
	const char *seen[FA_ARRAY_SIZE(vals)];
	size_t i, j, nr = 0, used = 0;

	for (i = 0; i < FA_ARRAY_SIZE(vals); i++) {
		if (!vals[i]->known)
			continue;
		for (j = 0; j < nr; j++)
			if (!strcmp(seen[j], vals[i]->origin))
				break;
		if (j == nr)
			seen[nr++] = vals[i]->origin;
	}
	buf[0] = '\0';
	for (i = 0; i < nr && used < len; i++) {
		const char *sep = !i ? "" : i == nr - 1 ? " and " : ", ";

		used += snprintf(buf + used, len - used, "%s%s", sep, seen[i]);
	}
}

/* The one-line verdict, shared by the table, the JSON and qualify. */
void fa_limits_verdict_line(const struct fa_limits *lim, char *buf, size_t len)
{
	char origins[FA_ORIGIN_LEN * 3 + 16], segs[48], reason[1024];

	if (!fa_limits_supported(lim)) {
		fa_limits_unsupported_reason(lim, reason, sizeof(reason));
		snprintf(buf, len, "atomic writes: NOT supported: %s", reason);
		return;
	}
	if (lim->segments_max.known)
		snprintf(segs, sizeof(segs), "%" PRIu64 " segment%s",
			 lim->segments_max.value,
			 lim->segments_max.value == 1 ? "" : "s");
	else
		snprintf(segs, sizeof(segs), "segments_max unknown");
	fa_enforced_origins(lim, origins, sizeof(origins));
	snprintf(buf, len,
		 "atomic writes: supported, %" PRIu64 "..%" PRIu64 " bytes, %s (enforced limits from %s)",
		 lim->unit_min.value, lim->unit_max.value, segs, origins);
}

static void fa_print_disagreement(const struct fa_disagreement *d)
{
	if (d->a == d->b)
		printf("DISAGREE %s: %s says %" PRIu64 ": %s\n", d->what,
		       d->a->origin, d->a->value, d->explanation);
	else
		printf("DISAGREE %s: %s says %" PRIu64 ", %s says %" PRIu64 ": %s\n",
		       d->what, d->a->origin, d->a->value, d->b->origin,
		       d->b->value, d->explanation);
}

/* What a path of FA_KIND_OTHER is, so the user sees why it was refused. */
static const char *fa_file_type(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return "unknown file type";
	if (S_ISDIR(st.st_mode))
		return "a directory";
	if (S_ISCHR(st.st_mode))
		return "a character device";
	if (S_ISFIFO(st.st_mode))
		return "a FIFO";
	if (S_ISSOCK(st.st_mode))
		return "a socket";
	return "unknown file type";
}

static void fa_print_header(const struct fa_limits *lim)
{
	switch (lim->kind) {
	case FA_KIND_REGULAR:
		printf("%s: regular file on device %u:%u\n", lim->path,
		       lim->dev_major, lim->dev_minor);
		break;
	case FA_KIND_BLOCK:
		printf("%s: block device %u:%u, %s %s, queue %s\n", lim->path,
		       lim->dev_major, lim->dev_minor,
		       lim->partition ? "partition of disk" : "disk",
		       lim->disk, lim->queue_dir);
		break;
	case FA_KIND_OTHER:
	default:
		printf("%s: %s, neither a regular file nor a block device\n",
		       lim->path, fa_file_type(lim->path));
		break;
	}
	printf("statx: STATX_WRITE_ATOMIC %s, STATX_ATTR_WRITE_ATOMIC %s, STATX_DIOALIGN %s\n",
	       lim->statx_atomic ? "reported" : "not reported",
	       lim->statx_attr_atomic ? "set" : "not set",
	       lim->statx_dioalign ? "reported" : "not reported");
}

static void fa_print_table(const struct fa_limits *lim)
{
	char cells[FA_NR_ROWS][FA_COL_NR][40];
	int width[FA_COL_NR], name_width = (int)strlen("limit");
	struct fa_origins origins = { .nr = 0 };
	size_t r;
	int c, i;

	for (r = 0; r < FA_NR_ROWS; r++) {
		int n = (int)strlen(fa_rows[r].name);

		if (n > name_width)
			name_width = n;
	}
	/* Column by column, so the statx origins are numbered first. */
	for (c = 0; c < FA_COL_NR; c++) {
		width[c] = (int)strlen(fa_column_names[c]);
		for (r = 0; r < FA_NR_ROWS; r++) {
			const struct fa_value *v = fa_cell(lim, &fa_rows[r], c);
			int n;

			if (v)
				snprintf(cells[r][c], sizeof(cells[r][c]),
					 "%" PRIu64 " [%d]", v->value,
					 fa_origin_index(&origins, v->origin));
			else
				snprintf(cells[r][c], sizeof(cells[r][c]), "-");
			n = (int)strlen(cells[r][c]);
			if (n > width[c])
				width[c] = n;
		}
	}

	printf("%-*s", name_width, "limit");
	for (c = 0; c < FA_COL_NR; c++)
		printf("  %-*s", c == FA_COL_NR - 1 ? 0 : width[c],
		       fa_column_names[c]);
	putchar('\n');
	for (r = 0; r < FA_NR_ROWS; r++) {
		printf("%-*s", name_width, fa_rows[r].name);
		for (c = 0; c < FA_COL_NR; c++)
			printf("  %-*s", c == FA_COL_NR - 1 ? 0 : width[c],
			       cells[r][c]);
		putchar('\n');
	}
	printf("values in bytes except segments_max; '-' = not reported\n");
	if (origins.nr)
		printf("origins:\n");
	for (i = 0; i < origins.nr; i++)
		printf("  [%d] %s\n", i + 1, origins.text[i]);
}

/* The device's raw fields, or why they were not read. */
static void fa_print_device(const struct fa_limits *lim)
{
	const struct fa_device_view *dv = lim->device;
	int i;

	if (lim->kind != FA_KIND_BLOCK)
		return;
	if (!lim->device_read) {
		if (lim->device_err == -ENOTTY)
			printf("device: %s is neither SCSI nor NVMe: its own limits are not read\n\n",
			       lim->disk);
		else
			printf("device: not read: %s%s\n\n",
			       strerror(-lim->device_err),
			       lim->device_err == -EACCES ||
			       lim->device_err == -EPERM ? " (run as root)" : "");
		return;
	}
	printf("device: %s\n", dv->origin);
	for (i = 0; i < dv->nr_fields; i++)
		printf("  %-48s %12" PRIu64 "  %s\n", dv->fields[i].name,
		       dv->fields[i].value, dv->fields[i].unit);
	if (dv->why_none[0])
		printf("  the driver enables no atomic writes: %s\n",
		       dv->why_none);
	printf("the device column: what the kernel should report, derived from these fields\n\n");
}

void fa_limits_print_text(const struct fa_limits *lim,
			  const struct fa_disagreement *dis, int nr_dis)
{
	char verdict[2048];
	int i;

	fa_print_header(lim);
	putchar('\n');
	fa_print_table(lim);
	putchar('\n');
	fa_print_device(lim);
	for (i = 0; i < nr_dis && i < FA_MAX_DISAGREE; i++)
		fa_print_disagreement(&dis[i]);
	if (nr_dis > FA_MAX_DISAGREE)
		printf("DISAGREE ... and %d more\n", nr_dis - FA_MAX_DISAGREE);
	fa_limits_verdict_line(lim, verdict, sizeof(verdict));
	printf("%s\n", verdict);
}

static struct json_object *fa_json_string(const char *s)
{
	return json_object_new_string(s);
}

static struct json_object *fa_json_value(const struct fa_value *v)
{
	struct json_object *obj;

	if (!v || !v->known)
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(obj, "value", json_object_new_uint64(v->value));
	json_object_object_add(obj, "source", fa_json_string(
			fa_tool_source_name(v->source)));
	json_object_object_add(obj, "origin", fa_json_string(v->origin));
	return obj;
}

static struct json_object *fa_json_string_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

/* A stacked disk: its members and what the kernel's rule makes of them */
static struct json_object *fa_stack_json(const struct fa_limits *lim)
{
	struct json_object *obj;

	if (!lim->stack_members)
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(obj, "members",
			       json_object_new_int(lim->stack_members));
	json_object_object_add(obj, "supported",
			       json_object_new_boolean(!lim->stack_verdict));
	json_object_object_add(obj, "origin",
			       fa_json_string(lim->stack_unit_max.origin));
	json_object_object_add(obj, "unit_min",
			       json_object_new_uint64(lim->stack_unit_min.value));
	json_object_object_add(obj, "unit_max",
			       json_object_new_uint64(lim->stack_unit_max.value));
	json_object_object_add(obj, "max_bytes",
			       json_object_new_uint64(lim->stack_max_bytes.value));
	return obj;
}

struct json_object *fa_limits_json(const struct fa_limits *lim,
				   const struct fa_disagreement *dis,
				   int nr_dis)
{
	struct json_object *root, *obj, *limits, *arr;
	char device[32], verdict[2048], reason[1024];
	bool supported = fa_limits_supported(lim);
	size_t r;
	int c, i;

	root = json_object_new_object();
	if (!root)
		return NULL;
	json_object_object_add(root, "path", json_object_new_string(lim->path));
	json_object_object_add(root, "kind",
			       json_object_new_string(fa_kind_name(lim->kind)));
	snprintf(device, sizeof(device), "%u:%u", lim->dev_major,
		 lim->dev_minor);
	json_object_object_add(root, "device",
			       lim->kind == FA_KIND_OTHER ?
			       NULL : json_object_new_string(device));
	json_object_object_add(root, "disk", fa_json_string_or_null(lim->disk));
	json_object_object_add(root, "partition",
			       json_object_new_boolean(lim->partition));
	json_object_object_add(root, "queue_dir",
			       fa_json_string_or_null(lim->queue_dir));

	obj = json_object_new_object();
	json_object_object_add(obj, "write_atomic",
			       json_object_new_boolean(lim->statx_atomic));
	json_object_object_add(obj, "attr_write_atomic",
			       json_object_new_boolean(lim->statx_attr_atomic));
	json_object_object_add(obj, "dioalign",
			       json_object_new_boolean(lim->statx_dioalign));
	json_object_object_add(root, "statx", obj);

	limits = json_object_new_object();
	for (r = 0; r < FA_NR_ROWS; r++) {
		obj = json_object_new_object();
		for (c = 0; c < FA_COL_NR; c++)
			json_object_object_add(obj, fa_column_names[c],
					       fa_json_value(fa_cell(lim,
							&fa_rows[r], c)));
		json_object_object_add(limits, fa_rows[r].name, obj);
	}
	json_object_object_add(root, "limits", limits);

	if (lim->kind == FA_KIND_BLOCK) {
		struct json_object *dev = json_object_new_object(), *fields;

		json_object_object_add(dev, "read",
				       json_object_new_boolean(lim->device_read));
		json_object_object_add(dev, "error",
				       lim->device_read ? NULL :
				       fa_json_string(strerror(-lim->device_err)));
		if (lim->device_read) {
			const struct fa_device_view *dv = lim->device;

			json_object_object_add(dev, "origin",
					       fa_json_string(dv->origin));
			fields = json_object_new_object();
			for (i = 0; i < dv->nr_fields; i++)
				json_object_object_add(fields,
					dv->fields[i].name,
					json_object_new_uint64(dv->fields[i].value));
			json_object_object_add(dev, "fields", fields);
			json_object_object_add(dev, "why_none",
					       fa_json_string_or_null(dv->why_none));
		}
		json_object_object_add(root, "device_view", dev);
		json_object_object_add(root, "stack", fa_stack_json(lim));
	}

	arr = json_object_new_array();
	for (i = 0; i < nr_dis && i < FA_MAX_DISAGREE; i++) {
		obj = json_object_new_object();
		json_object_object_add(obj, "limit",
				       json_object_new_string(dis[i].what));
		json_object_object_add(obj, "a", fa_json_value(dis[i].a));
		json_object_object_add(obj, "b", fa_json_value(dis[i].b));
		json_object_object_add(obj, "explanation",
				       fa_json_string(dis[i].explanation));
		json_object_array_add(arr, obj);
	}
	json_object_object_add(root, "disagreements", arr);

	json_object_object_add(root, "supported",
			       json_object_new_boolean(supported));
	if (!supported)
		fa_limits_unsupported_reason(lim, reason, sizeof(reason));
	json_object_object_add(root, "reason",
			       supported ? NULL : fa_json_string(reason));
	fa_limits_verdict_line(lim, verdict, sizeof(verdict));
	json_object_object_add(root, "verdict",
			       json_object_new_string(verdict));
	return root;
}

static int fa_print_json(const struct fa_limits *lim,
			 const struct fa_disagreement *dis, int nr_dis)
{
	struct json_object *root = fa_limits_json(lim, dis, nr_dis);
	const char *text;

	if (!root)
		return -ENOMEM;
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	printf("%s\n", text);
	json_object_put(root);
	return 0;
}

int fa_limits_collect(const char *path, struct fa_limits *lim,
		      struct fa_disagreement *dis, int max, int *nr_dis)
{
	int ret;

	ret = fa_limits_discover(path, lim);
	if (ret)
		return ret;
	/* Not fatal: without root the kernel's view is still worth showing. */
	if (lim->kind == FA_KIND_BLOCK)
		fa_limits_read_device(lim);
	*nr_dis = fa_limits_crosscheck(lim, dis, max);
	return 0;
}

#define FA_LIMITS_SYNOPSIS "usage: fio-atomic limits PATH [--json | --env]\n"

void fa_cmd_limits_usage(FILE *fp)
{
	fprintf(fp,
		FA_LIMITS_SYNOPSIS
		"\n"
		"Show every atomic write limit of PATH (a regular file or a\n"
		"block device) as statx(2) and the block queue in sysfs\n"
		"report it, the limits the kernel enforces on a write to\n"
		"PATH, where each value was read, every disagreement between\n"
		"the sources, and a verdict.\n"
		"\n"
		"options:\n"
		"  -j, --json   print one JSON object instead of the table\n"
		"  -e, --env    print shell assignments for the job files in\n"
		"               jobs/ (FIO_ATOMIC_*), exported; nothing unless\n"
		"               the exit status is 0:\n"
		"               env=$(fio-atomic limits --env F) && eval \"$env\"\n"
		"  -h, --help   this help\n"
		"\n"
		"exit status: 0 supported and consistent, 1 PATH could not be\n"
		"examined, 2 usage error, 3 atomic writes not supported,\n"
		"4 sources disagree (takes precedence over 3).\n");
	fa_limits_passthrough_usage(fp);
}

int fa_cmd_limits(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "env", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fa_disagreement dis[FA_MAX_DISAGREE];
	static struct fa_limits lim;	/* 8 KiB of paths: keep off the stack */
	bool json = false, env = false;
	const char *path;
	int opt, ret, nr_dis;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":jeh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'e':
			env = true;
			break;
		case 'h':
			fa_cmd_limits_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error("limits", FA_LIMITS_SYNOPSIS, "",
						    opt, argv);
		}
	}
	if (optind != argc - 1) {
		if (optind >= argc)
			fa_tool_error("limits", "missing PATH");
		else
			fa_tool_error("limits", "one PATH only, got '%s' too",
				      argv[optind + 1]);
		fputs(FA_LIMITS_SYNOPSIS, stderr);
		return FA_EXIT_USAGE;
	}
	path = argv[optind];
	if (json && env) {
		fa_tool_error("limits", "--json and --env exclude each other");
		return FA_EXIT_USAGE;
	}
	/* --env's variables describe a file or a block device only. */
	if (fa_limits_is_char_device(path)) {
		if (env) {
			fa_tool_error("limits",
				      "--env takes a file or a block device; %s is a passthrough node (its conformance jobs keep fixed sizes)",
				      path);
			return FA_EXIT_USAGE;
		}
		return fa_limits_passthrough(path, json);
	}

	ret = fa_limits_collect(path, &lim, dis, FA_MAX_DISAGREE, &nr_dis);
	if (ret) {
		fa_tool_path_error("limits", path, ret);
		return FA_EXIT_ERROR;
	}

	if (env) {
		ret = fa_limits_env(&lim, dis, nr_dis);
		fa_limits_release(&lim);
		return ret;
	}
	if (json) {
		ret = fa_print_json(&lim, dis, nr_dis);
		if (ret) {
			fa_tool_error("limits", "%s", strerror(-ret));
			return FA_EXIT_ERROR;
		}
	} else {
		fa_limits_print_text(&lim, dis, nr_dis);
	}
	if (fflush(stdout) == EOF) {
		fa_tool_error("limits", "writing output: %s", strerror(errno));
		return FA_EXIT_ERROR;
	}

	fa_limits_release(&lim);
	if (nr_dis)
		return FA_EXIT_DISAGREE;
	if (!fa_limits_supported(&lim))
		return FA_EXIT_UNSUPPORTED;
	return FA_EXIT_OK;
}
