// SPDX-License-Identifier: MIT
/*
 * Joining without a Welcome (RFC 9420 §12.4.3.2): a member publishes a
 * GroupInfo with the epoch's external public key (§8.3); a new member
 * encapsulates an init_secret to it (ExternalInit) and commits itself
 * into the group with an UpdatePath. Also proposals from the external
 * senders a group lists (§12.1.8.1).
 */
#include <stdlib.h>
#include <string.h>

#include "mls/hpke.h"
#include "mls/transcript.h"
#include "mls/welcome.h"
#include "framing_internal.h"
#include "group_internal.h"

static const char external_init_label[] = "MLS 1.0 external init secret";

int mls_group_external_init_secret(const struct mls_group *g,
				   const struct mls_bytes *kem_output,
				   uint8_t *out)
{
	const struct mls_suite *s = g->suite;
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	int err;

	err = mls_epoch_external_keypair(&g->secrets, priv, pub);
	if (!err)
		err = mls_hpke_receive_export_base(s, kem_output->data,
						   kem_output->len, priv,
						   s->kem_priv_len, NULL, 0,
				(const uint8_t *)external_init_label,
				sizeof(external_init_label) - 1, out,
				s->hash_len);
	mls_wipe(priv, sizeof(priv));
	/* a kem_output that does not decapsulate is the sender's fault */
	return err == MLS_ERR_BAD_KEY ? MLS_ERR_VALIDATION : err;
}

/* ---- GroupInfo (§12.4.3) ---- */

/* ExternalPub { HPKEPublicKey external_pub; } (§12.4.3.2) */
static int external_pub_extension(const struct mls_group *g,
				  struct mls_extension *ext)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	struct mls_writer w;
	int err;

	err = mls_epoch_external_keypair(&g->secrets, priv, pub);
	mls_wipe(priv, sizeof(priv));
	if (err)
		return err;
	ext->type = MLS_EXT_EXTERNAL_PUB;
	mls_writer_init(&w);
	mls_write_opaque(&w, pub, g->suite->kem_pub_len);
	return mls_writer_finish(&w, &ext->data);
}

static int sign_group_info(const struct mls_group *g,
			   struct mls_group_info *gi, struct mls_bytes *msg)
{
	const struct mls_bytes *cth = &g->context.confirmed_transcript_hash;
	uint8_t tag[MLS_MAX_HASH_LEN];
	struct mls_message m;
	int err;

	gi->group_context = g->context;			/* a view */
	gi->signer = g->priv.leaf_index;
	err = mls_confirmation_tag(&g->secrets, cth->data, cth->len, tag);
	if (!err)
		err = mls_bytes_set(&gi->confirmation_tag, tag,
				    g->suite->hash_len);
	if (!err)
		err = mls_group_info_sign(&g->crypto, g->suite, gi,
					  g->sig_priv, g->sig_priv_len);
	if (err)
		return err;
	memset(&m, 0, sizeof(m));			/* a view */
	m.version = MLS_PROTOCOL_MLS10;
	m.wire_format = MLS_WIRE_GROUP_INFO;
	m.group_info = *gi;
	return mls_message_to_bytes(&m, msg);
}

int mls_group_export_group_info(const struct mls_group *g, bool with_tree,
				struct mls_bytes *msg)
{
	struct mls_extension exts[2];
	struct mls_group_info gi;
	int err;

	if (!g || !g->suite || !msg)
		return MLS_ERR_INVALID_ARG;
	memset(msg, 0, sizeof(*msg));
	if (g->removed)
		return MLS_ERR_REMOVED;
	if (!g->sig_priv_len)
		return MLS_ERR_INVALID_STATE;
	memset(exts, 0, sizeof(exts));
	memset(&gi, 0, sizeof(gi));
	gi.extensions.items = exts;
	gi.extensions.count = 1;
	err = external_pub_extension(g, &exts[0]);
	if (!err && with_tree) {
		exts[1].type = MLS_EXT_RATCHET_TREE;
		err = mls_tree_to_bytes(&g->tree, &exts[1].data);
		gi.extensions.count = 2;
	}
	if (!err)
		err = sign_group_info(g, &gi, msg);
	mls_bytes_free(&exts[0].data);
	mls_bytes_free(&exts[1].data);
	mls_bytes_free(&gi.confirmation_tag);
	mls_bytes_free(&gi.signature);
	return err;
}

/* ---- the joiner's side ---- */

