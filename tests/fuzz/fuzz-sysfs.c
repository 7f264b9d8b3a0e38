// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for everything lib/ parses from files the
 * kernel writes: the block queue files in sysfs, a mountinfo file and the
 * /sys/dev/block/M:m symlink. The input goes into a fake tree under a
 * temporary directory and the parser reads it back from there.
 *
 * Input: byte 0 picks the mode (value % 4), the rest is the payload.
 *   0, 1	sysfs: the payload split at '|' fills the queue files in the
 *		order fa_limits_from_sysfs() reads them (a missing piece is a
 *		missing file); mode 1 also pretends statx reported the limits,
 *		with a 9th piece as statx's unit_max. The result then goes
 *		through finish, crosscheck, the verdict and the write rules.
 *   2		mountinfo: the payload is the file, searched for 8:1 and 7:0.
 *   3		symlink: the payload (up to its first NUL) is the target of
 *		dev/block/8:1, resolved by fa_limits_resolve_queue().
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line, so the
 * seeds and any crash found can be replayed without libFuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_guard.h"
#include "fa_limits.h"

#include "fa_fuzz.h"


/* A broken invariant is a finding: make the fuzzer stop on it. */
static const char *const queue_files[] = {
	"atomic_write_unit_min_bytes",
	"atomic_write_unit_max_bytes",
	"atomic_write_max_bytes",
	"atomic_write_boundary_bytes",
	"logical_block_size",
	"physical_block_size",
	"max_hw_sectors_kb",
};

#define NR_QUEUE_FILES	(sizeof(queue_files) / sizeof(queue_files[0]))

static char root[256];
static char queue[PATH_MAX];
static char mountinfo[PATH_MAX];
static char devlink[PATH_MAX];

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	if (root[0])
		nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_dir(const char *fmt, const char *arg)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), fmt, root, arg);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		abort();
	}
}

/* <root>/block/sda/{queue,sda1/partition}, <root>/dev/block/ */
static void fuzz_init(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];
	int fd;

	if (root[0])
		return;
	snprintf(root, sizeof(root), "%s/fa-fuzz.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		perror(root);
		abort();
	}
	atexit(cleanup);
	make_dir("%s/%s", "block");
	make_dir("%s/%s", "block/sda");
	make_dir("%s/%s", "block/sda/queue");
	make_dir("%s/%s", "block/sda/sda1");
	make_dir("%s/%s", "dev");
	make_dir("%s/%s", "dev/block");
	snprintf(path, sizeof(path), "%s/block/sda/sda1/partition", root);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "1\n", 2) != 2) {
		perror(path);
		abort();
	}
	close(fd);
	snprintf(queue, sizeof(queue), "%s/block/sda/queue", root);
	snprintf(mountinfo, sizeof(mountinfo), "%s/mountinfo", root);
	snprintf(devlink, sizeof(devlink), "%s/dev/block/8:1", root);
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror(path);
		abort();
	}
	close(fd);
}

static bool terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

/* Run every consumer of the limits over whatever the files gave. */
static void exercise_limits(struct fa_limits *lim)
{
	struct fa_disagreement dis[4];
	struct fa_verdict v;
	struct fa_job job;
	char msg[1024];
	uint64_t lengths[] = {
		lim->unit_min.value, lim->unit_max.value,
		lim->unit_min.value * 3, lim->sys_max_bytes.value, 0,
	};
	size_t i;
	int n;

	fa_limits_finish(lim);
	fa_limits_unsupported_reason(lim, msg, sizeof(msg));
	FUZZ_CHECK(terminated(msg, sizeof(msg)));
	n = fa_limits_crosscheck(lim, dis, 4);
	FUZZ_CHECK(n >= 0);
	for (i = 0; i < (size_t)n && i < 4; i++) {
		FUZZ_CHECK(dis[i].what && dis[i].a && dis[i].b);
		FUZZ_CHECK(terminated(dis[i].explanation,
				      sizeof(dis[i].explanation)));
	}

	memset(&job, 0, sizeof(job));
	job.direct = true;
	job.nr_segs = 1;
	job.offset_align = lim->sys_boundary.value;
	job.start_offset = lim->sys_logical_block.value;
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		struct fa_write w = {
			.offset = lim->sys_boundary.value,
			.length = lengths[i],
			.nr_segs = (unsigned int)lim->sys_physical_block.value,
			.direct = true,
		};
		enum fa_rule rule = fa_check_write(lim, &w, &v);

		FUZZ_CHECK(rule >= FA_RULE_OK && rule < FA_RULE_NR);
		fa_verdict_message(lim, &v, "bs", msg, sizeof(msg));
		FUZZ_CHECK(terminated(msg, sizeof(msg)));
		fa_job_add_size(&job, lengths[i], "bs");
	}
	fa_check_job(lim, &job, &v, msg, sizeof(msg));
	FUZZ_CHECK(terminated(msg, sizeof(msg)));
}

