// SPDX-License-Identifier: MIT
/*
 * The policy hooks an agent needs (issue #11): a credential policy told
 * where each leaf comes from and who asks for it, a filter deciding
 * which cached proposals our Commit takes, and calls to list and drop
 * cached proposals.
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
#include "support/forge.h"
#include "support/group_assert.h"
#include "support/group_fixture.h"

#define SUITE		MLS_SUITE_X25519_AES128GCM_SHA256_ED25519
#define EXPORT_LEN	16
#define MAX_SEEN	32

static struct fixture_rng rng = { 1111 };

/* ---- a credential policy that writes down what it is asked ---- */

struct seen {
	enum mls_credential_source source;
	uint8_t sender_type;
	uint32_t sender_index;
	uint32_t leaf_index;
	char leaf_id[16];
	char sender_id[16];	/* "" without a sender credential */
	bool has_old;
	bool sender_is_leaf;	/* sender_leaf == leaf */
	bool has_sender_leaf;
	bool has_sender_key;
};

struct recorder {
	struct seen log[MAX_SEEN];
	size_t n;
	enum mls_credential_source refuse;	/* 0: accept all */
};

static void copy_id(char *dst, const struct mls_credential *c)
{
	size_t n = c->identity.len < 15 ? c->identity.len : 15;

	memcpy(dst, c->identity.data, n);
	dst[n] = 0;
}

static int record(void *ctx, const struct mls_suite *s,
		  const struct mls_credential_request *req)
{
	struct recorder *r = ctx;
	struct seen *e;

	(void)s;
	assert_non_null(req->leaf);
	if (r->n < MAX_SEEN) {
		e = &r->log[r->n++];
		memset(e, 0, sizeof(*e));
		e->source = req->source;
		e->sender_type = req->sender.type;
		e->sender_index = req->sender.index;
		e->leaf_index = req->leaf_index;
		copy_id(e->leaf_id, &req->leaf->credential);
		if (req->sender_credential)
			copy_id(e->sender_id, req->sender_credential);
		e->has_old = req->old_leaf != NULL;
		e->sender_is_leaf = req->sender_leaf == req->leaf;
		e->has_sender_leaf = req->sender_leaf != NULL;
		e->has_sender_key = req->sender_signature_key &&
				    req->sender_signature_key->len;
	}
	return req->source == r->refuse ? MLS_ERR_POLICY : 0;
}

static void watch(struct fixture_party *p, struct recorder *r)
{
	memset(r, 0, sizeof(*r));
	p->credential_policy = record;
	p->credential_policy_ctx = r;
	if (p->g.suite)
		mls_group_set_credential_policy(&p->g, record, r);
}

/* The first entry of that source, which must be there. */
static const struct seen *find(const struct recorder *r,
			       enum mls_credential_source source)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->log[i].source == source)
			return &r->log[i];
	fail_msg("no request of source %d among %zu", source, r->n);
	return NULL;
}

static bool asked(const struct recorder *r, enum mls_credential_source source)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->log[i].source == source)
			return true;
	return false;
}

static void party(struct fixture_party *p, const char *name)
{
	assert_int_equal(fixture_party_init(p, SUITE, name, &rng), 0);
}

static void cache_all(const struct mls_bytes *msg, struct fixture_party *a,
		      struct fixture_party *b)
{
	assert_int_equal(fixture_cache(&a->g, msg), 0);
	if (b)
		assert_int_equal(fixture_cache(&b->g, msg), 0);
}

static void propose_update(struct fixture_party *p, struct mls_bytes *msg,
			   uint8_t *ref)
{
	struct mls_proposal up;

	assert_int_equal(mls_group_make_update(&p->g, &up), 0);
	assert_int_equal(mls_group_propose(&p->g, &up, MLS_GROUP_WIRE_PUBLIC,
					   msg, ref), 0);
	mls_proposal_free(&up);
}

/* ---- sources: tree, Add by a member, Update, commit path ---- */