static int external_setup(struct mls_group *g,
			  const struct mls_external_join_options *o)
{
	g->suite = o->suite;
	if (o->crypto)
		g->crypto = *o->crypto;
	else
		mls_crypto_init(&g->crypto);
	g->psk_lookup = o->psk_lookup;
	g->psk_ctx = o->psk_ctx;
	g->clock = o->clock;
	g->clock_ctx = o->clock_ctx;
	g->validate_credential = o->validate_credential;
	g->validate_ctx = o->validate_ctx;
	g->credential_policy = o->credential_policy;
	g->credential_policy_ctx = o->credential_policy_ctx;
	mls_group_set_policy(g, o->policy);
	g->past_epochs = MLS_GROUP_PAST_EPOCHS_DEFAULT;
	mls_tree_init(&g->tree, g->suite);
	mls_tree_private_init(&g->priv, g->suite, 0);
	if (!o->signer.sig_priv ||
	    o->signer.sig_priv_len != o->suite->sig_priv_len)
		return MLS_ERR_BAD_KEY;
	memcpy(g->sig_priv, o->signer.sig_priv, o->signer.sig_priv_len);
	g->sig_priv_len = o->signer.sig_priv_len;
	return 0;
}

/* The tree, its signer's GroupInfo signature and the tree's validity. */
static int external_tree(struct mls_group *g,
			 const struct mls_external_join_options *o,
			 const struct mls_group_info *gi)
{
	const struct mls_group_context *gc = &gi->group_context;
	struct mls_tree_context tc = {
		.group_id = &gc->group_id,
		.tree_hash = &gc->tree_hash,
		.extensions = &gc->extensions,
	};
	const struct mls_extension *ext;
	const struct mls_leaf_node *signer;
	int err;

	if (o->ratchet_tree) {
		err = mls_tree_from_wire(&g->tree, g->suite, o->ratchet_tree);
	} else {
		ext = mls_extension_list_find(&gi->extensions,
					      MLS_EXT_RATCHET_TREE);
		err = ext ? mls_tree_from_bytes(&g->tree, g->suite,
						ext->data.data, ext->data.len) :
			    MLS_ERR_VALIDATION;
	}
	if (err)
		return MLS_ERR_VALIDATION;
	signer = mls_tree_leaf(&g->tree, gi->signer);
	if (!signer)
		return MLS_ERR_VALIDATION;
	err = mls_group_info_verify(g->suite, gi, signer->signature_key.data,
				    signer->signature_key.len);
	if (!err)
		err = mls_tree_validate(&g->tree, &tc, NULL);
	if (!err)
		err = mls_group_validate_tree_leaves(g, &g->tree);
	return err;
}

/* The joined epoch as GroupInfo tells it: context and interim hash. */
static int external_epoch(struct mls_group *g, const struct mls_group_info *gi)
{
	const struct mls_group_context *gc = &gi->group_context;
	const struct mls_bytes *tag = &gi->confirmation_tag;
	int err;

	err = mls_group_context_copy(&g->context, gc);
	if (!err)
		err = mls_interim_transcript_hash(g->suite,
					gc->confirmed_transcript_hash.data,
					gc->confirmed_transcript_hash.len,
					tag->data, tag->len,
					g->interim_transcript_hash);
	g->secrets.suite = g->suite;
	return err;
}

/* ExternalInit (§8.3): an init_secret only the group can also derive. */
static int external_init(struct mls_group *g, const struct mls_group_info *gi,
			 struct mls_proposal *p)
{
	const struct mls_suite *s = g->suite;
	const struct mls_extension *ext;
	uint8_t enc[MLS_MAX_KEM_PUB_LEN];	/* DHKEM: Nenc == Npk */
	struct mls_bytes pub = { NULL, 0 };
	struct mls_reader r;
	int err;

	ext = mls_extension_list_find(&gi->extensions, MLS_EXT_EXTERNAL_PUB);
	if (!ext)
		return MLS_ERR_VALIDATION;
	mls_reader_init(&r, ext->data.data, ext->data.len);
	mls_read_opaque(&r, &pub);
	err = mls_reader_finish(&r);
	if (!err && pub.len != s->kem_pub_len)
		err = MLS_ERR_VALIDATION;
	if (!err)
		err = mls_hpke_send_export_base(&g->crypto, s, pub.data,
				pub.len, NULL, 0,
				(const uint8_t *)external_init_label,
				sizeof(external_init_label) - 1, enc,
				g->secrets.init_secret, s->hash_len);
	mls_bytes_free(&pub);
	memset(p, 0, sizeof(*p));
	p->type = MLS_PROPOSAL_EXTERNAL_INIT;
	if (!err)
		err = mls_bytes_set(&p->external_init.kem_output, enc,
				    s->kem_enc_len);
	return err;
}

