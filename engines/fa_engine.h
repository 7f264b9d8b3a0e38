/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: fio glue shared by the RWF_ATOMIC engines: the job check run
 * before the first write, the per-write check, the conformance counters and
 * the end-of-job report; and by all four engines: tear checking (the
 * options, stamps, read classification and its report). Everything that is
 * not fio glue lives in lib/.
 */
#ifndef FA_ENGINE_H
#define FA_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "fio.h"
#include "optgroup.h"

#include "../lib/fa_jobreport.h"
#include "../lib/fa_limits.h"
#include "../lib/fa_scan.h"

/* Kernel headers older than 6.11 (Debian 12 ships 6.1) lack these. */
#ifndef RWF_ATOMIC
#define RWF_ATOMIC	0x00000040
#endif

/*
 * fio 3.38 added the atomic= option and the FIO_ATOMICWRITES engine flag in
 * the same change that defined FIO_HAVE_RWF_ATOMIC; older trees have none.
 */
#ifdef FIO_HAVE_RWF_ATOMIC
#define FA_ENGINE_ATOMIC_FLAG	FIO_ATOMICWRITES
#else
#define FA_ENGINE_ATOMIC_FLAG	0
#endif

/* Engines are built with -fvisibility=hidden; only this is exported. */
#define FA_ENGINE_EXPORT __attribute__((visibility("default")))

enum fa_validate {
	FA_VALIDATE_STRICT = 0,
	FA_VALIDATE_OFF,
};

/*
 * Options every RWF_ATOMIC engine has. An engine's option struct starts
 * with these, in this order, so the shared code can read them through
 * struct fa_engine_opts.
 */
#define FA_ENGINE_OPTS_FIELDS		\
	void *pad;			\
	unsigned int validate;		\
	unsigned int rwf_atomic;	\
	unsigned int fixedbufs;		\
	unsigned int tear_check;	\
	char *atomic_report;		\
	char *tear_ack_log;		\
	/* not options: the job's report, set up by ->setup */	\
	struct fa_jobreport *report;	\
	char report_path[PATH_MAX]

struct fa_engine_opts {
	FA_ENGINE_OPTS_FIELDS;
};

/*
 * atomic_validate, for every engine's option table; only the help texts
 * differ: what the rules are checked against, and what "off" counts.
 */
#define FA_VALIDATE_OPTION(opts_type, grp, help_text, strict_help,	\
			   off_help)					\
	{								\
		.name	= "atomic_validate",				\
		.lname	= "Atomic write validation",			\
		.type	= FIO_OPT_STR,					\
		.off1	= offsetof(opts_type, validate),			\
		.help	= help_text,					\
		.def	= "strict",					\
		.posval = {						\
			{ .ival = "strict",				\
			  .oval = FA_VALIDATE_STRICT,			\
			  .help = strict_help,				\
			},						\
			{ .ival = "off",				\
			  .oval = FA_VALIDATE_OFF,			\
			  .help = off_help,				\
			},						\
		},							\
		.category = FIO_OPT_C_ENGINE,				\
		.group	= grp,						\
	}

#define FA_ENGINE_COMMON_OPTIONS(opts_type, grp)				\
	FA_VALIDATE_OPTION(opts_type, grp,				\
		"Check every write against the atomic write rules before it is sent", \
		"Refuse a job that can produce an illegal atomic write, before writing", \
		"Send illegal writes on purpose and count the kernel's rejections per rule"), \
	{								\
		.name	= "rwf_atomic",					\
		.lname	= "Set RWF_ATOMIC on writes",			\
		.type	= FIO_OPT_BOOL,					\
		.off1	= offsetof(opts_type, rwf_atomic),			\
		.help	= "Set RWF_ATOMIC on writes (0: plain writes, to measure the engine against fio's own engines)", \
		.def	= "1",						\
		.category = FIO_OPT_C_ENGINE,				\
		.group	= grp,						\
	}

