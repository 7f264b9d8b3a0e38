// SPDX-License-Identifier: GPL-2.0
/*
 * atomic-nvme: fio engine that sends NVMe Write and Read commands through a
 * namespace's generic char device (/dev/ngXnY) and keeps every write inside
 * the namespace's atomic guarantee.
 *
 * NVMe has no atomic write opcode and a device never says when a Write was
 * too long or crossed an atomic boundary, so the limits are read at setup
 * (Identify Controller, Identify Namespace, the Write Atomicity Normal
 * feature) and every write is checked against them: the whole job before
 * fio writes anything, each write again before it is submitted. With
 * atomic_validate=off the writes go out anyway and the engine counts, per
 * rule, how many were sent outside the guarantee.
 *
 * Two submission paths, chosen with nvme_mode=:
 *   uring_cmd   io_uring IORING_OP_URING_CMD with 128-byte SQEs and 32-byte
 *               CQEs (NVME_URING_CMD_IO); iodepth honoured, submission
 *               batched in ->commit, completions reaped in batches
 *   ioctl       NVME_IOCTL_IO64_CMD, one command at a time
 *
 *   queue() returns     when
 *   FIO_Q_COMPLETED     ioctl mode: always (io_u->error holds the errno);
 *                       uring_cmd mode: the write was refused, or cannot
 *                       be expressed as an NVMe command
 *   FIO_Q_QUEUED        uring_cmd mode: the SQE was prepared; ->commit
 *                       submits the batch
 *   FIO_Q_BUSY          uring_cmd mode: the submission queue is full
 *
 * An NVMe status in a completion is decoded to its name and meaning and
 * logged with the command's LBA and length.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_engine.h"
#include "fa_ring.h"
#include "../lib/fa_nvme.h"
#include "../lib/fa_util.h"

#define ENGINE		"atomic-nvme"
/* Per-I/O errors logged in full; later ones are only counted. */
#define MAX_LOGGED_ERRORS	16

enum nvme_mode {
	NVME_MODE_URING_CMD = 0,
	NVME_MODE_IOCTL,
};

struct nvme_options {
	FA_ENGINE_OPTS_FIELDS;	/* layout shared with fa_engine_job() */
	unsigned int unit;
	unsigned int fua;
	unsigned int nsid;
	unsigned int mode;
};

/* On each open file: its limits, and the rules precomputed from them. */
struct nvme_file {
	struct fa_nvme_atomic id;
	struct fa_nvme_rules rules;
};

struct nvme_data {
	struct fa_engine fa;		/* conformance and tear state */
	struct fa_ring r;		/* uring_cmd mode */
	uint64_t writes;
	uint64_t io_errors;
};

static struct fio_option options[] = {
	FA_VALIDATE_OPTION(struct nvme_options, FIO_OPT_G_INVALID,
		"Check every write against the namespace's atomic unit and boundary before it is sent",
		"Refuse a job that can produce a write outside the atomic guarantee, before writing",
		"Send such writes and count them per rule (the device reports nothing)"),
	{
		.name	= "atomic_unit",
		.lname	= "NVMe atomic write unit",
		.type	= FIO_OPT_STR,
		.off1	= offsetof(struct nvme_options, unit),
		.help	= "Which atomic write unit and boundary writes must fit",
		.def	= "powerfail",
		.posval = {
			{ .ival = "powerfail",
			  .oval = FA_NVME_UNIT_POWERFAIL,
			  .help = "AWUPF/NAWUPF and NABSPF: atomic across power failure",
			},
			{ .ival = "normal",
			  .oval = FA_NVME_UNIT_NORMAL,
			  .help = "AWUN/NAWUN and NABSN: atomic against other commands (the power-fail unit when Disable Normal is set)",
			},
		},
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "fua",
		.lname	= "Force Unit Access",
		.type	= FIO_OPT_BOOL,
		.off1	= offsetof(struct nvme_options, fua),
		.help	= "Set FUA (CDW12 bit 30) on writes",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "nsid",
		.lname	= "Namespace identifier",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct nvme_options, nsid),
		.help	= "Namespace the file must be (0: the char device's own, from NVME_IOCTL_ID)",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "nvme_mode",
		.lname	= "NVMe passthrough submission",
		.type	= FIO_OPT_STR,
		.off1	= offsetof(struct nvme_options, mode),
		.help	= "How commands reach the device",
		.def	= "uring_cmd",
		.posval = {
			{ .ival = "uring_cmd",
			  .oval = NVME_MODE_URING_CMD,
			  .help = "io_uring IORING_OP_URING_CMD, SQE128/CQE32 (iodepth honoured)",
			},
			{ .ival = "ioctl",
			  .oval = NVME_MODE_IOCTL,
			  .help = "NVME_IOCTL_IO64_CMD, synchronous",
			},
		},
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	FA_TEAR_OPTIONS(struct nvme_options, FIO_OPT_G_INVALID),
	{
		.name	= NULL,
	},
};