/* Our leaf as it joins; TreeKEM gives it its real key and signature. */
static int external_leaf(struct mls_group *g,
			 const struct mls_external_join_options *o,
			 struct mls_leaf_node *leaf)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	struct mls_lifetime lt;
	int err;

	mls_group_default_lifetime(mls_group_now(g), &o->lifetime, &lt);
	err = mls_kem_generate_keypair(&g->crypto, g->suite, priv, pub);
	mls_wipe(priv, sizeof(priv));
	if (!err)
		err = mls_group_new_leaf(&g->crypto, g->suite, &o->signer, &lt,
					 pub, leaf);
	/* §13: a joiner supports every GroupContext extension, or stays out */
	if (!err && mls_leaf_node_check_capabilities(g->suite, leaf,
						     &g->context.extensions))
		err = MLS_ERR_VALIDATION;
	return err;
}

/* The proposals of an external Commit (§12.4.3.2): ExternalInit first. */
static int external_proposals(struct mls_group *g,
			      const struct mls_external_join_options *o,
			      const struct mls_group_info *gi,
			      struct mls_proposal *props, size_t *n)
{
	size_t i;
	int err;

	err = external_init(g, gi, &props[0]);
	*n = 1;
	if (!err && o->remove_old_leaf) {
		if (!mls_tree_leaf(&g->tree, o->old_leaf))
			err = MLS_ERR_VALIDATION;
		props[1].type = MLS_PROPOSAL_REMOVE;
		props[1].remove.removed = o->old_leaf;
		*n = 2;
	}
	for (i = 0; !err && i < o->n_external_psks; i++) {
		const struct mls_bytes *id = &o->external_psks[i];

		err = mls_group_make_external_psk(g, id->data, id->len,
						  &props[*n]);
		if (!err)
			(*n)++;
	}
	return err;
}

static int external_commit(struct mls_group *g,
			   const struct mls_external_join_options *o,
			   const struct mls_group_info *gi,
			   struct mls_bytes *commit)
{
	struct mls_proposal *props;
	struct mls_leaf_node leaf;
	size_t i, n = 0;
	int err;

	if (o->n_external_psks > MLS_MAX_EXTERNAL_JOIN_PSKS ||
	    (o->n_external_psks && !o->external_psks))
		return MLS_ERR_INVALID_ARG;
	props = calloc(2 + o->n_external_psks, sizeof(*props));
	if (!props)
		return MLS_ERR_NOMEM;
	memset(&leaf, 0, sizeof(leaf));
	err = external_proposals(g, o, gi, props, &n);
	if (!err)
		err = external_leaf(g, o, &leaf);
	if (!err)
		err = mls_group_commit_external(g, &leaf, props, n, commit);
	for (i = 0; i < 2 + o->n_external_psks; i++)
		mls_proposal_free(&props[i]);
	free(props);
	mls_leaf_node_free(&leaf);
	return err;
}

int mls_group_join_external(struct mls_group *g,
			    const struct mls_external_join_options *o,
			    const struct mls_group_info *gi,
			    struct mls_bytes *commit)
{
	int err;

	if (!g)
		return MLS_ERR_INVALID_ARG;
	memset(g, 0, sizeof(*g));
	if (!o || !o->suite || !gi || !commit)
		return MLS_ERR_INVALID_ARG;
	memset(commit, 0, sizeof(*commit));
	if (gi->group_context.cipher_suite != o->suite->id ||
	    gi->group_context.version != MLS_PROTOCOL_MLS10)
		return MLS_ERR_VALIDATION;
	err = external_setup(g, o);
	if (!err)
		err = external_tree(g, o, gi);
	if (!err)
		err = external_epoch(g, gi);
	if (!err)
		err = external_commit(g, o, gi, commit);
	if (err)
		mls_group_free(g);
	return err;
}

/* ---- external senders (§12.1.8.1) ---- */

static bool external_may_propose(uint16_t type)
{
	return type == MLS_PROPOSAL_ADD || type == MLS_PROPOSAL_REMOVE ||
	       type == MLS_PROPOSAL_PSK || type == MLS_PROPOSAL_REINIT ||
	       type == MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
}

