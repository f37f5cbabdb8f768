// SPDX-License-Identifier: MIT
/*
 * Ed25519 (libsodium) and Ed448 (libdecaf), pure EdDSA without context
 * (RFC 8032). Private keys are the RFC 8032 seeds, as RFC 9420 serialises
 * them.
 */
#include <decaf/ed448.h>
#include <sodium.h>

#include "crypto_internal.h"

static const uint8_t no_message[1];

static int ed25519_generate(const struct mls_sig_ops *ops,
			    const struct mls_crypto *c, uint8_t *priv)
{
	return mls_crypto_random(c, priv, crypto_sign_SEEDBYTES);
}

static int ed25519_pub_from_priv(const struct mls_sig_ops *ops,
				 const uint8_t *priv, uint8_t *pub)
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int ret;

	if (sodium_init() < 0)
		return MLS_ERR_CRYPTO;
	ret = crypto_sign_seed_keypair(pub, sk, priv) ? MLS_ERR_CRYPTO : 0;
	sodium_memzero(sk, sizeof(sk));
	return ret;
}

static int ed25519_check_pub(const struct mls_sig_ops *ops,
			     const uint8_t *pub)
{
	if (sodium_init() < 0)
		return MLS_ERR_CRYPTO;
	/* canonical, on the curve, not of small order */
	return crypto_core_ed25519_is_valid_point(pub) ? 0 : MLS_ERR_BAD_KEY;
}

static int ed25519_sign(const struct mls_sig_ops *ops,
			const struct mls_crypto *c, const uint8_t *priv,
			const uint8_t *msg, size_t msg_len, uint8_t *sig,
			size_t *sig_len)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int ret = MLS_ERR_CRYPTO;

	if (sodium_init() < 0)
		return MLS_ERR_CRYPTO;
	if (!crypto_sign_seed_keypair(pk, sk, priv) &&
	    !crypto_sign_detached(sig, NULL, msg ? msg : no_message, msg_len,
				  sk)) {
		*sig_len = crypto_sign_BYTES;
		ret = 0;
	}
	sodium_memzero(sk, sizeof(sk));
	return ret;
}

/*
 * libsodium's verify (1.0.18, without ED25519_COMPAT) already rejects
 * keys that are non-canonical, off the curve or of small order, so the
 * full check_pub, whose prime-order subgroup test costs about as much as
 * the verify, is left for keys entering through mls_sig_validate_pub and
 * for telling errors apart. A key with a torsion component only verifies
 * signatures its own holder crafted: it forges nothing for anyone else.
 */
static int ed25519_verify(const struct mls_sig_ops *ops, const uint8_t *pub,
			  const uint8_t *msg, size_t msg_len,
			  const uint8_t *sig, size_t sig_len)
{
	if (sodium_init() < 0)
		return MLS_ERR_CRYPTO;
	if (sig_len != crypto_sign_BYTES)
		return MLS_ERR_BAD_SIGNATURE;
	return crypto_sign_verify_detached(sig, msg ? msg : no_message,
					   msg_len, pub) ?
		       MLS_ERR_BAD_SIGNATURE : 0;
}

const struct mls_sig_ops mls_sig_ed25519 = {
	.pub_len = crypto_sign_PUBLICKEYBYTES,
	.priv_len = crypto_sign_SEEDBYTES,
	.max_sig_len = crypto_sign_BYTES,
	.verify_screens_pub = true,
	.generate = ed25519_generate,
	.pub_from_priv = ed25519_pub_from_priv,
	.check_pub = ed25519_check_pub,
	.sign = ed25519_sign,
	.verify = ed25519_verify,
};

static int ed448_generate(const struct mls_sig_ops *ops,
			  const struct mls_crypto *c, uint8_t *priv)
{
	return mls_crypto_random(c, priv, DECAF_EDDSA_448_PRIVATE_BYTES);
}

static int ed448_pub_from_priv(const struct mls_sig_ops *ops,
			       const uint8_t *priv, uint8_t *pub)
{
	decaf_ed448_derive_public_key(pub, priv);
	return 0;
}

static int ed448_check_pub(const struct mls_sig_ops *ops, const uint8_t *pub)
{
	decaf_448_point_t p;
	decaf_error_t ok;

	ok = decaf_448_point_decode_like_eddsa_and_mul_by_ratio(p, pub);
	/*
	 * The decode multiplies by the cofactor ratio, so a low-order key
	 * (which would verify forged signatures) lands on the identity.
	 */
	if (ok == DECAF_SUCCESS &&
	    decaf_448_point_eq(p, decaf_448_point_identity) == DECAF_TRUE)
		ok = DECAF_FAILURE;
	decaf_448_point_destroy(p);
	return ok == DECAF_SUCCESS ? 0 : MLS_ERR_BAD_KEY;
}

static int ed448_sign(const struct mls_sig_ops *ops,
		      const struct mls_crypto *c, const uint8_t *priv,
		      const uint8_t *msg, size_t msg_len, uint8_t *sig,
		      size_t *sig_len)
{
	decaf_eddsa_448_keypair_t kp;

	decaf_ed448_derive_keypair(kp, priv);
	decaf_ed448_keypair_sign(sig, kp, msg ? msg : no_message, msg_len, 0,
				 NULL, 0);
	decaf_ed448_keypair_destroy(kp);
	*sig_len = DECAF_EDDSA_448_SIGNATURE_BYTES;
	return 0;
}

static int ed448_verify(const struct mls_sig_ops *ops, const uint8_t *pub,
			const uint8_t *msg, size_t msg_len, const uint8_t *sig,
			size_t sig_len)
{
	if (sig_len != DECAF_EDDSA_448_SIGNATURE_BYTES)
		return MLS_ERR_BAD_SIGNATURE;
	return decaf_ed448_verify(sig, pub, msg ? msg : no_message, msg_len, 0,
				  NULL, 0) == DECAF_SUCCESS ?
		       0 : MLS_ERR_BAD_SIGNATURE;
}

const struct mls_sig_ops mls_sig_ed448 = {
	.pub_len = DECAF_EDDSA_448_PUBLIC_BYTES,
	.priv_len = DECAF_EDDSA_448_PRIVATE_BYTES,
	.max_sig_len = DECAF_EDDSA_448_SIGNATURE_BYTES,
	.generate = ed448_generate,
	.pub_from_priv = ed448_pub_from_priv,
	.check_pub = ed448_check_pub,
	.sign = ed448_sign,
	.verify = ed448_verify,
};
