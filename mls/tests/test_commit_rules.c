// SPDX-License-Identifier: MIT
/*
 * A receiver's rules on a Commit's proposal list (RFC 9420 §12.2,
 * §12.4, §12.4.3.2), each against a Commit that breaks only that rule:
 * a genuine Commit edited by the test forger (support/forge.h) and
 * authenticated again with the committer's keys. Each is refused with
 * its exact error and the receiver's saved state is byte for byte what
 * it was. Where a rule is about two proposals, the genuine Commit holds
 * one of them and the forger adds the other; each such test ends with
 * bob accepting the genuine Commit, and the forger's unedited output is
 * accepted too, so the one added proposal is what bob refused.
 *
 * The group: alice (leaf 0), bob (1), carol (2) and a blank leaf 3
 * (dave was added, then removed). Alice commits, bob receives.
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

#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519
#define N	4
#define BLANK	3

static struct fixture_rng rng = { 12 };

struct group {
	struct fixture_party p[N];	/* alice, bob, carol, dave */
	struct fixture_party extra;	/* a party outside the group */
	struct mls_bytes commit;	/* alice's pending Commit */
};

#define ALICE(G)	(&(G)->p[0])
#define BOB(G)		(&(G)->p[1])
#define CAROL(G)	(&(G)->p[2])

static const char *const names[N] = { "alice", "bob", "carol", "dave" };

static int setup(void **state)
{
	struct group *g = calloc(1, sizeof(*g));
	struct mls_proposal rm;
	struct mls_commit_options o = { .proposals = &rm, .n_proposals = 1 };

	assert_non_null(g);
	assert_int_equal(fixture_party_init(&g->extra, SUITE, "erin", &rng),
			 0);
	assert_int_equal(forge_members(g->p, names, N, SUITE, &rng), 0);
	/* dave leaves: leaf 3 is blank */
	assert_int_equal(mls_group_make_remove(&ALICE(g)->g, BLANK, &rm), 0);
	mls_group_free(&g->p[BLANK].g);
	assert_int_equal(forge_commit_all(g->p, N, &o), 0);
	mls_proposal_free(&rm);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct group *g = *state;

	forge_members_free(g->p, N);
	fixture_party_free(&g->extra);
	mls_bytes_free(&g->commit);
	free(g);
	return 0;
}

/* alice's Commit of cm (NULL: empty, with a path), left pending. */
static void alice_commits(struct group *g, const struct mls_commit_options *cm)
{
	struct mls_bytes welcome;

	mls_bytes_free(&g->commit);
	assert_int_equal(mls_group_commit(&ALICE(g)->g, cm, &g->commit,
					  &welcome), 0);
	mls_bytes_free(&welcome);
}

/* What the forger does to alice's Commit. */
struct edit {
	const struct mls_proposal *add;	/* by value, appended */
	size_t n_add;
	const uint8_t *refs;		/* ProposalRefs, appended */
	size_t n_refs, ref_len;
	bool refs_first;		/* move the refs before the rest */
	bool drop_path;
};

/* The last n entries of c's list moved to its front. */
static void rotate_to_front(struct mls_commit *c, size_t n)
{
	struct mls_proposal_or_ref tmp;
	size_t k;

	for (k = 0; k < n; k++) {
		tmp = c->proposals[c->count - 1];
		memmove(&c->proposals[1], &c->proposals[0],
			(c->count - 1) * sizeof(tmp));
		c->proposals[0] = tmp;
	}
}

static int apply_edit(void *ctx, struct mls_framed_content *fc)
{
	const struct edit *e = ctx;
	struct mls_commit *c = &fc->content.commit;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < e->n_add; i++)
		err = forge_add_proposal(c, &e->add[i]);
	for (i = 0; !err && i < e->n_refs; i++)
		err = forge_add_reference(c, e->refs + i * e->ref_len,
					  e->ref_len);
	if (!err && e->refs_first)
		rotate_to_front(c, e->n_refs);
	if (!err && e->drop_path) {
		mls_update_path_free(&c->path);
		c->has_path = false;
	}
	return err;
}

/* alice's Commit edited by e, authenticated again for bob. */
static void forge_for_bob(struct group *g, const struct edit *e,
			  struct mls_bytes *forged)
{
	assert_int_equal(forge_commit(&BOB(g)->g, ALICE(g)->sig_priv,
				      &g->commit, apply_edit, (void *)e,
				      forged), 0);
}

