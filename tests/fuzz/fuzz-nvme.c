// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the NVMe Identify parsers and
 * everything that consumes what they accept: the unit and boundary that
 * apply, the write and job rules (what the job check passes, every write it
 * stands for passes), their messages, command encoding, status strings, the
 * device view and the ng -> nvme name.
 *
 * Input: byte 0 picks the mode (value % 3), the rest is the payload.
 *   0	the payload is Identify Controller data, at its own length
 *   1	the payload is Identify Namespace data, at its own length
 *   2	the payload is laid over valid QEMU-like Identify data (so that
 *	the fields, not the length checks, are what varies) and then gives
 *	a write, a job and a status to check against them:
 *	  0..5   awun, awupf, acwu           6..29  namespace bytes 24..47
 *	  30..37 nsze                        38..41 the LBA format in use
 *	  42..49 slba   50..53 nr_blocks     54..57 start offset / 512
 *	  58..61 offset_align / 512          62..63 status
 *	  64     dn (bit 0: known, bit 1: set), unit (bit 2)
 *	  65..   up to 8 write sizes, 2 bytes each, in 512-byte units
 *
 * Every broken invariant aborts. Built with -DFA_FUZZ_REPLAY it is a plain
 * program that feeds it each file (or each file in each directory) named
 * on its command line, so the seeds and any crash replay without libFuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fa_nvme.h"

#include "fa_fuzz.h"


static bool terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

static uint64_t get(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* A parse either fills in what it owns or leaves everything as it was. */
static void fuzz_parse(const uint8_t *data, size_t size, bool ns)
{
	struct fa_nvme_atomic a, before;
	char why[512];
	int ret;

	memset(&a, 0x5a, sizeof(a));
	before = a;
	memset(why, 'x', sizeof(why));
	why[sizeof(why) - 1] = '\0';
	ret = ns ? fa_nvme_parse_id_ns(data, size, &a, why, sizeof(why)) :
		   fa_nvme_parse_id_ctrl(data, size, &a, why, sizeof(why));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -EPROTO);
	FUZZ_CHECK(terminated(why, sizeof(why)));
	if (ret) {
		FUZZ_CHECK(!memcmp(&a, &before, sizeof(a)));
		FUZZ_CHECK(ret != -EINVAL || size < FA_NVME_ID_LEN);
		return;
	}
	FUZZ_CHECK(size >= FA_NVME_ID_LEN);
	if (!ns)
		return;
	FUZZ_CHECK(a.nsze != 0);
	FUZZ_CHECK(a.nlbaf < 64 && a.lbaf <= a.nlbaf);
	FUZZ_CHECK(a.lbads >= 9 && a.lbads <= 16);
	FUZZ_CHECK(!memcmp(a.path, before.path, sizeof(a.path)));
}

/* Does [slba, slba + nr) contain a boundary after its first block? */
static bool crosses(uint64_t slba, uint64_t nr, uint64_t b, uint64_t nabo)
{
	uint64_t x;

	for (x = slba + 1; x < slba + nr; x++)
		if (x % b == nabo % b)
			return true;
	return false;
}

static void check_write(const struct fa_nvme_atomic *a, enum fa_nvme_unit unit,
			uint64_t slba, uint64_t nr)
{
	struct fa_nvme_verdict v;
	struct nvme_uring_cmd cmd;
	struct fa_nvme_rules r;
	struct fa_nvme_io io;
	enum fa_nvme_rule rule;
	char msg[2048];
	static char buf[1];

	rule = fa_nvme_check_write(a, unit, slba, nr, &v);
	FUZZ_CHECK(rule >= FA_NVME_RULE_OK && rule < FA_NVME_RULE_NR);
	fa_nvme_rules_init(a, unit, &r);
	if (slba < (UINT64_MAX >> a->lbads) && nr < (UINT64_MAX >> a->lbads))
		FUZZ_CHECK(fa_nvme_rules_check(&r, slba << a->lbads,
					       nr << a->lbads) ==
			   (rule == FA_NVME_RULE_NLB && !nr ?
			    FA_NVME_RULE_LBA_LENGTH : rule));
	FUZZ_CHECK(v.u.unit_blocks == (uint32_t)v.u.unit_value + 1);
	FUZZ_CHECK(!v.u.boundary_blocks ||
		   v.u.boundary_blocks == (uint32_t)v.u.boundary_value + 1);
	fa_nvme_verdict_message(a, &v, "write", msg, sizeof(msg));
	FUZZ_CHECK(terminated(msg, sizeof(msg)));
	if (rule == FA_NVME_RULE_BOUNDARY) {
		FUZZ_CHECK(v.boundary_lba > slba && v.boundary_lba < slba + nr);
		FUZZ_CHECK(v.boundary_lba % v.u.boundary_blocks ==
			   v.u.nabo % v.u.boundary_blocks);
	}
	if (nr <= 4096 && nr <= v.u.unit_blocks && nr && v.u.boundary_blocks)
		FUZZ_CHECK((rule == FA_NVME_RULE_BOUNDARY) ==
			   crosses(slba, nr, v.u.boundary_blocks, v.u.nabo));
	if (rule != FA_NVME_RULE_OK)
		return;
	FUZZ_CHECK(nr >= 1 && nr <= v.u.unit_blocks);
	io = (struct fa_nvme_io){ .opcode = FA_NVME_CMD_WRITE, .nsid = 1,
				  .slba = slba, .nr_blocks = (uint32_t)nr,
				  .buf = buf, .len = 1 };
	FUZZ_CHECK(fa_nvme_build_uring(&io, &cmd) == 0);
	FUZZ_CHECK((cmd.cdw12 & 0xffff) == nr - 1);
	FUZZ_CHECK(((uint64_t)cmd.cdw11 << 32 | cmd.cdw10) == slba);
}

