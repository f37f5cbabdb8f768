/* SPDX-License-Identifier: MIT */
/*
 * cmocka assertions over the group fixture, for the test programs only:
 * group_fixture.c itself stays free of cmocka because mls-vectors links
 * it too.
 */
#ifndef MLS_TESTS_GROUP_ASSERT_H
#define MLS_TESTS_GROUP_ASSERT_H

#include "group_fixture.h"

static inline void assert_saved(const struct mls_group *g,
				struct mls_bytes *blob)
{
	assert_int_equal(mls_group_save(g, blob), 0);
}

/* g's saved state is byte-identical to before (bad input changed nothing) */
static inline void assert_same_state(const struct mls_group *g,
				     const struct mls_bytes *before)
{
	assert_int_equal(fixture_same_state(g, before), 0);
}

#endif
