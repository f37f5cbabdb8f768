// SPDX-License-Identifier: MIT
/*
 * Sending (RFC 9420 §6): proposals and application messages of the
 * current epoch, signed as PublicMessages or encrypted as
 * PrivateMessages, and the exporter (§8.5).
 *
 * Messages are sealed here from a signature made first, rather than with
 * mls_framing_protect_*, because a Commit's confirmation tag depends on
 * its signature (§8.2) and a proposal's ProposalRef on the whole
 * AuthenticatedContent (§5.2): both must be known before sealing, and
 * with randomised signatures (ECDSA) signing twice would not give the
 * same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "framing_internal.h"
#include "group_internal.h"

int mls_group_signer(const struct mls_group *g, struct mls_signer *signer)
{
	memset(signer, 0, sizeof(*signer));
	if (g->removed)
		return MLS_ERR_REMOVED;
	if (!g->sig_priv_len)
		return MLS_ERR_INVALID_STATE;
	signer->sig_priv = g->sig_priv;
	signer->sig_priv_len = g->sig_priv_len;
	return 0;
}

int mls_group_framing_ctx(struct mls_group *g, struct mls_framing_ctx *ctx,
			  struct mls_bytes *gc)
{
	int err;

	memset(ctx, 0, sizeof(*ctx));
	err = mls_group_context_to_bytes(&g->context, gc);
	if (err)
		return err;
	ctx->suite = g->suite;
	ctx->crypto = &g->crypto;
	ctx->group_context = gc->data;
	ctx->group_context_len = gc->len;
	ctx->membership_key = g->secrets.membership_key;
	ctx->membership_key_len = g->suite->hash_len;
	ctx->sender_data_secret = g->secrets.sender_data_secret;
	ctx->sender_data_secret_len = g->suite->hash_len;
	ctx->secret_tree = g->secret_tree;
	ctx->padding_block = g->policy.padding_block;
	return 0;
}

int mls_group_content_header(const struct mls_group *g,
			     struct mls_framed_content *fc)
{
	memset(fc, 0, sizeof(*fc));
	fc->epoch = g->context.epoch;
	fc->sender.type = MLS_SENDER_MEMBER;
	fc->sender.index = g->priv.leaf_index;
	return mls_bytes_dup(&fc->group_id, &g->context.group_id);
}

/* membership_tag = MAC(membership_key, AuthenticatedContentTBM) (§6.2). */
static int membership_tag(const struct mls_framing_ctx *ctx,
			  const struct mls_framed_content *fc,
			  const struct mls_framed_content_auth_data *auth,
			  struct mls_bytes *tag)
{
	uint8_t mac[MLS_MAX_HASH_LEN];
	struct mls_writer w;
	int err;

	mls_writer_init(&w);
	mls_framing_encode_tbs(&w, ctx, MLS_WIRE_PUBLIC_MESSAGE, fc);
	mls_framed_content_auth_data_encode(&w, auth, fc->content.type);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_hmac(ctx->suite, ctx->membership_key,
			       ctx->membership_key_len, w.buf, w.len, mac);
	mls_writer_free(&w);
	if (!err)
		err = mls_bytes_set(tag, mac, ctx->suite->hash_len);
	return err;
}

static int seal_public(const struct mls_framing_ctx *ctx,
		       const struct mls_framed_content *fc,
		       const struct mls_framed_content_auth_data *auth,
		       struct mls_bytes *msg)
{
	struct mls_public_message pm;
	struct mls_bytes tag = { NULL, 0 };
	struct mls_writer w;
	int err;

	/* §6.2: application data is never sent in the clear */
	if (fc->content.type == MLS_CONTENT_APPLICATION)
		return MLS_ERR_VALIDATION;
	/* §6.2: only members hold the membership key */
	err = fc->sender.type == MLS_SENDER_MEMBER ?
	      membership_tag(ctx, fc, auth, &tag) : 0;
	if (err)
		return err;
	memset(&pm, 0, sizeof(pm));	/* a shallow view */
	pm.content = *fc;
	pm.auth = *auth;
	pm.membership_tag = tag;
	mls_writer_init(&w);
	mls_framing_write_message_header(&w, MLS_WIRE_PUBLIC_MESSAGE);
	mls_public_message_encode(&w, &pm);
	err = mls_writer_finish(&w, msg);
	mls_bytes_free(&tag);
	return err;
}

