/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic qualify: what its files share: the options, the target and
 * the run, and the functions one step calls in another file.
 */
#ifndef FA_QUALIFY_TOOL_H
#define FA_QUALIFY_TOOL_H

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "fa_context.h"
#include "fa_guarantee.h"
#include "fa_limits.h"
#include "fa_paths.h"
#include "fa_qualify.h"
#include "fa_spawn.h"
#include "fa_tool.h"

#define CMD		"qualify"
#define FA_Q_MAX_SIZES	32
#define FA_Q_MAX_STEPS	8
#define FA_Q_MAX_REPEAT	20
#define FA_Q_MAX_HOSTS	32
#define FA_Q_MAX_KERNELS	8	/* --kernels K1,K2,... */
#define FA_Q_DEFAULT_PORT	8765	/* fio's own (fio --server) */

/* The steps after limits, which always runs: --steps picks among them. */
enum {
	FA_Q_STEP_CONFORMANCE	= 1 << 0,
	FA_Q_STEP_WRITES	= 1 << 1,
	FA_Q_STEP_READ_ISO	= 1 << 2,
	FA_Q_STEP_WRITE_ISO	= 1 << 3,
	FA_Q_STEP_POWER_FAIL	= 1 << 4,
};

enum fa_q_kind {
	FA_Q_FILE,
	FA_Q_BLOCK,	/* a block device neither SCSI nor NVMe */
	FA_Q_SCSI,
	FA_Q_NVME,
};

extern const char *const fa_q_kind_names[];

enum fa_q_host_family {
	FA_Q_HOST_ANY,		/* a name or IPv4 address, as fio takes it */
	FA_Q_HOST_IP,		/* "ip:" given */
	FA_Q_HOST_IP6,
	FA_Q_HOST_SOCK,		/* "sock:PATH", a local socket */
};

/*
 * One fio server of --client: @name for people and reports
 * ("127.0.0.2:8765", "[::1]:8765"), @fio for fio --client=
 * ("ip:127.0.0.2,8765"), @local when it is this machine (so the steps
 * that run here are its steps too).
 */
struct fa_q_host {
	char name[300];
	char addr[256];
	char fio[300];
	unsigned int port;
	enum fa_q_host_family family;
	bool port_given;
	bool local;
};

struct fa_q_opts {
	const char *target;
	const char *fio;
	const char *json_out;
	const char *html_dir;
	const char *client;	/* fio server for steps 3 and 4 */
	const char *host;	/* that server as "host:port", for the report */
	bool remote;		/* the server is not this machine */
	bool fleet_member;	/* one host of a fleet: a report even unmeasured */
	struct fa_q_host hosts[FA_Q_MAX_HOSTS];	/* --client's list */
	int nr_hosts;
	unsigned int runtime;
	uint64_t size;
	uint64_t max_size;
	bool size_given;
	bool destroy;
	bool lab;
	bool quick;
	bool lab_guest;		/* internal: the guest side of --lab */
	bool runtime_given;
	unsigned int ramp;	/* --ramp: seconds before measuring */
	int repeat;		/* --repeat: runs per point */
	bool require[FA_G_NR];	/* --require: these join the verdict */
	unsigned int skip_steps;	/* --steps: the FA_Q_STEP_* not asked for */
	int runs;
	/* --kernels: the lab once per kernel (0: the lab's default) */
	char kernels[FA_Q_MAX_KERNELS][64];
	int nr_kernels;
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
	/*
	 * The first failure of the tool rather than of the target (fio
	 * that does not run, an engine that does not load): the run ends
	 * with exit 1 and no verdict.
	 */
	char tool_error[512];
	struct fa_g_result g[FA_G_NR];
	/* --client: the runs whose results came back, and from whom */
	int server_runs;
	char server_seen[300];
	struct fa_runctx *context;	/* recorded after the limits step */
};

struct fa_q_run {
	int status;		/* exit status, or 128 + signal */
	char *out;
	char *err;
	bool tool_failed;	/* fio ran none of its jobs */
};

/* qualify_fio.c: running fio, the step lines */
char *fa_read_all(const char *path);
void fa_q_run_free(struct fa_q_run *r);
int fa_q_spawn(const char *dir, int nr, char *const argv[], struct fa_q_run *r);
int fa_q_fio(struct fa_q_ctx *q, struct fa_argv *a, bool remote,
	     struct fa_q_run *r);
void fa_q_fio_error(const struct fa_q_run *r, char *buf, size_t len);
int fa_q_fio_base(struct fa_q_ctx *q, struct fa_argv *a,
		  const struct fa_q_engine *e);
