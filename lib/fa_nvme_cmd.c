// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: NVMe I/O commands (Write, Read, Flush) built for the
 * passthrough ioctl and for io_uring, and the status they complete with,
 * named by libnvme.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libnvme.h>

#include "fa_nvme.h"
#include "fa_util.h"

_Static_assert(sizeof(struct nvme_uring_cmd) <= 80, "uring_cmd in SQE128");

static int build(const struct fa_nvme_io *io, __u8 *opcode, __u32 *nsid,
		 __u64 *addr, __u32 *data_len, __u32 *cdw10, __u32 *cdw11,
		 __u32 *cdw12)
{
	switch (io->opcode) {
	case FA_NVME_CMD_FLUSH:
		break;
	case FA_NVME_CMD_WRITE:
	case FA_NVME_CMD_READ:
		if (!io->nr_blocks || io->nr_blocks > FA_NVME_MAX_BLOCKS ||
		    !io->buf || !io->len)
			return -EINVAL;
		*addr = (__u64)(uintptr_t)io->buf;
		*data_len = io->len;
		*cdw10 = (uint32_t)io->slba;
		*cdw11 = (uint32_t)(io->slba >> 32);
		/* NLB is 0's based; FUA is bit 30 (Limited Retry, 31, unset) */
		*cdw12 = (io->nr_blocks - 1) | (io->fua ? 1u << 30 : 0);
		break;
	default:
		return -EINVAL;
	}
	*opcode = io->opcode;
	*nsid = io->nsid;
	return 0;
}

int fa_nvme_build_passthru(const struct fa_nvme_io *io,
			   struct nvme_passthru_cmd64 *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	return build(io, &cmd->opcode, &cmd->nsid, &cmd->addr, &cmd->data_len,
		     &cmd->cdw10, &cmd->cdw11, &cmd->cdw12);
}

int fa_nvme_build_uring(const struct fa_nvme_io *io,
			struct nvme_uring_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	return build(io, &cmd->opcode, &cmd->nsid, &cmd->addr, &cmd->data_len,
		     &cmd->cdw10, &cmd->cdw11, &cmd->cdw12);
}

void fa_nvme_status_decode(int status, struct fa_nvme_status *st)
{
	const char *s, *colon;
	size_t n;

	memset(st, 0, sizeof(*st));
	st->status = (uint16_t)status;
	st->sc = status & 0xff;
	st->sct = (status >> 8) & 0x7;
	st->more = status & 0x2000;
	st->dnr = status & 0x4000;
	st->errnum = nvme_status_to_errno(status, false);
	s = nvme_status_to_string(status, false);
	if (!s)
		s = "Unknown Status";
	/* libnvme's strings are "Name: meaning" or just "Name". */
	colon = strstr(s, ": ");
	n = colon ? (size_t)(colon - s) : strlen(s);
	if (n >= sizeof(st->name))
		n = sizeof(st->name) - 1;
	memcpy(st->name, s, n);
	st->name[n] = '\0';
	if (colon)
		fa_strlcpy(st->meaning, colon + 2, sizeof(st->meaning));
}

void fa_nvme_status_message(int status, char *buf, size_t len)
{
	struct fa_nvme_status st;

	if (status < 0) {
		snprintf(buf, len, "%s", strerror(-status));
		return;
	}
	if (!status) {
		snprintf(buf, len, "success");
		return;
	}
	fa_nvme_status_decode(status, &st);
	snprintf(buf, len, "NVMe status 0x%04x (SCT %xh SC %02xh%s%s): %s%s%s",
		 st.status, st.sct, st.sc, st.more ? ", More" : "",
		 st.dnr ? ", DNR" : "", st.name, st.meaning[0] ? ": " : "",
		 st.meaning);
}
