/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: what every fuzzer shares: FUZZ_CHECK() for its invariants,
 * and the replay main(). Built with
 * -DFA_FUZZ_REPLAY (no libFuzzer), a fuzzer feeds each FILE given, or each
 * regular file of each DIR, to its LLVMFuzzerTestOneInput() once: the seed
 * corpora replay under gcc and the sanitizers in every build.
 */
#ifndef FA_FUZZ_H
#define FA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the code under test must keep, whatever the input. */
#define FUZZ_CHECK(expr)						\
	do {								\
		if (!(expr)) {						\
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
				__FILE__, __LINE__, #expr);		\
			abort();					\
		}							\
	} while (0)

#ifdef FA_FUZZ_REPLAY
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

static int fa_replay_file(const char *path)
{
	static uint8_t buf[1 << 20];
	size_t size;
	FILE *fp;

	fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return -1;
	}
	size = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, size);
	return 0;
}

static int fa_replay_path(const char *path, int *count)
{
	char child[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int ret = 0;

	if (stat(path, &st)) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return fa_replay_file(path);
	}
	dir = opendir(path);
	if (!dir) {
		perror(path);
		return -1;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		if (stat(child, &st) || !S_ISREG(st.st_mode))
			continue;
		(*count)++;
		if (fa_replay_file(child))
			ret = -1;
	}
	closedir(dir);
	return ret;
}

int main(int argc, char **argv)
{
	int i, count = 0, ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (fa_replay_path(argv[i], &count))
			ret = 1;
	printf("%s: %d inputs replayed, no invariant broken\n", argv[0],
	       count);
	return ret;
}
#endif /* FA_FUZZ_REPLAY */

#endif /* FA_FUZZ_H */
