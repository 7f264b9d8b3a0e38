/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: small helpers shared by lib/ and the tools.
 */
#ifndef FA_UTIL_H
#define FA_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Copy with truncation; always terminates when @size > 0. */
static inline size_t fa_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Greatest common divisor; fa_gcd(a, 0) is a. */
static inline uint64_t fa_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

#define FA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A fixed-width, space-padded ASCII field of a device (SCSI INQUIRY, NVMe
 * Identify) as a string: padding and NULs trimmed at both ends, any byte
 * outside printable ASCII shown as '.', so it is valid JSON text.
 */
static inline void fa_ascii_field(const uint8_t *p, size_t n, char *out,
				  size_t len)
{
	size_t i, o = 0;

	if (!len)
		return;
	while (n && (p[n - 1] == ' ' || !p[n - 1]))
		n--;
	while (n && (p[0] == ' ' || !p[0])) {
		p++;
		n--;
	}
	for (i = 0; i < n && o + 1 < len; i++)
		out[o++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	out[o] = '\0';
}

#endif /* FA_UTIL_H */
