// SPDX-License-Identifier: MIT
/*
 * The fork-join runner (mls/src/parallel.c) and the work libmls hands it:
 * every job runs once, the lowest failing index wins whatever the
 * scheduling, and a seeded Commit, Welcome join and tree validation give
 * the same bytes and the same verdict on one thread and on several.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mls/group.h"
#include "mls/ratchet_tree.h"
#include "mls/threads.h"
#include "mls/treemath.h"
#include "../src/parallel.h"
#include "support/group_fixture.h"

#define N_JOBS		1000
#define SUITE		MLS_SUITE_X25519_AES128GCM_SHA256_ED25519
#define GROUP_SIZE	40
#define SEED		0x5eed1234u

/* ---- the runner ---- */

struct counted {
	atomic_int runs[N_JOBS];
	size_t fail_at[3];	/* indices that fail, in no order */
	int fail_err[3];
	size_t slow;		/* this index sleeps first (N_JOBS: none) */
};

static int count_job(void *arg, size_t i)
{
	struct counted *c = arg;
	struct timespec nap = { 0, 2000000 };
	size_t k;

	atomic_fetch_add(&c->runs[i], 1);
	/* Let later indices overtake this one on other threads. */
	if (i == c->slow)
		nanosleep(&nap, NULL);
	for (k = 0; k < 3; k++)
		if (c->fail_at[k] == i)
			return c->fail_err[k];
	return 0;
}

static struct counted *counted_new(void)
{
	struct counted *c = calloc(1, sizeof(*c));
	size_t i;

	assert_non_null(c);
	for (i = 0; i < N_JOBS; i++)
		atomic_init(&c->runs[i], 0);
	for (i = 0; i < 3; i++)
		c->fail_at[i] = N_JOBS;
	c->slow = N_JOBS;
	return c;
}

static void test_every_index_runs_once(void **state)
{
	static const unsigned int threads[] = { 0, 1, 2, 3, 4, 16 };
	struct counted *c;
	size_t t, i;

	(void)state;
	for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		c = counted_new();
		assert_int_equal(mls_parallel_run_on(threads[t], N_JOBS,
						     count_job, c, NULL), 0);
		for (i = 0; i < N_JOBS; i++)
			assert_int_equal(atomic_load(&c->runs[i]), 1);
		free(c);
	}
	/* more threads than jobs, and no jobs at all */
	c = counted_new();
	assert_int_equal(mls_parallel_run_on(8, 3, count_job, c, NULL), 0);
	for (i = 0; i < N_JOBS; i++)
		assert_int_equal(atomic_load(&c->runs[i]), i < 3);
	assert_int_equal(mls_parallel_run_on(8, 0, count_job, c, NULL), 0);
	assert_int_equal(mls_parallel_run(0, 1, count_job, c, NULL), 0);
	assert_int_equal(atomic_load(&c->runs[0]), 1);
	free(c);
	assert_int_equal(mls_parallel_run_on(2, 4, NULL, NULL, NULL),
			 MLS_ERR_INVALID_ARG);
}

/*
 * Three failing indices; the lowest one sleeps before it fails, so on
 * several threads the higher ones fail first. Every run must still report
 * the lowest one, and every job below it must have run exactly once.
 */
static void test_lowest_failure_wins(void **state)
{
	static const unsigned int threads[] = { 1, 2, 4, 16 };
	struct counted *c;
	size_t t, rep, i, failed;
	int err;

	(void)state;
	for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		for (rep = 0; rep < 20; rep++) {
			c = counted_new();
			c->fail_at[0] = 611;
			c->fail_err[0] = MLS_ERR_AUTH;
			c->fail_at[1] = 305;
			c->fail_err[1] = MLS_ERR_BAD_SIGNATURE;
			c->fail_at[2] = 306;
			c->fail_err[2] = MLS_ERR_NOMEM;
			c->slow = 305;
			failed = 12345;
			err = mls_parallel_run_on(threads[t], N_JOBS, count_job,
						  c, &failed);
			assert_int_equal(err, MLS_ERR_BAD_SIGNATURE);
			assert_int_equal(failed, 305);
			for (i = 0; i <= 305; i++)
				assert_int_equal(atomic_load(&c->runs[i]), 1);
			for (i = 306; i < N_JOBS; i++)
				assert_true(atomic_load(&c->runs[i]) <= 1);
			free(c);
		}
	}
}

