// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: helpers every subcommand of the tool uses, so that errors
 * look the same whichever command reports them.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_tool.h"

void fa_tool_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	if (cmd)
		fprintf(stderr, "fio-atomic: %s: ", cmd);
	else
		fputs("fio-atomic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int fa_tool_usage_error(const char *cmd, const char *synopsis,
			const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fio-atomic: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(synopsis, stderr);
	return FA_EXIT_USAGE;
}

int fa_tool_getopt_error(const char *cmd, const char *synopsis,
			 const char *what, int opt, char *const argv[])
{
	if (opt == ':')
		return fa_tool_usage_error(cmd, synopsis,
					   "%soption '%s' needs a value", what,
					   argv[optind - 1]);
	if (opt == '?' && optopt)
		return fa_tool_usage_error(cmd, synopsis,
					   "%sunknown option '-%c'", what,
					   optopt);
	return fa_tool_usage_error(cmd, synopsis, "%sunknown option '%s'",
				   what, argv[optind - 1]);
}

void fa_tool_html_escape(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

void fa_tool_path_error(const char *cmd, const char *path, int err)
{
	if (err < 0)
		err = -err;
	if (err == EACCES || err == EPERM)
		fa_tool_error(cmd, "%s: %s (run as root)",
			      path, strerror(err));
	else
		fa_tool_error(cmd, "%s: %s", path, strerror(err));
}

const char *fa_tool_source_name(enum fa_source src)
{
	switch (src) {
	case FA_SRC_STATX:
		return "statx";
	case FA_SRC_SYSFS:
		return "sysfs";
	case FA_SRC_SCSI_VPD:
		return "scsi_vpd";
	case FA_SRC_NVME_ID:
		return "nvme_id";
	case FA_SRC_RULE:
		return "rule";
	case FA_SRC_NONE:
	default:
		return "none";
	}
}

int fa_tool_parse_count(const char *s, unsigned long min, unsigned long max,
			unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int fa_tool_mkdir_p(const char *dir)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int fa_tool_copy_file(const char *src, const char *dst)
{
	char tmp[PATH_MAX], buf[16384];
	int in, out, ret = 0;
	ssize_t n;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dst) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			ret = errno ? -errno : -EIO;
			break;
		}
	}
	if (n < 0 && !ret)
		ret = -errno;
	close(in);
	if (close(out) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, dst))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
