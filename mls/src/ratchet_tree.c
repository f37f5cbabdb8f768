// SPDX-License-Identifier: MIT
/*
 * Ratchet tree structure (RFC 9420 §4, §12.4.3.3): the array of slots,
 * conversion from and to the wire form, cache upkeep, resolution and
 * filtered direct path.
 */
#include <stdlib.h>
#include <string.h>

#include "ratchet_tree_internal.h"

void mls_node_list_free(struct mls_node_list *l)
{
	free(l->nodes);
	memset(l, 0, sizeof(*l));
}

bool mls_node_list_contains(const struct mls_node_list *l, uint32_t x)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (l->nodes[i] == x)
			return true;
	return false;
}

static int node_list_push(struct mls_node_list *l, uint32_t x)
{
	uint32_t *tmp;
	size_t cap;

	if (l->len == l->cap) {
		cap = l->cap ? 2 * l->cap : 8;
		tmp = realloc(l->nodes, cap * sizeof(*tmp));
		if (!tmp)
			return MLS_ERR_NOMEM;
		l->nodes = tmp;
		l->cap = cap;
	}
	l->nodes[l->len++] = x;
	return MLS_OK;
}

void mls_tree_init(struct mls_tree *t, const struct mls_suite *s)
{
	memset(t, 0, sizeof(*t));
	t->suite = s;
}