/* Job i fills slot i from i alone: any thread count, the same array. */
static int fill_job(void *arg, size_t i)
{
	uint32_t *out = arg;
	uint32_t x = (uint32_t)i * 2654435761u;
	int k;

	for (k = 0; k < 1000; k++)
		x = x * 1103515245u + 12345u;
	out[i] = x;
	return 0;
}

static void test_serial_and_parallel_agree(void **state)
{
	uint32_t *serial = calloc(N_JOBS, sizeof(*serial));
	uint32_t *par = calloc(N_JOBS, sizeof(*par));
	size_t i;

	(void)state;
	assert_non_null(serial);
	assert_non_null(par);
	assert_int_equal(mls_parallel_run_on(1, N_JOBS, fill_job, serial,
					     NULL), 0);
	assert_int_equal(mls_parallel_run_on(4, N_JOBS, fill_job, par, NULL),
			 0);
	assert_memory_equal(serial, par, N_JOBS * sizeof(*serial));
	/* and neither left a slot untouched */
	for (i = 0; i < N_JOBS; i++)
		assert_int_not_equal(serial[i], 0);
	free(serial);
	free(par);
}

struct where {
	pthread_t caller;
	atomic_int elsewhere;
};

/* Slow enough (1 ms) that a started worker would take some jobs. */
static int where_job(void *arg, size_t i)
{
	struct where *w = arg;
	struct timespec nap = { 0, 1000000 };

	(void)i;
	nanosleep(&nap, NULL);
	if (!pthread_equal(pthread_self(), w->caller))
		atomic_fetch_add(&w->elsewhere, 1);
	return 0;
}

/* Below min_jobs, and with one thread set, no thread is started. */
static void test_small_runs_stay_on_caller(void **state)
{
	struct where w = { .caller = pthread_self() };

	(void)state;
	atomic_init(&w.elsewhere, 0);
	assert_int_equal(mls_set_threads(4), 0);
	assert_int_equal(mls_parallel_run(7, 8, where_job, &w, NULL), 0);
	assert_int_equal(mls_parallel_run(1, 0, where_job, &w, NULL), 0);
	assert_int_equal(mls_set_threads(1), 0);
	assert_int_equal(mls_parallel_run(20, 2, where_job, &w, NULL), 0);
	assert_int_equal(mls_set_threads(0), 0);
	assert_int_equal(atomic_load(&w.elsewhere), 0);
	/* the probe itself works: a real run does use other threads */
	assert_int_equal(mls_parallel_run_on(4, 20, where_job, &w, NULL), 0);
	assert_true(atomic_load(&w.elsewhere) > 0);
}

/* min(CPUs we may run on, 4), the rule README states. */
static unsigned int expected_default(void)
{
	cpu_set_t set;
	unsigned int n;

	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	n = (unsigned int)CPU_COUNT(&set);
	return n < 4 ? n : 4;
}

/*
 * The default follows the affinity mask, not the machine: pinned to one
 * CPU, libmls runs serially; given the whole mask back, min(CPUs, 4).
 */
static void test_default_threads_follow_affinity(void **state)
{
	cpu_set_t all, one;
	int cpu;

	(void)state;
	assert_int_equal(mls_set_threads(0), 0);
	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	for (cpu = 0; !CPU_ISSET(cpu, &all); cpu++)
		;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_int_equal(mls_threads(), 1);
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
	assert_int_equal(mls_threads(),
			 CPU_COUNT(&all) < 4 ? (unsigned int)CPU_COUNT(&all) : 4);
}

/*
 * What a fresh process reports with MLS_THREADS=env (NULL: unset): the
 * count at first use; the count after MLS_THREADS changes (it must not:
 * the variable is read once); after mls_set_threads(2); after
 * mls_set_threads(0); and what mls_set_threads(MLS_MAX_THREADS + 1)
 * returns. The child is this program again (--threads-child), so the
 * read-once state starts fresh.
 */
