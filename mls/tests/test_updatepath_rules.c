// SPDX-License-Identifier: MIT
/*
 * A receiver's checks on a Commit's UpdatePath (RFC 9420 §7.3, §7.5,
 * §7.6, §12.4.2), each against a genuine Commit whose path the test
 * forger (support/forge.h) changed in that one respect, with the path's
 * LeafNode given the parent hash of the changed keys (§7.9) and signed
 * again, and the Commit signed and tagged again by the committer, so
 * that only the rule under test stands between it and the key
 * schedule. Each is refused with its
 * exact error, the receiver's saved state unchanged, and the genuine
 * Commit is accepted afterwards.
 *
 * Four members, all in leaves 0-3 with blank parents: alice's path has
 * two nodes, the upper one with a ciphertext for carol and one for dave.
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

static struct fixture_rng rng = { 7392 };

struct group {
	struct fixture_party p[N];
	struct mls_bytes commit;	/* alice's empty Commit, pending */
};

#define ALICE(G)	(&(G)->p[0])
#define BOB(G)		(&(G)->p[1])

static const char *const names[N] = { "alice", "bob", "carol", "dave" };

static int setup(void **state)
{
	struct group *g = calloc(1, sizeof(*g));
	struct mls_bytes welcome;

	assert_non_null(g);
	assert_int_equal(forge_members(g->p, names, N, SUITE, &rng), 0);
	assert_int_equal(mls_group_commit(&ALICE(g)->g, NULL, &g->commit,
					  &welcome), 0);
	mls_bytes_free(&welcome);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct group *g = *state;

	forge_members_free(g->p, N);
	mls_bytes_free(&g->commit);
	free(g);
	return 0;
}

/* A path edit, and the group whose keys sign the path's leaf again. */
struct path_edit {
	const struct group *g;
	void (*change)(const struct group *g, struct mls_update_path *p);
	bool resign_leaf;
};

static int apply_path_edit(void *ctx, struct mls_framed_content *fc)
{
	const struct path_edit *e = ctx;
	struct mls_update_path *path = &fc->content.commit.path;
	const struct fixture_party *alice = ALICE(e->g);

	if (!fc->content.commit.has_path)
		return MLS_ERR_NOT_FOUND;
	e->change(e->g, path);
	if (!e->resign_leaf)
		return 0;
	if (path->leaf_node.source == MLS_LEAF_SOURCE_COMMIT) {
		int err = forge_path_parent_hash(&BOB(e->g)->g.tree, 0, path);

		if (err)
			return err;
	}
	return forge_sign_leaf(alice->s, &alice->crypto, alice->sig_priv,
			       &path->leaf_node, &alice->g.context.group_id,
			       0);
}

static void bob_refuses(struct group *g,
			void (*change)(const struct group *,
				       struct mls_update_path *),
			bool resign_leaf, int want)
{
	struct path_edit e = { g, change, resign_leaf };
	struct mls_bytes forged, before;

	assert_int_equal(forge_commit(&BOB(g)->g, ALICE(g)->sig_priv,
				      &g->commit, apply_path_edit, &e,
				      &forged), 0);
	assert_saved(&BOB(g)->g, &before);
	assert_int_equal(fixture_process(&BOB(g)->g, &forged), want);
	assert_same_state(&BOB(g)->g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&forged);
	/* the genuine Commit still goes through */
	assert_int_equal(fixture_process(&BOB(g)->g, &g->commit), 0);
	assert_int_equal(mls_group_confirm_commit(&ALICE(g)->g), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(g)->g, &BOB(g)->g, 16),
			 0);
}

static void set_key(struct mls_bytes *dst, const struct mls_bytes *src)
{
	mls_bytes_free(dst);
	assert_int_equal(mls_bytes_dup(dst, src), 0);
}

/* ---- the changes ---- */

static void nothing(const struct group *g, struct mls_update_path *p)
{
	(void)g;
	(void)p;
}

static void leaf_source_update(const struct group *g,
			       struct mls_update_path *p)
{
	(void)g;
	p->leaf_node.source = MLS_LEAF_SOURCE_UPDATE;
	mls_bytes_free(&p->leaf_node.parent_hash);
}