/* What the job check passes, every write it stands for must pass. */
static void check_job(const struct fa_nvme_atomic *a, enum fa_nvme_unit unit,
		      struct fa_job *job)
{
	struct fa_nvme_verdict v, w;
	enum fa_nvme_rule rule;
	uint64_t lba = fa_nvme_lba_size(a), k;
	char msg[2048];
	int i;

	/* What may be sent with validation off can be encoded. */
	rule = fa_nvme_check_job_sendable(a, job, &v, msg, sizeof(msg));
	FUZZ_CHECK(terminated(msg, sizeof(msg)));
	FUZZ_CHECK(rule == FA_NVME_RULE_OK || !fa_nvme_rule_sendable(rule));
	for (i = 0; rule == FA_NVME_RULE_OK && i < job->nr_sizes; i++)
		for (k = 0; k < 8; k++)
			FUZZ_CHECK(fa_nvme_rule_sendable(fa_nvme_check_io(
				a, unit, job->start_offset + k * job->offset_align,
				job->sizes[i], &w)));

	rule = fa_nvme_check_job(a, unit, job, &v, msg, sizeof(msg));
	FUZZ_CHECK(rule >= FA_NVME_RULE_OK && rule < FA_NVME_RULE_NR);
	FUZZ_CHECK(terminated(msg, sizeof(msg)));
	if (rule == FA_NVME_RULE_BOUNDARY && job->offset_align &&
	    v.nr_blocks <= v.u.boundary_blocks) {
		/* The example is reachable and does cross. */
		FUZZ_CHECK(v.slba * lba >= job->start_offset);
		FUZZ_CHECK((v.slba * lba - job->start_offset) %
			   job->offset_align == 0);
		FUZZ_CHECK(fa_nvme_check_write(a, unit, v.slba, v.nr_blocks,
					       &w) == FA_NVME_RULE_BOUNDARY);
	}
	if (rule != FA_NVME_RULE_OK)
		return;
	for (i = 0; i < job->nr_sizes; i++)
		for (k = 0; k < 64; k++)
			FUZZ_CHECK(fa_nvme_check_io(a, unit, job->start_offset +
						    k * job->offset_align,
						    job->sizes[i], &w) ==
				   FA_NVME_RULE_OK);
}

static void check_view(const struct fa_nvme_atomic *a)
{
	struct fa_device_view dv;

	fa_nvme_view_from_id_for(a, FA_NVME_DRIVER_6_12, &dv);
	FUZZ_CHECK(dv.nr_fields > 0 && dv.nr_fields <= FA_DEV_MAX_FIELDS);
	FUZZ_CHECK(terminated(dv.origin, sizeof(dv.origin)));
	FUZZ_CHECK(terminated(dv.why_none, sizeof(dv.why_none)));
	FUZZ_CHECK(dv.hw_unit_max.known && dv.hw_max_bytes.known);
	FUZZ_CHECK(dv.hw_unit_max.value <= dv.hw_max_bytes.value);
	FUZZ_CHECK(!(dv.hw_unit_max.value & (dv.hw_unit_max.value - 1)));
	FUZZ_CHECK(!dv.hw_unit_max.value ||
		   dv.hw_unit_min.value <= dv.hw_unit_max.value);
	FUZZ_CHECK(!dv.hw_unit_max.value == !!a->nabo);
}

