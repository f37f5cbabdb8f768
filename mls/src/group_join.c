// SPDX-License-Identifier: MIT
/*
 * Joining a group from a Welcome (RFC 9420 §12.4.3.1): the ratchet tree
 * from the ratchet_tree extension or out of band, its validation, our
 * leaf, the implanted path secret, and the first epoch's secret tree.
 */
#include <string.h>

#include "mls/secret_tree.h"
#include "mls/welcome.h"
#include "group_internal.h"

/* What the GroupInfo signer callback needs to build the tree on the fly. */
struct join_tree_ctx {
	struct mls_group *g;
	const struct mls_group_join_options *o;
	int err;
};

static int load_tree(struct mls_group *g, const struct mls_group_join_options *o,
		     const struct mls_group_info *gi)
{
	const struct mls_extension *ext;

	if (o->ratchet_tree)
		return mls_tree_from_wire(&g->tree, g->suite, o->ratchet_tree);
	ext = mls_extension_list_find(&gi->extensions, MLS_EXT_RATCHET_TREE);
	if (!ext)
		return MLS_ERR_VALIDATION;
	return mls_tree_from_bytes(&g->tree, g->suite, ext->data.data,
				   ext->data.len);
}

/*
 * mls_welcome_join asks for the signer's key once the GroupInfo is open:
 * that is the first moment the tree (possibly inside it) can be built.
 */
static int tree_signer_key(void *arg, const struct mls_group_info *gi,
			   const uint8_t **pub, size_t *pub_len)
{
	struct join_tree_ctx *jc = arg;
	const struct mls_leaf_node *leaf;

	mls_tree_free(&jc->g->tree);
	jc->err = load_tree(jc->g, jc->o, gi);
	if (jc->err)
		return jc->err;
	leaf = mls_tree_leaf(&jc->g->tree, gi->signer);
	if (!leaf)
		return MLS_ERR_NOT_FOUND;
	*pub = leaf->signature_key.data;
	*pub_len = leaf->signature_key.len;
	return 0;
}

static int validate_tree(struct mls_group *g, const struct mls_group_info *gi)
{
	const struct mls_group_context *gc = &gi->group_context;
	struct mls_tree_context tc = {
		.group_id = &gc->group_id,
		.tree_hash = &gc->tree_hash,
		.extensions = &gc->extensions,
	};

	int err;

	err = mls_tree_validate(&g->tree, &tc, NULL);
	if (!err)
		err = mls_group_validate_tree_leaves(g, &g->tree);
	return err;
}

/* Our leaf is the one holding our KeyPackage's LeafNode keys. */
static int find_own_leaf(const struct mls_group *g,
			 const struct mls_group_join_options *o,
			 uint32_t *leaf_index)
{
	struct mls_key_package kp;
	uint32_t i;
	int err;

	err = mls_key_package_from_bytes(o->key_package, o->key_package_len,
					 &kp);
	if (err)
		return err;
	/*
	 * Lifetimes are checked on KeyPackages only (ours here, Adds later):
	 * other members' leaves keep their KeyPackage lifetime until they
	 * update, and a group is not broken because one has run out.
	 */
	err = mls_group_check_lifetime(g, &kp.leaf_node, true);
	if (err) {
		mls_key_package_free(&kp);
		return err;
	}
	err = MLS_ERR_VALIDATION;
	for (i = 0; i < g->tree.n_leaves; i++) {
		const struct mls_leaf_node *leaf = mls_tree_leaf(&g->tree, i);

		if (leaf && mls_bytes_equal(&leaf->encryption_key,
					    &kp.leaf_node.encryption_key) &&
		    mls_bytes_equal(&leaf->signature_key,
				    &kp.leaf_node.signature_key)) {
			*leaf_index = i;
			err = 0;
			break;
		}
	}
	mls_key_package_free(&kp);
	return err;
}

