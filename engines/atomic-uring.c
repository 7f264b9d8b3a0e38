// SPDX-License-Identifier: GPL-2.0
/*
 * atomic-uring: fio engine that writes through io_uring (liburing) with
 * RWF_ATOMIC in the SQE's rw_flags.
 *
 * Writes are checked as in atomic-pvsync2 (whole job at setup, each write
 * before it is queued, or counted per rule with atomic_validate=off). The
 * options fio's own io_uring engine users know are kept where they make
 * sense for atomic writes: fixedbufs, registerfiles, sqthread_poll,
 * sqthread_poll_cpu and hipri (polled completions). Submission is batched
 * in ->commit and completions reaped in batches (engines/fa_ring.c, shared
 * with atomic-nvme's uring_cmd mode). Issue times are taken as fio's own
 * io_uring engine takes them: once the submit returns, for the SQEs it
 * took (FIO_ASYNCIO_SETS_ISSUE_TIME, so fio leaves them alone); when the
 * kernel answers EAGAIN, completions are reaped before submitting again.
 *
 *   queue() returns     when
 *   FIO_Q_QUEUED        the SQE was prepared; ->commit submits the batch
 *   FIO_Q_COMPLETED     the write was refused (strict validation)
 *   FIO_Q_BUSY          the submission queue is full; fio commits first
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_engine.h"
#include "fa_ring.h"

struct uring_options {
	FA_ENGINE_OPTS_FIELDS;
	unsigned int hipri;
	unsigned int registerfiles;
	unsigned int sqpoll_thread;
	unsigned int sqpoll_set;
	unsigned int sqpoll_cpu;
};

struct uring_data {
	struct fa_engine fa;
	struct fa_ring r;
	struct io_u **io_u_index;	/* by io_u->index, for fixedbufs */
	int *fds;			/* registerfiles */
};

static struct fio_option options[] = {
	FA_ENGINE_COMMON_OPTIONS(struct uring_options, FIO_OPT_G_IOURING),
	FA_TEAR_OPTIONS(struct uring_options, FIO_OPT_G_IOURING),
	{
		.name	= "hipri",
		.lname	= "High Priority",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_options, hipri),
		.help	= "Use polled IO completions (IORING_SETUP_IOPOLL) (default: off)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "fixedbufs",
		.lname	= "Fixed (pre-mapped) IO buffers",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_options, fixedbufs),
		.help	= "Pre-map IO buffers (IORING_OP_WRITE_FIXED; the kernel refuses RWF_ATOMIC on them, so only with rwf_atomic=0 or for reads) (default: off)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "registerfiles",
		.lname	= "Register file set",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_options, registerfiles),
		.help	= "Pre-open and register files with the ring (default: off)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "sqthread_poll",
		.lname	= "Kernel SQ thread polling",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_options, sqpoll_thread),
		.help	= "Offload submission to a kernel thread (IORING_SETUP_SQPOLL) (default: off)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "sqthread_poll_cpu",
		.lname	= "SQ Thread Poll CPU",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct uring_options, sqpoll_cpu),
		.off2	= offsetof(struct uring_options, sqpoll_set),
		.help	= "Pin the SQ poll thread to this CPU",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= NULL,
	},
};

static void uring_complete(struct thread_data *td, struct io_u *io_u, int res);

static int uring_setup(struct thread_data *td)
{
	return fa_engine_setup(td, "atomic-uring", "io_uring");
}

static int uring_init(struct thread_data *td)
{
	struct uring_data *ud;

	ud = calloc(1, sizeof(*ud));
	if (!ud)
		return 1;
	ud->fa.name = "atomic-uring";
	fa_engine_rules_rwf(&ud->fa);
	td->io_ops_data = ud;
	ud->io_u_index = calloc(td->o.iodepth, sizeof(struct io_u *));
	if (!ud->io_u_index ||
	    fa_ring_alloc(&ud->r, td->o.iodepth, uring_complete))
		return 1;
	return 0;
}

static int uring_io_u_init(struct thread_data *td, struct io_u *io_u)
{
	struct uring_data *ud = td->io_ops_data;

	ud->io_u_index[io_u->index] = io_u;
	return 0;
}

static int uring_register_buffers(struct thread_data *td,
				  struct uring_data *ud)
{
	struct iovec *iov;
	unsigned int i;
	int ret;

