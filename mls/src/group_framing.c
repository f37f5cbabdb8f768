// SPDX-License-Identifier: MIT
/*
 * Handshake messages of the current epoch (RFC 9420 §6): the framing
 * context from the group state, and whose signature key a sender uses
 * (§6.1: the tree for members, external_senders for external senders,
 * the message itself for new members).
 */
#include <string.h>

#include "mls/framing.h"
#include "group_internal.h"

struct signer_ctx {
	const struct mls_epoch_view *v;
	/* external_senders entry decoded on demand, freed by the caller */
	struct mls_bytes external_key;
};

/* ExternalSender { SignaturePublicKey signature_key; Credential credential; } */
int mls_group_external_sender(const struct mls_group_context *gc,
			      uint32_t index, struct mls_bytes *key,
			      struct mls_credential *cred)
{
	const struct mls_extension *ext;
	struct mls_reader r, list;
	uint32_t i;
	int err;

	memset(key, 0, sizeof(*key));
	memset(cred, 0, sizeof(*cred));
	ext = mls_extension_list_find(&gc->extensions,
				      MLS_EXT_EXTERNAL_SENDERS);
	if (!ext)
		return MLS_ERR_NOT_FOUND;
	mls_reader_init(&r, ext->data.data, ext->data.len);
	err = mls_read_vector(&r, &list);
	for (i = 0; !err && mls_reader_more(&list); i++) {
		err = mls_read_opaque(&list, key);
		if (!err)
			err = mls_credential_decode(&list, cred);
		if (!err && i == index)
			return 0;
		mls_bytes_free(key);
		mls_credential_free(cred);
	}
	return err ? err : MLS_ERR_NOT_FOUND;
}

static int external_sender_key(const struct mls_group_context *gc,
			       uint32_t index, struct mls_bytes *key)
{
	struct mls_credential cred;
	int err;

	err = mls_group_external_sender(gc, index, key, &cred);
	if (!err)
		mls_credential_free(&cred);
	return err;
}

static const uint8_t *sender_key(void *arg,
				 const struct mls_framed_content *content,
				 size_t *key_len)
{
	struct signer_ctx *sc = arg;
	const struct mls_leaf_node *leaf = NULL;
	const struct mls_content *c = &content->content;

	switch (content->sender.type) {
	case MLS_SENDER_MEMBER:
		leaf = mls_tree_leaf(sc->v->tree, content->sender.index);
		break;
	case MLS_SENDER_EXTERNAL:
		mls_bytes_free(&sc->external_key);
		if (external_sender_key(sc->v->context, content->sender.index,
					&sc->external_key))
			return NULL;
		*key_len = sc->external_key.len;
		return sc->external_key.data;
	case MLS_SENDER_NEW_MEMBER_PROPOSAL:
		if (c->type == MLS_CONTENT_PROPOSAL &&
		    c->proposal.type == MLS_PROPOSAL_ADD)
			leaf = &c->proposal.add.key_package.leaf_node;
		break;
	case MLS_SENDER_NEW_MEMBER_COMMIT:
		if (c->type == MLS_CONTENT_COMMIT && c->commit.has_path)
			leaf = &c->commit.path.leaf_node;
		break;
	}
	if (!leaf)
		return NULL;
	*key_len = leaf->signature_key.len;
	return leaf->signature_key.data;
}

int mls_group_unprotect_in(const struct mls_group *g,
			   const struct mls_epoch_view *v,
			   const struct mls_message *m,
			   struct mls_authenticated_content *ac)
{
	struct mls_bytes gc = { NULL, 0 };
	struct signer_ctx sc = { v, { NULL, 0 } };
	struct mls_framing_ctx ctx;
	int err;

	err = mls_group_context_to_bytes(v->context, &gc);
	if (err)
		return err;
	memset(&ctx, 0, sizeof(ctx));
	ctx.suite = g->suite;
	ctx.group_context = gc.data;
	ctx.group_context_len = gc.len;
	ctx.membership_key = v->membership_key;
	ctx.membership_key_len = v->membership_key ? g->suite->hash_len : 0;
	ctx.sender_data_secret = v->sender_data_secret;
	ctx.sender_data_secret_len = g->suite->hash_len;
	ctx.secret_tree = v->secret_tree;
	ctx.signer_key = sender_key;
	ctx.signer_key_arg = &sc;
	if (m->wire_format == MLS_WIRE_PUBLIC_MESSAGE && v->membership_key)
		err = mls_framing_unprotect_public(&ctx, &m->public_message,
						   ac);
	else if (m->wire_format == MLS_WIRE_PRIVATE_MESSAGE)
		err = mls_framing_unprotect_private(&ctx, &m->private_message,
						    ac);
	else
		err = MLS_ERR_INVALID_ARG;
	mls_bytes_free(&sc.external_key);
	mls_bytes_free(&gc);
	return err;
}

int mls_group_unprotect(struct mls_group *g, const struct mls_message *m,
			struct mls_authenticated_content *ac)
{
	struct mls_epoch_view v = {
		.context = &g->context,
		.tree = &g->tree,
		.membership_key = g->secrets.membership_key,
		.sender_data_secret = g->secrets.sender_data_secret,
		.secret_tree = g->secret_tree,
	};

	return mls_group_unprotect_in(g, &v, m, ac);
}
