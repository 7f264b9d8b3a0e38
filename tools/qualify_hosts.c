// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify --client: the fio servers the measuring runs go to.
 *
 *   --client HOST[,PORT]            one server, fio's own form
 *   --client h1[:port],h2,...       a fleet (qualify_fleet.c)
 *
 * Here: the list parsed, which host is this machine (a loopback address,
 * one of its own addresses, or its own name), whether a server answers,
 * whether a run's results came back from the server it was sent to, and
 * the steps that run on this machine reported as not tested for a host
 * that is not this machine: the limits (statx), the conformance cases,
 * the write_isolation pair probe and the power_fail crash.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <json-c/json.h>

#include "fa_util.h"
#include "qualify.h"

#define FA_Q_CONNECT_TIMEOUT_MS	5000

/* -------- --client's list -------- */

static int fa_q_parse_port(const char *s, unsigned int *port)
{
	unsigned long v;
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || v < 1 || v > 65535)
		return -ERANGE;
	*port = (unsigned int)v;
	return 0;
}

/* "127.0.0.2:8765", "[::1]:8765", "ip:h", "ip6:::1", "sock:/path" */
static int fa_q_parse_host(const char *tok, struct fa_q_host *h)
{
	const char *rest = tok, *colon;
	char port[16] = "";
	size_t n;

	memset(h, 0, sizeof(*h));
	h->family = FA_Q_HOST_ANY;
	if (!strncmp(tok, "sock:", 5)) {
		h->family = FA_Q_HOST_SOCK;
		rest = tok + 5;
	} else if (!strncmp(tok, "ip6:", 4)) {
		h->family = FA_Q_HOST_IP6;
		rest = tok + 4;
	} else if (!strncmp(tok, "ip:", 3)) {
		h->family = FA_Q_HOST_IP;
		rest = tok + 3;
	}
	if (!*rest)
		return -EINVAL;
	if (h->family == FA_Q_HOST_SOCK) {
		if (fa_strlcpy(h->addr, rest, sizeof(h->addr)) >=
		    sizeof(h->addr))
			return -ENAMETOOLONG;
		return 0;
	}
	if (rest[0] == '[') {
		colon = strchr(rest, ']');
		if (!colon || colon == rest + 1 ||
		    (colon[1] && colon[1] != ':'))
			return -EINVAL;
		n = (size_t)(colon - rest - 1);
		if (n >= sizeof(h->addr))
			return -ENAMETOOLONG;
		memcpy(h->addr, rest + 1, n);
		h->addr[n] = '\0';
		h->family = FA_Q_HOST_IP6;
		if (colon[1])
			fa_strlcpy(port, colon + 2, sizeof(port));
		else
			colon = NULL;
	} else {
		colon = strchr(rest, ':');
		/* two colons: an IPv6 address without brackets, no port */
		if (colon && (strchr(colon + 1, ':') ||
			      h->family == FA_Q_HOST_IP6))
			colon = NULL;
		n = colon ? (size_t)(colon - rest) : strlen(rest);
		if (!n || n >= sizeof(h->addr))
			return -EINVAL;
		memcpy(h->addr, rest, n);
		h->addr[n] = '\0';
		if (colon)
			fa_strlcpy(port, colon + 1, sizeof(port));
		if (strchr(h->addr, ':'))
			h->family = FA_Q_HOST_IP6;
	}
	if (colon) {
		if (fa_q_parse_port(port, &h->port))
			return -ERANGE;
		h->port_given = true;
	}
	return 0;
}

static void fa_q_host_names(struct fa_q_host *h)
{
	static const char *const prefix[] = {
		[FA_Q_HOST_ANY] = "", [FA_Q_HOST_IP] = "ip:",
		[FA_Q_HOST_IP6] = "ip6:", [FA_Q_HOST_SOCK] = "sock:",
	};

	if (h->family == FA_Q_HOST_SOCK) {
		snprintf(h->name, sizeof(h->name), "sock:%s", h->addr);
		snprintf(h->fio, sizeof(h->fio), "sock:%s", h->addr);
		return;
	}
	if (!h->port_given)
		h->port = FA_Q_DEFAULT_PORT;
	snprintf(h->name, sizeof(h->name),
		 h->family == FA_Q_HOST_IP6 ? "[%s]:%u" : "%s:%u", h->addr,
		 h->port);
	snprintf(h->fio, sizeof(h->fio), "%s%s,%u", prefix[h->family],
		 h->addr, h->port);
}

static bool fa_q_addr_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr)
			>> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* One of this machine's own addresses (getifaddrs). */
static bool fa_q_addr_ours(const struct sockaddr *sa)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs))
		return false;
	for (i = ifs; i && !found; i = i->ifa_next) {
		const struct sockaddr *a = i->ifa_addr;

		if (!a || a->sa_family != sa->sa_family)
			continue;
		if (a->sa_family == AF_INET)
			found = !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
					&((const struct sockaddr_in *)sa)->sin_addr,
					sizeof(struct in_addr));
		else if (a->sa_family == AF_INET6)
			found = !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
					&((const struct sockaddr_in6 *)sa)->sin6_addr,
					sizeof(struct in6_addr));
	}
	freeifaddrs(ifs);
	return found;
}

