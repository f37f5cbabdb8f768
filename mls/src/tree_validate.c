// SPDX-License-Identifier: MIT
/*
 * Validation of a ratchet tree received on join and of single leaves
 * (RFC 9420 §7.3, §7.9.2, §12.4.3.3).
 */
#include <stdlib.h>
#include <string.h>

#include "mls/msg_proposal.h"
#include "parallel.h"
#include "ratchet_tree_internal.h"

static const char *const fault_names[] = {
	[MLS_TREE_FAULT_NONE] = "none",
	[MLS_TREE_FAULT_EMPTY] = "tree has no members",
	[MLS_TREE_FAULT_TREE_HASH] = "tree hash mismatch",
	[MLS_TREE_FAULT_UNMERGED_LEAF] = "bad unmerged leaf",
	[MLS_TREE_FAULT_PARENT_HASH] = "parent node not parent-hash valid",
	[MLS_TREE_FAULT_SIGNATURE] = "leaf signature invalid",
	[MLS_TREE_FAULT_CAPABILITIES] = "leaf capabilities insufficient",
	[MLS_TREE_FAULT_CREDENTIAL] = "credential type not supported by all",
	[MLS_TREE_FAULT_DUP_ENCRYPTION_KEY] = "duplicate encryption key",
	[MLS_TREE_FAULT_DUP_SIGNATURE_KEY] = "duplicate signature key",
};

const char *mls_tree_fault_name(enum mls_tree_fault f)
{
	if ((size_t)f >= sizeof(fault_names) / sizeof(fault_names[0]))
		return "unknown";
	return fault_names[f];
}

static int fault(struct mls_tree_problem *p, enum mls_tree_fault f,
		 uint32_t node, int err)
{
	if (p) {
		p->fault = f;
		p->node = node;
	}
	return err;
}

/* ---- single leaves ---- */

int mls_leaf_node_verify_signature(const struct mls_suite *s,
				   const struct mls_leaf_node *leaf,
				   const struct mls_bytes *group_id,
				   uint32_t leaf_index)
{
	static const struct mls_bytes no_group;
	struct mls_writer w;
	int err;

	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, leaf, group_id ? group_id : &no_group,
				 leaf_index);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_verify_with_label(s, leaf->signature_key.data,
					    leaf->signature_key.len,
					    "LeafNodeTBS", w.buf, w.len,
					    leaf->signature.data,
					    leaf->signature.len);
	mls_writer_free(&w);
	return err;
}

/* §7.2: types 1..5 are default extensions and need not be listed. */
static bool extension_supported(const struct mls_capabilities *c,
				uint16_t type)
{
	return (type >= MLS_EXT_APPLICATION_ID &&
		type <= MLS_EXT_EXTERNAL_SENDERS) ||
	       mls_u16_list_contains(&c->extensions, type);
}

static bool proposal_supported(const struct mls_capabilities *c,
			       uint16_t type)
{
	return (type >= MLS_PROPOSAL_ADD &&
		type <= MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS) ||
	       mls_u16_list_contains(&c->proposals, type);
}

/* RequiredCapabilities (§11.1), parsed from its extension body. */
static int meets_required(const struct mls_capabilities *c,
			  const struct mls_extension *ext)
{
	struct mls_u16_list exts, props, creds;
	struct mls_reader r;
	bool ok = true;
	size_t i;
	int err;

	mls_reader_init(&r, ext->data.data, ext->data.len);
	mls_u16_list_decode(&r, &exts);
	mls_u16_list_decode(&r, &props);
	mls_u16_list_decode(&r, &creds);
	err = mls_reader_finish(&r);
	if (err)
		goto out;
	for (i = 0; i < exts.count; i++)
		ok = ok && extension_supported(c, exts.items[i]);
	for (i = 0; i < props.count; i++)
		ok = ok && proposal_supported(c, props.items[i]);
	for (i = 0; i < creds.count; i++)
		ok = ok && mls_u16_list_contains(&c->credentials,
						 creds.items[i]);
	err = ok ? MLS_OK : MLS_ERR_VALIDATION;
out:
	mls_u16_list_free(&exts);
	mls_u16_list_free(&props);
	mls_u16_list_free(&creds);
	return err;
}

