// SPDX-License-Identifier: MIT
/*
 * Groups resuming groups (RFC 9420 §8.6, §11.2, §11.3, §12.1.4-5, §12.2):
 * a reinitialized group and its successor in another suite, a branched
 * subgroup, application resumption PSKs, and every rule a resumption
 * breaks with its own error. Rejected input leaves each group byte for
 * byte as it was (saved blobs compared). Also the saved-state format:
 * the secret tree travels in the blob, old-version blobs are refused.
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
#include "support/group_assert.h"

#define SUITE1	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519
#define SUITE2	MLS_SUITE_P256_AES128GCM_SHA256_P256
#define SUITE3	MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519

static struct fixture_rng rng = { 7 };

static void party_init(struct fixture_party *p, const char *name,
		       uint16_t suite)
{
	assert_int_equal(fixture_party_init(p, suite, name, &rng), 0);
}

static void party_key_package(struct fixture_party *p)
{
	assert_int_equal(fixture_party_key_package(p), 0);
}

/* Join from a Welcome that may resume resumption_group (or none). */
static int party_join(struct fixture_party *p, const struct mls_bytes *welcome,
		      const struct mls_group *resumption_group)
{
	int err;

	p->resumption_group = resumption_group;
	err = fixture_party_join(p, welcome);
	p->resumption_group = NULL;
	return err;
}

static void assert_agree(const struct mls_group *a, const struct mls_group *b)
{
	assert_int_equal(fixture_groups_agree(a, b, 16), 0);
}

