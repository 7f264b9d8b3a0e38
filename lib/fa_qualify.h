/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the pure logic of hardware qualification: which writes to
 * try, how to read fio's JSON, how to judge the conformance counts of the
 * engines' job reports, and the verdict. No I/O, no fio: the tool runs
 * the steps.
 */
#ifndef FA_QUALIFY_H
#define FA_QUALIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;
struct fa_conf_rule;

/* The outcome of one qualification step. */
enum fa_q_result {
	FA_Q_PASS = 0,
	FA_Q_FAIL,
	FA_Q_SKIP,
};

/** fa_q_result_name() - "PASS", "FAIL" or "SKIP" */
const char *fa_q_result_name(enum fa_q_result r);

/**
 * struct fa_q_step - one step and its outcome
 * @name:	stable short name ("limits", "conformance", "writes", ...)
 * @required:	a SKIP of this step also means NOT QUALIFIED (nothing was
 *		proven without it)
 * @advisory:	reported, but outside the verdict: a guarantee the user
 *		did not --require (read_isolation, write_isolation)
 * @result:	its outcome
 * @reason:	why it failed or was skipped ("" when it passed)
 */
struct fa_q_step {
	char name[32];
	bool required;
	bool advisory;
	enum fa_q_result result;
	char reason[512];
};

/**
 * fa_q_verdict() - QUALIFIED when no step failed and every required step
 * passed; advisory steps do not count
 * @failing, @len: receives the failing steps' names, comma separated
 *		("" when qualified)
 *
 * Return: true when qualified.
 */
bool fa_q_verdict(const struct fa_q_step *steps, int nr, char *failing,
		  size_t len);

/**
 * fa_q_sizes() - the power-of-two write sizes of the sweep
 * @unit_min, @unit_max: the enforced atomic limits
 * @cap:	largest size to try (0: no cap)
 * @out, @max:	receives the sizes, smallest first
 *
 * Starts at the smallest power of two >= @unit_min and doubles up to
 * @unit_max (or @cap).
 * Return: how many sizes, 0 when none fits, -EINVAL for bad limits.
 */
int fa_q_sizes(uint64_t unit_min, uint64_t unit_max, uint64_t cap,
	       uint64_t *out, int max);

/**
 * struct fa_q_point - one measured point of the sweep
 * @iops, @bw_bytes: the write side of the job
 * @clat_p50_ns, @clat_p99_ns, @clat_p999_ns: completion latency
 *		percentiles (0 when fio did not report them)
 * @ios:	write I/Os completed
 * @error:	the job's error (a positive errno, 0 when none)
 */
struct fa_q_point {
	double iops;
	uint64_t bw_bytes;
	uint64_t clat_p50_ns;
	uint64_t clat_p99_ns;
	uint64_t clat_p999_ns;
	uint64_t ios;
	int error;
};

/**
 * fa_q_fio_json_start() - where fio's JSON begins in its stdout
 *
 * Engines log with fio's log_info(), which shares stdout with
 * --output-format=json: their lines come first, then the JSON object
 * opens on a line of its own.
 * Return: a pointer into @out, or NULL when there is no JSON.
 */
const char *fa_q_fio_json_start(const char *out);

/**
 * fa_q_fio_point() - the write side of job @jobname in fio's JSON
 * @root:	the parsed JSON of one fio run
 * @jobname:	the job's name; NULL for the first job
 *
 * Jobs are under "jobs", or "client_stats" when fio ran as a client of a
 * fio server (--client).
 *
 * Return: 0, -ENOENT when there is no such job, -EINVAL when the JSON is
 * not fio's.
 */
int fa_q_fio_point(struct json_object *root, const char *jobname,
		   struct fa_q_point *p);

/**
 * fa_q_conf_judge() - did a conformance case behave as it must?
 * @c:		the rule's counts in the engine's job report (NULL when
 *		the report has none)
 * @expect_sent: how many illegal writes the case sends
 * @expect_how:	what every rejection must say (a prefix of the decoded
 *		text, e.g. strerror(EINVAL)); NULL to accept any
 * @why, @len:	receives the reason when it did not
 *
 * A rule the device enforces passes when all @expect_sent writes were
 * sent and rejected as expected, none accepted; an unenforced rule
 * (NVMe) passes when all were sent and counted outside the guarantee.
 */
bool fa_q_conf_judge(const struct fa_conf_rule *c, uint64_t expect_sent,
		     const char *expect_how, char *why, size_t len);

/**
 * fa_q_tear_judge() - racing readers: no torn unit, and enough intact ones
 * that the run proves something
 */
bool fa_q_tear_judge(uint64_t torn, uint64_t intact, char *why, size_t len);

#endif /* FA_QUALIFY_H */
