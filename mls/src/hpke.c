// SPDX-License-Identifier: MIT
/* HPKE base mode (RFC 9180 §5.1-§5.3, §6.1). */
#include <string.h>

#include "mls/hpke.h"

#include "crypto_internal.h"

#define HPKE_MODE_BASE 0x00

void mls_hpke_ctx_clear(struct mls_hpke_ctx *ctx)
{
	if (ctx)
		mls_crypto_wipe(ctx, sizeof(*ctx));
}

int mls_hpke_key_schedule_base(const struct mls_suite *s,
			       const uint8_t *shared_secret,
			       const uint8_t *info, size_t info_len,
			       struct mls_hpke_ctx *ctx)
{
	uint8_t sid[MLS_HPKE_SUITE_ID_MAX];
	/* mode || psk_id_hash || info_hash */
	uint8_t ksc[1 + 2 * MLS_MAX_HASH_LEN];
	uint8_t secret[MLS_MAX_HASH_LEN];
	size_t sid_len, nh, ksc_len;
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!shared_secret || !ctx || (!info && info_len))
		return MLS_ERR_INVALID_ARG;
	memset(ctx, 0, sizeof(*ctx));
	sid_len = mls_hpke_suite_id(s, sid);
	nh = s->hash_len;
	ksc_len = 1 + 2 * nh;
	ksc[0] = HPKE_MODE_BASE;
	/* Base mode: psk = psk_id = "" (§5.1) */
	ret = mls_hpke_labeled_extract(s, sid, sid_len, NULL, 0, "psk_id_hash",
				       NULL, 0, ksc + 1);
	if (!ret)
		ret = mls_hpke_labeled_extract(s, sid, sid_len, NULL, 0,
					       "info_hash", info, info_len,
					       ksc + 1 + nh);
	if (!ret)
		ret = mls_hpke_labeled_extract(s, sid, sid_len, shared_secret,
					       s->kem_secret_len, "secret",
					       NULL, 0, secret);
	if (!ret)
		ret = mls_hpke_labeled_expand(s, sid, sid_len, secret, nh,
					      "key", ksc, ksc_len, ctx->key,
					      s->aead_key_len);
	if (!ret)
		ret = mls_hpke_labeled_expand(s, sid, sid_len, secret, nh,
					      "base_nonce", ksc, ksc_len,
					      ctx->base_nonce,
					      s->aead_nonce_len);
	if (!ret)
		ret = mls_hpke_labeled_expand(s, sid, sid_len, secret, nh,
					      "exp", ksc, ksc_len,
					      ctx->exporter_secret, nh);
	mls_crypto_wipe(secret, sizeof(secret));
	if (ret)
		mls_hpke_ctx_clear(ctx);
	else
		ctx->suite = s;
	return ret;
}

int mls_hpke_setup_base_s(const struct mls_crypto *c,
			  const struct mls_suite *s, const uint8_t *pk_r,
			  size_t pk_r_len, const uint8_t *info,
			  size_t info_len, uint8_t *enc,
			  struct mls_hpke_ctx *ctx)
{
	uint8_t shared[MLS_MAX_KEM_SECRET_LEN];
	int ret;

	ret = mls_kem_encap(c, s, pk_r, pk_r_len, shared, enc);
	if (!ret)
		ret = mls_hpke_key_schedule_base(s, shared, info, info_len,
						 ctx);
	mls_crypto_wipe(shared, sizeof(shared));
	return ret;
}

int mls_hpke_setup_base_r(const struct mls_suite *s, const uint8_t *enc,
			  size_t enc_len, const uint8_t *sk_r,
			  size_t sk_r_len, const uint8_t *info,
			  size_t info_len, struct mls_hpke_ctx *ctx)
{
	uint8_t shared[MLS_MAX_KEM_SECRET_LEN];
	int ret;

	ret = mls_kem_decap(s, enc, enc_len, sk_r, sk_r_len, shared);
	if (!ret)
		ret = mls_hpke_key_schedule_base(s, shared, info, info_len,
						 ctx);
	mls_crypto_wipe(shared, sizeof(shared));
	return ret;
}

/* ComputeNonce(seq) = base_nonce XOR I2OSP(seq, Nn) (§5.2) */
static void compute_nonce(const struct mls_hpke_ctx *ctx, uint8_t *nonce)
{
	size_t nn = ctx->suite->aead_nonce_len, i;
	uint64_t seq = ctx->seq;

	memcpy(nonce, ctx->base_nonce, nn);
	for (i = 0; i < 8; i++)
		nonce[nn - 1 - i] ^= (uint8_t)(seq >> (8 * i));
}

static int check_ctx(const struct mls_hpke_ctx *ctx)
{
	if (!ctx || !ctx->suite)
		return MLS_ERR_INVALID_STATE;
	/* MessageLimitReachedError: a uint64 seq ends long before 2^96 - 1 */
	if (ctx->seq == UINT64_MAX)
		return MLS_ERR_INVALID_STATE;
	return 0;
}

