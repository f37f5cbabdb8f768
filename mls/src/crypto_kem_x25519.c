// SPDX-License-Identifier: MIT
/* X25519 for DHKEM(X25519, HKDF-SHA256) over libsodium. */
#include <sodium.h>

#include "crypto_internal.h"

static int x25519_check_priv(const struct mls_dh_ops *ops,
			     const uint8_t *priv)
{
	/* Every 32-byte string is a usable scalar: the DH clamps it. */
	return 0;
}

static int x25519_check_pub(const struct mls_dh_ops *ops, const uint8_t *pub)
{
	/* Low-order inputs are caught by the zero-output check in the DH. */
	return 0;
}

static int x25519_pub_from_priv(const struct mls_dh_ops *ops,
				const uint8_t *priv, uint8_t *pub)
{
	if (sodium_init() < 0)
		return MLS_ERR_CRYPTO;
	return crypto_scalarmult_base(pub, priv) ? MLS_ERR_BAD_KEY : 0;
}

static int x25519_dh(const struct mls_dh_ops *ops, const uint8_t *priv,
		     const uint8_t *pub, uint8_t *out)
{
	if (sodium_init() < 0)
		return MLS_ERR_CRYPTO;
	/*
	 * libsodium fails on an all-zero result, which RFC 9180 §7.1.4
	 * requires us to reject (a low-order peer key).
	 */
	if (crypto_scalarmult(out, priv, pub)) {
		sodium_memzero(out, crypto_scalarmult_BYTES);
		return MLS_ERR_BAD_KEY;
	}
	return 0;
}

const struct mls_dh_ops mls_dh_x25519 = {
	.pub_len = crypto_scalarmult_BYTES,
	.priv_len = crypto_scalarmult_SCALARBYTES,
	.dh_len = crypto_scalarmult_BYTES,
	.check_priv = x25519_check_priv,
	.check_pub = x25519_check_pub,
	.pub_from_priv = x25519_pub_from_priv,
	.dh = x25519_dh,
};
