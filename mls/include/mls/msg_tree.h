/* SPDX-License-Identifier: MIT */
/*
 * Ratchet-tree structures on the wire (RFC 9420 §7): LeafNode, ParentNode,
 * Node, the ratchet_tree vector (§12.4.3.3), UpdatePath (§7.6).
 */
#ifndef MLS_MSG_TREE_H
#define MLS_MSG_TREE_H

#include "mls/msg_common.h"

enum mls_leaf_node_source {
	MLS_LEAF_SOURCE_KEY_PACKAGE = 1,
	MLS_LEAF_SOURCE_UPDATE = 2,
	MLS_LEAF_SOURCE_COMMIT = 3,
};

enum mls_node_type {
	MLS_NODE_BLANK = 0,	/* our marker for an absent optional<Node> */
	MLS_NODE_LEAF = 1,
	MLS_NODE_PARENT = 2,
};

struct mls_leaf_node {
	struct mls_bytes encryption_key;
	struct mls_bytes signature_key;
	struct mls_credential credential;
	struct mls_capabilities capabilities;
	uint8_t source;			/* enum mls_leaf_node_source */
	struct mls_lifetime lifetime;	/* key_package */
	struct mls_bytes parent_hash;	/* commit */
	struct mls_extension_list extensions;
	struct mls_bytes signature;
};

struct mls_parent_node {
	struct mls_bytes encryption_key;
	struct mls_bytes parent_hash;
	struct mls_u32_list unmerged_leaves;
};

struct mls_node {
	uint8_t type;			/* enum mls_node_type */
	struct mls_leaf_node leaf;
	struct mls_parent_node parent;
};

/*
 * optional<Node> ratchet_tree<V>. Decoding enforces the wire rules of
 * §12.4.3.3: leaves only at even and parent nodes only at odd positions,
 * and a non-blank last node (so the tree is never empty). Callers extend
 * it to 2^(d+1)-1 nodes with blanks.
 */
struct mls_ratchet_tree {
	struct mls_node *nodes;
	size_t count;
};

struct mls_update_path_node {
	struct mls_bytes encryption_key;
	struct mls_hpke_ciphertext *secrets;	/* encrypted_path_secret<V> */
	size_t count;
};

struct mls_update_path {
	struct mls_leaf_node leaf_node;
	struct mls_update_path_node *nodes;
	size_t count;
};

MLS_DECLARE_CODEC(leaf_node)
MLS_DECLARE_CODEC(parent_node)
MLS_DECLARE_CODEC(node)
MLS_DECLARE_CODEC(ratchet_tree)
MLS_DECLARE_WHOLE_CODEC(ratchet_tree)
MLS_DECLARE_CODEC(update_path_node)
MLS_DECLARE_CODEC(update_path)

/*
 * LeafNodeTBS (§7.2): the leaf without its signature, plus group_id and
 * leaf_index for the update and commit sources.
 */
void mls_leaf_node_encode_tbs(struct mls_writer *w,
			      const struct mls_leaf_node *v,
			      const struct mls_bytes *group_id,
			      uint32_t leaf_index);

#endif
