// SPDX-License-Identifier: MIT
/*
 * Secret tree (RFC 9420 §9): keys match a derivation written out here
 * from the RFC's formulas, out-of-order generations work inside the
 * window, consumed or evicted generations and ones too far ahead fail,
 * and memory follows the senders seen, not the group size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mls/secret_tree.h"

static const struct mls_suite *suite1(void)
{
	const struct mls_suite *s = mls_suite_get(1);

	assert_non_null(s);
	return s;
}

static void fill(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

/*
 * Reference: leaf 2 of a 4-leaf tree is node 4: root 3 -> right 5 ->
 * left 4. Its ratchet secret, then `gen` steps of the ratchet.
 */
static void reference_key(const struct mls_suite *s, const uint8_t *root,
			  const char *ratchet_label, uint32_t gen,
			  uint8_t *key, uint8_t *nonce)
{
	uint8_t n5[32], n4[32], secret[32], next[32];
	uint32_t g;

	assert_int_equal(mls_expand_with_label(s, root, 32, "tree",
					       (const uint8_t *)"right", 5,
					       n5, 32), 0);
	assert_int_equal(mls_expand_with_label(s, n5, 32, "tree",
					       (const uint8_t *)"left", 4,
					       n4, 32), 0);
	assert_int_equal(mls_expand_with_label(s, n4, 32, ratchet_label, NULL,
					       0, secret, 32), 0);
	for (g = 0; g < gen; g++) {
		assert_int_equal(mls_derive_tree_secret(s, secret, 32,
							"secret", g, next,
							32), 0);
		memcpy(secret, next, 32);
	}
	assert_int_equal(mls_derive_tree_secret(s, secret, 32, "key", gen,
						key, 16), 0);
	assert_int_equal(mls_derive_tree_secret(s, secret, 32, "nonce", gen,
						nonce, 12), 0);
}

static struct mls_secret_tree *tree4(const uint8_t *root,
				     const struct mls_secret_tree_config *cfg)
{
	struct mls_secret_tree *t = NULL;

	assert_int_equal(mls_secret_tree_new(suite1(), root, 32, 4, cfg, &t),
			 0);
	return t;
}

static void expect_key(struct mls_secret_tree *t, const uint8_t *root,
		       enum mls_ratchet_type type, uint32_t gen)
{
	uint8_t key[16], nonce[12];
	struct mls_ratchet_key rk;

	reference_key(suite1(), root, type == MLS_RATCHET_HANDSHAKE ?
		      "handshake" : "application", gen, key, nonce);
	assert_int_equal(mls_secret_tree_key(t, 2, type, gen, &rk), 0);
	assert_int_equal(rk.generation, gen);
	assert_memory_equal(rk.key, key, 16);
	assert_memory_equal(rk.nonce, nonce, 12);
	assert_int_equal(mls_secret_tree_consume(t, 2, type, gen), 0);
}

static void test_keys_match_rfc_derivation(void **state)
{
	uint8_t root[32];
	struct mls_secret_tree *t;

	fill(root, sizeof(root), 1);
	t = tree4(root, NULL);
	expect_key(t, root, MLS_RATCHET_HANDSHAKE, 0);
	expect_key(t, root, MLS_RATCHET_HANDSHAKE, 1);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 0);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 7);
	mls_secret_tree_free(t);
}

static void test_out_of_order_and_replay(void **state)
{
	uint8_t root[32];
	struct mls_ratchet_key rk;
	struct mls_secret_tree *t;

	fill(root, sizeof(root), 2);
	t = tree4(root, NULL);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 5);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 2);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 0);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 4);
	/* replays of consumed generations, before and after the newest */
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 5,
					     &rk), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 2,
					     &rk), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_consume(t, 2, MLS_RATCHET_APPLICATION,
						 0), MLS_ERR_GENERATION);
	/* the ones never received are still there */
	expect_key(t, root, MLS_RATCHET_APPLICATION, 1);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 3);
	/* the other ratchet of the same leaf is independent */
	expect_key(t, root, MLS_RATCHET_HANDSHAKE, 0);
	mls_secret_tree_free(t);
}

