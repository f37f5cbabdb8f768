// SPDX-License-Identifier: MIT
/*
 * Groups that resume other groups (RFC 9420 §8.6): reinitialization
 * (§11.2, ReInit §12.1.5), subgroup branching (§11.3) and resumption
 * PSKs of past epochs of the same group (usage application).
 *
 * Both new-group flavours start the same way: a one-member group whose
 * first Commit adds the other members and carries a PreSharedKey of
 * type resumption (usage reinit or branch) from the old group. Only that
 * Commit may carry such a PSK (§12.1.4), so the group holds the old one
 * as resumption_parent for exactly the time it takes to build it.
 *
 * Members are matched across groups by credential: the signature keys
 * change with the suite (and a branch uses fresh KeyPackages anyway),
 * the identity a credential presents does not.
 */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

void mls_group_reinit_free(struct mls_reinit *r)
{
	if (!r)
		return;
	mls_reinit_free(r);
	free(r);
}

static int copy_reinit(const struct mls_reinit *src, struct mls_reinit **out)
{
	struct mls_bytes enc = { NULL, 0 };
	struct mls_reinit *r;
	int err;

	r = calloc(1, sizeof(*r));
	if (!r)
		return MLS_ERR_NOMEM;
	err = mls_reinit_to_bytes(src, &enc);
	if (!err)
		err = mls_reinit_from_bytes(enc.data, enc.len, r);
	mls_bytes_free(&enc);
	if (err) {
		free(r);
		return err;
	}
	*out = r;
	return 0;
}

int mls_group_take_reinit(const struct mls_proposal_list *l,
			  struct mls_reinit **out)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < l->count; i++)
		if (l->items[i].proposal->type == MLS_PROPOSAL_REINIT)
			return copy_reinit(&l->items[i].proposal->reinit, out);
	return 0;
}

const struct mls_reinit *mls_group_reinit_pending(const struct mls_group *g)
{
	return g ? g->reinit : NULL;
}

/* ---- proposal rules (§12.1.4, §12.1.5) ---- */

int mls_group_check_reinit(const struct mls_group *g,
			   const struct mls_reinit *reinit)
{
	if (reinit->version < g->context.version)
		return MLS_ERR_REINIT_VERSION;
	if (!mls_suite_get(reinit->cipher_suite))
		return MLS_ERR_UNSUPPORTED_SUITE;
	return 0;
}

int mls_group_check_psk_usage(const struct mls_group *g,
			      const struct mls_psk_id *id)
{
	if (id->psktype != MLS_PSK_RESUMPTION ||
	    id->usage == MLS_PSK_USAGE_APPLICATION)
		return 0;
	if (g->resumption_parent && id->usage == g->resumption_usage)
		return 0;
	return MLS_ERR_PSK_USAGE;
}

const uint8_t *mls_group_parent_psk(const struct mls_group *g,
				    const struct mls_psk_id *id, size_t *len)
{
	const struct mls_group *p = g->resumption_parent;
	const uint8_t *secret;

	if (!p || id->psktype != MLS_PSK_RESUMPTION ||
	    !mls_bytes_equal(&id->psk_group_id, &p->context.group_id))
		return NULL;
	secret = mls_group_resumption_psk(p, id->psk_epoch);
	if (secret)
		*len = p->suite->hash_len;
	return secret;
}

/* ---- proposals ---- */

int mls_group_make_reinit(const struct mls_group *g, const uint8_t *group_id,
			  size_t group_id_len, uint16_t version,
			  uint16_t cipher_suite,
			  const struct mls_extension_list *extensions,
			  struct mls_proposal *out)
{
	struct mls_proposal view;
	int err;

	if (!g || !g->suite || !out || (!group_id && group_id_len))
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	memset(&view, 0, sizeof(view));
	view.type = MLS_PROPOSAL_REINIT;
	view.reinit.group_id.data = (uint8_t *)group_id;
	view.reinit.group_id.len = group_id_len;
	view.reinit.version = version;
	view.reinit.cipher_suite = cipher_suite;
	if (extensions)
		view.reinit.extensions = *extensions;
	err = mls_group_check_reinit(g, &view.reinit);
	if (!err)
		err = mls_group_copy_proposal(out, &view);
	return err;
}

