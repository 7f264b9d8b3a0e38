// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the NVMe side of lib/ without a device: Identify Controller
 * and Identify Namespace parsing from canned 4096-byte buffers built here
 * (a QEMU-like geometry, NSABP with nawupf/nabspf/nabo, every truncation
 * that cuts a field, zeroed data, LBA format index and LBADS out of range),
 * the unit and boundary that apply, the write and job rules with their
 * messages, NVMe command encoding byte by byte, status decoding, the
 * ng -> nvme block device name, and the limits Linux 6.12's driver derives.
 *
 * With arguments it is the lab tier's probe of a real namespace:
 *   test-nvme --identify PATH   print the parsed fields and the device
 *                               view as name=value lines
 *   test-nvme --read-lba PATH LBA   one 1-block Read through
 *                               NVME_IOCTL_IO64_CMD; print the decoded status
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fa_nvme.h"
#include "fa_test.h"
#include "fa_util.h"

#define PATH	"/dev/ng0n1"

static uint8_t ctrl[FA_NVME_ID_LEN];
static uint8_t ns[FA_NVME_ID_LEN];
static struct fa_nvme_atomic a;
static struct fa_nvme_verdict v;
static char why[512];
static char msg[2048];

static void put16(uint8_t *b, size_t off, uint16_t x)
{
	b[off] = x & 0xff;
	b[off + 1] = x >> 8;
}

static void put32(uint8_t *b, size_t off, uint32_t x)
{
	put16(b, off, x & 0xffff);
	put16(b, off + 2, x >> 16);
}

static void put64(uint8_t *b, size_t off, uint64_t x)
{
	put32(b, off, x & 0xffffffff);
	put32(b, off + 4, x >> 32);
}

/* Identify Controller as QEMU 10 reports it, with @awun/@awupf. */
static void make_ctrl(uint16_t awun, uint16_t awupf, uint16_t acwu)
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
static void make_ns(uint8_t flbas, uint64_t nsze)
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
static void make_ns_atomics(uint16_t nawun, uint16_t nawupf, uint16_t nabsn,
			    uint16_t nabo, uint16_t nabspf)
{
	ns[24] |= FA_NVME_NSFEAT_NSABP;
	put16(ns, 34, nawun);
	put16(ns, 36, nawupf);
	put16(ns, 40, nabsn);
	put16(ns, 42, nabo);
	put16(ns, 44, nabspf);
}

static int parse(void)
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

static int setup(void)
{
	make_ctrl(63, 15, 0);
	make_ns(4, 16384);
	memset(&v, 0xa5, sizeof(v));
	memset(msg, 0, sizeof(msg));
	memset(why, 0, sizeof(why));
	return parse();
}

/* Identify Controller */

static void test_ctrl_qemu_geometry(void)
{
	FA_ASSERT_UEQ(a.awun, 63);
	FA_ASSERT_UEQ(a.awupf, 15);
	FA_ASSERT_UEQ(a.acwu, 0);
}

static void test_ctrl_fields_are_little_endian(void)
{
	make_ctrl(0x1234, 0x0102, 0xa0b0);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_UEQ(a.awun, 0x1234);
	FA_ASSERT_UEQ(a.awupf, 0x0102);
	FA_ASSERT_UEQ(a.acwu, 0xa0b0);
}

static void test_ctrl_truncated_at_every_field(void)
{
	/* In SQES, before, inside and after each atomic field, 1 short */
	static const size_t lens[] = { 0, 1, 512, 513, 526, 527, 528, 529,
				       530, 532, 533, 534, 4095 };
	struct fa_nvme_atomic before;
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(lens); i++) {
		memset(&a, 0x5a, sizeof(a));
		before = a;
		FA_ASSERT_EQ(fa_nvme_parse_id_ctrl(ctrl, lens[i], &a, why,
						   sizeof(why)), -EINVAL);
		FA_ASSERT(!memcmp(&a, &before, sizeof(a)));
		FA_ASSERT_CONTAINS(why, "short of 4096");
	}
}

static void test_ctrl_null_buffer(void)
{
	FA_ASSERT_EQ(fa_nvme_parse_id_ctrl(NULL, 4096, &a, NULL, 0), -EINVAL);
}

static void test_ctrl_zeroed_is_not_identify_data(void)
{
	struct fa_nvme_atomic before;

	memset(ctrl, 0, sizeof(ctrl));
	memset(&a, 0x5a, sizeof(a));
	before = a;
	FA_ASSERT_EQ(fa_nvme_parse_id_ctrl(ctrl, sizeof(ctrl), &a, why,
					   sizeof(why)), -EPROTO);
	FA_ASSERT(!memcmp(&a, &before, sizeof(a)));
	FA_ASSERT_CONTAINS(why, "SQES=0x00 CQES=0x00");
}

static void test_ctrl_sqes_max_below_min(void)
{
	ctrl[512] = 0x56;
	FA_ASSERT_EQ(fa_nvme_parse_id_ctrl(ctrl, sizeof(ctrl), &a, NULL, 0),
		     -EPROTO);
}

static void test_ctrl_longer_buffer_accepted(void)
{
	static uint8_t big[8192];

	memcpy(big, ctrl, sizeof(ctrl));
	FA_ASSERT_EQ(fa_nvme_parse_id_ctrl(big, sizeof(big), &a, NULL, 0), 0);
	FA_ASSERT_UEQ(a.awupf, 15);
}

/* Identify Namespace */

