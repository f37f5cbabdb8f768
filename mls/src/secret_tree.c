// SPDX-License-Identifier: MIT
/*
 * Secret tree (RFC 9420 §9) with lazy expansion and consume-once ratchets
 * (§9.1, §9.2), and the sender-data key schedule (§6.3.2).
 *
 * Invariant: for every leaf whose ratchets do not exist yet, exactly one
 * node on its path to the root (itself included) holds a stored secret.
 * Expanding a leaf walks down from that node, storing both children and
 * deleting the parent at each step, so the invariant survives and a
 * failure part-way (out of memory) loses no secret.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mls/codec.h"
#include "mls/secret_tree.h"
#include "mls/treemath.h"
#include "secret_tree_internal.h"

/* ---- sorted sparse storage ---- */

/* Index of the first node entry >= node. */
static size_t node_lower_bound(const struct mls_secret_tree *t, uint32_t node)
{
	size_t lo = 0, hi = t->n_nodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->nodes[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct node_secret *node_find(struct mls_secret_tree *t, uint32_t node)
{
	size_t i = node_lower_bound(t, node);

	return (i < t->n_nodes && t->nodes[i].node == node) ? &t->nodes[i] :
							       NULL;
}

int mls_st_node_insert(struct mls_secret_tree *t, uint32_t node,
		       const uint8_t *secret)
{
	struct node_secret *grown;
	size_t i = node_lower_bound(t, node);

	grown = mls_array_grow(t->nodes, t->n_nodes, sizeof(*grown));
	if (!grown)
		return MLS_ERR_NOMEM;
	t->nodes = grown;
	memmove(&t->nodes[i + 1], &t->nodes[i],
		(t->n_nodes - i) * sizeof(*grown));
	t->nodes[i].node = node;
	memcpy(t->nodes[i].secret, secret, t->suite->hash_len);
	t->n_nodes++;
	return 0;
}

static void node_remove(struct mls_secret_tree *t, uint32_t node)
{
	size_t i = node_lower_bound(t, node);

	if (i >= t->n_nodes || t->nodes[i].node != node)
		return;
	mls_wipe(t->nodes[i].secret, sizeof(t->nodes[i].secret));
	memmove(&t->nodes[i], &t->nodes[i + 1],
		(t->n_nodes - i - 1) * sizeof(t->nodes[0]));
	t->n_nodes--;
	mls_wipe(&t->nodes[t->n_nodes], sizeof(t->nodes[0]));
}

static size_t leaf_lower_bound(const struct mls_secret_tree *t, uint32_t leaf)
{
	size_t lo = 0, hi = t->n_leaf_states;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->leaves[mid]->leaf < leaf)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int mls_st_leaf_insert(struct mls_secret_tree *t, struct leaf_state *ls)
{
	struct leaf_state **grown;
	size_t i = leaf_lower_bound(t, ls->leaf);

	grown = mls_array_grow(t->leaves, t->n_leaf_states, sizeof(*grown));
	if (!grown)
		return MLS_ERR_NOMEM;
	t->leaves = grown;
	memmove(&t->leaves[i + 1], &t->leaves[i],
		(t->n_leaf_states - i) * sizeof(*grown));
	t->leaves[i] = ls;
	t->n_leaf_states++;
	return 0;
}

static void ratchet_wipe(struct ratchet *r, uint32_t max_kept)
{
	mls_wipe(r->secret, sizeof(r->secret));
	if (r->kept) {
		mls_wipe(r->kept, max_kept * sizeof(*r->kept));
		free(r->kept);
	}
	r->kept = NULL;
	r->n_kept = 0;
}

void mls_st_leaf_state_free(struct leaf_state *ls, uint32_t max_kept)
{
	if (!ls)
		return;
	ratchet_wipe(&ls->ratchets[0], max_kept);
	ratchet_wipe(&ls->ratchets[1], max_kept);
	free(ls);
}

/* ---- lifetime ---- */

int mls_secret_tree_new(const struct mls_suite *s,
			const uint8_t *encryption_secret, size_t secret_len,
			uint32_t n_leaves,
			const struct mls_secret_tree_config *cfg,
			struct mls_secret_tree **out)
{
	struct mls_secret_tree *t;
	uint32_t root;
	int ret;

	*out = NULL;
	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!encryption_secret || secret_len != s->hash_len ||
	    mls_treemath_root(n_leaves, &root))
		return MLS_ERR_INVALID_ARG;
	t = calloc(1, sizeof(*t));
	if (!t)
		return MLS_ERR_NOMEM;
	t->suite = s;
	t->n_leaves = n_leaves;
	t->cfg.max_skipped = MLS_SECRET_TREE_DEFAULT_MAX_SKIPPED;
	t->cfg.max_forward = MLS_SECRET_TREE_DEFAULT_MAX_FORWARD;
	if (cfg)
		t->cfg = *cfg;
	ret = mls_st_node_insert(t, root, encryption_secret);
	if (ret) {
		free(t);
		return ret;
	}
	*out = t;
	return 0;
}

void mls_secret_tree_free(struct mls_secret_tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n_leaf_states; i++)
		mls_st_leaf_state_free(t->leaves[i], t->cfg.max_skipped);
	free(t->leaves);
	if (t->nodes) {
		mls_wipe(t->nodes, t->n_nodes * sizeof(*t->nodes));
		free(t->nodes);
	}
	mls_wipe(t, sizeof(*t));
	free(t);
}

