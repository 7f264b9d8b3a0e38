// SPDX-License-Identifier: GPL-2.0
/*
 * atomic-sg: fio engine that writes with SCSI WRITE ATOMIC(16) (SBC-4,
 * opcode 9Ch) through the SG_IO interface, on /dev/sgN or /dev/sdX.
 *
 * Reads are READ(16). Writes are WRITE ATOMIC(16) carrying atomic_boundary,
 * fua, dpo and group_number, or plain WRITE(16) with write_atomic=0 (to
 * measure the engine against fio's own sg engine). The device's rules come
 * from its Block Limits VPD page (B0h) and READ CAPACITY(16), read when the
 * job is set up: with the default atomic_validate=strict the whole job is
 * checked before fio writes anything (length a multiple of ATOMIC TRANSFER
 * LENGTH GRANULARITY, LBA a multiple of ATOMIC ALIGNMENT, length within
 * MAXIMUM ATOMIC TRANSFER LENGTH or, with a boundary, the boundary limits)
 * and each write again before it is sent. With atomic_validate=off illegal
 * writes go out; the device's answer to each is counted per rule and
 * reported at the end of the job. A failed command is logged with its LBA
 * and length and its sense data decoded (libsgutils2).
 *
 * Two modes, chosen with sg_mode=:
 *   sync    one SG_IO ioctl per command; /dev/sgN and /dev/sdX
 *   async   the sg driver's write(2)/poll(2)/read(2) interface on /dev/sgN,
 *           iodepth commands in flight. The driver takes at most
 *           SG_MAX_QUEUE (16) commands per open file and serves only one
 *           of them from the file's reserved buffer (the others get fresh
 *           zeroed pages), so the engine opens the node once per command
 *           in flight, up to 64 times, each with a reserved buffer as
 *           large as bs.
 *
 *   queue() returns     when
 *   FIO_Q_COMPLETED     sync: always; io_u->error holds the errno (EINVAL
 *                       for ILLEGAL REQUEST, ETIMEDOUT, EIO otherwise)
 *                       async: the command was refused before it was sent,
 *                       or write(2) to the sg node failed
 *   FIO_Q_QUEUED        async: written to the sg node; ->getevents reads
 *                       the completion
 *   FIO_Q_BUSY          async: every descriptor is full (not with the
 *                       descriptors the engine opens for iodepth)
 *
 * The engine sets issue_time itself (FIO_ASYNCIO_SETS_ISSUE_TIME) just
 * before each command goes to the kernel, so completion latencies are
 * right in both modes, and accounts submissions and completions itself, as
 * fio's sg engine does.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <scsi/sg.h>

#include "fa_engine.h"
#include "fa_sg.h"
#include "fa_sg_async.h"
#include "../lib/fa_scsi.h"

/* Per-I/O errors logged in full; later ones are only counted. */
#define MAX_LOGGED_ERRORS	16

/* One per io_u, by io_u->index. */
struct sg_cmd {
	struct sg_io_hdr hdr;
	uint8_t cdb[FA_SCSI_CDB16_LEN];
	uint8_t sense[FA_SCSI_SENSE_LEN];
	enum fa_scsi_rule rule;		/* validate=off: rule broken */
};

struct sg_data {
	struct fa_engine fa;		/* conformance and tear state */
	struct sg_cmd *cmds;
	struct io_u **events;		/* reaped, handed out by ->event */
	struct fa_sg_poll poll_set;	/* async: the descriptors awaited */
	unsigned int inflight;
	uint64_t errors;
};

