// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the helpers of fa_util.h that are not inline: a size as
 * people and fio write it, and the absolute path of a file that may not
 * exist yet.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "fa_util.h"

int fa_parse_size(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	unsigned int base = 10, d;
	size_t i = 0, digits = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i + 1 < n && s[i] == '0' && tolower((unsigned char)s[i + 1]) == 'x') {
		base = 16;
		i += 2;
	}
	for (; i < n && isxdigit((unsigned char)s[i]); i++, digits++) {
		d = isdigit((unsigned char)s[i]) ? (unsigned int)(s[i] - '0') :
		    (unsigned int)(tolower((unsigned char)s[i]) - 'a' + 10);
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	switch (i < n ? tolower((unsigned char)s[i]) : 0) {
	case 'k':
		mult = 1ull << 10;
		break;
	case 'm':
		mult = 1ull << 20;
		break;
	case 'g':
		mult = 1ull << 30;
		break;
	case 't':
		mult = 1ull << 40;
		break;
	}
	if (mult > 1) {
		i++;
		if (i < n && tolower((unsigned char)s[i]) == 'i')
			i++;
		if (i < n && tolower((unsigned char)s[i]) == 'b')
			i++;
	}
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i != n)
		return -EINVAL;
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

int fa_abspath(const char *path, char *out, size_t len)
{
	char parent[PATH_MAX], real[PATH_MAX];
	const char *base;
	char *slash;

	if (realpath(path, real)) {
		if (fa_strlcpy(out, real, len) >= len)
			return -ENAMETOOLONG;
		return 0;
	}
	if (errno != ENOENT)
		return -errno;
	if (fa_strlcpy(parent, path, sizeof(parent)) >= sizeof(parent))
		return -ENAMETOOLONG;
	slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		/* in @path: "/" below would overwrite a base kept in @parent */
		base = path + (slash - parent) + 1;
		if (!parent[0])
			strcpy(parent, "/");
	} else {
		strcpy(parent, ".");
		base = path;
	}
	if (!*base || !realpath(parent, real))
		return -ENOENT;
	if ((size_t)snprintf(out, len, "%s/%s", strcmp(real, "/") ? real : "",
			     base) >= len)
		return -ENAMETOOLONG;
	return 0;
}
