// SPDX-License-Identifier: MIT
/*
 * Creating a Commit (RFC 9420 §12.4.1) and its Welcome (§12.4.3.1).
 *
 * Everything is worked out on copies, as on the receiving side; the
 * result is not installed but kept as the pending Commit, because the
 * delivery service may order another member's Commit of the same epoch
 * first (§14). mls_group_confirm_commit installs it.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "mls/transcript.h"
#include "mls/welcome.h"
#include "framing_internal.h"
#include "group_internal.h"

struct commit_build {
	struct mls_group *g;
	uint16_t wire;
	/* an external Commit: our leaf, which joins with it (§12.4.3.2) */
	const struct mls_leaf_node *external_leaf;
	struct mls_proposal_list list;	/* into g's cache and values */
	struct mls_proposal *values;	/* the by-value ones, owned */
	size_t n_values;
	const struct mls_cached_proposal **refs;	/* by reference */
	size_t n_refs;
	/* cached proposals the application's filter refused, or NULL */
	bool *refused;
	struct mls_framed_content fc;
	struct mls_tree tree;
	struct mls_tree_private priv;
	struct mls_applied_proposals applied;
	struct mls_group_context context;	/* the new epoch's */
	bool has_path;
	struct mls_treekem_secrets path;
	uint8_t psk_secret[MLS_MAX_HASH_LEN];
	struct mls_epoch_secrets secrets;
	struct mls_epoch_join join;
	struct mls_framed_content_auth_data auth;
	uint8_t interim[MLS_MAX_HASH_LEN];
	struct mls_secret_tree *secret_tree;
	struct mls_reinit *reinit;	/* the Commit's ReInit (§12.1.5) */
	struct mls_commit_summary summary;
	bool external_tree;	/* no ratchet_tree extension in the Welcome */
};

static void commit_build_free(struct commit_build *b)
{
	size_t i;

	free(b->list.items);
	for (i = 0; i < b->n_values; i++)
		mls_proposal_free(&b->values[i]);
	free(b->values);
	free(b->refs);
	free(b->refused);
	mls_framed_content_free(&b->fc);
	mls_tree_free(&b->tree);
	mls_tree_private_wipe(&b->priv);
	mls_applied_proposals_free(&b->applied);
	mls_group_context_free(&b->context);
	mls_treekem_secrets_wipe(&b->path);
	mls_epoch_secrets_free(&b->secrets);
	mls_epoch_join_wipe(&b->join);
	mls_framed_content_auth_data_free(&b->auth);
	mls_secret_tree_free(b->secret_tree);
	mls_group_reinit_free(b->reinit);
	mls_commit_summary_free(&b->summary);
	mls_wipe(b, sizeof(*b));
}

/* ---- which proposals (§12.2) ---- */

static int push(struct commit_build *b, const struct mls_proposal *p,
		struct mls_sender sender)
{
	struct mls_resolved_proposal *items;

	items = mls_array_grow(b->list.items, b->list.count, sizeof(*items));
	if (!items)
		return MLS_ERR_NOMEM;
	b->list.items = items;
	items[b->list.count].proposal = p;
	items[b->list.count].sender = sender;
	b->list.count++;
	return 0;
}

static int push_ref(struct commit_build *b,
		    const struct mls_cached_proposal *cp)
{
	const struct mls_cached_proposal **items;

	items = mls_array_grow(b->refs, b->n_refs, sizeof(*items));
	if (!items)
		return MLS_ERR_NOMEM;
	b->refs = items;
	items[b->n_refs++] = cp;
	return 0;
}

static int take_by_value(struct commit_build *b,
			 const struct mls_commit_options *o)
{
	size_t i;
	int err = 0;

	if (!o->n_proposals)
		return 0;
	if (!o->proposals)
		return MLS_ERR_INVALID_ARG;
	b->values = calloc(o->n_proposals, sizeof(*b->values));
	if (!b->values)
		return MLS_ERR_NOMEM;
	for (i = 0; !err && i < o->n_proposals; i++) {
		err = mls_group_copy_proposal(&b->values[i], &o->proposals[i]);
		if (!err)
			mls_group_copy_add_note(&b->values[i],
						&o->proposals[i]);
		b->n_values = i + 1;
	}
	for (i = 0; !err && i < b->n_values; i++)
		err = push(b, &b->values[i], b->fc.sender);
	return err;
}

