// SPDX-License-Identifier: MIT
/*
 * Receiving proposals and Commits (RFC 9420 §12.1, §12.4.2). A Commit is
 * worked out on copies (tree, private keys, GroupContext, secrets) and
 * swapped into the group only once everything has checked out, so a bad
 * Commit leaves the group as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "mls/transcript.h"
#include "group_internal.h"

static int proposal_ref(const struct mls_suite *s,
			const struct mls_authenticated_content *ac,
			uint8_t *ref)
{
	struct mls_bytes enc = { NULL, 0 };
	int err;

	err = mls_authenticated_content_to_bytes(ac, &enc);
	if (!err)
		err = mls_make_proposal_ref(s, enc.data, enc.len, ref);
	mls_bytes_free(&enc);
	return err;
}

static const struct mls_cached_proposal *
find_cached(const struct mls_group *g, const struct mls_bytes *ref)
{
	size_t i;

	if (ref->len != g->suite->hash_len)
		return NULL;
	for (i = 0; i < g->n_proposals; i++)
		if (!memcmp(g->proposals[i].ref, ref->data, ref->len))
			return &g->proposals[i];
	return NULL;
}

int mls_group_cache_content(struct mls_group *g,
			    struct mls_authenticated_content *ac, uint8_t *ref)
{
	struct mls_cached_proposal *items, *e;
	uint8_t r[MLS_MAX_HASH_LEN];
	struct mls_bytes rb = { r, g->suite->hash_len };
	int err;

	err = proposal_ref(g->suite, ac, r);
	if (err)
		return err;
	if (ref)
		memcpy(ref, r, g->suite->hash_len);
	/* the same proposal twice (a replayed PublicMessage) is kept once */
	if (find_cached(g, &rb))
		return 0;
	items = mls_array_grow(g->proposals, g->n_proposals, sizeof(*items));
	if (!items)
		return MLS_ERR_NOMEM;
	g->proposals = items;
	e = &items[g->n_proposals++];
	memcpy(e->ref, r, g->suite->hash_len);
	e->sender = ac->content.sender;
	e->proposal = ac->content.content.proposal;
	memset(&ac->content.content.proposal, 0,
	       sizeof(ac->content.content.proposal));
	return 0;
}

int mls_group_cache_proposal(struct mls_group *g, const struct mls_message *m,
			     uint8_t *ref)
{
	struct mls_authenticated_content ac;
	int err;

	if (!g || !g->suite || !m)
		return MLS_ERR_INVALID_ARG;
	if (g->removed)
		return MLS_ERR_REMOVED;
	memset(&ac, 0, sizeof(ac));
	err = mls_group_unprotect(g, m, &ac);
	if (!err && ac.content.content.type != MLS_CONTENT_PROPOSAL)
		err = MLS_ERR_INVALID_ARG;
	if (!err && ac.content.sender.type == MLS_SENDER_NEW_MEMBER_PROPOSAL &&
	    !g->policy.accept_new_member_proposals)
		err = MLS_ERR_POLICY;
	if (!err)
		err = mls_group_cache_content(g, &ac, ref);
	mls_authenticated_content_free(&ac);
	return err;
}

/* ---- Commit ---- */

struct commit_work {
	struct mls_authenticated_content ac;
	uint32_t committer;
	bool external;			/* new_member_commit (§12.4.3.2) */
	uint8_t init_secret[MLS_MAX_HASH_LEN];
	struct mls_proposal_list list;
	struct mls_tree tree;
	struct mls_tree_private priv;
	struct mls_applied_proposals applied;
	struct mls_group_context context;	/* the new epoch's */
	struct mls_treekem_secrets path;
	bool has_commit_secret;
	uint8_t psk_secret[MLS_MAX_HASH_LEN];
	struct mls_epoch_secrets secrets;
	uint8_t interim[MLS_MAX_HASH_LEN];
	struct mls_secret_tree *secret_tree;
	struct mls_reinit *reinit;	/* the Commit's ReInit (§12.1.5) */
};

static void commit_work_free(struct commit_work *cw)
{
	mls_authenticated_content_free(&cw->ac);
	free(cw->list.items);
	mls_tree_free(&cw->tree);
	mls_tree_private_wipe(&cw->priv);
	mls_applied_proposals_free(&cw->applied);
	mls_group_context_free(&cw->context);
	mls_treekem_secrets_wipe(&cw->path);
	mls_epoch_secrets_free(&cw->secrets);
	mls_secret_tree_free(cw->secret_tree);
	mls_group_reinit_free(cw->reinit);
	mls_wipe(cw, sizeof(*cw));
}

