/* SPDX-License-Identifier: MIT */
/*
 * TreeKEM (RFC 9420 §7.4-§7.6): a member's private view of the ratchet
 * tree, creating an UpdatePath as a committer (§12.4.1) and processing
 * one as a receiver (§12.4.2), and implanting a Welcome's path_secret
 * (§12.4.3.1).
 *
 * Both create and process follow the order §12.4.1/§12.4.2 prescribe:
 * merge the path's public keys into the tree, take the new tree's hash,
 * build the provisional GroupContext from it, then encrypt or decrypt the
 * path secrets with that GroupContext as the HPKE context. The caller
 * hands in a template GroupContext (group_id, the NEW epoch, the old
 * confirmed_transcript_hash, the new extensions); its tree_hash is
 * ignored and replaced by the merged tree's root hash.
 *
 * Both are all-or-nothing: they work on a copy of the tree and of the
 * private state and replace the caller's only on success, so a bad path
 * changes nothing.
 */
#ifndef MLS_TREEKEM_H
#define MLS_TREEKEM_H

#include <stdint.h>

#include "mls/msg_group.h"
#include "mls/ratchet_tree.h"

/* A key pair this member holds for one node of the tree. */
struct mls_node_key {
	uint32_t node;
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN];
	uint8_t pub[MLS_MAX_KEM_PUB_LEN];
};

/*
 * What one member knows privately (§4 tree invariant): its leaf's key and
 * the keys of parents on its direct path. A key is only used while the
 * tree holds its public half at that node, so keys for nodes that were
 * blanked or replaced since are never used (and mls_tree_private_prune()
 * wipes them). Fixed size, no allocation: copy by assignment, and wipe
 * with mls_tree_private_wipe().
 */
struct mls_tree_private {
	const struct mls_suite *suite;
	uint32_t leaf_index;
	uint32_t n_keys;
	struct mls_node_key keys[MLS_TREE_MAX_HEIGHT + 1];
};

void mls_tree_private_init(struct mls_tree_private *p,
			   const struct mls_suite *s, uint32_t leaf_index);
void mls_tree_private_wipe(struct mls_tree_private *p);
/* The leaf's HPKE private key (kem_priv_len bytes); MLS_ERR_BAD_KEY. */
int mls_tree_private_set_leaf_key(struct mls_tree_private *p,
				  const uint8_t *priv, size_t priv_len);
/* The key for node x whose public half the tree holds at x, or NULL. */
const struct mls_node_key *
mls_tree_private_find(const struct mls_tree_private *p,
		      const struct mls_tree *t, uint32_t x);
/*
 * Store the key derived from node x's path secret (§7.4). x must be a
 * parent on the member's direct path holding exactly that public key:
 * MLS_ERR_INVALID_ARG or MLS_ERR_VALIDATION otherwise.
 */
int mls_tree_private_add_path_secret(struct mls_tree_private *p,
				     const struct mls_tree *t, uint32_t x,
				     const uint8_t *path_secret);
/*
 * A joiner's path_secret (§12.4.3.1) for node x, the lowest common
 * ancestor of its leaf and the committer's: derive the keys of x and of
 * every non-blank ancestor of x (the committer's filtered direct path
 * above x), each checked against the tree. commit_secret (may be NULL)
 * receives the secret after the root's. All or nothing.
 */
int mls_tree_private_implant(struct mls_tree_private *p,
			     const struct mls_tree *t, uint32_t x,
			     const uint8_t *path_secret,
			     uint8_t *commit_secret);
/* Wipe keys the tree no longer holds (§7.5 "delete outdated key material"). */
void mls_tree_private_prune(struct mls_tree_private *p,
			    const struct mls_tree *t);
/*
 * Every key held matches the tree and the leaf key is among them (the
 * joiner's check of §12.4.3.1): 0 or MLS_ERR_VALIDATION.
 */
int mls_tree_private_check(const struct mls_tree_private *p,
			   const struct mls_tree *t);

/*
 * The path secrets of one UpdatePath along the sender's filtered direct
 * path (leaf side first): all of them for the committer, those from
 * index `first` up for a receiver. Wipe with mls_treekem_secrets_wipe().
 */
struct mls_treekem_secrets {
	const struct mls_suite *suite;
	uint32_t sender;
	struct mls_node_path fdp;
	uint32_t first;
	uint8_t path_secrets[MLS_TREE_MAX_HEIGHT][MLS_MAX_HASH_LEN];
	uint8_t commit_secret[MLS_MAX_HASH_LEN];	/* hash_len bytes */
};

void mls_treekem_secrets_wipe(struct mls_treekem_secrets *s);
/*
 * The GroupSecrets.path_secret for a new member at leaf (§12.4.3.1): the
 * secret of the lowest common ancestor of leaf and the sender. *node
 * names it; MLS_ERR_NOT_FOUND if it is not among the known secrets.
 */
int mls_treekem_path_secret_for(const struct mls_treekem_secrets *s,
				uint32_t leaf, uint32_t *node,
				const uint8_t **path_secret);

/* What both sides of one Commit agree on. */
struct mls_treekem_context {
	/* Provisional GroupContext; tree_hash is ignored (see above). */
	const struct mls_group_context *group_context;
	/* Leaves added by this Commit: kept out of every resolution (§7.5). */
	const uint32_t *added_leaves;
	size_t n_added;
};

/*
 * Committer (§7.4, §7.5, §12.4.1). t is the tree after the Commit's
 * proposals; p->leaf_index the committer's leaf. A fresh leaf key and
 * path_secret[0] come from c's random source (NULL: the OS). The new
 * LeafNode is leaf_template (NULL: the current leaf) with a new
 * encryption_key, source commit, the computed parent_hash, signed with
 * sig_priv under the group_id and leaf index. On success t holds the
 * merged tree, p the new keys (the leaf and its filtered direct path),
 * *path the UpdatePath and *out the path and commit secrets. On error
 * nothing changes and *path and *out are zeroed.
 */
int mls_treekem_create(const struct mls_crypto *c, struct mls_tree *t,
		       struct mls_tree_private *p,
		       const struct mls_treekem_context *ctx,
		       const struct mls_leaf_node *leaf_template,
		       const uint8_t *sig_priv, size_t sig_priv_len,
		       struct mls_update_path *path,
		       struct mls_treekem_secrets *out);

/*
 * Receiver (§7.5, §12.4.2) of sender's UpdatePath. Errors, with the tree
 * and p unchanged and *out zeroed:
 *  MLS_ERR_INVALID_ARG   sender is this member or out of range
 *  MLS_ERR_NOT_FOUND     sender's leaf is blank, or no key of this member
 *                        opens any ciphertext meant for it
 *  MLS_ERR_BAD_SIGNATURE the new LeafNode's signature
 *  MLS_ERR_VALIDATION    leaf source/capabilities/duplicate keys (§7.3),
 *                        a path key already in the tree, wrong number of
 *                        path nodes or of ciphertexts, parent hash, a
 *                        path secret of the wrong length
 *  MLS_ERR_BAD_KEY       a path key that is not a valid public key, or
 *                        one that differs from the key derived from the
 *                        decrypted path secret (§7.5 step 6)
 *  MLS_ERR_AUTH          the ciphertext does not decrypt
 */
int mls_treekem_process(struct mls_tree *t, struct mls_tree_private *p,
			uint32_t sender, const struct mls_update_path *path,
			const struct mls_treekem_context *ctx,
			struct mls_treekem_secrets *out);

#endif
