// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: write stamps (the format is in fa_stamp.h).
 *
 * Filling is on the write path of every stamped I/O, so the pattern is
 * made 32 bytes at a time from an additive sequence (no multiply in the
 * loop, nothing carried from one word to the next) and the CRC runs on the
 * crc32 instruction; the whole costs little next to the write itself.
 */
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fa_crc32c.h"
#include "fa_limits.h"
#include "fa_stamp.h"

#define FA_STAMP_GOLDEN	0x9e3779b97f4a7c15ull

static inline void fa_put_le16(unsigned char *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void fa_put_le32(unsigned char *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void fa_put_le64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

static inline uint16_t fa_get_le16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

static inline uint32_t fa_get_le32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t fa_get_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

/* splitmix64's finaliser */
static inline uint64_t fa_stamp_mix(uint64_t z)
{
	z ^= z >> 30;
	z *= 0xbf58476d1ce4e5b9ull;
	z ^= z >> 27;
	z *= 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline bool fa_stamp_valid_block(uint64_t block_size)
{
	return block_size >= FA_STAMP_MIN_BLOCK &&
	       block_size <= FA_STAMP_MAX_BLOCK &&
	       !(block_size & (block_size - 1));
}

const char *fa_stamp_result_name(enum fa_stamp_result result)
{
	switch (result) {
	case FA_STAMP_NONE:
		return "none";
	case FA_STAMP_OK:
		return "ok";
	case FA_STAMP_BAD_CRC:
		return "bad_crc";
	case FA_STAMP_MISPLACED:
		return "misplaced";
	case FA_STAMP_FOREIGN:
		return "foreign";
	}
	return "unknown";
}

int fa_stamp_valid_geometry(uint32_t unit_len, uint32_t block_size)
{
	if (!fa_stamp_valid_block(block_size) || !unit_len ||
	    unit_len % block_size || unit_len > FA_STAMP_MAX_UNIT)
		return -EINVAL;
	return 0;
}

/* The pattern words of one block, w[j] for j < @words, at @p. */
static void fa_stamp_pattern(unsigned char *p, size_t words, uint64_t seed)
{
	size_t j = 0;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Two 16-byte vectors: SSE2 registers on x86-64, NEON on arm64. */
	typedef uint64_t fa_v2 __attribute__((vector_size(16)));
	fa_v2 v0 = { seed, seed + FA_STAMP_GOLDEN };
	fa_v2 v1 = { seed + 2 * FA_STAMP_GOLDEN, seed + 3 * FA_STAMP_GOLDEN };
	const fa_v2 step = { 4 * FA_STAMP_GOLDEN, 4 * FA_STAMP_GOLDEN };

	for (; j + 4 <= words; j += 4) {
		fa_v2 w0 = v0 ^ (v0 >> 29), w1 = v1 ^ (v1 >> 29);

		memcpy(p + 8 * j, &w0, sizeof(w0));
		memcpy(p + 8 * j + 16, &w1, sizeof(w1));
		v0 += step;
		v1 += step;
	}
#endif
	for (; j < words; j++) {
		uint64_t v1 = seed + FA_STAMP_GOLDEN * j;

		fa_put_le64(p + 8 * j, v1 ^ (v1 >> 29));
	}
}

/* CRC of a block as if its crc field were zero. */
static uint32_t fa_stamp_crc(const unsigned char *blk, uint32_t block_size)
{
	static const unsigned char zero[4];
	uint32_t crc;

	crc = fa_crc32c(0, blk, FA_STAMP_OFF_CRC);
	crc = fa_crc32c(crc, zero, sizeof(zero));
	return fa_crc32c(crc, blk + FA_STAMP_LEN, block_size - FA_STAMP_LEN);
}

int fa_stamp_fill(void *buf, uint64_t unit_offset, uint32_t unit_len,
		  uint32_t block_size, uint64_t generation)
{
	unsigned char *blk = buf;
	uint32_t i, nr_blocks;

	if (fa_stamp_valid_geometry(unit_len, block_size))
		return -EINVAL;
	nr_blocks = unit_len / block_size;
	for (i = 0; i < nr_blocks; i++, blk += block_size) {
		uint64_t seed = fa_stamp_mix(generation +
					     FA_STAMP_GOLDEN * (i + 1ull));

		memcpy(blk + FA_STAMP_OFF_MAGIC, FA_STAMP_MAGIC,
		       FA_STAMP_MAGIC_LEN);
		fa_put_le64(blk + FA_STAMP_OFF_GENERATION, generation);
		fa_put_le64(blk + FA_STAMP_OFF_UNIT_OFFSET, unit_offset);
		fa_put_le32(blk + FA_STAMP_OFF_UNIT_LEN, unit_len);
		fa_put_le32(blk + FA_STAMP_OFF_BLOCK_INDEX, i);
		fa_put_le32(blk + FA_STAMP_OFF_BLOCK_SIZE, block_size);
		fa_put_le16(blk + FA_STAMP_OFF_VERSION, FA_STAMP_VERSION);
		fa_put_le16(blk + FA_STAMP_OFF_STAMP_LEN, FA_STAMP_LEN);
		fa_put_le32(blk + FA_STAMP_OFF_RESERVED, 0);
		fa_put_le32(blk + FA_STAMP_OFF_CRC, 0);
		fa_stamp_pattern(blk + FA_STAMP_LEN,
				 (block_size - FA_STAMP_LEN) / 8, seed);
		fa_put_le32(blk + FA_STAMP_OFF_CRC,
			    fa_crc32c(0, blk, block_size));
	}
	return 0;
}

int fa_stamp_parse_block(const void *blk, uint32_t block_size,
			 struct fa_stamp_info *out)
{
	const unsigned char *p = blk;
	uint32_t own_size;

	if (!fa_stamp_valid_block(block_size))
		return -EINVAL;
	if (memcmp(p + FA_STAMP_OFF_MAGIC, FA_STAMP_MAGIC, FA_STAMP_MAGIC_LEN))
		return FA_STAMP_NONE;

	out->generation = fa_get_le64(p + FA_STAMP_OFF_GENERATION);
	out->unit_offset = fa_get_le64(p + FA_STAMP_OFF_UNIT_OFFSET);
	out->unit_len = fa_get_le32(p + FA_STAMP_OFF_UNIT_LEN);
	out->block_index = fa_get_le32(p + FA_STAMP_OFF_BLOCK_INDEX);
	out->block_size = fa_get_le32(p + FA_STAMP_OFF_BLOCK_SIZE);
	out->version = fa_get_le16(p + FA_STAMP_OFF_VERSION);
	out->stamp_len = fa_get_le16(p + FA_STAMP_OFF_STAMP_LEN);
	out->crc = fa_get_le32(p + FA_STAMP_OFF_CRC);
	out->crc_computed = 0;

	/* Another version may lay out everything after the magic anew. */
	if (out->version != FA_STAMP_VERSION ||
	    out->stamp_len != FA_STAMP_LEN)
		return FA_STAMP_FOREIGN;

	own_size = out->block_size;
	if (own_size != block_size) {
		/*
		 * A stamp of a smaller block size can still be verified; a
		 * size no writer could have used means a damaged header.
		 */
		if (!fa_stamp_valid_block(own_size))
			return FA_STAMP_BAD_CRC;
		if (own_size > block_size)
			return FA_STAMP_FOREIGN;
	}
	out->crc_computed = fa_stamp_crc(p, own_size);
	if (out->crc_computed != out->crc)
		return FA_STAMP_BAD_CRC;
	if (own_size != block_size ||
	    fa_stamp_valid_geometry(out->unit_len, own_size) ||
	    out->block_index >= out->unit_len / own_size)
		return FA_STAMP_FOREIGN;
	return FA_STAMP_OK;
}

int fa_stamp_check_block(const void *blk, uint32_t block_size, uint64_t where,
			 struct fa_stamp_info *out)
{
	int ret = fa_stamp_parse_block(blk, block_size, out);

	if (ret == FA_STAMP_OK &&
	    out->unit_offset + (uint64_t)out->block_index * block_size != where)
		return FA_STAMP_MISPLACED;
	return ret;
}

uint32_t fa_stamp_block_for(const struct fa_limits *lim,
			    const struct fa_value **src)
{
	const struct fa_value *v = NULL;

	if (lim->kind == FA_KIND_BLOCK)
		v = &lim->sys_logical_block;
	else if (lim->kind == FA_KIND_REGULAR)
		v = &lim->stx_dio_offset_align;
	if (v && v->known && fa_stamp_valid_block(v->value)) {
		if (src)
			*src = v;
		return (uint32_t)v->value;
	}
	if (src)
		*src = NULL;
	return 4096;
}