/*
 * §7.3 leaf validation: protocol version, own credential type, own
 * extensions, every GroupContext extension (§13: "The capabilities field
 * MUST indicate support for each extension in the GroupContext") and the
 * group's required_capabilities. The group's cipher suite
 * need not be listed: that is a KeyPackage check (§10.1), and the official
 * suite-7 vectors carry leaves that list suites 1-6 only.
 */
int mls_leaf_node_check_capabilities(const struct mls_suite *s,
				     const struct mls_leaf_node *leaf,
				     const struct mls_extension_list *exts)
{
	const struct mls_capabilities *c = &leaf->capabilities;
	const struct mls_extension *req = NULL;
	size_t i;

	if (!mls_u16_list_contains(&c->versions, MLS_PROTOCOL_MLS10) ||
	    !mls_u16_list_contains(&c->credentials, leaf->credential.type))
		return MLS_ERR_VALIDATION;
	for (i = 0; i < leaf->extensions.count; i++)
		if (!extension_supported(c, leaf->extensions.items[i].type))
			return MLS_ERR_VALIDATION;
	if (!exts)
		return MLS_OK;
	for (i = 0; i < exts->count; i++)
		if (!extension_supported(c, exts->items[i].type))
			return MLS_ERR_VALIDATION;
	req = mls_extension_list_find(exts, MLS_EXT_REQUIRED_CAPABILITIES);
	return req ? meets_required(c, req) : MLS_OK;
}

/* ---- a leaf against the other members ---- */

static bool credentials_compatible(const struct mls_leaf_node *a,
				   const struct mls_leaf_node *b)
{
	return mls_u16_list_contains(&a->capabilities.credentials,
				     b->credential.type) &&
	       mls_u16_list_contains(&b->capabilities.credentials,
				     a->credential.type);
}

int mls_tree_check_leaf_fits(const struct mls_tree *t, uint32_t leaf_index,
			     const struct mls_leaf_node *leaf,
			     struct mls_tree_problem *problem)
{
	const struct mls_node *n;
	uint32_t x, count = mls_tree_node_count(t);

	for (x = 0; x < count; x++) {
		n = &t->slots[x].node;
		if (n->type == MLS_NODE_BLANK)
			continue;
		/* §7.3: an Update (or commit) leaf needs a new HPKE key but
		 * may keep its signature key. */
		if (x == 2 * leaf_index) {
			if (mls_bytes_equal(&n->leaf.encryption_key,
					    &leaf->encryption_key))
				return fault(problem,
					     MLS_TREE_FAULT_DUP_ENCRYPTION_KEY,
					     x, MLS_ERR_VALIDATION);
			continue;
		}
		if (n->type == MLS_NODE_PARENT) {
			if (mls_bytes_equal(&n->parent.encryption_key,
					    &leaf->encryption_key))
				return fault(problem,
					     MLS_TREE_FAULT_DUP_ENCRYPTION_KEY,
					     x, MLS_ERR_VALIDATION);
			continue;
		}
		if (mls_bytes_equal(&n->leaf.encryption_key,
				    &leaf->encryption_key))
			return fault(problem, MLS_TREE_FAULT_DUP_ENCRYPTION_KEY,
				     x, MLS_ERR_VALIDATION);
		if (mls_bytes_equal(&n->leaf.signature_key,
				    &leaf->signature_key))
			return fault(problem, MLS_TREE_FAULT_DUP_SIGNATURE_KEY,
				     x, MLS_ERR_VALIDATION);
		if (!credentials_compatible(&n->leaf, leaf))
			return fault(problem, MLS_TREE_FAULT_CREDENTIAL, x,
				     MLS_ERR_VALIDATION);
	}
	return MLS_OK;
}

/* ---- whole tree ---- */

static bool u32_listed(const struct mls_u32_list *l, uint32_t v)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->items[i] == v)
			return true;
	return false;
}

/*
 * §7.9.2: every non-blank parent strictly between leaf and its ancestor
 * x lists the leaf as unmerged too (a leaf unmerged at x was added after
 * x was set, so after every node below x on its path).
 */
static bool unmerged_on_the_way(const struct mls_tree *t, uint32_t leaf,
				uint32_t x)
{
	uint32_t y = mls_treemath_leaf_to_node(leaf);

	while (!mls_treemath_parent(y, t->n_leaves, &y) && y != x) {
		const struct mls_node *n = &t->slots[y].node;

		if (n->type == MLS_NODE_PARENT &&
		    !u32_listed(&n->parent.unmerged_leaves, leaf))
			return false;
	}
	return y == x;
}

