// SPDX-License-Identifier: MIT
/*
 * A joiner's checks on a Welcome (RFC 9420 §12.4.3.1) and on the ratchet
 * tree it brings (§7.9.2, §7.3, §5.3.1), each against a Welcome the test
 * forger (support/forge.h) built from the genuine one: the GroupInfo
 * opened with the joiner's keys, changed in one respect (the tree hash
 * in its GroupContext recomputed over a changed tree), its confirmation
 * tag computed for a fresh joiner_secret, signed again by the committer
 * and encrypted to the joiner. Each is refused with its exact error and
 * leaves the joiner's group zeroed; the unchanged forgery joins.
 *
 * alice creates the group and adds bob and carol in one Commit (no
 * path: every parent is blank); bob joins.
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

static struct fixture_rng rng = { 2718 };

struct group {
	struct fixture_party alice, bob, carol;
	struct mls_bytes welcome;	/* the genuine one, for bob and carol */
	struct mls_group_info gi;	/* its GroupInfo, opened by bob */
};

static int setup(void **state)
{
	struct group *g = calloc(1, sizeof(*g));
	struct mls_proposal adds[2];
	struct mls_commit_options o = { .proposals = adds, .n_proposals = 2 };
	struct mls_bytes commit;

	assert_non_null(g);
	assert_int_equal(fixture_party_init(&g->alice, SUITE, "alice", &rng),
			 0);
	assert_int_equal(fixture_party_init(&g->bob, SUITE, "bob", &rng), 0);
	assert_int_equal(fixture_party_init(&g->carol, SUITE, "carol", &rng),
			 0);
	assert_int_equal(fixture_party_create(&g->alice, "welcome", NULL), 0);
	assert_int_equal(fixture_party_key_package(&g->bob), 0);
	assert_int_equal(fixture_party_key_package(&g->carol), 0);
	assert_int_equal(mls_group_make_add(&g->alice.g, g->bob.kp.data,
					    g->bob.kp.len, &adds[0]), 0);
	assert_int_equal(mls_group_make_add(&g->alice.g, g->carol.kp.data,
					    g->carol.kp.len, &adds[1]), 0);
	assert_int_equal(mls_group_commit(&g->alice.g, &o, &commit,
					  &g->welcome), 0);
	assert_int_equal(mls_group_confirm_commit(&g->alice.g), 0);
	assert_int_equal(forge_open_welcome(g->bob.s, &g->bob.kp,
					    g->bob.sec.init_priv,
					    g->bob.sec.priv_len,
					    g->alice.sig_pub, &g->welcome,
					    &g->gi), 0);
	mls_proposal_free(&adds[0]);
	mls_proposal_free(&adds[1]);
	mls_bytes_free(&commit);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct group *g = *state;

	fixture_party_free(&g->alice);
	fixture_party_free(&g->bob);
	fixture_party_free(&g->carol);
	mls_bytes_free(&g->welcome);
	mls_group_info_free(&g->gi);
	free(g);
	return 0;
}

/* bob's join from a Welcome of g->gi (as the test changed it). */
static int bob_joins_forged(struct group *g)
{
	struct mls_bytes w;
	int err;

	assert_int_equal(forge_welcome(g->alice.s, &g->alice.crypto, &g->gi,
				       g->alice.sig_priv, &g->bob.kp, &w), 0);
	err = fixture_party_join(&g->bob, &w);
	if (err)
		assert_null(g->bob.g.suite);	/* a failed join leaves zero */
	mls_bytes_free(&w);
	return err;
}

static struct mls_extension *tree_extension(struct group *g)
{
	struct mls_extension *ext = (struct mls_extension *)
		mls_extension_list_find(&g->gi.extensions,
					MLS_EXT_RATCHET_TREE);

	assert_non_null(ext);
	return ext;
}

/*
 * The GroupInfo's tree through edit (on its wire form), the extension
 * and the GroupContext's tree_hash made to match; *fault is what
 * mls_tree_validate finds in it.
 */
