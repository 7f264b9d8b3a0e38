// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify --client: what a report says about its fio server,
 * and a fleet's report: one row per host (each a full qualify report),
 * the summary, the text table and the HTML table.
 *
 *   {"fio_atomic_qualify_fleet": {"version": 1, "started": ..., "target":
 *    ..., "hosts": [ {fio_atomic_qualify object + host, fio_server,
 *    this_machine, fio_server_results, error} ], "summary": {"hosts": N,
 *    "qualified": n, "not_qualified": n, "failed": n}}}
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "fa_util.h"
#include "qualify.h"

#define FA_Q_FLEET_VERSION	1
#define FA_Q_FLEET_COLS		9
#define FA_Q_CELL		256

/*
 * Which host the report is of, and what of it was not measured on that
 * host: for a host that is not this machine, what was read here (the
 * kernel, the device, the limits, the run's context) is left out rather
 * than passed off as the host's. @error: the host could not be measured
 * (no verdict).
 */
void fa_q_report_host(const struct fa_q_ctx *q, struct json_object *obj,
		      const char *error)
{
	const struct fa_q_opts *o = q->o;
	struct json_object *srv = NULL, *ctx;

	json_object_object_add(obj, "host", o->host ?
			       json_object_new_string(o->host) : NULL);
	json_object_object_add(obj, "this_machine",
			       json_object_new_boolean(!o->remote));
	if (o->client) {
		srv = json_object_new_object();
		json_object_object_add(srv, "from", q->server_seen[0] ?
				json_object_new_string(q->server_seen) : NULL);
		json_object_object_add(srv, "runs",
				       json_object_new_int(q->server_runs));
	}
	json_object_object_add(obj, "fio_server_results", srv);
	if (o->remote) {
		json_object_object_add(obj, "kernel", NULL);
		json_object_object_add(obj, "device", NULL);
		json_object_object_add(obj, "limits", NULL);
		if (json_object_object_get_ex(obj, "context", &ctx) &&
		    json_object_is_type(ctx, json_type_object)) {
			const char *keys[32];
			int i, n = 0;

			json_object_object_foreach(ctx, key, val) {
				(void)val;
				if (n < 32 && strcmp(key, "target"))
					keys[n++] = key;
			}
			for (i = 0; i < n; i++)
				json_object_object_add(ctx, keys[i], NULL);
		}
	}
	if (error) {
		json_object_object_add(obj, "verdict", NULL);
		json_object_object_add(obj, "failing_steps",
				       json_object_new_array());
	}
	json_object_object_add(obj, "error", error ?
			       json_object_new_string(error) : NULL);
}

/* The row of a host whose qualify ended without a report. */
struct json_object *fa_q_fleet_row_failed(const struct fa_q_host *h,
					  const char *why)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "host", json_object_new_string(h->name));
	json_object_object_add(obj, "fio_server",
			       json_object_new_string(h->fio));
	json_object_object_add(obj, "this_machine",
			       json_object_new_boolean(h->local));
	json_object_object_add(obj, "steps", json_object_new_array());
	json_object_object_add(obj, "results", json_object_new_array());
	json_object_object_add(obj, "guarantees", NULL);
	json_object_object_add(obj, "verdict", NULL);
	json_object_object_add(obj, "failing_steps", json_object_new_array());
	json_object_object_add(obj, "error", json_object_new_string(why));
	return obj;
}

struct json_object *fa_q_fleet_report(const struct fa_q_opts *o,
				      int64_t started,
				      struct json_object **rows, int nr)
{
	struct json_object *f = json_object_new_object();
	struct json_object *hosts = json_object_new_array();
	struct json_object *sum = json_object_new_object();
	int i, ok = 0, not = 0, failed = 0;

	for (i = 0; i < nr; i++) {
		const char *v = fa_jstr(rows[i], "verdict");

		if (!strcmp(v, "QUALIFIED"))
			ok++;
		else if (!strcmp(v, "NOT QUALIFIED"))
			not++;
		else
			failed++;
		json_object_array_add(hosts, json_object_get(rows[i]));
	}
	json_object_object_add(f, "version",
			       json_object_new_int(FA_Q_FLEET_VERSION));
	json_object_object_add(f, "tool_version",
			       json_object_new_string(FA_VERSION));
	json_object_object_add(f, "started", json_object_new_int64(started));
	json_object_object_add(f, "target", json_object_new_string(o->target));
	json_object_object_add(f, "quick", json_object_new_boolean(o->quick));
	json_object_object_add(f, "hosts", hosts);
	json_object_object_add(sum, "hosts", json_object_new_int(nr));
	json_object_object_add(sum, "qualified", json_object_new_int(ok));
	json_object_object_add(sum, "not_qualified", json_object_new_int(not));
	json_object_object_add(sum, "failed", json_object_new_int(failed));
	json_object_object_add(f, "summary", sum);
	return f;
}


