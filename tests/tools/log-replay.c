// SPDX-License-Identifier: GPL-2.0
/*
 * Description: read and replay a dm-log-writes log (lib/fa_logwrites.h),
 * for the crash-state harness (tests/lab/crash-states):
 *
 *   log-replay info LOG [--entries] [--json]
 *   log-replay replay LOG DEV [--from ENTRY] [--to ENTRY] [--check CMD]
 *                             [--json]
 *
 * info: the super block, the entries by kind, the crash points (the index
 * of every FLUSH or FUA entry) and the marks; --entries adds one line per
 * entry. replay: writes entries [from, to) of LOG onto DEV (default: all):
 * a write's data at its sector, zeroes over a discard's range, nothing for
 * flushes without data and marks. ENTRY is an index or mark:TEXT, the
 * first MARK entry with that text. With --check, at every crash point in
 * [from, to), once the entry is replayed and DEV synced, CMD runs through
 * /bin/sh -c with LOG_REPLAY_ENTRY (the entry's index), LOG_REPLAY_STATE
 * (1 for the first crash point checked, 2 for the next...),
 * LOG_REPLAY_FLAGS and LOG_REPLAY_MARK (the text of the last MARK before
 * it, empty when none) in its environment and its stdout on stderr; its
 * exit status 0 says the state is good, 1 bad; anything else stops the
 * replay.
 *
 * The whole log is read and checked before the first write: a malformed
 * log, or an entry reaching past DEV's end, writes nothing. --json prints
 * {"format": "fio-atomic-log-replay", "version": 1, ...} on stdout.
 *
 * Exit status: 0 done (and every check said good); 1 error (a bad log,
 * I/O); 2 usage; 4 a check said a state was bad (the replay went on);
 * 5 a check could not judge (another exit status, or a signal): the
 * replay stopped after that entry.
 *
 * A program of the test tree rather than a fio-atomic subcommand: it
 * needs a log only a dm-log-writes device in the lab makes, and it
 * writes wherever the log says, which is no tool for a user's disks.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fa_logwrites.h"

#define PROG		"log-replay"
#define CHUNK		(1u << 20)
#define MAX_FAILED	32

static void usage(FILE *out)
{
	fprintf(out,
		"usage: log-replay info LOG [--entries] [--json]\n"
		"       log-replay replay LOG DEV [--from ENTRY] [--to ENTRY] [--check CMD] [--json]\n"
		"ENTRY: an entry's index, or mark:TEXT (the first MARK with that text)\n");
}

/* what a walk through the whole log learnt */
struct walk {
	uint64_t nr;
	uint64_t *offsets;	/* each entry's header offset */
	uint64_t writes, flushes, fuas, discards, marks, metadata;
	uint64_t data_bytes;
	uint64_t end_offset;
	struct json_object *crash_points, *mark_list;
};

static void put_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static void add_u64(struct json_object *array, uint64_t v)
{
	json_object_array_add(array, json_object_new_int64((int64_t)v));
}

static int size_of(int fd, const char *path, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, size) ? -errno : 0;
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, PROG ": %s is neither a block device nor a file\n",
			path);
		return -EINVAL;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

static const char *open_error(int err)
{
	switch (err) {
	case -ENOMSG:
		return "not a dm-log-writes log (bad magic in its super block)";
	case -EPROTONOSUPPORT:
		return "a dm-log-writes log of another version (this reader knows version 1)";
	case -EBADMSG:
		return "a super block with an impossible sectorsize (512..65536, a power of two)";
	case -ERANGE:
		return "smaller than its super block";
	}
	return strerror(-err);
}

static const char *entry_error(int err)
{
	switch (err) {
	case -EBADMSG:
		return "a header dm-log-writes cannot have written (unknown flags, a MARK with a range, data_len on a write, a DISCARD with FLUSH/FUA, or a range past 2^63 bytes)";
	case -ERANGE:
		return "its header or data reach past the end of the log";
	case -ENODATA:
		return "short read";
	}
	return strerror(-err);
}

