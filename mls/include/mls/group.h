/* SPDX-License-Identifier: MIT */
/*
 * An MLS group as one member sees it (RFC 9420 §12): joining from a
 * Welcome (§12.4.3.1), caching proposals (§12.1) and processing the
 * Commits that move the group from epoch to epoch (§12.4.2).
 *
 * struct mls_group owns everything it holds. Every fallible call is all or
 * nothing: on error the group is exactly as it was before the call (same
 * epoch, tree, secrets and proposal cache), so a forged or replayed
 * message costs nothing but the time to reject it.
 *
 * This slice is the receiving side only (a "passive client"): it follows
 * the group but does not create proposals or commits yet.
 */
#ifndef MLS_GROUP_H
#define MLS_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "mls/messages.h"
#include "mls/psk.h"
#include "mls/ratchet_tree.h"
#include "mls/treekem.h"
#include "mls/key_schedule.h"

/*
 * Seconds since the Unix epoch, for KeyPackage/LeafNode lifetimes (§7.2).
 * Injectable so tests can pin time; NULL means the system clock.
 */
typedef uint64_t (*mls_clock_fn)(void *ctx);

struct mls_group_join_options {
	const struct mls_suite *suite;
	/* The joiner's KeyPackage as encoded (not MLSMessage-wrapped) */
	const uint8_t *key_package;
	size_t key_package_len;
	const uint8_t *init_priv;	/* private half of init_key */
	size_t init_priv_len;
	const uint8_t *encryption_priv;	/* private half of the leaf's key */
	size_t encryption_priv_len;
	/* The tree out of band, or NULL to take the ratchet_tree extension. */
	const struct mls_ratchet_tree *ratchet_tree;
	/* External PSKs (§8.4); resumption PSKs the group keeps itself. */
	mls_psk_lookup_fn psk_lookup;
	void *psk_ctx;
	mls_clock_fn clock;
	void *clock_ctx;
};

/* A proposal received in this epoch, named by its ProposalRef (§5.2). */
struct mls_cached_proposal {
	uint8_t ref[MLS_MAX_HASH_LEN];
	struct mls_sender sender;
	struct mls_proposal proposal;
};

/* resumption_psk of one past epoch (§8.6). */
struct mls_resumption_psk {
	uint64_t epoch;
	uint8_t secret[MLS_MAX_HASH_LEN];
};

#define MLS_GROUP_RESUMPTION_HISTORY	8

struct mls_group {
	const struct mls_suite *suite;
	struct mls_group_context context;
	struct mls_tree tree;
	struct mls_tree_private priv;
	struct mls_epoch_secrets secrets;
	uint8_t interim_transcript_hash[MLS_MAX_HASH_LEN];
	struct mls_secret_tree *secret_tree;
	struct mls_cached_proposal *proposals;
	size_t n_proposals;
	/* Ring of the latest epochs' resumption PSKs, the current one too. */
	struct mls_resumption_psk resumption[MLS_GROUP_RESUMPTION_HISTORY];
	size_t n_resumption;
	mls_psk_lookup_fn psk_lookup;
	void *psk_ctx;
	mls_clock_fn clock;
	void *clock_ctx;
};

/*
 * Join from a Welcome (§12.4.3.1): open it, build and validate the tree
 * (tree hash, parent hashes, leaf signatures, lifetimes against the
 * clock), find our leaf, implant the path secret, check our private keys
 * against the tree and set up the secret tree. *g is overwritten (not
 * freed); on error it is zeroed. Errors: those of mls_welcome_join, and
 * MLS_ERR_VALIDATION for a tree that fails validation, lacks our leaf,
 * or is missing (no extension, none given).
 */
int mls_group_join(struct mls_group *g, const struct mls_group_join_options *o,
		   const struct mls_welcome *w);

/* Wipes every secret; *g is then all zero. NULL is fine. */
void mls_group_free(struct mls_group *g);

/*
 * A proposal of this epoch (PublicMessage or PrivateMessage), verified and
 * kept under its ProposalRef until the next Commit. ref (may be NULL)
 * receives the ProposalRef, hash_len bytes. MLS_ERR_INVALID_ARG if the
 * message does not carry a proposal; the framing errors otherwise.
 */
int mls_group_cache_proposal(struct mls_group *g, const struct mls_message *m,
			     uint8_t *ref);

/*
 * Process a Commit of this epoch (§12.4.2): verify its framing, resolve
 * its proposals, check the list (§12.2), apply it (§12.3), process the
 * UpdatePath, run the key schedule with the PSKs and check the
 * confirmation tag. On success the group is in the next epoch and the
 * proposal cache is empty. Errors (group unchanged):
 *  MLS_ERR_INVALID_ARG    not a Commit
 *  MLS_ERR_NOT_FOUND      a referenced proposal was never received, or an
 *                         unknown PSK
 *  MLS_ERR_VALIDATION     proposal list invalid, missing path, ...
 *  MLS_ERR_AUTH           confirmation tag, membership tag or AEAD
 *  MLS_ERR_BAD_SIGNATURE  framing or leaf signature
 *  MLS_ERR_INVALID_STATE  our own commit (we have none pending), or one
 *                         that removes us or reinitialises the group
 */
int mls_group_process_commit(struct mls_group *g,
			     const struct mls_message *m);

/* epoch_authenticator (§8.7) of the current epoch, hash_len bytes. */
const uint8_t *mls_group_epoch_authenticator(const struct mls_group *g,
					     size_t *len);
static inline uint64_t mls_group_epoch(const struct mls_group *g)
{
	return g->context.epoch;
}
static inline uint32_t mls_group_own_leaf(const struct mls_group *g)
{
	return g->priv.leaf_index;
}

#endif
