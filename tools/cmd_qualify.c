// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify TARGET: does this device, with this kernel, give the
 * atomic writes it claims, and at what cost? One run of steps, each
 * ending PASS, FAIL (reason) or SKIP (reason), then a verdict:
 *
 *   1 limits       every source of the limits read and cross-checked, as
 *                  `fio-atomic limits` does
 *   2 conformance  each kernel rule, and each rule of the device's own
 *                  (SCSI Block Limits, NVMe AWUPF/boundary), broken once
 *                  with atomic_validate=off: every illegal write must be
 *                  rejected as the rule says
 *   3 writes       atomic writes of every power of two from unit_min to
 *                  unit_max through every engine that applies: IOPS and
 *                  completion latency percentiles
 *   4 tear         racing readers (tear_check=1) per engine that takes it
 *
 * fio runs as a child process (fork/exec, JSON output); the pure logic
 * (verdict, sweep, parsers) is lib/fa_qualify.c. `--lab` runs all of it
 * on the lab VM's devices and adds the power-cut harness.
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
#include <sys/wait.h>
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

#define CMD		"qualify"
#define FA_Q_MAX_SIZES	32
#define FA_Q_MAX_STEPS	8
#define FA_Q_MAX_ARGS	64

enum fa_q_kind {
	FA_Q_FILE,
	FA_Q_BLOCK,	/* a block device neither SCSI nor NVMe */
	FA_Q_SCSI,
	FA_Q_NVME,
};

static const char *const fa_q_kind_names[] = {
	[FA_Q_FILE]	= "file",
	[FA_Q_BLOCK]	= "block",
	[FA_Q_SCSI]	= "scsi",
	[FA_Q_NVME]	= "nvme",
};

struct fa_q_opts {
	const char *target;
	const char *fio;
	const char *json_out;
	const char *html_dir;
	const char *client;	/* fio server for steps 3 and 4 */
	unsigned int runtime;
	uint64_t size;
	uint64_t max_size;
	bool size_given;
	bool destroy;
	bool lab;
	bool quick;
	bool lab_guest;		/* internal: the guest side of --lab */
	int runs;
	char tool_dir[PATH_MAX - 64];
	char self[PATH_MAX];
	char engine_dir[PATH_MAX];
	char fio_path[PATH_MAX];
};

/* An engine of the sweep and of the tear step, and how to reach the target. */
struct fa_q_engine {
	const char *engine;
	const char *mode;
	const char *mode_opt;	/* e.g. "--nvme_mode=ioctl", or NULL */
	const char *filename;
	unsigned int iodepth;
	bool direct;
};

struct fa_q_ctx {
	struct fa_q_opts *o;
	enum fa_q_kind kind;
	char path[PATH_MAX];	/* what is written: scratch file or device */
	bool remove_path;
	char sg[64];
	char ng[64];
	char workdir[PATH_MAX];
	uint64_t region;
	struct fa_limits lim;
	struct fa_disagreement dis[FA_MAX_DISAGREE];
	int nr_dis;
	struct fa_q_engine engines[6];
	int nr_engines;
	struct fa_q_step steps[FA_Q_MAX_STEPS];
	struct json_object *details[FA_Q_MAX_STEPS];
	int nr_steps;
	struct json_object *results;
	struct json_object *tear;
	int nr_fio;
	char fio_version[64];
};

/* -------- running fio -------- */

struct fa_argv {
	char *v[FA_Q_MAX_ARGS + 1];
	int n;
};

