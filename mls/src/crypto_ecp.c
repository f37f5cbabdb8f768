// SPDX-License-Identifier: MIT
/*
 * NIST-curve scalar and point handling shared by ECDH (DHKEM) and ECDSA:
 * private keys are fixed-length big-endian scalars, public keys
 * uncompressed SEC1 points (RFC 9180 §7.1.1, RFC 9420 §5.1.1).
 */
#include <mbedtls/ecp.h>

#include "crypto_internal.h"

static int load_group(mbedtls_ecp_group *grp, int ecp_id)
{
	mbedtls_ecp_group_init(grp);
	return mbedtls_ecp_group_load(grp, (mbedtls_ecp_group_id)ecp_id) ?
		       MLS_ERR_CRYPTO : 0;
}

static size_t scalar_len(const mbedtls_ecp_group *grp)
{
	return (grp->nbits + 7) / 8;
}

static int read_scalar(const mbedtls_ecp_group *grp, mbedtls_mpi *d,
		       const uint8_t *priv, size_t priv_len)
{
	if (priv_len != scalar_len(grp))
		return MLS_ERR_BAD_KEY;
	if (mbedtls_mpi_read_binary(d, priv, priv_len))
		return MLS_ERR_NOMEM;
	/* 1 <= d < n */
	return mbedtls_ecp_check_privkey(grp, d) ? MLS_ERR_BAD_KEY : 0;
}

static int read_point(const mbedtls_ecp_group *grp, mbedtls_ecp_point *q,
		      const uint8_t *pub, size_t pub_len)
{
	/* Only the uncompressed form 04 || X || Y is allowed. */
	if (pub_len != 1 + 2 * mbedtls_mpi_size(&grp->P) || pub[0] != 0x04)
		return MLS_ERR_BAD_KEY;
	if (mbedtls_ecp_point_read_binary(grp, q, pub, pub_len))
		return MLS_ERR_BAD_KEY;
	return mbedtls_ecp_check_pubkey(grp, q) ? MLS_ERR_BAD_KEY : 0;
}

int mls_ecp_check_scalar(int ecp_id, const uint8_t *priv, size_t priv_len)
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
	int ret;

	mbedtls_mpi_init(&d);
	ret = load_group(&grp, ecp_id);
	if (!ret)
		ret = read_scalar(&grp, &d, priv, priv_len);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	return ret;
}

int mls_ecp_check_point(int ecp_id, const uint8_t *pub, size_t pub_len)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	int ret;

	mbedtls_ecp_point_init(&q);
	ret = load_group(&grp, ecp_id);
	if (!ret)
		ret = read_point(&grp, &q, pub, pub_len);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return ret;
}

int mls_ecp_pub_from_scalar(int ecp_id, const uint8_t *priv, size_t priv_len,
			    uint8_t *pub, size_t pub_len)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	size_t olen = 0;
	int ret;

	mbedtls_mpi_init(&d);
	mbedtls_ecp_point_init(&q);
	ret = load_group(&grp, ecp_id);
	if (!ret)
		ret = read_scalar(&grp, &d, priv, priv_len);
	/* NULL RNG: mbedTLS then blinds with an RNG seeded from d */
	if (!ret && mbedtls_ecp_mul(&grp, &q, &d, &grp.G, NULL, NULL))
		ret = MLS_ERR_CRYPTO;
	if (!ret && (mbedtls_ecp_point_write_binary(&grp, &q,
						    MBEDTLS_ECP_PF_UNCOMPRESSED,
						    &olen, pub, pub_len) ||
		     olen != pub_len))
		ret = MLS_ERR_CRYPTO;
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return ret;
}

/* ECDH: the shared value is the x-coordinate, left-padded to Ndh bytes. */
int mls_ecp_dh(int ecp_id, const uint8_t *priv, size_t priv_len,
	       const uint8_t *pub, size_t pub_len, uint8_t *out,
	       size_t out_len)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q, z;
	mbedtls_mpi d;
	int ret;

	mbedtls_mpi_init(&d);
	mbedtls_ecp_point_init(&q);
	mbedtls_ecp_point_init(&z);
	ret = load_group(&grp, ecp_id);
	if (!ret)
		ret = read_scalar(&grp, &d, priv, priv_len);
	if (!ret)
		ret = read_point(&grp, &q, pub, pub_len);
	if (!ret && mbedtls_ecp_mul(&grp, &z, &d, &q, NULL, NULL))
		ret = MLS_ERR_CRYPTO;
	/* Prime-order curves: a valid peer point never gives infinity. */
	if (!ret && mbedtls_ecp_is_zero(&z))
		ret = MLS_ERR_BAD_KEY;
	if (!ret && mbedtls_mpi_write_binary(&z.X, out, out_len))
		ret = MLS_ERR_CRYPTO;
	if (ret)
		mls_crypto_wipe(out, out_len);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_point_free(&z);
	mbedtls_ecp_group_free(&grp);
	return ret;
}
