// SPDX-License-Identifier: MIT
/*
 * TreeKEM (RFC 9420 §7.4-§7.6, §12.4.1, §12.4.2): a group of five built
 * from real keys commits in turn and every receiver must derive the
 * committer's commit_secret and tree; a Welcome joiner implants its path
 * secret. Each kind of bad UpdatePath must fail with its own error and
 * leave the receiver's tree and private state byte-for-byte unchanged.
 * Counts of ciphertexts are worked out by hand from the tree shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/treekem.h"

#define N_MEMBERS 6

struct member {
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	uint8_t sig_pub[MLS_MAX_SIG_PUB_LEN];
	uint8_t enc_priv[MLS_MAX_KEM_PRIV_LEN];
	uint8_t enc_pub[MLS_MAX_KEM_PUB_LEN];
	struct mls_tree_private priv;
};

struct fixture {
	const struct mls_suite *s;
	struct member m[N_MEMBERS];
	struct mls_group_context gc;
	struct mls_treekem_context ctx;
	struct mls_tree t;
};

/* A deterministic random source: a counter spread over the output. */
static int counter_random(void *ctx, uint8_t *out, size_t len)
{
	uint8_t *seed = ctx;
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = (uint8_t)(*seed + 31 * i);
	(*seed)++;
	return 0;
}

static void u16_list_one(struct mls_u16_list *l, uint16_t v)
{
	l->items = malloc(sizeof(*l->items));
	assert_non_null(l->items);
	l->items[0] = v;
	l->count = 1;
}

static void sign_leaf(struct fixture *f, int i, uint32_t leaf_index,
		      struct mls_leaf_node *leaf)
{
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_writer w;
	size_t sig_len;

	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, leaf, &f->gc.group_id, leaf_index);
	assert_int_equal(mls_writer_error(&w), 0);
	assert_int_equal(mls_sign_with_label(NULL, f->s, f->m[i].sig_priv,
					     f->s->sig_priv_len, "LeafNodeTBS",
					     w.buf, w.len, sig, &sig_len), 0);
	mls_writer_free(&w);
	mls_bytes_free(&leaf->signature);
	assert_int_equal(mls_bytes_set(&leaf->signature, sig, sig_len), 0);
}