static struct fio_option options[] = {
	FA_VALIDATE_OPTION(struct sg_options, FIO_OPT_G_SG,
		"Check every write against the device's Block Limits VPD page before it is sent",
		"Refuse a job that can produce an illegal WRITE ATOMIC(16), before writing",
		"Send illegal writes on purpose and count the device's rejections per rule"),
	{
		.name	= "write_atomic",
		.lname	= "Write with WRITE ATOMIC(16)",
		.type	= FIO_OPT_BOOL,
		.off1	= offsetof(struct sg_options, rwf_atomic),
		.help	= "Send writes as WRITE ATOMIC(16) (0: plain WRITE(16), to measure the engine against fio's sg engine)",
		.def	= "1",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_SG,
	},
	{
		.name	= "atomic_boundary",
		.lname	= "ATOMIC BOUNDARY field",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct sg_options, atomic_boundary),
		.help	= "ATOMIC BOUNDARY of WRITE ATOMIC(16), in logical blocks (0: the whole write is one atomic unit)",
		.def	= "0",
		.maxval	= FA_SCSI_ATOMIC16_MAX_BLOCKS,
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_SG,
	},
	{
		.name	= "fua",
		.lname	= "Force Unit Access",
		.type	= FIO_OPT_BOOL,
		.off1	= offsetof(struct sg_options, fua),
		.help	= "Set FUA (byte 1 bit 3) on writes",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_SG,
	},
	{
		.name	= "dpo",
		.lname	= "Disable Page Out",
		.type	= FIO_OPT_BOOL,
		.off1	= offsetof(struct sg_options, dpo),
		.help	= "Set DPO (byte 1 bit 4) on writes",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_SG,
	},
	{
		.name	= "group_number",
		.lname	= "GROUP NUMBER field",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct sg_options, group_number),
		.help	= "GROUP NUMBER (byte 14) of reads and writes, 0..63",
		.def	= "0",
		.maxval	= FA_SCSI_GROUP_NUMBER_MAX,
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_SG,
	},
	{
		/* fio's own "timeout" is an alias of runtime. */
		.name	= "sg_timeout",
		.lname	= "SCSI command timeout",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct sg_options, timeout_ms),
		.help	= "Timeout of each SCSI command, in milliseconds",
		.def	= "30000",
		.minval	= 1,
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_SG,
	},
	{
		.name	= "sg_mode",
		.lname	= "SG submission mode",
		.type	= FIO_OPT_STR,
		.off1	= offsetof(struct sg_options, mode),
		.help	= "How commands reach the device",
		.def	= "sync",
		.posval = {
			{ .ival = "sync",
			  .oval = SG_MODE_SYNC,
			  .help = "SG_IO ioctl, one command at a time (/dev/sgN and /dev/sdX)",
			},
			{ .ival = "async",
			  .oval = SG_MODE_ASYNC,
			  .help = "sg driver write/poll/read, iodepth commands in flight (/dev/sgN only)",
			},
		},
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_SG,
	},
	FA_TEAR_OPTIONS(struct sg_options, FIO_OPT_G_SG),
	{
		.name	= NULL,
	},
};

static int sg_setup(struct thread_data *td)
{
	struct sg_options *o = td->eo;
	struct fa_scsi_dev dev;
	struct fio_file *f;
	unsigned int i;

	if (fa_report_setup(td, ENGINE, o->mode == SG_MODE_ASYNC ?
			    "sg-async" : "sg-sync") ||
	    fa_tear_setup(td, ENGINE))
		return 1;
	/* Having a ->setup hook makes sizing the files our job. */
	for_each_file(td, f, i) {
		if (sg_probe_file(td, f, &dev) || sg_check_job(td, f, &dev))
			return 1;
		f->real_file_size = fa_scsi_capacity_bytes(&dev.cap);
		fio_file_set_size_known(f);
	}
	return 0;
}

static int sg_get_file_size(struct thread_data *td, struct fio_file *f)
{
	struct fa_scsi_dev dev;

	if (fio_file_size_known(f))
		return 0;
	if (sg_probe_file(td, f, &dev))
		return 1;
	f->real_file_size = fa_scsi_capacity_bytes(&dev.cap);
	fio_file_set_size_known(f);
	return 0;
}

