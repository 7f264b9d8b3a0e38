// SPDX-License-Identifier: GPL-2.0
/*
 * Description: write a file of stamped units (lib/fa_stamp.h) the way a
 * tear_check=1 job leaves its target, with chosen units made torn or left
 * unwritten, for the tests of `fio-atomic tearscan`:
 *
 *   stamp-write [options] PATH UNITS UNIT BLOCK
 *
 *   -o OFFSET   where unit 0 starts in PATH (default 0; the bytes before
 *               it are zeros)
 *   -g GEN      generation of unit 0; unit i gets GEN + i (default 1)
 *   -m I        unit I torn, mixed: its second half comes from another
 *               write of the same unit (generation GEN + UNITS + I)
 *   -p I        unit I torn, partial: its second half unwritten (zeros)
 *   -f I        unit I torn, bad checksum: one byte of its block 1 flipped
 *   -x I        unit I torn, misplaced: its block 1 is block 1 of unit I+1
 *   -u I        unit I unwritten (zeros)
 *
 * Each option can be repeated. PATH is created or truncated to OFFSET +
 * UNITS * UNIT bytes. Exit 0 written, 1 error, 2 usage error.
 *
 * The library is compiled in (the tests/tools build links no library).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_crc32c.h"
#include "fa_stamp.h"

enum fault {
	FAULT_NONE = 0,
	FAULT_MIXED,
	FAULT_PARTIAL,
	FAULT_FLIP,
	FAULT_MISPLACE,
	FAULT_UNWRITTEN,
};

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-o OFFSET] [-g GEN] [-m I] [-p I] [-f I] [-x I] [-u I] PATH UNITS UNIT BLOCK\n",
		prog);
	return 2;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

static int write_all(int fd, const void *buf, size_t len, uint64_t offset)
{
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)offset);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t offset = 0, gen = 1, units, unit, block, i, v;
	unsigned char *buf, *other;
	enum fault *faults;
	struct { int opt; uint64_t index; } marks[1024];
	size_t nr_marks = 0, m, half;
	int opt, fd, ret = 1;

	while ((opt = getopt(argc, argv, "o:g:m:p:f:x:u:")) != -1) {
		switch (opt) {
		case 'o':
			if (parse_u64(optarg, &offset))
				return usage(argv[0]);
			break;
		case 'g':
			if (parse_u64(optarg, &gen))
				return usage(argv[0]);
			break;
		case 'm':
		case 'p':
		case 'f':
		case 'x':
		case 'u':
			if (parse_u64(optarg, &v) || nr_marks == 1024)
				return usage(argv[0]);
			marks[nr_marks].opt = opt;
			marks[nr_marks++].index = v;
			break;
		default:
			return usage(argv[0]);
		}
	}
	if (argc - optind != 4 || parse_u64(argv[optind + 1], &units) ||
	    parse_u64(argv[optind + 2], &unit) ||
	    parse_u64(argv[optind + 3], &block) || unit > UINT32_MAX ||
	    block > UINT32_MAX ||
	    fa_stamp_valid_geometry((uint32_t)unit, (uint32_t)block)) {
		if (argc - optind == 4)
			fprintf(stderr, "%s: bad UNITS, UNIT or BLOCK\n",
				argv[0]);
		return usage(argv[0]);
	}

	faults = calloc(units ? units : 1, sizeof(*faults));
	buf = malloc(unit);
	other = malloc(unit);
	if (!faults || !buf || !other) {
		perror("malloc");
		return 1;
	}
	for (m = 0; m < nr_marks; m++) {
		enum fault f;

		if (marks[m].index >= units ||
		    (marks[m].opt == 'x' && marks[m].index + 1 >= units) ||
		    (marks[m].opt != 'u' && unit / block < 2)) {
			fprintf(stderr, "%s: -%c %" PRIu64 ": no such unit, or a unit of one block, which cannot tear\n",
				argv[0], marks[m].opt, marks[m].index);
			return 2;
		}
		switch (marks[m].opt) {
		case 'm':
			f = FAULT_MIXED;
			break;
		case 'p':
			f = FAULT_PARTIAL;
			break;
		case 'f':
			f = FAULT_FLIP;
			break;
		case 'x':
			f = FAULT_MISPLACE;
			break;
		default:
			f = FAULT_UNWRITTEN;
			break;
		}
		faults[marks[m].index] = f;
	}

	fd = open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		perror(argv[optind]);
		return 1;
	}
	if (ftruncate(fd, (off_t)(offset + units * unit))) {
		perror("ftruncate");
		goto out;
	}
	/* Whole blocks, so a half is never cut inside a block. */
	half = (size_t)(unit / block / 2 * block);
	for (i = 0; i < units; i++) {
		uint64_t where = offset + i * unit;

		if (faults[i] == FAULT_UNWRITTEN)
			continue;
		fa_stamp_fill(buf, where, (uint32_t)unit, (uint32_t)block,
			      gen + i);
		switch (faults[i]) {
		case FAULT_MIXED:
			fa_stamp_fill(other, where, (uint32_t)unit,
				      (uint32_t)block, gen + units + i);
			memcpy(buf + half, other + half, unit - half);
			break;
		case FAULT_PARTIAL:
			memset(buf + half, 0, unit - half);
			break;
		case FAULT_FLIP:
			buf[block + block / 2] ^= 0x10;
			break;
		case FAULT_MISPLACE:
			fa_stamp_fill(other, where + unit, (uint32_t)unit,
				      (uint32_t)block, gen + i + 1);
			memcpy(buf + block, other + block, block);
			break;
		default:
			break;
		}
		if (write_all(fd, buf, unit, where)) {
			perror("pwrite");
			goto out;
		}
	}
	if (fsync(fd)) {
		perror("fsync");
		goto out;
	}
	ret = 0;
out:
	if (close(fd) && !ret) {
		perror("close");
		ret = 1;
	}
	free(faults);
	free(buf);
	free(other);
	return ret;
}
