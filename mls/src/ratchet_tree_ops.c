// SPDX-License-Identifier: MIT
/*
 * What proposals and UpdatePaths do to the tree (RFC 9420 §7.5, §7.9,
 * §12.1.1-§12.1.3). Each function prepares every allocation before the
 * first change, or keeps the nodes it replaces to put them back, so a
 * failure leaves the tree as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "ratchet_tree_internal.h"

static void install_leaf(struct mls_tree *t, uint32_t leaf_index,
			 struct mls_leaf_node *leaf)
{
	struct mls_node n = { .type = MLS_NODE_LEAF };

	n.leaf = *leaf;
	memset(leaf, 0, sizeof(*leaf));
	rt_node_replace(t, 2 * leaf_index, &n);
}

void mls_tree_blank_direct_path(struct mls_tree *t, uint32_t leaf_index)
{
	struct mls_node_path dp;
	uint32_t i;

	if (leaf_index >= t->n_leaves ||
	    mls_treemath_direct_path(2 * leaf_index, t->n_leaves, &dp))
		return;
	for (i = 0; i < dp.len; i++)
		if (t->slots[dp.nodes[i]].node.type != MLS_NODE_BLANK)
			rt_node_blank(t, dp.nodes[i]);
}

int mls_tree_set_leaf(struct mls_tree *t, uint32_t leaf_index,
		      const struct mls_leaf_node *leaf)
{
	struct mls_leaf_node copy;
	int err;

	if (leaf_index >= t->n_leaves)
		return MLS_ERR_INVALID_ARG;
	err = rt_leaf_clone(&copy, leaf);
	if (err)
		return err;
	install_leaf(t, leaf_index, &copy);
	return MLS_OK;
}

/* ---- Add (§12.1.1) ---- */

static int append_unmerged(struct mls_parent_node *p, uint32_t leaf)
{
	uint32_t *tmp;

	tmp = realloc(p->unmerged_leaves.items,
		      (p->unmerged_leaves.count + 1) * sizeof(*tmp));
	if (!tmp)
		return MLS_ERR_NOMEM;
	tmp[p->unmerged_leaves.count++] = leaf;
	p->unmerged_leaves.items = tmp;
	return MLS_OK;
}

/* Mark leaf unmerged at each non-blank parent above it; all or nothing. */
static int mark_unmerged(struct mls_tree *t, uint32_t leaf)
{
	struct mls_node_path dp;
	uint32_t i, x;
	int err;

	err = mls_treemath_direct_path(2 * leaf, t->n_leaves, &dp);
	for (i = 0; !err && i < dp.len; i++) {
		x = dp.nodes[i];
		if (t->slots[x].node.type == MLS_NODE_PARENT)
			err = append_unmerged(&t->slots[x].node.parent, leaf);
	}
	if (err) {
		while (i-- > 0)
			if (t->slots[dp.nodes[i]].node.type == MLS_NODE_PARENT)
				t->slots[dp.nodes[i]].node.parent
					.unmerged_leaves.count--;
		return err;
	}
	for (i = 0; i < dp.len; i++)
		if (t->slots[dp.nodes[i]].node.type == MLS_NODE_PARENT)
			rt_invalidate(t, dp.nodes[i]);
	return MLS_OK;
}

int mls_tree_add_leaf(struct mls_tree *t, const struct mls_leaf_node *leaf,
		      uint32_t *leaf_index)
{
	struct mls_leaf_node copy;
	uint32_t idx, old_leaves = t->n_leaves;
	int err;

	err = rt_leaf_clone(&copy, leaf);
	if (err)
		return err;
	idx = mls_tree_first_blank_leaf(t);
	if (idx == t->n_leaves) {
		err = rt_extend(t);
		if (err)
			goto fail;
	}
	err = mls_treemath_valid_size(t->n_leaves) ? mark_unmerged(t, idx) :
						     MLS_ERR_INVALID_STATE;
	if (err)
		goto fail;
	install_leaf(t, idx, &copy);
	if (leaf_index)
		*leaf_index = idx;
	return MLS_OK;
fail:
	if (t->n_leaves != old_leaves)
		rt_truncate(t);
	mls_leaf_node_free(&copy);
	return err;
}

/* ---- Update (§12.1.2) and Remove (§12.1.3) ---- */

