// SPDX-License-Identifier: MIT
/*
 * Joining by external Commit (RFC 9420 §12.4.3.2) in every suite, the
 * application's credential validator (§5.3.1), and proposals from
 * external senders (§12.1.8.1). Rejected messages must leave the group
 * byte for byte as it was (saved blobs compared).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/credential.h"
#include "mls/group.h"
#include "support/group_assert.h"

static struct fixture_rng rng = { 7 };

static void party_init(struct fixture_party *p, uint16_t suite,
		       const char *name)
{
	assert_int_equal(fixture_party_init(p, suite, name, &rng), 0);
}

static void party_key_package(struct fixture_party *p)
{
	assert_int_equal(fixture_party_key_package(p), 0);
}

static void party_create(struct fixture_party *p,
			 const struct mls_extension_list *e)
{
	assert_int_equal(fixture_party_create(p, "group", e), 0);
}

static void assert_agree(const struct mls_group *a, const struct mls_group *b)
{
	assert_int_equal(fixture_groups_agree(a, b, 32), 0);
}

/* Alice creates, Bob joins by Welcome: a two-member group. */
static void two_members(struct fixture_party *alice, struct fixture_party *bob,
			const struct mls_extension_list *e)
{
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };

	party_create(alice, e);
	party_key_package(bob);
	assert_int_equal(mls_group_make_add(&alice->g, bob->kp.data,
					    bob->kp.len, &add), 0);
	assert_int_equal(mls_group_commit(&alice->g, &co, &commit, &welcome),
			 0);
	mls_proposal_free(&add);
	assert_int_equal(mls_group_confirm_commit(&alice->g), 0);
	assert_int_equal(fixture_party_join(bob, &welcome), 0);
	assert_agree(&alice->g, &bob->g);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
}

static const uint16_t all_suites[] = {
	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519,
	MLS_SUITE_P256_AES128GCM_SHA256_P256,
	MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519,
	MLS_SUITE_X448_AES256GCM_SHA512_ED448,
	MLS_SUITE_P521_AES256GCM_SHA512_P521,
	MLS_SUITE_X448_CHACHA20POLY1305_SHA512_ED448,
	MLS_SUITE_P384_AES256GCM_SHA384_P384,
};

/* Carol joins by external Commit; everyone agrees, then keeps going. */
static void external_join_in(uint16_t suite)
{
	struct fixture_party alice, bob, carol;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes c2 = { NULL, 0 };

	party_init(&alice, suite, "alice");
	party_init(&bob, suite, "bob");
	party_init(&carol, suite, "carol");
	two_members(&alice, &bob, NULL);
	assert_int_equal(mls_group_export_group_info(&bob.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&carol, &gi, false, 0,
						     &commit), 0);
	assert_int_equal(mls_group_epoch(&carol.g), 2);
	assert_int_equal(mls_group_own_leaf(&carol.g), 2);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_agree(&alice.g, &carol.g);
	assert_agree(&bob.g, &carol.g);
	/* the joiner commits in turn, and the others follow */
	assert_int_equal(mls_group_commit(&carol.g, NULL, &c2, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&carol.g), 0);
	assert_int_equal(fixture_process(&alice.g, &c2), 0);
	assert_int_equal(fixture_process(&bob.g, &c2), 0);
	assert_agree(&alice.g, &carol.g);
	assert_agree(&bob.g, &carol.g);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	mls_bytes_free(&c2);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

/* libmls implements all seven RFC 9420 suites: a missing one fails. */
static void test_external_join_all_suites(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all_suites) / sizeof(all_suites[0]); i++) {
		print_message("suite %u\n", all_suites[i]);
		assert_non_null(mls_suite_get(all_suites[i]));
		external_join_in(all_suites[i]);
	}
}

