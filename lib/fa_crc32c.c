// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: CRC-32C by the method of Mark Adler's crc32c.c (2013): a
 * slicing-by-8 table for any CPU and, on x86-64 with SSE4.2, the crc32
 * instruction over three interleaved streams.
 *
 * The crc32 instruction takes 3 cycles but can start one per cycle, so a
 * single dependent chain runs at a third of what the unit can do. Three
 * streams over consecutive thirds of a stretch keep it busy; their CRCs
 * are then joined by "shifting" the earlier one over the length of the
 * later ones (the CRC of a run of zero bytes is linear in the starting
 * state, so the shift is four table lookups). The stamp scanner spends
 * almost all its time here, and it must keep up with memory.
 *
 * Where the instruction is emulated rather than run (QEMU's TCG computes
 * it bit by bit: 0.16 GB/s against 0.59 GB/s for the table in the lab VM)
 * the table is faster, so fa_crc32c() times both once and takes the
 * faster one.
 */
#include <endian.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "fa_crc32c.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define FA_CRC32C_X86 1
#endif

#define FA_CRC32C_POLY	0x82F63B78u	/* reflected 0x1EDC6F41 */

/*
 * Stretch lengths of the interleaved loop: rounds of 3 * LONG bytes, then
 * of 3 * SHORT, then one stream. A 4096-byte stamped block is one long
 * round, two short ones and 16 bytes.
 */
#define FA_CRC32C_LONG	256
#define FA_CRC32C_SHORT	64

static uint32_t fa_crc32c_table[8][256];
static uint32_t fa_crc32c_long_shift[4][256];
static uint32_t fa_crc32c_short_shift[4][256];
static bool fa_crc32c_have_hw;
static bool fa_crc32c_use_hw;		/* have_hw, and faster than the table */
static pthread_once_t fa_crc32c_once = PTHREAD_ONCE_INIT;

static inline uint64_t fa_load_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

/* The raw (uninverted) CRC state after @len zero bytes, bit by bit. */
static uint32_t fa_crc32c_zeros_slow(uint32_t crc, size_t len)
{
	int k;

	while (len--)
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ FA_CRC32C_POLY : crc >> 1;
	return crc;
}

/*
 * tab[b][v] is the state @len zero bytes turn the state (v << 8b) into;
 * by linearity a state is shifted by xoring the entries of its 4 bytes.
 */
static void fa_crc32c_shift_table(uint32_t tab[4][256], size_t len)
{
	uint32_t basis[32];
	int b, i, v;

	for (i = 0; i < 32; i++)
		basis[i] = fa_crc32c_zeros_slow(1u << i, len);
	for (b = 0; b < 4; b++) {
		tab[b][0] = 0;
		for (v = 1; v < 256; v++)
			tab[b][v] = tab[b][v & (v - 1)] ^
				    basis[8 * b + __builtin_ctz(v)];
	}
}

static inline uint32_t fa_crc32c_shift(const uint32_t tab[4][256],
				       uint32_t crc)
{
	return tab[0][crc & 0xff] ^ tab[1][(crc >> 8) & 0xff] ^
	       tab[2][(crc >> 16) & 0xff] ^ tab[3][crc >> 24];
}

#ifdef FA_CRC32C_X86
static uint32_t fa_crc32c_hw_raw(uint32_t crc32, const unsigned char *p,
				 size_t len);
#endif
static uint32_t fa_crc32c_sw_raw(uint32_t crc, const unsigned char *p,
				 size_t len);

/* Nanoseconds of the fastest of a few runs of @fn over @len bytes. */
static uint64_t fa_crc32c_time(uint32_t (*fn)(uint32_t, const unsigned char *,
					      size_t),
			       const unsigned char *buf, size_t len)
{
	uint64_t best = UINT64_MAX, ns;
	struct timespec t0, t1;
	volatile uint32_t sink;
	int i;

	for (i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		sink = fn(0, buf, len);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		(void)sink;
		ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u +
		     (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
		if (ns < best)
			best = ns;
	}
	return best;
}

/* The instruction unless the table beats it: emulated CPUs. */
static bool fa_crc32c_hw_faster(void)
{
#ifdef FA_CRC32C_X86
	static unsigned char buf[16384];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 13);
	return fa_crc32c_time(fa_crc32c_hw_raw, buf, sizeof(buf)) <=
	       fa_crc32c_time(fa_crc32c_sw_raw, buf, sizeof(buf));
#else
	return false;
#endif
}

static void fa_crc32c_init(void)
{
	uint32_t crc;
	int n, k;

	for (n = 0; n < 256; n++) {
		crc = (uint32_t)n;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ FA_CRC32C_POLY : crc >> 1;
		fa_crc32c_table[0][n] = crc;
	}
	for (n = 0; n < 256; n++) {
		crc = fa_crc32c_table[0][n];
		for (k = 1; k < 8; k++) {
			crc = fa_crc32c_table[0][crc & 0xff] ^ (crc >> 8);
			fa_crc32c_table[k][n] = crc;
		}
	}
	fa_crc32c_shift_table(fa_crc32c_long_shift, FA_CRC32C_LONG);
	fa_crc32c_shift_table(fa_crc32c_short_shift, FA_CRC32C_SHORT);
#ifdef FA_CRC32C_X86
	__builtin_cpu_init();
	fa_crc32c_have_hw = __builtin_cpu_supports("sse4.2");
#endif
	fa_crc32c_use_hw = fa_crc32c_have_hw && fa_crc32c_hw_faster();
}