static int sg_init(struct thread_data *td)
{
	struct sg_options *o = td->eo;
	struct sg_data *sd;
	int rule;

	sd = calloc(1, sizeof(*sd));
	if (!sd)
		return 1;
	td->io_ops_data = sd;
	sd->fa.name = ENGINE;
	for (rule = FA_SCSI_RULE_OK + 1; rule < FA_SCSI_RULE_NR; rule++)
		fa_engine_rule_init(&sd->fa, rule, fa_scsi_rule_name(rule),
				    true);
	sd->cmds = calloc(td->o.iodepth, sizeof(*sd->cmds));
	sd->events = calloc(td->o.iodepth, sizeof(*sd->events));
	if (!sd->cmds || !sd->events)
		return 1;
	if (o->mode == SG_MODE_ASYNC &&
	    td->o.iodepth > MAX_SG_FDS * SG_MAX_QUEUE) {
		log_err("fio: " ENGINE ": iodepth=%u: the sg driver takes %d commands per open file, and the engine opens a node at most %d times\n",
			td->o.iodepth, SG_MAX_QUEUE, MAX_SG_FDS);
		return 1;
	}
	if (o->mode == SG_MODE_SYNC && td->o.iodepth > 1)
		log_info(ENGINE ": sg_mode=sync sends one command at a time: iodepth=%u has no effect (sg_mode=async keeps it in flight)\n",
			 td->o.iodepth);
	return 0;
}

static int sg_open_file(struct thread_data *td, struct fio_file *f)
{
	struct sg_options *o = td->eo;
	int flags = O_CLOEXEC;
	struct sg_file *sf;
	char why[512];
	int ret;

	/* O_DIRECT is not for us: SG_IO bypasses the page cache anyway. */
	if (o->mode == SG_MODE_ASYNC) {
		/*
		 * Every command, READ(16) too, reaches the sg driver through
		 * write(2), which a read-only descriptor fails with EBADF.
		 */
		flags |= O_RDWR | O_NONBLOCK;
	} else {
		flags |= td_write(td) ? O_RDWR : O_RDONLY;
	}
	f->fd = open(f->file_name, flags);
	if (f->fd < 0) {
		td_verror(td, errno, "open");
		return 1;
	}
	sf = calloc(1, sizeof(*sf));
	if (!sf)
		goto err;
	FILE_SET_ENG_DATA(f, sf);
	ret = fa_scsi_probe(f->fd, &sf->dev, why, sizeof(why));
	if (ret) {
		log_err("fio: " ENGINE ": %s: %s\n", f->file_name, why);
		td_verror(td, -ret, "READ CAPACITY(16)");
		goto err;
	}
	sf->lbs = sf->dev.cap.logical_block_length;
	if (fa_sg_open_fds(td, f, sf, o->mode == SG_MODE_ASYNC, flags))
		goto err;
	return 0;
err:
	fa_sg_free_file(f);
	close(f->fd);
	f->fd = -1;
	return 1;
}

static int sg_close_file(struct thread_data *td, struct fio_file *f)
{
	int ret = 0;

	fa_sg_free_file(f);
	if (f->fd >= 0 && close(f->fd) < 0)
		ret = errno;
	f->fd = -1;
	return ret;
}

static const char *sg_opcode_name(uint8_t opcode)
{
	switch (opcode) {
	case FA_SCSI_OP_WRITE_ATOMIC16:
		return "WRITE ATOMIC(16)";
	case FA_SCSI_OP_WRITE16:
		return "WRITE(16)";
	case FA_SCSI_OP_READ16:
		return "READ(16)";
	case FA_SCSI_OP_SYNCHRONIZE_CACHE10:
		return "SYNCHRONIZE CACHE(10)";
	default:
		return "command";
	}
}

static void sg_log_error(struct thread_data *td, struct sg_data *sd,
			 struct io_u *io_u, const struct sg_cmd *cmd,
			 const char *what)
{
	const struct sg_file *sf = FILE_ENG_DATA(io_u->file);
	uint32_t lbs = sf ? sf->lbs : 512;

	if (sd->errors++ == MAX_LOGGED_ERRORS) {
		log_err("fio: " ENGINE ": %s: further failed commands are counted, not logged\n",
			td->o.name);
		return;
	}
	if (sd->errors > MAX_LOGGED_ERRORS)
		return;
	if (ddir_rw(io_u->ddir))
		log_err("fio: " ENGINE ": %s of %llu blocks at LBA %llu (%llu bytes at offset %llu) on %s failed: %s\n",
			sg_opcode_name(cmd->cdb[0]), io_u->xfer_buflen / lbs,
			io_u->offset / lbs, io_u->xfer_buflen, io_u->offset,
			io_u->file->file_name, what);
	else
		log_err("fio: " ENGINE ": %s on %s failed: %s\n",
			sg_opcode_name(cmd->cdb[0]), io_u->file->file_name,
			what);
}

