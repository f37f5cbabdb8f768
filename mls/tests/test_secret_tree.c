// SPDX-License-Identifier: MIT
/*
 * Secret tree (RFC 9420 §9): keys match a derivation written out here
 * from the RFC's formulas, out-of-order generations work inside the
 * window, consumed or evicted generations and ones too far ahead fail,
 * and memory follows the senders seen, not the group size. A saved and
 * loaded tree (blob layout written out by hand here) derives the same
 * keys, refuses the same generations, and damaged blobs fail cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/codec.h"
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

/* ---- save / load ---- */

static void save_tree(const struct mls_secret_tree *t, struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	assert_int_equal(mls_secret_tree_save(t, &w), 0);
	assert_int_equal(mls_writer_finish(&w, out), 0);
}

/* Loads the whole of data; the reader must end exactly at its end. */
static int load_tree(const uint8_t *data, size_t len,
		     struct mls_secret_tree **out)
{
	struct mls_reader r;
	int err;

	mls_reader_init(&r, data, len);
	err = mls_secret_tree_load(&r, suite1(), out);
	if (!err) {
		assert_non_null(*out);
		assert_int_equal(mls_reader_remaining(&r), 0);
	} else {
		assert_null(*out);
	}
	return err;
}

static void assert_same_key(struct mls_secret_tree *a,
			    struct mls_secret_tree *b, uint32_t leaf,
			    enum mls_ratchet_type type, uint32_t gen)
{
	struct mls_ratchet_key ka, kb;

	assert_int_equal(mls_secret_tree_key(a, leaf, type, gen, &ka), 0);
	assert_int_equal(mls_secret_tree_key(b, leaf, type, gen, &kb), 0);
	assert_memory_equal(&ka, &kb, sizeof(ka));
}

/*
 * Leaf 2 received application generations 0 and 3 (1 and 2 kept) and
 * handshake 0; leaf 0 sent twice; leaves 1 and 3 are untouched.
 */
static struct mls_secret_tree *used_tree(const uint8_t *root)
{
	struct mls_secret_tree *t = tree4(root, NULL);
	struct mls_ratchet_key k;

	assert_int_equal(mls_secret_tree_consume(t, 2, MLS_RATCHET_APPLICATION,
						 0), 0);
	assert_int_equal(mls_secret_tree_consume(t, 2, MLS_RATCHET_APPLICATION,
						 3), 0);
	assert_int_equal(mls_secret_tree_consume(t, 2, MLS_RATCHET_HANDSHAKE,
						 0), 0);
	assert_int_equal(mls_secret_tree_next_key(t, 0,
						  MLS_RATCHET_APPLICATION, &k),
			 0);
	assert_int_equal(mls_secret_tree_next_key(t, 0,
						  MLS_RATCHET_APPLICATION, &k),
			 0);
	return t;
}

static void test_save_load_roundtrip(void **state)
{
	uint8_t root[32];
	struct mls_secret_tree *t, *u = NULL, *fresh;
	struct mls_bytes blob, again;
	struct mls_ratchet_key k;

	(void)state;
	fill(root, sizeof(root), 9);
	t = used_tree(root);
	fresh = tree4(root, NULL);
	save_tree(t, &blob);
	assert_int_equal(load_tree(blob.data, blob.len, &u), 0);
	assert_int_equal(mls_secret_tree_leaf_count(u), 4);
	assert_int_equal(mls_secret_tree_secret_count(u),
			 mls_secret_tree_secret_count(t));
	/* the same state saves to the same bytes */
	save_tree(u, &again);
	assert_int_equal(again.len, blob.len);
	assert_memory_equal(again.data, blob.data, blob.len);
	/* kept, next and untouched keys: as the RFC derivation says */
	expect_key(u, root, MLS_RATCHET_APPLICATION, 1);
	expect_key(u, root, MLS_RATCHET_APPLICATION, 2);
	expect_key(u, root, MLS_RATCHET_APPLICATION, 4);
	expect_key(u, root, MLS_RATCHET_HANDSHAKE, 1);
	assert_same_key(u, fresh, 1, MLS_RATCHET_APPLICATION, 0);
	assert_same_key(u, fresh, 3, MLS_RATCHET_HANDSHAKE, 5);
	/* consumed stays consumed, also after the load */
	assert_int_equal(mls_secret_tree_key(u, 2, MLS_RATCHET_APPLICATION, 0,
					     &k), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_key(u, 2, MLS_RATCHET_APPLICATION, 3,
					     &k), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_key(u, 2, MLS_RATCHET_HANDSHAKE, 0,
					     &k), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_key(u, 0, MLS_RATCHET_APPLICATION, 1,
					     &k), MLS_ERR_GENERATION);
	/* the sender goes on where it was: no nonce is used twice */
	assert_int_equal(mls_secret_tree_next_key(u, 0,
						  MLS_RATCHET_APPLICATION, &k),
			 0);
	assert_int_equal(k.generation, 2);
	assert_same_key(u, fresh, 0, MLS_RATCHET_APPLICATION, 3);
	mls_bytes_free_secret(&blob);
	mls_bytes_free_secret(&again);
	mls_secret_tree_free(t);
	mls_secret_tree_free(u);
	mls_secret_tree_free(fresh);
}

