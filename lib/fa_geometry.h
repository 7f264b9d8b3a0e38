/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the geometry of a stamped region, read from its stamps.
 *
 * Every stamp (fa_stamp.h) records the unit it belongs to (offset and
 * length) and the block size it was written with, so a scan need not be
 * told the writer's geometry, nor guess it from the target: the target's
 * own view can change after the fact (XFS raises a file's direct I/O
 * alignment from 512 to 4096 once its extents are shared, e.g. by a
 * reflinking cp), while the stamps cannot.
 *
 * A probe looks for the first valid stamp in its place, then checks every
 * valid stamp in a window after it against that one. Stamps that disagree
 * are a finding for the caller to report: the probe keeps the first
 * disagreeing one and never picks a winner. The scan that follows judges
 * the whole region with the probe's geometry, so a disagreeing stamp
 * beyond the window still shows, as a mismatched unit.
 *
 * Nothing in lib/ prints or exits: functions return 0 or -errno, or a typed
 * result, and the caller decides what to tell the user.
 */
#ifndef FA_GEOMETRY_H
#define FA_GEOMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Bytes after the first valid stamp whose stamps are checked against it;
 * the probe stops there (or at the region's end).
 */
#define FA_GEOMETRY_WINDOW	(4u << 20)

/**
 * struct fa_stamp_sighting - one valid stamp found in its place
 * @at:		byte offset of its block in the target
 * @unit_offset: the unit it belongs to, as the stamp records it
 * @unit:	that unit's length
 * @block:	the block size it was written with
 */
struct fa_stamp_sighting {
	uint64_t at;
	uint64_t unit_offset;
	uint32_t unit;
	uint32_t block;
};

/**
 * struct fa_geometry_probe - what a probe found; zero it
 * (fa_geometry_probe_init()) before the first call
 * @start, @end: the region probed, [@start, @end); candidates are the
 *		FA_STAMP_MIN_BLOCK multiples from @start on
 * @bytes_probed: bytes of the region looked at so far
 * @stamps:	valid stamps in their place looked at (@first included)
 * @damaged:	blocks with the stamp magic but no valid stamp in that
 *		place (failing their CRC, another version, a block of
 *		another place); they say nothing about the geometry
 * @found:	@first is set
 * @first:	the first valid stamp in its place
 * @conflict:	@other is set
 * @other:	the first valid stamp, after @first, of another unit
 *		length, block size or unit grid (unit_offset modulo the
 *		unit) than @first
 * @done:	the window after @first has been probed, or the region
 */
struct fa_geometry_probe {
	uint64_t start, end;
	uint64_t bytes_probed;
	uint64_t stamps;
	uint64_t damaged;
	bool found;
	struct fa_stamp_sighting first;
	bool conflict;
	struct fa_stamp_sighting other;
	bool done;
};

/**
 * fa_geometry_probe_init() - start a probe of [@start, @start + @len)
 * Return: 0, or -EINVAL when @start is not a multiple of
 * FA_STAMP_MIN_BLOCK (no stamp can start off that grid) or the region
 * wraps around.
 */
int fa_geometry_probe_init(struct fa_geometry_probe *p, uint64_t start,
			   uint64_t len);

/**
 * fa_geometry_probe_buf() - probe the bytes at @buf, which are the target's
 * bytes from @base on
 * @buf:	any alignment
 * @len:	bytes at @buf
 * @base:	where @buf starts in the target: at or before the next
 *		candidate, p->start + p->bytes_probed
 * @at_eof:	nothing follows @buf in the target: a stamp whose block
 *		runs past the end is damaged, not cut off by the buffer
 *
 * Looks at the candidates from the next one on, while their blocks lie
 * whole in @buf, and stops at the first that does not (the next call
 * starts with it) or when the probe is done.
 *
 * Return: 0, or -EINVAL when @base is past the next candidate.
 */
int fa_geometry_probe_buf(struct fa_geometry_probe *p, const void *buf,
			  size_t len, uint64_t base, bool at_eof);

/**
 * fa_geometry_probe_fd() - probe a region of an open target: reads it in
 * chunks from p->start (O_DIRECT where it can, as fa_scan_fd() does) until
 * the probe is done or the region ends
 * @fd:		open for reading; its file status flags are restored
 *
 * Return: 0, -ENOMEM, or the -errno of a failed read.
 */
int fa_geometry_probe_fd(int fd, struct fa_geometry_probe *p);

/**
 * enum fa_geometry_source - where one value of a scan's geometry came from
 * @FA_GEOMETRY_STAMPS:	read from the stamps (fa_geometry_probe.first)
 * @FA_GEOMETRY_OPTION:	given by the user; the stamps agree, or there
 *			were none
 * @FA_GEOMETRY_FALLBACK: neither given nor stamped: the caller's
 *			default (there was no valid stamp to read)
 */
enum fa_geometry_source {
	FA_GEOMETRY_STAMPS = 0,
	FA_GEOMETRY_OPTION,
	FA_GEOMETRY_FALLBACK,
};

/** fa_geometry_source_name() - "stamps", "option", "fallback" */
const char *fa_geometry_source_name(enum fa_geometry_source source);

/**
 * struct fa_geometry - the unit and block size to scan with
 * @unit, @block: bytes
 * @phase:	where the stamps' unit grid starts modulo @unit (the first
 *		stamp's unit_offset % @unit); 0 without stamps
 * @unit_source, @block_source: where each came from
 * @disagree:	fa_geometry_resolve() returned -EINVAL: the value given
 *		for @disagree_unit (true) or the block size (false) is not
 *		what the probe's first stamp says
 */
struct fa_geometry {
	uint32_t unit, block;
	uint64_t phase;
	enum fa_geometry_source unit_source, block_source;
	bool disagree_unit;
};

/**
 * fa_geometry_resolve() - the geometry to scan with, from what was given
 * and what a probe found
 * @p:		a finished probe
 * @unit:	the unit size given, or 0 to read it from the stamps
 * @block:	the block size given, or 0 to read it from the stamps
 * @fallback_block: the block size to use when it was neither given nor
 *		stamped (e.g. fa_stamp_block_for() of the target); the unit
 *		is then one block: with no valid stamp every unit is
 *		unwritten or torn whatever its size
 * @g:		the result
 *
 * A given value that is not the first stamp's is refused, not scanned
 * with: every unit would come out mismatched. A conflict among the
 * stamps is not: the geometry is the first stamp's, and the caller
 * reports p->other.
 *
 * Return: 0, or -EINVAL when a given value disagrees with the stamps
 * (@g names which, and holds the stamps' geometry).
 */
int fa_geometry_resolve(const struct fa_geometry_probe *p, uint32_t unit,
			uint32_t block, uint32_t fallback_block,
			struct fa_geometry *g);

#endif /* FA_GEOMETRY_H */
