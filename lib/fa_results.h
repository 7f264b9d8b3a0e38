/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: result files read into rows for the regression database.
 *
 * Three kinds of file are understood:
 *  - fio's JSON output (--output-format=json or json+), local or from
 *    `fio --client` (whose "client_stats" carry each server's hostname);
 *  - the engines' per-job tear report (format "fio-atomic-tear-1");
 *  - a `fio-atomic qualify` report (top-level key "fio_atomic_qualify"),
 *    whose "results" rows are taken when they have what a row needs.
 * Anything else is refused with the place and the reason. Pure parsing:
 * no I/O, no printing.
 */
#ifndef FA_RESULTS_H
#define FA_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FA_RESULT_NAME_LEN	128
#define FA_RESULT_HASH_LEN	33	/* 32 hex digits and NUL */
#define FA_RESULT_MAX_ROWS	100000
#define FA_FIO_DEFAULT_PORT	8765

enum fa_result_kind {
	FA_RESULT_FIO = 1,
	FA_RESULT_TEAR,
	FA_RESULT_QUALIFY,
};

/**
 * struct fa_result - one measured group of I/O: a job's one direction
 * @host:	where it ran: fio's client hostname ("host:port" when not the
 *		default port), else the default host given to the parser
 * @job:	fio's job name
 * @engine:	ioengine, an external engine reduced to its file's base name
 *		("external:/x/atomic-uring.so" -> "atomic-uring")
 * @rw:		fio's rw= of the job ("randwrite"); a qualify row's mode
 * @dir:	"read", "write" or "trim"; "" for a tear report
 * @bs:		block size in bytes of that direction (0 unknown)
 * @iodepth, @numjobs:	as the job set them (fio's defaults 1)
 * @iops, @bw_bytes:	per second
 * @clat_p50_ns, @clat_p99_ns, @clat_p999_ns: completion latency
 *		percentiles; NaN when not reported
 * @has_tear:	@torn, @intact and @checked are known
 * @torn, @intact:	units classified by the tear check
 * @checked:	reads (or units) the tear check looked at
 */
struct fa_result {
	char host[FA_RESULT_NAME_LEN];
	char job[FA_RESULT_NAME_LEN];
	char engine[64];
	char rw[32];
	char dir[8];
	uint64_t bs;
	uint32_t iodepth, numjobs;
	double iops, bw_bytes;
	double clat_p50_ns, clat_p99_ns, clat_p999_ns;
	bool has_tear;
	uint64_t torn, intact, checked;
};

/**
 * struct fa_result_file - what one file held
 * @kind:		which kind of file it was
 * @fio_version:	"fio-3.33"; "" when the file does not say
 * @timestamp:		when fio (or the report) says it ran, Unix seconds;
 *			0 when unknown
 * @skipped_lines:	non-JSON lines before the first '{' (fio's warnings)
 * @skipped_rows:	entries that lacked what a row needs (qualify results,
 *			fio's "All clients" sum)
 * @note:		why the first entry was skipped, for the user
 * @rows, @nr_rows:	the rows, freed by fa_result_file_free()
 */
struct fa_result_file {
	enum fa_result_kind kind;
	char fio_version[32];
	int64_t timestamp;
	unsigned int skipped_lines;
	unsigned int skipped_rows;
	char note[256];
	struct fa_result *rows;
	size_t nr_rows;
};

/**
 * struct fa_parse_error - where and why a file was refused
 * @line, @column:	1-based; 0 when the error has no place (foreign JSON)
 * @reason:		what was wrong
 */
struct fa_parse_error {
	unsigned int line, column;
	char reason[256];
};

/**
 * fa_results_parse() - read a result file's contents into rows
 * @buf, @len:		the file's bytes
 * @default_host:	host of rows whose file does not name one
 * @out:		filled on success; fa_result_file_free() it
 * @err:		filled on failure
 *
 * Return: 0; -EINVAL when the file is not valid JSON (@err has the line
 * and column) or not a kind this parser knows (@err says why); -ENOMEM.
 */
int fa_results_parse(const char *buf, size_t len, const char *default_host,
		     struct fa_result_file *out, struct fa_parse_error *err);

/** fa_result_file_free() - free the rows of @f and clear it */
void fa_result_file_free(struct fa_result_file *f);

/**
 * fa_results_hash() - content hash of a file, to recognise it again
 *
 * FNV-1a 64 and CRC-32C of the bytes and the length, as 32 hex digits:
 * not cryptographic, but two different result files do not collide in
 * practice.
 */
void fa_results_hash(const void *buf, size_t len,
		     char out[FA_RESULT_HASH_LEN]);

/**
 * fa_results_engine_name() - "external:/x/atomic-uring.so" ->
 * "atomic-uring"; other names are copied
 */
void fa_results_engine_name(const char *ioengine, char *out, size_t len);

/**
 * fa_results_parse_bs() - fio's bs= value of one direction in bytes
 * @s:		"4k", "16384", "4k,64k" (read,write[,trim]), "1m"
 * @dir:	0 read, 1 write, 2 trim
 *
 * Return: 0 and *@out; -EINVAL when @s is not a size.
 */
int fa_results_parse_bs(const char *s, int dir, uint64_t *out);

#endif /* FA_RESULTS_H */
