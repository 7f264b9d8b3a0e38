// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the run context's parsers: the
 * os-release(5) file, a device's identity (standard INQUIRY data, the Unit
 * Serial Number VPD page, NVMe Identify Controller data) and the "context"
 * object of a report, which comes from any engine build or fio server.
 *
 * Input: byte 0 picks the mode (value % 3), the rest is the payload.
 *   0	os-release: PRETTY_NAME and NAME looked up; the value is
 *	terminated, fits its buffer, and the same lookup into a small
 *	buffer is its prefix.
 *   1	identity: the payload as INQUIRY data, VPD 80h and (zero-padded to
 *	4096 bytes) Identify Controller data; every string printable ASCII.
 *   2	context JSON: an object that parses writes back out and parses
 *	again to the same strings and limits.
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fa_context.h"
#include "fa_nvme.h"
#include "fa_scsi.h"

#include "fa_fuzz.h"

static void check_printable(const char *s, size_t cap)
{
	FUZZ_CHECK(memchr(s, '\0', cap));
	for (; *s; s++)
		FUZZ_CHECK(*s >= 0x20 && *s < 0x7f);
}

static void fuzz_os_release(const uint8_t *p, size_t n)
{
	static const char *const keys[] = { "PRETTY_NAME", "NAME" };
	char out[256], small[8];
	size_t i;
	int ret, ret2;

	for (i = 0; i < 2; i++) {
		ret = fa_os_release_get((const char *)p, n, keys[i], out,
					sizeof(out));
		FUZZ_CHECK(ret == 0 || ret == 1);
		FUZZ_CHECK(memchr(out, '\0', sizeof(out)));
		FUZZ_CHECK(ret || !out[0]);
		ret2 = fa_os_release_get((const char *)p, n, keys[i], small,
					 sizeof(small));
		FUZZ_CHECK(ret2 == ret);
		FUZZ_CHECK(!strncmp(out, small, strlen(small)));
	}
}

static void fuzz_identity(const uint8_t *p, size_t n)
{
	static uint8_t id[FA_NVME_ID_LEN];
	char vendor[33], product[33], rev[33], serial[64];
	struct fa_nvme_identity ident;

	if (!fa_scsi_parse_inquiry(p, n, vendor, product, rev)) {
		check_printable(vendor, sizeof(vendor));
		check_printable(product, sizeof(product));
		check_printable(rev, sizeof(rev));
	} else {
		FUZZ_CHECK(n < FA_SCSI_INQUIRY_STD_LEN);
	}
	if (!fa_scsi_parse_unit_serial(p, n, serial, sizeof(serial)))
		check_printable(serial, sizeof(serial));
	memset(id, 0, sizeof(id));
	memcpy(id, p, n < sizeof(id) ? n : sizeof(id));
	FUZZ_CHECK(!fa_nvme_parse_id_ctrl_identity(id, sizeof(id), &ident));
	check_printable(ident.mn, sizeof(ident.mn));
	check_printable(ident.sn, sizeof(ident.sn));
	check_printable(ident.fr, sizeof(ident.fr));
}

static void fuzz_json(const uint8_t *p, size_t n)
{
	static struct fa_runctx c, back;
	struct json_tokener *tok = json_tokener_new();
	struct json_object *in, *out;
	const char *bad = NULL;
	int ret;

	if (!tok)
		return;
	in = json_tokener_parse_ex(tok, (const char *)p, (int)n);
	json_tokener_free(tok);
	if (!in)
		return;
	ret = fa_runctx_parse(in, &c, &bad);
	json_object_put(in);
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL && bad);
		return;
	}
	out = fa_runctx_json(&c);
	if (!out)
		return;
	FUZZ_CHECK(!fa_runctx_parse(out, &back, &bad));
	FUZZ_CHECK(!strcmp(back.host, c.host));
	FUZZ_CHECK(!strcmp(back.target_path, c.target_path));
	FUZZ_CHECK(back.device.known == c.device.known);
	FUZZ_CHECK(!strcmp(back.device.serial, c.device.serial));
	FUZZ_CHECK(back.filesystem.known == c.filesystem.known);
	FUZZ_CHECK(!strcmp(back.filesystem.options, c.filesystem.options));
	FUZZ_CHECK(back.limits.known == c.limits.known);
	FUZZ_CHECK(back.limits.unit_max == c.limits.unit_max);
	json_object_put(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size || size > (1 << 20))
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_os_release(data + 1, size - 1);
		break;
	case 1:
		fuzz_identity(data + 1, size - 1);
		break;
	default:
		fuzz_json(data + 1, size - 1);
		break;
	}
	return 0;
}
