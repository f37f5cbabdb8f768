// SPDX-License-Identifier: MIT
/*
 * The creating side of the group API: KeyPackages (§10), a new group
 * (§11), Commits with Welcome (§12.4), the pending-Commit rule, messages,
 * exporter, and the saved state blob. Forged or replayed Commits and
 * Welcomes must leave the group byte for byte as it was (saved blobs
 * before and after compared).
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

#define NOW	FIXTURE_NOW
#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519

static struct fixture_rng rng = { 42 };
static uint64_t clock_now = NOW;

static void party_init(struct fixture_party *p, const char *name)
{
	assert_int_equal(fixture_party_init(p, SUITE, name, &rng), 0);
	p->now = &clock_now;
}

static void party_key_package(struct fixture_party *p)
{
	assert_int_equal(fixture_party_key_package(p), 0);
}

static void party_create(struct fixture_party *p)
{
	assert_int_equal(fixture_party_create(p, "group", NULL), 0);
}

static void assert_agree(const struct mls_group *a, const struct mls_group *b)
{
	assert_int_equal(fixture_groups_agree(a, b, 16), 0);
}

/* Alice creates, adds Bob; returns Bob's Welcome and the Commit. */
static void alice_adds_bob(struct fixture_party *alice,
			   struct fixture_party *bob,
			   struct mls_bytes *commit, struct mls_bytes *welcome)
{
	struct mls_proposal add;
	struct mls_commit_options o = { .n_proposals = 1 };

	party_init(alice, "alice");
	party_init(bob, "bob");
	party_create(alice);
	party_key_package(bob);
	assert_int_equal(mls_group_make_add(&alice->g, bob->kp.data,
					    bob->kp.len, &add), 0);
	o.proposals = &add;
	assert_int_equal(mls_group_commit(&alice->g, &o, commit, welcome), 0);
	mls_proposal_free(&add);
}

/* ---- KeyPackages ---- */

static void test_key_package_valid_and_tampered(void **state)
{
	struct fixture_party p;
	struct mls_key_package kp;

	(void)state;
	party_init(&p, "carol");
	party_key_package(&p);
	assert_int_equal(mls_key_package_from_bytes(p.kp.data, p.kp.len, &kp),
			 0);
	assert_int_equal(mls_key_package_validate(p.s, &kp, NOW), 0);
	/* lifetime: default is an hour back to 90 days ahead */
	assert_int_equal(mls_key_package_validate(p.s, &kp, NOW - 7200),
			 MLS_ERR_VALIDATION);
	assert_int_equal(mls_key_package_validate(p.s, &kp,
						  NOW + 91u * 86400),
			 MLS_ERR_VALIDATION);
	assert_int_equal(mls_key_package_validate(mls_suite_get(3), &kp, NOW),
			 MLS_ERR_VALIDATION);
	kp.signature.data[0] ^= 1;
	assert_int_equal(mls_key_package_validate(p.s, &kp, NOW),
			 MLS_ERR_BAD_SIGNATURE);
	kp.signature.data[0] ^= 1;
	kp.leaf_node.signature.data[3] ^= 1;
	assert_int_not_equal(mls_key_package_validate(p.s, &kp, NOW), 0);
	kp.leaf_node.signature.data[3] ^= 1;
	/* §10: init_key and encryption_key must differ */
	mls_bytes_free(&kp.init_key);
	assert_int_equal(mls_bytes_dup(&kp.init_key,
				       &kp.leaf_node.encryption_key), 0);
	assert_int_equal(mls_key_package_validate(p.s, &kp, NOW),
			 MLS_ERR_VALIDATION);
	mls_key_package_free(&kp);
	fixture_party_free(&p);
}

