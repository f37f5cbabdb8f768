/* SPDX-License-Identifier: MIT */
/* Helpers shared by the PublicMessage and PrivateMessage halves of §6. */
#ifndef MLS_FRAMING_INTERNAL_H
#define MLS_FRAMING_INTERNAL_H

#include "mls/framing.h"

/*
 * 0 if group_id and epoch are those of ctx->group_context, else `err`
 * (MLS_ERR_INVALID_ARG when sending, MLS_ERR_VALIDATION when receiving);
 * MLS_ERR_INVALID_ARG if the context itself cannot be read.
 */
int mls_framing_check_group(const struct mls_framing_ctx *ctx,
			    const struct mls_bytes *group_id, uint64_t epoch,
			    int err);

/* FramedContentTBS (§6.1) with the context's GroupContext bytes. */
void mls_framing_encode_tbs(struct mls_writer *w,
			    const struct mls_framing_ctx *ctx,
			    uint16_t wire_format,
			    const struct mls_framed_content *content);

/* SignWithLabel(., "FramedContentTBS", TBS) into a fresh signature. */
int mls_framing_sign(const struct mls_framing_ctx *ctx, uint16_t wire_format,
		     const struct mls_framed_content *content,
		     const uint8_t *sig_priv, size_t sig_priv_len,
		     struct mls_bytes *signature);

/* Verify with the key ctx->signer_key gives for the sender. */
int mls_framing_verify(const struct mls_framing_ctx *ctx,
		       uint16_t wire_format,
		       const struct mls_framed_content *content,
		       const struct mls_bytes *signature);

/* Common argument checks for both protect functions. */
int mls_framing_check_send(const struct mls_framing_ctx *ctx,
			   const struct mls_framed_content *content,
			   const uint8_t *sig_priv,
			   const struct mls_bytes *confirmation_tag,
			   const struct mls_bytes *mls_message);

/* MLSMessage header (version, wire_format) before the body. */
void mls_framing_write_message_header(struct mls_writer *w,
				      uint16_t wire_format);

#endif
