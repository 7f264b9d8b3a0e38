// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the NVMe rules for an atomic write (the normal or power-fail
 * unit, from the namespace or the controller, and the atomic boundaries),
 * applied to one command or to every write of a job, with the sentence that
 * names the rule, the value, the limit and where the limit came from.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fa_nvme.h"
#include "fa_util.h"

const char *fa_nvme_unit_name(enum fa_nvme_unit unit)
{
	return unit == FA_NVME_UNIT_NORMAL ? "normal" : "power-fail";
}

void fa_nvme_unit_info(const struct fa_nvme_atomic *a, enum fa_nvme_unit unit,
		       struct fa_nvme_unit_info *u)
{
	bool nsabp = a->nsfeat & FA_NVME_NSFEAT_NSABP;
	uint16_t ns_unit, ctrl_unit, boundary;

	memset(u, 0, sizeof(*u));
	u->unit = unit;
	/* Disable Normal: the controller honours only the power-fail unit. */
	u->powerfail = unit == FA_NVME_UNIT_POWERFAIL || (a->dn_known && a->dn);
	ns_unit = u->powerfail ? a->nawupf : a->nawun;
	ctrl_unit = u->powerfail ? a->awupf : a->awun;
	if (nsabp && ns_unit) {
		u->unit_field = u->powerfail ? "nawupf" : "nawun";
		u->unit_value = ns_unit;
		u->unit_source = "Identify Namespace";
	} else {
		u->unit_field = u->powerfail ? "awupf" : "awun";
		u->unit_value = ctrl_unit;
		u->unit_source = "Identify Controller";
	}
	u->unit_blocks = (uint32_t)u->unit_value + 1;
	boundary = u->powerfail ? a->nabspf : a->nabsn;
	u->boundary_field = u->powerfail ? "nabspf" : "nabsn";
	u->boundary_value = boundary;
	u->boundary_blocks = boundary ? (uint32_t)boundary + 1 : 0;
	u->nabo = a->nabo;
}

static const char *const fa_nvme_rule_names[FA_NVME_RULE_NR] = {
	[FA_NVME_RULE_OK]		= "ok",
	[FA_NVME_RULE_LBA_LENGTH]	= "lba_length",
	[FA_NVME_RULE_LBA_ALIGN]	= "lba_align",
	[FA_NVME_RULE_NLB]		= "nlb",
	[FA_NVME_RULE_UNIT]		= "atomic_unit",
	[FA_NVME_RULE_BOUNDARY]		= "atomic_boundary",
};

const char *fa_nvme_rule_name(enum fa_nvme_rule rule)
{
	if (rule < 0 || rule >= FA_NVME_RULE_NR)
		return "unknown";
	return fa_nvme_rule_names[rule];
}

/* Blocks from the last boundary at or before @lba (boundaries at nabo + kB). */
static uint64_t boundary_residue(uint64_t lba, uint64_t nabo, uint64_t blocks)
{
	return (lba % blocks + blocks - nabo % blocks) % blocks;
}

enum fa_nvme_rule fa_nvme_check_write(const struct fa_nvme_atomic *a,
				      enum fa_nvme_unit unit, uint64_t slba,
				      uint64_t nr_blocks,
				      struct fa_nvme_verdict *v)
{
	uint64_t b, r;

	memset(v, 0, sizeof(*v));
	v->slba = slba;
	v->nr_blocks = nr_blocks;
	v->offset = slba << a->lbads;
	v->length = nr_blocks << a->lbads;
	fa_nvme_unit_info(a, unit, &v->u);
	/* NLB is 16 bits, and the passthrough data length 32. */
	if (!nr_blocks || nr_blocks > FA_NVME_MAX_BLOCKS ||
	    nr_blocks << a->lbads > UINT32_MAX)
		return v->rule = FA_NVME_RULE_NLB;
	if (nr_blocks > v->u.unit_blocks)
		return v->rule = FA_NVME_RULE_UNIT;
	b = v->u.boundary_blocks;
	if (b) {
		/*
		 * Boundaries sit at every LBA congruent to NABO; the spec
		 * has NABO <= the boundary size, so below NABO this is the
		 * region that ends at NABO.
		 */
		r = boundary_residue(slba, v->u.nabo, b);
		if (r + nr_blocks > b) {
			v->boundary_lba = slba + (b - r);
			return v->rule = FA_NVME_RULE_BOUNDARY;
		}
	}
	return v->rule = FA_NVME_RULE_OK;
}

