// SPDX-License-Identifier: MIT
/*
 * Group state as a byte blob and back:
 *
 *   "MLSG" | uint16 version | opaque body<V> | SHA-256(all before)[32]
 *
 * The body is a sequence of length-prefixed fields (below). The trailing
 * hash is no authentication (whoever can write the blob can recompute
 * it) but it turns storage corruption into a clean error instead of a
 * group that silently holds a wrong secret.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "group_internal.h"

#define STATE_MAGIC	"MLSG"
/*
 * Version 2: the secret tree's own state replaces version 1's copy of
 * encryption_secret and sent-key counters (which let a loaded group
 * re-derive keys already deleted, §9.2), and a pending ReInit is kept.
 */
#define STATE_VERSION	2
#define STATE_HASH_LEN	32

static const struct mls_suite *checksum_suite(void)
{
	return mls_suite_get(MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
}

/* ---- writing ---- */

static void write_priv(struct mls_writer *w, const struct mls_group *g)
{
	const struct mls_suite *s = g->suite;
	size_t mark = mls_write_vector_begin(w);
	uint32_t i;

	mls_write_u32(w, g->priv.leaf_index);
	for (i = 0; i < g->priv.n_keys; i++) {
		mls_write_u32(w, g->priv.keys[i].node);
		mls_write_raw(w, g->priv.keys[i].priv, s->kem_priv_len);
		mls_write_raw(w, g->priv.keys[i].pub, s->kem_pub_len);
	}
	mls_write_vector_end(w, mark);
}

static void write_secrets(struct mls_writer *w, const struct mls_group *g)
{
	const struct mls_epoch_secrets *e = &g->secrets;
	size_t n = g->suite->hash_len, mark = mls_write_vector_begin(w);

	mls_write_raw(w, e->sender_data_secret, n);
	mls_write_raw(w, e->exporter_secret, n);
	mls_write_raw(w, e->external_secret, n);
	mls_write_raw(w, e->confirmation_key, n);
	mls_write_raw(w, e->membership_key, n);
	mls_write_raw(w, e->resumption_psk, n);
	mls_write_raw(w, e->epoch_authenticator, n);
	mls_write_raw(w, e->init_secret, n);
	mls_write_raw(w, g->interim_transcript_hash, n);
	mls_write_vector_end(w, mark);
}

/* optional<ReInit>: the ReInit this epoch's Commit carried (§11.2). */
static void write_reinit(struct mls_writer *w, const struct mls_group *g)
{
	mls_write_u8(w, g->reinit ? 1 : 0);
	if (g->reinit)
		mls_reinit_encode(w, g->reinit);
}

static void write_resumption(struct mls_writer *w, const struct mls_group *g)
{
	size_t i, mark = mls_write_vector_begin(w);

	for (i = 0; i < g->n_resumption; i++) {
		const struct mls_resumption_psk *r =
			&g->resumption[(g->context.epoch - i) %
				       MLS_GROUP_RESUMPTION_HISTORY];

		mls_write_u64(w, r->epoch);
		mls_write_raw(w, r->secret, g->suite->hash_len);
	}
	mls_write_vector_end(w, mark);
}

static void write_proposals(struct mls_writer *w, const struct mls_group *g)
{
	size_t i, mark = mls_write_vector_begin(w);

	for (i = 0; i < g->n_proposals; i++) {
		mls_write_raw(w, g->proposals[i].ref, g->suite->hash_len);
		mls_sender_encode(w, &g->proposals[i].sender);
		mls_proposal_encode(w, &g->proposals[i].proposal);
	}
	mls_write_vector_end(w, mark);
}

static void write_updates(struct mls_writer *w, const struct mls_group *g)
{
	size_t i, mark = mls_write_vector_begin(w);

	for (i = 0; i < g->n_updates; i++) {
		mls_write_raw(w, g->updates[i].pub, g->suite->kem_pub_len);
		mls_write_raw(w, g->updates[i].priv, g->suite->kem_priv_len);
	}
	mls_write_vector_end(w, mark);
}

static void write_body(struct mls_writer *w, const struct mls_group *g)
{
	size_t mark = mls_write_vector_begin(w);

	mls_write_u16(w, g->suite->id);
	mls_group_context_encode(w, &g->context);
	mls_tree_encode(w, &g->tree);
	write_priv(w, g);
	write_secrets(w, g);
	mls_secret_tree_save(g->secret_tree, w);
	write_resumption(w, g);
	write_proposals(w, g);
	write_updates(w, g);
	mls_write_opaque(w, g->sig_priv, g->sig_priv_len);
	write_reinit(w, g);
	mls_write_vector_end(w, mark);
}

int mls_group_save(const struct mls_group *g, struct mls_bytes *blob)
{
	uint8_t h[MLS_MAX_HASH_LEN];
	struct mls_writer w;
	int err;

	if (!g || !g->suite || !blob)
		return MLS_ERR_INVALID_ARG;
	memset(blob, 0, sizeof(*blob));
	/* a removed member's group is over: there is nothing to keep */
	if (g->removed)
		return MLS_ERR_REMOVED;
	if (g->pending)
		return MLS_ERR_INVALID_STATE;
	mls_writer_init(&w);
	mls_write_raw(&w, STATE_MAGIC, 4);
	mls_write_u16(&w, STATE_VERSION);
	write_body(&w, g);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_hash(checksum_suite(), w.buf, w.len, h);
	mls_write_raw(&w, h, STATE_HASH_LEN);
	if (!err)
		err = mls_writer_finish(&w, blob);
	mls_writer_free(&w);
	return err;
}

/* ---- reading ---- */

static int read_priv(struct mls_reader *r, struct mls_group *g)
{
	const struct mls_suite *s = g->suite;
	struct mls_reader v;
	uint32_t leaf = 0;

	mls_read_vector(r, &v);
	mls_read_u32(&v, &leaf);
	mls_tree_private_init(&g->priv, s, leaf);
	while (mls_reader_more(&v)) {
		struct mls_node_key *k;

		if (g->priv.n_keys >= MLS_TREE_MAX_HEIGHT + 1)
			return mls_reader_fail(r, MLS_ERR_VALIDATION);
		k = &g->priv.keys[g->priv.n_keys++];
		mls_read_u32(&v, &k->node);
		mls_read_raw(&v, k->priv, s->kem_priv_len);
		mls_read_raw(&v, k->pub, s->kem_pub_len);
	}
	return mls_reader_close(r, &v);
}

static int read_secrets(struct mls_reader *r, struct mls_group *g)
{
	struct mls_epoch_secrets *e = &g->secrets;
	size_t n = g->suite->hash_len;
	struct mls_reader v;

	e->suite = g->suite;
	mls_read_vector(r, &v);
	mls_read_raw(&v, e->sender_data_secret, n);
	mls_read_raw(&v, e->exporter_secret, n);
	mls_read_raw(&v, e->external_secret, n);
	mls_read_raw(&v, e->confirmation_key, n);
	mls_read_raw(&v, e->membership_key, n);
	mls_read_raw(&v, e->resumption_psk, n);
	mls_read_raw(&v, e->epoch_authenticator, n);
	mls_read_raw(&v, e->init_secret, n);
	mls_read_raw(&v, g->interim_transcript_hash, n);
	return mls_reader_close(r, &v);
}

static int read_secret_tree(struct mls_reader *r, struct mls_group *g)
{
	int err;

	if (mls_reader_error(r))
		return mls_reader_error(r);
	err = mls_secret_tree_load(r, g->suite, &g->secret_tree);
	return err ? mls_reader_fail(r, err) : 0;
}

static int read_reinit(struct mls_reader *r, struct mls_group *g)
{
	uint8_t present = 0;

	mls_read_u8(r, &present);
	if (mls_reader_error(r) || !present)
		return mls_reader_error(r);
	if (present != 1)
		return mls_reader_fail(r, MLS_ERR_DECODE);
	g->reinit = calloc(1, sizeof(*g->reinit));
	if (!g->reinit)
		return mls_reader_fail(r, MLS_ERR_NOMEM);
	mls_reinit_decode(r, g->reinit);
	return mls_reader_error(r);
}

static int read_resumption(struct mls_reader *r, struct mls_group *g)
{
	struct mls_resumption_psk *slot;
	struct mls_reader v;
	uint64_t epoch = 0;

	mls_read_vector(r, &v);
	while (mls_reader_more(&v)) {
		if (g->n_resumption >= MLS_GROUP_RESUMPTION_HISTORY)
			return mls_reader_fail(r, MLS_ERR_VALIDATION);
		mls_read_u64(&v, &epoch);
		/* newest first, one per epoch back from the current one */
		if (!mls_reader_error(&v) &&
		    epoch != g->context.epoch - g->n_resumption)
			return mls_reader_fail(r, MLS_ERR_VALIDATION);
		slot = &g->resumption[epoch % MLS_GROUP_RESUMPTION_HISTORY];
		slot->epoch = epoch;
		mls_read_raw(&v, slot->secret, g->suite->hash_len);
		g->n_resumption++;
	}
	return mls_reader_close(r, &v);
}

static int read_proposal(struct mls_reader *r, struct mls_group *g)
{
	struct mls_cached_proposal *items, *e;

	items = mls_array_grow(g->proposals, g->n_proposals, sizeof(*items));
	if (!items)
		return mls_reader_fail(r, MLS_ERR_NOMEM);
	g->proposals = items;
	e = &items[g->n_proposals];
	mls_read_raw(r, e->ref, g->suite->hash_len);
	mls_sender_decode(r, &e->sender);
	if (mls_proposal_decode(r, &e->proposal))
		return mls_reader_error(r);
	g->n_proposals++;
	return mls_reader_error(r);
}

static int read_proposals(struct mls_reader *r, struct mls_group *g)
{
	struct mls_reader v;

	mls_read_vector(r, &v);
	while (mls_reader_more(&v))
		if (read_proposal(&v, g))
			break;
	return mls_reader_close(r, &v);
}

static int read_updates(struct mls_reader *r, struct mls_group *g)
{
	struct mls_pending_update *items;
	struct mls_reader v;

	mls_read_vector(r, &v);
	while (mls_reader_more(&v)) {
		items = mls_array_grow(g->updates, g->n_updates,
				       sizeof(*items));
		if (!items)
			return mls_reader_fail(r, MLS_ERR_NOMEM);
		g->updates = items;
		memset(&items[g->n_updates], 0, sizeof(*items));
		mls_read_raw(&v, items[g->n_updates].pub,
			     g->suite->kem_pub_len);
		mls_read_raw(&v, items[g->n_updates].priv,
			     g->suite->kem_priv_len);
		g->n_updates++;
	}
	return mls_reader_close(r, &v);
}

static int read_tree(struct mls_reader *r, struct mls_group *g)
{
	struct mls_ratchet_tree wire;
	int err;

	if (mls_ratchet_tree_decode(r, &wire))
		return mls_reader_error(r);
	err = mls_tree_from_wire(&g->tree, g->suite, &wire);
	mls_ratchet_tree_free(&wire);
	return err ? mls_reader_fail(r, err) : 0;
}

static int read_sig_priv(struct mls_reader *r, struct mls_group *g)
{
	struct mls_bytes b = { NULL, 0 };
	int err;

	err = mls_read_opaque(r, &b);
	if (!err && b.len && b.len != g->suite->sig_priv_len)
		err = mls_reader_fail(r, MLS_ERR_VALIDATION);
	if (!err) {
		if (b.len)
			memcpy(g->sig_priv, b.data, b.len);
		g->sig_priv_len = b.len;
	}
	mls_bytes_free_secret(&b);
	return err;
}

static int read_body(struct mls_reader *r, struct mls_group *g)
{
	uint16_t suite = 0;

	mls_read_u16(r, &suite);
	if (mls_reader_error(r))
		return mls_reader_error(r);
	g->suite = mls_suite_get(suite);
	if (!g->suite)
		return mls_reader_fail(r, MLS_ERR_VALIDATION);
	mls_tree_init(&g->tree, g->suite);
	if (mls_group_context_decode(r, &g->context))
		return mls_reader_error(r);
	if (!read_tree(r, g) && !read_priv(r, g) && !read_secrets(r, g) &&
	    !read_secret_tree(r, g) && !read_resumption(r, g) &&
	    !read_proposals(r, g) && !read_updates(r, g) &&
	    !read_sig_priv(r, g))
		read_reinit(r, g);
	return mls_reader_error(r);
}

/* Each saved key pair: priv must be pub's private key. */
static bool pair_matches(const struct mls_suite *s, const uint8_t *priv,
			 const uint8_t *pub)
{
	uint8_t derived[MLS_MAX_KEM_PUB_LEN];

	return !mls_kem_pub_from_priv(s, priv, s->kem_priv_len, derived) &&
	       !memcmp(derived, pub, s->kem_pub_len);
}

/*
 * A damaged private key next to an intact public key would pass every
 * other check and only fail to decrypt later: refuse it at load.
 */
static int check_key_pairs(const struct mls_group *g)
{
	size_t i;

	for (i = 0; i < g->priv.n_keys; i++)
		if (!pair_matches(g->suite, g->priv.keys[i].priv,
				  g->priv.keys[i].pub))
			return MLS_ERR_VALIDATION;
	for (i = 0; i < g->n_updates; i++)
		if (!pair_matches(g->suite, g->updates[i].priv,
				  g->updates[i].pub))
			return MLS_ERR_VALIDATION;
	return 0;
}

/* The fields must describe one consistent group. */
static int check_loaded(struct mls_group *g)
{
	uint8_t h[MLS_MAX_HASH_LEN];
	int err;

	if (g->context.cipher_suite != g->suite->id ||
	    g->context.version != MLS_PROTOCOL_MLS10 ||
	    g->context.tree_hash.len != g->suite->hash_len ||
	    mls_secret_tree_leaf_count(g->secret_tree) != g->tree.n_leaves ||
	    !mls_group_resumption_psk(g, g->context.epoch) ||
	    !mls_ct_equal(mls_group_resumption_psk(g, g->context.epoch),
			  g->secrets.resumption_psk, g->suite->hash_len))
		return MLS_ERR_VALIDATION;
	err = mls_tree_root_hash(&g->tree, h);
	if (err)
		return MLS_ERR_VALIDATION;
	if (memcmp(h, g->context.tree_hash.data, g->suite->hash_len))
		return MLS_ERR_VALIDATION;
	err = check_key_pairs(g);
	if (err)
		return err;
	return mls_tree_private_check(&g->priv, &g->tree);
}

static int open_blob(const uint8_t *blob, size_t len, struct mls_reader *body)
{
	uint8_t h[MLS_MAX_HASH_LEN];
	uint16_t version = 0;
	struct mls_reader r;
	int err;

	if (len < 4 + 2 + STATE_HASH_LEN)
		return MLS_ERR_TRUNCATED;
	if (memcmp(blob, STATE_MAGIC, 4))
		return MLS_ERR_DECODE;
	mls_reader_init(&r, blob + 4, len - 4 - STATE_HASH_LEN);
	mls_read_u16(&r, &version);
	if (version != STATE_VERSION)
		return MLS_ERR_UNKNOWN_VALUE;
	err = mls_hash(checksum_suite(), blob, len - STATE_HASH_LEN, h);
	if (err)
		return err;
	if (!mls_ct_equal(h, blob + len - STATE_HASH_LEN, STATE_HASH_LEN))
		return MLS_ERR_DECODE;
	mls_read_vector(&r, body);
	return mls_reader_finish(&r);
}

int mls_group_load(struct mls_group *g, const uint8_t *blob, size_t len,
		   const struct mls_group_load_options *o)
{
	struct mls_reader r;
	int err;

	if (!g)
		return MLS_ERR_INVALID_ARG;
	memset(g, 0, sizeof(*g));
	if (!blob)
		return MLS_ERR_INVALID_ARG;
	err = open_blob(blob, len, &r);
	if (err)
		return err;
	read_body(&r, g);
	err = mls_reader_finish(&r);
	if (!err)
		err = check_loaded(g);
	if (err) {
		mls_group_free(g);
		return err;
	}
	if (o && o->crypto)
		g->crypto = *o->crypto;
	else
		mls_crypto_init(&g->crypto);
	if (o) {
		g->psk_lookup = o->psk_lookup;
		g->psk_ctx = o->psk_ctx;
		g->clock = o->clock;
		g->clock_ctx = o->clock_ctx;
		g->validate_credential = o->validate_credential;
		g->validate_ctx = o->validate_ctx;
		mls_group_set_policy(g, o->policy);
	}
	return 0;
}
