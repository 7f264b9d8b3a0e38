// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the result-file parser of `fio-atomic
 * report ingest` (fa_results.h), which reads whatever files users hand it:
 * fio's JSON output (local and --client), the engines' job and tear
 * reports (with their context), qualify and qualify fleet reports (with
 * contexts and guarantees), and anything else, cut short or corrupted.
 *
 * Input: the file's bytes, given to fa_results_parse() as they are (no
 * terminating NUL). Invariants: a refusal leaves no rows and gives a
 * reason, with a line and column inside the input when it names a place;
 * an acceptance gives a known kind and rows whose strings are terminated
 * and whose counts are sane, contexts whose strings are terminated and
 * which rows and guarantees name by a valid index, guarantees whose
 * points lie inside the file's points; the content hash is stable; the first line,
 * as a bs= string, parses or is refused without reading past it.
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line, so the
 * seeds and any crash found can be replayed without libFuzzer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_results.h"

#include "fa_fuzz.h"


/* A broken invariant is a finding: make the fuzzer stop on it. */
static int terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

static void check_rows(const struct fa_result_file *f)
{
	const struct fa_result_guarantee *g;
	const struct fa_result *r;
	size_t i, k;

	FUZZ_CHECK(f->kind == FA_RESULT_FIO || f->kind == FA_RESULT_TEAR ||
		   f->kind == FA_RESULT_QUALIFY || f->kind == FA_RESULT_FLEET);
	FUZZ_CHECK(f->nr_rows <= FA_RESULT_MAX_ROWS);
	FUZZ_CHECK(!f->nr_rows || f->rows);
	FUZZ_CHECK(terminated(f->fio_version, sizeof(f->fio_version)));
	FUZZ_CHECK(terminated(f->note, sizeof(f->note)));
	FUZZ_CHECK(!f->skipped_rows || f->note[0]);
	for (i = 0; i < f->nr_rows; i++) {
		r = &f->rows[i];
		FUZZ_CHECK(terminated(r->host, sizeof(r->host)));
		FUZZ_CHECK(terminated(r->job, sizeof(r->job)));
		FUZZ_CHECK(terminated(r->engine, sizeof(r->engine)));
		FUZZ_CHECK(terminated(r->rw, sizeof(r->rw)));
		FUZZ_CHECK(terminated(r->dir, sizeof(r->dir)));
		FUZZ_CHECK(r->iodepth >= 1 && r->numjobs >= 1);
		FUZZ_CHECK(r->has_tear || (!r->torn && !r->intact));
		FUZZ_CHECK(terminated(r->mode, sizeof(r->mode)));
		FUZZ_CHECK(f->kind != FA_RESULT_TEAR || r->has_tear ||
			   r->job_report);
		FUZZ_CHECK(f->kind == FA_RESULT_TEAR || r->dir[0]);
		FUZZ_CHECK(r->context >= -1 &&
			   r->context < (int)f->nr_contexts);
		FUZZ_CHECK(!r->has_tear || r->torn <= r->torn + r->intact);
	}
	for (i = 0; i < f->nr_contexts; i++)
		for (k = 0; k < FA_CTX_NR_TEXT; k++)
			FUZZ_CHECK(terminated(f->contexts[i].text[k],
					      FA_CTX_TEXT_LEN));
	for (i = 0; i < f->nr_guarantees; i++) {
		g = &f->guarantees[i];
		FUZZ_CHECK(terminated(g->host, sizeof(g->host)));
		FUZZ_CHECK(terminated(g->status, sizeof(g->status)));
		FUZZ_CHECK(terminated(g->reason, sizeof(g->reason)));
		FUZZ_CHECK(g->context >= -1 &&
			   g->context < (int)f->nr_contexts);
		FUZZ_CHECK(g->first_point + g->nr_points <= f->nr_gpoints);
		FUZZ_CHECK(!g->has_counts || g->failures <= g->trials);
	}
	for (i = 0; i < f->nr_gpoints; i++) {
		FUZZ_CHECK(terminated(f->gpoints[i].engine,
				      sizeof(f->gpoints[i].engine)));
		FUZZ_CHECK(f->gpoints[i].failures <= f->gpoints[i].trials);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char h1[FA_RESULT_HASH_LEN], h2[FA_RESULT_HASH_LEN];
	struct fa_result_file f;
	struct fa_parse_error err;
	size_t i, lines = 1, first_line;
	char *line;
	uint64_t bs;
	int ret;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	ret = fa_results_parse((const char *)data, size, "fuzz", &f, &err);
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL || ret == -ENOMEM);
		FUZZ_CHECK(!f.rows && !f.nr_rows && !f.contexts &&
			   !f.guarantees && !f.gpoints);
		FUZZ_CHECK(terminated(err.reason, sizeof(err.reason)));
		FUZZ_CHECK(ret == -ENOMEM || err.reason[0]);
		FUZZ_CHECK(err.line <= lines);
		FUZZ_CHECK(!err.line || err.column >= 1);
		FUZZ_CHECK(err.column <= size + 1);
	} else {
		check_rows(&f);
	}
	fa_result_file_free(&f);

	fa_results_hash(data, size, h1);
	fa_results_hash(data, size, h2);
	FUZZ_CHECK(!strcmp(h1, h2) && strlen(h1) == FA_RESULT_HASH_LEN - 1);

	/* the first line as a bs= value, in an exact-size heap copy */
	for (first_line = 0; first_line < size && data[first_line] != '\n' &&
	     data[first_line]; first_line++)
		;
	line = malloc(first_line + 1);
	if (!line)
		return 0;
	memcpy(line, data, first_line);
	line[first_line] = '\0';
	for (i = 0; i < 3; i++)
		if (!fa_results_parse_bs(line, (int)i, &bs))
			FUZZ_CHECK(first_line > 0);
	free(line);
	return 0;
}

