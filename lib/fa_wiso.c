// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the write_isolation probe (fa_wiso.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <liburing.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "fa_limits.h"
#include "fa_stamp.h"
#include "fa_util.h"
#include "fa_wiso.h"

/* Kernel headers older than 6.11 (Debian 12 ships 6.1) lack it. */
#ifndef RWF_ATOMIC
#define RWF_ATOMIC	0x00000040
#endif

static const char *const fa_wiso_outcome_names[FA_WISO_NR_OUTCOMES] = {
	[FA_WISO_FIRST]		= "first",
	[FA_WISO_SECOND]	= "second",
	[FA_WISO_MIXED]		= "mixed",
	[FA_WISO_OTHER]		= "other",
};

const char *fa_wiso_outcome_name(enum fa_wiso_outcome o)
{
	return (unsigned int)o < FA_WISO_NR_OUTCOMES ?
		fa_wiso_outcome_names[o] : "unknown";
}

const char *fa_wiso_engine_name(enum fa_wiso_submit submit, bool atomic)
{
	if (submit == FA_WISO_IO_URING)
		return atomic ? "atomic-uring" : "plain-uring";
	return atomic ? "atomic-pvsync2" : "plain";
}

/* What one block holds, for the runs of a description. */
enum fa_wiso_kind {
	FA_WISO_K_A,
	FA_WISO_K_B,
	FA_WISO_K_UNWRITTEN,
	FA_WISO_K_STALE,
	FA_WISO_K_BAD,
};

static const char *const fa_wiso_kind_text[] = {
	[FA_WISO_K_A]		= "of write A",
	[FA_WISO_K_B]		= "of write B",
	[FA_WISO_K_UNWRITTEN]	= "unwritten",
	[FA_WISO_K_STALE]	= "of an older write",
	[FA_WISO_K_BAD]		= "bad (checksum, place or version)",
};

static enum fa_wiso_kind fa_wiso_block_kind(const void *blk,
					    uint32_t block_size, uint64_t where,
					    uint64_t gen_a, uint64_t gen_b)
{
	struct fa_stamp_info info;

	switch (fa_stamp_check_block(blk, block_size, where, &info)) {
	case FA_STAMP_NONE:
		return FA_WISO_K_UNWRITTEN;
	case FA_STAMP_OK:
		if (info.generation == gen_a)
			return FA_WISO_K_A;
		if (info.generation == gen_b)
			return FA_WISO_K_B;
		return FA_WISO_K_STALE;
	default:
		return FA_WISO_K_BAD;
	}
}

/* Append one run; once @what is full the rest becomes ", ...". */
static void fa_wiso_add_run(char *what, size_t len, bool first, uint32_t from,
			    uint32_t to, enum fa_wiso_kind kind)
{
	size_t used = strlen(what);
	char run[96];
	int n;

	if (used + 1 >= len || (used >= 4 && !strcmp(what + used - 4, ", ...")))
		return;
	if (from == to)
		n = snprintf(run, sizeof(run), "%s%s %" PRIu32 " %s",
			     first ? "" : ", ", first ? "block" : "", from,
			     fa_wiso_kind_text[kind]);
	else
		n = snprintf(run, sizeof(run), "%s%s %" PRIu32 "-%" PRIu32 " %s",
			     first ? "" : ", ", first ? "blocks" : "", from, to,
			     fa_wiso_kind_text[kind]);
	/* "blocks 0-3 ..." for the first run, ", 4-7 ..." for the others */
	if (!first)
		memmove(run + 2, run + 3, strlen(run + 3) + 1), n--;
	if (used + (size_t)n + 6 > len) {
		if (used + 6 <= len)
			strcpy(what + used, ", ...");
		return;
	}
	memcpy(what + used, run, (size_t)n + 1);
}

int fa_wiso_classify(const void *buf, uint64_t unit_offset, uint32_t unit_len,
		     uint32_t block_size, uint64_t gen_a, uint64_t gen_b,
		     struct fa_wiso_unit *u, char *what, size_t len)
{
	const unsigned char *p = buf;
	enum fa_wiso_kind kind, first_kind = FA_WISO_K_A, run_kind = FA_WISO_K_A;
	uint32_t i, run_start = 0;
	int ret;