/* Commit on `by`'s side, confirmed, and processed by the others. */
static void commit_all(struct fixture_party *by,
		       struct fixture_party **others, size_t n,
		       const struct mls_proposal *p, size_t np)
{
	struct mls_commit_options o = { .proposals = p, .n_proposals = np };
	struct mls_bytes commit;
	size_t i;

	assert_int_equal(mls_group_commit(&by->g, &o, &commit, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&by->g), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(fixture_process(&others[i]->g, &commit), 0);
	mls_bytes_free(&commit);
}

/* `first` creates "group" and adds the n others; all agree. */
static void make_group(struct fixture_party *first,
		       struct fixture_party *others, size_t n)
{
	struct mls_commit_options o = { .n_proposals = n };
	struct mls_proposal *adds = calloc(n, sizeof(*adds));
	struct mls_bytes commit, welcome;
	size_t i;

	assert_non_null(adds);
	assert_int_equal(fixture_party_create(first, "group", NULL), 0);
	for (i = 0; i < n; i++) {
		party_key_package(&others[i]);
		assert_int_equal(mls_group_make_add(&first->g,
						    others[i].kp.data,
						    others[i].kp.len,
						    &adds[i]), 0);
	}
	o.proposals = adds;
	assert_int_equal(mls_group_commit(&first->g, &o, &commit, &welcome), 0);
	assert_int_equal(mls_group_confirm_commit(&first->g), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(party_join(&others[i], &welcome, NULL), 0);
		assert_agree(&first->g, &others[i].g);
		mls_proposal_free(&adds[i]);
	}
	free(adds);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
}

/* alice, bob, carol in suite 1; alice commits a ReInit to `suite`. */
static void three_reinitialized(struct fixture_party old[3], uint16_t suite,
				const char *new_id)
{
	struct fixture_party *others[2] = { &old[1], &old[2] };
	struct mls_proposal reinit;

	party_init(&old[0], "alice", SUITE1);
	party_init(&old[1], "bob", SUITE1);
	party_init(&old[2], "carol", SUITE1);
	make_group(&old[0], &old[1], 2);
	assert_int_equal(mls_group_make_reinit(&old[0].g,
					       (const uint8_t *)new_id,
					       strlen(new_id),
					       MLS_PROTOCOL_MLS10, suite, NULL,
					       &reinit), 0);
	commit_all(&old[0], others, 2, &reinit, 1);
	mls_proposal_free(&reinit);
}

static void free_all(struct fixture_party *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fixture_party_free(&p[i]);
}

/* ---- reinitialization (§11.2) ---- */

static void assert_closed(struct fixture_party *p)
{
	struct mls_bytes out;
	struct mls_proposal rm;

	assert_int_equal(mls_group_encrypt(&p->g, (const uint8_t *)"x", 1,
					   NULL, 0, &out),
			 MLS_ERR_INVALID_STATE);
	assert_int_equal(mls_group_commit(&p->g, NULL, &out, NULL),
			 MLS_ERR_INVALID_STATE);
	assert_int_equal(mls_group_make_remove(&p->g, 1, &rm), 0);
	assert_int_equal(mls_group_propose(&p->g, &rm, MLS_GROUP_WIRE_PUBLIC,
					   &out, NULL), MLS_ERR_INVALID_STATE);
	mls_proposal_free(&rm);
}

static void reinit_to(uint16_t suite)
{
	struct fixture_party old[3], neu[3];
	struct mls_group_resume_options ro;
	struct mls_bytes welcome, kps[2], msg, data;
	const struct mls_reinit *r;
	struct mls_message m;
	size_t i;

	three_reinitialized(old, suite, "group-v2");
	for (i = 0; i < 3; i++) {
		r = mls_group_reinit_pending(&old[i].g);
		assert_non_null(r);
		assert_int_equal(r->cipher_suite, suite);
		assert_int_equal(r->group_id.len, 8);
		assert_memory_equal(r->group_id.data, "group-v2", 8);
		assert_closed(&old[i]);
		party_init(&neu[i], old[i].name, suite);
	}
	/* §11.2: any member may recreate the group; bob does */
	party_key_package(&neu[0]);
	party_key_package(&neu[2]);
	kps[0] = neu[0].kp;
	kps[1] = neu[2].kp;
	memset(&ro, 0, sizeof(ro));
	fixture_party_create_options(&neu[1], NULL, NULL, &ro.create);
	ro.create.suite = NULL;
	ro.key_packages = kps;
	ro.n_key_packages = 2;
	assert_int_equal(mls_group_reinit_create(&neu[1].g, &old[1].g, &ro,
						 &welcome), 0);
	assert_int_equal(party_join(&neu[0], &welcome, &old[0].g), 0);
	assert_int_equal(party_join(&neu[2], &welcome, &old[2].g), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(mls_group_epoch(&neu[i].g), 1);
		assert_int_equal(neu[i].g.context.cipher_suite, suite);
		assert_null(mls_group_reinit_pending(&neu[i].g));
	}
	assert_agree(&neu[0].g, &neu[1].g);
	assert_agree(&neu[2].g, &neu[1].g);
	/* and the new group works */
	assert_int_equal(mls_group_encrypt(&neu[0].g, (const uint8_t *)"hi", 2,
					   NULL, 0, &msg), 0);
	assert_int_equal(mls_message_from_bytes(msg.data, msg.len, &m), 0);
	assert_int_equal(mls_group_decrypt(&neu[2].g, &m, &data, NULL), 0);
	assert_memory_equal(data.data, "hi", 2);
	mls_bytes_free(&data);
	mls_message_free(&m);
	mls_bytes_free(&msg);
	mls_bytes_free(&welcome);
	free_all(old, 3);
	free_all(neu, 3);
}

static void test_reinit_suite_1_to_3(void **state)
{
	(void)state;
	reinit_to(SUITE3);
}

static void test_reinit_suite_1_to_2(void **state)
{
	(void)state;
	reinit_to(SUITE2);
}

/* The ReInit state survives save/load; the group stays closed. */
static void test_reinit_state_saved(void **state)
{
	struct fixture_party old[3];
	struct mls_group loaded;
	struct mls_group_load_options lo = { .clock = fixture_clock };
	struct mls_bytes blob;
	const struct mls_reinit *r;

	(void)state;
	three_reinitialized(old, SUITE3, "g2");
	assert_saved(&old[2].g, &blob);
	lo.crypto = &old[2].crypto;
	assert_int_equal(mls_group_load(&loaded, blob.data, blob.len, &lo), 0);
	assert_same_state(&loaded, &blob);
	r = mls_group_reinit_pending(&loaded);
	assert_non_null(r);
	assert_int_equal(r->cipher_suite, SUITE3);
	mls_group_free(&old[2].g);
	old[2].g = loaded;
	assert_closed(&old[2]);
	mls_bytes_free(&blob);
	free_all(old, 3);
}

/* `from` proposes p; `to` caches it. */
static void send_proposal(struct fixture_party *from, struct fixture_party *to,
			  const struct mls_proposal *p)
{
	struct mls_bytes msg;
	struct mls_message m;

	assert_int_equal(mls_group_propose(&from->g, p, MLS_GROUP_WIRE_PUBLIC,
					   &msg, NULL), 0);
	assert_int_equal(mls_message_from_bytes(msg.data, msg.len, &m), 0);
	assert_int_equal(mls_group_cache_proposal(&to->g, &m, NULL), 0);
	mls_message_free(&m);
	mls_bytes_free(&msg);
}

static void test_reinit_proposal_rules(void **state)
{
	struct fixture_party p[2];
	struct mls_proposal reinit, add;
	struct mls_commit_options o = { .n_proposals = 2 };
	struct mls_proposal both[2];
	struct mls_bytes before, commit, welcome;
	struct fixture_party dave;

	(void)state;
	party_init(&p[0], "alice", SUITE1);
	party_init(&p[1], "bob", SUITE1);
	make_group(&p[0], &p[1], 1);
	/* §12.1.5: no going back in version; a suite we know */
	assert_int_equal(mls_group_make_reinit(&p[0].g, (const uint8_t *)"x",
					       1, 0, SUITE3, NULL, &reinit),
			 MLS_ERR_REINIT_VERSION);
	assert_int_equal(mls_group_make_reinit(&p[0].g, (const uint8_t *)"x",
					       1, MLS_PROTOCOL_MLS10, 0x7777,
					       NULL, &reinit),
			 MLS_ERR_UNSUPPORTED_SUITE);
	/* §12.2: a ReInit alone */
	assert_int_equal(mls_group_make_reinit(&p[0].g, (const uint8_t *)"x",
					       1, MLS_PROTOCOL_MLS10, SUITE3,
					       NULL, &reinit), 0);
	party_init(&dave, "dave", SUITE1);
	party_key_package(&dave);
	assert_int_equal(mls_group_make_add(&p[0].g, dave.kp.data, dave.kp.len,
					    &add), 0);
	both[0] = reinit;
	both[1] = add;
	o.proposals = both;
	assert_saved(&p[0].g, &before);
	assert_int_equal(mls_group_commit(&p[0].g, &o, &commit, NULL),
			 MLS_ERR_REINIT_NOT_ALONE);
	assert_same_state(&p[0].g, &before);
	mls_bytes_free(&before);
	/*
	 * §12.2: other proposals are preferred to a cached ReInit, which
	 * can be sent again later. Bob proposes a ReInit, then an Add;
	 * alice's Commit takes the Add, not the ReInit cached before it.
	 */
	send_proposal(&p[1], &p[0], &reinit);
	send_proposal(&p[1], &p[0], &add);
	assert_int_equal(mls_group_commit(&p[0].g, NULL, &commit, &welcome),
			 0);
	assert_int_equal(fixture_process(&p[1].g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&p[0].g), 0);
	assert_null(mls_group_reinit_pending(&p[0].g));
	assert_null(mls_group_reinit_pending(&p[1].g));
	assert_non_null(mls_tree_leaf(&p[0].g.tree, 2));	/* dave added */
	assert_agree(&p[0].g, &p[1].g);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_proposal_free(&reinit);
	mls_proposal_free(&add);
	fixture_party_free(&dave);
	free_all(p, 2);
}

/* ---- branching (§11.3) ---- */

static void test_branch_subset(void **state)
{
	struct fixture_party old[3], sub[2];
	struct mls_group_resume_options ro;
	struct mls_bytes welcome, msg, data;
	struct mls_message m;

	(void)state;
	party_init(&old[0], "alice", SUITE1);
	party_init(&old[1], "bob", SUITE1);
	party_init(&old[2], "carol", SUITE1);
	make_group(&old[0], &old[1], 2);
	party_init(&sub[0], "alice", SUITE1);
	party_init(&sub[1], "carol", SUITE1);
	party_key_package(&sub[1]);
	memset(&ro, 0, sizeof(ro));
	fixture_party_create_options(&sub[0], "alice+carol", NULL, &ro.create);
	ro.key_packages = &sub[1].kp;
	ro.n_key_packages = 1;
	assert_int_equal(mls_group_branch(&sub[0].g, &old[0].g, &ro, &welcome),
			 0);
	assert_int_equal(party_join(&sub[1], &welcome, &old[2].g), 0);
	assert_int_equal(mls_group_epoch(&sub[1].g), 1);
	assert_int_equal(sub[1].g.tree.n_leaves, 2);
	assert_agree(&sub[0].g, &sub[1].g);
	/* the old group goes on */
	assert_null(mls_group_reinit_pending(&old[0].g));
	assert_int_equal(mls_group_encrypt(&old[0].g, (const uint8_t *)"o", 1,
					   NULL, 0, &msg), 0);
	assert_int_equal(mls_message_from_bytes(msg.data, msg.len, &m), 0);
	assert_int_equal(mls_group_decrypt(&old[1].g, &m, &data, NULL), 0);
	mls_bytes_free(&data);
	mls_message_free(&m);
	mls_bytes_free(&msg);
	mls_bytes_free(&welcome);
	free_all(old, 3);
	free_all(sub, 2);
}

/* ---- application resumption PSKs (§8.6) ---- */

static void test_application_resumption_psk(void **state)
{
	struct fixture_party p[2];
	struct fixture_party *bob[1] = { &p[1] };
	struct mls_proposal psk;
	struct mls_commit_options o = { .proposals = &psk, .n_proposals = 1 };
	struct mls_bytes before, commit;
	int i;

	(void)state;
	party_init(&p[0], "alice", SUITE1);
	party_init(&p[1], "bob", SUITE1);
	make_group(&p[0], &p[1], 1);		/* epoch 1 */
	commit_all(&p[0], bob, 1, NULL, 0);	/* epoch 2 */
	assert_int_equal(mls_group_make_resumption_psk(&p[0].g, 1, &psk), 0);
	assert_int_equal(psk.psk.psk.usage, MLS_PSK_USAGE_APPLICATION);
	commit_all(&p[0], bob, 1, &psk, 1);	/* epoch 3, with it */
	mls_proposal_free(&psk);
	assert_agree(&p[0].g, &p[1].g);
	/* bob joined in epoch 1: epoch 0's PSK is alice's alone */
	assert_int_equal(mls_group_make_resumption_psk(&p[0].g, 0, &psk), 0);
	assert_int_equal(mls_group_commit(&p[0].g, &o, &commit, NULL), 0);
	assert_saved(&p[1].g, &before);
	assert_int_equal(fixture_process(&p[1].g, &commit), MLS_ERR_NOT_FOUND);
	assert_same_state(&p[1].g, &before);
	mls_group_discard_commit(&p[0].g);
	mls_proposal_free(&psk);
	mls_bytes_free(&commit);
	mls_bytes_free(&before);
	/* the ring keeps MLS_GROUP_RESUMPTION_HISTORY epochs, no more */
	for (i = 0; i < MLS_GROUP_RESUMPTION_HISTORY; i++)
		commit_all(&p[0], bob, 1, NULL, 0);
	assert_int_equal(mls_group_make_resumption_psk(
				 &p[0].g, mls_group_epoch(&p[0].g) -
				 MLS_GROUP_RESUMPTION_HISTORY, &psk),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_group_make_resumption_psk(
				 &p[0].g, mls_group_epoch(&p[0].g) + 1, &psk),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_group_make_resumption_psk(
				 &p[0].g, mls_group_epoch(&p[0].g) -
				 MLS_GROUP_RESUMPTION_HISTORY + 1, &psk), 0);
	commit_all(&p[0], bob, 1, &psk, 1);
	assert_agree(&p[0].g, &p[1].g);
	mls_proposal_free(&psk);
	free_all(p, 2);
}

/* ---- §12.1.4: reinit/branch PSKs only in their own join ---- */

static void resumption_psk_id(const struct mls_group *g, uint8_t usage,
			      const struct mls_bytes *group_id, uint64_t epoch,
			      struct mls_proposal *out)
{
	uint8_t nonce[MLS_MAX_HASH_LEN];

	memset(out, 0, sizeof(*out));
	out->type = MLS_PROPOSAL_PSK;
	out->psk.psk.psktype = MLS_PSK_RESUMPTION;
	out->psk.psk.usage = usage;
	out->psk.psk.psk_epoch = epoch;
	fixture_random(&rng, nonce, g->suite->hash_len);
	assert_int_equal(mls_bytes_set(&out->psk.psk.psk_nonce, nonce,
				       g->suite->hash_len), 0);
	assert_int_equal(mls_bytes_dup(&out->psk.psk.psk_group_id, group_id),
			 0);
}

static void psk_usage_in_normal_commit(uint8_t usage)
{
	struct fixture_party p[2];
	struct mls_proposal psk;
	struct mls_commit_options o = { .proposals = &psk, .n_proposals = 1 };
	struct mls_bytes before, commit;

	party_init(&p[0], "alice", SUITE1);
	party_init(&p[1], "bob", SUITE1);
	make_group(&p[0], &p[1], 1);
	resumption_psk_id(&p[0].g, usage, &p[0].g.context.group_id, 1, &psk);
	assert_saved(&p[0].g, &before);
	assert_int_equal(mls_group_commit(&p[0].g, &o, &commit, NULL),
			 MLS_ERR_PSK_USAGE);
	assert_same_state(&p[0].g, &before);
	mls_bytes_free(&before);
	/* a committer that breaks the rule: bob refuses its Commit */
	p[0].g.resumption_parent = &p[0].g;
	p[0].g.resumption_usage = usage;
	assert_int_equal(mls_group_commit(&p[0].g, &o, &commit, NULL), 0);
	p[0].g.resumption_parent = NULL;
	assert_saved(&p[1].g, &before);
	assert_int_equal(fixture_process(&p[1].g, &commit), MLS_ERR_PSK_USAGE);
	assert_same_state(&p[1].g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&commit);
	mls_proposal_free(&psk);
	free_all(p, 2);
}

static void test_reinit_psk_in_normal_commit(void **state)
{
	(void)state;
	psk_usage_in_normal_commit(MLS_PSK_USAGE_REINIT);
}

static void test_branch_psk_in_normal_commit(void **state)
{
	(void)state;
	psk_usage_in_normal_commit(MLS_PSK_USAGE_BRANCH);
}

/* ---- the creator's checks ---- */

static void test_create_membership_rules(void **state)
{
	struct fixture_party old[3], neu[3], dave;
	struct mls_group_resume_options ro;
	struct mls_bytes welcome, kps[2];
	struct mls_group g;
	size_t i;

	(void)state;
	three_reinitialized(old, SUITE3, "g2");
	for (i = 0; i < 3; i++) {
		party_init(&neu[i], old[i].name, SUITE3);
		party_key_package(&neu[i]);
	}
	party_init(&dave, "dave", SUITE3);
	party_key_package(&dave);
	memset(&ro, 0, sizeof(ro));
	fixture_party_create_options(&neu[0], NULL, NULL, &ro.create);
	ro.create.suite = NULL;
	ro.key_packages = kps;
	/* §11.2: an outsider */
	kps[0] = neu[1].kp;
	kps[1] = dave.kp;
	ro.n_key_packages = 2;
	assert_int_equal(mls_group_reinit_create(&g, &old[0].g, &ro, &welcome),
			 MLS_ERR_RESUMPTION_MEMBERS);
	assert_null(g.suite);
	/* §11.2: carol left behind */
	ro.n_key_packages = 1;
	assert_int_equal(mls_group_reinit_create(&g, &old[0].g, &ro, &welcome),
			 MLS_ERR_RESUMPTION_MEMBERS);
	/* bob twice */
	kps[1] = neu[1].kp;
	ro.n_key_packages = 2;
	assert_int_equal(mls_group_reinit_create(&g, &old[0].g, &ro, &welcome),
			 MLS_ERR_RESUMPTION_MEMBERS);
	/* the ReInit's suite or none */
	kps[1] = neu[2].kp;
	ro.create.suite = mls_suite_get(SUITE1);
	assert_int_equal(mls_group_reinit_create(&g, &old[0].g, &ro, &welcome),
			 MLS_ERR_RESUMPTION_PARAMS);
	ro.create.suite = NULL;
	/* a group with no ReInit committed */
	fixture_party_free(&dave);
	party_init(&dave, "dave", SUITE1);
	assert_int_equal(fixture_party_create(&dave, "solo", NULL), 0);
	assert_int_equal(mls_group_reinit_create(&g, &dave.g, &ro, &welcome),
			 MLS_ERR_NOT_REINITIALIZED);
	/* §11.3: branch in another suite; branch with an outsider */
	fixture_party_create_options(&neu[0], "sub", NULL, &ro.create);
	assert_int_equal(mls_group_branch(&g, &old[0].g, &ro, &welcome),
			 MLS_ERR_RESUMPTION_PARAMS);
	fixture_party_free(&dave);
	party_init(&dave, "dave", SUITE1);
	party_key_package(&dave);
	fixture_party_free(&neu[1]);
	party_init(&neu[1], "alice", SUITE1);
	fixture_party_create_options(&neu[1], "sub", NULL, &ro.create);
	kps[0] = dave.kp;
	ro.n_key_packages = 1;
	assert_int_equal(mls_group_branch(&g, &old[0].g, &ro, &welcome),
			 MLS_ERR_RESUMPTION_MEMBERS);
	fixture_party_free(&dave);
	free_all(old, 3);
	free_all(neu, 3);
}

/* ---- the joiner's checks, against a creator that breaks the rules ---- */

struct evil {
	uint16_t suite;
	const char *group_id;
	uint8_t usage;
	int64_t epoch_delta;		/* psk_epoch = old epoch + delta */
	bool extra_epoch;		/* start at epoch 2 */
	bool no_psk;
};

/* creator (in e->suite) adds joiners to a new group, rules or not. */
static void evil_resume(struct fixture_party *creator,
			const struct mls_group *old,
			const struct evil *e, struct fixture_party **joiners,
			size_t n, struct mls_bytes *welcome)
{
	struct mls_commit_options o = { .skip_cached = true };
	struct mls_proposal *props = calloc(n + 1, sizeof(*props));
	struct mls_bytes commit;
	size_t i;

	assert_non_null(props);
	assert_int_equal(fixture_party_create(creator, e->group_id, NULL), 0);
	if (e->extra_epoch) {
		assert_int_equal(mls_group_commit(&creator->g, NULL, &commit,
						  NULL), 0);
		assert_int_equal(mls_group_confirm_commit(&creator->g), 0);
		mls_bytes_free(&commit);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(mls_group_make_add(&creator->g,
						    joiners[i]->kp.data,
						    joiners[i]->kp.len,
						    &props[i]), 0);
	if (!e->no_psk)
		resumption_psk_id(&creator->g, e->usage, &old->context.group_id,
				  (uint64_t)((int64_t)old->context.epoch +
					     e->epoch_delta), &props[n]);
	o.proposals = props;
	o.n_proposals = e->no_psk ? n : n + 1;
	creator->g.resumption_parent = old;
	creator->g.resumption_usage = e->usage;
	assert_int_equal(mls_group_commit(&creator->g, &o, &commit, welcome),
			 0);
	creator->g.resumption_parent = NULL;
	assert_int_equal(mls_group_confirm_commit(&creator->g), 0);
	for (i = 0; i < n + 1; i++)
		mls_proposal_free(&props[i]);
	free(props);
	mls_bytes_free(&commit);
}

/*
 * Alice, Bob and Carol reinitialized to suite 3 as "g2"; Bob creates the
 * successor as e says, with whom `who` lists (a: alice, c: carol, d: an
 * outsider); Alice joins it from her copy of the old group. Without
 * reinit the old group is not reinitialized. Her copy stays unchanged.
 */
static int evil_join(const struct evil *e, const char *who, bool reinit)
{
	struct fixture_party old[3], creator, alice, carol, dave;
	struct fixture_party *joiners[3];
	struct mls_bytes welcome, before;
	size_t n = 0;
	int err;

	if (reinit) {
		three_reinitialized(old, SUITE3, "g2");
	} else {
		party_init(&old[0], "alice", SUITE1);
		party_init(&old[1], "bob", SUITE1);
		party_init(&old[2], "carol", SUITE1);
		make_group(&old[0], &old[1], 2);
	}
	party_init(&creator, "bob", e->suite);
	party_init(&alice, "alice", e->suite);
	party_init(&carol, "carol", e->suite);
	party_init(&dave, "dave", e->suite);
	party_key_package(&alice);
	party_key_package(&carol);
	party_key_package(&dave);
	joiners[n++] = &alice;
	if (strchr(who, 'c'))
		joiners[n++] = &carol;
	if (strchr(who, 'd'))
		joiners[n++] = &dave;
	evil_resume(&creator, &old[1].g, e, joiners, n, &welcome);
	assert_saved(&old[0].g, &before);
	err = party_join(&alice, &welcome, &old[0].g);
	assert_null(err ? alice.g.suite : NULL);
	assert_same_state(&old[0].g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&welcome);
	free_all(old, 3);
	fixture_party_free(&creator);
	fixture_party_free(&alice);
	fixture_party_free(&carol);
	fixture_party_free(&dave);
	return err;
}

static void test_join_rules_reinit(void **state)
{
	struct evil e = { SUITE3, "g2", MLS_PSK_USAGE_REINIT, 0, false, false };

	(void)state;
	/* the honest one passes */
	assert_int_equal(evil_join(&e, "ac", true), 0);
	/* §11.2: the same members, all of them, nobody else */
	assert_int_equal(evil_join(&e, "acd", true),
			 MLS_ERR_RESUMPTION_MEMBERS);
	assert_int_equal(evil_join(&e, "a", true),
			 MLS_ERR_RESUMPTION_MEMBERS);
	/* §11.2: the PSK of the epoch the ReInit made */
	e.epoch_delta = -1;
	assert_int_equal(evil_join(&e, "ac", true),
			 MLS_ERR_RESUMPTION_PSK);
	e.epoch_delta = 0;
	/* §11.2: the ReInit's group_id and suite */
	e.group_id = "g3";
	assert_int_equal(evil_join(&e, "ac", true),
			 MLS_ERR_RESUMPTION_PARAMS);
	e.group_id = "g2";
	e.suite = SUITE2;
	assert_int_equal(evil_join(&e, "ac", true),
			 MLS_ERR_RESUMPTION_PARAMS);
	e.suite = SUITE3;
	/* §12.4.3.1: epoch 1 */
	e.extra_epoch = true;
	assert_int_equal(evil_join(&e, "ac", true),
			 MLS_ERR_RESUMPTION_EPOCH);
	e.extra_epoch = false;
	/* a Welcome with no resumption PSK where one was expected */
	e.no_psk = true;
	assert_int_equal(evil_join(&e, "ac", true),
			 MLS_ERR_RESUMPTION_PSK);
	e.no_psk = false;
	/* a reinit PSK from a group that never reinitialized */
	e.suite = SUITE1;
	assert_int_equal(evil_join(&e, "ac", false),
			 MLS_ERR_NOT_REINITIALIZED);
}

static void test_join_rules_branch(void **state)
{
	struct evil e = { SUITE1, "sub", MLS_PSK_USAGE_BRANCH, 0, false,
			  false };

	(void)state;
	assert_int_equal(evil_join(&e, "a", false), 0);
	/* §11.3: a subset of the old members */
	assert_int_equal(evil_join(&e, "ad", false),
			 MLS_ERR_RESUMPTION_MEMBERS);
	/* §11.3: same suite */
	e.suite = SUITE3;
	assert_int_equal(evil_join(&e, "a", false),
			 MLS_ERR_RESUMPTION_PARAMS);
	e.suite = SUITE1;
	e.extra_epoch = true;
	assert_int_equal(evil_join(&e, "a", false),
			 MLS_ERR_RESUMPTION_EPOCH);
}

/* A Welcome naming a group other than the one the joiner resumes. */
static void test_join_wrong_group(void **state)
{
	struct fixture_party old[3], other, creator, alice;
	struct fixture_party *joiners[1] = { &alice };
	struct evil e = { SUITE1, "sub", MLS_PSK_USAGE_BRANCH, 0, false,
			  false };
	struct mls_bytes welcome;

	(void)state;
	party_init(&old[0], "alice", SUITE1);
	party_init(&old[1], "bob", SUITE1);
	party_init(&old[2], "carol", SUITE1);
	make_group(&old[0], &old[1], 2);
	party_init(&other, "alice", SUITE1);
	assert_int_equal(fixture_party_create(&other, "another", NULL), 0);
	party_init(&creator, "bob", SUITE1);
	party_init(&alice, "alice", SUITE1);
	party_key_package(&alice);
	evil_resume(&creator, &old[1].g, &e, joiners, 1, &welcome);
	assert_int_equal(party_join(&alice, &welcome, &other.g),
			 MLS_ERR_RESUMPTION_PSK);
	/* and without any group to resume from */
	assert_int_equal(party_join(&alice, &welcome, NULL),
			 MLS_ERR_RESUMPTION_PSK);
	assert_int_equal(party_join(&alice, &welcome, &old[0].g), 0);
	mls_bytes_free(&welcome);
	free_all(old, 3);
	fixture_party_free(&other);
	fixture_party_free(&creator);
	fixture_party_free(&alice);
}

/* §11.3: a branch from an epoch the joiner has not reached yet. */
static void test_join_branch_from_unknown_epoch(void **state)
{
	struct fixture_party old[3], sub[2];
	struct mls_group_resume_options ro;
	struct mls_bytes commit, welcome, before;

	(void)state;
	party_init(&old[0], "alice", SUITE1);
	party_init(&old[1], "bob", SUITE1);
	party_init(&old[2], "carol", SUITE1);
	make_group(&old[0], &old[1], 2);
	assert_int_equal(mls_group_commit(&old[1].g, NULL, &commit, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&old[1].g), 0);
	party_init(&sub[0], "bob", SUITE1);
	party_init(&sub[1], "alice", SUITE1);
	party_key_package(&sub[1]);
	memset(&ro, 0, sizeof(ro));
	fixture_party_create_options(&sub[0], "sub", NULL, &ro.create);
	ro.key_packages = &sub[1].kp;
	ro.n_key_packages = 1;
	assert_int_equal(mls_group_branch(&sub[0].g, &old[1].g, &ro, &welcome),
			 0);
	assert_saved(&old[0].g, &before);
	assert_int_equal(party_join(&sub[1], &welcome, &old[0].g),
			 MLS_ERR_RESUMPTION_PSK);
	assert_same_state(&old[0].g, &before);
	assert_int_equal(fixture_process(&old[0].g, &commit), 0);
	assert_int_equal(party_join(&sub[1], &welcome, &old[0].g), 0);
	assert_agree(&sub[0].g, &sub[1].g);
	mls_bytes_free(&before);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	free_all(old, 3);
	free_all(sub, 2);
}

/* §11.2: a member whose copy missed the ReInit Commit cannot resume. */
static void test_join_before_reinit_processed(void **state)
{
	struct fixture_party old[2], neu[2];
	struct mls_proposal reinit;
	struct mls_commit_options o = { .proposals = &reinit,
					.n_proposals = 1 };
	struct mls_group_resume_options ro;
	struct mls_bytes commit, welcome;

	(void)state;
	party_init(&old[0], "alice", SUITE1);
	party_init(&old[1], "bob", SUITE1);
	make_group(&old[0], &old[1], 1);
	assert_int_equal(mls_group_make_reinit(&old[0].g, (const uint8_t *)"n",
					       1, MLS_PROTOCOL_MLS10, SUITE3,
					       NULL, &reinit), 0);
	assert_int_equal(mls_group_commit(&old[0].g, &o, &commit, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&old[0].g), 0);
	party_init(&neu[0], "alice", SUITE3);
	party_init(&neu[1], "bob", SUITE3);
	party_key_package(&neu[1]);
	memset(&ro, 0, sizeof(ro));
	fixture_party_create_options(&neu[0], NULL, NULL, &ro.create);
	ro.key_packages = &neu[1].kp;
	ro.n_key_packages = 1;
	assert_int_equal(mls_group_reinit_create(&neu[0].g, &old[0].g, &ro,
						 &welcome), 0);
	assert_int_equal(party_join(&neu[1], &welcome, &old[1].g),
			 MLS_ERR_NOT_REINITIALIZED);
	/* once bob has the ReInit Commit, the same Welcome works */
	assert_int_equal(fixture_process(&old[1].g, &commit), 0);
	/* and his closed group follows no Commit, not even that one again */
	{
		struct mls_bytes before;

		assert_saved(&old[1].g, &before);
		assert_int_equal(fixture_process(&old[1].g, &commit),
				 MLS_ERR_INVALID_STATE);
		assert_same_state(&old[1].g, &before);
		mls_bytes_free(&before);
	}
	assert_int_equal(party_join(&neu[1], &welcome, &old[1].g), 0);
	assert_agree(&neu[0].g, &neu[1].g);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_proposal_free(&reinit);
	free_all(old, 2);
	free_all(neu, 2);
}

/* ---- the saved state (group_state.c) ---- */

static void test_loaded_group_keeps_secret_tree(void **state)
{
	struct fixture_party p[2];
	struct mls_group loaded;
	struct mls_group_load_options lo = { .clock = fixture_clock };
	struct mls_bytes blob, msg, data;
	struct mls_message m;

	(void)state;
	party_init(&p[0], "alice", SUITE1);
	party_init(&p[1], "bob", SUITE1);
	make_group(&p[0], &p[1], 1);
	assert_int_equal(mls_group_encrypt(&p[0].g, (const uint8_t *)"a", 1,
					   NULL, 0, &msg), 0);
	assert_int_equal(mls_message_from_bytes(msg.data, msg.len, &m), 0);
	assert_int_equal(mls_group_decrypt(&p[1].g, &m, &data, NULL), 0);
	mls_bytes_free(&data);
	assert_saved(&p[1].g, &blob);
	lo.crypto = &p[1].crypto;
	assert_int_equal(mls_group_load(&loaded, blob.data, blob.len, &lo), 0);
	/* §9.2: the key is gone, in the saved state too */
	assert_int_equal(mls_group_decrypt(&loaded, &m, &data, NULL),
			 MLS_ERR_GENERATION);
	mls_group_free(&loaded);
	mls_message_free(&m);
	mls_bytes_free(&msg);
	mls_bytes_free(&blob);
	free_all(p, 2);
}

static void test_old_blob_version_refused(void **state)
{
	struct fixture_party p;
	struct mls_group g;
	struct mls_bytes blob;
	const struct mls_suite *sha256 = mls_suite_get(SUITE1);

	(void)state;
	party_init(&p, "alice", SUITE1);
	assert_int_equal(fixture_party_create(&p, "group", NULL), 0);
	assert_saved(&p.g, &blob);
	assert_int_equal(blob.data[4], 0);
	assert_int_equal(blob.data[5], 3);
	/* a well-formed blob of version 1, checksum and all */
	blob.data[5] = 1;
	assert_int_equal(mls_hash(sha256, blob.data, blob.len - 32,
				  blob.data + blob.len - 32), 0);
	assert_int_equal(mls_group_load(&g, blob.data, blob.len, NULL),
			 MLS_ERR_UNKNOWN_VALUE);
	assert_null(g.suite);
	mls_bytes_free(&blob);
	fixture_party_free(&p);
}

static bool blob_holds(const struct mls_bytes *blob, const uint8_t *secret,
		       size_t len)
{
	return memmem(blob->data, blob->len, secret, len) != NULL;
}

/*
 * Forward secrecy at the epoch change: of the epoch before, the group
 * keeps its resumption_psk (the ring) and nothing else, and the current
 * epoch's encryption_secret is gone once its secret tree exists. The
 * saved blob holds every secret the group keeps, so it is the witness.
 */
static void test_old_epoch_secrets_not_kept(void **state)
{
	struct fixture_party p[2];
	struct fixture_party *bob[1] = { &p[1] };
	struct mls_epoch_secrets before;
	struct mls_bytes blob;
	static const uint8_t zero[MLS_MAX_HASH_LEN];
	size_t n;

	(void)state;
	party_init(&p[0], "alice", SUITE1);
	party_init(&p[1], "bob", SUITE1);
	make_group(&p[0], &p[1], 1);
	n = p[1].s->hash_len;
	before = p[1].g.secrets;
	assert_memory_equal(before.encryption_secret, zero, n);
	assert_saved(&p[1].g, &blob);
	assert_true(blob_holds(&blob, before.exporter_secret, n));
	mls_bytes_free(&blob);
	commit_all(&p[0], bob, 1, NULL, 0);
	assert_memory_equal(p[1].g.secrets.encryption_secret, zero, n);
	assert_saved(&p[1].g, &blob);
	assert_false(blob_holds(&blob, before.exporter_secret, n));
	assert_false(blob_holds(&blob, before.sender_data_secret, n));
	assert_false(blob_holds(&blob, before.external_secret, n));
	assert_false(blob_holds(&blob, before.confirmation_key, n));
	assert_false(blob_holds(&blob, before.membership_key, n));
	assert_false(blob_holds(&blob, before.epoch_authenticator, n));
	assert_false(blob_holds(&blob, before.init_secret, n));
	assert_true(blob_holds(&blob, before.resumption_psk, n));
	mls_wipe(&before, sizeof(before));
	mls_bytes_free(&blob);
	free_all(p, 2);
}

/*
 * An Update we proposed keeps its leaf private key only until the epoch
 * ends (docs/MLS-GROUP-LIFECYCLE.md): a Commit that leaves the proposal
 * out moves the group on, and the key is in neither the group nor its
 * saved blob any more, whereas before the Commit the blob held it.
 */
static void test_unused_update_key_dropped_at_epoch_change(void **state)
{
	struct fixture_party p[2];
	struct fixture_party *bob[1] = { &p[1] };
	struct mls_proposal upd;
	struct mls_bytes msg, blob;
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN];
	size_t n;

	(void)state;
	party_init(&p[0], "alice", SUITE1);
	party_init(&p[1], "bob", SUITE1);
	make_group(&p[0], &p[1], 1);
	assert_int_equal(mls_group_make_update(&p[1].g, &upd), 0);
	assert_int_equal(mls_group_propose(&p[1].g, &upd, MLS_GROUP_WIRE_PUBLIC,
					   &msg, NULL), 0);
	mls_proposal_free(&upd);
	mls_bytes_free(&msg);
	assert_int_equal(p[1].g.n_updates, 1);
	n = p[1].s->kem_priv_len;
	memcpy(priv, p[1].g.updates[0].priv, n);
	assert_saved(&p[1].g, &blob);
	assert_true(blob_holds(&blob, priv, n));
	mls_bytes_free(&blob);

	/* Alice never saw the proposal: her Commit cannot take it. */
	commit_all(&p[0], bob, 1, NULL, 0);
	assert_int_equal(p[1].g.n_updates, 0);
	assert_saved(&p[1].g, &blob);
	assert_false(blob_holds(&blob, priv, n));
	mls_wipe(priv, sizeof(priv));
	mls_bytes_free(&blob);
	free_all(p, 2);
}

static void test_error_names(void **state)
{
	(void)state;
	/* a name of its own, not mls_strerror's "unknown error" */
	assert_string_equal(mls_strerror(MLS_ERR_PSK_USAGE),
			    "reinit/branch resumption PSK outside its new "
			    "group");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reinit_suite_1_to_3),
		cmocka_unit_test(test_reinit_suite_1_to_2),
		cmocka_unit_test(test_reinit_state_saved),
		cmocka_unit_test(test_reinit_proposal_rules),
		cmocka_unit_test(test_branch_subset),
		cmocka_unit_test(test_application_resumption_psk),
		cmocka_unit_test(test_reinit_psk_in_normal_commit),
		cmocka_unit_test(test_branch_psk_in_normal_commit),
		cmocka_unit_test(test_create_membership_rules),
		cmocka_unit_test(test_join_rules_reinit),
		cmocka_unit_test(test_join_rules_branch),
		cmocka_unit_test(test_join_wrong_group),
		cmocka_unit_test(test_join_branch_from_unknown_epoch),
		cmocka_unit_test(test_join_before_reinit_processed),
		cmocka_unit_test(test_loaded_group_keeps_secret_tree),
		cmocka_unit_test(test_old_blob_version_refused),
		cmocka_unit_test(test_old_epoch_secrets_not_kept),
		cmocka_unit_test(test_unused_update_key_dropped_at_epoch_change),
		cmocka_unit_test(test_error_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
