/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: CRC-32C (Castagnoli), the checksum of the write stamps.
 *
 * The same CRC as iSCSI, ext4 metadata and NVMe/TCP data digests (RFC 3720
 * appendix B.4): reflected polynomial 0x82F63B78, initial value and final
 * xor 0xFFFFFFFF. On x86-64 CPUs with SSE4.2 it runs on the crc32
 * instruction, three streams at a time, unless a slicing-by-8 table is
 * faster (an emulated CPU); elsewhere on the table. The choice is made
 * once, at the first call, by timing both.
 */
#ifndef FA_CRC32C_H
#define FA_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * fa_crc32c() - CRC-32C of @len bytes at @buf
 * @crc:	0 to start a checksum, or the value a previous call returned
 *		for the bytes just before @buf
 * @buf:	any alignment
 * @len:	may be 0 (returns @crc)
 *
 * The pre- and post-inversion happen inside, so calls chain the way zlib's
 * crc32() does: fa_crc32c(fa_crc32c(0, a, n), b, m) is the CRC of a
 * followed by b.
 *
 * Return: the CRC; "123456789" gives 0xE3069283.
 */
uint32_t fa_crc32c(uint32_t crc, const void *buf, size_t len);

/** fa_crc32c_portable() - fa_crc32c() on the slicing-by-8 tables only */
uint32_t fa_crc32c_portable(uint32_t crc, const void *buf, size_t len);

/**
 * fa_crc32c_hw() - fa_crc32c() on the crc32 instruction only
 *
 * Where the CPU has no such instruction (see fa_crc32c_hw_available()) it
 * gives the portable result, so that it is always safe to call.
 */
uint32_t fa_crc32c_hw(uint32_t crc, const void *buf, size_t len);

/** fa_crc32c_hw_available() - the CPU runs the SSE4.2 crc32 instruction */
bool fa_crc32c_hw_available(void);

/**
 * fa_crc32c_impl_name() - "sse4.2" or "slicing-by-8": the path fa_crc32c()
 * takes, for reports
 */
const char *fa_crc32c_impl_name(void);

#endif /* FA_CRC32C_H */