static void test_add_expired_key_package_refused(void **state)
{
	struct fixture_party alice, bob;
	struct mls_proposal add;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_create(&alice);
	party_key_package(&bob);
	clock_now = NOW + 100u * 86400;
	assert_int_equal(mls_group_make_add(&alice.g, bob.kp.data, bob.kp.len,
					    &add), MLS_ERR_VALIDATION);
	clock_now = NOW;
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/*
 * mls_group_make_add's checks carry over to the Commit only for the very
 * KeyPackage they passed, and never its lifetime.
 */
static void test_made_add_checked_again_when_changed(void **state)
{
	struct fixture_party alice, bob;
	struct mls_proposal add;
	struct mls_commit_options o = { .n_proposals = 1 };
	struct mls_bytes commit, welcome;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_create(&alice);
	party_key_package(&bob);
	assert_int_equal(mls_group_make_add(&alice.g, bob.kp.data, bob.kp.len,
					    &add), 0);
	o.proposals = &add;
	add.add.key_package.signature.data[0] ^= 1;
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, &welcome),
			 MLS_ERR_BAD_SIGNATURE);
	assert_false(mls_group_has_pending_commit(&alice.g));
	add.add.key_package.signature.data[0] ^= 1;
	clock_now = NOW + 100u * 86400;
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, &welcome),
			 MLS_ERR_VALIDATION);
	clock_now = NOW;
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, &welcome), 0);
	assert_true(mls_group_has_pending_commit(&alice.g));
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_proposal_free(&add);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* ---- the group life cycle ---- */

static void test_two_members_talk(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit, welcome, msg, data;
	struct mls_message m;
	uint32_t sender;

	(void)state;
	alice_adds_bob(&alice, &bob, &commit, &welcome);
	/* nothing moves until the delivery service confirms */
	assert_int_equal(mls_group_epoch(&alice.g), 0);
	assert_true(mls_group_has_pending_commit(&alice.g));
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(mls_group_epoch(&alice.g), 1);
	assert_int_equal(fixture_party_join(&bob, &welcome), 0);
	assert_agree(&alice.g, &bob.g);

	assert_int_equal(mls_group_encrypt(&bob.g, (const uint8_t *)"hi", 2,
					   NULL, 0, &msg), 0);
	assert_int_equal(mls_message_from_bytes(msg.data, msg.len, &m), 0);
	assert_int_equal(mls_group_decrypt(&alice.g, &m, &data, &sender), 0);
	assert_int_equal(sender, mls_group_own_leaf(&bob.g));
	assert_int_equal(data.len, 2);
	assert_memory_equal(data.data, "hi", 2);
	mls_bytes_free(&data);
	/* a replayed application message is refused */
	assert_int_equal(mls_group_decrypt(&alice.g, &m, &data, NULL),
			 MLS_ERR_GENERATION);
	mls_message_free(&m);
	mls_bytes_free(&msg);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/*
 * A Welcome without the ratchet tree (external_tree, §12.4.3.3): the
 * joiner cannot join from it alone, and joins with the tree that
 * mls_group_pending_tree gave out of band.
 */
static int join_with_tree(struct fixture_party *p, const struct mls_bytes *wel,
			  const struct mls_ratchet_tree *tree)
{
	struct mls_group_join_options o = {
		.suite = p->s, .key_package = p->kp.data,
		.key_package_len = p->kp.len, .init_priv = p->sec.init_priv,
		.init_priv_len = p->sec.priv_len,
		.encryption_priv = p->sec.encryption_priv,
		.encryption_priv_len = p->sec.priv_len,
		.ratchet_tree = tree, .clock = fixture_clock,
		.clock_ctx = p->now, .sig_priv = p->sig_priv,
		.sig_priv_len = p->s->sig_priv_len, .crypto = &p->crypto,
	};
	struct mls_message m;
	int err;

	assert_int_equal(mls_message_from_bytes(wel->data, wel->len, &m), 0);
	err = mls_group_join(&p->g, &o, &m.welcome);
	mls_message_free(&m);
	return err;
}

static void test_welcome_without_tree(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_bytes tree = { NULL, 0 }, with_tree = { NULL, 0 };
	struct mls_ratchet_tree wire;
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1,
					  .external_tree = true };

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_create(&alice);
	party_key_package(&bob);
	assert_int_equal(mls_group_pending_tree(&alice.g, &tree),
			 MLS_ERR_INVALID_STATE);
	assert_int_equal(mls_group_make_add(&alice.g, bob.kp.data, bob.kp.len,
					    &add), 0);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_pending_tree(&alice.g, &tree), 0);
	/* the same Commit with the tree inside is longer by the tree */
	mls_group_discard_commit(&alice.g);
	mls_bytes_free(&commit);
	co.external_tree = false;
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, &with_tree),
			 0);
	assert_true(with_tree.len > welcome.len + tree.len - 8);
	mls_group_discard_commit(&alice.g);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_bytes_free(&tree);
	co.external_tree = true;
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_pending_tree(&alice.g, &tree), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);

	assert_int_equal(join_with_tree(&bob, &welcome, NULL),
			 MLS_ERR_VALIDATION);
	assert_int_equal(mls_ratchet_tree_from_bytes(tree.data, tree.len,
						     &wire), 0);
	assert_int_equal(join_with_tree(&bob, &welcome, &wire), 0);
	assert_agree(&alice.g, &bob.g);
	mls_ratchet_tree_free(&wire);
	mls_proposal_free(&add);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_bytes_free(&with_tree);
	mls_bytes_free(&tree);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