void fa_nvme_rules_init(const struct fa_nvme_atomic *a, enum fa_nvme_unit unit,
			struct fa_nvme_rules *r)
{
	struct fa_nvme_unit_info u;

	fa_nvme_unit_info(a, unit, &u);
	r->lbads = a->lbads;
	r->lba_mask = fa_nvme_lba_size(a) - 1;
	r->unit_blocks = u.unit_blocks;
	r->boundary_blocks = u.boundary_blocks;
	r->nabo_residue = u.boundary_blocks ? u.nabo % u.boundary_blocks : 0;
}

enum fa_nvme_rule fa_nvme_check_io(const struct fa_nvme_atomic *a,
				   enum fa_nvme_unit unit, uint64_t offset,
				   uint64_t length, struct fa_nvme_verdict *v)
{
	uint64_t lba = fa_nvme_lba_size(a);
	enum fa_nvme_rule rule;

	if (!length || length % lba || offset % lba) {
		memset(v, 0, sizeof(*v));
		fa_nvme_unit_info(a, unit, &v->u);
		v->offset = offset;
		v->length = length;
		if (!length || length % lba)
			v->rule = FA_NVME_RULE_LBA_LENGTH;
		else
			v->rule = FA_NVME_RULE_LBA_ALIGN;
		return v->rule;
	}
	rule = fa_nvme_check_write(a, unit, offset >> a->lbads,
				   length >> a->lbads, v);
	v->offset = offset;
	v->length = length;
	return rule;
}

/* "nawupf=15 (16 blocks, 65536 bytes) from NVMe Identify Namespace of X" */
static void unit_note(const struct fa_nvme_atomic *a,
		      const struct fa_nvme_unit_info *u, char *buf, size_t len)
{
	snprintf(buf, len,
		 "%s=%u (%" PRIu32 " blocks, %" PRIu64 " bytes) from NVMe %s of %s",
		 u->unit_field, u->unit_value, u->unit_blocks,
		 (uint64_t)u->unit_blocks << a->lbads, u->unit_source, a->path);
}

static void lba_note(const struct fa_nvme_atomic *a, char *buf, size_t len)
{
	snprintf(buf, len,
		 "the LBA data size is %" PRIu32 " bytes: lbads=%u of LBA format %u (flbas=0x%02x), from NVMe Identify Namespace of %s",
		 fa_nvme_lba_size(a), a->lbads, a->lbaf, a->flbas, a->path);
}

static void boundary_note(const struct fa_nvme_atomic *a,
			  const struct fa_nvme_unit_info *u, char *buf,
			  size_t len)
{
	snprintf(buf, len,
		 "%s=%u (%" PRIu32 " blocks, %" PRIu64 " bytes), nabo=%u from NVMe Identify Namespace of %s; boundaries at LBA %u + k * %" PRIu32,
		 u->boundary_field, u->boundary_value, u->boundary_blocks,
		 (uint64_t)u->boundary_blocks << a->lbads, u->nabo, a->path,
		 u->nabo, u->boundary_blocks);
}

