/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: write stamps. With tear checking on, every logical block of
 * every atomic write (a "unit") carries a stamp naming the write it belongs
 * to, followed by pattern data derived from that write, so that a scan of
 * the target afterwards can attribute each block to exactly one write and
 * find units whose blocks come from more than one (torn writes).
 *
 * Nothing in lib/ prints or exits: functions return 0 or -errno, or a typed
 * result, and the caller decides what to tell the user.
 */
#ifndef FA_STAMP_H
#define FA_STAMP_H

#include <stdint.h>

struct fa_limits;
struct fa_value;

/**
 * DOC: stamp format, version 1
 *
 * The first 48 bytes of every block of a stamped unit; all integers are
 * little-endian, at fixed offsets:
 *
 * ====== ==== =============== ============================================
 * offset size field           meaning
 * ====== ==== =============== ============================================
 *      0    8 magic           the ASCII bytes "FA-STAMP" (no NUL)
 *      8    8 generation      the write's number, unique per write
 *     16    8 unit_offset     byte offset of the unit in the target
 *     24    4 unit_len        bytes in the unit (a multiple of block_size)
 *     28    4 block_index     this block's index in the unit, from 0
 *     32    4 block_size      bytes in each block
 *     36    2 version         1
 *     38    2 stamp_len       48, the length of this header
 *     40    4 reserved        0
 *     44    4 crc32c          CRC-32C (fa_crc32c()) of the whole block,
 *                             computed with these 4 bytes zero
 * ====== ==== =============== ============================================
 *
 * Bytes 48..block_size-1 are pattern data, 64-bit little-endian words
 * w[0], w[1], ... at 48 + 8j:
 *
 *	mix(z)	= splitmix64's finaliser: z ^= z >> 30;
 *		  z *= 0xbf58476d1ce4e5b9; z ^= z >> 27;
 *		  z *= 0x94d049bb133111eb; z ^= z >> 31
 *	seed	= mix(generation + 0x9e3779b97f4a7c15 * (block_index + 1))
 *	v[j]	= seed + 0x9e3779b97f4a7c15 * j	(mod 2^64)
 *	w[j]	= v[j] ^ (v[j] >> 29)
 *
 * so no two blocks written by different writes are alike, and a device
 * that compresses or deduplicates finds little to gain. The pattern is not
 * checked on its own: the CRC covers it.
 *
 * The block size is the target's logical block size (fa_stamp_block_for()),
 * the smallest unit a device can tear at; it is a power of two from
 * FA_STAMP_MIN_BLOCK to FA_STAMP_MAX_BLOCK.
 */
#define FA_STAMP_MAGIC		"FA-STAMP"
#define FA_STAMP_MAGIC_LEN	8
#define FA_STAMP_VERSION	1
#define FA_STAMP_LEN		48
#define FA_STAMP_MIN_BLOCK	512u
#define FA_STAMP_MAX_BLOCK	(1u << 20)
#define FA_STAMP_MAX_UNIT	(1u << 30)

/* Field offsets in a block, for tests and tools that look at raw bytes. */
#define FA_STAMP_OFF_MAGIC		0
#define FA_STAMP_OFF_GENERATION		8
#define FA_STAMP_OFF_UNIT_OFFSET	16
#define FA_STAMP_OFF_UNIT_LEN		24
#define FA_STAMP_OFF_BLOCK_INDEX	28
#define FA_STAMP_OFF_BLOCK_SIZE		32
#define FA_STAMP_OFF_VERSION		36
#define FA_STAMP_OFF_STAMP_LEN		38
#define FA_STAMP_OFF_RESERVED		40
#define FA_STAMP_OFF_CRC		44

/**
 * struct fa_stamp_info - the fields of one block's stamp, in host order
 * @crc:	as stored
 * @crc_computed: what the block's bytes give; 0 when not computed (the
 *		result was FA_STAMP_NONE, or FA_STAMP_FOREIGN for a larger
 *		block size than the one parsed)
 */
struct fa_stamp_info {
	uint64_t generation;
	uint64_t unit_offset;
	uint32_t unit_len;
	uint32_t block_index;
	uint32_t block_size;
	uint16_t version;
	uint16_t stamp_len;
	uint32_t crc;
	uint32_t crc_computed;
};

