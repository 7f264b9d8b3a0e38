/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: a reader of dm-log-writes' on-disk log. The device-mapper
 * target log-writes (drivers/md/dm-log-writes.c) records every write that
 * reached its data device, in the order it became durable, on a second
 * device; replaying the log up to each FLUSH or FUA entry rebuilds every
 * state a power cut could have left (the approach of xfstests generic/482).
 *
 * A log is untrusted input: every field is checked against the log's size
 * and the format's rules before anything is read through it. Nothing here
 * prints or exits: functions return 0 or -errno.
 */
#ifndef FA_LOGWRITES_H
#define FA_LOGWRITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * DOC: dm-log-writes log, version 1
 *
 * All integers little-endian. The log is a sequence of blocks of
 * sectorsize bytes (the data device's logical block size):
 *
 * - block 0, the super: magic (8 bytes, 0x6a736677736872), version (8, 1),
 *   nr_entries (8), sectorsize (4). The target rewrites it after each FUA
 *   or MARK entry, so entries logged after the last of those exist on the
 *   log without being counted; a reader takes nr_entries as the end.
 * - from block 1, nr_entries entries, each a header block followed by its
 *   data. Header: sector (8), nr_sectors (8), flags (8), data_len (8);
 *   sector and nr_sectors in sectorsize units of the data device. A write
 *   is followed by nr_sectors blocks of data; a DISCARD has none (its
 *   nr_sectors is the range discarded); a MARK carries data_len bytes of
 *   text in its header block, after the 32-byte header.
 */
#define FA_LW_MAGIC		0x6a736677736872ULL
#define FA_LW_VERSION		1
#define FA_LW_SUPER_LEN		28
#define FA_LW_ENTRY_LEN		32
#define FA_LW_SECTORSIZE_MIN	512
#define FA_LW_SECTORSIZE_MAX	65536

/* entry flags, the target's LOG_*_FLAG */
#define FA_LW_FLUSH		(1ULL << 0)
#define FA_LW_FUA		(1ULL << 1)
#define FA_LW_DISCARD		(1ULL << 2)
#define FA_LW_MARK		(1ULL << 3)
#define FA_LW_METADATA		(1ULL << 4)
#define FA_LW_KNOWN_FLAGS	(FA_LW_FLUSH | FA_LW_FUA | FA_LW_DISCARD | \
				 FA_LW_MARK | FA_LW_METADATA)

/** struct fa_lw_super - the log's super block, in host order */
struct fa_lw_super {
	uint64_t magic;
	uint64_t version;
	uint64_t nr_entries;
	uint32_t sectorsize;
};

/**
 * struct fa_lw_entry - one entry
 * @index:	0-based position in the log
 * @sector, @nr_sectors: the data device's range, in sectorsize units
 * @flags:	FA_LW_*
 * @data_len:	the MARK's text length (0 for every other entry)
 * @log_offset:	byte offset of the header block in the log
 * @data_offset: byte offset of the written data in the log (the block
 *		after the header); meaningful when fa_lw_has_data()
 * @next_offset: byte offset of the next entry's header
 * @mark:	a MARK's text, @data_len bytes and a NUL, inside the reader's
 *		block buffer: valid until the next read; NULL otherwise
 */
struct fa_lw_entry {
	uint64_t index;
	uint64_t sector;
	uint64_t nr_sectors;
	uint64_t flags;
	uint64_t data_len;
	uint64_t log_offset;
	uint64_t data_offset;
	uint64_t next_offset;
	const char *mark;
};

/** fa_lw_is_crash_point() - a FLUSH or FUA entry: a state to check */
static inline bool fa_lw_is_crash_point(const struct fa_lw_entry *e)
{
	return e->flags & (FA_LW_FLUSH | FA_LW_FUA);
}

/** fa_lw_has_data() - a write whose data follows its header in the log */
static inline bool fa_lw_has_data(const struct fa_lw_entry *e)
{
	return !(e->flags & (FA_LW_DISCARD | FA_LW_MARK)) && e->nr_sectors;
}

/**
 * fa_lw_flags_name() - "FLUSH|FUA|METADATA", "-" for none, into @buf
 * Return: @buf.
 */
const char *fa_lw_flags_name(uint64_t flags, char *buf, size_t len);

