// SPDX-License-Identifier: GPL-2.0
/*
 * Description: write an acknowledged-write log (lib/fa_acklog.h) with the
 * records given, the way fio's tear_ack_log leaves one, for the tests of
 * `fio-atomic tearscan --acks`:
 *
 *   ack-write PATH GENERATION:SUBMITTED_HI:OFFSET:LENGTH...
 *
 * Numbers are decimal or 0x hexadecimal. PATH is created or truncated.
 * Exit 0 written, 1 error, 2 usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_acklog.h"

static int parse_record(const char *s, struct fa_ack *a)
{
	unsigned long long v[4];
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		errno = 0;
		v[i] = strtoull(s, &end, 0);
		if (errno || end == s || *end != (i < 3 ? ':' : '\0'))
			return -EINVAL;
		s = end + 1;
	}
	if (v[3] > UINT32_MAX)
		return -EINVAL;
	a->generation = v[0];
	a->submitted_hi = v[1];
	a->offset = v[2];
	a->length = (uint32_t)v[3];
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char rec[FA_ACK_LEN];
	struct fa_ack a;
	FILE *fp;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: ack-write PATH GENERATION:SUBMITTED_HI:OFFSET:LENGTH...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (parse_record(argv[i], &a)) {
			fprintf(stderr, "ack-write: '%s' is not GENERATION:SUBMITTED_HI:OFFSET:LENGTH\n",
				argv[i]);
			return 2;
		}
	}
	fp = fopen(argv[1], "wb");
	if (!fp) {
		perror(argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		parse_record(argv[i], &a);
		fa_ack_encode(&a, rec);
		if (fwrite(rec, sizeof(rec), 1, fp) != 1)
			break;
	}
	if (fclose(fp) || i < argc) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
