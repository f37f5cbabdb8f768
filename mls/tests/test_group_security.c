// SPDX-License-Identifier: MIT
/*
 * Holes an adversarial delivery service (or an outsider) could use
 * against a group, each closed and pinned here: cached proposals that
 * would sink a Commit (§12.2), credentials pinned with their keys
 * (§5.3.1), GroupContext extensions against every member's capabilities
 * (§13), unmerged_leaves along direct paths (§7.9), our own Commit
 * echoed back, distinct errors for removal and other epochs, clock skew
 * on lifetimes (§7.2) and KeyPackages that do not list the group's
 * suite (§10.1). Every rejection leaves the saved state unchanged.
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
#include "mls/framing.h"
#include "mls/group.h"
#include "support/group_assert.h"

#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519

static struct fixture_rng rng = { 11 };
static const struct mls_group_policy open_policy = {
	.accept_new_member_proposals = true,
};

static void party_init(struct fixture_party *p, const char *name)
{
	assert_int_equal(fixture_party_init(p, SUITE, name, &rng), 0);
}

static void party_key_package(struct fixture_party *p)
{
	assert_int_equal(fixture_party_key_package(p), 0);
}

static void assert_agree(const struct mls_group *a, const struct mls_group *b)
{
	assert_int_equal(fixture_groups_agree(a, b, 32), 0);
}

/* Alice creates, Bob joins by Welcome. */
static void two_members(struct fixture_party *alice, struct fixture_party *bob)
{
	assert_int_equal(fixture_party_create(alice, "group", NULL), 0);
	assert_int_equal(fixture_party_add(alice, bob, NULL), 0);
	assert_agree(&alice->g, &bob->g);
}

/* ---- KeyPackages built by hand, re-signed by their owner ---- */

typedef void (*kp_edit_fn)(struct mls_key_package *kp, const void *arg);

static void sign_into(const struct fixture_party *p, struct mls_writer *w,
		      const char *label, struct mls_bytes *sig)
{
	uint8_t buf[MLS_MAX_SIGNATURE_LEN];
	size_t len = 0;

	assert_int_equal(mls_writer_error(w), 0);
	assert_int_equal(mls_sign_with_label(&p->crypto, p->s, p->sig_priv,
					     p->s->sig_priv_len, label, w->buf,
					     w->len, buf, &len), 0);
	mls_bytes_free(sig);
	assert_int_equal(mls_bytes_set(sig, buf, len), 0);
	mls_writer_free(w);
}

/*
 * p's KeyPackage p->kp changed by edit, its leaf and the package signed
 * again with p's key: what a client of another implementation (or a
 * malicious one) could publish.
 */
static void edit_key_package(struct fixture_party *p, kp_edit_fn edit,
			     const void *arg)
{
	static const struct mls_bytes no_group;
	struct mls_key_package kp;
	struct mls_writer w;

	assert_int_equal(mls_key_package_from_bytes(p->kp.data, p->kp.len,
						    &kp), 0);
	edit(&kp, arg);
	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, &kp.leaf_node, &no_group, 0);
	sign_into(p, &w, "LeafNodeTBS", &kp.leaf_node.signature);
	mls_writer_init(&w);
	mls_key_package_encode_tbs(&w, &kp);
	sign_into(p, &w, "KeyPackageTBS", &kp.signature);
	mls_bytes_free(&p->kp);
	assert_int_equal(mls_key_package_to_bytes(&kp, &p->kp), 0);
	mls_key_package_free(&kp);
}

static void set_encryption_key(struct mls_key_package *kp, const void *arg)
{
	mls_bytes_free(&kp->leaf_node.encryption_key);
	assert_int_equal(mls_bytes_dup(&kp->leaf_node.encryption_key, arg), 0);
}

/*
 * An Add of p's KeyPackage from p itself (sender new_member_proposal,
 * §12.1.8: signed with the KeyPackage's key, no membership tag), for
 * the group whose context is gc.
 */
static void new_member_propose(const struct fixture_party *p,
			       const struct mls_group_context *gc,
			       struct mls_bytes *msg)
{
	assert_int_equal(mls_new_member_propose(&p->crypto, p->s, gc,
						p->sig_priv, p->s->sig_priv_len,
						p->kp.data, p->kp.len, msg),
			 0);
}

/* ---- 1: cached proposals that would sink the Commit (§12.2) ---- */

/*
 * Outsiders send new_member_proposals whose KeyPackages reuse a member's
 * encryption key, a member's signature key, and another joiner's
 * encryption key. Each passes the proposal checks alone but cannot be
 * applied: the default Commit leaves them out and adds carol, instead of
 * failing as a whole (which would let the relay block every Commit).
 */
