/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic report export: the table every export writes (one row per
 * result with its run and context columns, report_export_table.c) and
 * the OpenMetrics file (report_openmetrics.c).
 */
#ifndef FA_REPORT_EXPORT_H
#define FA_REPORT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_store.h"

enum fa_cell_type {
	FA_CELL_NULL,
	FA_CELL_INT,
	FA_CELL_REAL,
	FA_CELL_TEXT,
};

struct fa_cell {
	enum fa_cell_type type;
	int64_t i;
	double d;
	char *text;
};

struct fa_column {
	const char *name;
};

/* The export's columns, in order (docs/results-db.md lists them) */
extern const struct fa_column fa_columns[];
extern const size_t fa_nr_columns;

/* @nr rows of fa_nr_columns cells */
struct fa_export_table {
	struct fa_cell *cells;
	size_t nr;
};

/* The rows of run @run_id (0: every run); -errno with the store's error */
int fa_export_load(struct fa_store *s, int64_t run_id,
		   struct fa_export_table *t);
void fa_export_free(struct fa_export_table *t);

/* A number as text into @buf; false for an unknown value */
bool fa_cell_text(const struct fa_cell *v, char *buf, size_t len);

/*
 * The OpenMetrics file of the latest run per target. 0; FA_EXIT_ERROR
 * after its message; -errno with the store's error.
 */
int fa_export_openmetrics(struct fa_store *s, const char *file);

#endif /* FA_REPORT_EXPORT_H */
