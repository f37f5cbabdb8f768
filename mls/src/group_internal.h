/* SPDX-License-Identifier: MIT */
/* Helpers shared by the group_*.c files (RFC 9420 §12). */
#ifndef MLS_GROUP_INTERNAL_H
#define MLS_GROUP_INTERNAL_H

#include "mls/group.h"

/* The clock's time, or the system's when none was given. */
uint64_t mls_group_now(const struct mls_group *g);
/*
 * §7.2: now within lt, give or take skew seconds (saturating).
 * MLS_ERR_VALIDATION otherwise.
 */
int mls_lifetime_check(const struct mls_lifetime *lt, uint64_t now,
		       uint64_t skew);
/*
 * §7.2: a key_package leaf must be within its lifetime; one we received
 * (another member's Add, our own KeyPackage on join) only give or take
 * the policy's lifetime_skew.
 */
int mls_group_check_lifetime(const struct mls_group *g,
			     const struct mls_leaf_node *leaf, bool received);

/*
 * The checks of mls_key_package_validate on an Add's KeyPackage. One
 * mls_group_make_add validated for this suite is only checked for its
 * lifetime again: nothing else it was checked for changes with time.
 */
int mls_group_validate_add_key_package(const struct mls_group *g,
				       const struct mls_add *add,
				       bool received);
/*
 * Checks add's leaf against the group's required_capabilities (§11.1)
 * and notes that its KeyPackage passed mls_key_package_validate.
 */
int mls_group_note_add_validated(const struct mls_group *g,
				 struct mls_add *add);
/* Carries that note over to a copy, which decoding left without it. */
void mls_group_copy_add_note(struct mls_proposal *dst,
			     const struct mls_proposal *src);

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

/* What unprotecting a message of one epoch takes (group_framing.c). */
struct mls_epoch_view {
	const struct mls_group_context *context;
	const struct mls_tree *tree;		/* senders' signature keys */
	const uint8_t *membership_key;		/* NULL: no PublicMessage */
	const uint8_t *sender_data_secret;
	struct mls_secret_tree *secret_tree;
};

/* mls_group_unprotect against the epoch v describes. */
int mls_group_unprotect_in(const struct mls_group *g,
			   const struct mls_epoch_view *v,
			   const struct mls_message *m,
			   struct mls_authenticated_content *ac);

/* ---- group_retention.c: past epochs kept for late messages ---- */

/*
 * Keep the epoch g is leaving, if g keeps any: its context and tree
 * (moved out of *ctx and *tree, which are left empty), the
 * sender_data_secret of *secrets and g's secret tree (g->secret_tree is
 * then NULL). The oldest kept epoch beyond g->past_epochs is wiped.
 * Nothing can fail: without memory the epoch is just not kept.
 */
void mls_group_retain_epoch(struct mls_group *g, struct mls_group_context *ctx,
			    struct mls_tree *tree,
			    const struct mls_epoch_secrets *secrets);
/* The kept epoch's view; MLS_ERR_NOT_FOUND if it is not kept. */
int mls_group_past_view(struct mls_group *g, uint64_t epoch,
			struct mls_epoch_view *v);
/* Wipe the kept epochs beyond the first keep. */
void mls_group_wipe_past(struct mls_group *g, uint32_t keep);

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
 * §12.2: the list's validity for a Commit from `committer` (a member, or
 * a new member for the rules of external Commits, §12.4.3.2), and
 * whether it needs a path (§12.4). MLS_ERR_VALIDATION, or the
 * credential validator's error for an Add or Update.
 */
int mls_group_check_proposals(const struct mls_group *g,
			      const struct mls_sender *committer,
			      const struct mls_proposal_list *l,
			      bool *path_required);

/* Where a leaf to validate comes from (see mls_credential_request). */
struct mls_leaf_origin {
	enum mls_credential_source source;
	const struct mls_sender *sender;	/* NULL for a tree's leaf */
	uint32_t leaf_index;			/* UINT32_MAX: not placed */
};

/*
 * The application's verdict on a leaf (§5.3.1): its validator, then its
 * credential policy; 0 without either.
 */
int mls_group_validate_leaf(const struct mls_group *g,
			    const struct mls_leaf_origin *o,
			    const struct mls_leaf_node *leaf,
			    const struct mls_leaf_node *old_leaf);

