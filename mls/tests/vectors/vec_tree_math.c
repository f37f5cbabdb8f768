// SPDX-License-Identifier: MIT
/* tree-math.json: array-tree arithmetic for every node of each tree size. */
#include <stdio.h>

#include "mls/treemath.h"
#include "vectors.h"

typedef int (*node_fn)(uint32_t x, uint32_t n_leaves, uint32_t *out);

static int check_relation(struct vec_report *rep, const json_t *tc,
			  const char *key, node_fn fn, uint32_t n_leaves,
			  uint32_t n_nodes)
{
	const json_t *arr = vec_field(rep, tc, key);
	char what[64];
	uint64_t want;
	uint32_t got, i;
	bool present;
	int err;

	if (!arr)
		return -1;
	if (!json_is_array(arr) || json_array_size(arr) != n_nodes)
		return vec_fail(rep, "\"%s\" is not an array of n_nodes=%u entries",
				key, n_nodes);
	for (i = 0; i < n_nodes; i++) {
		snprintf(what, sizeof(what), "%s[%u]", key, i);
		if (vec_json_opt_uint(rep, json_array_get(arr, i), what,
				      &present, &want))
			return -1;
		err = fn(i, n_leaves, &got);
		if (!present && !err)
			return vec_fail(rep, "%s: got %u, want null", what, got);
		if (present && err)
			return vec_fail(rep, "%s: got none (%s), want %llu", what,
					mls_strerror(err), (unsigned long long)want);
		if (present && got != want)
			return vec_fail(rep, "%s: got %u, want %llu", what, got,
					(unsigned long long)want);
	}
	return 0;
}

int vec_run_tree_math(const json_t *tc, struct vec_report *rep)
{
	uint64_t n_leaves, n_nodes, root;
	uint32_t got_root;

	if (vec_get_uint(rep, tc, "n_leaves", &n_leaves) ||
	    vec_get_uint(rep, tc, "n_nodes", &n_nodes) ||
	    vec_get_uint(rep, tc, "root", &root))
		return -1;
	if (n_leaves > MLS_TREE_MAX_LEAVES ||
	    !mls_treemath_valid_size((uint32_t)n_leaves))
		return vec_fail(rep, "n_leaves=%llu is not a power of two up to 2^30",
				(unsigned long long)n_leaves);
	if (mls_treemath_node_width((uint32_t)n_leaves) != n_nodes)
		return vec_fail(rep, "n_nodes: got %u, want %llu",
				mls_treemath_node_width((uint32_t)n_leaves),
				(unsigned long long)n_nodes);
	mls_treemath_root((uint32_t)n_leaves, &got_root);
	if (got_root != root)
		return vec_fail(rep, "root: got %u, want %llu", got_root,
				(unsigned long long)root);
	if (check_relation(rep, tc, "left", mls_treemath_left,
			   (uint32_t)n_leaves, (uint32_t)n_nodes) ||
	    check_relation(rep, tc, "right", mls_treemath_right,
			   (uint32_t)n_leaves, (uint32_t)n_nodes) ||
	    check_relation(rep, tc, "parent", mls_treemath_parent,
			   (uint32_t)n_leaves, (uint32_t)n_nodes) ||
	    check_relation(rep, tc, "sibling", mls_treemath_sibling,
			   (uint32_t)n_leaves, (uint32_t)n_nodes))
		return -1;
	return 0;
}
