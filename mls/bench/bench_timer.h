/* SPDX-License-Identifier: MIT */
/* Adaptive timing of one benchmark operation. */
#ifndef MLS_BENCH_TIMER_H
#define MLS_BENCH_TIMER_H

#include <stdint.h>

/* One operation on ctx: 0 or an MLS error code. */
typedef int (*bench_op_fn)(void *ctx);

struct bench_result {
	int err;		/* first error the operation returned */
	uint64_t iterations;
	double us_per_op;
};

/*
 * Run op in batches of growing size until one batch takes at least a third
 * of min_seconds, then two more batches of that size, and report the
 * median of the three means. The shorter calibration batches warm caches
 * and the CPU clock and are not counted.
 */
struct bench_result bench_measure(bench_op_fn op, void *ctx,
				  double min_seconds);

/*
 * One run of an operation too slow, or too state-changing, to repeat in a
 * tight loop: prepare (untimed) puts the state in place, op is timed,
 * cleanup (untimed) undoes it. prepare and cleanup may be NULL.
 */
struct bench_step {
	int (*prepare)(void *ctx);
	bench_op_fn op;
	void (*cleanup)(void *ctx);
};

/*
 * Time step at least min_runs and at most max_runs times, stopping once
 * the timed parts add up to min_seconds; us_per_op is the median run.
 */
struct bench_result bench_measure_steps(const struct bench_step *step,
					void *ctx, double min_seconds,
					unsigned int min_runs,
					unsigned int max_runs);

#endif