static void fa_argv_add(struct fa_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fa_argv_add(struct fa_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->n >= FA_Q_MAX_ARGS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

static void fa_argv_free(struct fa_argv *a)
{
	while (a->n)
		free(a->v[--a->n]);
}

static char *fa_read_all(const char *path)
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

struct fa_q_run {
	int status;		/* exit status, or 128 + signal */
	char *out;
	char *err;
};

static void fa_q_run_free(struct fa_q_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/*
 * Run @argv with stdout and stderr in files of @dir, in @dir. A sanitised
 * build's engines need the runtime preloaded into the uninstrumented fio
 * (FA_PRELOAD, as the tests set it).
 */
static int fa_q_spawn(const char *dir, int nr, char *const argv[],
		      struct fa_q_run *r)
{
	char out[PATH_MAX + 32], err[PATH_MAX + 32];
	const char *preload = getenv("FA_PRELOAD");
	int status;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	snprintf(out, sizeof(out), "%s/run%d.out", dir, nr);
	snprintf(err, sizeof(err), "%s/run%d.err", dir, nr);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fi = open("/dev/null", O_RDONLY);

		if (fo < 0 || fe < 0 || fi < 0 || dup2(fi, 0) < 0 ||
		    dup2(fo, 1) < 0 || dup2(fe, 2) < 0 || chdir(dir) < 0)
			_exit(127);
		if (preload && preload[0]) {
			setenv("LD_PRELOAD", preload, 1);
			setenv("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1",
			       1);
		}
		execv(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) :
		    128 + WTERMSIG(status);
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
 * Run fio; with --client the measuring runs (@remote: steps 3 and 4) go
 * to the fio server instead.
 */
static int fa_q_fio(struct fa_q_ctx *q, struct fa_argv *a, bool remote,
		    struct fa_q_run *r)
{
	struct fa_argv c = { .n = 0 };
	char job[PATH_MAX + 32];
	int ret, nr = q->nr_fio++;

	if (!remote || !q->o->client)
		return fa_q_spawn(q->workdir, nr, a->v, r);
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
	return ret;
}

/* The first line of fio's stderr that says what went wrong. */
static void fa_q_fio_error(const struct fa_q_run *r, char *buf, size_t len)
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

static void fa_q_fio_base(struct fa_q_ctx *q, struct fa_argv *a,
			  const struct fa_q_engine *e)
{
	fa_argv_add(a, "%s", q->o->fio_path);
	fa_argv_add(a, "--output-format=json");
	fa_argv_add(a, "--ioengine=external:%s/%s.so", q->o->engine_dir,
		    e->engine);
	fa_argv_add(a, "--filename=%s", e->filename);
	if (e->direct)
		fa_argv_add(a, "--direct=1");
	if (e->mode_opt)
		fa_argv_add(a, "%s", e->mode_opt);
}

/* "fio-3.33", for the report; left empty when fio does not say. */
static void fa_q_fio_version(struct fa_q_ctx *q)
{
	struct fa_argv a = { .n = 0 };
	struct fa_q_run r;

	fa_argv_add(&a, "%s", q->o->fio_path);
	fa_argv_add(&a, "--version");
	if (!fa_q_spawn(q->workdir, q->nr_fio++, a.v, &r)) {
		if (!r.status) {
			fa_strlcpy(q->fio_version, r.out,
				   sizeof(q->fio_version));
			q->fio_version[strcspn(q->fio_version, "\n")] = '\0';
		}
		fa_q_run_free(&r);
	}
	fa_argv_free(&a);
}

/* -------- output helpers -------- */

static void fa_q_size_str(uint64_t v, char *buf, size_t len)
{
	if (v >= (1 << 20) && !(v & ((1 << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 "m", v >> 20);
	else if (v >= 1024 && !(v & 1023))
		snprintf(buf, len, "%" PRIu64 "k", v >> 10);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

static struct fa_q_step *fa_q_begin(struct fa_q_ctx *q, const char *name,
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

static void fa_q_end(struct fa_q_step *s, enum fa_q_result r,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fa_q_end(struct fa_q_step *s, enum fa_q_result r,
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
static int fa_q_parse_size(const char *s, uint64_t *out)
{
	uint64_t v;

	if (!s || fa_tool_parse_size(s, &v) || !v)
		return -EINVAL;
	*out = v;
	return 0;
}

/* -------- the target -------- */

/*
 * Refuse before anything is written: an existing file, or a block device
 * that is mounted, held, partitioned or carries a signature.
 */
static int fa_q_guard(struct fa_q_ctx *q, const struct stat *st)
{
	char why[1024], where[PATH_MAX];
	int ret;

	if (q->o->destroy)
		return 0;
	if (S_ISREG(st->st_mode)) {
		fa_tool_error(CMD, "refusing to write to %s: it is an existing file; qualify overwrites it (pass --destroy-data to allow that, or give a directory or a new file name)",
			      q->o->target);
		return -EBUSY;
	}
	ret = fa_guard_mounted_in("/proc/self/mountinfo", major(st->st_rdev),
				  minor(st->st_rdev), where, sizeof(where));
	if (ret > 0) {
		fa_tool_error(CMD, "refusing to write to %s: it is mounted at %s (unmount it, or pass --destroy-data to overwrite it anyway)",
			      q->o->target, where);
		return -EBUSY;
	}
	ret = fa_guard_device(q->o->target, why, sizeof(why));
	if (ret == -EBUSY) {
		fa_tool_error(CMD, "refusing to write to %s: %s (pass --destroy-data to overwrite it anyway)",
			      q->o->target, why);
		return -EBUSY;
	}
	if (ret) {
		fa_tool_path_error(CMD, q->o->target, ret);
		return ret;
	}
	return 0;
}

/*
 * fio runs in its own working directory, so every path it is given is
 * absolute. A file that does not exist yet is resolved through its parent.
 */
static int fa_q_abspath(const char *t, char *buf, size_t len)
{
	char parent[PATH_MAX], real[PATH_MAX];
	const char *base;
	char *slash;

	if (realpath(t, real)) {
		fa_strlcpy(buf, real, len);
		return 0;
	}
	if (errno != ENOENT)
		return -errno;
	fa_strlcpy(parent, t, sizeof(parent));
	slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		if (!parent[0])
			strcpy(parent, "/");
	} else {
		strcpy(parent, ".");
		base = t;
	}
	if (!*base || !realpath(parent, real))
		return -ENOENT;
	if ((size_t)snprintf(buf, len, "%s/%s", strcmp(real, "/") ? real : "",
			     base) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int fa_q_make_scratch(struct fa_q_ctx *q, bool in_dir)
{
	char abs[PATH_MAX - 64], dir[PATH_MAX - 64], *slash;
	struct statvfs sv;
	int fd, ret;

	ret = fa_q_abspath(q->o->target, abs, sizeof(abs));
	if (ret)
		return ret;
	if (in_dir)
		snprintf(q->path, sizeof(q->path),
			 "%s/fio-atomic-qualify.%d", abs, getpid());
	else
		fa_strlcpy(q->path, abs, sizeof(q->path));
	/*
	 * XFS's software atomic writes are out of place: a file that fills
	 * the filesystem turns every write into ENOSPC. A quarter of the
	 * free space leaves room for them.
	 */
	fa_strlcpy(dir, abs, sizeof(dir));
	slash = strrchr(dir, '/');
	if (!in_dir && slash)
		*slash = '\0';
	if (!statvfs(dir[0] ? dir : "/", &sv)) {
		uint64_t free_bytes = (uint64_t)sv.f_bavail * sv.f_frsize;

		if (!q->o->size_given && q->o->size > free_bytes / 4) {
			q->o->size = (free_bytes / 4) & ~((1ULL << 20) - 1);
			if (q->o->size < (1ULL << 20))
				return -ENOSPC;
			printf("scratch file of %" PRIu64 " MiB: a quarter of the free space\n",
			       q->o->size >> 20);
		}
	}
	fd = open(q->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	q->remove_path = true;
	ret = posix_fallocate(fd, 0, (off_t)q->o->size);
	close(fd);
	if (ret)
		return -ret;
	q->region = q->o->size;
	return 0;
}

/*
 * What TARGET is: a directory (a scratch file is made in it), a new file,
 * an existing file (with --destroy-data) or a block device.
 */
static int fa_q_setup_target(struct fa_q_ctx *q)
{
	const char *t = q->o->target;
	struct stat st;
	int ret, fd;

	if (stat(t, &st) < 0) {
		if (errno != ENOENT) {
			fa_tool_path_error(CMD, t, -errno);
			return FA_EXIT_ERROR;
		}
		ret = fa_q_make_scratch(q, false);
		if (ret) {
			fa_tool_path_error(CMD, t, ret);
			return FA_EXIT_ERROR;
		}
		q->kind = FA_Q_FILE;
		return 0;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) &&
	    !S_ISBLK(st.st_mode)) {
		fa_tool_error(CMD, "%s is neither a directory, a regular file nor a block device (for NVMe and SCSI give the block device: its generic node is found from it)",
			      t);
		return FA_EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode) && fa_q_guard(q, &st))
		return FA_EXIT_REFUSED;
	if (S_ISDIR(st.st_mode)) {
		ret = fa_q_make_scratch(q, true);
		if (ret) {
			fa_tool_path_error(CMD, q->path, ret);
			return FA_EXIT_ERROR;
		}
		q->kind = FA_Q_FILE;
		return 0;
	}
	ret = fa_q_abspath(t, q->path, sizeof(q->path));
	if (ret) {
		fa_tool_path_error(CMD, t, ret);
		return FA_EXIT_ERROR;
	}
	q->kind = S_ISREG(st.st_mode) ? FA_Q_FILE : FA_Q_BLOCK;
	q->region = q->o->size;
	if (S_ISREG(st.st_mode))
		return 0;
	fd = open(t, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		uint64_t bytes = 0;

		if (!ioctl(fd, BLKGETSIZE64, &bytes) && bytes &&
		    bytes < q->region)
			q->region = bytes;
		close(fd);
	}
	return 0;
}

/* The SCSI or NVMe generic node of a whole disk, once its limits are read. */
static void fa_q_classify(struct fa_q_ctx *q)
{
	const struct fa_limits *lim = &q->lim;
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (q->kind != FA_Q_BLOCK || lim->partition || !lim->disk[0])
		return;
	if (!strncmp(lim->disk, "nvme", 4)) {
		snprintf(q->ng, sizeof(q->ng), "/dev/ng%s", lim->disk + 4);
		if (access(q->ng, F_OK) == 0)
			q->kind = FA_Q_NVME;
		else
			q->ng[0] = '\0';
		return;
	}
	snprintf(dir, sizeof(dir), "/sys/block/%s/device/scsi_generic",
		 lim->disk);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(q->sg, sizeof(q->sg), "/dev/%.58s", de->d_name);
		q->kind = FA_Q_SCSI;
		break;
	}
	closedir(d);
}

static void fa_q_add_engine(struct fa_q_ctx *q, const char *engine,
			    const char *mode, const char *mode_opt,
			    const char *filename, unsigned int iodepth,
			    bool direct)
{
	struct fa_q_engine *e = &q->engines[q->nr_engines++];

	e->engine = engine;
	e->mode = mode;
	e->mode_opt = mode_opt;
	e->filename = filename;
	e->iodepth = iodepth;
	e->direct = direct;
}

static void fa_q_plan_engines(struct fa_q_ctx *q)
{
	fa_q_add_engine(q, "atomic-pvsync2", "pwritev2", NULL, q->path, 1,
			true);
	fa_q_add_engine(q, "atomic-uring", "io_uring", NULL, q->path, 16,
			true);
	if (q->kind == FA_Q_SCSI)
		fa_q_add_engine(q, "atomic-sg", "sg_sync", "--sg_mode=sync",
				q->sg, 1, false);
	if (q->kind == FA_Q_NVME) {
		fa_q_add_engine(q, "atomic-nvme", "ioctl", "--nvme_mode=ioctl",
				q->ng, 1, false);
		fa_q_add_engine(q, "atomic-nvme", "uring_cmd",
				"--nvme_mode=uring_cmd", q->ng, 16, false);
	}
}

/* -------- step 1: limits -------- */

static void fa_q_step_limits(struct fa_q_ctx *q)
{
	struct fa_q_step *s;
	char line[2048];
	int ret, i;

	s = fa_q_begin(q, "limits", true, q->path);
	ret = fa_limits_collect(q->path, &q->lim, q->dis, FA_MAX_DISAGREE,
				&q->nr_dis);
	if (ret) {
		fa_q_end(s, FA_Q_FAIL, "cannot examine %s: %s", q->path,
			 strerror(-ret));
		return;
	}
	fa_q_classify(q);
	json_object_put(q->details[0]);
	q->details[0] = fa_limits_json(&q->lim, q->dis, q->nr_dis);
	fa_limits_verdict_line(&q->lim, line, sizeof(line));
	printf("  %s\n", line);
	if (q->kind == FA_Q_SCSI)
		printf("  SCSI disk %s, generic node %s\n", q->lim.disk, q->sg);
	if (q->kind == FA_Q_NVME)
		printf("  NVMe namespace %s, generic node %s\n", q->lim.disk,
		       q->ng);
	for (i = 0; i < q->nr_dis && i < FA_MAX_DISAGREE; i++)
		printf("  DISAGREE %s: %s\n", q->dis[i].what,
		       q->dis[i].explanation);
	if (q->nr_dis) {
		fa_q_end(s, FA_Q_FAIL, "%d disagreement%s between sources, first: %s: %s",
			 q->nr_dis, q->nr_dis == 1 ? "" : "s", q->dis[0].what,
			 q->dis[0].explanation);
	} else if (!fa_limits_supported(&q->lim)) {
		fa_limits_unsupported_reason(&q->lim, line, sizeof(line));
		fa_q_end(s, FA_Q_FAIL, "no atomic writes: %s", line);
	} else {
		fa_q_end(s, FA_Q_PASS, "%" PRIu64 "..%" PRIu64 " bytes, sources agree",
			 q->lim.unit_min.value, q->lim.unit_max.value);
	}
}

static bool fa_q_can_write(const struct fa_q_ctx *q)
{
	return q->nr_steps && fa_limits_supported(&q->lim);
}

/* -------- step 2: conformance -------- */

struct fa_q_case {
	const struct fa_q_engine *engine;
	const char *rule;
	const char *expect;	/* prefix every rejection must have */
	uint64_t writes;
	char opts[4][64];
	int nr_opts;
};

static void fa_q_case_opt(struct fa_q_case *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fa_q_case_opt(struct fa_q_case *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->opts[c->nr_opts++], sizeof(c->opts[0]), fmt, ap);
	va_end(ap);
}

/* Run one case; false when it did not behave. */
static bool fa_q_run_case(struct fa_q_ctx *q, struct fa_q_case *c,
			  struct json_object *arr)
{
	const struct fa_conf_rule *found = NULL;
	struct fa_jobreport *rep = NULL;
	struct json_object *obj;
	struct fa_argv a = { .n = 0 };
	struct fa_q_run r;
	char why[512] = "", report[PATH_MAX + 64], err[256];
	bool ok = false;
	int i, ret;

	snprintf(report, sizeof(report), "%s/conformance-%s-%s-%s.json",
		 q->workdir, c->engine->engine, c->engine->mode, c->rule);
	unlink(report);
	fa_q_fio_base(q, &a, c->engine);
	fa_argv_add(&a, "--name=conformance-%s", c->rule);
	fa_argv_add(&a, "--rw=write");
	fa_argv_add(&a, "--atomic_validate=off");
	fa_argv_add(&a, "--continue_on_error=write");
	fa_argv_add(&a, "--ignore_error=EIO,22:95");
	fa_argv_add(&a, "--atomic_report=%s", report);
	for (i = 0; i < c->nr_opts; i++)
		fa_argv_add(&a, "%s", c->opts[i]);
	ret = fa_q_fio(q, &a, false, &r);
	fa_argv_free(&a);
	rep = malloc(sizeof(*rep));
	if (ret || !rep) {
		snprintf(why, sizeof(why), "cannot run fio: %s",
			 strerror(ret ? -ret : ENOMEM));
	} else {
		/* The engine's own report says what it sent and saw. */
		ret = fa_jobreport_load(report, rep, err, sizeof(err));
		if (!ret)
			found = fa_jobreport_rule(rep, c->rule);
		ok = fa_q_conf_judge(found, c->writes, c->expect, why,
				     sizeof(why));
		if (ret && r.status)
			fa_q_fio_error(&r, why, sizeof(why));
		else if (ret)
			snprintf(why, sizeof(why), "job report %.200s: %.200s",
				 report, err);
	}
	printf("  %-14s %-16s %s: ", c->engine->engine, c->rule,
	       ok ? "ok" : "WRONG");
	if (ok && found && !found->enforced)
		printf("%" PRIu64 " writes counted outside the guarantee (the device does not enforce it)\n",
		       found->sent);
	else if (ok)
		printf("%" PRIu64 " illegal writes, %" PRIu64 " rejected (%s)\n",
		       found->sent, found->rejected, found->last.text);
	else
		printf("%s\n", why);

	obj = json_object_new_object();
	json_object_object_add(obj, "engine",
			       json_object_new_string(c->engine->engine));
	json_object_object_add(obj, "rule", json_object_new_string(c->rule));
	json_object_object_add(obj, "writes",
			       json_object_new_uint64(c->writes));
	json_object_object_add(obj, "sent", found ?
			       json_object_new_uint64(found->sent) : NULL);
	json_object_object_add(obj, "rejected", found ?
			       json_object_new_uint64(found->rejected) : NULL);
	json_object_object_add(obj, "accepted", found ?
			       json_object_new_uint64(found->accepted) : NULL);
	json_object_object_add(obj, "how", found && found->last.text[0] ?
			       json_object_new_string(found->last.text) : NULL);
	json_object_object_add(obj, "enforced", json_object_new_boolean(
			       !found || found->enforced));
	json_object_object_add(obj, "expected", c->expect ?
			       json_object_new_string(c->expect) : NULL);
	json_object_object_add(obj, "result",
			       json_object_new_string(ok ? "PASS" : "FAIL"));
	json_object_object_add(obj, "reason",
			       ok ? NULL : json_object_new_string(why));
	json_object_array_add(arr, obj);
	if (ret == 0)
		fa_q_run_free(&r);
	return ok;
}

static void fa_q_note(struct json_object *notes, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fa_q_note(struct json_object *notes, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("  %s\n", buf);
	json_object_array_add(notes, json_object_new_string(buf));
}

static uint64_t fa_q_field(const struct fa_limits *lim, const char *name,
			   bool *found)
{
	int i;

	*found = false;
	if (!lim->device_read || !lim->device)
		return 0;
	for (i = 0; i < lim->device->nr_fields; i++)
		if (!strcmp(lim->device->fields[i].name, name)) {
			*found = true;
			return lim->device->fields[i].value;
		}
	return 0;
}

#define FA_Q_EINVAL	"Invalid argument"
#define FA_Q_SENSE	"CHECK CONDITION: ILLEGAL REQUEST"

/* Kernel rules, through atomic-pvsync2 on the file or block device. */
static int fa_q_kernel_cases(struct fa_q_ctx *q, struct json_object *arr,
			     struct json_object *notes)
{
	uint64_t min = q->lim.unit_min.value, max = q->lim.unit_max.value;
	const struct fa_q_engine *e = &q->engines[0];
	uint64_t bs;
	int failed = 0;
	struct fa_q_case c;

	/* 3 x unit_min: not a power of two, within the limits when it fits */
	c = (struct fa_q_case){ .engine = e, .rule = "pow2",
				.expect = FA_Q_EINVAL, .writes = 4 };
	fa_q_case_opt(&c, "--bs=%" PRIu64, 3 * min);
	fa_q_case_opt(&c, "--size=%" PRIu64, 12 * min);
	failed += !fa_q_run_case(q, &c, arr);

	if (min >= 2 * 512) {
		c = (struct fa_q_case){ .engine = e, .rule = "unit_min",
					.expect = FA_Q_EINVAL, .writes = 4 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, min / 2);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * min);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "unit_min: not tried: unit_min %" PRIu64 " leaves no shorter direct write",
			  min);
	}

	if (8 * max <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "unit_max",
					.expect = FA_Q_EINVAL, .writes = 4 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, 2 * max);
		fa_q_case_opt(&c, "--size=%" PRIu64, 8 * max);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "unit_max: not tried: 4 writes of %" PRIu64 " bytes do not fit in the %" PRIu64 "-byte region",
			  2 * max, q->region);
	}

	bs = 2 * min <= max ? 2 * min : min;
	c = (struct fa_q_case){ .engine = e, .rule = "align",
				.expect = FA_Q_EINVAL, .writes = 4 };
	fa_q_case_opt(&c, "--bs=%" PRIu64, bs);
	fa_q_case_opt(&c, "--offset=%" PRIu64, bs / 2);
	fa_q_case_opt(&c, "--size=%" PRIu64, 4 * bs);
	failed += !fa_q_run_case(q, &c, arr);

	/* The errno differs (EOPNOTSUPP on XFS, EINVAL on a block device). */
	c = (struct fa_q_case){ .engine = e, .rule = "direct",
				.expect = NULL, .writes = 4 };
	fa_q_case_opt(&c, "--direct=0");
	fa_q_case_opt(&c, "--bs=%" PRIu64, min);
	fa_q_case_opt(&c, "--size=%" PRIu64, 4 * min);
	failed += !fa_q_run_case(q, &c, arr);

	fa_q_note(notes, "segments: not tried: the engines send one buffer per write (segments_max %" PRIu64 ")",
		  q->lim.segments_max.known ? q->lim.segments_max.value : 0);
	return failed;
}

/* The Block Limits VPD rules, through atomic-sg on the generic node. */
static int fa_q_scsi_cases(struct fa_q_ctx *q, struct json_object *arr,
			   struct json_object *notes)
{
	const struct fa_q_engine *e = NULL;
	uint64_t lbs, align, gran, maxlen, bndry, bndry_len, blocks, unit;
	bool has_atomic, f;
	struct fa_q_case c;
	int failed = 0, i;

	for (i = 0; i < q->nr_engines; i++)
		if (!strcmp(q->engines[i].engine, "atomic-sg"))
			e = &q->engines[i];
	maxlen = fa_q_field(&q->lim, "MAXIMUM ATOMIC TRANSFER LENGTH",
			    &has_atomic);
	if (!e || !has_atomic) {
		fa_q_note(notes, "SCSI rules: not tried: the Block Limits VPD page has no atomic fields");
		return 0;
	}
	lbs = fa_q_field(&q->lim, "LOGICAL BLOCK LENGTH IN BYTES", &f);
	align = fa_q_field(&q->lim, "ATOMIC ALIGNMENT", &f);
	gran = fa_q_field(&q->lim, "ATOMIC TRANSFER LENGTH GRANULARITY", &f);
	bndry_len = fa_q_field(&q->lim,
			       "MAXIMUM ATOMIC TRANSFER LENGTH WITH BOUNDARY",
			       &f);
	bndry = fa_q_field(&q->lim, "MAXIMUM ATOMIC BOUNDARY SIZE", &f);
	if (!lbs)
		lbs = 512;
	unit = (gran ? gran : 1) * (align ? align : 1);

	if (align > 1) {
		c = (struct fa_q_case){ .engine = e, .rule = "alignment",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, unit * lbs);
		fa_q_case_opt(&c, "--offset=%" PRIu64, lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * unit * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "alignment: not tried: ATOMIC ALIGNMENT %" PRIu64 " lets every LBA start a write",
			  align);
	}
	if (gran > 1) {
		c = (struct fa_q_case){ .engine = e, .rule = "granularity",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, (gran + 1) * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * (gran + 1) * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "granularity: not tried: ATOMIC TRANSFER LENGTH GRANULARITY %" PRIu64 " takes any length",
			  gran);
	}
	blocks = maxlen + unit;
	if (maxlen && 2 * blocks * lbs <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "max_length",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, blocks * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * blocks * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	}
	if (bndry) {
		c = (struct fa_q_case){ .engine = e, .rule = "boundary_size",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, unit * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * unit * lbs);
		fa_q_case_opt(&c, "--atomic_boundary=%" PRIu64, 2 * bndry);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "boundary_size: not tried: MAXIMUM ATOMIC BOUNDARY SIZE 0 (no boundaries)");
	}
	blocks = bndry_len + unit;
	/* SG_IO buffers beyond 1 MiB fail in the host adapter, not the rule */
	if (bndry && bndry_len && blocks * lbs <= (1 << 20) &&
	    2 * blocks * lbs <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "boundary_length",
					.expect = FA_Q_SENSE, .writes = 2 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, blocks * lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * blocks * lbs);
		fa_q_case_opt(&c, "--atomic_boundary=%" PRIu64,
			      gran ? gran : 1);
		failed += !fa_q_run_case(q, &c, arr);
	} else if (bndry) {
		fa_q_note(notes, "boundary_length: not tried: MAXIMUM ATOMIC TRANSFER LENGTH WITH BOUNDARY %" PRIu64 " blocks is beyond a 1 MiB write",
			  bndry_len);
	}
	return failed;
}

/*
 * NVMe neither enforces nor reports its atomic unit: a write beyond it
 * completes and is simply not atomic. The engine must count every such
 * write outside the guarantee.
 */
static int fa_q_nvme_cases(struct fa_q_ctx *q, struct json_object *arr,
			   struct json_object *notes)
{
	uint64_t lbads, awupf, nawupf, nsfeat, nabspf, unit, lbs;
	const struct fa_q_engine *e = NULL;
	struct fa_q_case c;
	int failed = 0, i;
	bool f;

	for (i = 0; i < q->nr_engines; i++)
		if (!strcmp(q->engines[i].engine, "atomic-nvme")) {
			e = &q->engines[i];
			break;
		}
	lbads = fa_q_field(&q->lim, "lbads", &f);
	if (!e || !f || lbads < 9 || lbads > 16) {
		fa_q_note(notes, "NVMe rules: not tried: the Identify data could not be read");
		return 0;
	}
	lbs = 1ULL << lbads;
	awupf = fa_q_field(&q->lim, "awupf", &f);
	nawupf = fa_q_field(&q->lim, "nawupf", &f);
	nsfeat = fa_q_field(&q->lim, "nsfeat", &f);
	nabspf = fa_q_field(&q->lim, "nabspf", &f);
	unit = ((nsfeat & 2) && nawupf ? nawupf + 1 : awupf + 1) * lbs;

	if (8 * unit <= q->region) {
		c = (struct fa_q_case){ .engine = e, .rule = "atomic_unit",
					.expect = NULL, .writes = 4 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, 2 * unit);
		fa_q_case_opt(&c, "--size=%" PRIu64, 8 * unit);
		failed += !fa_q_run_case(q, &c, arr);
	}
	if (nabspf) {
		uint64_t b = (nabspf + 1) * lbs;

		c = (struct fa_q_case){ .engine = e, .rule = "atomic_boundary",
					.expect = NULL, .writes = 1 };
		fa_q_case_opt(&c, "--bs=%" PRIu64, 2 * lbs);
		fa_q_case_opt(&c, "--offset=%" PRIu64, b - lbs);
		fa_q_case_opt(&c, "--size=%" PRIu64, 2 * lbs);
		failed += !fa_q_run_case(q, &c, arr);
	} else {
		fa_q_note(notes, "atomic_boundary: not tried: nabspf 0 (no atomic boundaries)");
	}
	return failed;
}

static void fa_q_step_conformance(struct fa_q_ctx *q)
{
	struct json_object *arr, *notes, *d;
	struct fa_q_step *s;
	int failed, tried;

	s = fa_q_begin(q, "conformance", false,
		       "each rule broken once with atomic_validate=off");
	if (!fa_q_can_write(q)) {
		fa_q_end(s, FA_Q_SKIP, "no atomic writes");
		return;
	}
	d = q->details[q->nr_steps - 1];
	arr = json_object_new_array();
	notes = json_object_new_array();
	json_object_object_add(d, "cases", arr);
	json_object_object_add(d, "not_tried", notes);
	failed = fa_q_kernel_cases(q, arr, notes);
	if (q->kind == FA_Q_SCSI)
		failed += fa_q_scsi_cases(q, arr, notes);
	if (q->kind == FA_Q_NVME)
		failed += fa_q_nvme_cases(q, arr, notes);
	tried = (int)json_object_array_length(arr);
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%d of %d rules not enforced as expected",
			 failed, tried);
	else
		fa_q_end(s, FA_Q_PASS, "%d rules, every illegal write handled as expected",
			 tried);
}

/* -------- step 3: writes -------- */

static bool fa_q_point(struct fa_q_ctx *q, const struct fa_q_engine *e,
		       uint64_t bs, char *why, size_t len)
{
	struct json_object *root = NULL, *row;
	struct fa_argv a = { .n = 0 };
	const char *json;
	struct fa_q_point p;
	struct fa_q_run r;
	char sz[32];
	int ret;

	fa_q_fio_base(q, &a, e);
	fa_argv_add(&a, "--name=sweep");
	fa_argv_add(&a, "--rw=randwrite");
	fa_argv_add(&a, "--bs=%" PRIu64, bs);
	fa_argv_add(&a, "--iodepth=%u", e->iodepth);
	fa_argv_add(&a, "--size=%" PRIu64, q->region);
	fa_argv_add(&a, "--time_based");
	fa_argv_add(&a, "--runtime=%u", q->o->runtime);
	fa_argv_add(&a, "--randrepeat=0");
	ret = fa_q_fio(q, &a, true, &r);
	fa_argv_free(&a);
	fa_q_size_str(bs, sz, sizeof(sz));
	if (ret) {
		snprintf(why, len, "%s %s bs=%s: cannot run fio: %s",
			 e->engine, e->mode, sz, strerror(-ret));
		return false;
	}
	json = fa_q_fio_json_start(r.out);
	if (json)
		root = json_tokener_parse(json);
	ret = root ? fa_q_fio_point(root, "sweep", &p) : -EINVAL;
	if (ret || r.status || p.error || !p.ios) {
		char err[256];

		fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "%s %s bs=%s: %s", e->engine, e->mode, sz,
			 ret ? "no fio JSON" : p.error ?
			 strerror(p.error) : !p.ios ? "no write completed" :
			 err);
		printf("  %-14s %-9s bs=%-5s qd=%-2u FAILED: %s\n", e->engine,
		       e->mode, sz, e->iodepth, why);
		json_object_put(root);
		fa_q_run_free(&r);
		return false;
	}
	printf("  %-14s %-9s bs=%-5s qd=%-2u %9.0f IOPS %9.1f MiB/s  clat p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us\n",
	       e->engine, e->mode, sz, e->iodepth, p.iops,
	       p.bw_bytes / 1048576.0, p.clat_p50_ns / 1000.0,
	       p.clat_p99_ns / 1000.0, p.clat_p999_ns / 1000.0);
	fflush(stdout);
	row = json_object_new_object();
	json_object_object_add(row, "engine", json_object_new_string(e->engine));
	json_object_object_add(row, "mode", json_object_new_string(e->mode));
	json_object_object_add(row, "bs", json_object_new_uint64(bs));
	json_object_object_add(row, "iodepth",
			       json_object_new_int((int)e->iodepth));
	json_object_object_add(row, "iops", json_object_new_double(p.iops));
	json_object_object_add(row, "bw_bytes",
			       json_object_new_uint64(p.bw_bytes));
	json_object_object_add(row, "clat_p50_ns",
			       json_object_new_uint64(p.clat_p50_ns));
	json_object_object_add(row, "clat_p99_ns",
			       json_object_new_uint64(p.clat_p99_ns));
	json_object_object_add(row, "clat_p999_ns",
			       json_object_new_uint64(p.clat_p999_ns));
	json_object_array_add(q->results, row);
	json_object_put(root);
	fa_q_run_free(&r);
	return true;
}

static void fa_q_step_writes(struct fa_q_ctx *q)
{
	uint64_t sizes[FA_Q_MAX_SIZES];
	char first[512] = "", why[512], what[128];
	int nr, i, j, failed = 0, points = 0;
	struct fa_q_step *s;

	snprintf(what, sizeof(what), "every power-of-two size, %u s per point",
		 q->o->runtime);
	s = fa_q_begin(q, "writes", true, what);
	if (!fa_q_can_write(q)) {
		fa_q_end(s, FA_Q_SKIP, "no atomic writes");
		return;
	}
	nr = fa_q_sizes(q->lim.unit_min.value, q->lim.unit_max.value,
			q->o->max_size, sizes, FA_Q_MAX_SIZES);
	if (nr <= 0) {
		fa_q_end(s, FA_Q_SKIP, "no power-of-two size between unit_min %" PRIu64 " and %" PRIu64,
			 q->lim.unit_min.value,
			 q->o->max_size ? q->o->max_size :
			 q->lim.unit_max.value);
		return;
	}
	for (i = 0; i < q->nr_engines; i++) {
		for (j = 0; j < nr; j++) {
			if (sizes[j] > q->region)
				break;
			points++;
			if (fa_q_point(q, &q->engines[i], sizes[j], why,
				       sizeof(why)))
				continue;
			if (!failed++)
				fa_strlcpy(first, why, sizeof(first));
		}
	}
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%d of %d points failed, first: %s",
			 failed, points, first);
	else
		fa_q_end(s, FA_Q_PASS, "%d points, %d engine%s x %d size%s",
			 points, q->nr_engines, q->nr_engines == 1 ? "" : "s",
			 nr, nr == 1 ? "" : "s");
}

/* -------- step 4: tear -------- */

/*
 * Writers and racing readers in one fio run; the readers' tear report is
 * the verdict. An engine that does not take tear_check is skipped with
 * fio's own words, so it is used as soon as it accepts the option.
 */
static enum fa_q_result fa_q_tear_one(struct fa_q_ctx *q,
				      const struct fa_q_engine *e,
				      uint64_t unit, char *why, size_t len)
{
	struct json_object *rep = NULL, *obj;
	struct fa_argv a = { .n = 0 };
	struct fa_jobreport *jr = NULL;
	enum fa_q_result res = FA_Q_FAIL;
	char report[PATH_MAX + 64], err[256];
	struct fa_q_run r;
	int ret;

	snprintf(report, sizeof(report), "%s/tear-%s-%s.json", q->workdir,
		 e->engine, e->mode);
	unlink(report);
	fa_q_fio_base(q, &a, e);
	fa_argv_add(&a, "--tear_check=1");
	fa_argv_add(&a, "--size=%" PRIu64, 16 * unit);
	fa_argv_add(&a, "--time_based");
	fa_argv_add(&a, "--runtime=%u", q->o->runtime);
	fa_argv_add(&a, "--name=w");
	fa_argv_add(&a, "--rw=randwrite");
	fa_argv_add(&a, "--bs=%" PRIu64, unit);
	fa_argv_add(&a, "--iodepth=%u", e->iodepth > 1 ? 4 : 1);
	fa_argv_add(&a, "--atomic_report=%s/tear-%s-%s-w.json", q->workdir,
		    e->engine, e->mode);
	fa_argv_add(&a, "--name=r");
	fa_argv_add(&a, "--rw=randread");
	fa_argv_add(&a, "--bs=%" PRIu64, unit);
	fa_argv_add(&a, "--iodepth=%u", e->iodepth > 1 ? 4 : 1);
	fa_argv_add(&a, "--atomic_report=%s", report);
	ret = fa_q_fio(q, &a, true, &r);
	fa_argv_free(&a);
	if (ret) {
		snprintf(why, len, "cannot run fio: %s", strerror(-ret));
		goto out;
	}
	if (r.status && strstr(r.err, "tear_check")) {
		fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "the engine does not take tear_check (%s)",
			 err);
		res = FA_Q_SKIP;
		goto out_free;
	}
	jr = malloc(sizeof(*jr));
	if (jr && !fa_jobreport_load(report, jr, err, sizeof(err)) &&
	    jr->tear_checked)
		rep = json_object_from_file(report);
	if (!r.status && !rep && q->o->client) {
		snprintf(why, len, "the fio server's tear report %.300s is not visible here (give the server this machine's filesystem)",
			 report);
		res = FA_Q_SKIP;
		goto out_free;
	}
	if (r.status || !rep) {
		if (r.status)
			fa_q_fio_error(&r, err, sizeof(err));
		snprintf(why, len, "%s", r.status ? err : "no tear report");
		goto out_free;
	}
	if (fa_q_tear_judge(jr->tear.reads.torn, jr->tear.reads.intact, why,
			    len)) {
		const struct fa_scan_counts *c = &jr->tear.reads;

		res = FA_Q_PASS;
		snprintf(why, len, "0 torn of %" PRIu64 " reads, %" PRIu64 " intact units (tear rate < %.4f%%, 95%% upper bound)",
			 jr->tear.checked_reads, c->intact,
			 100 * fa_tear_upper95(c->torn, c->intact + c->torn));
	}
out_free:
	fa_q_run_free(&r);
out:
	free(jr);
	obj = json_object_new_object();
	json_object_object_add(obj, "engine", json_object_new_string(e->engine));
	json_object_object_add(obj, "mode", json_object_new_string(e->mode));
	json_object_object_add(obj, "unit", json_object_new_uint64(unit));
	json_object_object_add(obj, "result",
			       json_object_new_string(fa_q_result_name(res)));
	json_object_object_add(obj, "reason", json_object_new_string(why));
	json_object_object_add(obj, "report", rep);
	json_object_array_add(json_object_object_get(q->tear,
						     "racing_readers"), obj);
	return res;
}

static void fa_q_step_tear(struct fa_q_ctx *q)
{
	int i, passed = 0, failed = 0, skipped = 0;
	char why[512], first[600] = "", skips[1024] = "";
	uint64_t sizes[FA_Q_MAX_SIZES], unit = 0;
	struct fa_q_step *s;
	int nr;

	s = fa_q_begin(q, "tear", false,
		       "racing readers (tear_check=1) per engine");
	json_object_object_add(q->tear, "racing_readers",
			       json_object_new_array());
	if (!fa_q_can_write(q)) {
		fa_q_end(s, FA_Q_SKIP, "no atomic writes");
		return;
	}
	/* 64 KiB units where the limits allow, as the lab's tear test */
	nr = fa_q_sizes(q->lim.unit_min.value, q->lim.unit_max.value,
			q->o->max_size, sizes, FA_Q_MAX_SIZES);
	for (i = 0; i < nr; i++)
		if (sizes[i] <= 65536 && 16 * sizes[i] <= q->region)
			unit = sizes[i];
	if (!unit) {
		fa_q_end(s, FA_Q_SKIP, "no unit size of at most 64 KiB fits 16 times in the region");
		return;
	}
	for (i = 0; i < q->nr_engines; i++) {
		const struct fa_q_engine *e = &q->engines[i];
		enum fa_q_result r;

		/* one passthrough mode per engine is enough for readers */
		if (i && !strcmp(e->engine, q->engines[i - 1].engine))
			continue;
		r = fa_q_tear_one(q, e, unit, why, sizeof(why));
		printf("  %-14s %-9s unit %" PRIu64 ": %s: %s\n", e->engine,
		       e->mode, unit, fa_q_result_name(r), why);
		if (r == FA_Q_PASS)
			passed++;
		if (r == FA_Q_FAIL && !failed++)
			snprintf(first, sizeof(first), "%s: %s", e->engine,
				 why);
		if (r == FA_Q_SKIP && !skipped++)
			snprintf(skips, sizeof(skips), "%s: %s", e->engine,
				 why);
	}
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%s", first);
	else if (!passed)
		fa_q_end(s, FA_Q_SKIP, "%s", skips);
	else if (skipped)
		fa_q_end(s, FA_Q_PASS, "0 torn through %d engine%s; %d skipped, first %s",
			 passed, passed == 1 ? "" : "s", skipped, skips);
	else
		fa_q_end(s, FA_Q_PASS, "0 torn through %d engine%s", passed,
			 passed == 1 ? "" : "s");
}

/* -------- the report -------- */

static void fa_q_sysfs_string(const char *path, char *buf, size_t len)
{
	char *s = fa_read_all(path), *e;

	buf[0] = '\0';
	if (!s)
		return;
	for (e = s + strlen(s); e > s && (e[-1] == '\n' || e[-1] == ' ');)
		*--e = '\0';
	fa_strlcpy(buf, s, len);
	free(s);
}

static struct json_object *fa_q_kernel_json(void)
{
	struct json_object *k = json_object_new_object();
	struct utsname u;

	if (uname(&u) == 0) {
		json_object_object_add(k, "release",
				       json_object_new_string(u.release));
		json_object_object_add(k, "version",
				       json_object_new_string(u.version));
		json_object_object_add(k, "machine",
				       json_object_new_string(u.machine));
	}
	return k;
}

static struct json_object *fa_q_device_json(const struct fa_q_ctx *q)
{
	const char *rev[] = { "firmware_rev", "rev" };
	char path[PATH_MAX], model[256], fw[128] = "";
	struct json_object *d;
	size_t i;

	if (!q->lim.disk[0] || q->kind == FA_Q_FILE)
		return NULL;
	snprintf(path, sizeof(path), "/sys/block/%s/device/model",
		 q->lim.disk);
	fa_q_sysfs_string(path, model, sizeof(model));
	for (i = 0; i < FA_ARRAY_SIZE(rev) && !fw[0]; i++) {
		snprintf(path, sizeof(path), "/sys/block/%s/device/%s",
			 q->lim.disk, rev[i]);
		fa_q_sysfs_string(path, fw, sizeof(fw));
	}
	d = json_object_new_object();
	json_object_object_add(d, "disk", json_object_new_string(q->lim.disk));
	json_object_object_add(d, "model", model[0] ?
			       json_object_new_string(model) : NULL);
	json_object_object_add(d, "firmware", fw[0] ?
			       json_object_new_string(fw) : NULL);
	json_object_object_add(d, "generic_node", q->sg[0] ?
			       json_object_new_string(q->sg) : q->ng[0] ?
			       json_object_new_string(q->ng) : NULL);
	return d;
}

static struct json_object *fa_q_steps_json(const struct fa_q_step *steps,
					   struct json_object **details,
					   int nr)
{
	struct json_object *arr = json_object_new_array(), *obj;
	int i;

	for (i = 0; i < nr; i++) {
		obj = json_object_new_object();
		json_object_object_add(obj, "name",
				       json_object_new_string(steps[i].name));
		json_object_object_add(obj, "result", json_object_new_string(
				fa_q_result_name(steps[i].result)));
		json_object_object_add(obj, "reason", steps[i].reason[0] ?
				json_object_new_string(steps[i].reason) : NULL);
		json_object_object_add(obj, "details",
				       details ? json_object_get(details[i]) :
				       NULL);
		json_object_array_add(arr, obj);
	}
	return arr;
}

static void fa_q_add_verdict(struct json_object *obj, bool ok,
			     const char *failing)
{
	struct json_object *arr = json_object_new_array();
	char *copy = strdup(failing), *tok, *save = NULL;

	for (tok = copy ? strtok_r(copy, ", ", &save) : NULL; tok;
	     tok = strtok_r(NULL, ", ", &save))
		json_object_array_add(arr, json_object_new_string(tok));
	free(copy);
	json_object_object_add(obj, "verdict", json_object_new_string(
			       ok ? "QUALIFIED" : "NOT QUALIFIED"));
	json_object_object_add(obj, "failing_steps", arr);
}

/* The inner object of the report for one target. */
static struct json_object *fa_q_report(struct fa_q_ctx *q, bool ok,
				       const char *failing)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "version",
			       json_object_new_string(FA_VERSION));
	json_object_object_add(obj, "target",
			       json_object_new_string(q->o->target));
	json_object_object_add(obj, "path", json_object_new_string(q->path));
	json_object_object_add(obj, "kind", json_object_new_string(
			       fa_q_kind_names[q->kind]));
	json_object_object_add(obj, "kernel", fa_q_kernel_json());
	json_object_object_add(obj, "device", fa_q_device_json(q));
	json_object_object_add(obj, "fio_server", q->o->client ?
			       json_object_new_string(q->o->client) : NULL);
	json_object_object_add(obj, "timestamp",
			       json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(obj, "fio_version", q->fio_version[0] ?
			       json_object_new_string(q->fio_version) : NULL);
	json_object_object_add(obj, "runtime_per_point_s",
			       json_object_new_int((int)q->o->runtime));
	json_object_object_add(obj, "limits", q->nr_steps ?
			       json_object_get(q->details[0]) : NULL);
	json_object_object_add(obj, "steps", fa_q_steps_json(q->steps,
			       q->details, q->nr_steps));
	json_object_object_add(obj, "results", json_object_get(q->results));
	json_object_object_add(obj, "tear", json_object_get(q->tear));
	fa_q_add_verdict(obj, ok, failing);
	return obj;
}

