// SPDX-License-Identifier: MIT
/*
 * Group operations of RFC 9420 §12 at 2 to 1024 members, through the
 * public group API only, with parsing and serialization inside the timer:
 *
 *   commit   a member other than the creator commits with an UpdatePath
 *   process  another member parses and processes that Commit
 *   add      a member adds one KeyPackage: Commit + Welcome
 *   join     the new member parses that Welcome and joins
 *   export   one MLS-Exporter call, 32 bytes
 *
 * Two tree shapes bound the cost of TreeKEM (§7.4, §7.6):
 *   fresh  the creator added everyone in one Commit without a path, so
 *          every parent node is blank and every resolution is leaves:
 *          the worst case for commit, process and join.
 *   full   every parent node is set and no leaf is unmerged: each
 *          odd leaf 2k+1 committed with a path right after the creator
 *          added leaves 2k and 2k+1, which covers every parent node.
 *
 * Building a shape is the slow part and happens once per (suite, size,
 * shape); every timed run starts from the same state (a Commit is
 * discarded after it is timed, the processing member is reloaded from a
 * saved blob before each run).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mls/codec.h"
#include "mls/error.h"
#include "mls/group.h"
#include "mls/threads.h"
#include "bench_group.h"
#include "bench_timer.h"

#define BENCH_GROUP_MIN_RUNS	3
#define BENCH_GROUP_MAX_RUNS	200
#define BENCH_EXPORT_LEN	32
/*
 * Building the full shape joins N/2 members at growing sizes, so its cost
 * grows with N^2 (the fresh one's with N): skip a size whose setup,
 * predicted from the last one built, would exceed this.
 */
#define BENCH_SETUP_BUDGET_SECONDS	300.0

enum bench_shape { BENCH_FRESH, BENCH_FULL };

static const char *const bench_shape_names[] = { "fresh", "full" };

struct bench_member {
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	char name[24];
	struct mls_bytes kp;
	struct mls_key_package_secrets sec;
	struct mls_group g;
};

/* Everything one row of the table measures from. */
struct bench_group_state {
	const struct mls_suite *s;
	uint32_t n;
	struct bench_member creator;	/* leaf 0 */
	struct bench_member committer;	/* leaf 1 */
	struct bench_member processor;	/* leaf n-1; unused when n == 2 */
	struct bench_member joiner;	/* not in the group */
	struct mls_group *proc;		/* &processor.g or &creator.g */
	struct mls_bytes commit;	/* committer's Commit, discarded */
	struct mls_bytes proc_blob;	/* *proc before that Commit */
	struct mls_bytes welcome;	/* for joiner, from committer's Add */
	/* per-run scratch */
	struct mls_bytes out, out_welcome;
	struct mls_group loaded;
};

static double bench_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- members ---- */

static void member_signer(const struct mls_suite *s,
			  const struct bench_member *m, struct mls_signer *sg)
{
	memset(sg, 0, sizeof(*sg));
	sg->sig_priv = m->sig_priv;
	sg->sig_priv_len = s->sig_priv_len;
	sg->identity = (const uint8_t *)m->name;
	sg->identity_len = strlen(m->name);
}

/* A new identity with a fresh KeyPackage. */
static int member_init(struct bench_member *m, const struct mls_suite *s,
		       uint32_t id)
{
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];
	struct mls_key_package_options o = { .suite = s };
	int err;

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "member %u", (unsigned int)id);
	err = mls_sig_generate_keypair(NULL, s, m->sig_priv, pub);
	if (err)
		return err;
	member_signer(s, m, &o.signer);
	return mls_key_package_create(&o, &m->kp, &m->sec);
}

static void member_free(struct bench_member *m)
{
	mls_group_free(&m->g);
	mls_bytes_free(&m->kp);
	mls_key_package_secrets_wipe(&m->sec);
	mls_wipe(m, sizeof(*m));
}

static int member_create_group(struct bench_member *m,
			       const struct mls_suite *s)
{
	struct mls_group_create_options o = {
		.suite = s,
		.group_id = (const uint8_t *)"mls-bench group",
		.group_id_len = 15,
	};

	member_signer(s, m, &o.signer);
	return mls_group_create(&m->g, &o);
}

