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
 * @dir:	where the scratch directory is made; its filesystem's
 *		geometry is copied when xfs_info (dumpe2fs -h for @fs ext4)
 *		can read it (NULL: $TMPDIR or /tmp, mkfs's defaults)
 * @fs:		the scratch filesystem: "xfs" (NULL) or "ext4"
 * @image_size:	bytes of the sparse image (8 GiB: XFS's atomic unit_max
 *		is 2 MiB on it; an ext4 scratch takes 1 GiB unless given)
 * @image_given: @image_size was given (not the default)
 * @runs:	crashes
 * @sizes:	atomic write sizes
 * @auto_sizes:	@sizes are the defaults (64k and 1m on XFS); on ext4 they
 *		become the scratch's unit_min and unit_max (at most 1m)
 * @file_units, @file_min: each file holds @file_units units, and at least
 *		@file_min bytes (32 and 32 MiB; ext4: at most 4 MiB): laying
 *		them out one extent per block is most of a crash's time
 *		under the lab's TCG (about 20 s per 32 MiB file, 7.3)
 * @engines:	"atomic-pvsync2", "atomic-uring"
 * @fio, @engine_dir, @self: fio, the engines' directory and fio-atomic
 *		itself (for tearscan); empty: found next to this executable
 *		($FIO overrides fio)
 * @progress:	when not NULL, one line per crash goes there
 */
struct fa_pf_opts {
	const char *dir;
	const char *fs;
	uint64_t image_size;
	bool image_given;
	unsigned int runs;
	uint64_t sizes[FA_PF_MAX_SIZES];
	int nr_sizes;
	bool auto_sizes;
	unsigned int file_units;
	uint64_t file_min;
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
 * @fstype:	the scratch filesystem, "xfs" or "ext4"
 * @block_size, @sector_size: given to mkfs.xfs or mkfs.ext4 (0: its
 *		default; no sector size for ext4)
 * @cluster_size: bigalloc cluster size given to mkfs.ext4 (0: none)
 * @geometry:	where they came from, for a person
 * @atomic_limits: the scratch ext4's statx atomic write unit ("" on XFS)
 */
struct fa_pf_report {
	struct fa_pf_counts atomic;
	struct fa_pf_counts control;
	uint64_t during_acked;
	uint64_t during_lost;
	unsigned int crashes;
	char fstype[8];
	uint32_t block_size;
	uint32_t sector_size;
	uint32_t cluster_size;
	char geometry[512];
	char atomic_limits[128];
};

/** fa_pf_opts_init() - defaults: 8 GiB image, 6 runs, 64k and 1m, both engines */
void fa_pf_opts_init(struct fa_pf_opts *o);

/**
 * fa_probe_power_fail() - make a scratch XFS (or ext4, @o->fs) on a loop
 * image, crash it @o->runs times under stamped durable
 * writes and scan it each time
 * @r:		filled and judged (fa_g_judge())
 * @err:	why, when it could not measure
 *
 * Needs root (losetup, mount). Everything it makes is in one scratch
 * directory it removes, unmounting and detaching first, on every path.
 *
 * Return: 0 when measured (@r says what was found), -errno when it could
 * not measure (@err says why); -EOPNOTSUPP when the scratch filesystem
 * has no atomic writes (an ext4 on a loop device without them).
 */
int fa_probe_power_fail(struct fa_pf_opts *o, struct fa_g_result *r,
			struct fa_pf_report *rep, char *err, size_t errlen);

int fa_cmd_probe_power_fail(int argc, char **argv);
void fa_cmd_probe_power_fail_usage(FILE *fp);

#endif /* FA_PROBE_POWERFAIL_H */
