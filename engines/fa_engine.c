// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: fio glue shared by the RWF_ATOMIC engines.
 *
 * The job check runs in the engine's ->setup hook, which fio calls before it
 * lays out or writes any file, so a job that could produce an illegal atomic
 * write fails with nothing written. It enumerates every write length fio can
 * generate from bs, bsrange and bssplit (mirroring get_next_buflen()) and the
 * alignment every offset is guaranteed to have (blockalign for random I/O,
 * the running sum of lengths for sequential I/O).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <unistd.h>

#include "fa_engine.h"
#include "../lib/fa_rate.h"
#include "../lib/fa_acklog.h"
#include "../lib/fa_guarantee.h"
#include "../lib/fa_guard.h"
#include "../lib/fa_stamp.h"
#include "../lib/fa_util.h"

/* Every length get_next_buflen() can return for @ddir. */
static int fa_job_sizes(struct thread_options *o, int ddir, struct fa_job *job)
{
	uint64_t min = o->min_bs[ddir], max = o->max_bs[ddir], bs, k;
	unsigned int i;
	int ret = 0;

	if (o->bssplit_nr[ddir]) {
		for (i = 0; i < o->bssplit_nr[ddir] && !ret; i++) {
			struct bssplit *bsp = &o->bssplit[ddir][i];

			if (!bsp->perc)
				continue;
			bs = bsp->bs;
			if (!o->bs_unaligned)
				bs -= bs % min;
			if (bs > max)
				bs = max;
			ret = fa_job_add_size(job, bs, "bssplit");
		}
		return ret;
	}
	if (min == max)
		return fa_job_add_size(job, min, "bs");
	if (o->bs_unaligned) {
		/* Any length in the range: the first odd one shows the rule. */
		return fa_job_add_size(job, fa_is_pow2(min) ? min + 1 : min,
				       "bsrange with bs_unaligned");
	}
	/*
	 * Lengths are multiples of min up to max. Three of them are enough:
	 * 3 * min is never a power of two, so a longer range fails there.
	 */
	for (k = 1; k <= 3 && k * min <= max && !ret; k++)
		ret = fa_job_add_size(job, k * min, "bsrange");
	if (!ret)
		ret = fa_job_add_size(job, max, "bsrange");
	return ret;
}

static int fa_job_from_td(struct thread_data *td, struct fio_file *f,
			  struct fa_job *job)
{
	struct thread_options *o = &td->o;
	uint64_t seq_align = 0;
	int ddir = DDIR_WRITE, ret, i;

	memset(job, 0, sizeof(*job));
	job->direct = o->odirect;
	job->registered_buffer = fa_engine_opts(td)->fixedbufs;
	job->nr_segs = 1;
	if (!td_write(td))
		return 0;

	/* bs_is_seq_rand: the read sizes serve sequential writes. */
	ret = fa_job_sizes(o, ddir, job);
	if (!ret && o->bs_is_seq_rand)
		ret = fa_job_sizes(o, DDIR_READ, job);
	if (ret)
		return ret;

	for (i = 0; i < job->nr_sizes; i++)
		seq_align = fa_gcd(seq_align, job->sizes[i]);
	if (o->ddir_seq_add)
		seq_align = fa_gcd(seq_align, (uint64_t)llabs(o->ddir_seq_add));

	if (td_random(td)) {
		job->offset_align = o->ba[ddir];
		job->align_opt = "blockalign";
		/* percentage_random < 100 mixes in sequential offsets */
		if (o->perc_rand[ddir] < 100 &&
		    seq_align % job->offset_align) {
			job->offset_align = fa_gcd(job->offset_align, seq_align);
			job->align_opt = "percentage_random with sequential offsets";
		}
	} else {
		job->offset_align = seq_align;
		job->align_opt = NULL;	/* sequential: no option to name */
	}

	if (f)
		job->start_offset = f->file_offset;
	else
		job->start_offset = o->start_offset +
			(uint64_t)td->subjob_number * o->offset_increment;
	return 0;
}

int fa_engine_job(struct thread_data *td, struct fio_file *f,
		  struct fa_job *job, const char *engine)
{
	if (!fa_job_from_td(td, f, job))
		return 0;
	return fa_refuse(td, &(struct fa_refusal_info){
				 .rule = "options", .err = E2BIG },
			 "%s: job %s has more than %d distinct write sizes",
			 engine, td->o.name, FA_JOB_MAX_SIZES);
}