/* Parse a Welcome and join with m's KeyPackage secrets. */
static int member_join(struct bench_member *m, const struct mls_suite *s,
		       const struct mls_bytes *welcome)
{
	struct mls_group_join_options o = {
		.suite = s,
		.key_package = m->kp.data,
		.key_package_len = m->kp.len,
		.init_priv = m->sec.init_priv,
		.init_priv_len = m->sec.priv_len,
		.encryption_priv = m->sec.encryption_priv,
		.encryption_priv_len = m->sec.priv_len,
		.sig_priv = m->sig_priv,
		.sig_priv_len = s->sig_priv_len,
	};
	struct mls_message msg;
	int err;

	err = mls_message_from_bytes(welcome->data, welcome->len, &msg);
	if (err)
		return err;
	err = msg.wire_format == MLS_WIRE_WELCOME ?
	      mls_group_join(&m->g, &o, &msg.welcome) : MLS_ERR_INVALID_ARG;
	mls_message_free(&msg);
	return err;
}

static int group_process(struct mls_group *g, const struct mls_bytes *b)
{
	struct mls_message msg;
	int err;

	err = mls_message_from_bytes(b->data, b->len, &msg);
	if (err)
		return err;
	err = mls_group_process_commit(g, &msg);
	mls_message_free(&msg);
	return err;
}

/* A Commit with a path and nothing else (§12.4: an empty Commit). */
static int group_commit_path(struct mls_group *g, struct mls_bytes *commit)
{
	struct mls_commit_options o = { .force_path = true };

	return mls_group_commit(g, &o, commit, NULL);
}

/* Commit that adds each of kps (by value) and confirm it at once. */
static int group_add_confirmed(struct mls_group *g, struct bench_member **kps,
			       size_t n, struct mls_bytes *commit,
			       struct mls_bytes *welcome)
{
	struct mls_commit_options o = { .skip_cached = true };
	struct mls_proposal *props = calloc(n, sizeof(*props));
	size_t i, made = 0;
	int err = 0;

	if (!props)
		return MLS_ERR_NOMEM;
	for (i = 0; i < n && !err; i++) {
		err = mls_group_make_add(g, kps[i]->kp.data, kps[i]->kp.len,
					 &props[i]);
		if (!err)
			made++;
	}
	o.proposals = props;
	o.n_proposals = n;
	if (!err)
		err = mls_group_commit(g, &o, commit, welcome);
	if (!err)
		err = mls_group_confirm_commit(g);
	for (i = 0; i < made; i++)
		mls_proposal_free(&props[i]);
	free(props);
	return err;
}

/* ---- building the shapes ---- */

/*
 * The member object for leaf `leaf` of an n-member group: a tracked one,
 * or the scratch one for a member used once and dropped.
 */
static struct bench_member *member_for_leaf(struct bench_group_state *st,
					    uint32_t leaf,
					    struct bench_member *scratch)
{
	if (leaf == 1)
		return &st->committer;
	if (leaf == st->n - 1)
		return &st->processor;
	return scratch;
}

static bool member_is_scratch(const struct bench_group_state *st,
			      const struct bench_member *m)
{
	return m != &st->committer && m != &st->processor;
}

/* The creator adds leaves 1..n-1 in one Commit without a path. */
static int build_fresh(struct bench_group_state *st)
{
	struct bench_member **kps = calloc(st->n, sizeof(*kps));
	struct mls_bytes commit = { 0 }, welcome = { 0 };
	uint32_t leaf;
	int err = 0;

	if (!kps)
		return MLS_ERR_NOMEM;
	for (leaf = 1; leaf < st->n && !err; leaf++) {
		kps[leaf - 1] = member_for_leaf(st, leaf, NULL);
		if (!kps[leaf - 1])
			kps[leaf - 1] = calloc(1, sizeof(**kps));
		err = kps[leaf - 1] ? member_init(kps[leaf - 1], st->s, leaf) :
				      MLS_ERR_NOMEM;
	}
	if (!err)
		err = group_add_confirmed(&st->creator.g, kps, st->n - 1,
					  &commit, &welcome);
	if (!err)
		err = member_join(&st->committer, st->s, &welcome);
	if (!err && st->n > 2)
		err = member_join(&st->processor, st->s, &welcome);
	for (leaf = 1; leaf < st->n; leaf++) {
		if (kps[leaf - 1] && member_is_scratch(st, kps[leaf - 1])) {
			member_free(kps[leaf - 1]);
			free(kps[leaf - 1]);
		}
	}
	free(kps);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	return err;
}