/* Every leaf of t through the validator (a joiner's check). */
int mls_group_validate_tree_leaves(const struct mls_group *g,
				   const struct mls_tree *t);

/*
 * Entry index of the GroupContext's external_senders extension
 * (§12.1.8.1): *key and *cred are the caller's to free. MLS_ERR_NOT_FOUND
 * without the extension or the entry.
 */
int mls_group_external_sender(const struct mls_group_context *gc,
			      uint32_t index, struct mls_bytes *key,
			      struct mls_credential *cred);

/* ---- group_external.c ---- */

/*
 * init_secret of an external Commit's epoch (§8.3) from the ExternalInit
 * kem_output, with the current epoch's external key: out[hash_len].
 */
int mls_group_external_init_secret(const struct mls_group *g,
				   const struct mls_bytes *kem_output,
				   uint8_t *out);

/*
 * group_create_commit.c: an external Commit (sender new_member_commit)
 * from g, a group object holding the joined epoch's context, tree,
 * interim hash and our signature key, with secrets.init_secret set from
 * ExternalInit; own_leaf joins at the leftmost blank leaf. On success g
 * is in the new epoch.
 */
int mls_group_commit_external(struct mls_group *g,
			      const struct mls_leaf_node *own_leaf,
			      const struct mls_proposal *proposals,
			      size_t n_proposals, struct mls_bytes *commit);

/*
 * §12.3: apply the list to tree (a copy of g's) in the prescribed order.
 * On error *out is freed.
 */
int mls_group_apply_proposals(const struct mls_group *g,
			      struct mls_tree *tree,
			      const struct mls_proposal_list *l,
			      struct mls_applied_proposals *out);

/* ---- group_message.c ---- */

/* What a Commit's summary is made of, on either side. */
struct mls_commit_facts {
	const struct mls_proposal_list *list;
	const struct mls_applied_proposals *applied;
	uint64_t epoch;			/* the new one */
	uint32_t committer;
	bool external;
	bool has_path;
};

int mls_commit_summarize(const struct mls_commit_facts *f,
			 struct mls_commit_summary *out);

/*
 * mls_group_process_commit, and *summary (may be NULL; overwritten) says
 * what it changed: on success, and with MLS_ERR_REMOVED.
 */
int mls_group_process_commit_summary(struct mls_group *g,
				     const struct mls_message *m,
				     struct mls_commit_summary *summary);

/* ---- shared by the sending side ---- */

#include "mls/framing.h"
#include "mls/secret_tree.h"

/* Our Commit's next epoch (group_create_commit.c), until confirmed. */
struct mls_pending_commit {
	struct mls_group_context context;
	struct mls_tree tree;
	struct mls_tree_private priv;
	struct mls_epoch_secrets secrets;
	uint8_t interim[MLS_MAX_HASH_LEN];
	struct mls_secret_tree *secret_tree;
	/*
	 * How we recognise it coming back from the delivery service: the
	 * MLSMessage as sent (a PrivateMessage of ours cannot be decrypted
	 * again, its key is spent) and the Commit's signature.
	 */
	struct mls_bytes message;
	struct mls_bytes signature;
	struct mls_reinit *reinit;	/* the Commit's ReInit, or NULL */
	struct mls_commit_summary summary;
};

void mls_pending_commit_free(struct mls_pending_commit *pc);

/*
 * Move the group into a new epoch (nothing can fail): swaps in context,
 * tree, priv and secrets (the caller frees what it gets back), takes
 * st, clears the proposal cache and our pending Update keys and Commit.
 */
void mls_group_install(struct mls_group *g, struct mls_group_context *ctx,
		       struct mls_tree *tree, struct mls_tree_private *priv,
		       struct mls_epoch_secrets *secrets,
		       const uint8_t *interim, struct mls_secret_tree *st);

/* Length of the interim transcript hash: empty in a new group (§8.2). */
size_t mls_group_interim_len(const struct mls_group *g);

/* psk_secret (§8.4) over ids, external ones through g's lookup. */
int mls_group_psk_secret(const struct mls_group *g,
			 const struct mls_psk_id_list *ids, uint8_t *out);

