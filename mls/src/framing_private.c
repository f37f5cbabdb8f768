// SPDX-License-Identifier: MIT
/*
 * PrivateMessage protection (RFC 9420 §6.3): the signed content is
 * encrypted under the sender's ratchet key for its content type, and the
 * sender's identity (leaf, generation, reuse guard) under a key drawn from
 * sender_data_secret and a sample of that ciphertext.
 */
#include <stdlib.h>
#include <string.h>

#include "framing_internal.h"

#define REUSE_GUARD_LEN 4

static enum mls_ratchet_type ratchet_for(uint8_t content_type)
{
	return content_type == MLS_CONTENT_APPLICATION ?
	       MLS_RATCHET_APPLICATION : MLS_RATCHET_HANDSHAKE;
}

/* PrivateContentAAD (§6.3.1) */
static int content_aad(const struct mls_private_message *m,
		       struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_write_opaque_bytes(&w, &m->group_id);
	mls_write_u64(&w, m->epoch);
	mls_write_u8(&w, m->content_type);
	mls_write_opaque_bytes(&w, &m->authenticated_data);
	return mls_writer_finish(&w, out);
}

/* SenderDataAAD (§6.3.2) */
static int sender_data_aad(const struct mls_private_message *m,
			   struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_write_opaque_bytes(&w, &m->group_id);
	mls_write_u64(&w, m->epoch);
	mls_write_u8(&w, m->content_type);
	return mls_writer_finish(&w, out);
}

/* §6.3.1: the first four nonce bytes are XORed with the reuse guard. */
static void apply_reuse_guard(uint8_t *nonce, const uint8_t *guard)
{
	size_t i;

	for (i = 0; i < REUSE_GUARD_LEN; i++)
		nonce[i] ^= guard[i];
}

static int seal_to(const struct mls_suite *s, const uint8_t *key,
		   const uint8_t *nonce, const struct mls_bytes *aad,
		   const uint8_t *pt, size_t pt_len, struct mls_bytes *out)
{
	struct mls_bytes ct = { NULL, 0 };
	int ret;

	ct.data = malloc(pt_len + s->aead_tag_len);
	if (!ct.data)
		return MLS_ERR_NOMEM;
	ct.len = pt_len + s->aead_tag_len;
	ret = mls_aead_seal(s, key, s->aead_key_len, nonce, s->aead_nonce_len,
			    aad->data, aad->len, pt, pt_len, ct.data);
	if (ret)
		mls_bytes_free(&ct);
	else
		*out = ct;
	return ret;
}

static int encrypt_sender_data(const struct mls_framing_ctx *ctx,
			       const struct mls_sender_data *sd,
			       struct mls_private_message *m)
{
	const struct mls_suite *s = ctx->suite;
	uint8_t key[MLS_MAX_AEAD_KEY_LEN], nonce[MLS_MAX_AEAD_NONCE_LEN];
	struct mls_bytes aad = { NULL, 0 }, pt = { NULL, 0 };
	int ret;

	ret = mls_sender_data_key_nonce(s, ctx->sender_data_secret,
					ctx->sender_data_secret_len,
					m->ciphertext.data, m->ciphertext.len,
					key, nonce);
	if (!ret)
		ret = sender_data_aad(m, &aad);
	if (!ret)
		ret = mls_sender_data_to_bytes(sd, &pt);
	if (!ret)
		ret = seal_to(s, key, nonce, &aad, pt.data, pt.len,
			      &m->encrypted_sender_data);
	mls_wipe(key, sizeof(key));
	mls_wipe(nonce, sizeof(nonce));
	mls_bytes_free(&aad);
	mls_bytes_free_secret(&pt);
	return ret;
}

int mls_framing_encrypt_content(const struct mls_framing_ctx *ctx,
				uint32_t sender_leaf,
				const uint8_t *plaintext, size_t plaintext_len,
				struct mls_private_message *header)
{
	struct mls_sender_data sd = { .leaf_index = sender_leaf };
	struct mls_bytes aad = { NULL, 0 };
	struct mls_ratchet_key rk;
	int ret;

