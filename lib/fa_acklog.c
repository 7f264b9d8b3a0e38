// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: acknowledged-write records and the check of a power cut's
 * survivors against them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fa_acklog.h"
#include "fa_crc32c.h"

static void fa_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void fa_put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void fa_put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t fa_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t fa_get32(const unsigned char *p)
{
	uint32_t v = 0;
	int i;

	for (i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t fa_get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

const char *fa_ack_status_name(enum fa_ack_status status)
{
	switch (status) {
	case FA_ACK_OK:
		return "ok";
	case FA_ACK_BAD_MAGIC:
		return "not an acknowledged-write record (bad magic)";
	case FA_ACK_BAD_VERSION:
		return "unknown record version or length";
	case FA_ACK_BAD_CRC:
		return "CRC mismatch (damaged record)";
	case FA_ACK_BAD_FIELDS:
		return "impossible fields under a valid CRC";
	case FA_ACK_TRUNCATED:
		return "truncated record";
	}
	return "unknown";
}

const char *fa_lost_reason_name(enum fa_lost_reason reason)
{
	switch (reason) {
	case FA_LOST_UNWRITTEN:
		return "unwritten";
	case FA_LOST_TORN:
		return "torn";
	case FA_LOST_MISMATCHED:
		return "mismatched";
	case FA_LOST_OLDER:
		return "older";
	}
	return "unknown";
}

void fa_ack_encode(const struct fa_ack *ack, void *rec)
{
	unsigned char *p = rec;

	memcpy(p + FA_ACK_OFF_MAGIC, FA_ACK_MAGIC, FA_ACK_MAGIC_LEN);
	fa_put16(p + FA_ACK_OFF_VERSION, FA_ACK_VERSION);
	fa_put16(p + FA_ACK_OFF_RECORD_LEN, FA_ACK_LEN);
	fa_put64(p + FA_ACK_OFF_GENERATION, ack->generation);
	fa_put64(p + FA_ACK_OFF_SUBMITTED_HI, ack->submitted_hi);
	fa_put64(p + FA_ACK_OFF_UNIT_OFFSET, ack->offset);
	fa_put32(p + FA_ACK_OFF_LENGTH, ack->length);
	fa_put32(p + FA_ACK_OFF_CRC, fa_crc32c(0, p, FA_ACK_OFF_CRC));
}

enum fa_ack_status fa_ack_decode(const void *rec, struct fa_ack *ack)
{
	const unsigned char *p = rec;
	struct fa_ack a;

	if (memcmp(p + FA_ACK_OFF_MAGIC, FA_ACK_MAGIC, FA_ACK_MAGIC_LEN))
		return FA_ACK_BAD_MAGIC;
	if (fa_get16(p + FA_ACK_OFF_VERSION) != FA_ACK_VERSION ||
	    fa_get16(p + FA_ACK_OFF_RECORD_LEN) != FA_ACK_LEN)
		return FA_ACK_BAD_VERSION;
	if (fa_get32(p + FA_ACK_OFF_CRC) != fa_crc32c(0, p, FA_ACK_OFF_CRC))
		return FA_ACK_BAD_CRC;
	a.generation = fa_get64(p + FA_ACK_OFF_GENERATION);
	a.submitted_hi = fa_get64(p + FA_ACK_OFF_SUBMITTED_HI);
	a.offset = fa_get64(p + FA_ACK_OFF_UNIT_OFFSET);
	a.length = fa_get32(p + FA_ACK_OFF_LENGTH);
	if (!a.generation || !a.length || a.submitted_hi < a.generation ||
	    a.offset > (uint64_t)INT64_MAX - a.length)
		return FA_ACK_BAD_FIELDS;
	*ack = a;
	return FA_ACK_OK;
}

void fa_ack_set_init(struct fa_ack_set *set)
{
	memset(set, 0, sizeof(*set));
}

void fa_ack_set_free(struct fa_ack_set *set)
{
	free(set->acks);
	free(set->by_generation);
	fa_ack_set_init(set);
}

int fa_ack_set_add_log(struct fa_ack_set *set, const void *buf, size_t len,
		       size_t *bad_record)
{
	const unsigned char *p = buf;
	size_t n = len / FA_ACK_LEN, i;
	int status;

	for (i = 0; i < n; i++) {
		struct fa_ack a;

		status = fa_ack_decode(p + i * FA_ACK_LEN, &a);
		if (status != FA_ACK_OK) {
			*bad_record = i;
			return status;
		}
	}
	if (len % FA_ACK_LEN) {
		*bad_record = n;
		return FA_ACK_TRUNCATED;
	}
	if (set->nr + n > set->alloc) {
		size_t alloc = set->alloc ? set->alloc : 256;
		struct fa_ack *acks;

		while (alloc < set->nr + n)
			alloc *= 2;
		acks = realloc(set->acks, alloc * sizeof(*acks));
		if (!acks)
			return -ENOMEM;
		set->acks = acks;
		set->alloc = alloc;
	}
	for (i = 0; i < n; i++)
		fa_ack_decode(p + i * FA_ACK_LEN, &set->acks[set->nr++]);
	set->prepared = false;
	return FA_ACK_OK;
}

static int fa_ack_by_offset(const void *a, const void *b)
{
	const struct fa_ack *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->generation != y->generation)
		return x->generation < y->generation ? -1 : 1;
	return 0;
}

static int fa_ack_by_generation(const void *a, const void *b)
{
	const struct fa_ack *x = a, *y = b;

	if (x->generation != y->generation)
		return x->generation < y->generation ? -1 : 1;
	return 0;
}

int fa_ack_set_prepare(struct fa_ack_set *set)
{
	struct fa_ack *copy = NULL;

	if (set->nr) {
		copy = malloc(set->nr * sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		qsort(set->acks, set->nr, sizeof(*set->acks),
		      fa_ack_by_offset);
		memcpy(copy, set->acks, set->nr * sizeof(*copy));
		qsort(copy, set->nr, sizeof(*copy), fa_ack_by_generation);
	}
	free(set->by_generation);
	set->by_generation = copy;
	set->prepared = true;
	return 0;
}

const struct fa_ack *fa_ack_set_find(const struct fa_ack_set *set,
				     uint64_t generation)
{
	const struct fa_ack key = { .generation = generation };

	if (!set->prepared || !set->nr)
		return NULL;
	return bsearch(&key, set->by_generation, set->nr,
		       sizeof(*set->by_generation), fa_ack_by_generation);
}

void fa_ack_check_init(struct fa_ack_check *chk, uint64_t start,
		       uint64_t end)
{
	memset(chk, 0, sizeof(*chk));
	chk->start = start;
	chk->end = end;
}

/* A record no unit judged: outside the region, or of another geometry. */
static void fa_ack_unjudged(struct fa_ack_check *chk, const struct fa_ack *a)
{
	if (a->offset < chk->start || a->offset >= chk->end)
		chk->outside++;
	else
		chk->off_grid++;
}

static void fa_ack_lost(struct fa_ack_check *chk, const struct fa_ack *a,
			enum fa_lost_reason reason, uint64_t found,
			uint64_t found_submitted_hi)
{
	struct fa_lost_example *ex;

	chk->lost++;
	switch (reason) {
	case FA_LOST_UNWRITTEN:
		chk->lost_unwritten++;
		break;
	case FA_LOST_TORN:
		chk->lost_torn++;
		break;
	case FA_LOST_MISMATCHED:
		chk->lost_mismatched++;
		break;
	case FA_LOST_OLDER:
		chk->lost_older++;
		break;
	}
	if (chk->nr_examples >= FA_ACK_MAX_EXAMPLES)
		return;
	ex = &chk->examples[chk->nr_examples++];
	ex->offset = a->offset;
	ex->generation = a->generation;
	ex->found = found;
	ex->found_submitted_hi = found_submitted_hi;
	ex->reason = reason;
}

/* One acknowledged write to a unit found intact with @found. */
static void fa_ack_judge_intact(const struct fa_ack_set *set,
				struct fa_ack_check *chk,
				const struct fa_ack *a, uint64_t found)
{
	const struct fa_ack *m;

	if (found == a->generation) {
		chk->found++;
		return;
	}
	if (!fa_ack_same_writer(found, a->generation)) {
		chk->other_job++;
		return;
	}
	if (found > a->generation) {
		chk->newer++;
		return;
	}
	/*
	 * An older write of the same job won. Legitimate only if the two
	 * were in flight together: the older one never acknowledged, or
	 * acknowledged only after this one had been submitted.
	 */
	m = fa_ack_set_find(set, found);
	if (m && m->submitted_hi < a->generation) {
		fa_ack_lost(chk, a, FA_LOST_OLDER, found, m->submitted_hi);
		return;
	}
	chk->raced++;
}

void fa_ack_check_unit(const struct fa_ack_set *set, struct fa_ack_check *chk,
		       uint64_t offset, uint32_t unit,
		       enum fa_unit_state state, uint64_t generation)
{
	bool counted = false;

	while (chk->next < set->nr && set->acks[chk->next].offset < offset)
		fa_ack_unjudged(chk, &set->acks[chk->next++]);
	for (; chk->next < set->nr && set->acks[chk->next].offset == offset;
	     chk->next++) {
		const struct fa_ack *a = &set->acks[chk->next];

		if (a->length != unit) {
			fa_ack_unjudged(chk, a);
			continue;
		}
		chk->acked++;
		if (!counted) {
			chk->units++;
			counted = true;
		}
		switch (state) {
		case FA_UNIT_UNWRITTEN:
			fa_ack_lost(chk, a, FA_LOST_UNWRITTEN, 0, 0);
			break;
		case FA_UNIT_TORN:
			fa_ack_lost(chk, a, FA_LOST_TORN, 0, 0);
			break;
		case FA_UNIT_MISMATCHED:
			fa_ack_lost(chk, a, FA_LOST_MISMATCHED, 0, 0);
			break;
		case FA_UNIT_INTACT:
			fa_ack_judge_intact(set, chk, a, generation);
			break;
		}
	}
}

void fa_ack_check_finish(const struct fa_ack_set *set,
			 struct fa_ack_check *chk)
{
	while (chk->next < set->nr)
		fa_ack_unjudged(chk, &set->acks[chk->next++]);
}