/**
 * fa_lw_super_parse() - decode and check the super block
 * @buf, @len:	the log's first bytes (FA_LW_SUPER_LEN or more)
 *
 * Return: 0; -ENODATA when @len is short; -ENOMSG for another magic (not
 * a dm-log-writes log); -EPROTONOSUPPORT for another version; -EBADMSG
 * for a sectorsize that is not a power of two in
 * FA_LW_SECTORSIZE_MIN..FA_LW_SECTORSIZE_MAX.
 */
int fa_lw_super_parse(const void *buf, size_t len, struct fa_lw_super *sb);

/**
 * fa_lw_entry_parse() - decode and check one header block
 * @block:	@sectorsize bytes
 * @e:		its fields; @index and the offsets are the caller's to set;
 *		@mark points into @block (whose byte after the text is
 *		zeroed: @block is written to)
 *
 * Return: 0, or -EBADMSG for a header the target cannot have written:
 * unknown flags, a MARK with a range or with other flags, a DISCARD with
 * FLUSH or FUA, data_len on anything but a MARK or longer than the block
 * holds, a range past 2^63 bytes.
 */
int fa_lw_entry_parse(void *block, uint32_t sectorsize,
		      struct fa_lw_entry *e);

/**
 * typedef fa_lw_read_fn - read @len bytes at @offset of the log
 * Return: 0, or -errno (-ENODATA for a short read).
 */
typedef int (*fa_lw_read_fn)(void *ctx, void *buf, size_t len,
			     uint64_t offset);

/** struct fa_lw_mem - a log held in memory, for fa_lw_mem_read() */
struct fa_lw_mem {
	const void *buf;
	size_t len;
};

/** fa_lw_mem_read() - fa_lw_read_fn over a struct fa_lw_mem */
int fa_lw_mem_read(void *ctx, void *buf, size_t len, uint64_t offset);

/** fa_lw_fd_read() - fa_lw_read_fn over a file descriptor (an int *) */
int fa_lw_fd_read(void *ctx, void *buf, size_t len, uint64_t offset);

/**
 * struct fa_lw_reader - a walk through a log's entries
 * @super:	the checked super block
 * @log_size:	bytes the log has; no entry may reach past them
 * @next_index, @next_offset: the entry fa_lw_next() reads next
 */
struct fa_lw_reader {
	fa_lw_read_fn read;
	void *ctx;
	uint64_t log_size;
	struct fa_lw_super super;
	uint64_t next_index;
	uint64_t next_offset;
	unsigned char *block;
};

/**
 * fa_lw_open() - read and check the super block, position at entry 0
 * @log_size:	the log's size in bytes (a device's or a file's)
 *
 * Return: 0, fa_lw_super_parse()'s errors, -ERANGE when the log is
 * smaller than one block, -ENOMEM, or the read function's error. On
 * error nothing needs fa_lw_close().
 */
int fa_lw_open(struct fa_lw_reader *r, fa_lw_read_fn read, void *ctx,
	       uint64_t log_size);

/**
 * fa_lw_next() - the next entry
 *
 * Return: 0 and @e filled; 1 at the end (nr_entries read);
 * fa_lw_entry_parse()'s -EBADMSG; -ERANGE when the entry's header or data
 * would reach past the log's size; the read function's error. After an
 * error the walk stays where it was.
 */
int fa_lw_next(struct fa_lw_reader *r, struct fa_lw_entry *e);

/**
 * fa_lw_seek() - continue a walk at an entry met before
 * @index, @offset: an entry's @index and @log_offset from this log
 *
 * Return: 0, or -ERANGE past nr_entries, the log's size, or before the
 * first entry.
 */
int fa_lw_seek(struct fa_lw_reader *r, uint64_t index, uint64_t offset);

/**
 * fa_lw_read_data() - read part of a write's data
 * @off:	offset inside the entry's data
 *
 * Return: 0; -EINVAL for an entry without data or a range past its
 * nr_sectors; the read function's error.
 */
int fa_lw_read_data(struct fa_lw_reader *r, const struct fa_lw_entry *e,
		    uint64_t off, void *buf, size_t len);

/** fa_lw_close() - free what @r holds */
void fa_lw_close(struct fa_lw_reader *r);

#endif /* FA_LOGWRITES_H */