void mls_tree_free(struct mls_tree *t)
{
	uint32_t i, n = mls_tree_node_count(t);

	for (i = 0; i < n; i++)
		mls_node_free(&t->slots[i].node);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* ---- cache upkeep ---- */

static bool parent_of(const struct mls_tree *t, uint32_t x, uint32_t *p)
{
	return mls_treemath_parent(x, t->n_leaves, p) == MLS_OK;
}

void rt_invalidate(struct mls_tree *t, uint32_t x)
{
	do {
		t->slots[x].hash_valid = false;
	} while (parent_of(t, x, &x));
}

/* Count node x (non-blank) in or out of every subtree containing it. */
static void adjust_nonblank(struct mls_tree *t, uint32_t x, int delta)
{
	uint32_t members = mls_treemath_is_leaf(x) ? (uint32_t)delta : 0;

	do {
		t->slots[x].nonblank += (uint32_t)delta;
		t->slots[x].members += members;
	} while (parent_of(t, x, &x));
}

void rt_node_replace(struct mls_tree *t, uint32_t x, struct mls_node *node)
{
	struct mls_tree_slot *slot = &t->slots[x];
	bool was_blank = slot->node.type == MLS_NODE_BLANK;
	bool is_blank = node->type == MLS_NODE_BLANK;

	mls_node_free(&slot->node);
	slot->node = *node;
	memset(node, 0, sizeof(*node));
	if (was_blank != is_blank)
		adjust_nonblank(t, x, is_blank ? -1 : 1);
	rt_invalidate(t, x);
}

void rt_node_take(struct mls_tree *t, uint32_t x, struct mls_node *out)
{
	struct mls_node blank = { .type = MLS_NODE_BLANK };

	*out = t->slots[x].node;
	memset(&t->slots[x].node, 0, sizeof(t->slots[x].node));
	if (out->type != MLS_NODE_BLANK)
		adjust_nonblank(t, x, -1);
	rt_node_replace(t, x, &blank);
}

void rt_node_blank(struct mls_tree *t, uint32_t x)
{
	struct mls_node blank = { .type = MLS_NODE_BLANK };

	rt_node_replace(t, x, &blank);
}

/* ---- size changes (§7.7) ---- */

int rt_extend(struct mls_tree *t)
{
	uint32_t old_nodes = mls_tree_node_count(t);
	uint32_t leaves = t->n_leaves ? 2 * t->n_leaves : 1;
	uint32_t new_nodes = 2 * leaves - 1;
	struct mls_tree_slot *tmp;

	if (leaves > MLS_TREE_MAX_LEAVES)
		return MLS_ERR_TOO_LONG;
	tmp = realloc(t->slots, (size_t)new_nodes * sizeof(*tmp));
	if (!tmp)
		return MLS_ERR_NOMEM;
	memset(tmp + old_nodes, 0,
	       (size_t)(new_nodes - old_nodes) * sizeof(*tmp));
	t->slots = tmp;
	/* The old tree is the new root's left subtree, indices unchanged. */
	if (old_nodes) {
		tmp[old_nodes].nonblank = tmp[(old_nodes - 1) / 2].nonblank;
		tmp[old_nodes].members = tmp[(old_nodes - 1) / 2].members;
	}
	t->n_leaves = leaves;
	return MLS_OK;
}

void rt_truncate(struct mls_tree *t)
{
	struct mls_tree_slot *tmp;
	uint32_t root, right;

	/*
	 * §12.1.3 speaks of non-blank leaves, §7.7 of non-blank nodes; they
	 * agree because a non-blank parent always has a member below it (a
	 * Remove blanks every parent above the removed leaf).
	 */
	while (t->n_leaves > 1) {
		mls_treemath_root(t->n_leaves, &root);
		mls_treemath_right(root, t->n_leaves, &right);
		if (t->slots[right].nonblank)
			break;
		mls_node_free(&t->slots[root].node);
		t->n_leaves /= 2;
	}
	tmp = realloc(t->slots, (size_t)mls_tree_node_count(t) * sizeof(*tmp));
	if (tmp)
		t->slots = tmp;
}

/* ---- copies ---- */

static int node_clone(struct mls_node *dst, const struct mls_node *src)
{
	struct mls_writer w;
	struct mls_reader r;
	int err;

	memset(dst, 0, sizeof(*dst));
	if (src->type == MLS_NODE_BLANK)
		return MLS_OK;
	mls_writer_init(&w);
	mls_node_encode(&w, src);
	err = mls_writer_error(&w);
	if (!err) {
		mls_reader_init(&r, w.buf, w.len);
		mls_node_decode(&r, dst);
		err = mls_reader_finish(&r);
		if (err)
			mls_node_free(dst);
	}
	mls_writer_free(&w);
	return err;
}

int rt_leaf_clone(struct mls_leaf_node *dst, const struct mls_leaf_node *src)
{
	struct mls_writer w;
	struct mls_reader r;
	int err;

	mls_writer_init(&w);
	mls_leaf_node_encode(&w, src);
	err = mls_writer_error(&w);
	memset(dst, 0, sizeof(*dst));
	if (!err) {
		mls_reader_init(&r, w.buf, w.len);
		mls_leaf_node_decode(&r, dst);
		err = mls_reader_finish(&r);
		if (err)
			mls_leaf_node_free(dst);
	}
	mls_writer_free(&w);
	return err;
}

/* ---- wire form (§12.4.3.3) ---- */

static uint32_t leaves_for_nodes(size_t count)
{
	uint32_t leaves = 1;

	while ((size_t)2 * leaves - 1 < count)
		leaves *= 2;
	return leaves;
}

static int check_wire_shape(const struct mls_ratchet_tree *wire)
{
	size_t i;

	if (wire->count == 0 ||
	    wire->nodes[wire->count - 1].type == MLS_NODE_BLANK)
		return MLS_ERR_DECODE;
	if (wire->count > (size_t)2 * MLS_TREE_MAX_LEAVES - 1)
		return MLS_ERR_TOO_LONG;
	for (i = 0; i < wire->count; i++) {
		uint8_t type = wire->nodes[i].type;

		if (type == MLS_NODE_BLANK)
			continue;
		if (type != (i % 2 ? MLS_NODE_PARENT : MLS_NODE_LEAF))
			return MLS_ERR_DECODE;
	}
	return MLS_OK;
}

static void recount_nonblank(struct mls_tree *t)
{
	uint32_t i, n = mls_tree_node_count(t);

	for (i = 0; i < n; i++)
		if (t->slots[i].node.type != MLS_NODE_BLANK)
			adjust_nonblank(t, i, 1);
}

int mls_tree_from_wire(struct mls_tree *t, const struct mls_suite *s,
		       const struct mls_ratchet_tree *wire)
{
	uint32_t leaves;
	size_t i;
	int err;

	mls_tree_init(t, s);
	err = check_wire_shape(wire);
	if (err)
		return err;
	leaves = leaves_for_nodes(wire->count);
	t->slots = calloc((size_t)2 * leaves - 1, sizeof(*t->slots));
	if (!t->slots)
		return MLS_ERR_NOMEM;
	t->n_leaves = leaves;
	for (i = 0; i < wire->count; i++) {
		err = node_clone(&t->slots[i].node, &wire->nodes[i]);
		if (err) {
			mls_tree_free(t);
			mls_tree_init(t, s);
			return err;
		}
	}
	recount_nonblank(t);
	return MLS_OK;
}

int mls_tree_from_bytes(struct mls_tree *t, const struct mls_suite *s,
			const uint8_t *data, size_t len)
{
	struct mls_ratchet_tree wire;
	int err;

	mls_tree_init(t, s);
	err = mls_ratchet_tree_from_bytes(data, len, &wire);
	if (err)
		return err;
	err = mls_tree_from_wire(t, s, &wire);
	mls_ratchet_tree_free(&wire);
	return err;
}

/* Nodes on the wire: everything up to the last non-blank one. */
static uint32_t wire_count(const struct mls_tree *t)
{
	uint32_t n = mls_tree_node_count(t);

	while (n > 0 && t->slots[n - 1].node.type == MLS_NODE_BLANK)
		n--;
	return n;
}

int mls_tree_to_wire(const struct mls_tree *t, struct mls_ratchet_tree *out)
{
	uint32_t i, n = wire_count(t);
	int err;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return MLS_ERR_INVALID_STATE;
	out->nodes = calloc(n, sizeof(*out->nodes));
	if (!out->nodes)
		return MLS_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		err = node_clone(&out->nodes[i], &t->slots[i].node);
		if (err) {
			mls_ratchet_tree_free(out);
			return err;
		}
		out->count++;
	}
	return MLS_OK;
}

