// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the geometry of a stamped region, read from its stamps
 * (fa_geometry.h).
 *
 * A block size is not known before a stamp is found, so every multiple of
 * the smallest stamp block is a candidate; only a block with the magic
 * costs more than a compare, and after a valid stamp the probe jumps over
 * its block.
 */
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fa_geometry.h"
#include "fa_scan.h"
#include "fa_stamp.h"

/* Bytes per read of fa_geometry_probe_fd(): more than the largest block. */
#define FA_PROBE_CHUNK	(4u << 20)
#define FA_PROBE_ALIGN	4096u	/* as fa_scan_read_begin() aligns the buffer */

int fa_geometry_probe_init(struct fa_geometry_probe *p, uint64_t start,
			   uint64_t len)
{
	memset(p, 0, sizeof(*p));
	if (start % FA_STAMP_MIN_BLOCK || start + len < start)
		return -EINVAL;
	p->start = start;
	p->end = start + len;
	p->done = !len;
	return 0;
}

/* The block size a stamp header claims, if a writer could have used it. */
static uint32_t fa_claimed_block(const unsigned char *blk)
{
	uint32_t v;

	memcpy(&v, blk + FA_STAMP_OFF_BLOCK_SIZE, sizeof(v));
	v = le32toh(v);
	if (v < FA_STAMP_MIN_BLOCK || v > FA_STAMP_MAX_BLOCK || (v & (v - 1)))
		return 0;
	return v;
}

static bool fa_same_geometry(const struct fa_stamp_sighting *a,
			     const struct fa_stamp_sighting *b)
{
	return a->unit == b->unit && a->block == b->block &&
	       a->unit_offset % a->unit == b->unit_offset % a->unit;
}

static void fa_probe_note(struct fa_geometry_probe *p, uint64_t at,
			  const struct fa_stamp_info *info)
{
	struct fa_stamp_sighting s = {
		.at = at,
		.unit_offset = info->unit_offset,
		.unit = info->unit_len,
		.block = info->block_size,
	};

	p->stamps++;
	if (!p->found) {
		p->found = true;
		p->first = s;
	} else if (!p->conflict && !fa_same_geometry(&p->first, &s)) {
		p->conflict = true;
		p->other = s;
	}
}

int fa_geometry_probe_buf(struct fa_geometry_probe *p, const void *buf,
			  size_t len, uint64_t base, bool at_eof)
{
	const unsigned char *bytes = buf;
	uint64_t pos = p->start + p->bytes_probed;

	if (p->done)
		return 0;
	if (base > pos)
		return -EINVAL;
	while (pos < p->end) {
		const unsigned char *blk;
		struct fa_stamp_info info;
		uint64_t avail;
		uint32_t block;

		if (p->found && pos - p->first.at >= FA_GEOMETRY_WINDOW) {
			p->done = true;
			break;
		}
		if (pos - base >= len)
			break;
		avail = len - (pos - base);
		blk = bytes + (pos - base);
		if (avail < FA_STAMP_MIN_BLOCK) {
			/* at the end: too short for any stamp */
			if (!at_eof)
				break;
			pos = base + len;
			break;
		}
		if (memcmp(blk, FA_STAMP_MAGIC, FA_STAMP_MAGIC_LEN)) {
			pos += FA_STAMP_MIN_BLOCK;
			continue;
		}
		block = fa_claimed_block(blk);
		if (block && block > avail) {
			if (!at_eof)
				break;
			/* cut off by the end: nothing to judge */
			pos += FA_STAMP_MIN_BLOCK;
			continue;
		}
		if (block && fa_stamp_check_block(blk, block, pos, &info) ==
			     FA_STAMP_OK) {
			fa_probe_note(p, pos, &info);
			pos += block;
			continue;
		}
		p->damaged++;
		pos += FA_STAMP_MIN_BLOCK;
	}
	if (pos >= p->end) {
		pos = p->end;
		p->done = true;
	}
	p->bytes_probed = pos - p->start;
	return 0;
}

int fa_geometry_probe_fd(int fd, struct fa_geometry_probe *p)
{
	struct fa_scan_read rd;
	int ret;

	if (p->done)
		return 0;
	ret = fa_scan_read_begin(fd, FA_PROBE_CHUNK, &rd);
	if (ret)
		return ret;

	while (!p->done && !ret) {
		uint64_t next = p->start + p->bytes_probed;
		uint64_t at = next - next % FA_PROBE_ALIGN;
		uint64_t rest = p->end - at;
		size_t want = FA_PROBE_CHUNK;
		ssize_t got;

		/* whole O_DIRECT blocks, past the end only to finish one */
		if (rest < want)
			want = (size_t)((rest + FA_PROBE_ALIGN - 1) /
					FA_PROBE_ALIGN * FA_PROBE_ALIGN);
		got = fa_scan_pread(fd, rd.buf, want, at, rd.flags,
				    &rd.direct);
		if (got < 0) {
			ret = (int)got;
			break;
		}
		ret = fa_geometry_probe_buf(p, rd.buf, (size_t)got, at,
					    (size_t)got < want ||
					    at + (uint64_t)got >= p->end);
		/* nothing more to read, or no progress possible */
		if (!ret && !p->done &&
		    ((size_t)got < want || p->start + p->bytes_probed == next))
			p->done = true;
	}
	fa_scan_read_end(fd, &rd);
	return ret;
}

const char *fa_geometry_source_name(enum fa_geometry_source source)
{
	switch (source) {
	case FA_GEOMETRY_STAMPS:
		return "stamps";
	case FA_GEOMETRY_OPTION:
		return "option";
	case FA_GEOMETRY_FALLBACK:
		return "fallback";
	}
	return "unknown";
}

int fa_geometry_resolve(const struct fa_geometry_probe *p, uint32_t unit,
			uint32_t block, uint32_t fallback_block,
			struct fa_geometry *g)
{
	memset(g, 0, sizeof(*g));
	if (!p->found) {
		g->block = block ? block : fallback_block;
		g->block_source = block ? FA_GEOMETRY_OPTION :
					  FA_GEOMETRY_FALLBACK;
		g->unit = unit ? unit : g->block;
		g->unit_source = unit ? FA_GEOMETRY_OPTION :
					FA_GEOMETRY_FALLBACK;
		return 0;
	}
	g->unit = p->first.unit;
	g->block = p->first.block;
	g->phase = p->first.unit_offset % p->first.unit;
	g->unit_source = unit ? FA_GEOMETRY_OPTION : FA_GEOMETRY_STAMPS;
	g->block_source = block ? FA_GEOMETRY_OPTION : FA_GEOMETRY_STAMPS;
	if (unit && unit != p->first.unit) {
		g->disagree_unit = true;
		return -EINVAL;
	}
	if (block && block != p->first.block)
		return -EINVAL;
	return 0;
}
