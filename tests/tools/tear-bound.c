// SPDX-License-Identifier: GPL-2.0
/*
 * Description: print the tear rate and its exact 95% upper confidence
 * bound (lib/fa_scan.h, Clopper-Pearson) for TORN torn units of N judged
 * (intact + torn), as "RATE UPPER95", for scripts such as the power-cut
 * harness that sum counts over several scans:
 *
 *   tear-bound TORN N
 *
 * Exit 0, or 2 for a usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "fa_scan.h"

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end || s[0] == '-' ? -EINVAL : 0;
}

int main(int argc, char **argv)
{
	uint64_t torn, n;

	if (argc != 3 || parse_u64(argv[1], &torn) || parse_u64(argv[2], &n) ||
	    torn > n) {
		fprintf(stderr, "usage: tear-bound TORN N (0 <= TORN <= N)\n");
		return 2;
	}
	printf("%.9g %.9g\n", n ? (double)torn / (double)n : 0.0,
	       fa_tear_upper95(torn, n));
	return 0;
}