static void test_ns_qemu_4k_geometry(void)
{
	FA_ASSERT_UEQ(a.nsze, 16384);
	FA_ASSERT_UEQ(a.nsfeat, 0x34);
	FA_ASSERT_UEQ(a.nlbaf, 7);
	FA_ASSERT_UEQ(a.flbas, 4);
	FA_ASSERT_UEQ(a.lbaf, 4);
	FA_ASSERT_UEQ(a.lbads, 12);
	FA_ASSERT_UEQ(a.ms, 0);
	FA_ASSERT_UEQ(fa_nvme_lba_size(&a), 4096);
	FA_ASSERT_UEQ(a.nawupf, 0);
	FA_ASSERT_UEQ(a.nabspf, 0);
	/* The controller fields parsed before stay. */
	FA_ASSERT_UEQ(a.awupf, 15);
}

static void test_ns_512_format(void)
{
	make_ns(0, 131072);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_UEQ(a.lbads, 9);
	FA_ASSERT_UEQ(a.nsze, 131072);
}

static void test_ns_metadata_format(void)
{
	make_ns(5, 16384);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_UEQ(a.lbaf, 5);
	FA_ASSERT_UEQ(a.lbads, 12);
	FA_ASSERT_UEQ(a.ms, 8);
}

static void test_ns_nsabp_fields(void)
{
	make_ns_atomics(31, 7, 63, 4, 15);
	put16(ns, 38, 3);	/* NACWU */
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT(a.nsfeat & FA_NVME_NSFEAT_NSABP);
	FA_ASSERT_UEQ(a.nawun, 31);
	FA_ASSERT_UEQ(a.nawupf, 7);
	FA_ASSERT_UEQ(a.nacwu, 3);
	FA_ASSERT_UEQ(a.nabsn, 63);
	FA_ASSERT_UEQ(a.nabo, 4);
	FA_ASSERT_UEQ(a.nabspf, 15);
}

static void test_ns_truncated_at_every_field(void)
{
	/* nsze, nsfeat, nlbaf, flbas, nawun..nabspf, lbaf[0], lbaf[4], 4095 */
	static const size_t lens[] = { 0, 7, 8, 24, 25, 26, 27, 35, 37, 41,
				       43, 45, 46, 128, 131, 144, 147, 4095 };
	struct fa_nvme_atomic before;
	size_t i;

	make_ns_atomics(31, 7, 63, 4, 15);
	for (i = 0; i < FA_ARRAY_SIZE(lens); i++) {
		memset(&a, 0x5a, sizeof(a));
		before = a;
		FA_ASSERT_EQ(fa_nvme_parse_id_ns(ns, lens[i], &a, why,
						 sizeof(why)), -EINVAL);
		FA_ASSERT(!memcmp(&a, &before, sizeof(a)));
		FA_ASSERT_CONTAINS(why, "short of 4096");
	}
}

static void test_ns_zeroed_is_inactive(void)
{
	struct fa_nvme_atomic before;

	memset(ns, 0, sizeof(ns));
	memset(&a, 0x5a, sizeof(a));
	before = a;
	FA_ASSERT_EQ(fa_nvme_parse_id_ns(ns, sizeof(ns), &a, why, sizeof(why)),
		     -EPROTO);
	FA_ASSERT(!memcmp(&a, &before, sizeof(a)));
	FA_ASSERT_CONTAINS(why, "nsze=0");
}

static void test_ns_flbas_beyond_nlbaf(void)
{
	struct fa_nvme_atomic before;

	ns[25] = 3;		/* four formats */
	ns[26] = 5;
	memset(&a, 0x5a, sizeof(a));
	before = a;
	FA_ASSERT_EQ(fa_nvme_parse_id_ns(ns, sizeof(ns), &a, why, sizeof(why)),
		     -EPROTO);
	FA_ASSERT(!memcmp(&a, &before, sizeof(a)));
	FA_ASSERT_CONTAINS(why, "flbas=0x05 selecting LBA format 5, beyond nlbaf=3");
}

static void test_ns_flbas_equal_nlbaf_accepted(void)
{
	ns[25] = 4;
	ns[26] = 4;
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_UEQ(a.lbaf, 4);
}

static void test_ns_flbas_high_bits_select_format(void)
{
	/* Bits 6:5 are bits 5:4 of the index: 0x21 is format 17. */
	ns[25] = 20;
	ns[26] = 0x21;
	put16(ns, 128 + 4 * 17, 0);
	ns[128 + 4 * 17 + 2] = 13;
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_UEQ(a.lbaf, 17);
	FA_ASSERT_UEQ(a.lbads, 13);
}

static void test_ns_flbas_metadata_bit_is_not_index(void)
{
	/* Bit 4 (extended metadata) is not part of the index. */
	ns[26] = 0x14;
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_UEQ(a.lbaf, 4);
}

static void test_ns_nlbaf_beyond_64_formats(void)
{
	ns[25] = 64;
	FA_ASSERT_EQ(fa_nvme_parse_id_ns(ns, sizeof(ns), &a, why, sizeof(why)),
		     -EPROTO);
	FA_ASSERT_CONTAINS(why, "nlbaf=64");
}

static void test_ns_lbads_bounds(void)
{
	static const struct {
		uint8_t lbads;
		int ret;
	} cases[] = { { 0, -EPROTO }, { 8, -EPROTO }, { 9, 0 }, { 16, 0 },
		      { 17, -EPROTO }, { 255, -EPROTO } };
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(cases); i++) {
		make_ns(4, 16384);
		ns[128 + 4 * 4 + 2] = cases[i].lbads;
		FA_ASSERT_EQ(parse(), cases[i].ret);
		if (!cases[i].ret)
			FA_ASSERT_UEQ(a.lbads, cases[i].lbads);
		else
			FA_ASSERT_CONTAINS(why, "outside 9..16");
	}
}

