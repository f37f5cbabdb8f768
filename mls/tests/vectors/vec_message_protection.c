// SPDX-License-Identifier: MIT
/*
 * message-protection.json (RFC 9420 §6): unprotect the given proposal,
 * commit and application messages (PublicMessage and PrivateMessage
 * forms), protect our own and unprotect them again, and refuse to send
 * application data as a PublicMessage. The sender is leaf 1 of a 2-leaf
 * secret tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mls/framing.h"
#include "vectors.h"

#define SENDER_LEAF 1
#define N_LEAVES 2

struct mp_case {
	const struct mls_suite *suite;
	struct mls_bytes group_context;
	struct mls_group_context gc;
	struct mls_bytes sig_priv, sig_pub;
	struct mls_bytes encryption_secret, sender_data_secret, membership_key;
};

static const uint8_t *vector_signer_key(void *arg,
					const struct mls_framed_content *c,
					size_t *len)
{
	const struct mp_case *mc = arg;

	if (c->sender.type != MLS_SENDER_MEMBER || c->sender.index !=
	    SENDER_LEAF)
		return NULL;
	*len = mc->sig_pub.len;
	return mc->sig_pub.data;
}

static void mp_case_free(struct mp_case *mc)
{
	mls_bytes_free(&mc->group_context);
	mls_group_context_free(&mc->gc);
	mls_bytes_free_secret(&mc->sig_priv);
	mls_bytes_free(&mc->sig_pub);
	mls_bytes_free_secret(&mc->encryption_secret);
	mls_bytes_free_secret(&mc->sender_data_secret);
	mls_bytes_free_secret(&mc->membership_key);
}

static int mp_case_load(const json_t *tc, struct vec_report *rep,
			struct mp_case *mc)
{
	uint64_t suite_id;
	int err;

	memset(mc, 0, sizeof(*mc));
	if (vec_get_uint(rep, tc, "cipher_suite", &suite_id) ||
	    vec_get_uint(rep, tc, "epoch", &mc->gc.epoch) ||
	    vec_get_hex(rep, tc, "group_id", &mc->gc.group_id) ||
	    vec_get_hex(rep, tc, "tree_hash", &mc->gc.tree_hash) ||
	    vec_get_hex(rep, tc, "confirmed_transcript_hash",
			&mc->gc.confirmed_transcript_hash) ||
	    vec_get_hex(rep, tc, "signature_priv", &mc->sig_priv) ||
	    vec_get_hex(rep, tc, "signature_pub", &mc->sig_pub) ||
	    vec_get_hex(rep, tc, "encryption_secret", &mc->encryption_secret) ||
	    vec_get_hex(rep, tc, "sender_data_secret",
			&mc->sender_data_secret) ||
	    vec_get_hex(rep, tc, "membership_key", &mc->membership_key))
		return -1;
	mc->suite = suite_id <= UINT16_MAX ? mls_suite_get((uint16_t)suite_id) :
					     NULL;
	if (!mc->suite)
		return vec_fail(rep, "cipher suite %llu not supported",
				(unsigned long long)suite_id);
	if (vec_left_pad_key(rep, &mc->sig_priv, mc->suite->sig_priv_len))
		return -1;
	mc->gc.version = MLS_PROTOCOL_MLS10;
	mc->gc.cipher_suite = mc->suite->id;
	err = mls_group_context_to_bytes(&mc->gc, &mc->group_context);
	if (err)
		return vec_fail(rep, "group context: %s", mls_strerror(err));
	return 0;
}

static void framing_ctx(struct mp_case *mc, struct mls_secret_tree *tree,
			struct mls_framing_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->suite = mc->suite;
	ctx->group_context = mc->group_context.data;
	ctx->group_context_len = mc->group_context.len;
	ctx->membership_key = mc->membership_key.data;
	ctx->membership_key_len = mc->membership_key.len;
	ctx->sender_data_secret = mc->sender_data_secret.data;
	ctx->sender_data_secret_len = mc->sender_data_secret.len;
	ctx->secret_tree = tree;
	ctx->signer_key = vector_signer_key;
	ctx->signer_key_arg = mc;
}

/* The content body as the file encodes it: Proposal, Commit or bytes. */
static int content_body(const struct mls_content *c, struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	switch (c->type) {
	case MLS_CONTENT_PROPOSAL:
		mls_proposal_encode(&w, &c->proposal);
		break;
	case MLS_CONTENT_COMMIT:
		mls_commit_encode(&w, &c->commit);
		break;
	default:
		mls_write_raw(&w, c->application_data.data,
			      c->application_data.len);
	}
	return mls_writer_finish(&w, out);
}

