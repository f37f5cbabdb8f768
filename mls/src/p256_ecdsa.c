// SPDX-License-Identifier: MIT
/*
 * ECDSA P-256 verification (FIPS 186-4 §6.4.2, SEC1 4.1.4). Everything
 * here is public (key, message hash, signature), so the point arithmetic
 * is the variable-time kind.
 */
#include <string.h>

#include "mls/error.h"

#include "p256.h"

/* bits2int (RFC 6979 §2.3.2): n has 256 bits, so the leftmost 32 bytes. */
static void hash_to_scalar(uint64_t e[4], const uint8_t *hash,
			   size_t hash_len)
{
	uint8_t buf[32] = { 0 };

	if (hash_len >= sizeof(buf))
		memcpy(buf, hash, sizeof(buf));
	else
		memcpy(buf + sizeof(buf) - hash_len, hash, hash_len);
	/* the range verdict does not matter: e is reduced by the product */
	mls_p256_scalar_from_bytes(e, buf);
}

int mls_p256_ecdsa_verify(const uint8_t pub[MLS_P256_POINT_LEN],
			  const uint8_t *hash, size_t hash_len,
			  const uint8_t r[MLS_P256_SCALAR_LEN],
			  const uint8_t s[MLS_P256_SCALAR_LEN])
{
	uint64_t rl[4], sl[4], e[4], w[4], u1[4], u2[4], x[4];
	struct mls_p256_jac q, rp;
	struct mls_p256_aff a;
	uint8_t xb[32];

	if (mls_p256_point_decode(&q, pub))
		return MLS_ERR_BAD_KEY;
	/* 1 <= r, s <= n-1 (FIPS 186-4 §6.4.2 step 1) */
	if (!mls_p256_scalar_from_bytes(rl, r) ||
	    !mls_p256_scalar_from_bytes(sl, s))
		return MLS_ERR_BAD_SIGNATURE;
	hash_to_scalar(e, hash, hash_len);
	mls_p256_scalar_inv(w, sl);
	mls_p256_scalar_mul(u1, e, w);
	mls_p256_scalar_mul(u2, rl, w);
	mls_p256_point_mul2_vartime(&rp, u1, u2, &q);
	if (mls_p256_point_to_affine(&a, &rp))
		return MLS_ERR_BAD_SIGNATURE;
	/* x(R) < p < 2n: one conditional subtraction reduces it mod n */
	mls_p256_fe_to_bytes(xb, a.x);
	mls_p256_scalar_from_bytes(x, xb);
	mls_p256_scalar_reduce(x, x);
	return memcmp(x, rl, sizeof(x)) ? MLS_ERR_BAD_SIGNATURE : 0;
}
