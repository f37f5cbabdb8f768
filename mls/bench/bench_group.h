/* SPDX-License-Identifier: MIT */
/*
 * Group operations at scale: Commit, processing it, Add with Welcome,
 * joining, exporter, for groups of up to 1024 members in two tree shapes.
 */
#ifndef MLS_BENCH_GROUP_H
#define MLS_BENCH_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_group_options {
	const uint32_t *sizes;		/* members per group, ascending */
	size_t n_sizes;
	int suite;			/* 0: suites 1 and 2 */
	double min_seconds;		/* timed per cell, at least 3 runs */
	const char *shape;		/* "fresh", "full" or NULL: both */
	const char *op;			/* one column's title or NULL: all */
};

/* Whether name is the title of a group column. */
bool bench_group_op_known(const char *name);

/* Prints the table; returns 1 if an operation failed, else 0. */
int bench_groups_run(const struct bench_group_options *o);

#endif