static int content_from_body(uint8_t type, const struct mls_bytes *body,
			     struct mls_content *c)
{
	memset(c, 0, sizeof(*c));
	c->type = type;
	switch (type) {
	case MLS_CONTENT_PROPOSAL:
		return mls_proposal_from_bytes(body->data, body->len,
					       &c->proposal);
	case MLS_CONTENT_COMMIT:
		return mls_commit_from_bytes(body->data, body->len, &c->commit);
	default:
		return mls_bytes_dup(&c->application_data, body);
	}
}

/* Unprotect an encoded MLSMessage with a fresh receiver tree. */
static int unprotect(struct mp_case *mc, const struct mls_bytes *wire,
		     uint8_t type, const struct mls_bytes *want,
		     const char *what, struct vec_report *rep)
{
	struct mls_authenticated_content ac = { 0 };
	struct mls_secret_tree *tree = NULL;
	struct mls_bytes got = { NULL, 0 };
	struct mls_framing_ctx ctx;
	struct mls_message msg;
	int err, ret = -1;

	err = mls_message_from_bytes(wire->data, wire->len, &msg);
	if (err)
		return vec_fail(rep, "%s: decode: %s", what, mls_strerror(err));
	err = mls_secret_tree_new(mc->suite, mc->encryption_secret.data,
				  mc->encryption_secret.len, N_LEAVES, NULL,
				  &tree);
	framing_ctx(mc, tree, &ctx);
	if (!err && msg.wire_format == MLS_WIRE_PUBLIC_MESSAGE)
		err = mls_framing_unprotect_public(&ctx, &msg.public_message,
						   &ac);
	else if (!err && msg.wire_format == MLS_WIRE_PRIVATE_MESSAGE)
		err = mls_framing_unprotect_private(&ctx, &msg.private_message,
						    &ac);
	else if (!err)
		err = MLS_ERR_UNKNOWN_VALUE;
	if (!err && ac.content.content.type != type)
		err = MLS_ERR_VALIDATION;
	if (!err)
		err = content_body(&ac.content.content, &got);
	if (err)
		vec_fail(rep, "%s: unprotect: %s", what, mls_strerror(err));
	else
		ret = vec_expect_bytes(rep, what, got.data, got.len, want);
	mls_bytes_free_secret(&got);
	mls_authenticated_content_free(&ac);
	mls_message_free(&msg);
	mls_secret_tree_free(tree);
	return ret;
}

/* Our own PublicMessage (or, for application data, its refusal). */
static int own_public(struct mp_case *mc, const struct mls_framed_content *fc,
		      const struct mls_bytes *tag, const struct mls_bytes *want,
		      struct vec_report *rep)
{
	struct mls_bytes wire = { NULL, 0 };
	struct mls_framing_ctx ctx;
	int err, ret;

	framing_ctx(mc, NULL, &ctx);
	err = mls_framing_protect_public(&ctx, fc, mc->sig_priv.data,
					 mc->sig_priv.len, tag, &wire);
	if (fc->content.type == MLS_CONTENT_APPLICATION) {
		mls_bytes_free(&wire);
		if (err != MLS_ERR_VALIDATION)
			return vec_fail(rep, "application sent as "
					"PublicMessage: got %s",
					mls_strerror(err));
		return 0;
	}
	if (err)
		return vec_fail(rep, "protect public: %s", mls_strerror(err));
	ret = unprotect(mc, &wire, fc->content.type, want, "own public", rep);
	mls_bytes_free(&wire);
	return ret;
}

