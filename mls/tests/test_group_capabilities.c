// SPDX-License-Identifier: MIT
/*
 * Capabilities through the group API: the required_capabilities
 * GroupContext extension (RFC 9420 §11.1) against Adds (§12.1.1, §12.2)
 * and GroupContextExtensions (§12.1.7), on the committing and on the
 * receiving side, and the application_id LeafNode extension (§5.3.3)
 * with the rule that a leaf's non-default extensions are listed in its
 * capabilities (§7.2). Every refusal leaves the group byte for byte as
 * it was (saved blobs compared).
 *
 * Receivers are tested with Commits of a committer that ignores the
 * rules: a genuine Commit whose proposal is swapped, then signed and
 * membership-tagged again with the committer's keys, so that only the
 * proposal checks can tell it from the genuine one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/framing.h"
#include "mls/group.h"
#include "support/group_assert.h"

#define NOW	FIXTURE_NOW
#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519

/* Private-use code points (§17.1): types no default list covers. */
#define EXT_CUSTOM	0xff01
#define PROPOSAL_CUSTOM	0xff02

static struct fixture_rng rng = { 9420 };

static const uint16_t custom_ext[] = { EXT_CUSTOM };
static const uint16_t custom_proposal[] = { PROPOSAL_CUSTOM };
static const uint16_t x509_cred[] = { MLS_CREDENTIAL_X509 };
static const struct fixture_caps all_caps = {
	custom_ext, 1, custom_proposal, 1, x509_cred, 1, NULL
};
static const struct fixture_caps no_caps;

/* One requirement that no_caps lacks and all_caps meets, per list. */
struct requirement {
	uint16_t ext, proposal, cred;	/* 0: none */
};

static const struct requirement requirements[] = {
	{ EXT_CUSTOM, 0, 0 },
	{ 0, PROPOSAL_CUSTOM, 0 },
	{ 0, 0, MLS_CREDENTIAL_X509 },
};
#define N_REQUIREMENTS	(sizeof(requirements) / sizeof(requirements[0]))

/* ---- helpers ---- */

static void party_init(struct fixture_party *p, const char *name)
{
	assert_int_equal(fixture_party_init(p, SUITE, name, &rng), 0);
}

static int key_package_with(struct fixture_party *p,
			    const struct fixture_caps *c)
{
	p->caps = c;
	return fixture_party_key_package(p);
}

static void create_with(struct fixture_party *p, const struct fixture_caps *c,
			const struct mls_extension_list *gc)
{
	p->caps = c;
	assert_int_equal(fixture_party_create(p, "caps", gc), 0);
}

/* uint16 types<V> with one type, or none for 0 (hand-encoded, §2.1.2). */
static size_t put_types(uint8_t *b, uint16_t type)
{
	if (!type) {
		b[0] = 0;
		return 1;
	}
	b[0] = 2;
	b[1] = (uint8_t)(type >> 8);
	b[2] = (uint8_t)type;
	return 3;
}

/* RequiredCapabilities (§11.1); free with mls_extension_free(). */
static void required_capabilities(const struct requirement *r,
				  struct mls_extension *out)
{
	uint8_t body[9];
	size_t n = 0;

	n += put_types(body + n, r->ext);
	n += put_types(body + n, r->proposal);
	n += put_types(body + n, r->cred);
	memset(out, 0, sizeof(*out));
	out->type = MLS_EXT_REQUIRED_CAPABILITIES;
	assert_int_equal(mls_bytes_set(&out->data, body, n), 0);
}

/* committer adds joiner by value; committer confirms, joiner joins. */
static void add_member(struct fixture_party *committer,
		       struct fixture_party *joiner, struct mls_bytes *commit)
{
	struct mls_commit_options o = { .n_proposals = 1 };
	struct mls_bytes welcome;
	struct mls_proposal add;

	assert_int_equal(mls_group_make_add(&committer->g, joiner->kp.data,
					    joiner->kp.len, &add), 0);
	o.proposals = &add;
	assert_int_equal(mls_group_commit(&committer->g, &o, commit, &welcome),
			 0);
	assert_int_equal(mls_group_confirm_commit(&committer->g), 0);
	assert_int_equal(fixture_party_join(joiner, &welcome), 0);
	assert_int_equal(fixture_groups_agree(&committer->g, &joiner->g, 16),
			 0);
	mls_proposal_free(&add);
	mls_bytes_free(&welcome);
}

