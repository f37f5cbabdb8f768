// SPDX-License-Identifier: MIT
/* Group state (RFC 9420 §12): lifetime, epochs, the clock. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mls/secret_tree.h"
#include "group_internal.h"

uint64_t mls_group_now(const struct mls_group *g)
{
	time_t t;

	if (g->clock)
		return g->clock(g->clock_ctx);
	t = time(NULL);
	return t < 0 ? 0 : (uint64_t)t;
}

void mls_group_set_policy(struct mls_group *g,
			  const struct mls_group_policy *policy)
{
	static const struct mls_group_policy defaults;

	if (g)
		g->policy = policy ? *policy : defaults;
}

int mls_lifetime_check(const struct mls_lifetime *lt, uint64_t now,
		       uint64_t skew)
{
	if (now < lt->not_before && lt->not_before - now > skew)
		return MLS_ERR_VALIDATION;
	if (now > lt->not_after && now - lt->not_after > skew)
		return MLS_ERR_VALIDATION;
	return 0;
}

int mls_group_check_lifetime(const struct mls_group *g,
			     const struct mls_leaf_node *leaf, bool received)
{
	if (leaf->source != MLS_LEAF_SOURCE_KEY_PACKAGE)
		return 0;
	return mls_lifetime_check(&leaf->lifetime, mls_group_now(g),
				  received ? g->policy.lifetime_skew : 0);
}

int mls_group_context_copy(struct mls_group_context *dst,
			   const struct mls_group_context *src)
{
	struct mls_bytes enc = { NULL, 0 };
	int err;

	memset(dst, 0, sizeof(*dst));
	err = mls_group_context_to_bytes(src, &enc);
	if (!err)
		err = mls_group_context_from_bytes(enc.data, enc.len, dst);
	mls_bytes_free(&enc);
	return err;
}

static void remember_resumption_psk(struct mls_group *g)
{
	struct mls_resumption_psk *slot;

	slot = &g->resumption[g->context.epoch % MLS_GROUP_RESUMPTION_HISTORY];
	slot->epoch = g->context.epoch;
	memcpy(slot->secret, g->secrets.resumption_psk, g->suite->hash_len);
	if (g->n_resumption < MLS_GROUP_RESUMPTION_HISTORY)
		g->n_resumption++;
}

const uint8_t *mls_group_resumption_psk(const struct mls_group *g,
					uint64_t epoch)
{
	const struct mls_resumption_psk *slot;

	if (epoch > g->context.epoch ||
	    g->context.epoch - epoch >= g->n_resumption)
		return NULL;
	slot = &g->resumption[epoch % MLS_GROUP_RESUMPTION_HISTORY];
	return slot->epoch == epoch ? slot->secret : NULL;
}

int mls_group_new_secret_tree(const struct mls_group *g,
			      const struct mls_epoch_secrets *secrets,
			      uint32_t n_leaves, struct mls_secret_tree **out)
{
	return mls_secret_tree_new(g->suite, secrets->encryption_secret,
				   g->suite->hash_len, n_leaves, NULL, out);
}

void mls_group_enter_epoch(struct mls_group *g, struct mls_secret_tree *st)
{
	mls_secret_tree_free(g->secret_tree);
	g->secret_tree = st;
	/* the secret tree holds what is left of it (§9.2) */
	mls_epoch_secrets_drop_encryption_secret(&g->secrets);
	remember_resumption_psk(g);
}

void mls_group_clear_proposals(struct mls_group *g)
{
	size_t i;

	for (i = 0; i < g->n_proposals; i++)
		mls_proposal_free(&g->proposals[i].proposal);
	free(g->proposals);
	g->proposals = NULL;
	g->n_proposals = 0;
}

void mls_group_clear_updates(struct mls_group *g)
{
	if (g->updates)
		mls_wipe(g->updates, g->n_updates * sizeof(*g->updates));
	free(g->updates);
	g->updates = NULL;
	g->n_updates = 0;
}