static void test_peek_does_not_consume(void **state)
{
	uint8_t root[32];
	struct mls_ratchet_key a, b;
	struct mls_secret_tree *t;

	fill(root, sizeof(root), 3);
	t = tree4(root, NULL);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_HANDSHAKE, 3,
					     &a), 0);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_HANDSHAKE, 3,
					     &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	/* peeking far ahead did not move the ratchet: 0 is still there */
	expect_key(t, root, MLS_RATCHET_HANDSHAKE, 0);
	expect_key(t, root, MLS_RATCHET_HANDSHAKE, 3);
	mls_secret_tree_free(t);
}

static void test_too_far_ahead_rejected(void **state)
{
	const struct mls_secret_tree_config cfg = { .max_skipped = 4,
						    .max_forward = 10 };
	uint8_t root[32];
	struct mls_ratchet_key rk;
	struct mls_secret_tree *t;

	fill(root, sizeof(root), 4);
	t = tree4(root, &cfg);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 11,
					     &rk), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_consume(t, 2, MLS_RATCHET_APPLICATION,
						 11), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION,
					     UINT32_MAX, &rk),
			 MLS_ERR_GENERATION);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 10);
	/* the window moves with the ratchet */
	expect_key(t, root, MLS_RATCHET_APPLICATION, 21);
	mls_secret_tree_free(t);
}

static void test_too_old_evicted(void **state)
{
	const struct mls_secret_tree_config cfg = { .max_skipped = 4,
						    .max_forward = 100 };
	uint8_t root[32];
	struct mls_ratchet_key rk;
	struct mls_secret_tree *t;

	fill(root, sizeof(root), 5);
	t = tree4(root, &cfg);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 10);
	/* generations 6..9 are kept, 0..5 are gone */
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 5,
					     &rk), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 0,
					     &rk), MLS_ERR_GENERATION);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 6);
	/* 7, 8, 9 kept; skipping 11 and 12 overflows by one: 7 goes */
	expect_key(t, root, MLS_RATCHET_APPLICATION, 13);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 7,
					     &rk), MLS_ERR_GENERATION);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 8);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 9);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 11);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 12);
	mls_secret_tree_free(t);
}

static void test_no_skipped_keys_when_window_is_zero(void **state)
{
	const struct mls_secret_tree_config cfg = { .max_skipped = 0,
						    .max_forward = 100 };
	uint8_t root[32];
	struct mls_ratchet_key rk;
	struct mls_secret_tree *t;

	fill(root, sizeof(root), 6);
	t = tree4(root, &cfg);
	expect_key(t, root, MLS_RATCHET_APPLICATION, 3);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 2,
					     &rk), MLS_ERR_GENERATION);
	mls_secret_tree_free(t);
}

static void test_sender_keys_advance(void **state)
{
	uint8_t root[32], key[16], nonce[12];
	struct mls_ratchet_key rk;
	struct mls_secret_tree *t;
	uint32_t g;

	fill(root, sizeof(root), 7);
	t = tree4(root, NULL);
	for (g = 0; g < 3; g++) {
		reference_key(suite1(), root, "handshake", g, key, nonce);
		assert_int_equal(mls_secret_tree_next_key(t, 2,
					MLS_RATCHET_HANDSHAKE, &rk), 0);
		assert_int_equal(rk.generation, g);
		assert_memory_equal(rk.key, key, 16);
		assert_memory_equal(rk.nonce, nonce, 12);
	}
	/* a sender's used generations are gone for receiving too */
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_HANDSHAKE, 1,
					     &rk), MLS_ERR_GENERATION);
	mls_secret_tree_free(t);
}