static void threads_in_child(const char *env, unsigned int got[5])
{
	char self[512], cmd[700];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *f;

	assert_true(n > 0);
	self[n] = 0;
	snprintf(cmd, sizeof(cmd), "%s%s%s '%s' --threads-child",
		 env ? "env MLS_THREADS='" : "env -u MLS_THREADS",
		 env ? env : "", env ? "'" : "", self);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%u %u %u %u %u", &got[0], &got[1], &got[2],
				&got[3], &got[4]), 5);
	assert_int_equal(pclose(f), 0);
}

static int threads_child(void)
{
	unsigned int first = mls_threads(), changed, set, reset;
	int over;

	setenv("MLS_THREADS", "5", 1);
	changed = mls_threads();
	set = mls_set_threads(2) ? 0 : mls_threads();
	reset = mls_set_threads(0) ? 0 : mls_threads();
	over = mls_set_threads(MLS_MAX_THREADS + 1);
	printf("%u %u %u %u %u\n", first, changed, set, reset,
	       over == MLS_ERR_INVALID_ARG && mls_threads() == reset);
	return 0;
}

static void test_thread_count_from_environment(void **state)
{
	static const struct {
		const char *env;
		unsigned int want;	/* 0: the default */
	} cases[] = {
		{ NULL, 0 }, { "1", 1 }, { "3", 3 },
		{ "100000", MLS_MAX_THREADS },
		/* nonsense falls back to the default, not to serial or 0 */
		{ "0", 0 }, { "two", 0 }, { "-2", 0 }, { "", 0 },
	};
	unsigned int got[5], want;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		want = cases[i].want ? cases[i].want : expected_default();
		threads_in_child(cases[i].env, got);
		assert_int_equal(got[0], want);
		assert_int_equal(got[1], want);	/* read once */
		assert_int_equal(got[2], 2);	/* mls_set_threads wins */
		assert_int_equal(got[3], want);	/* 0: back to the default */
		assert_int_equal(got[4], 1);	/* too many refused, kept */
	}
}

/* ---- a seeded group on one thread and on several ---- */

/* "0" is the default count, anything else that many threads. */
static void use_threads(const char *threads)
{
	assert_int_equal(mls_set_threads((unsigned int)atoi(threads)), 0);
}

/* Every member draws from it: one seed, one sequence of bytes. */
static struct fixture_rng rng;

/* What one seeded run produces, to compare across thread counts. */
struct outputs {
	struct mls_bytes welcome;	/* adds everyone, no path */
	struct mls_bytes joined;	/* leaf 1's saved state after join */
	struct mls_bytes commit;	/* leaf 1's Commit with a path */
	struct mls_bytes after;		/* leaf 1's state after it */
	struct mls_tree tree;		/* leaf 1's tree as joined */
};

static void member_init(struct fixture_party *m, unsigned int id)
{
	char name[16];

	snprintf(name, sizeof(name), "member %u", id);
	assert_int_equal(fixture_party_init(m, SUITE, name, &rng), 0);
	assert_int_equal(fixture_party_key_package(m), 0);
}

/* The creator adds GROUP_SIZE - 1 members in one Commit. */
static void add_everyone(struct fixture_party *ms, struct mls_bytes *welcome)
{
	struct mls_proposal props[GROUP_SIZE - 1];
	struct mls_commit_options o = { .proposals = props,
					.n_proposals = GROUP_SIZE - 1 };
	struct mls_bytes commit = { 0 };
	size_t i;

	for (i = 1; i < GROUP_SIZE; i++)
		assert_int_equal(mls_group_make_add(&ms[0].g, ms[i].kp.data,
						    ms[i].kp.len,
						    &props[i - 1]), 0);
	assert_int_equal(mls_group_commit(&ms[0].g, &o, &commit, welcome), 0);
	assert_int_equal(mls_group_confirm_commit(&ms[0].g), 0);
	for (i = 0; i < GROUP_SIZE - 1; i++)
		mls_proposal_free(&props[i]);
	mls_bytes_free(&commit);
}