/* §12.4.2 first steps: a Commit from another member of this epoch. */
static int read_commit(struct mls_group *g, const struct mls_message *m,
		       struct commit_work *cw)
{
	const struct mls_framed_content *fc = &cw->ac.content;
	int err;

	err = mls_group_unprotect(g, m, &cw->ac);
	if (err)
		return err;
	if (fc->content.type != MLS_CONTENT_COMMIT)
		return MLS_ERR_INVALID_ARG;
	if (fc->sender.type == MLS_SENDER_NEW_MEMBER_COMMIT) {
		/* §12.4.3.2: the joiner's leaf arrives in the path */
		if (!fc->content.commit.has_path)
			return MLS_ERR_VALIDATION;
		cw->external = true;
		return 0;
	}
	if (fc->sender.type != MLS_SENDER_MEMBER)
		return MLS_ERR_VALIDATION;
	/*
	 * Our own Commit coming back from the delivery service: only the
	 * state kept when creating it can take it (mls_group_process_commit
	 * confirms it when it is the one pending).
	 */
	if (fc->sender.index == g->priv.leaf_index)
		return MLS_ERR_INVALID_STATE;
	cw->committer = fc->sender.index;
	return 0;
}

/* §12.4: proposals by value come from the committer, others by ref. */
static int resolve_proposals(const struct mls_group *g, struct commit_work *cw)
{
	const struct mls_commit *c = &cw->ac.content.content.commit;
	struct mls_resolved_proposal *rp;
	size_t i;

	if (!c->count)
		return 0;
	cw->list.items = calloc(c->count, sizeof(*cw->list.items));
	if (!cw->list.items)
		return MLS_ERR_NOMEM;
	for (i = 0; i < c->count; i++) {
		rp = &cw->list.items[i];
		if (c->proposals[i].type == MLS_PROPOSAL_OR_REF_PROPOSAL) {
			rp->proposal = &c->proposals[i].proposal;
			rp->sender = cw->ac.content.sender;
		} else {
			const struct mls_cached_proposal *cp =
				find_cached(g, &c->proposals[i].reference);

			/* a joiner cannot know this epoch's proposals */
			if (cw->external)
				return MLS_ERR_VALIDATION;
			if (!cp)
				return MLS_ERR_NOT_FOUND;
			rp->proposal = &cp->proposal;
			rp->sender = cp->sender;
		}
	}
	cw->list.count = c->count;
	return 0;
}

/*
 * An Update of ours that the Commit applied replaced our leaf key: take
 * the private half we kept when proposing it (§12.1.2).
 */
static int adopt_own_update(const struct mls_group *g, struct commit_work *cw)
{
	uint32_t me = g->priv.leaf_index;
	const struct mls_leaf_node *leaf = mls_tree_leaf(&cw->tree, me);
	const struct mls_pending_update *up;

	if (!leaf || mls_tree_private_find(&cw->priv, &cw->tree,
					   mls_treemath_leaf_to_node(me)))
		return 0;
	up = mls_group_find_update(g, &leaf->encryption_key);
	if (!up)
		return MLS_ERR_VALIDATION;
	return mls_tree_private_set_leaf_key(&cw->priv, up->priv,
					     g->suite->kem_priv_len);
}

/* The Remove of an external Commit, if any: the joiner's old leaf. */
static uint32_t resynced_leaf(const struct commit_work *cw)
{
	size_t i;

	for (i = 0; i < cw->list.count; i++)
		if (cw->list.items[i].proposal->type == MLS_PROPOSAL_REMOVE)
			return cw->list.items[i].proposal->remove.removed;
	return UINT32_MAX;
}

/*
 * §12.4.3.2: the joiner sits at the leftmost blank leaf once the
 * proposals are applied. A stand-in for its path's leaf goes there
 * first, so that the UpdatePath is processed as any other member's;
 * TreeKEM then checks the real leaf and puts it in place.
 */
static int add_external_leaf(const struct mls_group *g,
			     struct commit_work *cw)
{
	const struct mls_commit *c = &cw->ac.content.content.commit;
	const struct mls_leaf_node *leaf = &c->path.leaf_node;
	struct mls_leaf_node placeholder = *leaf;	/* a view */
	uint32_t index = mls_tree_first_blank_leaf(&cw->tree);
	size_t i;
	int err;

