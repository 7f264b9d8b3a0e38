/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: atomic-sg's per-file state and the descriptors behind it: in
 * sg_mode=async the sg node is opened once per command in flight (the sg
 * driver serves only one command per open file from its reserved buffer),
 * each descriptor gets a reserved buffer as large as bs, commands go out
 * on the next descriptor with room, and completions are polled for and
 * read back descriptor by descriptor. In sg_mode=sync the file's own
 * descriptor, fds[0], is the only one.
 */
#ifndef FA_SG_ASYNC_H
#define FA_SG_ASYNC_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include <scsi/sg.h>

#include "fio.h"
#include "../lib/fa_scsi.h"

/* async: descriptors per file; beyond, each carries several commands */
#define MAX_SG_FDS		64

/* One per file: what the device said, and its descriptors. */
struct sg_file {
	struct fa_scsi_dev dev;
	uint32_t lbs;
	unsigned int nr_fds;
	unsigned int per_fd;		/* async: commands per descriptor */
	int *fds;			/* fds[0] is f->fd */
	unsigned int *inflight;		/* async: per descriptor */
	/*
	 * async: both walk the descriptors in turn, so that completions are
	 * read in about the order the commands went out; fio often asks for
	 * one event at a time, and a fixed order would leave the last
	 * descriptors' completions unread for seconds.
	 */
	unsigned int next_submit;
	unsigned int next_reap;
};

/* The pollfds of every descriptor with a command in flight. */
struct fa_sg_poll {
	struct pollfd *pfds;
	unsigned int nr_pfds;
};

/*
 * Account one completion read back from the sg node (@hdr as the driver
 * returned it, usr_ptr the io_u); @event is its index among the events of
 * this ->getevents.
 */
typedef void (*fa_sg_complete_fn)(struct thread_data *td, struct io_u *io_u,
				  const struct sg_io_hdr *hdr,
				  unsigned int event);

/**
 * fa_sg_open_fds() - @f's descriptors: fds[0] is f->fd; in async mode the
 * node is opened again with @flags, once per command in flight up to
 * MAX_SG_FDS, and an sg node's descriptors get reserved buffers of bs
 * Return: 0, or 1 with td's error set (fa_sg_free_file() cleans up).
 */
int fa_sg_open_fds(struct thread_data *td, struct fio_file *f,
		   struct sg_file *sf, bool async, int flags);

/** fa_sg_free_file() - close the descriptors but f->fd, free @f's state */
void fa_sg_free_file(struct fio_file *f);

/**
 * fa_sg_pick_fd() - the next descriptor with room for a command, in turn
 * from the last one used; nr_fds when every one is full (FIO_Q_BUSY)
 */
unsigned int fa_sg_pick_fd(const struct sg_file *sf);

/** fa_sg_sent() - a command went out on descriptor @idx */
void fa_sg_sent(struct sg_file *sf, unsigned int idx);

/**
 * fa_sg_reap() - read every completion that is ready, without blocking,
 * up to @max events in all; @complete accounts each
 * Return: 0, or -errno with td's error set.
 */
int fa_sg_reap(struct thread_data *td, unsigned int *events,
	       unsigned int max, fa_sg_complete_fn complete);

/**
 * fa_sg_wait() - poll every descriptor with a command in flight
 * Return: 0 once one is readable; -EINVAL when none has a command in
 * flight; -errno otherwise.
 */
int fa_sg_wait(struct thread_data *td, struct fa_sg_poll *set);

#endif /* FA_SG_ASYNC_H */
