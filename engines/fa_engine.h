/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: fio glue shared by the RWF_ATOMIC engines: the job check run
 * before the first write, the per-write check, the conformance counters and
 * the end-of-job report. Everything that is not fio glue lives in lib/.
 */
#ifndef FA_ENGINE_H
#define FA_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "fio.h"
#include "optgroup.h"

#include "../lib/fa_limits.h"

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
	unsigned int fixedbufs

struct fa_engine_opts {
	FA_ENGINE_OPTS_FIELDS;
};

#define FA_ENGINE_COMMON_OPTIONS(opts_type, grp)				\
	{								\
		.name	= "atomic_validate",				\
		.lname	= "Atomic write validation",			\
		.type	= FIO_OPT_STR,					\
		.off1	= offsetof(opts_type, validate),			\
		.help	= "Check every write against the atomic write rules before it is sent", \
		.def	= "strict",					\
		.posval = {						\
			{ .ival = "strict",				\
			  .oval = FA_VALIDATE_STRICT,			\
			  .help = "Refuse a job that can produce an illegal atomic write, before writing", \
			},						\
			{ .ival = "off",				\
			  .oval = FA_VALIDATE_OFF,			\
			  .help = "Send illegal writes on purpose and count the kernel's rejections per rule", \
			},						\
		},							\
		.category = FIO_OPT_C_ENGINE,				\
		.group	= grp,						\
	},								\
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

/* What a conformance run (atomic_validate=off) saw, per broken rule. */
struct fa_conformance {
	uint64_t sent[FA_RULE_NR];
	uint64_t rejected[FA_RULE_NR];
	uint64_t accepted[FA_RULE_NR];
	int last_errno[FA_RULE_NR];
};

/* Per-thread state shared by the engines; embedded in each engine's data. */
struct fa_engine {
	const char *name;
	struct fa_conformance conf;
	uint64_t atomic_writes;
	uint64_t refused;		/* strict mode: writes never sent */
};

/**
 * fa_engine_setup() - the engine's ->setup hook: check the job against the
 * limits of every file that already exists, then size the files as fio
 * would. Runs before fio lays out or writes anything.
 */
int fa_engine_setup(struct thread_data *td, const char *engine);

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

/** fa_engine_report() - log the conformance counters at the end of the job */
void fa_engine_report(struct thread_data *td, struct fa_engine *e);

/** fa_engine_opts() - the common options of the running engine */
static inline struct fa_engine_opts *fa_engine_opts(struct thread_data *td)
{
	return td->eo;
}

#endif /* FA_ENGINE_H */
