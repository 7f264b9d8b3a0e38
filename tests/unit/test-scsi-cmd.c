// SPDX-License-Identifier: GPL-2.0
/*
 * Description: what goes to a SCSI device and what comes back, without a
 * device (lib/fa_scsi_cdb.c, lib/fa_scsi_sense.c): WRITE ATOMIC(16),
 * WRITE(16) and READ(16) packed byte for byte, their flags and the limits
 * of their fields; canned fixed and descriptor sense data (ILLEGAL REQUEST
 * / INVALID FIELD IN CDB, with the field pointer), none or cut short; and
 * command results (status, host and driver bytes) as errno and one line.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fa_scsi.h"
#include "fa_scsi_fixture.h"
#include "fa_test.h"

/* CDBs */

static void test_write_atomic16_cdb_bytes(void)
{
	static const uint8_t want[16] = {
		0x9c, 0x18, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
		0x07, 0x08, 0x0a, 0x0b, 0x12, 0x34, 0x15, 0x00,
	};
	struct fa_scsi_rw rw = {
		.lba = 0x0102030405060708ULL,
		.blocks = 0x1234,
		.atomic_boundary = 0x0a0b,
		.group_number = 0x15,
		.dpo = true,
		.fua = true,
	};
	uint8_t cdb[16];
	int i;

	memset(cdb, 0xee, sizeof(cdb));
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	for (i = 0; i < 16; i++)
		if (cdb[i] != want[i])
			FA_FAIL("byte %d is %02x, want %02x", i, cdb[i],
				want[i]);
}

static void test_write_atomic16_flags(void)
{
	struct fa_scsi_rw rw = { .lba = 8, .blocks = 16 };
	uint8_t cdb[16];

	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[1], 0x00);
	FA_ASSERT_UEQ(cdb[10], 0);	/* no boundary: whole write atomic */
	FA_ASSERT_UEQ(cdb[11], 0);
	FA_ASSERT_UEQ(cdb[13], 16);
	FA_ASSERT_UEQ(cdb[9], 8);
	rw.fua = true;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[1], 0x08);
	rw.fua = false;
	rw.dpo = true;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[1], 0x10);
}

static void test_write_atomic16_field_limits(void)
{
	struct fa_scsi_rw rw = { .blocks = 0xffff, .atomic_boundary = 0xffff,
				 .group_number = 63 };
	uint8_t cdb[16];
	int i;

	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[12], 0xff);
	FA_ASSERT_UEQ(cdb[13], 0xff);
	FA_ASSERT_UEQ(cdb[14], 63);

	memset(cdb, 0xee, sizeof(cdb));
	rw.blocks = 0x10000;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), -EINVAL);
	rw.blocks = 1;
	rw.atomic_boundary = 0x10000;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), -EINVAL);
	rw.atomic_boundary = 0;
	rw.group_number = 64;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), -EINVAL);
	for (i = 0; i < 16; i++)
		FA_ASSERT_UEQ(cdb[i], 0xee);	/* refused: untouched */
}

static void test_read16_write16_cdb_bytes(void)
{
	struct fa_scsi_rw rw = {
		.lba = 0x1122334455667788ULL,
		.blocks = 0x00abcdef,
		.group_number = 7,
		.fua = true,
	};
	uint8_t cdb[16];

	FA_ASSERT_EQ(fa_scsi_read16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[0], 0x88);
	FA_ASSERT_UEQ(cdb[1], 0x08);
	FA_ASSERT_UEQ(cdb[2], 0x11);
	FA_ASSERT_UEQ(cdb[9], 0x88);
	FA_ASSERT_UEQ(cdb[10], 0x00);
	FA_ASSERT_UEQ(cdb[11], 0xab);
	FA_ASSERT_UEQ(cdb[12], 0xcd);
	FA_ASSERT_UEQ(cdb[13], 0xef);
	FA_ASSERT_UEQ(cdb[14], 7);
	FA_ASSERT_UEQ(cdb[15], 0);

	FA_ASSERT_EQ(fa_scsi_write16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[0], 0x8a);
	FA_ASSERT_UEQ(cdb[13], 0xef);

	/* No ATOMIC BOUNDARY in these commands. */
	rw.atomic_boundary = 2;
	FA_ASSERT_EQ(fa_scsi_write16_cdb(cdb, &rw), -EINVAL);
	FA_ASSERT_EQ(fa_scsi_read16_cdb(cdb, &rw), -EINVAL);
}

/* Sense data and results */

/* scsi_debug's answer to a too-long WRITE ATOMIC(16), fixed format. */
static const uint8_t fixed_sense[18] = {
	0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a,
	0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0xc0,
	0x00, 0x0c,
};

