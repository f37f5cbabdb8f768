/* SPDX-License-Identifier: MIT */
/*
 * The ratchet tree in memory (RFC 9420 §4, §7): an array tree of
 * 2^d leaves (node x at index x, leaves even) holding optional leaf and
 * parent nodes, with
 *  - resolution (§4.1.1) and filtered direct path (§4.1.2),
 *  - tree hashes (§7.8) cached per node and invalidated along the direct
 *    path of every change, so a path operation costs O(log n) hashes,
 *  - parent hashes (§7.9) and their verification (§7.9.2),
 *  - the tree effects of Add, Update and Remove (§12.1.1-§12.1.3) and the
 *    merge of an UpdatePath's public keys (§7.5),
 *  - validation of a whole tree on join and of single leaves (§7.3).
 *
 * The tree owns its nodes. Functions that take a LeafNode copy it. Every
 * mutating function either succeeds or leaves the tree as it was.
 */
#ifndef MLS_RATCHET_TREE_H
#define MLS_RATCHET_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "mls/msg_tree.h"
#include "mls/treemath.h"

struct mls_tree_slot {
	struct mls_node node;		/* type MLS_NODE_BLANK when blank */
	uint32_t nonblank;		/* non-blank nodes in this subtree */
	uint32_t members;		/* non-blank leaves in this subtree */
	bool hash_valid;
	uint8_t hash[MLS_MAX_HASH_LEN];	/* tree hash (§7.8) when hash_valid */
};

struct mls_tree {
	const struct mls_suite *suite;
	struct mls_tree_slot *slots;
	uint32_t n_leaves;		/* 0 (empty) or a power of two */
};

/* A growable list of node indices (resolutions can be O(n) long). */
struct mls_node_list {
	uint32_t *nodes;
	size_t len;
	size_t cap;
};

void mls_node_list_free(struct mls_node_list *l);
bool mls_node_list_contains(const struct mls_node_list *l, uint32_t x);

/* ---- structure (ratchet_tree.c) ---- */

/* An empty tree (no leaves) for suite s. */
void mls_tree_init(struct mls_tree *t, const struct mls_suite *s);
void mls_tree_free(struct mls_tree *t);

/*
 * From the wire form (§12.4.3.3): copies wire, extends it with blanks to
 * 2^d leaves. MLS_ERR_DECODE for an empty tree, a trailing blank, or a
 * node of the wrong kind for its position; MLS_ERR_TOO_LONG beyond
 * MLS_TREE_MAX_LEAVES. No semantic checks: call mls_tree_validate().
 */
int mls_tree_from_wire(struct mls_tree *t, const struct mls_suite *s,
		       const struct mls_ratchet_tree *wire);
int mls_tree_from_bytes(struct mls_tree *t, const struct mls_suite *s,
			const uint8_t *data, size_t len);
/* To the wire form, without trailing blanks. */
int mls_tree_to_wire(const struct mls_tree *t, struct mls_ratchet_tree *out);
void mls_tree_encode(struct mls_writer *w, const struct mls_tree *t);
int mls_tree_to_bytes(const struct mls_tree *t, struct mls_bytes *out);
/* A deep copy (caches included). */
int mls_tree_clone(struct mls_tree *dst, const struct mls_tree *src);

static inline uint32_t mls_tree_node_count(const struct mls_tree *t)
{
	return t->n_leaves ? 2 * t->n_leaves - 1 : 0;
}

/* NULL when x is out of range. */
const struct mls_node *mls_tree_node(const struct mls_tree *t, uint32_t x);
bool mls_tree_is_blank(const struct mls_tree *t, uint32_t x);
/* NULL when the leaf is blank or out of range. */
const struct mls_leaf_node *mls_tree_leaf(const struct mls_tree *t,
					  uint32_t leaf_index);
/* NULL when node x is blank, a leaf, or out of range. */
const struct mls_parent_node *mls_tree_parent(const struct mls_tree *t,
					      uint32_t x);
/* Number of non-blank leaves. */
uint32_t mls_tree_member_count(const struct mls_tree *t);
/* Leftmost blank leaf, or n_leaves if every leaf is taken. */
uint32_t mls_tree_first_blank_leaf(const struct mls_tree *t);

