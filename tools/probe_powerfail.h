/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the host power_fail probe (probe_powerfail.c), callable from
 * C (qualify) as well as from `fio-atomic probe power-fail`.
 */
#ifndef FA_PROBE_POWERFAIL_H
#define FA_PROBE_POWERFAIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fa_guarantee.h"
#include "fa_powerfail.h"

#define FA_PF_MAX_SIZES		4
#define FA_PF_MAX_ENGINES	2
#define FA_PF_PATH_LEN		4096

/**
 * struct fa_pf_opts - what to probe; fa_pf_opts_init() fills the defaults
 * @dir:	where the scratch directory is made; its filesystem's XFS
 *		geometry is copied when xfs_info can read it (NULL: $TMPDIR
 *		or /tmp, mkfs.xfs's defaults)
 * @image_size:	bytes of the sparse image (8 GiB: XFS's atomic unit_max
 *		is 2 MiB on it)
 * @runs:	crashes
 * @sizes:	atomic write sizes
 * @engines:	"atomic-pvsync2", "atomic-uring"
 * @fio, @engine_dir, @self: fio, the engines' directory and fio-atomic
 *		itself (for tearscan); empty: found next to this executable
 *		($FIO overrides fio)
 * @progress:	when not NULL, one line per crash goes there
 */
struct fa_pf_opts {
	const char *dir;
	uint64_t image_size;
	unsigned int runs;
	uint64_t sizes[FA_PF_MAX_SIZES];
	int nr_sizes;
	const char *engines[FA_PF_MAX_ENGINES];
	int nr_engines;
	char fio[FA_PF_PATH_LEN];
	char engine_dir[FA_PF_PATH_LEN];
	char self[FA_PF_PATH_LEN];
	FILE *progress;
};

/**
 * struct fa_pf_report - what the probe measured, beside the guarantee
 * @atomic:	the atomic writes' scans, summed (acknowledged writes
 *		logged before the shutdown began: the ones judged)
 * @control:	the positive control's scans, summed
 * @during_acked, @during_lost: acknowledged writes logged after the
 *		shutdown began (they raced it, and are not judged), and how
 *		many of those the target does not hold
 * @crashes:	shutdowns done
 * @block_size, @sector_size: given to mkfs.xfs (0: its default)
 * @geometry:	where they came from, for a person
 */
struct fa_pf_report {
	struct fa_pf_counts atomic;
	struct fa_pf_counts control;
	uint64_t during_acked;
	uint64_t during_lost;
	unsigned int crashes;
	uint32_t block_size;
	uint32_t sector_size;
	char geometry[512];
};

/** fa_pf_opts_init() - defaults: 8 GiB image, 6 runs, 64k and 1m, both engines */
void fa_pf_opts_init(struct fa_pf_opts *o);

/**
 * fa_probe_power_fail() - make a scratch XFS on a loop image, crash it
 * @o->runs times under stamped durable writes and scan it each time
 * @r:		filled and judged (fa_g_judge())
 * @err:	why, when it could not measure
 *
 * Needs root (losetup, mount). Everything it makes is in one scratch
 * directory it removes, unmounting and detaching first, on every path.
 *
 * Return: 0 when measured (@r says what was found), -errno when it could
 * not measure (@err says why).
 */
int fa_probe_power_fail(struct fa_pf_opts *o, struct fa_g_result *r,
			struct fa_pf_report *rep, char *err, size_t errlen);

int fa_cmd_probe_power_fail(int argc, char **argv);
void fa_cmd_probe_power_fail_usage(FILE *fp);

#endif /* FA_PROBE_POWERFAIL_H */