/* Every tracked member in the group except `from` processes commit. */
static int tracked_process(struct bench_group_state *st,
			   const struct bench_member *from,
			   const struct mls_bytes *commit)
{
	struct bench_member *tracked[] = { &st->creator, &st->committer,
					   &st->processor };
	size_t i;
	int err = 0;

	for (i = 0; i < 3 && !err; i++) {
		if (tracked[i] == from || !tracked[i]->g.suite)
			continue;
		err = group_process(&tracked[i]->g, commit);
	}
	return err;
}

/*
 * One step of the full shape: the creator adds leaves `odd`-1 (unless it
 * is the creator's own) and `odd`; the member at `odd` joins and commits
 * with a path, which sets every node on its direct path and clears the
 * unmerged leaves there.
 */
static int build_full_step(struct bench_group_state *st, uint32_t odd)
{
	struct bench_member even = { 0 }, scratch = { 0 };
	struct bench_member *kps[2], *filler;
	struct mls_bytes commit = { 0 }, welcome = { 0 };
	size_t n_kps = 0;
	int err = 0;

	if (odd > 1) {
		err = member_init(&even, st->s, odd - 1);
		kps[n_kps++] = &even;
	}
	filler = member_for_leaf(st, odd, &scratch);
	if (!err)
		err = member_init(filler, st->s, odd);
	kps[n_kps++] = filler;
	if (!err)
		err = group_add_confirmed(&st->creator.g, kps, n_kps, &commit,
					  &welcome);
	if (!err)
		err = tracked_process(st, &st->creator, &commit);
	mls_bytes_free(&commit);
	if (!err)
		err = member_join(filler, st->s, &welcome);
	if (!err)
		err = group_commit_path(&filler->g, &commit);
	if (!err)
		err = mls_group_confirm_commit(&filler->g);
	if (!err)
		err = tracked_process(st, filler, &commit);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	member_free(&even);
	if (member_is_scratch(st, filler) || err)
		member_free(filler);
	return err;
}

static int build_full(struct bench_group_state *st)
{
	uint32_t odd;
	int err = 0;

	for (odd = 1; odd < st->n && !err; odd += 2)
		err = build_full_step(st, odd);
	return err;
}

/* The committer's Commit and Add, made once, for process and join. */
static int prepare_inputs(struct bench_group_state *st)
{
	struct mls_commit_options o = { .skip_cached = true,
					.n_proposals = 1 };
	struct mls_proposal add;
	int err;

	st->proc = st->n > 2 ? &st->processor.g : &st->creator.g;
	err = mls_group_save(st->proc, &st->proc_blob);
	if (!err)
		err = group_commit_path(&st->committer.g, &st->commit);
	mls_group_discard_commit(&st->committer.g);
	if (!err)
		err = member_init(&st->joiner, st->s, st->n);
	if (!err)
		err = mls_group_make_add(&st->committer.g, st->joiner.kp.data,
					 st->joiner.kp.len, &add);
	if (err)
		return err;
	o.proposals = &add;
	err = mls_group_commit(&st->committer.g, &o, &st->out, &st->welcome);
	mls_group_discard_commit(&st->committer.g);
	mls_bytes_free(&st->out);
	mls_proposal_free(&add);
	return err;
}

static void state_free(struct bench_group_state *st)
{
	member_free(&st->creator);
	member_free(&st->committer);
	member_free(&st->processor);
	member_free(&st->joiner);
	mls_bytes_free(&st->commit);
	mls_bytes_free_secret(&st->proc_blob);
	mls_bytes_free(&st->welcome);
	mls_bytes_free(&st->out);
	mls_bytes_free(&st->out_welcome);
	mls_group_free(&st->loaded);
}