/*
 * Resolution of node x (§4.1.1): non-blank node indices, left first, each
 * non-blank parent followed by its unmerged leaves (as node indices).
 * Leaves listed in exclude_leaves (leaf indices; may be NULL) are left
 * out, which is how §7.5 keeps a Commit's new members out of the
 * resolution its path secrets are encrypted to. out is overwritten.
 */
int mls_tree_resolution(const struct mls_tree *t, uint32_t x,
			const uint32_t *exclude_leaves, size_t n_exclude,
			struct mls_node_list *out);
/* True if the resolution of x is empty: its whole subtree is blank. */
bool mls_tree_resolution_empty(const struct mls_tree *t, uint32_t x);

/*
 * Filtered direct path of a leaf (§4.1.2), leaf side first. copath (may be
 * NULL) receives, for each entry, its child that is not on the leaf's
 * direct path: the node whose resolution the path secret goes to.
 */
int mls_tree_filtered_direct_path(const struct mls_tree *t,
				  uint32_t leaf_index,
				  struct mls_node_path *fdp,
				  struct mls_node_path *copath);

/* ---- operations (ratchet_tree_ops.c) ---- */

/*
 * Add (§12.1.1): the leftmost blank leaf, or a new one after extending the
 * tree; the new leaf becomes unmerged at every non-blank parent above it.
 */
int mls_tree_add_leaf(struct mls_tree *t, const struct mls_leaf_node *leaf,
		      uint32_t *leaf_index);
/*
 * Update (§12.1.2): replace a member's leaf and blank its direct path.
 * MLS_ERR_NOT_FOUND if the leaf is blank or out of range.
 */
int mls_tree_update_leaf(struct mls_tree *t, uint32_t leaf_index,
			 const struct mls_leaf_node *leaf);
/*
 * Remove (§12.1.3): blank the leaf and its direct path, then drop right
 * halves while they hold no non-blank node. MLS_ERR_NOT_FOUND as above.
 */
int mls_tree_remove_leaf(struct mls_tree *t, uint32_t leaf_index);
/* Blank every parent on the direct path of a leaf. */
void mls_tree_blank_direct_path(struct mls_tree *t, uint32_t leaf_index);
/* Replace a leaf without touching its direct path (TreeKEM's last step). */
int mls_tree_set_leaf(struct mls_tree *t, uint32_t leaf_index,
		      const struct mls_leaf_node *leaf);

/*
 * §7.5 "merge UpdatePath into the tree", public part: blank the direct
 * path of leaf_index, give each node of its filtered direct path the
 * matching key of keys[] (leaf side first; n_keys must equal the filtered
 * direct path's length, else MLS_ERR_VALIDATION) and no unmerged leaves,
 * then set their parent_hash fields root first (§7.9). The parent hash the
 * leaf must carry is written to leaf_parent_hash[hash_len] (empty filtered
 * direct path: *leaf_ph_len = 0). The leaf itself is not changed: the
 * committer signs a leaf with that hash, a receiver compares it.
 */
int mls_tree_merge_path_keys(struct mls_tree *t, uint32_t leaf_index,
			     const struct mls_bytes *keys, size_t n_keys,
			     uint8_t *leaf_parent_hash, size_t *leaf_ph_len);
/*
 * Receiver side of the same (§7.5, §7.9.2 last paragraph): merges
 * path->nodes' keys, checks that path->leaf_node has source commit and
 * carries the computed parent hash (MLS_ERR_VALIDATION otherwise), and
 * installs it. The leaf's signature is the caller's to verify
 * (mls_leaf_node_verify_signature). On error the tree is unchanged.
 */
int mls_tree_merge_update_path(struct mls_tree *t, uint32_t leaf_index,
			       const struct mls_update_path *path);

/* ---- hashes (tree_hash.c, parent_hash.c) ---- */

/* Tree hash of node x into out[hash_len], from cache where valid. */
int mls_tree_hash(struct mls_tree *t, uint32_t x, uint8_t *out);
/* Tree hash of the root; an empty tree has none (MLS_ERR_INVALID_STATE). */
int mls_tree_root_hash(struct mls_tree *t, uint8_t *out);

/*
 * Tree hash of sibling s as §7.9 "original_sibling_tree_hash" defines it:
 * the leaves in unmerged[] blanked and dropped from every unmerged list.
 */