int mls_hpke_seal(struct mls_hpke_ctx *ctx, const uint8_t *aad,
		  size_t aad_len, const uint8_t *pt, size_t pt_len,
		  uint8_t *ct)
{
	uint8_t nonce[MLS_MAX_AEAD_NONCE_LEN];
	const struct mls_suite *s;
	int ret = check_ctx(ctx);

	if (ret)
		return ret;
	s = ctx->suite;
	compute_nonce(ctx, nonce);
	ret = mls_aead_seal(s, ctx->key, s->aead_key_len, nonce,
			    s->aead_nonce_len, aad, aad_len, pt, pt_len, ct);
	if (!ret)
		ctx->seq++;
	return ret;
}

int mls_hpke_open(struct mls_hpke_ctx *ctx, const uint8_t *aad,
		  size_t aad_len, const uint8_t *ct, size_t ct_len,
		  uint8_t *pt)
{
	uint8_t nonce[MLS_MAX_AEAD_NONCE_LEN];
	const struct mls_suite *s;
	int ret = check_ctx(ctx);

	if (ret)
		return ret;
	s = ctx->suite;
	compute_nonce(ctx, nonce);
	ret = mls_aead_open(s, ctx->key, s->aead_key_len, nonce,
			    s->aead_nonce_len, aad, aad_len, ct, ct_len, pt);
	if (!ret)
		ctx->seq++;
	return ret;
}

int mls_hpke_export(const struct mls_hpke_ctx *ctx,
		    const uint8_t *exporter_context, size_t context_len,
		    uint8_t *out, size_t out_len)
{
	uint8_t sid[MLS_HPKE_SUITE_ID_MAX];
	size_t sid_len;

	if (!ctx || !ctx->suite)
		return MLS_ERR_INVALID_STATE;
	if (!out || (!exporter_context && context_len))
		return MLS_ERR_INVALID_ARG;
	sid_len = mls_hpke_suite_id(ctx->suite, sid);
	return mls_hpke_labeled_expand(ctx->suite, sid, sid_len,
				       ctx->exporter_secret,
				       ctx->suite->hash_len, "sec",
				       exporter_context, context_len, out,
				       out_len);
}

int mls_hpke_seal_base(const struct mls_crypto *c, const struct mls_suite *s,
		       const uint8_t *pk_r, size_t pk_r_len,
		       const uint8_t *info, size_t info_len,
		       const uint8_t *aad, size_t aad_len,
		       const uint8_t *pt, size_t pt_len,
		       uint8_t *enc, uint8_t *ct)
{
	struct mls_hpke_ctx ctx;
	int ret;

	ret = mls_hpke_setup_base_s(c, s, pk_r, pk_r_len, info, info_len, enc,
				    &ctx);
	if (!ret)
		ret = mls_hpke_seal(&ctx, aad, aad_len, pt, pt_len, ct);
	mls_hpke_ctx_clear(&ctx);
	return ret;
}

int mls_hpke_open_base(const struct mls_suite *s, const uint8_t *enc,
		       size_t enc_len, const uint8_t *sk_r, size_t sk_r_len,
		       const uint8_t *info, size_t info_len,
		       const uint8_t *aad, size_t aad_len,
		       const uint8_t *ct, size_t ct_len, uint8_t *pt)
{
	struct mls_hpke_ctx ctx;
	int ret;

	ret = mls_hpke_setup_base_r(s, enc, enc_len, sk_r, sk_r_len, info,
				    info_len, &ctx);
	if (!ret)
		ret = mls_hpke_open(&ctx, aad, aad_len, ct, ct_len, pt);
	mls_hpke_ctx_clear(&ctx);
	return ret;
}

int mls_hpke_send_export_base(const struct mls_crypto *c,
			      const struct mls_suite *s, const uint8_t *pk_r,
			      size_t pk_r_len, const uint8_t *info,
			      size_t info_len, const uint8_t *exporter_context,
			      size_t context_len, uint8_t *enc, uint8_t *out,
			      size_t out_len)
{
	struct mls_hpke_ctx ctx;
	int ret;

	ret = mls_hpke_setup_base_s(c, s, pk_r, pk_r_len, info, info_len, enc,
				    &ctx);
	if (!ret)
		ret = mls_hpke_export(&ctx, exporter_context, context_len, out,
				      out_len);
	mls_hpke_ctx_clear(&ctx);
	return ret;
}

int mls_hpke_receive_export_base(const struct mls_suite *s,
				 const uint8_t *enc, size_t enc_len,
				 const uint8_t *sk_r, size_t sk_r_len,
				 const uint8_t *info, size_t info_len,
				 const uint8_t *exporter_context,
				 size_t context_len, uint8_t *out,
				 size_t out_len)
{
	struct mls_hpke_ctx ctx;
	int ret;

	ret = mls_hpke_setup_base_r(s, enc, enc_len, sk_r, sk_r_len, info,
				    info_len, &ctx);
	if (!ret)
		ret = mls_hpke_export(&ctx, exporter_context, context_len, out,
				      out_len);
	mls_hpke_ctx_clear(&ctx);
	return ret;
}