/* Which unit and boundary apply */

static void test_unit_controller_without_nsabp(void)
{
	struct fa_nvme_unit_info u;

	/* NAWUPF set but NSABP clear: the namespace value is undefined. */
	put16(ns, 36, 7);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_POWERFAIL, &u);
	FA_ASSERT_STREQ(u.unit_field, "awupf");
	FA_ASSERT_UEQ(u.unit_blocks, 16);
	FA_ASSERT_STREQ(u.unit_source, "Identify Controller");
	FA_ASSERT_UEQ(u.boundary_blocks, 0);
}

static void test_unit_namespace_with_nsabp(void)
{
	struct fa_nvme_unit_info u;

	make_ns_atomics(31, 7, 0, 0, 15);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_POWERFAIL, &u);
	FA_ASSERT_STREQ(u.unit_field, "nawupf");
	FA_ASSERT_UEQ(u.unit_blocks, 8);
	FA_ASSERT_STREQ(u.unit_source, "Identify Namespace");
	FA_ASSERT_STREQ(u.boundary_field, "nabspf");
	FA_ASSERT_UEQ(u.boundary_blocks, 16);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT_STREQ(u.unit_field, "nawun");
	FA_ASSERT_UEQ(u.unit_blocks, 32);
	/* NABSN is 0: no boundary for the normal unit. */
	FA_ASSERT_UEQ(u.boundary_blocks, 0);
}

static void test_unit_nsabp_zero_means_controller(void)
{
	struct fa_nvme_unit_info u;

	make_ns_atomics(31, 0, 0, 0, 0);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_POWERFAIL, &u);
	FA_ASSERT_STREQ(u.unit_field, "awupf");
	FA_ASSERT_UEQ(u.unit_blocks, 16);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT_STREQ(u.unit_field, "nawun");
}

static void test_unit_normal_is_awun(void)
{
	struct fa_nvme_unit_info u;

	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT(!u.powerfail);
	FA_ASSERT_STREQ(u.unit_field, "awun");
	FA_ASSERT_UEQ(u.unit_blocks, 64);
}

static void test_unit_normal_with_dn_is_powerfail(void)
{
	struct fa_nvme_unit_info u;

	a.dn_known = true;
	a.dn = true;
	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT(u.powerfail);
	FA_ASSERT_EQ(u.unit, FA_NVME_UNIT_NORMAL);
	FA_ASSERT_STREQ(u.unit_field, "awupf");
	FA_ASSERT_UEQ(u.unit_blocks, 16);
}

/* Write rules */

static void test_write_exactly_the_unit_passes(void)
{
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 100, 16,
					 &v), FA_NVME_RULE_OK);
}

static void test_write_one_block_too_long(void)
{
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 17,
					 &v), FA_NVME_RULE_UNIT);
	FA_ASSERT_UEQ(v.nr_blocks, 17);
	FA_ASSERT_UEQ(v.u.unit_blocks, 16);
}

static void test_write_normal_unit_allows_more(void)
{
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_NORMAL, 0, 64, &v),
		     FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_NORMAL, 0, 65, &v),
		     FA_NVME_RULE_UNIT);
}

static void test_write_block_count_limits(void)
{
	make_ctrl(0xffff, 0xffff, 0);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 0, &v),
		     FA_NVME_RULE_NLB);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65536,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65537,
					 &v), FA_NVME_RULE_NLB);
	fa_nvme_verdict_message(&a, &v, "bs=268439552", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "(65537 blocks) does not fit one NVMe command");
	/* 65536 blocks of 64 KiB are 4 GiB: one byte past data_len. */
	a.lbads = 16;
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65536,
					 &v), FA_NVME_RULE_NLB);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65535,
					 &v), FA_NVME_RULE_OK);
}

static void test_boundary_without_nabo(void)
{
	/* 32-block boundaries at 0, 32, 64, ...; unit 16 blocks. */
	make_ns_atomics(0, 15, 0, 0, 31);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 16, 16,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 32, 16,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 17, 16,
					 &v), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ(v.boundary_lba, 32);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 31, 2,
					 &v), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 31, 1,
					 &v), FA_NVME_RULE_OK);
}

static void test_boundary_with_nabo(void)
{
	/* Boundaries at LBA 8, 40, 72, ...; [0, 8) is the first region. */
	make_ns_atomics(0, 15, 0, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 8, &v),
		     FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 4, 8, &v),
		     FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ(v.boundary_lba, 8);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 8, 16,
					 &v), FA_NVME_RULE_OK);
	/* Ends exactly at the boundary: LBA 24..39. */
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 24, 16,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 30, 16,
					 &v), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ(v.boundary_lba, 40);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 40, 16,
					 &v), FA_NVME_RULE_OK);
	fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 30, 16, &v);
	fa_nvme_verdict_message(&a, &v, "write", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "write (LBA 30..45) crosses the power-fail atomic boundary at LBA 40: nabspf=31 (32 blocks, 131072 bytes), nabo=8 from NVMe Identify Namespace of " PATH);
}

static void test_boundary_normal_uses_nabsn(void)
{
	make_ns_atomics(31, 15, 15, 0, 63);
	FA_ASSERT_EQ(parse(), 0);
	/* LBA 8..23 crosses 16 (NABSN) but not 64 (NABSPF). */
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_NORMAL, 8, 16, &v),
		     FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_STREQ(v.u.boundary_field, "nabsn");
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 8, 16,
					 &v), FA_NVME_RULE_OK);
}

