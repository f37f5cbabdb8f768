// SPDX-License-Identifier: MIT
/*
 * Tree math at the edges the vectors (up to 512 leaves) do not reach:
 * 2^30 leaves, out-of-range nodes, invalid sizes. Expected values are
 * worked out by hand from RFC 9420 Appendix C.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mls/error.h"
#include "mls/treemath.h"

#define MAXL MLS_TREE_MAX_LEAVES

static void test_invalid_sizes(void **state)
{
	uint32_t x;

	assert_int_equal(mls_treemath_node_width(0), 0);
	assert_int_equal(mls_treemath_node_width(3), 0);
	assert_int_equal(mls_treemath_node_width(MAXL * 2u), 0);
	assert_int_equal(mls_treemath_root(0, &x), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_root(6, &x), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_parent(0, 5, &x), MLS_ERR_INVALID_ARG);
}

static void test_largest_tree(void **state)
{
	struct mls_node_path path;
	uint32_t x;

	assert_int_equal(mls_treemath_node_width(MAXL), 0x7fffffffu);
	assert_int_equal(mls_treemath_root(MAXL, &x), 0);
	assert_int_equal(x, 0x3fffffffu);
	assert_int_equal(mls_treemath_level(0x3fffffffu), 30);
	assert_int_equal(mls_treemath_left(0x3fffffffu, MAXL, &x), 0);
	assert_int_equal(x, 0x1fffffffu);
	assert_int_equal(mls_treemath_right(0x3fffffffu, MAXL, &x), 0);
	assert_int_equal(x, 0x5fffffffu);
	/* the rightmost leaf, node 2^31 - 2 */
	assert_int_equal(mls_treemath_parent(0x7ffffffeu, MAXL, &x), 0);
	assert_int_equal(x, 0x7ffffffdu);
	assert_int_equal(mls_treemath_sibling(0x7ffffffeu, MAXL, &x), 0);
	assert_int_equal(x, 0x7ffffffcu);
	assert_int_equal(mls_treemath_direct_path(0x7ffffffeu, MAXL, &path), 0);
	assert_int_equal(path.len, 30);
	assert_int_equal(path.nodes[0], 0x7ffffffdu);
	assert_int_equal(path.nodes[29], 0x3fffffffu);
	assert_int_equal(mls_treemath_copath(0, MAXL, &path), 0);
	assert_int_equal(path.len, 30);
	assert_int_equal(path.nodes[0], 2);
	assert_int_equal(path.nodes[29], 0x5fffffffu);
	assert_int_equal(mls_treemath_common_ancestor(0, 0x7ffffffeu, MAXL, &x), 0);
	assert_int_equal(x, 0x3fffffffu);
}

static void test_out_of_range(void **state)
{
	struct mls_node_path path;
	uint32_t x = 1234;

	/* 4 leaves: nodes 0..6, root 3 */
	assert_int_equal(mls_treemath_parent(3, 4, &x), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_sibling(3, 4, &x), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_parent(7, 4, &x), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_left(2, 4, &x), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_right(7, 4, &x), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_direct_path(8, 4, &path), MLS_ERR_INVALID_ARG);
	assert_int_equal(path.len, 0);
	assert_int_equal(mls_treemath_common_ancestor(0, 9, 4, &x),
			 MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_treemath_parent(0xffffffffu, MAXL, &x),
			 MLS_ERR_INVALID_ARG);
	assert_int_equal(x, 1234);
}

static void test_small_tree_paths(void **state)
{
	struct mls_node_path path;
	uint32_t x;

	/* 8 leaves: leaf 2 is node 4; parents 5, 3, 7; siblings 6, 1, 11 */
	assert_int_equal(mls_treemath_direct_path(4, 8, &path), 0);
	assert_int_equal(path.len, 3);
	assert_int_equal(path.nodes[0], 5);
	assert_int_equal(path.nodes[1], 3);
	assert_int_equal(path.nodes[2], 7);
	assert_int_equal(mls_treemath_copath(4, 8, &path), 0);
	assert_int_equal(path.len, 3);
	assert_int_equal(path.nodes[0], 6);
	assert_int_equal(path.nodes[1], 1);
	assert_int_equal(path.nodes[2], 11);
	assert_int_equal(mls_treemath_common_ancestor(4, 6, 8, &x), 0);
	assert_int_equal(x, 5);
	assert_int_equal(mls_treemath_common_ancestor(2, 12, 8, &x), 0);
	assert_int_equal(x, 7);
	assert_int_equal(mls_treemath_common_ancestor(9, 9, 8, &x), 0);
	assert_int_equal(x, 9);
	assert_int_equal(mls_treemath_common_ancestor(8, 11, 8, &x), 0);
	assert_int_equal(x, 11);
	/* one leaf: the root is the leaf, no path */
	assert_int_equal(mls_treemath_direct_path(0, 1, &path), 0);
	assert_int_equal(path.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_sizes),
		cmocka_unit_test(test_largest_tree),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_small_tree_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
