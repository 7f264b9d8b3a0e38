// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the acknowledged-write log parser and
 * the check of acknowledged writes against scanned units: logs come from a
 * 9p share after a power cut, or from anywhere a user points --acks at.
 *
 * Input: byte 0: bits 0..3 the number of units scanned (1 + value), bit 7
 * "re-sign": every 40-byte record of the log gets a valid magic, version,
 * length and CRC first, so the fuzzer reaches the checker with arbitrary
 * fields; bytes 1..16 each unit's state (value % 4, fa_unit_state) and,
 * for an intact unit, which record's generation it holds (value / 4,
 * modulo the records; a made-up one when there are none); the rest is
 * the log. Invariants: a bad log adds nothing and names a record inside
 * it; a good one adds every record, each of which re-encodes to its own
 * bytes; every record is judged exactly once (found, newer, raced,
 * other_job, lost, outside or off grid) and the lost ones add up by
 * reason.
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_acklog.h"
#include "fa_crc32c.h"

#include "fa_fuzz.h"


#define HEADER_LEN	17
#define UNIT		4096u
#define MAX_LOG		(1u << 16)

static void resign(unsigned char *rec)
{
	uint32_t crc;
	int i;

	memcpy(rec, FA_ACK_MAGIC, FA_ACK_MAGIC_LEN);
	rec[FA_ACK_OFF_VERSION] = FA_ACK_VERSION;
	rec[FA_ACK_OFF_VERSION + 1] = 0;
	rec[FA_ACK_OFF_RECORD_LEN] = FA_ACK_LEN;
	rec[FA_ACK_OFF_RECORD_LEN + 1] = 0;
	crc = fa_crc32c(0, rec, FA_ACK_OFF_CRC);
	for (i = 0; i < 4; i++)
		rec[FA_ACK_OFF_CRC + i] = (unsigned char)(crc >> (8 * i));
}

static void check_units(const struct fa_ack_set *set, const uint8_t *states,
			unsigned int nr_units)
{
	struct fa_ack_check chk;
	unsigned int k;
	uint64_t judged;

	fa_ack_check_init(&chk, 0, (uint64_t)nr_units * UNIT);
	for (k = 0; k < nr_units; k++) {
		enum fa_unit_state state = states[k] % 4;
		uint64_t gen = 0;

		if (state == FA_UNIT_INTACT && set->nr)
			gen = set->acks[(states[k] / 4) % set->nr].generation;
		else if (state == FA_UNIT_INTACT)
			gen = (uint64_t)states[k] + 1;
		fa_ack_check_unit(set, &chk, (uint64_t)k * UNIT, UNIT, state,
				  gen);
	}
	fa_ack_check_finish(set, &chk);

	judged = chk.found + chk.newer + chk.raced + chk.other_job + chk.lost;
	FUZZ_CHECK(judged == chk.acked);
	FUZZ_CHECK(chk.acked + chk.outside + chk.off_grid == set->nr);
	FUZZ_CHECK(chk.lost == chk.lost_unwritten + chk.lost_torn +
			       chk.lost_mismatched + chk.lost_older);
	FUZZ_CHECK(chk.units <= nr_units && chk.units <= chk.acked);
	FUZZ_CHECK(chk.nr_examples <= FA_ACK_MAX_EXAMPLES &&
		   chk.nr_examples <= chk.lost);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char log[MAX_LOG];
	struct fa_ack_set set;
	size_t len, bad = (size_t)-1, i;
	unsigned int nr_units;
	int ret;

	if (size < HEADER_LEN)
		return 0;
	nr_units = 1 + (data[0] & 0x0f);
	len = size - HEADER_LEN;
	if (len > MAX_LOG)
		len = MAX_LOG;
	memcpy(log, data + HEADER_LEN, len);
	if (data[0] & 0x80)
		for (i = 0; i + FA_ACK_LEN <= len; i += FA_ACK_LEN)
			resign(log + i);

	fa_ack_set_init(&set);
	ret = fa_ack_set_add_log(&set, log, len, &bad);
	FUZZ_CHECK(ret >= 0);
	if (ret) {
		FUZZ_CHECK(set.nr == 0);
		FUZZ_CHECK(bad <= len / FA_ACK_LEN);
		FUZZ_CHECK(ret != FA_ACK_TRUNCATED || bad == len / FA_ACK_LEN);
		fa_ack_set_free(&set);
		return 0;
	}
	FUZZ_CHECK(set.nr == len / FA_ACK_LEN);
	for (i = 0; i < set.nr; i++) {
		unsigned char rec[FA_ACK_LEN];

		fa_ack_encode(&set.acks[i], rec);
		FUZZ_CHECK(!memcmp(rec, log + i * FA_ACK_LEN, FA_ACK_LEN));
	}
	FUZZ_CHECK(!fa_ack_set_prepare(&set));
	for (i = 0; i < set.nr; i++) {
		uint64_t gen = set.acks[i].generation;
		const struct fa_ack *a = fa_ack_set_find(&set, gen);

		FUZZ_CHECK(a && a->generation == gen);
	}
	check_units(&set, data + 1, nr_units);
	fa_ack_set_free(&set);
	return 0;
}

