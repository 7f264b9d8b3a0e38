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
#include "fa_limits.h"
#include "fa_scan.h"

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

/* The report on stdout, as text. */
void fa_tearscan_print_text(const struct fa_tearscan *ts);

/* The report on stdout, as one JSON object: 0, or -ENOMEM. */
int fa_tearscan_print_json(const struct fa_tearscan *ts);

#endif /* FA_TEARSCAN_H */
