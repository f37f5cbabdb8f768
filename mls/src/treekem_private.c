// SPDX-License-Identifier: MIT
/*
 * A member's private view of the ratchet tree: its leaf key and the keys
 * of the parents on its direct path that it holds (§4, §7.4, §12.4.3.1).
 */
#include <string.h>

#include "treekem_internal.h"

void mls_tree_private_init(struct mls_tree_private *p,
			   const struct mls_suite *s, uint32_t leaf_index)
{
	mls_wipe(p, sizeof(*p));
	p->suite = s;
	p->leaf_index = leaf_index;
}

void mls_tree_private_wipe(struct mls_tree_private *p)
{
	mls_wipe(p, sizeof(*p));
}

static struct mls_node_key *slot_for(struct mls_tree_private *p, uint32_t x)
{
	uint32_t i;

	for (i = 0; i < p->n_keys; i++)
		if (p->keys[i].node == x)
			return &p->keys[i];
	return NULL;
}

static bool on_own_path(const struct mls_tree_private *p, uint32_t x)
{
	return mls_treemath_in_subtree(
		mls_treemath_leaf_to_node(p->leaf_index), x);
}

int tk_private_put(struct mls_tree_private *p, uint32_t x,
		   const uint8_t *priv, const uint8_t *pub)
{
	struct mls_node_key *k = slot_for(p, x);

	/* Only the leaf and its ancestors fit, which bounds the array. */
	if (!on_own_path(p, x))
		return MLS_ERR_INVALID_ARG;
	if (!k) {
		if (p->n_keys == MLS_TREE_MAX_HEIGHT + 1)
			return MLS_ERR_INVALID_STATE;
		k = &p->keys[p->n_keys++];
	}
	mls_wipe(k, sizeof(*k));
	k->node = x;
	memcpy(k->priv, priv, p->suite->kem_priv_len);
	memcpy(k->pub, pub, p->suite->kem_pub_len);
	return MLS_OK;
}

static void drop_key(struct mls_tree_private *p, uint32_t i)
{
	p->keys[i] = p->keys[p->n_keys - 1];
	mls_wipe(&p->keys[p->n_keys - 1], sizeof(p->keys[0]));
	p->n_keys--;
}

void tk_private_drop_path(struct mls_tree_private *p, uint32_t n_leaves,
			  uint32_t leaf_index)
{
	uint32_t i = 0, x = mls_treemath_leaf_to_node(leaf_index);

	while (i < p->n_keys) {
		if (p->keys[i].node < mls_treemath_node_width(n_leaves) &&
		    mls_treemath_in_subtree(x, p->keys[i].node))
			drop_key(p, i);
		else
			i++;
	}
}

int mls_tree_private_set_leaf_key(struct mls_tree_private *p,
				  const uint8_t *priv, size_t priv_len)
{
	uint8_t pub[MLS_MAX_KEM_PUB_LEN];
	int err;

	if (!p->suite || priv_len != p->suite->kem_priv_len)
		return MLS_ERR_BAD_KEY;
	err = mls_kem_pub_from_priv(p->suite, priv, priv_len, pub);
	if (!err)
		err = tk_private_put(p, mls_treemath_leaf_to_node(p->leaf_index),
				     priv, pub);
	return err;
}

static bool key_matches(const struct mls_suite *s, const struct mls_bytes *pub,
			const uint8_t *mine)
{
	return pub && pub->len == s->kem_pub_len &&
	       memcmp(pub->data, mine, pub->len) == 0;
}

const struct mls_node_key *
mls_tree_private_find(const struct mls_tree_private *p,
		      const struct mls_tree *t, uint32_t x)
{
	uint32_t i;

	for (i = 0; i < p->n_keys; i++)
		if (p->keys[i].node == x)
			return key_matches(p->suite, tk_node_pub(t, x),
					   p->keys[i].pub) ? &p->keys[i] : NULL;
	return NULL;
}