	/*
	 * TreeKEM insists a path leaf brings a new encryption key (§7.3),
	 * so the seat is taken by the leaf without one until it merges.
	 */
	placeholder.encryption_key.data = NULL;
	placeholder.encryption_key.len = 0;
	err = mls_tree_check_leaf_fits(&cw->tree, index, leaf, NULL);
	if (!err)
		err = mls_tree_add_leaf(&cw->tree, &placeholder, &index);
	if (err)
		return err;
	cw->committer = index;
	for (i = 0; i < cw->list.count; i++) {
		const struct mls_proposal *p = cw->list.items[i].proposal;

		if (p->type == MLS_PROPOSAL_EXTERNAL_INIT)
			return mls_group_external_init_secret(
				g, &p->external_init.kem_output,
				cw->init_secret);
	}
	return MLS_ERR_VALIDATION;
}

/* §5.3.1: the committer's new leaf, against the one it replaces. */
static int validate_path_leaf(const struct mls_group *g,
			      const struct commit_work *cw)
{
	const struct mls_commit *c = &cw->ac.content.content.commit;
	struct mls_leaf_origin o;

	if (!c->has_path)
		return 0;
	o.sender = &cw->ac.content.sender;
	if (cw->external) {
		o.source = MLS_CREDENTIAL_SOURCE_EXTERNAL_JOIN;
		o.leaf_index = resynced_leaf(cw);
	} else {
		o.source = MLS_CREDENTIAL_SOURCE_COMMIT_PATH;
		o.leaf_index = cw->committer;
	}
	return mls_group_validate_leaf(g, &o, &c->path.leaf_node,
				       mls_tree_leaf(&g->tree, o.leaf_index));
}

static int apply_proposals(const struct mls_group *g, struct commit_work *cw)
{
	const struct mls_commit *c = &cw->ac.content.content.commit;
	bool path_required = false;
	int err;

	err = mls_group_check_proposals(g, &cw->ac.content.sender, &cw->list,
					&path_required);
	if (err)
		return err;
	if (path_required && !c->has_path)
		return MLS_ERR_VALIDATION;
	err = mls_group_take_reinit(&cw->list, &cw->reinit);
	if (!err)
		err = mls_tree_clone(&cw->tree, &g->tree);
	if (!err)
		err = mls_group_apply_proposals(g, &cw->tree, &cw->list,
						&cw->applied);
	/*
	 * We cannot follow the group past a Commit that removes us. Before
	 * we count ourselves out, the application must accept the committer
	 * (anyone with a GroupInfo can send a resync that removes a leaf).
	 */
	if (!err && cw->applied.removes_us) {
		err = validate_path_leaf(g, cw);
		if (!err)
			err = MLS_ERR_REMOVED;
	}
	if (!err && cw->external)
		err = add_external_leaf(g, cw);
	if (err)
		return err;
	cw->priv = g->priv;
	mls_tree_private_prune(&cw->priv, &cw->tree);
	return adopt_own_update(g, cw);
}

/* The provisional GroupContext of §12.4.2: new epoch and extensions. */
static int provisional_context(const struct mls_group *g,
			       struct commit_work *cw)
{
	struct mls_group_context *nc = &cw->context;
	int err;

	err = mls_group_context_copy(nc, &g->context);
	if (err)
		return err;
	nc->epoch++;
	mls_extension_list_free(&nc->extensions);
	nc->extensions = cw->applied.extensions;
	memset(&cw->applied.extensions, 0, sizeof(cw->applied.extensions));
	return 0;
}

static int process_path(struct commit_work *cw)
{
	const struct mls_commit *c = &cw->ac.content.content.commit;
	struct mls_treekem_context tc = {
		.group_context = &cw->context,
		.added_leaves = cw->applied.added_leaves,
		.n_added = cw->applied.n_added,
	};
	int err;

	if (!c->has_path)
		return 0;
	err = mls_treekem_process(&cw->tree, &cw->priv, cw->committer,
				  &c->path, &tc, &cw->path);
	cw->has_commit_secret = !err;
	return err;
}

static int set_bytes(struct mls_bytes *b, const uint8_t *v, size_t len)
{
	mls_bytes_free(b);
	return mls_bytes_set(b, v, len);
}

