// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the engines' per-job report (fio-atomic-job-report, version
 * 2): what the writer writes reads back the same (limits with units and
 * sources, a refusal, conformance rows with errno / sense / NVMe status,
 * tear counts, the run context with its limits taken from the job's);
 * unknown strings are null; version 1 still reads (no context); a foreign
 * format, a newer version, bad JSON and members of the wrong type are
 * refused with a reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_fake_tree.h"
#include "fa_jobreport.h"
#include "fa_test.h"

static void fill(struct fa_jobreport *r)
{
	struct fa_rejection why;

	fa_jobreport_init(r);
	snprintf(r->engine, sizeof(r->engine), "atomic-sg");
	snprintf(r->mode, sizeof(r->mode), "sg-async");
	snprintf(r->job, sizeof(r->job), "conformance-alignment");
	r->thread = 3;
	r->bs_min = r->bs_max = 8192;
	snprintf(r->target, sizeof(r->target), "/dev/sg0");
	snprintf(r->kind, sizeof(r->kind), "sg");
	FA_ASSERT_EQ(fa_jobreport_add_limit(r, "max_atomic_transfer_length",
					    65536, "Block Limits VPD of /dev/sg0"),
		     0);
	FA_ASSERT_EQ(fa_jobreport_add_limit(r, "segments_max", 1,
					    "statx on /x"), 0);
	snprintf(r->validate, sizeof(r->validate), "off");
	r->atomic = true;
	r->nr_rules = 2;
	snprintf(r->rules[0].rule, sizeof(r->rules[0].rule), "alignment");
	r->rules[0].enforced = true;
	fa_rejection_errno(&why, EINVAL);
	why.kind = FA_REJ_SENSE;
	why.sense_key = 5;
	why.asc = 0x24;
	snprintf(why.text, sizeof(why.text), "ILLEGAL REQUEST / INVALID FIELD IN CDB");
	fa_conf_rule_count(&r->rules[0], &why);
	fa_conf_rule_count(&r->rules[0], NULL);
	snprintf(r->rules[1].rule, sizeof(r->rules[1].rule), "atomic_unit");
	fa_rejection_errno(&why, EIO);
	why.kind = FA_REJ_NVME;
	why.nvme_status = 0x4002;
	fa_conf_rule_count(&r->rules[1], &why);
	r->tear_checked = true;
	r->tear.block = 512;
	r->tear.checked_reads = 10;
	r->tear.reads.units = 10;
	r->tear.reads.intact = 9;
	r->tear.reads.torn = 1;
	r->tear.reads.partial = 1;
}

/* @o as text (and put), read back into @back: fa_jobreport_parse()'s result */
static int reparse(struct json_object *o, struct fa_jobreport *back,
		   char *why, size_t len)
{
	char *text = strdup(json_object_to_json_string(o));
	int ret;

	json_object_put(o);
	if (!text)
		return -ENOMEM;
	ret = fa_jobreport_parse(text, strlen(text), back, why, len);
	free(text);
	return ret;
}

static void test_round_trip(void)
{
	struct fa_jobreport *r = calloc(2, sizeof(*r)), *back = r + 1;
	struct json_object *o;
	char why[256] = "";
	const struct fa_conf_rule *c;

	fill(r);
	o = fa_jobreport_json(r);
	FA_ASSERT(o != NULL);
	FA_ASSERT_EQ(reparse(o, back, why, sizeof(why)), 0);
	FA_ASSERT_STREQ(back->engine, "atomic-sg");
	FA_ASSERT_STREQ(back->mode, "sg-async");
	FA_ASSERT_EQ(back->thread, 3);
	FA_ASSERT_EQ(back->nr_limits, 2);
	FA_ASSERT_STREQ(back->limits[0].unit, "bytes");
	FA_ASSERT_STREQ(back->limits[1].unit, "segments");
	FA_ASSERT_UEQ(back->limits[0].value, 65536);
	FA_ASSERT_STREQ(back->limits[0].origin, "Block Limits VPD of /dev/sg0");
	c = fa_jobreport_rule(back, "alignment");
	FA_ASSERT(c != NULL);
	FA_ASSERT(c->enforced);
	FA_ASSERT_UEQ(c->sent, 2);
	FA_ASSERT_UEQ(c->rejected, 1);
	FA_ASSERT_UEQ(c->accepted, 1);
	FA_ASSERT_EQ(c->last.kind, FA_REJ_SENSE);
	FA_ASSERT_EQ(c->last.sense_key, 5);
	FA_ASSERT_EQ(c->last.asc, 0x24);
	FA_ASSERT_EQ(c->last.err, EINVAL);
	c = fa_jobreport_rule(back, "atomic_unit");
	FA_ASSERT(c && !c->enforced);
	FA_ASSERT_EQ(c->last.kind, FA_REJ_NVME);
	FA_ASSERT_EQ(c->last.nvme_status, 0x4002);
	FA_ASSERT(!fa_jobreport_rule(back, "pow2"));
	FA_ASSERT(back->tear_checked);
	FA_ASSERT_UEQ(back->tear.reads.torn, 1);
	FA_ASSERT_UEQ(back->tear.reads.partial, 1);
	FA_ASSERT_EQ(back->verdict, FA_JR_NOT_CHECKED);
	free(r);
}

static void test_refusal_and_nulls(void)
{
	struct fa_jobreport *r = calloc(2, sizeof(*r)), *back = r + 1;
	struct json_object *o, *v;
	char why[256];

	fa_jobreport_init(r);
	snprintf(r->engine, sizeof(r->engine), "atomic-uring");
	r->verdict = FA_JR_REFUSED;
	snprintf(r->refusal.rule, sizeof(r->refusal.rule), "pow2");
	r->refusal.value = 24576;
	r->refusal.err = ECANCELED;
	o = fa_jobreport_json(r);
	FA_ASSERT(json_object_object_get_ex(o, "target", &v));
	FA_ASSERT(json_object_object_get_ex(v, "path", &v));
	FA_ASSERT(v == NULL);		/* unknown: null, not "" */
	FA_ASSERT(json_object_object_get_ex(o, "tear", &v) && !v);
	FA_ASSERT_EQ(reparse(o, back, why, sizeof(why)), 0);
	FA_ASSERT_EQ(back->verdict, FA_JR_REFUSED);
	FA_ASSERT_STREQ(back->refusal.rule, "pow2");
	FA_ASSERT_UEQ(back->refusal.value, 24576);
	FA_ASSERT_EQ(back->refusal.err, ECANCELED);
	FA_ASSERT(!back->tear_checked);
	free(r);
}

static void test_refused_inputs(void)
{
	/* a text, the error it is refused with and what the reason says */
	static const struct {
		const char *text;
		int err;
		const char *why;
	} refused[] = {
		{ "{ \"format\": ", -EINVAL, "not JSON" },
		{ "{ \"format\": \"fio-atomic-tear-1\", \"version\": 1 }",
		  -EINVAL, "not a fio-atomic-job-report" },
		{ "{ \"format\": \"fio-atomic-job-report\", \"version\": 3 }",
		  -EPROTONOSUPPORT, "newer" },
		{ "{ \"format\": \"fio-atomic-job-report\", \"version\": 1, \"engine\": 5 }",
		  -EINVAL, "\"engine\"" },
		{ "{ \"format\": \"fio-atomic-job-report\", \"version\": 1, \"writes\": { \"atomic\": -1 } }",
		  -EINVAL, "" },
	};
	struct fa_jobreport *r = malloc(sizeof(*r));
	char why[256];
	size_t i;
	int ret;

	FA_ASSERT(r != NULL);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		why[0] = '\0';
		ret = fa_jobreport_parse(refused[i].text,
					 strlen(refused[i].text), r, why,
					 sizeof(why));
		if (ret != refused[i].err || !strstr(why, refused[i].why)) {
			free(r);
			FA_FAIL("%s: %d \"%s\", not %d with \"%s\"",
				refused[i].text, ret, why, refused[i].err,
				refused[i].why);
		}
	}
	free(r);
}