int mls_tree_original_sibling_hash(struct mls_tree *t, uint32_t s,
				   const struct mls_u32_list *unmerged,
				   uint8_t *out);
/*
 * Parent hash of parent node p with copath child s (§7.9):
 * Hash(ParentHashInput{p.encryption_key, p.parent_hash,
 * original_sibling_tree_hash(s)}) into out[hash_len].
 */
int mls_tree_parent_hash(struct mls_tree *t, uint32_t p, uint32_t s,
			 uint8_t *out);
/*
 * §7.9.2: every non-blank parent is parent-hash valid. On failure returns
 * MLS_ERR_VALIDATION and *bad_node (may be NULL) names the parent.
 */
int mls_tree_verify_parent_hashes(struct mls_tree *t, uint32_t *bad_node);

/* ---- validation (tree_validate.c) ---- */

enum mls_tree_fault {
	MLS_TREE_FAULT_NONE = 0,
	MLS_TREE_FAULT_EMPTY,		/* no members */
	MLS_TREE_FAULT_TREE_HASH,	/* root hash differs from expected */
	MLS_TREE_FAULT_UNMERGED_LEAF,	/* not a member below the node */
	MLS_TREE_FAULT_PARENT_HASH,	/* parent not parent-hash valid */
	MLS_TREE_FAULT_SIGNATURE,	/* LeafNode signature fails */
	MLS_TREE_FAULT_CAPABILITIES,	/* version/suite/extension/required */
	MLS_TREE_FAULT_CREDENTIAL,	/* credential types not mutually ok */
	MLS_TREE_FAULT_DUP_ENCRYPTION_KEY,
	MLS_TREE_FAULT_DUP_SIGNATURE_KEY,
};

/* What failed and where: node index (leaves as 2*leaf_index). */
struct mls_tree_problem {
	enum mls_tree_fault fault;
	uint32_t node;
};

const char *mls_tree_fault_name(enum mls_tree_fault f);

struct mls_tree_context {
	const struct mls_bytes *group_id;
	/* Root tree hash the GroupContext names, or NULL not to check. */
	const struct mls_bytes *tree_hash;
	/* GroupContext extensions (required_capabilities), or NULL. */
	const struct mls_extension_list *extensions;
};

/*
 * Validate a tree received on join (§7.3, §7.9.2, §12.4.3.3): tree hash,
 * unmerged leaves, parent hashes, each leaf (signature over LeafNodeTBS
 * with group_id and its index for update/commit leaves, capabilities,
 * credential types) and unique encryption and signature keys. Lifetimes
 * are the caller's (they need a clock). Errors: MLS_ERR_VALIDATION,
 * MLS_ERR_BAD_SIGNATURE, MLS_ERR_BAD_KEY (unusable signature key);
 * problem (may be NULL) says what and where.
 */
int mls_tree_validate(struct mls_tree *t, const struct mls_tree_context *ctx,
		      struct mls_tree_problem *problem);

/* Verify a LeafNode's signature (§7.2): group_id/leaf_index are used for
 * the update and commit sources only. */
int mls_leaf_node_verify_signature(const struct mls_suite *s,
				   const struct mls_leaf_node *leaf,
				   const struct mls_bytes *group_id,
				   uint32_t leaf_index);
/*
 * The checks of §7.3 on a leaf alone: its capabilities list the group's
 * version, its credential type, every non-default extension it carries
 * and every non-default type in exts (GroupContext extensions, may be
 * NULL; §13), and whatever the required_capabilities extension in exts
 * demands. MLS_ERR_VALIDATION.
 */
int mls_leaf_node_check_capabilities(const struct mls_suite *s,
				     const struct mls_leaf_node *leaf,
				     const struct mls_extension_list *exts);
/*
 * The checks of §7.3 against the other members, for a leaf about to sit
 * at leaf_index (an Add's new index or the leaf an Update replaces):
 * mutual credential type support, unique encryption/signature keys, and
 * for a replaced leaf a new encryption key. MLS_ERR_VALIDATION; problem
 * may be NULL.
 */
int mls_tree_check_leaf_fits(const struct mls_tree *t, uint32_t leaf_index,
			     const struct mls_leaf_node *leaf,
			     struct mls_tree_problem *problem);

#endif
