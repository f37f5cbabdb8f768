// SPDX-License-Identifier: MIT
/*
 * The fields of a saved group (see group_state_fields.h): private node
 * keys, epoch secrets, tree, secret tree, ReInit and a Commit summary.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "group_state_fields.h"

/* ---- private node keys ---- */

void mls_state_write_priv(struct mls_writer *w, const struct mls_suite *s,
			  const struct mls_tree_private *priv)
{
	size_t mark = mls_write_vector_begin(w);
	uint32_t i;

	mls_write_u32(w, priv->leaf_index);
	for (i = 0; i < priv->n_keys; i++) {
		mls_write_u32(w, priv->keys[i].node);
		mls_write_raw(w, priv->keys[i].priv, s->kem_priv_len);
		mls_write_raw(w, priv->keys[i].pub, s->kem_pub_len);
	}
	mls_write_vector_end(w, mark);
}

int mls_state_read_priv(struct mls_reader *r, const struct mls_suite *s,
			struct mls_tree_private *priv)
{
	struct mls_reader v;
	uint32_t leaf = 0;

	mls_read_vector(r, &v);
	mls_read_u32(&v, &leaf);
	mls_tree_private_init(priv, s, leaf);
	while (mls_reader_more(&v)) {
		struct mls_node_key *k;

		if (priv->n_keys >= MLS_TREE_MAX_HEIGHT + 1)
			return mls_reader_fail(r, MLS_ERR_VALIDATION);
		k = &priv->keys[priv->n_keys++];
		mls_read_u32(&v, &k->node);
		mls_read_raw(&v, k->priv, s->kem_priv_len);
		mls_read_raw(&v, k->pub, s->kem_pub_len);
	}
	return mls_reader_close(r, &v);
}

/* ---- epoch secrets ---- */

void mls_state_write_secrets(struct mls_writer *w, const struct mls_suite *s,
			     const struct mls_epoch_secrets *e,
			     const uint8_t *interim)
{
	size_t n = s->hash_len, mark = mls_write_vector_begin(w);

	mls_write_raw(w, e->sender_data_secret, n);
	mls_write_raw(w, e->exporter_secret, n);
	mls_write_raw(w, e->external_secret, n);
	mls_write_raw(w, e->confirmation_key, n);
	mls_write_raw(w, e->membership_key, n);
	mls_write_raw(w, e->resumption_psk, n);
	mls_write_raw(w, e->epoch_authenticator, n);
	mls_write_raw(w, e->init_secret, n);
	mls_write_raw(w, interim, n);
	mls_write_vector_end(w, mark);
}

int mls_state_read_secrets(struct mls_reader *r, const struct mls_suite *s,
			   struct mls_epoch_secrets *e, uint8_t *interim)
{
	size_t n = s->hash_len;
	struct mls_reader v;

	e->suite = s;
	mls_read_vector(r, &v);
	mls_read_raw(&v, e->sender_data_secret, n);
	mls_read_raw(&v, e->exporter_secret, n);
	mls_read_raw(&v, e->external_secret, n);
	mls_read_raw(&v, e->confirmation_key, n);
	mls_read_raw(&v, e->membership_key, n);
	mls_read_raw(&v, e->resumption_psk, n);
	mls_read_raw(&v, e->epoch_authenticator, n);
	mls_read_raw(&v, e->init_secret, n);
	mls_read_raw(&v, interim, n);
	return mls_reader_close(r, &v);
}

/* ---- trees ---- */

int mls_state_read_tree(struct mls_reader *r, const struct mls_suite *s,
			struct mls_tree *t)
{
	struct mls_ratchet_tree wire;
	int err;

	mls_tree_init(t, s);
	if (mls_ratchet_tree_decode(r, &wire))
		return mls_reader_error(r);
	err = mls_tree_from_wire(t, s, &wire);
	mls_ratchet_tree_free(&wire);
	return err ? mls_reader_fail(r, err) : 0;
}

int mls_state_read_secret_tree(struct mls_reader *r, const struct mls_suite *s,
			       struct mls_secret_tree **st)
{
	int err;

	if (mls_reader_error(r))
		return mls_reader_error(r);
	err = mls_secret_tree_load(r, s, st);
	return err ? mls_reader_fail(r, err) : 0;
}

/* ---- ReInit ---- */

void mls_state_write_reinit(struct mls_writer *w, const struct mls_reinit *r)
{
	mls_write_u8(w, r ? 1 : 0);
	if (r)
		mls_reinit_encode(w, r);
}

