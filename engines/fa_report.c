// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: fio glue for the per-job report (lib/fa_jobreport.h) that
 * every engine writes: where it goes, what of fio's job goes into it, the
 * run context of its target (lib/fa_context.h), refusals before the first
 * write (logged, recorded, and set as the job's error so fio's own JSON
 * shows them), and the end-of-job summary lines.
 *
 * The report is set up in the ->setup hook, which fio runs before it
 * lays out or writes any file, so an unwritable report path fails the job
 * with nothing written. Setup runs in fio's main process and the job in a
 * child: the report hangs off the job's engine options, which the child
 * inherits.
 *
 * Human lines follow fio's own output: they are logged only when the
 * output format includes "normal", so --output-format=json(+) or terse
 * leave stdout to fio's machine-readable output, and they go through fio's
 * log, flushed, so --output=FILE has them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fa_engine.h"
#include "../lib/fa_util.h"

void fa_log_human(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (!(output_format & FIO_OUTPUT_NORMAL))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_info("%s", buf);
	log_info_flush();
}

struct fa_jobreport *fa_report_of(struct thread_data *td)
{
	return fa_engine_opts(td)->report;
}

/* The directory of fio's --output file, when it names one. */
static bool fa_output_dir(char *buf, size_t len)
{
	char link[64], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (!f_out || f_out == stdout)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fileno(f_out));
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0 || target[0] != '/')
		return false;
	target[n] = '\0';
	if (stat(target, &st) || !S_ISREG(st.st_mode))
		return false;
	fa_strlcpy(buf, dirname(target), len);
	return true;
}

/* "$jobname" and "$jobnum" in atomic_report= name the job, as in fio. */
static int fa_report_expand(struct thread_data *td, const char *opt,
			    char *buf, size_t len)
{
	size_t n = 0;
	int w;

	while (*opt) {
		if (!strncmp(opt, "$jobname", 8)) {
			w = snprintf(buf + n, len - n, "%s", td->o.name);
			opt += 8;
		} else if (!strncmp(opt, "$jobnum", 7)) {
			w = snprintf(buf + n, len - n, "%d", td->thread_number);
			opt += 7;
		} else {
			w = snprintf(buf + n, len - n, "%c", *opt++);
		}
		if (w < 0 || (size_t)w >= len - n)
			return -ENAMETOOLONG;
		n += (size_t)w;
	}
	return 0;
}

/*
 * atomic_report=PATH, or <job>.<n>.<start time>-<pid>.atomic.json beside
 * fio's --output (else in the working directory): a second run never
 * lands on the first one's report.
 */
static int fa_report_path(struct thread_data *td, char *buf, size_t len,
			  bool *given)
{
	const char *opt = fa_engine_opts(td)->atomic_report;
	char dir[PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	*given = opt && opt[0];
	if (*given)
		return fa_report_expand(td, opt, buf, len);
	if (!gmtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm))
		fa_strlcpy(stamp, "0", sizeof(stamp));
	if (!fa_output_dir(dir, sizeof(dir)))
		fa_strlcpy(dir, ".", sizeof(dir));
	return snprintf(buf, len, "%s/%s.%d.%s-%d.atomic.json", dir,
			td->o.name, td->thread_number, stamp,
			(int)getpid()) >= (int)len ? -ENAMETOOLONG : 0;
}

/*
 * The paths the jobs of this run have claimed: fio sets up every job in
 * its main process, so two jobs naming one report are caught here.
 */
static char *fa_claimed[256];

static const char *fa_report_claim(const char *path, const char *job)
{
	static char owner[256][128];
	unsigned int i;

	for (i = 0; i < FA_ARRAY_SIZE(fa_claimed) && fa_claimed[i]; i++)
		if (!strcmp(fa_claimed[i], path))
			return owner[i];
	if (i < FA_ARRAY_SIZE(fa_claimed)) {
		fa_claimed[i] = strdup(path);
		if (fa_claimed[i])
			fa_strlcpy(owner[i], job, sizeof(owner[i]));
	}
	return NULL;
}