	if (!ctx || !ctx->suite || !ctx->secret_tree ||
	    !ctx->sender_data_secret || !header ||
	    (!plaintext && plaintext_len))
		return MLS_ERR_INVALID_ARG;
	header->encrypted_sender_data.data = NULL;
	header->encrypted_sender_data.len = 0;
	header->ciphertext.data = NULL;
	header->ciphertext.len = 0;
	ret = mls_crypto_random(ctx->crypto, sd.reuse_guard,
				sizeof(sd.reuse_guard));
	if (ret)
		return ret;
	ret = mls_secret_tree_next_key(ctx->secret_tree, sender_leaf,
				       ratchet_for(header->content_type), &rk);
	if (ret)
		return ret;
	sd.generation = rk.generation;
	apply_reuse_guard(rk.nonce, sd.reuse_guard);
	ret = content_aad(header, &aad);
	if (!ret)
		ret = seal_to(ctx->suite, rk.key, rk.nonce, &aad, plaintext,
			      plaintext_len, &header->ciphertext);
	if (!ret)
		ret = encrypt_sender_data(ctx, &sd, header);
	if (ret) {
		mls_bytes_free(&header->ciphertext);
		mls_bytes_free(&header->encrypted_sender_data);
	}
	mls_wipe(&rk, sizeof(rk));
	mls_wipe(&sd, sizeof(sd));
	mls_bytes_free(&aad);
	return ret;
}

/* PrivateMessageContent with zero padding up to ctx->padding_block. */
static int encode_plaintext(const struct mls_framing_ctx *ctx,
			    const struct mls_framed_content *content,
			    const struct mls_framed_content_auth_data *auth,
			    struct mls_bytes *out)
{
	struct mls_private_message_content pmc;
	size_t block = ctx->padding_block;
	struct mls_writer w;

	memset(&pmc, 0, sizeof(pmc));
	pmc.content = content->content;
	pmc.auth = *auth;
	mls_writer_init(&w);
	mls_private_message_content_encode(&w, &pmc);
	while (block > 1 && w.len % block && !w.err)
		mls_write_u8(&w, 0);
	return mls_writer_finish(&w, out);
}

int mls_framing_protect_private(const struct mls_framing_ctx *ctx,
				const struct mls_framed_content *content,
				const uint8_t *sig_priv, size_t sig_priv_len,
				const struct mls_bytes *confirmation_tag,
				struct mls_bytes *mls_message)
{
	struct mls_framed_content_auth_data auth;
	struct mls_bytes pt = { NULL, 0 };
	struct mls_private_message m;
	struct mls_writer w;
	int ret;

	ret = mls_framing_check_send(ctx, content, sig_priv, confirmation_tag,
				     mls_message);
	if (ret)
		return ret;
	/* §6.3: only members hold the secret tree */
	if (content->sender.type != MLS_SENDER_MEMBER)
		return MLS_ERR_INVALID_ARG;
	memset(&auth, 0, sizeof(auth));
	memset(&m, 0, sizeof(m));
	if (content->content.type == MLS_CONTENT_COMMIT)
		auth.confirmation_tag = *confirmation_tag;
	ret = mls_framing_sign(ctx, MLS_WIRE_PRIVATE_MESSAGE, content, sig_priv,
			       sig_priv_len, &auth.signature);
	if (!ret)
		ret = encode_plaintext(ctx, content, &auth, &pt);
	m.group_id = content->group_id;
	m.epoch = content->epoch;
	m.content_type = content->content.type;
	m.authenticated_data = content->authenticated_data;
	if (!ret)
		ret = mls_framing_encrypt_content(ctx, content->sender.index,
						  pt.data, pt.len, &m);
	if (!ret) {
		mls_writer_init(&w);
		mls_framing_write_message_header(&w, MLS_WIRE_PRIVATE_MESSAGE);
		mls_private_message_encode(&w, &m);
		ret = mls_writer_finish(&w, mls_message);
	}
	mls_bytes_free(&m.encrypted_sender_data);
	mls_bytes_free(&m.ciphertext);
	mls_bytes_free(&auth.signature);
	mls_bytes_free_secret(&pt);
	return ret;
}

/* AEAD-open into a fresh buffer: MLS_ERR_AUTH on any failure to open. */
static int open_to(const struct mls_suite *s, const uint8_t *key,
		   const uint8_t *nonce, const struct mls_bytes *aad,
		   const struct mls_bytes *ct, struct mls_bytes *out)
{
	size_t pt_len;
	int ret;

	out->data = NULL;
	out->len = 0;
	if (ct->len < s->aead_tag_len)
		return MLS_ERR_AUTH;
	pt_len = ct->len - s->aead_tag_len;
	out->data = malloc(pt_len ? pt_len : 1);
	if (!out->data)
		return MLS_ERR_NOMEM;
	ret = mls_aead_open(s, key, s->aead_key_len, nonce, s->aead_nonce_len,
			    aad->data, aad->len, ct->data, ct->len, out->data);
	if (ret) {
		mls_bytes_free(out);
		return ret;
	}
	out->len = pt_len;
	if (!pt_len)
		mls_bytes_free(out);
	return 0;
}

