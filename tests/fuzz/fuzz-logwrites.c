// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the dm-log-writes reader: a log is read
 * from a device after a crash test, or from any file a user names, and the
 * replayer writes wherever its entries say.
 *
 * Input: the log itself, from byte 0 (its super block first). Bit 0 of
 * the last byte, when set, gives the reader a log size larger than the
 * bytes there are, so short reads are met as well as ranges past the
 * end. Invariants: the walk either ends after nr_entries entries or stops
 * with -EBADMSG, -ERANGE or -ENODATA and stays there; every entry met
 * lies inside the log (header and data) and follows the one before it;
 * its range stays below 2^63 bytes; a MARK's text is NUL-terminated
 * where data_len says; a crash point is a FLUSH or FUA entry; reading a
 * write's data back never fails for a range inside it.
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_logwrites.h"

#include "fa_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fa_lw_mem mem = { data, size };
	struct fa_lw_reader r;
	struct fa_lw_entry e;
	uint64_t log_size = size, prev_end, n = 0, ss;
	unsigned char buf[64];
	char name[96];
	int ret;

	if (size && (data[size - 1] & 1))
		log_size += 1 << 16;
	ret = fa_lw_open(&r, fa_lw_mem_read, &mem, log_size);
	if (ret) {
		FUZZ_CHECK(ret == -ENOMSG || ret == -EPROTONOSUPPORT ||
			   ret == -EBADMSG || ret == -ERANGE ||
			   ret == -ENODATA);
		return 0;
	}
	ss = r.super.sectorsize;
	FUZZ_CHECK(ss >= FA_LW_SECTORSIZE_MIN && ss <= FA_LW_SECTORSIZE_MAX &&
		   !(ss & (ss - 1)));
	prev_end = ss;
	while ((ret = fa_lw_next(&r, &e)) == 0) {
		FUZZ_CHECK(e.index == n);
		FUZZ_CHECK(e.log_offset == prev_end);
		FUZZ_CHECK(e.next_offset <= log_size);
		FUZZ_CHECK(e.next_offset >= e.log_offset + ss);
		FUZZ_CHECK(e.sector <= (1ULL << 63) / ss &&
			   e.nr_sectors <= (1ULL << 63) / ss - e.sector);
		FUZZ_CHECK(!(e.flags & ~FA_LW_KNOWN_FLAGS));
		FUZZ_CHECK(fa_lw_is_crash_point(&e) ==
			   !!(e.flags & (FA_LW_FLUSH | FA_LW_FUA)));
		fa_lw_flags_name(e.flags, name, sizeof(name));
		FUZZ_CHECK(strlen(name) > 0);
		if (e.flags & FA_LW_MARK) {
			FUZZ_CHECK(e.mark != NULL);
			FUZZ_CHECK(e.data_len < ss - FA_LW_ENTRY_LEN);
			FUZZ_CHECK(e.mark[e.data_len] == '\0');
		} else {
			FUZZ_CHECK(e.mark == NULL && e.data_len == 0);
		}
		if (fa_lw_has_data(&e)) {
			size_t len = sizeof(buf);
			uint64_t bytes = e.nr_sectors * ss;

			FUZZ_CHECK(e.next_offset == e.data_offset + bytes);
			/* the data's last bytes, when the buffer holds them */
			ret = fa_lw_read_data(&r, &e, bytes - len, buf, len);
			FUZZ_CHECK(ret == 0 || ret == -ENODATA);
			FUZZ_CHECK(fa_lw_read_data(&r, &e, bytes - len + 1,
						   buf, len) == -EINVAL);
		} else {
			FUZZ_CHECK(e.next_offset == e.log_offset + ss);
			FUZZ_CHECK(fa_lw_read_data(&r, &e, 0, buf, 1) ==
				   -EINVAL);
		}
		prev_end = e.next_offset;
		n++;
	}
	if (ret == 1) {
		FUZZ_CHECK(n == r.super.nr_entries);
		FUZZ_CHECK(fa_lw_next(&r, &e) == 1);
	} else {
		FUZZ_CHECK(ret == -EBADMSG || ret == -ERANGE ||
			   ret == -ENODATA);
		FUZZ_CHECK(n < r.super.nr_entries && r.next_index == n);
		FUZZ_CHECK(fa_lw_next(&r, &e) == ret);
	}
	fa_lw_close(&r);
	return 0;
}