static void test_discard_and_competing_commit(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit, welcome, before, ca, cb;

	(void)state;
	alice_adds_bob(&alice, &bob, &commit, &welcome);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_party_join(&bob, &welcome), 0);

	/* a discarded Commit leaves no trace */
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &ca, NULL), 0);
	/* saved with the pending Commit (test_group_save_pending.c) */
	assert_saved(&alice.g, &cb);
	assert_false(mls_bytes_equal(&cb, &before));
	mls_bytes_free(&cb);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &cb, NULL),
			 MLS_ERR_INVALID_STATE);
	mls_group_discard_commit(&alice.g);
	assert_same_state(&alice.g, &before);
	assert_int_equal(mls_group_confirm_commit(&alice.g),
			 MLS_ERR_INVALID_STATE);
	mls_bytes_free(&ca);

	/* both commit; Bob's is ordered first, so Alice's is dropped */
	assert_int_equal(mls_group_commit(&alice.g, NULL, &ca, NULL), 0);
	assert_int_equal(mls_group_commit(&bob.g, NULL, &cb, NULL), 0);
	assert_int_equal(fixture_process(&alice.g, &cb), 0);
	assert_false(mls_group_has_pending_commit(&alice.g));
	assert_int_equal(mls_group_confirm_commit(&bob.g), 0);
	assert_agree(&alice.g, &bob.g);
	/* and Alice's own, arriving late, is of a past epoch */
	assert_int_not_equal(fixture_process(&bob.g, &ca), 0);
	mls_bytes_free(&before);
	mls_bytes_free(&ca);
	mls_bytes_free(&cb);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/*
 * Every single-byte flip of a Commit is rejected with nothing changed:
 * by the decoder, or (counted) by the group once it decoded.
 */
