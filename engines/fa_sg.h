/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what atomic-sg's files share: the engine's name and options,
 * and the checks made when the job is set up (fa_sg_check.c): the device's
 * capacity and Block Limits page, read and reported, the in-use guard and
 * the whole job against the device's rules.
 */
#ifndef FA_SG_H
#define FA_SG_H

#include <stdbool.h>

#include "fa_engine.h"
#include "../lib/fa_scsi.h"

#define ENGINE			"atomic-sg"

enum sg_mode {
	SG_MODE_SYNC = 0,
	SG_MODE_ASYNC,
};

struct sg_options {
	/* shared layout (fa_engine_job()); rwf_atomic holds write_atomic */
	FA_ENGINE_OPTS_FIELDS;
	unsigned int atomic_boundary;
	unsigned int fua;
	unsigned int dpo;
	unsigned int group_number;
	unsigned int timeout_ms;
	unsigned int mode;
};

static inline bool sg_is_atomic(struct thread_data *td)
{
	struct sg_options *o = td->eo;

	return o->rwf_atomic;
}

/* Rules no WRITE ATOMIC(16) can break: the CDB cannot say it. */
static inline bool sg_rule_sendable(enum fa_scsi_rule rule)
{
	return rule != FA_SCSI_RULE_BLOCK && rule != FA_SCSI_RULE_CDB;
}

/**
 * sg_probe_file() - read the device's capacity and Block Limits page
 * through a private descriptor, and report them
 * Return: 0, or 1 with the refusal logged and recorded.
 */
int sg_probe_file(struct thread_data *td, struct fio_file *f,
		  struct fa_scsi_dev *dev);

/**
 * sg_check_job() - the in-use guard, then every write the job can
 * produce against the device's rules
 * Return: 0, or 1 with the refusal logged and recorded.
 */
int sg_check_job(struct thread_data *td, struct fio_file *f,
		 const struct fa_scsi_dev *dev);

#endif /* FA_SG_H */