/* Strict: refuse an illegal write; off: remember the rule it breaks. */
static int sg_check_write(struct thread_data *td, struct sg_data *sd,
			  const struct sg_file *sf, struct io_u *io_u,
			  struct sg_cmd *cmd)
{
	struct sg_options *o = td->eo;
	struct fa_scsi_verdict v;
	enum fa_scsi_rule rule;
	const char *what;
	char msg[1024];

	rule = fa_scsi_check_write(&sf->dev.bl, sf->lbs, io_u->offset,
				   io_u->xfer_buflen, o->atomic_boundary, &v);
	if (rule == FA_SCSI_RULE_OK)
		return 0;
	if (o->validate == FA_VALIDATE_OFF && sg_rule_sendable(rule)) {
		cmd->rule = rule;
		return 0;
	}
	/* The job check makes this rare: offsets from e.g. zone skips. */
	if (!sd->fa.refused++) {
		what = v.on == FA_SCSI_ON_OFFSET ? "offset" :
		       v.on == FA_SCSI_ON_BOUNDARY ? "atomic_boundary" :
		       "length";
		if (rule == FA_SCSI_RULE_UNSUPPORTED)
			fa_scsi_unsupported_reason(&sf->dev.bl,
						   io_u->file->file_name, msg,
						   sizeof(msg));
		else
			fa_scsi_verdict_message(&v, sf->lbs, what,
						io_u->file->file_name, msg,
						sizeof(msg));
		log_err("fio: " ENGINE ": write of %llu bytes at %llu refused: %s\n",
			io_u->xfer_buflen, io_u->offset, msg);
	}
	return rule == FA_SCSI_RULE_UNSUPPORTED ? EOPNOTSUPP : EINVAL;
}

/* Build the command of @io_u; a positive errno refuses it unsent. */
static int sg_prep_cmd(struct thread_data *td, struct sg_data *sd,
		       const struct sg_file *sf, struct io_u *io_u,
		       struct sg_cmd *cmd)
{
	struct sg_options *o = td->eo;
	struct sg_io_hdr *hdr = &cmd->hdr;
	struct fa_scsi_rw rw = {
		.group_number = (uint8_t)o->group_number,
	};
	int ret;

	memset(hdr, 0, sizeof(*hdr));
	cmd->rule = FA_SCSI_RULE_OK;
	hdr->interface_id = 'S';
	hdr->cmdp = cmd->cdb;
	hdr->cmd_len = FA_SCSI_CDB16_LEN;
	hdr->sbp = cmd->sense;
	hdr->mx_sb_len = sizeof(cmd->sense);
	hdr->usr_ptr = io_u;
	hdr->pack_id = (int)io_u->index;
	hdr->timeout = o->timeout_ms;

	switch (io_u->ddir) {
	case DDIR_READ:
	case DDIR_WRITE:
		break;
	case DDIR_SYNC:
	case DDIR_DATASYNC:
		memset(cmd->cdb, 0, sizeof(cmd->cdb));
		cmd->cdb[0] = FA_SCSI_OP_SYNCHRONIZE_CACHE10;
		hdr->cmd_len = 10;
		hdr->dxfer_direction = SG_DXFER_NONE;
		return 0;
	default:
		return EINVAL;
	}

	if (io_u->offset % sf->lbs || io_u->xfer_buflen % sf->lbs) {
		if (!sd->fa.refused++)
			log_err("fio: " ENGINE ": %s of %llu bytes at %llu refused: not whole logical blocks of %u bytes (READ CAPACITY(16) of %s)\n",
				io_u->ddir == DDIR_READ ? "read" : "write",
				io_u->xfer_buflen, io_u->offset, sf->lbs,
				io_u->file->file_name);
		return EINVAL;
	}
	rw.lba = io_u->offset / sf->lbs;
	rw.blocks = (uint32_t)(io_u->xfer_buflen / sf->lbs);
	hdr->dxferp = io_u->xfer_buf;
	hdr->dxfer_len = (unsigned int)io_u->xfer_buflen;

