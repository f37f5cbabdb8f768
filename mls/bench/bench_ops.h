/* SPDX-License-Identifier: MIT */
/*
 * The columns of the mls-bench table: one operation each, timed once per
 * cipher suite. A column whose libmls API was not built in has no op and
 * prints "n/a" with its reason.
 */
#ifndef MLS_BENCH_OPS_H
#define MLS_BENCH_OPS_H

#include "mls/crypto.h"
#include "bench_timer.h"

struct bench_column {
	const char *title;
	const char *what;		/* legend line under the table */
	/* Allocates *ctx for suite s; 0 or an MLS error code. */
	int (*setup)(const struct mls_suite *s, void **ctx);
	bench_op_fn op;			/* NULL: API not available */
	void (*teardown)(void *ctx);
	const char *missing;		/* why op is NULL: printed as n/a */
};

/* bench_crypto.c: HPKE and signatures (RFC 9420 §5.1.3, §5.1.2) */
extern const struct bench_column bench_col_hpke;
extern const struct bench_column bench_col_sign;
extern const struct bench_column bench_col_verify;
/* bench_epoch.c: key schedule, secret tree, exporter (§8, §9, §8.5) */
extern const struct bench_column bench_col_epoch;
extern const struct bench_column bench_col_ratchet;
extern const struct bench_column bench_col_export;

#endif