/*
 * The writes are atomic ones unless atomic_validate=off lets them leave
 * the guarantee: NVMe Write has no atomic flag of its own.
 */
static bool nvme_atomic(struct thread_data *td)
{
	struct nvme_options *o = td->eo;

	return o->validate != FA_VALIDATE_OFF;
}

/* The target and Identify's atomic fields, in bytes, for the report. */
static void nvme_report_limits(struct thread_data *td, struct fio_file *f,
			       const struct fa_nvme_atomic *id)
{
	struct nvme_options *o = td->eo;
	uint64_t lbs = fa_nvme_lba_size(id);
	struct fa_nvme_rules rules;
	char origin[320], blk[300];
	const char *p;

	if (fa_nvme_block_path(f->file_name, blk, sizeof(blk)))
		blk[0] = '\0';
	p = strrchr(blk, '/');
	if (!fa_report_target(td, f->file_name, "ng", p ? p + 1 : blk))
		return;
	snprintf(origin, sizeof(origin), "NVMe Identify of %s",
		 f->file_name);
	fa_report_limit(td, "logical_block", lbs, origin);
	/* 0's based in blocks; 0 means one block */
	fa_report_limit(td, "awun", (id->awun + 1ULL) * lbs, origin);
	fa_report_limit(td, "awupf", (id->awupf + 1ULL) * lbs, origin);
	if (id->nsfeat & 0x2) {
		fa_report_limit(td, "nawun", (id->nawun + 1ULL) * lbs, origin);
		fa_report_limit(td, "nawupf", (id->nawupf + 1ULL) * lbs,
				origin);
		fa_report_limit(td, "nabsn", (id->nabsn + 1ULL) * lbs, origin);
		fa_report_limit(td, "nabo", id->nabo * lbs, origin);
		fa_report_limit(td, "nabspf", (id->nabspf + 1ULL) * lbs,
				origin);
	}
	fa_nvme_rules_init(id, o->unit, &rules);
	fa_report_limit(td, "unit_max", rules.unit_blocks * lbs, origin);
	if (rules.boundary_blocks)
		fa_report_limit(td, "boundary", rules.boundary_blocks * lbs,
				origin);
}

/*
 * Identify @f and check everything the job will do to it. Runs at setup,
 * before fio writes anything, and again at open (kept on the file).
 */
static int nvme_identify_file(struct thread_data *td, struct fio_file *f,
			      struct fa_nvme_atomic *id)
{
	struct nvme_options *o = td->eo;
	char why[1024];
	struct stat st;
	int ret;

	if (stat(f->file_name, &st))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "target", .err = errno },
				 ENGINE ": %s: %s", f->file_name,
				 strerror(errno));
	if (!S_ISCHR(st.st_mode))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "target", .err = ENOTTY },
				 ENGINE ": %s is not an NVMe generic char device: use the namespace's /dev/ngXnY (for /dev/nvmeXnY)",
				 f->file_name);
	ret = fa_nvme_identify(f->file_name, id, why, sizeof(why));
	if (ret)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "limits", .err = -ret },
				 ENGINE ": %s", why);
	if (o->nsid && o->nsid != id->nsid)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "options", .err = EINVAL },
				 ENGINE ": nsid=%u, but %s is namespace %" PRIu32 " (NVME_IOCTL_ID), and the kernel refuses commands for another namespace on it",
				 o->nsid, f->file_name, id->nsid);
	if (id->ms)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "target", .err = EINVAL },
				 ENGINE ": %s is formatted with %u metadata bytes per block (LBA format %u, flbas=0x%02x), and " ENGINE " sends no metadata",
				 f->file_name, id->ms, id->lbaf, id->flbas);
	nvme_report_limits(td, f, id);
	return 0;
}