static void leaf_key_changed(const struct group *g, struct mls_update_path *p)
{
	(void)g;
	p->leaf_node.encryption_key.data[0] ^= 1;
}

static void node_key_short(const struct group *g, struct mls_update_path *p)
{
	(void)g;
	p->nodes[0].encryption_key.len--;
}

static void node_keys_equal(const struct group *g, struct mls_update_path *p)
{
	(void)g;
	set_key(&p->nodes[1].encryption_key, &p->nodes[0].encryption_key);
}

static void node_key_is_leaf_key(const struct group *g,
				 struct mls_update_path *p)
{
	(void)g;
	set_key(&p->nodes[0].encryption_key, &p->leaf_node.encryption_key);
}

/* bob's leaf key, already in the tree */
static void node_key_in_tree(const struct group *g, struct mls_update_path *p)
{
	const struct mls_leaf_node *bob = mls_tree_leaf(&BOB(g)->g.tree, 1);

	assert_non_null(bob);
	set_key(&p->nodes[1].encryption_key, &bob->encryption_key);
}

static void ciphertext_missing(const struct group *g,
			       struct mls_update_path *p)
{
	(void)g;
	assert_int_equal(p->nodes[1].count, 2);
	mls_hpke_ciphertext_free(&p->nodes[1].secrets[1]);
	p->nodes[1].count = 1;
}

static void node_missing(const struct group *g, struct mls_update_path *p)
{
	(void)g;
	assert_int_equal(p->count, 2);
	mls_update_path_node_free(&p->nodes[1]);
	p->count = 1;
}

/* ---- the tests ---- */

/* Signing the leaf again as the forger does changes nothing. */
static void test_resigned_leaf_accepted(void **state)
{
	struct group *g = *state;
	struct path_edit e = { g, nothing, true };
	struct mls_bytes forged;

	assert_int_equal(forge_commit(&BOB(g)->g, ALICE(g)->sig_priv,
				      &g->commit, apply_path_edit, &e,
				      &forged), 0);
	assert_int_equal(fixture_process(&BOB(g)->g, &forged), 0);
	assert_int_equal(mls_group_confirm_commit(&ALICE(g)->g), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(g)->g, &BOB(g)->g, 16),
			 0);
	mls_bytes_free(&forged);
}

/* §7.5: the path's leaf is of source commit. */
static void test_leaf_source(void **state)
{
	bob_refuses(*state, leaf_source_update, true, MLS_ERR_VALIDATION);
}

/* The leaf's signature covers its keys. */
static void test_leaf_not_signed_again(void **state)
{
	bob_refuses(*state, leaf_key_changed, false, MLS_ERR_BAD_SIGNATURE);
}

static void test_bad_hpke_key(void **state)
{
	bob_refuses(*state, node_key_short, false, MLS_ERR_BAD_KEY);
}

/* §12.4.2: no path key twice, none already in the tree. */
static void test_duplicate_path_keys(void **state)
{
	bob_refuses(*state, node_keys_equal, true, MLS_ERR_VALIDATION);
}

static void test_path_key_is_leaf_key(void **state)
{
	bob_refuses(*state, node_key_is_leaf_key, true, MLS_ERR_VALIDATION);
}

static void test_path_key_in_tree(void **state)
{
	bob_refuses(*state, node_key_in_tree, true, MLS_ERR_VALIDATION);
}

/* §7.6: one ciphertext per resolution node, one node per path node. */
static void test_ciphertext_count(void **state)
{
	bob_refuses(*state, ciphertext_missing, false, MLS_ERR_VALIDATION);
}

static void test_node_count(void **state)
{
	bob_refuses(*state, node_missing, false, MLS_ERR_VALIDATION);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_resigned_leaf_accepted),
		T(test_leaf_source),
		T(test_leaf_not_signed_again),
		T(test_bad_hpke_key),
		T(test_duplicate_path_keys),
		T(test_path_key_is_leaf_key),
		T(test_path_key_in_tree),
		T(test_ciphertext_count),
		T(test_node_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
