/* SPDX-License-Identifier: MIT */
/* Helpers shared by the group_*.c files (RFC 9420 §12). */
#ifndef MLS_GROUP_INTERNAL_H
#define MLS_GROUP_INTERNAL_H

#include "mls/group.h"

/* The clock's time, or the system's when none was given. */
uint64_t mls_group_now(const struct mls_group *g);
/* §7.2: a key_package leaf must be within its lifetime. */
int mls_group_check_lifetime(const struct mls_group *g,
			     const struct mls_leaf_node *leaf);

/* Deep copy of a GroupContext (dst overwritten, not freed). */
int mls_group_context_copy(struct mls_group_context *dst,
			   const struct mls_group_context *src);

/* The secret tree of an epoch (§9), from its encryption_secret. */
int mls_group_new_secret_tree(const struct mls_group *g,
			      const struct mls_epoch_secrets *secrets,
			      uint32_t n_leaves, struct mls_secret_tree **out);
/*
 * Enter the epoch whose secrets g->secrets holds, with its secret tree
 * (owned from now on): drop encryption_secret, remember resumption_psk.
 */
void mls_group_enter_epoch(struct mls_group *g, struct mls_secret_tree *st);

/* resumption_psk of a remembered epoch, or NULL. */
const uint8_t *mls_group_resumption_psk(const struct mls_group *g,
					uint64_t epoch);

void mls_group_clear_proposals(struct mls_group *g);

/*
 * Verify a handshake message of the current epoch and return its
 * AuthenticatedContent (framing checks, signature with the sender's key
 * from the tree, external_senders, or the message itself).
 */
int mls_group_unprotect(struct mls_group *g, const struct mls_message *m,
			struct mls_authenticated_content *ac);

/* ---- group_proposals.c ---- */

/* One proposal of a Commit, resolved, with who proposed it. */
struct mls_resolved_proposal {
	const struct mls_proposal *proposal;
	struct mls_sender sender;
};

struct mls_proposal_list {
	struct mls_resolved_proposal *items;
	size_t count;
};

/* What applying a Commit's proposals yields besides the tree. */
struct mls_applied_proposals {
	struct mls_extension_list extensions;	/* new GroupContext exts */
	uint32_t *added_leaves;
	size_t n_added;
	struct mls_psk_id_list psks;		/* borrowed ids, not owned */
	bool removes_us;
};

void mls_applied_proposals_free(struct mls_applied_proposals *a);

/*
 * §12.2: the list's validity for a Commit from member `committer`, and
 * whether it needs a path (§12.4). MLS_ERR_VALIDATION.
 */
int mls_group_check_proposals(const struct mls_group *g, uint32_t committer,
			      const struct mls_proposal_list *l,
			      bool *path_required);

/*
 * §12.3: apply the list to tree (a copy of g's) in the prescribed order.
 * On error *out is freed.
 */
int mls_group_apply_proposals(const struct mls_group *g,
			      struct mls_tree *tree,
			      const struct mls_proposal_list *l,
			      struct mls_applied_proposals *out);

#endif
