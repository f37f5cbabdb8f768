// SPDX-License-Identifier: MIT
/* AES-GCM and ChaCha20-Poly1305 over mbedTLS. */
#include <mbedtls/chachapoly.h>
#include <mbedtls/gcm.h>

#include "crypto_internal.h"

static int check_args(const struct mls_suite *s, const uint8_t *key,
		      size_t key_len, const uint8_t *nonce, size_t nonce_len,
		      const uint8_t *aad, size_t aad_len)
{
	if (!s || (!aad && aad_len))
		return MLS_ERR_INVALID_ARG;
	if (!key || key_len != s->aead_key_len)
		return MLS_ERR_BAD_KEY;
	if (!nonce || nonce_len != s->aead_nonce_len)
		return MLS_ERR_INVALID_ARG;
	return 0;
}

static int gcm_seal(const uint8_t *key, size_t key_len, const uint8_t *nonce,
		    const uint8_t *aad, size_t aad_len, const uint8_t *pt,
		    size_t pt_len, uint8_t *ct)
{
	mbedtls_gcm_context gcm;
	int ret;

	mbedtls_gcm_init(&gcm);
	ret = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key,
				 (unsigned int)(key_len * 8));
	if (!ret)
		ret = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT,
						pt_len, nonce, 12, aad, aad_len,
						pt, ct, MLS_AEAD_TAG_LEN,
						ct + pt_len);
	mbedtls_gcm_free(&gcm);
	return ret ? MLS_ERR_CRYPTO : 0;
}

static int gcm_open(const uint8_t *key, size_t key_len, const uint8_t *nonce,
		    const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		    size_t pt_len, uint8_t *pt)
{
	mbedtls_gcm_context gcm;
	int ret;

	mbedtls_gcm_init(&gcm);
	ret = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key,
				 (unsigned int)(key_len * 8));
	if (!ret)
		ret = mbedtls_gcm_auth_decrypt(&gcm, pt_len, nonce, 12, aad,
					       aad_len, ct + pt_len,
					       MLS_AEAD_TAG_LEN, ct, pt);
	mbedtls_gcm_free(&gcm);
	if (ret == MBEDTLS_ERR_GCM_AUTH_FAILED)
		return MLS_ERR_AUTH;
	return ret ? MLS_ERR_CRYPTO : 0;
}

static int chacha_seal(const uint8_t *key, const uint8_t *nonce,
		       const uint8_t *aad, size_t aad_len, const uint8_t *pt,
		       size_t pt_len, uint8_t *ct)
{
	mbedtls_chachapoly_context cp;
	int ret;

	mbedtls_chachapoly_init(&cp);
	ret = mbedtls_chachapoly_setkey(&cp, key);
	if (!ret)
		ret = mbedtls_chachapoly_encrypt_and_tag(&cp, pt_len, nonce,
							 aad, aad_len, pt, ct,
							 ct + pt_len);
	mbedtls_chachapoly_free(&cp);
	return ret ? MLS_ERR_CRYPTO : 0;
}

static int chacha_open(const uint8_t *key, const uint8_t *nonce,
		       const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		       size_t pt_len, uint8_t *pt)
{
	mbedtls_chachapoly_context cp;
	int ret;

	mbedtls_chachapoly_init(&cp);
	ret = mbedtls_chachapoly_setkey(&cp, key);
	if (!ret)
		ret = mbedtls_chachapoly_auth_decrypt(&cp, pt_len, nonce, aad,
						      aad_len, ct + pt_len, ct,
						      pt);
	mbedtls_chachapoly_free(&cp);
	if (ret == MBEDTLS_ERR_CHACHAPOLY_AUTH_FAILED)
		return MLS_ERR_AUTH;
	return ret ? MLS_ERR_CRYPTO : 0;
}

int mls_aead_seal(const struct mls_suite *s, const uint8_t *key,
		  size_t key_len, const uint8_t *nonce, size_t nonce_len,
		  const uint8_t *aad, size_t aad_len, const uint8_t *pt,
		  size_t pt_len, uint8_t *ct)
{
	int ret = check_args(s, key, key_len, nonce, nonce_len, aad, aad_len);

	if (ret)
		return ret;
	if (!ct || (!pt && pt_len))
		return MLS_ERR_INVALID_ARG;
	if (s->aead_type == MLS_AEAD_CHACHA20_POLY1305)
		return chacha_seal(key, nonce, aad, aad_len, pt, pt_len, ct);
	return gcm_seal(key, key_len, nonce, aad, aad_len, pt, pt_len, ct);
}

int mls_aead_open(const struct mls_suite *s, const uint8_t *key,
		  size_t key_len, const uint8_t *nonce, size_t nonce_len,
		  const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		  size_t ct_len, uint8_t *pt)
{
	int ret = check_args(s, key, key_len, nonce, nonce_len, aad, aad_len);
	size_t pt_len;

	if (ret)
		return ret;
	if (!ct)
		return MLS_ERR_INVALID_ARG;
	if (ct_len < s->aead_tag_len)
		return MLS_ERR_TRUNCATED;
	pt_len = ct_len - s->aead_tag_len;
	if (!pt && pt_len)
		return MLS_ERR_INVALID_ARG;
	if (s->aead_type == MLS_AEAD_CHACHA20_POLY1305)
		ret = chacha_open(key, nonce, aad, aad_len, ct, pt_len, pt);
	else
		ret = gcm_open(key, key_len, nonce, aad, aad_len, ct, pt_len,
			       pt);
	/* Never hand back unauthenticated plaintext. */
	if (ret)
		mls_crypto_wipe(pt, pt_len);
	return ret;
}