/* §8.4: a fresh nonce of the group's Nh for every use of a PSK. */
static int resumption_psk_proposal(struct mls_group *g, uint8_t usage,
				   const struct mls_bytes *group_id,
				   uint64_t epoch, struct mls_proposal *out)
{
	uint8_t nonce[MLS_MAX_HASH_LEN];
	struct mls_psk_id *id = &out->psk.psk;
	int err;

	memset(out, 0, sizeof(*out));
	out->type = MLS_PROPOSAL_PSK;
	id->psktype = MLS_PSK_RESUMPTION;
	id->usage = usage;
	id->psk_epoch = epoch;
	err = mls_crypto_random(&g->crypto, nonce, g->suite->hash_len);
	if (!err)
		err = mls_bytes_set(&id->psk_nonce, nonce, g->suite->hash_len);
	if (!err)
		err = mls_bytes_dup(&id->psk_group_id, group_id);
	if (err)
		mls_proposal_free(out);
	return err;
}

int mls_group_make_resumption_psk(struct mls_group *g, uint64_t epoch,
				  struct mls_proposal *out)
{
	if (!g || !g->suite || !out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!mls_group_resumption_psk(g, epoch))
		return MLS_ERR_NOT_FOUND;
	return resumption_psk_proposal(g, MLS_PSK_USAGE_APPLICATION,
				       &g->context.group_id, epoch, out);
}

/* ---- membership across groups ---- */

static bool credential_equal(const struct mls_credential *a,
			     const struct mls_credential *b)
{
	size_t i;

	if (a->type != b->type ||
	    !mls_bytes_equal(&a->identity, &b->identity) ||
	    a->certificates.count != b->certificates.count)
		return false;
	for (i = 0; i < a->certificates.count; i++)
		if (!mls_bytes_equal(&a->certificates.items[i],
				     &b->certificates.items[i]))
			return false;
	return true;
}

/*
 * Every credential in creds is a member of old, each of a different old
 * leaf; with exact, every member of old is one of them too.
 */
static int match_members(const struct mls_group *old,
			 const struct mls_credential *const *creds, size_t n,
			 bool exact)
{
	const struct mls_tree *t = &old->tree;
	size_t i, n_old = 0;
	uint32_t k;
	bool *used;
	int err = 0;

	used = calloc(t->n_leaves ? t->n_leaves : 1, sizeof(*used));
	if (!used)
		return MLS_ERR_NOMEM;
	for (i = 0; !err && i < n; i++) {
		for (k = 0; k < t->n_leaves; k++) {
			const struct mls_leaf_node *leaf = mls_tree_leaf(t, k);

			if (leaf && !used[k] &&
			    credential_equal(&leaf->credential, creds[i]))
				break;
		}
		if (k == t->n_leaves)
			err = MLS_ERR_RESUMPTION_MEMBERS;
		else
			used[k] = true;
	}
	for (k = 0; k < t->n_leaves; k++)
		n_old += mls_tree_leaf(t, k) != NULL;
	if (!err && exact && n != n_old)
		err = MLS_ERR_RESUMPTION_MEMBERS;
	free(used);
	return err;
}

/* The members of tree t, as credentials (views into t). */
static int tree_credentials(const struct mls_tree *t,
			    const struct mls_credential ***out, size_t *n)
{
	const struct mls_credential **creds;
	uint32_t k;

	*n = 0;
	creds = calloc(t->n_leaves ? t->n_leaves : 1, sizeof(*creds));
	if (!creds)
		return MLS_ERR_NOMEM;
	for (k = 0; k < t->n_leaves; k++) {
		const struct mls_leaf_node *leaf = mls_tree_leaf(t, k);

		if (leaf)
			creds[(*n)++] = &leaf->credential;
	}
	*out = creds;
	return 0;
}

/* ---- the creating member (§11.2 step 3, §11.3 steps 1-3) ---- */

struct resume_build {
	struct mls_group *g;
	const struct mls_group *old;
	uint8_t usage;
	uint64_t psk_epoch;
	struct mls_proposal *proposals;	/* the Adds, then the PSK */
	size_t n_proposals;
};

static void resume_build_free(struct resume_build *b)
{
	size_t i;

	for (i = 0; i < b->n_proposals; i++)
		mls_proposal_free(&b->proposals[i]);
	free(b->proposals);
	b->proposals = NULL;
	b->n_proposals = 0;
}

static int make_adds(struct resume_build *b,
		     const struct mls_group_resume_options *o)
{
	size_t i;
	int err = 0;

	if (o->n_key_packages && !o->key_packages)
		return MLS_ERR_INVALID_ARG;
	b->proposals = calloc(o->n_key_packages + 1, sizeof(*b->proposals));
	if (!b->proposals)
		return MLS_ERR_NOMEM;
	for (i = 0; !err && i < o->n_key_packages; i++) {
		err = mls_group_make_add(b->g, o->key_packages[i].data,
					 o->key_packages[i].len,
					 &b->proposals[i]);
		if (!err)
			b->n_proposals++;
	}
	return err;
}