/* Alice (ca) creates the group with gc and adds Bob (cb): epoch 1. */
static void alice_and_bob(struct fixture_party *alice,
			  struct fixture_party *bob,
			  const struct fixture_caps *ca,
			  const struct fixture_caps *cb,
			  const struct mls_extension_list *gc)
{
	struct mls_bytes commit;

	party_init(alice, "alice");
	party_init(bob, "bob");
	create_with(alice, ca, gc);
	assert_int_equal(key_package_with(bob, cb), 0);
	add_member(alice, bob, &commit);
	mls_bytes_free(&commit);
}

/* A Commit of p's by-value proposals, left pending. */
static int commit_by_value(struct fixture_party *p,
			   const struct mls_proposal *props, size_t n,
			   struct mls_bytes *commit)
{
	struct mls_commit_options o = { .proposals = props, .n_proposals = n };
	struct mls_bytes welcome;
	int err;

	err = mls_group_commit(&p->g, &o, commit, &welcome);
	if (!err)
		mls_bytes_free(&welcome);
	return err;
}

/*
 * committer's pending Commit with its by-value proposal i replaced by
 * *swap (moved in: the caller no longer owns it), signed and tagged again
 * with the committer's signature and membership keys.
 */
static void swap_proposal(const struct fixture_party *committer,
			  const struct mls_bytes *commit, size_t i,
			  struct mls_proposal *swap, struct mls_bytes *out)
{
	struct mls_public_message *pm;
	struct mls_proposal_or_ref *slot;
	struct mls_framing_ctx ctx;
	struct mls_message m;
	struct mls_bytes gc;

