/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: big- and little-endian fields of SCSI pages, CDBs and NVMe
 * Identify data, through sg3_utils' sg_unaligned.h (libsgutils2-dev).
 *
 * Its byteswap.h path is the one taken: its portable path shifts a
 * uint8_t promoted to int into the sign bit (p[3] << 24), undefined
 * behaviour that UBSan reports for any byte of 0x80 and above. glibc has
 * byteswap.h.
 */
#ifndef FA_UNALIGNED_H
#define FA_UNALIGNED_H

#ifndef HAVE_BYTESWAP_H
#define HAVE_BYTESWAP_H 1
#endif
#include <scsi/sg_unaligned.h>

#endif /* FA_UNALIGNED_H */
