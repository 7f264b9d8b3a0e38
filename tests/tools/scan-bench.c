// SPDX-License-Identifier: GPL-2.0
/*
 * Description: throughput of the tear scanner against memcpy, on one core,
 * in one run, on in-memory stamped data:
 *
 *   scan-bench [-s SIZE_MIB] [-u UNIT] [-b BLOCK] [-r REPEATS] [-c]
 *
 * Defaults: 256 MiB of 64 KiB units of 4096-byte blocks, 7 repeats; the
 * median of each is reported. Prints memcpy and scanner bandwidth in GB/s
 * (10^9 bytes/s of data covered) and their ratio (the target is >= 0.5),
 * the CRC-32C paths alone, and the write side: fa_stamp_fill() against
 * memset() over the same buffer, and what stamping costs per unit. The
 * same figures for a working set that fits in cache (512 KiB) follow.
 *
 * Exit 0; with -c, 1 when the scanner is below half of memcpy.
 *
 * The library is compiled in (the tests/tools build links no library).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fa_crc32c.h"
#include "fa_stamp.h"
#include "fa_scan.h"

#define MAX_REPEATS	64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Keep the compiler from dropping work whose result is not read. */
static inline void clobber(const void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

struct bench {
	unsigned char *src, *dst;
	size_t size;
	uint32_t unit, block;
	int repeats;
	int rounds;	/* passes per sample, so small sets time well */
};

enum what {
	MEMCPY,
	MEMSET,
	FILL,
	SCAN,
	CRC_HW,
	CRC_SW,
};

static uint32_t crc_sink;

static int run_once(struct bench *b, int what)
{
	struct fa_scan_counts c;
	size_t off;

	switch (what) {
	case MEMCPY:
		memcpy(b->dst, b->src, b->size);
		clobber(b->dst);
		break;
	case MEMSET:
		memset(b->dst, 0x5a, b->size);
		clobber(b->dst);
		break;
	case FILL:
		for (off = 0; off < b->size; off += b->unit)
			fa_stamp_fill(b->dst + off, off, b->unit, b->block,
				      off / b->unit + 1);
		clobber(b->dst);
		break;
	case SCAN:
		fa_scan_counts_init(&c);
		fa_scan_region(b->src, b->size, 0, b->unit, b->block, &c);
		if (c.intact != b->size / b->unit) {
			fprintf(stderr, "scan-bench: %llu of %zu units intact\n",
				(unsigned long long)c.intact,
				b->size / b->unit);
			return -1;
		}
		break;
	case CRC_HW:
		crc_sink ^= fa_crc32c_hw(0, b->src, b->size);
		break;
	case CRC_SW:
		crc_sink ^= fa_crc32c_portable(0, b->src, b->size);
		break;
	}
	return 0;
}

#define NR_WHAT	(CRC_SW + 1)

/*
 * Median GB/s of each kind of pass over the buffer. The kinds take turns
 * within every repeat, so that a noisy neighbour slows them alike and the
 * ratios stay fair.
 */
static void measure(struct bench *b, const bool *want, double *gbps)
{
	double t[NR_WHAT][MAX_REPEATS], start;
	int i, r, w;

	for (w = 0; w < NR_WHAT; w++)	/* warm up caches and tables */
		if (want[w] && run_once(b, w))
			exit(1);
	for (i = 0; i < b->repeats; i++) {
		for (w = 0; w < NR_WHAT; w++) {
			if (!want[w])
				continue;
			start = now();
			for (r = 0; r < b->rounds; r++)
				run_once(b, w);
			t[w][i] = (now() - start) / b->rounds;
		}
	}
	for (w = 0; w < NR_WHAT; w++)
		gbps[w] = want[w] ? b->size / median(t[w], b->repeats) / 1e9 :
				    0;
}

static void report(struct bench *b, const char *title, bool target,
		   bool check, int *failed)
{
	bool want[NR_WHAT] = { true, true, true, true, true, true };
	double g[NR_WHAT], ratio;

	/* The table path is slow; over 64 MiB it only adds minutes. */
	want[CRC_SW] = b->size * (size_t)b->rounds <= (64u << 20);
	measure(b, want, g);
	ratio = g[SCAN] / g[MEMCPY];

	printf("%s: %zu bytes, units of %u bytes, %u-byte blocks, median of %d\n",
	       title, b->size, b->unit, b->block, b->repeats);
	printf("  memcpy            %7.2f GB/s\n", g[MEMCPY]);
	if (target)
		printf("  scan              %7.2f GB/s   scan / memcpy = %.2f (target >= 0.50): %s\n",
		       g[SCAN], ratio, ratio >= 0.5 ? "met" : "NOT met");
	else
		printf("  scan              %7.2f GB/s   scan / memcpy = %.2f\n",
		       g[SCAN], ratio);
	printf("  crc32c %-10s %7.2f GB/s\n",
	       fa_crc32c_hw_available() ? "sse4.2" : "portable", g[CRC_HW]);
	if (want[CRC_SW])
		printf("  crc32c portable   %7.2f GB/s\n", g[CRC_SW]);
	printf("  memset            %7.2f GB/s\n", g[MEMSET]);
	printf("  fa_stamp_fill     %7.2f GB/s   fill / memset = %.2f, %.2f us per unit (memset %.2f us)\n",
	       g[FILL], g[FILL] / g[MEMSET], b->unit / g[FILL] / 1e3,
	       b->unit / g[MEMSET] / 1e3);
	if (check && target && ratio < 0.5)
		*failed = 1;
}

static void pin_to_this_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

int main(int argc, char **argv)
{
	struct bench b = {
		.size = 256u << 20,
		.unit = 64u << 10,
		.block = 4096,
		.repeats = 7,
		.rounds = 1,
	};
	size_t full;
	int opt, failed = 0;
	bool check = false;

	while ((opt = getopt(argc, argv, "s:u:b:r:c")) != -1) {
		switch (opt) {
		case 's':
			b.size = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'u':
			b.unit = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'b':
			b.block = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'r':
			b.repeats = atoi(optarg);
			break;
		case 'c':
			check = true;
			break;
		default:
			fprintf(stderr,
				"usage: %s [-s SIZE_MIB] [-u UNIT] [-b BLOCK] [-r REPEATS] [-c]\n",
				argv[0]);
			return 2;
		}
	}
	if (fa_stamp_valid_geometry(b.unit, b.block) || b.size < b.unit ||
	    b.repeats < 1 || b.repeats > MAX_REPEATS) {
		fprintf(stderr, "scan-bench: bad size, unit, block or repeats\n");
		return 2;
	}
	b.size -= b.size % b.unit;
	full = b.size;
	if (posix_memalign((void **)&b.src, 4096, full) ||
	    posix_memalign((void **)&b.dst, 4096, full)) {
		fprintf(stderr, "scan-bench: cannot allocate 2 x %zu bytes\n",
			full);
		return 1;
	}
	pin_to_this_cpu();
	memset(b.dst, 0, full);
	for (size_t off = 0; off < full; off += b.unit)
		fa_stamp_fill(b.src + off, off, b.unit, b.block,
			      off / b.unit + 1);

	printf("scan-bench: one core (cpu %d), crc32c on %s\n",
	       sched_getcpu(), fa_crc32c_impl_name());
	report(&b, "memory", true, check, &failed);

	/* The same on a working set that stays in cache. */
	b.size = 512u << 10;
	if (b.size < b.unit)
		b.size = b.unit;
	b.size -= b.size % b.unit;
	b.rounds = (int)((64u << 20) / b.size);
	if (b.size <= full)
		report(&b, "cache (for comparison)", false, check, &failed);

	free(b.src);
	free(b.dst);
	return failed;
}
