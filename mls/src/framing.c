// SPDX-License-Identifier: MIT
/* Message protection (RFC 9420 §6): what both wire formats share. */
#include <string.h>

#include "framing_internal.h"

int mls_framing_check_group(const struct mls_framing_ctx *ctx,
			    const struct mls_bytes *group_id, uint64_t epoch,
			    int err)
{
	struct mls_reader r, gid;
	uint16_t version, suite;
	uint64_t ctx_epoch;

	/* GroupContext starts: version, cipher_suite, group_id<V>, epoch */
	mls_reader_init(&r, ctx->group_context, ctx->group_context_len);
	mls_read_u16(&r, &version);
	mls_read_u16(&r, &suite);
	mls_read_vector(&r, &gid);
	if (mls_read_u64(&r, &ctx_epoch) || version != MLS_PROTOCOL_MLS10 ||
	    suite != ctx->suite->id)
		return MLS_ERR_INVALID_ARG;
	if (group_id->len != gid.len ||
	    (gid.len && memcmp(group_id->data, gid.buf, gid.len)))
		return err;
	/* on receipt, say which way the epoch is off: stale or ahead of us */
	if (epoch != ctx_epoch && err == MLS_ERR_VALIDATION)
		return epoch < ctx_epoch ? MLS_ERR_OLD_EPOCH :
					   MLS_ERR_FUTURE_EPOCH;
	return epoch != ctx_epoch ? err : 0;
}

void mls_framing_encode_tbs(struct mls_writer *w,
			    const struct mls_framing_ctx *ctx,
			    uint16_t wire_format,
			    const struct mls_framed_content *content)
{
	mls_write_u16(w, MLS_PROTOCOL_MLS10);
	mls_write_u16(w, wire_format);
	mls_framed_content_encode(w, content);
	switch (content->sender.type) {
	case MLS_SENDER_MEMBER:
	case MLS_SENDER_NEW_MEMBER_COMMIT:
		mls_write_raw(w, ctx->group_context, ctx->group_context_len);
		break;
	}
}

int mls_framing_sign(const struct mls_framing_ctx *ctx, uint16_t wire_format,
		     const struct mls_framed_content *content,
		     const uint8_t *sig_priv, size_t sig_priv_len,
		     struct mls_bytes *signature)
{
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_bytes tbs = { NULL, 0 };
	struct mls_writer w;
	size_t sig_len = 0;
	int ret;

	signature->data = NULL;
	signature->len = 0;
	mls_writer_init(&w);
	mls_framing_encode_tbs(&w, ctx, wire_format, content);
	ret = mls_writer_finish(&w, &tbs);
	if (!ret)
		ret = mls_sign_with_label(ctx->crypto, ctx->suite, sig_priv,
					  sig_priv_len, "FramedContentTBS",
					  tbs.data, tbs.len, sig, &sig_len);
	if (!ret)
		ret = mls_bytes_set(signature, sig, sig_len);
	mls_bytes_free_secret(&tbs);
	return ret;
}

int mls_framing_verify(const struct mls_framing_ctx *ctx,
		       uint16_t wire_format,
		       const struct mls_framed_content *content,
		       const struct mls_bytes *signature)
{
	struct mls_bytes tbs = { NULL, 0 };
	const uint8_t *pub = NULL;
	struct mls_writer w;
	size_t pub_len = 0;
	int ret;

	if (ctx->signer_key)
		pub = ctx->signer_key(ctx->signer_key_arg, content, &pub_len);
	if (!pub)
		return MLS_ERR_NOT_FOUND;
	mls_writer_init(&w);
	mls_framing_encode_tbs(&w, ctx, wire_format, content);
	ret = mls_writer_finish(&w, &tbs);
	if (!ret)
		ret = mls_verify_with_label(ctx->suite, pub, pub_len,
					    "FramedContentTBS", tbs.data,
					    tbs.len, signature->data,
					    signature->len);
	mls_bytes_free_secret(&tbs);
	return ret;
}

int mls_framing_check_send(const struct mls_framing_ctx *ctx,
			   const struct mls_framed_content *content,
			   const uint8_t *sig_priv,
			   const struct mls_bytes *confirmation_tag,
			   const struct mls_bytes *mls_message)
{
	if (!ctx || !content || !sig_priv || !mls_message ||
	    !ctx->group_context)
		return MLS_ERR_INVALID_ARG;
	if (!ctx->suite)
		return MLS_ERR_UNSUPPORTED_SUITE;
	/* §6.1: a commit's auth data always carries its confirmation tag */
	if (content->content.type == MLS_CONTENT_COMMIT &&
	    (!confirmation_tag || confirmation_tag->len != ctx->suite->hash_len))
		return MLS_ERR_INVALID_ARG;
	return mls_framing_check_group(ctx, &content->group_id, content->epoch,
				       MLS_ERR_INVALID_ARG);
}

void mls_framing_write_message_header(struct mls_writer *w,
				      uint16_t wire_format)
{
	mls_write_u16(w, MLS_PROTOCOL_MLS10);
	mls_write_u16(w, wire_format);
}
