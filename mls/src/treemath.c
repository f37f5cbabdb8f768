// SPDX-License-Identifier: MIT
/*
 * Tree arithmetic for the left-balanced array tree of RFC 9420 Appendix C.
 * With n_leaves <= 2^30 every node index is below 2^31, so shifts by
 * level + 1 (at most 31) stay inside uint32_t.
 */
#include "mls/error.h"
#include "mls/treemath.h"

bool mls_treemath_valid_size(uint32_t n_leaves)
{
	return n_leaves != 0 && n_leaves <= MLS_TREE_MAX_LEAVES &&
	       (n_leaves & (n_leaves - 1)) == 0;
}

uint32_t mls_treemath_node_width(uint32_t n_leaves)
{
	if (!mls_treemath_valid_size(n_leaves))
		return 0;
	return 2 * (n_leaves - 1) + 1;
}

uint32_t mls_treemath_level(uint32_t x)
{
	uint32_t k = 0;

	while (k < 32 && ((x >> k) & 1))
		k++;
	return k;
}

static bool node_in_tree(uint32_t x, uint32_t n_leaves)
{
	return mls_treemath_valid_size(n_leaves) &&
	       x < mls_treemath_node_width(n_leaves);
}

int mls_treemath_root(uint32_t n_leaves, uint32_t *root)
{
	if (!mls_treemath_valid_size(n_leaves))
		return MLS_ERR_INVALID_ARG;
	/* Full tree: the root is the middle node. */
	*root = n_leaves - 1;
	return MLS_OK;
}

int mls_treemath_left(uint32_t x, uint32_t n_leaves, uint32_t *left)
{
	uint32_t k = mls_treemath_level(x);

	if (!node_in_tree(x, n_leaves) || k == 0)
		return MLS_ERR_INVALID_ARG;
	*left = x ^ (UINT32_C(1) << (k - 1));
	return MLS_OK;
}

int mls_treemath_right(uint32_t x, uint32_t n_leaves, uint32_t *right)
{
	uint32_t k = mls_treemath_level(x);

	if (!node_in_tree(x, n_leaves) || k == 0)
		return MLS_ERR_INVALID_ARG;
	*right = x ^ (UINT32_C(3) << (k - 1));
	return MLS_OK;
}

int mls_treemath_parent(uint32_t x, uint32_t n_leaves, uint32_t *parent)
{
	uint32_t k, b;

	if (!node_in_tree(x, n_leaves) || x == n_leaves - 1)
		return MLS_ERR_INVALID_ARG;
	k = mls_treemath_level(x);
	b = (x >> (k + 1)) & 1;
	*parent = (x | (UINT32_C(1) << k)) ^ (b << (k + 1));
	return MLS_OK;
}

int mls_treemath_sibling(uint32_t x, uint32_t n_leaves, uint32_t *sibling)
{
	uint32_t p;
	int err = mls_treemath_parent(x, n_leaves, &p);

	if (err)
		return err;
	if (x < p)
		return mls_treemath_right(p, n_leaves, sibling);
	return mls_treemath_left(p, n_leaves, sibling);
}

int mls_treemath_direct_path(uint32_t x, uint32_t n_leaves,
			     struct mls_node_path *path)
{
	uint32_t root;

	path->len = 0;
	if (!node_in_tree(x, n_leaves))
		return MLS_ERR_INVALID_ARG;
	mls_treemath_root(n_leaves, &root);
	while (x != root) {
		mls_treemath_parent(x, n_leaves, &x);
		path->nodes[path->len++] = x;
	}
	return MLS_OK;
}

int mls_treemath_copath(uint32_t x, uint32_t n_leaves,
			struct mls_node_path *path)
{
	struct mls_node_path dp;
	uint32_t i, cur = x;
	int err;

	path->len = 0;
	err = mls_treemath_direct_path(x, n_leaves, &dp);
	if (err)
		return err;
	/* Every node on the path except the root contributes its sibling. */
	for (i = 0; i < dp.len; i++) {
		mls_treemath_sibling(cur, n_leaves, &path->nodes[path->len++]);
		cur = dp.nodes[i];
	}
	return MLS_OK;
}

bool mls_treemath_in_subtree(uint32_t x, uint32_t ancestor)
{
	uint32_t k = mls_treemath_level(ancestor);
	uint64_t span = UINT64_C(1) << k;

	/* The subtree of a level-k node covers ancestor - (2^k - 1) .. + . */
	return (uint64_t)x + span > ancestor && x <= ancestor + span - 1;
}

int mls_treemath_common_ancestor(uint32_t x, uint32_t y, uint32_t n_leaves,
				 uint32_t *ancestor)
{
	uint32_t a = x;

	if (!node_in_tree(x, n_leaves) || !node_in_tree(y, n_leaves))
		return MLS_ERR_INVALID_ARG;
	while (!mls_treemath_in_subtree(y, a))
		mls_treemath_parent(a, n_leaves, &a);
	*ancestor = a;
	return MLS_OK;
}
