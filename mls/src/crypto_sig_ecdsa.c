// SPDX-License-Identifier: MIT
/*
 * ECDSA over P-256/P-384/P-521 (mbedTLS): deterministic nonces (RFC 6979),
 * DER-encoded signatures, uncompressed public keys (RFC 9420 §5.1.1).
 */
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>

#include "crypto_internal.h"

/* Rejection sampling, so an RNG failure surfaces as MLS_ERR_RANDOM. */
static int ecdsa_generate(const struct mls_sig_ops *ops,
			  const struct mls_crypto *c, uint8_t *priv)
{
	int tries, ret;

	for (tries = 0; tries < 64; tries++) {
		ret = mls_crypto_random(c, priv, ops->priv_len);
		if (ret)
			return ret;
		priv[0] &= ops->first_byte_mask;
		if (mls_ecp_check_scalar(ops->ecp_id, priv, ops->priv_len) == 0)
			return 0;
	}
	mls_crypto_wipe(priv, ops->priv_len);
	return MLS_ERR_RANDOM;	/* a source this biased is broken */
}

static int ecdsa_pub_from_priv(const struct mls_sig_ops *ops,
			       const uint8_t *priv, uint8_t *pub)
{
	return mls_ecp_pub_from_scalar(ops->ecp_id, priv, ops->priv_len, pub,
				       ops->pub_len);
}

static int ecdsa_check_pub(const struct mls_sig_ops *ops, const uint8_t *pub)
{
	return mls_ecp_check_point(ops->ecp_id, pub, ops->pub_len);
}

static int hash_message(const struct mls_sig_ops *ops, const uint8_t *msg,
			size_t msg_len, uint8_t *hash, size_t *hash_len)
{
	const mbedtls_md_info_t *md;

	md = mbedtls_md_info_from_type((mbedtls_md_type_t)ops->md_type);
	if (!md || mbedtls_md(md, msg, msg_len, hash))
		return MLS_ERR_CRYPTO;
	*hash_len = mbedtls_md_get_size(md);
	return 0;
}

static int ecdsa_sign(const struct mls_sig_ops *ops,
		      const struct mls_crypto *c, const uint8_t *priv,
		      const uint8_t *msg, size_t msg_len, uint8_t *sig,
		      size_t *sig_len)
{
	uint8_t hash[MBEDTLS_MD_MAX_SIZE];
	uint8_t der[MBEDTLS_ECDSA_MAX_LEN];
	mbedtls_ecdsa_context key;
	size_t hash_len = 0, der_len = 0;
	int ret;

	mbedtls_ecdsa_init(&key);
	ret = hash_message(ops, msg, msg_len, hash, &hash_len);
	if (!ret && mbedtls_ecp_group_load(&key.grp,
					   (mbedtls_ecp_group_id)ops->ecp_id))
		ret = MLS_ERR_CRYPTO;
	if (!ret && (mbedtls_mpi_read_binary(&key.d, priv, ops->priv_len) ||
		     mbedtls_ecp_check_privkey(&key.grp, &key.d)))
		ret = MLS_ERR_BAD_KEY;
	if (!ret && mbedtls_ecdsa_write_signature(
			    &key, (mbedtls_md_type_t)ops->md_type, hash,
			    hash_len, der, &der_len, mls_crypto_mbedtls_rng,
			    (void *)c))
		ret = MLS_ERR_CRYPTO;
	if (!ret && der_len > ops->max_sig_len)
		ret = MLS_ERR_CRYPTO;
	if (!ret) {
		memcpy(sig, der, der_len);
		*sig_len = der_len;
	}
	mbedtls_ecdsa_free(&key);
	return ret;
}

static int ecdsa_verify(const struct mls_sig_ops *ops, const uint8_t *pub,
			const uint8_t *msg, size_t msg_len, const uint8_t *sig,
			size_t sig_len)
{
	uint8_t hash[MBEDTLS_MD_MAX_SIZE];
	mbedtls_ecdsa_context key;
	size_t hash_len = 0;
	int ret;

	if (!sig || sig_len == 0 || sig_len > ops->max_sig_len)
		return MLS_ERR_BAD_SIGNATURE;
	mbedtls_ecdsa_init(&key);
	ret = hash_message(ops, msg, msg_len, hash, &hash_len);
	if (!ret && mbedtls_ecp_group_load(&key.grp,
					   (mbedtls_ecp_group_id)ops->ecp_id))
		ret = MLS_ERR_CRYPTO;
	if (!ret && (mbedtls_ecp_point_read_binary(&key.grp, &key.Q, pub,
						   ops->pub_len) ||
		     mbedtls_ecp_check_pubkey(&key.grp, &key.Q)))
		ret = MLS_ERR_BAD_KEY;
	/* Any parse error, trailing byte or mismatch is a bad signature. */
	if (!ret && mbedtls_ecdsa_read_signature(&key, hash, hash_len, sig,
						 sig_len))
		ret = MLS_ERR_BAD_SIGNATURE;
	mbedtls_ecdsa_free(&key);
	return ret;
}

#define ECDSA(name, id, md, nsk, mask, nsig)				\
	const struct mls_sig_ops name = {				\
		.pub_len = 1 + 2 * (nsk),				\
		.first_byte_mask = (mask),				\
		.priv_len = (nsk),					\
		.max_sig_len = (nsig),					\
		.ecp_id = (id),						\
		.md_type = (md),					\
		.generate = ecdsa_generate,				\
		.pub_from_priv = ecdsa_pub_from_priv,			\
		.check_pub = ecdsa_check_pub,				\
		.sign = ecdsa_sign,					\
		.verify = ecdsa_verify,					\
	}

ECDSA(mls_sig_p256, MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_MD_SHA256, 32, 0xff, 72);
ECDSA(mls_sig_p384, MBEDTLS_ECP_DP_SECP384R1, MBEDTLS_MD_SHA384, 48, 0xff,
      104);
ECDSA(mls_sig_p521, MBEDTLS_ECP_DP_SECP521R1, MBEDTLS_MD_SHA512, 66, 0x01,
      141);
