// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the tear scanner and the confidence bound of its tear rate
 * (log, exp, log1p, expm1 and lgamma from libm).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_json.h"
#include "fa_scan.h"
#include "fa_stamp.h"

/* Bytes read per pread() by fa_scan_fd(), rounded down to whole units. */
#define FA_SCAN_CHUNK	(16u << 20)
/* Alignment of the read buffer: enough for O_DIRECT on any device. */
#define FA_SCAN_ALIGN	4096

const char *fa_tear_reason_name(enum fa_tear_reason reason)
{
	switch (reason) {
	case FA_TEAR_MIXED_GENERATION:
		return "mixed_generation";
	case FA_TEAR_PARTIAL:
		return "partial";
	case FA_TEAR_BAD_CHECKSUM:
		return "bad_checksum";
	case FA_TEAR_MISPLACED:
		return "misplaced";
	}
	return "unknown";
}

void fa_scan_counts_init(struct fa_scan_counts *c)
{
	memset(c, 0, sizeof(*c));
}

void fa_scan_add(struct fa_scan_counts *sum, const struct fa_scan_counts *c)
{
	unsigned int i;

	sum->units += c->units;
	sum->unwritten += c->unwritten;
	sum->intact += c->intact;
	sum->torn += c->torn;
	sum->mismatched += c->mismatched;
	sum->mixed_generation += c->mixed_generation;
	sum->partial += c->partial;
	sum->bad_checksum += c->bad_checksum;
	sum->misplaced += c->misplaced;
	sum->blocks_bad_checksum += c->blocks_bad_checksum;
	sum->blocks_misplaced += c->blocks_misplaced;
	sum->bytes_scanned += c->bytes_scanned;
	if (c->mismatch_seen && !sum->mismatch_seen) {
		sum->mismatch_seen = true;
		sum->mismatch_offset = c->mismatch_offset;
		sum->mismatch = c->mismatch;
	}
	for (i = 0; i < c->nr_examples &&
		    sum->nr_examples < FA_SCAN_MAX_EXAMPLES; i++)
		sum->examples[sum->nr_examples++] = c->examples[i];
}

uint64_t fa_scan_reason_count(const struct fa_scan_counts *c,
			      enum fa_tear_reason reason)
{
	switch (reason) {
	case FA_TEAR_MIXED_GENERATION:
		return c->mixed_generation;
	case FA_TEAR_PARTIAL:
		return c->partial;
	case FA_TEAR_BAD_CHECKSUM:
		return c->bad_checksum;
	case FA_TEAR_MISPLACED:
		return c->misplaced;
	}
	return 0;
}

static struct json_object *fa_json_example(const struct fa_tear_example *ex)
{
	struct json_object *obj, *arr, *blocks, *gen;
	unsigned int i, bit;
	int ret = 0;