	assert_int_equal(mls_message_from_bytes(commit->data, commit->len, &m),
			 0);
	assert_int_equal(m.wire_format, MLS_WIRE_PUBLIC_MESSAGE);
	pm = &m.public_message;
	assert_true(i < pm->content.content.commit.count);
	slot = &pm->content.content.commit.proposals[i];
	assert_int_equal(slot->type, MLS_PROPOSAL_OR_REF_PROPOSAL);
	mls_proposal_free(&slot->proposal);
	slot->proposal = *swap;
	memset(swap, 0, sizeof(*swap));
	assert_int_equal(mls_group_context_to_bytes(&committer->g.context,
						    &gc), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.suite = committer->s;
	ctx.crypto = &committer->crypto;
	ctx.group_context = gc.data;
	ctx.group_context_len = gc.len;
	ctx.membership_key = committer->g.secrets.membership_key;
	ctx.membership_key_len = committer->s->hash_len;
	assert_int_equal(mls_framing_protect_public(&ctx, &pm->content,
						    committer->sig_priv,
						    committer->s->sig_priv_len,
						    &pm->auth.confirmation_tag,
						    out), 0);
	mls_bytes_free(&gc);
	mls_message_free(&m);
}

/* An Add of p's KeyPackage as it is, unchecked (for swap_proposal). */
static void raw_add(const struct fixture_party *p, struct mls_proposal *out)
{
	memset(out, 0, sizeof(*out));
	out->type = MLS_PROPOSAL_ADD;
	assert_int_equal(mls_key_package_from_bytes(p->kp.data, p->kp.len,
						    &out->add.key_package), 0);
}

static void gce_of(const struct mls_extension *ext, struct mls_proposal *out)
{
	struct mls_extension_list l = { (struct mls_extension *)ext, 1 };

	assert_int_equal(mls_group_make_extensions(&l, out), 0);
}

/* ---- required_capabilities and Adds (§11.1, §12.1.1) ---- */

static void test_add_lacking_requirement_refused_by_committer(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_extension req;
	struct mls_extension_list gc = { &req, 1 };
	struct mls_proposal add;
	struct mls_bytes before, commit;
	size_t k;

	(void)state;
	for (k = 0; k < N_REQUIREMENTS; k++) {
		required_capabilities(&requirements[k], &req);
		party_init(&alice, "alice");
		party_init(&bob, "bob");
		party_init(&carol, "carol");
		create_with(&alice, &all_caps, &gc);
		assert_int_equal(key_package_with(&bob, &no_caps), 0);
		assert_saved(&alice.g, &before);
		assert_int_equal(mls_group_make_add(&alice.g, bob.kp.data,
						    bob.kp.len, &add),
				 MLS_ERR_VALIDATION);
		assert_same_state(&alice.g, &before);
		/* an unchecked Add by value meets the same rule (§12.2) */
		raw_add(&bob, &add);
		assert_int_equal(commit_by_value(&alice, &add, 1, &commit),
				 MLS_ERR_VALIDATION);
		assert_false(mls_group_has_pending_commit(&alice.g));
		assert_same_state(&alice.g, &before);
		mls_proposal_free(&add);
		/* a KeyPackage that meets it is added; carol's tree check
		 * on join (§12.4.3.1) sees the requirement too */
		assert_int_equal(key_package_with(&carol, &all_caps), 0);
		add_member(&alice, &carol, &commit);
		assert_non_null(mls_extension_list_find(
			&carol.g.context.extensions,
			MLS_EXT_REQUIRED_CAPABILITIES));
		mls_bytes_free(&commit);
		mls_bytes_free(&before);
		mls_extension_free(&req);
		fixture_party_free(&alice);
		fixture_party_free(&bob);
		fixture_party_free(&carol);
	}
}

/* Types the RFC makes default (§7.2) need not be listed to be required. */
static void test_required_default_types_met_by_all(void **state)
{
	static const struct requirement defaults = {
		MLS_EXT_APPLICATION_ID, MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS,
		MLS_CREDENTIAL_BASIC
	};
	struct fixture_party alice, bob;
	struct mls_extension req;
	struct mls_extension_list gc = { &req, 1 };

	(void)state;
	required_capabilities(&defaults, &req);
	alice_and_bob(&alice, &bob, &no_caps, &no_caps, &gc);
	mls_extension_free(&req);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/*
 * Bob refuses @forged (alice's Commit with one proposal swapped) and his
 * state is unchanged; the genuine @commit then goes through.
 */
static void receiver_refuses_forged(struct fixture_party *alice,
				    struct fixture_party *bob,
				    const struct mls_bytes *forged,
				    const struct mls_bytes *commit)
{
	struct mls_bytes before;

	assert_saved(&bob->g, &before);
	assert_int_equal(fixture_process(&bob->g, forged), MLS_ERR_VALIDATION);
	assert_same_state(&bob->g, &before);
	mls_bytes_free(&before);
	assert_int_equal(fixture_process(&bob->g, commit), 0);
	assert_int_equal(mls_group_confirm_commit(&alice->g), 0);
	assert_int_equal(fixture_groups_agree(&alice->g, &bob->g, 16), 0);
}

static void test_add_lacking_requirement_refused_by_receiver(void **state)
{
	struct fixture_party alice, bob, carol, dave;
	struct mls_extension req;
	struct mls_extension_list gc = { &req, 1 };
	struct mls_proposal add, bad;
	struct mls_bytes commit, forged;
	size_t k;

	(void)state;
	for (k = 0; k < N_REQUIREMENTS; k++) {
		required_capabilities(&requirements[k], &req);
		alice_and_bob(&alice, &bob, &all_caps, &all_caps, &gc);
		party_init(&carol, "carol");
		party_init(&dave, "dave");
		assert_int_equal(key_package_with(&carol, &all_caps), 0);
		assert_int_equal(key_package_with(&dave, &no_caps), 0);
		assert_int_equal(mls_group_make_add(&alice.g, carol.kp.data,
						    carol.kp.len, &add), 0);
		assert_int_equal(commit_by_value(&alice, &add, 1, &commit), 0);
		raw_add(&dave, &bad);
		swap_proposal(&alice, &commit, 0, &bad, &forged);
		receiver_refuses_forged(&alice, &bob, &forged, &commit);
		mls_proposal_free(&add);
		mls_bytes_free(&commit);
		mls_bytes_free(&forged);
		mls_extension_free(&req);
		fixture_party_free(&alice);
		fixture_party_free(&bob);
		fixture_party_free(&carol);
		fixture_party_free(&dave);
	}
}

/* ---- GroupContextExtensions with required_capabilities (§12.1.7) ---- */

static void test_gce_unmet_refused_by_committer(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_extension req;
	struct mls_proposal props[3];	/* GCE, Remove(bob), Add(carol) */
	struct mls_bytes before, commit;
	size_t i, k;

	(void)state;
	for (k = 0; k < N_REQUIREMENTS; k++) {
		required_capabilities(&requirements[k], &req);
		alice_and_bob(&alice, &bob, &all_caps, &no_caps, NULL);
		party_init(&carol, "carol");
		assert_int_equal(key_package_with(&carol, &no_caps), 0);
		gce_of(&req, &props[0]);
		assert_int_equal(mls_group_make_remove(&alice.g,
						       mls_group_own_leaf(&bob.g),
						       &props[1]), 0);
		assert_int_equal(mls_group_make_add(&alice.g, carol.kp.data,
						    carol.kp.len, &props[2]),
				 0);
		assert_saved(&alice.g, &before);
		assert_int_equal(commit_by_value(&alice, props, 1, &commit),
				 MLS_ERR_VALIDATION);
		assert_false(mls_group_has_pending_commit(&alice.g));
		assert_same_state(&alice.g, &before);
		/* members added in the same Commit count (carol lacks it) */
		assert_int_equal(commit_by_value(&alice, props, 3, &commit),
				 MLS_ERR_VALIDATION);
		assert_false(mls_group_has_pending_commit(&alice.g));
		assert_same_state(&alice.g, &before);
		/* members removed in the same Commit do not */
		assert_int_equal(commit_by_value(&alice, props, 2, &commit),
				 0);
		mls_group_discard_commit(&alice.g);
		assert_same_state(&alice.g, &before);
		for (i = 0; i < 3; i++)
			mls_proposal_free(&props[i]);
		mls_bytes_free(&commit);
		mls_bytes_free(&before);
		mls_extension_free(&req);
		fixture_party_free(&alice);
		fixture_party_free(&bob);
		fixture_party_free(&carol);
	}
}

/* §12.2: a cached GCE that some member cannot meet is left out. */
static void test_cached_unmet_gce_left_out(void **state)
{
	struct fixture_party alice, bob;
	struct mls_extension req;
	struct mls_proposal gce;
	struct mls_bytes msg, commit;

	(void)state;
	required_capabilities(&requirements[0], &req);
	alice_and_bob(&alice, &bob, &all_caps, &no_caps, NULL);
	gce_of(&req, &gce);
	assert_int_equal(mls_group_propose(&alice.g, &gce,
					   MLS_GROUP_WIRE_PUBLIC, &msg, NULL),
			 0);
	assert_int_equal(fixture_cache(&bob.g, &msg), 0);
	assert_int_equal(commit_by_value(&alice, NULL, 0, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(mls_group_epoch(&bob.g), 2);
	assert_null(mls_extension_list_find(&bob.g.context.extensions,
					    MLS_EXT_REQUIRED_CAPABILITIES));
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, 16), 0);
	mls_proposal_free(&gce);
	mls_bytes_free(&msg);
	mls_bytes_free(&commit);
	mls_extension_free(&req);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

static void test_gce_unmet_refused_by_receiver(void **state)
{
	static const struct requirement met = { MLS_EXT_APPLICATION_ID, 0, 0 };
	struct fixture_party alice, bob;
	struct mls_extension req, ok;
	struct mls_proposal gce, bad;
	struct mls_bytes commit, forged;
	size_t k;

	(void)state;
	required_capabilities(&met, &ok);
	for (k = 0; k < N_REQUIREMENTS; k++) {
		required_capabilities(&requirements[k], &req);
		alice_and_bob(&alice, &bob, &all_caps, &no_caps, NULL);
		gce_of(&ok, &gce);
		assert_int_equal(commit_by_value(&alice, &gce, 1, &commit), 0);
		gce_of(&req, &bad);
		swap_proposal(&alice, &commit, 0, &bad, &forged);
		receiver_refuses_forged(&alice, &bob, &forged, &commit);
		mls_proposal_free(&gce);
		mls_bytes_free(&commit);
		mls_bytes_free(&forged);
		mls_extension_free(&req);
		fixture_party_free(&alice);
		fixture_party_free(&bob);
	}
	mls_extension_free(&ok);
}

static void test_gce_met_applied(void **state)
{
	static const struct requirement all = {
		EXT_CUSTOM, PROPOSAL_CUSTOM, MLS_CREDENTIAL_X509
	};
	static const uint8_t want[] = {
		2, 0xff, 0x01, 2, 0xff, 0x02, 2, 0x00, 0x02
	};
	struct fixture_party alice, bob, carol, dave;
	const struct mls_extension *got;
	struct mls_extension req;
	struct mls_proposal gce, add;
	struct mls_bytes commit;
	int i;

	(void)state;
	required_capabilities(&all, &req);
	alice_and_bob(&alice, &bob, &all_caps, &all_caps, NULL);
	gce_of(&req, &gce);
	assert_int_equal(commit_by_value(&alice, &gce, 1, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, 16), 0);
	for (i = 0; i < 2; i++) {
		const struct mls_group *g = i ? &bob.g : &alice.g;

		assert_int_equal(mls_group_epoch(g), 2);
		assert_int_equal(g->context.extensions.count, 1);
		got = mls_extension_list_find(&g->context.extensions,
					      MLS_EXT_REQUIRED_CAPABILITIES);
		assert_non_null(got);
		assert_int_equal(got->data.len, sizeof(want));
		assert_memory_equal(got->data.data, want, sizeof(want));
	}
	/* the new epoch enforces it on Adds */
	party_init(&carol, "carol");
	party_init(&dave, "dave");
	assert_int_equal(key_package_with(&carol, &no_caps), 0);
	assert_int_equal(mls_group_make_add(&bob.g, carol.kp.data,
					    carol.kp.len, &add),
			 MLS_ERR_VALIDATION);
	assert_int_equal(key_package_with(&dave, &all_caps), 0);
	mls_bytes_free(&commit);
	add_member(&bob, &dave, &commit);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &dave.g, 16), 0);
	mls_proposal_free(&gce);
	mls_bytes_free(&commit);
	mls_extension_free(&req);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
	fixture_party_free(&dave);
}

/* ---- application_id (§5.3.3) ---- */

static void assert_application_id(const struct mls_group *g, uint32_t leaf,
				  const char *want)
{
	const uint8_t *id = NULL;
	size_t len = 0;

	assert_int_equal(mls_group_member_application_id(g, leaf, &id, &len),
			 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(id, want, len);
}

static void assert_no_application_id(const struct mls_group *g,
				     uint32_t leaf)
{
	const uint8_t *id = NULL;
	size_t len = 0;

	assert_int_equal(mls_group_member_application_id(g, leaf, &id, &len),
			 MLS_ERR_NOT_FOUND);
}

static void test_application_id_read_by_members(void **state)
{
	static const uint8_t body[] = { 10, 'b', 'o', 'b', '-', 'l', 'a',
					'p', 't', 'o', 'p' };
	struct fixture_party alice, bob;
	struct mls_extension app_id;
	struct mls_extension_list exts = { &app_id, 1 };
	struct fixture_caps bob_caps = { .leaf_exts = &exts };
	struct mls_key_package kp;
	struct mls_bytes commit;
	uint32_t b;
	size_t i;

	(void)state;
	assert_int_equal(mls_application_id_extension(
		(const uint8_t *)"bob-laptop", 10, &app_id), 0);
	assert_int_equal(app_id.type, 1);
	assert_int_equal(app_id.data.len, sizeof(body));
	assert_memory_equal(app_id.data.data, body, sizeof(body));
	/* a default extension: carried, and not listed (§7.2) */
	alice_and_bob(&alice, &bob, &no_caps, &bob_caps, NULL);
	assert_int_equal(mls_key_package_from_bytes(bob.kp.data, bob.kp.len,
						    &kp), 0);
	for (i = 0; i < kp.leaf_node.capabilities.extensions.count; i++)
		assert_int_not_equal(
			kp.leaf_node.capabilities.extensions.items[i],
			MLS_EXT_APPLICATION_ID);
	mls_key_package_free(&kp);
	b = mls_group_own_leaf(&bob.g);
	assert_application_id(&alice.g, b, "bob-laptop");
	assert_application_id(&bob.g, b, "bob-laptop");
	assert_no_application_id(&bob.g, mls_group_own_leaf(&alice.g));
	assert_no_application_id(&bob.g, 7);
	/* Bob's Commit renews his leaf (§12.4.2): the identifier stays */
	assert_int_equal(commit_by_value(&bob, NULL, 0, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&bob.g), 0);
	assert_int_equal(fixture_process(&alice.g, &commit), 0);
	assert_application_id(&alice.g, b, "bob-laptop");
	mls_bytes_free(&commit);
	mls_extension_free(&app_id);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
}

/* Bob's KeyPackage with the non-default extension no longer listed. */
static void unlist_and_resign(struct fixture_party *p)
{
	static const struct mls_bytes no_group;
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_key_package kp;
	struct mls_writer w;
	size_t sig_len = 0;

	assert_int_equal(mls_key_package_from_bytes(p->kp.data, p->kp.len,
						    &kp), 0);
	kp.leaf_node.capabilities.extensions.count = 0;
	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, &kp.leaf_node, &no_group, 0);
	assert_int_equal(mls_writer_error(&w), 0);
	assert_int_equal(mls_sign_with_label(&p->crypto, p->s, p->sig_priv,
					     p->s->sig_priv_len, "LeafNodeTBS",
					     w.buf, w.len, sig, &sig_len), 0);
	mls_writer_free(&w);
	mls_bytes_free(&kp.leaf_node.signature);
	assert_int_equal(mls_bytes_set(&kp.leaf_node.signature, sig, sig_len),
			 0);
	mls_writer_init(&w);
	mls_key_package_encode_tbs(&w, &kp);
	assert_int_equal(mls_writer_error(&w), 0);
	assert_int_equal(mls_sign_with_label(&p->crypto, p->s, p->sig_priv,
					     p->s->sig_priv_len,
					     "KeyPackageTBS", w.buf, w.len,
					     sig, &sig_len), 0);
	mls_writer_free(&w);
	mls_bytes_free(&kp.signature);
	assert_int_equal(mls_bytes_set(&kp.signature, sig, sig_len), 0);
	mls_bytes_free(&p->kp);
	assert_int_equal(mls_key_package_to_bytes(&kp, &p->kp), 0);
	mls_key_package_free(&kp);
}

static void test_unlisted_leaf_extension_refused(void **state)
{
	struct fixture_party alice, bob, carol, dave;
	struct mls_extension custom = { EXT_CUSTOM, { NULL, 0 } };
	struct mls_extension_list exts = { &custom, 1 };
	struct fixture_caps unlisted = { .leaf_exts = &exts };
	struct fixture_caps listed = all_caps;
	struct mls_key_package kp;
	struct mls_proposal add, bad;
	struct mls_bytes before, commit, forged;

	(void)state;
	assert_int_equal(mls_bytes_set(&custom.data, "x", 1), 0);
	listed.leaf_exts = &exts;
	alice_and_bob(&alice, &bob, &all_caps, &all_caps, NULL);
	party_init(&carol, "carol");
	party_init(&dave, "dave");
	/* we never make such a leaf ourselves */
	assert_int_equal(key_package_with(&carol, &unlisted),
			 MLS_ERR_INVALID_ARG);
	assert_int_equal(carol.kp.len, 0);
	assert_int_equal(key_package_with(&carol, &listed), 0);
	assert_int_equal(key_package_with(&dave, &listed), 0);
	unlist_and_resign(&dave);
	assert_int_equal(mls_key_package_from_bytes(dave.kp.data, dave.kp.len,
						    &kp), 0);
	assert_int_equal(mls_key_package_validate(dave.s, &kp, NOW),
			 MLS_ERR_VALIDATION);
	mls_key_package_free(&kp);
	assert_saved(&alice.g, &before);
	assert_int_equal(mls_group_make_add(&alice.g, dave.kp.data,
					    dave.kp.len, &add),
			 MLS_ERR_VALIDATION);
	assert_same_state(&alice.g, &before);
	mls_bytes_free(&before);
	/* a receiver refuses it too */
	assert_int_equal(mls_group_make_add(&alice.g, carol.kp.data,
					    carol.kp.len, &add), 0);
	assert_int_equal(commit_by_value(&alice, &add, 1, &commit), 0);
	raw_add(&dave, &bad);
	swap_proposal(&alice, &commit, 0, &bad, &forged);
	assert_saved(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &forged), MLS_ERR_VALIDATION);
	assert_same_state(&bob.g, &before);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	mls_proposal_free(&add);
	mls_bytes_free(&commit);
	mls_bytes_free(&forged);
	mls_bytes_free(&before);
	mls_bytes_free(&custom.data);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
	fixture_party_free(&dave);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_lacking_requirement_refused_by_committer),
		cmocka_unit_test(test_required_default_types_met_by_all),
		cmocka_unit_test(test_add_lacking_requirement_refused_by_receiver),
		cmocka_unit_test(test_gce_unmet_refused_by_committer),
		cmocka_unit_test(test_cached_unmet_gce_left_out),
		cmocka_unit_test(test_gce_unmet_refused_by_receiver),
		cmocka_unit_test(test_gce_met_applied),
		cmocka_unit_test(test_application_id_read_by_members),
		cmocka_unit_test(test_unlisted_leaf_extension_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