int mls_tree_update_leaf(struct mls_tree *t, uint32_t leaf_index,
			 const struct mls_leaf_node *leaf)
{
	int err;

	if (!mls_tree_leaf(t, leaf_index))
		return MLS_ERR_NOT_FOUND;
	err = mls_tree_set_leaf(t, leaf_index, leaf);
	if (!err)
		mls_tree_blank_direct_path(t, leaf_index);
	return err;
}

int mls_tree_remove_leaf(struct mls_tree *t, uint32_t leaf_index)
{
	if (!mls_tree_leaf(t, leaf_index))
		return MLS_ERR_NOT_FOUND;
	rt_node_blank(t, 2 * leaf_index);
	mls_tree_blank_direct_path(t, leaf_index);
	rt_truncate(t);
	return MLS_OK;
}

/* ---- UpdatePath merge (§7.5, §7.9) ---- */

/* The nodes of a leaf and its direct path, kept to undo a merge. */
struct path_backup {
	uint32_t idx[MLS_TREE_MAX_HEIGHT + 1];
	struct mls_node nodes[MLS_TREE_MAX_HEIGHT + 1];
	uint32_t len;
};

static void backup_take(struct mls_tree *t, uint32_t leaf_index,
			struct path_backup *b)
{
	struct mls_node_path dp;
	uint32_t i;

	b->len = 0;
	b->idx[b->len] = 2 * leaf_index;
	rt_node_take(t, 2 * leaf_index, &b->nodes[b->len++]);
	mls_treemath_direct_path(2 * leaf_index, t->n_leaves, &dp);
	for (i = 0; i < dp.len; i++) {
		b->idx[b->len] = dp.nodes[i];
		rt_node_take(t, dp.nodes[i], &b->nodes[b->len++]);
	}
}

static void backup_restore(struct mls_tree *t, struct path_backup *b)
{
	uint32_t i;

	for (i = 0; i < b->len; i++)
		rt_node_replace(t, b->idx[i], &b->nodes[i]);
}

static void backup_drop(struct path_backup *b)
{
	uint32_t i;

	for (i = 0; i < b->len; i++)
		mls_node_free(&b->nodes[i]);
}

/* Fresh ParentNodes for the filtered direct path, before any change. */
static int build_path_nodes(const struct mls_bytes *keys, size_t n,
			    struct mls_node *out)
{
	size_t i;
	int err = MLS_OK;

	memset(out, 0, n * sizeof(*out));
	for (i = 0; i < n && !err; i++) {
		out[i].type = MLS_NODE_PARENT;
		err = mls_bytes_dup(&out[i].parent.encryption_key, &keys[i]);
	}
	if (err)
		for (i = 0; i < n; i++)
			mls_node_free(&out[i]);
	return err;
}

/*
 * Set parent_hash on each filtered-direct-path node, root first: a node
 * carries the parent hash of the next one up (§7.9.1); the leaf's is
 * returned.
 */
static int chain_parent_hashes(struct mls_tree *t,
			       const struct mls_node_path *fdp,
			       const struct mls_node_path *copath,
			       uint8_t *leaf_ph, size_t *leaf_ph_len)
{
	size_t hlen = t->suite->hash_len;
	uint8_t ph[MLS_MAX_HASH_LEN];
	uint32_t i = fdp->len;
	struct mls_parent_node *p;
	int err;

	*leaf_ph_len = 0;
	while (i-- > 0) {
		p = &t->slots[fdp->nodes[i]].node.parent;
		mls_bytes_free(&p->parent_hash);
		if (i + 1 < fdp->len) {
			err = mls_bytes_set(&p->parent_hash, ph, hlen);
			if (err)
				return err;
		}
		rt_invalidate(t, fdp->nodes[i]);
		err = mls_tree_parent_hash(t, fdp->nodes[i], copath->nodes[i],
					   ph);
		if (err)
			return err;
	}
	if (fdp->len) {
		memcpy(leaf_ph, ph, hlen);
		*leaf_ph_len = hlen;
	}
	return MLS_OK;
}