/* tree_hash and confirmed_transcript_hash of the new GroupContext. */
static int finish_context(const struct mls_group *g, struct commit_work *cw)
{
	const struct mls_suite *s = g->suite;
	uint8_t h[MLS_MAX_HASH_LEN];
	int err;

	err = mls_tree_root_hash(&cw->tree, h);
	if (!err)
		err = set_bytes(&cw->context.tree_hash, h, s->hash_len);
	if (!err)
		err = mls_confirmed_transcript_hash(s,
						    g->interim_transcript_hash,
						    mls_group_interim_len(g),
						    &cw->ac, h);
	if (!err)
		err = set_bytes(&cw->context.confirmed_transcript_hash, h,
				s->hash_len);
	return err;
}

static int find_psk(const struct mls_group *g, const struct mls_psk_id *id,
		    struct mls_psk *out)
{
	out->id = id;
	out->secret = mls_group_parent_psk(g, id, &out->secret_len);
	if (out->secret)
		return 0;
	if (id->psktype == MLS_PSK_EXTERNAL) {
		if (!g->psk_lookup)
			return MLS_ERR_NOT_FOUND;
		return g->psk_lookup(g->psk_ctx, id, &out->secret,
				     &out->secret_len);
	}
	if (!mls_bytes_equal(&id->psk_group_id, &g->context.group_id))
		return MLS_ERR_NOT_FOUND;
	out->secret = mls_group_resumption_psk(g, id->psk_epoch);
	out->secret_len = g->suite->hash_len;
	return out->secret ? 0 : MLS_ERR_NOT_FOUND;
}

int mls_group_psk_secret(const struct mls_group *g,
			 const struct mls_psk_id_list *ids, uint8_t *out)
{
	struct mls_psk *psks;
	size_t i;
	int err = 0;

	if (!ids->count)
		return mls_psk_secret(g->suite, NULL, 0, out);
	psks = calloc(ids->count, sizeof(*psks));
	if (!psks)
		return MLS_ERR_NOMEM;
	for (i = 0; !err && i < ids->count; i++)
		err = find_psk(g, &ids->items[i], &psks[i]);
	if (!err)
		err = mls_psk_secret(g->suite, psks, ids->count, out);
	free(psks);
	return err;
}

/* §8, §6.1, §8.2: the new epoch's secrets, its tag, the interim hash. */
static int run_key_schedule(const struct mls_group *g, struct commit_work *cw)
{
	const struct mls_suite *s = g->suite;
	const struct mls_bytes *tag = &cw->ac.auth.confirmation_tag;
	const struct mls_bytes *cth = &cw->context.confirmed_transcript_hash;
	int err;

	err = mls_group_psk_secret(g, &cw->applied.psks, cw->psk_secret);
	if (!err)
		err = mls_key_schedule_advance(s, cw->external ? cw->init_secret :
					       g->secrets.init_secret,
					       cw->has_commit_secret ?
					       cw->path.commit_secret : NULL,
					       cw->psk_secret, &cw->context,
					       &cw->secrets, NULL);
	if (!err)
		err = mls_confirmation_tag_verify(&cw->secrets, cth->data,
						  cth->len, tag->data,
						  tag->len);
	if (!err)
		err = mls_interim_transcript_hash(s, cth->data, cth->len,
						  tag->data, tag->len,
						  cw->interim);
	if (!err)
		err = mls_group_new_secret_tree(g, &cw->secrets,
						cw->tree.n_leaves,
						&cw->secret_tree);
	return err;
}

/* Nothing here can fail: the group moves to the new epoch as a whole. */
static void install_epoch(struct mls_group *g, struct commit_work *cw)
{
	struct mls_secret_tree *st = cw->secret_tree;

	cw->secret_tree = NULL;
	/* cw->list points into the cache: drop it before the cache */
	free(cw->list.items);
	cw->list.items = NULL;
	cw->list.count = 0;
	mls_group_install(g, &cw->context, &cw->tree, &cw->priv,
			  &cw->secrets, cw->interim, st);
	/* §12.4.2: from now on the group waits for its successor */
	g->reinit = cw->reinit;
	cw->reinit = NULL;
}