/* Us and everyone we add must come from the old group. */
static int check_new_members(const struct resume_build *b)
{
	const struct mls_credential **creds;
	size_t i, n = b->n_proposals;
	int err;

	creds = calloc(n + 1, sizeof(*creds));
	if (!creds)
		return MLS_ERR_NOMEM;
	creds[0] = &mls_tree_leaf(&b->g->tree, 0)->credential;
	for (i = 0; i < n; i++)
		creds[i + 1] =
			&b->proposals[i].add.key_package.leaf_node.credential;
	err = match_members(b->old, creds, n + 1,
			    b->usage == MLS_PSK_USAGE_REINIT);
	free(creds);
	return err;
}

/* The first Commit, at once confirmed: nobody else is in the group. */
static int first_commit(struct resume_build *b, struct mls_bytes *welcome)
{
	struct mls_commit_options co = {
		.proposals = b->proposals,
		.n_proposals = b->n_proposals,
		.skip_cached = true,
	};
	struct mls_bytes commit = { NULL, 0 };
	int err;

	b->g->resumption_parent = b->old;
	b->g->resumption_usage = b->usage;
	err = mls_group_commit(b->g, &co, &commit, welcome);
	b->g->resumption_parent = NULL;
	b->g->resumption_usage = 0;
	mls_bytes_free(&commit);
	if (!err)
		err = mls_group_confirm_commit(b->g);
	return err;
}

static int resume(struct resume_build *b,
		  const struct mls_group_create_options *co,
		  const struct mls_group_resume_options *o,
		  struct mls_bytes *welcome)
{
	int err;

	err = mls_group_create(b->g, co);
	if (!err)
		err = make_adds(b, o);
	if (!err)
		err = check_new_members(b);
	if (!err)
		err = resumption_psk_proposal(b->g, b->usage,
					      &b->old->context.group_id,
					      b->psk_epoch,
					      &b->proposals[b->n_proposals]);
	if (!err)
		b->n_proposals++;
	if (!err)
		err = first_commit(b, welcome);
	resume_build_free(b);
	if (err) {
		mls_group_free(b->g);
		mls_bytes_free(welcome);
	}
	return err;
}

static int resume_args(struct mls_group *g, const struct mls_group *old,
		       const struct mls_group_resume_options *o,
		       struct mls_bytes *welcome)
{
	if (!g)
		return MLS_ERR_INVALID_ARG;
	memset(g, 0, sizeof(*g));
	if (!old || !old->suite || !o || !welcome)
		return MLS_ERR_INVALID_ARG;
	memset(welcome, 0, sizeof(*welcome));
	return 0;
}

int mls_group_reinit_create(struct mls_group *g, const struct mls_group *old,
			    const struct mls_group_resume_options *o,
			    struct mls_bytes *welcome)
{
	struct resume_build b = { g, old, MLS_PSK_USAGE_REINIT, 0, NULL, 0 };
	struct mls_group_create_options co;
	const struct mls_reinit *r;
	int err;

	err = resume_args(g, old, o, welcome);
	if (err)
		return err;
	r = old->reinit;
	if (!r)
		return MLS_ERR_NOT_REINITIALIZED;
	co = o->create;
	if (co.group_id || co.group_id_len || co.extensions)
		return MLS_ERR_INVALID_ARG;
	co.suite = mls_suite_get(r->cipher_suite);
	if (!co.suite)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (o->create.suite && o->create.suite != co.suite)
		return MLS_ERR_RESUMPTION_PARAMS;
	/* libmls speaks mls10 only, the version of every group it creates */
	if (r->version != MLS_PROTOCOL_MLS10)
		return MLS_ERR_UNSUPPORTED;
	co.group_id = r->group_id.data;
	co.group_id_len = r->group_id.len;
	co.extensions = &r->extensions;
	/* §11.2: the epoch the ReInit Commit led to, the old group's last */
	b.psk_epoch = old->context.epoch;
	return resume(&b, &co, o, welcome);
}

int mls_group_branch(struct mls_group *g, const struct mls_group *old,
		     const struct mls_group_resume_options *o,
		     struct mls_bytes *welcome)
{
	struct resume_build b = { g, old, MLS_PSK_USAGE_BRANCH, 0, NULL, 0 };
	struct mls_group_create_options co;
	int err;

	err = resume_args(g, old, o, welcome);
	if (err)
		return err;
	co = o->create;
	/* §11.3: "using the same parameters as the old group" */
	if (co.suite && co.suite != old->suite)
		return MLS_ERR_RESUMPTION_PARAMS;
	co.suite = old->suite;
	b.psk_epoch = old->context.epoch;
	return resume(&b, &co, o, welcome);
}