static void test_load_truncated(void **state)
{
	uint8_t root[32];
	struct mls_secret_tree *t, *u = NULL;
	struct mls_bytes blob;
	struct mls_writer w;
	size_t cut, hdr;
	uint32_t inner_len;
	struct mls_reader r;

	(void)state;
	fill(root, sizeof(root), 3);
	t = used_tree(root);
	save_tree(t, &blob);
	for (cut = 0; cut < blob.len; cut++)
		assert_int_equal(load_tree(blob.data, cut, &u),
				 MLS_ERR_TRUNCATED);
	/* cut inside, with an outer length that matches the cut */
	mls_reader_init(&r, blob.data, blob.len);
	assert_int_equal(mls_read_varint(&r, &inner_len), 0);
	hdr = r.pos;
	for (cut = 0; cut < inner_len; cut++) {
		struct mls_bytes b;

		mls_writer_init(&w);
		mls_write_opaque(&w, blob.data + hdr, cut);
		assert_int_equal(mls_writer_finish(&w, &b), 0);
		assert_int_not_equal(load_tree(b.data, b.len, &u), 0);
		mls_bytes_free_secret(&b);
	}
	/* a byte past the value is left to the caller */
	{
		uint8_t *longer = malloc(blob.len + 1);
		struct mls_secret_tree *v = NULL;

		assert_non_null(longer);
		memcpy(longer, blob.data, blob.len);
		longer[blob.len] = 0;
		mls_reader_init(&r, longer, blob.len + 1);
		assert_int_equal(mls_secret_tree_load(&r, suite1(), &v), 0);
		assert_int_equal(mls_reader_remaining(&r), 1);
		mls_secret_tree_free(v);
		free(longer);
	}
	mls_bytes_free_secret(&blob);
	mls_secret_tree_free(t);
}

/* One thing wrong with the hand-written blob below. */
enum damage {
	INTACT, BAD_VERSION, OTHER_SUITE, BAD_WIDTH, NODE_MISSING,
	NODE_OVERLAPS_LEAF, NODES_UNSORTED, NODE_OUT_OF_TREE, KEPT_AHEAD,
	KEPT_UNSORTED, KEPT_OVER_WINDOW, BAD_FLAG, LEAF_OUT_OF_TREE,
};

static void write_secret(struct mls_writer *w, uint8_t seed, size_t len)
{
	uint8_t b[32];

	fill(b, len, seed);
	mls_write_raw(w, b, len);
}

/*
 * A 4-leaf tree written field by field as secret_tree_save.c documents:
 * node 1 (leaves 0-1) and node 6 (leaf 3) unsplit, leaf 2 expanded with
 * handshake at generation 0 and application at 5 with generation 2's key
 * kept; window 8 back, 100 ahead.
 */
static void write_blob(enum damage d, struct mls_bytes *out)
{
	struct mls_writer w;
	size_t outer, mark, kept;

	mls_writer_init(&w);
	outer = mls_write_vector_begin(&w);
	mls_write_u8(&w, d == BAD_VERSION ? 2 : 1);
	mls_write_u16(&w, d == OTHER_SUITE ? 2 : 1);
	mls_write_u32(&w, d == BAD_WIDTH ? 3 : 4);
	mls_write_u32(&w, d == KEPT_OVER_WINDOW ? 0 : 8);
	mls_write_u32(&w, 100);
	mark = mls_write_vector_begin(&w);
	if (d != NODES_UNSORTED) {
		mls_write_u32(&w, 1);
		write_secret(&w, 0x10, 32);
	}
	if (d != NODE_MISSING) {
		mls_write_u32(&w, d == NODE_OVERLAPS_LEAF ? 5 :
				  d == NODE_OUT_OF_TREE ? 7 : 6);
		write_secret(&w, 0x60, 32);
	}
	if (d == NODES_UNSORTED) {
		mls_write_u32(&w, 1);
		write_secret(&w, 0x10, 32);
	}
	mls_write_vector_end(&w, mark);
	mark = mls_write_vector_begin(&w);
	mls_write_u32(&w, d == LEAF_OUT_OF_TREE ? 4 : 2);
	mls_write_u8(&w, 0);			/* handshake */
	mls_write_u32(&w, 0);
	write_secret(&w, 0x20, 32);
	kept = mls_write_vector_begin(&w);
	mls_write_vector_end(&w, kept);
	mls_write_u8(&w, d == BAD_FLAG ? 2 : 0);	/* application */
	mls_write_u32(&w, 5);
	write_secret(&w, 0x30, 32);
	kept = mls_write_vector_begin(&w);
	if (d == KEPT_UNSORTED) {
		mls_write_u32(&w, 3);
		write_secret(&w, 0x43, 16);
		write_secret(&w, 0x53, 12);
	}
	mls_write_u32(&w, d == KEPT_AHEAD ? 5 : 2);
	write_secret(&w, 0x40, 16);
	write_secret(&w, 0x50, 12);
	mls_write_vector_end(&w, kept);
	mls_write_vector_end(&w, mark);
	mls_write_vector_end(&w, outer);
	assert_int_equal(mls_writer_finish(&w, out), 0);
}

