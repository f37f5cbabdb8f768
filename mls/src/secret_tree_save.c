// SPDX-License-Identifier: MIT
/*
 * Saving and loading a secret tree's live state, so that a saved group
 * need not keep the epoch's encryption_secret: with it, a reloaded group
 * could re-derive keys that were already used and deleted (§9.2).
 *
 *   opaque<V> {
 *     uint8 version = 1; uint16 suite; uint32 n_leaves;
 *     uint32 max_skipped; uint32 max_forward;
 *     NodeSecret nodes<V>;    uint32 node; opaque secret[Nh]   (ascending)
 *     LeafState leaves<V>;    uint32 leaf; Ratchet ratchets[2] (ascending)
 *   }
 *   Ratchet: uint8 exhausted; uint32 next_gen; opaque secret[Nh] (absent
 *            when exhausted); KeptKey kept<V> (generation ascending)
 *   KeptKey: uint32 generation; opaque key[Nk]; opaque nonce[Nn]
 *
 * Loading checks everything a damaged or forged blob could break: the
 * stored nodes and expanded leaves must cover every leaf exactly once
 * (the invariant in secret_tree.c), and kept keys must lie behind their
 * ratchet, ascending, no more than the window holds.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/codec.h"
#include "mls/secret_tree.h"
#include "mls/treemath.h"
#include "secret_tree_internal.h"

#define SECRET_TREE_FORMAT_VERSION 1

/* ---- save ---- */

static void save_ratchet(struct mls_writer *w, const struct mls_suite *s,
			 const struct ratchet *r)
{
	size_t i, mark;

	mls_write_u8(w, r->exhausted ? 1 : 0);
	mls_write_u32(w, r->next_gen);
	if (!r->exhausted)
		mls_write_raw(w, r->secret, s->hash_len);
	mark = mls_write_vector_begin(w);
	for (i = 0; i < r->n_kept; i++) {
		mls_write_u32(w, r->kept[i].generation);
		mls_write_raw(w, r->kept[i].key, s->aead_key_len);
		mls_write_raw(w, r->kept[i].nonce, s->aead_nonce_len);
	}
	mls_write_vector_end(w, mark);
}

int mls_secret_tree_save(const struct mls_secret_tree *t,
			 struct mls_writer *w)
{
	const struct mls_suite *s;
	size_t i, outer, mark;

	if (!t || !w)
		return MLS_ERR_INVALID_ARG;
	s = t->suite;
	outer = mls_write_vector_begin(w);
	mls_write_u8(w, SECRET_TREE_FORMAT_VERSION);
	mls_write_u16(w, s->id);
	mls_write_u32(w, t->n_leaves);
	mls_write_u32(w, t->cfg.max_skipped);
	mls_write_u32(w, t->cfg.max_forward);
	mark = mls_write_vector_begin(w);
	for (i = 0; i < t->n_nodes; i++) {
		mls_write_u32(w, t->nodes[i].node);
		mls_write_raw(w, t->nodes[i].secret, s->hash_len);
	}
	mls_write_vector_end(w, mark);
	mark = mls_write_vector_begin(w);
	for (i = 0; i < t->n_leaf_states; i++) {
		mls_write_u32(w, t->leaves[i]->leaf);
		save_ratchet(w, s, &t->leaves[i]->ratchets[0]);
		save_ratchet(w, s, &t->leaves[i]->ratchets[1]);
	}
	mls_write_vector_end(w, mark);
	mls_write_vector_end(w, outer);
	return mls_writer_error(w);
}

/* ---- load ---- */

static int load_kept(struct mls_reader *r, const struct mls_secret_tree *t,
		     struct ratchet *rt)
{
	const struct mls_suite *s = t->suite;
	struct mls_reader sub;
	struct mls_ratchet_key *k;

	if (mls_read_vector(r, &sub))
		return mls_reader_error(r);
	while (mls_reader_more(&sub)) {
		if (rt->n_kept == t->cfg.max_skipped)
			return MLS_ERR_VALIDATION;
		if (!rt->kept) {
			rt->kept = calloc(t->cfg.max_skipped, sizeof(*k));
			if (!rt->kept)
				return MLS_ERR_NOMEM;
		}
		k = &rt->kept[rt->n_kept];
		mls_read_u32(&sub, &k->generation);
		mls_read_raw(&sub, k->key, s->aead_key_len);
		mls_read_raw(&sub, k->nonce, s->aead_nonce_len);
		if (mls_reader_error(&sub))
			break;
		/* behind the ratchet (below 2^32-1 if exhausted), ascending */
		if ((!rt->exhausted && k->generation >= rt->next_gen) ||
		    k->generation == UINT32_MAX ||
		    (rt->n_kept && k->generation <=
				   rt->kept[rt->n_kept - 1].generation))
			return MLS_ERR_VALIDATION;
		rt->n_kept++;
	}
	return mls_reader_close(r, &sub);
}

static int load_ratchet(struct mls_reader *r, const struct mls_secret_tree *t,
			struct ratchet *rt)
{
	uint8_t exhausted = 0;

	mls_read_u8(r, &exhausted);
	mls_read_u32(r, &rt->next_gen);
	if (mls_reader_error(r))
		return mls_reader_error(r);
	if (exhausted > 1)
		return MLS_ERR_DECODE;
	rt->exhausted = exhausted;
	if (!rt->exhausted && mls_read_raw(r, rt->secret, t->suite->hash_len))
		return mls_reader_error(r);
	return load_kept(r, t, rt);
}