	obj = json_object_new_object();
	arr = json_object_new_array();
	blocks = json_object_new_object();
	if (!obj || !arr || !blocks) {
		json_object_put(obj);
		json_object_put(arr);
		json_object_put(blocks);
		return NULL;
	}
	ret |= fa_json_add(obj, "offset", json_object_new_uint64(ex->offset));
	for (i = 0; i < FA_TEAR_NR_REASONS; i++) {
		bit = 1u << i;
		if (ex->reasons & bit)
			ret |= fa_json_append(arr, json_object_new_string(
					fa_tear_reason_name(bit)));
	}
	ret |= fa_json_add(obj, "reasons", arr);
	ret |= fa_json_add(obj, "first_odd_block",
			   json_object_new_int64(ex->first_odd_block));
	ret |= fa_json_add(blocks, "valid",
			   json_object_new_int64(ex->blocks_ok));
	ret |= fa_json_add(blocks, "unwritten",
			   json_object_new_int64(ex->blocks_unwritten));
	ret |= fa_json_add(blocks, "bad_checksum",
			   json_object_new_int64(ex->blocks_bad_checksum));
	ret |= fa_json_add(blocks, "misplaced",
			   json_object_new_int64(ex->blocks_misplaced));
	ret |= fa_json_add(obj, "blocks", blocks);
	arr = json_object_new_array();
	for (i = 0; arr && i < ex->nr_generations; i++) {
		gen = json_object_new_object();
		if (!gen) {
			ret = -ENOMEM;
			break;
		}
		ret |= fa_json_add(gen, "generation",
				   json_object_new_uint64(ex->generations[i]));
		ret |= fa_json_add(gen, "blocks", json_object_new_int64(
					   ex->generation_blocks[i]));
		ret |= fa_json_append(arr, gen);
	}
	ret |= fa_json_add(obj, "generations", arr);
	ret |= fa_json_add(obj, "more_generations",
			   json_object_new_boolean(ex->more_generations));
	if (ret) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

int fa_scan_counts_json(struct json_object *root,
			const struct fa_scan_counts *c)
{
	struct json_object *reasons, *examples;
	uint64_t n = c->intact + c->torn;
	unsigned int i, bit;
	int ret = 0;

	ret |= fa_json_add(root, "units", json_object_new_uint64(c->units));
	ret |= fa_json_add(root, "unwritten",
			   json_object_new_uint64(c->unwritten));
	ret |= fa_json_add(root, "intact", json_object_new_uint64(c->intact));
	ret |= fa_json_add(root, "torn", json_object_new_uint64(c->torn));
	ret |= fa_json_add(root, "mismatched",
			   json_object_new_uint64(c->mismatched));
	reasons = json_object_new_object();
	for (i = 0; reasons && i < FA_TEAR_NR_REASONS; i++) {
		bit = 1u << i;
		ret |= fa_json_add(reasons, fa_tear_reason_name(bit),
				   json_object_new_uint64(
					   fa_scan_reason_count(c, bit)));
	}
	ret |= fa_json_add(root, "torn_by_reason", reasons);
	ret |= fa_json_add(root, "blocks_bad_checksum",
			   json_object_new_uint64(c->blocks_bad_checksum));
	ret |= fa_json_add(root, "blocks_misplaced",
			   json_object_new_uint64(c->blocks_misplaced));
	ret |= fa_json_add(root, "written_units", json_object_new_uint64(n));
	ret |= fa_json_add(root, "tear_rate",
			   json_object_new_double(fa_tear_rate(c)));
	ret |= fa_json_add(root, "tear_rate_upper95",
			   json_object_new_double(fa_tear_upper95(c->torn, n)));
	examples = json_object_new_array();
	for (i = 0; examples && i < c->nr_examples; i++)
		ret |= fa_json_append(examples,
				      fa_json_example(&c->examples[i]));
	ret |= fa_json_add(root, "examples", examples);
	return ret ? -ENOMEM : 0;
}

/* What the blocks of one unit were found to hold. */
struct fa_unit_scan {
	uint64_t offset;
	uint32_t ok, unwritten, bad, misplaced, foreign;
	bool have_ok_generation, mixed;
	uint64_t ok_generation;
	int first_kind;
	uint64_t first_generation;
	bool odd_seen;
	uint32_t first_odd;
	uint64_t generations[FA_TEAR_MAX_GENERATIONS];
	uint32_t generation_blocks[FA_TEAR_MAX_GENERATIONS];
	unsigned int nr_generations;
	bool more_generations;
	bool foreign_seen;
	uint64_t foreign_offset;
	struct fa_stamp_info foreign_info;
};

static void fa_note_generation(struct fa_unit_scan *u, uint64_t generation)
{
	unsigned int i;

	for (i = 0; i < u->nr_generations; i++) {
		if (u->generations[i] == generation) {
			u->generation_blocks[i]++;
			return;
		}
	}
	if (u->nr_generations == FA_TEAR_MAX_GENERATIONS) {
		u->more_generations = true;
		return;
	}
	u->generations[u->nr_generations] = generation;
	u->generation_blocks[u->nr_generations++] = 1;
}

static void fa_note_foreign(struct fa_unit_scan *u, uint64_t where,
			    const struct fa_stamp_info *info)
{
	u->foreign++;
	if (!u->foreign_seen) {
		u->foreign_seen = true;
		u->foreign_offset = where;
		u->foreign_info = *info;
	}
}

static void fa_scan_block(struct fa_unit_scan *u, const unsigned char *blk,
			  uint32_t index, uint32_t unit, uint32_t block_size)
{
	uint64_t where = u->offset + (uint64_t)index * block_size;
	struct fa_stamp_info info;
	bool has_generation = false;
	int kind;

	kind = fa_stamp_check_block(blk, block_size, where, &info);
	switch (kind) {
	case FA_STAMP_NONE:
		u->unwritten++;
		break;
	case FA_STAMP_BAD_CRC:
		u->bad++;
		break;
	case FA_STAMP_FOREIGN:
		fa_note_foreign(u, where, &info);
		break;
	case FA_STAMP_MISPLACED:
		u->misplaced++;
		has_generation = true;
		fa_note_generation(u, info.generation);
		break;
	case FA_STAMP_OK:
		/*
		 * In its place but of another unit size, or of a unit that
		 * starts off this scan's grid: the writer's units were not
		 * the scan's, and this unit cannot be judged.
		 */
		if (info.unit_len != unit || info.unit_offset != u->offset) {
			kind = FA_STAMP_FOREIGN;
			fa_note_foreign(u, where, &info);
			break;
		}
		u->ok++;
		has_generation = true;
		fa_note_generation(u, info.generation);
		if (!u->have_ok_generation) {
			u->have_ok_generation = true;
			u->ok_generation = info.generation;
		} else if (info.generation != u->ok_generation) {
			u->mixed = true;
		}
		break;
	default:
		/* -EINVAL: not with a geometry checked by the caller */
		u->bad++;
		break;
	}

	if (!index) {
		u->first_kind = kind;
		u->first_generation = has_generation ? info.generation : 0;
	} else if (!u->odd_seen &&
		   (kind != u->first_kind || (has_generation &&
		    info.generation != u->first_generation))) {
		u->odd_seen = true;
		u->first_odd = index;
	}
}

static void fa_record_example(struct fa_scan_counts *c,
			      const struct fa_unit_scan *u,
			      unsigned int reasons)
{
	struct fa_tear_example *ex;

	if (c->nr_examples >= FA_SCAN_MAX_EXAMPLES)
		return;
	ex = &c->examples[c->nr_examples++];
	memset(ex, 0, sizeof(*ex));
	ex->offset = u->offset;
	ex->reasons = reasons;
	ex->blocks_ok = u->ok;
	ex->blocks_unwritten = u->unwritten;
	ex->blocks_bad_checksum = u->bad;
	ex->blocks_misplaced = u->misplaced;
	ex->first_odd_block = u->first_odd;
	memcpy(ex->generations, u->generations, sizeof(ex->generations));
	memcpy(ex->generation_blocks, u->generation_blocks,
	       sizeof(ex->generation_blocks));
	ex->nr_generations = u->nr_generations;
	ex->more_generations = u->more_generations;
}

static enum fa_unit_state fa_classify_unit(struct fa_scan_counts *c,
					   const struct fa_unit_scan *u)
{
	unsigned int reasons = 0;

	c->units++;
	c->blocks_bad_checksum += u->bad;
	c->blocks_misplaced += u->misplaced;
	if (!u->ok && !u->bad && !u->misplaced && !u->foreign) {
		c->unwritten++;
		return FA_UNIT_UNWRITTEN;
	}
	if (u->foreign) {
		c->mismatched++;
		if (!c->mismatch_seen) {
			c->mismatch_seen = true;
			c->mismatch_offset = u->foreign_offset;
			c->mismatch = u->foreign_info;
		}
		return FA_UNIT_MISMATCHED;
	}
	if (u->mixed)
		reasons |= FA_TEAR_MIXED_GENERATION;
	if (u->unwritten)
		reasons |= FA_TEAR_PARTIAL;
	if (u->bad)
		reasons |= FA_TEAR_BAD_CHECKSUM;
	if (u->misplaced)
		reasons |= FA_TEAR_MISPLACED;
	if (!reasons) {
		c->intact++;
		return FA_UNIT_INTACT;
	}
	c->torn++;
	c->mixed_generation += !!(reasons & FA_TEAR_MIXED_GENERATION);
	c->partial += !!(reasons & FA_TEAR_PARTIAL);
	c->bad_checksum += !!(reasons & FA_TEAR_BAD_CHECKSUM);
	c->misplaced += !!(reasons & FA_TEAR_MISPLACED);
	fa_record_example(c, u, reasons);
	return FA_UNIT_TORN;
}

int fa_scan_region(const void *buf, size_t len, uint64_t base_offset,
		   uint32_t unit, uint32_t block_size,
		   struct fa_scan_counts *c)
{
	const unsigned char *p = buf;
	enum fa_unit_state state;
	uint32_t nr_blocks, b;
	size_t k, nr_units;