/* Member i's KeyPackage leaf, added at the leftmost free leaf. */
static uint32_t add_member(struct fixture *f, int i)
{
	struct mls_leaf_node leaf = { 0 };
	char id[8] = "member0";
	uint32_t idx;

	id[6] = (char)('0' + i);
	assert_int_equal(mls_bytes_set(&leaf.encryption_key, f->m[i].enc_pub,
				       f->s->kem_pub_len), 0);
	assert_int_equal(mls_bytes_set(&leaf.signature_key, f->m[i].sig_pub,
				       f->s->sig_pub_len), 0);
	leaf.credential.type = MLS_CREDENTIAL_BASIC;
	assert_int_equal(mls_bytes_set(&leaf.credential.identity, id, 7), 0);
	u16_list_one(&leaf.capabilities.versions, MLS_PROTOCOL_MLS10);
	u16_list_one(&leaf.capabilities.cipher_suites, f->s->id);
	u16_list_one(&leaf.capabilities.credentials, MLS_CREDENTIAL_BASIC);
	leaf.source = MLS_LEAF_SOURCE_KEY_PACKAGE;
	leaf.lifetime.not_after = UINT64_MAX;
	sign_leaf(f, i, 0, &leaf);
	assert_int_equal(mls_tree_add_leaf(&f->t, &leaf, &idx), 0);
	mls_leaf_node_free(&leaf);
	mls_tree_private_init(&f->m[i].priv, f->s, idx);
	assert_int_equal(mls_tree_private_set_leaf_key(&f->m[i].priv,
						       f->m[i].enc_priv,
						       f->s->kem_priv_len), 0);
	return idx;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int i;

	assert_non_null(f);
	f->s = mls_suite_get(MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
	assert_non_null(f->s);
	for (i = 0; i < N_MEMBERS; i++) {
		assert_int_equal(mls_sig_generate_keypair(NULL, f->s,
							  f->m[i].sig_priv,
							  f->m[i].sig_pub), 0);
		assert_int_equal(mls_kem_generate_keypair(NULL, f->s,
							  f->m[i].enc_priv,
							  f->m[i].enc_pub), 0);
	}
	f->gc.version = MLS_PROTOCOL_MLS10;
	f->gc.cipher_suite = f->s->id;
	f->gc.epoch = 7;
	assert_int_equal(mls_bytes_set(&f->gc.group_id, "group", 5), 0);
	assert_int_equal(mls_bytes_set(&f->gc.confirmed_transcript_hash,
				       "cth", 3), 0);
	f->ctx.group_context = &f->gc;
	mls_tree_init(&f->t, f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int i;

	for (i = 0; i < N_MEMBERS; i++)
		mls_tree_private_wipe(&f->m[i].priv);
	mls_tree_free(&f->t);
	mls_group_context_free(&f->gc);
	free(f);
	return 0;
}

/* Receiver i processes path on its own copy of the group tree. */
static int receive(struct fixture *f, int i, uint32_t sender,
		   const struct mls_update_path *path, struct mls_tree *out_t,
		   struct mls_treekem_secrets *out)
{
	assert_int_equal(mls_tree_clone(out_t, &f->t), 0);
	return mls_treekem_process(out_t, &f->m[i].priv, sender, path,
				   &f->ctx, out);
}

static void expect_same_tree(struct mls_tree *a, struct mls_tree *b)
{
	struct mls_bytes ea = { 0 }, eb = { 0 };

	assert_int_equal(mls_tree_to_bytes(a, &ea), 0);
	assert_int_equal(mls_tree_to_bytes(b, &eb), 0);
	assert_true(mls_bytes_equal(&ea, &eb));
	mls_bytes_free(&ea);
	mls_bytes_free(&eb);
}

/*
 * Member c commits; every other member of 0..n-1 processes the path and
 * must reach the committer's tree and commit secret. The group tree and
 * private states then move on.
 */
static void commit_round(struct fixture *f, int c, int n)
{
	struct mls_treekem_secrets sent, got;
	struct mls_update_path path;
	struct mls_tree mine, theirs;
	const uint8_t *ps;
	uint32_t node;
	int i;

	assert_int_equal(mls_tree_clone(&mine, &f->t), 0);
	assert_int_equal(mls_treekem_create(NULL, &mine, &f->m[c].priv,
					    &f->ctx, NULL, f->m[c].sig_priv,
					    f->s->sig_priv_len, &path, &sent),
			 0);
	assert_int_equal(mls_tree_private_check(&f->m[c].priv, &mine), 0);
	for (i = 0; i < n; i++) {
		if (i == c)
			continue;
		assert_int_equal(receive(f, i, sent.sender, &path, &theirs,
					 &got), 0);
		assert_memory_equal(got.commit_secret, sent.commit_secret,
				    f->s->hash_len);
		assert_int_equal(mls_treekem_path_secret_for(
					 &sent, f->m[i].priv.leaf_index, &node,
					 &ps), 0);
		assert_int_equal(node, got.fdp.nodes[got.first]);
		assert_memory_equal(ps, got.path_secrets[got.first],
				    f->s->hash_len);
		expect_same_tree(&mine, &theirs);
		assert_int_equal(mls_tree_private_check(&f->m[i].priv,
							&theirs), 0);
		mls_tree_free(&theirs);
		mls_treekem_secrets_wipe(&got);
	}
	mls_tree_free(&f->t);
	f->t = mine;
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

/*
 * Five members at leaves 0..4 of an 8-leaf tree, each having committed
 * once, so every member holds keys on its direct path:
 *	            7
 *	      3           _
 *	   1     5     _      _
 *	  A B   C D   E _   _  _
 */
static void build_group(struct fixture *f)
{
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(add_member(f, i), (uint32_t)i);
	for (i = 0; i < 5; i++)
		commit_round(f, i, 5);
}

static void test_every_member_commits(void **state)
{
	struct fixture *f = *state;

	build_group(f);
	assert_int_equal(f->t.n_leaves, 8);
	/* Leaves 5-7 are blank, so nodes 9 and 11 are not on E's filtered
	 * direct path (§4.1.2) and stay blank; E's path is the root alone. */
	assert_true(mls_tree_is_blank(&f->t, 9));
	assert_true(mls_tree_is_blank(&f->t, 11));
	commit_round(f, 2, 5);
}

static void encode_path(const struct mls_update_path *p, struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_update_path_encode(&w, p);
	assert_int_equal(mls_writer_finish(&w, out), 0);
}

/* Member 1 commits on copies of the group with random source c. */
static void commit_copy(struct fixture *f, const struct mls_crypto *c,
			struct mls_bytes *encoded, uint8_t *commit_secret)
{
	struct mls_tree_private k = f->m[1].priv;
	struct mls_treekem_secrets s;
	struct mls_update_path p;
	struct mls_tree t;

	assert_int_equal(mls_tree_clone(&t, &f->t), 0);
	assert_int_equal(mls_treekem_create(c, &t, &k, &f->ctx, NULL,
					    f->m[1].sig_priv,
					    f->s->sig_priv_len, &p, &s), 0);
	encode_path(&p, encoded);
	memcpy(commit_secret, s.commit_secret, f->s->hash_len);
	mls_update_path_free(&p);
	mls_treekem_secrets_wipe(&s);
	mls_tree_private_wipe(&k);
	mls_tree_free(&t);
}

/* §7.4 path_secret[0] and the leaf key come from the crypto random hook. */
static void test_random_hook_makes_path_deterministic(void **state)
{
	struct fixture *f = *state;
	uint8_t cs1[MLS_MAX_HASH_LEN], cs2[MLS_MAX_HASH_LEN];
	uint8_t cs3[MLS_MAX_HASH_LEN];
	struct mls_bytes e1, e2, e3;
	struct mls_crypto c;
	uint8_t seed;

	build_group(f);
	mls_crypto_init(&c);
	mls_crypto_set_random(&c, counter_random, &seed);
	seed = 9;
	commit_copy(f, &c, &e1, cs1);
	seed = 9;
	commit_copy(f, &c, &e2, cs2);
	seed = 10;
	commit_copy(f, &c, &e3, cs3);
	assert_true(mls_bytes_equal(&e1, &e2));
	assert_memory_equal(cs1, cs2, f->s->hash_len);
	assert_false(mls_bytes_equal(&e1, &e3));
	assert_memory_not_equal(cs1, cs3, f->s->hash_len);
	mls_bytes_free(&e1);
	mls_bytes_free(&e2);
	mls_bytes_free(&e3);
}

/*
 * F joins at leaf 5 in the same Commit as C's path (§7.5: new members are
 * left out of every resolution), then implants the path secret its
 * Welcome would carry (§12.4.3.1) and reaches the same commit secret.
 */
static void test_added_member_excluded_and_implants(void **state)
{
	struct fixture *f = *state;
	struct mls_treekem_secrets sent;
	struct mls_update_path path;
	uint8_t cs[MLS_MAX_HASH_LEN];
	uint32_t added, node, i;
	const uint8_t *ps;

	build_group(f);
	added = add_member(f, 5);
	assert_int_equal(added, 5);
	f->ctx.added_leaves = &added;
	f->ctx.n_added = 1;
	assert_int_equal(mls_treekem_create(NULL, &f->t, &f->m[2].priv,
					    &f->ctx, NULL, f->m[2].sig_priv,
					    f->s->sig_priv_len, &path, &sent),
			 0);
	/* C at leaf 2: fdp 5, 3, 7 with copaths D (6), node 1, node 11.
	 * Blank node 11 resolves to E and F (8, 10); without F, only E
	 * gets the root's path secret. */
	assert_int_equal(path.count, 3);
	assert_int_equal(sent.fdp.nodes[0], 5);
	assert_int_equal(sent.fdp.nodes[1], 3);
	assert_int_equal(sent.fdp.nodes[2], 7);
	assert_int_equal(path.nodes[0].count, 1);
	assert_int_equal(path.nodes[1].count, 1);
	assert_int_equal(path.nodes[2].count, 1);
	assert_int_equal(mls_treekem_path_secret_for(&sent, added, &node, &ps),
			 0);
	assert_int_equal(node, 7);
	assert_int_equal(mls_tree_private_implant(&f->m[5].priv, &f->t, node,
						  ps, cs), 0);
	assert_memory_equal(cs, sent.commit_secret, f->s->hash_len);
	assert_int_equal(mls_tree_private_check(&f->m[5].priv, &f->t), 0);
	/* F holds its leaf and the root; blank 9 and 11 have no keys. */
	for (i = 0; i < f->m[5].priv.n_keys; i++)
		assert_true(f->m[5].priv.keys[i].node == 10 ||
			    f->m[5].priv.keys[i].node == 7);
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

/* A receiver's tree and keys before a bad path, to compare after. */
struct snapshot {
	struct mls_bytes tree;
	struct mls_tree_private priv;
};

static void snap(struct fixture *f, int i, struct snapshot *s)
{
	assert_int_equal(mls_tree_to_bytes(&f->t, &s->tree), 0);
	s->priv = f->m[i].priv;
}

static void expect_unchanged(struct fixture *f, int i, struct snapshot *s)
{
	struct mls_bytes now = { 0 };

	assert_int_equal(mls_tree_to_bytes(&f->t, &now), 0);
	assert_true(mls_bytes_equal(&now, &s->tree));
	assert_memory_equal(&f->m[i].priv, &s->priv, sizeof(s->priv));
	mls_bytes_free(&now);
	mls_bytes_free(&s->tree);
	mls_tree_private_wipe(&s->priv);
}

/* Receiver i processes path in place: the error, and nothing changed. */
static void expect_rejected(struct fixture *f, int i, uint32_t sender,
			    const struct mls_update_path *path, int want)
{
	struct mls_treekem_secrets got;
	struct snapshot s;

	snap(f, i, &s);
	assert_int_equal(mls_treekem_process(&f->t, &f->m[i].priv, sender,
					     path, &f->ctx, &got), want);
	expect_unchanged(f, i, &s);
}

/* Member 0's path on a copy of the group; the group stays as it is. */
static void make_path(struct fixture *f, struct mls_update_path *path,
		      struct mls_treekem_secrets *sent)
{
	struct mls_tree_private k = f->m[0].priv;
	struct mls_tree t;

	assert_int_equal(mls_tree_clone(&t, &f->t), 0);
	assert_int_equal(mls_treekem_create(NULL, &t, &k, &f->ctx, NULL,
					    f->m[0].sig_priv,
					    f->s->sig_priv_len, path, sent), 0);
	mls_tree_private_wipe(&k);
	mls_tree_free(&t);
}

static void test_bad_leaf_signature(void **state)
{
	struct fixture *f = *state;
	struct mls_treekem_secrets sent;
	struct mls_update_path path;

	build_group(f);
	make_path(f, &path, &sent);
	path.leaf_node.signature.data[3] ^= 0x40;
	expect_rejected(f, 3, 0, &path, MLS_ERR_BAD_SIGNATURE);
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

static void test_wrong_path_length(void **state)
{
	struct fixture *f = *state;
	struct mls_treekem_secrets sent;
	struct mls_update_path path;

	build_group(f);
	make_path(f, &path, &sent);
	/* A's filtered direct path is 1, 3, 7: drop the root's node. */
	assert_int_equal(path.count, 3);
	path.count = 2;
	expect_rejected(f, 1, 0, &path, MLS_ERR_VALIDATION);
	expect_rejected(f, 4, 0, &path, MLS_ERR_VALIDATION);
	path.count = 3;
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

static void test_corrupted_ciphertext(void **state)
{
	struct fixture *f = *state;
	struct mls_treekem_secrets sent;
	struct mls_update_path path;
	struct mls_hpke_ciphertext *ct;

	build_group(f);
	make_path(f, &path, &sent);
	/* B (leaf 1) is the copath of node 1: the only ciphertext there. */
	assert_int_equal(path.nodes[0].count, 1);
	ct = &path.nodes[0].secrets[0];
	ct->ciphertext.data[0] ^= 1;
	expect_rejected(f, 1, 0, &path, MLS_ERR_AUTH);
	ct->ciphertext.data[0] ^= 1;
	ct->kem_output.data[5] ^= 0x10;
	expect_rejected(f, 1, 0, &path, MLS_ERR_AUTH);
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

/* The provisional GroupContext is the HPKE context (§12.4.2). */
static void test_other_group_context(void **state)
{
	struct fixture *f = *state;
	struct mls_treekem_secrets sent;
	struct mls_update_path path;

	build_group(f);
	make_path(f, &path, &sent);
	f->gc.epoch++;
	expect_rejected(f, 2, 0, &path, MLS_ERR_AUTH);
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

/* §12.4.2: no key of the path may already be in the tree. */
static void test_path_key_already_in_tree(void **state)
{
	struct fixture *f = *state;
	struct mls_treekem_secrets sent;
	struct mls_update_path path;

	build_group(f);
	make_path(f, &path, &sent);
	mls_bytes_free(&path.nodes[1].encryption_key);
	assert_int_equal(mls_bytes_dup(&path.nodes[1].encryption_key,
				       &mls_tree_parent(&f->t, 3)
						->encryption_key), 0);
	expect_rejected(f, 2, 0, &path, MLS_ERR_VALIDATION);
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

/*
 * A committer that lies: node 7's key in its path is not the one its
 * path secret yields, yet parent hashes, signature and ciphertexts are
 * all consistent with the lie. Only §7.5 step 6 can catch it.
 */
static void forge_root_key(struct fixture *f, struct mls_update_path *path,
			   const struct mls_treekem_secrets *sent)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	struct mls_bytes keys[MLS_TREE_MAX_HEIGHT], gc = { 0 };
	struct mls_group_context ctx = f->gc;
	struct mls_node_path fdp, copath;
	uint8_t ph[MLS_MAX_HASH_LEN], th[MLS_MAX_HASH_LEN];
	struct mls_node_list res = { 0 };
	struct mls_hpke_ciphertext *ct;
	const struct mls_node *n;
	struct mls_tree t;
	size_t i, j, ph_len;

	assert_int_equal(mls_kem_generate_keypair(NULL, f->s, priv, pub), 0);
	mls_bytes_free(&path->nodes[2].encryption_key);
	assert_int_equal(mls_bytes_set(&path->nodes[2].encryption_key, pub,
				       f->s->kem_pub_len), 0);
	assert_int_equal(mls_tree_clone(&t, &f->t), 0);
	assert_int_equal(mls_tree_filtered_direct_path(&t, 0, &fdp, &copath),
			 0);
	for (i = 0; i < path->count; i++)
		keys[i] = path->nodes[i].encryption_key;
	assert_int_equal(mls_tree_merge_path_keys(&t, 0, keys, path->count,
						  ph, &ph_len), 0);
	mls_bytes_free(&path->leaf_node.parent_hash);
	assert_int_equal(mls_bytes_set(&path->leaf_node.parent_hash, ph,
				       ph_len), 0);
	sign_leaf(f, 0, 0, &path->leaf_node);
	assert_int_equal(mls_tree_set_leaf(&t, 0, &path->leaf_node), 0);
	assert_int_equal(mls_tree_root_hash(&t, th), 0);
	ctx.tree_hash.data = th;
	ctx.tree_hash.len = f->s->hash_len;
	assert_int_equal(mls_group_context_to_bytes(&ctx, &gc), 0);
	for (i = 0; i < path->count; i++) {
		assert_int_equal(mls_tree_resolution(&t, copath.nodes[i], NULL,
						     0, &res), 0);
		for (j = 0; j < res.len; j++) {
			n = mls_tree_node(&t, res.nodes[j]);
			ct = &path->nodes[i].secrets[j];
			assert_int_equal(mls_encrypt_with_label(
				NULL, f->s,
				n->type == MLS_NODE_LEAF ?
					n->leaf.encryption_key.data :
					n->parent.encryption_key.data,
				f->s->kem_pub_len, "UpdatePathNode", gc.data,
				gc.len, sent->path_secrets[i], f->s->hash_len,
				ct->kem_output.data, ct->ciphertext.data), 0);
		}
	}
	mls_node_list_free(&res);
	mls_bytes_free(&gc);
	mls_tree_free(&t);
}

static void test_public_key_not_derived_from_secret(void **state)
{
	struct fixture *f = *state;
	struct mls_treekem_secrets sent;
	struct mls_update_path path;

	build_group(f);
	make_path(f, &path, &sent);
	forge_root_key(f, &path, &sent);
	/* E decrypts at the root itself, B two levels below it. */
	expect_rejected(f, 4, 0, &path, MLS_ERR_BAD_KEY);
	expect_rejected(f, 1, 0, &path, MLS_ERR_BAD_KEY);
	mls_update_path_free(&path);
	mls_treekem_secrets_wipe(&sent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_member_commits,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_random_hook_makes_path_deterministic, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_added_member_excluded_and_implants, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_bad_leaf_signature, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_path_length, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_ciphertext,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_group_context, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_path_key_already_in_tree,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_public_key_not_derived_from_secret, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