/* The I/O path's precomputed check gives fa_nvme_check_io()'s verdict. */
static void expect_fast_equals_full(enum fa_nvme_unit unit)
{
	static const uint64_t lengths[] = { 0, 1, 511, 512, 4096, 6000, 8192,
					    16384, 61440, 65536, 69632,
					    131072, 262144, 266240 };
	struct fa_nvme_rules r;
	uint64_t off;
	size_t i;

	fa_nvme_rules_init(&a, unit, &r);
	for (i = 0; i < FA_ARRAY_SIZE(lengths); i++)
		for (off = 0; off < 96 * 4096; off += 512)
			FA_ASSERT_EQ(fa_nvme_rules_check(&r, off, lengths[i]),
				     fa_nvme_check_io(&a, unit, off, lengths[i],
						      &v));
}

static void test_fast_check_equals_full(void)
{
	expect_fast_equals_full(FA_NVME_UNIT_POWERFAIL);
	expect_fast_equals_full(FA_NVME_UNIT_NORMAL);
	make_ns(0, 131072);
	make_ns_atomics(31, 15, 15, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	expect_fast_equals_full(FA_NVME_UNIT_POWERFAIL);
	expect_fast_equals_full(FA_NVME_UNIT_NORMAL);
	make_ns(4, 16384);
	make_ns_atomics(0, 3, 0, 2, 7);
	FA_ASSERT_EQ(parse(), 0);
	a.dn_known = a.dn = true;
	expect_fast_equals_full(FA_NVME_UNIT_NORMAL);
}

static void test_io_lba_rules(void)
{
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 0, 6000, &v),
		     FA_NVME_RULE_LBA_LENGTH);
	fa_nvme_verdict_message(&a, &v, "bs=6000", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "bs=6000 is not a whole number of logical blocks (the LBA data size is 4096 bytes: lbads=12 of LBA format 4");
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 0, 0, &v),
		     FA_NVME_RULE_LBA_LENGTH);
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 2048, 4096,
				      &v), FA_NVME_RULE_LBA_ALIGN);
	fa_nvme_verdict_message(&a, &v, "offset=2048", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "offset=2048 does not start on a logical block");
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 8192, 65536,
				      &v), FA_NVME_RULE_OK);
	FA_ASSERT_UEQ(v.slba, 2);
	FA_ASSERT_UEQ(v.nr_blocks, 16);
}

static void test_message_names_field_value_and_origin(void)
{
	make_ns_atomics(0, 15, 0, 0, 0);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 0, 131072,
				      &v), FA_NVME_RULE_UNIT);
	fa_nvme_verdict_message(&a, &v, "bs=131072", msg, sizeof(msg));
	FA_ASSERT_STREQ(msg, "bs=131072 (32 blocks) exceeds the power-fail atomic unit: nawupf=15 (16 blocks, 65536 bytes) from NVMe Identify Namespace of " PATH);
}

static void test_message_normal_with_dn(void)
{
	a.dn_known = a.dn = true;
	fa_nvme_check_io(&a, FA_NVME_UNIT_NORMAL, 0, 131072, &v);
	FA_ASSERT_EQ(v.rule, FA_NVME_RULE_UNIT);
	fa_nvme_verdict_message(&a, &v, "bs=131072", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "exceeds the normal atomic unit, which is the power-fail one because Write Atomicity Normal (Get Features 0Ah) has DN set: awupf=15 (16 blocks, 65536 bytes) from NVMe Identify Controller of " PATH);
}

static void test_rule_names_and_sendable(void)
{
	FA_ASSERT_STREQ(fa_nvme_rule_name(FA_NVME_RULE_UNIT), "atomic_unit");
	FA_ASSERT_STREQ(fa_nvme_rule_name(FA_NVME_RULE_BOUNDARY),
			"atomic_boundary");
	FA_ASSERT_STREQ(fa_nvme_rule_name(FA_NVME_RULE_NR), "unknown");
	FA_ASSERT(fa_nvme_rule_sendable(FA_NVME_RULE_UNIT));
	FA_ASSERT(fa_nvme_rule_sendable(FA_NVME_RULE_BOUNDARY));
	FA_ASSERT(!fa_nvme_rule_sendable(FA_NVME_RULE_LBA_LENGTH));
	FA_ASSERT(!fa_nvme_rule_sendable(FA_NVME_RULE_LBA_ALIGN));
	FA_ASSERT(!fa_nvme_rule_sendable(FA_NVME_RULE_NLB));
}

/* Job rules */

static void job_init(struct fa_job *job, uint64_t start, uint64_t align,
		     const char *align_opt)
{
	memset(job, 0, sizeof(*job));
	job->direct = true;
	job->nr_segs = 1;
	job->start_offset = start;
	job->offset_align = align;
	job->align_opt = align_opt;
}

static enum fa_nvme_rule check_job(const struct fa_job *job)
{
	return fa_nvme_check_job(&a, FA_NVME_UNIT_POWERFAIL, job, &v, msg,
				 sizeof(msg));
}

static void test_job_within_unit_passes(void)
{
	struct fa_job job;

	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 4096, "bssplit");
	fa_job_add_size(&job, 65536, "bssplit");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_OK);
	FA_ASSERT_STREQ(msg, "");
}

static void test_job_one_size_too_long(void)
{
	struct fa_job job;

	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 4096, "bssplit");
	fa_job_add_size(&job, 131072, "bssplit");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_UNIT);
	FA_ASSERT_CONTAINS(msg, "bssplit=131072 (32 blocks) exceeds the power-fail atomic unit: awupf=15");
}