	ret = fa_stamp_valid_geometry(unit_len, block_size);
	if (ret)
		return ret;
	memset(u, 0, sizeof(*u));
	u->blocks = unit_len / block_size;
	u->first_odd_block = u->blocks;
	if (what && len)
		what[0] = '\0';
	for (i = 0; i < u->blocks; i++) {
		kind = fa_wiso_block_kind(p + (size_t)i * block_size,
					  block_size,
					  unit_offset + (uint64_t)i * block_size,
					  gen_a, gen_b);
		switch (kind) {
		case FA_WISO_K_A:
			u->blocks_a++;
			break;
		case FA_WISO_K_B:
			u->blocks_b++;
			break;
		case FA_WISO_K_UNWRITTEN:
			u->blocks_unwritten++;
			break;
		case FA_WISO_K_STALE:
			u->blocks_stale++;
			break;
		default:
			u->blocks_bad++;
			break;
		}
		if (!i) {
			first_kind = run_kind = kind;
			continue;
		}
		if (kind != first_kind && u->first_odd_block == u->blocks)
			u->first_odd_block = i;
		if (kind != run_kind) {
			if (what && len)
				fa_wiso_add_run(what, len, !run_start,
						run_start, i - 1, run_kind);
			run_start = i;
			run_kind = kind;
		}
	}
	if (what && len)
		fa_wiso_add_run(what, len, !run_start, run_start,
				u->blocks - 1, run_kind);
	if (u->blocks_unwritten || u->blocks_stale || u->blocks_bad)
		u->outcome = FA_WISO_OTHER;
	else if (u->blocks_a && u->blocks_b)
		u->outcome = FA_WISO_MIXED;
	else if (u->blocks_a)
		u->outcome = FA_WISO_FIRST;
	else
		u->outcome = FA_WISO_SECOND;
	return 0;
}

