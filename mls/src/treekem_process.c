// SPDX-License-Identifier: MIT
/*
 * Receiver side of TreeKEM (§7.5, §12.4.2): check the UpdatePath, merge
 * it into a copy of the tree, decrypt the one path secret meant for this
 * member under the provisional GroupContext, derive the rest up to the
 * root and check each derived public key against the path.
 */
#include <stdlib.h>
#include <string.h>

#include "treekem_internal.h"

/* The receiver's working copies; the caller's state is not touched. */
struct tk_receive {
	const struct mls_suite *s;
	uint32_t sender;
	const struct mls_update_path *path;
	const struct mls_treekem_context *ctx;
	struct mls_tree work;
	struct mls_tree_private keys;
	struct mls_node_path copath;
};

/* §7.3 on the new LeafNode, as for an Update (§7.5 last paragraph). */
static int check_leaf(const struct mls_tree *t, const struct tk_receive *r)
{
	const struct mls_leaf_node *leaf = &r->path->leaf_node;
	const struct mls_group_context *gc = r->ctx->group_context;
	int err;

	if (leaf->source != MLS_LEAF_SOURCE_COMMIT)
		return MLS_ERR_VALIDATION;
	err = mls_leaf_node_verify_signature(r->s, leaf, &gc->group_id,
					     r->sender);
	if (err)
		return err == MLS_ERR_BAD_KEY ? err : MLS_ERR_BAD_SIGNATURE;
	err = mls_leaf_node_check_capabilities(r->s, leaf, &gc->extensions);
	if (!err)
		err = mls_tree_check_leaf_fits(t, r->sender, leaf, NULL);
	return err;
}

static bool key_in_tree(const struct mls_tree *t, const struct mls_bytes *k)
{
	uint32_t x, n = mls_tree_node_count(t);
	const struct mls_bytes *pub;

	for (x = 0; x < n; x++) {
		pub = tk_node_pub(t, x);
		if (pub && mls_bytes_equal(pub, k))
			return true;
	}
	return false;
}

/*
 * §12.4.2: "none of the public keys in the UpdatePath appear in any node
 * of the new ratchet tree", nor twice in the path itself.
 */
static int check_path_keys(const struct mls_tree *t,
			   const struct tk_receive *r)
{
	const struct mls_update_path *path = r->path;
	size_t i, j;
	int err;

	for (i = 0; i < path->count; i++) {
		const struct mls_bytes *k = &path->nodes[i].encryption_key;

		err = mls_kem_validate_pub(r->s, k->data, k->len);
		if (err)
			return MLS_ERR_BAD_KEY;
		if (key_in_tree(t, k) ||
		    mls_bytes_equal(k, &path->leaf_node.encryption_key))
			return MLS_ERR_VALIDATION;
		for (j = 0; j < i; j++)
			if (mls_bytes_equal(k, &path->nodes[j].encryption_key))
				return MLS_ERR_VALIDATION;
	}
	return MLS_OK;
}

/* §7.6: one ciphertext per node of each copath resolution. */
static int check_shape(const struct mls_tree *t, const struct tk_receive *r,
		       const struct mls_node_path *fdp)
{
	struct mls_node_list res = { 0 };
	uint32_t i;
	int err = MLS_OK;

	if (r->path->count != fdp->len)
		return MLS_ERR_VALIDATION;
	for (i = 0; !err && i < fdp->len; i++) {
		err = mls_tree_resolution(t, r->copath.nodes[i],
					  r->ctx->added_leaves,
					  r->ctx->n_added, &res);
		if (!err && res.len != r->path->nodes[i].count)
			err = MLS_ERR_VALIDATION;
	}
	mls_node_list_free(&res);
	return err;
}

static int check_path(const struct mls_tree *t, struct tk_receive *r,
		      struct mls_node_path *fdp)
{
	int err;

	if (!mls_tree_leaf(t, r->sender))
		return MLS_ERR_NOT_FOUND;
	err = check_leaf(t, r);
	if (!err)
		err = mls_tree_filtered_direct_path(t, r->sender, fdp,
						    &r->copath);
	if (!err)
		err = check_shape(t, r, fdp);
	if (!err)
		err = check_path_keys(t, r);
	return err;
}

/*
 * §7.5 "decrypt the path secrets" steps 1-3: the copath node above this
 * member, and the entry of its resolution this member has a key for.
 */
static int find_my_ciphertext(const struct tk_receive *r,
			      const struct mls_node_path *fdp, uint32_t *level,
			      const struct mls_node_key **key,
			      const struct mls_hpke_ciphertext **ct)
{
	uint32_t me = mls_treemath_leaf_to_node(r->keys.leaf_index);
	struct mls_node_list res = { 0 };
	uint32_t i;
	size_t j;
	int err;

	for (i = 0; i < fdp->len; i++)
		if (mls_treemath_in_subtree(me, r->copath.nodes[i]))
			break;
	if (i == fdp->len)
		return MLS_ERR_NOT_FOUND;
	err = mls_tree_resolution(&r->work, r->copath.nodes[i],
				  r->ctx->added_leaves, r->ctx->n_added, &res);
	for (j = 0; !err && j < res.len; j++) {
		*key = mls_tree_private_find(&r->keys, &r->work, res.nodes[j]);
		if (*key)
			break;
	}
	if (!err && j == res.len)
		err = MLS_ERR_NOT_FOUND;
	mls_node_list_free(&res);
	if (err)
		return err;
	*level = i;
	*ct = &r->path->nodes[i].secrets[j];
	return MLS_OK;
}