static int fa_q_write_json(const char *path, struct json_object *inner)
{
	struct json_object *root = json_object_new_object();
	int ret;

	json_object_object_add(root, "fio_atomic_qualify",
			       json_object_get(inner));
	ret = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY |
				      JSON_C_TO_STRING_SPACED |
				      JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(root);
	if (ret) {
		fa_tool_error(CMD, "cannot write %s: %s", path,
			      json_util_get_last_err());
		return -EIO;
	}
	return 0;
}

/* -------- HTML -------- */

/*
 * @rel in the source tree the tool was built in: the tool is in build/,
 * or in a build directory below it (build/asan).
 */
static void fa_q_tree_path(const struct fa_q_opts *o, const char *rel,
			   char *buf, size_t len)
{
	char up[PATH_MAX], top[PATH_MAX], tree[PATH_MAX] = "";
	const char *dots[] = { "..", "../..", "../../.." };
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(dots); i++) {
		snprintf(up, sizeof(up), "%.3900s/%s", o->tool_dir, dots[i]);
		if (!realpath(up, top))
			continue;
		snprintf(buf, len, "%.3900s/%s", top, rel);
		if (!access(buf, F_OK))
			return;
		/* for the message when it is missing: the tree's top */
		snprintf(up, sizeof(up), "%.3900s/Makefile", top);
		if (!tree[0] && !access(up, F_OK))
			fa_strlcpy(tree, top, sizeof(tree));
	}
	snprintf(buf, len, "%.3900s/%s", tree[0] ? tree : o->tool_dir, rel);
}