/*
 * A fresh tree (every parent blank), so leaf 1's UpdatePath seals to every
 * other member; then the creator must accept that Commit.
 */
static void seeded_run(const char *threads, uint64_t seed,
		       struct outputs *out)
{
	struct mls_commit_options path = { .force_path = true };
	struct fixture_party *ms = calloc(GROUP_SIZE, sizeof(*ms));
	unsigned int i;

	assert_non_null(ms);
	use_threads(threads);
	rng.state = seed;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < GROUP_SIZE; i++)
		member_init(&ms[i], i);
	assert_int_equal(fixture_party_create(&ms[0], "group", NULL), 0);
	add_everyone(ms, &out->welcome);
	assert_int_equal(fixture_party_join(&ms[1], &out->welcome), 0);
	assert_int_equal(mls_group_save(&ms[1].g, &out->joined), 0);
	assert_int_equal(mls_tree_clone(&out->tree, &ms[1].g.tree), 0);
	assert_int_equal(mls_group_commit(&ms[1].g, &path, &out->commit,
					  NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&ms[1].g), 0);
	assert_int_equal(mls_group_save(&ms[1].g, &out->after), 0);
	assert_int_equal(fixture_process(&ms[0].g, &out->commit), 0);
	assert_int_equal(mls_group_epoch(&ms[0].g), mls_group_epoch(&ms[1].g));
	for (i = 0; i < GROUP_SIZE; i++)
		fixture_party_free(&ms[i]);
	free(ms);
	use_threads("0");
}

static void assert_bytes_same(const struct mls_bytes *a,
			      const struct mls_bytes *b)
{
	assert_true(a->len > 0);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->data, b->data, a->len);
}

static void outputs_free(struct outputs *o)
{
	mls_bytes_free(&o->welcome);
	mls_bytes_free_secret(&o->joined);
	mls_bytes_free(&o->commit);
	mls_bytes_free_secret(&o->after);
	mls_tree_free(&o->tree);
}

static void test_commit_and_join_identical_on_any_threads(void **state)
{
	struct outputs one, four, other_seed;

	(void)state;
	seeded_run("1", SEED, &one);
	seeded_run("4", SEED, &four);
	assert_bytes_same(&one.welcome, &four.welcome);
	assert_bytes_same(&one.joined, &four.joined);
	assert_bytes_same(&one.commit, &four.commit);
	assert_bytes_same(&one.after, &four.after);
	/* The comparison can fail: another seed, another Commit. */
	seeded_run("4", SEED + 1, &other_seed);
	assert_true(other_seed.commit.len != one.commit.len ||
		    memcmp(other_seed.commit.data, one.commit.data,
			   one.commit.len) != 0);
	outputs_free(&one);
	outputs_free(&four);
	outputs_free(&other_seed);
}

static void break_signature(struct mls_tree *t, uint32_t leaf)
{
	struct mls_node *n = &t->slots[2 * leaf].node;

	assert_int_equal(n->type, MLS_NODE_LEAF);
	assert_true(n->leaf.signature.len > 0);
	n->leaf.signature.data[0] ^= 0x01;
}

/* Validate a copy of t with the given leaves' signatures broken. */
static int validate_broken(const struct mls_tree *t, const char *threads,
			   const uint32_t *leaves, size_t n,
			   struct mls_tree_problem *problem)
{
	static const struct mls_bytes group_id = {
		(uint8_t *)"group", 5 };
	struct mls_tree_context ctx = { .group_id = &group_id };
	struct mls_tree copy;
	size_t i;
	int err;

	assert_int_equal(mls_tree_clone(&copy, t), 0);
	for (i = 0; i < n; i++)
		break_signature(&copy, leaves[i]);
	use_threads(threads);
	err = mls_tree_validate(&copy, &ctx, problem);
	use_threads("0");
	mls_tree_free(&copy);
	return err;
}

