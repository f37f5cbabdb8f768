// SPDX-License-Identifier: MIT
/*
 * A new one-member group (RFC 9420 §11) and the proposals a member can
 * make (§12.1.1-§12.1.4, §12.1.7).
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "group_internal.h"

static int set_signer(struct mls_group *g, const struct mls_signer *signer)
{
	if (!signer->sig_priv || signer->sig_priv_len != g->suite->sig_priv_len)
		return MLS_ERR_BAD_KEY;
	memcpy(g->sig_priv, signer->sig_priv, signer->sig_priv_len);
	g->sig_priv_len = signer->sig_priv_len;
	return 0;
}

static int first_leaf(struct mls_group *g,
		      const struct mls_group_create_options *o)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	struct mls_leaf_node leaf;
	struct mls_lifetime lt;
	uint32_t index = 0;
	int err;

	mls_group_default_lifetime(mls_group_now(g), &o->lifetime, &lt);
	err = mls_kem_generate_keypair(&g->crypto, g->suite, priv, pub);
	if (!err)
		err = mls_group_new_leaf(&g->crypto, g->suite, &o->signer, &lt,
					 pub, &leaf);
	if (!err) {
		err = mls_tree_add_leaf(&g->tree, &leaf, &index);
		mls_leaf_node_free(&leaf);
	}
	mls_tree_private_init(&g->priv, g->suite, index);
	if (!err)
		err = mls_tree_private_set_leaf_key(&g->priv, priv,
						    g->suite->kem_priv_len);
	mls_wipe(priv, sizeof(priv));
	return err;
}

static int first_context(struct mls_group *g,
			 const struct mls_group_create_options *o)
{
	struct mls_group_context *gc = &g->context;
	uint8_t h[MLS_MAX_HASH_LEN];
	struct mls_writer w;
	struct mls_reader r;
	int err;

	gc->version = MLS_PROTOCOL_MLS10;
	gc->cipher_suite = g->suite->id;
	gc->epoch = 0;
	err = mls_bytes_set(&gc->group_id, o->group_id, o->group_id_len);
	if (!err)
		err = mls_tree_root_hash(&g->tree, h);
	if (!err)
		err = mls_bytes_set(&gc->tree_hash, h, g->suite->hash_len);
	if (err || !o->extensions)
		return err;
	mls_writer_init(&w);
	mls_extension_list_encode(&w, o->extensions);
	err = mls_writer_error(&w);
	if (!err) {
		mls_reader_init(&r, w.buf, w.len);
		mls_extension_list_decode(&r, &gc->extensions);
		err = mls_reader_finish(&r);
	}
	mls_writer_free(&w);
	return err;
}

/*
 * §11 starts epoch 0 from a random epoch_secret. Running the schedule
 * from a random init_secret instead yields epoch secrets that are just
 * as unpredictable, through the one code path every other epoch uses.
 */
static int first_epoch(struct mls_group *g)
{
	uint8_t init[MLS_MAX_HASH_LEN];
	struct mls_secret_tree *st = NULL;
	int err;

	err = mls_crypto_random(&g->crypto, init, g->suite->hash_len);
	if (!err)
		err = mls_key_schedule_advance(g->suite, init, NULL, NULL,
					       &g->context, &g->secrets, NULL);
	mls_wipe(init, sizeof(init));
	if (!err)
		err = mls_group_new_secret_tree(g, &g->secrets, 1, &st);
	if (!err)
		mls_group_enter_epoch(g, st);
	return err;
}

int mls_group_create(struct mls_group *g,
		     const struct mls_group_create_options *o)
{
	int err;

	if (!g)
		return MLS_ERR_INVALID_ARG;
	memset(g, 0, sizeof(*g));
	if (!o || !o->suite || (!o->group_id && o->group_id_len))
		return MLS_ERR_INVALID_ARG;
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
	err = set_signer(g, &o->signer);
	if (!err)
		err = first_leaf(g, o);
	if (!err)
		err = first_context(g, o);
	if (!err && o->extensions)
		err = mls_leaf_node_check_capabilities(
			g->suite, mls_tree_leaf(&g->tree, 0), o->extensions);
	if (!err)
		err = first_epoch(g);
	if (err)
		mls_group_free(g);
	return err;
}

/* ---- proposals ---- */

