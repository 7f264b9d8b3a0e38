// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: NVMe atomic write limits, rules, commands and status strings.
 *
 * The Identify parsers read the 4096-byte structures at the specification's
 * byte offsets (checked below against libnvme's structures at compile
 * time), so that canned or fuzzed buffers exercise exactly the code that
 * reads a real device. libnvme sends the admin commands and names the
 * status codes; no other file of the project includes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libnvme.h>

#include "fa_nvme.h"
#include "fa_util.h"

/* Identify Controller (CNS 01h) byte offsets. */
#define ID_CTRL_SQES	512
#define ID_CTRL_CQES	513
#define ID_CTRL_AWUN	526
#define ID_CTRL_AWUPF	528
#define ID_CTRL_ACWU	532

/* Identify Namespace (CNS 00h) byte offsets. */
#define ID_NS_NSZE	0
#define ID_NS_NSFEAT	24
#define ID_NS_NLBAF	25
#define ID_NS_FLBAS	26
#define ID_NS_NAWUN	34
#define ID_NS_NAWUPF	36
#define ID_NS_NACWU	38
#define ID_NS_NABSN	40
#define ID_NS_NABO	42
#define ID_NS_NABSPF	44
#define ID_NS_LBAF	128	/* 64 formats of 4 bytes: MS (2), LBADS, RP */

#define FA_NVME_MAX_LBAF	64
#define FA_NVME_LBADS_MIN	9
#define FA_NVME_LBADS_MAX	16