/* Bob lost his state: he rejoins by external Commit removing his leaf. */
static void test_external_resync(void **state)
{
	struct fixture_party alice, bob, bob2;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };

	(void)state;
	party_init(&alice, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "alice");
	party_init(&bob, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "bob");
	two_members(&alice, &bob, NULL);
	party_init(&bob2, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "bob");
	assert_int_equal(mls_group_export_group_info(&alice.g, false, &gi), 0);
	/* no ratchet_tree extension and none given: nothing to validate */
	assert_int_equal(fixture_party_join_external(&bob2, &gi, true, 1,
						     &commit),
			 MLS_ERR_VALIDATION);
	mls_bytes_free(&gi);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&bob2, &gi, true, 1,
						     &commit), 0);
	/* the old leaf was removed first, so bob takes it again */
	assert_int_equal(mls_group_own_leaf(&bob2.g), 1);
	/* the old Bob is removed by it */
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_REMOVED);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_agree(&alice.g, &bob2.g);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&bob2);
}

/* §12.2: a member's Commit never carries ExternalInit. */
static void test_member_commit_external_init_rejected(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes before = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_proposal ei;
	struct mls_commit_options co = { .proposals = &ei, .n_proposals = 1 };
	uint8_t enc[32];

	(void)state;
	party_init(&alice, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "alice");
	party_init(&bob, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "bob");
	two_members(&alice, &bob, NULL);
	memset(enc, 9, sizeof(enc));
	memset(&ei, 0, sizeof(ei));
	ei.type = MLS_PROPOSAL_EXTERNAL_INIT;
	ei.external_init.kem_output.data = enc;
	ei.external_init.kem_output.len = sizeof(enc);
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, NULL),
			 MLS_ERR_VALIDATION);
	assert_int_equal(commit.len, 0);
	assert_false(mls_group_has_pending_commit(&alice.g));
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&before);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* An external Commit replayed into the next epoch is refused as stale. */
static void test_external_commit_replay_rejected(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };

	(void)state;
	party_init(&alice, MLS_SUITE_P256_AES128GCM_SHA256_P256, "alice");
	party_init(&bob, MLS_SUITE_P256_AES128GCM_SHA256_P256, "bob");
	party_init(&carol, MLS_SUITE_P256_AES128GCM_SHA256_P256, "carol");
	two_members(&alice, &bob, NULL);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&carol, &gi, false, 0,
						     &commit), 0);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_saved(&alice.g, &before);
	assert_int_equal(fixture_process(&alice.g, &commit),
			 MLS_ERR_OLD_EPOCH);
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

/* ---- the credential validator (§5.3.1) ---- */

/* Pinned (identity, signature key) pairs, filled as the parties are made. */
#define MAX_PINS 4
static char pin_names[MAX_PINS][32];
static uint8_t pin_keys[MAX_PINS][MLS_MAX_SIG_PUB_LEN];
static struct mls_identity_pin pin_table[MAX_PINS];
static struct mls_identity_pins pins = { pin_table, 0 };

/* Pin p's name with p's key, replacing the pin of that name if any. */
static void pin_party(const struct fixture_party *p)
{
	size_t i;

	for (i = 0; i < pins.count; i++)
		if (!strcmp(pin_names[i], p->name))
			break;
	assert_true(i < MAX_PINS);
	if (i == pins.count)
		pins.count++;
	snprintf(pin_names[i], sizeof(pin_names[i]), "%s", p->name);
	memcpy(pin_keys[i], p->sig_pub, p->s->sig_pub_len);
	pin_table[i].identity.data = (uint8_t *)pin_names[i];
	pin_table[i].identity.len = strlen(pin_names[i]);
	pin_table[i].signature_key.data = pin_keys[i];
	pin_table[i].signature_key.len = p->s->sig_pub_len;
}

/* A party that validates with the pins, itself pinned if listed. */
static void pinned_party(struct fixture_party *p, const char *name,
			 bool listed)
{
	party_init(p, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, name);
	p->validate = mls_credential_validate_pinned;
	p->validate_ctx = (void *)&pins;
	if (listed)
		pin_party(p);
}

