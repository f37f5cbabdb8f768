// SPDX-License-Identifier: MIT
/*
 * P-256/P-384/P-521 for DHKEM (RFC 9180 §7.1); crypto_ecp.c sends P-256 to
 * our own arithmetic (p256*.c) and the larger curves to mbedTLS.
 */
#include <mbedtls/ecp.h>

#include "crypto_internal.h"

static int nist_check_priv(const struct mls_dh_ops *ops, const uint8_t *priv)
{
	return mls_ecp_check_scalar(ops->ecp_id, priv, ops->priv_len);
}

static int nist_check_pub(const struct mls_dh_ops *ops, const uint8_t *pub)
{
	return mls_ecp_check_point(ops->ecp_id, pub, ops->pub_len);
}

static int nist_pub_from_priv(const struct mls_dh_ops *ops,
			      const uint8_t *priv, uint8_t *pub)
{
	return mls_ecp_pub_from_scalar(ops->ecp_id, priv, ops->priv_len, pub,
				       ops->pub_len);
}

static int nist_dh(const struct mls_dh_ops *ops, const uint8_t *priv,
		   const uint8_t *pub, uint8_t *out)
{
	return mls_ecp_dh(ops->ecp_id, priv, ops->priv_len, pub, ops->pub_len,
			  out, ops->dh_len);
}

#define NIST_DH(name, id, nsk, mask)					\
	const struct mls_dh_ops name = {				\
		.pub_len = 1 + 2 * (nsk),				\
		.priv_len = (nsk),					\
		.dh_len = (nsk),					\
		.candidate_mask = (mask),				\
		.ecp_id = (id),						\
		.check_priv = nist_check_priv,				\
		.check_pub = nist_check_pub,				\
		.pub_from_priv = nist_pub_from_priv,			\
		.dh = nist_dh,						\
	}

/* bitmask 0x01 for P-521: 66 bytes hold 528 bits, the order has 521 */
NIST_DH(mls_dh_p256, MBEDTLS_ECP_DP_SECP256R1, 32, 0xff);
NIST_DH(mls_dh_p384, MBEDTLS_ECP_DP_SECP384R1, 48, 0xff);
NIST_DH(mls_dh_p521, MBEDTLS_ECP_DP_SECP521R1, 66, 0x01);