static void test_commit_drops_cached_add_reusing_keys(void **state)
{
	struct fixture_party alice, bob, carol, mallory, mallory2, mallory3;
	struct mls_bytes m1 = { NULL, 0 }, m2 = { NULL, 0 }, m3 = { NULL, 0 };
	struct mls_bytes m4 = { NULL, 0 };
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_key_package ckp;
	const struct mls_leaf_node *bob_leaf;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_init(&carol, "carol");
	party_init(&mallory, "mallory");
	party_init(&mallory3, "mallory3");
	alice.policy = &open_policy;
	bob.policy = &open_policy;
	two_members(&alice, &bob);
	/* mallory2 holds bob's signature key pair (a cloned device) */
	assert_int_equal(fixture_party_init_key(&mallory2, SUITE, "bob", &rng,
						bob.sig_priv, bob.sig_pub), 0);
	bob_leaf = mls_tree_leaf(&alice.g.tree, 1);
	assert_non_null(bob_leaf);
	party_key_package(&mallory);
	edit_key_package(&mallory, set_encryption_key,
			 &bob_leaf->encryption_key);
	party_key_package(&mallory2);
	party_key_package(&carol);
	assert_int_equal(mls_key_package_from_bytes(carol.kp.data, carol.kp.len,
						    &ckp), 0);
	party_key_package(&mallory3);
	edit_key_package(&mallory3, set_encryption_key,
			 &ckp.leaf_node.encryption_key);
	mls_key_package_free(&ckp);

	new_member_propose(&mallory, &alice.g.context, &m1);
	new_member_propose(&mallory2, &alice.g.context, &m2);
	new_member_propose(&carol, &alice.g.context, &m3);
	new_member_propose(&mallory3, &alice.g.context, &m4);
	assert_int_equal(fixture_cache(&alice.g, &m1), 0);
	assert_int_equal(fixture_cache(&alice.g, &m2), 0);
	assert_int_equal(fixture_cache(&alice.g, &m3), 0);
	assert_int_equal(fixture_cache(&alice.g, &m4), 0);
	assert_int_equal(fixture_cache(&bob.g, &m3), 0);

	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(mls_tree_member_count(&alice.g.tree), 3);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_party_join(&carol, &welcome), 0);
	assert_agree(&alice.g, &bob.g);
	assert_agree(&alice.g, &carol.g);

	mls_bytes_free(&m1);
	mls_bytes_free(&m2);
	mls_bytes_free(&m3);
	mls_bytes_free(&m4);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
	fixture_party_free(&mallory);
	fixture_party_free(&mallory2);
	fixture_party_free(&mallory3);
}

/* Unless the policy says so, a would-be member cannot propose itself. */
static void test_new_member_proposals_opt_in(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_bytes msg = { NULL, 0 }, before = { NULL, 0 };
	struct mls_bytes blob = { NULL, 0 };
	struct mls_group loaded;
	struct mls_group_load_options lo = { .policy = &open_policy };

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_init(&carol, "carol");
	two_members(&alice, &bob);
	party_key_package(&carol);
	new_member_propose(&carol, &alice.g.context, &msg);
	assert_saved(&alice.g, &before);
	assert_int_equal(fixture_cache(&alice.g, &msg), MLS_ERR_POLICY);
	assert_same_state(&alice.g, &before);
	assert_int_equal(alice.g.n_proposals, 0);
	/* the policy is the application's: not saved, given on load */
	assert_int_equal(mls_group_save(&alice.g, &blob), 0);
	assert_int_equal(mls_group_load(&loaded, blob.data, blob.len, &lo), 0);
	assert_int_equal(fixture_cache(&loaded, &msg), 0);
	assert_int_equal(loaded.n_proposals, 1);
	mls_group_set_policy(&loaded, NULL);
	mls_group_free(&loaded);
	mls_group_set_policy(&alice.g, &open_policy);
	assert_int_equal(fixture_cache(&alice.g, &msg), 0);
	assert_int_equal(alice.g.n_proposals, 1);
	mls_bytes_free(&msg);
	mls_bytes_free(&before);
	mls_bytes_free_secret(&blob);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

/* ---- 2: credentials pinned with their signature keys (§5.3.1) ---- */

static void pin(struct mls_identity_pin *pin, const struct fixture_party *p)
{
	pin->identity.data = (uint8_t *)p->name;
	pin->identity.len = strlen(p->name);
	pin->signature_key.data = (uint8_t *)p->sig_pub;
	pin->signature_key.len = p->s->sig_pub_len;
}

/*
 * The relay joins by external Commit as "alice" with a key of its own,
 * and offers a KeyPackage claiming "bob": the members refuse both.
 */
static void test_pinned_identity_needs_its_key(void **state)
{
	struct fixture_party alice, bob, relay, fake_bob;
	struct mls_identity_pin table[2];
	struct mls_identity_pins pins = { table, 2 };
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_init(&relay, "alice");
	party_init(&fake_bob, "bob");
	pin(&table[0], &alice);
	pin(&table[1], &bob);
	alice.validate = bob.validate = mls_credential_validate_pinned;
	alice.validate_ctx = bob.validate_ctx = &pins;
	two_members(&alice, &bob);

	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&relay, &gi, false, 0,
						     &commit), 0);
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_VALIDATION);
	assert_same_state(&bob.g, &before);
	mls_bytes_free(&before);
	assert_saved(&alice.g, &before);
	assert_int_equal(fixture_process(&alice.g, &commit),
			 MLS_ERR_VALIDATION);
	assert_same_state(&alice.g, &before);

	party_key_package(&fake_bob);
	assert_int_equal(mls_group_make_add(&alice.g, fake_bob.kp.data,
					    fake_bob.kp.len, &add), 0);
	mls_bytes_free(&commit);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, NULL),
			 MLS_ERR_VALIDATION);
	assert_false(mls_group_has_pending_commit(&alice.g));
	assert_same_state(&alice.g, &before);
	mls_proposal_free(&add);

	mls_bytes_free(&before);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&relay);
	fixture_party_free(&fake_bob);
}