/* Is m the Commit we have pending (the delivery service echoing it)? */
static bool is_pending_commit(const struct mls_group *g,
			      const struct commit_work *cw)
{
	return g->pending &&
	       cw->ac.content.content.type == MLS_CONTENT_COMMIT &&
	       cw->ac.content.sender.type == MLS_SENDER_MEMBER &&
	       cw->ac.content.sender.index == g->priv.leaf_index &&
	       mls_bytes_equal(&cw->ac.auth.signature, &g->pending->signature);
}

/* What the Commit changed (out may be NULL: nobody asked). */
static int summarize(const struct mls_group *g, const struct commit_work *cw,
		     struct mls_commit_summary *out)
{
	struct mls_commit_facts f = {
		.list = &cw->list,
		.applied = &cw->applied,
		.epoch = g->context.epoch + 1,
		.committer = cw->committer,
		.external = cw->external,
		.has_path = cw->ac.content.content.commit.has_path,
	};

	/* a resync that removes us stops before the joiner is seated */
	if (cw->external && cw->applied.removes_us)
		f.committer = mls_tree_first_blank_leaf(&cw->tree);
	return out ? mls_commit_summarize(&f, out) : 0;
}

/* Our pending Commit's summary, moved out before confirming it. */
static void take_pending_summary(struct mls_group *g,
				 struct mls_commit_summary *out)
{
	if (!out)
		return;
	*out = g->pending->summary;
	memset(&g->pending->summary, 0, sizeof(g->pending->summary));
	out->ours = true;
}

/*
 * A genuine Commit of this epoch removed us (its signature verified, its
 * proposals valid): the group is over for us. It keeps the last epoch it
 * knew, and nothing more can be done in it.
 */
static void leave_group(struct mls_group *g)
{
	g->removed = true;
	mls_group_discard_commit(g);
	mls_group_clear_updates(g);
	/* nothing decrypts in a group we are out of */
	mls_group_wipe_past(g, 0);
}

/* Is m, byte for byte, the MLSMessage of the Commit we have pending? */
static int is_pending_message(const struct mls_group *g,
			      const struct mls_message *m, bool *same)
{
	struct mls_bytes enc = { NULL, 0 };
	int err;

	*same = false;
	if (!g->pending)
		return 0;
	err = mls_message_to_bytes(m, &enc);
	if (!err)
		*same = mls_bytes_equal(&enc, &g->pending->message);
	mls_bytes_free(&enc);
	return err;
}

int mls_group_process_commit_summary(struct mls_group *g,
				     const struct mls_message *m,
				     struct mls_commit_summary *summary)
{
	struct commit_work cw;
	bool ours;
	int err;

	if (summary)
		memset(summary, 0, sizeof(*summary));
	if (!g || !g->suite || !m)
		return MLS_ERR_INVALID_ARG;
	if (g->removed)
		return MLS_ERR_REMOVED;
	/* §12.4.2: a reinitialized group follows no further Commit */
	if (g->reinit)
		return MLS_ERR_INVALID_STATE;
	/*
	 * Our own Commit echoed by the delivery service, checked first: as a
	 * PrivateMessage it cannot be decrypted again (its key is spent).
	 */
	err = is_pending_message(g, m, &ours);
	if (err)
		return err;
	if (ours) {
		take_pending_summary(g, summary);
		return mls_group_confirm_commit(g);
	}
	memset(&cw, 0, sizeof(cw));
	err = read_commit(g, m, &cw);
	if (err == MLS_ERR_INVALID_STATE && is_pending_commit(g, &cw)) {
		commit_work_free(&cw);
		take_pending_summary(g, summary);
		return mls_group_confirm_commit(g);
	}
	if (!err)
		err = resolve_proposals(g, &cw);
	if (!err)
		err = apply_proposals(g, &cw);
	if (!err)
		err = provisional_context(g, &cw);
	if (!err)
		err = validate_path_leaf(g, &cw);
	if (!err)
		err = process_path(&cw);
	if (!err)
		err = finish_context(g, &cw);
	if (!err)
		err = run_key_schedule(g, &cw);
	if (!err || err == MLS_ERR_REMOVED) {
		int e = summarize(g, &cw, summary);

		err = e ? e : err;
	}
	if (!err)
		install_epoch(g, &cw);
	else if (err == MLS_ERR_REMOVED)
		leave_group(g);
	commit_work_free(&cw);
	return err;
}

int mls_group_process_commit(struct mls_group *g,
			     const struct mls_message *m)
{
	return mls_group_process_commit_summary(g, m, NULL);
}