/*
 * The guard of the RWF_ATOMIC engines, on the namespace's block device:
 * a namespace in use (mounted, held, partitioned, with a filesystem or
 * RAID signature) is not written without allow_mounted_write=1.
 */
static int nvme_guard(struct thread_data *td, struct fio_file *f)
{
	char blk[300];
	struct stat st;
	int ret;

	if (!td_write(td) || td->o.allow_mounted_write)
		return 0;
	ret = fa_nvme_block_path(f->file_name, blk, sizeof(blk));
	if (ret || stat(blk, &st) || !S_ISBLK(st.st_mode))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "in_use", .err = EBUSY },
				 ENGINE ": refusing to write: cannot check %s for a filesystem, as it has no block device %s (set allow_mounted_write=1 to write anyway)",
				 f->file_name, ret ? "named like it" : blk);
	return fa_engine_guard_blk(td, ENGINE, f->file_name, blk);
}

static int nvme_check_job(struct thread_data *td, struct fio_file *f,
			  const struct fa_nvme_atomic *id)
{
	struct nvme_options *o = td->eo;
	struct fa_nvme_verdict v;
	struct fa_job job;
	char msg[2048], source[320];
	enum fa_nvme_rule rule;

	if (fa_engine_job(td, NULL, &job, ENGINE))
		return 1;
	if (!job.nr_sizes)
		return 0;
	if (nvme_guard(td, f))
		return 1;
	if (o->validate == FA_VALIDATE_OFF)
		rule = fa_nvme_check_job_sendable(id, &job, &v, msg,
						  sizeof(msg));
	else
		rule = fa_nvme_check_job(id, o->unit, &job, &v, msg,
					 sizeof(msg));
	if (rule == FA_NVME_RULE_OK)
		return 0;
	snprintf(source, sizeof(source), "NVMe Identify of %s", f->file_name);
	if (!fa_nvme_rule_sendable(rule))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = fa_nvme_rule_name(rule),
					 .source = source, .err = ECANCELED },
				 ENGINE ": %s (rule %s: no NVMe command can carry it)",
				 msg, fa_nvme_rule_name(rule));
	return fa_refuse(td, &(struct fa_refusal_info){
				 .rule = fa_nvme_rule_name(rule),
				 .source = source, .err = ECANCELED },
			 ENGINE ": %s (rule %s; atomic_validate=off sends it anyway)",
			 msg, fa_nvme_rule_name(rule));
}

static int nvme_setup(struct thread_data *td)
{
	struct nvme_options *o = td->eo;
	struct fa_nvme_atomic id;
	struct fio_file *f;
	unsigned int i;

	/* The shared code's "atomic": writes within the guarantee. */
	o->rwf_atomic = nvme_atomic(td);
	if (fa_report_setup(td, ENGINE, o->mode == NVME_MODE_IOCTL ?
			    "nvme-ioctl" : "nvme-uring_cmd") ||
	    fa_tear_setup(td, ENGINE))
		return 1;
	/* Having a ->setup hook makes sizing the files our job. */
	for_each_file(td, f, i) {
		if (nvme_identify_file(td, f, &id) ||
		    nvme_check_job(td, f, &id))
			return 1;
		f->real_file_size = id.nsze << id.lbads;
		fio_file_set_size_known(f);
	}
	return 0;
}

static void nvme_uring_complete(struct thread_data *td, struct io_u *io_u,
				int res);

static int nvme_init(struct thread_data *td)
{
	struct nvme_data *nd;
	int rule;

	nd = calloc(1, sizeof(*nd));
	if (!nd)
		return 1;
	td->io_ops_data = nd;
	nd->fa.name = ENGINE;
	/* Outside the guarantee, not refused: the device checks none. */
	for (rule = FA_NVME_RULE_OK + 1; rule < FA_NVME_RULE_NR; rule++)
		fa_engine_rule_init(&nd->fa, rule, fa_nvme_rule_name(rule),
				    false);
	return fa_ring_alloc(&nd->r, td->o.iodepth, nvme_uring_complete);
}