	iov = calloc(td->o.iodepth, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	for (i = 0; i < td->o.iodepth; i++) {
		iov[i].iov_base = ud->io_u_index[i]->buf;
		iov[i].iov_len = td_max_bs(td);
	}
	ret = io_uring_register_buffers(&ud->r.ring, iov, td->o.iodepth);
	free(iov);
	return ret;
}

static int uring_register_files(struct thread_data *td, struct uring_data *ud)
{
	struct fio_file *f;
	unsigned int i;
	int ret;

	ud->fds = calloc(td->o.nr_files, sizeof(int));
	if (!ud->fds)
		return -ENOMEM;
	for_each_file(td, f, i) {
		ret = fa_engine_open_file(td, f, "atomic-uring");
		if (ret)
			return -EINVAL;
		ud->fds[i] = f->fd;
		f->engine_pos = i;
	}
	ret = io_uring_register_files(&ud->r.ring, ud->fds, td->o.nr_files);
	/* fio opens and closes files itself; ours stay open until cleanup */
	for_each_file(td, f, i)
		f->fd = -1;
	return ret;
}

static int uring_post_init(struct thread_data *td)
{
	struct uring_options *o = td->eo;
	struct uring_data *ud = td->io_ops_data;
	struct io_uring_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	if (o->hipri)
		p.flags |= IORING_SETUP_IOPOLL;
	if (o->sqpoll_thread) {
		p.flags |= IORING_SETUP_SQPOLL;
		if (o->sqpoll_set) {
			p.flags |= IORING_SETUP_SQ_AFF;
			p.sq_thread_cpu = o->sqpoll_cpu;
		}
	}
	ret = fa_ring_init(&ud->r, &p);
	if (ret < 0) {
		log_err("fio: atomic-uring: io_uring_queue_init: %s\n",
			strerror(-ret));
		td_verror(td, -ret, "io_uring_queue_init");
		return 1;
	}
	if (o->fixedbufs) {
		ret = uring_register_buffers(td, ud);
		if (ret < 0) {
			log_err("fio: atomic-uring: registering buffers: %s\n",
				strerror(-ret));
			td_verror(td, -ret, "io_uring_register_buffers");
			return 1;
		}
	}
	if (o->registerfiles) {
		ret = uring_register_files(td, ud);
		if (ret < 0) {
			log_err("fio: atomic-uring: registering files: %s\n",
				strerror(-ret));
			td_verror(td, -ret, "io_uring_register_files");
			return 1;
		}
	}
	return 0;
}

static int uring_open_file(struct thread_data *td, struct fio_file *f)
{
	struct uring_options *o = td->eo;
	struct uring_data *ud = td->io_ops_data;

	if (!ud || !o->registerfiles || !ud->fds)
		return fa_engine_open_file(td, f, "atomic-uring");
	f->fd = ud->fds[f->engine_pos];
	return fa_engine_attach_limits(td, f, "atomic-uring");
}

static int uring_close_file(struct thread_data *td, struct fio_file *f)
{
	struct uring_options *o = td->eo;
	struct uring_data *ud = td->io_ops_data;

	if (!ud || !o->registerfiles || !ud->fds)
		return fa_engine_close_file(td, f);
	/* The descriptor stays registered until cleanup; the limits go. */
	fa_engine_detach_limits(f);
	f->fd = -1;
	return 0;
}

static void uring_complete(struct thread_data *td, struct io_u *io_u, int res)
{
	struct uring_data *ud = td->io_ops_data;

	if (res < 0)
		io_u->error = -res;
	else if ((unsigned long long)res != io_u->xfer_buflen &&
		 (io_u->ddir == DDIR_READ || io_u->ddir == DDIR_WRITE))
		io_u->resid = io_u->xfer_buflen - res;
	else
		io_u->error = 0;
	/* A short transfer is not a whole unit: not classified. */
	fa_engine_complete(td, &ud->fa, io_u, res < 0 ? -res :
			   (unsigned long long)res != io_u->xfer_buflen ?
			   EIO : 0);
}

static enum fio_q_status uring_queue(struct thread_data *td,
				     struct io_u *io_u)
{
	struct uring_options *o = td->eo;
	struct uring_data *ud = td->io_ops_data;
	struct io_uring_sqe *sqe;
	int fd = io_u->file->fd;
	int ret;