static void test_job_sendable_skips_atomicity(void)
{
	struct fa_job job;

	/* A size outside the unit first, then one no command can carry. */
	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 131072, "bssplit");
	fa_job_add_size(&job, 6144, "bssplit");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_UNIT);
	FA_ASSERT_EQ(fa_nvme_check_job_sendable(&a, &job, &v, msg,
						sizeof(msg)),
		     FA_NVME_RULE_LBA_LENGTH);
	FA_ASSERT_CONTAINS(msg, "bssplit=6144 is not a whole number");
	job.nr_sizes = 1;
	FA_ASSERT_EQ(fa_nvme_check_job_sendable(&a, &job, &v, msg,
						sizeof(msg)), FA_NVME_RULE_OK);
}

static void test_job_size_not_whole_blocks(void)
{
	struct fa_job job;

	job_init(&job, 0, 6144, NULL);
	fa_job_add_size(&job, 6144, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_LBA_LENGTH);
	FA_ASSERT_CONTAINS(msg, "bs=6144 is not a whole number of logical blocks");
}

static void test_job_start_offset_misaligned(void)
{
	struct fa_job job;

	job_init(&job, 512, 4096, NULL);
	fa_job_add_size(&job, 4096, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_LBA_ALIGN);
	FA_ASSERT_CONTAINS(msg, "offset=512 does not start on a logical block");
}

static void test_job_blockalign_misaligned(void)
{
	struct fa_job job;

	job_init(&job, 0, 2048, "blockalign");
	fa_job_add_size(&job, 4096, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_LBA_ALIGN);
	FA_ASSERT_CONTAINS(msg, "blockalign=2048");
}

static void test_job_random_offsets_cross_boundary(void)
{
	struct fa_job job;
	uint64_t r;

	/* 32-block boundaries from LBA 8; 4-block writes on any block. */
	make_ns_atomics(0, 15, 0, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 16384, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_CONTAINS(msg, "blockalign=4096 with offset=0 lets a bs=16384 (4 blocks) write start 31 blocks after an atomic boundary");
	FA_ASSERT_CONTAINS(msg, "nabspf=31 (32 blocks, 131072 bytes), nabo=8");
	/* The example LBA does cross (any block is reachable here). */
	r = (v.slba + 32 - 8) % 32;
	FA_ASSERT(r + 4 > 32);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, v.slba, 4,
					 &v), FA_NVME_RULE_BOUNDARY);
}

static void test_job_aligned_to_boundary_passes(void)
{
	struct fa_job job;

	/* Boundaries at LBA 8 + 32k, 4-block writes on 4-block offsets. */
	make_ns_atomics(0, 15, 0, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, 0, 16384, "blockalign");
	fa_job_add_size(&job, 16384, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_OK);
	/* The same writes from LBA 1: LBA 5..8 crosses the boundary at 8. */
	job_init(&job, 4096, 16384, "blockalign");
	fa_job_add_size(&job, 16384, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ((v.slba - 1) % 4, 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, v.slba, 4,
					 &v), FA_NVME_RULE_BOUNDARY);
}

static void test_job_sequential_start_crosses(void)
{
	struct fa_job job;
	uint64_t s = 3, step = 6, r;

	/* Boundaries every 32 blocks from 0; 6-block writes from block 3. */
	make_ns_atomics(0, 15, 0, 0, 31);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, s * 4096, step * 4096, NULL);
	fa_job_add_size(&job, step * 4096, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_CONTAINS(msg, "offset=12288 with sequential writes every 24576 bytes");
	FA_ASSERT_UEQ((v.slba - s) % step, 0);
	r = v.slba % 32;
	FA_ASSERT(r + step > 32);
}

static void test_job_size_larger_than_boundary(void)
{
	struct fa_job job;

	/* A unit larger than the boundary: such a write always crosses. */
	make_ns_atomics(0, 31, 0, 0, 15);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, 0, 131072, "blockalign");
	fa_job_add_size(&job, 131072, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_CONTAINS(msg, "bs=131072 (32 blocks) is longer than the power-fail atomic boundary size, so every such write crosses a boundary: nabspf=15 (16 blocks, 65536 bytes)");
}

/* Command encoding */

static void expect_cmd(uint8_t *exp, uint8_t opcode, uint32_t nsid,
		       uint64_t addr, uint32_t len, uint32_t cdw10,
		       uint32_t cdw11, uint32_t cdw12)
{
	/* struct nvme_passthru_cmd64 / nvme_uring_cmd, linux/nvme_ioctl.h */
	exp[0] = opcode;
	put32(exp, 4, nsid);
	put64(exp, 24, addr);
	put32(exp, 36, len);
	put32(exp, 40, cdw10);
	put32(exp, 44, cdw11);
	put32(exp, 48, cdw12);
}

static void test_build_write_fua_passthru(void)
{
	static char buf[65536];
	struct nvme_passthru_cmd64 cmd;
	uint8_t exp[sizeof(cmd)];
	struct fa_nvme_io io = {
		.opcode = FA_NVME_CMD_WRITE, .nsid = 1, .slba = 0x123456789ULL,
		.nr_blocks = 16, .fua = true, .buf = buf, .len = sizeof(buf),
	};

	FA_ASSERT_UEQ(sizeof(cmd), 80);
	memset(&cmd, 0xff, sizeof(cmd));
	memset(exp, 0, sizeof(exp));
	expect_cmd(exp, 0x01, 1, (uintptr_t)buf, 65536, 0x23456789, 0x1,
		   (1u << 30) | 15);
	FA_ASSERT_EQ(fa_nvme_build_passthru(&io, &cmd), 0);
	FA_ASSERT(!memcmp(&cmd, exp, sizeof(cmd)));
}

