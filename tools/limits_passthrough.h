/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic limits on passthrough nodes (/dev/sgN, /dev/ngXnY): the part
 * of the limits command that tools/limits_passthrough.c holds.
 */
#ifndef FA_LIMITS_PASSTHROUGH_H
#define FA_LIMITS_PASSTHROUGH_H

#include <stdbool.h>
#include <stdio.h>

/** fa_limits_is_char_device() - PATH is a character device */
bool fa_limits_is_char_device(const char *path);

/**
 * fa_limits_passthrough() - `fio-atomic limits` on a character device
 * @json:	print one JSON object instead of the text
 * Return: the command's exit status (enum fa_exit).
 */
int fa_limits_passthrough(const char *path, bool json);

/** fa_limits_passthrough_usage() - the help's paragraph on these nodes */
void fa_limits_passthrough_usage(FILE *fp);

#endif /* FA_LIMITS_PASSTHROUGH_H */
