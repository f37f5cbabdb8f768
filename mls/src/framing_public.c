// SPDX-License-Identifier: MIT
/*
 * PublicMessage protection (RFC 9420 §6.2): a signature over
 * FramedContentTBS and, for member senders, a membership tag over
 * AuthenticatedContentTBM. Application data is never sent in the clear.
 */
#include <string.h>

#include "framing_internal.h"

/* AuthenticatedContentTBM = FramedContentTBS || FramedContentAuthData */
static int encode_tbm(const struct mls_framing_ctx *ctx,
		      const struct mls_framed_content *content,
		      const struct mls_framed_content_auth_data *auth,
		      struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_framing_encode_tbs(&w, ctx, MLS_WIRE_PUBLIC_MESSAGE, content);
	mls_framed_content_auth_data_encode(&w, auth, content->content.type);
	return mls_writer_finish(&w, out);
}

static int membership_tag(const struct mls_framing_ctx *ctx,
			  const struct mls_framed_content *content,
			  const struct mls_framed_content_auth_data *auth,
			  struct mls_bytes *tag)
{
	uint8_t mac[MLS_MAX_HASH_LEN];
	struct mls_bytes tbm = { NULL, 0 };
	int ret;

	if (!ctx->membership_key)
		return MLS_ERR_INVALID_ARG;
	ret = encode_tbm(ctx, content, auth, &tbm);
	if (!ret)
		ret = mls_hmac(ctx->suite, ctx->membership_key,
			       ctx->membership_key_len, tbm.data, tbm.len,
			       mac);
	if (!ret)
		ret = mls_bytes_set(tag, mac, ctx->suite->hash_len);
	mls_bytes_free(&tbm);
	return ret;
}

static int check_membership_tag(const struct mls_framing_ctx *ctx,
				const struct mls_public_message *msg)
{
	struct mls_bytes tbm = { NULL, 0 };
	int ret;

	if (!ctx->membership_key)
		return MLS_ERR_INVALID_ARG;
	ret = encode_tbm(ctx, &msg->content, &msg->auth, &tbm);
	if (!ret)
		ret = mls_hmac_verify(ctx->suite, ctx->membership_key,
				      ctx->membership_key_len, tbm.data,
				      tbm.len, msg->membership_tag.data,
				      msg->membership_tag.len);
	mls_bytes_free(&tbm);
	return ret;
}

int mls_framing_protect_public(const struct mls_framing_ctx *ctx,
			       const struct mls_framed_content *content,
			       const uint8_t *sig_priv, size_t sig_priv_len,
			       const struct mls_bytes *confirmation_tag,
			       struct mls_bytes *mls_message)
{
	struct mls_public_message msg;
	struct mls_bytes signature = { NULL, 0 }, tag = { NULL, 0 };
	struct mls_writer w;
	int ret;

	ret = mls_framing_check_send(ctx, content, sig_priv, confirmation_tag,
				     mls_message);
	if (ret)
		return ret;
	if (content->content.type == MLS_CONTENT_APPLICATION)
		return MLS_ERR_VALIDATION;
	/* shallow view: nothing in msg is freed but what is built here */
	memset(&msg, 0, sizeof(msg));
	msg.content = *content;
	if (content->content.type == MLS_CONTENT_COMMIT)
		msg.auth.confirmation_tag = *confirmation_tag;
	ret = mls_framing_sign(ctx, MLS_WIRE_PUBLIC_MESSAGE, content, sig_priv,
			       sig_priv_len, &signature);
	msg.auth.signature = signature;
	if (!ret && content->sender.type == MLS_SENDER_MEMBER)
		ret = membership_tag(ctx, content, &msg.auth, &tag);
	msg.membership_tag = tag;
	if (!ret) {
		mls_writer_init(&w);
		mls_framing_write_message_header(&w, MLS_WIRE_PUBLIC_MESSAGE);
		mls_public_message_encode(&w, &msg);
		ret = mls_writer_finish(&w, mls_message);
	}
	mls_bytes_free(&signature);
	mls_bytes_free(&tag);
	return ret;
}

/* Deep copy through the codec: the output owns all of its memory. */
static int copy_out(const struct mls_public_message *msg,
		    struct mls_authenticated_content *out)
{
	struct mls_authenticated_content view;
	struct mls_bytes enc = { NULL, 0 };
	int ret;

	view.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
	view.content = msg->content;
	view.auth = msg->auth;
	ret = mls_authenticated_content_to_bytes(&view, &enc);
	if (!ret)
		ret = mls_authenticated_content_from_bytes(enc.data, enc.len,
							   out);
	mls_bytes_free_secret(&enc);
	return ret;
}

int mls_framing_unprotect_public(const struct mls_framing_ctx *ctx,
				 const struct mls_public_message *msg,
				 struct mls_authenticated_content *out)
{
	int ret;

	if (!out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!ctx || !msg || !ctx->group_context)
		return MLS_ERR_INVALID_ARG;
	if (!ctx->suite)
		return MLS_ERR_UNSUPPORTED_SUITE;
	ret = mls_framing_check_group(ctx, &msg->content.group_id,
				      msg->content.epoch, MLS_ERR_VALIDATION);
	if (ret)
		return ret;
	if (msg->content.content.type == MLS_CONTENT_APPLICATION)
		return MLS_ERR_VALIDATION;
	if (msg->content.sender.type == MLS_SENDER_MEMBER) {
		ret = check_membership_tag(ctx, msg);
		if (ret)
			return ret;
	}
	ret = mls_framing_verify(ctx, MLS_WIRE_PUBLIC_MESSAGE, &msg->content,
				 &msg->auth.signature);
	if (ret)
		return ret;
	return copy_out(msg, out);
}