const struct mls_pending_update *
mls_group_find_update(const struct mls_group *g, const struct mls_bytes *pub)
{
	size_t i;

	if (pub->len != g->suite->kem_pub_len)
		return NULL;
	for (i = 0; i < g->n_updates; i++)
		if (!memcmp(g->updates[i].pub, pub->data, pub->len))
			return &g->updates[i];
	return NULL;
}

void mls_pending_commit_free(struct mls_pending_commit *pc)
{
	if (!pc)
		return;
	mls_group_context_free(&pc->context);
	mls_tree_free(&pc->tree);
	mls_tree_private_wipe(&pc->priv);
	mls_epoch_secrets_free(&pc->secrets);
	mls_secret_tree_free(pc->secret_tree);
	mls_bytes_free(&pc->message);
	mls_commit_summary_free(&pc->summary);
	mls_bytes_free(&pc->signature);
	mls_group_reinit_free(pc->reinit);
	mls_wipe(pc, sizeof(*pc));
	free(pc);
}

size_t mls_group_interim_len(const struct mls_group *g)
{
	return g->context.epoch == 0 ? 0 : g->suite->hash_len;
}

#define SWAP(a, b) do {				\
		__typeof__(a) swap_tmp_ = (a);	\
		(a) = (b);			\
		(b) = swap_tmp_;		\
	} while (0)

void mls_group_install(struct mls_group *g, struct mls_group_context *ctx,
		       struct mls_tree *tree, struct mls_tree_private *priv,
		       struct mls_epoch_secrets *secrets,
		       const uint8_t *interim, struct mls_secret_tree *st)
{
	SWAP(g->context, *ctx);
	SWAP(g->tree, *tree);
	SWAP(g->priv, *priv);
	SWAP(g->secrets, *secrets);
	memcpy(g->interim_transcript_hash, interim,
	       sizeof(g->interim_transcript_hash));
	mls_group_clear_proposals(g);
	mls_group_clear_updates(g);
	mls_pending_commit_free(g->pending);
	g->pending = NULL;
	mls_group_reinit_free(g->reinit);
	g->reinit = NULL;
	/* the epoch left, as *ctx, *tree and *secrets now hold it */
	mls_group_retain_epoch(g, ctx, tree, secrets);
	mls_group_enter_epoch(g, st);
}

void mls_group_free(struct mls_group *g)
{
	if (!g)
		return;
	mls_group_clear_updates(g);
	mls_pending_commit_free(g->pending);
	mls_group_clear_proposals(g);
	mls_group_context_free(&g->context);
	mls_tree_free(&g->tree);
	mls_tree_private_wipe(&g->priv);
	mls_epoch_secrets_free(&g->secrets);
	mls_secret_tree_free(g->secret_tree);
	mls_group_reinit_free(g->reinit);
	mls_group_wipe_past(g, 0);
	mls_wipe(g, sizeof(*g));
}

const uint8_t *mls_group_epoch_authenticator(const struct mls_group *g,
					     size_t *len)
{
	if (!g || !g->suite)
		return NULL;
	if (len)
		*len = g->suite->hash_len;
	return g->secrets.epoch_authenticator;
}

/* §5.3.3: application_id is an opaque<V>, a member's unauthenticated claim. */
int mls_group_member_application_id(const struct mls_group *g, uint32_t leaf,
				    const uint8_t **id, size_t *len)
{
	const struct mls_leaf_node *node;
	const struct mls_extension *ext;
	struct mls_reader r, sub;
	size_t n = 0;
	int err;

	if (!g || !g->suite || !id || !len)
		return MLS_ERR_INVALID_ARG;
	node = mls_tree_leaf(&g->tree, leaf);
	ext = node ? mls_extension_list_find(&node->extensions,
					     MLS_EXT_APPLICATION_ID) : NULL;
	if (!ext)
		return MLS_ERR_NOT_FOUND;
	mls_reader_init(&r, ext->data.data, ext->data.len);
	err = mls_read_vector(&r, &sub);
	if (!err) {
		n = mls_reader_remaining(&sub);
		err = mls_read_view(&sub, n, id);
	}
	if (!err)
		err = mls_reader_close(&r, &sub);
	if (!err)
		err = mls_reader_finish(&r);
	if (err)
		return MLS_ERR_DECODE;
	*len = n;
	return 0;
}
