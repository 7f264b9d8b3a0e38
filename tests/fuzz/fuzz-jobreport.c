// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the job report reader: the reports
 * qualify and report ingest read come from any engine build, from a fio
 * server's filesystem, or from wherever a user points them.
 *
 * Input: the file's bytes. Invariants: a report that parses writes back
 * out (fa_jobreport_json()) and that text parses again to the same counts,
 * rules, verdict and context; strings stay terminated; a refusal names
 * its reason.
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fa_jobreport.h"

#include "fa_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fa_jobreport r, back;
	struct json_object *o;
	const char *text;
	char why[256] = "";
	int ret, i;

	ret = fa_jobreport_parse((const char *)data, size, &r, why, sizeof(why));
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL || ret == -EPROTONOSUPPORT ||
			   ret == -ENOMEM);
		FUZZ_CHECK(ret == -ENOMEM || why[0]);
		return 0;
	}
	FUZZ_CHECK(memchr(r.engine, '\0', sizeof(r.engine)));
	FUZZ_CHECK(memchr(r.target, '\0', sizeof(r.target)));
	FUZZ_CHECK(r.nr_rules >= 0 && r.nr_rules <= FA_JR_MAX_RULES);
	FUZZ_CHECK(r.nr_limits >= 0 && r.nr_limits <= FA_JR_MAX_LIMITS);
	o = fa_jobreport_json(&r);
	if (!o)
		return 0;
	text = json_object_to_json_string(o);
	FUZZ_CHECK(!fa_jobreport_parse(text, strlen(text), &back, why,
				       sizeof(why)));
	FUZZ_CHECK(back.verdict == r.verdict);
	FUZZ_CHECK(back.nr_rules == r.nr_rules);
	for (i = 0; i < r.nr_rules; i++) {
		FUZZ_CHECK(!strcmp(back.rules[i].rule, r.rules[i].rule));
		FUZZ_CHECK(back.rules[i].sent == r.rules[i].sent);
		FUZZ_CHECK(back.rules[i].rejected == r.rules[i].rejected);
	}
	FUZZ_CHECK(back.context.present == r.context.present);
	FUZZ_CHECK(!strcmp(back.context.device.serial,
			   r.context.device.serial));
	FUZZ_CHECK(!strcmp(back.context.filesystem.options,
			   r.context.filesystem.options));
	FUZZ_CHECK(back.tear_checked == r.tear_checked);
	FUZZ_CHECK(back.tear.reads.torn == r.tear.reads.torn);
	FUZZ_CHECK(back.tear.reads.intact == r.tear.reads.intact);
	json_object_put(o);
	return 0;
}