static inline void fa_crc32c_ready(void)
{
	pthread_once(&fa_crc32c_once, fa_crc32c_init);
}

/* Slicing-by-8 over the raw state. */
static uint32_t fa_crc32c_sw_raw(uint32_t crc, const unsigned char *p,
				 size_t len)
{
	const uint32_t (*t)[256] = fa_crc32c_table;

	while (len && ((uintptr_t)p & 7)) {
		crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		uint64_t w = fa_load_le64(p) ^ crc;

		crc = t[7][w & 0xff] ^ t[6][(w >> 8) & 0xff] ^
		      t[5][(w >> 16) & 0xff] ^ t[4][(w >> 24) & 0xff] ^
		      t[3][(w >> 32) & 0xff] ^ t[2][(w >> 40) & 0xff] ^
		      t[1][(w >> 48) & 0xff] ^ t[0][w >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#ifdef FA_CRC32C_X86
/* Three streams over [p, p+n), [p+n, p+2n), [p+2n, p+3n), joined. */
#define FA_CRC32C_ROUND(crc, p, n, tab)					\
	do {								\
		const unsigned char *fa_end_ = (p) + (n);		\
		uint64_t fa_c0_ = (crc), fa_c1_ = 0, fa_c2_ = 0;	\
		uint64_t fa_w_;						\
									\
		do {							\
			memcpy(&fa_w_, (p), 8);				\
			fa_c0_ = _mm_crc32_u64(fa_c0_, fa_w_);		\
			memcpy(&fa_w_, (p) + (n), 8);			\
			fa_c1_ = _mm_crc32_u64(fa_c1_, fa_w_);		\
			memcpy(&fa_w_, (p) + 2 * (n), 8);		\
			fa_c2_ = _mm_crc32_u64(fa_c2_, fa_w_);		\
			(p) += 8;					\
		} while ((p) < fa_end_);				\
		fa_c0_ = fa_crc32c_shift(tab, (uint32_t)fa_c0_) ^ fa_c1_; \
		(crc) = fa_crc32c_shift(tab, (uint32_t)fa_c0_) ^ fa_c2_; \
		(p) += 2 * (n);						\
	} while (0)

__attribute__((target("sse4.2")))
static uint32_t fa_crc32c_hw_raw(uint32_t crc32, const unsigned char *p,
				 size_t len)
{
	uint64_t crc = crc32, w;

	while (len && ((uintptr_t)p & 7)) {
		crc = _mm_crc32_u8((uint32_t)crc, *p++);
		len--;
	}
	while (len >= 3 * FA_CRC32C_LONG) {
		FA_CRC32C_ROUND(crc, p, FA_CRC32C_LONG, fa_crc32c_long_shift);
		len -= 3 * FA_CRC32C_LONG;
	}
	while (len >= 3 * FA_CRC32C_SHORT) {
		FA_CRC32C_ROUND(crc, p, FA_CRC32C_SHORT,
				fa_crc32c_short_shift);
		len -= 3 * FA_CRC32C_SHORT;
	}
	while (len >= 8) {
		memcpy(&w, p, 8);
		crc = _mm_crc32_u64(crc, w);
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = _mm_crc32_u8((uint32_t)crc, *p++);
	return (uint32_t)crc;
}
#endif /* FA_CRC32C_X86 */

uint32_t fa_crc32c_portable(uint32_t crc, const void *buf, size_t len)
{
	fa_crc32c_ready();
	return ~fa_crc32c_sw_raw(~crc, buf, len);
}

uint32_t fa_crc32c_hw(uint32_t crc, const void *buf, size_t len)
{
	fa_crc32c_ready();
#ifdef FA_CRC32C_X86
	if (fa_crc32c_have_hw)
		return ~fa_crc32c_hw_raw(~crc, buf, len);
#endif
	return ~fa_crc32c_sw_raw(~crc, buf, len);
}

uint32_t fa_crc32c(uint32_t crc, const void *buf, size_t len)
{
	fa_crc32c_ready();
#ifdef FA_CRC32C_X86
	if (fa_crc32c_use_hw)
		return ~fa_crc32c_hw_raw(~crc, buf, len);
#endif
	return ~fa_crc32c_sw_raw(~crc, buf, len);
}

bool fa_crc32c_hw_available(void)
{
	fa_crc32c_ready();
	return fa_crc32c_have_hw;
}

const char *fa_crc32c_impl_name(void)
{
	fa_crc32c_ready();
	return fa_crc32c_use_hw ? "sse4.2" : "slicing-by-8";
}