/* bob refuses alice's Commit edited by e with want; nothing changes. */
static void bob_refuses(struct group *g, const struct edit *e, int want)
{
	struct mls_bytes forged, before;

	forge_for_bob(g, e, &forged);
	assert_saved(&BOB(g)->g, &before);
	assert_int_equal(fixture_process(&BOB(g)->g, &forged), want);
	assert_same_state(&BOB(g)->g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&forged);
}

/* bob then takes alice's genuine Commit: the two agree. */
static void bob_accepts_genuine(struct group *g)
{
	assert_int_equal(fixture_process(&BOB(g)->g, &g->commit), 0);
	assert_int_equal(mls_group_confirm_commit(&ALICE(g)->g), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(g)->g, &BOB(g)->g, 16),
			 0);
}

static void by_value(struct group *g, const struct mls_proposal *p, size_t n,
		     int want)
{
	struct edit e = { .add = p, .n_add = n };

	bob_refuses(g, &e, want);
}

/* alice commits the by-value proposals p[0..n-1], left pending */
static void alice_commits_values(struct group *g, const struct mls_proposal *p,
				 size_t n)
{
	struct mls_commit_options o = { .proposals = p, .n_proposals = n };

	alice_commits(g, &o);
}

/*
 * carol proposes an Update of her leaf; bob caches it, and alice too
 * when to_alice; *ref its ProposalRef.
 */
static void carol_updates(struct group *g, bool to_alice, uint8_t *ref)
{
	struct mls_proposal up;
	struct mls_bytes msg;

	assert_int_equal(mls_group_make_update(&CAROL(g)->g, &up), 0);
	assert_int_equal(mls_group_propose(&CAROL(g)->g, &up,
					   MLS_GROUP_WIRE_PUBLIC, &msg, ref),
			 0);
	assert_int_equal(fixture_cache(&BOB(g)->g, &msg), 0);
	if (to_alice)
		assert_int_equal(fixture_cache(&ALICE(g)->g, &msg), 0);
	mls_proposal_free(&up);
	mls_bytes_free(&msg);
}

static void remove_of(uint32_t leaf, struct mls_proposal *p)
{
	memset(p, 0, sizeof(*p));
	p->type = MLS_PROPOSAL_REMOVE;
	p->remove.removed = leaf;
}

/* An Add of p's current KeyPackage as it is, unchecked. */
static void raw_add(const struct fixture_party *p, struct mls_proposal *out)
{
	memset(out, 0, sizeof(*out));
	out->type = MLS_PROPOSAL_ADD;
	assert_int_equal(mls_key_package_from_bytes(p->kp.data, p->kp.len,
						    &out->add.key_package), 0);
}

/* ---- the forger itself ---- */

/* Unedited, the forger's Commit is as good as the genuine one. */
static void test_unedited_forgery_accepted(void **state)
{
	struct group *g = *state;
	struct edit none = { 0 };

	struct mls_bytes forged;

	alice_commits(g, NULL);
	forge_for_bob(g, &none, &forged);
	assert_int_equal(fixture_process(&BOB(g)->g, &forged), 0);
	assert_int_equal(mls_group_confirm_commit(&ALICE(g)->g), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(g)->g, &BOB(g)->g, 16),
			 0);
	mls_bytes_free(&forged);
}

/* ---- conflicting proposals (§12.2) ---- */