/* The merge itself, after backup_take blanked the sender's path. */
static int merge_keys(struct mls_tree *t, const struct mls_node_path *fdp,
		      const struct mls_node_path *copath,
		      struct mls_node *fresh, uint8_t *leaf_ph,
		      size_t *leaf_ph_len)
{
	uint32_t i;

	for (i = 0; i < fdp->len; i++)
		rt_node_replace(t, fdp->nodes[i], &fresh[i]);
	return chain_parent_hashes(t, fdp, copath, leaf_ph, leaf_ph_len);
}

static int prepare_merge(const struct mls_tree *t, uint32_t leaf_index,
			 const struct mls_bytes *keys, size_t n_keys,
			 struct mls_node_path *fdp,
			 struct mls_node_path *copath, struct mls_node *fresh)
{
	int err;

	if (!mls_tree_leaf(t, leaf_index))
		return MLS_ERR_NOT_FOUND;
	/* Blanking the direct path changes no copath resolution, so the
	 * filtered direct path can be computed before the merge. */
	err = mls_tree_filtered_direct_path(t, leaf_index, fdp, copath);
	if (err)
		return err;
	if (n_keys != fdp->len)
		return MLS_ERR_VALIDATION;
	return build_path_nodes(keys, n_keys, fresh);
}

int mls_tree_merge_path_keys(struct mls_tree *t, uint32_t leaf_index,
			     const struct mls_bytes *keys, size_t n_keys,
			     uint8_t *leaf_parent_hash, size_t *leaf_ph_len)
{
	struct mls_node fresh[MLS_TREE_MAX_HEIGHT];
	struct mls_node_path fdp, copath;
	struct path_backup b;
	int err;

	err = prepare_merge(t, leaf_index, keys, n_keys, &fdp, &copath, fresh);
	if (err)
		return err;
	backup_take(t, leaf_index, &b);
	err = merge_keys(t, &fdp, &copath, fresh, leaf_parent_hash,
			 leaf_ph_len);
	if (err) {
		backup_restore(t, &b);
		return err;
	}
	/* The leaf stays; only its direct path is new. */
	rt_node_replace(t, 2 * leaf_index, &b.nodes[0]);
	backup_drop(&b);
	return MLS_OK;
}

static int leaf_hash_matches(const struct mls_leaf_node *leaf,
			     const uint8_t *ph, size_t ph_len)
{
	if (leaf->source != MLS_LEAF_SOURCE_COMMIT)
		return MLS_ERR_VALIDATION;
	if (leaf->parent_hash.len != ph_len ||
	    (ph_len && memcmp(leaf->parent_hash.data, ph, ph_len)))
		return MLS_ERR_VALIDATION;
	return MLS_OK;
}

int mls_tree_merge_update_path(struct mls_tree *t, uint32_t leaf_index,
			       const struct mls_update_path *path)
{
	struct mls_bytes keys[MLS_TREE_MAX_HEIGHT];
	struct mls_node fresh[MLS_TREE_MAX_HEIGHT];
	struct mls_node_path fdp, copath;
	uint8_t ph[MLS_MAX_HASH_LEN];
	struct mls_leaf_node copy;
	struct path_backup b;
	size_t i, ph_len;
	int err;

	if (path->count > MLS_TREE_MAX_HEIGHT)
		return MLS_ERR_VALIDATION;
	if (path->leaf_node.source != MLS_LEAF_SOURCE_COMMIT)
		return MLS_ERR_VALIDATION;
	for (i = 0; i < path->count; i++)
		keys[i] = path->nodes[i].encryption_key;
	err = prepare_merge(t, leaf_index, keys, path->count, &fdp, &copath,
			    fresh);
	if (err)
		return err;
	err = rt_leaf_clone(&copy, &path->leaf_node);
	if (err) {
		for (i = 0; i < fdp.len; i++)
			mls_node_free(&fresh[i]);
		return err;
	}
	backup_take(t, leaf_index, &b);
	/* The sender's leaf is blank meanwhile: no parent hash on its own
	 * path covers it (§7.9 hashes copath siblings only). */
	err = merge_keys(t, &fdp, &copath, fresh, ph, &ph_len);
	if (!err)
		err = leaf_hash_matches(&copy, ph, ph_len);
	if (err) {
		mls_leaf_node_free(&copy);
		backup_restore(t, &b);
		return err;
	}
	install_leaf(t, leaf_index, &copy);
	backup_drop(&b);
	return MLS_OK;
}