_Static_assert(sizeof(struct nvme_id_ctrl) == FA_NVME_ID_LEN, "id_ctrl");
_Static_assert(sizeof(struct nvme_id_ns) == FA_NVME_ID_LEN, "id_ns");
_Static_assert(offsetof(struct nvme_id_ctrl, sqes) == ID_CTRL_SQES, "sqes");
_Static_assert(offsetof(struct nvme_id_ctrl, cqes) == ID_CTRL_CQES, "cqes");
_Static_assert(offsetof(struct nvme_id_ctrl, awun) == ID_CTRL_AWUN, "awun");
_Static_assert(offsetof(struct nvme_id_ctrl, awupf) == ID_CTRL_AWUPF, "awupf");
_Static_assert(offsetof(struct nvme_id_ctrl, acwu) == ID_CTRL_ACWU, "acwu");
_Static_assert(offsetof(struct nvme_id_ns, nsfeat) == ID_NS_NSFEAT, "nsfeat");
_Static_assert(offsetof(struct nvme_id_ns, flbas) == ID_NS_FLBAS, "flbas");
_Static_assert(offsetof(struct nvme_id_ns, nawun) == ID_NS_NAWUN, "nawun");
_Static_assert(offsetof(struct nvme_id_ns, nabspf) == ID_NS_NABSPF, "nabspf");
_Static_assert(offsetof(struct nvme_id_ns, lbaf) == ID_NS_LBAF, "lbaf");
_Static_assert(sizeof(struct nvme_uring_cmd) <= 80, "uring_cmd in SQE128");

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int fail(int ret, char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(int ret, char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return ret;
}

int fa_nvme_parse_id_ctrl(const void *buf, size_t len,
			  struct fa_nvme_atomic *a, char *why, size_t why_len)
{
	const uint8_t *b = buf;
	uint8_t sqes, cqes;

	if (!b || len < FA_NVME_ID_LEN)
		return fail(-EINVAL, why, why_len,
			    "Identify Controller data is %zu bytes, short of %d",
			    b ? len : 0, FA_NVME_ID_LEN);
	/*
	 * Every I/O controller takes 64-byte SQEs and 16-byte CQEs, so the
	 * required sizes (bits 3:0) are at least 6 and 4; zeroed or foreign
	 * data fails here rather than passing for "awupf=0".
	 */
	sqes = b[ID_CTRL_SQES];
	cqes = b[ID_CTRL_CQES];
	if ((sqes & 0xf) < 6 || (sqes >> 4) < (sqes & 0xf) ||
	    (cqes & 0xf) < 4 || (cqes >> 4) < (cqes & 0xf))
		return fail(-EPROTO, why, why_len,
			    "Identify Controller data has SQES=0x%02x CQES=0x%02x, but an NVM controller takes 64-byte submission and 16-byte completion entries (0x66, 0x44): not Identify Controller data",
			    sqes, cqes);
	a->awun = get_le16(b + ID_CTRL_AWUN);
	a->awupf = get_le16(b + ID_CTRL_AWUPF);
	a->acwu = get_le16(b + ID_CTRL_ACWU);
	return 0;
}

int fa_nvme_parse_id_ns(const void *buf, size_t len, struct fa_nvme_atomic *a,
			char *why, size_t why_len)
{
	const uint8_t *b = buf;
	struct fa_nvme_atomic n;
	const uint8_t *lbaf;

	if (!b || len < FA_NVME_ID_LEN)
		return fail(-EINVAL, why, why_len,
			    "Identify Namespace data is %zu bytes, short of %d",
			    b ? len : 0, FA_NVME_ID_LEN);
	memcpy(&n, a, sizeof(n));
	n.nsze = get_le64(b + ID_NS_NSZE);
	if (!n.nsze)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has nsze=0: the namespace is inactive (its data reads as zeroes)");
	n.nsfeat = b[ID_NS_NSFEAT];
	n.nlbaf = b[ID_NS_NLBAF];
	n.flbas = b[ID_NS_FLBAS];
	if (n.nlbaf >= FA_NVME_MAX_LBAF)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has nlbaf=%u, but there are at most %d LBA formats (nlbaf is 0's based)",
			    n.nlbaf, FA_NVME_MAX_LBAF);
	n.lbaf = (n.flbas & 0x0f) | (n.flbas & 0x60) >> 1;
	if (n.lbaf > n.nlbaf)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has flbas=0x%02x selecting LBA format %u, beyond nlbaf=%u (0's based)",
			    n.flbas, n.lbaf, n.nlbaf);
	lbaf = b + ID_NS_LBAF + 4 * n.lbaf;
	n.ms = get_le16(lbaf);
	n.lbads = lbaf[2];
	if (n.lbads < FA_NVME_LBADS_MIN || n.lbads > FA_NVME_LBADS_MAX)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has lbads=%u in LBA format %u: outside %d..%d (512 bytes..64 KiB)",
			    n.lbads, n.lbaf, FA_NVME_LBADS_MIN,
			    FA_NVME_LBADS_MAX);
	n.nawun = get_le16(b + ID_NS_NAWUN);
	n.nawupf = get_le16(b + ID_NS_NAWUPF);
	n.nacwu = get_le16(b + ID_NS_NACWU);
	n.nabsn = get_le16(b + ID_NS_NABSN);
	n.nabo = get_le16(b + ID_NS_NABO);
	n.nabspf = get_le16(b + ID_NS_NABSPF);
	memcpy(a, &n, sizeof(n));
	return 0;
}

/* libnvme returns -1 with errno, or a positive NVMe status. */
static int identify_error(int ret, const char *what, const char *path,
			  char *why, size_t why_len)
{
	char status[512];
	int err = ret < 0 ? -errno : ret;

	fa_nvme_status_message(err, status, sizeof(status));
	return fail(err < 0 ? err : -EIO, why, why_len, "%s of %s: %s", what,
		    path, status);
}

