// SPDX-License-Identifier: GPL-2.0
/*
 * Description: NVMe Identify parsing and the device view, without a device:
 * Identify Controller and Identify Namespace parsed from canned 4096-byte
 * buffers (fa_nvme_fixture.h: a QEMU-like geometry, NSABP with
 * nawupf/nabspf/nabo, every truncation that cuts a field, zeroed data, LBA
 * format index and LBADS out of range), the ng -> nvme block device name,
 * and the limits Linux 6.12's and 7.x's drivers derive (lib/fa_nvme_id.c,
 * lib/fa_nvme_view.c). The rules are in test-nvme-rules.c, command
 * encoding and status decoding in test-nvme-cmd.c.
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
#include "fa_nvme_fixture.h"
#include "fa_test.h"
#include "fa_util.h"

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
