/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the canned SCSI data the SCSI unit tests share (test-scsi,
 * test-scsi-sd, test-scsi-cmd, test-scsi-rules).
 *
 * scsi_debug_b0 is the Block Limits VPD page scsi_debug atomic_wr=1 gave
 * in the lab; make_page() is that page with other atomic fields,
 * make_rcap() READ CAPACITY(16) data, and limits() parses such a page into
 * bl. setup(), every case's setup, gives scsi_debug's limits in the lab
 * (128 blocks, alignment and granularity 2, 8192 with a boundary of at
 * most 128) on 512-byte blocks, and clears v and msg. DEV names the node
 * in the messages. One test program is one translation unit, so the
 * state is static here.
 */
#ifndef FA_SCSI_FIXTURE_H
#define FA_SCSI_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "fa_scsi.h"

#define DEV	"/dev/sg0"

/* The page scsi_debug atomic_wr=1 returned in the lab (sg_vpd -p bl -H). */
static const uint8_t scsi_debug_b0[64] = {
	0x00, 0xb0, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80,
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x80,
};

static struct fa_scsi_block_limits bl;
static struct fa_scsi_capacity cap;
static struct fa_scsi_verdict v;
static char msg[2048];

static inline void put_be32(uint8_t *p, uint32_t x)
{
	p[0] = x >> 24;
	p[1] = x >> 16;
	p[2] = x >> 8;
	p[3] = x;
}

/* A Block Limits page with these atomic fields, 64 bytes. */
static inline void make_page(uint8_t *page, uint32_t max_atomic,
			     uint32_t align, uint32_t gran,
			     uint32_t max_bndry_len, uint32_t max_bndry)
{
	memcpy(page, scsi_debug_b0, sizeof(scsi_debug_b0));
	put_be32(page + 44, max_atomic);
	put_be32(page + 48, align);
	put_be32(page + 52, gran);
	put_be32(page + 56, max_bndry_len);
	put_be32(page + 60, max_bndry);
}

/* READ CAPACITY(16) data: 64 MiB of @lbs-byte blocks. */
static inline void make_rcap(uint8_t *buf, uint32_t lbs, uint8_t lbppbe,
			     uint8_t byte12)
{
	memset(buf, 0, FA_SCSI_READ_CAPACITY16_LEN);
	put_be32(buf + 4, (64u << 20) / lbs - 1);
	put_be32(buf + 8, lbs);
	buf[12] = byte12;
	buf[13] = lbppbe;
}

static inline void limits(uint32_t max_atomic, uint32_t align, uint32_t gran,
			  uint32_t max_bndry_len, uint32_t max_bndry)
{
	uint8_t page[64];

	make_page(page, max_atomic, align, gran, max_bndry_len, max_bndry);
	memset(&bl, 0, sizeof(bl));
	fa_scsi_parse_block_limits(page, sizeof(page), &bl);
}

static inline int setup(void)
{
	/* scsi_debug's defaults in the lab */
	limits(128, 2, 2, 8192, 128);
	memset(&cap, 0, sizeof(cap));
	cap.logical_block_length = 512;
	memset(&v, 0xa5, sizeof(v));
	memset(msg, 0, sizeof(msg));
	return 0;
}

#endif /* FA_SCSI_FIXTURE_H */