static int state_build(struct bench_group_state *st, const struct mls_suite *s,
		       uint32_t n, enum bench_shape shape)
{
	int err;

	memset(st, 0, sizeof(*st));
	st->s = s;
	st->n = n;
	err = member_init(&st->creator, s, 0);
	if (!err)
		err = member_create_group(&st->creator, s);
	if (!err)
		err = shape == BENCH_FRESH ? build_fresh(st) : build_full(st);
	if (!err)
		err = prepare_inputs(st);
	if (err)
		state_free(st);
	return err;
}

/* ---- the timed operations ---- */

static int op_commit(void *ctx)
{
	struct bench_group_state *st = ctx;

	return group_commit_path(&st->committer.g, &st->out);
}

static void undo_commit(void *ctx)
{
	struct bench_group_state *st = ctx;

	mls_group_discard_commit(&st->committer.g);
	mls_bytes_free(&st->out);
	mls_bytes_free(&st->out_welcome);
}

static int load_processor(void *ctx)
{
	struct bench_group_state *st = ctx;
	struct mls_group_load_options o = { 0 };

	return mls_group_load(&st->loaded, st->proc_blob.data,
			      st->proc_blob.len, &o);
}

static int op_process(void *ctx)
{
	struct bench_group_state *st = ctx;

	return group_process(&st->loaded, &st->commit);
}

static void free_loaded(void *ctx)
{
	struct bench_group_state *st = ctx;

	mls_group_free(&st->loaded);
}

static int op_add(void *ctx)
{
	struct bench_group_state *st = ctx;
	struct mls_commit_options o = { .skip_cached = true,
					.n_proposals = 1 };
	struct mls_proposal add;
	int err;

	err = mls_group_make_add(&st->committer.g, st->joiner.kp.data,
				 st->joiner.kp.len, &add);
	if (err)
		return err;
	o.proposals = &add;
	err = mls_group_commit(&st->committer.g, &o, &st->out,
			       &st->out_welcome);
	mls_proposal_free(&add);
	return err;
}

static int op_join(void *ctx)
{
	struct bench_group_state *st = ctx;

	return member_join(&st->joiner, st->s, &st->welcome);
}

static void free_joined(void *ctx)
{
	struct bench_group_state *st = ctx;

	mls_group_free(&st->joiner.g);
}

static int op_export(void *ctx)
{
	struct bench_group_state *st = ctx;
	uint8_t out[BENCH_EXPORT_LEN];
	int err;

	err = mls_group_export(&st->creator.g, "mlsdco v1 key",
			       (const uint8_t *)"\0\0\0\1", 4, out,
			       sizeof(out));
	mls_wipe(out, sizeof(out));
	return err;
}

struct bench_group_op {
	const char *title;
	struct bench_step step;
	unsigned int max_runs;
};

static const struct bench_group_op bench_group_ops[] = {
	{ "commit", { NULL, op_commit, undo_commit }, BENCH_GROUP_MAX_RUNS },
	{ "process", { load_processor, op_process, free_loaded },
	  BENCH_GROUP_MAX_RUNS },
	{ "add", { NULL, op_add, undo_commit }, BENCH_GROUP_MAX_RUNS },
	{ "join", { NULL, op_join, free_joined }, BENCH_GROUP_MAX_RUNS },
	{ "export", { NULL, op_export, NULL }, 100000 },
};

#define BENCH_GROUP_NOPS (sizeof(bench_group_ops) / sizeof(bench_group_ops[0]))

/* ---- the table ---- */

bool bench_group_op_known(const char *name)
{
	size_t i;

	for (i = 0; i < BENCH_GROUP_NOPS; i++)
		if (strcmp(bench_group_ops[i].title, name) == 0)
			return true;
	return false;
}

static void print_group_header(void)
{
	const char *env = getenv("MLS_THREADS");
	size_t i;

	printf("\ngroup operations, milliseconds (median run; parsing and "
	       "serialization included)\n");
	printf("libmls threads: %u (%s)\n", mls_threads(),
	       env && *env ? "MLS_THREADS" : "min(usable CPUs, 4)");
	printf("%-5s %-6s %5s %9s", "suite", "tree", "N", "setup s");
	for (i = 0; i < BENCH_GROUP_NOPS; i++)
		printf(" %9s", bench_group_ops[i].title);
	printf("\n");
}