/* The Commit's proposals vector: by value first, then by reference. */
static int assemble(struct commit_build *b)
{
	struct mls_commit *c = &b->fc.content.commit;
	size_t i, n = b->n_values + b->n_refs;
	int err = 0;

	if (!n)
		return 0;
	c->proposals = calloc(n, sizeof(*c->proposals));
	if (!c->proposals)
		return MLS_ERR_NOMEM;
	c->count = n;
	for (i = 0; !err && i < b->n_values; i++) {
		c->proposals[i].type = MLS_PROPOSAL_OR_REF_PROPOSAL;
		err = mls_group_copy_proposal(&c->proposals[i].proposal,
					      &b->values[i]);
	}
	for (i = 0; !err && i < b->n_refs; i++) {
		struct mls_proposal_or_ref *r = &c->proposals[b->n_values + i];

		r->type = MLS_PROPOSAL_OR_REF_REFERENCE;
		err = mls_bytes_set(&r->reference, b->refs[i]->ref,
				    b->g->suite->hash_len);
	}
	return err;
}

/*
 * Whether the list can be applied to the tree (§12.3): MLS_ERR_VALIDATION
 * when it cannot (a leaf whose keys another leaf of the new tree has,
 * §7.3), other errors as they come.
 */
static int list_applies(const struct commit_build *b)
{
	struct mls_applied_proposals applied;
	struct mls_tree t;
	int err;

	err = mls_tree_clone(&t, &b->g->tree);
	if (!err)
		err = mls_group_apply_proposals(b->g, &t, &b->list, &applied);
	if (!err)
		mls_applied_proposals_free(&applied);
	mls_tree_free(&t);
	return err;
}

/*
 * A cached proposal goes in only if the list stays valid with it (and,
 * with trial, can still be applied). §12.2: other proposals are
 * preferred to a ReInit, which can be sent again in a later epoch, so
 * ReInits are tried last.
 */
static int take_cached_pass(struct commit_build *b, bool reinit, bool trial)
{
	struct mls_group *g = b->g;
	bool path_required;
	size_t i;
	int err;

	for (i = 0; i < g->n_proposals; i++) {
		const struct mls_cached_proposal *cp = &g->proposals[i];

		if ((cp->proposal.type == MLS_PROPOSAL_REINIT) != reinit ||
		    (b->refused && b->refused[i]))
			continue;
		/* §12.2: the committer updates through its path instead */
		if (cp->proposal.type == MLS_PROPOSAL_UPDATE &&
		    cp->sender.type == MLS_SENDER_MEMBER &&
		    cp->sender.index == g->priv.leaf_index)
			continue;
		err = push(b, &cp->proposal, cp->sender);
		if (err)
			return err;
		err = mls_group_check_proposals(g, &b->fc.sender, &b->list,
						&path_required);
		if (!err && trial)
			err = list_applies(b);
		if (err == MLS_ERR_NOMEM)
			return err;
		if (err) {
			b->list.count--;
			continue;
		}
		err = push_ref(b, cp);
		if (err)
			return err;
	}
	return 0;
}

static int take_cached_passes(struct commit_build *b, bool trial)
{
	int err = take_cached_pass(b, false, trial);

	return err ? err : take_cached_pass(b, true, trial);
}

/* The application's say first, once per proposal, whatever is tried. */
static int run_filter(struct commit_build *b,
		      const struct mls_commit_options *o)
{
	struct mls_group *g = b->g;
	size_t i;

	if (!o->filter || !g->n_proposals)
		return 0;
	b->refused = calloc(g->n_proposals, sizeof(*b->refused));
	if (!b->refused)
		return MLS_ERR_NOMEM;
	for (i = 0; i < g->n_proposals; i++)
		b->refused[i] = !o->filter(o->filter_ctx, g, &g->proposals[i]);
	return 0;
}