static void fuzz_sysfs(const uint8_t *data, size_t size, bool statx)
{
	static struct fa_limits lim;
	const uint8_t *piece = data, *end = data + size;
	char path[PATH_MAX + 64];
	size_t i;
	int ret;

	for (i = 0; i < NR_QUEUE_FILES; i++) {
		const uint8_t *bar;

		snprintf(path, sizeof(path), "%s/%s", queue, queue_files[i]);
		if (!piece) {
			unlink(path);
			continue;
		}
		bar = memchr(piece, '|', (size_t)(end - piece));
		write_file(path, piece, (size_t)((bar ? bar : end) - piece));
		piece = bar ? bar + 1 : NULL;
	}

	memset(&lim, 0, sizeof(lim));
	snprintf(lim.path, sizeof(lim.path), "/dev/sda");
	lim.kind = FA_KIND_BLOCK;
	ret = fa_limits_from_sysfs(queue, &lim);
	FUZZ_CHECK(ret <= 0);
	FUZZ_CHECK(terminated(lim.queue_dir, sizeof(lim.queue_dir)));
	if (ret)
		return;
	FUZZ_CHECK(!lim.sys_max_hw_sectors.known ||
		   lim.sys_max_hw_sectors.value % 1024 == 0);
	FUZZ_CHECK(!lim.sys_unit_max.known ||
		   !strncmp(lim.sys_unit_max.origin, queue, strlen(queue)));

	if (statx) {
		char num[32] = "";
		size_t len = piece ? (size_t)(end - piece) : 0;

		if (len >= sizeof(num))
			len = sizeof(num) - 1;
		if (len)
			memcpy(num, piece, len);
		num[len] = '\0';
		lim.statx_atomic = true;
		lim.stx_unit_min = lim.sys_unit_min;
		lim.stx_unit_max = lim.sys_unit_max;
		lim.stx_unit_max.value = strtoull(num, NULL, 10);
		lim.stx_unit_max.known = true;
		lim.stx_unit_max.source = FA_SRC_STATX;
		snprintf(lim.stx_unit_max.origin,
			 sizeof(lim.stx_unit_max.origin), "statx on /dev/sda");
	}
	exercise_limits(&lim);
}

static void fuzz_mountinfo(const uint8_t *data, size_t size)
{
	static const unsigned int devs[][2] = { { 8, 1 }, { 7, 0 } };
	char where[PATH_MAX];
	size_t i;
	int ret;

	write_file(mountinfo, data, size);
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		ret = fa_guard_mounted_in(mountinfo, devs[i][0], devs[i][1],
					  where, sizeof(where));
		FUZZ_CHECK(ret == 0 || ret == 1);
		if (ret == 1)
			FUZZ_CHECK(terminated(where, sizeof(where)));
	}
	/* A short buffer must be cut, not overrun. */
	ret = fa_guard_mounted_in(mountinfo, 8, 1, where, 8);
	FUZZ_CHECK(ret == 0 || ret == 1);
	if (ret == 1)
		FUZZ_CHECK(strlen(where) < 8);
}

static void fuzz_symlink(const uint8_t *data, size_t size)
{
	char target[PATH_MAX], dir[PATH_MAX], disk[64 + 8];
	bool partition;
	size_t len;
	int ret;

	len = strnlen((const char *)data, size);
	if (!len || len >= sizeof(target))
		return;
	memcpy(target, data, len);
	target[len] = '\0';
	unlink(devlink);
	if (symlink(target, devlink))
		return;
	memset(disk, 'x', sizeof(disk));
	ret = fa_limits_resolve_queue(8, 1, root, dir, sizeof(dir), disk,
				      &partition);
	FUZZ_CHECK(ret <= 0);
	/* The function may use 64 bytes of disk and not one more. */
	FUZZ_CHECK(!memcmp(disk + 64, "xxxxxxxx", 8));
	if (ret)
		return;
	FUZZ_CHECK(terminated(disk, 64));
	FUZZ_CHECK(disk[0] && !strchr(disk, '/'));
	FUZZ_CHECK(terminated(dir, sizeof(dir)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	fuzz_init();
	switch (data[0] % 4) {
	case 0:
	case 1:
		fuzz_sysfs(data + 1, size - 1, data[0] % 4 == 1);
		break;
	case 2:
		fuzz_mountinfo(data + 1, size - 1);
		break;
	default:
		fuzz_symlink(data + 1, size - 1);
		break;
	}
	return 0;
}

