/* SPDX-License-Identifier: MIT */
/*
 * Secret tree (RFC 9420 §9): per-sender, per-content-type hash ratchets
 * derived from an epoch's encryption_secret, and the sender-data key and
 * nonce (§6.3.2).
 *
 * The tree is derived lazily: only the root secret exists at first, and a
 * leaf's path is expanded the first time that leaf is used. Every node
 * secret is deleted as soon as its children exist (§9.2), so memory grows
 * with the number of senders seen, never with the size of the group.
 *
 * Receiving is two-step, so a message that fails to authenticate changes
 * nothing: mls_secret_tree_key() derives the key of a generation without
 * consuming it, and mls_secret_tree_consume() then deletes it and advances
 * the ratchet, keeping the keys of skipped generations (out-of-order
 * delivery) within the configured window. A generation that was consumed,
 * evicted from the window, or lies too far ahead fails with
 * MLS_ERR_GENERATION. Sending uses mls_secret_tree_next_key(), which
 * consumes at once. Every deleted secret is wiped.
 */
#ifndef MLS_SECRET_TREE_H
#define MLS_SECRET_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "mls/codec.h"
#include "mls/crypto.h"

enum mls_ratchet_type {
	MLS_RATCHET_HANDSHAKE = 0,	/* proposals and commits */
	MLS_RATCHET_APPLICATION = 1,
};

#define MLS_SECRET_TREE_DEFAULT_MAX_SKIPPED	64
#define MLS_SECRET_TREE_DEFAULT_MAX_FORWARD	1024

struct mls_secret_tree_config {
	/* Keys of skipped generations kept per ratchet; the oldest go first. */
	uint32_t max_skipped;
	/* Furthest a received generation may lie ahead of the next expected. */
	uint32_t max_forward;
};

/* The AEAD key and nonce of one generation of a ratchet. */
struct mls_ratchet_key {
	uint32_t generation;
	uint8_t key[MLS_MAX_AEAD_KEY_LEN];
	uint8_t nonce[MLS_MAX_AEAD_NONCE_LEN];
};

struct mls_secret_tree;

/*
 * n_leaves must be a power of two (the ratchet tree's width). cfg NULL
 * means the defaults above. The encryption secret is copied (hash_len
 * bytes); the caller may wipe its own copy.
 */
int mls_secret_tree_new(const struct mls_suite *s,
			const uint8_t *encryption_secret, size_t secret_len,
			uint32_t n_leaves,
			const struct mls_secret_tree_config *cfg,
			struct mls_secret_tree **out);
/* Wipes every secret still held. NULL is fine. */
void mls_secret_tree_free(struct mls_secret_tree *t);

uint32_t mls_secret_tree_leaf_count(const struct mls_secret_tree *t);
const struct mls_suite *mls_secret_tree_suite(const struct mls_secret_tree *t);

/*
 * Receiver: the key and nonce of `generation` for this leaf and ratchet,
 * leaving the ratchet as it was (apart from expanding the tree, which
 * loses nothing). MLS_ERR_NOT_FOUND for a leaf outside the tree.
 */
int mls_secret_tree_key(struct mls_secret_tree *t, uint32_t leaf,
			enum mls_ratchet_type type, uint32_t generation,
			struct mls_ratchet_key *out);
/* Receiver: delete that generation's key for good (§9.2). */
int mls_secret_tree_consume(struct mls_secret_tree *t, uint32_t leaf,
			    enum mls_ratchet_type type, uint32_t generation);
/* Sender: the next unused generation's key, consumed at once. */
int mls_secret_tree_next_key(struct mls_secret_tree *t, uint32_t leaf,
			     enum mls_ratchet_type type,
			     struct mls_ratchet_key *out);

/* Secrets currently held (node secrets + ratchet secrets + kept keys). */
size_t mls_secret_tree_secret_count(const struct mls_secret_tree *t);

/*
 * The live state as one opaque<V> (so it can sit inside a larger blob):
 * version, suite, width, window configuration, the node secrets not yet
 * split, and per expanded leaf both ratchets' next generation, current
 * secret and kept out-of-order keys. Nothing already deleted is in it,
 * so a loaded tree refuses exactly the generations the saved one
 * refused. Secrets included: store it like the epoch secrets.
 */
int mls_secret_tree_save(const struct mls_secret_tree *t,
			 struct mls_writer *w);
/*
 * Read what mls_secret_tree_save wrote, for suite s. *out is set only on
 * success; r then points past the value. Errors: MLS_ERR_TRUNCATED,
 * MLS_ERR_DECODE, MLS_ERR_TRAILING for damaged input,
 * MLS_ERR_UNKNOWN_VALUE for another version, MLS_ERR_VALIDATION for
 * another suite or state that cannot be (node secrets and expanded
 * leaves not covering every leaf exactly once, kept keys out of order,
 * more than the window holds).
 */
int mls_secret_tree_load(struct mls_reader *r, const struct mls_suite *s,
			 struct mls_secret_tree **out);

/*
 * §6.3.2: sender-data key (aead_key_len bytes) and nonce (aead_nonce_len)
 * from sender_data_secret and the first hash_len bytes of the content
 * ciphertext (all of it if shorter).
 */
int mls_sender_data_key_nonce(const struct mls_suite *s,
			      const uint8_t *sender_data_secret,
			      size_t secret_len, const uint8_t *ciphertext,
			      size_t ciphertext_len, uint8_t *key,
			      uint8_t *nonce);

#endif