/* The key of generation gen of the ratchet whose secret is `secret`. */
static void ratchet_key_from(const uint8_t *secret, uint32_t gen,
			     uint8_t *key, uint8_t *nonce)
{
	const struct mls_suite *s = suite1();

	assert_int_equal(mls_derive_tree_secret(s, secret, 32, "key", gen,
						key, 16), 0);
	assert_int_equal(mls_derive_tree_secret(s, secret, 32, "nonce", gen,
						nonce, 12), 0);
}

static void test_load_hand_written_blob(void **state)
{
	const struct mls_suite *s = suite1();
	uint8_t n1[32], leaf0[32], app[32], key[16], nonce[12], b[32];
	struct mls_secret_tree *t = NULL;
	struct mls_ratchet_key k;
	struct mls_bytes blob;

	(void)state;
	write_blob(INTACT, &blob);
	assert_int_equal(load_tree(blob.data, blob.len, &t), 0);
	/* 2 node secrets + 2 ratchet secrets + 1 kept key */
	assert_int_equal(mls_secret_tree_secret_count(t), 5);
	/* the kept key is returned as stored */
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 2,
					     &k), 0);
	fill(b, 16, 0x40);
	assert_memory_equal(k.key, b, 16);
	fill(b, 12, 0x50);
	assert_memory_equal(k.nonce, b, 12);
	/* generation 5 comes from the stored ratchet secret */
	fill(app, 32, 0x30);
	ratchet_key_from(app, 5, key, nonce);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 5,
					     &k), 0);
	assert_memory_equal(k.key, key, 16);
	assert_memory_equal(k.nonce, nonce, 12);
	/* 0, 1, 3 and 4 were neither kept nor ahead */
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 4,
					     &k), MLS_ERR_GENERATION);
	assert_int_equal(mls_secret_tree_key(t, 2, MLS_RATCHET_APPLICATION, 0,
					     &k), MLS_ERR_GENERATION);
	/* leaf 0 from node 1: left child, then its application ratchet */
	fill(n1, 32, 0x10);
	assert_int_equal(mls_expand_with_label(s, n1, 32, "tree",
					       (const uint8_t *)"left", 4,
					       leaf0, 32), 0);
	assert_int_equal(mls_expand_with_label(s, leaf0, 32, "application",
					       NULL, 0, app, 32), 0);
	ratchet_key_from(app, 0, key, nonce);
	assert_int_equal(mls_secret_tree_key(t, 0, MLS_RATCHET_APPLICATION, 0,
					     &k), 0);
	assert_memory_equal(k.key, key, 16);
	assert_memory_equal(k.nonce, nonce, 12);
	mls_secret_tree_free(t);
	mls_bytes_free(&blob);
}

static void test_load_damaged_blob(void **state)
{
	static const struct {
		enum damage d;
		int err;
	} cases[] = {
		{ BAD_VERSION, MLS_ERR_UNKNOWN_VALUE },
		{ OTHER_SUITE, MLS_ERR_VALIDATION },
		{ BAD_WIDTH, MLS_ERR_VALIDATION },
		{ NODE_MISSING, MLS_ERR_VALIDATION },
		{ NODE_OVERLAPS_LEAF, MLS_ERR_VALIDATION },
		{ NODES_UNSORTED, MLS_ERR_VALIDATION },
		{ NODE_OUT_OF_TREE, MLS_ERR_VALIDATION },
		{ KEPT_AHEAD, MLS_ERR_VALIDATION },
		{ KEPT_UNSORTED, MLS_ERR_VALIDATION },
		{ KEPT_OVER_WINDOW, MLS_ERR_VALIDATION },
		{ BAD_FLAG, MLS_ERR_DECODE },
		{ LEAF_OUT_OF_TREE, MLS_ERR_VALIDATION },
	};
	struct mls_secret_tree *t = NULL;
	struct mls_bytes blob;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_blob(cases[i].d, &blob);
		assert_int_equal(load_tree(blob.data, blob.len, &t),
				 cases[i].err);
		mls_bytes_free(&blob);
	}
	/* suite 1's blob is not a suite 2 tree */
	{
		struct mls_reader r;

		write_blob(INTACT, &blob);
		mls_reader_init(&r, blob.data, blob.len);
		assert_int_equal(mls_secret_tree_load(&r, mls_suite_get(2), &t),
				 MLS_ERR_VALIDATION);
		assert_null(t);
		mls_bytes_free(&blob);
	}
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
		cmocka_unit_test(test_save_load_roundtrip),
		cmocka_unit_test(test_load_truncated),
		cmocka_unit_test(test_load_hand_written_blob),
		cmocka_unit_test(test_load_damaged_blob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