/*
 * §7.3 leaf checks run in parallel on join; the one reported must be the
 * lowest bad leaf, as a serial walk finds it, on any thread count.
 */
static void test_lowest_bad_leaf_reported(void **state)
{
	static const char *const threads[] = { "1", "2", "4" };
	static const uint32_t high_first[] = { 33, 7, 21 };
	static const uint32_t last_only[] = { GROUP_SIZE - 1 };
	struct mls_tree_problem p;
	struct outputs o;
	size_t t;

	(void)state;
	seeded_run("4", SEED, &o);
	for (t = 0; t < 3; t++) {
		assert_int_equal(validate_broken(&o.tree, threads[t], NULL, 0,
						 &p), 0);
		assert_int_equal(p.fault, MLS_TREE_FAULT_NONE);
		assert_int_equal(validate_broken(&o.tree, threads[t],
						 high_first, 3, &p),
				 MLS_ERR_BAD_SIGNATURE);
		assert_int_equal(p.fault, MLS_TREE_FAULT_SIGNATURE);
		assert_int_equal(p.node, 2 * 7);
		assert_int_equal(validate_broken(&o.tree, threads[t],
						 last_only, 1, &p),
				 MLS_ERR_BAD_SIGNATURE);
		assert_int_equal(p.fault, MLS_TREE_FAULT_SIGNATURE);
		assert_int_equal(p.node, 2 * (GROUP_SIZE - 1));
	}
	outputs_free(&o);
}

/*
 * A tree hashed from scratch splits into subtrees hashed in parallel; the
 * root must be what the serial recursion of mls_tree_hash (no split)
 * gives, on any thread count. 300 leaves (a 512-leaf tree, some blank)
 * so that the split applies.
 */
static void test_split_tree_hash_matches_serial(void **state)
{
	static const char *const threads[] = { "1", "2", "4" };
	uint8_t want[MLS_MAX_HASH_LEN], got[MLS_MAX_HASH_LEN];
	struct mls_tree big, copy;
	struct outputs o;
	uint32_t i, idx, root;
	size_t t;

	(void)state;
	seeded_run("1", SEED, &o);
	mls_tree_init(&big, o.tree.suite);
	for (i = 0; i < 300; i++)
		assert_int_equal(mls_tree_add_leaf(&big,
				&o.tree.slots[2 * (i % GROUP_SIZE)].node.leaf,
				&idx), 0);
	for (i = 5; i < 300; i += 37)
		assert_int_equal(mls_tree_remove_leaf(&big, i), 0);
	assert_int_equal(big.n_leaves, 512);
	/* big itself is never hashed: each copy starts with no cache */
	assert_int_equal(mls_tree_clone(&copy, &big), 0);
	assert_int_equal(mls_treemath_root(big.n_leaves, &root), 0);
	assert_int_equal(mls_tree_hash(&copy, root, want), 0);
	mls_tree_free(&copy);
	for (t = 0; t < 3; t++) {
		assert_int_equal(mls_tree_clone(&copy, &big), 0);
		use_threads(threads[t]);
		assert_int_equal(mls_tree_root_hash(&copy, got), 0);
		use_threads("0");
		mls_tree_free(&copy);
		assert_memory_equal(got, want, big.suite->hash_len);
	}
	mls_tree_free(&big);
	outputs_free(&o);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_index_runs_once),
		cmocka_unit_test(test_lowest_failure_wins),
		cmocka_unit_test(test_serial_and_parallel_agree),
		cmocka_unit_test(test_small_runs_stay_on_caller),
		cmocka_unit_test(test_thread_count_from_environment),
		cmocka_unit_test(test_default_threads_follow_affinity),
		cmocka_unit_test(test_commit_and_join_identical_on_any_threads),
		cmocka_unit_test(test_lowest_bad_leaf_reported),
		cmocka_unit_test(test_split_tree_hash_matches_serial),
	};

	if (argc == 2 && !strcmp(argv[1], "--threads-child"))
		return threads_child();
	/* the count must be the default here, whatever our environment */
	unsetenv("MLS_THREADS");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