	if (io_u->ddir == DDIR_READ) {
		hdr->dxfer_direction = SG_DXFER_FROM_DEV;
		ret = fa_scsi_read16_cdb(cmd->cdb, &rw);
	} else {
		hdr->dxfer_direction = SG_DXFER_TO_DEV;
		rw.fua = o->fua;
		rw.dpo = o->dpo;
		if (sg_is_atomic(td)) {
			ret = sg_check_write(td, sd, sf, io_u, cmd);
			if (ret)
				return ret;
		}
		/* Stamped in logical blocks: the unit a device writes. */
		if (o->tear_check &&
		    fa_tear_stamp(td, &sd->fa, io_u, sf->lbs))
			return EINVAL;
		if (sg_is_atomic(td)) {
			rw.atomic_boundary = o->atomic_boundary;
			ret = fa_scsi_write_atomic16_cdb(cmd->cdb, &rw);
		} else {
			ret = fa_scsi_write16_cdb(cmd->cdb, &rw);
		}
	}
	return ret ? -ret : 0;
}

static void sg_set_issue_time(struct thread_data *td, struct io_u *io_u)
{
	if (fio_fill_issue_time(td))
		fio_gettime(&io_u->issue_time, NULL);
}

/* Account a finished command; @hdr carries its status. */
static void sg_complete(struct thread_data *td, struct sg_data *sd,
			struct io_u *io_u, const struct sg_io_hdr *hdr)
{
	struct sg_cmd *cmd = &sd->cmds[io_u->index];
	const struct sg_file *sf = FILE_ENG_DATA(io_u->file);
	struct sg_options *o = td->eo;
	struct fa_scsi_result res;
	char what[512];
	int err;

	fa_scsi_result_set(&res, hdr->status, hdr->host_status,
			   hdr->driver_status, hdr->resid, cmd->sense,
			   hdr->sb_len_wr);
	err = fa_scsi_result_errno(&res);
	io_u->error = err;
	if (!err && io_u->ddir == DDIR_READ && hdr->resid > 0)
		io_u->resid = (unsigned long long)hdr->resid;
	if (err) {
		fa_scsi_result_str(&res, what, sizeof(what));
		sg_log_error(td, sd, io_u, cmd, what);
	}
	/* A short transfer is not a whole unit: not classified, not acked. */
	if (!err && o->tear_check && hdr->resid <= 0)
		fa_tear_complete(td, &sd->fa, io_u, sf->lbs);

	if (io_u->ddir == DDIR_WRITE && o->rwf_atomic)
		sd->fa.atomic_writes++;
	if (io_u->ddir != DDIR_WRITE || o->validate != FA_VALIDATE_OFF ||
	    cmd->rule == FA_SCSI_RULE_OK)
		return;
	if (err) {
		struct fa_rejection why;

		fa_rejection_errno(&why, err);
		if (res.has_sense) {
			why.kind = FA_REJ_SENSE;
			why.sense_key = res.sense.sense_key;
			why.asc = res.sense.asc;
			why.ascq = res.sense.ascq;
		}
		fa_scsi_result_str(&res, why.text, sizeof(why.text));
		fa_conf_rule_count(&sd->fa.rules[cmd->rule], &why);
	} else {
		fa_conf_rule_count(&sd->fa.rules[cmd->rule], NULL);
	}
}

static enum fio_q_status sg_queue_sync(struct thread_data *td,
				       struct sg_data *sd,
				       const struct sg_file *sf,
				       struct io_u *io_u, struct sg_cmd *cmd)
{
	char what[128];

	sg_set_issue_time(td, io_u);
	if (ioctl(sf->fds[0], SG_IO, &cmd->hdr) < 0) {
		io_u->error = errno;
		snprintf(what, sizeof(what), "SG_IO: %s", strerror(errno));
		sg_log_error(td, sd, io_u, cmd, what);
	} else {
		sg_complete(td, sd, io_u, &cmd->hdr);
	}
	/* fio leaves this to engines that have a ->commit hook. */
	io_u_mark_submit(td, 1);
	io_u_mark_complete(td, 1);
	return FIO_Q_COMPLETED;
}