static void test_policy_sees_member_sources(void **state)
{
	struct fixture_party alice, bob, carol;
	struct recorder rb;
	struct mls_bytes commit, up, c2;
	const struct seen *e;
	uint64_t before_epoch;

	(void)state;
	party(&alice, "alice");
	party(&bob, "bob");
	party(&carol, "carol");
	assert_int_equal(fixture_party_create(&alice, "policy", NULL), 0);
	watch(&bob, &rb);

	/* joining: every leaf of the tree, with its index, nobody asking */
	assert_int_equal(fixture_party_add(&alice, &bob, NULL), 0);
	assert_int_equal(rb.n, 2);
	assert_int_equal(rb.log[0].source, MLS_CREDENTIAL_SOURCE_TREE);
	assert_int_equal(rb.log[0].leaf_index, 0);
	assert_string_equal(rb.log[0].leaf_id, "alice");
	assert_int_equal(rb.log[1].leaf_index, 1);
	assert_string_equal(rb.log[1].leaf_id, "bob");
	assert_int_equal(rb.log[1].sender_type, 0);
	assert_string_equal(rb.log[1].sender_id, "");

	/* a member's Add: the member is named, the leaf not placed yet */
	rb.n = 0;
	assert_int_equal(fixture_party_add(&alice, &carol, &commit), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	e = find(&rb, MLS_CREDENTIAL_SOURCE_ADD_MEMBER);
	assert_int_equal(e->sender_type, MLS_SENDER_MEMBER);
	assert_int_equal(e->sender_index, 0);
	assert_string_equal(e->sender_id, "alice");
	assert_true(e->has_sender_leaf && e->has_sender_key);
	assert_string_equal(e->leaf_id, "carol");
	assert_int_equal(e->leaf_index, UINT32_MAX);
	assert_false(e->has_old);
	mls_bytes_free(&commit);

	/* carol's Update in alice's Commit: Update, then alice's path */
	rb.n = 0;
	propose_update(&carol, &up, NULL);
	cache_all(&up, &alice, &bob);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_process(&carol.g, &commit), 0);
	e = find(&rb, MLS_CREDENTIAL_SOURCE_UPDATE);
	assert_int_equal(e->sender_index, 2);
	assert_int_equal(e->leaf_index, 2);
	assert_string_equal(e->sender_id, "carol");
	assert_true(e->has_old);
	e = find(&rb, MLS_CREDENTIAL_SOURCE_COMMIT_PATH);
	assert_int_equal(e->sender_type, MLS_SENDER_MEMBER);
	assert_int_equal(e->leaf_index, 0);
	assert_string_equal(e->leaf_id, "alice");
	assert_true(e->has_old);
	mls_bytes_free(&commit);
	mls_bytes_free(&up);

	/* a refused Update fails the Commit that carries it, changing
	 * nothing; bob's own Commit leaves it out */
	rb.refuse = MLS_CREDENTIAL_SOURCE_UPDATE;
	propose_update(&carol, &up, NULL);
	cache_all(&up, &alice, &bob);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, NULL), 0);
	before_epoch = mls_group_epoch(&bob.g);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_POLICY);
	assert_int_equal(mls_group_epoch(&bob.g), before_epoch);
	mls_group_discard_commit(&alice.g);
	{
		struct mls_commit_summary sum;
		size_t i;

		assert_int_equal(mls_group_commit(&bob.g, NULL, &c2, NULL), 0);
		assert_int_equal(mls_group_pending_summary(&bob.g, &sum), 0);
		for (i = 0; i < sum.n_updated; i++)
			assert_int_not_equal(sum.updated[i], 2);
		mls_commit_summary_free(&sum);
	}
	assert_int_equal(mls_group_confirm_commit(&bob.g), 0);
	assert_int_equal(fixture_process(&alice.g, &c2), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, EXPORT_LEN), 0);
	mls_bytes_free(&c2);
	mls_bytes_free(&commit);
	mls_bytes_free(&up);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

/* ---- sources: new-member proposal, external sender ---- */