/* tear_check, atomic_report and tear_ack_log, for every engine's table. */
#define FA_TEAR_OPTIONS(opts_type, grp)					\
	{								\
		.name	= "tear_check",					\
		.lname	= "Stamp writes and classify reads",		\
		.type	= FIO_OPT_BOOL,					\
		.off1	= offsetof(opts_type, tear_check),		\
		.help	= "Stamp every block of every write (generation, unit, crc32c); classify every read unit as intact, torn or unwritten", \
		.def	= "0",						\
		.category = FIO_OPT_C_ENGINE,				\
		.group	= grp,						\
	},								\
	{								\
		.name	= "atomic_report",				\
		.alias	= "tear_report",				\
		.lname	= "Job report file",				\
		.type	= FIO_OPT_STR_STORE,				\
		.off1	= offsetof(opts_type, atomic_report),		\
		.help	= "JSON report of this job: target, limits, validation, conformance and tear counts; $jobname and $jobnum name the job (default: <job>.<n>.<time>-<pid>.atomic.json beside --output, else in the working directory)", \
		.def	= "",						\
		.category = FIO_OPT_C_ENGINE,				\
		.group	= grp,						\
	},								\
	{								\
		.name	= "tear_ack_log",				\
		.lname	= "Acknowledged-write log",			\
		.type	= FIO_OPT_STR_STORE,				\
		.off1	= offsetof(opts_type, tear_ack_log),		\
		.help	= "Log every write completed without error to PATH.<job>.<n> (fa_acklog.h records), for fio-atomic tearscan --acks after a power cut (needs tear_check=1)", \
		.def	= "",						\
		.category = FIO_OPT_C_ENGINE,				\
		.group	= grp,						\
	}

/* tear_check=1: what this job stamped and what its reads saw. */
struct fa_tear {
	uint64_t generation;		/* last one used; unique per write */
	uint64_t stamped_writes;
	uint64_t checked_reads;
	uint64_t torn_reads;
	uint32_t unit;			/* read unit, bytes (0: per read) */
	uint32_t block;			/* stamp block, bytes */
	struct fa_scan_counts reads;	/* every unit of every read */
	int ack_fd;			/* tear_ack_log, when ack_open */
	bool ack_open;
	char ack_path[PATH_MAX];	/* the job's own tear_ack_log */
	uint64_t acked_writes;
};

/* Per-thread state shared by the engines; embedded in each engine's data. */
struct fa_engine {
	const char *name;
	/* atomic_validate=off: per rule of the engine, by its rule number */
	struct fa_conf_rule rules[FA_JR_MAX_RULES];
	int nr_rules;
	uint64_t atomic_writes;
	uint64_t refused;		/* strict mode: writes never sent */
	struct fa_tear tear;
};

/**
 * fa_engine_setup() - the engine's ->setup hook: check the job against the
 * limits of every file that already exists, then size the files as fio
 * would. Runs before fio lays out or writes anything.
 */
int fa_engine_setup(struct thread_data *td, const char *engine,
		    const char *mode);

/**
 * fa_engine_job() - every write @td can produce: the lengths from bs,
 * bsrange and bssplit, and the alignment every offset has (for @f, or the
 * job's start offset when @f is NULL). For engines with rules of their own.
 * Return: 0, or 1 when the job has too many distinct sizes: it is refused
 * (E2BIG, logged and in the report), for the hook to return.
 */
int fa_engine_job(struct thread_data *td, struct fio_file *f,
		  struct fa_job *job, const char *engine);

/**
 * fa_engine_guard_blk() - the in-use guard of a passthrough engine, on the
 * block device @blk behind its node @node: a device in use (mounted, held,
 * partitioned, with a filesystem or RAID signature) refuses the job, as
 * does one that cannot be examined. For the caller to skip when the job
 * does not write or has allow_mounted_write=1.
 * Return: 0 to go on, or fa_refuse()'s 1.
 */
int fa_engine_guard_blk(struct thread_data *td, const char *engine,
			const char *node, const char *blk);

/**
 * fa_engine_open_file() - open @f and attach its limits; checks the job
 * against them when setup could not (the file did not exist yet).
 */
int fa_engine_open_file(struct thread_data *td, struct fio_file *f,
			const char *engine);

/**
 * fa_engine_attach_limits() - discover @f's limits, check the job against
 * them and keep them on the file for the per-write checks. Idempotent.
 */
int fa_engine_attach_limits(struct thread_data *td, struct fio_file *f,
			    const char *engine);

/** fa_engine_detach_limits() - free what fa_engine_attach_limits() kept */
void fa_engine_detach_limits(struct fio_file *f);

/** fa_engine_close_file() - free the limits and close @f */
int fa_engine_close_file(struct thread_data *td, struct fio_file *f);

/**
 * fa_engine_prep_write() - decide whether this write may be sent
 * Return: 0 to send it; -EINVAL (or -EOPNOTSUPP) when strict validation
 * refuses it, after logging why.
 */
int fa_engine_prep_write(struct thread_data *td, struct fa_engine *e,
			 struct io_u *io_u);

/** fa_engine_complete() - account a finished write; @err is a positive errno */
void fa_engine_complete(struct thread_data *td, struct fa_engine *e,
			struct io_u *io_u, int err);

