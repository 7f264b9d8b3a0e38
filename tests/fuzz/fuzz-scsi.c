// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for everything lib/ parses from a SCSI
 * device: the Block Limits VPD page, READ CAPACITY(16) data and sense
 * data, and what is derived from them (sd_config_atomic(), the device
 * view, the write rules and their messages, command results).
 *
 * Input: byte 0 picks the mode (value % 4), the rest is the payload, copied
 * into a buffer of exactly its size so that AddressSanitizer sees any read
 * beyond what the device returned.
 *   0	a Block Limits page, then the rules on a few writes and a job
 *   1	READ CAPACITY(16) data
 *   2	sense data, as part of a CHECK CONDITION result
 *   3	byte 1 is the page's length N; N bytes of page, then capacity
 *	data: the device view built from both
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line, so the
 * seeds and any crash found can be replayed without libFuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fa_scsi.h"

#include "fa_fuzz.h"


/* A broken invariant is a finding: make the fuzzer stop on it. */
static bool terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

static uint8_t *exact_copy(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	return p;
}

static void exercise_rules(const struct fa_scsi_block_limits *bl,
			   uint32_t lbs)
{
	static const uint32_t boundaries[] = { 0, 1, 2, 128, 65535, 65536 };
	struct fa_scsi_verdict v;
	struct fa_job job;
	char msg[2048];
	uint64_t lengths[] = {
		(uint64_t)bl->atomic_transfer_length_granularity * lbs,
		(uint64_t)bl->max_atomic_transfer_length * lbs,
		(uint64_t)bl->max_atomic_transfer_length_with_boundary * lbs,
		3ULL * lbs, lbs + 1ULL, 0,
	};
	uint64_t offsets[] = { 0, lbs, (uint64_t)bl->atomic_alignment * lbs,
			       UINT64_MAX - 511 };
	size_t i, j, k;

	fa_scsi_unsupported_reason(bl, "/dev/sg0", msg, sizeof(msg));
	FUZZ_CHECK(terminated(msg, sizeof(msg)));
	memset(&job, 0, sizeof(job));
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		for (j = 0; j < sizeof(offsets) / sizeof(offsets[0]); j++) {
			for (k = 0; k < sizeof(boundaries) /
				    sizeof(boundaries[0]); k++) {
				enum fa_scsi_rule r;

				r = fa_scsi_check_write(bl, lbs, offsets[j],
							lengths[i],
							boundaries[k], &v);
				FUZZ_CHECK(r >= FA_SCSI_RULE_OK &&
					   r < FA_SCSI_RULE_NR);
				FUZZ_CHECK(r == v.rule);
				FUZZ_CHECK((r == FA_SCSI_RULE_OK) ==
					   (v.field == NULL));
				fa_scsi_verdict_message(&v, lbs, "bs",
							"/dev/sg0", msg,
							sizeof(msg));
				FUZZ_CHECK(terminated(msg, sizeof(msg)));
				/* A short buffer is cut, not overrun. */
				fa_scsi_verdict_message(&v, lbs, "bs",
							"/dev/sg0", msg, 8);
				FUZZ_CHECK(strlen(msg) < 8);
			}
		}
		if (lengths[i])
			fa_job_add_size(&job, lengths[i], "bs");
	}
	job.offset_align = (uint64_t)bl->atomic_alignment * lbs;
	job.align_opt = "blockalign";
	job.start_offset = lbs;
	fa_scsi_check_job(bl, lbs, &job, bl->max_atomic_boundary_size,
			  "/dev/sg0", &v, msg, sizeof(msg));
	FUZZ_CHECK(terminated(msg, sizeof(msg)));
}

static void fuzz_block_limits(const uint8_t *data, size_t size)
{
	struct fa_scsi_block_limits bl;
	struct fa_scsi_capacity cap;
	struct fa_scsi_sd_atomic sd;
	int ret;

	memset(&bl, 0x5a, sizeof(bl));
	ret = fa_scsi_parse_block_limits(data, size, &bl);
	FUZZ_CHECK(ret == 0 || ret == -EPROTO);
	if (ret)
		return;
	FUZZ_CHECK((size_t)bl.page_length + 4 <= size);
	FUZZ_CHECK(!bl.has_atomic || bl.page_length + 4 >= 64);
	FUZZ_CHECK(bl.has_atomic || !bl.max_atomic_transfer_length);

	memset(&cap, 0, sizeof(cap));
	cap.logical_block_length = 512;
	cap.lbppbe = size % 16;
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FUZZ_CHECK(terminated(sd.why_none, sizeof(sd.why_none)));
	/* Either sd enables atomic writes, or it says why not. */
	FUZZ_CHECK(!sd.why_none[0] == (sd.unit_max != 0));
	FUZZ_CHECK(sd.unit_min % 512 == 0 && sd.unit_max % 512 == 0);
	exercise_rules(&bl, 512);
	exercise_rules(&bl, 4096);
}