static void test_context_version2(void)
{
	struct fa_jobreport *r = calloc(2, sizeof(*r)), *back = r + 1;
	struct json_object *o, *v;
	char why[256] = "";

	fill(r);
	FA_ASSERT(!r->context.present);
	r->context.present = true;
	snprintf(r->context.host, sizeof(r->context.host), "vm");
	snprintf(r->context.target_kind, sizeof(r->context.target_kind), "sg");
	r->context.device.known = true;
	snprintf(r->context.device.serial, sizeof(r->context.device.serial),
		 "SN1");
	o = fa_jobreport_json(r);
	FA_ASSERT(o != NULL);
	FA_ASSERT(json_object_object_get_ex(o, "version", &v));
	FA_ASSERT_EQ(json_object_get_int(v), 2);
	FA_ASSERT_EQ(reparse(o, back, why, sizeof(why)), 0);
	FA_ASSERT_EQ(back->version, 2);
	FA_ASSERT(back->context.present);
	FA_ASSERT_STREQ(back->context.host, "vm");
	FA_ASSERT_STREQ(back->context.device.serial, "SN1");
	FA_ASSERT(!back->context.filesystem.known);
	/* atomic-sg's limit is the context's unit_max; no unit_min known */
	FA_ASSERT_UEQ(back->context.limits.known,
		      FA_RUNCTX_UNIT_MAX | FA_RUNCTX_SEGMENTS_MAX);
	FA_ASSERT_UEQ(back->context.limits.unit_max, 65536);
	FA_ASSERT_UEQ(back->context.limits.segments_max, 1);
	FA_ASSERT_STREQ(back->context.limits.source,
			"Block Limits VPD of /dev/sg0");
	free(r);
}