/**
 * enum fa_stamp_result - what a block holds
 * @FA_STAMP_NONE:	no stamp magic: never written with a stamp (zeros,
 *			old data, another program's data)
 * @FA_STAMP_OK:	a stamp whose CRC matches and whose fields are
 *			consistent
 * @FA_STAMP_BAD_CRC:	the magic, but the CRC does not match the block:
 *			the block mixes data of two writes (a tear inside
 *			the block) or was corrupted
 * @FA_STAMP_MISPLACED:	a valid stamp written for another place: its
 *			unit_offset + block_index * block_size is not where
 *			the block was found (only fa_stamp_check_block()
 *			gives it)
 * @FA_STAMP_FOREIGN:	a stamp this call cannot check: another version or
 *			header length, another block size than the one
 *			asked for, or fields that contradict each other
 *			under a valid CRC; the fields are filled in so the
 *			caller can tell the user what the writer used
 */
enum fa_stamp_result {
	FA_STAMP_NONE = 0,
	FA_STAMP_OK,
	FA_STAMP_BAD_CRC,
	FA_STAMP_MISPLACED,
	FA_STAMP_FOREIGN,
};

/** fa_stamp_result_name() - short stable name: "none", "ok", "bad_crc", ... */
const char *fa_stamp_result_name(enum fa_stamp_result result);

/**
 * fa_stamp_valid_geometry() - check a unit and block size for stamping
 * Return: 0, or -EINVAL unless @block_size is a power of two in
 * FA_STAMP_MIN_BLOCK..FA_STAMP_MAX_BLOCK and @unit_len a non-zero multiple
 * of it no larger than FA_STAMP_MAX_UNIT.
 */
int fa_stamp_valid_geometry(uint32_t unit_len, uint32_t block_size);

/**
 * fa_stamp_fill() - stamp a whole unit buffer
 * @buf:	@unit_len bytes, any alignment
 * @unit_offset: where the unit will be written in the target, in bytes
 * @unit_len:	bytes in the unit
 * @block_size:	bytes per stamped block
 * @generation:	the write's unique number
 *
 * Every block gets its stamp and pattern data; the buffer's old contents
 * do not matter.
 *
 * Return: 0, or -EINVAL for a geometry fa_stamp_valid_geometry() refuses.
 */
int fa_stamp_fill(void *buf, uint64_t unit_offset, uint32_t unit_len,
		  uint32_t block_size, uint64_t generation);

/**
 * fa_stamp_parse_block() - read and verify the stamp of one block
 * @blk:	@block_size bytes, any alignment
 * @block_size:	the block size the caller scans with
 * @out:	filled in unless the result is FA_STAMP_NONE or -EINVAL
 *
 * A stamp whose block_size field is smaller than @block_size is verified
 * over its own block size and reported FA_STAMP_FOREIGN when valid.
 *
 * Return: an enum fa_stamp_result other than FA_STAMP_MISPLACED, or
 * -EINVAL when @block_size is not a stamp block size.
 */
int fa_stamp_parse_block(const void *blk, uint32_t block_size,
			 struct fa_stamp_info *out);

/**
 * fa_stamp_check_block() - fa_stamp_parse_block(), and where it belongs
 * @where:	byte offset in the target at which @blk was read
 *
 * Return: as fa_stamp_parse_block(), with FA_STAMP_MISPLACED for a valid
 * stamp that names another place than @where.
 */
int fa_stamp_check_block(const void *blk, uint32_t block_size, uint64_t where,
			 struct fa_stamp_info *out);

/**
 * fa_stamp_block_for() - the block size to stamp writes to a target with,
 * and to scan it with: the logical block size of a block device (sysfs),
 * the direct I/O offset alignment of a file (statx), else 4096
 * @lim:	from fa_limits_discover()
 * @src:	receives the limit it came from, or NULL for the default
 *
 * Writers and the scanner must agree on it, so both call this.
 */
uint32_t fa_stamp_block_for(const struct fa_limits *lim,
			    const struct fa_value **src);

#endif /* FA_STAMP_H */