static int nvme_post_init(struct thread_data *td)
{
	struct nvme_options *o = td->eo;
	struct nvme_data *nd = td->io_ops_data;
	struct io_uring_params p;
	int ret;

	if (o->mode != NVME_MODE_URING_CMD)
		return 0;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
	ret = fa_ring_init(&nd->r, &p);
	if (ret < 0) {
		log_err("fio: " ENGINE ": io_uring_queue_init with SQE128/CQE32: %s\n",
			strerror(-ret));
		td_verror(td, -ret, "io_uring_queue_init");
		return 1;
	}
	return 0;
}

static int nvme_open_file(struct thread_data *td, struct fio_file *f)
{
	struct nvme_options *o = td->eo;
	struct nvme_file *nf;
	int flags = O_CLOEXEC;

	nf = calloc(1, sizeof(*nf));
	if (!nf)
		return 1;
	/* The limits the writes are checked against are the ones open now. */
	if (nvme_identify_file(td, f, &nf->id) ||
	    nvme_check_job(td, f, &nf->id)) {
		free(nf);
		td_verror(td, ECANCELED, "NVMe atomic write limits");
		return 1;
	}
	fa_nvme_rules_init(&nf->id, o->unit, &nf->rules);
	/* Passthrough data never goes through the page cache: no O_DIRECT. */
	flags |= td_write(td) ? O_RDWR : O_RDONLY;
	f->fd = open(f->file_name, flags);
	if (f->fd < 0) {
		td_verror(td, errno, "open");
		free(nf);
		return 1;
	}
	FILE_SET_ENG_DATA(f, nf);
	return 0;
}

static int nvme_close_file(struct thread_data *td, struct fio_file *f)
{
	int ret = 0;

	free(FILE_ENG_DATA(f));
	FILE_SET_ENG_DATA(f, NULL);
	if (f->fd >= 0 && close(f->fd))
		ret = errno;
	f->fd = -1;
	return ret;
}

static void nvme_log_refusal(struct nvme_data *nd,
			     const struct fa_nvme_atomic *id,
			     const struct fa_nvme_verdict *v, struct io_u *io_u)
{
	char what[128], msg[1024];

	if (nd->fa.refused++)
		return;
	snprintf(what, sizeof(what), "%s of %llu bytes at offset %llu",
		 io_ddir_name(io_u->ddir),
		 (unsigned long long)io_u->xfer_buflen,
		 (unsigned long long)io_u->offset);
	fa_nvme_verdict_message(id, v, what, msg, sizeof(msg));
	log_err("fio: " ENGINE ": refused: %s\n", msg);
}

/* The command for @io_u, or an errno when it must not or cannot be sent. */
static int nvme_prep(struct thread_data *td, struct io_u *io_u,
		     struct fa_nvme_io *cmd)
{
	struct nvme_options *o = td->eo;
	struct nvme_data *nd = td->io_ops_data;
	const struct nvme_file *nf = FILE_ENG_DATA(io_u->file);
	struct fa_nvme_verdict v;
	enum fa_nvme_rule rule;

	memset(cmd, 0, sizeof(*cmd));
	cmd->nsid = nf->id.nsid;
	switch (io_u->ddir) {
	case DDIR_SYNC:
	case DDIR_DATASYNC:
		cmd->opcode = FA_NVME_CMD_FLUSH;
		return 0;
	case DDIR_READ:
	case DDIR_WRITE:
		break;
	default:
		return EINVAL;
	}
	rule = fa_nvme_rules_check(&nf->rules, io_u->offset,
				   io_u->xfer_buflen);
	if (!fa_nvme_rule_sendable(rule) ||
	    (rule != FA_NVME_RULE_OK && io_u->ddir == DDIR_WRITE &&
	     o->validate != FA_VALIDATE_OFF)) {
		/* The job check makes this rare (offsets of zone skips...) */
		fa_nvme_check_io(&nf->id, o->unit, io_u->offset,
				 io_u->xfer_buflen, &v);
		nvme_log_refusal(nd, &nf->id, &v, io_u);
		return EINVAL;
	}
	/* Stamped in logical blocks: the unit a device writes. */
	if (io_u->ddir == DDIR_WRITE && o->tear_check &&
	    fa_tear_stamp(td, &nd->fa, io_u, 1u << nf->rules.lbads))
		return EINVAL;
	cmd->opcode = io_u->ddir == DDIR_WRITE ? FA_NVME_CMD_WRITE :
						 FA_NVME_CMD_READ;
	cmd->slba = io_u->offset >> nf->rules.lbads;
	cmd->nr_blocks = (uint32_t)(io_u->xfer_buflen >> nf->rules.lbads);
	cmd->fua = io_u->ddir == DDIR_WRITE && o->fua;
	cmd->buf = io_u->xfer_buf;
	cmd->len = (uint32_t)io_u->xfer_buflen;
	return 0;
}