static void test_build_read_uring(void)
{
	static char buf[4096];
	struct nvme_uring_cmd cmd;
	uint8_t exp[sizeof(cmd)];
	struct fa_nvme_io io = {
		.opcode = FA_NVME_CMD_READ, .nsid = 7, .slba = 42,
		.nr_blocks = 1, .buf = buf, .len = sizeof(buf),
	};

	FA_ASSERT_UEQ(sizeof(cmd), 72);
	memset(&cmd, 0xff, sizeof(cmd));
	memset(exp, 0, sizeof(exp));
	expect_cmd(exp, 0x02, 7, (uintptr_t)buf, 4096, 42, 0, 0);
	FA_ASSERT_EQ(fa_nvme_build_uring(&io, &cmd), 0);
	FA_ASSERT(!memcmp(&cmd, exp, sizeof(cmd)));
}

static void test_build_max_blocks_and_flush(void)
{
	static char buf[512];
	struct nvme_uring_cmd cmd;
	uint8_t exp[sizeof(cmd)];
	struct fa_nvme_io io = {
		.opcode = FA_NVME_CMD_WRITE, .nsid = 1, .slba = 0,
		.nr_blocks = 65536, .buf = buf, .len = 1,
	};

	FA_ASSERT_EQ(fa_nvme_build_uring(&io, &cmd), 0);
	FA_ASSERT_UEQ(cmd.cdw12, 0xffff);
	io = (struct fa_nvme_io){ .opcode = FA_NVME_CMD_FLUSH, .nsid = 3 };
	memset(&cmd, 0xff, sizeof(cmd));
	memset(exp, 0, sizeof(exp));
	expect_cmd(exp, 0x00, 3, 0, 0, 0, 0, 0);
	FA_ASSERT_EQ(fa_nvme_build_uring(&io, &cmd), 0);
	FA_ASSERT(!memcmp(&cmd, exp, sizeof(cmd)));
}

static void test_build_refuses_bad_commands(void)
{
	static char buf[512];
	struct nvme_passthru_cmd64 cmd;
	struct fa_nvme_io io = {
		.opcode = FA_NVME_CMD_WRITE, .nsid = 1, .nr_blocks = 1,
		.buf = buf, .len = 512,
	};

	io.nr_blocks = 0;
	FA_ASSERT_EQ(fa_nvme_build_passthru(&io, &cmd), -EINVAL);
	io.nr_blocks = 65537;
	FA_ASSERT_EQ(fa_nvme_build_passthru(&io, &cmd), -EINVAL);
	io.nr_blocks = 1;
	io.buf = NULL;
	FA_ASSERT_EQ(fa_nvme_build_passthru(&io, &cmd), -EINVAL);
	io.buf = buf;
	io.opcode = 0x09;	/* Dataset Management: not ours */
	FA_ASSERT_EQ(fa_nvme_build_passthru(&io, &cmd), -EINVAL);
}

/* Status decoding */

static void test_status_lba_out_of_range(void)
{
	struct fa_nvme_status st;

	fa_nvme_status_decode(0x4080, &st);
	FA_ASSERT_UEQ(st.sct, 0);
	FA_ASSERT_UEQ(st.sc, 0x80);
	FA_ASSERT(st.dnr);
	FA_ASSERT(!st.more);
	FA_ASSERT_STREQ(st.name, "LBA Out of Range");
	FA_ASSERT_CONTAINS(st.meaning, "exceeds the size of the namespace");
	FA_ASSERT(st.errnum != 0);
	fa_nvme_status_message(0x4080, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "NVMe status 0x4080 (SCT 0h SC 80h, DNR): LBA Out of Range: The command references");
}

static void test_status_media_error(void)
{
	struct fa_nvme_status st;

	fa_nvme_status_decode(0x2281, &st);
	FA_ASSERT_UEQ(st.sct, 2);
	FA_ASSERT_UEQ(st.sc, 0x81);
	FA_ASSERT(st.more);
	FA_ASSERT(!st.dnr);
	FA_ASSERT_STREQ(st.name, "Unrecovered Read Error");
}

static void test_status_errno_and_success(void)
{
	fa_nvme_status_message(-EINVAL, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg, strerror(EINVAL));
	fa_nvme_status_message(0, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg, "success");
}

/* Names */

static void test_block_path(void)
{
	char out[64];

	FA_ASSERT_EQ(fa_nvme_block_path("/dev/ng0n1", out, sizeof(out)), 0);
	FA_ASSERT_STREQ(out, "/dev/nvme0n1");
	FA_ASSERT_EQ(fa_nvme_block_path("/dev/ng12n3", out, sizeof(out)), 0);
	FA_ASSERT_STREQ(out, "/dev/nvme12n3");
	FA_ASSERT_EQ(fa_nvme_block_path("ng1n2", out, sizeof(out)), 0);
	FA_ASSERT_STREQ(out, "nvme1n2");
	FA_ASSERT_EQ(fa_nvme_block_path("/dev/nvme0n1", out, sizeof(out)), 0);
	FA_ASSERT_STREQ(out, "/dev/nvme0n1");
	FA_ASSERT_EQ(fa_nvme_block_path("/dev/sda", out, sizeof(out)),
		     -ENODEV);
	FA_ASSERT_EQ(fa_nvme_block_path("/dev/ng0", out, sizeof(out)),
		     -ENODEV);
	FA_ASSERT_EQ(fa_nvme_block_path("/dev/ng0n1p1", out, sizeof(out)),
		     -ENODEV);
	FA_ASSERT_EQ(fa_nvme_block_path("/dev/ng-1n1", out, sizeof(out)),
		     -ENODEV);
	FA_ASSERT_EQ(fa_nvme_block_path("/dev/ng0n1", out, 8), -ENAMETOOLONG);
}