static int decrypt_secret(struct tk_receive *r,
			  const struct mls_node_key *key,
			  const struct mls_hpke_ciphertext *ct, uint8_t *ps)
{
	const struct mls_suite *s = r->s;
	struct mls_bytes gc = { 0 };
	uint8_t *pt;
	int err;

	if (ct->ciphertext.len != s->hash_len + s->aead_tag_len)
		return ct->ciphertext.len < s->aead_tag_len ?
			       MLS_ERR_AUTH : MLS_ERR_VALIDATION;
	pt = malloc(s->hash_len);
	if (!pt)
		return MLS_ERR_NOMEM;
	/* §12.4.2: the provisional GroupContext covers the merged tree. */
	err = tk_encode_context(&r->work, r->ctx->group_context, &gc);
	if (!err)
		err = mls_decrypt_with_label(s, key->priv, s->kem_priv_len,
					     "UpdatePathNode", gc.data, gc.len,
					     ct->kem_output.data,
					     ct->kem_output.len,
					     ct->ciphertext.data,
					     ct->ciphertext.len, pt);
	if (!err)
		memcpy(ps, pt, s->hash_len);
	mls_wipe(pt, s->hash_len);
	free(pt);
	mls_bytes_free(&gc);
	return err;
}

/* §7.5 steps 4-7: derive up the path, check each public key, keep it. */
static int derive_up(struct tk_receive *r, struct mls_treekem_secrets *out)
{
	const struct mls_suite *s = r->s;
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	const struct mls_bytes *want;
	uint32_t i;
	int err = MLS_OK;

	for (i = out->first; !err && i < out->fdp.len; i++) {
		if (i > out->first)
			err = tk_next_path_secret(s, out->path_secrets[i - 1],
						  out->path_secrets[i]);
		if (!err)
			err = tk_node_keypair(s, out->path_secrets[i], priv,
					      pub);
		want = &r->path->nodes[i].encryption_key;
		if (!err && (want->len != s->kem_pub_len ||
			     memcmp(want->data, pub, want->len)))
			err = MLS_ERR_BAD_KEY;
		if (!err)
			err = tk_private_put(&r->keys, out->fdp.nodes[i], priv,
					     pub);
	}
	if (!err)
		err = tk_next_path_secret(s, out->path_secrets[out->fdp.len - 1],
					  out->commit_secret);
	mls_wipe(priv, sizeof(priv));
	return err;
}

static int receive(struct tk_receive *r, const struct mls_tree *t,
		   struct mls_treekem_secrets *out)
{
	const struct mls_hpke_ciphertext *ct;
	const struct mls_node_key *key;
	int err;

	err = check_path(t, r, &out->fdp);
	if (err)
		return err;
	if (out->fdp.len == 0)
		return MLS_ERR_NOT_FOUND;	/* nothing was sent to anyone */
	err = mls_tree_clone(&r->work, t);
	if (err)
		return err;
	err = mls_tree_merge_update_path(&r->work, r->sender, r->path);
	if (!err)
		err = find_my_ciphertext(r, &out->fdp, &out->first, &key, &ct);
	if (!err)
		err = decrypt_secret(r, key, ct, out->path_secrets[out->first]);
	if (err)
		return err;
	/* The sender's old path is gone (§7.5: delete outdated keys). */
	tk_private_drop_path(&r->keys, r->work.n_leaves, r->sender);
	return derive_up(r, out);
}

int mls_treekem_process(struct mls_tree *t, struct mls_tree_private *p,
			uint32_t sender, const struct mls_update_path *path,
			const struct mls_treekem_context *ctx,
			struct mls_treekem_secrets *out)
{
	struct tk_receive r = { .s = t->suite, .sender = sender, .path = path,
				.ctx = ctx, .keys = *p };
	int err;

	mls_treekem_secrets_wipe(out);
	if (!t->suite || p->suite != t->suite || !ctx ||
	    !ctx->group_context || (ctx->n_added && !ctx->added_leaves) ||
	    sender >= t->n_leaves || sender == p->leaf_index)
		err = MLS_ERR_INVALID_ARG;
	else
		err = receive(&r, t, out);
	if (err) {
		mls_treekem_secrets_wipe(out);
	} else {
		out->suite = r.s;
		out->sender = sender;
		mls_tree_free(t);
		*t = r.work;
		memset(&r.work, 0, sizeof(r.work));
		*p = r.keys;
	}
	mls_tree_free(&r.work);
	mls_tree_private_wipe(&r.keys);
	return err;
}
