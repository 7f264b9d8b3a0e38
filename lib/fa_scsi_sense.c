// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: what came back from a SCSI command: sense data decoded into
 * categories and words, and the status, host and driver bytes into one line.
 *
 * libsgutils2 does what it is best at: putting sense data into words, so
 * that no table of additional sense codes lives here.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <scsi/sg_lib.h>

#include "fa_scsi.h"
#include "fa_unaligned.h"
#include "fa_util.h"

#define FA_SCSI_STATUS_GOOD		0x00
#define FA_SCSI_STATUS_CONDITION_MET	0x04
#define FA_SCSI_SK_ILLEGAL_REQUEST	0x05
#define FA_SCSI_DID_TIME_OUT		0x03
#define FA_SCSI_DRIVER_MASK		0x0f
#define FA_SCSI_DRIVER_TIMEOUT		0x06
#define FA_SCSI_DRIVER_SENSE		0x08
/* SPC: sense data is at most 252 bytes. */
#define FA_SCSI_SENSE_MAX		252
#define FA_SCSI_ASC_LABEL		"Additional sense: "

/* Sense data and command status */

static void fa_upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

int fa_scsi_decode_sense(const uint8_t *sb, size_t len,
			 struct fa_scsi_sense *s)
{
	/*
	 * libsgutils2 is not built with the sanitizers: it reads a
	 * zero-padded copy, so a short buffer cannot make it read beyond.
	 */
	uint8_t copy[FA_SCSI_SENSE_MAX + 4];
	struct sg_scsi_sense_hdr ssh;
	const uint8_t *sks = NULL;
	uint64_t info = 0;
	size_t label;
	int n;

	if (!sb || !s)
		return -EINVAL;
	if (!len || !(sb[0] & 0x7f))
		return -ENODATA;
	n = len > FA_SCSI_SENSE_MAX ? FA_SCSI_SENSE_MAX : (int)len;
	memset(copy, 0, sizeof(copy));
	memcpy(copy, sb, n);
	if (!sg_scsi_normalize_sense(copy, n, &ssh))
		return -EPROTO;

	memset(s, 0, sizeof(*s));
	s->response_code = ssh.response_code;
	s->sense_key = ssh.sense_key & 0x0f;
	s->asc = ssh.asc;
	s->ascq = ssh.ascq;
	s->bit_pointer = -1;
	sg_get_sense_key_str(s->sense_key, sizeof(s->sense_key_str),
			     s->sense_key_str);
	sg_get_asc_ascq_str(s->asc, s->ascq, sizeof(s->asc_ascq_str),
			    s->asc_ascq_str);
	/* libsgutils2 leads with a label; SPC's name stands alone. */
	label = strlen(FA_SCSI_ASC_LABEL);
	if (!strncasecmp(s->asc_ascq_str, FA_SCSI_ASC_LABEL, label))
		memmove(s->asc_ascq_str, s->asc_ascq_str + label,
			strlen(s->asc_ascq_str + label) + 1);
	fa_upcase(s->sense_key_str);
	fa_upcase(s->asc_ascq_str);

	/* Sense-key specific bytes: fixed 15-17, descriptor type 02h 4-6. */
	if (s->response_code == 0x70 || s->response_code == 0x71) {
		if (n >= 18)
			sks = copy + 15;
	} else {
		const uint8_t *d = sg_scsi_sense_desc_find(copy, n, 0x02);

		if (d && d >= copy && d + 7 <= copy + n && d[1] >= 6)
			sks = d + 4;
	}
	if (sks && (sks[0] & 0x80) &&
	    s->sense_key == FA_SCSI_SK_ILLEGAL_REQUEST) {
		s->field_pointer_valid = true;
		s->field_in_cdb = sks[0] & 0x40;
		if (sks[0] & 0x08)
			s->bit_pointer = sks[0] & 0x07;
		s->field_pointer = sg_get_unaligned_be16(sks + 1);
	}
	s->info_valid = sg_get_sense_info_fld(copy, n, &info);
	s->info = info;
	return 0;
}

void fa_scsi_sense_str(const struct fa_scsi_sense *s, char *buf, size_t len)
{
	char where[64] = "", bit[16] = "", info[48] = "";

	if (s->field_pointer_valid) {
		if (s->bit_pointer >= 0)
			snprintf(bit, sizeof(bit), " bit %d", s->bit_pointer);
		snprintf(where, sizeof(where), ", field pointer: %s byte %u%s",
			 s->field_in_cdb ? "CDB" : "parameter list",
			 s->field_pointer, bit);
	}
	if (s->info_valid)
		snprintf(info, sizeof(info), ", information %" PRIu64,
			 s->info);
	snprintf(buf, len, "%s / %s (sense key %Xh, ASC %02Xh, ASCQ %02Xh%s%s)",
		 s->sense_key_str, s->asc_ascq_str, s->sense_key, s->asc,
		 s->ascq, where, info);
}

void fa_scsi_result_set(struct fa_scsi_result *r, uint8_t status,
			uint16_t host_status, uint16_t driver_status,
			int resid, const uint8_t *sb, size_t sb_len)
{
	memset(r, 0, sizeof(*r));
	r->status = status;
	r->host_status = host_status;
	r->driver_status = driver_status;
	r->resid = resid;
	r->has_sense = sb && sb_len && !fa_scsi_decode_sense(sb, sb_len,
							     &r->sense);
}