static void fuzz_fields(const uint8_t *p, size_t n)
{
	static uint8_t ctrl[FA_NVME_ID_LEN], ns[FA_NVME_ID_LEN];
	uint8_t q[65 + 16] = { 0 };
	struct fa_nvme_atomic a;
	struct fa_nvme_status st;
	struct fa_nvme_rules rules;
	enum fa_nvme_unit unit;
	struct fa_job job;
	char msg[1024], path[64];
	uint8_t idx;
	int i, ret;

	memcpy(q, p, n < sizeof(q) ? n : sizeof(q));
	memset(ctrl, 0, sizeof(ctrl));
	ctrl[512] = 0x66;
	ctrl[513] = 0x44;
	memcpy(ctrl + 526, q, 4);
	memcpy(ctrl + 532, q + 4, 2);
	memset(ns, 0, sizeof(ns));
	ns[0] = 0x40;			/* nsze 16384 unless overlaid */
	ns[25] = 7;
	ns[26] = 4;
	for (i = 0; i < 8; i++)
		ns[128 + 4 * i + 2] = i < 4 ? 9 : 12;
	if (n > 6)
		memcpy(ns + 24, q + 6, 24);
	if (n > 30)
		memcpy(ns, q + 30, 8);
	idx = (ns[26] & 0x0f) | (ns[26] & 0x60) >> 1;
	if (n > 38)
		memcpy(ns + 128 + 4 * idx, q + 38, 4);

	memset(&a, 0, sizeof(a));
	snprintf(a.path, sizeof(a.path), "/dev/ng0n1");
	if (fa_nvme_parse_id_ctrl(ctrl, sizeof(ctrl), &a, msg, sizeof(msg)) ||
	    fa_nvme_parse_id_ns(ns, sizeof(ns), &a, msg, sizeof(msg)))
		return;
	a.dn_known = q[64] & 1;
	a.dn = q[64] & 2;
	unit = q[64] & 4 ? FA_NVME_UNIT_NORMAL : FA_NVME_UNIT_POWERFAIL;

	check_write(&a, unit, get(q + 42, 8) >> 8, get(q + 50, 4) & 0x1ffff);
	check_write(&a, unit, get(q + 42, 2), get(q + 50, 1) + 1);
	fa_nvme_rules_init(&a, unit, &rules);
	FUZZ_CHECK(fa_nvme_check_io(&a, unit, get(q + 42, 8), get(q + 50, 4),
				    &(struct fa_nvme_verdict){ 0 }) ==
		   fa_nvme_rules_check(&rules, get(q + 42, 8),
				       get(q + 50, 4)));

	memset(&job, 0, sizeof(job));
	job.start_offset = get(q + 54, 4) * 512;
	job.offset_align = get(q + 58, 4) * 512;
	job.align_opt = q[64] & 8 ? "blockalign" : NULL;
	for (i = 0; i < 8; i++) {
		uint64_t s = get(q + 65 + 2 * i, 2) * 512;

		if (s)
			fa_job_add_size(&job, s, "bs");
	}
	if (!job.offset_align && job.nr_sizes)
		job.offset_align = job.sizes[0];
	check_job(&a, unit, &job);
	check_view(&a);

	fa_nvme_status_decode((int)get(q + 62, 2), &st);
	FUZZ_CHECK(terminated(st.name, sizeof(st.name)));
	FUZZ_CHECK(terminated(st.meaning, sizeof(st.meaning)));
	fa_nvme_status_message((int)get(q + 62, 2), msg, sizeof(msg));
	FUZZ_CHECK(terminated(msg, sizeof(msg)));

	/* The same bytes as a node name. */
	memcpy(path, p, n < sizeof(path) - 1 ? n : sizeof(path) - 1);
	path[n < sizeof(path) - 1 ? n : sizeof(path) - 1] = '\0';
	memset(msg, 'x', sizeof(msg));
	ret = fa_nvme_block_path(path, msg, 32);
	FUZZ_CHECK(ret == 0 || ret == -ENODEV || ret == -ENAMETOOLONG);
	FUZZ_CHECK(msg[32] == 'x');
	if (!ret)
		FUZZ_CHECK(terminated(msg, 32) && strstr(msg, "nvme"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_parse(data + 1, size - 1, false);
		break;
	case 1:
		fuzz_parse(data + 1, size - 1, true);
		break;
	default:
		fuzz_fields(data + 1, size - 1);
		break;
	}
	return 0;
}

