// SPDX-License-Identifier: MIT
/*
 * P-256 private/public keys and ECDH for DHKEM(P-256) and ECDSA key
 * generation: private keys are 32-byte big-endian scalars in [1, n-1],
 * public keys uncompressed SEC1 points (RFC 9180 §7.1.1).
 */
#include <string.h>

#include "mls/error.h"

#include "crypto_internal.h"
#include "p256.h"

static void wipe_scalar(uint64_t k[4])
{
	mls_crypto_wipe(k, 4 * sizeof(k[0]));
}

int mls_p256_check_scalar(const uint8_t priv[MLS_P256_SCALAR_LEN])
{
	uint64_t k[4], valid;

	valid = mls_p256_scalar_from_bytes(k, priv);
	wipe_scalar(k);
	/* whether a key is usable is not secret; its value is */
	return valid ? 0 : MLS_ERR_BAD_KEY;
}

int mls_p256_check_point(const uint8_t pub[MLS_P256_POINT_LEN])
{
	struct mls_p256_jac q;

	return mls_p256_point_decode(&q, pub) ? MLS_ERR_BAD_KEY : 0;
}

int mls_p256_pub_from_scalar(const uint8_t priv[MLS_P256_SCALAR_LEN],
			     uint8_t pub[MLS_P256_POINT_LEN])
{
	struct mls_p256_jac q;
	struct mls_p256_aff a;
	uint64_t k[4];
	int ret = 0;

	if (!mls_p256_scalar_from_bytes(k, priv))
		ret = MLS_ERR_BAD_KEY;
	if (!ret) {
		mls_p256_point_mul_base(&q, k);
		/* k in [1, n-1] never lands on infinity */
		if (mls_p256_point_to_affine(&a, &q))
			ret = MLS_ERR_CRYPTO;
		else
			mls_p256_point_encode(pub, &a);
	}
	wipe_scalar(k);
	mls_crypto_wipe(&q, sizeof(q));
	return ret;
}

int mls_p256_dh(const uint8_t priv[MLS_P256_SCALAR_LEN],
		const uint8_t pub[MLS_P256_POINT_LEN], uint8_t out[32])
{
	struct mls_p256_jac peer, z;
	struct mls_p256_aff a;
	uint64_t k[4];
	int ret = 0;

	if (!mls_p256_scalar_from_bytes(k, priv))
		ret = MLS_ERR_BAD_KEY;
	if (!ret && mls_p256_point_decode(&peer, pub))
		ret = MLS_ERR_BAD_KEY;
	if (!ret) {
		mls_p256_point_mul(&z, k, &peer);
		/* prime order: only an invalid peer point could give this */
		if (mls_p256_point_to_affine(&a, &z))
			ret = MLS_ERR_BAD_KEY;
		else
			mls_p256_fe_to_bytes(out, a.x);
	}
	wipe_scalar(k);
	mls_crypto_wipe(&z, sizeof(z));
	mls_crypto_wipe(&a, sizeof(a));
	if (ret)
		mls_crypto_wipe(out, 32);
	return ret;
}
