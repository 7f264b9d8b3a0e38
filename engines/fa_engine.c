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
#include "../lib/fa_acklog.h"
#include "../lib/fa_guard.h"
#include "../lib/fa_stamp.h"

static uint64_t fa_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

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
		  struct fa_job *job)
{
	return fa_job_from_td(td, f, job);
}

static int fa_engine_check(struct thread_data *td, struct fio_file *f,
			   const struct fa_limits *lim, const char *engine)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	char msg[2048], why[1024];
	struct fa_verdict v;
	struct fa_job job;
	int ret;

	ret = fa_job_from_td(td, f, &job);
	if (ret) {
		log_err("fio: %s: job %s has more than %d distinct write sizes\n",
			engine, td->o.name, FA_JOB_MAX_SIZES);
		return 1;
	}
	if (!job.nr_sizes)
		return 0;
	if (lim->kind == FA_KIND_BLOCK && !td->o.allow_mounted_write) {
		/*
		 * fio's allow_mounted_write=1 is the job's explicit consent;
		 * without it a device in use is never written.
		 */
		ret = fa_guard_device(lim->path, why, sizeof(why));
		if (ret == -EBUSY) {
			log_err("fio: %s: refusing to write: %s (set allow_mounted_write=1 to write anyway)\n",
				engine, why);
			return 1;
		}
		if (ret) {
			log_err("fio: %s: cannot examine %s: %s\n", engine,
				lim->path, strerror(-ret));
			return 1;
		}
	}
	/* The guard above holds for every write; the rules only for atomic. */
	if (eo->validate == FA_VALIDATE_OFF || !eo->rwf_atomic)
		return 0;
	if (fa_check_job(lim, &job, &v, msg, sizeof(msg)) != FA_RULE_OK) {
		log_err("fio: %s: %s (rule %s; atomic_validate=off sends it anyway)\n",
			engine, msg, fa_rule_name(v.rule));
		return 1;
	}
	return 0;
}

static int fa_discover(struct thread_data *td, const char *path,
		       struct fa_limits *lim, const char *engine)
{
	int ret = fa_limits_discover(path, lim);

	if (ret) {
		log_err("fio: %s: cannot read the atomic write limits of %s: %s\n",
			engine, path, strerror(-ret));
		td_verror(td, -ret, "atomic limits");
		return 1;
	}
	return 0;
}

