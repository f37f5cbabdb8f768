// SPDX-License-Identifier: MIT
/*
 * mls_group_load's field checks. test_group_api.c damages saved blobs
 * and sees the checksum refuse them; here every damaged blob carries a
 * checksum recomputed over the damage, so that what refuses it is the
 * check of the field itself: each inconsistency is refused with
 * MLS_ERR_VALIDATION (or the decoder's error) and leaves a zeroed group.
 * And a group with cached proposals and a pending Update is saved,
 * loaded and then follows the Commit that uses them.
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
#include "support/state_assert.h"

#define SUITE		MLS_SUITE_X25519_AES128GCM_SHA256_ED25519

static struct fixture_rng rng = { 5150 };

struct group {
	struct fixture_party p[3];	/* alice, bob, carol */
	struct mls_bytes blob;		/* bob's saved state */
};

#define ALICE(G)	(&(G)->p[0])
#define BOB(G)		(&(G)->p[1])
#define CAROL(G)	(&(G)->p[2])

static const char *const names[3] = { "alice", "bob", "carol" };

/* Three members, two epochs on: bob's blob has a resumption history. */
static int setup(void **state)
{
	struct group *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	assert_int_equal(forge_members(g->p, names, 3, SUITE, &rng), 0);
	assert_int_equal(forge_commit_all(g->p, 3, NULL), 0);
	assert_saved(&BOB(g)->g, &g->blob);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct group *g = *state;

	forge_members_free(g->p, 3);
	mls_bytes_free(&g->blob);
	free(g);
	return 0;
}

/*
 * bob's blob loaded, changed by edit and saved again (save checks
 * nothing, and writes a good checksum): the load must refuse it.
 */
static void field_refused(const struct group *gr,
			  void (*edit)(struct mls_group *g), int want)
{
	struct mls_bytes bad;
	struct mls_group g;

	assert_int_equal(mls_group_load(&g, gr->blob.data, gr->blob.len,
					 NULL), 0);
	edit(&g);
	assert_int_equal(mls_group_save(&g, &bad), 0);
	mls_group_free(&g);
	assert_false(bad.len == gr->blob.len &&
		     !memcmp(bad.data, gr->blob.data, bad.len));
	state_load_refused(&bad, want);
	mls_bytes_free(&bad);
}

/* ---- the fields ---- */

static void wrong_context_suite(struct mls_group *g)
{
	g->context.cipher_suite = MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519;
}

static void wrong_version(struct mls_group *g)
{
	g->context.version = 2;
}

static void wrong_tree_hash(struct mls_group *g)
{
	g->context.tree_hash.data[0] ^= 1;
}

static void short_tree_hash(struct mls_group *g)
{
	g->context.tree_hash.len--;
}

/* the epoch no longer matches the resumption history */
static void wrong_epoch(struct mls_group *g)
{
	g->context.epoch++;
}

static void wrong_resumption_psk(struct mls_group *g)
{
	g->secrets.resumption_psk[0] ^= 1;
}

static void wrong_leaf_key(struct mls_group *g)
{
	assert_true(g->priv.n_keys > 0);
	g->priv.keys[0].priv[1] ^= 1;	/* byte 0 bits 0-2: clamped */
}

static void wrong_update_key(struct mls_group *g)
{
	assert_int_equal(g->n_updates, 1);
	g->updates[0].priv[1] ^= 1;
}

static void wrong_own_leaf(struct mls_group *g)
{
	g->priv.leaf_index = 0;
}

static void wrong_sig_priv_len(struct mls_group *g)
{
	g->sig_priv_len = 5;
}

/* a tree whose hash is not the one the GroupContext names */
static void tree_changed(struct mls_group *g)
{
	struct mls_leaf_node *leaf =
		(struct mls_leaf_node *)mls_tree_leaf(&g->tree, 2);

	assert_non_null(leaf);
	leaf->credential.identity.data[0] ^= 1;
}

static void test_context_fields(void **state)
{
	field_refused(*state, wrong_context_suite, MLS_ERR_VALIDATION);
	field_refused(*state, wrong_version, MLS_ERR_VALIDATION);
	field_refused(*state, wrong_tree_hash, MLS_ERR_VALIDATION);
	field_refused(*state, short_tree_hash, MLS_ERR_VALIDATION);
	field_refused(*state, wrong_epoch, MLS_ERR_VALIDATION);
}

static void test_tree_and_secrets_fields(void **state)
{
	field_refused(*state, tree_changed, MLS_ERR_VALIDATION);
	field_refused(*state, wrong_resumption_psk, MLS_ERR_VALIDATION);
	field_refused(*state, wrong_leaf_key, MLS_ERR_VALIDATION);
	field_refused(*state, wrong_own_leaf, MLS_ERR_VALIDATION);
	field_refused(*state, wrong_sig_priv_len, MLS_ERR_VALIDATION);
}

/* A private key that is not its public key's is an inconsistency too. */
static void test_pending_update_key(void **state)
{
	struct group *gr = *state;
	struct mls_proposal up;

	assert_int_equal(mls_group_make_update(&BOB(gr)->g, &up), 0);
	mls_bytes_free(&gr->blob);
	assert_saved(&BOB(gr)->g, &gr->blob);
	field_refused(gr, wrong_update_key, MLS_ERR_VALIDATION);
	mls_proposal_free(&up);
}

