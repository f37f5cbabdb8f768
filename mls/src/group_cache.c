// SPDX-License-Identifier: MIT
/*
 * The proposal cache as the application sees it (RFC 9420 §12.1): list
 * what this epoch's proposals are, and drop those its policy will not
 * commit, so that a Commit of ours never takes them.
 */
#include <string.h>

#include "group_internal.h"

const struct mls_cached_proposal *
mls_group_cached_proposals(const struct mls_group *g, size_t *count)
{
	if (count)
		*count = g && g->suite ? g->n_proposals : 0;
	if (!g || !g->suite || !g->n_proposals)
		return NULL;
	return g->proposals;
}

/* Our Update's kept key pair goes with the proposal (§12.1.2). */
static void drop_own_update_key(struct mls_group *g,
				const struct mls_cached_proposal *cp)
{
	const struct mls_pending_update *up;
	const struct mls_bytes *key;
	size_t i;

	if (cp->proposal.type != MLS_PROPOSAL_UPDATE ||
	    cp->sender.type != MLS_SENDER_MEMBER ||
	    cp->sender.index != g->priv.leaf_index)
		return;
	key = &cp->proposal.update.leaf_node.encryption_key;
	up = mls_group_find_update(g, key);
	if (!up)
		return;
	i = (size_t)(up - g->updates);
	mls_wipe(&g->updates[i], sizeof(g->updates[i]));
	memmove(&g->updates[i], &g->updates[i + 1],
		(g->n_updates - i - 1) * sizeof(g->updates[i]));
	g->n_updates--;
	/* the last slot's key was moved down: no copy stays behind */
	mls_wipe(&g->updates[g->n_updates], sizeof(g->updates[0]));
}

int mls_group_drop_proposal(struct mls_group *g, const uint8_t *ref,
			    size_t ref_len)
{
	size_t i;

	if (!g || !g->suite || !ref || ref_len != g->suite->hash_len)
		return MLS_ERR_INVALID_ARG;
	for (i = 0; i < g->n_proposals; i++)
		if (!memcmp(g->proposals[i].ref, ref, ref_len))
			break;
	if (i == g->n_proposals)
		return MLS_ERR_NOT_FOUND;
	drop_own_update_key(g, &g->proposals[i]);
	mls_proposal_free(&g->proposals[i].proposal);
	memmove(&g->proposals[i], &g->proposals[i + 1],
		(g->n_proposals - i - 1) * sizeof(g->proposals[i]));
	g->n_proposals--;
	memset(&g->proposals[g->n_proposals], 0, sizeof(g->proposals[0]));
	if (!g->n_proposals)
		mls_group_clear_proposals(g);
	return 0;
}