	if (fa_stamp_valid_geometry(unit, block_size))
		return -EINVAL;
	nr_blocks = unit / block_size;
	nr_units = len / unit;
	for (k = 0; k < nr_units; k++, p += unit) {
		struct fa_unit_scan u;

		memset(&u, 0, sizeof(u));
		u.offset = base_offset + (uint64_t)k * unit;
		for (b = 0; b < nr_blocks; b++)
			fa_scan_block(&u, p + (size_t)b * block_size, b, unit,
				      block_size);
		state = fa_classify_unit(c, &u);
		if (c->unit_fn)
			c->unit_fn(c->unit_arg, u.offset, state,
				   state == FA_UNIT_INTACT ?
				   u.ok_generation : 0);
	}
	c->bytes_scanned += (uint64_t)nr_units * unit;
	return 0;
}

ssize_t fa_scan_pread(int fd, void *buf, size_t want, uint64_t pos,
		      int flags, bool *direct)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < want) {
		ssize_t n = pread(fd, p + got, want - got,
				  (off_t)(pos + got));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* e.g. an offset the device's sector size rejects */
			if (errno == EINVAL && *direct &&
			    !fcntl(fd, F_SETFL, flags & ~O_DIRECT)) {
				*direct = false;
				continue;
			}
			return -errno;
		}
		if (!n)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int fa_scan_read_begin(int fd, size_t chunk, struct fa_scan_read *rd)
{
	int ret;

	ret = posix_memalign(&rd->buf, FA_SCAN_ALIGN, chunk);
	if (ret)
		return -ret;
	rd->flags = fcntl(fd, F_GETFL);
	if (rd->flags < 0) {
		ret = -errno;
		free(rd->buf);
		return ret;
	}
	rd->direct = rd->flags & O_DIRECT;
	if (!rd->direct && !fcntl(fd, F_SETFL, rd->flags | O_DIRECT))
		rd->direct = true;
	return 0;
}