uint32_t mls_secret_tree_leaf_count(const struct mls_secret_tree *t)
{
	return t->n_leaves;
}

const struct mls_suite *mls_secret_tree_suite(const struct mls_secret_tree *t)
{
	return t->suite;
}

size_t mls_secret_tree_secret_count(const struct mls_secret_tree *t)
{
	size_t i, j, n = t->n_nodes;

	for (i = 0; i < t->n_leaf_states; i++)
		for (j = 0; j < 2; j++) {
			const struct ratchet *r = &t->leaves[i]->ratchets[j];

			n += r->n_kept + (r->exhausted ? 0 : 1);
		}
	return n;
}

/* ---- lazy expansion (§9) ---- */

/* The stored ancestor of leaf_node (itself included), or NULL. */
static struct node_secret *stored_ancestor(struct mls_secret_tree *t,
					   uint32_t leaf_node)
{
	struct node_secret *ns;
	uint32_t x = leaf_node;

	for (;;) {
		ns = node_find(t, x);
		if (ns || mls_treemath_parent(x, t->n_leaves, &x))
			return ns;
	}
}

/* Replace the stored secret of `parent` by those of both its children. */
static int split_node(struct mls_secret_tree *t, uint32_t parent)
{
	const struct mls_suite *s = t->suite;
	uint8_t left[MLS_MAX_HASH_LEN], right[MLS_MAX_HASH_LEN];
	struct node_secret *ns = node_find(t, parent);
	uint32_t l, r;
	int ret;

	if (!ns || mls_treemath_left(parent, t->n_leaves, &l) ||
	    mls_treemath_right(parent, t->n_leaves, &r))
		return MLS_ERR_INVALID_STATE;
	ret = mls_expand_with_label(s, ns->secret, s->hash_len, "tree",
				    (const uint8_t *)"left", 4, left,
				    s->hash_len);
	if (!ret)
		ret = mls_expand_with_label(s, ns->secret, s->hash_len, "tree",
					    (const uint8_t *)"right", 5,
					    right, s->hash_len);
	if (!ret)
		ret = mls_st_node_insert(t, l, left);
	if (!ret) {
		ret = mls_st_node_insert(t, r, right);
		if (ret)
			node_remove(t, l);
	}
	if (!ret)
		node_remove(t, parent);
	mls_wipe(left, sizeof(left));
	mls_wipe(right, sizeof(right));
	return ret;
}

/* §9.1: the two ratchets' first secrets from the leaf's tree secret. */
static int leaf_state_from_secret(struct mls_secret_tree *t, uint32_t leaf,
				  const uint8_t *leaf_secret,
				  struct leaf_state **out)
{
	const struct mls_suite *s = t->suite;
	struct leaf_state *ls = calloc(1, sizeof(*ls));
	int ret;

	if (!ls)
		return MLS_ERR_NOMEM;
	ls->leaf = leaf;
	ret = mls_expand_with_label(s, leaf_secret, s->hash_len, "handshake",
				    NULL, 0,
				    ls->ratchets[MLS_RATCHET_HANDSHAKE].secret,
				    s->hash_len);
	if (!ret)
		ret = mls_expand_with_label(s, leaf_secret, s->hash_len,
				"application", NULL, 0,
				ls->ratchets[MLS_RATCHET_APPLICATION].secret,
				s->hash_len);
	if (ret) {
		mls_st_leaf_state_free(ls, 0);
		return ret;
	}
	*out = ls;
	return 0;
}

static int expand_leaf(struct mls_secret_tree *t, uint32_t leaf,
		       struct leaf_state **out)
{
	uint32_t target = mls_treemath_leaf_to_node(leaf), x, l;
	struct node_secret *ns;
	struct leaf_state *ls;
	int ret;

