/* SPDX-License-Identifier: MIT */
/*
 * Private glue between the ratchet-tree files: node replacement that keeps
 * the per-node caches (non-blank counts, tree hashes) right, resolution
 * with an early stop, and leaf copies.
 */
#ifndef MLS_RATCHET_TREE_INTERNAL_H
#define MLS_RATCHET_TREE_INTERNAL_H

#include "mls/ratchet_tree.h"

/* Tree hashes of x and of every ancestor are stale. */
void rt_invalidate(struct mls_tree *t, uint32_t x);
/*
 * Put *node (moved: *node is zeroed) in slot x, freeing what was there,
 * and fix the caches along the direct path. Cannot fail.
 */
void rt_node_replace(struct mls_tree *t, uint32_t x, struct mls_node *node);
/* Move slot x's node out into *out (slot becomes blank). */
void rt_node_take(struct mls_tree *t, uint32_t x, struct mls_node *out);
void rt_node_blank(struct mls_tree *t, uint32_t x);

/* Double the leaf count (0 -> 1). */
int rt_extend(struct mls_tree *t);
/* Drop right halves while they are all blank (§12.1.3). */
void rt_truncate(struct mls_tree *t);

int rt_leaf_clone(struct mls_leaf_node *dst, const struct mls_leaf_node *src);

/*
 * Resolution of x appended to out, stopping with *over = true as soon as
 * it would hold more than limit entries.
 */
int rt_resolution_append(const struct mls_tree *t, uint32_t x,
			 const uint32_t *excl, size_t n_excl, size_t limit,
			 struct mls_node_list *out, bool *over);

/* First and last leaf index below node x. */
static inline void rt_leaf_span(uint32_t x, uint32_t *first, uint32_t *last)
{
	uint32_t half = (UINT32_C(1) << mls_treemath_level(x)) - 1;

	*first = (x - half) / 2;
	*last = (x + half) / 2;
}

static inline bool rt_leaf_below(uint32_t leaf, uint32_t x)
{
	uint32_t first, last;

	rt_leaf_span(x, &first, &last);
	return leaf >= first && leaf <= last;
}

#endif