int fa_engine_guard_blk(struct thread_data *td, const char *engine,
			const char *node, const char *blk)
{
	char why[1024];
	int ret;

	ret = fa_guard_device(blk, why, sizeof(why));
	if (ret == -EBUSY)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "in_use", .err = EBUSY },
				 "%s: refusing to write to %s: %s (set allow_mounted_write=1 to write anyway)",
				 engine, node, why);
	if (ret)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "in_use", .err = -ret },
				 "%s: cannot examine %s: %s", engine, blk,
				 strerror(-ret));
	return 0;
}

static int fa_engine_check(struct thread_data *td, struct fio_file *f,
			   const struct fa_limits *lim, const char *engine)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	char msg[2048], why[1024], limit[64];
	struct fa_verdict v;
	struct fa_job job;
	int ret;

	if (fa_engine_job(td, f, &job, engine))
		return 1;
	if (!job.nr_sizes)
		return 0;
	if (lim->kind == FA_KIND_BLOCK && !td->o.allow_mounted_write) {
		/*
		 * fio's allow_mounted_write=1 is the job's explicit consent;
		 * without it a device in use is never written.
		 */
		ret = fa_guard_device(lim->path, why, sizeof(why));
		if (ret == -EBUSY)
			return fa_refuse(td, &(struct fa_refusal_info){
						 .rule = "in_use",
						 .err = EBUSY },
					 "%s: refusing to write: %s (set allow_mounted_write=1 to write anyway)",
					 engine, why);
		if (ret)
			return fa_refuse(td, &(struct fa_refusal_info){
						 .rule = "in_use",
						 .err = -ret },
					 "%s: cannot examine %s: %s", engine,
					 lim->path, strerror(-ret));
	}
	/* The guard above holds for every write; the rules only for atomic. */
	if (eo->validate == FA_VALIDATE_OFF || !eo->rwf_atomic)
		return 0;
	if (fa_check_job(lim, &job, &v, msg, sizeof(msg)) == FA_RULE_OK)
		return 0;
	/* a length rule: the legal lengths are unit_min..unit_max */
	if (v.rule == FA_RULE_POW2 || v.rule == FA_RULE_MIN ||
	    v.rule == FA_RULE_MAX)
		snprintf(limit, sizeof(limit), "%" PRIu64 "..%" PRIu64,
			 lim->unit_min.value, lim->unit_max.value);
	else
		snprintf(limit, sizeof(limit), "%" PRIu64, v.limit);
	return fa_refuse(td, &(struct fa_refusal_info){
				 .rule = fa_rule_name(v.rule),
				 .value = v.value, .limit = limit,
				 .source = v.src ? v.src->origin :
					   lim->unit_max.origin,
				 .err = ECANCELED },
			 "%s: %s (rule %s; atomic_validate=off sends it anyway)",
			 engine, msg, fa_rule_name(v.rule));
}

static int fa_discover(struct thread_data *td, const char *path,
		       struct fa_limits *lim, const char *engine)
{
	int ret = fa_limits_discover(path, lim);

	if (ret)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "limits", .err = -ret },
				 "%s: cannot read the atomic write limits of %s: %s",
				 engine, path, strerror(-ret));
	return 0;
}

/* The target and the limits the job's writes are checked against. */
static void fa_report_limits(struct thread_data *td, const struct fa_limits *lim)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "unit_min", offsetof(struct fa_limits, unit_min) },
		{ "unit_max", offsetof(struct fa_limits, unit_max) },
		{ "segments_max", offsetof(struct fa_limits, segments_max) },
		{ "unit_max_opt", offsetof(struct fa_limits, stx_unit_max_opt) },
	};
	char dev[64];
	unsigned int i;

	if (lim->disk[0])
		fa_strlcpy(dev, lim->disk, sizeof(dev));
	else
		snprintf(dev, sizeof(dev), "%u:%u", lim->dev_major,
			 lim->dev_minor);
	if (!fa_report_target(td, lim->path, lim->kind == FA_KIND_BLOCK ?
			      "block" : lim->kind == FA_KIND_REGULAR ?
			      "file" : "other", dev))
		return;
	for (i = 0; i < FA_ARRAY_SIZE(fields); i++) {
		const struct fa_value *v = (const void *)((const char *)lim +
							  fields[i].off);

		if (v->known)
			fa_report_limit(td, fields[i].name, v->value,
					v->origin);
	}
}