static int fa_q_resolve(const struct fa_q_host *h, struct addrinfo **res)
{
	struct addrinfo hints;
	char port[16];

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_family = h->family == FA_Q_HOST_IP6 ? AF_INET6 :
			  h->family == FA_Q_HOST_IP ? AF_INET : AF_UNSPEC;
	snprintf(port, sizeof(port), "%u", h->port);
	return getaddrinfo(h->addr, port, &hints, res);
}

/*
 * This machine: a local socket, a loopback address, one of its own
 * addresses, or its own name. A name is judged by the address it
 * resolves to first (the one a connection goes to).
 */
static bool fa_q_host_is_here(const struct fa_q_host *h)
{
	char self[256];
	struct addrinfo *res;
	bool here;

	if (h->family == FA_Q_HOST_SOCK)
		return true;
	if (!gethostname(self, sizeof(self))) {
		size_t n = strcspn(self, ".");

		self[sizeof(self) - 1] = '\0';
		if (!strcasecmp(h->addr, self) ||
		    (strlen(h->addr) == n && !strncasecmp(h->addr, self, n)))
			return true;
	}
	if (fa_q_resolve(h, &res))
		return false;
	here = fa_q_addr_loopback(res->ai_addr) ||
	       fa_q_addr_ours(res->ai_addr);
	freeaddrinfo(res);
	return here;
}

/*
 * --client: fio's own "HOST[,PORT]" for one server (also "ip:HOST,PORT"),
 * or a list "h1[:port],h2[,port],[v6]:port,...": a number alone after a
 * host without a port is that host's port.
 */
int fa_q_parse_clients(struct fa_q_opts *o, const char *arg)
{
	char buf[4096], *tok, *save = NULL;
	struct fa_q_host *h, *last = NULL;
	int i, ret;

	o->nr_hosts = 0;
	if (!arg[0] || fa_strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf)) {
		fa_tool_error(CMD, "--client '%.100s': expected HOST[,PORT] or a list host1[:port],host2[:port],...",
			      arg);
		return -EINVAL;
	}
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (last && !last->port_given &&
		    last->family != FA_Q_HOST_SOCK &&
		    strspn(tok, "0123456789") == strlen(tok)) {
			if (fa_q_parse_port(tok, &last->port)) {
				fa_tool_error(CMD, "--client '%s': port %s of %s is not 1..65535",
					      arg, tok, last->addr);
				return -EINVAL;
			}
			last->port_given = true;
			continue;
		}
		if (o->nr_hosts == FA_Q_MAX_HOSTS) {
			fa_tool_error(CMD, "--client '%.100s...': more than %d fio servers",
				      arg, FA_Q_MAX_HOSTS);
			return -E2BIG;
		}
		h = &o->hosts[o->nr_hosts];
		ret = fa_q_parse_host(tok, h);
		if (ret) {
			fa_tool_error(CMD, "--client '%s': '%s' %s (expected host, host:port, [IPv6]:port, ip:HOST, ip6:ADDR or sock:PATH)",
				      arg, tok, ret == -ERANGE ?
				      "has a port that is not 1..65535" :
				      "is not a host");
			return -EINVAL;
		}
		o->nr_hosts++;
		last = h;
	}
	if (!o->nr_hosts) {
		fa_tool_error(CMD, "--client '%s': no host", arg);
		return -EINVAL;
	}
	for (i = 0; i < o->nr_hosts; i++) {
		int j;

		fa_q_host_names(&o->hosts[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(o->hosts[i].name, o->hosts[j].name)) {
				fa_tool_error(CMD, "--client '%s': %s is given twice",
					      arg, o->hosts[i].name);
				return -EINVAL;
			}
	}
	for (i = 0; i < o->nr_hosts; i++)
		o->hosts[i].local = fa_q_host_is_here(&o->hosts[i]);
	/* one server: the fio form of it ("ip:127.0.0.1,8765" stays so) */
	o->client = o->hosts[0].fio;
	o->host = o->hosts[0].name;
	o->remote = !o->hosts[0].local;
	return 0;
}

/* -------- one server -------- */

static int fa_q_connect(const struct sockaddr *sa, socklen_t len)
{
	struct pollfd p;
	socklen_t elen = sizeof(int);
	int fd, err = 0;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	if (connect(fd, sa, len) && errno != EINPROGRESS) {
		err = -errno;
		goto out;
	}
	p.fd = fd;
	p.events = POLLOUT;
	if (poll(&p, 1, FA_Q_CONNECT_TIMEOUT_MS) != 1) {
		err = -ETIMEDOUT;
		goto out;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen))
		err = errno;
	err = -err;
out:
	close(fd);
	return err;
}

/*
 * Before the first run: the server answers a connection (fio itself says
 * only "failed to connect" on its stderr, and drops such a server from a
 * run of several).
 */
