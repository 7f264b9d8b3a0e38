// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: what a stacked block device's atomic write limits should be,
 * from its members' (the kernel's stacking rule, 6.13+), and the members
 * read from sysfs (slaves/).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_stack.h"
#include "fa_util.h"

static uint64_t fa_min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* max_pow_of_two_factor(): the largest power of two dividing x */
static uint64_t fa_pow2_factor(uint64_t x)
{
	return x & -x;
}

/* blk_valid_atomic_writes_boundary(): one must be a multiple of the other */
static int fa_boundary_fits_chunk(uint64_t chunk, uint64_t boundary)
{
	if (!chunk || !boundary)
		return 1;
	if (boundary > chunk && boundary % chunk)
		return 0;
	if (chunk > boundary && chunk % boundary)
		return 0;
	return 1;
}

enum fa_stack_verdict fa_stack_rule(const struct fa_stack_limits *members,
				    int n, uint64_t chunk_bytes,
				    struct fa_stack_limits *out)
{
	enum fa_stack_verdict v = FA_STACK_OK;
	const struct fa_stack_limits *b;
	struct fa_stack_limits t = {0};
	int i;

	memset(out, 0, sizeof(*out));
	if (n <= 0)
		return FA_STACK_NO_MEMBERS;
	for (i = 0; i < n && v == FA_STACK_OK; i++) {
		b = &members[i];
		if (!b->unit_min) {
			v = FA_STACK_MEMBER_UNSUPPORTED;
		} else if (i == 0) {
			if (!fa_boundary_fits_chunk(chunk_bytes, b->boundary))
				v = FA_STACK_BOUNDARY_CHUNK;
			else
				t = *b;
		} else if (t.boundary != b->boundary) {
			v = FA_STACK_BOUNDARY_MISMATCH;
		} else if (t.unit_min > b->unit_max ||
			   t.unit_max < b->unit_min) {
			v = FA_STACK_UNITS_DISJOINT;
		} else {
			t.max_bytes = fa_min64(t.max_bytes, b->max_bytes);
			if (b->unit_min > t.unit_min)
				t.unit_min = b->unit_min;
			t.unit_max = fa_min64(t.unit_max, b->unit_max);
		}
		if (v != FA_STACK_OK || !chunk_bytes)
			continue;
		/* blk_stack_atomic_writes_chunk_sectors() */
		t.unit_max = fa_min64(t.unit_max, fa_pow2_factor(chunk_bytes));
		t.unit_min = fa_min64(t.unit_min, t.unit_max);
		t.max_bytes = fa_min64(t.max_bytes, chunk_bytes);
	}
	if (v == FA_STACK_OK)
		*out = t;
	return v;
}

const char *fa_stack_verdict_str(enum fa_stack_verdict v)
{
	switch (v) {
	case FA_STACK_OK:
		return "the members' common atomic limits";
	case FA_STACK_NO_MEMBERS:
		return "no members";
	case FA_STACK_MEMBER_UNSUPPORTED:
		return "a member has no atomic writes";
	case FA_STACK_BOUNDARY_CHUNK:
		return "the first member's atomic boundary and the stack's "
		       "chunk are not "
		       "multiples of each other";
	case FA_STACK_BOUNDARY_MISMATCH:
		return "the members' atomic boundaries differ";
	case FA_STACK_UNITS_DISJOINT:
		return "a member's atomic unit range does not meet the others'";
	}
	return "?";
}

/* 0 when the file is missing (an older kernel): a member without atomics */
static int fa_read_u64(const char *dir, const char *name, uint64_t *v)
{
	char path[4096], buf[64], *end;
	FILE *f;

	*v = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n'))
		return -EINVAL;
	return 0;
}

static int fa_read_queue(const char *queue, struct fa_stack_limits *l)
{
	int ret;

	ret = fa_read_u64(queue, "atomic_write_unit_min_bytes", &l->unit_min);
	if (!ret)
		ret = fa_read_u64(queue, "atomic_write_unit_max_bytes",
				  &l->unit_max);
	if (!ret)
		ret = fa_read_u64(queue, "atomic_write_max_bytes",
				  &l->max_bytes);
	if (!ret)
		ret = fa_read_u64(queue, "atomic_write_boundary_bytes",
				  &l->boundary);
	return ret;
}

static int fa_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int fa_stack_read(const char *sysfs, const char *disk,
		  struct fa_stack_limits *members, char (*names)[64], int max,
		  uint64_t *chunk_bytes)
{
	char dir[4096], queue[4096];
	struct dirent *de;
	uint64_t chunk;
	int n = 0, i, ret;
	DIR *d;

	*chunk_bytes = 0;
	snprintf(dir, sizeof(dir), "%s/block/%s/slaves", sysfs, disk);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == max) {
			closedir(d);
			return -E2BIG;
		}
		fa_strlcpy(names[n++], de->d_name, sizeof(names[0]));
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), fa_name_cmp);
	/* A member is a disk (slaves/sda) or a partition (slaves/sda1). */
	for (i = 0; i < n; i++) {
		snprintf(queue, sizeof(queue), "%s/class/block/%s/queue", sysfs,
			 names[i]);
		if (access(queue, F_OK)) {
			snprintf(queue, sizeof(queue),
				 "%s/class/block/%s/../queue", sysfs, names[i]);
		}
		memset(&members[i], 0, sizeof(members[i]));
		ret = fa_read_queue(queue, &members[i]);
		if (ret)
			return ret;
	}
	snprintf(queue, sizeof(queue), "%s/block/%s/queue", sysfs, disk);
	ret = fa_read_u64(queue, "chunk_sectors", &chunk);
	if (ret)
		return ret;
	*chunk_bytes = chunk * 512;
	return n;
}
