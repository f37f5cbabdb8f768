// SPDX-License-Identifier: MIT
/* Who is in the group, leaf by leaf (RFC 9420 §7.1, §5.3). */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

uint32_t mls_group_leaf_count(const struct mls_group *g)
{
	return g ? g->tree.n_leaves : 0;
}

int mls_group_member(const struct mls_group *g, uint32_t leaf,
		     struct mls_member *out)
{
	const struct mls_leaf_node *node;

	if (!g || !g->suite || !out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	node = mls_tree_leaf(&g->tree, leaf);
	if (!node)
		return MLS_ERR_NOT_FOUND;
	out->leaf = leaf;
	out->credential = &node->credential;
	if (node->credential.type == MLS_CREDENTIAL_BASIC) {
		out->identity = node->credential.identity.data;
		out->identity_len = node->credential.identity.len;
	}
	out->signature_key = node->signature_key.data;
	out->signature_key_len = node->signature_key.len;
	out->encryption_key = node->encryption_key.data;
	out->encryption_key_len = node->encryption_key.len;
	return 0;
}

int mls_group_roster(const struct mls_group *g, struct mls_member **members,
		     size_t *count)
{
	struct mls_member *list;
	uint32_t i;
	size_t n = 0;

	if (!g || !g->suite || !members || !count)
		return MLS_ERR_INVALID_ARG;
	*members = NULL;
	*count = 0;
	list = calloc(mls_tree_member_count(&g->tree) + 1, sizeof(*list));
	if (!list)
		return MLS_ERR_NOMEM;
	for (i = 0; i < g->tree.n_leaves; i++)
		if (!mls_group_member(g, i, &list[n]))
			n++;
	*members = list;
	*count = n;
	return 0;
}
