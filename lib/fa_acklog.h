/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the acknowledged-write log. With tear_ack_log=PATH, every
 * stamped write the device reported complete without error is appended to
 * a log as one fixed-size record, written with one write() as soon as the
 * completion is seen. After a power cut, the log says which writes the
 * device had promised to keep, and the checker compares that with what
 * the target holds: an acknowledged write the target no longer has (and
 * that no later write can have replaced) was lost.
 *
 * Nothing in lib/ prints or exits: functions return 0 or -errno, or a typed
 * result, and the caller decides what to tell the user.
 */
#ifndef FA_ACKLOG_H
#define FA_ACKLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_scan.h"

/**
 * DOC: acknowledged-write record, version 1
 *
 * A log is a sequence of these records and nothing else (no file header),
 * so that appending one is a single write() that either happens whole or
 * not at all. All integers are little-endian, at fixed offsets:
 *
 * ====== ==== =============== ============================================
 * offset size field           meaning
 * ====== ==== =============== ============================================
 *      0    4 magic           the ASCII bytes "FAAK" (no NUL)
 *      4    2 version         1
 *      6    2 record_len      40, the length of this record
 *      8    8 generation      the write's stamp generation (fa_stamp.h)
 *     16    8 submitted_hi    the highest generation the writing job had
 *                             stamped when this completion was logged:
 *                             every write of that job with a higher
 *                             generation was submitted after it
 *     24    8 unit_offset     byte offset of the write in the target
 *     32    4 length          bytes written
 *     36    4 crc32c          CRC-32C (fa_crc32c()) of bytes 0..35
 * ====== ==== =============== ============================================
 *
 * The generation's upper 32 bits name the writing job and process
 * (fa_engine.c), so records of several jobs can be told apart wherever
 * they are stored. fio writes one log per job: PATH.<job>.<n>, <job> the
 * job's name and <n> its thread number, as tear_report names its files.
 */
#define FA_ACK_MAGIC		"FAAK"
#define FA_ACK_MAGIC_LEN	4
#define FA_ACK_VERSION		1
#define FA_ACK_LEN		40

#define FA_ACK_OFF_MAGIC	0
#define FA_ACK_OFF_VERSION	4
#define FA_ACK_OFF_RECORD_LEN	6
#define FA_ACK_OFF_GENERATION	8
#define FA_ACK_OFF_SUBMITTED_HI	16
#define FA_ACK_OFF_UNIT_OFFSET	24
#define FA_ACK_OFF_LENGTH	32
#define FA_ACK_OFF_CRC		36

/** struct fa_ack - one acknowledged write, in host order */
struct fa_ack {
	uint64_t generation;
	uint64_t submitted_hi;
	uint64_t offset;
	uint32_t length;
};

/**
 * enum fa_ack_status - what a record holds
 * @FA_ACK_OK:		a valid record
 * @FA_ACK_BAD_MAGIC:	not an acknowledged-write record
 * @FA_ACK_BAD_VERSION:	another version or record length
 * @FA_ACK_BAD_CRC:	the CRC does not match: the record is damaged
 * @FA_ACK_BAD_FIELDS:	valid CRC, impossible fields: generation 0,
 *			length 0, an offset + length past 2^63, or a
 *			submitted_hi below the write's own generation
 * @FA_ACK_TRUNCATED:	fewer than FA_ACK_LEN bytes left in the log
 */
enum fa_ack_status {
	FA_ACK_OK = 0,
	FA_ACK_BAD_MAGIC,
	FA_ACK_BAD_VERSION,
	FA_ACK_BAD_CRC,
	FA_ACK_BAD_FIELDS,
	FA_ACK_TRUNCATED,
};

/** fa_ack_status_name() - a short phrase: "bad magic", "truncated", ... */
const char *fa_ack_status_name(enum fa_ack_status status);

/** fa_ack_encode() - the FA_ACK_LEN bytes of @ack's record into @rec */
void fa_ack_encode(const struct fa_ack *ack, void *rec);

/**
 * fa_ack_decode() - read one record
 * @rec:	FA_ACK_LEN bytes, any alignment
 * @ack:	filled in when the result is FA_ACK_OK
 */
enum fa_ack_status fa_ack_decode(const void *rec, struct fa_ack *ack);

/**
 * struct fa_ack_set - the records of one or more logs
 * @acks:	every record, in the order added; sorted by offset (then
 *		generation) by fa_ack_set_prepare()
 * @by_generation: a copy of @acks sorted by generation, made by
 *		fa_ack_set_prepare()
 */
struct fa_ack_set {
	struct fa_ack *acks;
	size_t nr, alloc;
	struct fa_ack *by_generation;
	bool prepared;
};

/** fa_ack_set_init() - an empty set */
void fa_ack_set_init(struct fa_ack_set *set);

/** fa_ack_set_free() - free what @set holds; it is empty afterwards */
void fa_ack_set_free(struct fa_ack_set *set);