static void test_policy_sees_outsiders(void **state)
{
	static const uint16_t ext_types[] = { MLS_EXT_EXTERNAL_SENDERS };
	static const struct fixture_caps caps = {
		.exts = ext_types, .n_exts = 1,
	};
	static const struct mls_group_policy open = {
		.accept_new_member_proposals = true,
	};
	struct fixture_party alice, dave, erin, ds;
	struct mls_extension ext;
	struct mls_extension_list exts = { &ext, 1 };
	struct mls_bytes id = { (uint8_t *)"ds", 2 };
	const uint8_t *pubs[1];
	size_t pub_lens[1];
	struct mls_bytes nmp, esp, commit, welcome;
	struct mls_commit_summary sum;
	struct mls_proposal add;
	struct recorder ra;
	const struct seen *e;

	(void)state;
	party(&alice, "alice");
	party(&dave, "dave");
	party(&erin, "erin");
	party(&ds, "ds");
	alice.caps = &caps;
	alice.policy = &open;
	pubs[0] = ds.sig_pub;
	pub_lens[0] = ds.s->sig_pub_len;
	assert_int_equal(mls_external_senders_extension(pubs, pub_lens, &id, 1,
							&ext), 0);
	assert_int_equal(fixture_party_create(&alice, "outsiders", &exts), 0);
	watch(&alice, &ra);

	/* dave asks to join himself; the ds proposes erin */
	assert_int_equal(fixture_party_key_package(&dave), 0);
	assert_int_equal(forge_new_member_proposal(&dave, &alice.g.context,
						   &nmp), 0);
	assert_int_equal(fixture_cache(&alice.g, &nmp), 0);
	assert_int_equal(fixture_party_key_package(&erin), 0);
	assert_int_equal(mls_group_make_add(&alice.g, erin.kp.data,
					    erin.kp.len, &add), 0);
	assert_int_equal(mls_external_sender_propose(&ds.crypto, ds.s,
			&alice.g.context, 0, ds.sig_priv, ds.s->sig_priv_len,
			&add, &esp), 0);
	assert_int_equal(fixture_cache(&alice.g, &esp), 0);

	/* both considered; the new member's Add refused, left out */
	ra.refuse = MLS_CREDENTIAL_SOURCE_ADD_NEW_MEMBER;
	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, &welcome),
			 0);
	e = find(&ra, MLS_CREDENTIAL_SOURCE_ADD_NEW_MEMBER);
	assert_int_equal(e->sender_type, MLS_SENDER_NEW_MEMBER_PROPOSAL);
	assert_true(e->sender_is_leaf);
	assert_string_equal(e->sender_id, "dave");
	assert_string_equal(e->leaf_id, "dave");
	e = find(&ra, MLS_CREDENTIAL_SOURCE_ADD_EXTERNAL_SENDER);
	assert_int_equal(e->sender_type, MLS_SENDER_EXTERNAL);
	assert_int_equal(e->sender_index, 0);
	assert_string_equal(e->sender_id, "ds");
	assert_true(e->has_sender_key);
	assert_false(e->has_sender_leaf);
	assert_string_equal(e->leaf_id, "erin");
	assert_int_equal(mls_group_pending_summary(&alice.g, &sum), 0);
	assert_int_equal(sum.n_added, 1);
	mls_commit_summary_free(&sum);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_party_join(&erin, &welcome), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &erin.g, EXPORT_LEN),
			 0);
	assert_int_equal(mls_group_leaf_count(&alice.g), 2);
	mls_proposal_free(&add);
	mls_extension_free(&ext);
	mls_bytes_free(&nmp);
	mls_bytes_free(&esp);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&dave);
	fixture_party_free(&erin);
	fixture_party_free(&ds);
}

/* ---- source: external join, and a resync ---- */

/* alice and bob in a group, erin outside it. */
static void pair_and_outsider(struct fixture_party *alice,
			      struct fixture_party *bob,
			      struct fixture_party *erin)
{
	party(alice, "alice");
	party(bob, "bob");
	party(erin, "erin");
	assert_int_equal(fixture_party_create(alice, "external", NULL), 0);
	assert_int_equal(fixture_party_add(alice, bob, NULL), 0);
}

