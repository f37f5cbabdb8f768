// SPDX-License-Identifier: MIT
/*
 * The forger of forge.h. It uses libmls's own building blocks (framing,
 * leaf signing, the key schedule, Welcome encryption) on content a
 * correct sender would never produce.
 */
#include <stdlib.h>
#include <string.h>

#include "forge.h"
#include "mls/framing.h"
#include "mls/welcome.h"
#include "../../src/group_internal.h"

static int reprotect(const struct mls_group *receiver, const uint8_t *sig_priv,
		     struct mls_public_message *pm, struct mls_bytes *out)
{
	const struct mls_suite *s = receiver->suite;
	struct mls_framing_ctx ctx;
	struct mls_bytes gc = { NULL, 0 };
	int err;

	err = mls_group_context_to_bytes(&receiver->context, &gc);
	if (err)
		return err;
	memset(&ctx, 0, sizeof(ctx));
	ctx.suite = s;
	ctx.crypto = &receiver->crypto;
	ctx.group_context = gc.data;
	ctx.group_context_len = gc.len;
	ctx.membership_key = receiver->secrets.membership_key;
	ctx.membership_key_len = s->hash_len;
	err = mls_framing_protect_public(&ctx, &pm->content, sig_priv,
					 s->sig_priv_len,
					 &pm->auth.confirmation_tag, out);
	mls_bytes_free(&gc);
	return err;
}

int forge_commit(const struct mls_group *receiver, const uint8_t *sig_priv,
		 const struct mls_bytes *commit, forge_edit_fn edit, void *ctx,
		 struct mls_bytes *out)
{
	struct mls_message m;
	int err;

	memset(out, 0, sizeof(*out));
	err = mls_message_from_bytes(commit->data, commit->len, &m);
	if (err)
		return err;
	if (m.wire_format != MLS_WIRE_PUBLIC_MESSAGE ||
	    m.public_message.content.content.type != MLS_CONTENT_COMMIT)
		err = MLS_ERR_INVALID_ARG;
	if (!err && edit)
		err = edit(ctx, &m.public_message.content);
	if (!err)
		err = reprotect(receiver, sig_priv, &m.public_message, out);
	mls_message_free(&m);
	return err;
}

static struct mls_proposal_or_ref *new_slot(struct mls_commit *c)
{
	struct mls_proposal_or_ref *items;

	items = mls_array_grow(c->proposals, c->count, sizeof(*items));
	if (!items)
		return NULL;
	c->proposals = items;
	memset(&items[c->count], 0, sizeof(items[c->count]));
	return &items[c->count];
}

int forge_add_proposal(struct mls_commit *c, const struct mls_proposal *p)
{
	struct mls_proposal_or_ref *slot;
	struct mls_proposal copy;
	int err;

	/* copied first: p may be one of c's own proposals */
	err = mls_group_copy_proposal(&copy, p);
	if (err)
		return err;
	slot = new_slot(c);
	if (!slot) {
		mls_proposal_free(&copy);
		return MLS_ERR_NOMEM;
	}
	slot->type = MLS_PROPOSAL_OR_REF_PROPOSAL;
	slot->proposal = copy;
	c->count++;
	return 0;
}

int forge_add_reference(struct mls_commit *c, const uint8_t *ref, size_t len)
{
	struct mls_proposal_or_ref *slot = new_slot(c);
	int err;

	if (!slot)
		return MLS_ERR_NOMEM;
	slot->type = MLS_PROPOSAL_OR_REF_REFERENCE;
	err = mls_bytes_set(&slot->reference, ref, len);
	if (!err)
		c->count++;
	return err;
}

void forge_drop_proposal(struct mls_commit *c, size_t i)
{
	if (i >= c->count)
		return;
	mls_proposal_free(&c->proposals[i].proposal);
	mls_bytes_free(&c->proposals[i].reference);
	memmove(&c->proposals[i], &c->proposals[i + 1],
		(c->count - i - 1) * sizeof(c->proposals[i]));
	c->count--;
}

int forge_sign_leaf(const struct mls_suite *s, const struct mls_crypto *c,
		    const uint8_t *sig_priv, struct mls_leaf_node *leaf,
		    const struct mls_bytes *group_id, uint32_t leaf_index)
{
	struct mls_signer signer;

	memset(&signer, 0, sizeof(signer));
	signer.sig_priv = sig_priv;
	signer.sig_priv_len = s->sig_priv_len;
	return mls_group_sign_leaf(c, s, &signer, leaf, group_id, leaf_index);
}