/*
 * Anyone can get a proposal into the cache that is valid on its own
 * but cannot be applied with the others (an Add reusing a member's
 * key): it must be left out, not fail the Commit, or whoever sends one
 * blocks the group. The list is applied once on a copy of the tree;
 * only if that fails is each proposal tried against the tree the
 * Commit would build.
 */
static int take_cached(struct commit_build *b,
		       const struct mls_commit_options *o)
{
	size_t by_value = b->list.count;
	int err;

	err = run_filter(b, o);
	if (!err)
		err = take_cached_passes(b, false);
	if (!err)
		err = list_applies(b);
	if (err == MLS_ERR_VALIDATION) {
		b->list.count = by_value;
		b->n_refs = 0;
		err = take_cached_passes(b, true);
	}
	return err ? err : assemble(b);
}

/* ---- the new epoch ---- */

/* §12.4.3.2: the joiner takes the leftmost blank leaf, as an Add would. */
static int add_external_leaf(struct commit_build *b)
{
	uint32_t index = mls_tree_first_blank_leaf(&b->tree);
	int err;

	err = mls_tree_check_leaf_fits(&b->tree, index, b->external_leaf,
				       NULL);
	if (!err)
		err = mls_tree_add_leaf(&b->tree, b->external_leaf, &index);
	if (!err)
		mls_tree_private_init(&b->priv, b->g->suite, index);
	return err;
}

static int apply(struct commit_build *b, const struct mls_commit_options *o)
{
	struct mls_group *g = b->g;
	bool path_required = false;
	int err;

	err = mls_group_check_proposals(g, &b->fc.sender, &b->list,
					&path_required);
	if (!err)
		err = mls_group_take_reinit(&b->list, &b->reinit);
	if (err)
		return err;
	b->has_path = path_required || o->force_path;
	err = mls_tree_clone(&b->tree, &g->tree);
	if (!err)
		err = mls_group_apply_proposals(g, &b->tree, &b->list,
						&b->applied);
	if (!err && b->external_leaf)
		err = add_external_leaf(b);
	else if (!err) {
		b->priv = g->priv;
		mls_tree_private_prune(&b->priv, &b->tree);
	}
	if (err)
		return err;
	err = mls_group_context_copy(&b->context, &g->context);
	if (err)
		return err;
	b->context.epoch++;
	mls_extension_list_free(&b->context.extensions);
	b->context.extensions = b->applied.extensions;
	memset(&b->applied.extensions, 0, sizeof(b->applied.extensions));
	return 0;
}

static int summarize(struct commit_build *b)
{
	struct mls_commit_facts f = {
		.list = &b->list,
		.applied = &b->applied,
		.epoch = b->g->context.epoch + 1,
		.committer = b->priv.leaf_index,
		.external = b->external_leaf != NULL,
		.has_path = b->has_path,
	};

	return mls_commit_summarize(&f, &b->summary);
}

static int make_path(struct commit_build *b)
{
	struct mls_group *g = b->g;
	struct mls_commit *c = &b->fc.content.commit;
	struct mls_treekem_context tc = {
		.group_context = &b->context,
		.added_leaves = b->applied.added_leaves,
		.n_added = b->applied.n_added,
	};
	int err;

	if (!b->has_path)
		return 0;
	err = mls_treekem_create(&g->crypto, &b->tree, &b->priv, &tc, NULL,
				 g->sig_priv, g->sig_priv_len, &c->path,
				 &b->path);
	c->has_path = !err;
	return err;
}

static int set_bytes(struct mls_bytes *v, const uint8_t *data, size_t len)
{
	mls_bytes_free(v);
	return mls_bytes_set(v, data, len);
}