/* walk the whole log: counts, crash points, marks, every entry's offset */
static int walk_log(struct fa_lw_reader *r, const char *path, bool print,
		    struct walk *w)
{
	struct fa_lw_entry e;
	char flags[96];
	int ret;

	memset(w, 0, sizeof(*w));
	/* each entry takes a block at least: a count above that is a lie */
	if (r->super.nr_entries > r->log_size / r->super.sectorsize) {
		fprintf(stderr, PROG ": %s: super block counts %" PRIu64
			" entries, more than the log's %" PRIu64 " blocks hold\n",
			path, r->super.nr_entries,
			r->log_size / r->super.sectorsize);
		return -ERANGE;
	}
	w->offsets = calloc(r->super.nr_entries ? r->super.nr_entries : 1,
			    sizeof(*w->offsets));
	if (!w->offsets)
		return -ENOMEM;
	w->crash_points = json_object_new_array();
	w->mark_list = json_object_new_array();
	w->end_offset = r->next_offset;
	while ((ret = fa_lw_next(r, &e)) == 0) {
		w->offsets[w->nr++] = e.log_offset;
		w->end_offset = e.next_offset;
		if (e.flags & FA_LW_FLUSH)
			w->flushes++;
		if (e.flags & FA_LW_FUA)
			w->fuas++;
		if (e.flags & FA_LW_METADATA)
			w->metadata++;
		if (e.flags & FA_LW_DISCARD) {
			w->discards++;
		} else if (e.flags & FA_LW_MARK) {
			struct json_object *m = json_object_new_object();

			w->marks++;
			put_u64(m, "index", e.index);
			json_object_object_add(m, "text",
					       json_object_new_string(e.mark));
			json_object_array_add(w->mark_list, m);
		} else if (e.nr_sectors) {
			w->writes++;
			w->data_bytes += e.nr_sectors * r->super.sectorsize;
		}
		if (fa_lw_is_crash_point(&e))
			add_u64(w->crash_points, e.index);
		if (print)
			printf("%8" PRIu64 " @%-12" PRIu64 " %-20s sector %-10" PRIu64
			       " blocks %-6" PRIu64 "%s%s%s\n", e.index,
			       e.log_offset,
			       fa_lw_flags_name(e.flags, flags, sizeof(flags)),
			       e.sector, e.nr_sectors, e.mark ? " \"" : "",
			       e.mark ? e.mark : "", e.mark ? "\"" : "");
	}
	if (ret < 0) {
		fprintf(stderr, PROG ": %s: entry %" PRIu64 " at byte %" PRIu64
			": %s\n", path, r->next_index, r->next_offset,
			entry_error(ret));
		return ret;
	}
	return 0;
}

static void walk_free(struct walk *w)
{
	free(w->offsets);
	json_object_put(w->crash_points);
	json_object_put(w->mark_list);
}

static struct json_object *doc_new(const char *command, const char *log,
				   const struct fa_lw_reader *r)
{
	struct json_object *doc = json_object_new_object();

	json_object_object_add(doc, "format",
			       json_object_new_string("fio-atomic-log-replay"));
	json_object_object_add(doc, "version", json_object_new_int(1));
	json_object_object_add(doc, "command", json_object_new_string(command));
	json_object_object_add(doc, "log", json_object_new_string(log));
	put_u64(doc, "log_size", r->log_size);
	json_object_object_add(doc, "sectorsize",
			       json_object_new_int64(r->super.sectorsize));
	put_u64(doc, "nr_entries", r->super.nr_entries);
	return doc;
}

