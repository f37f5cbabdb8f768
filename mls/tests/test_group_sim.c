// SPDX-License-Identifier: MIT
/*
 * Seeded simulation of whole MLS groups built with libmls alone: random
 * adds (Welcome joins), removes, updates, external PSKs, empty commits,
 * competing commits and application messages in shuffled order, in all
 * seven suites. After every epoch each member must agree with every
 * other on the epoch authenticator and on exporter outputs, and a removed
 * member must be unable to process later Commits or decrypt later
 * application messages.
 *
 * MLS_SIM_SEED picks the seed (printed, so a failure can be replayed);
 * MLS_SIM_STEPS scales the number of steps per suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/group.h"

#define MAX_CLIENTS	20
#define NOW		1700000000u

static uint64_t rng_state;

static uint64_t next_rand(void)
{
	/* splitmix64: reproducible, not cryptographic (test only) */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t pick(uint32_t n)
{
	return (uint32_t)(next_rand() % n);
}

static int sim_random(void *ctx, uint8_t *out, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++)
		out[i] = (uint8_t)next_rand();
	return 0;
}

static uint64_t fixed_clock(void *ctx)
{
	(void)ctx;
	return NOW;
}

static const uint8_t psk_secret_value[32] = { 7, 7, 7 };

static int lookup_psk(void *ctx, const struct mls_psk_id *id,
		      const uint8_t **secret, size_t *len)
{
	(void)ctx;
	if (id->psk_id.len != 4 || memcmp(id->psk_id.data, "psk1", 4))
		return MLS_ERR_NOT_FOUND;
	*secret = psk_secret_value;
	*len = sizeof(psk_secret_value);
	return 0;
}

struct client {
	bool member;
	struct mls_group g;
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	char name[16];
};

struct sim {
	const struct mls_suite *s;
	struct mls_crypto crypto;
	struct client c[MAX_CLIENTS];
	size_t epochs, apps, adds, removes, updates, psks, races;
};

static size_t member_count(const struct sim *sim)
{
	size_t i, n = 0;

	for (i = 0; i < MAX_CLIENTS; i++)
		n += sim->c[i].member;
	return n;
}

/* The k-th member (k < member_count). */
static struct client *nth_member(struct sim *sim, uint32_t k)
{
	size_t i;

	for (i = 0; i < MAX_CLIENTS; i++)
		if (sim->c[i].member && k-- == 0)
			return &sim->c[i];
	fail();
	return NULL;
}

static struct client *random_member(struct sim *sim)
{
	return nth_member(sim, pick((uint32_t)member_count(sim)));
}

static void signer_of(struct sim *sim, struct client *cl,
		      struct mls_signer *signer)
{
	memset(signer, 0, sizeof(*signer));
	signer->sig_priv = cl->sig_priv;
	signer->sig_priv_len = sim->s->sig_priv_len;
	signer->identity = (const uint8_t *)cl->name;
	signer->identity_len = strlen(cl->name);
}

static void new_identity(struct sim *sim, struct client *cl, size_t i)
{
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];

	snprintf(cl->name, sizeof(cl->name), "client-%zu", i);
	assert_int_equal(mls_sig_generate_keypair(&sim->crypto, sim->s,
						  cl->sig_priv, pub), 0);
}

static void decode(const struct mls_bytes *b, struct mls_message *m)
{
	assert_int_equal(mls_message_from_bytes(b->data, b->len, m), 0);
}

/* Every member sees the same epoch, authenticator and exports. */
static void check_agreement(struct sim *sim)
{
	struct client *first = NULL;
	uint8_t ref_exp[32], exp[32];
	size_t i, len, ref_len = 0;
	const uint8_t *ref_auth = NULL, *auth;

	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *cl = &sim->c[i];

		if (!cl->member)
			continue;
		assert_false(mls_group_has_pending_commit(&cl->g));
		auth = mls_group_epoch_authenticator(&cl->g, &len);
		assert_int_equal(mls_group_export(&cl->g, "sim", NULL, 0, exp,
						  sizeof(exp)), 0);
		if (!first) {
			first = cl;
			ref_auth = auth;
			ref_len = len;
			memcpy(ref_exp, exp, sizeof(exp));
			continue;
		}
		assert_int_equal(mls_group_epoch(&cl->g),
				 mls_group_epoch(&first->g));
		assert_int_equal(len, ref_len);
		assert_memory_equal(auth, ref_auth, len);
		assert_memory_equal(exp, ref_exp, sizeof(exp));
	}
}

/* A removed member: the Commit that removed it, later ones, messages. */
struct outcast {
	bool active;
	struct mls_group g;
};

