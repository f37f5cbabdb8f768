/* SPDX-License-Identifier: MIT */
/*
 * Array-based binary tree arithmetic (RFC 9420 §4.1, Appendix C).
 *
 * Nodes are numbered left to right; leaves have even indices and level 0.
 * An MLS tree always has a power-of-two number of leaves (§7.8 truncates
 * only whole right subtrees), so every function here takes n_leaves and
 * fails with MLS_ERR_INVALID_ARG when n_leaves is not a power of two in
 * 1..MLS_TREE_MAX_LEAVES, or when a node index lies outside the tree.
 */
#ifndef MLS_TREEMATH_H
#define MLS_TREEMATH_H

#include <stdbool.h>
#include <stdint.h>

#define MLS_TREE_MAX_LEAVES	(UINT32_C(1) << 30)
/* Longest direct path / copath: the height of the largest tree. */
#define MLS_TREE_MAX_HEIGHT	30

/* A node list along a path, leaf side first. */
struct mls_node_path {
	uint32_t nodes[MLS_TREE_MAX_HEIGHT];
	uint32_t len;
};

bool mls_treemath_valid_size(uint32_t n_leaves);
/* Number of nodes in a tree of n_leaves (0 if the size is invalid). */
uint32_t mls_treemath_node_width(uint32_t n_leaves);
/* Height of node x above the leaves: the number of trailing one bits. */
uint32_t mls_treemath_level(uint32_t x);

static inline uint32_t mls_treemath_leaf_to_node(uint32_t leaf)
{
	return leaf * 2;
}

static inline uint32_t mls_treemath_node_to_leaf(uint32_t node)
{
	return node / 2;
}

static inline bool mls_treemath_is_leaf(uint32_t x)
{
	return (x & 1) == 0;
}

int mls_treemath_root(uint32_t n_leaves, uint32_t *root);
/* Fail for leaves (no children). */
int mls_treemath_left(uint32_t x, uint32_t n_leaves, uint32_t *left);
int mls_treemath_right(uint32_t x, uint32_t n_leaves, uint32_t *right);
/* Fail for the root (no parent, no sibling). */
int mls_treemath_parent(uint32_t x, uint32_t n_leaves, uint32_t *parent);
int mls_treemath_sibling(uint32_t x, uint32_t n_leaves, uint32_t *sibling);
/* Parent of x up to and including the root; empty for the root itself. */
int mls_treemath_direct_path(uint32_t x, uint32_t n_leaves,
			     struct mls_node_path *path);
/* Sibling of x and of each direct-path node below the root. */
int mls_treemath_copath(uint32_t x, uint32_t n_leaves,
			struct mls_node_path *path);
/* Lowest node whose subtree contains both x and y (x itself if x == y). */
int mls_treemath_common_ancestor(uint32_t x, uint32_t y, uint32_t n_leaves,
				 uint32_t *ancestor);
/* True if x is in the subtree rooted at ancestor (x == ancestor counts). */
bool mls_treemath_in_subtree(uint32_t x, uint32_t ancestor);

#endif
