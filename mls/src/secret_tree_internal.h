/* SPDX-License-Identifier: MIT */
/*
 * The secret tree's storage, shared by secret_tree.c (derivation) and
 * secret_tree_save.c (serialization).
 */
#ifndef MLS_SECRET_TREE_INTERNAL_H
#define MLS_SECRET_TREE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/secret_tree.h"

struct node_secret {
	uint32_t node;
	uint8_t secret[MLS_MAX_HASH_LEN];
};

struct ratchet {
	uint32_t next_gen;	/* generation `secret` belongs to */
	bool exhausted;		/* generation 2^32-1 used: no more keys */
	uint8_t secret[MLS_MAX_HASH_LEN];
	/* keys of skipped generations, ascending; capacity cfg.max_skipped */
	struct mls_ratchet_key *kept;
	size_t n_kept;
};

struct leaf_state {
	uint32_t leaf;
	struct ratchet ratchets[2];	/* by enum mls_ratchet_type */
};

struct mls_secret_tree {
	const struct mls_suite *suite;
	struct mls_secret_tree_config cfg;
	uint32_t n_leaves;
	struct node_secret *nodes;	/* sorted by node index */
	size_t n_nodes;
	struct leaf_state **leaves;	/* sorted by leaf index */
	size_t n_leaf_states;
};

/* Insert keeping the arrays sorted; MLS_ERR_NOMEM leaves them as they were. */
int mls_st_node_insert(struct mls_secret_tree *t, uint32_t node,
		       const uint8_t *secret);
int mls_st_leaf_insert(struct mls_secret_tree *t, struct leaf_state *ls);
/* Wipes and frees ls, whose kept arrays hold max_kept entries. */
void mls_st_leaf_state_free(struct leaf_state *ls, uint32_t max_kept);

#endif
