// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify TARGET --client h1[:port],h2[:port],...: a fleet.
 *
 * One qualify per fio server, each in a child process of its own (its
 * own scratch file, working directory and fio client runs), all started
 * together, their output forwarded line by line with the host in front;
 * their reports become one fleet report with a row per host and one
 * table (qualify_fleet_report.c). One process per host rather than one
 * fio run with several --client options: a server that does not answer
 * costs only its own row (fio drops such a server from a multi-client
 * run and still exits 0), and no host waits for the slowest at every
 * point.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "fa_util.h"
#include "qualify.h"

/* -------- a fleet -------- */

struct fa_q_child {
	pid_t pid;
	int fd;
	int status;
	char json[PATH_MAX];
	char line[1024];
	size_t len;
};

/* Print one child's output, each line led by its host. */
static void fa_q_forward(const struct fa_q_host *h, struct fa_q_child *c,
			 int width, bool flush)
{
	char *nl;

	while ((nl = memchr(c->line, '\n', c->len)) ||
	       (c->len && (flush || c->len == sizeof(c->line)))) {
		size_t n = nl ? (size_t)(nl - c->line) + 1 : c->len;

		printf("%-*s | %.*s%s", width, h->name, (int)(nl ? n - 1 : n),
		       c->line, "\n");
		memmove(c->line, c->line + n, c->len - n);
		c->len -= n;
	}
	fflush(stdout);
}

static void fa_q_fleet_child(struct fa_q_opts *o, int i, int wfd,
			     struct fa_q_child *kids)
{
	int j, ret;

	for (j = 0; j < i; j++)
		close(kids[j].fd);
	if (dup2(wfd, STDOUT_FILENO) < 0 || dup2(wfd, STDERR_FILENO) < 0)
		_exit(FA_EXIT_ERROR);
	close(wfd);
	setvbuf(stdout, NULL, _IOLBF, 0);
	o->hosts[0] = o->hosts[i];
	o->nr_hosts = 1;
	o->client = o->hosts[0].fio;
	o->host = o->hosts[0].name;
	o->remote = !o->hosts[0].local;
	o->fleet_member = true;
	o->json_out = kids[i].json;
	o->html_dir = NULL;
	ret = fa_q_target(o);
	fflush(stdout);
	fflush(stderr);
	_exit(ret);
}

/* Start one qualify per host; their output comes back through pipes. */
static int fa_q_fleet_start(struct fa_q_opts *o, const char *dir,
			    struct fa_q_child *kids)
{
	int i, p[2];

	for (i = 0; i < o->nr_hosts; i++) {
		snprintf(kids[i].json, sizeof(kids[i].json), "%s/host%d.json",
			 dir, i);
		kids[i].pid = -1;
		kids[i].fd = -1;
		if (pipe2(p, O_CLOEXEC))
			return -errno;
		fflush(stdout);
		fflush(stderr);
		kids[i].pid = fork();
		if (kids[i].pid < 0) {
			close(p[0]);
			close(p[1]);
			return -errno;
		}
		if (!kids[i].pid) {
			close(p[0]);
			fa_q_fleet_child(o, i, p[1], kids);
		}
		close(p[1]);
		kids[i].fd = p[0];
	}
	return 0;
}