static void fuzz_read_capacity(const uint8_t *data, size_t size)
{
	struct fa_scsi_capacity cap;
	uint64_t bytes;
	int ret;

	ret = fa_scsi_parse_read_capacity16(data, size, &cap);
	FUZZ_CHECK(ret == 0 || ret == -EPROTO);
	if (ret)
		return;
	FUZZ_CHECK(size >= 16 && cap.logical_block_length);
	bytes = fa_scsi_capacity_bytes(&cap);
	FUZZ_CHECK(!bytes || bytes % cap.logical_block_length == 0);
	FUZZ_CHECK(fa_scsi_physical_block_length(&cap) >=
		   cap.logical_block_length);
	FUZZ_CHECK(cap.lbppbe < 16 && cap.p_type < 8);
}

static void fuzz_sense(const uint8_t *data, size_t size)
{
	struct fa_scsi_result r;
	struct fa_scsi_sense s;
	char buf[512];
	int ret, err;

	ret = fa_scsi_decode_sense(data, size, &s);
	FUZZ_CHECK(ret == 0 || ret == -ENODATA || ret == -EPROTO);
	if (!ret) {
		FUZZ_CHECK(s.sense_key <= 0x0f);
		FUZZ_CHECK(terminated(s.sense_key_str,
				      sizeof(s.sense_key_str)));
		FUZZ_CHECK(terminated(s.asc_ascq_str, sizeof(s.asc_ascq_str)));
		FUZZ_CHECK(s.bit_pointer >= -1 && s.bit_pointer <= 7);
		fa_scsi_sense_str(&s, buf, sizeof(buf));
		FUZZ_CHECK(terminated(buf, sizeof(buf)));
	}
	fa_scsi_result_set(&r, 0x02, size % 0x20, size % 0x10, 0, data, size);
	FUZZ_CHECK(r.has_sense == !ret);
	err = fa_scsi_result_errno(&r);
	FUZZ_CHECK(err == EINVAL || err == EIO || err == ETIMEDOUT);
	fa_scsi_result_str(&r, buf, sizeof(buf));
	FUZZ_CHECK(terminated(buf, sizeof(buf)) && buf[0]);
	fa_scsi_result_str(&r, buf, 5);
	FUZZ_CHECK(strlen(buf) < 5);
}

static void fuzz_view(const uint8_t *data, size_t size)
{
	static struct fa_device_view dv;
	size_t vpd_len;
	uint8_t *vpd, *rcap;
	int ret;

	if (!size)
		return;
	vpd_len = data[0];
	if (vpd_len > size - 1)
		vpd_len = size - 1;
	vpd = exact_copy(data + 1, vpd_len);
	rcap = exact_copy(data + 1 + vpd_len, size - 1 - vpd_len);
	ret = fa_scsi_view_from_pages(vpd_len ? vpd : NULL, vpd_len, rcap,
				      size - 1 - vpd_len, "/dev/sg0", &dv);
	FUZZ_CHECK(ret == 0 || ret == -EPROTO);
	if (!ret) {
		FUZZ_CHECK(dv.nr_fields > 0 &&
			   dv.nr_fields <= FA_DEV_MAX_FIELDS);
		FUZZ_CHECK(dv.hw_unit_max.known && dv.logical_block.known);
		FUZZ_CHECK(!dv.why_none[0] == (dv.hw_unit_max.value != 0));
		FUZZ_CHECK(dv.hw_boundary.value == 0);
		FUZZ_CHECK(terminated(dv.why_none, sizeof(dv.why_none)));
		FUZZ_CHECK(dv.hw_unit_max.value %
			   dv.logical_block.value == 0);
	}
	free(vpd);
	free(rcap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *payload;

	if (!size)
		return 0;
	payload = exact_copy(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		fuzz_block_limits(payload, size - 1);
		break;
	case 1:
		fuzz_read_capacity(payload, size - 1);
		break;
	case 2:
		fuzz_sense(payload, size - 1);
		break;
	default:
		fuzz_view(payload, size - 1);
		break;
	}
	free(payload);
	return 0;
}