/* ---- the joining member (§12.4.3.1) ---- */

void mls_resumption_join_init(struct mls_resumption_join *rj,
			      const struct mls_group_join_options *o)
{
	memset(rj, 0, sizeof(*rj));
	rj->o = o;
}

static int refuse(struct mls_resumption_join *rj, int err)
{
	rj->err = err;
	return err;
}

/*
 * §12.4.3.1: one reinit/branch PSK only, from the group we resume; for
 * reinit the epoch its ReInit Commit made, which is its last (§11.2).
 */
static int resumption_secret(struct mls_resumption_join *rj,
			     const struct mls_psk_id *id,
			     const uint8_t **secret, size_t *secret_len)
{
	const struct mls_group *old = rj->o->resumption_group;

	if (rj->seen || !old ||
	    !mls_bytes_equal(&id->psk_group_id, &old->context.group_id))
		return refuse(rj, MLS_ERR_RESUMPTION_PSK);
	if (id->usage == MLS_PSK_USAGE_REINIT) {
		if (!old->reinit)
			return refuse(rj, MLS_ERR_NOT_REINITIALIZED);
		if (id->psk_epoch != old->context.epoch)
			return refuse(rj, MLS_ERR_RESUMPTION_PSK);
	}
	*secret = mls_group_resumption_psk(old, id->psk_epoch);
	if (!*secret)
		return refuse(rj, MLS_ERR_RESUMPTION_PSK);
	*secret_len = old->suite->hash_len;
	rj->seen = true;
	rj->usage = id->usage;
	return 0;
}

int mls_resumption_join_lookup(void *ctx, const struct mls_psk_id *id,
			       const uint8_t **secret, size_t *secret_len)
{
	struct mls_resumption_join *rj = ctx;
	const struct mls_group *old = rj->o->resumption_group;

	if (id->psktype == MLS_PSK_RESUMPTION &&
	    (id->usage == MLS_PSK_USAGE_REINIT ||
	     id->usage == MLS_PSK_USAGE_BRANCH))
		return resumption_secret(rj, id, secret, secret_len);
	if (id->psktype == MLS_PSK_RESUMPTION && old &&
	    mls_bytes_equal(&id->psk_group_id, &old->context.group_id)) {
		*secret = mls_group_resumption_psk(old, id->psk_epoch);
		*secret_len = old->suite->hash_len;
		if (*secret)
			return 0;
	}
	if (!rj->o->psk_lookup)
		return MLS_ERR_NOT_FOUND;
	return rj->o->psk_lookup(rj->o->psk_ctx, id, secret, secret_len);
}

static bool extensions_equal(const struct mls_extension_list *a,
			     const struct mls_extension_list *b)
{
	size_t i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (a->items[i].type != b->items[i].type ||
		    !mls_bytes_equal(&a->items[i].data, &b->items[i].data))
			return false;
	return true;
}

/* §11.2: "MUST be the same as the corresponding fields in the ReInit" */
static int check_reinit_params(const struct mls_group *g,
			       const struct mls_reinit *r)
{
	const struct mls_group_context *gc = &g->context;

	if (!mls_bytes_equal(&gc->group_id, &r->group_id) ||
	    gc->version != r->version || gc->cipher_suite != r->cipher_suite ||
	    !extensions_equal(&gc->extensions, &r->extensions))
		return MLS_ERR_RESUMPTION_PARAMS;
	return 0;
}

/* §11.3: "version and cipher_suite ... same as those used by the old group" */
static int check_branch_params(const struct mls_group *g,
			       const struct mls_group *old)
{
	if (g->context.version != old->context.version ||
	    g->context.cipher_suite != old->context.cipher_suite)
		return MLS_ERR_RESUMPTION_PARAMS;
	return 0;
}

int mls_resumption_join_check(const struct mls_resumption_join *rj,
			      const struct mls_group *g)
{
	const struct mls_group *old = rj->o->resumption_group;
	const struct mls_credential **creds = NULL;
	bool reinit = rj->usage == MLS_PSK_USAGE_REINIT;
	size_t n;
	int err;

	if (!old)
		return 0;
	if (!rj->seen)
		return MLS_ERR_RESUMPTION_PSK;
	if (g->context.epoch != 1)
		return MLS_ERR_RESUMPTION_EPOCH;
	err = reinit ? check_reinit_params(g, old->reinit) :
		       check_branch_params(g, old);
	if (!err)
		err = tree_credentials(&g->tree, &creds, &n);
	if (!err)
		err = match_members(old, creds, n, reinit);
	free(creds);
	return err;
}