static int load_leaf(struct mls_reader *r, struct mls_secret_tree *t)
{
	const struct leaf_state *last = t->n_leaf_states ?
					t->leaves[t->n_leaf_states - 1] : NULL;
	struct leaf_state *ls = calloc(1, sizeof(*ls));
	int ret;

	if (!ls)
		return MLS_ERR_NOMEM;
	ret = mls_read_u32(r, &ls->leaf);
	if (!ret && (ls->leaf >= t->n_leaves ||
		     (last && ls->leaf <= last->leaf)))
		ret = MLS_ERR_VALIDATION;
	if (!ret)
		ret = load_ratchet(r, t, &ls->ratchets[0]);
	if (!ret)
		ret = load_ratchet(r, t, &ls->ratchets[1]);
	if (!ret)
		ret = mls_st_leaf_insert(t, ls);
	if (ret)
		mls_st_leaf_state_free(ls, t->cfg.max_skipped);
	return ret;
}

static int load_nodes(struct mls_reader *r, struct mls_secret_tree *t)
{
	uint8_t secret[MLS_MAX_HASH_LEN];
	uint32_t node, width = mls_treemath_node_width(t->n_leaves);
	struct mls_reader sub;
	int ret = 0;

	if (mls_read_vector(r, &sub))
		return mls_reader_error(r);
	while (mls_reader_more(&sub) && !ret) {
		mls_read_u32(&sub, &node);
		mls_read_raw(&sub, secret, t->suite->hash_len);
		if (mls_reader_error(&sub))
			break;
		if (node >= width ||
		    (t->n_nodes && node <= t->nodes[t->n_nodes - 1].node))
			ret = MLS_ERR_VALIDATION;
		else
			ret = mls_st_node_insert(t, node, secret);
	}
	mls_wipe(secret, sizeof(secret));
	return ret ? ret : mls_reader_close(r, &sub);
}

static int load_leaves(struct mls_reader *r, struct mls_secret_tree *t)
{
	struct mls_reader sub;
	int ret = 0;

	if (mls_read_vector(r, &sub))
		return mls_reader_error(r);
	while (mls_reader_more(&sub) && !ret)
		ret = load_leaf(&sub, t);
	return ret ? ret : mls_reader_close(r, &sub);
}

/* First leaf under node x and how many there are. */
static void node_leaf_span(uint32_t x, uint32_t *first, uint32_t *count)
{
	uint32_t level = mls_treemath_level(x);

	*first = (x >> (level + 1)) << level;
	*count = 1u << level;
}

/*
 * Every leaf has exactly one source of secrets: a stored node on its path
 * or its own ratchets. Both arrays are sorted, and so are the disjoint
 * leaf ranges of an antichain of nodes, so one merge walk checks it.
 */
static int check_coverage(const struct mls_secret_tree *t)
{
	size_t i = 0, j = 0;
	uint32_t next = 0, first = 0, count = 0, leaf_first;

	while (i < t->n_nodes || j < t->n_leaf_states) {
		if (i < t->n_nodes)
			node_leaf_span(t->nodes[i].node, &first, &count);
		leaf_first = j < t->n_leaf_states ? t->leaves[j]->leaf :
						    UINT32_MAX;
		if (i < t->n_nodes && first < leaf_first) {
			i++;
		} else {
			first = leaf_first;
			count = 1;
			j++;
		}
		if (first != next)
			return MLS_ERR_VALIDATION;
		next = first + count;
	}
	return next == t->n_leaves ? 0 : MLS_ERR_VALIDATION;
}

static int load_header(struct mls_reader *r, const struct mls_suite *s,
		       struct mls_secret_tree *t)
{
	uint8_t version = 0;
	uint16_t suite = 0;
	uint32_t root;

	mls_read_u8(r, &version);
	mls_read_u16(r, &suite);
	mls_read_u32(r, &t->n_leaves);
	mls_read_u32(r, &t->cfg.max_skipped);
	mls_read_u32(r, &t->cfg.max_forward);
	if (mls_reader_error(r))
		return mls_reader_error(r);
	if (version != SECRET_TREE_FORMAT_VERSION)
		return MLS_ERR_UNKNOWN_VALUE;
	if (suite != s->id || mls_treemath_root(t->n_leaves, &root))
		return MLS_ERR_VALIDATION;
	return 0;
}

int mls_secret_tree_load(struct mls_reader *r, const struct mls_suite *s,
			 struct mls_secret_tree **out)
{
	struct mls_secret_tree *t;
	struct mls_reader sub;
	int ret;

	if (!r || !out)
		return MLS_ERR_INVALID_ARG;
	*out = NULL;
	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	t = calloc(1, sizeof(*t));
	if (!t)
		return MLS_ERR_NOMEM;
	t->suite = s;
	ret = mls_read_vector(r, &sub);
	if (!ret)
		ret = load_header(&sub, s, t);
	if (!ret)
		ret = load_nodes(&sub, t);
	if (!ret)
		ret = load_leaves(&sub, t);
	if (!ret)
		ret = mls_reader_close(r, &sub);
	if (!ret)
		ret = check_coverage(t);
	if (ret) {
		mls_secret_tree_free(t);
		return ret;
	}
	*out = t;
	return 0;
}