static void fa_report_job(struct thread_data *td, struct fa_jobreport *r,
			  const char *engine, const char *mode)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	struct thread_options *o = &td->o;
	int ddir = td_write(td) ? DDIR_WRITE : DDIR_READ;

	fa_strlcpy(r->engine, engine, sizeof(r->engine));
	fa_strlcpy(r->mode, mode, sizeof(r->mode));
	fa_strlcpy(r->fio_version, fio_version_string, sizeof(r->fio_version));
	fa_strlcpy(r->job, o->name, sizeof(r->job));
	r->thread = td->thread_number;
	r->pid = (int)getpid();
	snprintf(r->rw, sizeof(r->rw), "%s%s%s",
		 td_random(td) ? "rand" : "",
		 td_rw(td) ? "rw" : td_write(td) ? "write" : "read",
		 td_trim(td) ? "+trim" : "");
	r->bs_min = o->min_bs[ddir];
	r->bs_max = o->max_bs[ddir];
	r->iodepth = o->iodepth;
	r->nr_files = o->nr_files;
	fa_strlcpy(r->validate,
		   eo->validate == FA_VALIDATE_OFF ? "off" : "strict",
		   sizeof(r->validate));
	r->atomic = eo->rwf_atomic;
	r->verdict = eo->validate == FA_VALIDATE_OFF || !eo->rwf_atomic ?
		FA_JR_NOT_CHECKED : FA_JR_ACCEPTED;
	r->tear_checked = eo->tear_check;
}

int fa_report_setup(struct thread_data *td, const char *engine,
		    const char *mode)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	struct fa_jobreport *r = eo->report;
	const char *other;
	bool given;
	int fd, ret;

	if (!r) {
		r = malloc(sizeof(*r));
		if (!r) {
			td_verror(td, ENOMEM, "atomic_report");
			return 1;
		}
		fa_jobreport_init(r);
		eo->report = r;
		ret = fa_report_path(td, eo->report_path,
				     sizeof(eo->report_path), &given);
		if (ret) {
			log_err("fio: %s: atomic_report: the path is too long\n",
				engine);
			td_verror(td, -ret, "atomic_report");
			eo->report_path[0] = '\0';
			return 1;
		}
		other = fa_report_claim(eo->report_path, td->o.name);
		if (other) {
			log_err("fio: %s: atomic_report=%s: job %s writes that report already; give each job its own (e.g. atomic_report=DIR/$jobname.$jobnum.json)\n",
				engine, eo->report_path, other);
			td_verror(td, EEXIST, "atomic_report");
			eo->report_path[0] = '\0';
			return 1;
		}
		/* A default name is new, or it is some other run's file. */
		fd = open(eo->report_path, O_WRONLY | O_CREAT | O_CLOEXEC |
			  (given ? O_TRUNC : O_EXCL), 0644);
		if (fd < 0) {
			ret = errno;
			log_err("fio: %s: atomic_report: cannot create %s: %s\n",
				engine, eo->report_path, strerror(ret));
			td_verror(td, ret, "atomic_report");
			eo->report_path[0] = '\0';
			return 1;
		}
		close(fd);
	}
	fa_report_job(td, r, engine, mode);
	return fa_report_write(td);
}

int fa_report_write(struct thread_data *td)
{
	struct fa_engine_opts *eo = fa_engine_opts(td);
	int ret;

	if (!eo->report || !eo->report_path[0])
		return 0;
	ret = fa_jobreport_write(eo->report_path, eo->report);
	if (ret) {
		log_err("fio: %s: atomic_report: cannot write %s: %s\n",
			eo->report->engine, eo->report_path, strerror(-ret));
		td_verror(td, -ret, "atomic_report");
		return 1;
	}
	return 0;
}

/*
 * The run context of the job's first file, recorded now (setup, before the
 * first write); its limits are taken from the report's when it is written.
 */
static void fa_report_context(struct fa_jobreport *r, const char *path)
{
	fa_runctx_collect(&r->context, path);
	fa_strlcpy(r->context.fio_version, fio_version_string,
		   sizeof(r->context.fio_version));
}

bool fa_report_target(struct thread_data *td, const char *path,
		      const char *kind, const char *device)
{
	struct fa_jobreport *r = fa_report_of(td);

	/* The first file's limits are the ones the report lists. */
	if (!r || r->target[0])
		return false;
	fa_strlcpy(r->target, path, sizeof(r->target));
	fa_strlcpy(r->kind, kind, sizeof(r->kind));
	fa_strlcpy(r->device, device ? device : "", sizeof(r->device));
	fa_report_context(r, path);
	return true;
}