void fa_scan_read_end(int fd, struct fa_scan_read *rd)
{
	fcntl(fd, F_SETFL, rd->flags);
	free(rd->buf);
	rd->buf = NULL;
}

int fa_scan_fd(int fd, uint64_t offset, uint64_t len, uint32_t unit,
	       uint32_t block_size, struct fa_scan_counts *c)
{
	struct fa_scan_read rd;
	uint64_t pos, end;
	size_t chunk;
	int ret;

	if (fa_stamp_valid_geometry(unit, block_size))
		return -EINVAL;
	len -= len % unit;
	if (offset + len < offset || offset + len > (uint64_t)INT64_MAX)
		return -EINVAL;
	chunk = FA_SCAN_CHUNK / unit * unit;
	if (!chunk)
		chunk = unit;
	ret = fa_scan_read_begin(fd, chunk, &rd);
	if (ret)
		return ret;

	end = offset + len;
	for (pos = offset; pos < end; pos += chunk) {
		size_t want = end - pos < chunk ? (size_t)(end - pos) : chunk;
		ssize_t got = fa_scan_pread(fd, rd.buf, want, pos, rd.flags,
					    &rd.direct);

		if (got < 0) {
			ret = (int)got;
			break;
		}
		fa_scan_region(rd.buf, (size_t)got, pos, unit, block_size, c);
		if ((size_t)got < want)
			break;
	}
	c->direct = rd.direct;
	fa_scan_read_end(fd, &rd);
	return ret;
}

