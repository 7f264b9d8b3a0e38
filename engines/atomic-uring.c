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
 * in ->commit and completions reaped in batches in ->getevents.
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
#include "../lib/fa_util.h"

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
	struct io_uring ring;
	bool ring_ready;
	struct io_u **io_u_index;	/* by io_u->index, for fixedbufs */
	struct io_u **events;		/* reaped, handed out by ->event */
	struct io_u **pending;		/* prepared, in SQ order */
	int *fds;			/* registerfiles */
	unsigned int queued;		/* prepared, not yet submitted */
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
	ud->io_u_index = calloc(td->o.iodepth, sizeof(struct io_u *));
	ud->events = calloc(td->o.iodepth, sizeof(struct io_u *));
	ud->pending = calloc(td->o.iodepth, sizeof(struct io_u *));
	td->io_ops_data = ud;
	if (!ud->io_u_index || !ud->events || !ud->pending)
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
	ret = io_uring_register_buffers(&ud->ring, iov, td->o.iodepth);
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
	ret = io_uring_register_files(&ud->ring, ud->fds, td->o.nr_files);
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
	ret = io_uring_queue_init_params(td->o.iodepth, &ud->ring, &p);
	if (ret < 0) {
		log_err("fio: atomic-uring: io_uring_queue_init: %s\n",
			strerror(-ret));
		td_verror(td, -ret, "io_uring_queue_init");
		return 1;
	}
	ud->ring_ready = true;
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
	f->fd = -1;
	return 0;
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

	sqe = io_uring_get_sqe(&ud->ring);
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
	io_uring_sqe_set_data(sqe, io_u);
	ud->pending[ud->queued++] = io_u;
	return FIO_Q_QUEUED;
}

/* liburing submits SQEs in the order they were prepared. */
static void uring_mark_queued(struct thread_data *td, struct uring_data *ud,
			      unsigned int nr)
{
	struct timespec now;
	unsigned int i;

	io_u_mark_submit(td, nr);
	if (fio_fill_issue_time(td)) {
		fio_gettime(&now, NULL);
		for (i = 0; i < nr; i++) {
			memcpy(&ud->pending[i]->issue_time, &now, sizeof(now));
			io_u_queued(td, ud->pending[i]);
		}
	}
	ud->queued -= nr;
	memmove(ud->pending, ud->pending + nr,
		ud->queued * sizeof(struct io_u *));
}

static int uring_commit(struct thread_data *td)
{
	struct uring_data *ud = td->io_ops_data;
	int ret;

	while (ud->queued) {
		ret = io_uring_submit(&ud->ring);
		if (ret > 0) {
			uring_mark_queued(td, ud, ret < (int)ud->queued ?
					  (unsigned int)ret : ud->queued);
			continue;
		}
		if (ret == -EAGAIN || ret == -EINTR || ret == 0) {
			usleep(1);
			continue;
		}
		td_verror(td, -ret, "io_uring_submit");
		return ret;
	}
	return 0;
}

static unsigned int uring_reap(struct thread_data *td, struct uring_data *ud,
			       unsigned int events, unsigned int max)
{
	struct io_uring_cqe *cqes[64];
	unsigned int n, i, want = max - events;

	if (want > FA_ARRAY_SIZE(cqes))
		want = FA_ARRAY_SIZE(cqes);
	n = io_uring_peek_batch_cqe(&ud->ring, cqes, want);
	for (i = 0; i < n; i++) {
		struct io_u *io_u = io_uring_cqe_get_data(cqes[i]);
		int res = cqes[i]->res;

		if (!io_u)
			continue;
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
		ud->events[events++] = io_u;
	}
	io_uring_cq_advance(&ud->ring, n);
	return n;
}

static int uring_getevents(struct thread_data *td, unsigned int min,
			   unsigned int max, const struct timespec *t)
{
	struct uring_data *ud = td->io_ops_data;
	unsigned int events = 0;
	struct io_uring_cqe *cqe;
	int ret;

	(void)t;
	do {
		unsigned int r = uring_reap(td, ud, events, max);

		events += r;
		if (events >= min || r)
			continue;
		ret = io_uring_wait_cqe_nr(&ud->ring, &cqe, min - events);
		if (ret < 0 && ret != -EAGAIN && ret != -EINTR) {
			td_verror(td, -ret, "io_uring_wait_cqe");
			return ret;
		}
	} while (events < min);
	return events;
}

static struct io_u *uring_event(struct thread_data *td, int event)
{
	struct uring_data *ud = td->io_ops_data;

	return ud->events[event];
}

static void uring_cleanup(struct thread_data *td)
{
	struct uring_data *ud = td->io_ops_data;
	struct fio_file *f;
	unsigned int i;

	if (!ud)
		return;
	fa_report_finish(td, &ud->fa);
	if (ud->ring_ready)
		io_uring_queue_exit(&ud->ring);
	if (ud->fds) {
		for_each_file(td, f, i) {
			if (ud->fds[i] >= 0)
				close(ud->fds[i]);
			fa_engine_detach_limits(f);
		}
		free(ud->fds);
	}
	free(ud->io_u_index);
	free(ud->events);
	free(ud->pending);
	free(ud);
	td->io_ops_data = NULL;
}

/* External engines are found by this symbol name; see dlopen_ioengine(). */
FA_ENGINE_EXPORT struct ioengine_ops ioengine = {
	.name		= "atomic-uring",
	.version	= FIO_IOOPS_VERSION,
	.flags		= FA_ENGINE_ATOMIC_FLAG,
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