void fa_report_limit(struct thread_data *td, const char *name, uint64_t value,
		     const char *origin)
{
	struct fa_jobreport *r = fa_report_of(td);
	int i;

	if (!r)
		return;
	for (i = 0; i < r->nr_limits; i++)
		if (!strcmp(r->limits[i].name, name))
			return;
	fa_jobreport_add_limit(r, name, value, origin);
}

int fa_refuse(struct thread_data *td, const struct fa_refusal_info *why,
	      const char *fmt, ...)
{
	struct fa_jobreport *r = fa_report_of(td);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("fio: %s\n", msg);
	td_verror(td, why->err, why->rule);
	if (!r || r->verdict == FA_JR_REFUSED)
		return 1;
	r->verdict = FA_JR_REFUSED;
	fa_strlcpy(r->refusal.rule, why->rule, sizeof(r->refusal.rule));
	r->refusal.value = why->value;
	fa_strlcpy(r->refusal.limit, why->limit ? why->limit : "",
		   sizeof(r->refusal.limit));
	fa_strlcpy(r->refusal.source, why->source ? why->source : "",
		   sizeof(r->refusal.source));
	fa_strlcpy(r->refusal.message, msg, sizeof(r->refusal.message));
	r->refusal.err = why->err;
	fa_jobreport_now(r->finished, sizeof(r->finished));
	fa_report_write(td);
	return 1;
}

void fa_engine_rule_init(struct fa_engine *e, int rule, const char *name,
			 bool enforced)
{
	if (rule < 0 || rule >= FA_JR_MAX_RULES)
		return;
	fa_strlcpy(e->rules[rule].rule, name, sizeof(e->rules[rule].rule));
	e->rules[rule].enforced = enforced;
	if (e->nr_rules <= rule)
		e->nr_rules = rule + 1;
}

static void fa_report_conformance(struct thread_data *td, struct fa_engine *e,
				  struct fa_jobreport *r)
{
	int i;

	r->nr_rules = 0;
	for (i = 1; i < e->nr_rules; i++) {
		const struct fa_conf_rule *c = &e->rules[i];

		if (!c->sent)
			continue;
		r->rules[r->nr_rules++] = *c;
		if (c->enforced)
			fa_log_human("%s: %s: rule %s: %" PRIu64 " illegal writes sent, %" PRIu64 " rejected (%s), %" PRIu64 " accepted\n",
				     e->name, td->o.name, c->rule, c->sent,
				     c->rejected,
				     c->rejected ? c->last.text : "none",
				     c->accepted);
		else
			fa_log_human("%s: %s: rule %s: %" PRIu64 " writes sent outside the guarantee, %" PRIu64 " failed%s%s, %" PRIu64 " completed without error (the device does not report a torn-write risk)\n",
				     e->name, td->o.name, c->rule, c->sent,
				     c->rejected, c->rejected ? ", last: " : "",
				     c->rejected ? c->last.text : "",
				     c->accepted);
	}
}

void fa_report_finish(struct thread_data *td, struct fa_engine *e)
{
	struct fa_jobreport *r = fa_report_of(td);

	fa_tear_finish(td, e);
	if (!r)
		return;
	r->atomic_writes = e->atomic_writes;
	r->refused_writes = e->refused;
	fa_report_conformance(td, e, r);
	if (r->tear_checked) {
		struct fa_jr_tear *t = &r->tear;

		t->block = e->tear.block;
		t->stamped_writes = e->tear.stamped_writes;
		t->acked_writes = e->tear.acked_writes;
		t->checked_reads = e->tear.checked_reads;
		t->torn_reads = e->tear.torn_reads;
		t->reads = e->tear.reads;
		fa_strlcpy(t->ack_log, e->tear.ack_path, sizeof(t->ack_log));
	}
	fa_jobreport_now(r->finished, sizeof(r->finished));
	if (!fa_report_write(td))
		fa_log_human("%s: %s: report in %s\n", e->name, td->o.name,
			     fa_engine_opts(td)->report_path);
	free(r);
	fa_engine_opts(td)->report = NULL;
}