static int check_unmerged(const struct mls_tree *t,
			  struct mls_tree_problem *problem)
{
	uint32_t x, n = mls_tree_node_count(t);
	const struct mls_u32_list *um;
	size_t i, j;

	for (x = 1; x < n; x += 2) {
		if (t->slots[x].node.type != MLS_NODE_PARENT)
			continue;
		um = &t->slots[x].node.parent.unmerged_leaves;
		for (i = 0; i < um->count; i++) {
			bool ok = um->items[i] < t->n_leaves &&
				  rt_leaf_below(um->items[i], x) &&
				  mls_tree_leaf(t, um->items[i]) &&
				  unmerged_on_the_way(t, um->items[i], x);

			for (j = 0; ok && j < i; j++)
				ok = um->items[j] != um->items[i];
			if (!ok)
				return fault(problem,
					     MLS_TREE_FAULT_UNMERGED_LEAF, x,
					     MLS_ERR_VALIDATION);
		}
	}
	return MLS_OK;
}

struct key_ref {
	const struct mls_bytes *key;
	uint32_t node;
};

static int key_ref_cmp(const void *a, const void *b)
{
	const struct mls_bytes *x = ((const struct key_ref *)a)->key;
	const struct mls_bytes *y = ((const struct key_ref *)b)->key;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = x->len ? memcmp(x->data, y->data, x->len) : 0;
	if (c)
		return c;
	return ((const struct key_ref *)a)->node <
		       ((const struct key_ref *)b)->node ? -1 : 1;
}

/* Sort and look for neighbours with equal keys: O(n log n). */
static int check_unique(struct key_ref *refs, size_t n,
			enum mls_tree_fault f,
			struct mls_tree_problem *problem)
{
	size_t i;

	qsort(refs, n, sizeof(*refs), key_ref_cmp);
	for (i = 1; i < n; i++)
		if (mls_bytes_equal(refs[i - 1].key, refs[i].key))
			return fault(problem, f, refs[i].node,
				     MLS_ERR_VALIDATION);
	return MLS_OK;
}

static int check_unique_keys(const struct mls_tree *t,
			     struct mls_tree_problem *problem)
{
	uint32_t x, n = mls_tree_node_count(t);
	size_t n_enc = 0, n_sig = 0;
	struct key_ref *enc, *sig;
	const struct mls_node *node;
	int err = MLS_ERR_NOMEM;

	enc = calloc(n, sizeof(*enc));
	sig = calloc(n, sizeof(*sig));
	if (!enc || !sig)
		goto out;
	for (x = 0; x < n; x++) {
		node = &t->slots[x].node;
		if (node->type == MLS_NODE_PARENT) {
			enc[n_enc++] = (struct key_ref){
				&node->parent.encryption_key, x };
		} else if (node->type == MLS_NODE_LEAF) {
			enc[n_enc++] = (struct key_ref){
				&node->leaf.encryption_key, x };
			sig[n_sig++] = (struct key_ref){
				&node->leaf.signature_key, x };
		}
	}
	err = check_unique(enc, n_enc, MLS_TREE_FAULT_DUP_ENCRYPTION_KEY,
			   problem);
	if (!err)
		err = check_unique(sig, n_sig, MLS_TREE_FAULT_DUP_SIGNATURE_KEY,
				   problem);
out:
	free(enc);
	free(sig);
	return err;
}

/* Credential types in use, each listed once (few in practice). */
static int collect_credential_types(const struct mls_tree *t,
				    struct mls_u16_list *types)
{
	const struct mls_leaf_node *leaf;
	uint16_t *tmp;
	uint32_t i;

	memset(types, 0, sizeof(*types));
	for (i = 0; i < t->n_leaves; i++) {
		leaf = mls_tree_leaf(t, i);
		if (!leaf || mls_u16_list_contains(types, leaf->credential.type))
			continue;
		tmp = realloc(types->items, (types->count + 1) * sizeof(*tmp));
		if (!tmp) {
			mls_u16_list_free(types);
			return MLS_ERR_NOMEM;
		}
		types->items = tmp;
		types->items[types->count++] = leaf->credential.type;
	}
	return MLS_OK;
}

