// SPDX-License-Identifier: MIT
/*
 * ECDSA over P-256/P-384/P-521: deterministic nonces (RFC 6979),
 * DER-encoded signatures, uncompressed public keys (RFC 9420 §5.1.1).
 * Signing and P-384/P-521 verification use mbedTLS, P-256 verification
 * our own arithmetic (p256_ecdsa.c).
 */
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>

#include "crypto_internal.h"
#include "p256.h"

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

/* SEQUENCE { INTEGER r, INTEGER s } (SEC1 C.5), as mbedTLS writes it. */
static int der_encode(const mbedtls_mpi *r, const mbedtls_mpi *s,
		      size_t max_len, uint8_t *sig, size_t *sig_len)
{
	unsigned char der[MBEDTLS_ECDSA_MAX_LEN];
	unsigned char *p = der + sizeof(der);
	int n, len = 0;

	n = mbedtls_asn1_write_mpi(&p, der, s);
	if (n >= 0)
		len += n, n = mbedtls_asn1_write_mpi(&p, der, r);
	if (n >= 0)
		len += n, n = mbedtls_asn1_write_len(&p, der, (size_t)len);
	if (n >= 0)
		len += n, n = mbedtls_asn1_write_tag(&p, der,
						      MBEDTLS_ASN1_CONSTRUCTED |
						      MBEDTLS_ASN1_SEQUENCE);
	if (n < 0)
		return MLS_ERR_CRYPTO;
	len += n;
	if ((size_t)len > max_len)
		return MLS_ERR_CRYPTO;
	memcpy(sig, p, (size_t)len);
	*sig_len = (size_t)len;
	return 0;
}

/*
 * The reverse, with mbedtls_ecdsa_read_signature()'s rules: any parse
 * error, length mismatch or trailing byte is a bad signature.
 */
static int der_decode(const uint8_t *sig, size_t sig_len, mbedtls_mpi *r,
		      mbedtls_mpi *s)
{
	unsigned char *p = (unsigned char *)sig;
	const unsigned char *end = sig + sig_len;
	size_t len;

	if (mbedtls_asn1_get_tag(&p, end, &len,
				 MBEDTLS_ASN1_CONSTRUCTED |
				 MBEDTLS_ASN1_SEQUENCE) ||
	    p + len != end)
		return MLS_ERR_BAD_SIGNATURE;
	if (mbedtls_asn1_get_mpi(&p, end, r) ||
	    mbedtls_asn1_get_mpi(&p, end, s) || p != end)
		return MLS_ERR_BAD_SIGNATURE;
	return 0;
}

/*
 * Signing stays on mbedTLS (RFC 6979 nonces, blinded inversion mod n) with
 * the shared group, whose table for G makes k*G cheap: a Commit signs once,
 * so it is not what limits large groups. Verification is the hot path.
 */
static int ecdsa_sign(const struct mls_sig_ops *ops,
		      const struct mls_crypto *c, const uint8_t *priv,
		      const uint8_t *msg, size_t msg_len, uint8_t *sig,
		      size_t *sig_len)
{
	uint8_t hash[MBEDTLS_MD_MAX_SIZE];
	mbedtls_ecp_group *grp = mls_ecp_group(ops->ecp_id);
	mbedtls_mpi d, r, s;
	size_t hash_len = 0;
	int ret;

	if (!grp)
		return MLS_ERR_CRYPTO;
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = hash_message(ops, msg, msg_len, hash, &hash_len);
	if (!ret && (mbedtls_mpi_read_binary(&d, priv, ops->priv_len) ||
		     mbedtls_ecp_check_privkey(grp, &d)))
		ret = MLS_ERR_BAD_KEY;
	if (!ret && mbedtls_ecdsa_sign_det_ext(grp, &r, &s, &d, hash, hash_len,
					       (mbedtls_md_type_t)ops->md_type,
					       mls_crypto_mbedtls_rng,
					       (void *)c))
		ret = MLS_ERR_CRYPTO;
	if (!ret)
		ret = der_encode(&r, &s, ops->max_sig_len, sig, sig_len);
	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret;
}

static int verify_p256(const uint8_t *pub, const uint8_t *hash,
		       size_t hash_len, const mbedtls_mpi *r,
		       const mbedtls_mpi *s)
{
	uint8_t rb[MLS_P256_SCALAR_LEN], sb[MLS_P256_SCALAR_LEN];

	/* larger than 32 bytes is above n: mls_p256_ecdsa_verify says so */
	if (mbedtls_mpi_write_binary(r, rb, sizeof(rb)) ||
	    mbedtls_mpi_write_binary(s, sb, sizeof(sb)))
		return MLS_ERR_BAD_SIGNATURE;
	return mls_p256_ecdsa_verify(pub, hash, hash_len, rb, sb);
}

static int verify_mbedtls(const struct mls_sig_ops *ops, const uint8_t *pub,
			  const uint8_t *hash, size_t hash_len,
			  const mbedtls_mpi *r, const mbedtls_mpi *s)
{
	mbedtls_ecp_group *grp = mls_ecp_group(ops->ecp_id);
	mbedtls_ecp_point q;
	int ret = 0;

	if (!grp)
		return MLS_ERR_CRYPTO;
	mbedtls_ecp_point_init(&q);
	if (mbedtls_ecp_point_read_binary(grp, &q, pub, ops->pub_len) ||
	    mbedtls_ecp_check_pubkey(grp, &q))
		ret = MLS_ERR_BAD_KEY;
	if (!ret && mbedtls_ecdsa_verify(grp, hash, hash_len, &q, r, s))
		ret = MLS_ERR_BAD_SIGNATURE;
	mbedtls_ecp_point_free(&q);
	return ret;
}

static int ecdsa_verify(const struct mls_sig_ops *ops, const uint8_t *pub,
			const uint8_t *msg, size_t msg_len, const uint8_t *sig,
			size_t sig_len)
{
	uint8_t hash[MBEDTLS_MD_MAX_SIZE];
	mbedtls_mpi r, s;
	size_t hash_len = 0;
	int ret;

	if (!sig || sig_len == 0 || sig_len > ops->max_sig_len)
		return MLS_ERR_BAD_SIGNATURE;
	ret = hash_message(ops, msg, msg_len, hash, &hash_len);
	if (ret)
		return ret;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = der_decode(sig, sig_len, &r, &s);
	if (!ret && ops->ecp_id == MBEDTLS_ECP_DP_SECP256R1)
		ret = verify_p256(pub, hash, hash_len, &r, &s);
	else if (!ret)
		ret = verify_mbedtls(ops, pub, hash, hash_len, &r, &s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
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
