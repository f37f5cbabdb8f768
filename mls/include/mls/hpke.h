/* SPDX-License-Identifier: MIT */
/*
 * HPKE base mode (RFC 9180 §5.1, §5.2, §5.3, §6.1) on the libmls crypto
 * provider. The (KEM, KDF, AEAD) triple is the one of the MLS suite given.
 *
 * A context holds the AEAD key, base nonce, exporter secret and sequence
 * number. It is the caller's; mls_hpke_ctx_clear() wipes it.
 */
#ifndef MLS_HPKE_H
#define MLS_HPKE_H

#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"

struct mls_hpke_ctx {
	const struct mls_suite *suite;
	uint8_t key[MLS_MAX_AEAD_KEY_LEN];
	uint8_t base_nonce[MLS_MAX_AEAD_NONCE_LEN];
	uint8_t exporter_secret[MLS_MAX_HASH_LEN];
	uint64_t seq;
};

void mls_hpke_ctx_clear(struct mls_hpke_ctx *ctx);

/* KeySchedule(mode_base, shared_secret, info, "", "") (§5.1). */
int mls_hpke_key_schedule_base(const struct mls_suite *s,
			       const uint8_t *shared_secret,
			       const uint8_t *info, size_t info_len,
			       struct mls_hpke_ctx *ctx);
/* enc receives kem_enc_len bytes. */
int mls_hpke_setup_base_s(const struct mls_crypto *c,
			  const struct mls_suite *s, const uint8_t *pk_r,
			  size_t pk_r_len, const uint8_t *info,
			  size_t info_len, uint8_t *enc,
			  struct mls_hpke_ctx *ctx);
int mls_hpke_setup_base_r(const struct mls_suite *s, const uint8_t *enc,
			  size_t enc_len, const uint8_t *sk_r,
			  size_t sk_r_len, const uint8_t *info,
			  size_t info_len, struct mls_hpke_ctx *ctx);

/* ct receives pt_len + aead_tag_len bytes; seq advances on success. */
int mls_hpke_seal(struct mls_hpke_ctx *ctx, const uint8_t *aad,
		  size_t aad_len, const uint8_t *pt, size_t pt_len,
		  uint8_t *ct);
/* pt receives ct_len - aead_tag_len bytes; MLS_ERR_AUTH leaves seq. */
int mls_hpke_open(struct mls_hpke_ctx *ctx, const uint8_t *aad,
		  size_t aad_len, const uint8_t *ct, size_t ct_len,
		  uint8_t *pt);
/* Secret export (§5.3): out_len at most 255 * hash_len. */
int mls_hpke_export(const struct mls_hpke_ctx *ctx,
		    const uint8_t *exporter_context, size_t context_len,
		    uint8_t *out, size_t out_len);

/* Single-shot APIs (§6.1). */
int mls_hpke_seal_base(const struct mls_crypto *c, const struct mls_suite *s,
		       const uint8_t *pk_r, size_t pk_r_len,
		       const uint8_t *info, size_t info_len,
		       const uint8_t *aad, size_t aad_len,
		       const uint8_t *pt, size_t pt_len,
		       uint8_t *enc, uint8_t *ct);
int mls_hpke_open_base(const struct mls_suite *s, const uint8_t *enc,
		       size_t enc_len, const uint8_t *sk_r, size_t sk_r_len,
		       const uint8_t *info, size_t info_len,
		       const uint8_t *aad, size_t aad_len,
		       const uint8_t *ct, size_t ct_len, uint8_t *pt);
int mls_hpke_send_export_base(const struct mls_crypto *c,
			      const struct mls_suite *s, const uint8_t *pk_r,
			      size_t pk_r_len, const uint8_t *info,
			      size_t info_len, const uint8_t *exporter_context,
			      size_t context_len, uint8_t *enc, uint8_t *out,
			      size_t out_len);
int mls_hpke_receive_export_base(const struct mls_suite *s,
				 const uint8_t *enc, size_t enc_len,
				 const uint8_t *sk_r, size_t sk_r_len,
				 const uint8_t *info, size_t info_len,
				 const uint8_t *exporter_context,
				 size_t context_len, uint8_t *out,
				 size_t out_len);

#endif
