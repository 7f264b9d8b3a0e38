// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: atomic-sg's descriptors: several per file in sg_mode=async,
 * their reserved buffers, submission in turn, poll and reap
 * (fa_sg_async.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fa_sg_async.h"

void fa_sg_free_file(struct fio_file *f)
{
	struct sg_file *sf = FILE_ENG_DATA(f);
	unsigned int i;

	if (!sf)
		return;
	/* fds[0] is f->fd, closed by the caller. */
	for (i = 1; sf->fds && i < sf->nr_fds; i++)
		if (sf->fds[i] >= 0)
			close(sf->fds[i]);
	free(sf->fds);
	free(sf->inflight);
	free(sf);
	FILE_SET_ENG_DATA(f, NULL);
}

/*
 * The sg driver takes SG_MAX_QUEUE commands per open file, and serves one
 * of them from the file's reserved buffer; every other one gets freshly
 * allocated and zeroed pages. So async mode opens the node once per
 * command in flight (up to MAX_SG_FDS descriptors, then shares them).
 */
static void sg_plan_fds(struct thread_data *td, struct sg_file *sf,
			bool async)
{
	sf->nr_fds = 1;
	sf->per_fd = 1;
	if (!async)
		return;
	sf->nr_fds = td->o.iodepth < MAX_SG_FDS ? td->o.iodepth : MAX_SG_FDS;
	sf->per_fd = (td->o.iodepth + sf->nr_fds - 1) / sf->nr_fds;
}

/* Make an sg descriptor's reserved buffer hold the largest command. */
static void sg_reserve(struct thread_data *td, int fd)
{
	int want = (int)td_max_bs(td), have = 0;

	/* The driver caps it at its limit; a smaller buffer only costs. */
	if (!ioctl(fd, SG_GET_RESERVED_SIZE, &have) && have < want)
		ioctl(fd, SG_SET_RESERVED_SIZE, &want);
}

int fa_sg_open_fds(struct thread_data *td, struct fio_file *f,
		   struct sg_file *sf, bool async, int flags)
{
	unsigned int i;

	sg_plan_fds(td, sf, async);
	sf->fds = calloc(sf->nr_fds, sizeof(*sf->fds));
	sf->inflight = calloc(sf->nr_fds, sizeof(*sf->inflight));
	if (!sf->fds || !sf->inflight)
		return 1;
	sf->fds[0] = f->fd;
	for (i = 1; i < sf->nr_fds; i++)
		sf->fds[i] = -1;
	for (i = 1; i < sf->nr_fds; i++) {
		sf->fds[i] = open(f->file_name, flags);
		if (sf->fds[i] < 0) {
			td_verror(td, errno, "open");
			return 1;
		}
	}
	if (f->filetype == FIO_TYPE_CHAR)
		for (i = 0; i < sf->nr_fds; i++)
			sg_reserve(td, sf->fds[i]);
	return 0;
}

unsigned int fa_sg_pick_fd(const struct sg_file *sf)
{
	unsigned int i, idx = sf->nr_fds;

	for (i = 0; i < sf->nr_fds; i++) {
		unsigned int j = (sf->next_submit + i) % sf->nr_fds;

		if (sf->inflight[j] < sf->per_fd) {
			idx = j;
			break;
		}
	}
	return idx;
}

void fa_sg_sent(struct sg_file *sf, unsigned int idx)
{
	sf->inflight[idx]++;
	sf->next_submit = (idx + 1) % sf->nr_fds;
}

/* Read every completion that is ready, without blocking. */
int fa_sg_reap(struct thread_data *td, unsigned int *events,
	       unsigned int max, fa_sg_complete_fn complete)
{
	struct fio_file *f;
	unsigned int i, k;

	for_each_file(td, f, i) {
		struct sg_file *sf = FILE_ENG_DATA(f);

		for (k = 0; sf && k < sf->nr_fds && *events < max; k++) {
			unsigned int j = (sf->next_reap + k) % sf->nr_fds;

			while (sf->inflight[j] && *events < max) {
				struct sg_io_hdr hdr;
				struct io_u *io_u;

				memset(&hdr, 0, sizeof(hdr));
				hdr.interface_id = 'S';
				if (read(sf->fds[j], &hdr, sizeof(hdr)) < 0) {
					if (errno == EINTR)
						continue;
					if (errno == EAGAIN)
						break;
					td_verror(td, errno, "read from the sg node");
					return -errno;
				}
				io_u = hdr.usr_ptr;
				sf->inflight[j]--;
				sf->next_reap = (j + 1) % sf->nr_fds;
				complete(td, io_u, &hdr, (*events)++);
			}
		}
	}
	return 0;
}

int fa_sg_wait(struct thread_data *td, struct fa_sg_poll *set)
{
	unsigned int i, j, n = 0, need = 0;
	struct fio_file *f;

	for_each_file(td, f, i) {
		struct sg_file *sf = FILE_ENG_DATA(f);

		need += sf ? sf->nr_fds : 0;
	}
	if (need > set->nr_pfds) {
		struct pollfd *p = realloc(set->pfds, need * sizeof(*p));

		if (!p)
			return -ENOMEM;
		set->pfds = p;
		set->nr_pfds = need;
	}
	for_each_file(td, f, i) {
		struct sg_file *sf = FILE_ENG_DATA(f);

		for (j = 0; sf && j < sf->nr_fds; j++) {
			if (!sf->inflight[j])
				continue;
			set->pfds[n].fd = sf->fds[j];
			set->pfds[n].events = POLLIN;
			set->pfds[n].revents = 0;
			n++;
		}
	}
	if (!n)
		return -EINVAL;	/* more awaited than in flight */
	while (poll(set->pfds, n, -1) < 0) {
		if (errno != EINTR) {
			td_verror(td, errno, "poll");
			return -errno;
		}
	}
	return 0;
}