/* Sign, then everything that hangs on the signature (§8.2, §6.1). */
static int sign_and_schedule(struct commit_build *b)
{
	struct mls_group *g = b->g;
	const struct mls_suite *s = g->suite;
	struct mls_authenticated_content ac;
	struct mls_framing_ctx ctx;
	struct mls_bytes gc = { NULL, 0 };
	uint8_t h[MLS_MAX_HASH_LEN], tag[MLS_MAX_HASH_LEN];
	int err;

	err = mls_tree_root_hash(&b->tree, h);
	if (!err)
		err = set_bytes(&b->context.tree_hash, h, s->hash_len);
	if (!err)
		err = mls_group_framing_ctx(g, &ctx, &gc);
	if (!err)
		err = mls_framing_sign(&ctx, b->wire, &b->fc, g->sig_priv,
				       g->sig_priv_len, &b->auth.signature);
	mls_bytes_free(&gc);
	memset(&ac, 0, sizeof(ac));	/* a view */
	ac.wire_format = b->wire;
	ac.content = b->fc;
	ac.auth = b->auth;
	if (!err)
		err = mls_confirmed_transcript_hash(s, g->interim_transcript_hash,
						    mls_group_interim_len(g),
						    &ac, h);
	if (!err)
		err = set_bytes(&b->context.confirmed_transcript_hash, h,
				s->hash_len);
	if (!err)
		err = mls_group_psk_secret(g, &b->applied.psks, b->psk_secret);
	if (!err)
		err = mls_key_schedule_advance(s, g->secrets.init_secret,
					       b->has_path ?
					       b->path.commit_secret : NULL,
					       b->psk_secret, &b->context,
					       &b->secrets, &b->join);
	if (!err)
		err = mls_confirmation_tag(&b->secrets, h, s->hash_len, tag);
	if (!err)
		err = mls_bytes_set(&b->auth.confirmation_tag, tag, s->hash_len);
	if (!err)
		err = mls_interim_transcript_hash(s, h, s->hash_len, tag,
						  s->hash_len, b->interim);
	if (!err)
		err = mls_group_new_secret_tree(g, &b->secrets,
						b->tree.n_leaves,
						&b->secret_tree);
	return err;
}

static int seal_commit(struct commit_build *b, struct mls_bytes *commit)
{
	struct mls_framing_ctx ctx;
	struct mls_bytes gc = { NULL, 0 };
	int err;

	err = mls_group_framing_ctx(b->g, &ctx, &gc);
	if (!err)
		err = mls_group_seal(b->g, &ctx, b->wire, &b->fc, &b->auth,
				     commit);
	mls_bytes_free(&gc);
	return err;
}

/* ---- Welcome (§12.4.3.1) ---- */

static int signed_group_info(struct commit_build *b,
			     struct mls_group_info *gi,
			     struct mls_extension *tree_ext)
{
	struct mls_group *g = b->g;
	int err;

	memset(gi, 0, sizeof(*gi));
	gi->group_context = b->context;		/* a view */
	gi->confirmation_tag = b->auth.confirmation_tag;	/* a view */
	gi->signer = g->priv.leaf_index;
	tree_ext->type = MLS_EXT_RATCHET_TREE;
	err = 0;
	if (!b->external_tree) {
		err = mls_tree_to_bytes(&b->tree, &tree_ext->data);
		gi->extensions.items = tree_ext;
		gi->extensions.count = 1;
	}
	if (!err)
		err = mls_group_info_sign(&g->crypto, g->suite, gi,
					  g->sig_priv, g->sig_priv_len);
	return err;
}

static int add_joiner(struct commit_build *b, struct mls_welcome *w,
		      const struct mls_key_package *kp, uint32_t leaf)
{
	const struct mls_suite *s = b->g->suite;
	struct mls_group_secrets gs;
	struct mls_bytes enc = { NULL, 0 };
	const uint8_t *ps = NULL;
	uint32_t node;
	int err = 0;

	memset(&gs, 0, sizeof(gs));	/* views only: not freed */
	gs.joiner_secret.data = b->join.joiner_secret;
	gs.joiner_secret.len = s->hash_len;
	gs.psks = b->applied.psks;
	if (b->has_path) {
		err = mls_treekem_path_secret_for(&b->path, leaf, &node, &ps);
		gs.has_path_secret = !err;
		gs.path_secret.data = (uint8_t *)ps;
		gs.path_secret.len = s->hash_len;
	}
	if (!err)
		err = mls_key_package_to_bytes(kp, &enc);
	if (!err)
		err = mls_welcome_add_member(&b->g->crypto, s, w, enc.data,
					     enc.len, &gs);
	mls_bytes_free(&enc);
	return err;
}