/* Until every child has ended: its output forwarded, its status kept. */
static void fa_q_fleet_wait(struct fa_q_opts *o, struct fa_q_child *kids,
			    int width)
{
	struct pollfd fds[FA_Q_MAX_HOSTS];
	bool stopped = false;
	int i, open_fds;
	ssize_t n;

	for (;;) {
		if (fa_q_interrupted && !stopped) {
			for (i = 0; i < o->nr_hosts; i++)
				if (kids[i].pid > 0)
					kill(kids[i].pid, SIGTERM);
			stopped = true;
		}
		for (i = open_fds = 0; i < o->nr_hosts; i++) {
			fds[i].fd = kids[i].fd;
			fds[i].events = POLLIN;
			fds[i].revents = 0;
			open_fds += kids[i].fd >= 0;
		}
		if (!open_fds)
			break;
		if (poll(fds, (nfds_t)o->nr_hosts, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < o->nr_hosts; i++) {
			struct fa_q_child *c = &kids[i];

			if (c->fd < 0 || !fds[i].revents)
				continue;
			n = read(c->fd, c->line + c->len,
				 sizeof(c->line) - c->len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n > 0) {
				c->len += (size_t)n;
				fa_q_forward(&o->hosts[i], c, width, false);
				continue;
			}
			fa_q_forward(&o->hosts[i], c, width, true);
			close(c->fd);
			c->fd = -1;
		}
	}
	for (i = 0; i < o->nr_hosts; i++) {
		if (kids[i].fd >= 0)
			close(kids[i].fd);
		kids[i].status = -1;
		if (kids[i].pid <= 0)
			continue;
		while (waitpid(kids[i].pid, &kids[i].status, 0) < 0 &&
		       errno == EINTR)
			;
	}
}

/* Host @i's row: its own report, or why it has none. */
static struct json_object *fa_q_fleet_row(const struct fa_q_opts *o,
					  const struct fa_q_child *c, int i)
{
	struct json_object *root, *inner;
	char why[256];

	root = json_object_from_file(c->json);
	if (root && json_object_object_get_ex(root, "fio_atomic_qualify",
					      &inner)) {
		json_object_get(inner);
		json_object_put(root);
		return inner;
	}
	json_object_put(root);
	if (c->pid <= 0)
		snprintf(why, sizeof(why), "qualify for this host did not start");
	else if (WIFSIGNALED(c->status))
		snprintf(why, sizeof(why), "qualify for this host ended by signal %d, without a report",
			 WTERMSIG(c->status));
	else
		snprintf(why, sizeof(why), "qualify for this host ended with exit %d, without a report",
			 WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1);
	return fa_q_fleet_row_failed(&o->hosts[i], why);
}

/*
 * Several hosts that are this machine would write one TARGET at once
 * unless it is a directory: there each gets a scratch file of its own.
 * A file that does not exist yet would be made here once per host.
 */
static int fa_q_fleet_check(const struct fa_q_opts *o)
{
	char here[1024] = "";
	struct stat st;
	int i, nr = 0;

	if (stat(o->target, &st) && errno == ENOENT) {
		fa_tool_error(CMD, "--client with %d fio servers: %s does not exist; give a directory (each host gets its own scratch file there) or an existing file or device",
			      o->nr_hosts, o->target);
		return -EINVAL;
	}

	for (i = 0; i < o->nr_hosts; i++) {
		if (!o->hosts[i].local)
			continue;
		if (nr++ < 4)
			snprintf(here + strlen(here), sizeof(here) - strlen(here),
				 "%s%s", nr > 1 ? ", " : "", o->hosts[i].name);
	}
	if (nr < 2 || (!stat(o->target, &st) && S_ISDIR(st.st_mode)))
		return 0;
	fa_tool_error(CMD, "--client: %d of the fio servers are this machine (%s%s): they would write %s at once; give a directory (each host gets its own scratch file there)",
		      nr, here, nr > 4 ? ", ..." : "", o->target);
	return -EINVAL;
}

static void fa_q_fleet_cleanup(const char *dir, int nr)
{
	char path[PATH_MAX + 32];
	int i;

	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/host%d.json", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * qualify TARGET --client h1,h2,...: one qualify per host, all at once,
 * one report. Exit 0 only when every host is QUALIFIED; 1 when a host
 * could not be measured (its row says why); else 8 when a host is NOT
 * QUALIFIED. A child's usage error or refusal (the same TARGET for
 * every host) is the fleet's, with no report.
 */
int fa_q_fleet(struct fa_q_opts *o)
{
	static struct fa_q_child kids[FA_Q_MAX_HOSTS];
	struct json_object *rows[FA_Q_MAX_HOSTS], *fleet, *sum;
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX - 64];
	int i, ret, width = 0, nr_failed, nr_not;
	int64_t started = (int64_t)time(NULL);

	if (fa_q_fleet_check(o))
		return FA_EXIT_USAGE;
	snprintf(dir, sizeof(dir), "%s/fio-atomic-fleet.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fa_tool_path_error(CMD, dir, -errno);
		return FA_EXIT_ERROR;
	}
	printf("qualify %s on %d fio servers at once:", o->target, o->nr_hosts);
	for (i = 0; i < o->nr_hosts; i++) {
		int w = (int)strlen(o->hosts[i].name);

		printf(" %s%s", o->hosts[i].name, o->hosts[i].local ?
		       " (this machine)" : "");
		width = w > width ? w : width;
	}
	printf("\n");
	memset(kids, 0, sizeof(kids));
	ret = fa_q_fleet_start(o, dir, kids);
	if (ret) {
		fa_q_interrupted = SIGTERM;
		fa_tool_error(CMD, "cannot start a qualify per host: %s",
			      strerror(-ret));
	}
	fa_q_fleet_wait(o, kids, width);
	for (i = 0; i < o->nr_hosts; i++) {
		int st = kids[i].status;

		if (kids[i].pid > 0 && WIFEXITED(st) &&
		    (WEXITSTATUS(st) == FA_EXIT_USAGE ||
		     WEXITSTATUS(st) == FA_EXIT_REFUSED)) {
			fa_q_fleet_cleanup(dir, o->nr_hosts);
			return WEXITSTATUS(st);
		}
	}
	for (i = 0; i < o->nr_hosts; i++)
		rows[i] = fa_q_fleet_row(o, &kids[i], i);
	fa_q_fleet_cleanup(dir, o->nr_hosts);

	fleet = fa_q_fleet_report(o, started, rows, o->nr_hosts);
	sum = json_object_object_get(fleet, "summary");
	nr_failed = json_object_get_int(json_object_object_get(sum, "failed"));
	nr_not = json_object_get_int(json_object_object_get(sum,
							    "not_qualified"));
	ret = ret || nr_failed || fa_q_interrupted ? FA_EXIT_ERROR :
	      nr_not ? FA_EXIT_NOT_QUALIFIED : FA_EXIT_OK;
	printf("\nfleet: %d host%s: %d QUALIFIED, %d NOT QUALIFIED, %d could not be measured\n",
	       o->nr_hosts, o->nr_hosts == 1 ? "" : "s",
	       json_object_get_int(json_object_object_get(sum, "qualified")),
	       nr_not, nr_failed);
	fa_q_fleet_table(stdout, rows, o->nr_hosts);
	fflush(stdout);
	if (o->json_out && fa_q_write_json_as(o->json_out,
						   "fio_atomic_qualify_fleet", fleet))
		ret = FA_EXIT_ERROR;
	if (o->html_dir && fa_q_write_html(o, o->html_dir, rows, o->nr_hosts,
					   ret == FA_EXIT_OK ? "QUALIFIED" :
					   ret == FA_EXIT_ERROR ?
					   "NOT MEASURED (a host could not be measured)" :
					   "NOT QUALIFIED", NULL))
		ret = FA_EXIT_ERROR;
	for (i = 0; i < o->nr_hosts; i++)
		json_object_put(rows[i]);
	json_object_put(fleet);
	return ret;
}