static void test_context_limits_statx(void)
{
	struct fa_jobreport *r = calloc(1, sizeof(*r));
	struct fa_runctx_limits l;

	fa_jobreport_init(r);
	fa_jobreport_add_limit(r, "unit_min", 4096, "statx on /mnt/f");
	fa_jobreport_add_limit(r, "unit_max", 1048576, "statx on /mnt/f");
	fa_jobreport_context_limits(r, &l);
	FA_ASSERT_UEQ(l.known, FA_RUNCTX_UNIT_MIN | FA_RUNCTX_UNIT_MAX |
		      FA_RUNCTX_UNIT_MAX_OPT);
	/* statx leaves a unit_max_opt of 0 out */
	FA_ASSERT_UEQ(l.unit_max_opt, 0);
	FA_ASSERT_UEQ(l.unit_max, 1048576);
	free(r);
}

static void test_version1_still_read(void)
{
	struct fa_jobreport *r = malloc(sizeof(*r));
	char why[256];
	const char *v1 = "{ \"format\": \"fio-atomic-job-report\", \"version\": 1, \"engine\": \"atomic-uring\" }";
	const char *bad = "{ \"format\": \"fio-atomic-job-report\", \"version\": 2, \"context\": 5 }";

	FA_ASSERT_EQ(fa_jobreport_parse(v1, strlen(v1), r, why, sizeof(why)),
		     0);
	FA_ASSERT_EQ(r->version, 1);
	FA_ASSERT_STREQ(r->engine, "atomic-uring");
	FA_ASSERT(!r->context.present);
	FA_ASSERT_EQ(fa_jobreport_parse(bad, strlen(bad), r, why, sizeof(why)),
		     -EINVAL);
	FA_ASSERT_CONTAINS(why, "\"context\"");
	free(r);
}

static void test_write_whole_file(void)
{
	struct fa_jobreport *r = calloc(2, sizeof(*r)), *back = r + 1;
	char path[PATH_MAX], why[256];

	fill(r);
	FA_ASSERT_EQ(fa_tree_make("fa-jobreport"), 0);
	snprintf(path, sizeof(path), "%s/r.json", fa_tree);
	FA_ASSERT_EQ(fa_jobreport_write(path, r), 0);
	FA_ASSERT_EQ(fa_jobreport_load(path, back, why, sizeof(why)), 0);
	FA_ASSERT_STREQ(back->job, "conformance-alignment");
	unlink(path);
	FA_ASSERT_EQ(fa_jobreport_load(path, back, why, sizeof(why)), -ENOENT);
	snprintf(path, sizeof(path), "%s/missing/r.json", fa_tree);
	FA_ASSERT_EQ(fa_jobreport_write(path, r), -ENOENT);
	FA_ASSERT_EQ(rmdir(fa_tree), 0);	/* no temporary file left */
	free(r);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_round_trip),
	FA_TEST(test_refusal_and_nulls),
	FA_TEST(test_refused_inputs),
	FA_TEST(test_context_version2),
	FA_TEST(test_context_limits_statx),
	FA_TEST(test_version1_still_read),
	FA_TEST(test_write_whole_file),
};

FA_TEST_MAIN(cases, NULL, fa_tree_remove)