int fa_q_fio_version(struct fa_q_ctx *q);
void fa_q_report_path(const struct fa_q_ctx *q, int nr, const char *job,
		      char *buf, size_t len);
void fa_q_tool_error(struct fa_q_ctx *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int fa_q_preflight(struct fa_q_ctx *q);
extern volatile sig_atomic_t fa_q_interrupted;
void fa_q_size_str(uint64_t v, char *buf, size_t len);
struct fa_q_step *fa_q_begin(struct fa_q_ctx *q, const char *name,
			     bool required, const char *what);
void fa_q_end(struct fa_q_step *s, enum fa_q_result r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int fa_q_parse_size(const char *s, uint64_t *out);

/* qualify_target.c */
int fa_q_setup_target(struct fa_q_ctx *q);
void fa_q_classify(struct fa_q_ctx *q);
void fa_q_plan_engines(struct fa_q_ctx *q);

/* qualify_conformance.c: steps 1 and 2 */
void fa_q_step_limits(struct fa_q_ctx *q);
bool fa_q_can_write(const struct fa_q_ctx *q);
void fa_q_step_conformance(struct fa_q_ctx *q);

/* qualify_writes.c: step 3 */
void fa_q_lat_str(double ns, char *buf, size_t len);
void fa_q_step_writes(struct fa_q_ctx *q);

/* qualify_guarantees.c */
void fa_q_step_read_isolation(struct fa_q_ctx *q);
void fa_q_step_write_isolation(struct fa_q_ctx *q);
void fa_q_step_power_fail(struct fa_q_ctx *q);
void fa_q_guarantees_json(const struct fa_q_ctx *q, struct json_object *obj);

/* qualify_report.c */
struct json_object *fa_q_kernel_json(void);
struct json_object *fa_q_steps_json(const struct fa_q_step *steps,
				    struct json_object **details, int nr);
void fa_q_add_verdict(struct json_object *obj, bool ok, const char *failing);
struct json_object *fa_q_report(struct fa_q_ctx *q, bool ok,
				const char *failing);
void fa_q_record_context(struct fa_q_ctx *q);
int fa_q_write_json(const char *path, struct json_object *inner);
/* {"KEY": inner} to @path, pretty; an error on stderr naming @path */
int fa_q_write_json_as(const char *path, const char *key,
		       struct json_object *inner);

/* qualify_html.c */
int fa_q_check_plotting(void);
const char *fa_jstr(struct json_object *obj, const char *key);
/* an unsigned number member of @obj, 0 when missing or null */
uint64_t fa_juint(struct json_object *obj, const char *key);
int fa_q_write_html(const struct fa_q_opts *o, const char *dir,
		    struct json_object **targets, int nr, const char *overall,
		    struct json_object *lab_steps);

/* qualify_hosts.c: --client's servers, and what runs here */
int fa_q_parse_clients(struct fa_q_opts *o, const char *arg);
int fa_q_server_reachable(struct fa_q_ctx *q);
int fa_q_server_check(struct fa_q_ctx *q, const char *out);
void fa_q_not_here(struct fa_q_ctx *q, const char *step, int guarantee);
void fa_q_limits_not_here(struct fa_q_ctx *q);

/* qualify_fleet.c: one qualify per server, at once */
int fa_q_fleet(struct fa_q_opts *o);

/* qualify_fleet_report.c: the fleet's report, its table and HTML */
void fa_q_report_host(const struct fa_q_ctx *q, struct json_object *obj,
		      const char *error);
struct json_object *fa_q_fleet_row_failed(const struct fa_q_host *h,
					  const char *why);
struct json_object *fa_q_fleet_report(const struct fa_q_opts *o,
				      int64_t started,
				      struct json_object **rows, int nr);
void fa_q_fleet_table(FILE *fp, struct json_object **rows, int nr);
void fa_q_html_fleet(FILE *fp, struct json_object **targets, int nr);

/* cmd_qualify.c */
int fa_q_target(struct fa_q_opts *o);

/* qualify_lab.c */
int fa_q_lab_guest(const struct fa_q_opts *o);
int fa_q_lab(struct fa_q_opts *o);

/*
 * fa_q_parse_kernels() - split --kernels' "K1,K2,..." into @out (letters,
 * digits and ".+-_" each, 63 characters at most)
 * Return: how many, or -EINVAL (empty, too many, a bad character)
 */
int fa_q_parse_kernels(const char *arg, char out[][64], int max);

/* qualify --lab --kernels: the lab's qualification side by side per kernel */
int fa_q_lab_kernels(struct fa_q_opts *o);

#endif /* FA_QUALIFY_TOOL_H */
