/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the io_uring plumbing atomic-uring and atomic-nvme's
 * uring_cmd mode share: prepared SQEs in order, submission in ->commit
 * with issue times taken as fio's own io_uring engine takes them (right
 * after the submit returns, for the SQEs it took; engines using this set
 * FIO_ASYNCIO_SETS_ISSUE_TIME so fio does not overwrite them), reaping
 * when the kernel says EAGAIN, and completions reaped in batches.
 */
#ifndef FA_RING_H
#define FA_RING_H

#include <liburing.h>
#include <stdbool.h>

#include "fio.h"

/*
 * Decode one completion (the CQE's res) into @io_u: io_u->error, resid,
 * the engine's accounting. Called from ->event, as fio's io_uring engine
 * decodes its CQEs: fio takes the completion time once ->getevents
 * returns, so work done here is not counted in the completion latency.
 */
typedef void (*fa_ring_complete_fn)(struct thread_data *td, struct io_u *io_u,
				    int res);

struct fa_ring {
	struct io_uring ring;
	bool ready;
	fa_ring_complete_fn complete;
	struct io_u **pending;		/* prepared, in SQ order */
	unsigned int queued;		/* prepared, not yet submitted */
	struct io_u **events;		/* reaped, handed out by ->event */
	int *results;			/* their CQEs' res */
	unsigned int carried;		/* reaped in ->commit, not yet handed */
	unsigned int carried_off;	/* ...at events[carried_off] */
	unsigned int depth;
};

/** fa_ring_alloc() - the arrays for @depth commands in flight; 0 or 1 */
int fa_ring_alloc(struct fa_ring *r, unsigned int depth,
		  fa_ring_complete_fn complete);

/**
 * fa_ring_init() - set up the ring with @p's flags (IOPOLL, SQPOLL,
 * SQE128...) and those fio's own io_uring engines add
 * Return: 0 or -errno.
 */
int fa_ring_init(struct fa_ring *r, struct io_uring_params *p);

/** fa_ring_free() - tear the ring down and free the arrays */
void fa_ring_free(struct fa_ring *r);

/** fa_ring_sqe() - a free SQE, or NULL when the SQ is full (FIO_Q_BUSY) */
static inline struct io_uring_sqe *fa_ring_sqe(struct fa_ring *r)
{
	return io_uring_get_sqe(&r->ring);
}

/** fa_ring_prepared() - @io_u's SQE is ready; ->commit submits it */
static inline void fa_ring_prepared(struct fa_ring *r, struct io_uring_sqe *sqe,
				    struct io_u *io_u)
{
	io_uring_sqe_set_data(sqe, io_u);
	r->pending[r->queued++] = io_u;
}

/** fa_ring_commit() - the engine's ->commit: submit every prepared SQE */
int fa_ring_commit(struct thread_data *td, struct fa_ring *r);

/** fa_ring_getevents() - the engine's ->getevents */
int fa_ring_getevents(struct thread_data *td, struct fa_ring *r,
		      unsigned int min, unsigned int max);

/** fa_ring_event() - the engine's ->event: decode and hand out one */
struct io_u *fa_ring_event(struct thread_data *td, struct fa_ring *r,
			   int event);

#endif /* FA_RING_H */