static int own_private(struct mp_case *mc, const struct mls_framed_content *fc,
		       const struct mls_bytes *tag,
		       const struct mls_bytes *want, struct vec_report *rep)
{
	struct mls_secret_tree *tree = NULL;
	struct mls_bytes wire = { NULL, 0 };
	struct mls_framing_ctx ctx;
	int err, ret;

	err = mls_secret_tree_new(mc->suite, mc->encryption_secret.data,
				  mc->encryption_secret.len, N_LEAVES, NULL,
				  &tree);
	framing_ctx(mc, tree, &ctx);
	ctx.padding_block = 32;
	if (!err)
		err = mls_framing_protect_private(&ctx, fc, mc->sig_priv.data,
						  mc->sig_priv.len, tag, &wire);
	mls_secret_tree_free(tree);
	if (err)
		return vec_fail(rep, "protect private: %s", mls_strerror(err));
	ret = unprotect(mc, &wire, fc->content.type, want, "own private", rep);
	mls_bytes_free(&wire);
	return ret;
}

static int own_messages(struct mp_case *mc, uint8_t type,
			const struct mls_bytes *want, struct vec_report *rep)
{
	uint8_t tag_bytes[MLS_MAX_HASH_LEN];
	struct mls_bytes tag = { tag_bytes, mc->suite->hash_len };
	struct mls_framed_content fc;
	int err, ret;

	memset(&fc, 0, sizeof(fc));
	memset(tag_bytes, 0xa5, sizeof(tag_bytes));
	fc.group_id = mc->gc.group_id;
	fc.epoch = mc->gc.epoch;
	fc.sender.type = MLS_SENDER_MEMBER;
	fc.sender.index = SENDER_LEAF;
	err = content_from_body(type, want, &fc.content);
	if (err)
		return vec_fail(rep, "content: %s", mls_strerror(err));
	ret = own_public(mc, &fc, &tag, want, rep);
	if (!ret)
		ret = own_private(mc, &fc, &tag, want, rep);
	fc.group_id.data = NULL;	/* borrowed from mc */
	mls_framed_content_free(&fc);
	return ret;
}

/*
 * A given message must unprotect. Only application_pub may be absent or
 * null: application data is never sent as a PublicMessage (§6.2), so
 * files leave it out; every other message of the file must be there.
 */
static int given_message(struct mp_case *mc, const json_t *tc,
			 const char *key, uint8_t type,
			 const struct mls_bytes *want, struct vec_report *rep)
{
	const json_t *v = json_object_get(tc, key);
	struct mls_bytes wire = { NULL, 0 };
	int ret;

	if (!v || json_is_null(v)) {
		if (!strcmp(key, "application_pub"))
			return 0;
		return vec_fail(rep, "missing field \"%s\"", key);
	}
	if (vec_get_hex(rep, tc, key, &wire))
		return -1;
	ret = unprotect(mc, &wire, type, want, key, rep);
	mls_bytes_free(&wire);
	return ret;
}

static int check_payload(struct mp_case *mc, const json_t *tc,
			 const char *name, uint8_t type,
			 struct vec_report *rep)
{
	char pub[32], priv[32];
	struct mls_bytes want = { NULL, 0 };
	int ret = -1;

	snprintf(pub, sizeof(pub), "%s_pub", name);
	snprintf(priv, sizeof(priv), "%s_priv", name);
	if (vec_get_hex(rep, tc, name, &want))
		return -1;
	if (!given_message(mc, tc, pub, type, &want, rep) &&
	    !given_message(mc, tc, priv, type, &want, rep) &&
	    !own_messages(mc, type, &want, rep))
		ret = 0;
	mls_bytes_free_secret(&want);
	return ret;
}

int vec_run_message_protection(const json_t *tc, struct vec_report *rep)
{
	struct mp_case mc;
	int ret = -1;

	if (!mp_case_load(tc, rep, &mc) &&
	    !check_payload(&mc, tc, "proposal", MLS_CONTENT_PROPOSAL, rep) &&
	    !check_payload(&mc, tc, "commit", MLS_CONTENT_COMMIT, rep) &&
	    !check_payload(&mc, tc, "application", MLS_CONTENT_APPLICATION,
			   rep))
		ret = 0;
	mp_case_free(&mc);
	return ret;
}