static void doc_print(struct json_object *doc)
{
	printf("%s\n", json_object_to_json_string_ext(doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int open_log(const char *path, int *fd, struct fa_lw_reader *r)
{
	uint64_t size;
	int ret;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		fprintf(stderr, PROG ": cannot open log %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	ret = size_of(*fd, path, &size);
	if (!ret)
		ret = fa_lw_open(r, fa_lw_fd_read, fd, size);
	if (ret) {
		fprintf(stderr, PROG ": %s: %s\n", path, open_error(ret));
		close(*fd);
	}
	return ret;
}

static int cmd_info(const char *log, bool entries, bool json)
{
	struct fa_lw_reader r;
	struct walk w;
	struct json_object *doc, *counts;
	int fd, ret;

	if (open_log(log, &fd, &r))
		return 1;
	ret = walk_log(&r, log, entries && !json, &w);
	if (ret)
		goto out;
	if (json) {
		doc = doc_new("info", log, &r);
		counts = json_object_new_object();
		put_u64(counts, "writes", w.writes);
		put_u64(counts, "flush", w.flushes);
		put_u64(counts, "fua", w.fuas);
		put_u64(counts, "discard", w.discards);
		put_u64(counts, "mark", w.marks);
		put_u64(counts, "metadata", w.metadata);
		json_object_object_add(doc, "counts", counts);
		put_u64(doc, "data_bytes", w.data_bytes);
		put_u64(doc, "end_offset", w.end_offset);
		json_object_object_add(doc, "crash_points",
				       json_object_get(w.crash_points));
		json_object_object_add(doc, "marks",
				       json_object_get(w.mark_list));
		doc_print(doc);
		json_object_put(doc);
	} else {
		printf("%s: dm-log-writes log, version %" PRIu64 ", sectorsize %u, %"
		       PRIu64 " entries in %" PRIu64 " bytes of %" PRIu64 "\n",
		       log, r.super.version, r.super.sectorsize, w.nr,
		       w.end_offset, r.log_size);
		printf("writes %" PRIu64 " (%" PRIu64 " bytes), FLUSH %" PRIu64
		       ", FUA %" PRIu64 ", DISCARD %" PRIu64 ", MARK %" PRIu64
		       ", METADATA %" PRIu64 "\n", w.writes, w.data_bytes,
		       w.flushes, w.fuas, w.discards, w.marks, w.metadata);
		printf("crash points (FLUSH or FUA entries): %zu\n",
		       json_object_array_length(w.crash_points));
	}
out:
	walk_free(&w);
	fa_lw_close(&r);
	close(fd);
	return ret ? 1 : 0;
}

/* ENTRY: a number, or mark:TEXT looked up among the walk's marks */
static int parse_entry(const char *opt, const char *s, const struct walk *w,
		       uint64_t *out)
{
	size_t i;
	char *end;

	if (!strncmp(s, "mark:", 5)) {
		for (i = 0; i < json_object_array_length(w->mark_list); i++) {
			struct json_object *m, *t, *ix;

			m = json_object_array_get_idx(w->mark_list, i);
			json_object_object_get_ex(m, "text", &t);
			json_object_object_get_ex(m, "index", &ix);
			if (!strcmp(json_object_get_string(t), s + 5)) {
				*out = (uint64_t)json_object_get_int64(ix);
				return 0;
			}
		}
		fprintf(stderr, PROG ": %s %s: the log has no MARK \"%s\" (%zu marks)\n",
			opt, s, s + 5, json_object_array_length(w->mark_list));
		return -ENOENT;
	}
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || *out > w->nr) {
		fprintf(stderr, PROG ": %s %s: not an entry index 0..%" PRIu64
			" (the log's entries) nor mark:TEXT\n", opt, s, w->nr);
		return -EINVAL;
	}
	return 0;
}

/* run CMD for a crash point: 0 good, 1 bad, 2 could not judge */
static int run_check(const char *cmd, uint64_t entry, uint64_t state,
		     uint64_t flags, const char *mark)
{
	char num[32], fl[96];
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		snprintf(num, sizeof(num), "%" PRIu64, entry);
		setenv("LOG_REPLAY_ENTRY", num, 1);
		snprintf(num, sizeof(num), "%" PRIu64, state);
		setenv("LOG_REPLAY_STATE", num, 1);
		setenv("LOG_REPLAY_FLAGS", fa_lw_flags_name(flags, fl, sizeof(fl)), 1);
		setenv("LOG_REPLAY_MARK", mark, 1);
		/* stdout is the JSON's */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 2;
	if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
		return WEXITSTATUS(status);
	return 2;
}

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* one entry onto DEV */
static int apply(struct fa_lw_reader *r, const struct fa_lw_entry *e,
		 int dev, unsigned char *buf, uint64_t *bytes)
{
	uint64_t ss = r->super.sectorsize, total = e->nr_sectors * ss, done;
	size_t n;
	int ret;

	if (e->flags & FA_LW_MARK || !e->nr_sectors)
		return 0;
	if (e->flags & FA_LW_DISCARD)
		memset(buf, 0, CHUNK);
	for (done = 0; done < total; done += n) {
		n = total - done < CHUNK ? (size_t)(total - done) : CHUNK;
		if (!(e->flags & FA_LW_DISCARD)) {
			ret = fa_lw_read_data(r, e, done, buf, n);
			if (ret)
				return ret;
		}
		ret = write_all(dev, buf, n, e->sector * ss + done);
		if (ret)
			return ret;
	}
	*bytes += total;
	return 0;
}

struct replay_opts {
	const char *log, *dev, *from, *to, *check;
	bool json;
};

static int cmd_replay(const struct replay_opts *o)
{
	uint64_t from = 0, to, dev_size, i, state = 0, bytes = 0;
	uint64_t replayed = 0, crash_points = 0, passed = 0, failed = 0;
	struct json_object *failed_list, *doc, *checks;
	struct fa_lw_reader r;
	struct fa_lw_entry e;
	unsigned char *buf = NULL;
	char mark[FA_LW_SECTORSIZE_MAX];
	int fd, dev = -1, ret, status = 0;
	int64_t stopped = -1;
	struct walk w;

	if (open_log(o->log, &fd, &r))
		return 1;
	ret = walk_log(&r, o->log, false, &w);
	if (ret) {
		status = 1;
		goto out;
	}
	to = w.nr;
	if ((o->from && parse_entry("--from", o->from, &w, &from)) ||
	    (o->to && parse_entry("--to", o->to, &w, &to))) {
		status = 2;
		goto out;
	}
	if (from > to) {
		fprintf(stderr, PROG ": --from %" PRIu64 " is after --to %" PRIu64
			"\n", from, to);
		status = 2;
		goto out;
	}
	dev = open(o->dev, O_WRONLY | O_CLOEXEC);
	if (dev < 0 || size_of(dev, o->dev, &dev_size)) {
		fprintf(stderr, PROG ": cannot open %s for writing: %s\n",
			o->dev, strerror(errno));
		status = 1;
		goto out;
	}
	/* every entry to replay must fit DEV before anything is written */
	mark[0] = '\0';
	if (fa_lw_seek(&r, 0, r.super.sectorsize))
		abort();
	for (i = 0; i < to; i++) {
		if (fa_lw_next(&r, &e))
			abort();	/* walk_log() read it whole */
		if (i < from) {
			if (e.mark)
				snprintf(mark, sizeof(mark), "%s", e.mark);
			continue;
		}
		if (e.nr_sectors && !(e.flags & FA_LW_MARK) &&
		    (e.sector + e.nr_sectors) > dev_size / r.super.sectorsize) {
			fprintf(stderr, PROG ": entry %" PRIu64 " writes blocks %"
				PRIu64 "..%" PRIu64 " of %u bytes, past the end of %s (%"
				PRIu64 " bytes): nothing written\n", i, e.sector,
				e.sector + e.nr_sectors - 1, r.super.sectorsize,
				o->dev, dev_size);
			status = 1;
			goto out;
		}
	}
	buf = malloc(CHUNK);
	failed_list = json_object_new_array();
	if (!buf || fa_lw_seek(&r, from, from < w.nr ? w.offsets[from] :
				 w.end_offset)) {
		json_object_put(failed_list);
		status = 1;
		goto out;
	}
	for (i = from; i < to; i++) {
		if (fa_lw_next(&r, &e))
			abort();
		ret = apply(&r, &e, dev, buf, &bytes);
		if (ret) {
			fprintf(stderr, PROG ": entry %" PRIu64 ": writing %s: %s\n",
				i, o->dev, strerror(-ret));
			status = 1;
			break;
		}
		replayed++;
		if (e.mark)
			snprintf(mark, sizeof(mark), "%s", e.mark);
		if (!fa_lw_is_crash_point(&e))
			continue;
		crash_points++;
		if (!o->check)
			continue;
		if (fdatasync(dev)) {
			fprintf(stderr, PROG ": syncing %s: %s\n", o->dev,
				strerror(errno));
			status = 1;
			break;
		}
		ret = run_check(o->check, i, ++state, e.flags, mark);
		if (ret == 0) {
			passed++;
		} else if (ret == 1) {
			failed++;
			if (json_object_array_length(failed_list) < MAX_FAILED)
				add_u64(failed_list, i);
			status = 4;
		} else {
			fprintf(stderr, PROG ": the check of entry %" PRIu64
				" could not judge the state: replay stopped\n", i);
			stopped = (int64_t)i;
			status = 5;
			break;
		}
	}
	if (status != 1 && fdatasync(dev)) {
		fprintf(stderr, PROG ": syncing %s: %s\n", o->dev, strerror(errno));
		status = 1;
	}
	if (o->json) {
		doc = doc_new("replay", o->log, &r);
		json_object_object_add(doc, "device", json_object_new_string(o->dev));
		put_u64(doc, "from", from);
		put_u64(doc, "to", to);
		put_u64(doc, "entries_replayed", replayed);
		put_u64(doc, "bytes_written", bytes);
		put_u64(doc, "crash_points", crash_points);
		checks = json_object_new_object();
		json_object_object_add(checks, "command", o->check ?
				       json_object_new_string(o->check) : NULL);
		put_u64(checks, "run", state);
		put_u64(checks, "good", passed);
		put_u64(checks, "bad", failed);
		json_object_object_add(checks, "bad_entries", failed_list);
		json_object_object_add(checks, "stopped_at", stopped < 0 ? NULL :
				       json_object_new_int64(stopped));
		json_object_object_add(doc, "checks", checks);
		json_object_object_add(doc, "status", json_object_new_int(status));
		doc_print(doc);
		json_object_put(doc);
	} else {
		json_object_put(failed_list);
		fprintf(stderr, PROG ": %s onto %s: entries %" PRIu64 "..%" PRIu64
			", %" PRIu64 " replayed, %" PRIu64 " bytes, %" PRIu64
			" crash points; %" PRIu64 " checked: %" PRIu64 " good, %"
			PRIu64 " bad\n", o->log, o->dev, from, to, replayed,
			bytes, crash_points, state, passed, failed);
	}
out:
	free(buf);
	if (dev >= 0)
		close(dev);
	walk_free(&w);
	fa_lw_close(&r);
	close(fd);
	return status;
}

int main(int argc, char **argv)
{
	struct replay_opts o = { 0 };
	const char *pos[3] = { NULL };
	bool entries = false;
	int i, npos = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			o.json = true;
		} else if (!strcmp(a, "--entries")) {
			entries = true;
		} else if (!strcmp(a, "--from") || !strcmp(a, "--to") ||
			   !strcmp(a, "--check")) {
			if (i + 1 >= argc) {
				fprintf(stderr, PROG ": %s needs a value\n", a);
				return 2;
			}
			if (a[2] == 'f')
				o.from = argv[++i];
			else if (a[2] == 't')
				o.to = argv[++i];
			else
				o.check = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, PROG ": unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (npos < 3) {
			pos[npos++] = a;
		} else {
			fprintf(stderr, PROG ": unexpected argument '%s'\n", a);
			return 2;
		}
	}
	if (npos == 2 && !strcmp(pos[0], "info") && !o.from && !o.to &&
	    !o.check)
		return cmd_info(pos[1], entries, o.json);
	if (npos == 3 && !strcmp(pos[0], "replay") && !entries) {
		o.log = pos[1];
		o.dev = pos[2];
		return cmd_replay(&o);
	}
	usage(stderr);
	return 2;
}