/* ---- 5: our own Commit echoed by the delivery service ---- */

/*
 * Alice's Commit comes back to her as the delivery service sends it to
 * everyone, PrivateMessage or PublicMessage: it confirms her pending
 * Commit. Once nothing is pending, the same echo is refused and changes
 * nothing.
 */
static void own_commit_echo(enum mls_group_wire wire)
{
	struct fixture_party alice, bob;
	struct mls_commit_options co = { .force_path = true, .wire = wire };
	struct mls_bytes commit = { NULL, 0 }, before = { NULL, 0 };

	party_init(&alice, "alice");
	party_init(&bob, "bob");
	two_members(&alice, &bob);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, NULL), 0);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_false(mls_group_has_pending_commit(&alice.g));
	assert_int_equal(mls_group_epoch(&alice.g), 2);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_agree(&alice.g, &bob.g);
	/* the echo again, with nothing pending: refused, nothing changes */
	assert_saved(&alice.g, &before);
	assert_int_not_equal(fixture_process(&alice.g, &commit), 0);
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

static void test_own_private_commit_echo_confirms(void **state)
{
	(void)state;
	own_commit_echo(MLS_GROUP_WIRE_PRIVATE);
}

static void test_own_public_commit_echo_confirms(void **state)
{
	(void)state;
	own_commit_echo(MLS_GROUP_WIRE_PUBLIC);
}

/* A discarded Commit of ours echoed back does not move the group. */
static void test_discarded_commit_echo_refused(void **state)
{
	struct fixture_party alice, bob;
	struct mls_commit_options co = { .wire = MLS_GROUP_WIRE_PRIVATE };
	struct mls_bytes c1 = { NULL, 0 }, c2 = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	two_members(&alice, &bob);
	assert_int_equal(mls_group_commit(&alice.g, &co, &c1, NULL), 0);
	mls_group_discard_commit(&alice.g);
	assert_int_equal(mls_group_commit(&alice.g, &co, &c2, NULL), 0);
	mls_group_discard_commit(&alice.g);
	assert_saved(&alice.g, &before);
	assert_int_not_equal(fixture_process(&alice.g, &c1), 0);
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&c1);
	assert_int_equal(mls_group_commit(&alice.g, &co, &c1, NULL), 0);
	/* pending c1' is not c2 */
	assert_int_not_equal(fixture_process(&alice.g, &c2), 0);
	assert_true(mls_group_has_pending_commit(&alice.g));
	assert_int_equal(mls_group_epoch(&alice.g), 1);
	mls_bytes_free(&before);
	mls_bytes_free(&c1);
	mls_bytes_free(&c2);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* ---- 6: removal and other epochs get their own errors ---- */

static void remove_member(struct fixture_party *committer, uint32_t leaf,
			  struct mls_bytes *commit)
{
	struct mls_proposal rm;
	struct mls_commit_options co = { .proposals = &rm, .n_proposals = 1 };