static void test_validator_rejects_add(void **state)
{
	struct fixture_party alice, bob, mallory;
	struct mls_bytes before = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };

	(void)state;
	pinned_party(&alice, "alice", true);
	pinned_party(&bob, "bob", true);
	pinned_party(&mallory, "mallory", false);
	two_members(&alice, &bob, NULL);
	party_key_package(&mallory);
	assert_int_equal(mls_group_make_add(&alice.g, mallory.kp.data,
					    mallory.kp.len, &add), 0);
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, NULL),
			 MLS_ERR_VALIDATION);
	assert_same_state(&alice.g, &before);
	mls_proposal_free(&add);
	mls_bytes_free(&before);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&mallory);
}

/* Mallory joins by external Commit: every member refuses her leaf. */
static void test_validator_rejects_external_joiner(void **state)
{
	struct fixture_party alice, bob, mallory;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };

	(void)state;
	pinned_party(&alice, "alice", true);
	pinned_party(&bob, "bob", true);
	party_init(&mallory, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519,
		   "mallory");
	two_members(&alice, &bob, NULL);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&mallory, &gi, false, 0,
						     &commit), 0);
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_VALIDATION);
	assert_same_state(&bob.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&mallory);
}

/* Bob's resync may not turn him into carol (§5.3.2 via the validator). */
static void test_validator_rejects_identity_change(void **state)
{
	struct fixture_party alice, bob, fake;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };

	(void)state;
	pinned_party(&alice, "alice", true);
	pinned_party(&bob, "bob", true);
	pinned_party(&fake, "carol", true);
	two_members(&alice, &bob, NULL);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&fake, &gi, true, 1,
						     &commit), 0);
	assert_saved(&alice.g, &before);
	assert_int_equal(fixture_process(&alice.g, &commit),
			 MLS_ERR_VALIDATION);
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&fake);
}

/* A joiner whose validator refuses a member does not join at all. */
static void test_validator_rejects_tree_on_join(void **state)
{
	struct fixture_party alice, bob, mallory;
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };

	(void)state;
	party_init(&mallory, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519,
		   "mallory");
	pinned_party(&bob, "bob", true);
	party_init(&alice, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "alice");
	/* mallory's group, which alice (no validator) adds bob to */
	party_create(&mallory, NULL);
	party_key_package(&bob);
	assert_int_equal(mls_group_make_add(&mallory.g, bob.kp.data,
					    bob.kp.len, &add), 0);
	assert_int_equal(mls_group_commit(&mallory.g, &co, &commit, &welcome),
			 0);
	assert_int_equal(fixture_party_join(&bob, &welcome),
			 MLS_ERR_VALIDATION);
	assert_int_equal(mls_group_epoch(&bob.g), 0);
	mls_proposal_free(&add);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&mallory);
}

/* ---- external senders (§12.1.8.1) ---- */

