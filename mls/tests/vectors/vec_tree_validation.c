// SPDX-License-Identifier: MIT
/*
 * tree-validation.json: every node's resolution and tree hash, parent
 * hashes, and each leaf's signature (with group_id), then the whole-tree
 * validation a joiner runs.
 */
#include <stdio.h>

#include "mls/ratchet_tree.h"
#include "vectors.h"

static int check_resolution(struct vec_report *rep, const struct mls_tree *t,
			    uint32_t x, const json_t *want)
{
	struct mls_node_list got = { 0 };
	size_t i;
	bool present;
	uint64_t v;
	int err, ret = 0;

	if (!json_is_array(want))
		return vec_fail(rep, "resolutions[%u] is not an array", x);
	err = mls_tree_resolution(t, x, NULL, 0, &got);
	if (err)
		return vec_fail(rep, "resolution(%u): %s", x,
				mls_strerror(err));
	if (got.len != json_array_size(want))
		ret = vec_fail(rep, "resolution(%u): %zu nodes, want %zu", x,
			       got.len, json_array_size(want));
	for (i = 0; !ret && i < got.len; i++) {
		if (vec_json_opt_uint(rep, json_array_get(want, i),
				      "resolution entry", &present, &v))
			ret = -1;
		else if (!present || v != got.nodes[i])
			ret = vec_fail(rep, "resolution(%u)[%zu]: got %u", x, i,
				       got.nodes[i]);
	}
	mls_node_list_free(&got);
	return ret;
}

static int check_nodes(struct vec_report *rep, const json_t *tc,
		       struct mls_tree *t)
{
	const json_t *res = vec_field(rep, tc, "resolutions");
	const json_t *hashes = vec_field(rep, tc, "tree_hashes");
	uint32_t x, n = mls_tree_node_count(t);
	uint8_t h[MLS_MAX_HASH_LEN];
	struct mls_bytes want;
	char what[32];
	int err;

	if (!res || !hashes)
		return -1;
	if (json_array_size(res) != n || json_array_size(hashes) != n)
		return vec_fail(rep, "tree has %u nodes, vectors have %zu/%zu",
				n, json_array_size(res),
				json_array_size(hashes));
	for (x = 0; x < n; x++) {
		if (check_resolution(rep, t, x, json_array_get(res, x)))
			return -1;
		if (!json_is_string(json_array_get(hashes, x)) ||
		    vec_hex_decode(json_string_value(json_array_get(hashes, x)),
				   &want))
			return vec_fail(rep, "tree_hashes[%u] is not hex", x);
		err = mls_tree_hash(t, x, h);
		snprintf(what, sizeof(what), "tree_hash[%u]", x);
		if (err)
			vec_fail(rep, "%s: %s", what, mls_strerror(err));
		else
			vec_expect_bytes(rep, what, h, t->suite->hash_len,
					 &want);
		mls_bytes_free(&want);
		if (rep->failed)
			return -1;
	}
	return 0;
}

static int check_signatures(struct vec_report *rep, const struct mls_tree *t,
			    const struct mls_bytes *group_id)
{
	const struct mls_leaf_node *leaf;
	uint32_t i;
	int err;

	for (i = 0; i < t->n_leaves; i++) {
		leaf = mls_tree_leaf(t, i);
		if (!leaf)
			continue;
		err = mls_leaf_node_verify_signature(t->suite, leaf, group_id,
						     i);
		if (err)
			return vec_fail(rep, "leaf %u signature: %s", i,
					mls_strerror(err));
	}
	return 0;
}

static int check_tree(struct vec_report *rep, const json_t *tc,
		      struct mls_tree *t, const struct mls_bytes *group_id)
{
	struct mls_tree_context ctx = { .group_id = group_id };
	struct mls_tree_problem why;
	uint32_t bad;
	int err;

	if (check_nodes(rep, tc, t))
		return -1;
	err = mls_tree_verify_parent_hashes(t, &bad);
	if (err)
		return vec_fail(rep, "parent hashes: %s at node %u",
				mls_strerror(err), bad);
	if (check_signatures(rep, t, group_id))
		return -1;
	err = mls_tree_validate(t, &ctx, &why);
	if (err)
		return vec_fail(rep, "validate: %s (%s at node %u)",
				mls_strerror(err),
				mls_tree_fault_name(why.fault), why.node);
	return 0;
}

int vec_run_tree_validation(const json_t *tc, struct vec_report *rep)
{
	struct mls_bytes tree = { 0 }, group_id = { 0 }, again = { 0 };
	const struct mls_suite *s;
	struct mls_tree t;
	uint64_t suite;
	int err, ret = -1;

	mls_tree_init(&t, NULL);
	if (vec_get_uint(rep, tc, "cipher_suite", &suite) ||
	    vec_get_hex(rep, tc, "tree", &tree) ||
	    vec_get_hex(rep, tc, "group_id", &group_id))
		goto out;
	s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!s) {
		vec_fail(rep, "unsupported cipher suite %llu",
			 (unsigned long long)suite);
		goto out;
	}
	err = mls_tree_from_bytes(&t, s, tree.data, tree.len);
	if (err) {
		vec_fail(rep, "tree: %s", mls_strerror(err));
		goto out;
	}
	if (check_tree(rep, tc, &t, &group_id))
		goto out;
	err = mls_tree_to_bytes(&t, &again);
	if (err)
		vec_fail(rep, "re-encode: %s", mls_strerror(err));
	else if (!vec_expect_bytes(rep, "re-encoded tree", again.data,
				   again.len, &tree))
		ret = 0;
out:
	mls_tree_free(&t);
	mls_bytes_free(&tree);
	mls_bytes_free(&group_id);
	mls_bytes_free(&again);
	return ret;
}