static void test_policy_sees_external_join(void **state)
{
	struct fixture_party alice, bob, erin;
	struct recorder rb, re;
	struct mls_bytes gi, commit;
	const struct seen *e;
	uint32_t erin_leaf;

	(void)state;
	pair_and_outsider(&alice, &bob, &erin);
	watch(&bob, &rb);
	watch(&erin, &re);

	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&erin, &gi, false, 0,
						     &commit), 0);
	/* the joiner checks the tree it joins */
	e = find(&re, MLS_CREDENTIAL_SOURCE_TREE);
	assert_string_equal(e->leaf_id, "alice");
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	e = find(&rb, MLS_CREDENTIAL_SOURCE_EXTERNAL_JOIN);
	assert_int_equal(e->sender_type, MLS_SENDER_NEW_MEMBER_COMMIT);
	assert_true(e->sender_is_leaf);
	assert_string_equal(e->sender_id, "erin");
	assert_int_equal(e->leaf_index, UINT32_MAX);
	assert_false(e->has_old);
	assert_false(asked(&rb, MLS_CREDENTIAL_SOURCE_COMMIT_PATH));
	erin_leaf = mls_group_own_leaf(&erin.g);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);

	/* erin lost her state: a resync names the leaf it replaces */
	rb.n = 0;
	mls_group_free(&erin.g);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&erin, &gi, true,
						     erin_leaf, &commit), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	e = find(&rb, MLS_CREDENTIAL_SOURCE_EXTERNAL_JOIN);
	assert_int_equal(e->leaf_index, erin_leaf);
	assert_true(e->has_old);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &erin.g, EXPORT_LEN),
			 0);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&erin);
}

/* An external join the policy refuses is refused with its error. */
static void test_policy_refuses_external_join(void **state)
{
	struct fixture_party alice, bob, erin;
	struct mls_bytes gi, commit, before;
	struct recorder rb;

	(void)state;
	pair_and_outsider(&alice, &bob, &erin);
	watch(&bob, &rb);
	rb.refuse = MLS_CREDENTIAL_SOURCE_EXTERNAL_JOIN;
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&erin, &gi, false, 0,
						     &commit), 0);
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_POLICY);
	assert_same_state(&bob.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&erin);
}

/* ---- the proposal filter ---- */

struct filter_ctx {
	size_t calls;
	uint32_t refused_sender;	/* member leaf whose proposals wait */
};

static bool not_from(void *ctx, const struct mls_group *g,
		     const struct mls_cached_proposal *p)
{
	struct filter_ctx *f = ctx;

	assert_non_null(g);
	f->calls++;
	return !(p->sender.type == MLS_SENDER_MEMBER &&
		 p->sender.index == f->refused_sender);
}

static bool has_leaf(const uint32_t *leaves, size_t n, uint32_t leaf)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (leaves[i] == leaf)
			return true;
	return false;
}

static void three(struct fixture_party *alice, struct fixture_party *bob,
		  struct fixture_party *carol)
{
	struct mls_bytes commit;

	party(alice, "alice");
	party(bob, "bob");
	party(carol, "carol");
	assert_int_equal(fixture_party_create(alice, "three", NULL), 0);
	assert_int_equal(fixture_party_add(alice, bob, NULL), 0);
	assert_int_equal(fixture_party_add(alice, carol, &commit), 0);
	assert_int_equal(fixture_process(&bob->g, &commit), 0);
	mls_bytes_free(&commit);
}

static void free_three(struct fixture_party *a, struct fixture_party *b,
		       struct fixture_party *c)
{
	fixture_party_free(a);
	fixture_party_free(b);
	fixture_party_free(c);
}

static void test_filter_decides_what_commit_takes(void **state)
{
	struct fixture_party alice, bob, carol;
	struct filter_ctx f = { 0, 2 };
	struct mls_commit_options o = { .filter = not_from, .filter_ctx = &f };
	struct mls_bytes ub, uc, commit;
	struct mls_commit_summary sum;
	size_t n;

	(void)state;
	three(&alice, &bob, &carol);
	propose_update(&bob, &ub, NULL);
	propose_update(&carol, &uc, NULL);
	cache_all(&ub, &alice, &carol);
	cache_all(&uc, &alice, &bob);

	/* carol's Update waits: the Commit takes bob's only */
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, NULL), 0);
	assert_int_equal(f.calls, 2);
	assert_int_equal(mls_group_pending_summary(&alice.g, &sum), 0);
	assert_true(has_leaf(sum.updated, sum.n_updated, 1));
	assert_false(has_leaf(sum.updated, sum.n_updated, 2));
	mls_commit_summary_free(&sum);
	/* still cached while the Commit is pending */
	assert_non_null(mls_group_cached_proposals(&alice.g, &n));
	assert_int_equal(n, 2);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_process(&carol.g, &commit), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, EXPORT_LEN), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &carol.g, EXPORT_LEN),
			 0);
	mls_bytes_free(&commit);

	/* a filter that refuses everything leaves an empty Commit */
	propose_update(&bob, &commit, NULL);
	cache_all(&commit, &alice, &carol);
	mls_bytes_free(&commit);
	f.refused_sender = 1;
	f.calls = 0;
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, NULL), 0);
	assert_int_equal(f.calls, 1);
	assert_int_equal(mls_group_pending_summary(&alice.g, &sum), 0);
	assert_false(has_leaf(sum.updated, sum.n_updated, 1));
	mls_commit_summary_free(&sum);
	mls_group_discard_commit(&alice.g);
	mls_bytes_free(&commit);
	mls_bytes_free(&ub);
	mls_bytes_free(&uc);
	free_three(&alice, &bob, &carol);
}