static void edit_tree(struct group *g,
		      void (*edit)(struct group *g, struct mls_ratchet_tree *t),
		      enum mls_tree_fault *fault)
{
	struct mls_extension *ext = tree_extension(g);
	struct mls_tree_context tc = {
		.group_id = &g->gi.group_context.group_id,
		.extensions = &g->gi.group_context.extensions,
	};
	struct mls_tree_problem why;
	struct mls_ratchet_tree wire;
	uint8_t h[MLS_MAX_HASH_LEN];
	struct mls_tree t;

	assert_int_equal(mls_ratchet_tree_from_bytes(ext->data.data,
						     ext->data.len, &wire), 0);
	edit(g, &wire);
	mls_bytes_free(&ext->data);
	assert_int_equal(mls_ratchet_tree_to_bytes(&wire, &ext->data), 0);
	mls_ratchet_tree_free(&wire);
	assert_int_equal(mls_tree_from_bytes(&t, g->bob.s, ext->data.data,
					     ext->data.len), 0);
	assert_int_equal(mls_tree_root_hash(&t, h), 0);
	memcpy(g->gi.group_context.tree_hash.data, h, g->bob.s->hash_len);
	tc.tree_hash = &g->gi.group_context.tree_hash;
	mls_tree_validate(&t, &tc, &why);
	*fault = why.fault;
	mls_tree_free(&t);
}

/* Leaf i of the wire tree (node 2i), which must be there. */
static struct mls_leaf_node *wire_leaf(struct mls_ratchet_tree *t, uint32_t i)
{
	assert_true(2 * i < t->count);
	assert_int_equal(t->nodes[2 * i].type, MLS_NODE_LEAF);
	return &t->nodes[2 * i].leaf;
}

/* carol's leaf, after a change, signed again with her key */
static void sign_carol(struct group *g, struct mls_leaf_node *leaf,
		       const uint8_t *sig_priv)
{
	assert_int_equal(forge_sign_leaf(g->carol.s, &g->carol.crypto,
					 sig_priv, leaf,
					 &g->gi.group_context.group_id, 2), 0);
}

static void add_u16(struct mls_u16_list *l, uint16_t v)
{
	uint16_t *items = realloc(l->items, (l->count + 1) * sizeof(*items));

	assert_non_null(items);
	items[l->count++] = v;
	l->items = items;
}

/* ---- the forger itself ---- */

static void test_unchanged_forgery_joins(void **state)
{
	struct group *g = *state;

	assert_int_equal(bob_joins_forged(g), 0);
	/* in alice's epoch and seat (its secrets are the forger's own) */
	assert_int_equal(mls_group_epoch(&g->bob.g),
			 mls_group_epoch(&g->alice.g));
	assert_int_equal(mls_group_own_leaf(&g->bob.g), 1);
}

/* ---- the Welcome (§12.4.3.1) ---- */

static void test_no_tree(void **state)
{
	struct group *g = *state;
	struct mls_extension_list *l = &g->gi.extensions;
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->items[i].type == MLS_EXT_RATCHET_TREE)
			break;
	assert_true(i < l->count);
	mls_extension_free(&l->items[i]);
	memmove(&l->items[i], &l->items[i + 1],
		(l->count - i - 1) * sizeof(l->items[i]));
	l->count--;
	assert_int_equal(bob_joins_forged(g), MLS_ERR_VALIDATION);
}

static void blank_bob(struct group *g, struct mls_ratchet_tree *t)
{
	(void)g;
	mls_leaf_node_free(wire_leaf(t, 1));
	t->nodes[2].type = MLS_NODE_BLANK;
}

static void test_tree_without_joiner(void **state)
{
	struct group *g = *state;
	enum mls_tree_fault fault;

	edit_tree(g, blank_bob, &fault);
	assert_int_equal(bob_joins_forged(g), MLS_ERR_VALIDATION);
	assert_int_equal(fault, MLS_TREE_FAULT_NONE);	/* a valid tree */
}

/* ---- the tree (§7.9.2: leaves checked as in §7.3) ---- */