/* Device view, as the 6.12 driver derives it */

static void test_view_qemu_awupf(void)
{
	const struct fa_device_field *f;
	struct fa_device_view dv;

	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	FA_ASSERT_EQ(dv.source, FA_SRC_NVME_ID);
	FA_ASSERT_UEQ(dv.hw_unit_min.value, 4096);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 65536);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 65536);
	FA_ASSERT_UEQ(dv.hw_boundary.value, 0);
	FA_ASSERT(dv.hw_unit_max.known);
	FA_ASSERT_UEQ(dv.logical_block.value, 4096);
	FA_ASSERT_CONTAINS(dv.hw_unit_max.origin, "awupf=15 from NVMe Identify Controller of " PATH);
	f = fa_device_field_find(&dv, "awupf");
	FA_ASSERT(f && f->value == 15);
	f = fa_device_field_find(&dv, "nabspf");
	FA_ASSERT(f && f->value == 0);
	FA_ASSERT(!fa_device_field_find(&dv, "dn"));
	FA_ASSERT_STREQ(dv.why_none, "");
}

/* 7.x: the controller's AWUPF is ignored without a namespace unit */
static void test_view_7x_ignores_awupf(void)
{
	struct fa_device_view dv;

	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_7, &dv);
	FA_ASSERT_UEQ(dv.hw_unit_min.value, 4096);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 4096);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 4096);
	FA_ASSERT_CONTAINS(dv.hw_unit_max.origin, "awupf=15 ignored");
	FA_ASSERT_CONTAINS(dv.hw_unit_max.origin, "Linux 7.x's nvme driver");
}

static void test_view_unit_max_rounds_down(void)
{
	struct fa_device_view dv;

	make_ctrl(63, 6, 0);		/* 7 blocks */
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 7 * 4096);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 16384);
}

static void test_view_awupf_zero_is_one_block(void)
{
	struct fa_device_view dv;

	make_ctrl(0, 0, 0);
	make_ns(0, 16384);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	FA_ASSERT_UEQ(dv.hw_unit_min.value, 512);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 512);
}

static void test_view_nsabp_with_boundary(void)
{
	struct fa_device_view dv;

	make_ns(0, 16384);
	make_ns_atomics(15, 7, 0, 0, 15);
	FA_ASSERT_EQ(parse(), 0);
	a.dn_known = true;
	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	FA_ASSERT_UEQ(dv.hw_unit_min.value, 512);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 4096);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 4096);
	FA_ASSERT_UEQ(dv.hw_boundary.value, 8192);
	FA_ASSERT_CONTAINS(dv.hw_unit_max.origin, "nawupf=7, nabspf=15");
	FA_ASSERT(fa_device_field_find(&dv, "dn"));
}

static void test_view_nsabp_nawupf_zero_uses_awupf(void)
{
	struct fa_device_view dv;

	/* NABSPF is only taken together with NAWUPF. */
	make_ns_atomics(15, 0, 0, 0, 15);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 65536);
	FA_ASSERT_UEQ(dv.hw_boundary.value, 0);
}

static void test_view_nabo_disables_atomics(void)
{
	struct fa_device_view dv;

	make_ns_atomics(15, 7, 0, 2, 15);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	FA_ASSERT(dv.hw_unit_max.known);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 0);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 0);
	FA_ASSERT_CONTAINS(dv.why_none, "nabo=2");
}

static void test_view_block_larger_than_page(void)
{
	struct fa_device_view dv;
	long page = sysconf(_SC_PAGESIZE);

	if (page != 4096)
		FA_SKIP("page size %ld: the case is written for 4096", page);
	ns[128 + 4 * 4 + 2] = 13;	/* 8 KiB blocks */
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	FA_ASSERT_UEQ(dv.logical_block.value, 8192);
	FA_ASSERT_UEQ(dv.hw_unit_min.value, 512);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 16 * 512);
}

/* Not a device */