	ns = stored_ancestor(t, target);
	if (!ns)
		return MLS_ERR_INVALID_STATE;
	x = ns->node;
	while (x != target) {
		ret = split_node(t, x);
		if (ret)
			return ret;
		if (mls_treemath_left(x, t->n_leaves, &l))
			return MLS_ERR_INVALID_STATE;
		if (mls_treemath_in_subtree(target, l))
			x = l;
		else
			mls_treemath_right(x, t->n_leaves, &x);
	}
	ns = node_find(t, target);
	if (!ns)
		return MLS_ERR_INVALID_STATE;
	ret = leaf_state_from_secret(t, leaf, ns->secret, &ls);
	if (ret)
		return ret;
	ret = mls_st_leaf_insert(t, ls);
	if (ret) {
		mls_st_leaf_state_free(ls, 0);
		return ret;
	}
	node_remove(t, target);
	*out = ls;
	return 0;
}

static int get_ratchet(struct mls_secret_tree *t, uint32_t leaf,
		       enum mls_ratchet_type type, struct ratchet **out)
{
	struct leaf_state *ls;
	size_t i;
	int ret;

	if (!t || !out)
		return MLS_ERR_INVALID_ARG;
	if (type != MLS_RATCHET_HANDSHAKE && type != MLS_RATCHET_APPLICATION)
		return MLS_ERR_INVALID_ARG;
	if (leaf >= t->n_leaves)
		return MLS_ERR_NOT_FOUND;
	i = leaf_lower_bound(t, leaf);
	if (i < t->n_leaf_states && t->leaves[i]->leaf == leaf) {
		ls = t->leaves[i];
	} else {
		ret = expand_leaf(t, leaf, &ls);
		if (ret)
			return ret;
	}
	*out = &ls->ratchets[type];
	return 0;
}

/* ---- ratchets (§9.1) ---- */

static int derive_key(const struct mls_suite *s, const uint8_t *secret,
		      uint32_t gen, struct mls_ratchet_key *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	out->generation = gen;
	ret = mls_derive_tree_secret(s, secret, s->hash_len, "key", gen,
				     out->key, s->aead_key_len);
	if (!ret)
		ret = mls_derive_tree_secret(s, secret, s->hash_len, "nonce",
					     gen, out->nonce,
					     s->aead_nonce_len);
	if (ret)
		mls_wipe(out, sizeof(*out));
	return ret;
}

/* secret (of generation gen) becomes the secret of gen + 1, in place. */
static int advance_secret(const struct mls_suite *s, uint8_t *secret,
			  uint32_t gen)
{
	uint8_t next[MLS_MAX_HASH_LEN];
	int ret;

	ret = mls_derive_tree_secret(s, secret, s->hash_len, "secret", gen,
				     next, s->hash_len);
	if (!ret)
		memcpy(secret, next, s->hash_len);
	mls_wipe(next, sizeof(next));
	return ret;
}

static struct mls_ratchet_key *kept_find(struct ratchet *r, uint32_t gen)
{
	size_t i;

	for (i = 0; i < r->n_kept; i++)
		if (r->kept[i].generation == gen)
			return &r->kept[i];
	return NULL;
}

static void kept_remove(struct ratchet *r, struct mls_ratchet_key *k)
{
	size_t i = (size_t)(k - r->kept);

	memmove(&r->kept[i], &r->kept[i + 1],
		(r->n_kept - i - 1) * sizeof(*k));
	r->n_kept--;
	mls_wipe(&r->kept[r->n_kept], sizeof(*k));
}

/* Is gen still derivable forward from r, within the configured reach? */
static int check_ahead(const struct mls_secret_tree *t,
		       const struct ratchet *r, uint32_t gen)
{
	if (r->exhausted || gen - r->next_gen > t->cfg.max_forward)
		return MLS_ERR_GENERATION;
	return 0;
}

int mls_secret_tree_key(struct mls_secret_tree *t, uint32_t leaf,
			enum mls_ratchet_type type, uint32_t generation,
			struct mls_ratchet_key *out)
{
	uint8_t secret[MLS_MAX_HASH_LEN];
	struct mls_ratchet_key *k;
	struct ratchet *r;
	uint32_t g;
	int ret;

	ret = get_ratchet(t, leaf, type, &r);
	if (ret)
		return ret;
	if (generation < r->next_gen) {
		k = kept_find(r, generation);
		if (!k)
			return MLS_ERR_GENERATION;
		*out = *k;
		return 0;
	}
	ret = check_ahead(t, r, generation);
	if (ret)
		return ret;
	memcpy(secret, r->secret, t->suite->hash_len);
	for (g = r->next_gen; g < generation && !ret; g++)
		ret = advance_secret(t->suite, secret, g);
	if (!ret)
		ret = derive_key(t->suite, secret, generation, out);
	mls_wipe(secret, sizeof(secret));
	return ret;
}

