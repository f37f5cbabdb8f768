// SPDX-License-Identifier: MIT
/*
 * The proposals of one Commit: the validity rules of RFC 9420 §12.2 and
 * their effect in the order of §12.3 (GroupContextExtensions, Update,
 * Remove, Add, PreSharedKey).
 */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

void mls_applied_proposals_free(struct mls_applied_proposals *a)
{
	mls_extension_list_free(&a->extensions);
	free(a->added_leaves);
	free(a->psks.items);
	memset(a, 0, sizeof(*a));
}

/* ---- single proposals (§12.1) ---- */

/*
 * §10.1 and §12.1.1: what a member checks about an Add's KeyPackage;
 * received: in another member's Commit, not one we are making.
 */
static enum mls_credential_source add_source(const struct mls_sender *sender)
{
	switch (sender->type) {
	case MLS_SENDER_NEW_MEMBER_PROPOSAL:
		return MLS_CREDENTIAL_SOURCE_ADD_NEW_MEMBER;
	case MLS_SENDER_EXTERNAL:
		return MLS_CREDENTIAL_SOURCE_ADD_EXTERNAL_SENDER;
	}
	return MLS_CREDENTIAL_SOURCE_ADD_MEMBER;
}

static int check_add(const struct mls_group *g,
		     const struct mls_resolved_proposal *rp,
		     const struct mls_extension_list *exts, bool received)
{
	const struct mls_add *add = &rp->proposal->add;
	const struct mls_key_package *kp = &add->key_package;
	struct mls_leaf_origin o = {
		add_source(&rp->sender), &rp->sender, UINT32_MAX,
	};
	int err;

	err = mls_group_validate_add_key_package(g, add, received);
	if (!err)
		err = mls_leaf_node_check_capabilities(g->suite, &kp->leaf_node,
						       exts);
	if (!err)
		err = mls_group_validate_leaf(g, &o, &kp->leaf_node, NULL);
	return err;
}

/* §12.1.2: an Update's leaf, signed for the sender's position. */
static int check_update(const struct mls_group *g,
			const struct mls_resolved_proposal *rp,
			const struct mls_extension_list *exts)
{
	const struct mls_leaf_node *leaf = &rp->proposal->update.leaf_node;
	uint32_t sender = rp->sender.index;
	struct mls_leaf_origin o = {
		MLS_CREDENTIAL_SOURCE_UPDATE, &rp->sender, sender,
	};
	int err;

	if (leaf->source != MLS_LEAF_SOURCE_UPDATE)
		return MLS_ERR_VALIDATION;
	err = mls_leaf_node_verify_signature(g->suite, leaf,
					     &g->context.group_id, sender);
	if (!err)
		err = mls_leaf_node_check_capabilities(g->suite, leaf, exts);
	if (!err)
		err = mls_group_validate_leaf(g, &o, leaf,
					      mls_tree_leaf(&g->tree, sender));
	return err;
}

static bool psk_id_equal(const struct mls_psk_id *a,
			 const struct mls_psk_id *b)
{
	if (a->psktype != b->psktype)
		return false;
	if (a->psktype == MLS_PSK_EXTERNAL)
		return mls_bytes_equal(&a->psk_id, &b->psk_id);
	return a->usage == b->usage && a->psk_epoch == b->psk_epoch &&
	       mls_bytes_equal(&a->psk_group_id, &b->psk_group_id);
}

/* §12.1.4: resumption PSKs in a normal Commit are for the application. */
static int check_psk(const struct mls_group *g, const struct mls_psk_id *id)
{
	if (id->psk_nonce.len != g->suite->hash_len)
		return MLS_ERR_VALIDATION;
	return mls_group_check_psk_usage(g, id);
}

/* ---- the list (§12.2) ---- */

struct list_counts {
	size_t gce, reinit, external_init, remove, psk;
	bool needs_path;
};

/* Two proposals that may not appear together (§12.2). */
static bool conflict(const struct mls_resolved_proposal *a,
		     const struct mls_resolved_proposal *b)
{
	const struct mls_proposal *x = a->proposal, *y = b->proposal;
	uint32_t xl, yl;

	if (x->type == MLS_PROPOSAL_PSK && y->type == MLS_PROPOSAL_PSK)
		return psk_id_equal(&x->psk.psk, &y->psk.psk);
	if (x->type == MLS_PROPOSAL_ADD && y->type == MLS_PROPOSAL_ADD)
		return mls_bytes_equal(
			&x->add.key_package.leaf_node.signature_key,
			&y->add.key_package.leaf_node.signature_key);
	if ((x->type != MLS_PROPOSAL_UPDATE && x->type != MLS_PROPOSAL_REMOVE) ||
	    (y->type != MLS_PROPOSAL_UPDATE && y->type != MLS_PROPOSAL_REMOVE))
		return false;
	/* one Update or Remove per leaf */
	xl = x->type == MLS_PROPOSAL_UPDATE ? a->sender.index : x->remove.removed;
	yl = y->type == MLS_PROPOSAL_UPDATE ? b->sender.index : y->remove.removed;
	return xl == yl;
}

