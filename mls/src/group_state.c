// SPDX-License-Identifier: MIT
/*
 * Group state as a byte blob and back:
 *
 *   "MLSG" | uint16 version | opaque body<V> | SHA-256(all before)[32]
 *
 * The body is a sequence of length-prefixed fields (below, and
 * group_state_fields.c); version 3 ends it with the pending Commit
 * (group_state_pending.c), which version 2 lacks. The trailing
 * hash is no authentication (whoever can write the blob can recompute
 * it) but it turns storage corruption into a clean error instead of a
 * group that silently holds a wrong secret.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "group_state_fields.h"

#define STATE_MAGIC	"MLSG"
/*
 * Version 2: the secret tree's own state replaces version 1's copy of
 * encryption_secret and sent-key counters (which let a loaded group
 * re-derive keys already deleted, §9.2), and a pending ReInit is kept.
 * Version 3: the pending Commit is kept too. Version 2 blobs still load
 * (as groups with no Commit pending); save writes version 3.
 */
#define STATE_VERSION		3
#define STATE_VERSION_OLDEST	2
#define STATE_HASH_LEN	32

static const struct mls_suite *checksum_suite(void)
{
	return mls_suite_get(MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
}

/* ---- writing ---- */

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
	mls_state_write_priv(w, g->suite, &g->priv);
	mls_state_write_secrets(w, g->suite, &g->secrets,
				g->interim_transcript_hash);
	mls_secret_tree_save(g->secret_tree, w);
	write_resumption(w, g);
	write_proposals(w, g);
	write_updates(w, g);
	mls_write_opaque(w, g->sig_priv, g->sig_priv_len);
	mls_state_write_reinit(w, g->reinit);
	mls_state_write_pending(w, g);
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

static int read_body(struct mls_reader *r, uint16_t version,
		     struct mls_group *g)
{
	const struct mls_suite *s;
	uint16_t suite = 0;

	mls_read_u16(r, &suite);
	if (mls_reader_error(r))
		return mls_reader_error(r);
	g->suite = s = mls_suite_get(suite);
	if (!s)
		return mls_reader_fail(r, MLS_ERR_VALIDATION);
	mls_tree_init(&g->tree, s);
	if (mls_group_context_decode(r, &g->context) ||
	    mls_state_read_tree(r, s, &g->tree) ||
	    mls_state_read_priv(r, s, &g->priv) ||
	    mls_state_read_secrets(r, s, &g->secrets,
				   g->interim_transcript_hash) ||
	    mls_state_read_secret_tree(r, s, &g->secret_tree) ||
	    read_resumption(r, g) || read_proposals(r, g) ||
	    read_updates(r, g) || read_sig_priv(r, g) ||
	    mls_state_read_reinit(r, &g->reinit))
		return mls_reader_error(r);
	if (version >= 3)
		mls_state_read_pending(r, g);
	return mls_reader_error(r);
}

/*
 * A damaged private key next to an intact public key would pass every
 * other check and only fail to decrypt later: refuse it at load.
 */
static int check_key_pairs(const struct mls_group *g)
{
	size_t i;

	if (!mls_state_keys_match(g->suite, &g->priv))
		return MLS_ERR_VALIDATION;
	for (i = 0; i < g->n_updates; i++)
		if (!mls_state_pair_matches(g->suite, g->updates[i].priv,
					    g->updates[i].pub))
			return MLS_ERR_VALIDATION;
	return 0;
}

/* The fields must describe one consistent group. */
static int check_loaded(struct mls_group *g)
{
	int err;

	if (!mls_group_resumption_psk(g, g->context.epoch) ||
	    !mls_ct_equal(mls_group_resumption_psk(g, g->context.epoch),
			  g->secrets.resumption_psk, g->suite->hash_len))
		return MLS_ERR_VALIDATION;
	err = mls_state_check_epoch(g->suite, &g->context, &g->tree,
				    g->secret_tree);
	if (!err)
		err = check_key_pairs(g);
	if (!err)
		err = mls_tree_private_check(&g->priv, &g->tree);
	return err ? err : mls_state_check_pending(g);
}

static int open_blob(const uint8_t *blob, size_t len, uint16_t *version,
		     struct mls_reader *body)
{
	uint8_t h[MLS_MAX_HASH_LEN];
	struct mls_reader r;
	int err;

	if (len < 4 + 2 + STATE_HASH_LEN)
		return MLS_ERR_TRUNCATED;
	if (memcmp(blob, STATE_MAGIC, 4))
		return MLS_ERR_DECODE;
	mls_reader_init(&r, blob + 4, len - 4 - STATE_HASH_LEN);
	mls_read_u16(&r, version);
	if (*version < STATE_VERSION_OLDEST || *version > STATE_VERSION)
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
	uint16_t version = 0;
	struct mls_reader r;
	int err;

	if (!g)
		return MLS_ERR_INVALID_ARG;
	memset(g, 0, sizeof(*g));
	if (!blob)
		return MLS_ERR_INVALID_ARG;
	err = open_blob(blob, len, &version, &r);
	if (err)
		return err;
	read_body(&r, version, g);
	err = mls_reader_finish(&r);
	if (!err)
		err = check_loaded(g);
	if (err) {
		mls_group_free(g);
		return err;
	}
	g->past_epochs = MLS_GROUP_PAST_EPOCHS_DEFAULT;
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
		g->credential_policy = o->credential_policy;
		g->credential_policy_ctx = o->credential_policy_ctx;
		mls_group_set_policy(g, o->policy);
	}
	return 0;
}