int fa_engine_setup(struct thread_data *td, const char *engine)
{
	struct fa_limits *lim;
	struct fio_file *f;
	struct stat st;
	unsigned int i;
	int err = 0;

	if (fa_tear_setup(td, engine))
		return 1;
	lim = malloc(sizeof(*lim));
	if (!lim)
		return 1;
	for_each_file(td, f, i) {
		/* A file fio has yet to create is checked at open time. */
		if (stat(f->file_name, &st) < 0)
			continue;
		if (fa_discover(td, f->file_name, lim, engine) ||
		    fa_engine_check(td, NULL, lim, engine)) {
			err = 1;
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
	if (fa_engine_check(td, f, lim, engine)) {
		/* Not EINVAL: fio would blame O_DIRECT for that. */
		td_verror(td, ECANCELED, "atomic write rules");
		goto err;
	}
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

static bool fa_ack_log_wanted(struct thread_data *td)
{
	const char *path = fa_engine_opts(td)->tear_ack_log;

	return path && path[0];
}

/* The job's own log, PATH.<job>.<n>, emptied: this run's acks only. */
static int fa_tear_ack_open(struct thread_data *td, struct fa_engine *e)
{
	struct fa_tear *t = &e->tear;
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s.%s.%d",
		     fa_engine_opts(td)->tear_ack_log, td->o.name,
		     td->thread_number) >= (int)sizeof(path)) {
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
	e->conf.sent[rule]++;
	if (err) {
		e->conf.rejected[rule]++;
		e->conf.last_errno[rule] = err;
	} else {
		e->conf.accepted[rule]++;
	}
}

int fa_tear_setup(struct thread_data *td, const char *engine)
{
	if (!fa_engine_opts(td)->tear_check) {
		if (!fa_ack_log_wanted(td))
			return 0;
		log_err("fio: %s: tear_ack_log=%s needs tear_check=1 (the log names writes by their stamps' generations)\n",
			engine, fa_engine_opts(td)->tear_ack_log);
		return 1;
	}
	/* VERIFY_NONE is 0; verify.h drags in more than it gives here */
	if (td->o.verify) {
		log_err("fio: %s: tear_check=1 and verify= both own the write buffers' contents: use one (tear_check classifies reads itself)\n",
			engine);
		return 1;
	}
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

static void fa_tear_json(struct thread_data *td, struct fa_engine *e,
			 bool atomic)
{
	const struct fa_tear *t = &e->tear;
	struct fa_engine_opts *eo = fa_engine_opts(td);
	struct json_object *root;
	char path[PATH_MAX];

	if (eo->tear_report && eo->tear_report[0])
		snprintf(path, sizeof(path), "%s", eo->tear_report);
	else
		snprintf(path, sizeof(path), "%s.%d.tear.json", td->o.name,
			 td->thread_number);
	root = json_object_new_object();
	if (!root)
		goto err;
	json_object_object_add(root, "format",
			       json_object_new_string("fio-atomic-tear-1"));
	json_object_object_add(root, "engine", json_object_new_string(e->name));
	json_object_object_add(root, "job", json_object_new_string(td->o.name));
	json_object_object_add(root, "thread",
			       json_object_new_int(td->thread_number));
	json_object_object_add(root, "filename",
			       json_object_new_string(td->files_index ?
					td->files[0]->file_name : ""));
	json_object_object_add(root, "block",
			       json_object_new_int64(t->block));
	json_object_object_add(root, "atomic",
			       json_object_new_boolean(atomic));
	json_object_object_add(root, "stamped_writes",
			       json_object_new_uint64(t->stamped_writes));
	json_object_object_add(root, "acked_writes",
			       json_object_new_uint64(t->acked_writes));
	json_object_object_add(root, "checked_reads",
			       json_object_new_uint64(t->checked_reads));
	json_object_object_add(root, "torn_reads",
			       json_object_new_uint64(t->torn_reads));
	if (fa_scan_counts_json(root, &t->reads))
		goto err;
	if (json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY))
		log_err("fio: %s: cannot write %s: %s\n", e->name, path,
			strerror(errno));
	json_object_put(root);
	return;
err:
	log_err("fio: %s: cannot build %s: %s\n", e->name, path,
		strerror(ENOMEM));
	json_object_put(root);
}

void fa_tear_report(struct thread_data *td, struct fa_engine *e, bool atomic)
{
	struct fa_tear *t = &e->tear;
	const struct fa_scan_counts *c = &t->reads;
	uint64_t n = c->intact + c->torn;

	if (!fa_engine_opts(td)->tear_check)
		return;
	if (t->checked_reads) {
		if (c->torn)
			log_info("%s: %s: tear check: %" PRIu64 " reads, %" PRIu64 " units: %" PRIu64 " intact, %" PRIu64 " torn, %" PRIu64 " unwritten; tear rate %.6f (95%% upper bound %.6f)\n",
				 e->name, td->o.name, t->checked_reads,
				 c->units, c->intact, c->torn, c->unwritten,
				 fa_tear_rate(c), fa_tear_upper95(c->torn, n));
		else
			log_info("%s: %s: tear check: %" PRIu64 " reads, %" PRIu64 " units: %" PRIu64 " intact, 0 torn, %" PRIu64 " unwritten; tear rate < %.6f (95%% upper bound)\n",
				 e->name, td->o.name, t->checked_reads,
				 c->units, c->intact, c->unwritten,
				 fa_tear_upper95(0, n));
	}
	if (t->stamped_writes)
		log_info("%s: %s: tear check: %" PRIu64 " writes stamped in %u-byte blocks\n",
			 e->name, td->o.name, t->stamped_writes, t->block);
	if (t->ack_open) {
		log_info("%s: %s: tear check: %" PRIu64 " acknowledged writes logged\n",
			 e->name, td->o.name, t->acked_writes);
		close(t->ack_fd);
		t->ack_open = false;
	}
	fa_tear_json(td, e, atomic);
}

void fa_engine_report(struct thread_data *td, struct fa_engine *e)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	int rule;

	fa_tear_report(td, e, eo->rwf_atomic);
	if (eo->validate != FA_VALIDATE_OFF)
		return;
	for (rule = FA_RULE_OK + 1; rule < FA_RULE_NR; rule++) {
		const struct fa_conformance *c = &e->conf;

		if (!c->sent[rule])
			continue;
		log_info("%s: %s: rule %s: %" PRIu64 " illegal writes sent, %" PRIu64 " rejected (%s), %" PRIu64 " accepted\n",
			 e->name, td->o.name, fa_rule_name(rule), c->sent[rule],
			 c->rejected[rule],
			 c->last_errno[rule] ? strerror(c->last_errno[rule]) :
					       "no error",
			 c->accepted[rule]);
	}
}