void mls_tree_encode(struct mls_writer *w, const struct mls_tree *t)
{
	uint32_t i, n = wire_count(t);
	size_t mark;

	if (n == 0) {
		mls_writer_fail(w, MLS_ERR_INVALID_STATE);
		return;
	}
	mark = mls_write_vector_begin(w);
	for (i = 0; i < n; i++) {
		if (t->slots[i].node.type == MLS_NODE_BLANK) {
			mls_write_u8(w, 0);
		} else {
			mls_write_u8(w, 1);
			mls_node_encode(w, &t->slots[i].node);
		}
	}
	mls_write_vector_end(w, mark);
}

int mls_tree_to_bytes(const struct mls_tree *t, struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_tree_encode(&w, t);
	return mls_writer_finish(&w, out);
}

int mls_tree_clone(struct mls_tree *dst, const struct mls_tree *src)
{
	uint32_t i, n = mls_tree_node_count(src);
	int err;

	mls_tree_init(dst, src->suite);
	if (n == 0)
		return MLS_OK;
	dst->slots = calloc(n, sizeof(*dst->slots));
	if (!dst->slots)
		return MLS_ERR_NOMEM;
	dst->n_leaves = src->n_leaves;
	for (i = 0; i < n; i++) {
		dst->slots[i] = src->slots[i];
		err = node_clone(&dst->slots[i].node, &src->slots[i].node);
		if (err) {
			mls_tree_free(dst);
			return err;
		}
	}
	return MLS_OK;
}

/* ---- accessors ---- */

const struct mls_node *mls_tree_node(const struct mls_tree *t, uint32_t x)
{
	if (x >= mls_tree_node_count(t))
		return NULL;
	return &t->slots[x].node;
}

bool mls_tree_is_blank(const struct mls_tree *t, uint32_t x)
{
	const struct mls_node *n = mls_tree_node(t, x);

	return !n || n->type == MLS_NODE_BLANK;
}

const struct mls_leaf_node *mls_tree_leaf(const struct mls_tree *t,
					  uint32_t leaf_index)
{
	const struct mls_node *n;

	if (leaf_index >= t->n_leaves)
		return NULL;
	n = &t->slots[2 * leaf_index].node;
	return n->type == MLS_NODE_LEAF ? &n->leaf : NULL;
}

const struct mls_parent_node *mls_tree_parent(const struct mls_tree *t,
					      uint32_t x)
{
	const struct mls_node *n = mls_tree_node(t, x);

	return n && n->type == MLS_NODE_PARENT ? &n->parent : NULL;
}

uint32_t mls_tree_member_count(const struct mls_tree *t)
{
	uint32_t root;

	if (t->n_leaves == 0)
		return 0;
	mls_treemath_root(t->n_leaves, &root);
	return t->slots[root].members;
}