/* Keep the key of skipped generation gen, evicting the oldest if full. */
static int keep_skipped(const struct mls_secret_tree *t, struct ratchet *r,
			const uint8_t *secret, uint32_t gen)
{
	size_t max = t->cfg.max_skipped;

	if (!max || !r->kept)
		return 0;
	if (r->n_kept == max)
		kept_remove(r, &r->kept[0]);
	return derive_key(t->suite, secret, gen, &r->kept[r->n_kept++]);
}

/* Move the ratchet past `generation`, keeping the skipped ones' keys. */
static int ratchet_past(const struct mls_secret_tree *t, struct ratchet *r,
			uint32_t generation)
{
	uint8_t secret[MLS_MAX_HASH_LEN];
	uint32_t g, first_kept = 0;
	int ret = 0;

	if (generation - r->next_gen > t->cfg.max_skipped)
		first_kept = generation - t->cfg.max_skipped;
	/* allocated before anything moves, so running out loses nothing */
	if (generation > r->next_gen && t->cfg.max_skipped && !r->kept) {
		r->kept = calloc(t->cfg.max_skipped, sizeof(*r->kept));
		if (!r->kept)
			return MLS_ERR_NOMEM;
	}
	memcpy(secret, r->secret, t->suite->hash_len);
	for (g = r->next_gen; g < generation && !ret; g++) {
		if (g >= first_kept)
			ret = keep_skipped(t, r, secret, g);
		if (!ret)
			ret = advance_secret(t->suite, secret, g);
	}
	if (!ret && generation == UINT32_MAX) {
		r->exhausted = true;
		mls_wipe(r->secret, sizeof(r->secret));
	} else if (!ret) {
		ret = advance_secret(t->suite, secret, generation);
		if (!ret) {
			memcpy(r->secret, secret, t->suite->hash_len);
			r->next_gen = generation + 1;
		}
	}
	mls_wipe(secret, sizeof(secret));
	return ret;
}

int mls_secret_tree_consume(struct mls_secret_tree *t, uint32_t leaf,
			    enum mls_ratchet_type type, uint32_t generation)
{
	struct mls_ratchet_key *k;
	struct ratchet *r;
	int ret;

	ret = get_ratchet(t, leaf, type, &r);
	if (ret)
		return ret;
	if (generation < r->next_gen) {
		k = kept_find(r, generation);
		if (!k)
			return MLS_ERR_GENERATION;
		kept_remove(r, k);
		return 0;
	}
	ret = check_ahead(t, r, generation);
	if (ret)
		return ret;
	return ratchet_past(t, r, generation);
}

int mls_secret_tree_next_key(struct mls_secret_tree *t, uint32_t leaf,
			     enum mls_ratchet_type type,
			     struct mls_ratchet_key *out)
{
	struct ratchet *r;
	int ret;

	ret = get_ratchet(t, leaf, type, &r);
	if (ret)
		return ret;
	if (r->exhausted)
		return MLS_ERR_GENERATION;
	ret = derive_key(t->suite, r->secret, r->next_gen, out);
	if (!ret)
		ret = ratchet_past(t, r, r->next_gen);
	if (ret)
		mls_wipe(out, sizeof(*out));
	return ret;
}

/* ---- sender data (§6.3.2) ---- */

int mls_sender_data_key_nonce(const struct mls_suite *s,
			      const uint8_t *sender_data_secret,
			      size_t secret_len, const uint8_t *ciphertext,
			      size_t ciphertext_len, uint8_t *key,
			      uint8_t *nonce)
{
	size_t sample_len;
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!sender_data_secret || !key || !nonce ||
	    (!ciphertext && ciphertext_len))
		return MLS_ERR_INVALID_ARG;
	sample_len = ciphertext_len < s->hash_len ? ciphertext_len :
						    s->hash_len;
	ret = mls_expand_with_label(s, sender_data_secret, secret_len, "key",
				    ciphertext, sample_len, key,
				    s->aead_key_len);
	if (!ret)
		ret = mls_expand_with_label(s, sender_data_secret, secret_len,
					    "nonce", ciphertext, sample_len,
					    nonce, s->aead_nonce_len);
	if (ret) {
		mls_wipe(key, s->aead_key_len);
		mls_wipe(nonce, s->aead_nonce_len);
	}
	return ret;
}
