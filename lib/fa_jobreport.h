/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the per-job report every engine writes (format
 * "fio-atomic-job-report", version 2; the reader takes 1 and 2): the run
 * context (fa_context.h; version 2), what the job was, the target and
 * the limits in force with their sources, the validation verdict, the
 * per-rule conformance counts and the tear counts. Its writer (used by
 * the engines) and its reader (used by qualify and report) live here, so
 * there is one schema in one place. No fio, no printing.
 *
 * The schema is documented in docs/job-report.md; a reader refuses a
 * newer version than it knows.
 */
#ifndef FA_JOBREPORT_H
#define FA_JOBREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_context.h"
#include "fa_scan.h"

struct json_object;

#define FA_JR_FORMAT		"fio-atomic-job-report"
#define FA_JR_VERSION		2
#define FA_JR_MAX_LIMITS	16
#define FA_JR_MAX_RULES		16
#define FA_JR_TEXT_LEN		256
#define FA_JR_PATH_LEN		4096

/* How a device or the kernel said no to one write. */
enum fa_rejection_kind {
	FA_REJ_NONE = 0,
	FA_REJ_ERRNO,		/* the kernel's errno */
	FA_REJ_SENSE,		/* SCSI CHECK CONDITION with sense data */
	FA_REJ_NVME,		/* an NVMe completion status */
};

/**
 * struct fa_rejection - the last refusal of one rule's writes
 * @kind:	which of the fields below is set
 * @err:	a positive errno (FA_REJ_ERRNO, and alongside the others
 *		when the engine mapped the failure to one)
 * @sense_key, @asc, @ascq: FA_REJ_SENSE
 * @nvme_status: FA_REJ_NVME: status field (SCT << 8 | SC, with DNR/MORE)
 * @text:	decoded, one line ("Invalid argument", "ILLEGAL REQUEST /
 *		INVALID FIELD IN CDB ...")
 */
struct fa_rejection {
	enum fa_rejection_kind kind;
	int err;
	uint8_t sense_key, asc, ascq;
	int nvme_status;
	char text[FA_JR_TEXT_LEN];
};

/**
 * struct fa_conf_rule - conformance counts of one rule
 * @rule:	the rule's name ("pow2", "alignment", "granularity", ...)
 * @enforced:	the kernel or device is expected to refuse such writes;
 *		false for a guarantee the device neither checks nor reports
 *		(an NVMe write beyond AWUPF completes, outside the guarantee)
 * @sent:	illegal writes sent
 * @rejected:	refused (for an unenforced rule: failed)
 * @accepted:	completed without error
 * @last:	the last refusal
 */
struct fa_conf_rule {
	char rule[32];
	bool enforced;
	uint64_t sent;
	uint64_t rejected;
	uint64_t accepted;
	struct fa_rejection last;
};

/**
 * fa_conf_rule_count() - account one illegal write of rule @r
 * @why:	NULL when it completed, else how it was refused
 */
void fa_conf_rule_count(struct fa_conf_rule *r, const struct fa_rejection *why);

/** fa_rejection_errno() - an errno refusal, with strerror() as its text */
void fa_rejection_errno(struct fa_rejection *why, int err);

/* One limit in force, its unit ("bytes", "segments"), where it was read. */
struct fa_jr_limit {
	char name[48];
	uint64_t value;
	char unit[16];
	char origin[320];
};

enum fa_jr_verdict {
	FA_JR_NOT_CHECKED = 0,	/* atomic_validate=off or plain writes */
	FA_JR_ACCEPTED,		/* every write the job can produce is legal */
	FA_JR_REFUSED,		/* refused before the first write */
};

/**
 * struct fa_jr_refusal - why a job was refused
 * @rule:	the rule ("pow2", "in_use", ...)
 * @value:	the offending value (a length, an offset), 0 when none
 * @limit:	the limit it broke, as text ("4096..1048576")
 * @source:	where the limit came from ("statx on /mnt/f")
 * @message:	the whole sentence the engine logged
 * @err:	the errno fio's JSON shows for the job
 */
struct fa_jr_refusal {
	char rule[32];
	uint64_t value;
	char limit[64];
	char source[320];
	char message[1024];
	int err;
};

/**
 * struct fa_jr_tear - tear_check=1
 * @block:	stamp block, bytes
 * @stamped_writes, @acked_writes, @checked_reads, @torn_reads: counts
 * @ack_log:	the job's acknowledged-write log ("" when none)
 * @reads:	every unit of every checked read
 */
struct fa_jr_tear {
	uint32_t block;
	uint64_t stamped_writes;
	uint64_t acked_writes;
	uint64_t checked_reads;
	uint64_t torn_reads;
	char ack_log[FA_JR_PATH_LEN];
	struct fa_scan_counts reads;
};

/**
 * struct fa_jobreport - one job of one fio run, through one engine
 *
 * Strings are "" when not known. @target is the first file the job
 * opened: the one whose limits are in @limits.
 */