/* ---- listing and dropping cached proposals ---- */

static void test_list_and_drop_cached(void **state)
{
	struct fixture_party alice, bob, carol;
	const struct mls_cached_proposal *list;
	uint8_t rb[MLS_MAX_HASH_LEN], rc[MLS_MAX_HASH_LEN];
	struct mls_bytes ub, uc, commit, before;
	struct mls_commit_summary sum;
	size_t n;

	(void)state;
	three(&alice, &bob, &carol);
	assert_null(mls_group_cached_proposals(&alice.g, &n));
	assert_int_equal(n, 0);
	propose_update(&bob, &ub, rb);
	propose_update(&carol, &uc, rc);
	cache_all(&ub, &alice, &carol);
	cache_all(&uc, &alice, &bob);

	list = mls_group_cached_proposals(&alice.g, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(list[0].ref, rb, alice.s->hash_len);
	assert_int_equal(list[0].sender.index, 1);
	assert_int_equal(list[0].proposal.type, MLS_PROPOSAL_UPDATE);
	assert_memory_equal(list[1].ref, rc, alice.s->hash_len);
	assert_int_equal(list[1].sender.index, 2);

	/* bad calls change nothing */
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_drop_proposal(&alice.g, rc, 5),
			 MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_group_drop_proposal(&alice.g, NULL,
						 alice.s->hash_len),
			 MLS_ERR_INVALID_ARG);
	rc[0] ^= 1;
	assert_int_equal(mls_group_drop_proposal(&alice.g, rc,
						 alice.s->hash_len),
			 MLS_ERR_NOT_FOUND);
	rc[0] ^= 1;
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&before);

	/* dropped: gone from the list and from alice's Commit */
	assert_int_equal(mls_group_drop_proposal(&alice.g, rc,
						 alice.s->hash_len), 0);
	list = mls_group_cached_proposals(&alice.g, &n);
	assert_int_equal(n, 1);
	assert_memory_equal(list[0].ref, rb, alice.s->hash_len);
	assert_int_equal(mls_group_drop_proposal(&alice.g, rc,
						 alice.s->hash_len),
			 MLS_ERR_NOT_FOUND);

	/* carol drops her own Update: its private key goes with it */
	assert_int_equal(carol.g.n_updates, 1);
	assert_int_equal(mls_group_drop_proposal(&carol.g, rc,
						 carol.s->hash_len), 0);
	assert_int_equal(carol.g.n_updates, 0);

	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, NULL), 0);
	assert_int_equal(mls_group_pending_summary(&alice.g, &sum), 0);
	assert_true(has_leaf(sum.updated, sum.n_updated, 1));
	assert_false(has_leaf(sum.updated, sum.n_updated, 2));
	mls_commit_summary_free(&sum);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_process(&carol.g, &commit), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &carol.g, EXPORT_LEN),
			 0);
	/* bob dropped the proposal the Commit names: he cannot follow */
	assert_int_equal(mls_group_drop_proposal(&bob.g, rb, bob.s->hash_len),
			 0);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_NOT_FOUND);
	mls_bytes_free(&commit);
	mls_bytes_free(&ub);
	mls_bytes_free(&uc);
	free_three(&alice, &bob, &carol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_sees_member_sources),
		cmocka_unit_test(test_policy_sees_outsiders),
		cmocka_unit_test(test_policy_sees_external_join),
		cmocka_unit_test(test_policy_refuses_external_join),
		cmocka_unit_test(test_filter_decides_what_commit_takes),
		cmocka_unit_test(test_list_and_drop_cached),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
