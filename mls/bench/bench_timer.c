// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <time.h>

#include "mls/error.h"
#include "bench_timer.h"

/* Never grow a batch more than this much at once: the first batches are
 * too short for their duration to predict the next one well. */
#define BENCH_MAX_GROWTH 10.0
/* Single runs on a shared machine move by tens of percent: report the
 * median of three equal batches. */
#define BENCH_SAMPLES 3

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double bench_run_batch(bench_op_fn op, void *ctx, uint64_t n,
			      int *err)
{
	double start = bench_now();
	uint64_t i;

	for (i = 0; i < n; i++) {
		*err = op(ctx);
		if (*err)
			break;
	}
	return bench_now() - start;
}

static uint64_t bench_next_batch(uint64_t n, double elapsed,
				 double min_seconds)
{
	double growth = BENCH_MAX_GROWTH;

	/* aim 20% past the target so the next batch is very likely the last */
	if (elapsed > 0)
		growth = min_seconds * 1.2 / elapsed;
	if (growth > BENCH_MAX_GROWTH)
		growth = BENCH_MAX_GROWTH;
	if (growth < 2.0)
		growth = 2.0;
	return (uint64_t)((double)n * growth);
}

static double bench_median3(double a, double b, double c)
{
	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}

struct bench_result bench_measure(bench_op_fn op, void *ctx,
				  double min_seconds)
{
	struct bench_result res = { 0 };
	double sample_seconds = min_seconds / BENCH_SAMPLES;
	double us[BENCH_SAMPLES];
	uint64_t n = 1;
	double elapsed;
	int i;

	for (;;) {
		elapsed = bench_run_batch(op, ctx, n, &res.err);
		if (res.err)
			return res;
		if (elapsed >= sample_seconds)
			break;
		n = bench_next_batch(n, elapsed, sample_seconds);
	}
	us[0] = elapsed * 1e6 / (double)n;
	for (i = 1; i < BENCH_SAMPLES; i++) {
		elapsed = bench_run_batch(op, ctx, n, &res.err);
		if (res.err)
			return res;
		us[i] = elapsed * 1e6 / (double)n;
	}
	res.iterations = n * BENCH_SAMPLES;
	res.us_per_op = bench_median3(us[0], us[1], us[2]);
	return res;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One prepared, timed and cleaned-up run; its seconds or -1 on error. */
static double bench_run_step(const struct bench_step *step, void *ctx,
			     int *err)
{
	double start, elapsed;

	*err = step->prepare ? step->prepare(ctx) : 0;
	if (*err)
		return -1;
	start = bench_now();
	*err = step->op(ctx);
	elapsed = bench_now() - start;
	if (step->cleanup)
		step->cleanup(ctx);
	return *err ? -1 : elapsed;
}

struct bench_result bench_measure_steps(const struct bench_step *step,
					void *ctx, double min_seconds,
					unsigned int min_runs,
					unsigned int max_runs)
{
	struct bench_result res = { 0 };
	double *runs, total = 0;
	unsigned int n = 0;

	if (min_runs < 1)
		min_runs = 1;
	if (max_runs < min_runs)
		max_runs = min_runs;
	runs = calloc(max_runs, sizeof(*runs));
	if (!runs) {
		res.err = MLS_ERR_NOMEM;
		return res;
	}
	while (n < max_runs && (n < min_runs || total < min_seconds)) {
		runs[n] = bench_run_step(step, ctx, &res.err);
		if (res.err)
			break;
		total += runs[n++];
	}
	if (!res.err) {
		qsort(runs, n, sizeof(*runs), bench_cmp_double);
		res.iterations = n;
		res.us_per_op = (n % 2 ? runs[n / 2] :
			(runs[n / 2 - 1] + runs[n / 2]) / 2) * 1e6;
	}
	free(runs);
	return res;
}
