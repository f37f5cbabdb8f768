// SPDX-License-Identifier: MIT
/*
 * mls-bench: microseconds per libmls operation for every cipher suite, as
 * an aligned table. Used by selftests/bench.sh; not a test (nothing here
 * can fail except an operation returning an error).
 *
 *   mls-bench [--quick] [--suite N] [--groups] [--max-members N]
 *             [--members N] [--shape fresh|full] [--op NAME]
 *
 * The default run prints the crypto table and the group table up to 64
 * members; --groups prints only the group table, up to 1024 members.
 */
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mls/error.h"
#include "bench_group.h"
#include "bench_ops.h"

#define BENCH_MIN_SECONDS	0.3
#define BENCH_QUICK_SECONDS	0.02
#define BENCH_FIRST_SUITE	1
#define BENCH_LAST_SUITE	7
#define BENCH_NAME_WIDTH	54
#define BENCH_COL_WIDTH		15
#define BENCH_GROUP_SECONDS	1.0
#define BENCH_GROUP_QUICK_SECONDS	0.05
/* Largest group of the default run and of --quick. */
#define BENCH_DEFAULT_MAX_MEMBERS	64
#define BENCH_QUICK_MAX_MEMBERS	16

static const uint32_t bench_group_sizes[] = { 2, 16, 64, 128, 512, 1024 };

static const struct bench_column *const bench_columns[] = {
	&bench_col_hpke, &bench_col_sign, &bench_col_verify,
	&bench_col_epoch, &bench_col_ratchet, &bench_col_export,
};

#define BENCH_NCOLUMNS (sizeof(bench_columns) / sizeof(bench_columns[0]))

static const char bench_usage[] =
	"usage: mls-bench [--quick] [--suite 1-7] [--groups] "
	"[--max-members N] [--members N] [--shape fresh|full] [--op NAME]\n"
	"  --quick          about 0.02 s per cell instead of 0.3 s, groups "
	"up to 16\n"
	"  --suite N        only cipher suite N\n"
	"  --groups         only the group table (suites 1 and 2), up to "
	"1024 members\n"
	"  --max-members N  largest group size measured\n"
	"  --members N      only groups of N members (one of 2 16 64 128 512 "
	"1024)\n"
	"  --shape S        only tree shape S (fresh or full)\n"
	"  --op NAME        only that group column (commit, process, add, "
	"join, export),\n"
	"                   e.g. to profile it\n"
	"MLS_THREADS=1 in the environment makes libmls run single-threaded.\n";

struct bench_options {
	double min_seconds;
	int suite;		/* 0: all */
	bool quick;
	bool groups_only;
	uint32_t max_members;	/* 0: the mode's default */
	uint32_t members;	/* 0: every size up to max_members */
	const char *op;		/* NULL: every group column */
	const char *shape;	/* NULL: both */
};

static void bench_cpu_model(char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	char *colon;

	snprintf(out, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) != 0)
			continue;
		colon = strchr(line, ':');
		if (!colon)
			continue;
		colon += strspn(colon + 1, " \t") + 1;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(out, len, "%s", colon);
		break;
	}
	fclose(f);
}

/* What nproc(1) prints: the CPUs this process may run on. */
static int bench_nproc(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 0;
	return CPU_COUNT(&set);
}

static void bench_print_header(const struct bench_options *o)
{
	char cpu[128];
	size_t i;

	bench_cpu_model(cpu, sizeof(cpu));
	printf("mls-bench: libmls, microseconds per operation\n");
	printf("cpu: %s, nproc %d; each cell: median of 3 batches, "
	       ">= %.2f s in all\n\n", cpu, bench_nproc(), o->min_seconds);
	printf("%-*s", BENCH_NAME_WIDTH, "suite");
	for (i = 0; i < BENCH_NCOLUMNS; i++)
		printf(" %*s", BENCH_COL_WIDTH, bench_columns[i]->title);
	printf("\n");
}

/* Prints one cell; returns 1 if the operation failed. */
static int bench_cell(const struct bench_column *col,
		      const struct mls_suite *s, double min_seconds)
{
	struct bench_result res;
	void *ctx = NULL;
	int err;

	if (!col->op) {
		printf(" %*s", BENCH_COL_WIDTH, "n/a");
		return 0;
	}
	err = col->setup(s, &ctx);
	if (!err) {
		res = bench_measure(col->op, ctx, min_seconds);
		err = res.err;
		col->teardown(ctx);
	}
	if (err) {
		printf(" %*s", BENCH_COL_WIDTH, "error");
		fprintf(stderr, "mls-bench: suite %u %s: %s\n", s->id,
			col->title, mls_strerror(err));
		return 1;
	}
	printf(" %*.1f", BENCH_COL_WIDTH, res.us_per_op);
	return 0;
}