int forge_path_parent_hash(const struct mls_tree *t, uint32_t leaf_index,
			   struct mls_update_path *path)
{
	uint8_t ph[MLS_MAX_HASH_LEN];
	struct mls_bytes *keys;
	struct mls_tree copy;
	size_t i, ph_len = 0;
	int err;

	keys = calloc(path->count + 1, sizeof(*keys));
	if (!keys)
		return MLS_ERR_NOMEM;
	for (i = 0; i < path->count; i++)
		keys[i] = path->nodes[i].encryption_key;	/* views */
	err = mls_tree_clone(&copy, t);
	if (!err) {
		err = mls_tree_merge_path_keys(&copy, leaf_index, keys,
					       path->count, ph, &ph_len);
		mls_tree_free(&copy);
	}
	free(keys);
	if (err)
		return err;
	mls_bytes_free(&path->leaf_node.parent_hash);
	return mls_bytes_set(&path->leaf_node.parent_hash, ph, ph_len);
}

struct known_signer {
	const uint8_t *pub;
	size_t len;
};

static int known_signer_key(void *ctx, const struct mls_group_info *gi,
			    const uint8_t **pub, size_t *pub_len)
{
	const struct known_signer *k = ctx;

	(void)gi;
	*pub = k->pub;
	*pub_len = k->len;
	return 0;
}

int forge_open_welcome(const struct mls_suite *s, const struct mls_bytes *kp,
		       const uint8_t *init_priv, size_t init_priv_len,
		       const uint8_t *signer_pub,
		       const struct mls_bytes *welcome,
		       struct mls_group_info *gi)
{
	struct known_signer k = { signer_pub, s->sig_pub_len };
	struct mls_welcome_join_params p = {
		.suite = s, .key_package = kp->data,
		.key_package_len = kp->len, .init_priv = init_priv,
		.init_priv_len = init_priv_len,
		.signer_key = known_signer_key, .signer_ctx = &k,
	};
	struct mls_joined_epoch j;
	struct mls_message m;
	int err;

	memset(gi, 0, sizeof(*gi));
	err = mls_message_from_bytes(welcome->data, welcome->len, &m);
	if (err)
		return err;
	err = m.wire_format == MLS_WIRE_WELCOME ?
	      mls_welcome_join(&p, &m.welcome, &j) : MLS_ERR_INVALID_ARG;
	mls_message_free(&m);
	if (err)
		return err;
	*gi = j.group_info;
	memset(&j.group_info, 0, sizeof(j.group_info));
	mls_joined_epoch_free(&j);
	return 0;
}

/* gi's confirmation tag for the epoch of joiner_secret, then signed. */
static int seal_group_info(const struct mls_suite *s,
			   const struct mls_crypto *c,
			   struct mls_group_info *gi, const uint8_t *sig_priv,
			   const uint8_t *joiner_secret,
			   const uint8_t *psk_secret)
{
	const struct mls_bytes *cth =
		&gi->group_context.confirmed_transcript_hash;
	struct mls_epoch_secrets e;
	uint8_t tag[MLS_MAX_HASH_LEN];
	int err;

	memset(&e, 0, sizeof(e));
	err = mls_key_schedule_from_joiner(s, joiner_secret, psk_secret,
					   &gi->group_context, &e);
	if (!err)
		err = mls_confirmation_tag(&e, cth->data, cth->len, tag);
	mls_epoch_secrets_free(&e);
	if (err)
		return err;
	mls_bytes_free(&gi->confirmation_tag);
	err = mls_bytes_set(&gi->confirmation_tag, tag, s->hash_len);
	if (!err)
		err = mls_group_info_sign(c, s, gi, sig_priv, s->sig_priv_len);
	return err;
}