int fa_engine_setup(struct thread_data *td, const char *engine,
		    const char *mode)
{
	struct fa_limits *lim;
	struct fio_file *f;
	struct stat st;
	unsigned int i;
	int err = 0;

	if (fa_report_setup(td, engine, mode) || fa_tear_setup(td, engine))
		return 1;
	lim = malloc(sizeof(*lim));
	if (!lim)
		return 1;
	for_each_file(td, f, i) {
		bool made = false;

		/*
		 * A file fio has yet to create is made empty here, so that
		 * its filesystem's limits are known before fio lays it out
		 * (and the refusal is fio's setup error, not a failed job),
		 * and removed again when the job is refused.
		 */
		if (stat(f->file_name, &st) < 0) {
			int fd = -1;

			if (errno == ENOENT && td_write(td))
				fd = open(f->file_name, O_WRONLY | O_CREAT |
					  O_EXCL | O_CLOEXEC, 0644);
			if (fd < 0)
				continue;
			close(fd);
			made = true;
		}
		if (fa_discover(td, f->file_name, lim, engine))
			err = 1;
		else if (fa_report_limits(td, lim),
			 fa_engine_check(td, NULL, lim, engine))
			err = 1;
		if (err) {
			if (made)
				unlink(f->file_name);
			break;
		}
	}
	free(lim);
	if (err)
		return 1;

	/* Having a ->setup hook makes sizing the files our job. */
	for_each_file(td, f, i) {
		if (td->io_ops->get_file_size ?
		    td->io_ops->get_file_size(td, f) :
		    generic_get_file_size(td, f)) {
			if (td->error != ENOENT) {
				log_err("%s\n", td->verror);
				return 1;
			}
			td_clear_error(td);
			td->error = 0;
			td->verror[0] = '\0';
		}
		if (f->real_file_size == -1ULL && td->o.size)
			f->real_file_size = td->o.size / td->o.nr_files;
	}
	return 0;
}

int fa_engine_attach_limits(struct thread_data *td, struct fio_file *f,
			    const char *engine)
{
	struct fa_limits *lim;

	if (FILE_ENG_DATA(f))
		return 0;
	lim = calloc(1, sizeof(*lim));
	if (!lim)
		return 1;
	if (fa_discover(td, f->file_name, lim, engine))
		goto err;
	fa_report_limits(td, lim);
	/* ECANCELED, not EINVAL: fio would blame O_DIRECT for that. */
	if (fa_engine_check(td, f, lim, engine))
		goto err;
	FILE_SET_ENG_DATA(f, lim);
	return 0;
err:
	free(lim);
	return 1;
}

void fa_engine_detach_limits(struct fio_file *f)
{
	free(FILE_ENG_DATA(f));
	FILE_SET_ENG_DATA(f, NULL);
}

int fa_engine_open_file(struct thread_data *td, struct fio_file *f,
			const char *engine)
{
	int ret;

	ret = generic_open_file(td, f);
	if (ret)
		return ret;
	if (fa_engine_attach_limits(td, f, engine)) {
		/* The limits error is the one to report, not the close. */
		if (generic_close_file(td, f))
			td_clear_error(td);
		return 1;
	}
	return 0;
}

int fa_engine_close_file(struct thread_data *td, struct fio_file *f)
{
	fa_engine_detach_limits(f);
	return generic_close_file(td, f);
}

static enum fa_rule fa_classify(struct thread_data *td, struct io_u *io_u,
				struct fa_verdict *v)
{
	const struct fa_limits *lim = FILE_ENG_DATA(io_u->file);
	struct fa_write w = {
		.offset = io_u->offset,
		.length = io_u->xfer_buflen,
		.nr_segs = 1,
		.direct = td->o.odirect,
		.registered_buffer = fa_engine_opts(td)->fixedbufs,
	};

	if (!lim)
		return FA_RULE_OK;
	return fa_check_write(lim, &w, v);
}

