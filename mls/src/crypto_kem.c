// SPDX-License-Identifier: MIT
/* DHKEM (RFC 9180 §4.1, §7.1) over the per-curve DH operations. */
#include <string.h>

#include "crypto_internal.h"

static int check_suite(const struct mls_suite *s)
{
	return s && s->dh ? 0 : MLS_ERR_UNSUPPORTED_SUITE;
}

int mls_kem_validate_pub(const struct mls_suite *s, const uint8_t *pub,
			 size_t pub_len)
{
	int ret = check_suite(s);

	if (ret)
		return ret;
	if (!pub || pub_len != s->dh->pub_len)
		return MLS_ERR_BAD_KEY;
	return s->dh->check_pub(s->dh, pub);
}

int mls_kem_validate_priv(const struct mls_suite *s, const uint8_t *priv,
			  size_t priv_len)
{
	int ret = check_suite(s);

	if (ret)
		return ret;
	if (!priv || priv_len != s->dh->priv_len)
		return MLS_ERR_BAD_KEY;
	return s->dh->check_priv(s->dh, priv);
}

int mls_kem_pub_from_priv(const struct mls_suite *s, const uint8_t *priv,
			  size_t priv_len, uint8_t *pub)
{
	int ret = mls_kem_validate_priv(s, priv, priv_len);

	if (ret)
		return ret;
	if (!pub)
		return MLS_ERR_INVALID_ARG;
	return s->dh->pub_from_priv(s->dh, priv, pub);
}

/*
 * NIST curves: rejection sampling over "candidate" expansions, with the
 * first byte masked so that P-521's 66 bytes carry only 521 bits
 * (RFC 9180 §7.1.3). X25519/X448 take the "sk" expansion as is.
 */
static int derive_priv(const struct mls_suite *s, const uint8_t *sid,
		       size_t sid_len, const uint8_t *dkp_prk, uint8_t *priv)
{
	const struct mls_dh_ops *dh = s->dh;
	unsigned int counter;
	uint8_t ctr;
	int ret;

	if (!dh->candidate_mask)
		return mls_hpke_labeled_expand(s, sid, sid_len, dkp_prk,
					       s->hash_len, "sk", NULL, 0,
					       priv, dh->priv_len);
	for (counter = 0; counter < 256; counter++) {
		ctr = (uint8_t)counter;
		ret = mls_hpke_labeled_expand(s, sid, sid_len, dkp_prk,
					      s->hash_len, "candidate", &ctr, 1,
					      priv, dh->priv_len);
		if (ret)
			return ret;
		priv[0] &= dh->candidate_mask;
		if (dh->check_priv(dh, priv) == 0)
			return 0;
	}
	mls_crypto_wipe(priv, dh->priv_len);
	return MLS_ERR_CRYPTO;	/* DeriveKeyPairError: odds ~2^-256 */
}

int mls_kem_derive_keypair(const struct mls_suite *s, const uint8_t *ikm,
			   size_t ikm_len, uint8_t *priv, uint8_t *pub)
{
	uint8_t sid[MLS_HPKE_SUITE_ID_MAX];
	uint8_t dkp_prk[MLS_MAX_HASH_LEN];
	size_t sid_len;
	int ret = check_suite(s);

	if (ret)
		return ret;
	if (!priv || !pub || (!ikm && ikm_len))
		return MLS_ERR_INVALID_ARG;
	sid_len = mls_hpke_kem_suite_id(s, sid);
	ret = mls_hpke_labeled_extract(s, sid, sid_len, NULL, 0, "dkp_prk", ikm,
				       ikm_len, dkp_prk);
	if (!ret)
		ret = derive_priv(s, sid, sid_len, dkp_prk, priv);
	if (!ret)
		ret = s->dh->pub_from_priv(s->dh, priv, pub);
	if (ret)
		mls_crypto_wipe(priv, s->dh->priv_len);
	mls_crypto_wipe(dkp_prk, sizeof(dkp_prk));
	return ret;
}

int mls_kem_generate_keypair(const struct mls_crypto *c,
			     const struct mls_suite *s, uint8_t *priv,
			     uint8_t *pub)
{
	uint8_t ikm[MLS_MAX_KEM_PRIV_LEN];
	int ret = check_suite(s);

	if (ret)
		return ret;
	ret = mls_crypto_random(c, ikm, s->kem_priv_len);
	if (!ret)
		ret = mls_kem_derive_keypair(s, ikm, s->kem_priv_len, priv,
					     pub);
	mls_crypto_wipe(ikm, sizeof(ikm));
	return ret;
}

/* ExtractAndExpand(dh, enc || pkRm) (§4.1) */
static int extract_and_expand(const struct mls_suite *s, const uint8_t *dh,
			      const uint8_t *enc, const uint8_t *pk_r,
			      uint8_t *shared)
{
	uint8_t sid[MLS_HPKE_SUITE_ID_MAX];
	uint8_t kem_context[2 * MLS_MAX_KEM_PUB_LEN];
	uint8_t eae_prk[MLS_MAX_HASH_LEN];
	size_t sid_len = mls_hpke_kem_suite_id(s, sid);
	size_t npk = s->kem_pub_len;
	int ret;

	memcpy(kem_context, enc, npk);
	memcpy(kem_context + npk, pk_r, npk);
	ret = mls_hpke_labeled_extract(s, sid, sid_len, NULL, 0, "eae_prk", dh,
				       s->dh->dh_len, eae_prk);
	if (!ret)
		ret = mls_hpke_labeled_expand(s, sid, sid_len, eae_prk,
					      s->hash_len, "shared_secret",
					      kem_context, 2 * npk, shared,
					      s->kem_secret_len);
	mls_crypto_wipe(eae_prk, sizeof(eae_prk));
	return ret;
}

int mls_kem_encap(const struct mls_crypto *c, const struct mls_suite *s,
		  const uint8_t *pk_r, size_t pk_r_len, uint8_t *shared,
		  uint8_t *enc)
{
	uint8_t sk_e[MLS_MAX_KEM_PRIV_LEN];
	uint8_t dh[MLS_MAX_KEM_PRIV_LEN];
	int ret = mls_kem_validate_pub(s, pk_r, pk_r_len);

	if (ret)
		return ret;
	if (!shared || !enc)
		return MLS_ERR_INVALID_ARG;
	ret = mls_kem_generate_keypair(c, s, sk_e, enc);
	if (!ret)
		ret = s->dh->dh(s->dh, sk_e, pk_r, dh);
	if (!ret)
		ret = extract_and_expand(s, dh, enc, pk_r, shared);
	mls_crypto_wipe(sk_e, sizeof(sk_e));
	mls_crypto_wipe(dh, sizeof(dh));
	return ret;
}

int mls_kem_decap(const struct mls_suite *s, const uint8_t *enc,
		  size_t enc_len, const uint8_t *sk_r, size_t sk_r_len,
		  uint8_t *shared)
{
	uint8_t pk_r[MLS_MAX_KEM_PUB_LEN];
	uint8_t dh[MLS_MAX_KEM_PRIV_LEN];
	int ret = mls_kem_validate_pub(s, enc, enc_len);

	if (!ret)
		ret = mls_kem_pub_from_priv(s, sk_r, sk_r_len, pk_r);
	if (ret)
		return ret;
	if (!shared)
		return MLS_ERR_INVALID_ARG;
	ret = s->dh->dh(s->dh, sk_r, enc, dh);
	if (!ret)
		ret = extract_and_expand(s, dh, enc, pk_r, shared);
	mls_crypto_wipe(dh, sizeof(dh));
	return ret;
}