/* -------- the table -------- */

static const char *const fa_q_fleet_heads[FA_Q_FLEET_COLS] = {
	"host", "verdict", "limits", "conformance", "power_fail",
	"read_isolation", "write_isolation", "atomic IOPS at 16 KiB", "why",
};

static struct json_object *fa_q_find_step(struct json_object *row,
					  const char *name)
{
	struct json_object *steps = json_object_object_get(row, "steps");
	size_t i, nr = steps && json_object_is_type(steps, json_type_array) ?
		       json_object_array_length(steps) : 0;

	for (i = 0; i < nr; i++) {
		struct json_object *s = json_object_array_get_idx(steps, i);

		if (!strcmp(fa_jstr(s, "name"), name))
			return s;
	}
	return NULL;
}

/* A step: PASS, FAIL, "not tested"; "-" when it did not run. */
static void fa_q_cell_step(struct json_object *row, const char *name,
			   char *buf)
{
	struct json_object *s = fa_q_find_step(row, name);
	const char *r = fa_jstr(s, "result");

	fa_strlcpy(buf, !s ? "-" : !strcmp(r, "SKIP") ? "not tested" : r,
		   FA_Q_CELL);
}

/* A guarantee in its own words; "-" when its step did not run. */
static void fa_q_cell_guarantee(struct json_object *row, const char *name,
				char *buf)
{
	struct json_object *g = json_object_object_get(row, "guarantees");
	const char *st = fa_jstr(json_object_object_get(g, name), "status");

	fa_strlcpy(buf, !fa_q_find_step(row, name) ? "-" :
		   !strcmp(st, "provided") ? "provided" :
		   !strcmp(st, "not_provided") ? "NOT PROVIDED" : "not tested",
		   FA_Q_CELL);
}

/* "pvsync2 3047, uring 5536": each engine's atomic IOPS at 16 KiB. */
static void fa_q_cell_iops(struct json_object *row, char *buf)
{
	struct json_object *res = json_object_object_get(row, "results");
	size_t i, j, nr = res && json_object_is_type(res, json_type_array) ?
		       json_object_array_length(res) : 0;
	size_t used = 0;

	buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		struct json_object *r = json_object_array_get_idx(res, i);
		const char *e = fa_jstr(r, "engine");
		bool twice = false;

		if (json_object_get_int64(json_object_object_get(r, "bs")) !=
		    16384)
			continue;
		for (j = 0; j < nr; j++) {
			struct json_object *o = json_object_array_get_idx(res, j);

			twice |= j != i && !strcmp(fa_jstr(o, "engine"), e) &&
				 strcmp(fa_jstr(o, "mode"), fa_jstr(r, "mode"));
		}
		if (!strncmp(e, "atomic-", 7))
			e += 7;
		used += (size_t)snprintf(buf + used, FA_Q_CELL - used,
					 "%s%s%s%s %.0f", used ? ", " : "", e,
					 twice ? "/" : "",
					 twice ? fa_jstr(r, "mode") : "",
					 json_object_get_double(
					 json_object_object_get(r, "iops")));
		if (used >= FA_Q_CELL)
			break;
	}
	if (!buf[0])
		fa_strlcpy(buf, "-", FA_Q_CELL);
}

