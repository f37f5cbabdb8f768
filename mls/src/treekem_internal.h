/* SPDX-License-Identifier: MIT */
/*
 * Private glue between the TreeKEM files: the §7.4 derivations, the
 * provisional GroupContext, and node keys in the private state.
 */
#ifndef MLS_TREEKEM_INTERNAL_H
#define MLS_TREEKEM_INTERNAL_H

#include "mls/treekem.h"

/* node_secret = DeriveSecret(ps, "node"); DeriveKeyPair(node_secret). */
int tk_node_keypair(const struct mls_suite *s, const uint8_t *path_secret,
		    uint8_t *priv, uint8_t *pub);
/* path_secret[n+1] = DeriveSecret(path_secret[n], "path"); in may be out. */
int tk_next_path_secret(const struct mls_suite *s, const uint8_t *in,
			uint8_t *out);
/* The HPKE public key at node x, or NULL if x is blank or out of range. */
const struct mls_bytes *tk_node_pub(const struct mls_tree *t, uint32_t x);
/* The provisional GroupContext of §12.4.1 with t's root hash, encoded. */
int tk_encode_context(struct mls_tree *t, const struct mls_group_context *gc,
		      struct mls_bytes *out);
/* Store (or replace) the key pair for node x. */
int tk_private_put(struct mls_tree_private *p, uint32_t x,
		   const uint8_t *priv, const uint8_t *pub);
/* Wipe every key held for the leaf's node or its direct path. */
void tk_private_drop_path(struct mls_tree_private *p, uint32_t n_leaves,
			  uint32_t leaf_index);

#endif
