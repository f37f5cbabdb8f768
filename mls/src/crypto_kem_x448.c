// SPDX-License-Identifier: MIT
/* X448 for DHKEM(X448, HKDF-SHA512) over libdecaf. */
#include <decaf/point_448.h>

#include "crypto_internal.h"

static int x448_check_priv(const struct mls_dh_ops *ops, const uint8_t *priv)
{
	/* Every 56-byte string is a usable scalar: the DH clamps it. */
	return 0;
}

static int x448_check_pub(const struct mls_dh_ops *ops, const uint8_t *pub)
{
	/* Low-order inputs are caught by the zero-output check in the DH. */
	return 0;
}

static int x448_pub_from_priv(const struct mls_dh_ops *ops,
			      const uint8_t *priv, uint8_t *pub)
{
	decaf_x448_derive_public_key(pub, priv);
	return 0;
}

static int x448_dh(const struct mls_dh_ops *ops, const uint8_t *priv,
		   const uint8_t *pub, uint8_t *out)
{
	static const uint8_t zero[DECAF_X448_PUBLIC_BYTES];
	decaf_error_t ok;

	ok = decaf_x448(out, pub, priv);
	/* RFC 9180 §7.1.4: an all-zero shared value means a low-order key */
	if (ok != DECAF_SUCCESS ||
	    mls_ct_equal(out, zero, DECAF_X448_PUBLIC_BYTES)) {
		mls_crypto_wipe(out, DECAF_X448_PUBLIC_BYTES);
		return MLS_ERR_BAD_KEY;
	}
	return 0;
}

const struct mls_dh_ops mls_dh_x448 = {
	.pub_len = DECAF_X448_PUBLIC_BYTES,
	.priv_len = DECAF_X448_PRIVATE_BYTES,
	.dh_len = DECAF_X448_PUBLIC_BYTES,
	.check_priv = x448_check_priv,
	.check_pub = x448_check_pub,
	.pub_from_priv = x448_pub_from_priv,
	.dh = x448_dh,
};
