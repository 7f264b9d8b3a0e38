// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the stamp parser and the tear scanner,
 * which read whatever a device returns: arbitrary blocks, arbitrary unit
 * and block sizes, stamped regions damaged in arbitrary ways.
 *
 * Input: byte 0 picks the mode (value % 3), byte 1 the block size (512 <<
 * (value % 4), or with bit 7 set the 32-bit value of bytes 11..14, valid
 * or not), byte 2 the blocks per unit (1 + value % 8) and, in mode 2, the
 * number of units (1 + (value >> 3) % 8); bytes 3..10 the region's offset
 * in the target (little-endian); the rest is the payload.
 *   0	parse: the payload, cut into blocks, by fa_stamp_check_block()
 *   1	scan: the payload through fa_scan_region()
 *   2	damage: a stamped region of the given geometry, damaged by the
 *	payload's 5-byte records (op, 3 bytes of position, value): xor a
 *	byte, copy a block over another, or zero a block; then scanned.
 *	Every unit no record touched must still be intact.
 * In every mode the CRC-32C paths must agree on the payload.
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line, so the
 * seeds and any crash found can be replayed without libFuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fa_crc32c.h"
#include "fa_scan.h"
#include "fa_stamp.h"

#include "fa_fuzz.h"


/* A broken invariant is a finding: make the fuzzer stop on it. */
#define HEADER_LEN	11
#define MAX_BLOCK	4096u
#define MAX_UNITS	8u
#define MAX_REGION	(MAX_UNITS * 8 * MAX_BLOCK)

