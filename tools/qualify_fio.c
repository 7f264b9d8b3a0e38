// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: running fio and the output helpers of every step.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <json-c/json.h>
#include "fa_device.h"
#include "fa_guard.h"
#include "fa_jobreport.h"
#include "fa_limits.h"
#include "fa_qualify.h"
#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

static bool fa_q_any_report(const struct fa_q_ctx *q, int nr);

/* -------- running fio -------- */

char *fa_read_all(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap), *nb;
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return buf;
	for (;;) {
		if (cap - len < 2) {
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
}


void fa_q_run_free(struct fa_q_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/*
 * Run @argv with stdout and stderr in files of @dir, in @dir. A sanitised
 * build's engines need the runtime preloaded into the uninstrumented fio
 * (FA_PRELOAD, as the tests set it). An interruption stops fio: -EINTR.
 */
int fa_q_spawn(const char *dir, int nr, char *const argv[],
	       struct fa_q_run *r)
{
	char out[PATH_MAX + 32], err[PATH_MAX + 32];
	const struct fa_spawn s = {
		.dir = dir,
		.in = "/dev/null",
		.out = out,
		.err = err,
		.flags = FA_SPAWN_PRELOAD,
		.stop = &fa_q_interrupted,
	};
	int ret;

	memset(r, 0, sizeof(*r));
	snprintf(out, sizeof(out), "%s/run%d.out", dir, nr);
	snprintf(err, sizeof(err), "%s/run%d.err", dir, nr);
	ret = fa_spawn_run(&s, argv);
	if (ret < 0)
		return ret;
	r->status = ret;
	r->out = fa_read_all(out);
	r->err = fa_read_all(err);
	if (!r->out || !r->err) {
		fa_q_run_free(r);
		return -ENOMEM;
	}
	return 0;
}

/*
 * fio --client takes job files only: the options of @a (after fio and
 * --output-format) become one, "--name=X" starting each job's section.
 */
static int fa_q_jobfile(const struct fa_argv *a, const char *path)
{
	FILE *fp = fopen(path, "we");
	int i;

	if (!fp)
		return -errno;
	fputs("[global]\n", fp);
	for (i = 2; i < a->n; i++) {
		const char *opt = a->v[i] + 2;

		if (!strncmp(opt, "name=", 5))
			fprintf(fp, "[%s]\n", opt + 5);
		else
			fprintf(fp, "%s\n", opt);
	}
	if (fclose(fp))
		return -errno;
	return 0;
}

/*
 * Run fio on @a, begun by fa_q_fio_base() (so its jobs write reports);
 * with --client the measuring runs (@remote: steps 3 and 4) go to the fio
 * server instead.
 */
int fa_q_fio(struct fa_q_ctx *q, struct fa_argv *a, bool remote,
	     struct fa_q_run *r)
{
	struct fa_argv c = { .n = 0 };
	char job[PATH_MAX + 32], err[256];
	int ret, nr = q->nr_fio++;

	if (!remote || !q->o->client) {
		ret = fa_q_spawn(q->workdir, nr, a->v, r);
	} else {
		snprintf(job, sizeof(job), "%s/job%d.fio", q->workdir, nr);
		ret = fa_q_jobfile(a, job);
		if (ret)
			return ret;
		fa_argv_add(&c, "%s", q->o->fio_path);
		fa_argv_add(&c, "--client=%s", q->o->client);
		fa_argv_add(&c, "--output-format=json");
		fa_argv_add(&c, "%s", job);
		ret = fa_q_spawn(q->workdir, nr, c.v, r);
		fa_argv_free(&c);
	}
	if (ret) {
		fa_q_tool_error(q, "cannot run %s: %s", q->o->fio_path,
				strerror(-ret));
		return ret;
	}
	/*
	 * A run sent to a fio server comes back with the server's results,
	 * or the server was not there to run it: the tool's failure.
	 */
	if (remote && q->o->client && fa_q_server_check(q, r->out)) {
		fa_q_fio_error(r, err, sizeof(err));
		fa_q_tool_error(q, "fio server %s returned no results (%s)",
				q->o->host ? q->o->host : q->o->client, err);
		r->tool_failed = true;
		return 0;
	}
	/*
	 * Every job through an engine writes its report in the engine's
	 * setup: a failed fio without one never reached the target (an
	 * option it refused, an engine it could not load). The reports of
	 * a fio server on another machine are on its own filesystem.
	 */
	if (r->status && !(remote && q->o->client && q->o->remote) &&
	    !fa_q_any_report(q, nr)) {
		fa_q_fio_error(r, err, sizeof(err));
		fa_q_tool_error(q, "fio ran none of its jobs: %s", err);
		r->tool_failed = true;
	}
	return 0;
}

/* The first line of fio's stderr that says what went wrong. */
void fa_q_fio_error(const struct fa_q_run *r, char *buf, size_t len)
{
	const char *p = r->err, *best = NULL;

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, "fio:", 4) || strstr(p, "err=") ||
		    strstr(p, "unrecognized option") || strstr(p, "error")) {
			best = p;
			break;
		}
	}
	if (!best)
		best = r->err && r->err[0] ? r->err : "no message";
	snprintf(buf, len, "fio exit %d: %.*s", r->status,
		 (int)(strchrnul(best, '\n') - best), best);
}

