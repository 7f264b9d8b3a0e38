/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: result files read into rows for the regression database.
 *
 * Four kinds of file are understood:
 *  - fio's JSON output (--output-format=json or json+), local or from
 *    `fio --client` (whose "client_stats" carry each server's hostname);
 *  - the engines' per-job report (format "fio-atomic-job-report", versions
 *    1 and 2; version 2 has the run's "context") and the older tear report
 *    ("fio-atomic-tear-1");
 *  - a `fio-atomic qualify` report (top-level key "fio_atomic_qualify"):
 *    its "results" rows, its "guarantees" and its "context";
 *  - a qualify fleet report (top-level key "fio_atomic_qualify_fleet"):
 *    one qualify report per host, each under its own context's host.
 * Anything else is refused with the place and the reason. Pure parsing:
 * no I/O, no printing. The parts: fa_results.c (the file, fio's output,
 * job reports), fa_results_qualify.c (qualify and fleet reports),
 * fa_results_context.c (the "context" object).
 */
#ifndef FA_RESULTS_H
#define FA_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FA_RESULT_NAME_LEN	128
#define FA_RESULT_HASH_LEN	33	/* 32 hex digits and NUL */
#define FA_RESULT_MAX_ROWS	100000
#define FA_FIO_DEFAULT_PORT	8765

enum fa_result_kind {
	FA_RESULT_FIO = 1,
	FA_RESULT_TEAR,
	FA_RESULT_QUALIFY,
	FA_RESULT_FLEET,
};

/* The newest job report and fleet report versions this parser reads */
#define FA_RESULT_JOBREPORT_VERSION	2
#define FA_RESULT_FLEET_VERSION		1

#define FA_CTX_TEXT_LEN	256

/* The text fields of a context; fa_context_text_name() gives the column. */
enum fa_ctx_text {
	FA_CTX_HOST,
	FA_CTX_KERNEL,
	FA_CTX_DISTRO,
	FA_CTX_FIO_VERSION,
	FA_CTX_BUILD,
	FA_CTX_TARGET_PATH,
	FA_CTX_TARGET_KIND,
	FA_CTX_DEVICE_NAME,
	FA_CTX_DEVICE_TRANSPORT,
	FA_CTX_DEVICE_MODEL,
	FA_CTX_DEVICE_SERIAL,
	FA_CTX_DEVICE_FIRMWARE,
	FA_CTX_DEVICE_SOURCE,
	FA_CTX_FS_TYPE,
	FA_CTX_FS_MOUNTPOINT,
	FA_CTX_FS_SOURCE,
	FA_CTX_FS_OPTIONS,
	FA_CTX_LIMITS_SOURCE,
	FA_CTX_NR_TEXT,
};

/* The numeric fields of a context (the target's atomic write limits) */
enum fa_ctx_num {
	FA_CTX_UNIT_MIN,
	FA_CTX_UNIT_MAX,
	FA_CTX_UNIT_MAX_OPT,
	FA_CTX_SEGMENTS_MAX,
	FA_CTX_NR_NUM,
};

/**
 * struct fa_context - where and on what a result was measured, as the
 * report recorded it at run time (its "context" object): host, kernel,
 * distro, fio version, build, target, device, filesystem, limits
 * @text:	"" where the report said null or nothing (never guessed)
 * @num:	-1 where unknown
 */
struct fa_context {
	char text[FA_CTX_NR_TEXT][FA_CTX_TEXT_LEN];
	int64_t num[FA_CTX_NR_NUM];
};

/** fa_context_text_name() - "host", "kernel", ..., "target_path", ... */
const char *fa_context_text_name(enum fa_ctx_text field);

/** fa_context_num_name() - "unit_min", "unit_max", ... */
const char *fa_context_num_name(enum fa_ctx_num field);

/**
 * struct fa_result - one measured group of I/O: a job's one direction
 * @host:	where it ran: fio's client hostname ("host:port" when not the
 *		default port), else the default host given to the parser
 * @job:	fio's job name
 * @engine:	ioengine, an external engine reduced to its file's base name
 *		("external:/x/atomic-uring.so" -> "atomic-uring")
 * @rw:		fio's rw= of the job ("randwrite"); qualify's write sweep
 *		is "randwrite"
 * @mode:	the engine's submission mode where the file says it (a
 *		qualify row's "pwritev2", "io_uring", "uring_cmd"; a job
 *		report's "mode"); "" for fio's output
 * @dir:	"read", "write" or "trim"; "" for a tear report
 * @bs:		block size in bytes of that direction (0 unknown)
 * @iodepth, @numjobs:	as the job set them (fio's defaults 1)
 * @iops, @bw_bytes:	per second
 * @clat_p50_ns, @clat_p99_ns, @clat_p999_ns: completion latency
 *		percentiles; NaN when not reported
 * @has_tear:	@torn, @intact and @checked are known
 * @torn, @intact:	units classified by the tear check
 * @checked:	reads (or units) the tear check looked at
 * @plain_iops:	qualify: IOPS of plain (not atomic) writes at the same
 *		point; NaN when not measured
 * @atomic_cost:	qualify: atomic IOPS / plain IOPS; NaN when unknown
 * @iops_spread:	qualify: relative spread of IOPS over its repeats
 * @context:	index in the file's contexts, -1 for none
 * @host_named:	the file named @host (fio --client, a context); else it
 *		is the default host
 * @job_report:	a row of an engine job report: its tear counts (when
 *		@has_tear) and its context belong to fio's rows of its job
 */
struct fa_result {
	char host[FA_RESULT_NAME_LEN];
	char job[FA_RESULT_NAME_LEN];
	char engine[64];
	char rw[32];
	char dir[8];
	uint64_t bs;
	uint32_t iodepth, numjobs;
	double iops, bw_bytes;
	double clat_p50_ns, clat_p99_ns, clat_p999_ns;
	bool has_tear;
	uint64_t torn, intact, checked;
	char mode[32];
	double plain_iops, atomic_cost, iops_spread;
	int context;
	bool host_named;
	bool job_report;
};

/**
 * struct fa_result_gpoint - trials of one guarantee at one (engine, size)
 */
struct fa_result_gpoint {
	char engine[64];
	uint64_t size, trials, failures;
};

/**
 * struct fa_result_guarantee - one of a qualify report's "guarantees"
 * @host:	the host of the report it came from
 * @context:	index in the file's contexts, -1 for none
 * @name:	"power_fail", "read_isolation", "write_isolation"
 * @status:	"provided", "not_provided", "not_tested"
 * @reason:	why not tested, or the probe's summary; "" when none
 * @has_counts, @trials, @failures:	the totals over its points
 * @upper95:	exact one-sided 95% upper bound of the failure rate, as
 *		the report gave it; NaN when it gave none
 * @has_control, @control_trials, @control_failures: the positive control
 * @first_point, @nr_points:	its points in the file's @gpoints
 */
struct fa_result_guarantee {
	char host[FA_RESULT_NAME_LEN];
	int context;
	char name[24];
	char status[16];
	char reason[FA_CTX_TEXT_LEN];
	bool has_counts;
	uint64_t trials, failures;
	double upper95;
	bool has_control;
	uint64_t control_trials, control_failures;
	size_t first_point, nr_points;
};

/**
 * struct fa_result_file - what one file held
 * @kind:		which kind of file it was
 * @fio_version:	"fio-3.33"; "" when the file does not say
 * @timestamp:		when fio (or the report) says it ran, Unix seconds;
 *			0 when unknown
 * @skipped_lines:	non-JSON lines before the first '{' (fio's warnings)
 * @skipped_rows:	entries that lacked what a row needs (qualify results,
 *			fio's "All clients" sum)
 * @note:		why the first entry was skipped, for the user
 * @rows, @nr_rows:	the rows
 * @contexts, @nr_contexts:	the contexts the file recorded (a qualify
 *		fleet report one per host)
 * @guarantees, @nr_guarantees, @gpoints, @nr_gpoints:	qualify's
 *		guarantees and their points
 * @nr_hosts:	hosts of a fleet report (1 for a qualify report)
 * All freed by fa_result_file_free().
 */
struct fa_result_file {
	enum fa_result_kind kind;
	char fio_version[32];
	int64_t timestamp;
	unsigned int skipped_lines;
	unsigned int skipped_rows;
	char note[256];
	struct fa_result *rows;
	size_t nr_rows;
	struct fa_context *contexts;
	size_t nr_contexts;
	struct fa_result_guarantee *guarantees;
	size_t nr_guarantees;
	struct fa_result_gpoint *gpoints;
	size_t nr_gpoints;
	unsigned int nr_hosts;
};

/**
 * struct fa_parse_error - where and why a file was refused
 * @line, @column:	1-based; 0 when the error has no place (foreign JSON)
 * @reason:		what was wrong
 */
struct fa_parse_error {
	unsigned int line, column;
	char reason[256];
};

/**
 * fa_results_parse() - read a result file's contents into rows
 * @buf, @len:		the file's bytes
 * @default_host:	host of rows whose file does not name one
 * @out:		filled on success; fa_result_file_free() it
 * @err:		filled on failure
 *
 * Return: 0; -EINVAL when the file is not valid JSON (@err has the line
 * and column) or not a kind this parser knows (@err says why); -ENOMEM.
 */
int fa_results_parse(const char *buf, size_t len, const char *default_host,
		     struct fa_result_file *out, struct fa_parse_error *err);

/** fa_result_file_free() - free the rows of @f and clear it */
void fa_result_file_free(struct fa_result_file *f);

/**
 * fa_results_hash() - content hash of a file, to recognise it again
 *
 * FNV-1a 64 and CRC-32C of the bytes and the length, as 32 hex digits:
 * not cryptographic, but two different result files do not collide in
 * practice.
 */
void fa_results_hash(const void *buf, size_t len,
		     char out[FA_RESULT_HASH_LEN]);

/**
 * fa_results_engine_name() - "external:/x/atomic-uring.so" ->
 * "atomic-uring"; other names are copied
 */
void fa_results_engine_name(const char *ioengine, char *out, size_t len);

/**
 * fa_results_parse_bs() - fio's bs= value of one direction in bytes
 * @s:		"4k", "16384", "4k,64k" (read,write[,trim]), "1m"
 * @dir:	0 read, 1 write, 2 trim
 *
 * Return: 0 and *@out; -EINVAL when @s is not a size.
 */
int fa_results_parse_bs(const char *s, int dir, uint64_t *out);

#endif /* FA_RESULTS_H */
