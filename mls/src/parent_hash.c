// SPDX-License-Identifier: MIT
/* Parent hashes (RFC 9420 §7.9) and their verification (§7.9.2). */
#include <stdlib.h>
#include <string.h>

#include "ratchet_tree_internal.h"

int mls_tree_parent_hash(struct mls_tree *t, uint32_t p, uint32_t s,
			 uint8_t *out)
{
	const struct mls_parent_node *pn = mls_tree_parent(t, p);
	uint8_t sibling[MLS_MAX_HASH_LEN];
	struct mls_writer w;
	uint32_t parent;
	int err;

	if (!pn || mls_treemath_parent(s, t->n_leaves, &parent) ||
	    parent != p)
		return MLS_ERR_INVALID_ARG;
	err = mls_tree_original_sibling_hash(t, s, &pn->unmerged_leaves,
					     sibling);
	if (err)
		return err;
	/* ParentHashInput */
	mls_writer_init(&w);
	mls_write_opaque_bytes(&w, &pn->encryption_key);
	mls_write_opaque_bytes(&w, &pn->parent_hash);
	mls_write_opaque(&w, sibling, t->suite->hash_len);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_hash(t->suite, w.buf, w.len, out);
	mls_writer_free(&w);
	return err;
}

static const struct mls_bytes *stored_parent_hash(const struct mls_node *n)
{
	if (n->type == MLS_NODE_PARENT)
		return &n->parent.parent_hash;
	if (n->type == MLS_NODE_LEAF &&
	    n->leaf.source == MLS_LEAF_SOURCE_COMMIT)
		return &n->leaf.parent_hash;
	return NULL;
}

/* P's unmerged leaves below c, as node indices, into out (room for all). */
static void unmerged_below(const struct mls_parent_node *p, uint32_t c,
			   struct mls_node_list *out)
{
	const struct mls_u32_list *um = &p->unmerged_leaves;
	size_t i;

	out->len = 0;
	for (i = 0; i < um->count; i++)
		if (rt_leaf_below(um->items[i], c))
			out->nodes[out->len++] = 2 * um->items[i];
}

/*
 * D, the one node of resolution(c) that is not one of P's unmerged leaves
 * below c, if §7.9.2's third condition can hold; else no node.
 */
static int chain_candidate(const struct mls_tree *t,
			   const struct mls_parent_node *p, uint32_t c,
			   bool *found, uint32_t *d)
{
	struct mls_node_list res = { 0 }, um = { 0 };
	size_t k = 0, i, extra = 0;
	bool over = false;
	int err = MLS_OK;

	*found = false;
	for (i = 0; i < p->unmerged_leaves.count; i++)
		k += rt_leaf_below(p->unmerged_leaves.items[i], c);
	um.nodes = k ? calloc(k, sizeof(*um.nodes)) : NULL;
	if (k && !um.nodes)
		return MLS_ERR_NOMEM;
	um.cap = k;
	unmerged_below(p, c, &um);
	err = rt_resolution_append(t, c, NULL, 0, k + 1, &res, &over);
	if (err || over || res.len != k + 1)
		goto out;
	for (i = 0; i < res.len; i++) {
		if (mls_node_list_contains(&um, res.nodes[i]))
			continue;
		extra++;
		*d = res.nodes[i];
	}
	for (i = 0; i < um.len; i++)
		if (!mls_node_list_contains(&res, um.nodes[i]))
			extra = 0;
	*found = extra == 1;
out:
	mls_node_list_free(&res);
	mls_node_list_free(&um);
	return err;
}

/* How many children of p link to it by a parent hash (§7.9.2). */
static int count_links(struct mls_tree *t, uint32_t p, int *links)
{
	const struct mls_parent_node *pn = mls_tree_parent(t, p);
	uint8_t ph[MLS_MAX_HASH_LEN];
	const struct mls_bytes *got;
	uint32_t child[2], d = 0;
	bool found;
	int side, err;

	*links = 0;
	mls_treemath_left(p, t->n_leaves, &child[0]);
	mls_treemath_right(p, t->n_leaves, &child[1]);
	for (side = 0; side < 2; side++) {
		err = chain_candidate(t, pn, child[side], &found, &d);
		if (err)
			return err;
		if (!found)
			continue;
		got = stored_parent_hash(&t->slots[d].node);
		if (!got || got->len != t->suite->hash_len)
			continue;
		err = mls_tree_parent_hash(t, p, child[!side], ph);
		if (err)
			return err;
		if (!memcmp(got->data, ph, got->len))
			(*links)++;
	}
	return MLS_OK;
}

int mls_tree_verify_parent_hashes(struct mls_tree *t, uint32_t *bad_node)
{
	uint32_t x, n = mls_tree_node_count(t);
	int links, err;

	/*
	 * "Top down" (§7.9.2): each non-blank parent must have exactly one
	 * descendant that links to it; that descendant is in turn checked
	 * (if a parent) or is a leaf, so every parent chains to a leaf.
	 */
	for (x = 1; x < n; x += 2) {
		if (t->slots[x].node.type != MLS_NODE_PARENT)
			continue;
		err = count_links(t, x, &links);
		if (err)
			return err;
		if (links != 1) {
			if (bad_node)
				*bad_node = x;
			return MLS_ERR_VALIDATION;
		}
	}
	return MLS_OK;
}