static const struct mls_extension_list *
new_extensions(const struct mls_group *g, const struct mls_proposal_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->items[i].proposal->type ==
		    MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS)
			return &l->items[i].proposal->group_context_extensions
					.extensions;
	return &g->context.extensions;
}

static int check_one(const struct mls_group *g, uint32_t committer,
		     const struct mls_resolved_proposal *rp,
		     const struct mls_extension_list *exts,
		     struct list_counts *n)
{
	const struct mls_proposal *p = rp->proposal;
	bool from_member = rp->sender.type == MLS_SENDER_MEMBER;

	switch (p->type) {
	case MLS_PROPOSAL_ADD:
		return check_add(g, rp, exts, committer != g->priv.leaf_index);
	case MLS_PROPOSAL_UPDATE:
		n->needs_path = true;
		if (!from_member || rp->sender.index == committer ||
		    !mls_tree_leaf(&g->tree, rp->sender.index))
			return MLS_ERR_VALIDATION;
		return check_update(g, rp, exts);
	case MLS_PROPOSAL_REMOVE:
		n->needs_path = true;
		n->remove++;
		if (p->remove.removed == committer ||
		    !mls_tree_leaf(&g->tree, p->remove.removed))
			return MLS_ERR_VALIDATION;
		return 0;
	case MLS_PROPOSAL_PSK:
		n->psk++;
		return check_psk(g, &p->psk.psk);
	case MLS_PROPOSAL_REINIT:
		n->reinit++;
		return mls_group_check_reinit(g, &p->reinit);
	case MLS_PROPOSAL_EXTERNAL_INIT:
		n->needs_path = true;
		n->external_init++;
		if (p->external_init.kem_output.len != g->suite->kem_enc_len)
			return MLS_ERR_VALIDATION;
		return 0;
	case MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS:
		n->needs_path = true;
		n->gce++;
		return 0;
	}
	return MLS_ERR_VALIDATION;
}

/* Whether the list Removes leaf or replaces it by an Update. */
static bool leaf_replaced(const struct mls_proposal_list *l, uint32_t leaf)
{
	const struct mls_resolved_proposal *rp;
	size_t i;

	for (i = 0; i < l->count; i++) {
		rp = &l->items[i];
		if ((rp->proposal->type == MLS_PROPOSAL_REMOVE &&
		     rp->proposal->remove.removed == leaf) ||
		    (rp->proposal->type == MLS_PROPOSAL_UPDATE &&
		     rp->sender.type == MLS_SENDER_MEMBER &&
		     rp->sender.index == leaf))
			return true;
	}
	return false;
}

/*
 * §12.1.7: new required_capabilities must be met by every member that
 * stays, before anything is applied, so that a committer leaves such a
 * cached proposal out (§12.2) instead of failing its Commit. Added and
 * updated leaves were checked against exts with their proposals.
 */
static int check_members_meet(const struct mls_group *g,
			      const struct mls_proposal_list *l,
			      const struct mls_extension_list *exts)
{
	const struct mls_leaf_node *leaf;
	uint32_t i;

	for (i = 0; i < g->tree.n_leaves; i++) {
		leaf = mls_tree_leaf(&g->tree, i);
		if (leaf && !leaf_replaced(l, i) &&
		    mls_leaf_node_check_capabilities(g->suite, leaf, exts))
			return MLS_ERR_VALIDATION;
	}
	return 0;
}

/*
 * §12.4.3.2: an external Commit carries exactly one ExternalInit, at
 * most one Remove, PreSharedKeys and nothing else, all from its sender
 * (by value: a joiner cannot know this epoch's proposals).
 */
static int check_external_list(const struct mls_proposal_list *l,
			       const struct list_counts *n)
{
	size_t i;

	if (n->external_init != 1 || n->remove > 1 ||
	    n->external_init + n->remove + n->psk != l->count)
		return MLS_ERR_VALIDATION;
	for (i = 0; i < l->count; i++)
		if (l->items[i].sender.type != MLS_SENDER_NEW_MEMBER_COMMIT)
			return MLS_ERR_VALIDATION;
	return 0;
}

int mls_group_check_proposals(const struct mls_group *g,
			      const struct mls_sender *committer,
			      const struct mls_proposal_list *l,
			      bool *path_required)
{
	const struct mls_extension_list *exts = new_extensions(g, l);
	bool external = committer->type == MLS_SENDER_NEW_MEMBER_COMMIT;
	/* an external committer has no leaf yet: it may Remove any */
	uint32_t leaf = external ? UINT32_MAX : committer->index;
	struct list_counts n;
	size_t i, j;
	int err;

	memset(&n, 0, sizeof(n));
	n.needs_path = l->count == 0;
	for (i = 0; i < l->count; i++) {
		err = check_one(g, leaf, &l->items[i], exts, &n);
		if (err)
			return err;
		for (j = 0; j < i; j++)
			if (conflict(&l->items[j], &l->items[i]))
				return MLS_ERR_VALIDATION;
	}
	if (external)
		err = check_external_list(l, &n);
	else if (n.external_init)
		err = MLS_ERR_VALIDATION;	/* members never send it */
	else
		err = 0;
	if (err || n.gce > 1)
		return err ? err : MLS_ERR_VALIDATION;
	if (n.gce && check_members_meet(g, l, exts))
		return MLS_ERR_VALIDATION;
	if (n.reinit && l->count > 1)
		return MLS_ERR_REINIT_NOT_ALONE;
	*path_required = n.needs_path;
	return 0;
}

