// SPDX-License-Identifier: MIT
/*
 * Basic credentials against pinned (identity, signature key) pairs
 * (RFC 9420 §5.3.1).
 */
#include "mls/credential.h"
#include "mls/error.h"

static bool pair_pinned(const struct mls_identity_pins *pins,
			    const struct mls_leaf_node *leaf)
{
	const struct mls_identity_pin *pin;
	size_t i;

	for (i = 0; i < pins->count; i++) {
		pin = &pins->pins[i];
		if (mls_bytes_equal(&pin->identity, &leaf->credential.identity) &&
		    mls_bytes_equal(&pin->signature_key, &leaf->signature_key))
			return true;
	}
	return false;
}

int mls_credential_validate_pinned(void *ctx, const struct mls_suite *s,
				   const struct mls_leaf_node *leaf,
				   const struct mls_leaf_node *old_leaf)
{
	const struct mls_identity_pins *pins = ctx;
	const struct mls_credential *c = &leaf->credential;

	(void)s;
	if (!pins || (!pins->pins && pins->count) ||
	    c->type != MLS_CREDENTIAL_BASIC || !pair_pinned(pins, leaf))
		return MLS_ERR_VALIDATION;
	if (old_leaf && (old_leaf->credential.type != MLS_CREDENTIAL_BASIC ||
			 !mls_bytes_equal(&old_leaf->credential.identity,
					  &c->identity)))
		return MLS_ERR_VALIDATION;
	return 0;
}