	assert_int_equal(mls_group_make_remove(&committer->g, leaf, &rm), 0);
	assert_int_equal(mls_group_commit(&committer->g, &co, commit, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&committer->g), 0);
	mls_proposal_free(&rm);
}

/*
 * Bob is removed: MLS_ERR_REMOVED, and his group is over (nothing more
 * to send, follow or save), while it stays in the epoch it knew.
 */
static void test_removed_member_gets_removed_error(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_bytes c1 = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes out = { NULL, 0 };
	struct mls_proposal up;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_init(&carol, "carol");
	two_members(&alice, &bob);
	assert_int_equal(fixture_party_add(&alice, &carol, &c1), 0);
	assert_int_equal(fixture_process(&bob.g, &c1), 0);
	remove_member(&alice, 1, &commit);
	assert_false(mls_group_removed(&bob.g));
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_REMOVED);
	assert_true(mls_group_removed(&bob.g));
	assert_int_equal(mls_group_epoch(&bob.g), 2);
	/* again, and every call that would act in the group */
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_REMOVED);
	assert_int_equal(mls_group_commit(&bob.g, NULL, &out, NULL),
			 MLS_ERR_REMOVED);
	assert_int_equal(mls_group_encrypt(&bob.g, (const uint8_t *)"x", 1,
					   NULL, 0, &out), MLS_ERR_REMOVED);
	assert_int_equal(mls_group_make_update(&bob.g, &up), MLS_ERR_REMOVED);
	assert_int_equal(mls_group_save(&bob.g, &out), MLS_ERR_REMOVED);
	assert_null(out.data);
	/* the others go on */
	assert_int_equal(fixture_process(&carol.g, &commit), 0);
	assert_agree(&alice.g, &carol.g);
	mls_bytes_free(&c1);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

/*
 * Anyone with a GroupInfo can send an external Commit that "resyncs"
 * bob's leaf away. Bob's validator refuses the joiner (not bob's pinned
 * key): he must not count himself removed, nor change at all.
 */
static void test_refused_resync_does_not_remove(void **state)
{
	struct fixture_party alice, bob, relay;
	struct mls_identity_pin table[2];
	struct mls_identity_pins pins = { table, 2 };
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_init(&relay, "bob");
	pin(&table[0], &alice);
	pin(&table[1], &bob);
	alice.validate = bob.validate = mls_credential_validate_pinned;
	alice.validate_ctx = bob.validate_ctx = &pins;
	two_members(&alice, &bob);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&relay, &gi, true, 1,
						     &commit), 0);
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_VALIDATION);
	assert_false(mls_group_removed(&bob.g));
	assert_same_state(&bob.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&relay);
}

/*
 * A Commit, a proposal and an application message of an epoch before
 * or after ours: MLS_ERR_OLD_EPOCH / MLS_ERR_FUTURE_EPOCH, nothing
 * changed.
 */
static void test_other_epoch_errors(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes c1 = { NULL, 0 }, c2 = { NULL, 0 };
	struct mls_bytes app = { NULL, 0 }, prop = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 }, data = { NULL, 0 };
	struct mls_proposal up;
	struct mls_message m;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	two_members(&alice, &bob);
	/* epoch 1: a message and a proposal from bob, then alice commits */
	assert_int_equal(mls_group_encrypt(&bob.g, (const uint8_t *)"hi", 2,
					   NULL, 0, &app), 0);
	assert_int_equal(mls_group_make_update(&bob.g, &up), 0);
	assert_int_equal(mls_group_propose(&bob.g, &up, MLS_GROUP_WIRE_PUBLIC,
					   &prop, NULL), 0);
	mls_proposal_free(&up);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &c1, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(mls_group_commit(&alice.g, NULL, &c2, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	/* bob, still in epoch 1, gets epoch 2's Commit first */
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &c2), MLS_ERR_FUTURE_EPOCH);
	assert_same_state(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &c1), 0);
	assert_int_equal(fixture_process(&bob.g, &c2), 0);
	assert_agree(&alice.g, &bob.g);
	/* alice, in epoch 3, gets what bob sent in epoch 1 */
	mls_bytes_free(&before);
	assert_saved(&alice.g, &before);
	assert_int_equal(fixture_process(&alice.g, &c1), MLS_ERR_OLD_EPOCH);
	assert_int_equal(fixture_cache(&alice.g, &prop), MLS_ERR_OLD_EPOCH);
	assert_int_equal(mls_message_from_bytes(app.data, app.len, &m), 0);
	assert_int_equal(mls_group_decrypt(&alice.g, &m, &data, NULL),
			 MLS_ERR_OLD_EPOCH);
	mls_message_free(&m);
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&c1);
	mls_bytes_free(&c2);
	mls_bytes_free(&app);
	mls_bytes_free(&prop);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* ---- 3: GroupContext extensions need every member's support (§13) ---- */