static int decrypt_sender_data(const struct mls_framing_ctx *ctx,
			       const struct mls_private_message *m,
			       struct mls_sender_data *sd)
{
	uint8_t key[MLS_MAX_AEAD_KEY_LEN], nonce[MLS_MAX_AEAD_NONCE_LEN];
	struct mls_bytes aad = { NULL, 0 }, pt = { NULL, 0 };
	int ret;

	memset(sd, 0, sizeof(*sd));
	ret = mls_sender_data_key_nonce(ctx->suite, ctx->sender_data_secret,
					ctx->sender_data_secret_len,
					m->ciphertext.data, m->ciphertext.len,
					key, nonce);
	if (!ret)
		ret = sender_data_aad(m, &aad);
	if (!ret)
		ret = open_to(ctx->suite, key, nonce, &aad,
			      &m->encrypted_sender_data, &pt);
	if (!ret)
		ret = mls_sender_data_from_bytes(pt.data, pt.len, sd);
	mls_wipe(key, sizeof(key));
	mls_wipe(nonce, sizeof(nonce));
	mls_bytes_free(&aad);
	mls_bytes_free_secret(&pt);
	return ret;
}

static int decrypt_content(const struct mls_framing_ctx *ctx,
			   const struct mls_private_message *m,
			   const struct mls_sender_data *sd,
			   struct mls_bytes *pt)
{
	struct mls_bytes aad = { NULL, 0 };
	struct mls_ratchet_key rk;
	int ret;

	ret = mls_secret_tree_key(ctx->secret_tree, sd->leaf_index,
				  ratchet_for(m->content_type), sd->generation,
				  &rk);
	if (ret)
		return ret;
	apply_reuse_guard(rk.nonce, sd->reuse_guard);
	ret = content_aad(m, &aad);
	if (!ret)
		ret = open_to(ctx->suite, rk.key, rk.nonce, &aad, &m->ciphertext,
			      pt);
	mls_wipe(&rk, sizeof(rk));
	mls_bytes_free(&aad);
	return ret;
}

/* Move the decrypted parts and copy the header into an AuthenticatedContent. */
static int assemble(const struct mls_private_message *m,
		    const struct mls_sender_data *sd,
		    struct mls_private_message_content *pmc,
		    struct mls_authenticated_content *out)
{
	int ret;

	out->wire_format = MLS_WIRE_PRIVATE_MESSAGE;
	out->content.epoch = m->epoch;
	out->content.sender.type = MLS_SENDER_MEMBER;
	out->content.sender.index = sd->leaf_index;
	out->content.content = pmc->content;
	out->auth = pmc->auth;
	memset(pmc, 0, sizeof(*pmc));
	ret = mls_bytes_dup(&out->content.group_id, &m->group_id);
	if (!ret)
		ret = mls_bytes_dup(&out->content.authenticated_data,
				    &m->authenticated_data);
	return ret;
}

int mls_framing_unprotect_private(const struct mls_framing_ctx *ctx,
				  const struct mls_private_message *msg,
				  struct mls_authenticated_content *out)
{
	struct mls_private_message_content pmc;
	struct mls_bytes pt = { NULL, 0 };
	struct mls_sender_data sd;
	struct mls_reader r;
	int ret;

	if (!out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	memset(&pmc, 0, sizeof(pmc));
	if (!ctx || !msg || !ctx->group_context || !ctx->secret_tree ||
	    !ctx->sender_data_secret)
		return MLS_ERR_INVALID_ARG;
	if (!ctx->suite)
		return MLS_ERR_UNSUPPORTED_SUITE;
	ret = mls_framing_check_group(ctx, &msg->group_id, msg->epoch,
				      MLS_ERR_VALIDATION);
	if (!ret)
		ret = decrypt_sender_data(ctx, msg, &sd);
	if (!ret)
		ret = decrypt_content(ctx, msg, &sd, &pt);
	if (!ret) {
		mls_reader_init(&r, pt.data, pt.len);
		ret = mls_private_message_content_decode(&r, &pmc,
							 msg->content_type);
	}
	if (!ret)
		ret = assemble(msg, &sd, &pmc, out);
	if (!ret)
		ret = mls_framing_verify(ctx, MLS_WIRE_PRIVATE_MESSAGE,
					 &out->content, &out->auth.signature);
	/* §9.2: the key goes only once the message has proved genuine */
	if (!ret)
		ret = mls_secret_tree_consume(ctx->secret_tree, sd.leaf_index,
					      ratchet_for(msg->content_type),
					      sd.generation);
	if (ret)
		mls_authenticated_content_free(out);
	mls_private_message_content_free(&pmc);
	mls_bytes_free_secret(&pt);
	mls_wipe(&sd, sizeof(sd));
	return ret;
}