/* Derive node x's pair from ps and check it against the tree. */
static int derive_checked(const struct mls_tree_private *p,
			  const struct mls_tree *t, uint32_t x,
			  const uint8_t *ps, uint8_t *priv, uint8_t *pub)
{
	int err = tk_node_keypair(p->suite, ps, priv, pub);

	if (err)
		return err;
	return key_matches(p->suite, tk_node_pub(t, x), pub) ?
		       MLS_OK : MLS_ERR_VALIDATION;
}

int mls_tree_private_add_path_secret(struct mls_tree_private *p,
				     const struct mls_tree *t, uint32_t x,
				     const uint8_t *path_secret)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	int err;

	if (!p->suite || t->suite != p->suite || mls_treemath_is_leaf(x) ||
	    x >= mls_tree_node_count(t) || !on_own_path(p, x))
		return MLS_ERR_INVALID_ARG;
	err = derive_checked(p, t, x, path_secret, priv, pub);
	if (!err)
		err = tk_private_put(p, x, priv, pub);
	mls_wipe(priv, sizeof(priv));
	return err;
}

/* Derive from x up through every non-blank ancestor into q. */
static int implant_chain(struct mls_tree_private *q, const struct mls_tree *t,
			 uint32_t x, uint8_t *ps, uint8_t *commit_secret)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	uint32_t root;
	int err;

	mls_treemath_root(t->n_leaves, &root);
	for (;;) {
		err = derive_checked(q, t, x, ps, priv, pub);
		if (!err)
			err = tk_private_put(q, x, priv, pub);
		if (!err)
			err = tk_next_path_secret(q->suite, ps, ps);
		if (err || x == root)
			break;
		/* Blank ancestors were filtered out of the committer's path
		 * (§4.1.2): the chain skips them. */
		do {
			mls_treemath_parent(x, t->n_leaves, &x);
		} while (x != root && mls_tree_is_blank(t, x));
		if (mls_tree_is_blank(t, x))
			break;
	}
	mls_wipe(priv, sizeof(priv));
	if (!err && commit_secret)
		memcpy(commit_secret, ps, q->suite->hash_len);
	return err;
}

int mls_tree_private_implant(struct mls_tree_private *p,
			     const struct mls_tree *t, uint32_t x,
			     const uint8_t *path_secret,
			     uint8_t *commit_secret)
{
	struct mls_tree_private q = *p;
	uint8_t ps[MLS_MAX_HASH_LEN];
	int err;

	if (!p->suite || t->suite != p->suite || mls_treemath_is_leaf(x) ||
	    x >= mls_tree_node_count(t) || !on_own_path(p, x))
		return MLS_ERR_INVALID_ARG;
	memcpy(ps, path_secret, p->suite->hash_len);
	err = implant_chain(&q, t, x, ps, commit_secret);
	if (!err)
		*p = q;
	mls_wipe(&q, sizeof(q));
	mls_wipe(ps, sizeof(ps));
	return err;
}

void mls_tree_private_prune(struct mls_tree_private *p,
			    const struct mls_tree *t)
{
	uint32_t i = 0;

	while (i < p->n_keys) {
		if (!key_matches(p->suite, tk_node_pub(t, p->keys[i].node),
				 p->keys[i].pub))
			drop_key(p, i);
		else
			i++;
	}
}

int mls_tree_private_check(const struct mls_tree_private *p,
			   const struct mls_tree *t)
{
	uint32_t i;

	if (!p->suite || t->suite != p->suite ||
	    !mls_tree_private_find(p, t,
				   mls_treemath_leaf_to_node(p->leaf_index)))
		return MLS_ERR_VALIDATION;
	for (i = 0; i < p->n_keys; i++)
		if (!mls_tree_private_find(p, t, p->keys[i].node))
			return MLS_ERR_VALIDATION;
	return MLS_OK;
}