static void test_external_sender_add(void **state)
{
	struct fixture_party alice, bob, ds, evil;
	struct mls_extension ext;
	struct mls_extension_list exts = { &ext, 1 };
	struct mls_bytes id = { (uint8_t *)"ds", 2 };
	const uint8_t *pubs[1];
	size_t pub_lens[1];
	struct mls_bytes prop = { NULL, 0 }, forged = { NULL, 0 };
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };
	struct mls_proposal add;
	uint16_t ext_types[] = { MLS_EXT_EXTERNAL_SENDERS };

	(void)state;
	party_init(&alice, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "alice");
	party_init(&bob, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "bob");
	party_init(&ds, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "ds");
	party_init(&evil, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "evil");
	pubs[0] = ds.sig_pub;
	pub_lens[0] = ds.s->sig_pub_len;
	assert_int_equal(mls_external_senders_extension(pubs, pub_lens, &id, 1,
							&ext), 0);
	{
		struct mls_group_create_options o = {
			.suite = alice.s, .crypto = &alice.crypto,
			.group_id = (const uint8_t *)"group",
			.group_id_len = 5, .clock = fixture_clock,
			.extensions = &exts,
		};

		fixture_party_signer(&alice, &o.signer);
		o.signer.extension_types = ext_types;
		o.signer.n_extension_types = 1;
		assert_int_equal(mls_group_create(&alice.g, &o), 0);
	}
	party_key_package(&bob);
	assert_int_equal(mls_group_make_add(&alice.g, bob.kp.data, bob.kp.len,
					    &add), 0);
	/* signed by a key the extension does not list */
	assert_int_equal(mls_external_sender_propose(&evil.crypto, evil.s,
			&alice.g.context, 0, evil.sig_priv,
			evil.s->sig_priv_len, &add, &forged), 0);
	assert_saved(&alice.g, &before);
	assert_int_equal(fixture_cache(&alice.g, &forged),
			 MLS_ERR_BAD_SIGNATURE);
	assert_same_state(&alice.g, &before);
	/* an index past the list */
	mls_bytes_free(&forged);
	assert_int_equal(mls_external_sender_propose(&ds.crypto, ds.s,
			&alice.g.context, 1, ds.sig_priv, ds.s->sig_priv_len,
			&add, &forged), 0);
	assert_int_not_equal(fixture_cache(&alice.g, &forged), 0);
	assert_same_state(&alice.g, &before);
	assert_int_equal(mls_external_sender_propose(&ds.crypto, ds.s,
			&alice.g.context, 0, ds.sig_priv, ds.s->sig_priv_len,
			&add, &prop), 0);
	assert_int_equal(fixture_cache(&alice.g, &prop), 0);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_party_join(&bob, &welcome), 0);
	assert_agree(&alice.g, &bob.g);
	mls_proposal_free(&add);
	mls_extension_free(&ext);
	mls_bytes_free(&prop);
	mls_bytes_free(&forged);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_bytes_free(&before);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&ds);
	fixture_party_free(&evil);
}

/* One external PSK, "psk-1", for the lookups below. */
static const uint8_t psk_secret_1[32] = { 1, 2, 3 };

static int lookup_psk_1(void *ctx, const struct mls_psk_id *id,
			const uint8_t **secret, size_t *secret_len)
{
	(void)ctx;
	if (id->psktype != MLS_PSK_EXTERNAL || id->psk_id.len != 5 ||
	    memcmp(id->psk_id.data, "psk-1", 5) != 0)
		return MLS_ERR_NOT_FOUND;
	*secret = psk_secret_1;
	*secret_len = sizeof(psk_secret_1);
	return 0;
}

static int external_join_psk(struct fixture_party *p,
			     const struct mls_bytes *gi,
			     const struct mls_bytes *ids, size_t n,
			     struct mls_bytes *commit)
{
	struct mls_external_join_options o = {
		.suite = p->s, .crypto = &p->crypto,
		.external_psks = ids, .n_external_psks = n,
		.psk_lookup = p->psk_lookup, .clock = fixture_clock,
	};
	struct mls_message m;
	int err;

	fixture_party_signer(p, &o.signer);
	assert_int_equal(mls_message_from_bytes(gi->data, gi->len, &m), 0);
	err = mls_group_join_external(&p->g, &o, &m.group_info, commit);
	mls_message_free(&m);
	return err;
}

/*
 * An external Commit that brings in an external PSK (§12.4.3.2 allows
 * PreSharedKey proposals): the members who hold the PSK follow it, a
 * member without it cannot, and a joiner without it cannot send it.
 */
