// SPDX-License-Identifier: MIT
/*
 * tree-operations.json: apply one Add, Update or Remove proposal to a tree
 * and compare the re-encoded tree and the tree hashes before and after.
 */
#include "mls/msg_proposal.h"
#include "mls/ratchet_tree.h"
#include "vectors.h"

struct ops_case {
	struct mls_bytes before, after, hash_before, hash_after, proposal;
	struct mls_proposal prop;
	struct mls_tree tree;
	uint64_t sender;
};

static void ops_case_free(struct ops_case *c)
{
	mls_bytes_free(&c->before);
	mls_bytes_free(&c->after);
	mls_bytes_free(&c->hash_before);
	mls_bytes_free(&c->hash_after);
	mls_bytes_free(&c->proposal);
	mls_proposal_free(&c->prop);
	mls_tree_free(&c->tree);
}

static int expect_root_hash(struct vec_report *rep, struct mls_tree *t,
			    const char *what, const struct mls_bytes *want)
{
	uint8_t h[MLS_MAX_HASH_LEN];
	int err = mls_tree_root_hash(t, h);

	if (err)
		return vec_fail(rep, "%s: %s", what, mls_strerror(err));
	return vec_expect_bytes(rep, what, h, t->suite->hash_len, want);
}

static int apply(struct vec_report *rep, struct ops_case *c)
{
	uint32_t idx;
	int err;

	if (c->sender > UINT32_MAX)
		return vec_fail(rep, "proposal_sender out of range");
	switch (c->prop.type) {
	case MLS_PROPOSAL_ADD:
		err = mls_tree_add_leaf(&c->tree,
					&c->prop.add.key_package.leaf_node,
					&idx);
		break;
	case MLS_PROPOSAL_UPDATE:
		err = mls_tree_update_leaf(&c->tree, (uint32_t)c->sender,
					   &c->prop.update.leaf_node);
		break;
	case MLS_PROPOSAL_REMOVE:
		err = mls_tree_remove_leaf(&c->tree, c->prop.remove.removed);
		break;
	default:
		return vec_fail(rep, "unexpected proposal type %u",
				c->prop.type);
	}
	if (err)
		return vec_fail(rep, "apply proposal type %u: %s",
				c->prop.type, mls_strerror(err));
	return 0;
}

int vec_run_tree_operations(const json_t *tc, struct vec_report *rep)
{
	struct ops_case c = { 0 };
	struct mls_bytes got = { 0 };
	const struct mls_suite *s;
	uint64_t suite;
	int err, ret = -1;

	mls_tree_init(&c.tree, NULL);
	if (vec_get_uint(rep, tc, "cipher_suite", &suite) ||
	    vec_get_uint(rep, tc, "proposal_sender", &c.sender) ||
	    vec_get_hex(rep, tc, "tree_before", &c.before) ||
	    vec_get_hex(rep, tc, "tree_after", &c.after) ||
	    vec_get_hex(rep, tc, "tree_hash_before", &c.hash_before) ||
	    vec_get_hex(rep, tc, "tree_hash_after", &c.hash_after) ||
	    vec_get_hex(rep, tc, "proposal", &c.proposal))
		goto out;
	s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!s) {
		vec_fail(rep, "unsupported cipher suite");
		goto out;
	}
	err = mls_tree_from_bytes(&c.tree, s, c.before.data, c.before.len);
	if (!err)
		err = mls_proposal_from_bytes(c.proposal.data, c.proposal.len,
					      &c.prop);
	if (err) {
		vec_fail(rep, "decode: %s", mls_strerror(err));
		goto out;
	}
	if (expect_root_hash(rep, &c.tree, "tree_hash_before",
			     &c.hash_before) ||
	    apply(rep, &c) ||
	    expect_root_hash(rep, &c.tree, "tree_hash_after", &c.hash_after))
		goto out;
	err = mls_tree_to_bytes(&c.tree, &got);
	if (err)
		vec_fail(rep, "encode tree_after: %s", mls_strerror(err));
	else if (!vec_expect_bytes(rep, "tree_after", got.data, got.len,
				   &c.after))
		ret = 0;
out:
	mls_bytes_free(&got);
	ops_case_free(&c);
	return ret;
}