int fa_engine_prep_write(struct thread_data *td, struct fa_engine *e,
			 struct io_u *io_u)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	const struct fa_limits *lim = FILE_ENG_DATA(io_u->file);
	struct fa_verdict v;
	enum fa_rule rule;
	char msg[1024];

	if (eo->tear_check && lim &&
	    fa_tear_stamp(td, e, io_u, fa_stamp_block_for(lim, NULL)))
		return -EINVAL;
	if (!eo->rwf_atomic || eo->validate == FA_VALIDATE_OFF)
		return 0;
	rule = fa_classify(td, io_u, &v);
	if (rule == FA_RULE_OK)
		return 0;
	/* The job check makes this rare: offsets from e.g. zone skips. */
	if (!e->refused++) {
		fa_verdict_message(FILE_ENG_DATA(io_u->file), &v,
				   rule == FA_RULE_ALIGN ? "offset" : "length",
				   msg, sizeof(msg));
		log_err("fio: %s: write of %llu bytes at %llu refused: %s\n",
			e->name, (unsigned long long)io_u->xfer_buflen,
			(unsigned long long)io_u->offset, msg);
	}
	return -fa_rule_errno(rule);
}

void fa_engine_rules_rwf(struct fa_engine *e)
{
	int rule;

	for (rule = FA_RULE_OK + 1; rule < FA_RULE_NR; rule++)
		fa_engine_rule_init(e, rule, fa_rule_name(rule), true);
}

static bool fa_ack_log_wanted(struct thread_data *td)
{
	const char *path = fa_engine_opts(td)->tear_ack_log;

	return path && path[0];
}

/* The job's own log, PATH.<job>.<n>, emptied: this run's acks only. */
static int fa_tear_ack_open(struct thread_data *td, struct fa_engine *e)
{
	struct fa_tear *t = &e->tear;
	char *path = t->ack_path;

	if (snprintf(path, sizeof(t->ack_path), "%s.%s.%d",
		     fa_engine_opts(td)->tear_ack_log, td->o.name,
		     td->thread_number) >= (int)sizeof(t->ack_path)) {
		log_err("fio: %s: tear_ack_log=%s: the path is too long\n",
			e->name, fa_engine_opts(td)->tear_ack_log);
		return -ENAMETOOLONG;
	}
	t->ack_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
			 O_CLOEXEC, 0644);
	if (t->ack_fd < 0) {
		int err = errno;

		log_err("fio: %s: tear_ack_log: cannot create %s: %s\n",
			e->name, path, strerror(err));
		return -err;
	}
	t->ack_open = true;
	return 0;
}

/*
 * The write's generation is read back from its first stamp, which is
 * still in the buffer: with several writes in flight the job's counter
 * has moved on. The record goes out with one write() before fio sees the
 * completion, so whatever fio counts as done is in the log.
 */
static void fa_tear_ack(struct thread_data *td, struct fa_engine *e,
			struct io_u *io_u)
{
	struct fa_tear *t = &e->tear;
	const unsigned char *stamp = io_u->xfer_buf;
	unsigned char rec[FA_ACK_LEN];
	struct fa_ack ack = {
		.submitted_hi = t->generation,
		.offset = io_u->offset,
		.length = (uint32_t)io_u->xfer_buflen,
	};
	struct fa_stamp_info info;
	ssize_t n;

	/* Only what fa_tear_stamp() wrote for this very write. */
	if (fa_stamp_parse_block(stamp, t->block, &info) != FA_STAMP_OK ||
	    info.unit_offset != io_u->offset ||
	    info.unit_len != io_u->xfer_buflen || info.block_index)
		return;
	ack.generation = info.generation;
	fa_ack_encode(&ack, rec);
	do {
		n = write(t->ack_fd, rec, sizeof(rec));
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(rec)) {
		t->acked_writes++;
		return;
	}
	/* A log with holes would prove nothing: stop the job. */
	log_err("fio: %s: tear_ack_log: write failed: %s\n", e->name,
		n < 0 ? strerror(errno) : "short write");
	td_verror(td, n < 0 ? errno : EIO, "tear_ack_log");
	close(t->ack_fd);
	t->ack_open = false;
}

void fa_tear_complete(struct thread_data *td, struct fa_engine *e,
		      struct io_u *io_u, uint32_t block)
{
	if (io_u->ddir == DDIR_READ && fa_engine_opts(td)->tear_check)
		fa_tear_check_read(td, e, io_u, block);
	else if (io_u->ddir == DDIR_WRITE && e->tear.ack_open)
		fa_tear_ack(td, e, io_u);
}