static void outcast_rejects(struct outcast *o, const struct mls_message *m)
{
	struct mls_bytes data;

	if (!o->active)
		return;
	if (m->wire_format == MLS_WIRE_PRIVATE_MESSAGE &&
	    m->private_message.content_type == MLS_CONTENT_APPLICATION)
		assert_int_not_equal(mls_group_decrypt(&o->g, m, &data, NULL),
				     0);
	else
		assert_int_not_equal(mls_group_process_commit(&o->g, m), 0);
}

static void deliver_commit(struct sim *sim, struct client *committer,
			   const struct mls_bytes *commit,
			   struct outcast *out)
{
	struct mls_message m;
	size_t i;

	decode(commit, &m);
	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *cl = &sim->c[i];

		if (!cl->member)
			continue;
		if (cl == committer) {
			/* a PublicMessage echo confirms it; or explicitly */
			if (m.wire_format == MLS_WIRE_PUBLIC_MESSAGE &&
			    pick(2))
				assert_int_equal(mls_group_process_commit(
							 &cl->g, &m), 0);
			else
				assert_int_equal(
					mls_group_confirm_commit(&cl->g), 0);
			continue;
		}
		assert_int_equal(mls_group_process_commit(&cl->g, &m), 0);
	}
	outcast_rejects(out, &m);
	mls_message_free(&m);
	sim->epochs++;
}

static void deliver_proposal(struct sim *sim, struct client *from,
			     const struct mls_bytes *msg)
{
	struct mls_message m;
	size_t i;

	decode(msg, &m);
	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *cl = &sim->c[i];

		if (cl->member && cl != from)
			assert_int_equal(mls_group_cache_proposal(&cl->g, &m,
								  NULL), 0);
	}
	mls_message_free(&m);
}

static enum mls_group_wire any_wire(void)
{
	return pick(2) ? MLS_GROUP_WIRE_PRIVATE : MLS_GROUP_WIRE_PUBLIC;
}

static void commit_and_deliver(struct sim *sim, struct client *committer,
			       const struct mls_proposal *p, size_t n,
			       struct mls_bytes *welcome, struct outcast *out)
{
	struct mls_commit_options o = {
		.proposals = p, .n_proposals = n, .wire = any_wire(),
		.force_path = pick(4) == 0,
	};
	struct mls_bytes commit;

	assert_int_equal(mls_group_commit(&committer->g, &o, &commit,
					  welcome), 0);
	deliver_commit(sim, committer, &commit, out);
	mls_bytes_free(&commit);
}

static void op_add(struct sim *sim, struct outcast *out)
{
	struct mls_key_package_options ko = { .suite = sim->s,
					      .crypto = &sim->crypto,
					      .clock = fixed_clock };
	struct mls_key_package_secrets sec;
	struct mls_bytes kp, welcome;
	struct mls_proposal p;
	struct mls_message wm;
	struct client *cl = NULL, *committer;
	size_t i;

	for (i = 0; i < MAX_CLIENTS && !cl; i++)
		if (!sim->c[i].member)
			cl = &sim->c[i];
	if (!cl)
		return;
	new_identity(sim, cl, i);
	signer_of(sim, cl, &ko.signer);
	assert_int_equal(mls_key_package_create(&ko, &kp, &sec), 0);
	committer = random_member(sim);
	assert_int_equal(mls_group_make_add(&committer->g, kp.data, kp.len,
					    &p), 0);
	if (pick(2)) {
		/* by reference: another member proposes it first */
		struct client *proposer = random_member(sim);
		struct mls_bytes msg;

		assert_int_equal(mls_group_propose(&proposer->g, &p, any_wire(),
						   &msg, NULL), 0);
		deliver_proposal(sim, proposer, &msg);
		mls_bytes_free(&msg);
		commit_and_deliver(sim, committer, NULL, 0, &welcome, out);
	} else {
		commit_and_deliver(sim, committer, &p, 1, &welcome, out);
	}
	mls_proposal_free(&p);
	assert_non_null(welcome.data);
	decode(&welcome, &wm);
	{
		struct mls_group_join_options jo = {
			.suite = sim->s, .key_package = kp.data,
			.key_package_len = kp.len,
			.init_priv = sec.init_priv, .init_priv_len = sec.priv_len,
			.encryption_priv = sec.encryption_priv,
			.encryption_priv_len = sec.priv_len,
			.psk_lookup = lookup_psk, .clock = fixed_clock,
			.sig_priv = cl->sig_priv,
			.sig_priv_len = sim->s->sig_priv_len,
			.crypto = &sim->crypto,
		};

		assert_int_equal(mls_group_join(&cl->g, &jo, &wm.welcome), 0);
	}
	cl->member = true;
	mls_message_free(&wm);
	mls_bytes_free(&welcome);
	mls_bytes_free(&kp);
	mls_key_package_secrets_wipe(&sec);
	sim->adds++;
}

