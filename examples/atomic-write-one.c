// SPDX-License-Identifier: GPL-2.0
/*
 * Description: discover a file's atomic write limits with fio-atomic's lib/
 * and issue one validated atomic write of unit_max bytes (or the size given)
 * at offset 0.
 *
 *   atomic-write-one FILE [SIZE]
 *
 * The write is checked against the kernel's rules before it is sent, so an
 * illegal one is explained rather than discovered as EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fa_guard.h"
#include "fa_limits.h"

#ifndef RWF_ATOMIC
#define RWF_ATOMIC 0x00000040
#endif

int main(int argc, char **argv)
{
	struct fa_limits lim;
	struct fa_verdict v;
	struct fa_write w = { .nr_segs = 1, .direct = true };
	char msg[1024];
	struct iovec iov;
	void *buf;
	ssize_t n;
	int fd, ret;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s FILE [SIZE]\n", argv[0]);
		return 2;
	}
	ret = fa_limits_discover(argv[1], &lim);
	if (ret) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	if (!fa_limits_supported(&lim)) {
		fa_limits_unsupported_reason(&lim, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	/* Never overwrite a device that holds a filesystem or is in use. */
	if (lim.kind == FA_KIND_BLOCK && fa_guard_device(argv[1], msg,
							 sizeof(msg))) {
		fprintf(stderr, "refused: %s\n", msg);
		return 1;
	}
	w.length = argc == 3 ? strtoull(argv[2], NULL, 0) : lim.unit_max.value;
	if (fa_check_write(&lim, &w, &v) != FA_RULE_OK) {
		fa_verdict_message(&lim, &v, "size", msg, sizeof(msg));
		fprintf(stderr, "refused: %s\n", msg);
		return 1;
	}

	fd = open(argv[1], O_WRONLY | O_DIRECT);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	/* O_DIRECT wants the memory aligned as well: the statx dio_mem_align */
	if (posix_memalign(&buf, 4096, w.length)) {
		close(fd);
		return 1;
	}
	memset(buf, 0xa5, w.length);
	iov.iov_base = buf;
	iov.iov_len = w.length;
	n = pwritev2(fd, &iov, 1, (off_t)w.offset, RWF_ATOMIC);
	if (n < 0)
		fprintf(stderr, "pwritev2(RWF_ATOMIC): %s\n", strerror(errno));
	else
		printf("wrote %zd bytes atomically at offset %" PRIu64 " (limits %" PRIu64 "..%" PRIu64 " from %s)\n",
		       n, w.offset, lim.unit_min.value, lim.unit_max.value,
		       lim.unit_max.origin);
	free(buf);
	close(fd);
	return n == (ssize_t)w.length ? 0 : 1;
}
