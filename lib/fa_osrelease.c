// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the distribution's name from os-release(5), for the run
 * context. No Debian library reads os-release (systemd's parser is
 * internal to it), so this small one does, on a plain buffer: it is unit
 * tested and fuzzed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fa_context.h"
#include "fa_util.h"

struct fa_osr_line {
	const char *p, *end;
};

static bool fa_osr_is_key_char(char ch, bool first)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       ch == '_' || (!first && ch >= '0' && ch <= '9');
}

static void fa_osr_put(char *out, size_t out_len, size_t *n, char ch)
{
	if (*n + 1 < out_len)
		out[*n] = ch;
	(*n)++;
}

/*
 * The value of one assignment, from just after '=' to the line's end.
 * Return: false when the value is not one shell word (an unterminated
 * quote, a second word, a NUL byte).
 */
static bool fa_osr_value(const char *p, const char *end, char *out,
			 size_t out_len)
{
	size_t n = 0;
	char quote;

	while (p < end && *p != ' ' && *p != '\t') {
		if (!*p)
			return false;
		if (*p == '\'' || *p == '"') {
			quote = *p++;
			while (p < end && *p != quote) {
				if (!*p)
					return false;
				if (quote == '"' && *p == '\\' && p + 1 < end &&
				    strchr("\"\\$`", p[1]))
					p++;
				fa_osr_put(out, out_len, &n, *p++);
			}
			if (p == end)
				return false;
			p++;
			continue;
		}
		if (*p == '\\' && p + 1 < end)
			p++;
		fa_osr_put(out, out_len, &n, *p++);
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p != '#')
		return false;
	if (out_len)
		out[n < out_len ? n : out_len - 1] = '\0';
	return true;
}

int fa_os_release_get(const char *buf, size_t len, const char *key,
		      char *out, size_t out_len)
{
	const char *p = buf, *end = buf + len, *eol, *k;
	char value[1024];
	size_t key_len;
	int found = 0;

	if ((!buf && len) || !key || !key[0] || !out || !out_len)
		return -EINVAL;
	key_len = strlen(key);
	out[0] = '\0';
	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		k = p;
		while (p < eol && fa_osr_is_key_char(*p, p == k))
			p++;
		if (p == k || p == eol || *p != '=' ||
		    (size_t)(p - k) != key_len || memcmp(k, key, key_len))
			continue;
		/* a bad line leaves an earlier good value alone */
		if (fa_osr_value(p + 1, eol, value, sizeof(value))) {
			fa_strlcpy(out, value, out_len);
			found = 1;
		}
		if (eol == end)
			break;
	}
	return found;
}

static int fa_osr_read(const char *path, char *buf, size_t cap, size_t *len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*len = 0;
	while (*len < cap) {
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	return 0;
}

void fa_runctx_distro(const char *root, char *out, size_t len)
{
	static const char *const files[] = { "etc/os-release",
					     "usr/lib/os-release" };
	char path[PATH_MAX], buf[16384];
	size_t i, n = 0;

	if (!len)
		return;
	out[0] = '\0';
	for (i = 0; i < FA_ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", root ? root : "",
			 files[i]);
		if (fa_osr_read(path, buf, sizeof(buf), &n))
			continue;
		if (fa_os_release_get(buf, n, "PRETTY_NAME", out, len) > 0 &&
		    out[0])
			return;
		if (fa_os_release_get(buf, n, "NAME", out, len) > 0 && out[0])
			return;
		out[0] = '\0';
		return;
	}
}