void fa_engine_complete(struct thread_data *td, struct fa_engine *e,
			struct io_u *io_u, int err)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	const struct fa_limits *lim = FILE_ENG_DATA(io_u->file);
	struct fa_verdict v;
	enum fa_rule rule;

	if (!err && lim)
		fa_tear_complete(td, e, io_u, fa_stamp_block_for(lim, NULL));
	if (io_u->ddir != DDIR_WRITE || !eo->rwf_atomic)
		return;
	e->atomic_writes++;
	if (eo->validate != FA_VALIDATE_OFF)
		return;
	rule = fa_classify(td, io_u, &v);
	if (rule == FA_RULE_OK)
		return;
	if (err) {
		struct fa_rejection why;

		fa_rejection_errno(&why, err);
		fa_conf_rule_count(&e->rules[rule], &why);
	} else {
		fa_conf_rule_count(&e->rules[rule], NULL);
	}
}

int fa_tear_setup(struct thread_data *td, const char *engine)
{
	if (!fa_engine_opts(td)->tear_check) {
		if (!fa_ack_log_wanted(td))
			return 0;
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "options", .err = EINVAL },
				 "%s: tear_ack_log=%s needs tear_check=1 (the log names writes by their stamps' generations)",
				 engine, fa_engine_opts(td)->tear_ack_log);
	}
	/* VERIFY_NONE is 0; verify.h drags in more than it gives here */
	if (td->o.verify)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "options", .err = EINVAL },
				 "%s: tear_check=1 and verify= both own the write buffers' contents: use one (tear_check classifies reads itself)",
				 engine);
	return 0;
}

int fa_tear_stamp(struct thread_data *td, struct fa_engine *e,
		  struct io_u *io_u, uint32_t block)
{
	struct fa_tear *t = &e->tear;
	int ret;

	/*
	 * Unique across the jobs and processes of a run: the job's number
	 * and the process id above a per-job sequence.
	 */
	if (!t->generation) {
		t->generation = ((uint64_t)td->thread_number << 48) |
				((uint64_t)(getpid() & 0xffff) << 32);
		if (fa_ack_log_wanted(td)) {
			ret = fa_tear_ack_open(td, e);
			if (ret) {
				t->generation = 0;
				td_verror(td, -ret, "tear_ack_log");
				return ret;
			}
		}
	}
	t->generation++;
	ret = fa_stamp_fill(io_u->xfer_buf, io_u->offset, io_u->xfer_buflen,
			    block, t->generation);
	if (ret) {
		if (!t->stamped_writes)
			log_err("fio: %s: tear_check: a %llu-byte write cannot be stamped in %u-byte blocks\n",
				e->name, (unsigned long long)io_u->xfer_buflen,
				block);
		return ret;
	}
	t->block = block;
	t->stamped_writes++;
	return 0;
}

void fa_tear_check_read(struct thread_data *td, struct fa_engine *e,
			struct io_u *io_u, uint32_t block)
{
	struct fa_tear *t = &e->tear;
	struct fa_scan_counts c;

	(void)td;
	fa_scan_counts_init(&c);
	/* A read is one unit: readers read what writers wrote, whole. */
	if (fa_scan_region(io_u->xfer_buf, io_u->xfer_buflen, io_u->offset,
			   io_u->xfer_buflen, block, &c))
		return;
	t->block = block;
	t->checked_reads++;
	if (c.torn)
		t->torn_reads++;
	fa_scan_add(&t->reads, &c);
}

void fa_tear_finish(struct thread_data *td, struct fa_engine *e)
{
	struct fa_tear *t = &e->tear;
	const struct fa_scan_counts *c = &t->reads;
	uint64_t n = c->intact + c->torn;

	if (!fa_engine_opts(td)->tear_check)
		return;
	if (t->checked_reads) {
		char rate[96];

		fa_rate_text(c->torn, n, rate, sizeof(rate));
		fa_log_human("%s: %s: tear check: %" PRIu64 " reads, %" PRIu64 " units: %" PRIu64 " intact, %" PRIu64 " torn, %" PRIu64 " unwritten; read_isolation: torn reads %s (with one writer per unit; two writers of one unit make it a write_isolation figure)\n",
			     e->name, td->o.name, t->checked_reads, c->units,
			     c->intact, c->torn, c->unwritten, rate);
	}
	if (t->stamped_writes)
		fa_log_human("%s: %s: tear check: %" PRIu64 " writes stamped in %u-byte blocks\n",
			     e->name, td->o.name, t->stamped_writes, t->block);
	if (t->ack_open) {
		fa_log_human("%s: %s: tear check: %" PRIu64 " acknowledged writes logged in %s\n",
			     e->name, td->o.name, t->acked_writes,
			     t->ack_path);
		close(t->ack_fd);
		t->ack_open = false;
	}
}