static int encode_welcome(struct mls_welcome *w, struct mls_bytes *out)
{
	struct mls_message m;
	int err;

	memset(&m, 0, sizeof(m));	/* a view */
	m.version = MLS_PROTOCOL_MLS10;
	m.wire_format = MLS_WIRE_WELCOME;
	m.welcome = *w;
	err = mls_message_to_bytes(&m, out);
	return err;
}

static int make_welcome(struct commit_build *b, struct mls_bytes *welcome)
{
	struct mls_extension tree_ext = { 0, { NULL, 0 } };
	struct mls_group_info gi;
	struct mls_welcome w;
	size_t i, k = 0;
	int err;

	if (!b->applied.n_added)
		return 0;
	if (!welcome)
		return MLS_ERR_INVALID_ARG;
	memset(&w, 0, sizeof(w));
	err = signed_group_info(b, &gi, &tree_ext);
	if (!err)
		err = mls_welcome_init(b->g->suite, b->join.welcome_secret, &gi,
				       &w);
	/* added_leaves follow the Adds in list order (§12.3) */
	for (i = 0; !err && i < b->list.count; i++) {
		const struct mls_proposal *p = b->list.items[i].proposal;

		if (p->type != MLS_PROPOSAL_ADD)
			continue;
		if (k >= b->applied.n_added)
			err = MLS_ERR_INVALID_STATE;
		else
			err = add_joiner(b, &w, &p->add.key_package,
					 b->applied.added_leaves[k++]);
	}
	if (!err)
		err = encode_welcome(&w, welcome);
	mls_welcome_free(&w);
	mls_bytes_free(&tree_ext.data);
	mls_bytes_free(&gi.signature);
	return err;
}

static int keep_pending(struct commit_build *b, const struct mls_bytes *msg)
{
	struct mls_pending_commit *pc;
	int err;

	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return MLS_ERR_NOMEM;
	err = mls_bytes_dup(&pc->signature, &b->auth.signature);
	if (!err)
		err = mls_bytes_dup(&pc->message, msg);
	if (err) {
		mls_bytes_free(&pc->signature);
		free(pc);
		return err;
	}
	pc->context = b->context;
	pc->tree = b->tree;
	pc->priv = b->priv;
	pc->secrets = b->secrets;
	memcpy(pc->interim, b->interim, sizeof(pc->interim));
	pc->secret_tree = b->secret_tree;
	pc->reinit = b->reinit;
	b->reinit = NULL;
	pc->summary = b->summary;
	memset(&b->summary, 0, sizeof(b->summary));
	/* the secret tree has it: nothing else needs it (§9.2) */
	mls_epoch_secrets_drop_encryption_secret(&pc->secrets);
	memset(&b->context, 0, sizeof(b->context));
	memset(&b->tree, 0, sizeof(b->tree));
	memset(&b->secrets, 0, sizeof(b->secrets));
	b->secret_tree = NULL;
	b->g->pending = pc;
	return 0;
}

static int start_build(struct mls_group *g, const struct mls_commit_options *o,
		       struct commit_build *b)
{
	int err;