/* §12.4.3.1: our leaf key, the path secret at the LCA with the signer. */
static int set_up_private(struct mls_group *g,
			  const struct mls_group_join_options *o,
			  const struct mls_joined_epoch *j)
{
	uint32_t leaf, lca;
	int err;

	err = find_own_leaf(g, o, &leaf);
	if (err)
		return err;
	mls_tree_private_init(&g->priv, g->suite, leaf);
	err = mls_tree_private_set_leaf_key(&g->priv, o->encryption_priv,
					    o->encryption_priv_len);
	if (!err && j->has_path_secret) {
		if (j->path_secret.len != g->suite->hash_len)
			return MLS_ERR_VALIDATION;
		err = mls_treemath_common_ancestor(
			mls_treemath_leaf_to_node(leaf),
			mls_treemath_leaf_to_node(j->group_info.signer),
			g->tree.n_leaves, &lca);
		/*
		 * The committer's filtered direct path may skip the LCA
		 * (its other child's resolution held only new members).
		 */
		while (!err && mls_tree_is_blank(&g->tree, lca))
			err = mls_treemath_parent(lca, g->tree.n_leaves, &lca);
		if (!err)
			err = mls_tree_private_implant(&g->priv, &g->tree, lca,
						       j->path_secret.data,
						       NULL);
	}
	if (!err)
		err = mls_tree_private_check(&g->priv, &g->tree);
	return err;
}

static int welcome_params(const struct mls_group_join_options *o,
			  struct join_tree_ctx *jc,
			  struct mls_resumption_join *rj,
			  struct mls_welcome_join_params *p)
{
	if (!o->suite)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!o->key_package || !o->init_priv || !o->encryption_priv)
		return MLS_ERR_INVALID_ARG;
	if (o->sig_priv && o->sig_priv_len != o->suite->sig_priv_len)
		return MLS_ERR_BAD_KEY;
	memset(p, 0, sizeof(*p));
	p->suite = o->suite;
	p->key_package = o->key_package;
	p->key_package_len = o->key_package_len;
	p->init_priv = o->init_priv;
	p->init_priv_len = o->init_priv_len;
	mls_resumption_join_init(rj, o);
	p->psk_lookup = mls_resumption_join_lookup;
	p->psk_ctx = rj;
	p->signer_key = tree_signer_key;
	p->signer_ctx = jc;
	return 0;
}

static int adopt_epoch(struct mls_group *g, struct mls_joined_epoch *j)
{
	struct mls_secret_tree *st = NULL;
	int err;

	err = mls_group_new_secret_tree(g, &j->secrets, g->tree.n_leaves, &st);
	if (err)
		return err;
	err = mls_group_context_copy(&g->context, &j->group_info.group_context);
	if (err) {
		mls_secret_tree_free(st);
		return err;
	}
	g->secrets = j->secrets;
	memset(&j->secrets, 0, sizeof(j->secrets));
	memcpy(g->interim_transcript_hash, j->interim_transcript_hash,
	       sizeof(g->interim_transcript_hash));
	mls_group_enter_epoch(g, st);
	return 0;
}

int mls_group_join(struct mls_group *g, const struct mls_group_join_options *o,
		   const struct mls_welcome *w)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch joined;
	struct mls_resumption_join rj;
	struct join_tree_ctx jc;
	int err;

	if (!g)
		return MLS_ERR_INVALID_ARG;
	memset(g, 0, sizeof(*g));
	memset(&joined, 0, sizeof(joined));
	if (!o || !w)
		return MLS_ERR_INVALID_ARG;
	jc.g = g;
	jc.o = o;
	jc.err = 0;
	err = welcome_params(o, &jc, &rj, &p);
	if (err)
		return err;
	g->suite = o->suite;
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
	if (o->crypto)
		g->crypto = *o->crypto;
	else
		mls_crypto_init(&g->crypto);
	if (o->sig_priv) {
		memcpy(g->sig_priv, o->sig_priv, o->sig_priv_len);
		g->sig_priv_len = o->sig_priv_len;
	}
	mls_tree_init(&g->tree, g->suite);
	err = mls_welcome_join(&p, w, &joined);
	/* a tree that does not even parse is a validation failure (§12.4.3.1) */
	if (err && jc.err)
		err = MLS_ERR_VALIDATION;
	/* a PSK the resumption rules refused: say which rule */
	if (err && rj.err)
		err = rj.err;
	if (!err)
		err = validate_tree(g, &joined.group_info);
	if (!err)
		err = set_up_private(g, o, &joined);
	if (!err)
		err = adopt_epoch(g, &joined);
	if (!err)
		err = mls_resumption_join_check(&rj, g);
	mls_joined_epoch_free(&joined);
	if (err)
		mls_group_free(g);
	return err;
}