/* The last group built of a shape: its size and setup time. */
struct bench_last_setup {
	uint32_t n;
	double seconds;
};

static double predict_setup(const struct bench_last_setup *last, uint32_t n,
			    enum bench_shape shape)
{
	double scale = last->n ? (double)n / last->n : 0;

	return last->seconds * scale * (shape == BENCH_FULL ? scale : 1);
}

/* One row of the table; *last is updated when the group gets built. */
static int bench_group_row(const struct mls_suite *s, uint32_t n,
			   enum bench_shape shape,
			   const struct bench_group_options *o,
			   struct bench_last_setup *last)
{
	struct bench_group_state *st;
	struct bench_result res;
	double start = bench_clock(), predicted;
	int err, failed = 0;
	size_t i;

	printf("%-5u %-6s %5u", s->id, bench_shape_names[shape],
	       (unsigned int)n);
	predicted = predict_setup(last, n, shape);
	if (predicted > BENCH_SETUP_BUDGET_SECONDS) {
		printf("  skipped: setup would take about %.0f s\n",
		       predicted);
		return 0;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return 1;
	fflush(stdout);
	err = state_build(st, s, n, shape);
	if (err) {
		printf(" %9s\n", "error");
		fprintf(stderr, "mls-bench: suite %u %s N=%u setup: %s\n",
			s->id, bench_shape_names[shape], (unsigned int)n,
			mls_strerror(err));
		free(st);
		return 1;
	}
	last->n = n;
	last->seconds = bench_clock() - start;
	printf(" %9.1f", last->seconds);
	fflush(stdout);
	for (i = 0; i < BENCH_GROUP_NOPS; i++) {
		if (o->op && strcmp(o->op, bench_group_ops[i].title) != 0) {
			printf(" %9s", "-");
			continue;
		}
		res = bench_measure_steps(&bench_group_ops[i].step, st,
					  o->min_seconds, BENCH_GROUP_MIN_RUNS,
					  bench_group_ops[i].max_runs);
		if (res.err) {
			printf(" %9s", "error");
			fprintf(stderr, "mls-bench: suite %u %s N=%u %s: %s\n",
				s->id, bench_shape_names[shape],
				(unsigned int)n, bench_group_ops[i].title,
				mls_strerror(res.err));
			failed = 1;
		} else {
			printf(" %9.3f", res.us_per_op / 1000.0);
		}
		fflush(stdout);
	}
	printf("\n");
	state_free(st);
	free(st);
	return failed;
}

int bench_groups_run(const struct bench_group_options *o)
{
	static const int suites[] = { 1, 2 };
	const struct mls_suite *s;
	int failed = 0, shape;
	struct bench_last_setup last;
	size_t i, j;

	print_group_header();
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (o->suite && o->suite != suites[i])
			continue;
		s = mls_suite_get((uint16_t)suites[i]);
		if (!s) {
			printf("%-5d not implemented\n", suites[i]);
			failed = 1;
			continue;
		}
		for (shape = BENCH_FRESH; shape <= BENCH_FULL; shape++) {
			if (o->shape &&
			    strcmp(o->shape, bench_shape_names[shape]) != 0)
				continue;
			memset(&last, 0, sizeof(last));
			for (j = 0; j < o->n_sizes; j++)
				failed |= bench_group_row(s, o->sizes[j],
						(enum bench_shape)shape, o,
						&last);
		}
	}
	printf("\nsetup s  building the group once, not part of any op\n"
	       "fresh    all parent nodes blank (one Commit added everyone)\n"
	       "full     every parent node set, no unmerged leaves\n"
	       "commit   a member other than the creator commits with a "
	       "path\n"
	       "process  another member parses and processes that Commit\n"
	       "add      Commit + Welcome adding one KeyPackage\n"
	       "join     the new member parses that Welcome and joins\n"
	       "export   one 32-byte MLS-Exporter call (§8.5)\n");
	return failed;
}