static void op_remove(struct sim *sim, struct outcast *out)
{
	struct client *committer = random_member(sim), *victim;
	struct mls_proposal p;

	if (member_count(sim) < 3)
		return;
	do
		victim = random_member(sim);
	while (victim == committer);
	assert_int_equal(mls_group_make_remove(&committer->g,
					       mls_group_own_leaf(&victim->g),
					       &p), 0);
	/* the victim leaves the simulation but keeps its state to probe */
	victim->member = false;
	if (out->active)
		mls_group_free(&out->g);
	out->g = victim->g;
	out->active = true;
	memset(&victim->g, 0, sizeof(victim->g));
	commit_and_deliver(sim, committer, &p, 1, NULL, out);
	mls_proposal_free(&p);
	sim->removes++;
}

static void op_update(struct sim *sim, struct outcast *out)
{
	struct client *proposer = random_member(sim), *committer;
	struct mls_proposal p;
	struct mls_bytes msg;

	if (member_count(sim) < 2)
		return;
	do
		committer = random_member(sim);
	while (committer == proposer);
	assert_int_equal(mls_group_make_update(&proposer->g, &p), 0);
	assert_int_equal(mls_group_propose(&proposer->g, &p, any_wire(), &msg,
					   NULL), 0);
	deliver_proposal(sim, proposer, &msg);
	commit_and_deliver(sim, committer, NULL, 0, NULL, out);
	mls_bytes_free(&msg);
	mls_proposal_free(&p);
	sim->updates++;
}

static void op_psk(struct sim *sim, struct outcast *out)
{
	struct client *committer = random_member(sim);
	struct mls_proposal p;

	assert_int_equal(mls_group_make_external_psk(&committer->g,
						     (const uint8_t *)"psk1",
						     4, &p), 0);
	commit_and_deliver(sim, committer, &p, 1, NULL, out);
	mls_proposal_free(&p);
	sim->psks++;
}

/* Two members commit at once; the delivery service orders one first. */
static void op_race(struct sim *sim, struct outcast *out)
{
	struct client *a = random_member(sim), *b;
	struct mls_bytes ca, cb;
	struct mls_message m;

	if (member_count(sim) < 2)
		return;
	do
		b = random_member(sim);
	while (b == a);
	assert_int_equal(mls_group_commit(&a->g, NULL, &ca, NULL), 0);
	assert_int_equal(mls_group_commit(&b->g, NULL, &cb, NULL), 0);
	/* b's Commit loses: b learns a's, which discards its own */
	deliver_commit(sim, a, &ca, out);
	assert_false(mls_group_has_pending_commit(&b->g));
	/* the losing Commit is of an epoch that is over */
	decode(&cb, &m);
	assert_int_not_equal(mls_group_process_commit(&a->g, &m), 0);
	mls_message_free(&m);
	mls_bytes_free(&ca);
	mls_bytes_free(&cb);
	sim->races++;
}

static void op_messages(struct sim *sim, struct outcast *out)
{
	struct client *from = random_member(sim);
	struct mls_bytes msgs[4], data;
	struct mls_message m;
	uint32_t order[4] = { 0, 1, 2, 3 }, sender;
	size_t i, j, k;
	char text[32];

	for (k = 0; k < 4; k++) {
		snprintf(text, sizeof(text), "msg %zu", k);
		assert_int_equal(mls_group_encrypt(&from->g,
						   (const uint8_t *)text,
						   strlen(text), NULL, 0,
						   &msgs[k]), 0);
	}
	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *cl = &sim->c[i];

		if (!cl->member || cl == from)
			continue;
		for (k = 3; k > 0; k--) {	/* out of order per receiver */
			uint32_t t, r = pick((uint32_t)k + 1);

			t = order[k];
			order[k] = order[r];
			order[r] = t;
		}
		for (j = 0; j < 4; j++) {
			k = order[j];
			decode(&msgs[k], &m);
			assert_int_equal(mls_group_decrypt(&cl->g, &m, &data,
							   &sender), 0);
			snprintf(text, sizeof(text), "msg %zu", k);
			assert_int_equal(data.len, strlen(text));
			assert_memory_equal(data.data, text, data.len);
			assert_int_equal(sender, mls_group_own_leaf(&from->g));
			mls_bytes_free_secret(&data);
			/* and never twice */
			assert_int_equal(mls_group_decrypt(&cl->g, &m, &data,
							   NULL),
					 MLS_ERR_GENERATION);
			mls_message_free(&m);
		}
	}
	decode(&msgs[0], &m);
	outcast_rejects(out, &m);
	mls_message_free(&m);
	for (k = 0; k < 4; k++)
		mls_bytes_free(&msgs[k]);
	sim->apps++;
}

