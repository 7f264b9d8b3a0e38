/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic probe write-isolation: the pair probe of lib/fa_wiso.c as a
 * command.
 */
#ifndef FA_PROBE_WISO_H
#define FA_PROBE_WISO_H

#include <stdio.h>

int fa_cmd_probe_write_isolation(int argc, char **argv);
void fa_cmd_probe_write_isolation_usage(FILE *fp);

#endif /* FA_PROBE_WISO_H */