struct input {
	uint32_t block;
	bool block_valid;
	uint32_t blocks_per_unit;
	uint32_t units;
	uint64_t base;
	const uint8_t *payload;
	size_t len;
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void check_counts(const struct fa_scan_counts *c, uint64_t units,
			 const struct input *in, uint32_t unit)
{
	uint64_t reasons = c->mixed_generation + c->partial + c->bad_checksum +
			   c->misplaced;
	unsigned int i;

	FUZZ_CHECK(c->units == units);
	FUZZ_CHECK(c->unwritten + c->intact + c->torn + c->mismatched ==
		   units);
	FUZZ_CHECK(c->bytes_scanned == units * unit);
	FUZZ_CHECK(c->mixed_generation <= c->torn &&
		   c->partial <= c->torn && c->bad_checksum <= c->torn &&
		   c->misplaced <= c->torn);
	FUZZ_CHECK(reasons >= c->torn);
	FUZZ_CHECK(c->nr_examples ==
		   (c->torn < FA_SCAN_MAX_EXAMPLES ? c->torn :
		    FA_SCAN_MAX_EXAMPLES));
	FUZZ_CHECK(c->mismatch_seen == (c->mismatched > 0));
	for (i = 0; i < c->nr_examples; i++) {
		const struct fa_tear_example *ex = &c->examples[i];

		FUZZ_CHECK(ex->reasons &&
			   !(ex->reasons & ~((1u << FA_TEAR_NR_REASONS) - 1)));
		FUZZ_CHECK(ex->offset - in->base < units * unit &&
			   (ex->offset - in->base) % unit == 0);
		FUZZ_CHECK(ex->nr_generations <= FA_TEAR_MAX_GENERATIONS);
		FUZZ_CHECK((uint64_t)ex->blocks_ok + ex->blocks_unwritten +
			   ex->blocks_bad_checksum + ex->blocks_misplaced <=
			   in->blocks_per_unit);
		FUZZ_CHECK(ex->first_odd_block < in->blocks_per_unit);
		FUZZ_CHECK(!ex->more_generations ||
			   ex->nr_generations == FA_TEAR_MAX_GENERATIONS);
	}
}

static void fuzz_parse(const struct input *in)
{
	static uint8_t blk[MAX_BLOCK];
	struct fa_stamp_info info;
	size_t off;
	int ret;

	if (!in->block_valid) {
		FUZZ_CHECK(fa_stamp_parse_block(in->payload, in->block,
						&info) == -EINVAL);
		return;
	}
	for (off = 0; off < in->len; off += in->block) {
		size_t n = in->len - off < in->block ? in->len - off :
						       in->block;
		uint64_t where = in->base + off;

		/* A short last piece is padded with zeros to a block. */
		memset(blk, 0, in->block);
		memcpy(blk, in->payload + off, n);
		ret = fa_stamp_check_block(blk, in->block, where, &info);
		FUZZ_CHECK(ret >= FA_STAMP_NONE && ret <= FA_STAMP_FOREIGN);
		if (ret == FA_STAMP_NONE) {
			FUZZ_CHECK(memcmp(blk, FA_STAMP_MAGIC,
					  FA_STAMP_MAGIC_LEN));
			continue;
		}
		FUZZ_CHECK(!memcmp(blk, FA_STAMP_MAGIC, FA_STAMP_MAGIC_LEN));
		if (ret == FA_STAMP_OK || ret == FA_STAMP_MISPLACED) {
			FUZZ_CHECK(info.block_size == in->block);
			FUZZ_CHECK(info.version == FA_STAMP_VERSION &&
				   info.stamp_len == FA_STAMP_LEN);
			FUZZ_CHECK(!fa_stamp_valid_geometry(info.unit_len,
							    in->block));
			FUZZ_CHECK(info.block_index <
				   info.unit_len / in->block);
			FUZZ_CHECK(info.crc == info.crc_computed);
			FUZZ_CHECK((ret == FA_STAMP_OK) ==
				   (info.unit_offset +
				    (uint64_t)info.block_index * in->block ==
				    where));
		}
		if (ret == FA_STAMP_BAD_CRC && info.block_size == in->block)
			FUZZ_CHECK(info.crc != info.crc_computed);
	}
}

static void fuzz_scan(const struct input *in)
{
	struct fa_scan_counts c;
	uint32_t unit = in->block * in->blocks_per_unit;

	fa_scan_counts_init(&c);
	if (!in->block_valid) {
		FUZZ_CHECK(fa_scan_region(in->payload, in->len, in->base,
					  in->block, in->block, &c) ==
			   -EINVAL);
		FUZZ_CHECK(c.units == 0);
		return;
	}
	FUZZ_CHECK(!fa_scan_region(in->payload, in->len, in->base, unit,
				   in->block, &c));
	check_counts(&c, in->len / unit, in, unit);
}

static void fuzz_damage(const struct input *in)
{
	static uint8_t region[MAX_REGION];
	bool touched[MAX_UNITS] = { false };
	uint32_t unit = in->block * in->blocks_per_unit;
	size_t total = (size_t)unit * in->units, nr_blocks, off;
	struct fa_scan_counts c;
	uint32_t k;

	if (!in->block_valid)
		return;
	for (k = 0; k < in->units; k++)
		FUZZ_CHECK(!fa_stamp_fill(region + (size_t)k * unit,
					  in->base + (uint64_t)k * unit, unit,
					  in->block, in->base * 7 + k));
	nr_blocks = total / in->block;
	for (off = 0; off + 5 <= in->len; off += 5) {
		const uint8_t *r = in->payload + off;
		size_t pos = (r[1] | r[2] << 8 | (size_t)r[3] << 16) % total;
		size_t from = pos / in->block * in->block;
		size_t to = (size_t)(r[4] % nr_blocks) * in->block;

		switch (r[0] % 3) {
		case 0:
			region[pos] ^= r[4];
			if (r[4])
				touched[pos / unit] = true;
			break;
		case 1:
			memcpy(region + to, region + from, in->block);
			if (to != from)
				touched[to / unit] = true;
			break;
		default:
			memset(region + from, 0, in->block);
			touched[from / unit] = true;
			break;
		}
	}
	fa_scan_counts_init(&c);
	FUZZ_CHECK(!fa_scan_region(region, total, in->base, unit, in->block,
				   &c));
	check_counts(&c, in->units, in, unit);
	for (k = 0; k < in->units; k++) {
		struct fa_scan_counts one;

		if (touched[k])
			continue;
		fa_scan_counts_init(&one);
		fa_scan_region(region + (size_t)k * unit, unit,
			       in->base + (uint64_t)k * unit, unit, in->block,
			       &one);
		FUZZ_CHECK(one.intact == 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in;

	if (size < HEADER_LEN)
		return 0;
	memset(&in, 0, sizeof(in));
	in.block = 512u << (data[1] % 4);
	if (data[1] & 0x80 && size >= HEADER_LEN + 4)
		in.block = le32(data + HEADER_LEN);
	in.block_valid = !fa_stamp_valid_geometry(in.block, in.block) &&
			 in.block <= MAX_BLOCK;
	in.blocks_per_unit = 1 + data[2] % 8;
	in.units = 1 + (data[2] >> 3) % MAX_UNITS;
	in.base = le64(data + 3);
	in.payload = data + HEADER_LEN;
	in.len = size - HEADER_LEN;

	FUZZ_CHECK(fa_crc32c_hw(0, in.payload, in.len) ==
		   fa_crc32c_portable(0, in.payload, in.len));

	/* A valid size this harness cannot hold is left alone. */
	if (!in.block_valid && !fa_stamp_valid_geometry(in.block, in.block))
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_parse(&in);
		break;
	case 1:
		fuzz_scan(&in);
		break;
	default:
		fuzz_damage(&in);
		break;
	}
	return 0;
}

