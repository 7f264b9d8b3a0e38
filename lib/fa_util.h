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

/* The largest power of two not above @x (the kernel's rounddown_pow_of_two);
 * 0 for 0. */
static inline uint64_t fa_rounddown_pow2(uint64_t x)
{
	return x ? 1ULL << (63 - __builtin_clzll(x)) : 0;
}

/*
 * fa_parse_size() - the @n bytes at @s as a size: "4096", "64k", "1m",
 * "2g", "1t" (powers of 1024; "KiB", "kb" too) or "0x..." hexadecimal,
 * spaces around allowed (fio's JSON has "4k" and "4KiB" alike).
 * Return: 0, -EINVAL when it is not a size, -ERANGE when it overflows.
 */
int fa_parse_size(const char *s, size_t n, uint64_t *out);

/*
 * fa_abspath() - the absolute, resolved form of @path; a file that does not
 * exist yet is resolved through its parent directory.
 * Return: 0, -ENOENT (no such parent), -ENAMETOOLONG or realpath's -errno.
 */
int fa_abspath(const char *path, char *out, size_t len);

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
