/* SPDX-License-Identifier: MIT */
/*
 * Credential validators for mls_credential_validate_fn (RFC 9420 §5.3.1):
 * which identities may be members is the application's decision; these
 * are ready-made policies to plug into the group options.
 */
#ifndef MLS_CREDENTIAL_H
#define MLS_CREDENTIAL_H

#include <stddef.h>

#include "mls/crypto.h"
#include "mls/msg_tree.h"

/* Basic credentials whose identity is one of a pinned list. */
struct mls_identity_pins {
	const struct mls_bytes *identities;
	size_t count;
};

/*
 * ctx is a const struct mls_identity_pins *. Accepts a basic credential
 * whose identity is pinned and, when the leaf replaces another (Update,
 * commit path, external resync), equals the old leaf's identity (§5.3.2:
 * a member must not become someone else). MLS_ERR_VALIDATION otherwise.
 */
int mls_credential_validate_pinned(void *ctx, const struct mls_suite *s,
				   const struct mls_leaf_node *leaf,
				   const struct mls_leaf_node *old_leaf);

#endif