static const char *fa_jstr(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

/* Draw one engine's latency against size with plots/qualify-latency.gp. */
static int fa_q_plot(const struct fa_q_opts *o, const char *dir,
		     const char *tsv, const char *series, const char *png)
{
	struct fa_argv a = { .n = 0 };
	char script[PATH_MAX + 64];
	struct fa_q_run r;
	int ret;

	fa_q_tree_path(o, "plots/qualify-latency.gp", script, sizeof(script));
	if (access(script, R_OK))
		return -ENOENT;
	fa_argv_add(&a, "/usr/bin/gnuplot");
	fa_argv_add(&a, "-e");
	fa_argv_add(&a, "tsv='%s'; out='%s'; series='%s'", tsv, png, series);
	fa_argv_add(&a, "%s", script);
	if (access(a.v[0], X_OK)) {
		fa_argv_free(&a);
		return -ENOENT;
	}
	ret = fa_q_spawn(dir, 0, a.v, &r);
	fa_argv_free(&a);
	snprintf(script, sizeof(script), "%s/run0.out", dir);
	unlink(script);
	snprintf(script, sizeof(script), "%s/run0.err", dir);
	unlink(script);
	if (ret)
		return ret;
	ret = r.status ? -EIO : 0;
	fa_q_run_free(&r);
	return ret;
}

/* One target's section: steps, results table, one plot per engine. */
static void fa_q_html_target(const struct fa_q_opts *o, FILE *fp,
			     const char *dir, struct json_object *t, int idx)
{
	struct json_object *steps, *results, *row, *dev;
	char tsv[PATH_MAX + 32], series[64][96], png[PATH_MAX + 128];
	size_t i, j, nr;
	int nr_series = 0;
	FILE *tf;

	fprintf(fp, "<h2>");
	fa_tool_html_escape(fp, fa_jstr(t, "target"));
	fprintf(fp, " (%s): <span class=\"%s\">%s</span></h2>\n",
		fa_jstr(t, "kind"),
		!strcmp(fa_jstr(t, "verdict"), "QUALIFIED") ? "pass" : "fail",
		fa_jstr(t, "verdict"));
	fprintf(fp, "<p>kernel ");
	fa_tool_html_escape(fp, fa_jstr(json_object_object_get(t, "kernel"),
				   "release"));
	dev = json_object_object_get(t, "device");
	if (dev) {
		fprintf(fp, ", device ");
		fa_tool_html_escape(fp, fa_jstr(dev, "model"));
		fprintf(fp, " firmware ");
		fa_tool_html_escape(fp, fa_jstr(dev, "firmware"));
	}
	fprintf(fp, "; limits: ");
	fa_tool_html_escape(fp, fa_jstr(json_object_object_get(t, "limits"),
				   "verdict"));
	fprintf(fp, "</p>\n<table>\n<tr><th>step</th><th>result</th><th>reason</th></tr>\n");
	steps = json_object_object_get(t, "steps");
	nr = steps ? json_object_array_length(steps) : 0;
	for (i = 0; i < nr; i++) {
		struct json_object *s = json_object_array_get_idx(steps, i);
		const char *res = fa_jstr(s, "result");

		fprintf(fp, "<tr><td>");
		fa_tool_html_escape(fp, fa_jstr(s, "name"));
		fprintf(fp, "</td><td class=\"%s\">%s</td><td>",
			!strcmp(res, "PASS") ? "pass" : !strcmp(res, "FAIL") ?
			"fail" : "skip", res);
		fa_tool_html_escape(fp, fa_jstr(s, "reason"));
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table>\n");

	results = json_object_object_get(t, "results");
	nr = results ? json_object_array_length(results) : 0;
	if (!nr)
		return;
	snprintf(tsv, sizeof(tsv), "%s/latency-%d.tsv", dir, idx);
	tf = fopen(tsv, "we");
	if (tf)
		fprintf(tf, "# engine\tmode\tbs\tiodepth\tiops\tbw_bytes\tclat_p50_ns\tclat_p99_ns\tclat_p999_ns\n");
	fprintf(fp, "<table>\n<tr><th>engine</th><th>mode</th><th>bs</th><th>iodepth</th><th>IOPS</th><th>MiB/s</th><th>clat p50 &micro;s</th><th>p99</th><th>p99.9</th></tr>\n");
	for (i = 0; i < nr; i++) {
		char key[96];

		row = json_object_array_get_idx(results, i);
		snprintf(key, sizeof(key), "%s/%s", fa_jstr(row, "engine"),
			 fa_jstr(row, "mode"));
		for (j = 0; j < (size_t)nr_series; j++)
			if (!strcmp(series[j], key))
				break;
		if (j == (size_t)nr_series && nr_series < 64)
			fa_strlcpy(series[nr_series++], key, sizeof(series[0]));
#define FA_I(k) json_object_get_int64(json_object_object_get(row, k))
		if (tf)
			fprintf(tf, "%s\t%s\t%" PRId64 "\t%" PRId64 "\t%.1f\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n",
				fa_jstr(row, "engine"), fa_jstr(row, "mode"),
				FA_I("bs"), FA_I("iodepth"),
				json_object_get_double(json_object_object_get(row, "iops")),
				FA_I("bw_bytes"), FA_I("clat_p50_ns"),
				FA_I("clat_p99_ns"), FA_I("clat_p999_ns"));
		fprintf(fp, "<tr><td>");
		fa_tool_html_escape(fp, fa_jstr(row, "engine"));
		fprintf(fp, "</td><td>");
		fa_tool_html_escape(fp, fa_jstr(row, "mode"));
		fprintf(fp, "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%.0f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>\n",
			FA_I("bs"), FA_I("iodepth"),
			json_object_get_double(json_object_object_get(row, "iops")),
			FA_I("bw_bytes") / 1048576.0,
			FA_I("clat_p50_ns") / 1000.0,
			FA_I("clat_p99_ns") / 1000.0,
			FA_I("clat_p999_ns") / 1000.0);
#undef FA_I
	}
	fprintf(fp, "</table>\n");
	if (tf)
		fclose(tf);
	for (j = 0; j < (size_t)nr_series; j++) {
		char name[96], *c;

		fa_strlcpy(name, series[j], sizeof(name));
		for (c = name; *c; c++)
			if (*c == '/')
				*c = '-';
		snprintf(png, sizeof(png), "%s/latency-%d-%s.png", dir, idx,
			 name);
		if (fa_q_plot(o, dir, tsv, series[j], png)) {
			fprintf(fp, "<p>no plot for ");
			fa_tool_html_escape(fp, series[j]);
			fprintf(fp, " (gnuplot or plots/qualify-latency.gp missing)</p>\n");
			continue;
		}
		fprintf(fp, "<p><img src=\"latency-%d-", idx);
		fa_tool_html_escape(fp, name);
		fprintf(fp, ".png\" alt=\"completion latency against write size, ");
		fa_tool_html_escape(fp, series[j]);
		fprintf(fp, "\"></p>\n");
	}
}

static int fa_q_write_html(const struct fa_q_opts *o, const char *dir,
			   struct json_object **targets, int nr,
			   const char *overall, struct json_object *lab_steps)
{
	char path[PATH_MAX + 16];
	FILE *fp;
	int i;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		fa_tool_path_error(CMD, dir, -errno);
		return -EIO;
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	fp = fopen(path, "we");
	if (!fp) {
		fa_tool_path_error(CMD, path, -errno);
		return -EIO;
	}
	fprintf(fp, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>fio-atomic qualify</title>\n"
		"<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
		"td,th{border:1px solid #999;padding:2px 8px;text-align:left}"
		".pass{color:#070}.fail{color:#b00;font-weight:bold}.skip{color:#777}</style>\n"
		"</head><body>\n<h1>fio-atomic qualify: ");
	fa_tool_html_escape(fp, overall);
	fprintf(fp, "</h1>\n");
	if (lab_steps) {
		size_t j, n = json_object_array_length(lab_steps);

		fprintf(fp, "<table>\n<tr><th>lab</th><th>result</th><th>reason</th></tr>\n");
		for (j = 0; j < n; j++) {
			struct json_object *s;
			const char *res;

			s = json_object_array_get_idx(lab_steps, j);
			res = fa_jstr(s, "result");

			fprintf(fp, "<tr><td>");
			fa_tool_html_escape(fp, fa_jstr(s, "name"));
			fprintf(fp, "</td><td class=\"%s\">%s</td><td>",
				!strcmp(res, "PASS") ? "pass" :
				!strcmp(res, "FAIL") ? "fail" : "skip", res);
			fa_tool_html_escape(fp, fa_jstr(s, "reason"));
			fprintf(fp, "</td></tr>\n");
		}
		fprintf(fp, "</table>\n");
	}
	for (i = 0; i < nr; i++)
		fa_q_html_target(o, fp, dir, targets[i], i);
	fprintf(fp, "</body></html>\n");
	if (fclose(fp)) {
		fa_tool_path_error(CMD, path, -errno);
		return -EIO;
	}
	return 0;
}

/* -------- one target -------- */

static void fa_q_cleanup_workdir(struct fa_q_ctx *q)
{
	char path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	if (!q->workdir[0])
		return;
	d = opendir(q->workdir);
	if (d) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", q->workdir,
				 de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(q->workdir);
}

static int fa_q_target(struct fa_q_opts *o)
{
	static struct fa_q_ctx q;
	struct json_object *report;
	char failing[512];
	const char *tmp = getenv("TMPDIR");
	bool ok;
	int ret, i;

	memset(&q, 0, sizeof(q));
	q.o = o;
	ret = fa_q_setup_target(&q);
	if (ret)
		return ret;
	snprintf(q.workdir, sizeof(q.workdir), "%s/fio-atomic-qualify.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(q.workdir)) {
		fa_tool_path_error(CMD, q.workdir, -errno);
		q.workdir[0] = '\0';
		ret = FA_EXIT_ERROR;
		goto out;
	}
	q.results = json_object_new_array();
	q.tear = json_object_new_object();
	fa_q_fio_version(&q);
	printf("qualify %s: fio %s, engines %s%s%s\n", o->target, o->fio_path,
	       o->engine_dir, o->client ? ", steps 3 and 4 on fio server " :
	       "", o->client ? o->client : "");

	fa_q_step_limits(&q);
	fa_q_plan_engines(&q);
	fa_q_step_conformance(&q);
	fa_q_step_writes(&q);
	fa_q_step_tear(&q);

	ok = fa_q_verdict(q.steps, q.nr_steps, failing, sizeof(failing));
	if (ok)
		printf("verdict: QUALIFIED: %s\n", o->target);
	else
		printf("verdict: NOT QUALIFIED: %s (failing: %s)\n", o->target,
		       failing);
	report = fa_q_report(&q, ok, failing);
	ret = ok ? FA_EXIT_OK : FA_EXIT_NOT_QUALIFIED;
	if (o->json_out && fa_q_write_json(o->json_out, report))
		ret = FA_EXIT_ERROR;
	if (o->html_dir && fa_q_write_html(o, o->html_dir, &report, 1,
					   ok ? "QUALIFIED" : "NOT QUALIFIED", NULL))
		ret = FA_EXIT_ERROR;
	json_object_put(report);
out:
	for (i = 0; i < q.nr_steps; i++)
		json_object_put(q.details[i]);
	json_object_put(q.results);
	json_object_put(q.tear);
	if (q.nr_steps)
		fa_limits_release(&q.lim);
	if (q.remove_path)
		unlink(q.path);
	fa_q_cleanup_workdir(&q);
	return ret;
}

/* -------- --lab -------- */

/* Run @argv with the tool's own stdout and stderr; its exit status. */
static int fa_q_spawn_inherit(char *const argv[], const char *dir)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		int fi = open("/dev/null", O_RDONLY);

		if (fi < 0 || dup2(fi, 0) < 0 || (dir && chdir(dir) < 0))
			_exit(127);
		execv(argv[0], argv);
		fprintf(stderr, "fio-atomic: qualify: cannot run %s: %s\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
}

static void fa_q_common_args(const struct fa_q_opts *o, struct fa_argv *a)
{
	fa_argv_add(a, "--runtime=%u", o->runtime);
	fa_argv_add(a, "--fio=%s", o->fio_path);
	if (o->max_size)
		fa_argv_add(a, "--max-size=%" PRIu64, o->max_size);
	if (o->size_given)
		fa_argv_add(a, "--size=%" PRIu64, o->size);
}

/*
 * Inside the lab VM: qualify the scsi_debug disk and the NVMe namespace,
 * each into $LAB_RESULTS/qualify-<kind>.json.
 */
static int fa_q_lab_guest(const struct fa_q_opts *o)
{
	const char *devs[][2] = {
		{ "scsi", getenv("LAB_SCSI_DISK") },
		{ "nvme", getenv("LAB_NVME_NS") },
	};
	const char *results = getenv("LAB_RESULTS");
	int worst = FA_EXIT_OK, ret;
	size_t i;

	if (!results || !results[0]) {
		fa_tool_error(CMD, "--lab-guest runs inside the lab VM only ($LAB_RESULTS is not set)");
		return FA_EXIT_USAGE;
	}
	for (i = 0; i < FA_ARRAY_SIZE(devs); i++) {
		struct fa_argv a = { .n = 0 };

		if (!devs[i][1] || !devs[i][1][0])
			continue;
		printf("== lab %s device %s\n", devs[i][0], devs[i][1]);
		fa_argv_add(&a, "%s", o->self);
		fa_argv_add(&a, CMD);
		fa_argv_add(&a, "%s", devs[i][1]);
		fa_q_common_args(o, &a);
		fa_argv_add(&a, "--json=%s/qualify-%s.json", results,
			    devs[i][0]);
		ret = fa_q_spawn_inherit(a.v, NULL);
		fa_argv_free(&a);
		if (ret < 0)
			ret = FA_EXIT_ERROR;
		if (ret == FA_EXIT_NOT_QUALIFIED && worst == FA_EXIT_OK)
			worst = ret;
		else if (ret && ret != FA_EXIT_NOT_QUALIFIED)
			worst = ret;
	}
	return worst;
}

/* The power-cut harness's results, as a step. */
static void fa_q_power_cut(const struct fa_q_opts *o, const char *dir,
			   struct fa_q_step *s, struct json_object **out)
{
	char script[PATH_MAX + 64], json[PATH_MAX + 32], first[400] = "";
	struct json_object *engines, *e;
	struct fa_argv a = { .n = 0 };
	int ret, passed = 0, failed = 0;
	size_t i, nr;

	memset(s, 0, sizeof(*s));
	fa_strlcpy(s->name, "power-cut", sizeof(s->name));
	*out = NULL;
	printf("step: power-cut: tests/lab/power-cut --runs %d\n", o->runs);
	fa_q_tree_path(o, "tests/lab/power-cut", script, sizeof(script));
	if (access(script, X_OK)) {
		fa_q_end(s, FA_Q_SKIP, "%s not found: no power-cut harness in this build",
			 script);
		return;
	}
	snprintf(json, sizeof(json), "%s/power-cut.json", dir);
	fa_argv_add(&a, "%s", script);
	fa_argv_add(&a, "--runs");
	fa_argv_add(&a, "%d", o->runs);
	fa_argv_add(&a, "--json");
	fa_argv_add(&a, "%s", json);
	ret = fa_q_spawn_inherit(a.v, "/");
	fa_argv_free(&a);
	*out = json_object_from_file(json);
	if (!*out) {
		fa_q_end(s, FA_Q_FAIL, "the harness exited %d and wrote no %s",
			 ret, json);
		return;
	}
	engines = json_object_object_get(*out, "engines");
	nr = engines ? json_object_array_length(engines) : 0;
	for (i = 0; i < nr; i++) {
		const char *v;

		e = json_object_array_get_idx(engines, i);
		v = fa_jstr(e, "verdict");
		printf("  %-14s %-9s %s torn of %s runs, tear rate < %s: %s %s\n",
		       fa_jstr(e, "engine"), fa_jstr(e, "mode"),
		       fa_jstr(e, "torn"), fa_jstr(e, "runs"),
		       fa_jstr(e, "tear_rate_upper95"), v,
		       fa_jstr(e, "reason"));
		if (!strcmp(v, "PASS"))
			passed++;
		if (!strcmp(v, "FAIL") && !failed++)
			snprintf(first, sizeof(first), "%s %s: %s",
				 fa_jstr(e, "engine"), fa_jstr(e, "mode"),
				 fa_jstr(e, "reason"));
	}
	if (failed)
		fa_q_end(s, FA_Q_FAIL, "%s", first);
	else if (!passed)
		fa_q_end(s, FA_Q_SKIP, "no engine was judged (harness exit %d)",
			 ret);
	else
		fa_q_end(s, FA_Q_PASS, "%d engine%s, 0 torn", passed,
			 passed == 1 ? "" : "s");
}

/* From the host: boot the lab, qualify its devices, then the harness. */
static int fa_q_lab(struct fa_q_opts *o)
{
	static const char *const kinds[] = { "scsi", "nvme" };
	struct json_object *targets[2], *combined, *pc = NULL, *tear;
	struct json_object *devices, *rows;
	struct fa_q_step steps[3];
	char lab_run[PATH_MAX + 64], dir[PATH_MAX], path[PATH_MAX + 32];
	char failing[512];
	struct fa_argv a = { .n = 0 };
	const char *tmp = getenv("TMPDIR");
	int nr = 0, nr_steps = 0, ret, i;
	bool ok;

	fa_q_tree_path(o, "tests/lab/lab-run", lab_run, sizeof(lab_run));
	if (access(lab_run, X_OK)) {
		fa_tool_error(CMD, "--lab needs %s (the lab VM runner of this source tree)",
			      lab_run);
		return FA_EXIT_ERROR;
	}
	snprintf(dir, sizeof(dir), "%s/fio-atomic-qualify-lab.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fa_tool_path_error(CMD, dir, -errno);
		return FA_EXIT_ERROR;
	}
	printf("qualify --lab: booting %s (results in %s)\n", lab_run, dir);
	fa_argv_add(&a, "%s", lab_run);
	fa_argv_add(&a, "--results");
	fa_argv_add(&a, "%s", dir);
	fa_argv_add(&a, "--timeout");
	fa_argv_add(&a, "1800");
	/* the guest's environment is built from scratch */
	if (getenv("FA_PRELOAD") && getenv("FA_PRELOAD")[0]) {
		fa_argv_add(&a, "--env");
		fa_argv_add(&a, "FA_PRELOAD=%s", getenv("FA_PRELOAD"));
	}
	fa_argv_add(&a, "--");
	fa_argv_add(&a, "%s", o->self);
	fa_argv_add(&a, CMD);
	fa_argv_add(&a, "--lab-guest");
	fa_q_common_args(o, &a);
	/* the guest sees the host's root at the same paths: cwd "/" is safe */
	ret = fa_q_spawn_inherit(a.v, "/");
	fa_argv_free(&a);

	for (i = 0; i < 2; i++) {
		struct json_object *root, *inner;
		struct fa_q_step *s = &steps[nr_steps++];

		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "lab-%s", kinds[i]);
		s->required = true;
		snprintf(path, sizeof(path), "%s/qualify-%s.json", dir,
			 kinds[i]);
		root = json_object_from_file(path);
		inner = root ? json_object_object_get(root,
						      "fio_atomic_qualify") :
			NULL;
		if (!inner) {
			s->result = FA_Q_FAIL;
			snprintf(s->reason, sizeof(s->reason),
				 "no report from the lab (lab-run exit %d)",
				 ret);
			json_object_put(root);
			continue;
		}
		targets[nr++] = json_object_get(inner);
		json_object_put(root);
		if (!strcmp(fa_jstr(inner, "verdict"), "QUALIFIED")) {
			s->result = FA_Q_PASS;
		} else {
			struct json_object *f;
			size_t j;

			s->result = FA_Q_FAIL;
			f = json_object_object_get(inner, "failing_steps");
			snprintf(s->reason, sizeof(s->reason), "%s:",
				 fa_jstr(inner, "target"));
			for (j = 0; f && j < json_object_array_length(f); j++)
				snprintf(s->reason + strlen(s->reason),
					 sizeof(s->reason) - strlen(s->reason),
					 " %s", json_object_get_string(
					 json_object_array_get_idx(f, j)));
		}
	}
	fa_q_power_cut(o, dir, &steps[nr_steps++], &pc);

	printf("\nlab verdicts:\n");
	for (i = 0; i < nr_steps; i++)
		printf("  %-10s %s%s%s\n", steps[i].name,
		       steps[i].result == FA_Q_PASS ? "QUALIFIED" :
		       steps[i].result == FA_Q_SKIP ? "SKIP" : "NOT QUALIFIED",
		       steps[i].reason[0] ? ": " : "", steps[i].reason);
	ok = fa_q_verdict(steps, nr_steps, failing, sizeof(failing));
	printf("verdict: %s: lab%s%s%s\n", ok ? "QUALIFIED" : "NOT QUALIFIED",
	       ok ? "" : " (failing: ", ok ? "" : failing, ok ? "" : ")");

	combined = json_object_new_object();
	json_object_object_add(combined, "version",
			       json_object_new_string(FA_VERSION));
	json_object_object_add(combined, "target", json_object_new_string("lab"));
	json_object_object_add(combined, "kernel", fa_q_kernel_json());
	json_object_object_add(combined, "steps",
			       fa_q_steps_json(steps, NULL, nr_steps));
	json_object_object_add(combined, "timestamp",
			       json_object_new_int64((int64_t)time(NULL)));
	devices = json_object_new_array();
	rows = json_object_new_array();
	for (i = 0; i < nr; i++) {
		struct json_object *res, *row, *copy;
		size_t j;

		json_object_array_add(devices, json_object_get(targets[i]));
		/* every device's rows in one table, each naming its device */
		res = json_object_object_get(targets[i], "results");
		for (j = 0; res && j < json_object_array_length(res); j++) {
			row = json_object_array_get_idx(res, j);
			copy = NULL;
			if (json_object_deep_copy(row, &copy, NULL))
				continue;
			json_object_object_add(copy, "target",
					       json_object_new_string(fa_jstr(
					       targets[i], "target")));
			json_object_array_add(rows, copy);
		}
	}
	json_object_object_add(combined, "devices", devices);
	json_object_object_add(combined, "results", rows);
	tear = json_object_new_object();
	json_object_object_add(tear, "power_cut", pc);
	json_object_object_add(combined, "tear", tear);
	fa_q_add_verdict(combined, ok, failing);

	ret = ok ? FA_EXIT_OK : FA_EXIT_NOT_QUALIFIED;
	if (o->json_out && fa_q_write_json(o->json_out, combined))
		ret = FA_EXIT_ERROR;
	if (o->html_dir && fa_q_write_html(o, o->html_dir, targets, nr,
					   ok ? "lab QUALIFIED" :
					   "lab NOT QUALIFIED",
					   json_object_object_get(combined,
								  "steps")))
		ret = FA_EXIT_ERROR;
	json_object_put(combined);
	for (i = 0; i < nr; i++)
		json_object_put(targets[i]);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/qualify-%s.json", dir,
			 kinds[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/power-cut.json", dir);
	unlink(path);
	rmdir(dir);
	return ret;
}

/* -------- command line -------- */

#define FA_QUALIFY_SYNOPSIS \
	"usage: fio-atomic qualify TARGET [options]\n" \
	"       fio-atomic qualify --lab [--runs N] [options]\n"

void fa_cmd_qualify_usage(FILE *fp)
{
	fprintf(fp,
		FA_QUALIFY_SYNOPSIS
		"\n"
		"Qualify a device, with this kernel, for atomic writes: read and\n"
		"cross-check its limits, break every rule once and check each\n"
		"illegal write is rejected, measure atomic writes at every\n"
		"power-of-two size through every engine that applies, race\n"
		"readers against writers for torn units, and give a verdict.\n"
		"\n"
		"TARGET is a directory on a filesystem (a scratch file is made and\n"
		"removed there), a file that does not exist yet, or a block\n"
		"device (its SCSI or NVMe generic node is used too). A block device\n"
		"in use (mounted, held, partitioned, with a filesystem or partition\n"
		"table signature) or an existing file is refused unless\n"
		"--destroy-data is given: qualify overwrites it.\n"
		"\n"
		"options:\n"
		"  --fio PATH         fio to run (default: $FIO, else fio/fio next\n"
		"                     to this tool)\n"
		"  --runtime S        seconds per measured point (default 2)\n"
		"  --quick            1 second per point\n"
		"  --size SIZE        scratch file size / device region (default 256m)\n"
		"  --max-size SIZE    largest write size of the sweep\n"
		"  --destroy-data     overwrite an existing file or a device in use\n"
		"  --json OUT         write the report as JSON\n"
		"  --html DIR         write DIR/index.html with latency plots (gnuplot)\n"
		"  --lab              qualify the lab VM's scsi_debug disk and NVMe\n"
		"                     namespace, then run the power-cut harness\n"
		"  --runs N           power-cut runs with --lab (default 10)\n"
		"  --client HOST[,PORT]  run the measuring fio jobs (steps 3 and\n"
		"                     4) on a fio server (fio --server) that sees\n"
		"                     TARGET, fio and the engines at the same paths\n"
		"  -h, --help         this help\n"
		"\n"
		"exit status: 0 qualified, 1 error, 2 usage error, 8 not qualified,\n"
		"9 refused to write to TARGET (nothing written).\n");
}

/* This executable's directory: fio, engines and scripts are found from it. */
static int fa_q_locate(struct fa_q_opts *o, const char *fio_opt)
{
	const char *env = getenv("FIO");
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", o->self, sizeof(o->self) - 1);
	if (n <= 0)
		return -errno;
	o->self[n] = '\0';
	fa_strlcpy(o->tool_dir, o->self, sizeof(o->tool_dir));
	slash = strrchr(o->tool_dir, '/');
	if (slash)
		*slash = '\0';
	snprintf(o->engine_dir, sizeof(o->engine_dir), "%s/engines",
		 o->tool_dir);
	if (fio_opt)
		fa_strlcpy(o->fio_path, fio_opt, sizeof(o->fio_path));
	else if (env && env[0])
		fa_strlcpy(o->fio_path, env, sizeof(o->fio_path));
	else
		snprintf(o->fio_path, sizeof(o->fio_path), "%s/fio/fio",
			 o->tool_dir);
	return 0;
}

int fa_cmd_qualify(int argc, char **argv)
{
	enum {
		OPT_FIO = 256, OPT_RUNTIME, OPT_QUICK, OPT_SIZE, OPT_MAX_SIZE,
		OPT_DESTROY, OPT_JSON, OPT_HTML, OPT_LAB, OPT_RUNS,
		OPT_LAB_GUEST, OPT_CLIENT,
	};
	static const struct option opts[] = {
		{ "fio", required_argument, NULL, OPT_FIO },
		{ "runtime", required_argument, NULL, OPT_RUNTIME },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "destroy-data", no_argument, NULL, OPT_DESTROY },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "lab", no_argument, NULL, OPT_LAB },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "lab-guest", no_argument, NULL, OPT_LAB_GUEST },
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fa_q_opts o;
	const char *fio_opt = NULL;
	bool runs_given = false;
	unsigned long v;
	int opt;

	memset(&o, 0, sizeof(o));
	o.runtime = 2;
	o.size = 256ULL << 20;
	o.runs = 10;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_FIO:
			fio_opt = optarg;
			break;
		case OPT_RUNTIME:
			if (fa_tool_parse_count(optarg, 1, 3600, &v)) {
				fa_tool_error(CMD, "--runtime '%s': expected whole seconds, 1..3600",
					      optarg);
				return FA_EXIT_USAGE;
			}
			o.runtime = (unsigned int)v;
			break;
		case OPT_QUICK:
			o.quick = true;
			break;
		case OPT_SIZE:
		case OPT_MAX_SIZE:
			if (fa_q_parse_size(optarg, opt == OPT_SIZE ?
					    &o.size : &o.max_size)) {
				fa_tool_error(CMD, "--%s '%s': expected a size such as 4096, 64k, 256m or 1g",
					      opt == OPT_SIZE ? "size" :
					      "max-size", optarg);
				return FA_EXIT_USAGE;
			}
			if (opt == OPT_SIZE)
				o.size_given = true;
			break;
		case OPT_DESTROY:
			o.destroy = true;
			break;
		case OPT_JSON:
			o.json_out = optarg;
			break;
		case OPT_HTML:
			o.html_dir = optarg;
			break;
		case OPT_LAB:
			o.lab = true;
			break;
		case OPT_RUNS:
			if (fa_tool_parse_count(optarg, 1, 100000, &v)) {
				fa_tool_error(CMD, "--runs '%s': expected a count, 1..100000",
					      optarg);
				return FA_EXIT_USAGE;
			}
			o.runs = (int)v;
			runs_given = true;
			break;
		case OPT_LAB_GUEST:
			o.lab_guest = true;
			break;
		case OPT_CLIENT:
			if (!optarg[0]) {
				fa_tool_error(CMD, "--client needs HOST[,PORT]");
				return FA_EXIT_USAGE;
			}
			o.client = optarg;
			break;
		case 'h':
			fa_cmd_qualify_usage(stdout);
			return FA_EXIT_OK;
		case ':':
			fa_tool_error(CMD, "option '%s' needs a value",
				      argv[optind - 1]);
			fputs(FA_QUALIFY_SYNOPSIS, stderr);
			return FA_EXIT_USAGE;
		default:
			if (optopt)
				fa_tool_error(CMD, "unknown option '-%c'",
					      optopt);
			else
				fa_tool_error(CMD, "unknown option '%s'",
					      argv[optind - 1]);
			fputs(FA_QUALIFY_SYNOPSIS, stderr);
			return FA_EXIT_USAGE;
		}
	}
	if (o.quick)
		o.runtime = 1;
	if (runs_given && !o.lab) {
		fa_tool_error(CMD, "--runs is for --lab (the power-cut harness)");
		return FA_EXIT_USAGE;
	}
	if (o.client && (o.lab || o.lab_guest)) {
		fa_tool_error(CMD, "--client and --lab do not go together (the lab runs its own fio)");
		return FA_EXIT_USAGE;
	}
	if (o.lab || o.lab_guest) {
		if (optind < argc) {
			fa_tool_error(CMD, "--lab qualifies the lab's devices: no TARGET ('%s' given)",
				      argv[optind]);
			return FA_EXIT_USAGE;
		}
	} else if (optind != argc - 1) {
		if (optind >= argc)
			fa_tool_error(CMD, "missing TARGET (a directory, a new file or a block device)");
		else
			fa_tool_error(CMD, "one TARGET only, got '%s' too",
				      argv[optind + 1]);
		fputs(FA_QUALIFY_SYNOPSIS, stderr);
		return FA_EXIT_USAGE;
	}
	if (fa_q_locate(&o, fio_opt)) {
		fa_tool_error(CMD, "cannot find this tool's directory: %s",
			      strerror(errno));
		return FA_EXIT_ERROR;
	}
	if (o.lab_guest)
		return fa_q_lab_guest(&o);
	if (o.lab)
		return fa_q_lab(&o);
	if (access(o.fio_path, X_OK)) {
		fa_tool_error(CMD, "no fio at %s (give --fio PATH or set $FIO, or run 'make')",
			      o.fio_path);
		return FA_EXIT_ERROR;
	}
	o.target = argv[optind];
	return fa_q_target(&o);
}