int forge_welcome(const struct mls_suite *s, const struct mls_crypto *c,
		  struct mls_group_info *gi, const uint8_t *sig_priv,
		  const struct mls_bytes *kp, struct mls_bytes *out)
{
	uint8_t joiner[MLS_MAX_HASH_LEN], psk[MLS_MAX_HASH_LEN];
	uint8_t welcome_secret[MLS_MAX_HASH_LEN];
	struct mls_group_secrets gs;
	struct mls_message m;
	int err;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	memset(&gs, 0, sizeof(gs));
	err = mls_crypto_random(c, joiner, s->hash_len);
	if (!err)
		err = mls_psk_secret(s, NULL, 0, psk);
	if (!err)
		err = seal_group_info(s, c, gi, sig_priv, joiner, psk);
	if (!err)
		err = mls_key_schedule_welcome_secret(s, joiner, psk,
						      welcome_secret);
	if (!err)
		err = mls_welcome_init(s, welcome_secret, gi, &m.welcome);
	if (!err)
		err = mls_bytes_set(&gs.joiner_secret, joiner, s->hash_len);
	if (!err)
		err = mls_welcome_add_member(c, s, &m.welcome, kp->data,
					     kp->len, &gs);
	m.version = MLS_PROTOCOL_MLS10;
	m.wire_format = MLS_WIRE_WELCOME;
	if (!err)
		err = mls_message_to_bytes(&m, out);
	mls_group_secrets_free(&gs);
	mls_message_free(&m);
	mls_wipe(joiner, sizeof(joiner));
	mls_wipe(welcome_secret, sizeof(welcome_secret));
	return err;
}

void forge_members_free(struct fixture_party *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fixture_party_free(&p[i]);
}

int forge_members(struct fixture_party *p, const char *const *names,
		  size_t n, uint16_t suite, struct fixture_rng *rng)
{
	struct mls_commit_options o = { 0 };
	struct mls_proposal *adds;
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	size_t i, made = 0;
	int err = 0;

	for (i = 0; !err && i < n; i++)
		err = fixture_party_init(&p[i], suite, names[i], rng);
	if (err)
		return err;
	adds = calloc(n, sizeof(*adds));
	if (!adds)
		return MLS_ERR_NOMEM;
	err = fixture_party_create(&p[0], "forge", NULL);
	for (i = 1; !err && i < n; i++) {
		err = fixture_party_key_package(&p[i]);
		if (!err)
			err = mls_group_make_add(&p[0].g, p[i].kp.data,
						 p[i].kp.len, &adds[made]);
		if (!err)
			made++;
	}
	o.proposals = adds;
	o.n_proposals = made;
	if (!err)
		err = mls_group_commit(&p[0].g, &o, &commit, &welcome);
	if (!err)
		err = mls_group_confirm_commit(&p[0].g);
	for (i = 1; !err && i < n; i++)
		err = fixture_party_join(&p[i], &welcome);
	for (i = 0; i < made; i++)
		mls_proposal_free(&adds[i]);
	free(adds);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	return err;
}

int forge_commit_all(struct fixture_party *p, size_t n,
		     const struct mls_commit_options *cm)
{
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	size_t i;
	int err;

	err = mls_group_commit(&p[0].g, cm, &commit, &welcome);
	for (i = 1; !err && i < n; i++)
		if (p[i].g.suite)
			err = fixture_process(&p[i].g, &commit);
	if (!err)
		err = mls_group_confirm_commit(&p[0].g);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	return err;
}

int forge_new_member_proposal(const struct fixture_party *p,
			      const struct mls_group_context *gc,
			      struct mls_bytes *msg)
{
	struct mls_bytes gcb = { NULL, 0 };
	struct mls_framed_content fc;
	struct mls_framing_ctx ctx;
	int err;

	err = mls_group_context_to_bytes(gc, &gcb);
	if (err)
		return err;
	memset(&ctx, 0, sizeof(ctx));
	ctx.suite = p->s;
	ctx.crypto = &p->crypto;
	ctx.group_context = gcb.data;
	ctx.group_context_len = gcb.len;
	memset(&fc, 0, sizeof(fc));
	fc.group_id = gc->group_id;		/* a view */
	fc.epoch = gc->epoch;
	fc.sender.type = MLS_SENDER_NEW_MEMBER_PROPOSAL;
	fc.content.type = MLS_CONTENT_PROPOSAL;
	fc.content.proposal.type = MLS_PROPOSAL_ADD;
	err = mls_key_package_from_bytes(p->kp.data, p->kp.len,
					 &fc.content.proposal.add.key_package);
	if (!err)
		err = mls_framing_protect_public(&ctx, &fc, p->sig_priv,
						 p->s->sig_priv_len, NULL, msg);
	mls_key_package_free(&fc.content.proposal.add.key_package);
	mls_bytes_free(&gcb);
	return err;
}
