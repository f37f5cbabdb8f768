// SPDX-License-Identifier: MIT
/*
 * Tree hashes (RFC 9420 §7.8), cached per node. The same walk computes
 * §7.9's original sibling tree hash, where some leaves count as blank:
 * subtrees that hold none of those leaves still come from the cache.
 */
#include <string.h>

#include "parallel.h"
#include "ratchet_tree_internal.h"

static bool leaf_in(const struct mls_u32_list *l, uint32_t leaf)
{
	size_t i;

	for (i = 0; l && i < l->count; i++)
		if (l->items[i] == leaf)
			return true;
	return false;
}

static bool subtree_holds_any(uint32_t x, const struct mls_u32_list *l)
{
	size_t i;

	for (i = 0; l && i < l->count; i++)
		if (rt_leaf_below(l->items[i], x))
			return true;
	return false;
}

/* TreeHashInput{leaf, LeafNodeHashInput} */
static void encode_leaf_input(struct mls_writer *w, const struct mls_node *n,
			      uint32_t leaf_index, bool blank)
{
	mls_write_u8(w, MLS_NODE_LEAF);
	mls_write_u32(w, leaf_index);
	if (blank || n->type != MLS_NODE_LEAF) {
		mls_write_u8(w, 0);
		return;
	}
	mls_write_u8(w, 1);
	mls_leaf_node_encode(w, &n->leaf);
}

/* TreeHashInput{parent, ParentNodeHashInput}, unmerged leaves in excl
 * left out. */
static void encode_parent_input(struct mls_writer *w,
				const struct mls_node *n,
				const struct mls_u32_list *excl,
				const uint8_t *left, const uint8_t *right,
				size_t hash_len)
{
	const struct mls_u32_list *um = &n->parent.unmerged_leaves;
	size_t mark, i;

	mls_write_u8(w, MLS_NODE_PARENT);
	if (n->type != MLS_NODE_PARENT) {
		mls_write_u8(w, 0);
	} else {
		mls_write_u8(w, 1);
		mls_write_opaque_bytes(w, &n->parent.encryption_key);
		mls_write_opaque_bytes(w, &n->parent.parent_hash);
		mark = mls_write_vector_begin(w);
		for (i = 0; i < um->count; i++)
			if (!leaf_in(excl, um->items[i]))
				mls_write_u32(w, um->items[i]);
		mls_write_vector_end(w, mark);
	}
	mls_write_opaque(w, left, hash_len);
	mls_write_opaque(w, right, hash_len);
}

static int hash_writer(const struct mls_suite *s, struct mls_writer *w,
		       uint8_t *out)
{
	int err = mls_writer_error(w);

	if (!err)
		err = mls_hash(s, w->buf, w->len, out);
	mls_writer_free(w);
	return err;
}

/*
 * Tree hash of x with the leaves in excl (may be NULL) treated as blank
 * and dropped from unmerged lists. Only hashes of the real tree are
 * cached.
 */
static int subtree_hash(struct mls_tree *t, uint32_t x,
			const struct mls_u32_list *excl, uint8_t *out)
{
	struct mls_tree_slot *slot = &t->slots[x];
	size_t hlen = t->suite->hash_len;
	uint8_t left[MLS_MAX_HASH_LEN], right[MLS_MAX_HASH_LEN];
	uint32_t l, r;
	struct mls_writer w;
	int err;

	if (!subtree_holds_any(x, excl))
		excl = NULL;
	if (!excl && slot->hash_valid) {
		memcpy(out, slot->hash, hlen);
		return MLS_OK;
	}
	mls_writer_init(&w);
	if (mls_treemath_is_leaf(x)) {
		encode_leaf_input(&w, &slot->node, x / 2, excl != NULL);
	} else {
		mls_treemath_left(x, t->n_leaves, &l);
		mls_treemath_right(x, t->n_leaves, &r);
		err = subtree_hash(t, l, excl, left);
		if (!err)
			err = subtree_hash(t, r, excl, right);
		if (err) {
			mls_writer_free(&w);
			return err;
		}
		encode_parent_input(&w, &slot->node, excl, left, right, hlen);
	}
	err = hash_writer(t->suite, &w, out);
	if (!err && !excl) {
		memcpy(slot->hash, out, hlen);
		slot->hash_valid = true;
	}
	return err;
}

int mls_tree_hash(struct mls_tree *t, uint32_t x, uint8_t *out)
{
	if (x >= mls_tree_node_count(t))
		return MLS_ERR_INVALID_ARG;
	return subtree_hash(t, x, NULL, out);
}

/*
 * A tree hashed from scratch (joined, loaded) costs a hash per node; its
 * disjoint subtrees TH_SPLIT_SHIFT levels below the root fill disjoint
 * cache slots, so they are hashed in parallel before the top. A tree with
 * one stale path (after a Commit) has a single stale subtree there and
 * stays serial.
 */
#define TH_SPLIT_SHIFT		4	/* 16 subtrees */
#define TH_PARALLEL_MIN_LEAVES	256	/* smaller trees hash in < 0.5 ms */

struct th_split {
	struct mls_tree *t;
	uint32_t *roots;
};

static int hash_split_job(void *ctx, size_t i)
{
	const struct th_split *sp = ctx;
	uint8_t h[MLS_MAX_HASH_LEN];

	return subtree_hash(sp->t, sp->roots[i], NULL, h);
}

static int prehash_subtrees(struct mls_tree *t)
{
	uint32_t roots[1u << TH_SPLIT_SHIFT];
	struct th_split sp = { t, roots };
	uint32_t span, x, n = 0;

	/* subtrees of span leaves: roots at span - 1, 3 span - 1, ... */
	span = t->n_leaves >> TH_SPLIT_SHIFT;
	for (x = span - 1; x < 2 * t->n_leaves - 1; x += 2 * span)
		if (!t->slots[x].hash_valid)
			roots[n++] = x;
	return mls_parallel_run(n, 2, hash_split_job, &sp, NULL);
}

int mls_tree_root_hash(struct mls_tree *t, uint8_t *out)
{
	uint32_t root;
	int err;

	if (t->n_leaves == 0)
		return MLS_ERR_INVALID_STATE;
	mls_treemath_root(t->n_leaves, &root);
	if (!t->slots[root].hash_valid &&
	    t->n_leaves >= TH_PARALLEL_MIN_LEAVES) {
		err = prehash_subtrees(t);
		if (err)
			return err;
	}
	return subtree_hash(t, root, NULL, out);
}

int mls_tree_original_sibling_hash(struct mls_tree *t, uint32_t s,
				   const struct mls_u32_list *unmerged,
				   uint8_t *out)
{
	if (s >= mls_tree_node_count(t))
		return MLS_ERR_INVALID_ARG;
	return subtree_hash(t, s, unmerged, out);
}