void fa_nvme_verdict_message(const struct fa_nvme_atomic *a,
			     const struct fa_nvme_verdict *v, const char *what,
			     char *buf, size_t len)
{
	const struct fa_nvme_unit_info *u = &v->u;
	char note[FA_ORIGIN_LEN + 256];

	switch (v->rule) {
	case FA_NVME_RULE_OK:
		snprintf(buf, len,
			 "%s is within the %s atomic unit and boundary",
			 what, fa_nvme_unit_name(u->unit));
		break;
	case FA_NVME_RULE_LBA_LENGTH:
		lba_note(a, note, sizeof(note));
		snprintf(buf, len,
			 "%s is not a whole number of logical blocks (%s)",
			 what, note);
		break;
	case FA_NVME_RULE_LBA_ALIGN:
		lba_note(a, note, sizeof(note));
		snprintf(buf, len, "%s does not start on a logical block (%s)",
			 what, note);
		break;
	case FA_NVME_RULE_NLB:
		snprintf(buf, len,
			 "%s (%" PRIu64 " blocks) does not fit one NVMe command: at most %u blocks (NLB is 16 bits) and 4 GiB - 1 (the data length is 32)",
			 what, v->nr_blocks, FA_NVME_MAX_BLOCKS);
		break;
	case FA_NVME_RULE_UNIT:
		unit_note(a, u, note, sizeof(note));
		if (u->unit == FA_NVME_UNIT_NORMAL && u->powerfail)
			snprintf(buf, len,
				 "%s (%" PRIu64 " blocks) exceeds the normal atomic unit, which is the power-fail one because Write Atomicity Normal (Get Features 0Ah) has DN set: %s",
				 what, v->nr_blocks, note);
		else
			snprintf(buf, len,
				 "%s (%" PRIu64 " blocks) exceeds the %s atomic unit: %s",
				 what, v->nr_blocks,
				 fa_nvme_unit_name(u->unit), note);
		break;
	case FA_NVME_RULE_BOUNDARY:
		boundary_note(a, u, note, sizeof(note));
		snprintf(buf, len,
			 "%s (LBA %" PRIu64 "..%" PRIu64 ") crosses the %s atomic boundary at LBA %" PRIu64 ": %s",
			 what, v->slba, v->slba + v->nr_blocks - 1,
			 u->powerfail ? "power-fail" : "normal",
			 v->boundary_lba, note);
		break;
	default:
		snprintf(buf, len, "%s breaks an unknown rule", what);
		break;
	}
}

/* k with k * step == d (mod m), given gcd(step, m) divides d; 0 if none. */
static uint64_t solve_congruence(uint64_t step, uint64_t d, uint64_t m)
{
	int64_t r0 = (int64_t)m, r1, t0 = 0, t1 = 1, q, tmp;
	uint64_t g;

	step %= m;
	g = fa_gcd(step, m);
	if (!step || d % g)
		return 0;
	m /= g;
	step /= g;
	d /= g;
	if (m == 1)
		return 0;
	/* The inverse of step modulo m, by the extended Euclidean algorithm. */
	r0 = (int64_t)m;
	r1 = (int64_t)step;
	while (r1) {
		q = r0 / r1;
		tmp = r0 - q * r1;
		r0 = r1;
		r1 = tmp;
		tmp = t0 - q * t1;
		t0 = t1;
		t1 = tmp;
	}
	if (t0 < 0)
		t0 += (int64_t)m;
	return (uint64_t)t0 * (d % m) % m;
}

/*
 * Offsets start + k * align, k >= 0, reach exactly the boundary residues
 * congruent to the start's modulo gcd(align, boundary); the largest of them
 * is where a write comes closest to the next boundary.
 */
static enum fa_nvme_rule job_boundary(const struct fa_nvme_atomic *a,
				      const struct fa_job *job, int i,
				      struct fa_nvme_verdict *v, char *msg,
				      size_t len)
{
	const struct fa_nvme_unit_info *u = &v->u;
	uint64_t b = u->boundary_blocks, s, step, g, r0, rmax, nlb;
	char note[FA_ORIGIN_LEN + 256], how[160];

	s = job->start_offset >> a->lbads;
	step = job->offset_align >> a->lbads;
	nlb = job->sizes[i] >> a->lbads;
	g = fa_gcd(step, b);
	r0 = boundary_residue(s, u->nabo, b);
	rmax = r0 % g + b - g;
	if (rmax + nlb <= b)
		return FA_NVME_RULE_OK;

	v->rule = FA_NVME_RULE_BOUNDARY;
	v->length = job->sizes[i];
	v->nr_blocks = nlb;
	/* The first offset the job can reach with that residue. */
	v->slba = s + step * solve_congruence(step, (rmax + b - r0) % b, b);
	v->offset = v->slba << a->lbads;
	v->boundary_lba = v->slba + (b - rmax);
	if (job->align_opt)
		snprintf(how, sizeof(how), "%s=%" PRIu64 " with offset=%" PRIu64,
			 job->align_opt, job->offset_align, job->start_offset);
	else
		snprintf(how, sizeof(how),
			 "offset=%" PRIu64 " with sequential writes every %" PRIu64 " bytes",
			 job->start_offset, job->offset_align);
	boundary_note(a, u, note, sizeof(note));
	snprintf(msg, len,
		 "%s lets a %s=%" PRIu64 " (%" PRIu64 " blocks) write start %" PRIu64 " blocks after an atomic boundary, e.g. at LBA %" PRIu64 ", so it crosses the %s atomic boundary at LBA %" PRIu64 ": %s (start every write at a multiple of its size from a boundary)",
		 how, job->size_opt[i], job->sizes[i], nlb, rmax, v->slba,
		 u->powerfail ? "power-fail" : "normal", v->boundary_lba,
		 note);
	return v->rule;
}