static void test_bad_arguments(void **state)
{
	uint8_t root[32];
	struct mls_ratchet_key rk;
	struct mls_secret_tree *t = NULL;

	fill(root, sizeof(root), 8);
	assert_int_equal(mls_secret_tree_new(suite1(), root, 32, 3, NULL, &t),
			 MLS_ERR_INVALID_ARG);
	assert_null(t);
	assert_int_equal(mls_secret_tree_new(suite1(), root, 31, 4, NULL, &t),
			 MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_secret_tree_new(NULL, root, 32, 4, NULL, &t),
			 MLS_ERR_UNSUPPORTED_SUITE);
	t = tree4(root, NULL);
	assert_int_equal(mls_secret_tree_key(t, 4, MLS_RATCHET_HANDSHAKE, 0,
					     &rk), MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_secret_tree_next_key(t, UINT32_MAX,
					MLS_RATCHET_HANDSHAKE, &rk),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_secret_tree_key(t, 0, (enum mls_ratchet_type)2,
					     0, &rk), MLS_ERR_INVALID_ARG);
	/* the failures expanded nothing: only the root is held */
	assert_int_equal(mls_secret_tree_secret_count(t), 1);
	mls_secret_tree_free(t);
}

/*
 * 2^20 leaves: using one leaf keeps its 20 copath node secrets and two
 * ratchet secrets; its sibling leaf then turns one of those into two more
 * ratchets. Used keys and intermediate secrets are deleted (§9.2).
 */
static void test_lazy_and_deleting(void **state)
{
	uint8_t root[32];
	struct mls_ratchet_key rk;
	struct mls_secret_tree *t = NULL;

	fill(root, sizeof(root), 9);
	assert_int_equal(mls_secret_tree_new(suite1(), root, 32, 1u << 20,
					     NULL, &t), 0);
	assert_int_equal(mls_secret_tree_secret_count(t), 1);
	assert_int_equal(mls_secret_tree_key(t, 12345, MLS_RATCHET_HANDSHAKE,
					     0, &rk), 0);
	assert_int_equal(mls_secret_tree_secret_count(t), 20 + 2);
	assert_int_equal(mls_secret_tree_key(t, 12344, MLS_RATCHET_HANDSHAKE,
					     0, &rk), 0);
	assert_int_equal(mls_secret_tree_secret_count(t), 19 + 4);
	/* three skipped generations are kept, then deleted one by one */
	assert_int_equal(mls_secret_tree_consume(t, 12344,
						 MLS_RATCHET_HANDSHAKE, 3), 0);
	assert_int_equal(mls_secret_tree_secret_count(t), 19 + 4 + 3);
	assert_int_equal(mls_secret_tree_consume(t, 12344,
						 MLS_RATCHET_HANDSHAKE, 1), 0);
	assert_int_equal(mls_secret_tree_secret_count(t), 19 + 4 + 2);
	mls_secret_tree_free(t);
}

static void test_sender_data_key_nonce(void **state)
{
	const struct mls_suite *s = suite1();
	uint8_t secret[32], ct[40], key[16], nonce[12], want_k[16], want_n[12];

	fill(secret, sizeof(secret), 10);
	fill(ct, sizeof(ct), 11);
	/* the sample is the first Nh = 32 bytes */
	assert_int_equal(mls_expand_with_label(s, secret, 32, "key", ct, 32,
					       want_k, 16), 0);
	assert_int_equal(mls_expand_with_label(s, secret, 32, "nonce", ct, 32,
					       want_n, 12), 0);
	assert_int_equal(mls_sender_data_key_nonce(s, secret, 32, ct,
						   sizeof(ct), key, nonce), 0);
	assert_memory_equal(key, want_k, 16);
	assert_memory_equal(nonce, want_n, 12);
	/* shorter ciphertexts are used whole */
	assert_int_equal(mls_expand_with_label(s, secret, 32, "key", ct, 20,
					       want_k, 16), 0);
	assert_int_equal(mls_sender_data_key_nonce(s, secret, 32, ct, 20, key,
						   nonce), 0);
	assert_memory_equal(key, want_k, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_match_rfc_derivation),
		cmocka_unit_test(test_out_of_order_and_replay),
		cmocka_unit_test(test_peek_does_not_consume),
		cmocka_unit_test(test_too_far_ahead_rejected),
		cmocka_unit_test(test_too_old_evicted),
		cmocka_unit_test(test_no_skipped_keys_when_window_is_zero),
		cmocka_unit_test(test_sender_keys_advance),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_lazy_and_deleting),
		cmocka_unit_test(test_sender_data_key_nonce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
