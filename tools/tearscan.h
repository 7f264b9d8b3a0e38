/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what the parts of `fio-atomic tearscan` share: the scan's
 * request and results (cmd_tearscan.c fills them in) and the report
 * writers (tearscan_output.c).
 */
#ifndef FA_TEARSCAN_H
#define FA_TEARSCAN_H

#include <stdint.h>

#include "fa_acklog.h"
#include "fa_geometry.h"
#include "fa_limits.h"
#include "fa_scan.h"

/* What was asked and what it resolved to. */
struct fa_tearscan {
	const char *path;
	const char *kind;		/* "regular file", "block device" */
	uint64_t size;			/* of the target */
	uint64_t offset, length;	/* the region scanned */
	uint64_t trailing;		/* bytes after the last whole unit */
	uint32_t unit, block;		/* 0 until given or resolved */
	char unit_origin[64];
	char block_origin[FA_ORIGIN_LEN + 16];
	bool offset_from_stamps;	/* the stamps' grid, no --offset */
	/*
	 * --after: what the units went through, so what a torn one breaks:
	 * power_fail after a crash (the default with --acks), write_isolation
	 * after a run without one (the default without)
	 */
	bool after_crash;
	/* what the stamps say, and what was made of it (fa_geometry.h) */
	struct fa_geometry_probe probe;
	struct fa_geometry geometry;
	struct fa_scan_counts counts;
	/* --acks */
	char **ack_files;
	unsigned int nr_ack_files;
	struct fa_ack_set acks;
	struct fa_ack_check check;
};

/*
 * Where the geometry came from, for JSON's geometry_source: "stamps" when
 * the unit or the block size was read from the stamps, "options" when
 * both were given, "fallback" when the region held no valid stamp and
 * one of them was not given.
 */
const char *fa_tearscan_geometry_source(const struct fa_tearscan *ts);

/* The report on stdout, as text. */
void fa_tearscan_print_text(const struct fa_tearscan *ts);

/* The report on stdout, as one JSON object: 0, or -ENOMEM. */
int fa_tearscan_print_json(const struct fa_tearscan *ts);

#endif /* FA_TEARSCAN_H */