int fa_nvme_identify(const char *path, struct fa_nvme_atomic *a, char *why,
		     size_t why_len)
{
	struct fa_nvme_atomic n;
	void *ctrl = NULL, *ns = NULL;
	uint32_t result = 0;
	int fd, ret;

	memset(&n, 0, sizeof(n));
	fa_strlcpy(n.path, path, sizeof(n.path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(-errno, why, why_len, "cannot open %s: %s", path,
			    strerror(errno));
	if (nvme_get_nsid(fd, &n.nsid) < 0) {
		ret = fail(-errno, why, why_len,
			   "%s is not an NVMe namespace (NVME_IOCTL_ID: %s)",
			   path, strerror(errno));
		goto out;
	}
	if (posix_memalign(&ctrl, 4096, FA_NVME_ID_LEN) ||
	    posix_memalign(&ns, 4096, FA_NVME_ID_LEN)) {
		ret = fail(-ENOMEM, why, why_len, "out of memory");
		goto out;
	}
	memset(ctrl, 0, FA_NVME_ID_LEN);
	memset(ns, 0, FA_NVME_ID_LEN);
	ret = nvme_identify_ctrl(fd, ctrl);
	if (ret) {
		ret = identify_error(ret, "Identify Controller", path, why,
				     why_len);
		goto out;
	}
	ret = nvme_identify_ns(fd, n.nsid, ns);
	if (ret) {
		ret = identify_error(ret, "Identify Namespace", path, why,
				     why_len);
		goto out;
	}
	ret = fa_nvme_parse_id_ctrl(ctrl, FA_NVME_ID_LEN, &n, why, why_len);
	if (!ret)
		ret = fa_nvme_parse_id_ns(ns, FA_NVME_ID_LEN, &n, why,
					  why_len);
	if (ret)
		goto out;
	/* Optional feature: a controller without it just leaves DN unknown. */
	if (!nvme_get_features_write_atomic(fd, NVME_GET_FEATURES_SEL_CURRENT,
					    &result)) {
		n.dn_known = true;
		n.dn = result & 1;
	}
	memcpy(a, &n, sizeof(n));
out:
	free(ctrl);
	free(ns);
	close(fd);
	return ret;
}

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

static uint64_t fa_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
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

int fa_nvme_block_path(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	unsigned int ctrl, ns;
	char tail;
	int dir;

	base = base ? base + 1 : path;
	dir = (int)(base - path);
	if (sscanf(base, "nvme%un%u%c", &ctrl, &ns, &tail) == 2) {
		if ((size_t)snprintf(out, len, "%s", path) >= len)
			return -ENAMETOOLONG;
		return 0;
	}
	if (sscanf(base, "ng%un%u%c", &ctrl, &ns, &tail) != 2 ||
	    strncmp(base, "ng", 2) || base[2] < '0' || base[2] > '9')
		return -ENODEV;
	if ((size_t)snprintf(out, len, "%.*snvme%un%u", dir, path, ctrl, ns) >=
	    len)
		return -ENAMETOOLONG;
	return 0;
}

static void set_hw(struct fa_value *val, uint64_t value, const char *origin)
{
	val->value = value;
	val->known = true;
	val->source = FA_SRC_NVME_ID;
	fa_strlcpy(val->origin, origin, sizeof(val->origin));
}

static uint64_t rounddown_pow2(uint64_t x)
{
	while (x & (x - 1))
		x &= x - 1;
	return x;
}

void fa_nvme_view_from_id(const struct fa_nvme_atomic *a,
			  struct fa_device_view *dv)
{
	static const char zb[] = "0's based blocks";
	long page = sysconf(_SC_PAGESIZE);
	uint64_t bs = fa_nvme_lba_size(a), atomic_bs, boundary = 0;
	char origin[FA_ORIGIN_LEN + 128];	/* set_hw() cuts it */
	bool nsabp = a->nsfeat & FA_NVME_NSFEAT_NSABP;

	memset(dv, 0, sizeof(*dv));
	dv->source = FA_SRC_NVME_ID;
	snprintf(dv->origin, sizeof(dv->origin),
		 "NVMe Identify Controller/Namespace of %s (nsid %" PRIu32 ")",
		 a->path, a->nsid);
	fa_device_add_field(dv, "nsid", a->nsid, "namespace identifier");
	fa_device_add_field(dv, "awun", a->awun, zb);
	fa_device_add_field(dv, "awupf", a->awupf, zb);
	fa_device_add_field(dv, "acwu", a->acwu, zb);
	fa_device_add_field(dv, "nsze", a->nsze, "blocks");
	fa_device_add_field(dv, "nsfeat", a->nsfeat, "flags (bit 1 NSABP)");
	fa_device_add_field(dv, "nlbaf", a->nlbaf, "0's based count");
	fa_device_add_field(dv, "flbas", a->flbas, "flags, format index");
	fa_device_add_field(dv, "lbads", a->lbads, "log2 bytes");
	fa_device_add_field(dv, "ms", a->ms, "bytes");
	fa_device_add_field(dv, "nawun", a->nawun, zb);
	fa_device_add_field(dv, "nawupf", a->nawupf, zb);
	fa_device_add_field(dv, "nacwu", a->nacwu, zb);
	fa_device_add_field(dv, "nabsn", a->nabsn, zb);
	fa_device_add_field(dv, "nabo", a->nabo, "blocks (LBA)");
	fa_device_add_field(dv, "nabspf", a->nabspf, zb);
	if (a->dn_known)
		fa_device_add_field(dv, "dn", a->dn, "flag (Get Features 0Ah)");
	set_hw(&dv->logical_block, bs, dv->origin);

	/* nvme_update_disk_info(): block I/O only for 512..PAGE_SIZE blocks */
	if (a->lbads < 9 || (page > 0 && bs > (uint64_t)page))
		bs = 512;
	if (a->nabo) {
		snprintf(origin, sizeof(origin),
			 "nabo=%u from NVMe Identify Namespace of %s, by Linux 6.12's nvme driver",
			 a->nabo, a->path);
		set_hw(&dv->hw_unit_min, 0, origin);
		set_hw(&dv->hw_unit_max, 0, origin);
		set_hw(&dv->hw_max_bytes, 0, origin);
		set_hw(&dv->hw_boundary, 0, origin);
		snprintf(dv->why_none, sizeof(dv->why_none),
			 "nabo=%u: Linux's nvme driver does not support an atomic boundary offset and enables no atomic writes",
			 a->nabo);
		return;
	}
	if (nsabp && a->nawupf) {
		atomic_bs = (1 + (uint64_t)a->nawupf) * bs;
		if (a->nabspf)
			boundary = (1 + (uint64_t)a->nabspf) * bs;
		snprintf(origin, sizeof(origin),
			 "nawupf=%u, nabspf=%u (NSABP set) from NVMe Identify Namespace of %s, by Linux 6.12's nvme driver",
			 a->nawupf, a->nabspf, a->path);
	} else {
		atomic_bs = (1 + (uint64_t)a->awupf) * bs;
		snprintf(origin, sizeof(origin),
			 "awupf=%u from NVMe Identify Controller of %s, by Linux 6.12's nvme driver",
			 a->awupf, a->path);
	}
	set_hw(&dv->hw_unit_min, bs, origin);
	set_hw(&dv->hw_unit_max, rounddown_pow2(atomic_bs), origin);
	set_hw(&dv->hw_max_bytes, atomic_bs, origin);
	set_hw(&dv->hw_boundary, boundary, origin);
}

int fa_nvme_device_view(const char *path, struct fa_device_view *dv)
{
	struct fa_nvme_atomic a;
	char why[512];
	int ret;

	ret = fa_nvme_identify(path, &a, why, sizeof(why));
	if (ret) {
		memset(dv, 0, sizeof(*dv));
		dv->source = FA_SRC_NVME_ID;
		fa_strlcpy(dv->why_none, why, sizeof(dv->why_none));
		return ret;
	}
	fa_nvme_view_from_id(&a, dv);
	return 0;
}