/* carol's leaf with alice's signature key, signed with it */
static void carol_has_alices_key(struct group *g, struct mls_ratchet_tree *t)
{
	struct mls_leaf_node *leaf = wire_leaf(t, 2);

	mls_bytes_free(&leaf->signature_key);
	assert_int_equal(mls_bytes_dup(&leaf->signature_key,
				       &wire_leaf(t, 0)->signature_key), 0);
	sign_carol(g, leaf, g->alice.sig_priv);
}

static void test_duplicate_signature_key(void **state)
{
	struct group *g = *state;
	enum mls_tree_fault fault;

	edit_tree(g, carol_has_alices_key, &fault);
	assert_int_equal(bob_joins_forged(g), MLS_ERR_VALIDATION);
	assert_int_equal(fault, MLS_TREE_FAULT_DUP_SIGNATURE_KEY);
}

/* carol's leaf claims MLS versions it does not include */
static void carol_lacks_version(struct group *g, struct mls_ratchet_tree *t)
{
	struct mls_leaf_node *leaf = wire_leaf(t, 2);

	mls_u16_list_free(&leaf->capabilities.versions);
	add_u16(&leaf->capabilities.versions, 0x7fff);
	sign_carol(g, leaf, g->carol.sig_priv);
}

static void test_capabilities(void **state)
{
	struct group *g = *state;
	enum mls_tree_fault fault;

	edit_tree(g, carol_lacks_version, &fault);
	assert_int_equal(bob_joins_forged(g), MLS_ERR_VALIDATION);
	assert_int_equal(fault, MLS_TREE_FAULT_CAPABILITIES);
}

/*
 * carol holds an X.509 credential (she lists the type) that alice's and
 * bob's leaves do not support (§7.9.2: every leaf supports the others'
 * credential types).
 */
static void carol_x509(struct group *g, struct mls_ratchet_tree *t)
{
	static const uint8_t cert[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	struct mls_leaf_node *leaf = wire_leaf(t, 2);
	struct mls_bytes *items = calloc(1, sizeof(*items));

	assert_non_null(items);
	mls_credential_free(&leaf->credential);
	leaf->credential.type = MLS_CREDENTIAL_X509;
	assert_int_equal(mls_bytes_set(&items[0], cert, sizeof(cert)), 0);
	leaf->credential.certificates.items = items;
	leaf->credential.certificates.count = 1;
	add_u16(&leaf->capabilities.credentials, MLS_CREDENTIAL_X509);
	sign_carol(g, leaf, g->carol.sig_priv);
}

static void test_credential_type_unsupported(void **state)
{
	struct group *g = *state;
	enum mls_tree_fault fault;

	edit_tree(g, carol_x509, &fault);
	assert_int_equal(bob_joins_forged(g), MLS_ERR_VALIDATION);
	assert_int_equal(fault, MLS_TREE_FAULT_CREDENTIAL);
}

/* The application's validator sees every leaf and may refuse one. */
struct refuse_carol {
	size_t calls;
	bool saw_carol;
};

static int refuse_carol(void *ctx, const struct mls_suite *s,
			const struct mls_leaf_node *leaf,
			const struct mls_leaf_node *old_leaf)
{
	struct refuse_carol *rc = ctx;
	const struct mls_bytes *id = &leaf->credential.identity;

	(void)s;
	(void)old_leaf;
	rc->calls++;
	if (id->len == 5 && !memcmp(id->data, "carol", 5)) {
		rc->saw_carol = true;
		return MLS_ERR_BAD_SIGNATURE;	/* any error: passed on */
	}
	return 0;
}

static void test_credential_refused_by_validator(void **state)
{
	struct group *g = *state;
	struct refuse_carol rc = { 0 };

	g->bob.validate = refuse_carol;
	g->bob.validate_ctx = &rc;
	assert_int_equal(fixture_party_join(&g->bob, &g->welcome),
			 MLS_ERR_BAD_SIGNATURE);
	assert_null(g->bob.g.suite);
	assert_true(rc.saw_carol);
	assert_true(rc.calls >= 1);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unchanged_forgery_joins),
		T(test_no_tree),
		T(test_tree_without_joiner),
		T(test_duplicate_signature_key),
		T(test_capabilities),
		T(test_credential_type_unsupported),
		T(test_credential_refused_by_validator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
