// SPDX-License-Identifier: MIT
/*
 * NIST-curve scalar and point handling shared by ECDH (DHKEM) and ECDSA:
 * private keys are fixed-length big-endian scalars, public keys
 * uncompressed SEC1 points (RFC 9180 §7.1.1, RFC 9420 §5.1.1).
 *
 * P-256 runs on our own arithmetic (p256*.c); P-384 and P-521 on mbedTLS
 * with one group per curve shared by the whole process.
 */
#include <pthread.h>

#include <mbedtls/ecp.h>

#include "crypto_internal.h"
#include "p256.h"

#define N_CACHED 3

static const mbedtls_ecp_group_id cached_ids[N_CACHED] = {
	MBEDTLS_ECP_DP_SECP256R1,
	MBEDTLS_ECP_DP_SECP384R1,
	MBEDTLS_ECP_DP_SECP521R1,
};
static mbedtls_ecp_group cached_groups[N_CACHED];
static bool cached_ok[N_CACHED];
static pthread_once_t cached_once[N_CACHED] = {
	PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT,
};

/*
 * mbedtls_ecp_mul() stores its comb table for G in grp->T the first time
 * it multiplies G, and only reads it afterwards. Doing that first
 * multiplication here, under pthread_once, is what makes the group safe
 * to share between threads.
 */
static bool load_and_warm(mbedtls_ecp_group *grp, mbedtls_ecp_group_id id)
{
	mbedtls_ecp_point r;
	mbedtls_mpi two;
	bool ok;

	mbedtls_ecp_group_init(grp);
	if (mbedtls_ecp_group_load(grp, id))
		return false;
	mbedtls_ecp_point_init(&r);
	mbedtls_mpi_init(&two);
	ok = mbedtls_mpi_lset(&two, 2) == 0 &&
	     mbedtls_ecp_mul(grp, &r, &two, &grp->G, NULL, NULL) == 0 &&
	     grp->T != NULL;
	mbedtls_ecp_point_free(&r);
	mbedtls_mpi_free(&two);
	return ok;
}

/* pthread_once takes no argument: one loader per curve, loaded lazily */
#define CACHED_LOADER(i)						\
	static void load_cached_##i(void)				\
	{								\
		cached_ok[i] = load_and_warm(&cached_groups[i],		\
					     cached_ids[i]);		\
	}
CACHED_LOADER(0)
CACHED_LOADER(1)
CACHED_LOADER(2)

static void (*const cached_loaders[N_CACHED])(void) = {
	load_cached_0, load_cached_1, load_cached_2,
};

struct mbedtls_ecp_group *mls_ecp_group(int ecp_id)
{
	int i;

	for (i = 0; i < N_CACHED; i++) {
		if ((int)cached_ids[i] != ecp_id)
			continue;
		pthread_once(&cached_once[i], cached_loaders[i]);
		return cached_ok[i] ? &cached_groups[i] : NULL;
	}
	return NULL;
}

static bool is_p256(int ecp_id)
{
	return ecp_id == MBEDTLS_ECP_DP_SECP256R1;
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
	mbedtls_ecp_group *grp;
	mbedtls_mpi d;
	int ret;

	if (is_p256(ecp_id))
		return priv_len == MLS_P256_SCALAR_LEN ?
			       mls_p256_check_scalar(priv) : MLS_ERR_BAD_KEY;
	grp = mls_ecp_group(ecp_id);
	if (!grp)
		return MLS_ERR_CRYPTO;
	mbedtls_mpi_init(&d);
	ret = read_scalar(grp, &d, priv, priv_len);
	mbedtls_mpi_free(&d);
	return ret;
}

int mls_ecp_check_point(int ecp_id, const uint8_t *pub, size_t pub_len)
{
	mbedtls_ecp_group *grp;
	mbedtls_ecp_point q;
	int ret;

	if (is_p256(ecp_id))
		return pub_len == MLS_P256_POINT_LEN ?
			       mls_p256_check_point(pub) : MLS_ERR_BAD_KEY;
	grp = mls_ecp_group(ecp_id);
	if (!grp)
		return MLS_ERR_CRYPTO;
	mbedtls_ecp_point_init(&q);
	ret = read_point(grp, &q, pub, pub_len);
	mbedtls_ecp_point_free(&q);
	return ret;
}

int mls_ecp_pub_from_scalar(int ecp_id, const uint8_t *priv, size_t priv_len,
			    uint8_t *pub, size_t pub_len)
{
	mbedtls_ecp_group *grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	size_t olen = 0;
	int ret;

	if (is_p256(ecp_id)) {
		if (priv_len != MLS_P256_SCALAR_LEN)
			return MLS_ERR_BAD_KEY;
		if (pub_len != MLS_P256_POINT_LEN)
			return MLS_ERR_CRYPTO;
		return mls_p256_pub_from_scalar(priv, pub);
	}
	grp = mls_ecp_group(ecp_id);
	if (!grp)
		return MLS_ERR_CRYPTO;
	mbedtls_mpi_init(&d);
	mbedtls_ecp_point_init(&q);
	ret = read_scalar(grp, &d, priv, priv_len);
	/* NULL RNG: mbedTLS then blinds with an RNG seeded from d */
	if (!ret && mbedtls_ecp_mul(grp, &q, &d, &grp->G, NULL, NULL))
		ret = MLS_ERR_CRYPTO;
	if (!ret && (mbedtls_ecp_point_write_binary(grp, &q,
						    MBEDTLS_ECP_PF_UNCOMPRESSED,
						    &olen, pub, pub_len) ||
		     olen != pub_len))
		ret = MLS_ERR_CRYPTO;
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	return ret;
}

/* ECDH: the shared value is the x-coordinate, left-padded to Ndh bytes. */
int mls_ecp_dh(int ecp_id, const uint8_t *priv, size_t priv_len,
	       const uint8_t *pub, size_t pub_len, uint8_t *out,
	       size_t out_len)
{
	mbedtls_ecp_group *grp;
	mbedtls_ecp_point q, z;
	mbedtls_mpi d;
	int ret;

	if (is_p256(ecp_id)) {
		if (priv_len != MLS_P256_SCALAR_LEN ||
		    pub_len != MLS_P256_POINT_LEN)
			return MLS_ERR_BAD_KEY;
		if (out_len != 32)
			return MLS_ERR_CRYPTO;
		return mls_p256_dh(priv, pub, out);
	}
	grp = mls_ecp_group(ecp_id);
	if (!grp)
		return MLS_ERR_CRYPTO;
	mbedtls_mpi_init(&d);
	mbedtls_ecp_point_init(&q);
	mbedtls_ecp_point_init(&z);
	ret = read_scalar(grp, &d, priv, priv_len);
	if (!ret)
		ret = read_point(grp, &q, pub, pub_len);
	if (!ret && mbedtls_ecp_mul(grp, &z, &d, &q, NULL, NULL))
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
	return ret;
}