static int seal_private(struct mls_group *g,
			const struct mls_framing_ctx *ctx,
			const struct mls_framed_content *fc,
			const struct mls_framed_content_auth_data *auth,
			struct mls_bytes *msg)
{
	struct mls_private_message_content pmc;
	struct mls_private_message pm;
	struct mls_bytes pt = { NULL, 0 };
	struct mls_writer w;
	int err;

	if (ctx->padding_block > MLS_MAX_PADDING_BLOCK)
		return MLS_ERR_INVALID_ARG;
	memset(&pmc, 0, sizeof(pmc));
	pmc.content = fc->content;
	pmc.auth = *auth;
	mls_writer_init(&w);
	mls_private_message_content_encode(&w, &pmc);
	/* §6.3.1: zero padding, which the receiver checks is all zero */
	while (ctx->padding_block > 1 && w.len % ctx->padding_block &&
	       !w.err)
		mls_write_u8(&w, 0);
	err = mls_writer_finish(&w, &pt);
	if (err)
		return err;
	memset(&pm, 0, sizeof(pm));
	pm.group_id = fc->group_id;
	pm.epoch = fc->epoch;
	pm.content_type = fc->content.type;
	pm.authenticated_data = fc->authenticated_data;
	err = mls_framing_encrypt_content(ctx, fc->sender.index, pt.data,
					  pt.len, &pm);
	mls_bytes_free_secret(&pt);
	if (err)
		return err;
	mls_writer_init(&w);
	mls_framing_write_message_header(&w, MLS_WIRE_PRIVATE_MESSAGE);
	mls_private_message_encode(&w, &pm);
	err = mls_writer_finish(&w, msg);
	mls_bytes_free(&pm.encrypted_sender_data);
	mls_bytes_free(&pm.ciphertext);
	return err;
}

int mls_group_seal(struct mls_group *g, const struct mls_framing_ctx *ctx,
		   uint16_t wire, const struct mls_framed_content *fc,
		   const struct mls_framed_content_auth_data *auth,
		   struct mls_bytes *msg)
{
	memset(msg, 0, sizeof(*msg));
	if (wire == MLS_WIRE_PUBLIC_MESSAGE)
		return seal_public(ctx, fc, auth, msg);
	if (wire == MLS_WIRE_PRIVATE_MESSAGE)
		return seal_private(g, ctx, fc, auth, msg);
	return MLS_ERR_INVALID_ARG;
}