/* A PublicMessage proposal from a non-member sender, signed with sig_priv. */
static int propose_from_outside(const struct mls_crypto *c,
				const struct mls_suite *s,
				const struct mls_group_context *context,
				struct mls_sender sender,
				const uint8_t *sig_priv, size_t sig_priv_len,
				const struct mls_proposal *p,
				struct mls_bytes *msg)
{
	struct mls_framed_content fc;
	struct mls_framing_ctx ctx;
	struct mls_bytes gc = { NULL, 0 };
	int err;

	err = mls_group_context_to_bytes(context, &gc);
	if (err)
		return err;
	memset(&ctx, 0, sizeof(ctx));
	ctx.suite = s;
	ctx.crypto = c;
	ctx.group_context = gc.data;
	ctx.group_context_len = gc.len;
	memset(&fc, 0, sizeof(fc));		/* a view */
	fc.group_id = context->group_id;
	fc.epoch = context->epoch;
	fc.sender = sender;
	fc.content.type = MLS_CONTENT_PROPOSAL;
	fc.content.proposal = *p;
	err = mls_framing_protect_public(&ctx, &fc, sig_priv, sig_priv_len,
					 NULL, msg);
	mls_bytes_free(&gc);
	return err;
}

int mls_external_sender_propose(const struct mls_crypto *c,
				const struct mls_suite *s,
				const struct mls_group_context *context,
				uint32_t sender_index, const uint8_t *sig_priv,
				size_t sig_priv_len,
				const struct mls_proposal *p,
				struct mls_bytes *msg)
{
	struct mls_sender sender = { MLS_SENDER_EXTERNAL, sender_index };

	if (!s || !context || !sig_priv || !p || !msg)
		return MLS_ERR_INVALID_ARG;
	memset(msg, 0, sizeof(*msg));
	if (!external_may_propose(p->type))
		return MLS_ERR_INVALID_ARG;
	return propose_from_outside(c, s, context, sender, sig_priv,
				    sig_priv_len, p, msg);
}

int mls_new_member_propose(const struct mls_crypto *c,
			   const struct mls_suite *s,
			   const struct mls_group_context *context,
			   const uint8_t *sig_priv, size_t sig_priv_len,
			   const uint8_t *key_package, size_t key_package_len,
			   struct mls_bytes *msg)
{
	struct mls_sender sender = { MLS_SENDER_NEW_MEMBER_PROPOSAL, 0 };
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];
	struct mls_proposal p;
	int err;

	if (!s || !context || !sig_priv || !key_package || !msg)
		return MLS_ERR_INVALID_ARG;
	memset(msg, 0, sizeof(*msg));
	if (context->cipher_suite != s->id)
		return MLS_ERR_VALIDATION;
	memset(&p, 0, sizeof(p));
	p.type = MLS_PROPOSAL_ADD;
	err = mls_key_package_from_bytes(key_package, key_package_len,
					 &p.add.key_package);
	if (err)
		return err;
	/* §12.1.8: the proposal is signed by the KeyPackage's leaf key. */
	err = mls_sig_pub_from_priv(s, sig_priv, sig_priv_len, pub);
	if (!err && (p.add.key_package.cipher_suite != s->id ||
		     p.add.key_package.leaf_node.signature_key.len !=
			     s->sig_pub_len ||
		     !mls_ct_equal(pub, p.add.key_package.leaf_node
						.signature_key.data,
				   s->sig_pub_len)))
		err = MLS_ERR_VALIDATION;
	if (!err)
		err = propose_from_outside(c, s, context, sender, sig_priv,
					   sig_priv_len, &p, msg);
	mls_proposal_free(&p);
	return err;
}

int mls_external_senders_extension(const uint8_t *const *sig_pubs,
				   const size_t *sig_pub_lens,
				   const struct mls_bytes *identities,
				   size_t count, struct mls_extension *out)
{
	struct mls_credential cred;
	struct mls_writer w;
	size_t i, mark;

	if (!out || (count && (!sig_pubs || !sig_pub_lens || !identities)))
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	out->type = MLS_EXT_EXTERNAL_SENDERS;
	mls_writer_init(&w);
	mark = mls_write_vector_begin(&w);
	for (i = 0; i < count; i++) {
		memset(&cred, 0, sizeof(cred));		/* a view */
		cred.type = MLS_CREDENTIAL_BASIC;
		cred.identity = identities[i];
		mls_write_opaque(&w, sig_pubs[i], sig_pub_lens[i]);
		mls_credential_encode(&w, &cred);
	}
	mls_write_vector_end(&w, mark);
	return mls_writer_finish(&w, &out->data);
}