static void test_identify_not_nvme(void)
{
	struct fa_device_view dv;

	memset(&a, 0x5a, sizeof(a));
	FA_ASSERT(fa_nvme_identify("/dev/null", &a, why, sizeof(why)) < 0);
	FA_ASSERT_CONTAINS(why, "/dev/null is not an NVMe namespace");
	FA_ASSERT_EQ(fa_nvme_identify("/nonexistent/ng0n1", &a, why,
				      sizeof(why)), -ENOENT);
	FA_ASSERT(fa_nvme_device_view("/dev/null", &dv) < 0);
	FA_ASSERT_CONTAINS(dv.why_none, "not an NVMe namespace");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_ctrl_qemu_geometry),
	FA_TEST(test_ctrl_fields_are_little_endian),
	FA_TEST(test_ctrl_truncated_at_every_field),
	FA_TEST(test_ctrl_null_buffer),
	FA_TEST(test_ctrl_zeroed_is_not_identify_data),
	FA_TEST(test_ctrl_sqes_max_below_min),
	FA_TEST(test_ctrl_longer_buffer_accepted),
	FA_TEST(test_ns_qemu_4k_geometry),
	FA_TEST(test_ns_512_format),
	FA_TEST(test_ns_metadata_format),
	FA_TEST(test_ns_nsabp_fields),
	FA_TEST(test_ns_truncated_at_every_field),
	FA_TEST(test_ns_zeroed_is_inactive),
	FA_TEST(test_ns_flbas_beyond_nlbaf),
	FA_TEST(test_ns_flbas_equal_nlbaf_accepted),
	FA_TEST(test_ns_flbas_high_bits_select_format),
	FA_TEST(test_ns_flbas_metadata_bit_is_not_index),
	FA_TEST(test_ns_nlbaf_beyond_64_formats),
	FA_TEST(test_ns_lbads_bounds),
	FA_TEST(test_unit_controller_without_nsabp),
	FA_TEST(test_unit_namespace_with_nsabp),
	FA_TEST(test_unit_nsabp_zero_means_controller),
	FA_TEST(test_unit_normal_is_awun),
	FA_TEST(test_unit_normal_with_dn_is_powerfail),
	FA_TEST(test_write_exactly_the_unit_passes),
	FA_TEST(test_write_one_block_too_long),
	FA_TEST(test_write_normal_unit_allows_more),
	FA_TEST(test_write_block_count_limits),
	FA_TEST(test_boundary_without_nabo),
	FA_TEST(test_boundary_with_nabo),
	FA_TEST(test_boundary_normal_uses_nabsn),
	FA_TEST(test_fast_check_equals_full),
	FA_TEST(test_io_lba_rules),
	FA_TEST(test_message_names_field_value_and_origin),
	FA_TEST(test_message_normal_with_dn),
	FA_TEST(test_rule_names_and_sendable),
	FA_TEST(test_job_within_unit_passes),
	FA_TEST(test_job_one_size_too_long),
	FA_TEST(test_job_sendable_skips_atomicity),
	FA_TEST(test_job_size_not_whole_blocks),
	FA_TEST(test_job_start_offset_misaligned),
	FA_TEST(test_job_blockalign_misaligned),
	FA_TEST(test_job_random_offsets_cross_boundary),
	FA_TEST(test_job_aligned_to_boundary_passes),
	FA_TEST(test_job_sequential_start_crosses),
	FA_TEST(test_job_size_larger_than_boundary),
	FA_TEST(test_build_write_fua_passthru),
	FA_TEST(test_build_read_uring),
	FA_TEST(test_build_max_blocks_and_flush),
	FA_TEST(test_build_refuses_bad_commands),
	FA_TEST(test_status_lba_out_of_range),
	FA_TEST(test_status_media_error),
	FA_TEST(test_status_errno_and_success),
	FA_TEST(test_block_path),
	FA_TEST(test_view_qemu_awupf),
	FA_TEST(test_view_7x_ignores_awupf),
	FA_TEST(test_view_unit_max_rounds_down),
	FA_TEST(test_view_awupf_zero_is_one_block),
	FA_TEST(test_view_nsabp_with_boundary),
	FA_TEST(test_view_nsabp_nawupf_zero_uses_awupf),
	FA_TEST(test_view_nabo_disables_atomics),
	FA_TEST(test_view_block_larger_than_page),
	FA_TEST(test_identify_not_nvme),
};

/* The lab tier's probes of a real namespace. */

static int probe_identify(const char *path)
{
	struct fa_device_view dv;
	int i, ret;

	ret = fa_nvme_identify(path, &a, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "test-nvme: %s\n", why);
		return 1;
	}
	fa_nvme_view_from_id_for(&a, FA_NVME_DRIVER_6_12, &dv);
	for (i = 0; i < dv.nr_fields; i++)
		printf("%s=%" PRIu64 "\n", dv.fields[i].name,
		       dv.fields[i].value);
	printf("lbaf=%u\n", a.lbaf);
	printf("logical_block=%" PRIu64 "\n", dv.logical_block.value);
	printf("hw_unit_min=%" PRIu64 "\n", dv.hw_unit_min.value);
	printf("hw_unit_max=%" PRIu64 "\n", dv.hw_unit_max.value);
	printf("hw_max_bytes=%" PRIu64 "\n", dv.hw_max_bytes.value);
	printf("hw_boundary=%" PRIu64 "\n", dv.hw_boundary.value);
	return 0;
}

static int probe_read_lba(const char *path, const char *lba)
{
	struct nvme_passthru_cmd64 cmd;
	struct fa_nvme_io io;
	void *buf;
	int fd, ret;

	ret = fa_nvme_identify(path, &a, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "test-nvme: %s\n", why);
		return 1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || posix_memalign(&buf, 4096, fa_nvme_lba_size(&a))) {
		perror(path);
		return 1;
	}
	io = (struct fa_nvme_io){
		.opcode = FA_NVME_CMD_READ, .nsid = a.nsid,
		.slba = strtoull(lba, NULL, 0), .nr_blocks = 1,
		.buf = buf, .len = fa_nvme_lba_size(&a),
	};
	fa_nvme_build_passthru(&io, &cmd);
	ret = ioctl(fd, NVME_IOCTL_IO64_CMD, &cmd);
	fa_nvme_status_message(ret < 0 ? -errno : ret, msg, sizeof(msg));
	printf("read of 1 block at LBA %" PRIu64 " of %s (nsze %" PRIu64 "): %s\n",
	       io.slba, path, a.nsze, msg);
	free(buf);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--identify"))
		return probe_identify(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "--read-lba"))
		return probe_read_lba(argv[2], argv[3]);
	if (argc > 1) {
		fprintf(stderr,
			"usage: %s [--identify PATH | --read-lba PATH LBA]\n",
			argv[0]);
		return 2;
	}
	return fa_test_main(argv[0], cases, FA_ARRAY_SIZE(cases), setup, NULL);
}
