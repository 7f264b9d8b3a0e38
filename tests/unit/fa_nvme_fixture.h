/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the canned NVMe Identify data the NVMe unit tests share
 * (test-nvme, test-nvme-rules, test-nvme-cmd).
 *
 * make_ctrl() and make_ns() fill ctrl[] and ns[] as QEMU 10 reports them,
 * make_ns_atomics() adds NSABP's per-namespace units and boundaries;
 * parse() runs lib/'s parsers over both into a, as for the namespace PATH;
 * setup(), every case's setup, parses the lab's default geometry (awun 63,
 * awupf 15, 4096-byte LBA format 4, 64 MiB) and clears v, msg and why.
 * put16(), put32() and put64() store little-endian fields. One test
 * program is one translation unit, so the buffers are static here.
 */
#ifndef FA_NVME_FIXTURE_H
#define FA_NVME_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fa_nvme.h"

#define PATH	"/dev/ng0n1"

static uint8_t ctrl[FA_NVME_ID_LEN];
static uint8_t ns[FA_NVME_ID_LEN];
static struct fa_nvme_atomic a;
static struct fa_nvme_verdict v;
static char why[512];
static char msg[2048];

static inline void put16(uint8_t *b, size_t off, uint16_t x)
{
	b[off] = x & 0xff;
	b[off + 1] = x >> 8;
}

static inline void put32(uint8_t *b, size_t off, uint32_t x)
{
	put16(b, off, x & 0xffff);
	put16(b, off + 2, x >> 16);
}

static inline void put64(uint8_t *b, size_t off, uint64_t x)
{
	put32(b, off, x & 0xffffffff);
	put32(b, off + 4, x >> 32);
}

/* Identify Controller as QEMU 10 reports it, with @awun/@awupf. */
static inline void make_ctrl(uint16_t awun, uint16_t awupf, uint16_t acwu)
{
	memset(ctrl, 0, sizeof(ctrl));
	put16(ctrl, 0, 0x1b36);		/* VID: Red Hat (QEMU) */
	put32(ctrl, 80, 0x10400);	/* VER 1.4 */
	ctrl[512] = 0x66;		/* SQES */
	ctrl[513] = 0x44;		/* CQES */
	put32(ctrl, 516, 256);		/* NN */
	put16(ctrl, 526, awun);
	put16(ctrl, 528, awupf);
	put16(ctrl, 532, acwu);
}

/*
 * Identify Namespace as QEMU reports it: 64 MiB, NSFEAT 0x34, eight LBA
 * formats (512 and 4096 bytes, each with 0/8/16/64 bytes of metadata),
 * formatted with @flbas.
 */
static inline void make_ns(uint8_t flbas, uint64_t nsze)
{
	static const uint16_t ms[4] = { 0, 8, 16, 64 };
	int i;

	memset(ns, 0, sizeof(ns));
	put64(ns, 0, nsze);
	put64(ns, 8, nsze);
	ns[24] = 0x34;
	ns[25] = 7;
	ns[26] = flbas;
	for (i = 0; i < 8; i++) {
		put16(ns, 128 + 4 * i, ms[i % 4]);
		ns[128 + 4 * i + 2] = i < 4 ? 9 : 12;
	}
}

/* NSABP with per-namespace units and boundaries, in blocks, 0's based. */
static inline void make_ns_atomics(uint16_t nawun, uint16_t nawupf,
				   uint16_t nabsn, uint16_t nabo,
				   uint16_t nabspf)
{
	ns[24] |= FA_NVME_NSFEAT_NSABP;
	put16(ns, 34, nawun);
	put16(ns, 36, nawupf);
	put16(ns, 40, nabsn);
	put16(ns, 42, nabo);
	put16(ns, 44, nabspf);
}

static inline int parse(void)
{
	int ret;

	memset(&a, 0, sizeof(a));
	snprintf(a.path, sizeof(a.path), PATH);
	a.nsid = 1;
	ret = fa_nvme_parse_id_ctrl(ctrl, sizeof(ctrl), &a, why, sizeof(why));
	if (ret)
		return ret;
	return fa_nvme_parse_id_ns(ns, sizeof(ns), &a, why, sizeof(why));
}

static inline int setup(void)
{
	make_ctrl(63, 15, 0);
	make_ns(4, 16384);
	memset(&v, 0xa5, sizeof(v));
	memset(msg, 0, sizeof(msg));
	memset(why, 0, sizeof(why));
	return parse();
}

#endif /* FA_NVME_FIXTURE_H */
