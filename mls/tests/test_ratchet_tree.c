// SPDX-License-Identifier: MIT
/*
 * Ratchet tree (RFC 9420 §4, §7, §12.1): a small group is built with real
 * keys and signatures through Add, a committed UpdatePath, Update and
 * Remove; expected shapes (resolutions, filtered direct paths, unmerged
 * leaves, sizes) are worked out by hand from the RFC's rules. Each kind
 * of bad tree must be rejected with its own error and fault, and a bad
 * UpdatePath must leave the tree untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/ratchet_tree.h"

#define N_MEMBERS 6

struct member {
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	uint8_t sig_pub[MLS_MAX_SIG_PUB_LEN];
	uint8_t enc_pub[MLS_MAX_KEM_PUB_LEN];
};

struct fixture {
	const struct mls_suite *s;
	struct member m[N_MEMBERS];
	struct mls_bytes group_id;
	struct mls_tree t;
};

static void u16_list_one(struct mls_u16_list *l, uint16_t v)
{
	l->items = malloc(sizeof(*l->items));
	assert_non_null(l->items);
	l->items[0] = v;
	l->count = 1;
}

/* A signed LeafNode for member i; source commit carries ph. */
static void make_leaf(struct fixture *f, int i, uint8_t source,
		      uint32_t leaf_index, const uint8_t *ph, size_t ph_len,
		      struct mls_leaf_node *leaf)
{
	const struct mls_suite *s = f->s;
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_writer w;
	size_t sig_len;
	char id[8] = "member0";

	memset(leaf, 0, sizeof(*leaf));
	id[6] = (char)('0' + i);
	assert_int_equal(mls_bytes_set(&leaf->encryption_key, f->m[i].enc_pub,
				       s->kem_pub_len), 0);
	assert_int_equal(mls_bytes_set(&leaf->signature_key, f->m[i].sig_pub,
				       s->sig_pub_len), 0);
	leaf->credential.type = MLS_CREDENTIAL_BASIC;
	assert_int_equal(mls_bytes_set(&leaf->credential.identity, id, 7), 0);
	u16_list_one(&leaf->capabilities.versions, MLS_PROTOCOL_MLS10);
	u16_list_one(&leaf->capabilities.cipher_suites, s->id);
	u16_list_one(&leaf->capabilities.credentials, MLS_CREDENTIAL_BASIC);
	leaf->source = source;
	leaf->lifetime.not_after = UINT64_MAX;
	if (source == MLS_LEAF_SOURCE_COMMIT)
		assert_int_equal(mls_bytes_set(&leaf->parent_hash, ph, ph_len),
				 0);
	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, leaf, &f->group_id, leaf_index);
	assert_int_equal(mls_writer_error(&w), 0);
	assert_int_equal(mls_sign_with_label(NULL, s, f->m[i].sig_priv,
					     s->sig_priv_len, "LeafNodeTBS",
					     w.buf, w.len, sig, &sig_len), 0);
	mls_writer_free(&w);
	assert_int_equal(mls_bytes_set(&leaf->signature, sig, sig_len), 0);
}

static void add_member(struct fixture *f, int i, uint32_t want_index)
{
	struct mls_leaf_node leaf;
	uint32_t idx = UINT32_MAX;

	make_leaf(f, i, MLS_LEAF_SOURCE_KEY_PACKAGE, 0, NULL, 0, &leaf);
	assert_int_equal(mls_tree_add_leaf(&f->t, &leaf, &idx), 0);
	assert_int_equal(idx, want_index);
	mls_leaf_node_free(&leaf);
}

static void fresh_key(const struct mls_suite *s, struct mls_bytes *key)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];

	assert_int_equal(mls_kem_generate_keypair(NULL, s, priv, pub), 0);
	assert_int_equal(mls_bytes_set(key, pub, s->kem_pub_len), 0);
}