/* ---- application (§12.3) ---- */

static int apply_update(struct mls_tree *t, const struct mls_resolved_proposal *rp)
{
	const struct mls_leaf_node *leaf = &rp->proposal->update.leaf_node;
	int err;

	err = mls_tree_check_leaf_fits(t, rp->sender.index, leaf, NULL);
	if (!err)
		err = mls_tree_update_leaf(t, rp->sender.index, leaf);
	return err;
}

static int apply_add(struct mls_tree *t, const struct mls_add *add,
		     struct mls_applied_proposals *out)
{
	const struct mls_leaf_node *leaf = &add->key_package.leaf_node;
	uint32_t *added;
	uint32_t index = mls_tree_first_blank_leaf(t);
	int err;

	err = mls_tree_check_leaf_fits(t, index, leaf, NULL);
	if (err)
		return err;
	added = mls_array_grow(out->added_leaves, out->n_added,
			       sizeof(*added));
	if (!added)
		return MLS_ERR_NOMEM;
	out->added_leaves = added;
	err = mls_tree_add_leaf(t, leaf, &index);
	if (!err)
		added[out->n_added++] = index;
	return err;
}

static int add_psk(const struct mls_psk_id *id,
		   struct mls_applied_proposals *out)
{
	struct mls_psk_id *items;

	items = mls_array_grow(out->psks.items, out->psks.count,
			       sizeof(*items));
	if (!items)
		return MLS_ERR_NOMEM;
	out->psks.items = items;
	/* a shallow copy: the proposal owns the bytes */
	items[out->psks.count++] = *id;
	return 0;
}

static int apply_of_type(const struct mls_group *g, struct mls_tree *t,
			 const struct mls_resolved_proposal *rp, uint16_t type,
			 struct mls_applied_proposals *out)
{
	const struct mls_proposal *p = rp->proposal;

	if (p->type != type)
		return 0;
	switch (type) {
	case MLS_PROPOSAL_UPDATE:
		return apply_update(t, rp);
	case MLS_PROPOSAL_REMOVE:
		if (p->remove.removed == g->priv.leaf_index)
			out->removes_us = true;
		return mls_tree_remove_leaf(t, p->remove.removed);
	case MLS_PROPOSAL_ADD:
		return apply_add(t, &p->add, out);
	case MLS_PROPOSAL_PSK:
		return add_psk(&p->psk.psk, out);
	}
	return 0;
}

/* GroupContextExtensions must be supported by every member (§12.1.7). */
static int check_members_support(const struct mls_group *g,
				 const struct mls_tree *t,
				 const struct mls_extension_list *exts)
{
	uint32_t i;

	for (i = 0; i < t->n_leaves; i++) {
		const struct mls_leaf_node *leaf = mls_tree_leaf(t, i);

		if (leaf && mls_leaf_node_check_capabilities(g->suite, leaf,
							     exts))
			return MLS_ERR_VALIDATION;
	}
	return 0;
}

int mls_group_apply_proposals(const struct mls_group *g,
			      struct mls_tree *tree,
			      const struct mls_proposal_list *l,
			      struct mls_applied_proposals *out)
{
	static const uint16_t order[] = {
		MLS_PROPOSAL_UPDATE, MLS_PROPOSAL_REMOVE, MLS_PROPOSAL_ADD,
		MLS_PROPOSAL_PSK,
	};
	const struct mls_extension_list *exts = new_extensions(g, l);
	struct mls_writer w;
	struct mls_reader r;
	struct mls_bytes enc = { NULL, 0 };
	size_t i, k;
	int err;

	memset(out, 0, sizeof(*out));
	mls_writer_init(&w);
	mls_extension_list_encode(&w, exts);
	err = mls_writer_finish(&w, &enc);
	if (!err) {
		mls_reader_init(&r, enc.data, enc.len);
		mls_extension_list_decode(&r, &out->extensions);
		err = mls_reader_finish(&r);
	}
	mls_bytes_free(&enc);
	for (k = 0; !err && k < sizeof(order) / sizeof(order[0]); k++)
		for (i = 0; !err && i < l->count; i++)
			err = apply_of_type(g, tree, &l->items[i], order[k],
					    out);
	if (!err && exts != &g->context.extensions)
		err = check_members_support(g, tree, exts);
	if (err)
		mls_applied_proposals_free(out);
	return err;
}