int fa_q_server_reachable(struct fa_q_ctx *q)
{
	const struct fa_q_host *h = &q->o->hosts[0];
	struct addrinfo *res;
	struct sockaddr_un un;
	int ret;

	if (!q->o->client || !q->o->nr_hosts)
		return 0;
	if (h->family == FA_Q_HOST_SOCK) {
		memset(&un, 0, sizeof(un));
		un.sun_family = AF_UNIX;
		fa_strlcpy(un.sun_path, h->addr, sizeof(un.sun_path));
		ret = fa_q_connect((struct sockaddr *)&un, sizeof(un));
	} else {
		ret = fa_q_resolve(h, &res);
		if (ret) {
			fa_q_tool_error(q, "fio server %s unreachable: cannot resolve %s: %s",
					h->name, h->addr, gai_strerror(ret));
			return -EHOSTUNREACH;
		}
		ret = fa_q_connect(res->ai_addr, res->ai_addrlen);
		freeaddrinfo(res);
	}
	if (ret) {
		fa_q_tool_error(q, "fio server %s unreachable: connect: %s",
				h->name, strerror(-ret));
		return -EHOSTUNREACH;
	}
	return 0;
}

/*
 * A run's results came back from the server it was sent to: fio's client
 * JSON names each job's server (hostname, port). No results at all is the
 * tool's failure (the server went away, fio failed), never the target's.
 */
int fa_q_server_check(struct fa_q_ctx *q, const char *out)
{
	const struct fa_q_host *h = &q->o->hosts[0];
	const char *start = fa_q_fio_json_start(out);
	struct json_object *root = start ? json_tokener_parse(start) : NULL;
	struct json_object *stats, *j, *v;
	char seen[300];
	size_t i, nr = 0;
	int ret = -ENODATA;

	if (!root || !json_object_object_get_ex(root, "client_stats", &stats) ||
	    !json_object_is_type(stats, json_type_array))
		goto out;
	for (i = 0; i < json_object_array_length(stats); i++) {
		const char *host;
		int port;

		j = json_object_array_get_idx(stats, i);
		if (!strcmp(fa_jstr(j, "jobname"), "All clients"))
			continue;
		host = fa_jstr(j, "hostname");
		port = json_object_object_get_ex(j, "port", &v) ?
		       json_object_get_int(v) : 0;
		snprintf(seen, sizeof(seen), h->family == FA_Q_HOST_IP6 ?
			 "[%s]:%d" : "%s:%d", host, port);
		if (h->family != FA_Q_HOST_SOCK &&
		    (strcmp(host, h->addr) || port != (int)h->port)) {
			fa_q_tool_error(q, "fio server %s: a result came back from %s",
					h->name, seen);
			ret = -EPROTO;
			goto out;
		}
		if (h->family != FA_Q_HOST_SOCK)
			fa_strlcpy(q->server_seen, seen,
				   sizeof(q->server_seen));
		nr++;
	}
	if (nr) {
		q->server_runs++;
		ret = 0;
	}
out:
	json_object_put(root);
	return ret;
}

/* -------- steps that run here -------- */

static void fa_q_not_here_reason(const struct fa_q_ctx *q, char *buf,
				 size_t len)
{
	snprintf(buf, len, "not tested: runs on the host itself: run fio-atomic qualify there (%s is not this machine)",
		 q->o->host);
}

/*
 * A step this machine runs, for a host that is not this machine: not
 * tested, and a guarantee (@guarantee >= 0) not tested with the reason.
 */
void fa_q_not_here(struct fa_q_ctx *q, const char *step, int guarantee)
{
	char why[FA_G_TEXT_LEN], what[400];
	struct fa_q_step *s;

	fa_q_not_here_reason(q, why, sizeof(why));
	snprintf(what, sizeof(what), "runs on this machine, not on %s",
		 q->o->host);
	s = fa_q_begin(q, step, false, what);
	if (guarantee >= 0) {
		fa_g_init(&q->g[guarantee], guarantee);
		fa_strlcpy(q->g[guarantee].reason, why,
			   sizeof(q->g[guarantee].reason));
		s->advisory = guarantee != FA_G_POWER_FAIL &&
			      !q->o->require[guarantee];
	}
	fa_q_end(s, FA_Q_SKIP, "%s", why);
}

/*
 * The limits are read here (statx, sysfs): another host's are its own.
 * They still plan the sizes of the runs sent to it; its engines check
 * each job against its own limits before the first write. The step
 * stays required: a host whose limits were not read is not qualified.
 */
void fa_q_limits_not_here(struct fa_q_ctx *q)
{
	char why[FA_G_TEXT_LEN];
	struct fa_q_step *s = &q->steps[0];

	if (!q->nr_steps)
		return;
	fa_q_not_here_reason(q, why, sizeof(why));
	s->result = FA_Q_SKIP;
	snprintf(s->reason, sizeof(s->reason), "%.240s; the sizes sent to it come from %.180s's limits on this machine",
		 why, q->path);
	printf("limits: SKIP for %s (%s)\n", q->o->host, s->reason);
	json_object_put(q->details[0]);
	q->details[0] = NULL;
}