static void test_forged_and_replayed_commit(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit, welcome, before, c2;
	struct mls_message m;
	size_t i, tried = 0, decoded = 0, rejected = 0;

	(void)state;
	alice_adds_bob(&alice, &bob, &commit, &welcome);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_party_join(&bob, &welcome), 0);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &c2, NULL), 0);
	assert_saved(&bob.g, &before);
	for (i = 0; i < c2.len; i += 7) {
		c2.data[i] ^= 0x20;
		tried++;
		if (mls_message_from_bytes(c2.data, c2.len, &m) == 0) {
			decoded++;
			if (mls_group_process_commit(&bob.g, &m) != 0)
				rejected++;
			mls_message_free(&m);
		}
		c2.data[i] ^= 0x20;
		assert_same_state(&bob.g, &before);
	}
	/* all that decoded is refused by the group itself, and that is most */
	assert_int_equal(rejected, decoded);
	assert_true(decoded > tried / 2);
	assert_int_equal(fixture_process(&bob.g, &c2), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_agree(&alice.g, &bob.g);
	/* replayed: same Commit again, and the old add Commit */
	mls_bytes_free(&before);
	assert_saved(&bob.g, &before);
	assert_int_not_equal(fixture_process(&bob.g, &c2), 0);
	assert_int_not_equal(fixture_process(&bob.g, &commit), 0);
	assert_same_state(&bob.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&c2);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

static void test_forged_welcome(void **state)
{
	struct fixture_party alice, bob, eve;
	struct mls_bytes commit, welcome;
	struct mls_message m;
	size_t i, tried = 0, decoded = 0, rejected = 0;

	(void)state;
	alice_adds_bob(&alice, &bob, &commit, &welcome);
	for (i = 0; i < welcome.len; i += 5) {
		welcome.data[i] ^= 0x01;
		tried++;
		/* counted: those the decoder let through, refused by the join */
		if (mls_message_from_bytes(welcome.data, welcome.len, &m) == 0) {
			decoded++;
			if (m.wire_format != MLS_WIRE_WELCOME ||
			    fixture_party_join_welcome(&bob, &m.welcome) != 0)
				rejected++;
			mls_message_free(&m);
		}
		/* a failed join leaves a zeroed group */
		assert_null(bob.g.suite);
		welcome.data[i] ^= 0x01;
	}
	assert_int_equal(rejected, decoded);
	assert_true(decoded > tried / 2);
	/* someone whose KeyPackage was not added cannot join */
	party_init(&eve, "eve");
	party_key_package(&eve);
	assert_int_equal(fixture_party_join(&eve, &welcome), MLS_ERR_NOT_FOUND);
	assert_int_equal(fixture_party_join(&bob, &welcome), 0);
	fixture_party_free(&eve);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* ---- saved state ---- */

static void test_save_load_roundtrip(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit, welcome, blob, msg, data, c2;
	struct mls_group_load_options lo = { .clock = fixture_clock,
					     .clock_ctx = &clock_now };
	struct mls_group loaded;
	struct mls_message m;

	(void)state;
	alice_adds_bob(&alice, &bob, &commit, &welcome);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_party_join(&bob, &welcome), 0);
	/* Bob sends once before saving: his next key must not repeat */
	assert_int_equal(mls_group_encrypt(&bob.g, (const uint8_t *)"a", 1,
					   NULL, 0, &msg), 0);
	mls_bytes_free(&msg);
	assert_saved(&bob.g, &blob);
	lo.crypto = &bob.crypto;
	assert_int_equal(mls_group_load(&loaded, blob.data, blob.len, &lo), 0);
	assert_same_state(&loaded, &blob);
	assert_agree(&loaded, &alice.g);
	mls_group_free(&bob.g);
	bob.g = loaded;
	assert_int_equal(mls_group_encrypt(&bob.g, (const uint8_t *)"b", 1,
					   NULL, 0, &msg), 0);
	assert_int_equal(mls_message_from_bytes(msg.data, msg.len, &m), 0);
	assert_int_equal(mls_group_decrypt(&alice.g, &m, &data, NULL), 0);
	assert_memory_equal(data.data, "b", 1);
	assert_int_equal(m.private_message.epoch, 1);
	mls_bytes_free(&data);
	mls_message_free(&m);
	mls_bytes_free(&msg);
	/* and the loaded group follows the next Commit */
	assert_int_equal(mls_group_commit(&alice.g, NULL, &c2, NULL), 0);
	assert_int_equal(fixture_process(&bob.g, &c2), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_agree(&alice.g, &bob.g);
	mls_bytes_free(&c2);
	mls_bytes_free(&blob);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

static void test_damaged_blob(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit, welcome, blob;
	struct mls_group g;
	size_t len, i, bad = 0;
	int err;

	(void)state;
	alice_adds_bob(&alice, &bob, &commit, &welcome);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_saved(&alice.g, &blob);
	for (len = 0; len < blob.len; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		assert_non_null(copy);
		memcpy(copy, blob.data, len);
		assert_int_not_equal(mls_group_load(&g, copy, len, NULL), 0);
		assert_null(g.suite);
		free(copy);
	}
	for (i = 0; i < 2000; i++) {
		uint8_t flip = (uint8_t)(1u << (i % 8));
		size_t at;

		fixture_random(&rng, (uint8_t *)&len, sizeof(len));
		at = len % blob.len;
		blob.data[at] ^= flip;
		err = mls_group_load(&g, blob.data, blob.len, NULL);
		blob.data[at] ^= flip;
		if (err) {
			bad++;
			assert_null(g.suite);
			continue;
		}
		assert_same_state(&g, &blob);
		mls_group_free(&g);
	}
	assert_int_equal(bad, 2000);
	/* a byte more is damage too */
	{
		uint8_t *longer = calloc(1, blob.len + 1);

		assert_non_null(longer);
		memcpy(longer, blob.data, blob.len);
		assert_int_not_equal(mls_group_load(&g, longer, blob.len + 1,
						    NULL), 0);
		free(longer);
	}
	mls_bytes_free(&commit);
	mls_bytes_free(&blob);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_package_valid_and_tampered),
		cmocka_unit_test(test_add_expired_key_package_refused),
		cmocka_unit_test(test_made_add_checked_again_when_changed),
		cmocka_unit_test(test_two_members_talk),
		cmocka_unit_test(test_welcome_without_tree),
		cmocka_unit_test(test_discard_and_competing_commit),
		cmocka_unit_test(test_forged_and_replayed_commit),
		cmocka_unit_test(test_forged_welcome),
		cmocka_unit_test(test_save_load_roundtrip),
		cmocka_unit_test(test_damaged_blob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