int mls_group_make_add(const struct mls_group *g, const uint8_t *key_package,
		       size_t key_package_len, struct mls_proposal *out)
{
	int err;

	if (!g || !g->suite || !key_package || !out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	out->type = MLS_PROPOSAL_ADD;
	err = mls_key_package_from_bytes(key_package, key_package_len,
					 &out->add.key_package);
	if (!err)
		err = mls_group_validate_add_key_package(g, &out->add, false);
	if (!err)
		err = mls_group_note_add_validated(g, &out->add);
	if (err)
		mls_proposal_free(out);
	return err;
}

static int keep_update_key(struct mls_group *g, const uint8_t *priv,
			   const uint8_t *pub)
{
	struct mls_pending_update *items;

	items = mls_array_grow(g->updates, g->n_updates, sizeof(*items));
	if (!items)
		return MLS_ERR_NOMEM;
	g->updates = items;
	memcpy(items[g->n_updates].priv, priv, g->suite->kem_priv_len);
	memcpy(items[g->n_updates].pub, pub, g->suite->kem_pub_len);
	g->n_updates++;
	return 0;
}

/* §12.1.2: our leaf with a fresh HPKE key, source update, re-signed. */
int mls_group_make_update(struct mls_group *g, struct mls_proposal *out)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	struct mls_leaf_node *leaf;
	struct mls_signer signer;
	int err;

	if (!g || !g->suite || !out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	err = mls_group_signer(g, &signer);
	if (err)
		return err;
	out->type = MLS_PROPOSAL_UPDATE;
	leaf = &out->update.leaf_node;
	err = mls_group_copy_leaf(leaf, mls_tree_leaf(&g->tree,
						     g->priv.leaf_index));
	if (!err)
		err = mls_kem_generate_keypair(&g->crypto, g->suite, priv, pub);
	if (!err) {
		mls_bytes_free(&leaf->encryption_key);
		mls_bytes_free(&leaf->parent_hash);
		leaf->source = MLS_LEAF_SOURCE_UPDATE;
		memset(&leaf->lifetime, 0, sizeof(leaf->lifetime));
		err = mls_bytes_set(&leaf->encryption_key, pub,
				    g->suite->kem_pub_len);
	}
	if (!err)
		err = mls_group_sign_leaf(&g->crypto, g->suite, &signer, leaf,
					  &g->context.group_id,
					  g->priv.leaf_index);
	if (!err)
		err = keep_update_key(g, priv, pub);
	mls_wipe(priv, sizeof(priv));
	if (err)
		mls_proposal_free(out);
	return err;
}

int mls_group_make_remove(const struct mls_group *g, uint32_t leaf,
			  struct mls_proposal *out)
{
	if (!g || !g->suite || !out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!mls_tree_leaf(&g->tree, leaf))
		return MLS_ERR_NOT_FOUND;
	out->type = MLS_PROPOSAL_REMOVE;
	out->remove.removed = leaf;
	return 0;
}

int mls_group_make_external_psk(struct mls_group *g, const uint8_t *psk_id,
				size_t psk_id_len, struct mls_proposal *out)
{
	uint8_t nonce[MLS_MAX_HASH_LEN];
	struct mls_psk_id *id;
	int err;

	if (!g || !g->suite || !out || !psk_id || !psk_id_len)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	out->type = MLS_PROPOSAL_PSK;
	id = &out->psk.psk;
	id->psktype = MLS_PSK_EXTERNAL;
	/* §8.4: a fresh nonce of Nh bytes for every use of the PSK */
	err = mls_crypto_random(&g->crypto, nonce, g->suite->hash_len);
	if (!err)
		err = mls_bytes_set(&id->psk_nonce, nonce, g->suite->hash_len);
	if (!err)
		err = mls_bytes_set(&id->psk_id, psk_id, psk_id_len);
	if (err)
		mls_proposal_free(out);
	return err;
}

int mls_group_make_extensions(const struct mls_extension_list *exts,
			      struct mls_proposal *out)
{
	struct mls_proposal view;

	if (!exts || !out)
		return MLS_ERR_INVALID_ARG;
	memset(&view, 0, sizeof(view));
	view.type = MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
	view.group_context_extensions.extensions = *exts;
	return mls_group_copy_proposal(out, &view);
}