static uint64_t fa_wiso_mix(uint64_t z)
{
	z ^= z >> 30;
	z *= 0xbf58476d1ce4e5b9ull;
	z ^= z >> 27;
	z *= 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The two writers of the pwritev2 mode and what they share with main. */
struct fa_wiso_ctx {
	int fd;
	const struct fa_wiso_run *run;
	/* a pair is set up: @pair moves on (a condition, not a barrier,
	 * so that stopping works with one writer as well as two) */
	pthread_mutex_t lock;
	pthread_cond_t go;
	uint64_t pair;
	bool stop;
	pthread_barrier_t start;	/* the 2 writers: stamped, write now */
	pthread_barrier_t done;		/* main + 2 writers: both returned */
	uint64_t offset;
	uint64_t gen[2];
	void *buf[2];
	int err[2];
};

struct fa_wiso_writer {
	struct fa_wiso_ctx *ctx;
	int idx;
};

static int fa_wiso_write_result(ssize_t n, uint64_t want)
{
	if (n < 0)
		return -errno;
	return (uint64_t)n == want ? 0 : -EIO;
}

/*
 * The control's writes: plain, in pieces, write A front to back and write
 * B back to front, so that they cross inside the unit.
 */
static int fa_wiso_write_pieces(struct fa_wiso_ctx *c, int idx)
{
	const struct fa_wiso_run *run = c->run;
	uint64_t i, nr = run->size / run->piece, k;
	ssize_t n;

	for (i = 0; i < nr; i++) {
		k = idx ? nr - 1 - i : i;
		n = pwrite(c->fd, (char *)c->buf[idx] + k * run->piece,
			   run->piece, (off_t)(c->offset + k * run->piece));
		if (fa_wiso_write_result(n, run->piece))
			return n < 0 ? -errno : -EIO;
	}
	return 0;
}

static void *fa_wiso_writer_fn(void *arg)
{
	struct fa_wiso_writer *w = arg;
	struct fa_wiso_ctx *c = w->ctx;
	const struct fa_wiso_run *run = c->run;
	struct iovec iov;
	uint64_t seen = 0;
	ssize_t n;

	for (;;) {
		pthread_mutex_lock(&c->lock);
		while (c->pair == seen && !c->stop)
			pthread_cond_wait(&c->go, &c->lock);
		seen = c->pair;
		if (c->stop) {
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
		pthread_mutex_unlock(&c->lock);
		/* each stamps its own buffer, so the release is not skewed */
		fa_stamp_fill(c->buf[w->idx], c->offset, (uint32_t)run->size,
			      run->block_size, c->gen[w->idx]);
		iov.iov_base = c->buf[w->idx];
		iov.iov_len = run->size;
		pthread_barrier_wait(&c->start);
		if (run->piece)
			c->err[w->idx] = fa_wiso_write_pieces(c, w->idx);
		else {
			n = pwritev2(c->fd, &iov, 1, (off_t)c->offset,
				     run->atomic ? RWF_ATOMIC : 0);
			c->err[w->idx] = fa_wiso_write_result(n, run->size);
		}
		pthread_barrier_wait(&c->done);
	}
}

static int fa_wiso_uring_pair(struct io_uring *ring, int fd,
			      const struct fa_wiso_run *run, void *const buf[2],
			      uint64_t offset, const uint64_t gen[2])
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int i, ret, res[2] = { -EIO, -EIO };

	for (i = 0; i < 2; i++) {
		fa_stamp_fill(buf[i], offset, (uint32_t)run->size,
			      run->block_size, gen[i]);
		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			return -EBUSY;
		io_uring_prep_write(sqe, fd, buf[i], (unsigned int)run->size,
				    offset);
		sqe->rw_flags = run->atomic ? RWF_ATOMIC : 0;
		sqe->user_data = (uint64_t)i;
		/*
		 * Issued inline, the first write runs to its end before the
		 * second is looked at; in io-wq both run at once.
		 */
		sqe->flags |= IOSQE_ASYNC;
	}
	ret = io_uring_submit(ring);
	if (ret < 0)
		return ret;
	if (ret != 2)
		return -EIO;
	for (i = 0; i < 2; i++) {
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret < 0)
			return ret;
		if (cqe->user_data < 2)
			res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	for (i = 0; i < 2; i++) {
		if (res[i] < 0)
			return res[i];
		if ((uint64_t)res[i] != run->size)
			return -EIO;
	}
	return 0;
}

static int fa_wiso_read_unit(int fd, void *buf, uint64_t size,
			     uint64_t offset)
{
	uint64_t done = 0;
	ssize_t n;

	while (done < size) {
		n = pread(fd, (char *)buf + done, size - done,
			  (off_t)(offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;	/* the unit ends past the target */
		done += (uint64_t)n;
	}
	return 0;
}

static void fa_wiso_judge_unit(const struct fa_wiso_run *run,
			       const void *rbuf, uint64_t offset,
			       const uint64_t gen[2], uint64_t *counts,
			       struct fa_g_result *r)
{
	struct fa_wiso_unit u;
	char runs[FA_G_TEXT_LEN - 40], what[FA_G_TEXT_LEN];

	fa_wiso_classify(rbuf, offset, (uint32_t)run->size, run->block_size,
			 gen[0], gen[1], &u, runs, sizeof(runs));
	counts[u.outcome]++;
	if (!r || u.outcome == FA_WISO_FIRST || u.outcome == FA_WISO_SECOND)
		return;
	snprintf(what, sizeof(what), "%.24s: %s",
		 fa_wiso_engine_name(run->submit, run->atomic), runs);
	fa_g_example(r, offset, run->size, what);
}

static int fa_wiso_check_run(const struct fa_wiso_run *run)
{
	if (run->piece && (run->atomic || run->submit != FA_WISO_PWRITEV2 ||
			   run->piece % run->block_size ||
			   run->size % run->piece))
		return -EINVAL;
	if (!run->units || !run->size || run->size > UINT32_MAX ||
	    run->region_offset % run->size ||
	    fa_stamp_valid_geometry((uint32_t)run->size, run->block_size))
		return -EINVAL;
	return 0;
}

int fa_wiso_pairs(int fd, const struct fa_wiso_run *run, uint64_t *counts,
		  struct fa_g_result *r)
{
	struct fa_wiso_ctx c = { .fd = fd, .run = run };
	struct fa_wiso_writer w[2];
	pthread_t tid[2];
	struct io_uring ring;
	void *rbuf = NULL;
	uint64_t i, offset, gen[2], rng = run->seed;
	int nr_threads = 0, ret, err = 0;
	bool ring_up = false;

	ret = fa_wiso_check_run(run);
	if (ret)
		return ret;
	if (run->submit == FA_WISO_PWRITEV2) {
		pthread_mutex_init(&c.lock, NULL);
		pthread_cond_init(&c.go, NULL);
		pthread_barrier_init(&c.start, NULL, 2);
		pthread_barrier_init(&c.done, NULL, 3);
	}
	if (posix_memalign(&c.buf[0], 4096, run->size) ||
	    posix_memalign(&c.buf[1], 4096, run->size) ||
	    posix_memalign(&rbuf, 4096, run->size)) {
		err = -ENOMEM;
		goto out;
	}
	if (run->submit == FA_WISO_IO_URING) {
		ret = io_uring_queue_init(4, &ring, 0);
		if (ret < 0) {
			err = ret;
			goto out;
		}
		ring_up = true;
	} else {
		for (; nr_threads < 2; nr_threads++) {
			w[nr_threads].ctx = &c;
			w[nr_threads].idx = nr_threads;
			ret = pthread_create(&tid[nr_threads], NULL,
					     fa_wiso_writer_fn, &w[nr_threads]);
			if (ret) {
				err = -ret;
				goto out;
			}
		}
	}
	for (i = 0; i < run->pairs; i++) {
		rng = fa_wiso_mix(rng + 0x9e3779b97f4a7c15ull);
		offset = run->region_offset + (rng % run->units) * run->size;
		/* 32 bits of the seed, then the pair: unique per write */
		gen[0] = (run->seed << 32) | (2 * i);
		gen[1] = gen[0] + 1;
		if (run->punch &&
		    fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)offset, (off_t)run->size)) {
			err = -errno;
			break;
		}
		if (run->submit == FA_WISO_IO_URING) {
			ret = fa_wiso_uring_pair(&ring, fd, run, c.buf, offset,
						 gen);
		} else {
			c.offset = offset;
			c.gen[0] = gen[0];
			c.gen[1] = gen[1];
			pthread_mutex_lock(&c.lock);
			c.pair++;
			pthread_cond_broadcast(&c.go);
			pthread_mutex_unlock(&c.lock);
			pthread_barrier_wait(&c.done);
			ret = c.err[0] ? c.err[0] : c.err[1];
		}
		if (!ret)
			ret = fa_wiso_read_unit(fd, rbuf, run->size, offset);
		if (ret) {
			err = ret;
			break;
		}
		fa_wiso_judge_unit(run, rbuf, offset, gen, counts, r);
	}
out:
	if (run->submit == FA_WISO_PWRITEV2) {
		pthread_mutex_lock(&c.lock);
		c.stop = true;
		pthread_cond_broadcast(&c.go);
		pthread_mutex_unlock(&c.lock);
		while (nr_threads--)
			pthread_join(tid[nr_threads], NULL);
		pthread_mutex_destroy(&c.lock);
		pthread_cond_destroy(&c.go);
		pthread_barrier_destroy(&c.start);
		pthread_barrier_destroy(&c.done);
	}
	if (ring_up)
		io_uring_queue_exit(&ring);
	free(c.buf[0]);
	free(c.buf[1]);
	free(rbuf);
	return err;
}

/*
 * Default pairs per size and mode, from pwritev2 pairs on 8 GiB sparse
 * XFS images on loop (kernel 6.18, software fallback, units punched
 * before each pair). 2 MiB mixed at 0.7% (14 of 2,000) to 3.6% (108 of
 * 3,000) from image to image: 3,000 pairs miss every mix with
 * probability 7e-10 at the lowest rate. 1 MiB mixed at 0 (0 of 3,000) to
 * 1.4% (7 of 500), about 0.2% pooled: 12,000 pairs (about 25 s) miss
 * with probability 4e-11 at 0.2%, but no count is enough on an image
 * where it does not mix at all. 64 KiB never mixed.
 */
uint64_t fa_wiso_default_pairs(uint64_t size)
{
	if (size >= 2u << 20)
		return 3000;
	if (size >= 1u << 20)
		return 12000;
	return 2000;
}

static uint64_t fa_wiso_control_size(const struct fa_wiso_config *cfg)
{
	return cfg->control_size ? cfg->control_size : 1u << 20;
}

uint64_t fa_wiso_region_len(const struct fa_wiso_config *cfg)
{
	uint64_t max = 0;
	int i;

	for (i = 0; i < cfg->nr_sizes; i++)
		if (cfg->sizes[i] > max)
			max = cfg->sizes[i];
	if (cfg->control && fa_wiso_control_size(cfg) > max)
		max = fa_wiso_control_size(cfg);
	return max * (cfg->units ? cfg->units : FA_WISO_DEFAULT_UNITS);
}

int fa_wiso_check_size(const struct fa_limits *lim, uint64_t size, char *msg,
		       size_t len)
{
	struct fa_write w = { .length = size, .nr_segs = 1, .direct = true };
	struct fa_verdict v;
	uint32_t block = fa_stamp_block_for(lim, NULL);
	enum fa_rule rule;

	rule = fa_check_write(lim, &w, &v);
	if (rule != FA_RULE_OK) {
		fa_verdict_message(lim, &v, "size", msg, len);
		return rule == FA_RULE_UNSUPPORTED ? -EOPNOTSUPP : -EINVAL;
	}
	if (size > UINT32_MAX ||
	    fa_stamp_valid_geometry((uint32_t)size, block)) {
		snprintf(msg, len,
			 "size=%" PRIu64 " cannot be stamped in blocks of %" PRIu32 " bytes (a unit must be a multiple of the block, at most %u bytes)",
			 size, block, FA_STAMP_MAX_UNIT);
		return -EINVAL;
	}
	return 0;
}

static uint64_t fa_wiso_seed(const struct fa_wiso_config *cfg)
{
	struct timespec ts;

	if (cfg->seed)
		return cfg->seed;
	clock_gettime(CLOCK_REALTIME, &ts);
	return fa_wiso_mix((uint64_t)ts.tv_sec * 1000000000ull +
			   (uint64_t)ts.tv_nsec + (uint64_t)getpid());
}

static void fa_wiso_fill_point(struct fa_g_point *p, const uint64_t *counts)
{
	int i;

	p->nr_outcomes = FA_WISO_NR_OUTCOMES;
	for (i = 0; i < FA_WISO_NR_OUTCOMES; i++) {
		fa_strlcpy(p->outcome_name[i], fa_wiso_outcome_name(i),
			   sizeof(p->outcome_name[i]));
		p->outcome[i] = counts[i];
	}
	p->trials = counts[FA_WISO_FIRST] + counts[FA_WISO_SECOND] +
		    counts[FA_WISO_MIXED] + counts[FA_WISO_OTHER];
	p->failures = counts[FA_WISO_MIXED] + counts[FA_WISO_OTHER];
}

/* "... at 1048576, 2097152 bytes": the sizes of points with failures */
static void fa_wiso_reason(struct fa_g_result *r)
{
	uint64_t listed[FA_G_MAX_POINTS];
	int i, j, nr = 0;
	size_t used;

	used = (size_t)snprintf(r->reason, sizeof(r->reason),
				"units left mixed or torn by two overlapping writes at");
	for (i = 0; i < r->nr_points && used < sizeof(r->reason); i++) {
		if (!r->points[i].failures)
			continue;
		for (j = 0; j < nr && listed[j] != r->points[i].size; j++)
			;
		if (j < nr)
			continue;
		listed[nr++] = r->points[i].size;
		used += (size_t)snprintf(r->reason + used,
					 sizeof(r->reason) - used, "%s %" PRIu64,
					 nr > 1 ? "," : "", r->points[i].size);
	}
	if (used < sizeof(r->reason))
		snprintf(r->reason + used, sizeof(r->reason) - used, " bytes");
}

int fa_wiso_probe(int fd, const struct fa_limits *lim,
		  const struct fa_wiso_config *cfg, struct fa_g_result *r)
{
	struct fa_wiso_run run = {
		.units = cfg->units ? cfg->units : FA_WISO_DEFAULT_UNITS,
		.region_offset = cfg->region_offset,
		.block_size = fa_stamp_block_for(lim, NULL),
	};
	enum fa_wiso_submit modes[2];
	uint64_t seed = fa_wiso_seed(cfg), counts[FA_WISO_NR_OUTCOMES];
	struct fa_g_point *p;
	char msg[FA_G_TEXT_LEN];
	int nr_modes = 0, m, i, ret;

	fa_g_init(r, FA_G_WRITE_ISOLATION);
	snprintf(r->how, sizeof(r->how),
		 "two writes of one unit submitted at the same instant (%s), the unit read back with O_DIRECT once both completed and judged by its stamps",
		 cfg->pwritev2 && cfg->io_uring ?
		 "two threads behind a barrier, and two SQEs in one io_uring submit" :
		 cfg->io_uring ? "two SQEs in one io_uring submit" :
		 "two threads behind a barrier, each calling pwritev2");
	if (cfg->pwritev2)
		modes[nr_modes++] = FA_WISO_PWRITEV2;
	if (cfg->io_uring)
		modes[nr_modes++] = FA_WISO_IO_URING;
	if (!nr_modes || cfg->nr_sizes <= 0 ||
	    cfg->nr_sizes > FA_WISO_MAX_SIZES) {
		fa_strlcpy(r->reason, "no submission mode or no size asked for",
			   sizeof(r->reason));
		return -EINVAL;
	}
	if (cfg->nr_sizes * nr_modes > FA_G_MAX_POINTS)
		return -E2BIG;
	for (i = 0; i < cfg->nr_sizes; i++) {
		ret = fa_wiso_check_size(lim, cfg->sizes[i], msg, sizeof(msg));
		if (!ret && cfg->region_offset % cfg->sizes[i])
			ret = -EINVAL;
		if (ret) {
			fa_strlcpy(r->reason, msg, sizeof(r->reason));
			return ret;
		}
	}
	for (m = 0; m < nr_modes; m++) {
		for (i = 0; i < cfg->nr_sizes; i++) {
			run.submit = modes[m];
			run.atomic = true;
			run.size = cfg->sizes[i];
			run.pairs = cfg->pairs ? cfg->pairs :
				    fa_wiso_default_pairs(run.size);
			run.seed = (uint32_t)(seed + (uint64_t)(m * 64 + i));
			run.punch = cfg->punch;
			run.piece = 0;
			p = fa_g_point(r, fa_wiso_engine_name(run.submit, true),
				       run.size);
			memset(counts, 0, sizeof(counts));
			ret = fa_wiso_pairs(fd, &run, counts, r);
			fa_wiso_fill_point(p, counts);
			if (ret) {
				snprintf(r->reason, sizeof(r->reason),
					 "%s at %" PRIu64 " bytes: %s",
					 p->engine, run.size, strerror(-ret));
				return ret;
			}
		}
	}
	if (cfg->control) {
		run.submit = FA_WISO_PWRITEV2;
		run.atomic = false;
		run.size = fa_wiso_control_size(cfg);
		run.pairs = cfg->control_pairs ? cfg->control_pairs :
			    FA_WISO_DEFAULT_CONTROL_PAIRS;
		run.seed = (uint32_t)(seed + 63);
		run.punch = cfg->punch;
		run.piece = run.block_size > 4096 ? run.block_size : 4096;
		if (run.size % run.piece)
			run.piece = run.block_size;
		memset(counts, 0, sizeof(counts));
		ret = fa_wiso_pairs(fd, &run, counts, NULL);
		r->has_control = true;
		r->control_trials = counts[FA_WISO_FIRST] +
				    counts[FA_WISO_SECOND] +
				    counts[FA_WISO_MIXED] +
				    counts[FA_WISO_OTHER];
		r->control_failures = counts[FA_WISO_MIXED] +
				      counts[FA_WISO_OTHER];
		if (ret) {
			snprintf(r->reason, sizeof(r->reason),
				 "positive control (plain writes of %" PRIu64 " bytes): %s",
				 run.size, strerror(-ret));
			return ret;
		}
	}
	fa_g_judge(r);
	if (r->status == FA_G_NOT_PROVIDED)
		fa_wiso_reason(r);
	else if (r->status == FA_G_PROVIDED)
		snprintf(r->reason, sizeof(r->reason),
			 "no unit left mixed by two overlapping atomic writes");
	return 0;
}