	fio_ro_check(td, io_u);

	if (io_u->ddir != DDIR_READ && io_u->ddir != DDIR_WRITE &&
	    io_u->ddir != DDIR_SYNC && io_u->ddir != DDIR_DATASYNC) {
		io_u->error = EINVAL;
		return FIO_Q_COMPLETED;
	}
	if (io_u->ddir == DDIR_WRITE) {
		ret = fa_engine_prep_write(td, &ud->fa, io_u);
		if (ret) {
			io_u->error = -ret;
			return FIO_Q_COMPLETED;
		}
	}

	sqe = fa_ring_sqe(&ud->r);
	if (!sqe)
		return FIO_Q_BUSY;
	if (o->registerfiles)
		fd = io_u->file->engine_pos;

	switch (io_u->ddir) {
	case DDIR_READ:
	case DDIR_WRITE:
		if (o->fixedbufs) {
			if (io_u->ddir == DDIR_READ)
				io_uring_prep_read_fixed(sqe, fd, io_u->xfer_buf,
							 io_u->xfer_buflen,
							 io_u->offset,
							 io_u->index);
			else
				io_uring_prep_write_fixed(sqe, fd,
							  io_u->xfer_buf,
							  io_u->xfer_buflen,
							  io_u->offset,
							  io_u->index);
		} else if (io_u->ddir == DDIR_READ) {
			io_uring_prep_read(sqe, fd, io_u->xfer_buf,
					   io_u->xfer_buflen, io_u->offset);
		} else {
			io_uring_prep_write(sqe, fd, io_u->xfer_buf,
					    io_u->xfer_buflen, io_u->offset);
		}
		if (io_u->ddir == DDIR_WRITE && o->rwf_atomic)
			sqe->rw_flags |= RWF_ATOMIC;
		break;
	case DDIR_SYNC:
		io_uring_prep_fsync(sqe, fd, 0);
		break;
	default:
		io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
		break;
	}
	if (o->registerfiles)
		sqe->flags |= IOSQE_FIXED_FILE;
	fa_ring_prepared(&ud->r, sqe, io_u);
	return FIO_Q_QUEUED;
}

static int uring_commit(struct thread_data *td)
{
	struct uring_data *ud = td->io_ops_data;

	return fa_ring_commit(td, &ud->r);
}

static int uring_getevents(struct thread_data *td, unsigned int min,
			   unsigned int max, const struct timespec *t)
{
	struct uring_data *ud = td->io_ops_data;

	(void)t;
	return fa_ring_getevents(td, &ud->r, min, max);
}

static struct io_u *uring_event(struct thread_data *td, int event)
{
	struct uring_data *ud = td->io_ops_data;

	return fa_ring_event(td, &ud->r, event);
}

static void uring_cleanup(struct thread_data *td)
{
	struct uring_data *ud = td->io_ops_data;
	unsigned int i;

	if (!ud)
		return;
	fa_report_finish(td, &ud->fa);
	fa_ring_free(&ud->r);
	/* fio has freed its files by now: only our descriptors are left. */
	if (ud->fds) {
		for (i = 0; i < td->o.nr_files; i++)
			if (ud->fds[i] >= 0)
				close(ud->fds[i]);
		free(ud->fds);
	}
	free(ud->io_u_index);
	free(ud);
	td->io_ops_data = NULL;
}

/* External engines are found by this symbol name; see dlopen_ioengine(). */
FA_ENGINE_EXPORT struct ioengine_ops ioengine = {
	.name		= "atomic-uring",
	.version	= FIO_IOOPS_VERSION,
	.flags		= FIO_ASYNCIO_SETS_ISSUE_TIME | FA_ENGINE_ATOMIC_FLAG,
	.setup		= uring_setup,
	.init		= uring_init,
	.post_init	= uring_post_init,
	.io_u_init	= uring_io_u_init,
	.queue		= uring_queue,
	.commit		= uring_commit,
	.getevents	= uring_getevents,
	.event		= uring_event,
	.cleanup	= uring_cleanup,
	.open_file	= uring_open_file,
	.close_file	= uring_close_file,
	.get_file_size	= generic_get_file_size,
	.options	= options,
	.option_struct_size = sizeof(struct uring_options),
};
