// SPDX-License-Identifier: MIT
/*
 * TreeKEM derivations shared by committer and receiver (§7.4), the
 * provisional GroupContext (§12.4.1), and the secrets an UpdatePath
 * leaves behind.
 */
#include <string.h>

#include "treekem_internal.h"

int tk_node_keypair(const struct mls_suite *s, const uint8_t *path_secret,
		    uint8_t *priv, uint8_t *pub)
{
	uint8_t node_secret[MLS_MAX_HASH_LEN];
	int err;

	/* §7.4: the node secret exists so that each secret feeds only one
	 * algorithm (DeriveSecret for the chain, DeriveKeyPair here). */
	err = mls_derive_secret(s, path_secret, s->hash_len, "node",
				node_secret);
	if (!err)
		err = mls_kem_derive_keypair(s, node_secret, s->hash_len, priv,
					     pub);
	mls_wipe(node_secret, sizeof(node_secret));
	return err;
}

int tk_next_path_secret(const struct mls_suite *s, const uint8_t *in,
			uint8_t *out)
{
	uint8_t next[MLS_MAX_HASH_LEN];
	int err;

	err = mls_derive_secret(s, in, s->hash_len, "path", next);
	if (!err)
		memcpy(out, next, s->hash_len);
	mls_wipe(next, sizeof(next));
	return err;
}

const struct mls_bytes *tk_node_pub(const struct mls_tree *t, uint32_t x)
{
	const struct mls_node *n = mls_tree_node(t, x);

	if (!n || n->type == MLS_NODE_BLANK)
		return NULL;
	return n->type == MLS_NODE_LEAF ? &n->leaf.encryption_key :
					  &n->parent.encryption_key;
}

int tk_encode_context(struct mls_tree *t, const struct mls_group_context *gc,
		      struct mls_bytes *out)
{
	struct mls_group_context provisional = *gc;
	uint8_t hash[MLS_MAX_HASH_LEN];
	int err;

	if (gc->cipher_suite != t->suite->id)
		return MLS_ERR_INVALID_ARG;
	err = mls_tree_root_hash(t, hash);
	if (err)
		return err;
	/* A shallow copy that only borrows: encoding reads, never frees. */
	provisional.tree_hash.data = hash;
	provisional.tree_hash.len = t->suite->hash_len;
	return mls_group_context_to_bytes(&provisional, out);
}

void mls_treekem_secrets_wipe(struct mls_treekem_secrets *s)
{
	mls_wipe(s, sizeof(*s));
}

int mls_treekem_path_secret_for(const struct mls_treekem_secrets *s,
				uint32_t leaf, uint32_t *node,
				const uint8_t **path_secret)
{
	uint32_t i, x = mls_treemath_leaf_to_node(leaf);

	if (!s->suite || leaf == s->sender)
		return MLS_ERR_NOT_FOUND;
	/* The lowest fdp node above both leaves is their common ancestor:
	 * it is on the sender's path, and its copath child holds leaf. */
	for (i = 0; i < s->fdp.len; i++) {
		if (mls_treemath_in_subtree(x, s->fdp.nodes[i])) {
			if (i < s->first)
				return MLS_ERR_NOT_FOUND;
			*node = s->fdp.nodes[i];
			*path_secret = s->path_secrets[i];
			return MLS_OK;
		}
	}
	return MLS_ERR_NOT_FOUND;
}
