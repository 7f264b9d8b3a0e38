// SPDX-License-Identifier: GPL-2.0
/*
 * Description: NVMe I/O commands and their status, without a device
 * (lib/fa_nvme_cmd.c): Write with FUA for the passthrough ioctl, Read for
 * io_uring, the largest block count and Flush, compared byte by byte with
 * the layout of linux/nvme_ioctl.h; commands refused before they are
 * built; completion status decoded (SCT, SC, DNR, More) and named, and
 * -errno and success as messages.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fa_nvme.h"
#include "fa_nvme_fixture.h"
#include "fa_test.h"

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

static const struct fa_test_case cases[] = {
	FA_TEST(test_build_write_fua_passthru),
	FA_TEST(test_build_read_uring),
	FA_TEST(test_build_max_blocks_and_flush),
	FA_TEST(test_build_refuses_bad_commands),
	FA_TEST(test_status_lba_out_of_range),
	FA_TEST(test_status_media_error),
	FA_TEST(test_status_errno_and_success),
};

FA_TEST_MAIN(cases, setup, NULL)
