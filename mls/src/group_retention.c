// SPDX-License-Identifier: MIT
/*
 * Past epochs kept for late application messages. Members send up to
 * the moment a Commit reaches them, so messages of the epoch before
 * arrive after it; RFC 9420 §15.2 leaves to the application how long
 * to keep an epoch's keys. A kept epoch holds what decrypting and
 * verifying takes (sender_data_secret, secret tree, GroupContext, tree)
 * and nothing that could change the group or derive the next epoch.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "group_internal.h"

struct mls_past_epoch {
	struct mls_group_context context;
	struct mls_tree tree;
	uint8_t sender_data_secret[MLS_MAX_HASH_LEN];
	struct mls_secret_tree *secret_tree;
};

static void past_free(struct mls_past_epoch *p)
{
	if (!p)
		return;
	mls_group_context_free(&p->context);
	mls_tree_free(&p->tree);
	mls_secret_tree_free(p->secret_tree);
	mls_wipe(p, sizeof(*p));
	free(p);
}

void mls_group_wipe_past(struct mls_group *g, uint32_t keep)
{
	while (g->n_past > keep) {
		g->n_past--;
		past_free(g->past[g->n_past]);
		g->past[g->n_past] = NULL;
	}
}

void mls_group_retain_epoch(struct mls_group *g, struct mls_group_context *ctx,
			    struct mls_tree *tree,
			    const struct mls_epoch_secrets *secrets)
{
	struct mls_past_epoch *p;

	/* nothing to keep before we were a member (external join) */
	if (!g->past_epochs || !g->secret_tree)
		return;
	p = calloc(1, sizeof(*p));
	if (!p)
		return;
	p->context = *ctx;
	memset(ctx, 0, sizeof(*ctx));
	p->tree = *tree;
	mls_tree_init(tree, g->suite);
	memcpy(p->sender_data_secret, secrets->sender_data_secret,
	       g->suite->hash_len);
	p->secret_tree = g->secret_tree;
	g->secret_tree = NULL;
	mls_group_wipe_past(g, g->past_epochs - 1);
	memmove(&g->past[1], &g->past[0], g->n_past * sizeof(g->past[0]));
	g->past[0] = p;
	g->n_past++;
}

int mls_group_past_view(struct mls_group *g, uint64_t epoch,
			struct mls_epoch_view *v)
{
	uint32_t i;

	for (i = 0; i < g->n_past; i++) {
		struct mls_past_epoch *p = g->past[i];

		if (p->context.epoch != epoch)
			continue;
		memset(v, 0, sizeof(*v));
		v->context = &p->context;
		v->tree = &p->tree;
		v->sender_data_secret = p->sender_data_secret;
		v->secret_tree = p->secret_tree;
		return 0;
	}
	return MLS_ERR_NOT_FOUND;
}

int mls_group_set_past_epochs(struct mls_group *g, uint32_t count)
{
	if (!g || !g->suite || count > MLS_GROUP_MAX_PAST_EPOCHS)
		return MLS_ERR_INVALID_ARG;
	g->past_epochs = count;
	mls_group_wipe_past(g, count);
	return 0;
}
