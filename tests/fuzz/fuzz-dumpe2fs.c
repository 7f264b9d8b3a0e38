// SPDX-License-Identifier: GPL-2.0
/*
 * Description: libFuzzer target for the reader of `dumpe2fs -h`'s
 * superblock report (lib/fa_powerfail.c, fa_pf_parse_dumpe2fs()), whose
 * geometry the power-fail probe copies into its scratch ext4. The input is
 * the report's text. Invariants: a reading it accepts has a power-of-two
 * block size of 1024..65536 and, with bigalloc, a power-of-two cluster
 * size no smaller than the block; a refused one leaves nothing half read.
 *
 * Built with -DFA_FUZZ_REPLAY it is a plain program that feeds it each
 * file (or each file in each directory) named on its command line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fa_powerfail.h"

#include "fa_fuzz.h"

static int pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fa_pf_ext4_geometry g;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&g, 0, sizeof(g));
	if (!fa_pf_parse_dumpe2fs(text, &g)) {
		FUZZ_CHECK(pow2(g.block_size));
		FUZZ_CHECK(g.block_size >= 1024 && g.block_size <= 65536);
		FUZZ_CHECK(!g.cluster_size ||
			   (pow2(g.cluster_size) &&
			    g.cluster_size >= g.block_size));
	}
	free(text);
	return 0;
}
