/* SPDX-License-Identifier: MIT */
/*
 * Fork-join over independent, index-numbered jobs (HPKE seals to a
 * resolution, leaf signature checks). Threads live for one run only, so
 * libmls keeps no global state; the calling thread works too.
 *
 * A job must touch nothing another job of the same run writes, and must
 * not draw randomness from a caller's hook (draw it before the run).
 */
#ifndef MLS_PARALLEL_H
#define MLS_PARALLEL_H

#include <stddef.h>

/* One job; returns 0 or an MLS_ERR_* code. */
typedef int (*mls_parallel_fn)(void *ctx, size_t i);

#include "mls/threads.h"

/* Most threads a run ever uses, MLS_THREADS included. */
#define MLS_PARALLEL_MAX_THREADS	MLS_MAX_THREADS
/* By default no more than this many, even on bigger machines. */
#define MLS_PARALLEL_DEFAULT_CAP	4

/*
 * Run fn(ctx, i) for every i < n on up to mls_threads() (mls/threads.h)
 * threads; runs of fewer than min_jobs jobs (thread start costs more than
 * they save) stay on the calling thread.
 *
 * Returns the error of the lowest failing index, as a serial loop that
 * stops at the first failure would, and that index in *failed (may be
 * NULL; left alone on success): jobs above a failed one may or may not
 * have run, jobs below it all ran. 0 if every job succeeded.
 */
int mls_parallel_run(size_t n, size_t min_jobs, mls_parallel_fn fn,
		     void *ctx, size_t *failed);

/* The same on exactly `threads` threads (at most n; 0 or 1: serial). */
int mls_parallel_run_on(unsigned int threads, size_t n, mls_parallel_fn fn,
			void *ctx, size_t *failed);

#endif