/* Member at leaf i commits with an UpdatePath of fresh keys (§7.5). */
static void commit_path(struct fixture *f, uint32_t leaf, int member)
{
	struct mls_bytes keys[MLS_TREE_MAX_HEIGHT] = { 0 };
	struct mls_node_path fdp;
	uint8_t ph[MLS_MAX_HASH_LEN];
	struct mls_leaf_node l;
	size_t ph_len, i;

	assert_int_equal(mls_tree_filtered_direct_path(&f->t, leaf, &fdp,
						       NULL), 0);
	for (i = 0; i < fdp.len; i++)
		fresh_key(f->s, &keys[i]);
	assert_int_equal(mls_tree_merge_path_keys(&f->t, leaf, keys, fdp.len,
						  ph, &ph_len), 0);
	assert_int_equal(ph_len, f->s->hash_len);
	make_leaf(f, member, MLS_LEAF_SOURCE_COMMIT, leaf, ph, ph_len, &l);
	assert_int_equal(mls_tree_set_leaf(&f->t, leaf, &l), 0);
	mls_leaf_node_free(&l);
	for (i = 0; i < fdp.len; i++)
		mls_bytes_free(&keys[i]);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t enc_priv[MLS_MAX_KEM_PRIV_LEN];
	int i;

	assert_non_null(f);
	f->s = mls_suite_get(MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
	assert_non_null(f->s);
	for (i = 0; i < N_MEMBERS; i++) {
		assert_int_equal(mls_sig_generate_keypair(NULL, f->s,
							  f->m[i].sig_priv,
							  f->m[i].sig_pub), 0);
		assert_int_equal(mls_kem_generate_keypair(NULL, f->s, enc_priv,
							  f->m[i].enc_pub), 0);
	}
	assert_int_equal(mls_bytes_set(&f->group_id, "group", 5), 0);
	mls_tree_init(&f->t, f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mls_tree_free(&f->t);
	mls_bytes_free(&f->group_id);
	free(f);
	return 0;
}

/*
 * Leaves A B C at 0..2, A commits (fills nodes 1 and 3), then D joins at
 * leaf 3 and becomes unmerged at the root:
 *	      3[D]
 *	    /      \
 *	   1        _5
 *	  / \      /  \
 *	 A   B    C    D
 */
static void build_group(struct fixture *f)
{
	add_member(f, 0, 0);
	add_member(f, 1, 1);
	add_member(f, 2, 2);
	assert_int_equal(f->t.n_leaves, 4);
	commit_path(f, 0, 0);
	add_member(f, 3, 3);
}

static void expect_list(const struct mls_node_list *l, const uint32_t *want,
			size_t n)
{
	size_t i;

	assert_int_equal(l->len, n);
	for (i = 0; i < n; i++)
		assert_int_equal(l->nodes[i], want[i]);
}

static int validate(struct fixture *f, struct mls_tree *t,
		    struct mls_tree_problem *why)
{
	struct mls_tree_context ctx = { .group_id = &f->group_id };

	return mls_tree_validate(t, &ctx, why);
}

static void test_shape_after_add_and_commit(void **state)
{
	struct fixture *f = *state;
	const uint32_t res_root[] = { 3, 6 }, res5[] = { 4, 6 };
	struct mls_node_list res = { 0 };
	struct mls_node_path fdp, cop;
	const struct mls_parent_node *root;

	build_group(f);
	assert_int_equal(mls_tree_member_count(&f->t), 4);
	root = mls_tree_parent(&f->t, 3);
	assert_non_null(root);
	assert_int_equal(root->unmerged_leaves.count, 1);
	assert_int_equal(root->unmerged_leaves.items[0], 3);
	assert_non_null(mls_tree_parent(&f->t, 1));
	assert_null(mls_tree_parent(&f->t, 5));
	assert_int_equal(mls_tree_resolution(&f->t, 3, NULL, 0, &res), 0);
	expect_list(&res, res_root, 2);
	assert_int_equal(mls_tree_resolution(&f->t, 5, NULL, 0, &res), 0);
	expect_list(&res, res5, 2);
	/* §7.5: a Commit's new member is left out of the resolution */
	{
		const uint32_t new_member = 3, res5_excl[] = { 4 };

		assert_int_equal(mls_tree_resolution(&f->t, 5, &new_member, 1,
						     &res), 0);
		expect_list(&res, res5_excl, 1);
	}
	mls_node_list_free(&res);
	/* C's direct path is 5, 3; 5's copath child D is non-blank */
	assert_int_equal(mls_tree_filtered_direct_path(&f->t, 2, &fdp, &cop),
			 0);
	assert_int_equal(fdp.len, 2);
	assert_int_equal(fdp.nodes[0], 5);
	assert_int_equal(fdp.nodes[1], 3);
	assert_int_equal(cop.nodes[0], 6);
	assert_int_equal(cop.nodes[1], 1);
}

static void test_valid_tree_reencodes_exactly(void **state)
{
	struct fixture *f = *state;
	struct mls_bytes enc = { 0 }, again = { 0 }, th = { 0 };
	uint8_t h1[MLS_MAX_HASH_LEN], h2[MLS_MAX_HASH_LEN];
	struct mls_tree_context ctx = { .group_id = &f->group_id };
	struct mls_tree_problem why;
	struct mls_tree copy;

	build_group(f);
	assert_int_equal(validate(f, &f->t, &why), 0);
	assert_int_equal(why.fault, MLS_TREE_FAULT_NONE);
	assert_int_equal(mls_tree_to_bytes(&f->t, &enc), 0);
	assert_int_equal(mls_tree_from_bytes(&copy, f->s, enc.data, enc.len),
			 0);
	/* a fresh decode has no cache: its hash is computed from scratch */
	assert_int_equal(mls_tree_root_hash(&f->t, h1), 0);
	assert_int_equal(mls_tree_root_hash(&copy, h2), 0);
	assert_memory_equal(h1, h2, f->s->hash_len);
	assert_int_equal(mls_bytes_set(&th, h1, f->s->hash_len), 0);
	ctx.tree_hash = &th;
	assert_int_equal(mls_tree_validate(&copy, &ctx, &why), 0);
	assert_int_equal(mls_tree_to_bytes(&copy, &again), 0);
	assert_true(mls_bytes_equal(&enc, &again));
	/* a wrong GroupContext tree hash */
	th.data[0] ^= 1;
	assert_int_equal(mls_tree_validate(&copy, &ctx, &why),
			 MLS_ERR_VALIDATION);
	assert_int_equal(why.fault, MLS_TREE_FAULT_TREE_HASH);
	mls_tree_free(&copy);
	mls_bytes_free(&enc);
	mls_bytes_free(&again);
	mls_bytes_free(&th);
}

/* Encode f->t, let mutate() damage the wire form, decode it again. */
static void tampered_copy(struct fixture *f,
			  void (*mutate)(struct mls_ratchet_tree *),
			  struct mls_tree *out)
{
	struct mls_ratchet_tree wire;

	build_group(f);
	assert_int_equal(mls_tree_to_wire(&f->t, &wire), 0);
	mutate(&wire);
	assert_int_equal(mls_tree_from_wire(out, f->s, &wire), 0);
	mls_ratchet_tree_free(&wire);
}

static void flip_node1_parent_hash(struct mls_ratchet_tree *w)
{
	w->nodes[1].parent.parent_hash.data[3] ^= 0x80;
}

static void test_corrupted_parent_hash(void **state)
{
	struct fixture *f = *state;
	struct mls_tree_problem why;
	struct mls_tree t;
	uint32_t bad = 0;

	tampered_copy(f, flip_node1_parent_hash, &t);
	/*
	 * Node 1's parent_hash is an input of its own parent hash, so leaf 0
	 * no longer links to node 1 (nor node 1 to the root): the first
	 * unchained parent is node 1.
	 */
	assert_int_equal(mls_tree_verify_parent_hashes(&t, &bad),
			 MLS_ERR_VALIDATION);
	assert_int_equal(bad, 1);
	assert_int_equal(validate(f, &t, &why), MLS_ERR_VALIDATION);
	assert_int_equal(why.fault, MLS_TREE_FAULT_PARENT_HASH);
	assert_int_equal(why.node, 1);
	mls_tree_free(&t);
}

/*
 * Leaf 3 (D) joined after the commit, so it is unmerged at the root and
 * no parent hash covers it: only its signature can catch the change.
 */
static void flip_leaf3_signature(struct mls_ratchet_tree *w)
{
	w->nodes[6].leaf.signature.data[10] ^= 1;
}

static void test_bad_leaf_signature(void **state)
{
	struct fixture *f = *state;
	struct mls_tree_problem why;
	struct mls_tree t;

	tampered_copy(f, flip_leaf3_signature, &t);
	assert_int_equal(mls_tree_verify_parent_hashes(&t, NULL), 0);
	assert_int_equal(validate(f, &t, &why), MLS_ERR_BAD_SIGNATURE);
	assert_int_equal(why.fault, MLS_TREE_FAULT_SIGNATURE);
	assert_int_equal(why.node, 6);
	/* the signature binds group_id for commit leaves: leaf 0 */
	assert_int_equal(mls_leaf_node_verify_signature(f->s,
			 mls_tree_leaf(&t, 0), &f->group_id, 0), 0);
	assert_int_equal(mls_leaf_node_verify_signature(f->s,
			 mls_tree_leaf(&t, 0), &f->group_id, 1),
			 MLS_ERR_BAD_SIGNATURE);
	mls_tree_free(&t);
}

static void unmerge_leaf2_at_node1(struct mls_ratchet_tree *w)
{
	struct mls_u32_list *um = &w->nodes[1].parent.unmerged_leaves;

	um->items = realloc(um->items, sizeof(*um->items));
	assert_non_null(um->items);
	um->items[0] = 2;	/* leaf 2 is under node 5, not node 1 */
	um->count = 1;
}

static void test_unmerged_leaf_not_below(void **state)
{
	struct fixture *f = *state;
	struct mls_tree_problem why;
	struct mls_tree t;

	tampered_copy(f, unmerge_leaf2_at_node1, &t);
	assert_int_equal(validate(f, &t, &why), MLS_ERR_VALIDATION);
	assert_int_equal(why.fault, MLS_TREE_FAULT_UNMERGED_LEAF);
	assert_int_equal(why.node, 1);
	mls_tree_free(&t);
}

static void test_duplicate_encryption_key(void **state)
{
	struct fixture *f = *state;
	struct mls_tree_problem why;
	struct mls_leaf_node leaf;

	build_group(f);
	/* member 4 reuses member 1's HPKE key in a properly signed leaf */
	memcpy(f->m[4].enc_pub, f->m[1].enc_pub, f->s->kem_pub_len);
	make_leaf(f, 4, MLS_LEAF_SOURCE_KEY_PACKAGE, 0, NULL, 0, &leaf);
	assert_int_equal(mls_tree_check_leaf_fits(&f->t, 4, &leaf, &why),
			 MLS_ERR_VALIDATION);
	assert_int_equal(why.fault, MLS_TREE_FAULT_DUP_ENCRYPTION_KEY);
	assert_int_equal(why.node, 2);
	/* an Update must bring a new HPKE key; member 1 keeping its own */
	assert_int_equal(mls_tree_check_leaf_fits(&f->t, 1, &leaf, &why),
			 MLS_ERR_VALIDATION);
	assert_int_equal(why.fault, MLS_TREE_FAULT_DUP_ENCRYPTION_KEY);
	assert_int_equal(why.node, 2);
	assert_int_equal(mls_tree_add_leaf(&f->t, &leaf, NULL), 0);
	mls_leaf_node_free(&leaf);
	/* a fresh key for a new member fits */
	make_leaf(f, 5, MLS_LEAF_SOURCE_KEY_PACKAGE, 0, NULL, 0, &leaf);
	assert_int_equal(mls_tree_check_leaf_fits(&f->t, 5, &leaf, &why), 0);
	mls_leaf_node_free(&leaf);
	assert_int_equal(validate(f, &f->t, &why), MLS_ERR_VALIDATION);
	assert_int_equal(why.fault, MLS_TREE_FAULT_DUP_ENCRYPTION_KEY);
}

static void test_wire_shape_rejected(void **state)
{
	struct fixture *f = *state;
	struct mls_ratchet_tree wire;
	struct mls_bytes enc = { 0 };
	struct mls_node *tmp;
	struct mls_tree t;

	build_group(f);
	assert_int_equal(mls_tree_to_wire(&f->t, &wire), 0);
	/* trailing blank: both the struct and its encoding are refused */
	tmp = realloc(wire.nodes, (wire.count + 1) * sizeof(*tmp));
	assert_non_null(tmp);
	wire.nodes = tmp;
	memset(&wire.nodes[wire.count++], 0, sizeof(*tmp));
	assert_int_equal(mls_tree_from_wire(&t, f->s, &wire), MLS_ERR_DECODE);
	assert_int_equal(mls_ratchet_tree_to_bytes(&wire, &enc), 0);
	assert_int_equal(mls_tree_from_bytes(&t, f->s, enc.data, enc.len),
			 MLS_ERR_DECODE);
	mls_bytes_free(&enc);
	wire.count--;
	/* parent node in leaf 1's slot */
	mls_node_free(&wire.nodes[2]);
	wire.nodes[2].type = MLS_NODE_PARENT;
	assert_int_equal(mls_bytes_set(&wire.nodes[2].parent.encryption_key,
				       f->m[5].enc_pub, f->s->kem_pub_len), 0);
	assert_int_equal(mls_tree_from_wire(&t, f->s, &wire), MLS_ERR_DECODE);
	assert_int_equal(mls_ratchet_tree_to_bytes(&wire, &enc), 0);
	assert_int_equal(mls_tree_from_bytes(&t, f->s, enc.data, enc.len),
			 MLS_ERR_DECODE);
	assert_int_equal(t.n_leaves, 0);
	mls_bytes_free(&enc);
	mls_ratchet_tree_free(&wire);
}

static void test_update_blanks_path_remove_truncates(void **state)
{
	struct fixture *f = *state;
	uint8_t before[MLS_MAX_HASH_LEN], after[MLS_MAX_HASH_LEN];
	struct mls_leaf_node leaf;
	struct mls_tree_problem why;

	build_group(f);
	add_member(f, 4, 4);		/* extends to 8 leaves */
	assert_int_equal(f->t.n_leaves, 8);
	assert_int_equal(mls_tree_root_hash(&f->t, before), 0);
	make_leaf(f, 5, MLS_LEAF_SOURCE_UPDATE, 1, NULL, 0, &leaf);
	assert_int_equal(mls_tree_update_leaf(&f->t, 1, &leaf), 0);
	mls_leaf_node_free(&leaf);
	assert_true(mls_tree_is_blank(&f->t, 1));
	assert_true(mls_tree_is_blank(&f->t, 3));
	assert_int_equal(mls_tree_root_hash(&f->t, after), 0);
	assert_memory_not_equal(before, after, f->s->hash_len);
	assert_int_equal(validate(f, &f->t, &why), 0);
	/* removing leaf 4 leaves the right half blank: back to 4 leaves */
	assert_int_equal(mls_tree_remove_leaf(&f->t, 4), 0);
	assert_int_equal(f->t.n_leaves, 4);
	assert_int_equal(mls_tree_remove_leaf(&f->t, 4), MLS_ERR_NOT_FOUND);
	/* leaf 2 removed: the new member takes the leftmost hole */
	assert_int_equal(mls_tree_remove_leaf(&f->t, 2), 0);
	assert_int_equal(f->t.n_leaves, 4);
	add_member(f, 2, 2);
	assert_int_equal(mls_tree_remove_leaf(&f->t, 3), 0);
	assert_int_equal(mls_tree_remove_leaf(&f->t, 2), 0);
	assert_int_equal(f->t.n_leaves, 2);
	assert_int_equal(mls_tree_member_count(&f->t), 2);
}

static void test_bad_update_path_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct mls_bytes before = { 0 }, after = { 0 };
	struct mls_update_path path = { 0 };
	struct mls_update_path_node nodes[2];
	uint8_t h1[MLS_MAX_HASH_LEN], h2[MLS_MAX_HASH_LEN];
	uint8_t wrong_ph[MLS_MAX_HASH_LEN];
	struct mls_tree_problem why;

	build_group(f);
	assert_int_equal(mls_tree_to_bytes(&f->t, &before), 0);
	assert_int_equal(mls_tree_root_hash(&f->t, h1), 0);
	memset(nodes, 0, sizeof(nodes));
	fresh_key(f->s, &nodes[0].encryption_key);
	fresh_key(f->s, &nodes[1].encryption_key);
	memset(wrong_ph, 0x5a, sizeof(wrong_ph));
	make_leaf(f, 5, MLS_LEAF_SOURCE_COMMIT, 2, wrong_ph, f->s->hash_len,
		  &path.leaf_node);
	path.nodes = nodes;
	/* C's filtered direct path has two nodes; one key is too few */
	path.count = 1;
	assert_int_equal(mls_tree_merge_update_path(&f->t, 2, &path),
			 MLS_ERR_VALIDATION);
	path.count = 2;
	assert_int_equal(mls_tree_merge_update_path(&f->t, 2, &path),
			 MLS_ERR_VALIDATION);
	assert_int_equal(mls_tree_to_bytes(&f->t, &after), 0);
	assert_true(mls_bytes_equal(&before, &after));
	assert_int_equal(mls_tree_root_hash(&f->t, h2), 0);
	assert_memory_equal(h1, h2, f->s->hash_len);
	assert_int_equal(validate(f, &f->t, &why), 0);
	mls_leaf_node_free(&path.leaf_node);
	mls_update_path_node_free(&nodes[0]);
	mls_update_path_node_free(&nodes[1]);
	mls_bytes_free(&before);
	mls_bytes_free(&after);
}

/* A receiver merging the committer's UpdatePath ends with its tree. */
static void test_receiver_merge_matches_committer(void **state)
{
	struct fixture *f = *state;
	struct mls_update_path_node nodes[2];
	struct mls_update_path path = { 0 };
	struct mls_bytes keys[2], a = { 0 }, b = { 0 };
	uint8_t ph[MLS_MAX_HASH_LEN];
	struct mls_tree receiver;
	struct mls_tree_problem why;
	size_t ph_len;

	build_group(f);
	assert_int_equal(mls_tree_clone(&receiver, &f->t), 0);
	memset(nodes, 0, sizeof(nodes));
	fresh_key(f->s, &nodes[0].encryption_key);
	fresh_key(f->s, &nodes[1].encryption_key);
	keys[0] = nodes[0].encryption_key;
	keys[1] = nodes[1].encryption_key;
	assert_int_equal(mls_tree_merge_path_keys(&f->t, 2, keys, 2, ph,
						  &ph_len), 0);
	make_leaf(f, 5, MLS_LEAF_SOURCE_COMMIT, 2, ph, ph_len,
		  &path.leaf_node);
	assert_int_equal(mls_tree_set_leaf(&f->t, 2, &path.leaf_node), 0);
	path.nodes = nodes;
	path.count = 2;
	assert_int_equal(mls_tree_merge_update_path(&receiver, 2, &path), 0);
	assert_int_equal(mls_tree_to_bytes(&f->t, &a), 0);
	assert_int_equal(mls_tree_to_bytes(&receiver, &b), 0);
	assert_true(mls_bytes_equal(&a, &b));
	/* the merge cleared the root's unmerged leaves and chains to C */
	assert_int_equal(mls_tree_parent(&receiver, 3)->unmerged_leaves.count,
			 0);
	assert_int_equal(validate(f, &receiver, &why), 0);
	mls_tree_free(&receiver);
	mls_leaf_node_free(&path.leaf_node);
	mls_update_path_node_free(&nodes[0]);
	mls_update_path_node_free(&nodes[1]);
	mls_bytes_free(&a);
	mls_bytes_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shape_after_add_and_commit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_valid_tree_reencodes_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_parent_hash,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_leaf_signature,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmerged_leaf_not_below,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_encryption_key,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_wire_shape_rejected,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_update_blanks_path_remove_truncates, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_bad_update_path_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_receiver_merge_matches_committer, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