static void test_two_adds_same_signature_key(void **state)
{
	struct group *g = *state;
	struct mls_proposal adds[2];

	/* two KeyPackages of erin: two init keys, one signature key */
	assert_int_equal(fixture_party_key_package(&g->extra), 0);
	raw_add(&g->extra, &adds[0]);
	assert_int_equal(fixture_party_key_package(&g->extra), 0);
	raw_add(&g->extra, &adds[1]);
	assert_false(mls_bytes_equal(&adds[0].add.key_package.init_key,
				     &adds[1].add.key_package.init_key));
	alice_commits_values(g, &adds[0], 1);
	by_value(g, &adds[1], 1, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
	mls_proposal_free(&adds[0]);
	mls_proposal_free(&adds[1]);
}

/*
 * In both tests the tree the forged list yields is the genuine one (the
 * later Update, or the Remove, wins), so without the rule the forgery
 * would get as far as the confirmation tag.
 */
static void test_two_updates_one_leaf(void **state)
{
	struct group *g = *state;
	uint8_t first[MLS_MAX_HASH_LEN], second[MLS_MAX_HASH_LEN];
	struct edit e = { .refs = first, .n_refs = 1, .refs_first = true };

	carol_updates(g, false, first);
	carol_updates(g, true, second);
	alice_commits(g, NULL);		/* with the second, by reference */
	e.ref_len = BOB(g)->s->hash_len;
	bob_refuses(g, &e, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
}

static void test_update_and_remove_one_leaf(void **state)
{
	struct group *g = *state;
	uint8_t ref[MLS_MAX_HASH_LEN];
	struct mls_proposal rm;
	struct edit e = { .refs = ref, .n_refs = 1 };

	carol_updates(g, false, ref);
	remove_of(2, &rm);
	alice_commits_values(g, &rm, 1);
	e.ref_len = BOB(g)->s->hash_len;
	bob_refuses(g, &e, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
}

static void test_two_removes_one_leaf(void **state)
{
	struct group *g = *state;
	struct mls_proposal rm;

	remove_of(2, &rm);
	alice_commits_values(g, &rm, 1);
	by_value(g, &rm, 1, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
}

static const uint8_t psk_secret[32] = { 1, 2, 3 };

static int psk_lookup(void *ctx, const struct mls_psk_id *id,
		      const uint8_t **secret, size_t *secret_len)
{
	(void)ctx;
	if (id->psk_id.len != 1 || id->psk_id.data[0] != 'k')
		return MLS_ERR_NOT_FOUND;
	*secret = psk_secret;
	*secret_len = sizeof(psk_secret);
	return 0;
}

static void test_same_psk_twice(void **state)
{
	struct group *g = *state;
	struct mls_proposal psk;

	ALICE(g)->g.psk_lookup = psk_lookup;
	BOB(g)->g.psk_lookup = psk_lookup;
	assert_int_equal(mls_group_make_external_psk(&ALICE(g)->g,
						     (const uint8_t *)"k", 1,
						     &psk), 0);
	alice_commits_values(g, &psk, 1);
	/* the very same PreSharedKeyID again */
	by_value(g, &psk, 1, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
	mls_proposal_free(&psk);
}

static void test_two_group_context_extensions(void **state)
{
	struct group *g = *state;
	struct mls_extension_list none = { NULL, 0 };
	struct mls_proposal gce;

	assert_int_equal(mls_group_make_extensions(&none, &gce), 0);
	alice_commits_values(g, &gce, 1);
	by_value(g, &gce, 1, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
	mls_proposal_free(&gce);
}

/* ---- single proposals a member may not send (§12.1.4, §12.2) ---- */

static void test_psk_nonce_length(void **state)
{
	struct group *g = *state;
	struct mls_proposal psk;

	ALICE(g)->g.psk_lookup = psk_lookup;
	BOB(g)->g.psk_lookup = psk_lookup;
	alice_commits(g, NULL);
	assert_int_equal(mls_group_make_external_psk(&ALICE(g)->g,
						     (const uint8_t *)"k", 1,
						     &psk), 0);
	psk.psk.psk.psk_nonce.len--;	/* §8.4: the nonce is Nh bytes */
	by_value(g, &psk, 1, MLS_ERR_VALIDATION);
	psk.psk.psk.psk_nonce.len++;
	bob_accepts_genuine(g);
	mls_proposal_free(&psk);
}

/* ExternalInit is for external Commits only. */
static void test_member_sends_external_init(void **state)
{
	struct group *g = *state;
	struct mls_proposal ei;
	uint8_t kem_output[32] = { 9 };

	alice_commits(g, NULL);
	memset(&ei, 0, sizeof(ei));
	ei.type = MLS_PROPOSAL_EXTERNAL_INIT;
	assert_int_equal(BOB(g)->s->kem_enc_len, sizeof(kem_output));
	ei.external_init.kem_output.data = kem_output;
	ei.external_init.kem_output.len = sizeof(kem_output);
	by_value(g, &ei, 1, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
}

/* ---- who may be updated or removed (§12.1.2, §12.1.3, §12.2) ---- */

static void test_committer_own_update_by_value(void **state)
{
	struct group *g = *state;
	struct mls_proposal up;

	alice_commits(g, NULL);
	assert_int_equal(mls_group_make_update(&ALICE(g)->g, &up), 0);
	by_value(g, &up, 1, MLS_ERR_VALIDATION);
	mls_proposal_free(&up);
}

static void test_committer_own_update_by_reference(void **state)
{
	struct group *g = *state;
	uint8_t ref[MLS_MAX_HASH_LEN];
	struct mls_proposal up;
	struct mls_bytes msg;
	struct edit e = { .refs = ref, .n_refs = 1 };

	assert_int_equal(mls_group_make_update(&ALICE(g)->g, &up), 0);
	assert_int_equal(mls_group_propose(&ALICE(g)->g, &up,
					   MLS_GROUP_WIRE_PUBLIC, &msg, ref),
			 0);
	assert_int_equal(fixture_cache(&BOB(g)->g, &msg), 0);
	/* a correct committer leaves its own Update out (§12.2) */
	alice_commits(g, NULL);
	e.ref_len = BOB(g)->s->hash_len;
	bob_refuses(g, &e, MLS_ERR_VALIDATION);
	mls_proposal_free(&up);
	mls_bytes_free(&msg);
}

static void test_remove_committer(void **state)
{
	struct group *g = *state;
	struct mls_proposal rm;

	alice_commits(g, NULL);
	remove_of(0, &rm);
	by_value(g, &rm, 1, MLS_ERR_VALIDATION);
}

static void test_remove_blank_or_absent_leaf(void **state)
{
	struct group *g = *state;
	struct mls_proposal rm;

	alice_commits(g, NULL);
	remove_of(BLANK, &rm);
	by_value(g, &rm, 1, MLS_ERR_VALIDATION);
	remove_of(1000, &rm);
	by_value(g, &rm, 1, MLS_ERR_VALIDATION);
}

/* ---- the path (§12.4) ---- */

static void test_path_required_but_absent(void **state)
{
	struct group *g = *state;
	struct mls_proposal rm;
	struct edit e = { .drop_path = true };

	alice_commits(g, NULL);
	/* an empty Commit needs a path */
	bob_refuses(g, &e, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
	/* so does a Remove */
	remove_of(2, &rm);
	alice_commits_values(g, &rm, 1);
	bob_refuses(g, &e, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
}

/* A GroupContextExtensions needs a path too (§12.4). */
static void test_extensions_without_path(void **state)
{
	struct group *g = *state;
	struct mls_extension_list none = { NULL, 0 };
	struct mls_proposal gce;
	struct edit e = { .drop_path = true };

	assert_int_equal(mls_group_make_extensions(&none, &gce), 0);
	alice_commits_values(g, &gce, 1);
	bob_refuses(g, &e, MLS_ERR_VALIDATION);
	bob_accepts_genuine(g);
	mls_proposal_free(&gce);
}

/* ---- external Commits (§12.4.3.2) ---- */

/* erin joins alice's group by external Commit: g->commit is hers. */
static void erin_joins(struct group *g)
{
	struct mls_bytes gi;

	assert_int_equal(mls_group_export_group_info(&ALICE(g)->g, true, &gi),
			 0);
	assert_int_equal(fixture_party_join_external(&g->extra, &gi, false, 0,
						     &g->commit), 0);
	mls_bytes_free(&gi);
}

struct external_edit {
	const struct mls_proposal *add;
	size_t n_add;
	bool drop_external_init;
	bool duplicate_external_init;
	bool add_reference;
	bool drop_path;
};

static size_t find_external_init(const struct mls_commit *c)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (c->proposals[i].type == MLS_PROPOSAL_OR_REF_PROPOSAL &&
		    c->proposals[i].proposal.type ==
			    MLS_PROPOSAL_EXTERNAL_INIT)
			return i;
	return c->count;
}

static int apply_external_edit(void *ctx, struct mls_framed_content *fc)
{
	const struct external_edit *e = ctx;
	struct mls_commit *c = &fc->content.commit;
	size_t i, ei = find_external_init(c);
	uint8_t ref[MLS_MAX_HASH_LEN] = { 0 };
	int err = ei < c->count ? 0 : MLS_ERR_NOT_FOUND;

	if (!err && e->duplicate_external_init)
		err = forge_add_proposal(c, &c->proposals[ei].proposal);
	if (!err && e->drop_external_init)
		forge_drop_proposal(c, ei);
	for (i = 0; !err && i < e->n_add; i++)
		err = forge_add_proposal(c, &e->add[i]);
	if (!err && e->add_reference)
		err = forge_add_reference(c, ref, 32);
	if (!err && e->drop_path) {
		mls_update_path_free(&c->path);
		c->has_path = false;
	}
	return err;
}

static void bob_refuses_external(struct group *g,
				 const struct external_edit *e, int want)
{
	struct mls_bytes forged, before;

	assert_int_equal(forge_commit(&BOB(g)->g, g->extra.sig_priv,
				      &g->commit, apply_external_edit,
				      (void *)e, &forged), 0);
	assert_saved(&BOB(g)->g, &before);
	assert_int_equal(fixture_process(&BOB(g)->g, &forged), want);
	assert_same_state(&BOB(g)->g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&forged);
}

static void test_external_unedited_accepted(void **state)
{
	struct group *g = *state;
	struct external_edit none = { 0 };

	struct mls_bytes forged;

	erin_joins(g);
	assert_int_equal(forge_commit(&BOB(g)->g, g->extra.sig_priv,
				      &g->commit, apply_external_edit,
				      (void *)&none, &forged), 0);
	assert_int_equal(fixture_process(&BOB(g)->g, &forged), 0);
	assert_int_equal(fixture_groups_agree(&g->extra.g, &BOB(g)->g, 16), 0);
	mls_bytes_free(&forged);
}

static void test_external_init_count(void **state)
{
	struct group *g = *state;
	struct external_edit two = { .duplicate_external_init = true };
	struct external_edit none = { .drop_external_init = true };

	erin_joins(g);
	bob_refuses_external(g, &two, MLS_ERR_VALIDATION);
	bob_refuses_external(g, &none, MLS_ERR_VALIDATION);
}

static void test_external_two_removes(void **state)
{
	struct group *g = *state;
	struct mls_proposal rm[2];
	struct external_edit e = { .add = rm, .n_add = 2 };

	erin_joins(g);
	remove_of(1, &rm[0]);
	remove_of(2, &rm[1]);
	bob_refuses_external(g, &e, MLS_ERR_VALIDATION);
}

static void test_external_forbidden_proposals(void **state)
{
	struct group *g = *state;
	struct mls_proposal p;
	struct external_edit e = { .add = &p, .n_add = 1 };

	erin_joins(g);
	/* an Add */
	assert_int_equal(fixture_party_key_package(CAROL(g)), 0);
	raw_add(CAROL(g), &p);
	bob_refuses_external(g, &e, MLS_ERR_VALIDATION);
	mls_proposal_free(&p);
	/* an Update (from a sender that has no leaf to update) */
	assert_int_equal(mls_group_make_update(&CAROL(g)->g, &p), 0);
	bob_refuses_external(g, &e, MLS_ERR_VALIDATION);
	mls_proposal_free(&p);
	/* a GroupContextExtensions */
	{
		struct mls_extension_list none = { NULL, 0 };

		assert_int_equal(mls_group_make_extensions(&none, &p), 0);
	}
	bob_refuses_external(g, &e, MLS_ERR_VALIDATION);
	mls_proposal_free(&p);
}

static void test_external_by_reference_or_no_path(void **state)
{
	struct group *g = *state;
	struct external_edit ref = { .add_reference = true };
	struct external_edit nopath = { .drop_path = true };

	erin_joins(g);
	bob_refuses_external(g, &ref, MLS_ERR_VALIDATION);
	/* the joiner's signature key is in the path's leaf: without one
	 * the signature cannot even be checked */
	bob_refuses_external(g, &nopath, MLS_ERR_NOT_FOUND);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unedited_forgery_accepted),
		T(test_two_adds_same_signature_key),
		T(test_two_updates_one_leaf),
		T(test_update_and_remove_one_leaf),
		T(test_two_removes_one_leaf),
		T(test_same_psk_twice),
		T(test_two_group_context_extensions),
		T(test_psk_nonce_length),
		T(test_member_sends_external_init),
		T(test_committer_own_update_by_value),
		T(test_committer_own_update_by_reference),
		T(test_remove_committer),
		T(test_remove_blank_or_absent_leaf),
		T(test_path_required_but_absent),
		T(test_extensions_without_path),
		T(test_external_unedited_accepted),
		T(test_external_init_count),
		T(test_external_two_removes),
		T(test_external_forbidden_proposals),
		T(test_external_by_reference_or_no_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