#define EXT_PRIVATE	0xf0a1	/* private use (§17.3) */

static const uint16_t private_ext_types[] = { EXT_PRIVATE };
static const struct fixture_caps private_ext_caps = {
	.exts = private_ext_types, .n_exts = 1,
};
static uint8_t ext_body[] = { 0x01, 0x02 };
static struct mls_extension private_ext = {
	EXT_PRIVATE, { ext_body, sizeof(ext_body) },
};
static const struct mls_extension_list private_exts = { &private_ext, 1 };

/* Alice's leaf does not list the extension: she cannot create with it. */
static void test_create_with_unsupported_extension_refused(void **state)
{
	struct fixture_party alice;
	static const struct mls_group zero;

	(void)state;
	party_init(&alice, "alice");
	assert_int_equal(fixture_party_create(&alice, "group", &private_exts),
			 MLS_ERR_VALIDATION);
	assert_memory_equal(&alice.g, &zero, sizeof(zero));
	alice.caps = &private_ext_caps;
	assert_int_equal(fixture_party_create(&alice, "group", &private_exts),
			 0);
	fixture_party_free(&alice);
}

/* The group uses the extension: bob, who does not list it, is no Add. */
static void test_add_without_group_extension_refused(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes before = { NULL, 0 };
	struct mls_proposal add;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	alice.caps = &private_ext_caps;
	assert_int_equal(fixture_party_create(&alice, "group", &private_exts),
			 0);
	party_key_package(&bob);
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_make_add(&alice.g, bob.kp.data, bob.kp.len,
					    &add), MLS_ERR_VALIDATION);
	assert_same_state(&alice.g, &before);
	bob.caps = &private_ext_caps;
	assert_int_equal(fixture_party_add(&alice, &bob, NULL), 0);
	assert_agree(&alice.g, &bob.g);
	mls_bytes_free(&before);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* Bob does not list it: a GroupContextExtensions adding it is refused. */
static void test_gce_unsupported_extension_refused(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes before = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_proposal gce;
	struct mls_commit_options co = { .proposals = &gce, .n_proposals = 1 };

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	alice.caps = &private_ext_caps;
	two_members(&alice, &bob);
	assert_int_equal(mls_group_make_extensions(&private_exts, &gce), 0);
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, NULL),
			 MLS_ERR_VALIDATION);
	assert_false(mls_group_has_pending_commit(&alice.g));
	assert_same_state(&alice.g, &before);
	mls_proposal_free(&gce);
	mls_bytes_free(&before);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/*
 * A creator that breaks the rule (its own leaf does not list the
 * group's extension, smuggled into its context): the joiner refuses
 * the Welcome.
 */