static void fa_q_fleet_cells(struct json_object *row,
			     char cells[FA_Q_FLEET_COLS][FA_Q_CELL])
{
	const char *verdict = fa_jstr(row, "verdict");
	struct json_object *failing;
	size_t i, used = 0;

	fa_strlcpy(cells[0], fa_jstr(row, "host"), FA_Q_CELL);
	fa_strlcpy(cells[1], verdict[0] ? verdict :
		   json_object_get_boolean(json_object_object_get(row,
				"this_machine")) ? "NOT MEASURED" : "NO VERDICT",
		   FA_Q_CELL);
	fa_q_cell_step(row, "limits", cells[2]);
	fa_q_cell_step(row, "conformance", cells[3]);
	fa_q_cell_guarantee(row, "power_fail", cells[4]);
	fa_q_cell_guarantee(row, "read_isolation", cells[5]);
	fa_q_cell_guarantee(row, "write_isolation", cells[6]);
	fa_q_cell_iops(row, cells[7]);
	cells[8][0] = '\0';
	if (!verdict[0]) {
		fa_strlcpy(cells[8], fa_jstr(row, "error"), FA_Q_CELL);
		return;
	}
	failing = json_object_object_get(row, "failing_steps");
	for (i = 0; failing && i < json_object_array_length(failing); i++)
		used += (size_t)snprintf(cells[8] + used, FA_Q_CELL - used,
					 "%s%s", used ? ", " : "failing: ",
					 json_object_get_string(
					 json_object_array_get_idx(failing, i)));
	if (!json_object_get_boolean(json_object_object_get(row,
							    "this_machine")))
		snprintf(cells[8] + strlen(cells[8]),
			 FA_Q_CELL - strlen(cells[8]),
			 "%snot this machine: only the runs through its fio server are its own",
			 cells[8][0] ? "; " : "");
}

/* One line per host; the text output's last lines. */
void fa_q_fleet_table(FILE *fp, struct json_object **rows, int nr)
{
	static char cells[FA_Q_MAX_HOSTS][FA_Q_FLEET_COLS][FA_Q_CELL];
	int width[FA_Q_FLEET_COLS], i, c;

	for (c = 0; c < FA_Q_FLEET_COLS; c++)
		width[c] = (int)strlen(fa_q_fleet_heads[c]);
	for (i = 0; i < nr && i < FA_Q_MAX_HOSTS; i++) {
		fa_q_fleet_cells(rows[i], cells[i]);
		for (c = 0; c < FA_Q_FLEET_COLS; c++)
			if ((int)strlen(cells[i][c]) > width[c])
				width[c] = (int)strlen(cells[i][c]);
	}
	for (i = -1; i < nr && i < FA_Q_MAX_HOSTS; i++) {
		char line[FA_Q_FLEET_COLS * (FA_Q_CELL + 2)];
		size_t used = 0;

		for (c = 0; c < FA_Q_FLEET_COLS; c++)
			used += (size_t)snprintf(line + used,
					sizeof(line) - used, "%-*s  ",
					width[c], i < 0 ? fa_q_fleet_heads[c] :
					cells[i][c]);
		/* no trailing blanks after the last column */
		while (used && line[used - 1] == ' ')
			line[--used] = '\0';
		fprintf(fp, "%s\n", line);
	}
}

static const char *fa_q_cell_class(const char *cell)
{
	if (!strcmp(cell, "PASS") || !strcmp(cell, "provided") ||
	    !strcmp(cell, "QUALIFIED"))
		return "pass";
	if (!strcmp(cell, "FAIL") || !strcmp(cell, "NOT PROVIDED") ||
	    !strncmp(cell, "NOT ", 4))
		return "fail";
	return "skip";
}

/* The fleet's table at the top of the HTML report. */
void fa_q_html_fleet(FILE *fp, struct json_object **targets, int nr)
{
	static char cells[FA_Q_FLEET_COLS][FA_Q_CELL];
	int i, c;

	fprintf(fp, "<table>\n<tr>");
	for (c = 0; c < FA_Q_FLEET_COLS; c++)
		fprintf(fp, "<th>%s</th>", fa_q_fleet_heads[c]);
	fprintf(fp, "</tr>\n");
	for (i = 0; i < nr; i++) {
		fa_q_fleet_cells(targets[i], cells);
		fprintf(fp, "<tr>");
		for (c = 0; c < FA_Q_FLEET_COLS; c++) {
			if (c == 0 || c >= 7)
				fprintf(fp, "<td>");
			else
				fprintf(fp, "<td class=\"%s\">",
					fa_q_cell_class(cells[c]));
			fa_tool_html_escape(fp, cells[c]);
			fprintf(fp, "</td>");
		}
		fprintf(fp, "</tr>\n");
	}
	fprintf(fp, "</table>\n");
}