/**
 * fa_tear_stamp() - tear_check=1: stamp every @block bytes of a write's
 * buffer with a new generation. Engines call it right before sending.
 * Return: 0, or -EINVAL for a geometry that cannot be stamped (logged).
 */
int fa_tear_stamp(struct thread_data *td, struct fa_engine *e,
		  struct io_u *io_u, uint32_t block);

/**
 * fa_tear_check_read() - tear_check=1: classify every unit of a completed
 * read (unit = the read's length) as intact, torn or unwritten.
 */
void fa_tear_check_read(struct thread_data *td, struct fa_engine *e,
			struct io_u *io_u, uint32_t block);

/**
 * fa_tear_complete() - tear_check=1: a command finished without error:
 * classify a read's units (@block bytes per stamp), log a write in
 * tear_ack_log. Engines call it before fio sees the completion.
 */
void fa_tear_complete(struct thread_data *td, struct fa_engine *e,
		      struct io_u *io_u, uint32_t block);

/**
 * fa_tear_setup() - refuse tear_check with fio's verify (both own the
 * write buffer's contents), and tear_ack_log without tear_check. Called
 * from the ->setup hook.
 */
int fa_tear_setup(struct thread_data *td, const char *engine);

/**
 * fa_tear_finish() - tear_check=1: log what the job stamped and what its
 * reads saw, and close the acknowledged-write log
 */
void fa_tear_finish(struct thread_data *td, struct fa_engine *e);

/* --- the job report (fa_report.c) ------------------------------------ */

/**
 * fa_log_human() - an end-of-job line for people: logged through fio
 * (so --output has it) only when fio's output format includes "normal"
 */
void fa_log_human(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** fa_report_of() - the job's report, NULL before setup or after cleanup */
struct fa_jobreport *fa_report_of(struct thread_data *td);

/**
 * fa_report_setup() - from the ->setup hook: create the job's report file
 * (atomic_report=, or a new default name) and fill in the job
 * @mode:	the engine's submission path ("pwritev2", "sg-async", ...)
 * Return: 0, or 1 with the job's error set when the file cannot be made.
 */
int fa_report_setup(struct thread_data *td, const char *engine,
		    const char *mode);

/** fa_report_write() - write the report as it stands; 1 on failure */
int fa_report_write(struct thread_data *td);

/**
 * fa_report_target() - name the job's target (the first file opened)
 * Return: true when @path became the target: the caller then records its
 * limits with fa_report_limit().
 */
bool fa_report_target(struct thread_data *td, const char *path,
		      const char *kind, const char *device);

/** fa_report_limit() - one limit in force on the target, in bytes */
void fa_report_limit(struct thread_data *td, const char *name, uint64_t value,
		     const char *origin);

/**
 * struct fa_refusal_info - why a job is refused before its first write
 * @rule:	a rule name, or "in_use", "limits", "options", "target"
 * @value, @limit, @source: the value, the limit it broke (text) and where
 *		the limit came from; 0 / NULL when they do not apply
 * @err:	the job's error in fio's output: ECANCELED for a broken
 *		atomic write rule, EBUSY for a device in use, EINVAL for
 *		conflicting options, else the errno of what failed
 */
struct fa_refusal_info {
	const char *rule;
	uint64_t value;
	const char *limit;
	const char *source;
	int err;
};

/**
 * fa_refuse() - refuse the job: log "fio: <message>", set the job's
 * error, record the refusal in the report and write it
 * Return: 1, for the hook to return.
 */
int fa_refuse(struct thread_data *td, const struct fa_refusal_info *why,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * fa_engine_rule_init() - name conformance rule @rule of the engine (its
 * own rule number; 0 is "ok", never counted)
 * @enforced:	the device refuses such writes (false: NVMe, outside the
 *		guarantee but not checked)
 */
void fa_engine_rule_init(struct fa_engine *e, int rule, const char *name,
			 bool enforced);

/**
 * fa_report_finish() - from ->cleanup: the tear summary, the conformance
 * lines, and the final report
 */
void fa_report_finish(struct thread_data *td, struct fa_engine *e);

/** fa_engine_rules_rwf() - the RWF_ATOMIC engines' conformance rules */
void fa_engine_rules_rwf(struct fa_engine *e);

/** fa_engine_opts() - the common options of the running engine */
static inline struct fa_engine_opts *fa_engine_opts(struct thread_data *td)
{
	return td->eo;
}

#endif /* FA_ENGINE_H */