static void test_external_join_with_psk(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };
	struct mls_bytes ids[1] = { { (uint8_t *)"psk-1", 5 } };
	struct mls_message m;

	(void)state;
	party_init(&alice, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "alice");
	party_init(&bob, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "bob");
	party_init(&carol, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "carol");
	alice.psk_lookup = lookup_psk_1;
	two_members(&alice, &bob, NULL);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);

	/* the joiner lacks the PSK */
	assert_int_equal(external_join_psk(&carol, &gi, ids, 1, &commit),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(external_join_psk(&carol, &gi, ids,
					   MLS_MAX_EXTERNAL_JOIN_PSKS + 1,
					   &commit), MLS_ERR_INVALID_ARG);
	carol.psk_lookup = lookup_psk_1;
	assert_int_equal(external_join_psk(&carol, &gi, ids, 1, &commit), 0);
	assert_int_equal(mls_message_from_bytes(commit.data, commit.len, &m),
			 0);
	assert_int_equal(m.public_message.content.content.commit.count, 2);
	assert_int_equal(m.public_message.content.content.commit.proposals[1]
				 .proposal.type, MLS_PROPOSAL_PSK);
	mls_message_free(&m);
	/* Bob has no PSK store: he cannot follow, and stays as he was */
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_NOT_FOUND);
	assert_same_state(&bob.g, &before);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_agree(&alice.g, &carol.g);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	mls_bytes_free(&before);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

/* ---- a would-be member's own Add (§12.1.8) ---- */

static const struct mls_group_policy open_policy = {
	.accept_new_member_proposals = true,
};

/*
 * mls_new_member_propose: Bob proposes himself to Alice's group, Alice
 * (whose policy admits such proposals) commits it by reference and Bob
 * joins from the Welcome. A key that is not the KeyPackage's, a
 * KeyPackage of another suite than the group's and a damaged KeyPackage
 * are refused before anything is signed.
 */
static void test_new_member_propose(void **state)
{
	struct fixture_party alice, bob, other;
	struct mls_bytes prop = { NULL, 0 }, bad = { NULL, 0 };
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	const struct mls_group_context *gc;

	(void)state;
	party_init(&alice, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "alice");
	party_init(&bob, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, "bob");
	party_init(&other, MLS_SUITE_P256_AES128GCM_SHA256_P256, "other");
	alice.policy = &open_policy;
	party_create(&alice, NULL);
	gc = &alice.g.context;
	party_key_package(&bob);
	party_key_package(&other);

	/* not the KeyPackage's signature key */
	assert_int_equal(mls_new_member_propose(&alice.crypto, bob.s, gc,
			alice.sig_priv, alice.s->sig_priv_len, bob.kp.data,
			bob.kp.len, &bad), MLS_ERR_VALIDATION);
	assert_null(bad.data);
	/* a KeyPackage of another suite */
	assert_int_equal(mls_new_member_propose(&other.crypto, other.s, gc,
			other.sig_priv, other.s->sig_priv_len, other.kp.data,
			other.kp.len, &bad), MLS_ERR_VALIDATION);
	/* damaged */
	assert_int_not_equal(mls_new_member_propose(&bob.crypto, bob.s, gc,
			bob.sig_priv, bob.s->sig_priv_len, bob.kp.data,
			bob.kp.len - 1, &bad), 0);
	assert_null(bad.data);

	assert_int_equal(mls_new_member_propose(&bob.crypto, bob.s, gc,
			bob.sig_priv, bob.s->sig_priv_len, bob.kp.data,
			bob.kp.len, &prop), 0);
	assert_int_equal(fixture_cache(&alice.g, &prop), 0);
	assert_int_equal(alice.g.n_proposals, 1);
	assert_int_equal(alice.g.proposals[0].sender.type,
			 MLS_SENDER_NEW_MEMBER_PROPOSAL);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_party_join(&bob, &welcome), 0);
	assert_agree(&alice.g, &bob.g);
	mls_bytes_free(&prop);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_external_join_all_suites),
		cmocka_unit_test(test_external_resync),
		cmocka_unit_test(test_member_commit_external_init_rejected),
		cmocka_unit_test(test_external_commit_replay_rejected),
		cmocka_unit_test(test_validator_rejects_add),
		cmocka_unit_test(test_validator_rejects_external_joiner),
		cmocka_unit_test(test_validator_rejects_identity_change),
		cmocka_unit_test(test_validator_rejects_tree_on_join),
		cmocka_unit_test(test_external_sender_add),
		cmocka_unit_test(test_new_member_propose),
		cmocka_unit_test(test_external_join_with_psk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
