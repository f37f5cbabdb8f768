// SPDX-License-Identifier: MIT
/*
 * The application's say on who may be a member (RFC 9420 §5.3.1): every
 * leaf that enters the group or changes goes through its validator.
 */
#include "group_internal.h"

int mls_group_validate_leaf(const struct mls_group *g,
			    const struct mls_leaf_node *leaf,
			    const struct mls_leaf_node *old_leaf)
{
	if (!g->validate_credential)
		return 0;
	return g->validate_credential(g->validate_ctx, g->suite, leaf,
				      old_leaf);
}

int mls_group_validate_tree_leaves(const struct mls_group *g,
				   const struct mls_tree *t)
{
	uint32_t i;
	int err;

	for (i = 0; i < t->n_leaves; i++) {
		const struct mls_leaf_node *leaf = mls_tree_leaf(t, i);

		if (!leaf)
			continue;
		err = mls_group_validate_leaf(g, leaf, NULL);
		if (err)
			return err;
	}
	return 0;
}