static enum fa_nvme_rule job_check(const struct fa_nvme_atomic *a,
				   enum fa_nvme_unit unit,
				   const struct fa_job *job, bool atomicity,
				   struct fa_nvme_verdict *v, char *msg,
				   size_t len)
{
	uint64_t lba = fa_nvme_lba_size(a), at = 0;
	char what[128], note[FA_ORIGIN_LEN + 256];
	enum fa_nvme_rule rule;
	int i;

	fa_nvme_unit_info(a, unit, &v->u);
	/* Lengths alone, placed at a boundary so only size can cross it. */
	if (v->u.boundary_blocks)
		at = (uint64_t)v->u.nabo << a->lbads;
	for (i = 0; i < job->nr_sizes; i++) {
		rule = fa_nvme_check_io(a, unit, at, job->sizes[i], v);
		if (rule == FA_NVME_RULE_OK ||
		    (!atomicity && fa_nvme_rule_sendable(rule)))
			continue;
		snprintf(what, sizeof(what), "%s=%" PRIu64, job->size_opt[i],
			 job->sizes[i]);
		if (rule == FA_NVME_RULE_BOUNDARY) {
			boundary_note(a, &v->u, note, sizeof(note));
			snprintf(msg, len,
				 "%s (%" PRIu64 " blocks) is longer than the %s atomic boundary size, so every such write crosses a boundary: %s",
				 what, v->nr_blocks,
				 v->u.powerfail ? "power-fail" : "normal", note);
			return rule;
		}
		fa_nvme_verdict_message(a, v, what, msg, len);
		return rule;
	}
	if (job->nr_sizes && job->start_offset % lba) {
		fa_nvme_check_io(a, unit, job->start_offset, lba, v);
		snprintf(what, sizeof(what), "offset=%" PRIu64,
			 job->start_offset);
		fa_nvme_verdict_message(a, v, what, msg, len);
		return v->rule;
	}
	if (job->nr_sizes && job->offset_align % lba) {
		fa_nvme_check_io(a, unit, job->offset_align, lba, v);
		if (job->align_opt)
			snprintf(what, sizeof(what),
				 "%s=%" PRIu64 " (so a write offset)",
				 job->align_opt, job->offset_align);
		else
			snprintf(what, sizeof(what),
				 "a sequential write every %" PRIu64 " bytes",
				 job->offset_align);
		fa_nvme_verdict_message(a, v, what, msg, len);
		return v->rule;
	}
	if (atomicity && v->u.boundary_blocks) {
		for (i = 0; i < job->nr_sizes; i++) {
			rule = job_boundary(a, job, i, v, msg, len);
			if (rule != FA_NVME_RULE_OK)
				return rule;
		}
	}
	memset(v, 0, sizeof(*v));
	fa_nvme_unit_info(a, unit, &v->u);
	if (len)
		msg[0] = '\0';
	return FA_NVME_RULE_OK;
}

enum fa_nvme_rule fa_nvme_check_job(const struct fa_nvme_atomic *a,
				    enum fa_nvme_unit unit,
				    const struct fa_job *job,
				    struct fa_nvme_verdict *v, char *msg,
				    size_t len)
{
	return job_check(a, unit, job, true, v, msg, len);
}

enum fa_nvme_rule fa_nvme_check_job_sendable(const struct fa_nvme_atomic *a,
					     const struct fa_job *job,
					     struct fa_nvme_verdict *v,
					     char *msg, size_t len)
{
	return job_check(a, FA_NVME_UNIT_POWERFAIL, job, false, v, msg, len);
}