struct fa_jobreport {
	int version;
	char engine[32];
	char mode[32];
	char fio_version[32];
	char tool_version[64];

	char job[128];
	int thread;
	int pid;
	char rw[32];
	uint64_t bs_min, bs_max;
	unsigned int iodepth;
	char started[32];		/* ISO 8601, UTC */
	char finished[32];		/* "" while the job runs */

	char hostname[128];
	char kernel[128];

	char target[FA_JR_PATH_LEN];
	char kind[16];			/* file, block, sg, ng, other */
	char device[64];		/* e.g. "sda", "nvme0n1", "7:0" */
	unsigned int nr_files;

	struct fa_jr_limit limits[FA_JR_MAX_LIMITS];
	int nr_limits;

	char validate[16];		/* strict, off */
	bool atomic;			/* writes carried the atomic flag */
	enum fa_jr_verdict verdict;
	struct fa_jr_refusal refusal;	/* FA_JR_REFUSED */
	uint64_t atomic_writes;
	uint64_t refused_writes;	/* strict: refused one by one */

	struct fa_conf_rule rules[FA_JR_MAX_RULES];
	int nr_rules;

	bool tear_checked;
	struct fa_jr_tear tear;

	struct fa_runctx context;	/* version 2; !present in version 1 */
};

/** fa_jobreport_init() - zero @r and fill the host and kernel */
void fa_jobreport_init(struct fa_jobreport *r);

/** fa_jobreport_now() - the current time, ISO 8601 UTC, in @buf */
void fa_jobreport_now(char *buf, size_t len);

/**
 * fa_jobreport_add_limit() - record one limit in force, in bytes, or in
 * segments when its name ends in "segments_max"
 * Return: 0, or -ENOSPC when @r has FA_JR_MAX_LIMITS already.
 */
int fa_jobreport_add_limit(struct fa_jobreport *r, const char *name,
			   uint64_t value, const char *origin);

/** fa_jobreport_verdict_name() - "accepted", "refused", "not_checked" */
const char *fa_jobreport_verdict_name(enum fa_jr_verdict v);

/**
 * fa_jobreport_json() - @r as a JSON object (the caller puts it)
 * Return: the object, or NULL when out of memory.
 */
struct json_object *fa_jobreport_json(const struct fa_jobreport *r);

/**
 * fa_jobreport_write() - write @r to @path, whole or not at all (a
 * temporary file beside it, renamed over it)
 * Return: 0 or -errno.
 */
int fa_jobreport_write(const char *path, const struct fa_jobreport *r);

/**
 * fa_jobreport_parse() - read a report
 * @buf, @len:	the file's bytes
 * @r:		filled (tear examples and mismatch details are not read back)
 * @why, @why_len: receives the reason on failure
 *
 * Return: 0; -EINVAL for text that is not JSON or not such a report
 * (another format, a field of the wrong type); -EPROTONOSUPPORT for a
 * newer version than this reader knows.
 */
int fa_jobreport_parse(const char *buf, size_t len, struct fa_jobreport *r,
		       char *why, size_t why_len);

/**
 * fa_jobreport_from_json() - fa_jobreport_parse() on a parsed document
 * (the results reader's, which takes job reports among other files)
 */
int fa_jobreport_from_json(struct json_object *root, struct fa_jobreport *r,
			   char *why, size_t why_len);

/**
 * fa_jobreport_load() - read and parse the report in @path
 * Return: 0, -errno when it cannot be read, or fa_jobreport_parse()'s.
 */
int fa_jobreport_load(const char *path, struct fa_jobreport *r, char *why,
		      size_t why_len);

/**
 * fa_jobreport_context_limits() - the context's limits of @r: unit_min,
 * unit_max, unit_max_opt and segments_max of the limits in force, else
 * what a passthrough engine checks against (the logical block, NVMe's
 * unit_max, SCSI's MAXIMUM ATOMIC TRANSFER LENGTH)
 */
void fa_jobreport_context_limits(const struct fa_jobreport *r,
				 struct fa_runctx_limits *l);

/**
 * fa_jobreport_context_add() - add "context" (null when @r has none) to
 * the report object @root. Return: 0 or -ENOMEM.
 */
int fa_jobreport_context_add(struct json_object *root,
			     const struct fa_jobreport *r);

/**
 * fa_jobreport_context_read() - read "context" of @root into @r
 * Return: 0, or -EINVAL with the member of the wrong type in @bad_key.
 */
int fa_jobreport_context_read(struct json_object *root,
			      struct fa_jobreport *r, const char **bad_key);

/**
 * fa_jobreport_rule() - the counts of @rule in @r, or NULL
 */
const struct fa_conf_rule *fa_jobreport_rule(const struct fa_jobreport *r,
					     const char *rule);

#endif /* FA_JOBREPORT_H */