static enum fio_q_status sg_queue_async(struct thread_data *td,
					struct sg_data *sd,
					struct sg_file *sf,
					struct io_u *io_u, struct sg_cmd *cmd)
{
	unsigned int idx = fa_sg_pick_fd(sf);
	char what[128];

	if (idx == sf->nr_fds)
		return FIO_Q_BUSY;

	sg_set_issue_time(td, io_u);
	if (write(sf->fds[idx], &cmd->hdr, sizeof(cmd->hdr)) < 0) {
		if ((errno == EDOM || errno == EAGAIN) && sd->inflight)
			return FIO_Q_BUSY;
		io_u->error = errno;
		snprintf(what, sizeof(what), "write to the sg node: %s",
			 strerror(errno));
		sg_log_error(td, sd, io_u, cmd, what);
		return FIO_Q_COMPLETED;
	}
	fa_sg_sent(sf, idx);
	sd->inflight++;
	io_u_mark_submit(td, 1);
	io_u_queued(td, io_u);
	return FIO_Q_QUEUED;
}

static enum fio_q_status sg_queue(struct thread_data *td, struct io_u *io_u)
{
	struct sg_options *o = td->eo;
	struct sg_data *sd = td->io_ops_data;
	struct sg_file *sf = FILE_ENG_DATA(io_u->file);
	struct sg_cmd *cmd = &sd->cmds[io_u->index];
	int ret;

	fio_ro_check(td, io_u);
	ret = sg_prep_cmd(td, sd, sf, io_u, cmd);
	if (ret) {
		sg_set_issue_time(td, io_u);
		io_u->error = ret;
		return FIO_Q_COMPLETED;
	}
	if (o->mode == SG_MODE_ASYNC)
		return sg_queue_async(td, sd, sf, io_u, cmd);
	return sg_queue_sync(td, sd, sf, io_u, cmd);
}

/* Commands go to the sg node in ->queue: nothing is batched. */
static int sg_commit(struct thread_data *td)
{
	return 0;
}

/* A completion read back from the sg node: account it, hand it to fio. */
static void sg_reaped(struct thread_data *td, struct io_u *io_u,
		      const struct sg_io_hdr *hdr, unsigned int event)
{
	struct sg_data *sd = td->io_ops_data;

	sd->inflight--;
	sg_complete(td, sd, io_u, hdr);
	sd->events[event] = io_u;
}

static int sg_getevents(struct thread_data *td, unsigned int min,
			unsigned int max, const struct timespec *t)
{
	struct sg_data *sd = td->io_ops_data;
	unsigned int events = 0;
	int ret;

	(void)t;
	for (;;) {
		ret = fa_sg_reap(td, &events, max, sg_reaped);
		if (ret)
			return ret;
		if (events >= min || !sd->inflight)
			break;
		ret = fa_sg_wait(td, &sd->poll_set);
		if (ret)
			return ret;
	}
	return (int)events;
}

static struct io_u *sg_event(struct thread_data *td, int event)
{
	struct sg_data *sd = td->io_ops_data;

	return sd->events[event];
}

static void sg_cleanup(struct thread_data *td)
{
	struct sg_data *sd = td->io_ops_data;

	if (!sd)
		return;
	fa_report_finish(td, &sd->fa);
	free(sd->cmds);
	free(sd->events);
	free(sd->poll_set.pfds);
	free(sd);
	td->io_ops_data = NULL;
}

/* External engines are found by this symbol name; see dlopen_ioengine(). */
FA_ENGINE_EXPORT struct ioengine_ops ioengine = {
	.name		= ENGINE,
	.version	= FIO_IOOPS_VERSION,
	.flags		= FIO_RAWIO | FIO_ASYNCIO_SETS_ISSUE_TIME,
	.setup		= sg_setup,
	.init		= sg_init,
	.queue		= sg_queue,
	.commit		= sg_commit,
	.getevents	= sg_getevents,
	.event		= sg_event,
	.cleanup	= sg_cleanup,
	.open_file	= sg_open_file,
	.close_file	= sg_close_file,
	.get_file_size	= sg_get_file_size,
	.options	= options,
	.option_struct_size = sizeof(struct sg_options),
};