/**
 * fa_ack_set_add_log() - add every record of a log's contents
 * @buf, @len:	the whole log
 * @bad_record:	on FA_ACK_* failure, the 0-based index of the first bad
 *		record (its byte offset is @bad_record * FA_ACK_LEN)
 *
 * All or nothing: when a record is bad, none of the log is added.
 *
 * Return: FA_ACK_OK (0), an enum fa_ack_status > 0 for a bad log, or
 * -ENOMEM.
 */
int fa_ack_set_add_log(struct fa_ack_set *set, const void *buf, size_t len,
		       size_t *bad_record);

/**
 * fa_ack_set_prepare() - sort @set for fa_ack_check_unit()
 * Return: 0 or -ENOMEM.
 */
int fa_ack_set_prepare(struct fa_ack_set *set);

/**
 * fa_ack_set_find() - the record of the write with @generation
 * Return: it, or NULL when that write was never acknowledged.
 */
const struct fa_ack *fa_ack_set_find(const struct fa_ack_set *set,
				     uint64_t generation);

/** fa_ack_same_writer() - two generations of the same job and process */
static inline bool fa_ack_same_writer(uint64_t a, uint64_t b)
{
	return a >> 32 == b >> 32;
}

/** enum fa_lost_reason - why an acknowledged write counts as lost */
enum fa_lost_reason {
	FA_LOST_UNWRITTEN = 1,	/* the unit holds no stamp at all */
	FA_LOST_TORN,		/* the unit is torn */
	FA_LOST_MISMATCHED,	/* stamps of another geometry */
	FA_LOST_OLDER,		/* an older write of the job, completed
				 * before this one was submitted */
};

/** fa_lost_reason_name() - "unwritten", "torn", "mismatched", "older" */
const char *fa_lost_reason_name(enum fa_lost_reason reason);

#define FA_ACK_MAX_EXAMPLES	8

/**
 * struct fa_lost_example - one lost acknowledged write
 * @found:	the generation the unit holds (0 unless intact)
 * @found_submitted_hi: the found write's submitted_hi (FA_LOST_OLDER)
 */
struct fa_lost_example {
	uint64_t offset;
	uint64_t generation;
	uint64_t found;
	uint64_t found_submitted_hi;
	enum fa_lost_reason reason;
};

/**
 * struct fa_ack_check - the verdict on every acknowledged write
 * @acked:	records checked against a unit (the others are counted in
 *		@outside and @off_grid)
 * @units:	units that had at least one acknowledged write
 * @found:	the unit holds exactly this write
 * @newer:	the unit holds a later write of the same job
 * @raced:	the unit holds an earlier write of the same job that was
 *		still in flight (not acknowledged, or acknowledged after
 *		this one was submitted): either may win, not a loss
 * @other_job:	the unit holds a write of another job
 * @lost:	lost writes; by reason in @lost_unwritten, @lost_torn,
 *		@lost_mismatched and @lost_older (these add up to @lost)
 * @outside:	records for places outside the scanned region
 * @off_grid:	records in the region whose offset or length is not the
 *		scan's unit: written with another geometry, not judged
 * @examples:	the first FA_ACK_MAX_EXAMPLES lost writes
 * @start, @end: the scanned region, from fa_ack_check_init()
 * @next:	private: the first record not yet met by the scan
 */
struct fa_ack_check {
	uint64_t acked;
	uint64_t units;
	uint64_t found;
	uint64_t newer;
	uint64_t raced;
	uint64_t other_job;
	uint64_t lost;
	uint64_t lost_unwritten;
	uint64_t lost_torn;
	uint64_t lost_mismatched;
	uint64_t lost_older;
	uint64_t outside;
	uint64_t off_grid;
	unsigned int nr_examples;
	struct fa_lost_example examples[FA_ACK_MAX_EXAMPLES];
	uint64_t start, end;
	size_t next;
};

/**
 * fa_ack_check_init() - zero @chk before a scan of the bytes from @start
 * up to @end
 */
void fa_ack_check_init(struct fa_ack_check *chk, uint64_t start,
		       uint64_t end);

/**
 * fa_ack_check_unit() - judge the acknowledged writes to one unit
 * @set:	prepared with fa_ack_set_prepare()
 * @offset:	the unit's offset; units must come in ascending order
 * @unit:	bytes per unit
 * @state:	what the unit holds
 * @generation:	the unit's generation when @state is FA_UNIT_INTACT
 *
 * Records for offsets the scan stepped over (before @offset) are counted
 * in @outside or @off_grid.
 */
void fa_ack_check_unit(const struct fa_ack_set *set, struct fa_ack_check *chk,
		       uint64_t offset, uint32_t unit,
		       enum fa_unit_state state, uint64_t generation);

/**
 * fa_ack_check_finish() - after the last unit: the records no unit met
 * count in @outside (not in the region) or @off_grid
 */
void fa_ack_check_finish(const struct fa_ack_set *set,
			 struct fa_ack_check *chk);

#endif /* FA_ACKLOG_H */