static void test_unknown_suite(void **state)
{
	const struct group *gr = *state;
	struct mls_bytes bad;
	size_t at = state_body_start(&gr->blob);

	assert_int_equal(mls_bytes_dup(&bad, &gr->blob), 0);
	bad.data[at] = 0xff;
	bad.data[at + 1] = 0x0f;
	state_rehash(&bad);
	state_load_refused(&bad, MLS_ERR_VALIDATION);
	/* a known suite that is not the GroupContext's */
	bad.data[at] = 0;
	bad.data[at + 1] = MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519;
	state_rehash(&bad);
	state_load_refused(&bad, MLS_ERR_VALIDATION);
	mls_bytes_free(&bad);
}

/*
 * Every byte of the body flipped in turn, the checksum recomputed: the
 * load refuses it (zeroed group) or takes it and saves exactly that
 * blob again: no damage is silently turned into another state. The
 * checks refuse most of them.
 */
static void test_every_byte_with_checksum(void **state)
{
	const struct group *gr = *state;
	struct mls_bytes bad;
	struct mls_group g;
	size_t at, tried = 0, refused = 0;

	assert_int_equal(mls_bytes_dup(&bad, &gr->blob), 0);
	for (at = state_body_start(&bad); at < bad.len - STATE_HASH_LEN;
	     at += 3) {
		bad.data[at] ^= 0x80;
		state_rehash(&bad);
		tried++;
		if (mls_group_load(&g, bad.data, bad.len, NULL)) {
			assert_null(g.suite);
			refused++;
		} else {
			assert_same_state(&g, &bad);
			mls_group_free(&g);
		}
		bad.data[at] ^= 0x80;
	}
	state_rehash(&bad);
	assert_int_equal(mls_bytes_equal(&bad, &gr->blob), true);
	/* secrets and private keys are unchecked bytes; the rest is not */
	assert_true(refused > tried / 3);
	mls_bytes_free(&bad);
}

/* ---- cached proposals and a pending Update survive ---- */

static void test_proposals_and_update_saved(void **state)
{
	struct group *gr = *state;
	struct mls_group_load_options lo = { .clock = fixture_clock };
	struct mls_bytes up_msg, rm_msg, blob, commit, welcome;
	struct mls_proposal up, rm;
	struct mls_group loaded;

	/* bob proposes an Update (keeping its key), alice a Remove */
	assert_int_equal(mls_group_make_update(&BOB(gr)->g, &up), 0);
	assert_int_equal(mls_group_propose(&BOB(gr)->g, &up,
					   MLS_GROUP_WIRE_PUBLIC, &up_msg,
					   NULL), 0);
	assert_int_equal(mls_group_make_remove(&ALICE(gr)->g, 2, &rm), 0);
	assert_int_equal(mls_group_propose(&ALICE(gr)->g, &rm,
					   MLS_GROUP_WIRE_PUBLIC, &rm_msg,
					   NULL), 0);
	assert_int_equal(fixture_cache(&BOB(gr)->g, &rm_msg), 0);
	assert_int_equal(fixture_cache(&ALICE(gr)->g, &up_msg), 0);
	assert_int_equal(BOB(gr)->g.n_proposals, 2);
	assert_int_equal(BOB(gr)->g.n_updates, 1);

	assert_saved(&BOB(gr)->g, &blob);
	lo.crypto = &BOB(gr)->crypto;
	assert_int_equal(mls_group_load(&loaded, blob.data, blob.len, &lo), 0);
	assert_same_state(&loaded, &blob);
	assert_int_equal(loaded.n_proposals, 2);
	assert_int_equal(loaded.n_updates, 1);
	mls_group_free(&BOB(gr)->g);
	BOB(gr)->g = loaded;

	/* alice commits both by reference: the loaded bob follows, with the
	 * private key of his Update for his new leaf */
	assert_int_equal(mls_group_commit(&ALICE(gr)->g, NULL, &commit,
					  &welcome), 0);
	assert_int_equal(fixture_process(&BOB(gr)->g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&ALICE(gr)->g), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(gr)->g, &BOB(gr)->g, 16),
			 0);
	assert_int_equal(mls_tree_member_count(&BOB(gr)->g.tree), 2);
	/* and can still be reached through the new leaf key */
	mls_bytes_free(&commit);
	assert_int_equal(mls_group_commit(&ALICE(gr)->g, NULL, &commit, NULL),
			 0);
	assert_int_equal(fixture_process(&BOB(gr)->g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&ALICE(gr)->g), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(gr)->g, &BOB(gr)->g, 16),
			 0);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_bytes_free(&blob);
	mls_bytes_free(&up_msg);
	mls_bytes_free(&rm_msg);
	mls_proposal_free(&up);
	mls_proposal_free(&rm);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_context_fields),
		T(test_tree_and_secrets_fields),
		T(test_pending_update_key),
		T(test_unknown_suite),
		T(test_every_byte_with_checksum),
		T(test_proposals_and_update_saved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