static void test_sense_fixed_invalid_field_in_cdb(void)
{
	struct fa_scsi_sense s;

	FA_ASSERT_EQ(fa_scsi_decode_sense(fixed_sense, sizeof(fixed_sense),
					  &s), 0);
	FA_ASSERT_UEQ(s.response_code, 0x70);
	FA_ASSERT_UEQ(s.sense_key, 5);
	FA_ASSERT_UEQ(s.asc, 0x24);
	FA_ASSERT_UEQ(s.ascq, 0);
	FA_ASSERT_STREQ(s.sense_key_str, "ILLEGAL REQUEST");
	FA_ASSERT_STREQ(s.asc_ascq_str, "INVALID FIELD IN CDB");
	FA_ASSERT(s.field_pointer_valid && s.field_in_cdb);
	FA_ASSERT_UEQ(s.field_pointer, 12);
	FA_ASSERT_EQ(s.bit_pointer, -1);
	fa_scsi_sense_str(&s, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "ILLEGAL REQUEST / INVALID FIELD IN CDB");
	FA_ASSERT_CONTAINS(msg, "ASC 24h");
	FA_ASSERT_CONTAINS(msg, "field pointer: CDB byte 12");
}

static void test_sense_descriptor_format(void)
{
	static const uint8_t sb[16] = {
		0x72, 0x05, 0x24, 0x00, 0x00, 0x00, 0x00, 0x08,
		0x02, 0x06, 0x00, 0x00, 0xcb, 0x00, 0x0a, 0x00,
	};
	struct fa_scsi_sense s;

	FA_ASSERT_EQ(fa_scsi_decode_sense(sb, sizeof(sb), &s), 0);
	FA_ASSERT_UEQ(s.response_code, 0x72);
	FA_ASSERT_STREQ(s.sense_key_str, "ILLEGAL REQUEST");
	FA_ASSERT_STREQ(s.asc_ascq_str, "INVALID FIELD IN CDB");
	FA_ASSERT(s.field_pointer_valid && s.field_in_cdb);
	FA_ASSERT_UEQ(s.field_pointer, 10);
	FA_ASSERT_EQ(s.bit_pointer, 3);
}

static void test_sense_none_or_short(void)
{
	static const uint8_t zero[18];
	struct fa_scsi_sense s;

	FA_ASSERT_EQ(fa_scsi_decode_sense(fixed_sense, 0, &s), -ENODATA);
	FA_ASSERT_EQ(fa_scsi_decode_sense(zero, sizeof(zero), &s), -ENODATA);
	FA_ASSERT_EQ(fa_scsi_decode_sense(NULL, 18, &s), -EINVAL);
	/* Cut before the field pointer: no pointer, no over-read. */
	FA_ASSERT_EQ(fa_scsi_decode_sense(fixed_sense, 14, &s), 0);
	FA_ASSERT_UEQ(s.asc, 0x24);
	FA_ASSERT(!s.field_pointer_valid);
}

static void test_result_check_condition(void)
{
	struct fa_scsi_result r;

	fa_scsi_result_set(&r, 0x02, 0, 0x08, 0, fixed_sense,
			   sizeof(fixed_sense));
	FA_ASSERT(!fa_scsi_result_ok(&r));
	FA_ASSERT(r.has_sense);
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), EINVAL);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg,
			   "CHECK CONDITION: ILLEGAL REQUEST / INVALID FIELD IN CDB");
	FA_ASSERT(!strstr(msg, "driver status"));	/* DRIVER_SENSE is normal */
}

static void test_result_host_and_driver_status(void)
{
	static const uint8_t unit_attention[18] = {
		0x70, 0x00, 0x06, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x29, 0x00,
	};
	struct fa_scsi_result r;

	fa_scsi_result_set(&r, 0, 0x03, 0, 0, NULL, 0);
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), ETIMEDOUT);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "host status DID_TIME_OUT (03h");

	fa_scsi_result_set(&r, 0, 0, 0x04, 0, NULL, 0);
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), EIO);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "driver status DRIVER_ERROR");

	fa_scsi_result_set(&r, 0x02, 0, 0x08, 0, unit_attention,
			   sizeof(unit_attention));
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), EIO);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "UNIT ATTENTION");

	fa_scsi_result_set(&r, 0, 0, 0x08, 0, NULL, 0);
	FA_ASSERT(fa_scsi_result_ok(&r));
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), 0);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg, "GOOD");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_write_atomic16_cdb_bytes),
	FA_TEST(test_write_atomic16_flags),
	FA_TEST(test_write_atomic16_field_limits),
	FA_TEST(test_read16_write16_cdb_bytes),
	FA_TEST(test_sense_fixed_invalid_field_in_cdb),
	FA_TEST(test_sense_descriptor_format),
	FA_TEST(test_sense_none_or_short),
	FA_TEST(test_result_check_condition),
	FA_TEST(test_result_host_and_driver_status),
};

FA_TEST_MAIN(cases, setup, NULL)