static void create_group(struct sim *sim)
{
	struct mls_group_create_options o = {
		.suite = sim->s, .crypto = &sim->crypto,
		.group_id = (const uint8_t *)"sim-group", .group_id_len = 9,
		.psk_lookup = lookup_psk, .clock = fixed_clock,
	};

	new_identity(sim, &sim->c[0], 0);
	signer_of(sim, &sim->c[0], &o.signer);
	assert_int_equal(mls_group_create(&sim->c[0].g, &o), 0);
	sim->c[0].member = true;
}

static size_t steps_for(const struct mls_suite *s)
{
	const char *env = getenv("MLS_SIM_STEPS");
	size_t base = env ? strtoul(env, NULL, 10) : 100;

	/* the P-curve suites are an order of magnitude slower */
	switch (s->id) {
	case MLS_SUITE_P256_AES128GCM_SHA256_P256:
		return base / 3 + 10;
	case MLS_SUITE_P384_AES256GCM_SHA384_P384:
	case MLS_SUITE_P521_AES256GCM_SHA512_P521:
		return base / 8 + 10;
	case MLS_SUITE_X448_AES256GCM_SHA512_ED448:
	case MLS_SUITE_X448_CHACHA20POLY1305_SHA512_ED448:
		return base / 2 + 10;
	}
	return base + 10;
}

/* Group size the simulation grows to: smaller where crypto is slow. */
static size_t cap_for(const struct mls_suite *s)
{
	switch (s->id) {
	case MLS_SUITE_P384_AES256GCM_SHA384_P384:
	case MLS_SUITE_P521_AES256GCM_SHA512_P521:
		return 8;
	}
	return MAX_CLIENTS;
}

static void run_suite(uint16_t id)
{
	struct sim *sim = calloc(1, sizeof(*sim));
	struct outcast out = { false, { 0 } };
	size_t step, steps, cap, i;

	assert_non_null(sim);
	sim->s = mls_suite_get(id);
	assert_non_null(sim->s);
	mls_crypto_set_random(&sim->crypto, sim_random, NULL);
	create_group(sim);
	steps = steps_for(sim->s);
	cap = cap_for(sim->s);
	for (step = 0; step < steps; step++) {
		uint32_t op = pick(100);
		size_t n = member_count(sim);

		/* grow first, then churn around a middle size */
		if (n < 2 || (op < 30 && n < cap) ||
		    (step < steps / 3 && n < cap / 2))
			op_add(sim, &out);
		else if (op < 45 || n >= cap + 2)
			op_remove(sim, &out);
		else if (op < 60)
			op_update(sim, &out);
		else if (op < 68)
			op_psk(sim, &out);
		else if (op < 75)
			op_race(sim, &out);
		else
			op_messages(sim, &out);
		check_agreement(sim);
	}
	print_message("suite %u: %zu steps, %zu epochs, %zu adds, %zu removes, "
		      "%zu updates, %zu psks, %zu races, %zu message rounds, "
		      "%zu members\n", id, steps, sim->epochs, sim->adds,
		      sim->removes, sim->updates, sim->psks, sim->races,
		      sim->apps, member_count(sim));
	assert_true(sim->removes > 0 && sim->adds > 0);
	for (i = 0; i < MAX_CLIENTS; i++)
		mls_group_free(&sim->c[i].g);
	mls_group_free(&out.g);
	free(sim);
}

#define SUITE_TEST(n)						\
	static void test_suite_##n(void **state)		\
	{							\
		(void)state;					\
		run_suite(n);					\
	}
SUITE_TEST(1)
SUITE_TEST(2)
SUITE_TEST(3)
SUITE_TEST(4)
SUITE_TEST(5)
SUITE_TEST(6)
SUITE_TEST(7)

static int seed_rng(void **state)
{
	const char *env = getenv("MLS_SIM_SEED");
	static uint64_t seed;

	(void)state;
	if (!seed)
		seed = env ? strtoull(env, NULL, 0) : 0x6d6c73u;
	rng_state = seed;
	print_message("MLS_SIM_SEED=%llu\n", (unsigned long long)seed);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_suite_1, seed_rng),
		cmocka_unit_test_setup(test_suite_2, seed_rng),
		cmocka_unit_test_setup(test_suite_3, seed_rng),
		cmocka_unit_test_setup(test_suite_4, seed_rng),
		cmocka_unit_test_setup(test_suite_5, seed_rng),
		cmocka_unit_test_setup(test_suite_6, seed_rng),
		cmocka_unit_test_setup(test_suite_7, seed_rng),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