	b->g = g;
	b->wire = o->wire == MLS_GROUP_WIRE_PRIVATE ?
		  MLS_WIRE_PRIVATE_MESSAGE : MLS_WIRE_PUBLIC_MESSAGE;
	err = mls_group_content_header(g, &b->fc);
	b->fc.content.type = MLS_CONTENT_COMMIT;
	if (b->external_leaf) {
		b->fc.sender.type = MLS_SENDER_NEW_MEMBER_COMMIT;
		b->fc.sender.index = 0;
	}
	if (!err)
		err = take_by_value(b, o);
	if (err)
		return err;
	/* by-value proposals stand on their own: reject, never drop them */
	if (b->list.count) {
		bool path_required;

		err = mls_group_check_proposals(g, &b->fc.sender, &b->list,
						&path_required);
		if (err)
			return err;
	}
	return o->skip_cached ? assemble(b) : take_cached(b, o);
}

static int build_commit(struct mls_group *g, const struct mls_commit_options *o,
			const struct mls_leaf_node *external_leaf,
			struct mls_bytes *commit, struct mls_bytes *welcome)
{
	struct commit_build b;
	struct mls_bytes out = { NULL, 0 }, wel = { NULL, 0 };
	int err;

	memset(&b, 0, sizeof(b));
	b.external_leaf = external_leaf;
	b.external_tree = o->external_tree;
	err = start_build(g, o, &b);
	if (!err)
		err = apply(&b, o);
	if (!err)
		err = make_path(&b);
	if (!err)
		err = summarize(&b);
	if (!err)
		err = sign_and_schedule(&b);
	if (!err)
		err = make_welcome(&b, welcome ? &wel : NULL);
	if (!err)
		err = seal_commit(&b, &out);
	if (!err)
		err = keep_pending(&b, &out);
	commit_build_free(&b);
	if (err) {
		mls_bytes_free(&out);
		mls_bytes_free(&wel);
		return err;
	}
	*commit = out;
	if (welcome)
		*welcome = wel;
	return 0;
}

int mls_group_commit(struct mls_group *g, const struct mls_commit_options *o,
		     struct mls_bytes *commit, struct mls_bytes *welcome)
{
	static const struct mls_commit_options defaults;

	if (!g || !g->suite || !commit)
		return MLS_ERR_INVALID_ARG;
	memset(commit, 0, sizeof(*commit));
	if (welcome)
		memset(welcome, 0, sizeof(*welcome));
	if (g->removed)
		return MLS_ERR_REMOVED;
	if (!g->sig_priv_len || g->pending || g->reinit)
		return MLS_ERR_INVALID_STATE;
	return build_commit(g, o ? o : &defaults, NULL, commit, welcome);
}

int mls_group_commit_external(struct mls_group *g,
			      const struct mls_leaf_node *own_leaf,
			      const struct mls_proposal *proposals,
			      size_t n_proposals, struct mls_bytes *commit)
{
	struct mls_commit_options o = {
		.proposals = proposals,
		.n_proposals = n_proposals,
		.skip_cached = true,
	};
	int err;

	memset(commit, 0, sizeof(*commit));
	err = build_commit(g, &o, own_leaf, commit, NULL);
	if (!err)
		err = mls_group_confirm_commit(g);
	return err;
}

int mls_group_confirm_commit(struct mls_group *g)
{
	struct mls_pending_commit *pc;
	struct mls_secret_tree *st;

	if (!g || !g->pending)
		return MLS_ERR_INVALID_STATE;
	pc = g->pending;
	g->pending = NULL;
	st = pc->secret_tree;
	pc->secret_tree = NULL;
	mls_group_install(g, &pc->context, &pc->tree, &pc->priv, &pc->secrets,
			  pc->interim, st);
	/* §12.4.2: from now on the group waits for its successor */
	g->reinit = pc->reinit;
	pc->reinit = NULL;
	mls_pending_commit_free(pc);
	return 0;
}

int mls_group_pending_tree(const struct mls_group *g, struct mls_bytes *out)
{
	if (!g || !out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!g->pending)
		return MLS_ERR_INVALID_STATE;
	return mls_tree_to_bytes(&g->pending->tree, out);
}

void mls_group_discard_commit(struct mls_group *g)
{
	if (!g)
		return;
	mls_pending_commit_free(g->pending);
	g->pending = NULL;
}

bool mls_group_has_pending_commit(const struct mls_group *g)
{
	return g && g->pending;
}