/* @status: 0, > 0 an NVMe status, < 0 -errno. */
static void nvme_complete(struct thread_data *td, struct io_u *io_u,
			  int status)
{
	struct nvme_options *o = td->eo;
	struct nvme_data *nd = td->io_ops_data;
	const struct nvme_file *nf = FILE_ENG_DATA(io_u->file);
	struct fa_nvme_status st;
	enum fa_nvme_rule rule;
	char msg[512];

	if (status > 0) {
		fa_nvme_status_decode(status, &st);
		io_u->error = st.errnum ? st.errnum : EIO;
	} else {
		io_u->error = -status;
	}
	if (status && nd->io_errors++ < MAX_LOGGED_ERRORS) {
		unsigned int shift = nf->rules.lbads;

		fa_nvme_status_message(status, msg, sizeof(msg));
		log_err("fio: " ENGINE ": %s of %llu blocks at LBA %llu (%llu bytes at offset %llu) on %s failed: %s%s\n",
			io_ddir_name(io_u->ddir),
			(unsigned long long)(io_u->xfer_buflen >> shift),
			(unsigned long long)(io_u->offset >> shift),
			(unsigned long long)io_u->xfer_buflen,
			(unsigned long long)io_u->offset, io_u->file->file_name,
			msg,
			nd->io_errors == MAX_LOGGED_ERRORS ? " (further errors are only counted)" : "");
	}
	if (!status && o->tear_check)
		fa_tear_complete(td, &nd->fa, io_u, 1u << nf->rules.lbads);
	if (io_u->ddir != DDIR_WRITE)
		return;
	nd->writes++;
	if (o->validate != FA_VALIDATE_OFF) {
		nd->fa.atomic_writes++;
		return;
	}
	rule = fa_nvme_rules_check(&nf->rules, io_u->offset,
				   io_u->xfer_buflen);
	if (rule == FA_NVME_RULE_OK)
		return;
	if (status) {
		struct fa_rejection why;

		fa_rejection_errno(&why, io_u->error);
		if (status > 0) {
			why.kind = FA_REJ_NVME;
			why.nvme_status = status;
		}
		fa_nvme_status_message(status, why.text, sizeof(why.text));
		fa_conf_rule_count(&nd->fa.rules[rule], &why);
	} else {
		fa_conf_rule_count(&nd->fa.rules[rule], NULL);
	}
}

static enum fio_q_status nvme_queue_ioctl(struct thread_data *td,
					  struct io_u *io_u,
					  const struct fa_nvme_io *cmd)
{
	struct nvme_passthru_cmd64 pt;
	int ret;

	fa_nvme_build_passthru(cmd, &pt);
	if (fio_fill_issue_time(td))
		fio_gettime(&io_u->issue_time, NULL);
	ret = ioctl(io_u->file->fd, NVME_IOCTL_IO64_CMD, &pt);
	nvme_complete(td, io_u, ret < 0 ? -errno : ret);
	return FIO_Q_COMPLETED;
}

static enum fio_q_status nvme_queue_uring(struct thread_data *td,
					  struct io_u *io_u,
					  const struct fa_nvme_io *cmd)
{
	struct nvme_data *nd = td->io_ops_data;
	struct io_uring_sqe *sqe;

	sqe = fa_ring_sqe(&nd->r);
	if (!sqe)
		return FIO_Q_BUSY;
	/*
	 * A 128-byte SQE: the command area starts at byte 48 (sqe->cmd)
	 * and is cleared by the encoder; the fields before it here.
	 */
	memset(sqe, 0, offsetof(struct io_uring_sqe, cmd));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = io_u->file->fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	fa_nvme_build_uring(cmd, (struct nvme_uring_cmd *)sqe->cmd);
	fa_ring_prepared(&nd->r, sqe, io_u);
	return FIO_Q_QUEUED;
}

