/* SPDX-License-Identifier: MIT */
/*
 * cmocka helpers for tests that damage saved group blobs
 * ("MLSG" | version | body<V> | SHA-256 checksum, group_state.c).
 */
#ifndef MLS_TESTS_STATE_ASSERT_H
#define MLS_TESTS_STATE_ASSERT_H

#include "mls/crypto.h"
#include "mls/group.h"

#define STATE_HASH_LEN	32	/* the blob's SHA-256 checksum */

/* The checksum of blob recomputed over what it now holds. */
static inline void state_rehash(struct mls_bytes *blob)
{
	assert_true(blob->len > STATE_HASH_LEN);
	assert_int_equal(mls_hash(mls_suite_get(
			MLS_SUITE_X25519_AES128GCM_SHA256_ED25519),
			blob->data, blob->len - STATE_HASH_LEN,
			blob->data + blob->len - STATE_HASH_LEN), 0);
}

/* The load refuses blob with want (any error if want is 0), zeroed. */
static inline void state_load_refused(const struct mls_bytes *blob, int want)
{
	struct mls_group g;
	int err = mls_group_load(&g, blob->data, blob->len, NULL);

	if (want)
		assert_int_equal(err, want);
	else
		assert_int_not_equal(err, 0);
	assert_null(g.suite);
}

/* Offset of the body's first field (the suite) in a blob. */
static inline size_t state_body_start(const struct mls_bytes *blob)
{
	static const size_t vlen[4] = { 1, 2, 4, 8 };

	return 4 + 2 + vlen[blob->data[6] >> 6];
}

#endif
