// SPDX-License-Identifier: MIT
/*
 * The application's say on who may be a member (RFC 9420 §5.3.1): every
 * leaf that enters the group or changes goes through its validator and
 * its credential policy, the latter told where the leaf comes from and
 * who asks for it.
 */
#include <string.h>

#include "group_internal.h"

/* The sender's credential and key, for the request. */
struct sender_view {
	struct mls_bytes key;		/* an external sender's, owned */
	struct mls_credential cred;	/* likewise */
	bool external;
};

static int describe_sender(const struct mls_group *g,
			   const struct mls_leaf_origin *o,
			   const struct mls_leaf_node *leaf,
			   struct mls_credential_request *req,
			   struct sender_view *v)
{
	const struct mls_leaf_node *sl = NULL;
	int err;

	if (!o->sender)
		return 0;
	req->sender = *o->sender;
	switch (o->sender->type) {
	case MLS_SENDER_MEMBER:
		sl = mls_tree_leaf(&g->tree, o->sender->index);
		break;
	case MLS_SENDER_NEW_MEMBER_PROPOSAL:
	case MLS_SENDER_NEW_MEMBER_COMMIT:
		sl = leaf;
		break;
	case MLS_SENDER_EXTERNAL:
		err = mls_group_external_sender(&g->context, o->sender->index,
						&v->key, &v->cred);
		if (err)
			return err;
		v->external = true;
		req->sender_credential = &v->cred;
		req->sender_signature_key = &v->key;
		return 0;
	}
	req->sender_leaf = sl;
	if (sl) {
		req->sender_credential = &sl->credential;
		req->sender_signature_key = &sl->signature_key;
	}
	return 0;
}

static int ask_policy(const struct mls_group *g,
		      const struct mls_leaf_origin *o,
		      const struct mls_leaf_node *leaf,
		      const struct mls_leaf_node *old_leaf)
{
	struct mls_credential_request req;
	struct sender_view v;
	int err;

	memset(&req, 0, sizeof(req));
	memset(&v, 0, sizeof(v));
	req.source = o->source;
	req.leaf = leaf;
	req.old_leaf = old_leaf;
	req.leaf_index = o->leaf_index;
	err = describe_sender(g, o, leaf, &req, &v);
	if (!err)
		err = g->credential_policy(g->credential_policy_ctx, g->suite,
					   &req);
	if (v.external) {
		mls_bytes_free(&v.key);
		mls_credential_free(&v.cred);
	}
	return err;
}

int mls_group_validate_leaf(const struct mls_group *g,
			    const struct mls_leaf_origin *o,
			    const struct mls_leaf_node *leaf,
			    const struct mls_leaf_node *old_leaf)
{
	int err = 0;

	if (g->validate_credential)
		err = g->validate_credential(g->validate_ctx, g->suite, leaf,
					     old_leaf);
	if (!err && g->credential_policy)
		err = ask_policy(g, o, leaf, old_leaf);
	return err;
}

int mls_group_validate_tree_leaves(const struct mls_group *g,
				   const struct mls_tree *t)
{
	struct mls_leaf_origin o = { MLS_CREDENTIAL_SOURCE_TREE, NULL, 0 };
	uint32_t i;
	int err;

	for (i = 0; i < t->n_leaves; i++) {
		const struct mls_leaf_node *leaf = mls_tree_leaf(t, i);

		if (!leaf)
			continue;
		o.leaf_index = i;
		err = mls_group_validate_leaf(g, &o, leaf, NULL);
		if (err)
			return err;
	}
	return 0;
}

void mls_group_set_credential_policy(struct mls_group *g,
				     mls_credential_policy_fn policy,
				     void *ctx)
{
	if (!g)
		return;
	g->credential_policy = policy;
	g->credential_policy_ctx = ctx;
}