static enum fio_q_status nvme_queue(struct thread_data *td, struct io_u *io_u)
{
	struct nvme_options *o = td->eo;
	struct fa_nvme_io cmd;
	int err;

	fio_ro_check(td, io_u);

	err = nvme_prep(td, io_u, &cmd);
	if (err) {
		io_u->error = err;
		return FIO_Q_COMPLETED;
	}
	if (o->mode == NVME_MODE_IOCTL)
		return nvme_queue_ioctl(td, io_u, &cmd);
	return nvme_queue_uring(td, io_u, &cmd);
}

static void nvme_uring_complete(struct thread_data *td, struct io_u *io_u,
				int res)
{
	/* res: 0, an NVMe status (> 0), or -errno. */
	nvme_complete(td, io_u, res);
}

static int nvme_commit(struct thread_data *td)
{
	struct nvme_data *nd = td->io_ops_data;

	return fa_ring_commit(td, &nd->r);
}

static int nvme_getevents(struct thread_data *td, unsigned int min,
			  unsigned int max, const struct timespec *t)
{
	struct nvme_data *nd = td->io_ops_data;

	(void)t;
	return fa_ring_getevents(td, &nd->r, min, max);
}

static struct io_u *nvme_event(struct thread_data *td, int event)
{
	struct nvme_data *nd = td->io_ops_data;

	return fa_ring_event(td, &nd->r, event);
}

/* Failed commands are logged up to a point; their number, always. */
static void nvme_report(struct thread_data *td, struct nvme_data *nd)
{
	struct nvme_options *o = td->eo;
	uint64_t outside = 0;
	int rule;

	if (nd->io_errors)
		log_err("fio: " ENGINE ": %s: %" PRIu64 " commands failed\n",
			td->o.name, nd->io_errors);
	if (o->validate != FA_VALIDATE_OFF)
		return;
	for (rule = FA_NVME_RULE_OK + 1; rule < nd->fa.nr_rules; rule++)
		outside += nd->fa.rules[rule].sent;
	fa_log_human(ENGINE ": %s: %" PRIu64 " writes, %" PRIu64 " outside the %s atomic guarantee\n",
		     td->o.name, nd->writes, outside,
		     fa_nvme_unit_name(o->unit));
}

static void nvme_cleanup(struct thread_data *td)
{
	struct nvme_data *nd = td->io_ops_data;

	if (!nd)
		return;
	nvme_report(td, nd);
	fa_report_finish(td, &nd->fa);
	fa_ring_free(&nd->r);
	free(nd);
	td->io_ops_data = NULL;
}

/* fio sizes the file through this when ->setup did not (e.g. verify). */
static int nvme_get_file_size(struct thread_data *td, struct fio_file *f)
{
	struct fa_nvme_atomic id;

	if (fio_file_size_known(f))
		return 0;
	if (nvme_identify_file(td, f, &id))
		return 1;
	f->real_file_size = id.nsze << id.lbads;
	fio_file_set_size_known(f);
	return 0;
}

/* External engines are found by this symbol name; see dlopen_ioengine(). */
FA_ENGINE_EXPORT struct ioengine_ops ioengine = {
	.name		= ENGINE,
	.version	= FIO_IOOPS_VERSION,
	.flags		= FIO_RAWIO | FIO_MEMALIGN | FIO_NOEXTEND |
			  FIO_NO_OFFLOAD | FIO_ASYNCIO_SETS_ISSUE_TIME |
			  FA_ENGINE_ATOMIC_FLAG,
	.setup		= nvme_setup,
	.init		= nvme_init,
	.post_init	= nvme_post_init,
	.queue		= nvme_queue,
	.commit		= nvme_commit,
	.getevents	= nvme_getevents,
	.event		= nvme_event,
	.cleanup	= nvme_cleanup,
	.open_file	= nvme_open_file,
	.close_file	= nvme_close_file,
	.get_file_size	= nvme_get_file_size,
	.options	= options,
	.option_struct_size = sizeof(struct nvme_options),
};
