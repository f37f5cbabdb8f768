// SPDX-License-Identifier: MIT
/* Basic credentials against a pinned identity list (RFC 9420 §5.3.1). */
#include "mls/credential.h"
#include "mls/error.h"

static bool identity_pinned(const struct mls_identity_pins *pins,
			    const struct mls_bytes *id)
{
	size_t i;

	for (i = 0; i < pins->count; i++)
		if (mls_bytes_equal(&pins->identities[i], id))
			return true;
	return false;
}

int mls_credential_validate_pinned(void *ctx, const struct mls_suite *s,
				   const struct mls_leaf_node *leaf,
				   const struct mls_leaf_node *old_leaf)
{
	const struct mls_identity_pins *pins = ctx;
	const struct mls_credential *c = &leaf->credential;

	(void)s;
	if (!pins || c->type != MLS_CREDENTIAL_BASIC ||
	    !identity_pinned(pins, &c->identity))
		return MLS_ERR_VALIDATION;
	if (old_leaf && (old_leaf->credential.type != MLS_CREDENTIAL_BASIC ||
			 !mls_bytes_equal(&old_leaf->credential.identity,
					  &c->identity)))
		return MLS_ERR_VALIDATION;
	return 0;
}