static void test_join_with_unsupported_extension_refused(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit = { NULL, 0 };
	struct mls_extension *ext;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	bob.caps = &private_ext_caps;
	assert_int_equal(fixture_party_create(&alice, "group", NULL), 0);
	ext = calloc(1, sizeof(*ext));
	assert_non_null(ext);
	ext->type = EXT_PRIVATE;
	assert_int_equal(mls_bytes_set(&ext->data, ext_body, sizeof(ext_body)),
			 0);
	mls_extension_list_free(&alice.g.context.extensions);
	alice.g.context.extensions.items = ext;
	alice.g.context.extensions.count = 1;
	assert_int_equal(fixture_party_add(&alice, &bob, &commit),
			 MLS_ERR_VALIDATION);
	assert_int_equal(mls_group_epoch(&bob.g), 0);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* An external joiner that does not list the group's extension stays out. */
static void test_external_join_without_group_extension_refused(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	static const struct mls_group zero;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_init(&carol, "carol");
	alice.caps = bob.caps = &private_ext_caps;
	assert_int_equal(fixture_party_create(&alice, "group", &private_exts),
			 0);
	assert_int_equal(fixture_party_add(&alice, &bob, NULL), 0);
	assert_int_equal(mls_group_export_group_info(&alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&carol, &gi, false, 0,
						     &commit),
			 MLS_ERR_VALIDATION);
	assert_memory_equal(&carol.g, &zero, sizeof(zero));
	assert_null(commit.data);
	carol.caps = &private_ext_caps;
	assert_int_equal(fixture_party_join_external(&carol, &gi, false, 0,
						     &commit), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_agree(&bob.g, &carol.g);
	mls_bytes_free(&gi);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

/* ---- 4: unmerged_leaves along each leaf's direct path (§7.9.2) ---- */

static void commit_path(struct fixture_party *from,
			struct fixture_party *const *to, size_t n_to)
{
	struct mls_commit_options co = { .force_path = true };
	struct mls_bytes commit = { NULL, 0 };
	size_t i;

	assert_int_equal(mls_group_commit(&from->g, &co, &commit, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&from->g), 0);
	for (i = 0; i < n_to; i++)
		assert_int_equal(fixture_process(&to[i]->g, &commit), 0);
	mls_bytes_free(&commit);
}

/*
 * Four members; dave's path set node 5 (over carol and dave), then
 * alice's nodes 1 and 3 (the root): the tree a joiner would get.
 */
static void four_member_tree(struct fixture_party *alice,
			     struct mls_ratchet_tree *wire)
{
	struct fixture_party others[3];
	static const char *const names[] = { "bob", "carol", "dave" };
	struct mls_bytes commit = { NULL, 0 };
	size_t i, j;

	party_init(alice, "alice");
	assert_int_equal(fixture_party_create(alice, "group", NULL), 0);
	for (i = 0; i < 3; i++) {
		party_init(&others[i], names[i]);
		assert_int_equal(fixture_party_add(alice, &others[i], &commit),
				 0);
		for (j = 0; j < i; j++)
			assert_int_equal(fixture_process(&others[j].g, &commit),
					 0);
		mls_bytes_free(&commit);
	}
	{
		struct fixture_party *const not_dave[] = {
			alice, &others[0], &others[1],
		};
		struct fixture_party *const not_alice[] = {
			&others[0], &others[1], &others[2],
		};

		commit_path(&others[2], not_dave, 3);
		commit_path(alice, not_alice, 3);
	}
	assert_int_equal(mls_tree_to_wire(&alice->g.tree, wire), 0);
	assert_int_equal(wire->count, 7);
	for (i = 1; i < 7; i += 2)
		assert_int_equal(wire->nodes[i].type, MLS_NODE_PARENT);
	for (i = 0; i < 3; i++)
		fixture_party_free(&others[i]);
}

static void tree_of(const struct fixture_party *alice,
		    const struct mls_ratchet_tree *wire, struct mls_tree *t)
{
	assert_int_equal(mls_tree_from_wire(t, alice->s, wire), 0);
}

static int validate_wire(const struct fixture_party *alice,
			 const struct mls_ratchet_tree *wire,
			 struct mls_tree_problem *problem)
{
	struct mls_tree_context ctx = {
		.group_id = &alice->g.context.group_id,
		.extensions = &alice->g.context.extensions,
	};
	struct mls_tree t;
	int err;

	tree_of(alice, wire, &t);
	err = mls_tree_validate(&t, &ctx, problem);
	mls_tree_free(&t);
	return err;
}

static void set_parent_hash(struct mls_bytes *field, const uint8_t *h,
			    size_t len)
{
	mls_bytes_free(field);
	assert_int_equal(mls_bytes_set(field, h, len), 0);
}

/*
 * What a malicious committer at leaf 0 can send: the root lists carol
 * (leaf 2) as unmerged, and its own chain (leaf 0, node 1) hashes the
 * root with carol left out of node 5's subtree, so every parent hash
 * verifies; but node 5, between carol and the root, is not blank and
 * does not list her. A joiner must refuse the tree (§7.9.2).
 */
static void test_unmerged_leaf_missing_below_refused(void **state)
{
	struct fixture_party alice;
	struct mls_ratchet_tree wire;
	struct mls_tree_problem problem;
	struct mls_u32_list *um;
	struct mls_leaf_node *leaf0;
	struct mls_writer w;
	struct mls_tree t;
	uint8_t h[MLS_MAX_HASH_LEN];

	(void)state;
	four_member_tree(&alice, &wire);
	assert_int_equal(validate_wire(&alice, &wire, &problem), 0);
	um = &wire.nodes[3].parent.unmerged_leaves;
	assert_int_equal(um->count, 0);
	um->items = calloc(1, sizeof(*um->items));
	assert_non_null(um->items);
	um->items[0] = 2;
	um->count = 1;
	/* node 1 hashes the root as it now is, leaf 0 hashes node 1 */
	tree_of(&alice, &wire, &t);
	assert_int_equal(mls_tree_parent_hash(&t, 3, 5, h), 0);
	mls_tree_free(&t);
	set_parent_hash(&wire.nodes[1].parent.parent_hash, h,
			alice.s->hash_len);
	tree_of(&alice, &wire, &t);
	assert_int_equal(mls_tree_parent_hash(&t, 1, 2, h), 0);
	mls_tree_free(&t);
	leaf0 = &wire.nodes[0].leaf;
	set_parent_hash(&leaf0->parent_hash, h, alice.s->hash_len);
	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, leaf0, &alice.g.context.group_id, 0);
	sign_into(&alice, &w, "LeafNodeTBS", &leaf0->signature);

	assert_int_equal(validate_wire(&alice, &wire, &problem),
			 MLS_ERR_VALIDATION);
	assert_int_equal(problem.fault, MLS_TREE_FAULT_UNMERGED_LEAF);
	assert_int_equal(problem.node, 3);
	mls_ratchet_tree_free(&wire);
	fixture_party_free(&alice);
}

/* ---- 7: lifetimes on receipt allow for clock skew (§7.2) ---- */

#define SKEW	7200u

/*
 * Bob's clock is two hours behind, dave's a day too far ahead of the
 * others: with a skew allowance bob follows the Commit that adds carol,
 * whose KeyPackage is "not yet valid" by his clock. Without one he
 * cannot, and neither can anyone whose clock is off by more than it.
 * The committer itself checks strictly.
 */
static void test_lifetime_skew_on_receipt(void **state)
{
	static const struct mls_group_policy skewed = {
		.lifetime_skew = SKEW,
	};
	uint64_t bob_now = FIXTURE_NOW - 3600 - SKEW / 2;
	uint64_t dave_now = FIXTURE_NOW - 3600 - 2 * SKEW;
	uint64_t erin_now = bob_now + 3600 + 100;
	struct fixture_party alice, bob, carol, dave, erin;
	struct mls_group strict_bob;
	struct mls_bytes commit = { NULL, 0 }, before = { NULL, 0 };
	struct mls_bytes blob = { NULL, 0 };
	struct mls_group_load_options lo = {
		.clock = fixture_clock, .clock_ctx = &bob_now,
	};
	struct mls_proposal add;

	(void)state;
	party_init(&alice, "alice");
	party_init(&bob, "bob");
	party_init(&carol, "carol");
	party_init(&dave, "dave");
	alice.policy = bob.policy = dave.policy = &skewed;
	two_members(&alice, &bob);
	assert_int_equal(fixture_party_add(&alice, &dave, &commit), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	mls_bytes_free(&commit);
	bob.g.clock_ctx = &bob_now;
	dave.g.clock_ctx = &dave_now;
	/* a copy of bob without the allowance */
	assert_int_equal(mls_group_save(&bob.g, &blob), 0);
	assert_int_equal(mls_group_load(&strict_bob, blob.data, blob.len, &lo),
			 0);

	/* carol's KeyPackage is valid from an hour before FIXTURE_NOW */
	assert_int_equal(fixture_party_add(&alice, &carol, &commit), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_agree(&alice.g, &bob.g);
	assert_saved(&strict_bob, &before);
	assert_int_equal(fixture_process(&strict_bob, &commit),
			 MLS_ERR_VALIDATION);
	assert_same_state(&strict_bob, &before);
	mls_bytes_free(&before);
	assert_saved(&dave.g, &before);
	assert_int_equal(fixture_process(&dave.g, &commit), MLS_ERR_VALIDATION);
	assert_same_state(&dave.g, &before);
	mls_bytes_free(&before);

	/* bob adds one not yet valid by his clock (if within the skew) */
	mls_bytes_free(&commit);
	mls_group_free(&strict_bob);
	party_init(&erin, "erin");
	erin.now = &erin_now;
	assert_int_equal(fixture_party_key_package(&erin), 0);
	assert_int_equal(mls_group_make_add(&bob.g, erin.kp.data, erin.kp.len,
					    &add), MLS_ERR_VALIDATION);
	mls_bytes_free_secret(&blob);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
	fixture_party_free(&dave);
	fixture_party_free(&erin);
}

/* A joiner whose clock says its KeyPackage has just run out. */
static void test_lifetime_skew_on_join(void **state)
{
	static const struct mls_group_policy skewed = {
		.lifetime_skew = SKEW,
	};
	struct fixture_party alice, frank;
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_key_package kp;
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };
	uint64_t frank_now;

	(void)state;
	party_init(&alice, "alice");
	party_init(&frank, "frank");
	assert_int_equal(fixture_party_create(&alice, "group", NULL), 0);
	party_key_package(&frank);
	assert_int_equal(mls_key_package_from_bytes(frank.kp.data, frank.kp.len,
						    &kp), 0);
	frank_now = kp.leaf_node.lifetime.not_after + SKEW / 2;
	mls_key_package_free(&kp);
	assert_int_equal(mls_group_make_add(&alice.g, frank.kp.data,
					    frank.kp.len, &add), 0);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	frank.now = &frank_now;
	assert_int_equal(fixture_party_join(&frank, &welcome),
			 MLS_ERR_VALIDATION);
	frank.policy = &skewed;
	assert_int_equal(fixture_party_join(&frank, &welcome), 0);
	assert_agree(&alice.g, &frank.g);
	mls_proposal_free(&add);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&frank);
}

/* ---- 8: KeyPackages that do not list their own suite (§10.1) ---- */

#define SUITE7	MLS_SUITE_P384_AES256GCM_SHA384_P384

/* Capabilities as another implementation writes them for suite 7. */
static void list_other_suites(struct mls_key_package *kp, const void *arg)
{
	static const uint16_t suites[] = { 1, 2, 3, 4, 5, 6, 0x3a3a };
	struct mls_u16_list *l = &kp->leaf_node.capabilities.cipher_suites;

	(void)arg;
	free(l->items);
	l->items = malloc(sizeof(suites));
	assert_non_null(l->items);
	memcpy(l->items, suites, sizeof(suites));
	l->count = sizeof(suites) / sizeof(suites[0]);
}

static void party_init7(struct fixture_party *p, const char *name)
{
	assert_int_equal(fixture_party_init(p, SUITE7, name, &rng), 0);
}

static void test_key_package_without_own_suite_added(void **state)
{
	static const struct mls_group_policy strict = {
		.strict_key_package_suites = true,
	};
	struct fixture_party alice, bob, carol;
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_bytes before = { NULL, 0 };
	struct mls_key_package kp;
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };

	(void)state;
	if (!mls_suite_get(SUITE7))
		skip();
	party_init7(&alice, "alice");
	party_init7(&bob, "bob");
	party_init7(&carol, "carol");
	assert_int_equal(fixture_party_create(&alice, "group", NULL), 0);
	assert_int_equal(fixture_party_add(&alice, &bob, NULL), 0);
	party_key_package(&carol);
	edit_key_package(&carol, list_other_suites, NULL);
	assert_int_equal(mls_key_package_from_bytes(carol.kp.data, carol.kp.len,
						    &kp), 0);
	assert_int_equal(mls_key_package_validate(carol.s, &kp, FIXTURE_NOW),
			 0);
	mls_key_package_free(&kp);

	/* a strict group refuses it, changing nothing */
	mls_group_set_policy(&alice.g, &strict);
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_make_add(&alice.g, carol.kp.data,
					    carol.kp.len, &add),
			 MLS_ERR_VALIDATION);
	assert_same_state(&alice.g, &before);
	mls_group_set_policy(&alice.g, NULL);

	assert_int_equal(mls_group_make_add(&alice.g, carol.kp.data,
					    carol.kp.len, &add), 0);
	assert_int_equal(mls_group_commit(&alice.g, &co, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	/* a strict receiver refuses the Commit; a default one follows it */
	mls_group_set_policy(&bob.g, &strict);
	mls_bytes_free(&before);
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &commit), MLS_ERR_VALIDATION);
	assert_same_state(&bob.g, &before);
	mls_group_set_policy(&bob.g, NULL);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_party_join(&carol, &welcome), 0);
	assert_agree(&alice.g, &bob.g);
	assert_agree(&alice.g, &carol.g);
	mls_proposal_free(&add);
	mls_bytes_free(&before);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_drops_cached_add_reusing_keys),
		cmocka_unit_test(test_new_member_proposals_opt_in),
		cmocka_unit_test(test_pinned_identity_needs_its_key),
		cmocka_unit_test(test_own_private_commit_echo_confirms),
		cmocka_unit_test(test_own_public_commit_echo_confirms),
		cmocka_unit_test(test_discarded_commit_echo_refused),
		cmocka_unit_test(test_removed_member_gets_removed_error),
		cmocka_unit_test(test_refused_resync_does_not_remove),
		cmocka_unit_test(test_other_epoch_errors),
		cmocka_unit_test(test_create_with_unsupported_extension_refused),
		cmocka_unit_test(test_add_without_group_extension_refused),
		cmocka_unit_test(test_gce_unsupported_extension_refused),
		cmocka_unit_test(test_join_with_unsupported_extension_refused),
		cmocka_unit_test(
			test_external_join_without_group_extension_refused),
		cmocka_unit_test(test_unmerged_leaf_missing_below_refused),
		cmocka_unit_test(test_lifetime_skew_on_receipt),
		cmocka_unit_test(test_lifetime_skew_on_join),
		cmocka_unit_test(test_key_package_without_own_suite_added),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