static int bench_suite(const struct mls_suite *s, double min_seconds)
{
	char name[BENCH_NAME_WIDTH + 1];
	int failed = 0;
	size_t i;

	snprintf(name, sizeof(name), "%u %s", s->id, s->name);
	printf("%-*s", BENCH_NAME_WIDTH, name);
	fflush(stdout);
	for (i = 0; i < BENCH_NCOLUMNS; i++) {
		failed |= bench_cell(bench_columns[i], s, min_seconds);
		fflush(stdout);
	}
	printf("\n");
	return failed;
}

static void bench_print_legend(void)
{
	const struct bench_column *col;
	size_t i;

	printf("\n");
	for (i = 0; i < BENCH_NCOLUMNS; i++) {
		col = bench_columns[i];
		printf("%-16s %s\n", col->title,
		       col->op ? col->what : col->missing);
	}
}

static bool bench_group_size_known(uint32_t n)
{
	size_t i;

	for (i = 0; i < sizeof(bench_group_sizes) /
			sizeof(bench_group_sizes[0]); i++)
		if (bench_group_sizes[i] == n)
			return true;
	return false;
}

static int bench_parse_args(int argc, char **argv, struct bench_options *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->min_seconds = BENCH_MIN_SECONDS;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			o->min_seconds = BENCH_QUICK_SECONDS;
			o->quick = true;
		} else if (strcmp(argv[i], "--groups") == 0) {
			o->groups_only = true;
		} else if (strcmp(argv[i], "--shape") == 0 && i + 1 < argc) {
			o->shape = argv[++i];
			if (strcmp(o->shape, "fresh") != 0 &&
			    strcmp(o->shape, "full") != 0)
				return -1;
		} else if (strcmp(argv[i], "--max-members") == 0 &&
			   i + 1 < argc) {
			o->max_members = (uint32_t)strtoul(argv[++i], NULL, 10);
			if (o->max_members < 2)
				return -1;
		} else if (strcmp(argv[i], "--members") == 0 &&
			   i + 1 < argc) {
			o->members = (uint32_t)strtoul(argv[++i], NULL, 10);
			if (!bench_group_size_known(o->members))
				return -1;
		} else if (strcmp(argv[i], "--op") == 0 && i + 1 < argc) {
			o->op = argv[++i];
			if (!bench_group_op_known(o->op))
				return -1;
		} else if (strcmp(argv[i], "--suite") == 0 && i + 1 < argc) {
			o->suite = atoi(argv[++i]);
			if (!mls_suite_get((uint16_t)o->suite) || o->suite <= 0)
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

static int bench_crypto_table(const struct bench_options *o)
{
	const struct mls_suite *s;
	int id, failed = 0;

	bench_print_header(o);
	for (id = BENCH_FIRST_SUITE; id <= BENCH_LAST_SUITE; id++) {
		if (o->suite && id != o->suite)
			continue;
		s = mls_suite_get((uint16_t)id);
		if (!s) {
			printf("%-*d not implemented\n", BENCH_NAME_WIDTH, id);
			failed = 1;
			continue;
		}
		failed |= bench_suite(s, o->min_seconds);
	}
	bench_print_legend();
	return failed;
}

static int bench_group_table(const struct bench_options *o)
{
	struct bench_group_options g = {
		.sizes = bench_group_sizes,
		.suite = o->suite,
		.shape = o->shape,
		.op = o->op,
		.min_seconds = o->quick ? BENCH_GROUP_QUICK_SECONDS :
					  BENCH_GROUP_SECONDS,
	};
	uint32_t max = o->max_members;
	size_t i;

	if (o->members) {
		g.sizes = &o->members;
		g.n_sizes = 1;
		return o->suite > 2 ? 0 : bench_groups_run(&g);
	}
	if (!max && o->quick)
		max = BENCH_QUICK_MAX_MEMBERS;
	else if (!max && !o->groups_only)
		max = BENCH_DEFAULT_MAX_MEMBERS;
	for (i = 0; i < sizeof(bench_group_sizes) /
			sizeof(bench_group_sizes[0]); i++)
		if (!max || bench_group_sizes[i] <= max)
			g.n_sizes = i + 1;
	if (o->suite > 2)
		return 0;
	return bench_groups_run(&g);
}

int main(int argc, char **argv)
{
	struct bench_options o;
	char cpu[128];
	int failed = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf("%s", bench_usage);
		return 0;
	}
	if (bench_parse_args(argc, argv, &o)) {
		fprintf(stderr, "%s", bench_usage);
		return 2;
	}
	if (o.groups_only) {
		bench_cpu_model(cpu, sizeof(cpu));
		printf("mls-bench: libmls group operations\ncpu: %s, "
		       "nproc %d\n", cpu, bench_nproc());
	} else {
		failed |= bench_crypto_table(&o);
	}
	failed |= bench_group_table(&o);
	return failed;
}
