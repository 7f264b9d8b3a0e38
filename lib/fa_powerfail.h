/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what the power_fail probe reads, without running anything:
 * the geometry of an XFS (xfs_info's text) or an ext4 (dumpe2fs -h's
 * text), and each crash's scan
 * (`fio-atomic tearscan --acks --json`) added into the guarantee result
 * (fa_guarantee.h). The probe itself, which makes the scratch filesystem, runs
 * fio and shuts the filesystem down, is tools/probe_powerfail.c.
 *
 * Nothing here prints or exits.
 */
#ifndef FA_POWERFAIL_H
#define FA_POWERFAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_guarantee.h"

/**
 * struct fa_pf_xfs_geometry - what mkfs.xfs is given to copy a filesystem
 * @block_size:		data section "bsize=" (0 when not found)
 * @sector_size:	meta-data "sectsz=" (0 when not found)
 */
struct fa_pf_xfs_geometry {
	uint32_t block_size;
	uint32_t sector_size;
};

/**
 * fa_pf_parse_xfs_info() - read xfs_info's report
 * @text:	its whole stdout, NUL-terminated
 *
 * Return: 0, or -EINVAL when the data section's bsize is missing or not
 * a power of two from 512 to 65536 (the sector size is optional).
 */
int fa_pf_parse_xfs_info(const char *text, struct fa_pf_xfs_geometry *g);

/**
 * struct fa_pf_ext4_geometry - what mkfs.ext4 is given to copy an ext4
 * @block_size:		"Block size:" (0 when not found)
 * @cluster_size:	"Cluster size:" when "bigalloc" is among the
 *			"Filesystem features:" (0 without bigalloc): ext4's
 *			atomic writes above one block are per cluster
 */
struct fa_pf_ext4_geometry {
	uint32_t block_size;
	uint32_t cluster_size;
};

/**
 * fa_pf_parse_dumpe2fs() - read `dumpe2fs -h`'s superblock report
 * @text:	its whole stdout, NUL-terminated
 *
 * Return: 0, or -EINVAL when the block size is missing or not a power of
 * two from 1024 to 65536, or bigalloc is on and the cluster size is
 * missing, not a power of two or below the block size.
 */
int fa_pf_parse_dumpe2fs(const char *text, struct fa_pf_ext4_geometry *g);

/**
 * struct fa_pf_counts - a scan's figures, summed over scans
 * @scans:	scans added
 * @units:	units judged (intact + torn)
 * @torn:	torn units
 * @acked:	acknowledged writes judged
 * @lost:	of those, lost
 */
struct fa_pf_counts {
	uint64_t scans;
	uint64_t units;
	uint64_t torn;
	uint64_t acked;
	uint64_t lost;
};

/**
 * fa_pf_scan_parse() - the figures of one `tearscan --acks --json` report
 * @json:	the report, NUL-terminated
 * @c:		set (not added to)
 * @r:		when not NULL, its first torn units and lost writes are
 *		kept as examples, prefixed with @what ("atomic-uring 64k")
 *
 * Return: 0; -EINVAL when @json is not such a report (no units counts, or
 * no acks object: the scan was not given the logs); -ENOMEM.
 */
int fa_pf_scan_parse(const char *json, struct fa_pf_counts *c,
		     struct fa_g_result *r, const char *what);

/** fa_pf_counts_add() - @sum += @c */
void fa_pf_counts_add(struct fa_pf_counts *sum, const struct fa_pf_counts *c);

/**
 * fa_pf_add_point() - one scan of atomic writes into @r: trials += units,
 * failures += torn + lost, outcomes "torn", "lost", "acked"
 * Return: 0, or -ENOSPC when @r has no room for a new point.
 */
int fa_pf_add_point(struct fa_g_result *r, const char *engine, uint64_t size,
		    const struct fa_pf_counts *c);

/**
 * fa_pf_add_control() - one scan of the positive control: trials += units,
 * failures += torn (its lost writes are counted by the caller, not here:
 * the control is there to show tears)
 */
void fa_pf_add_control(struct fa_g_result *r, const struct fa_pf_counts *c);

/**
 * fa_pf_verdict() - the line a person reads, e.g.
 * "power_fail: PROVIDED: 0 torn of 1234 units, 0 of 5678 durable writes
 * lost in 10 crashes; control: 37 torn of 640 units"
 * @atomic:	the atomic points' totals
 * @control:	the control's totals
 */
void fa_pf_verdict(const struct fa_g_result *r,
		   const struct fa_pf_counts *atomic,
		   const struct fa_pf_counts *control, unsigned int crashes,
		   char *buf, size_t len);

#endif /* FA_POWERFAIL_H */
