// SPDX-License-Identifier: GPL-2.0
/*
 * Description: one pwritev2(RWF_ATOMIC) with a chosen iovec count, for the
 * rules an fio engine cannot break on purpose (it always sends one buffer):
 *
 *   pwritev2-atomic PATH OFFSET LENGTH NR_IOVECS
 *
 * Prints "ok" or the errno name and message; exit 0 when the write was
 * accepted, 1 when refused, 2 on usage errors. Opens O_DIRECT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef RWF_ATOMIC
#define RWF_ATOMIC 0x00000040
#endif

int main(int argc, char **argv)
{
	unsigned long long offset, length;
	struct iovec iov[16];
	unsigned int nr, i;
	char *buf;
	ssize_t n;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: %s PATH OFFSET LENGTH NR_IOVECS\n",
			argv[0]);
		return 2;
	}
	offset = strtoull(argv[2], NULL, 0);
	length = strtoull(argv[3], NULL, 0);
	nr = strtoul(argv[4], NULL, 0);
	if (!nr || nr > 16 || length % nr || (length / nr) % 512) {
		fprintf(stderr, "%s: LENGTH must split into 1..16 iovecs of 512-byte multiples\n",
			argv[0]);
		return 2;
	}
	if (posix_memalign((void **)&buf, 4096, length))
		return 2;
	memset(buf, 0x5a, length);
	for (i = 0; i < nr; i++) {
		iov[i].iov_base = buf + i * (length / nr);
		iov[i].iov_len = length / nr;
	}
	fd = open(argv[1], O_WRONLY | O_DIRECT);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	n = pwritev2(fd, iov, (int)nr, (off_t)offset, RWF_ATOMIC);
	if (n < 0)
		printf("%s: %s\n", strerrorname_np(errno), strerror(errno));
	else
		printf("ok: %zd bytes\n", n);
	close(fd);
	free(buf);
	return n < 0;
}
