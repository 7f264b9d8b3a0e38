// SPDX-License-Identifier: GPL-2.0
/*
 * atomic-pvsync2: fio engine that writes with pwritev2(..., RWF_ATOMIC).
 *
 * Reads go through preadv2() unchanged. Writes carry RWF_ATOMIC (unless
 * rwf_atomic=0) and, with the default atomic_validate=strict, are checked
 * against the target's limits first: the whole job before fio writes
 * anything, and each write again before it is sent. With
 * atomic_validate=off, illegal writes go out and each rejection is counted
 * per rule and reported with its errno at the end of the job.
 *
 *   queue() returns     when
 *   FIO_Q_COMPLETED     always: the engine is synchronous; io_u->error holds
 *                       the errno of a failed or refused write
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fa_engine.h"

struct pvsync2_options {
	FA_ENGINE_OPTS_FIELDS;
	unsigned int hipri;
};

struct pvsync2_data {
	struct fa_engine fa;
};

static struct fio_option options[] = {
	FA_ENGINE_COMMON_OPTIONS(struct pvsync2_options, FIO_OPT_G_INVALID),
	FA_TEAR_OPTIONS(struct pvsync2_options, FIO_OPT_G_INVALID),
	{
		.name	= "hipri",
		.lname	= "RWF_HIPRI",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct pvsync2_options, hipri),
		.help	= "Set RWF_HIPRI for polled completions (default: off)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= NULL,
	},
};

static int pvsync2_setup(struct thread_data *td)
{
	return fa_engine_setup(td, "atomic-pvsync2", "pwritev2");
}

static int pvsync2_init(struct thread_data *td)
{
	struct pvsync2_data *pd;

	pd = calloc(1, sizeof(*pd));
	if (!pd)
		return 1;
	pd->fa.name = "atomic-pvsync2";
	fa_engine_rules_rwf(&pd->fa);
	td->io_ops_data = pd;
	return 0;
}

static void pvsync2_cleanup(struct thread_data *td)
{
	struct pvsync2_data *pd = td->io_ops_data;

	if (!pd)
		return;
	fa_report_finish(td, &pd->fa);
	free(pd);
	td->io_ops_data = NULL;
}

static int pvsync2_open_file(struct thread_data *td, struct fio_file *f)
{
	return fa_engine_open_file(td, f, "atomic-pvsync2");
}

static enum fio_q_status pvsync2_queue(struct thread_data *td,
				       struct io_u *io_u)
{
	struct pvsync2_options *o = td->eo;
	struct pvsync2_data *pd = td->io_ops_data;
	struct fio_file *f = io_u->file;
	struct iovec iov = {
		.iov_base = io_u->xfer_buf,
		.iov_len = io_u->xfer_buflen,
	};
	int flags = o->hipri ? RWF_HIPRI : 0;
	ssize_t ret;

	fio_ro_check(td, io_u);

	switch (io_u->ddir) {
	case DDIR_READ:
		ret = preadv2(f->fd, &iov, 1, io_u->offset, flags);
		if (ret < 0)
			break;
		/* A short read is not a whole unit: not classified. */
		fa_engine_complete(td, &pd->fa, io_u,
				   (unsigned long long)ret != io_u->xfer_buflen ?
				   EIO : 0);
		break;
	case DDIR_WRITE:
		ret = fa_engine_prep_write(td, &pd->fa, io_u);
		if (ret) {
			io_u->error = -ret;
			return FIO_Q_COMPLETED;
		}
		if (o->rwf_atomic)
			flags |= RWF_ATOMIC;
		ret = pwritev2(f->fd, &iov, 1, io_u->offset, flags);
		/* A short write is not a whole unit: not acknowledged. */
		fa_engine_complete(td, &pd->fa, io_u, ret < 0 ? errno :
				   (unsigned long long)ret != io_u->xfer_buflen ?
				   EIO : 0);
		break;
	case DDIR_SYNC:
	case DDIR_DATASYNC:
	case DDIR_SYNC_FILE_RANGE:
		ret = io_u->ddir == DDIR_SYNC ? fsync(f->fd) : fdatasync(f->fd);
		if (!ret)
			return FIO_Q_COMPLETED;
		break;
	default:
		io_u->error = EINVAL;
		return FIO_Q_COMPLETED;
	}

	if (ret < 0)
		io_u->error = errno;
	else if ((unsigned long long)ret != io_u->xfer_buflen)
		io_u->resid = io_u->xfer_buflen - ret;
	return FIO_Q_COMPLETED;
}

/* External engines are found by this symbol name; see dlopen_ioengine(). */
FA_ENGINE_EXPORT struct ioengine_ops ioengine = {
	.name		= "atomic-pvsync2",
	.version	= FIO_IOOPS_VERSION,
	.flags		= FIO_SYNCIO | FA_ENGINE_ATOMIC_FLAG,
	.setup		= pvsync2_setup,
	.init		= pvsync2_init,
	.cleanup	= pvsync2_cleanup,
	.queue		= pvsync2_queue,
	.open_file	= pvsync2_open_file,
	.close_file	= fa_engine_close_file,
	.get_file_size	= generic_get_file_size,
	.options	= options,
	.option_struct_size = sizeof(struct pvsync2_options),
};
