/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the three guarantees an atomic write can carry, kept apart
 * in every probe, report and verdict, and the one result shape every
 * probe fills:
 *
 *   power_fail       after a power or hardware failure each atomic write
 *                    is all old or all new (the kernel's promise for
 *                    RWF_ATOMIC, and the device's)
 *   read_isolation   a read racing one atomic write sees all old or all
 *                    new (hardware paths promise it; XFS's software
 *                    fallback does not)
 *   write_isolation  two overlapping atomic writes in flight leave one of
 *                    them whole, not a mix (likewise)
 *
 * A probe counts trials and failures per (engine, size), with the first
 * failures kept as examples, and a positive control where it has one (a
 * workload that must fail, proving the detector sees failures). No fio,
 * no printing.
 */
#ifndef FA_GUARANTEE_H
#define FA_GUARANTEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

enum fa_guarantee {
	FA_G_POWER_FAIL = 0,
	FA_G_READ_ISOLATION,
	FA_G_WRITE_ISOLATION,
	FA_G_NR,
};

enum fa_g_status {
	FA_G_NOT_TESTED = 0,	/* with a reason */
	FA_G_PROVIDED,		/* trials ran, none failed, control passed */
	FA_G_NOT_PROVIDED,	/* at least one trial failed */
};

/*
 * What a count of torn units says, by how the units were read: the
 * condition fa_g_measure_json() records beside the counts.
 */
#define FA_G_COND_RACING_READS \
	"reads racing the writes: a torn read breaks read_isolation when each unit had one writer at a time; with two writers of one unit in flight it can be their writes mixed at rest (write_isolation)"
#define FA_G_COND_AFTER_RUN \
	"units at rest after a run without a crash: a torn unit is two overlapping writes mixed (write_isolation), or, with one writer per unit, a failed write"
#define FA_G_COND_AFTER_CRASH \
	"units at rest after a crash (power cut or filesystem shutdown) and recovery: a torn unit breaks power_fail"

#define FA_G_MAX_POINTS		32
#define FA_G_MAX_EXAMPLES	8
#define FA_G_TEXT_LEN		256

/**
 * struct fa_g_example - one failure, for a person to look at
 * @offset:	the unit's offset in the target
 * @size:	the unit's length
 * @what:	what was found ("blocks 0-127 of write A, 128-511 of write
 *		B", "torn: partial", "acknowledged write lost")
 */
struct fa_g_example {
	uint64_t offset;
	uint64_t size;
	char what[FA_G_TEXT_LEN];
};

/**
 * struct fa_g_point - trials at one (engine, size)
 * @engine:	"atomic-pvsync2", "atomic-uring", ...
 * @size:	bytes per atomic write
 * @trials:	units judged (pairs, reads, crash states x units)
 * @failures:	of those, mixed or torn (or lost, for power_fail)
 * @outcomes:	a probe's own split of the trials (write_isolation: which
 *		write won: "first", "second", "mixed"), names and counts
 */
struct fa_g_point {
	char engine[32];
	uint64_t size;
	uint64_t trials;
	uint64_t failures;
	int nr_outcomes;
	char outcome_name[4][16];
	uint64_t outcome[4];
};

/**
 * struct fa_g_result - what a probe found about one guarantee
 * @status:	as judged by fa_g_judge()
 * @reason:	why not tested, or a one-line summary
 * @how:	what the probe did, for a person ("two threads behind a
 *		barrier write the same unit, then read it back")
 * @has_control, @control_trials, @control_failures, @control_passed:
 *		the positive control (it passes when it fails: at least one
 *		failure seen)
 */
struct fa_g_result {
	enum fa_guarantee guarantee;
	enum fa_g_status status;
	char reason[FA_G_TEXT_LEN];
	char how[FA_G_TEXT_LEN];
	struct fa_g_point points[FA_G_MAX_POINTS];
	int nr_points;
	struct fa_g_example examples[FA_G_MAX_EXAMPLES];
	int nr_examples;
	bool has_control;
	uint64_t control_trials;
	uint64_t control_failures;
	bool control_passed;
};

/** fa_guarantee_name() - "power_fail", "read_isolation", "write_isolation" */
const char *fa_guarantee_name(enum fa_guarantee g);

/** fa_g_status_name() - "provided", "not_provided", "not_tested" */
const char *fa_g_status_name(enum fa_g_status s);

/** fa_g_init() - an empty result for @g, not tested */
void fa_g_init(struct fa_g_result *r, enum fa_guarantee g);

/**
 * fa_g_point() - the point for (@engine, @size), added when new
 * Return: the point, or NULL when @r has FA_G_MAX_POINTS already.
 */
struct fa_g_point *fa_g_point(struct fa_g_result *r, const char *engine,
			      uint64_t size);

/** fa_g_example() - keep one failure while there is room */
void fa_g_example(struct fa_g_result *r, uint64_t offset, uint64_t size,
		  const char *what);

/** fa_g_totals() - trials and failures over every point */
void fa_g_totals(const struct fa_g_result *r, uint64_t *trials,
		 uint64_t *failures);

/**
 * fa_g_judge() - set @r->status from the counts: not_provided on any
 * failure; else provided when trials ran and the control (if any) saw
 * failures; else not_tested with why (no trials, or a control that saw
 * nothing: the probe proved nothing)
 */
void fa_g_judge(struct fa_g_result *r);

/**
 * fa_g_json() - @r as JSON: guarantee, status, reason, how, trials,
 * failures, rate, rate_upper95 (exact one-sided 95%), engines, sizes,
 * points[] {engine, size, trials, failures, rate, rate_upper95,
 * outcomes}, examples[], control {trials, failures, passed} or null
 * Return: the object, or NULL when out of memory.
 */
struct json_object *fa_g_json(const struct fa_g_result *r);

/**
 * fa_g_measure_json() - what one measurement says of one guarantee, for
 * the reports that are not a probe of their own (an engine's racing
 * readers, a tearscan): {guarantee, trials, failures, rate, rate_upper95,
 * condition}
 * @condition:	when the counts speak to @g and only then (never NULL)
 * Return: the object, or NULL when out of memory.
 */
struct json_object *fa_g_measure_json(enum fa_guarantee g, uint64_t trials,
				      uint64_t failures,
				      const char *condition);

#endif /* FA_GUARANTEE_H */