static int check_leaf(const struct mls_tree *t, uint32_t i,
		      const struct mls_tree_context *ctx,
		      const struct mls_u16_list *cred_types,
		      struct mls_tree_problem *problem)
{
	const struct mls_leaf_node *leaf = mls_tree_leaf(t, i);
	size_t j;
	int err;

	err = mls_leaf_node_verify_signature(t->suite, leaf, ctx->group_id, i);
	if (err)
		return fault(problem, MLS_TREE_FAULT_SIGNATURE, 2 * i, err);
	if (mls_leaf_node_check_capabilities(t->suite, leaf, ctx->extensions))
		return fault(problem, MLS_TREE_FAULT_CAPABILITIES, 2 * i,
			     MLS_ERR_VALIDATION);
	for (j = 0; j < cred_types->count; j++)
		if (!mls_u16_list_contains(&leaf->capabilities.credentials,
				cred_types->items[j]))
			return fault(problem, MLS_TREE_FAULT_CREDENTIAL, 2 * i,
				     MLS_ERR_VALIDATION);
	return MLS_OK;
}

/*
 * Leaf checks are independent, and each verifies a signature: they run in
 * parallel, and the fault reported is the lowest failing leaf's, as in a
 * serial walk.
 */
struct leaf_checks {
	const struct mls_tree *t;
	const struct mls_tree_context *ctx;
	const struct mls_u16_list *cred_types;
	struct mls_tree_problem *faults;	/* one per leaf */
};

/* Fewer leaves than this check faster than a thread starts. */
#define LEAF_CHECKS_MIN_PARALLEL	4

static int check_leaf_job(void *arg, size_t i)
{
	const struct leaf_checks *lc = arg;

	if (!mls_tree_leaf(lc->t, (uint32_t)i))
		return MLS_OK;
	return check_leaf(lc->t, (uint32_t)i, lc->ctx, lc->cred_types,
			  &lc->faults[i]);
}

static int check_leaves(const struct mls_tree *t,
			const struct mls_tree_context *ctx,
			struct mls_tree_problem *problem)
{
	struct leaf_checks lc = { .t = t, .ctx = ctx };
	struct mls_u16_list types;
	size_t bad = 0;
	int err;

	err = collect_credential_types(t, &types);
	if (err)
		return err;
	lc.cred_types = &types;
	lc.faults = calloc(t->n_leaves, sizeof(*lc.faults));
	if (!lc.faults) {
		mls_u16_list_free(&types);
		return MLS_ERR_NOMEM;
	}
	err = mls_parallel_run(t->n_leaves, LEAF_CHECKS_MIN_PARALLEL,
			       check_leaf_job, &lc, &bad);
	if (err)
		fault(problem, lc.faults[bad].fault, lc.faults[bad].node, err);
	free(lc.faults);
	mls_u16_list_free(&types);
	return err;
}

static int check_tree_hash(struct mls_tree *t, const struct mls_bytes *want,
			   struct mls_tree_problem *problem)
{
	uint8_t got[MLS_MAX_HASH_LEN];
	uint32_t root;
	int err;

	err = mls_tree_root_hash(t, got);
	if (err)
		return err;
	mls_treemath_root(t->n_leaves, &root);
	if (want->len != t->suite->hash_len ||
	    memcmp(want->data, got, want->len))
		return fault(problem, MLS_TREE_FAULT_TREE_HASH, root,
			     MLS_ERR_VALIDATION);
	return MLS_OK;
}

int mls_tree_validate(struct mls_tree *t, const struct mls_tree_context *ctx,
		      struct mls_tree_problem *problem)
{
	uint32_t bad = 0;
	int err;

	fault(problem, MLS_TREE_FAULT_NONE, 0, MLS_OK);
	if (mls_tree_member_count(t) == 0)
		return fault(problem, MLS_TREE_FAULT_EMPTY, 0,
			     MLS_ERR_VALIDATION);
	if (ctx->tree_hash) {
		err = check_tree_hash(t, ctx->tree_hash, problem);
		if (err)
			return err;
	}
	err = check_unmerged(t, problem);
	if (err)
		return err;
	err = mls_tree_verify_parent_hashes(t, &bad);
	if (err == MLS_ERR_VALIDATION)
		return fault(problem, MLS_TREE_FAULT_PARENT_HASH, bad, err);
	if (err)
		return err;
	err = check_leaves(t, ctx, problem);
	if (err)
		return err;
	return check_unique_keys(t, problem);
}
