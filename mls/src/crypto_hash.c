// SPDX-License-Identifier: MIT
/* Hash, HMAC and HKDF over mbedTLS's message-digest layer. */
#include <string.h>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include "crypto_internal.h"

static const mbedtls_md_info_t *suite_md(const struct mls_suite *s)
{
	return s ? mbedtls_md_info_from_type((mbedtls_md_type_t)s->md_type) :
		   NULL;
}

int mls_hash(const struct mls_suite *s, const uint8_t *data, size_t len,
	     uint8_t *out)
{
	const mbedtls_md_info_t *md = suite_md(s);

	if (!md || !out || (!data && len))
		return MLS_ERR_INVALID_ARG;
	return mbedtls_md(md, data, len, out) ? MLS_ERR_CRYPTO : 0;
}

int mls_hmac(const struct mls_suite *s, const uint8_t *key, size_t key_len,
	     const uint8_t *data, size_t len, uint8_t *out)
{
	const mbedtls_md_info_t *md = suite_md(s);

	if (!md || !out || (!key && key_len) || (!data && len))
		return MLS_ERR_INVALID_ARG;
	return mbedtls_md_hmac(md, key, key_len, data, len, out) ?
		       MLS_ERR_CRYPTO : 0;
}

int mls_hmac_verify(const struct mls_suite *s, const uint8_t *key,
		    size_t key_len, const uint8_t *data, size_t len,
		    const uint8_t *mac, size_t mac_len)
{
	uint8_t expect[MLS_MAX_HASH_LEN];
	int ret;

	ret = mls_hmac(s, key, key_len, data, len, expect);
	if (ret)
		return ret;
	if (!mac || mac_len != s->hash_len ||
	    !mls_ct_equal(expect, mac, mac_len))
		ret = MLS_ERR_AUTH;
	mls_crypto_wipe(expect, sizeof(expect));
	return ret;
}

int mls_hkdf_extract(const struct mls_suite *s, const uint8_t *salt,
		     size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		     uint8_t *prk)
{
	const mbedtls_md_info_t *md = suite_md(s);
	static const uint8_t empty[1];

	if (!md || !prk || (!salt && salt_len) || (!ikm && ikm_len))
		return MLS_ERR_INVALID_ARG;
	/* mbedTLS rejects a NULL ikm even when it is empty. */
	return mbedtls_hkdf_extract(md, salt, salt_len, ikm ? ikm : empty,
				    ikm_len, prk) ? MLS_ERR_CRYPTO : 0;
}

int mls_hkdf_expand(const struct mls_suite *s, const uint8_t *prk,
		    size_t prk_len, const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t out_len)
{
	const mbedtls_md_info_t *md = suite_md(s);

	if (!md || !prk || !out || (!info && info_len))
		return MLS_ERR_INVALID_ARG;
	/* RFC 5869 §2.3: PRK of at least HashLen, L at most 255 * HashLen */
	if (prk_len < s->hash_len || out_len == 0 ||
	    out_len > 255 * s->hash_len)
		return MLS_ERR_INVALID_ARG;
	return mbedtls_hkdf_expand(md, prk, prk_len, info, info_len, out,
				   out_len) ? MLS_ERR_CRYPTO : 0;
}

int mls_hmac_iov(const struct mls_suite *s, const uint8_t *key,
		 size_t key_len, const struct mls_iov *in, size_t n_in,
		 uint8_t *out)
{
	const mbedtls_md_info_t *md = suite_md(s);
	mbedtls_md_context_t ctx;
	static const uint8_t empty[1];
	size_t i;
	int ret;

	if (!md || !out || (!key && key_len))
		return MLS_ERR_INVALID_ARG;
	mbedtls_md_init(&ctx);
	ret = mbedtls_md_setup(&ctx, md, 1);
	if (!ret)
		ret = mbedtls_md_hmac_starts(&ctx, key ? key : empty, key_len);
	for (i = 0; !ret && i < n_in; i++)
		if (in[i].len)
			ret = mbedtls_md_hmac_update(&ctx, in[i].data,
						     in[i].len);
	if (!ret)
		ret = mbedtls_md_hmac_finish(&ctx, out);
	mbedtls_md_free(&ctx);
	return ret ? MLS_ERR_CRYPTO : 0;
}

/* The RFC 5869 loop, so that info can be streamed from several pieces. */
int mls_hkdf_expand_iov(const struct mls_suite *s, const uint8_t *prk,
			size_t prk_len, const struct mls_iov *in, size_t n_in,
			uint8_t *out, size_t out_len)
{
	struct mls_iov parts[8];
	uint8_t t[MLS_MAX_HASH_LEN];
	uint8_t counter;
	size_t done = 0, take, i;
	int ret = 0;

	if (!s || !prk || !out || n_in > 6)
		return MLS_ERR_INVALID_ARG;
	if (prk_len < s->hash_len || out_len == 0 ||
	    out_len > 255 * s->hash_len)
		return MLS_ERR_INVALID_ARG;
	for (i = 0; i < n_in; i++)
		parts[i + 1] = in[i];
	parts[n_in + 1].data = &counter;
	parts[n_in + 1].len = 1;
	for (counter = 1; done < out_len; counter++) {
		/* T(0) is empty; T(i) = HMAC(PRK, T(i-1) | info | i) */
		parts[0].data = t;
		parts[0].len = counter == 1 ? 0 : s->hash_len;
		ret = mls_hmac_iov(s, prk, prk_len, parts, n_in + 2, t);
		if (ret)
			break;
		take = out_len - done < s->hash_len ? out_len - done :
						      s->hash_len;
		memcpy(out + done, t, take);
		done += take;
	}
	mls_crypto_wipe(t, sizeof(t));
	if (ret)
		mls_crypto_wipe(out, out_len);
	return ret;
}