double fa_tear_rate(const struct fa_scan_counts *c)
{
	uint64_t n = c->intact + c->torn;

	return n ? (double)c->torn / (double)n : 0.0;
}

/*
 * log(m!) minus its Stirling approximation m log m - m + log(2 pi m) / 2:
 * the series from 32 on (its next term is below 1e-17 there), lgamma()
 * below. libm has no function for the difference itself, and taking it
 * from lgamma() for large m would cancel away every digit of it.
 */
static double fa_stirling_rest(uint64_t m)
{
	double x = (double)m, x2 = x * x;

	if (m >= 32)
		return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 -
			1.0 / (1680 * x2)) / x2) / x2) / x;
	return lgamma(x + 1) - (x * log(x) - x + 0.5 * log(2 * M_PI * x));
}

/*
 * log C(n, k), 0 < k < n, without subtracting log-factorials of ~10^10
 * from each other: the large terms of Stirling's formula cancel in closed
 * form, which keeps about 15 digits for n in the billions.
 */
static double fa_log_binomial(uint64_t n, uint64_t k)
{
	double dn = (double)n, dk = (double)k, dm = (double)(n - k);

	return dk * log(dn / dk) - dm * log1p(-dk / dn) +
	       0.5 * log(dn / (2 * M_PI * dk * dm)) +
	       fa_stirling_rest(n) - fa_stirling_rest(k) -
	       fa_stirling_rest(n - k);
}

/* log P(X = i) for X ~ Binomial(n, p) */
static double fa_log_pmf(uint64_t i, uint64_t n, double log_p, double log_q)
{
	double log_c = i && i < n ? fa_log_binomial(n, i) : 0;

	return log_c + (double)i * log_p + (double)(n - i) * log_q;
}

/*
 * P(X <= k) for X ~ Binomial(n, p), 0 < p < 1, k < n. The tail that does
 * not hold the mode is summed outward from k, relative to its first term,
 * until the terms no longer count; only that first term is computed in
 * log space, so neither underflow nor n in the billions is a problem.
 */
static double fa_binomial_cdf(uint64_t k, uint64_t n, double p)
{
	double log_p = log(p), log_q = log1p(-p);
	double odds = p / (1 - p), sum = 1, term = 1, tail;
	uint64_t i;

	if ((double)k < (double)(n + 1) * p - 1) {
		for (i = k; i > 0; i--) {
			term *= (double)i / ((double)(n - i + 1) * odds);
			sum += term;
			if (term < 1e-17 * sum)
				break;
		}
		tail = exp(fa_log_pmf(k, n, log_p, log_q) + log(sum));
		return tail < 1 ? tail : 1;
	}
	for (i = k + 1; i < n; i++) {
		term *= (double)(n - i) / (double)(i + 1) * odds;
		sum += term;
		if (term < 1e-17 * sum)
			break;
	}
	tail = exp(fa_log_pmf(k + 1, n, log_p, log_q) + log(sum));
	return tail < 1 ? 1 - tail : 0;
}

double fa_tear_upper_bound(uint64_t torn, uint64_t n, double alpha)
{
	double lo, hi, mid;
	int i;

	if (!n || torn >= n || !(alpha > 0 && alpha < 1))
		return 1;
	if (!torn)
		return -expm1(log(alpha) / (double)n);
	/* P(X <= torn) falls as p rises; it is above alpha at torn / n. */
	lo = (double)torn / (double)n;
	hi = 1;
	for (i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
		mid = lo + (hi - lo) / 2;
		if (fa_binomial_cdf(torn, n, mid) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

double fa_tear_upper95(uint64_t torn, uint64_t n)
{
	return fa_tear_upper_bound(torn, n, 0.05);
}