int mls_state_read_reinit(struct mls_reader *r, struct mls_reinit **reinit)
{
	uint8_t present = 0;

	*reinit = NULL;
	mls_read_u8(r, &present);
	if (mls_reader_error(r) || !present)
		return mls_reader_error(r);
	if (present != 1)
		return mls_reader_fail(r, MLS_ERR_DECODE);
	*reinit = calloc(1, sizeof(**reinit));
	if (!*reinit)
		return mls_reader_fail(r, MLS_ERR_NOMEM);
	mls_reinit_decode(r, *reinit);
	return mls_reader_error(r);
}

/* ---- Commit summary ---- */

static void write_leaves(struct mls_writer *w, const uint32_t *leaves,
			 size_t n)
{
	size_t i, mark = mls_write_vector_begin(w);

	for (i = 0; i < n; i++)
		mls_write_u32(w, leaves[i]);
	mls_write_vector_end(w, mark);
}

void mls_state_write_summary(struct mls_writer *w,
			     const struct mls_commit_summary *sum)
{
	mls_write_u64(w, sum->epoch);
	mls_write_u32(w, sum->committer);
	mls_write_u8(w, sum->external);
	mls_write_u8(w, sum->ours);
	mls_write_u8(w, sum->removed_us);
	write_leaves(w, sum->added, sum->n_added);
	write_leaves(w, sum->removed, sum->n_removed);
	write_leaves(w, sum->updated, sum->n_updated);
}

static int read_leaves(struct mls_reader *r, uint32_t **leaves, size_t *n)
{
	struct mls_reader v;
	uint32_t *items;

	mls_read_vector(r, &v);
	while (mls_reader_more(&v)) {
		items = mls_array_grow(*leaves, *n, sizeof(*items));
		if (!items)
			return mls_reader_fail(r, MLS_ERR_NOMEM);
		*leaves = items;
		if (mls_read_u32(&v, &items[*n]))
			break;
		(*n)++;
	}
	return mls_reader_close(r, &v);
}

static int read_flag(struct mls_reader *r, bool *flag)
{
	uint8_t v = 0;

	if (mls_read_u8(r, &v))
		return mls_reader_error(r);
	if (v > 1)
		return mls_reader_fail(r, MLS_ERR_DECODE);
	*flag = v;
	return 0;
}

int mls_state_read_summary(struct mls_reader *r,
			   struct mls_commit_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	mls_read_u64(r, &sum->epoch);
	mls_read_u32(r, &sum->committer);
	if (!read_flag(r, &sum->external) && !read_flag(r, &sum->ours) &&
	    !read_flag(r, &sum->removed_us) &&
	    !read_leaves(r, &sum->added, &sum->n_added) &&
	    !read_leaves(r, &sum->removed, &sum->n_removed))
		read_leaves(r, &sum->updated, &sum->n_updated);
	return mls_reader_error(r);
}

/* ---- consistency ---- */

bool mls_state_pair_matches(const struct mls_suite *s, const uint8_t *priv,
			    const uint8_t *pub)
{
	uint8_t derived[MLS_MAX_KEM_PUB_LEN];

	return !mls_kem_pub_from_priv(s, priv, s->kem_priv_len, derived) &&
	       !memcmp(derived, pub, s->kem_pub_len);
}

bool mls_state_keys_match(const struct mls_suite *s,
			  const struct mls_tree_private *priv)
{
	uint32_t i;

	for (i = 0; i < priv->n_keys; i++)
		if (!mls_state_pair_matches(s, priv->keys[i].priv,
					    priv->keys[i].pub))
			return false;
	return true;
}

int mls_state_check_epoch(const struct mls_suite *s,
			  const struct mls_group_context *ctx,
			  struct mls_tree *tree,
			  const struct mls_secret_tree *st)
{
	uint8_t h[MLS_MAX_HASH_LEN];

	if (ctx->cipher_suite != s->id || ctx->version != MLS_PROTOCOL_MLS10 ||
	    ctx->tree_hash.len != s->hash_len || !st ||
	    mls_secret_tree_leaf_count(st) != tree->n_leaves)
		return MLS_ERR_VALIDATION;
	if (mls_tree_root_hash(tree, h) ||
	    memcmp(h, ctx->tree_hash.data, s->hash_len))
		return MLS_ERR_VALIDATION;
	return 0;
}
