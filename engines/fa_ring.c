// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the io_uring plumbing of atomic-uring and atomic-nvme's
 * uring_cmd mode (fa_ring.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fa_ring.h"
#include "../lib/fa_util.h"

int fa_ring_alloc(struct fa_ring *r, unsigned int depth,
		  fa_ring_complete_fn complete)
{
	r->depth = depth;
	r->complete = complete;
	r->pending = calloc(depth, sizeof(*r->pending));
	r->events = calloc(depth, sizeof(*r->events));
	r->results = calloc(depth, sizeof(*r->results));
	return r->pending && r->events && r->results ? 0 : 1;
}

int fa_ring_init(struct fa_ring *r, struct io_uring_params *p)
{
	int ret;

	/*
	 * As fio's io_uring and io_uring_cmd engines set their rings up, so
	 * that a completion is reaped the way theirs are: a CQ no larger
	 * than the SQ, no IPI for completions, one issuer whose task work
	 * runs when it enters to reap. Older kernels lose the extras, in
	 * fio's order.
	 */
	p->flags |= IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN |
		    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	p->cq_entries = r->depth;
	for (;;) {
		ret = io_uring_queue_init_params(r->depth, &r->ring, p);
		if (ret != -EINVAL)
			break;
		if (p->flags & IORING_SETUP_DEFER_TASKRUN)
			p->flags &= ~(IORING_SETUP_DEFER_TASKRUN |
				      IORING_SETUP_SINGLE_ISSUER);
		else if (p->flags & IORING_SETUP_COOP_TASKRUN)
			p->flags &= ~IORING_SETUP_COOP_TASKRUN;
		else if (p->flags & IORING_SETUP_CQSIZE)
			p->flags &= ~IORING_SETUP_CQSIZE;
		else
			break;
	}
	if (!ret)
		r->ready = true;
	return ret;
}

void fa_ring_free(struct fa_ring *r)
{
	if (r->ready)
		io_uring_queue_exit(&r->ring);
	r->ready = false;
	free(r->pending);
	free(r->events);
	free(r->results);
	r->pending = r->events = NULL;
	r->results = NULL;
}

/* Reap up to @max - @have completions into events[@have...]. */
static unsigned int fa_ring_reap(struct fa_ring *r,
				 unsigned int have, unsigned int max)
{
	struct io_uring_cqe *cqes[64];
	unsigned int n, i, got = 0, want = max - have;

	if (want > FA_ARRAY_SIZE(cqes))
		want = FA_ARRAY_SIZE(cqes);
	n = io_uring_peek_batch_cqe(&r->ring, cqes, want);
	for (i = 0; i < n; i++) {
		struct io_u *io_u = io_uring_cqe_get_data(cqes[i]);

		if (!io_u)
			continue;
		r->results[have + got] = cqes[i]->res;
		r->events[have + got++] = io_u;
	}
	io_uring_cq_advance(&r->ring, n);
	return got;
}

/*
 * Completions reaped in ->commit wait at the front of events[]; fio has
 * taken what the last ->getevents handed out before it commits again.
 */
static void fa_ring_compact(struct fa_ring *r)
{
	if (!r->carried_off)
		return;
	memmove(r->events, r->events + r->carried_off,
		r->carried * sizeof(*r->events));
	memmove(r->results, r->results + r->carried_off,
		r->carried * sizeof(*r->results));
	r->carried_off = 0;
}

/*
 * As fio's io_uring engine: the issue time of the SQEs a submit took is
 * taken once it returns, and io_u_queued() accounts them.
 */
static void fa_ring_mark_queued(struct thread_data *td, struct fa_ring *r,
				unsigned int nr)
{
	struct timespec now;
	unsigned int i;

	if (fio_fill_issue_time(td)) {
		fio_gettime(&now, NULL);
		for (i = 0; i < nr; i++) {
			memcpy(&r->pending[i]->issue_time, &now, sizeof(now));
			io_u_queued(td, r->pending[i]);
		}
	}
	io_u_mark_submit(td, nr);
	r->queued -= nr;
	memmove(r->pending, r->pending + nr, r->queued * sizeof(*r->pending));
}

int fa_ring_commit(struct thread_data *td, struct fa_ring *r)
{
	int ret;

	while (r->queued) {
		/*
		 * As fio's engines: enter with GETEVENTS, so that the task
		 * work of finished commands runs on submission.
		 */
		ret = io_uring_submit_and_get_events(&r->ring);
		if (ret > 0) {
			fa_ring_mark_queued(td, r, (unsigned int)ret < r->queued ?
					    (unsigned int)ret : r->queued);
			continue;
		}
		if (!ret || ret == -EINTR)
			continue;
		if (ret == -EAGAIN || ret == -EBUSY) {
			/*
			 * The kernel is short of room for completions: reap
			 * some, as fio's io_uring engine does; they are
			 * handed to fio by the next ->getevents.
			 */
			fa_ring_compact(r);
			r->carried += fa_ring_reap(r, r->carried, r->depth);
			continue;
		}
		td_verror(td, -ret, "io_uring_submit");
		return ret;
	}
	return 0;
}

int fa_ring_getevents(struct thread_data *td, struct fa_ring *r,
		      unsigned int min, unsigned int max)
{
	struct io_uring_cqe *cqe;
	unsigned int events;
	int ret;

	if (!r->ready)
		return 0;
	/* What ->commit reaped comes first; more than @max waits its turn. */
	fa_ring_compact(r);
	events = r->carried < max ? r->carried : max;
	r->carried -= events;
	if (r->carried)
		r->carried_off = events;
	while (events < min) {
		unsigned int got = fa_ring_reap(r, events, max);

		events += got;
		if (events >= min || got)
			continue;
		ret = io_uring_wait_cqe_nr(&r->ring, &cqe, min - events);
		if (ret < 0 && ret != -EAGAIN && ret != -EINTR) {
			td_verror(td, -ret, "io_uring_wait_cqe");
			return ret;
		}
	}
	/* Whatever else is ready, up to @max: completions in batches. */
	if (events < max)
		events += fa_ring_reap(r, events, max);
	return (int)events;
}

struct io_u *fa_ring_event(struct thread_data *td, struct fa_ring *r,
			   int event)
{
	struct io_u *io_u = r->events[event];

	r->complete(td, io_u, r->results[event]);
	return io_u;
}