/* Keep an authenticated proposal under its ProposalRef (moved out of ac). */
int mls_group_cache_content(struct mls_group *g,
			    struct mls_authenticated_content *ac,
			    uint8_t *ref);

/* The key pair of our Update with this public key, or NULL. */
const struct mls_pending_update *
mls_group_find_update(const struct mls_group *g, const struct mls_bytes *pub);
void mls_group_clear_updates(struct mls_group *g);

/* ---- group_keypackage.c ---- */

uint64_t mls_clock_now(mls_clock_fn clock, void *ctx);
void mls_group_default_lifetime(uint64_t now, const struct mls_lifetime *in,
				struct mls_lifetime *out);
/* SignWithLabel(LeafNodeTBS) into leaf->signature. */
int mls_group_sign_leaf(const struct mls_crypto *c, const struct mls_suite *s,
			const struct mls_signer *signer,
			struct mls_leaf_node *leaf,
			const struct mls_bytes *group_id, uint32_t leaf_index);
/* A key_package-source LeafNode for the signer with this HPKE key. */
int mls_group_new_leaf(const struct mls_crypto *c, const struct mls_suite *s,
		       const struct mls_signer *signer,
		       const struct mls_lifetime *lifetime,
		       const uint8_t *enc_pub, struct mls_leaf_node *leaf);

/* ---- group_send.c ---- */

/* g's signature key as a signer (no identity); INVALID_STATE if none. */
int mls_group_signer(const struct mls_group *g, struct mls_signer *signer);
/* The framing context of the current epoch; *gc holds its bytes. */
int mls_group_framing_ctx(struct mls_group *g, struct mls_framing_ctx *ctx,
			  struct mls_bytes *gc);
/* FramedContent of this epoch from us, content left empty. */
int mls_group_content_header(const struct mls_group *g,
			     struct mls_framed_content *fc);
/*
 * Encode fc with its auth data as an MLSMessage of wire format wire:
 * PublicMessage with membership tag, or PrivateMessage from our next
 * ratchet key.
 */
int mls_group_seal(struct mls_group *g, const struct mls_framing_ctx *ctx,
		   uint16_t wire, const struct mls_framed_content *fc,
		   const struct mls_framed_content_auth_data *auth,
		   struct mls_bytes *msg);
/* Deep copies through the codec. */
int mls_group_copy_proposal(struct mls_proposal *dst,
			    const struct mls_proposal *src);
int mls_group_copy_leaf(struct mls_leaf_node *dst,
			const struct mls_leaf_node *src);

/* ---- group_resumption.c ---- */

/* §12.1.5: a ReInit this group may commit. */
int mls_group_check_reinit(const struct mls_group *g,
			   const struct mls_reinit *reinit);
/*
 * §12.1.4: a resumption PSK of usage reinit or branch is only valid in
 * the first Commit of the group started with it (g->resumption_parent).
 */
int mls_group_check_psk_usage(const struct mls_group *g,
			      const struct mls_psk_id *id);
/* The resumption PSK id names in g->resumption_parent, or NULL. */
const uint8_t *mls_group_parent_psk(const struct mls_group *g,
				    const struct mls_psk_id *id, size_t *len);
/* A heap copy of the list's ReInit into *out (NULL if it has none). */
int mls_group_take_reinit(const struct mls_proposal_list *l,
			  struct mls_reinit **out);
void mls_group_reinit_free(struct mls_reinit *r);

/*
 * A Welcome's PSKs as a joiner resolves them (§12.4.3.1): external and
 * application ones through the options, a reinit/branch one from
 * o->resumption_group, noted for mls_resumption_join_check.
 */
struct mls_resumption_join {
	const struct mls_group_join_options *o;
	bool seen;		/* the Welcome had its reinit/branch PSK */
	uint8_t usage;		/* which of the two */
	int err;		/* the rule a PSK broke, if any */
};

void mls_resumption_join_init(struct mls_resumption_join *rj,
			      const struct mls_group_join_options *o);
int mls_resumption_join_lookup(void *ctx, const struct mls_psk_id *id,
			       const uint8_t **secret, size_t *secret_len);
/* §11.2, §11.3, §12.4.3.1: the joined group g against the old one. */
int mls_resumption_join_check(const struct mls_resumption_join *rj,
			      const struct mls_group *g);

#endif