/* Where run @nr's job @job writes its report (atomic_report=). */
void fa_q_report_path(const struct fa_q_ctx *q, int nr, const char *job,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%s/job%d.%s.json", q->workdir, nr, job);
}

static bool fa_q_any_report(const struct fa_q_ctx *q, int nr)
{
	char prefix[32];
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(q->workdir);

	if (!d)
		return false;
	snprintf(prefix, sizeof(prefix), "job%d.", nr);
	while (!found && (de = readdir(d)))
		found = !strncmp(de->d_name, prefix, strlen(prefix)) &&
			strstr(de->d_name, ".json");
	closedir(d);
	return found;
}

void fa_q_tool_error(struct fa_q_ctx *q, const char *fmt, ...)
{
	va_list ap;

	if (q->tool_error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(q->tool_error, sizeof(q->tool_error), fmt, ap);
	va_end(ap);
}

/*
 * Every run through an engine writes one report per job, named by the
 * run's number and the job: the step reads it back, and a failed fio
 * without any never reached the target. Returns the run's number, the
 * one fa_q_fio() gives it.
 */
int fa_q_fio_base(struct fa_q_ctx *q, struct fa_argv *a,
		  const struct fa_q_engine *e)
{
	fa_argv_add(a, "%s", q->o->fio_path);
	fa_argv_add(a, "--output-format=json");
	fa_argv_add(a, "--ioengine=external:%s/%s.so", q->o->engine_dir,
		    e->engine);
	fa_argv_add(a, "--atomic_report=%s/job%d.$jobname.json", q->workdir,
		    q->nr_fio);
	fa_argv_add(a, "--filename=%s", e->filename);
	if (e->direct)
		fa_argv_add(a, "--direct=1");
	if (e->mode_opt)
		fa_argv_add(a, "%s", e->mode_opt);
	return q->nr_fio;
}

/* "fio-3.33", for the report; -errno (a tool error) when fio does not run. */
int fa_q_fio_version(struct fa_q_ctx *q)
{
	struct fa_argv a = { .n = 0 };
	struct fa_q_run r;
	char err[256];
	int ret;

	fa_argv_add(&a, "%s", q->o->fio_path);
	fa_argv_add(&a, "--version");
	ret = fa_q_spawn(q->workdir, q->nr_fio++, a.v, &r);
	fa_argv_free(&a);
	if (ret) {
		fa_q_tool_error(q, "cannot run %s: %s", q->o->fio_path,
				strerror(-ret));
		return ret;
	}
	if (r.status || strncmp(r.out, "fio-", 4)) {
		fa_q_fio_error(&r, err, sizeof(err));
		fa_q_tool_error(q, "%s --version does not answer as fio does (%s)",
				q->o->fio_path, err);
		fa_q_run_free(&r);
		return -ENOEXEC;
	}
	fa_strlcpy(q->fio_version, r.out, sizeof(q->fio_version));
	q->fio_version[strcspn(q->fio_version, "\n")] = '\0';
	fa_q_run_free(&r);
	return 0;
}

/*
 * Before the first measured write: fio runs, every engine of the plan
 * loads into it, the fio server (--client) answers, and one write
 * through the first engine completes the way a job does (a report
 * written), on the server when there is one.
 */
int fa_q_preflight(struct fa_q_ctx *q)
{
	struct fa_argv a = { .n = 0 };
	struct fa_q_run r;
	char err[256];
	int i, ret;

	ret = fa_q_fio_version(q);
	if (ret)
		return ret;
	ret = fa_q_server_reachable(q);
	if (ret)
		return ret;
	for (i = 0; i < q->nr_engines; i++) {
		const struct fa_q_engine *e = &q->engines[i];

		memset(&a, 0, sizeof(a));
		fa_argv_add(&a, "%s", q->o->fio_path);
		fa_argv_add(&a, "--enghelp=%s/%s.so", q->o->engine_dir,
			    e->engine);
		ret = fa_q_spawn(q->workdir, q->nr_fio++, a.v, &r);
		fa_argv_free(&a);
		if (ret) {
			fa_q_tool_error(q, "cannot run %s: %s", q->o->fio_path,
					strerror(-ret));
			return ret;
		}
		if (r.status) {
			fa_q_fio_error(&r, err, sizeof(err));
			fa_q_tool_error(q, "engine %s/%s.so does not load into %s (%s)",
					q->o->engine_dir, e->engine,
					q->o->fio_path, err);
			fa_q_run_free(&r);
			return -ENOEXEC;
		}
		fa_q_run_free(&r);
	}
	if (!q->nr_engines || !fa_q_can_write(q))
		return 0;
	memset(&a, 0, sizeof(a));
	fa_q_fio_base(q, &a, &q->engines[0]);
	fa_argv_add(&a, "--name=preflight");
	fa_argv_add(&a, "--rw=write");
	fa_argv_add(&a, "--bs=%" PRIu64, q->lim.unit_min.value);
	fa_argv_add(&a, "--size=%" PRIu64, q->lim.unit_min.value);
	ret = fa_q_fio(q, &a, q->o->client != NULL, &r);
	fa_argv_free(&a);
	if (ret)
		return ret;
	/*
	 * Another machine's job reports are not visible here: its one
	 * write failing is the set-up (a path it does not see, an engine
	 * it cannot load), not a verdict on its device.
	 */
	if (r.status && q->o->client && q->o->remote) {
		fa_q_fio_error(&r, err, sizeof(err));
		fa_q_tool_error(q, "the preflight write through fio server %s failed (%s): it must see %s, the engines and %s at these paths",
				q->o->host, err, q->path, q->workdir);
	}
	fa_q_run_free(&r);
	return q->tool_error[0] ? -ENOEXEC : 0;
}

/* -------- output helpers -------- */

void fa_q_size_str(uint64_t v, char *buf, size_t len)
{
	if (v >= (1 << 20) && !(v & ((1 << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 "m", v >> 20);
	else if (v >= 1024 && !(v & 1023))
		snprintf(buf, len, "%" PRIu64 "k", v >> 10);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

struct fa_q_step *fa_q_begin(struct fa_q_ctx *q, const char *name,
			     bool required, const char *what)
{
	struct fa_q_step *s = &q->steps[q->nr_steps];

	memset(s, 0, sizeof(*s));
	fa_strlcpy(s->name, name, sizeof(s->name));
	s->required = required;
	s->result = FA_Q_PASS;
	q->details[q->nr_steps] = json_object_new_object();
	q->nr_steps++;
	printf("step %d: %s: %s\n", q->nr_steps, name, what);
	return s;
}

void fa_q_end(struct fa_q_step *s, enum fa_q_result r,
	      const char *fmt, ...)
{
	va_list ap;

	s->result = r;
	s->reason[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
		va_end(ap);
	}
	if (r == FA_Q_PASS)
		printf("%s: PASS%s%s\n", s->name, s->reason[0] ? ": " : "",
		       s->reason);
	else
		printf("%s: %s (%s)\n", s->name, fa_q_result_name(r),
		       s->reason);
	fflush(stdout);
}

/* A size option: fa_tool_parse_size(), and not zero. */
int fa_q_parse_size(const char *s, uint64_t *out)
{
	uint64_t v;

	if (!s || fa_tool_parse_size(s, &v) || !v)
		return -EINVAL;
	*out = v;
	return 0;
}