static bool fa_scsi_driver_ok(uint16_t driver_status)
{
	unsigned int d = driver_status & FA_SCSI_DRIVER_MASK;

	/* Linux 5.14+ sets DRIVER_SENSE whenever there is sense data. */
	return d == 0 || d == FA_SCSI_DRIVER_SENSE;
}

bool fa_scsi_result_ok(const struct fa_scsi_result *r)
{
	return (r->status == FA_SCSI_STATUS_GOOD ||
		r->status == FA_SCSI_STATUS_CONDITION_MET) &&
	       !r->host_status && fa_scsi_driver_ok(r->driver_status);
}

int fa_scsi_result_errno(const struct fa_scsi_result *r)
{
	if (fa_scsi_result_ok(r))
		return 0;
	if (r->host_status == FA_SCSI_DID_TIME_OUT ||
	    (r->driver_status & FA_SCSI_DRIVER_MASK) == FA_SCSI_DRIVER_TIMEOUT)
		return ETIMEDOUT;
	if (r->has_sense && r->sense.sense_key == FA_SCSI_SK_ILLEGAL_REQUEST)
		return EINVAL;
	return EIO;
}

/*
 * Linux's host byte (include/scsi/scsi_status.h): not SCSI, so libsgutils2
 * can only print it, not put it into a string.
 */
static const char *const fa_scsi_host_status_names[][2] = {
	{ "DID_OK", "no error" },
	{ "DID_NO_CONNECT", "could not connect" },
	{ "DID_BUS_BUSY", "the bus stayed busy" },
	{ "DID_TIME_OUT", "the command timed out" },
	{ "DID_BAD_TARGET", "bad target" },
	{ "DID_ABORT", "the command was aborted" },
	{ "DID_PARITY", "parity error" },
	{ "DID_ERROR", "internal error of the host adapter" },
	{ "DID_RESET", "reset" },
	{ "DID_BAD_INTR", "unexpected interrupt" },
	{ "DID_PASSTHROUGH", "forced past the mid-layer" },
	{ "DID_SOFT_ERROR", "the low-level driver asked for a retry" },
	{ "DID_IMM_RETRY", "retry at once" },
	{ "DID_REQUEUE", "requeued" },
	{ "DID_TRANSPORT_DISRUPTED", "the transport was disrupted" },
	{ "DID_TRANSPORT_FAILFAST", "the transport failed fast" },
	{ "DID_TARGET_FAILURE", "permanent target failure" },
	{ "DID_NEXUS_FAILURE", "permanent nexus failure" },
	{ "DID_ALLOC_FAILURE", "space allocation failed" },
	{ "DID_MEDIUM_ERROR", "medium error" },
	{ "DID_TRANSPORT_MARGINAL", "marginal transport" },
};

static const char *const fa_scsi_driver_status_names[] = {
	"DRIVER_OK", "DRIVER_BUSY", "DRIVER_SOFT", "DRIVER_MEDIA",
	"DRIVER_ERROR", "DRIVER_INVALID", "DRIVER_TIMEOUT", "DRIVER_HARD",
	"DRIVER_SENSE",
};

void fa_scsi_result_str(const struct fa_scsi_result *r, char *buf,
			size_t len)
{
	char status[64], sense[320], scsi[400] = "", host[96] = "";
	char driver[64] = "";
	const char *parts[3] = { scsi, host, driver };
	size_t pos = 0, i;

	if (!len)
		return;
	buf[0] = '\0';
	if (fa_scsi_result_ok(r)) {
		snprintf(buf, len, "GOOD");
		return;
	}
	if (r->status != FA_SCSI_STATUS_GOOD) {
		sg_get_scsi_status_str(r->status, sizeof(status), status);
		fa_upcase(status);
		if (r->has_sense) {
			fa_scsi_sense_str(&r->sense, sense, sizeof(sense));
			snprintf(scsi, sizeof(scsi), "%s: %s", status, sense);
		} else {
			snprintf(scsi, sizeof(scsi), "%s", status);
		}
	}
	if (r->host_status) {
		unsigned int h = r->host_status;

		if (h < FA_ARRAY_SIZE(fa_scsi_host_status_names))
			snprintf(host, sizeof(host), "host status %s (%02Xh, %s)",
				 fa_scsi_host_status_names[h][0], h,
				 fa_scsi_host_status_names[h][1]);
		else
			snprintf(host, sizeof(host), "host status %02Xh", h);
	}
	if (!fa_scsi_driver_ok(r->driver_status)) {
		unsigned int d = r->driver_status & FA_SCSI_DRIVER_MASK;

		snprintf(driver, sizeof(driver), "driver status %s (%02Xh)",
			 d < FA_ARRAY_SIZE(fa_scsi_driver_status_names) ?
			 fa_scsi_driver_status_names[d] : "unknown",
			 r->driver_status);
	}
	for (i = 0; i < FA_ARRAY_SIZE(parts); i++) {
		int n;

		if (!parts[i][0] || pos >= len)
			continue;
		n = snprintf(buf + pos, len - pos, "%s%s", pos ? "; " : "",
			     parts[i]);
		if (n > 0)
			pos += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, len, "failed with no status, sense or host error");
}