#define MLS_DEFINE_COPY(T, name)					\
	int name(struct mls_##T *dst, const struct mls_##T *src)	\
	{								\
		struct mls_writer w;					\
		struct mls_reader r;					\
		int err;						\
									\
		memset(dst, 0, sizeof(*dst));				\
		mls_writer_init(&w);					\
		mls_##T##_encode(&w, src);				\
		err = mls_writer_error(&w);				\
		if (!err) {						\
			mls_reader_init(&r, w.buf, w.len);		\
			mls_##T##_decode(&r, dst);			\
			err = mls_reader_finish(&r);			\
		}							\
		mls_writer_free(&w);					\
		if (err)						\
			mls_##T##_free(dst);				\
		return err;						\
	}

MLS_DEFINE_COPY(proposal, mls_group_copy_proposal)
MLS_DEFINE_COPY(leaf_node, mls_group_copy_leaf)

static uint16_t wire_of(enum mls_group_wire wire)
{
	return wire == MLS_GROUP_WIRE_PRIVATE ? MLS_WIRE_PRIVATE_MESSAGE :
						MLS_WIRE_PUBLIC_MESSAGE;
}

/* Sign and seal one FramedContent; ac (may be NULL) gets it back. */
static int send_content(struct mls_group *g, uint16_t wire,
			struct mls_framed_content *fc,
			struct mls_authenticated_content *ac,
			struct mls_bytes *msg)
{
	struct mls_framed_content_auth_data auth;
	struct mls_framing_ctx ctx;
	struct mls_bytes gc = { NULL, 0 };
	int err;

	memset(&auth, 0, sizeof(auth));
	err = mls_group_framing_ctx(g, &ctx, &gc);
	if (!err)
		err = mls_framing_sign(&ctx, wire, fc, g->sig_priv,
				       g->sig_priv_len, &auth.signature);
	if (!err)
		err = mls_group_seal(g, &ctx, wire, fc, &auth, msg);
	if (!err && ac) {
		ac->wire_format = wire;
		ac->content = *fc;
		ac->auth = auth;
		memset(fc, 0, sizeof(*fc));
		memset(&auth, 0, sizeof(auth));
	}
	mls_framed_content_auth_data_free(&auth);
	mls_bytes_free(&gc);
	return err;
}

int mls_group_propose(struct mls_group *g, const struct mls_proposal *p,
		      enum mls_group_wire wire, struct mls_bytes *msg,
		      uint8_t *ref)
{
	struct mls_authenticated_content ac;
	struct mls_framed_content fc;
	struct mls_bytes out = { NULL, 0 };
	int err;

	if (!g || !g->suite || !p || !msg)
		return MLS_ERR_INVALID_ARG;
	memset(msg, 0, sizeof(*msg));
	if (g->removed)
		return MLS_ERR_REMOVED;
	/* §12.4.2: a reinitialized group sends nothing more */
	if (!g->sig_priv_len || g->reinit)
		return MLS_ERR_INVALID_STATE;
	memset(&ac, 0, sizeof(ac));
	err = mls_group_content_header(g, &fc);
	fc.content.type = MLS_CONTENT_PROPOSAL;
	if (!err)
		err = mls_group_copy_proposal(&fc.content.proposal, p);
	if (!err)
		err = send_content(g, wire_of(wire), &fc, &ac, &out);
	if (!err)
		err = mls_group_cache_content(g, &ac, ref);
	mls_framed_content_free(&fc);
	mls_authenticated_content_free(&ac);
	if (err)
		mls_bytes_free(&out);
	else
		*msg = out;
	return err;
}

int mls_group_encrypt(struct mls_group *g, const uint8_t *data, size_t len,
		      const uint8_t *aad, size_t aad_len,
		      struct mls_bytes *msg)
{
	struct mls_framed_content fc;
	int err;

	if (!g || !g->suite || !msg || (!data && len) || (!aad && aad_len))
		return MLS_ERR_INVALID_ARG;
	memset(msg, 0, sizeof(*msg));
	if (g->removed)
		return MLS_ERR_REMOVED;
	/* §12.4.2: a reinitialized group sends nothing more */
	if (!g->sig_priv_len || g->reinit)
		return MLS_ERR_INVALID_STATE;
	err = mls_group_content_header(g, &fc);
	fc.content.type = MLS_CONTENT_APPLICATION;
	if (!err)
		err = mls_bytes_set(&fc.content.application_data, data, len);
	if (!err)
		err = mls_bytes_set(&fc.authenticated_data, aad, aad_len);
	if (!err)
		err = send_content(g, MLS_WIRE_PRIVATE_MESSAGE, &fc, NULL, msg);
	mls_framed_content_free(&fc);
	return err;
}

/* In the current epoch, or a past one the group still keeps. */
static int unprotect_application(struct mls_group *g,
				 const struct mls_message *m,
				 struct mls_authenticated_content *ac)
{
	struct mls_epoch_view v;

	if (m->private_message.epoch < g->context.epoch &&
	    !mls_group_past_view(g, m->private_message.epoch, &v))
		return mls_group_unprotect_in(g, &v, m, ac);
	return mls_group_unprotect(g, m, ac);
}

int mls_group_decrypt(struct mls_group *g, const struct mls_message *m,
		      struct mls_bytes *data, uint32_t *sender)
{
	struct mls_authenticated_content ac;
	int err;

	if (!g || !g->suite || !m || !data)
		return MLS_ERR_INVALID_ARG;
	memset(data, 0, sizeof(*data));
	if (g->removed)
		return MLS_ERR_REMOVED;
	if (m->wire_format != MLS_WIRE_PRIVATE_MESSAGE ||
	    m->private_message.content_type != MLS_CONTENT_APPLICATION)
		return MLS_ERR_INVALID_ARG;
	memset(&ac, 0, sizeof(ac));
	err = unprotect_application(g, m, &ac);
	if (!err && ac.content.content.type != MLS_CONTENT_APPLICATION)
		err = MLS_ERR_INVALID_ARG;
	if (!err) {
		*data = ac.content.content.application_data;
		memset(&ac.content.content.application_data, 0,
		       sizeof(ac.content.content.application_data));
		if (sender)
			*sender = ac.content.sender.index;
	}
	mls_authenticated_content_free(&ac);
	return err;
}

int mls_group_export(const struct mls_group *g, const char *label,
		     const uint8_t *context, size_t context_len,
		     uint8_t *out, size_t len)
{
	if (!g || !g->suite || !label || !out)
		return MLS_ERR_INVALID_ARG;
	return mls_epoch_export(&g->secrets, label, context, context_len, out,
				len);
}