uint32_t mls_tree_first_blank_leaf(const struct mls_tree *t)
{
	uint32_t x, left, right;

	if (t->n_leaves == 0)
		return 0;
	/* Descend towards the leftmost subtree that is not full. */
	mls_treemath_root(t->n_leaves, &x);
	if (t->slots[x].members == t->n_leaves)
		return t->n_leaves;
	while (!mls_treemath_is_leaf(x)) {
		mls_treemath_left(x, t->n_leaves, &left);
		mls_treemath_right(x, t->n_leaves, &right);
		x = t->slots[left].members <
			    UINT32_C(1) << mls_treemath_level(left) ?
			    left : right;
	}
	return x / 2;
}

/* ---- resolution (§4.1.1) and filtered direct path (§4.1.2) ---- */

static bool leaf_excluded(uint32_t leaf, const uint32_t *excl, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (excl[i] == leaf)
			return true;
	return false;
}

static int push_limited(struct mls_node_list *out, uint32_t x, size_t limit,
			bool *over)
{
	if (out->len >= limit) {
		*over = true;
		return MLS_OK;
	}
	return node_list_push(out, x);
}

int rt_resolution_append(const struct mls_tree *t, uint32_t x,
			 const uint32_t *excl, size_t n_excl, size_t limit,
			 struct mls_node_list *out, bool *over)
{
	const struct mls_node *n = &t->slots[x].node;
	uint32_t left, right;
	size_t i;
	int err;

	if (*over || t->slots[x].nonblank == 0)
		return MLS_OK;
	if (n->type == MLS_NODE_LEAF) {
		if (leaf_excluded(x / 2, excl, n_excl))
			return MLS_OK;
		return push_limited(out, x, limit, over);
	}
	if (n->type == MLS_NODE_PARENT) {
		const struct mls_u32_list *um = &n->parent.unmerged_leaves;

		err = push_limited(out, x, limit, over);
		for (i = 0; !err && !*over && i < um->count; i++) {
			uint32_t leaf = um->items[i];

			if (!leaf_excluded(leaf, excl, n_excl))
				err = push_limited(out, 2 * leaf, limit, over);
		}
		return err;
	}
	mls_treemath_left(x, t->n_leaves, &left);
	mls_treemath_right(x, t->n_leaves, &right);
	err = rt_resolution_append(t, left, excl, n_excl, limit, out, over);
	if (!err)
		err = rt_resolution_append(t, right, excl, n_excl, limit, out,
					   over);
	return err;
}

int mls_tree_resolution(const struct mls_tree *t, uint32_t x,
			const uint32_t *exclude_leaves, size_t n_exclude,
			struct mls_node_list *out)
{
	bool over = false;
	int err;

	out->len = 0;
	if (x >= mls_tree_node_count(t))
		return MLS_ERR_INVALID_ARG;
	err = rt_resolution_append(t, x, exclude_leaves, n_exclude, SIZE_MAX,
				   out, &over);
	if (err)
		mls_node_list_free(out);
	return err;
}

bool mls_tree_resolution_empty(const struct mls_tree *t, uint32_t x)
{
	return x >= mls_tree_node_count(t) || t->slots[x].nonblank == 0;
}

int mls_tree_filtered_direct_path(const struct mls_tree *t,
				  uint32_t leaf_index,
				  struct mls_node_path *fdp,
				  struct mls_node_path *copath)
{
	struct mls_node_path dp, cp;
	uint32_t i;
	int err;

	fdp->len = 0;
	if (copath)
		copath->len = 0;
	if (leaf_index >= t->n_leaves)
		return MLS_ERR_INVALID_ARG;
	err = mls_treemath_direct_path(2 * leaf_index, t->n_leaves, &dp);
	if (!err)
		err = mls_treemath_copath(2 * leaf_index, t->n_leaves, &cp);
	if (err)
		return err;
	for (i = 0; i < dp.len; i++) {
		/* Unmerged leaves are non-blank leaves below the copath
		 * child, so "empty resolution" is "all-blank subtree". */
		if (t->slots[cp.nodes[i]].nonblank == 0)
			continue;
		if (copath)
			copath->nodes[copath->len++] = cp.nodes[i];
		fdp->nodes[fdp->len++] = dp.nodes[i];
	}
	return MLS_OK;
}
