// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: dm-log-writes' log: its super block, its entry headers, and a
 * bounds-checked walk through the entries (fa_logwrites.h has the format).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_logwrites.h"
#include "fa_unaligned.h"

/* No entry may describe bytes past this: offsets stay in off_t. */
#define FA_LW_BYTES_MAX		(1ULL << 63)

const char *fa_lw_flags_name(uint64_t flags, char *buf, size_t len)
{
	static const struct {
		uint64_t flag;
		const char *name;
	} names[] = {
		{ FA_LW_FLUSH, "FLUSH" },     { FA_LW_FUA, "FUA" },
		{ FA_LW_DISCARD, "DISCARD" }, { FA_LW_MARK, "MARK" },
		{ FA_LW_METADATA, "METADATA" },
	};
	size_t used = 0, i;
	int n;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].flag))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "",
			     names[i].name);
		if (n < 0 || (size_t)n >= len - used) {
			/* whole names only */
			buf[used] = '\0';
			return buf;
		}
		used += n;
	}
	if (flags & ~FA_LW_KNOWN_FLAGS)
		snprintf(buf + used, len - used, "%s0x%llx", used ? "|" : "",
			 (unsigned long long)(flags & ~FA_LW_KNOWN_FLAGS));
	else if (!used)
		snprintf(buf, len, "-");
	return buf;
}

int fa_lw_super_parse(const void *buf, size_t len, struct fa_lw_super *sb)
{
	const unsigned char *p = buf;
	uint32_t ss;

	if (len < FA_LW_SUPER_LEN)
		return -ENODATA;
	sb->magic = sg_get_unaligned_le64(p);
	sb->version = sg_get_unaligned_le64(p + 8);
	sb->nr_entries = sg_get_unaligned_le64(p + 16);
	sb->sectorsize = sg_get_unaligned_le32(p + 24);
	if (sb->magic != FA_LW_MAGIC)
		return -ENOMSG;
	if (sb->version != FA_LW_VERSION)
		return -EPROTONOSUPPORT;
	ss = sb->sectorsize;
	if (ss < FA_LW_SECTORSIZE_MIN || ss > FA_LW_SECTORSIZE_MAX ||
	    (ss & (ss - 1)))
		return -EBADMSG;
	return 0;
}

int fa_lw_entry_parse(void *block, uint32_t sectorsize,
		      struct fa_lw_entry *e)
{
	unsigned char *p = block;
	uint64_t flags, limit;

	e->sector = sg_get_unaligned_le64(p);
	e->nr_sectors = sg_get_unaligned_le64(p + 8);
	e->flags = flags = sg_get_unaligned_le64(p + 16);
	e->data_len = sg_get_unaligned_le64(p + 24);
	e->mark = NULL;

	if (flags & ~FA_LW_KNOWN_FLAGS)
		return -EBADMSG;
	/* Both counts in blocks: no byte of the range may pass 2^63. */
	limit = FA_LW_BYTES_MAX / sectorsize;
	if (e->sector > limit || e->nr_sectors > limit - e->sector)
		return -EBADMSG;
	if (flags & FA_LW_MARK) {
		/* Marks come from a message, never from a bio. */
		if (flags != FA_LW_MARK || e->nr_sectors || e->sector)
			return -EBADMSG;
		/* Leave room for the NUL the text gets here. */
		if (e->data_len >= sectorsize - FA_LW_ENTRY_LEN)
			return -EBADMSG;
		p[FA_LW_ENTRY_LEN + e->data_len] = '\0';
		e->mark = (const char *)p + FA_LW_ENTRY_LEN;
		return 0;
	}
	if (e->data_len)
		return -EBADMSG;
	if ((flags & FA_LW_DISCARD) && (flags & (FA_LW_FLUSH | FA_LW_FUA)))
		return -EBADMSG;
	return 0;
}

int fa_lw_mem_read(void *ctx, void *buf, size_t len, uint64_t offset)
{
	const struct fa_lw_mem *m = ctx;

	if (offset > m->len || len > m->len - offset)
		return -ENODATA;
	memcpy(buf, (const unsigned char *)m->buf + offset, len);
	return 0;
}

int fa_lw_fd_read(void *ctx, void *buf, size_t len, uint64_t offset)
{
	int fd = *(const int *)ctx;
	unsigned char *p = buf;
	ssize_t n;

	if (offset > FA_LW_BYTES_MAX || len > FA_LW_BYTES_MAX - offset)
		return -ERANGE;
	while (len) {
		n = pread(fd, p, len, (off_t)offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

int fa_lw_open(struct fa_lw_reader *r, fa_lw_read_fn read, void *ctx,
	       uint64_t log_size)
{
	unsigned char head[FA_LW_SUPER_LEN];
	int ret;

	memset(r, 0, sizeof(*r));
	r->read = read;
	r->ctx = ctx;
	r->log_size = log_size;
	if (log_size < FA_LW_SUPER_LEN)
		return -ERANGE;
	ret = read(ctx, head, sizeof(head), 0);
	if (ret)
		return ret;
	ret = fa_lw_super_parse(head, sizeof(head), &r->super);
	if (ret)
		return ret;
	if (log_size < r->super.sectorsize)
		return -ERANGE;
	r->block = malloc(r->super.sectorsize);
	if (!r->block)
		return -ENOMEM;
	r->next_index = 0;
	r->next_offset = r->super.sectorsize;
	return 0;
}

int fa_lw_next(struct fa_lw_reader *r, struct fa_lw_entry *e)
{
	uint64_t ss = r->super.sectorsize, off = r->next_offset, end;
	int ret;

	if (r->next_index >= r->super.nr_entries)
		return 1;
	if (off > r->log_size || ss > r->log_size - off)
		return -ERANGE;
	ret = r->read(r->ctx, r->block, ss, off);
	if (ret)
		return ret;
	ret = fa_lw_entry_parse(r->block, r->super.sectorsize, e);
	if (ret)
		return ret;
	end = off + ss;
	e->data_offset = end;
	if (fa_lw_has_data(e)) {
		/* nr_sectors * ss < 2^63, checked by the parse */
		if (e->nr_sectors * ss > r->log_size - end)
			return -ERANGE;
		end += e->nr_sectors * ss;
	}
	e->index = r->next_index;
	e->log_offset = off;
	e->next_offset = end;
	r->next_index++;
	r->next_offset = end;
	return 0;
}

int fa_lw_seek(struct fa_lw_reader *r, uint64_t index, uint64_t offset)
{
	if (index > r->super.nr_entries || offset < r->super.sectorsize ||
	    offset > r->log_size || offset % r->super.sectorsize)
		return -ERANGE;
	r->next_index = index;
	r->next_offset = offset;
	return 0;
}

int fa_lw_read_data(struct fa_lw_reader *r, const struct fa_lw_entry *e,
		    uint64_t off, void *buf, size_t len)
{
	uint64_t size;

	if (!fa_lw_has_data(e))
		return -EINVAL;
	size = e->nr_sectors * r->super.sectorsize;
	if (off > size || len > size - off)
		return -EINVAL;
	return r->read(r->ctx, buf, len, e->data_offset + off);
}

void fa_lw_close(struct fa_lw_reader *r)
{
	free(r->block);
	r->block = NULL;
}
