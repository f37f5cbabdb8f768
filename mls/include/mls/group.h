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
 * Both sides are here: a member creates KeyPackages (§10), groups (§11),
 * proposals (§12.1) and Commits with their Welcome (§12.4), and follows
 * other members' Commits. A Commit it creates stays pending until the
 * delivery service has confirmed it (mls_group_confirm_commit); a
 * competing Commit of the same epoch that gets processed first replaces
 * it, so the group is never half in one epoch and half in another.
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

/*
 * Whether a credential may be a member (§5.3.1): the application's call.
 * Invoked for every LeafNode that enters the group or changes: each leaf
 * of the tree on join, an Add's KeyPackage, an Update, a Commit's path
 * leaf and an external joiner's leaf. old_leaf is the leaf it replaces
 * (Update, commit path, external resync), NULL for a new member, so an
 * application can insist the identity stays the same (§5.3.2). Return 0
 * to accept; any error rejects the message and is passed on (the
 * validators in mls/credential.h return MLS_ERR_VALIDATION). NULL
 * accepts every credential.
 */
typedef int (*mls_credential_validate_fn)(void *ctx,
					  const struct mls_suite *s,
					  const struct mls_leaf_node *leaf,
					  const struct mls_leaf_node *old_leaf);

/* Why a leaf is put to the credential policy (mls_credential_policy_fn). */
enum mls_credential_source {
	/* a leaf of the tree we join (Welcome or external join) */
	MLS_CREDENTIAL_SOURCE_TREE = 1,
	/* an Add proposed by a member (a committer's by-value Add too) */
	MLS_CREDENTIAL_SOURCE_ADD_MEMBER,
	/* an Add the would-be member sent itself (new_member_proposal) */
	MLS_CREDENTIAL_SOURCE_ADD_NEW_MEMBER,
	/* an Add from an external sender (§12.1.8.1) */
	MLS_CREDENTIAL_SOURCE_ADD_EXTERNAL_SENDER,
	/* an Update proposal: its sender's new leaf */
	MLS_CREDENTIAL_SOURCE_UPDATE,
	/* a member's Commit with a path: the committer's new leaf */
	MLS_CREDENTIAL_SOURCE_COMMIT_PATH,
	/* an external Commit (§12.4.3.2): the joiner's leaf */
	MLS_CREDENTIAL_SOURCE_EXTERNAL_JOIN,
};

/*
 * What the credential policy is asked about: a leaf, where it comes
 * from and who asks for it. Every pointer is a view, valid only during
 * the call.
 */
struct mls_credential_request {
	enum mls_credential_source source;
	const struct mls_leaf_node *leaf;	/* the leaf to admit */
	/* the leaf it replaces (Update, commit path, resync), or NULL */
	const struct mls_leaf_node *old_leaf;
	/*
	 * Its leaf index: a tree's leaf, an Update's or a committer's
	 * sender, a resync's old leaf; UINT32_MAX for an Add or an external
	 * join, whose leaf is not placed yet.
	 */
	uint32_t leaf_index;
	/*
	 * Who sent the proposal or Commit (type 0 for a tree's leaf). Its
	 * credential and signature key: a member's from its current leaf
	 * (sender_leaf), a new member's from the leaf itself (sender_leaf ==
	 * leaf), an external sender's from the group's external_senders
	 * extension (sender_leaf NULL); all NULL for a tree's leaf.
	 */
	struct mls_sender sender;
	const struct mls_leaf_node *sender_leaf;
	const struct mls_credential *sender_credential;
	const struct mls_bytes *sender_signature_key;
};

/*
 * The credential policy: mls_credential_validate_fn told who is asking
 * (§5.3.1). Called for the same leaves, after validate_credential when
 * both are set. Return 0 to accept; any error rejects the message (a
 * Commit we build leaves out a cached proposal it rejects) and is
 * passed on. NULL accepts every credential.
 */
typedef int (*mls_credential_policy_fn)(
	void *ctx, const struct mls_suite *s,
	const struct mls_credential_request *req);

/*
 * Local policy: what this member accepts where the RFC leaves it open.
 * Not saved with the group (mls_group_save): give it again on load. A
 * NULL policy in the options, or a zeroed one, is the strictest.
 */
/* Largest mls_group_policy.padding_block. */
#define MLS_MAX_PADDING_BLOCK	4096

struct mls_group_policy {
	/*
	 * Cache Add proposals sent by would-be members themselves (sender
	 * new_member_proposal, §12.1.8). Off by default: anyone who can
	 * reach the delivery service can send one, so a group that does not
	 * admit members that way refuses them (MLS_ERR_POLICY).
	 */
	bool accept_new_member_proposals;
	/*
	 * Seconds by which our clock may disagree with other members' when
	 * we check the lifetime (§7.2) of a KeyPackage we receive: in
	 * another member's Add, and our own on joining. The RFC only
	 * recommends checking those; a strict check splits a group whose
	 * members' clocks differ. KeyPackages we add ourselves are checked
	 * without it (§7.3: a sender MUST check). 0: no skew; UINT64_MAX
	 * ignores the lifetime of what we receive.
	 */
	uint64_t lifetime_skew;
	/*
	 * Also refuse an Add whose KeyPackage's capabilities do not list the
	 * group's cipher suite. §10.1 only asks that KeyPackage.cipher_suite
	 * be the group's, and other implementations publish KeyPackages
	 * that list every suite but their own (suite 7 listing 1-6), so
	 * this is off by default.
	 */
	bool strict_key_package_suites;
	/*
	 * Pad every PrivateMessage we send (Proposals, Commits and
	 * application data) with zeros so its encrypted content is a
	 * multiple of this many bytes (§6.3.1: padding hides the exact
	 * length from the delivery service). 0 or 1: no padding. Padding
	 * of what we receive is always accepted, whatever this says. At
	 * most MLS_MAX_PADDING_BLOCK, or sending fails with
	 * MLS_ERR_INVALID_ARG.
	 */
	size_t padding_block;
};

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
	/*
	 * Our signature private key, to send proposals, Commits and
	 * application messages; NULL for a member that only follows.
	 */
	const uint8_t *sig_priv;
	size_t sig_priv_len;
	const struct mls_crypto *crypto;	/* randomness; NULL: the OS */
	mls_credential_validate_fn validate_credential;
	void *validate_ctx;
	mls_credential_policy_fn credential_policy;
	void *credential_policy_ctx;
	const struct mls_group_policy *policy;	/* NULL: the defaults */
	/*
	 * A Welcome into a group reinitialized or branched from this one
	 * (§11.2, §11.3), which we are a member of: its resumption PSK
	 * comes from here, and the new group is checked against it (see
	 * mls_group_join). NULL for any other Welcome.
	 */
	const struct mls_group *resumption_group;
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

/* The key pair of an Update we proposed, until a Commit takes it (§12.1.2). */
struct mls_pending_update {
	uint8_t pub[MLS_MAX_KEM_PUB_LEN];
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN];
};

/* Our Commit's next epoch, held until the delivery service confirms it. */
struct mls_pending_commit;

/*
 * Past epochs whose application messages still decrypt: messages sent
 * just before a Commit arrive after it. Each kept epoch holds its
 * sender_data_secret and secret tree (keys used once, as in the current
 * epoch), its GroupContext and tree; it is wiped once it falls out of
 * the window, and never saved.
 */
#define MLS_GROUP_MAX_PAST_EPOCHS	8
#define MLS_GROUP_PAST_EPOCHS_DEFAULT	1
struct mls_past_epoch;

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
	/* sending side (zero for a passive member) */
	struct mls_crypto crypto;
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	size_t sig_priv_len;
	struct mls_pending_update *updates;
	size_t n_updates;
	struct mls_pending_commit *pending;
	/*
	 * The ReInit the Commit into this epoch carried (§11.2): the group
	 * is closed for sending and waits for its successor. NULL normally.
	 */
	struct mls_reinit *reinit;
	/*
	 * Only while the first Commit of a reinit or branch group is built
	 * (group_resumption.c): the group its resumption PSK comes from,
	 * and the usage that PSK may have there (§12.1.4).
	 */
	const struct mls_group *resumption_parent;
	uint8_t resumption_usage;
	mls_credential_validate_fn validate_credential;
	void *validate_ctx;
	mls_credential_policy_fn credential_policy;
	void *credential_policy_ctx;
	struct mls_group_policy policy;
	/*
	 * A Commit removed us (MLS_ERR_REMOVED): the group stays in the
	 * last epoch we were in, and every call that would act in it fails
	 * with MLS_ERR_REMOVED.
	 */
	bool removed;
	/* kept past epochs, newest first (see mls_group_set_past_epochs) */
	struct mls_past_epoch *past[MLS_GROUP_MAX_PAST_EPOCHS];
	uint32_t n_past;
	uint32_t past_epochs;
};

/*
 * Join from a Welcome (§12.4.3.1): open it, build and validate the tree
 * (tree hash, parent hashes, leaf signatures, lifetimes against the
 * clock), find our leaf, implant the path secret, check our private keys
 * against the tree and set up the secret tree. *g is overwritten (not
 * freed); on error it is zeroed. Errors: those of mls_welcome_join, and
 * MLS_ERR_VALIDATION for a tree that fails validation, lacks our leaf,
 * or is missing (no extension, none given).
 *
 * A Welcome whose PSKs include a resumption PSK of usage reinit or
 * branch needs o->resumption_group, and o->resumption_group needs such
 * a Welcome; the resumption errors (below) name the rule it breaks.
 */
int mls_group_join(struct mls_group *g, const struct mls_group_join_options *o,
		   const struct mls_welcome *w);

/* Wipes every secret; *g is then all zero. NULL is fine. */
void mls_group_free(struct mls_group *g);

/* Replace g's policy (NULL: the defaults), e.g. after mls_group_load. */
void mls_group_set_policy(struct mls_group *g,
			  const struct mls_group_policy *policy);
/*
 * How many past epochs g keeps for late application messages (0 to
 * MLS_GROUP_MAX_PAST_EPOCHS; a new, joined or loaded group keeps
 * MLS_GROUP_PAST_EPOCHS_DEFAULT). Lowering it wipes the epochs beyond
 * the new count at once; 0 keeps none (each epoch's keys go at the
 * next Commit). The count is not saved, and a loaded group has no past
 * epoch. MLS_ERR_INVALID_ARG above the maximum.
 */
int mls_group_set_past_epochs(struct mls_group *g, uint32_t count);

/* Replace g's credential policy (NULL: none), e.g. after mls_group_load. */
void mls_group_set_credential_policy(struct mls_group *g,
				     mls_credential_policy_fn policy,
				     void *ctx);

/*
 * A proposal of this epoch (PublicMessage or PrivateMessage), verified and
 * kept under its ProposalRef until the next Commit. ref (may be NULL)
 * receives the ProposalRef, hash_len bytes. MLS_ERR_INVALID_ARG if the
 * message does not carry a proposal, MLS_ERR_POLICY for a
 * new_member_proposal the policy does not accept, MLS_ERR_OLD_EPOCH /
 * MLS_ERR_FUTURE_EPOCH for another epoch's, MLS_ERR_REMOVED once we are
 * out; the framing errors otherwise.
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
 *  MLS_ERR_INVALID_STATE  our own commit (we have none pending), or any
 *                         Commit once the group is reinitialized
 *                         (mls_group_reinit_pending)
 *  MLS_ERR_REMOVED        a genuine Commit (signature and proposal list
 *                         checked) that removes us: the exception to
 *                         all-or-nothing, the group is then over
 *                         (mls_group_removed) and stays in its epoch;
 *                         every later call that would act in it (process,
 *                         cache, commit, propose, encrypt, decrypt, Update,
 *                         GroupInfo, save) fails with MLS_ERR_REMOVED
 *  MLS_ERR_OLD_EPOCH, MLS_ERR_FUTURE_EPOCH
 *                         a message of an earlier epoch (stale: drop it)
 *                         or a later one (we missed a Commit); the same
 *                         for proposals and application messages
 *  MLS_ERR_PSK_USAGE, MLS_ERR_REINIT_NOT_ALONE, MLS_ERR_REINIT_VERSION
 *                         the resumption rules of §12.1.4, §12.2, §12.1.5
 * A Commit with a ReInit is processed like any other and then closes
 * the group (see mls_group_make_reinit).
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
/* Whether a Commit removed us from the group (see MLS_ERR_REMOVED). */
static inline bool mls_group_removed(const struct mls_group *g)
{
	return g->removed;
}
static inline uint32_t mls_group_own_leaf(const struct mls_group *g)
{
	return g->priv.leaf_index;
}

/*
 * The application_id (§5.3.3) in the LeafNode of member leaf: *id points
 * into the group (valid until the group next changes), *len its length.
 * Not authenticated by the Authentication Service, nor unique: treat it
 * as the member's claim. MLS_ERR_NOT_FOUND when the leaf is blank, out
 * of the tree or has no application_id, MLS_ERR_DECODE when its body is
 * not an opaque<V>.
 */
int mls_group_member_application_id(const struct mls_group *g, uint32_t leaf,
				    const uint8_t **id, size_t *len);
/*
 * An application_id extension (§5.3.3) with the given identifier, for
 * mls_signer.leaf_extensions. Free out with mls_extension_free().
 */
int mls_application_id_extension(const uint8_t *id, size_t len,
				 struct mls_extension *out);

/* ---- who we are (§5.3): a credential and its signature key ---- */

struct mls_signer {
	const uint8_t *sig_priv;	/* sig_priv_len bytes of the suite */
	size_t sig_priv_len;
	const uint8_t *identity;	/* BasicCredential.identity */
	size_t identity_len;
	/*
	 * An X.509 chain, end-entity first (§5.3): when n_certificates is
	 * not zero the leaf carries an x509 credential instead of a basic
	 * one (identity is then ignored). The end-entity certificate's key
	 * must be the public half of sig_priv, or validators reject it.
	 */
	const struct mls_bytes *certificates;
	size_t n_certificates;
	/*
	 * Non-default extension types our leaf supports (capabilities,
	 * §7.2), so GroupContextExtensions may use them. May be NULL.
	 */
	const uint16_t *extension_types;
	size_t n_extension_types;
	/*
	 * Non-default proposal types, and credential types besides our
	 * own, our leaf supports (§7.2), so a group may require them
	 * (required_capabilities, §11.1). May be NULL.
	 */
	const uint16_t *proposal_types;
	size_t n_proposal_types;
	const uint16_t *credential_types;
	size_t n_credential_types;
	/*
	 * Extensions our new LeafNodes carry (§7.2), such as application_id
	 * (§5.3.3; mls_application_id_extension makes one). Each type that
	 * is not a default one (§7.2) must be among extension_types, or
	 * creating the leaf fails with MLS_ERR_INVALID_ARG. May be NULL.
	 */
	const struct mls_extension_list *leaf_extensions;
	/*
	 * Leave GREASE (§13.5) out. By default each new LeafNode's
	 * capabilities list one random GREASE value among the cipher
	 * suites, extensions, proposals and credentials, and each new
	 * KeyPackage carries an empty GREASE extension of the listed type,
	 * so peers that refuse unknown values are found early.
	 */
	bool no_grease;
};

/* ---- KeyPackages (§10) ---- */

struct mls_key_package_options {
	const struct mls_suite *suite;
	const struct mls_crypto *crypto;	/* NULL: the OS */
	struct mls_signer signer;
	/* Zero: from an hour ago (clock skew) to 90 days ahead of now. */
	struct mls_lifetime lifetime;
	mls_clock_fn clock;
	void *clock_ctx;
	/*
	 * Mark it last_resort (§17.3): a KeyPackage the delivery service
	 * hands out again when the one-time ones run out, whose owner keeps
	 * its private keys after a join. Its leaf lists the extension type.
	 */
	bool last_resort;
};

/* Whether a KeyPackage carries the last_resort extension (§17.3). */
bool mls_key_package_is_last_resort(const struct mls_key_package *kp);

/* The private halves a KeyPackage's owner keeps until it joins. */
struct mls_key_package_secrets {
	uint8_t init_priv[MLS_MAX_KEM_PRIV_LEN];
	uint8_t encryption_priv[MLS_MAX_KEM_PRIV_LEN];
	size_t priv_len;			/* kem_priv_len */
};

/*
 * A fresh KeyPackage (encoded, not MLSMessage-wrapped) with distinct
 * init and leaf HPKE keys, signed with the signer's key. *key_package is
 * overwritten. Errors: MLS_ERR_INVALID_ARG, MLS_ERR_BAD_KEY (signature
 * key of the wrong size), crypto errors; nothing is returned on error.
 */
int mls_key_package_create(const struct mls_key_package_options *o,
			   struct mls_bytes *key_package,
			   struct mls_key_package_secrets *secrets);
void mls_key_package_secrets_wipe(struct mls_key_package_secrets *s);

/*
 * §10.1: what anyone receiving a KeyPackage checks before using it:
 * version mls10 and the expected suite (KeyPackage.cipher_suite; the
 * leaf's capabilities need not list it, see strict_key_package_suites),
 * valid init and leaf keys that differ, leaf source key_package,
 * capabilities covering the credential, both signatures, lifetime
 * containing now.
 * MLS_ERR_VALIDATION, MLS_ERR_BAD_SIGNATURE or MLS_ERR_BAD_KEY.
 */
int mls_key_package_validate(const struct mls_suite *s,
			     const struct mls_key_package *kp, uint64_t now);

/* ---- creating a group (§11) ---- */

struct mls_group_create_options {
	const struct mls_suite *suite;
	const struct mls_crypto *crypto;	/* copied; NULL: the OS */
	const uint8_t *group_id;
	size_t group_id_len;
	struct mls_signer signer;
	struct mls_lifetime lifetime;		/* of our leaf, as above */
	/* GroupContext extensions of epoch 0, or NULL. */
	const struct mls_extension_list *extensions;
	mls_psk_lookup_fn psk_lookup;
	void *psk_ctx;
	mls_clock_fn clock;
	void *clock_ctx;
	mls_credential_validate_fn validate_credential;
	void *validate_ctx;
	mls_credential_policy_fn credential_policy;
	void *credential_policy_ctx;
	const struct mls_group_policy *policy;	/* NULL: the defaults */
};

/*
 * A group with us as its only member, in epoch 0. *g is overwritten (not
 * freed); on error it is zeroed.
 */
int mls_group_create(struct mls_group *g,
		     const struct mls_group_create_options *o);

/* ---- proposals (§12.1) ---- */

/* How a handshake message goes out: signed (§6.2) or encrypted (§6.3). */
enum mls_group_wire {
	MLS_GROUP_WIRE_PUBLIC = MLS_WIRE_PUBLIC_MESSAGE,
	MLS_GROUP_WIRE_PRIVATE = MLS_WIRE_PRIVATE_MESSAGE,
};

/*
 * Proposal builders, for mls_group_propose or a Commit's by-value list.
 * *out is overwritten; free it with mls_proposal_free(). The Add's
 * KeyPackage is checked as mls_key_package_validate does and against
 * the group's required_capabilities (§11.1, MLS_ERR_VALIDATION), and a
 * Commit of that unchanged KeyPackage only checks its lifetime again (struct
 * mls_add notes it); the PSK gets a fresh nonce. An Update draws a new leaf key and keeps its private
 * half in g until a Commit takes it or the epoch ends.
 */
int mls_group_make_add(const struct mls_group *g, const uint8_t *key_package,
		       size_t key_package_len, struct mls_proposal *out);
int mls_group_make_update(struct mls_group *g, struct mls_proposal *out);
int mls_group_make_remove(const struct mls_group *g, uint32_t leaf,
			  struct mls_proposal *out);
int mls_group_make_external_psk(struct mls_group *g, const uint8_t *psk_id,
				size_t psk_id_len, struct mls_proposal *out);
int mls_group_make_extensions(const struct mls_extension_list *exts,
			      struct mls_proposal *out);

/*
 * Send p as a proposal of this epoch: *msg receives the MLSMessage, ref
 * (may be NULL) its ProposalRef, and the proposal is cached so that our
 * own Commit can include it by reference. MLS_ERR_INVALID_STATE without
 * a signature key.
 */
int mls_group_propose(struct mls_group *g, const struct mls_proposal *p,
		      enum mls_group_wire wire, struct mls_bytes *msg,
		      uint8_t *ref);

/*
 * The proposal cache of this epoch, oldest first: *count entries (may
 * be 0, then NULL), a view valid until the group next changes (a
 * proposal cached or dropped, a Commit processed or confirmed, a load,
 * free). Each entry says who sent it (sender) and its ProposalRef.
 */
const struct mls_cached_proposal *
mls_group_cached_proposals(const struct mls_group *g, size_t *count);

/*
 * Drop the cached proposal named ref (hash_len bytes) so that no Commit
 * of ours takes it; when it is our own Update, the private key kept for
 * it is wiped too. Another member's Commit that references it then
 * fails with MLS_ERR_NOT_FOUND, as for a proposal never received.
 * MLS_ERR_INVALID_ARG, MLS_ERR_NOT_FOUND (nothing changed).
 */
int mls_group_drop_proposal(struct mls_group *g, const uint8_t *ref,
			    size_t ref_len);

/* ---- Commits (§12.4) ---- */

/*
 * Whether a Commit of ours may take cached proposal p (the application's
 * policy: whose Adds, which Removes). Return true to let the Commit's
 * §12.2 checks consider it, false to leave it in the cache but out of
 * this Commit.
 */
typedef bool (*mls_proposal_filter_fn)(void *ctx, const struct mls_group *g,
				       const struct mls_cached_proposal *p);

struct mls_commit_options {
	/* Proposals by value, in addition to the cached ones by reference. */
	const struct mls_proposal *proposals;
	size_t n_proposals;
	/* Leave the cache alone (only the by-value proposals are used). */
	bool skip_cached;
	/* An UpdatePath even where §12.4 does not require one. */
	bool force_path;
	enum mls_group_wire wire;	/* 0: public */
	/*
	 * NULL: every cached proposal is considered. Otherwise called once
	 * per cached proposal, in cache order, before the Commit is built;
	 * those it refuses stay cached (mls_group_drop_proposal drops them).
	 */
	mls_proposal_filter_fn filter;
	void *filter_ctx;
	/*
	 * Leave the ratchet_tree extension out of the Welcome's GroupInfo
	 * (§12.4.3.3): the joiners get the tree out of band, from
	 * mls_group_pending_tree, and pass it as join option ratchet_tree.
	 */
	bool external_tree;
};

/*
 * Create a Commit of this epoch (§12.4.1) over the cached proposals that
 * are valid together (§12.2: ours of type Update and any that conflict,
 * fail their checks or cannot be applied to the tree the Commit builds,
 * such as an Add reusing a member's key, are left out) and the by-value
 * ones (which must be valid). An UpdatePath is sent when forced, when the list needs one
 * (Update, Remove, GroupContextExtensions, empty), and never otherwise.
 * *commit receives the MLSMessage; if members are added, *welcome
 * (may be NULL only when none are) receives an MLSMessage Welcome with
 * the signed GroupInfo and the ratchet_tree extension, else it is left
 * empty. The group stays in its epoch with the Commit pending:
 * mls_group_confirm_commit moves it on, mls_group_discard_commit drops
 * it, and processing another member's Commit of this epoch discards it
 * too. Errors: MLS_ERR_INVALID_STATE (no signature key, a Commit
 * already pending, the group reinitialized), MLS_ERR_VALIDATION (a
 * by-value proposal is invalid), the resumption errors (a by-value
 * ReInit with other proposals, a reinit/branch PSK), MLS_ERR_NOT_FOUND
 * (unknown PSK); the group is unchanged.
 */
int mls_group_commit(struct mls_group *g, const struct mls_commit_options *o,
		     struct mls_bytes *commit, struct mls_bytes *welcome);
/* MLS_ERR_INVALID_STATE when no Commit is pending. */
int mls_group_confirm_commit(struct mls_group *g);
void mls_group_discard_commit(struct mls_group *g);
bool mls_group_has_pending_commit(const struct mls_group *g);
/*
 * The ratchet tree (§12.4.3.3, encoded) of the epoch our pending Commit
 * leads to, for joiners of a Welcome without it (external_tree) or any
 * other out-of-band delivery. MLS_ERR_INVALID_STATE when none is pending.
 */
int mls_group_pending_tree(const struct mls_group *g, struct mls_bytes *out);

/* ---- application messages (§6.3) and exporter (§8.5) ---- */

/* Encrypt data as a PrivateMessage of this epoch into *msg. */
int mls_group_encrypt(struct mls_group *g, const uint8_t *data, size_t len,
		      const uint8_t *aad, size_t aad_len,
		      struct mls_bytes *msg);
/*
 * Decrypt an application PrivateMessage of this epoch or of a kept past
 * one (mls_group_set_past_epochs; any order within the secret tree's
 * window, each generation once): *data receives the plaintext, sender
 * (may be NULL) the sender's leaf index in that epoch.
 * MLS_ERR_INVALID_ARG for a message that is not application data; the
 * framing errors otherwise (MLS_ERR_OLD_EPOCH for an epoch not kept,
 * MLS_ERR_FUTURE_EPOCH for a later one, MLS_ERR_REMOVED once we are
 * out). Handshake messages of past epochs stay MLS_ERR_OLD_EPOCH: they
 * can no longer change the group.
 */
int mls_group_decrypt(struct mls_group *g, const struct mls_message *m,
		      struct mls_bytes *data, uint32_t *sender);
/* MLS-Exporter(label, context, len) of the current epoch. */
int mls_group_export(const struct mls_group *g, const char *label,
		     const uint8_t *context, size_t context_len,
		     uint8_t *out, size_t len);

/* ---- saving and loading (versioned blob) ---- */

/* What a loaded group cannot take from the blob: its callbacks. */
struct mls_group_load_options {
	const struct mls_crypto *crypto;
	mls_psk_lookup_fn psk_lookup;
	void *psk_ctx;
	mls_clock_fn clock;
	void *clock_ctx;
	mls_credential_validate_fn validate_credential;
	void *validate_ctx;
	mls_credential_policy_fn credential_policy;
	void *credential_policy_ctx;
	const struct mls_group_policy *policy;	/* NULL: the defaults */
};

/*
 * The whole group state as one blob ("MLSG", version 3, length-prefixed
 * fields), secrets included: store it as securely as the signature key.
 * A pending Commit (mls_group_commit) is saved with it: its next epoch's
 * context, tree, private keys, secrets and secret tree, the Commit as
 * sent and its summary. So an agent saves after building a Commit and
 * before sending it; after a crash the loaded group still has the
 * Commit pending, and mls_group_confirm_commit (the delivery service
 * took it; or its echo through mls_group_process_message) moves it into
 * the epoch the other members reach, mls_group_discard_commit (refused)
 * back to the epoch it left. The secret tree is saved as it stands
 * (never the epoch's encryption_secret, which the group no longer
 * holds): a loaded group refuses exactly the generations the saved one
 * had used or deleted, and no nonce of ours is ever reused. Errors:
 * MLS_ERR_INVALID_ARG, MLS_ERR_REMOVED, MLS_ERR_NOMEM.
 */
int mls_group_save(const struct mls_group *g, struct mls_bytes *blob);
/*
 * *g is overwritten (not freed); on error it is zeroed. Versions 2 (no
 * pending Commit) and 3 load. MLS_ERR_DECODE, MLS_ERR_TRUNCATED or
 * MLS_ERR_TRAILING for a damaged blob, MLS_ERR_UNKNOWN_VALUE for another
 * version (version 1 blobs, which kept encryption_secret, are refused:
 * save again with this version), MLS_ERR_VALIDATION for fields that do
 * not fit together, the pending Commit's among them (its epoch, group,
 * leaf, tree hash and private keys must be those of the group's next
 * epoch from our leaf).
 */
int mls_group_load(struct mls_group *g, const uint8_t *blob, size_t len,
		   const struct mls_group_load_options *o);

/* ---- one entry point for incoming messages ---- */

/*
 * What a Commit changed, in leaf indices, for an agent that keeps its
 * own member tables: removed leaves are those of the old tree, added
 * and updated ones those of the new (a resync removes a leaf and adds
 * one, often the same index).
 */
struct mls_commit_summary {
	uint64_t epoch;		/* the epoch the Commit starts */
	uint32_t committer;	/* its sender (an external joiner's new leaf) */
	bool external;		/* a new member joined by external Commit */
	bool ours;		/* our own Commit, echoed back and confirmed */
	bool removed_us;	/* we are removed: the group is now over */
	uint32_t *added;	/* new members, Add order, then an external */
	size_t n_added;		/* joiner */
	uint32_t *removed;
	size_t n_removed;
	/* members with a new LeafNode: Updates, a committer with a path */
	uint32_t *updated;
	size_t n_updated;
};

void mls_commit_summary_free(struct mls_commit_summary *s);

/*
 * The summary of our pending Commit (mls_group_commit), to use with
 * mls_group_confirm_commit; *out is overwritten, free it with
 * mls_commit_summary_free. MLS_ERR_INVALID_STATE when none is pending.
 */
int mls_group_pending_summary(const struct mls_group *g,
			      struct mls_commit_summary *out);

enum mls_message_kind {
	MLS_MESSAGE_PROPOSAL = 1,
	MLS_MESSAGE_COMMIT = 2,
	MLS_MESSAGE_APPLICATION = 3,
};

struct mls_processed {
	enum mls_message_kind kind;
	struct mls_sender sender;	/* a Commit's: see commit.committer */
	/* proposal: its ProposalRef (hash_len bytes) and type */
	uint8_t ref[MLS_MAX_HASH_LEN];
	uint16_t proposal_type;
	struct mls_bytes data;		/* application: the plaintext */
	uint64_t epoch;			/* the epoch it was sent in */
	struct mls_commit_summary commit;	/* commit */
};

/* Frees what *p holds (wiping the plaintext); *p is then all zero. */
void mls_processed_free(struct mls_processed *p);

/*
 * Take an incoming handshake or application message (PublicMessage or
 * PrivateMessage) of this group: a proposal is cached
 * (mls_group_cache_proposal), a Commit processed
 * (mls_group_process_commit, our own echoed one confirmed), application
 * data decrypted (mls_group_decrypt). *out says which, with what it
 * brought; it is overwritten, free it with mls_processed_free. A Commit
 * that removes us is a success here: out->commit.removed_us is set and
 * the group is over (mls_group_removed). Errors are those of the three
 * calls (MLS_ERR_INVALID_ARG for a Welcome, GroupInfo or KeyPackage,
 * MLS_ERR_REMOVED once the group is over), with the group unchanged and
 * *out all zero.
 */
int mls_group_process_message(struct mls_group *g, const struct mls_message *m,
			      struct mls_processed *out);

/* ---- the roster ---- */

/* A member as its leaf shows it; pointers into the group (see below). */
struct mls_member {
	uint32_t leaf;
	const struct mls_credential *credential;
	/* BasicCredential identity, or NULL (length 0) for another type */
	const uint8_t *identity;
	size_t identity_len;
	const uint8_t *signature_key;
	size_t signature_key_len;
	const uint8_t *encryption_key;	/* the leaf's HPKE key */
	size_t encryption_key_len;
};

/* Width of the tree in leaves: members are at leaves below this. */
uint32_t mls_group_leaf_count(const struct mls_group *g);

/*
 * The member at leaf, valid until the group next changes (a Commit
 * processed or confirmed, a load, free). MLS_ERR_NOT_FOUND for a blank
 * leaf or one outside the tree.
 */
int mls_group_member(const struct mls_group *g, uint32_t leaf,
		     struct mls_member *out);

/*
 * Every member, by leaf index: *members (free() it; the pointers in it
 * are views as above) and *count.
 */
int mls_group_roster(const struct mls_group *g, struct mls_member **members,
		     size_t *count);

/* ---- GroupInfo and external joins (§12.4.3.2) ---- */

/*
 * A signed GroupInfo of the current epoch as an MLSMessage, with the
 * external_pub extension (the epoch's external key, §8.3) so that a new
 * member can join by external Commit, and the ratchet_tree extension if
 * with_tree. Anyone holding it can join: hand it out as the application
 * wants members to be admitted. MLS_ERR_INVALID_STATE without a
 * signature key.
 */
int mls_group_export_group_info(const struct mls_group *g, bool with_tree,
				struct mls_bytes *msg);

#define MLS_MAX_EXTERNAL_JOIN_PSKS	64

struct mls_external_join_options {
	const struct mls_suite *suite;
	const struct mls_crypto *crypto;	/* copied; NULL: the OS */
	struct mls_signer signer;
	struct mls_lifetime lifetime;		/* of our leaf, as above */
	/* The tree out of band, or NULL to take the ratchet_tree extension. */
	const struct mls_ratchet_tree *ratchet_tree;
	/*
	 * Resync (§12.4.3.2): also Remove our old leaf old_leaf; members'
	 * validators see it as the leaf the new one replaces.
	 */
	bool remove_old_leaf;
	uint32_t old_leaf;
	/*
	 * External PSKs (§8.4) the Commit brings in, by psk_id: each becomes
	 * a PreSharedKey proposal with a fresh nonce, its secret found with
	 * psk_lookup (MLS_ERR_NOT_FOUND if it is not there). At most
	 * MLS_MAX_EXTERNAL_JOIN_PSKS (MLS_ERR_INVALID_ARG).
	 */
	const struct mls_bytes *external_psks;
	size_t n_external_psks;
	mls_psk_lookup_fn psk_lookup;
	void *psk_ctx;
	mls_clock_fn clock;
	void *clock_ctx;
	mls_credential_validate_fn validate_credential;
	void *validate_ctx;
	mls_credential_policy_fn credential_policy;
	void *credential_policy_ctx;
	const struct mls_group_policy *policy;	/* NULL: the defaults */
};

/*
 * Join by external Commit (§12.4.3.2) from a GroupInfo carrying
 * external_pub: validate the tree (and every credential in it), add
 * our leaf at the leftmost blank position, send an UpdatePath with an
 * ExternalInit proposal (and the Remove of our old leaf when asked).
 * *commit receives the MLSMessage (a PublicMessage from new_member_commit)
 * for the delivery service; *g is in the new epoch at once (if the
 * delivery service rejects the Commit, free *g and try again with a new
 * GroupInfo). *g is overwritten; on error it is zeroed. Errors:
 * MLS_ERR_VALIDATION (no external_pub, tree invalid, suite mismatch,
 * old_leaf not a member), MLS_ERR_BAD_SIGNATURE (GroupInfo),
 * MLS_ERR_BAD_KEY, the validator's error.
 */
int mls_group_join_external(struct mls_group *g,
			    const struct mls_external_join_options *o,
			    const struct mls_group_info *gi,
			    struct mls_bytes *commit);

/* ---- external senders (§12.1.8.1) ---- */

/*
 * A proposal (Add, Remove, PreSharedKey, ReInit or
 * GroupContextExtensions) from the external sender at index
 * sender_index of the group's external_senders extension, signed with
 * its key, as an MLSMessage (PublicMessage, sender type external) for
 * group g_context's current epoch. Members cache it with
 * mls_group_cache_proposal, which checks the signature against the
 * extension. MLS_ERR_INVALID_ARG for other proposal types.
 */
int mls_external_sender_propose(const struct mls_crypto *c,
				const struct mls_suite *s,
				const struct mls_group_context *context,
				uint32_t sender_index, const uint8_t *sig_priv,
				size_t sig_priv_len,
				const struct mls_proposal *p,
				struct mls_bytes *msg);

/*
 * A would-be member's own Add (§12.1.8, sender new_member_proposal) of its
 * KeyPackage (encoded, not MLSMessage-wrapped) to the group whose
 * GroupContext is context, as an MLSMessage PublicMessage signed with
 * sig_priv, the private half of the KeyPackage's leaf signature key.
 * Members accept it only if their policy does
 * (accept_new_member_proposals). MLS_ERR_VALIDATION when the KeyPackage
 * is of another suite than the group's or sig_priv is not its key;
 * decode errors for a malformed KeyPackage.
 */
int mls_new_member_propose(const struct mls_crypto *c,
			   const struct mls_suite *s,
			   const struct mls_group_context *context,
			   const uint8_t *sig_priv, size_t sig_priv_len,
			   const uint8_t *key_package, size_t key_package_len,
			   struct mls_bytes *msg);

/*
 * An external_senders extension (§12.1.8.1) listing count senders,
 * each a signature key and a basic credential with its identity. Free
 * out with mls_extension_free().
 */
int mls_external_senders_extension(const uint8_t *const *sig_pubs,
				   const size_t *sig_pub_lens,
				   const struct mls_bytes *identities,
				   size_t count, struct mls_extension *out);

/* ---- reinit, branch, resumption PSKs (§11.2, §11.3, §8.6) ---- */

/*
 * A ReInit proposal (§12.1.5) for the group's successor: its group_id,
 * version (not lower than the group's), suite (one libmls implements)
 * and GroupContext extensions (NULL: none). Once a Commit with it is
 * processed or confirmed the group is reinitialized: it sends nothing
 * (encrypt, propose, commit fail with MLS_ERR_INVALID_STATE), follows
 * no further Commit, and mls_group_reinit_pending reports the ReInit
 * until the group is freed. A Commit carries a ReInit alone (§12.2);
 * mls_group_commit prefers any other cached proposal to a cached ReInit.
 */
int mls_group_make_reinit(const struct mls_group *g, const uint8_t *group_id,
			  size_t group_id_len, uint16_t version,
			  uint16_t cipher_suite,
			  const struct mls_extension_list *extensions,
			  struct mls_proposal *out);
/* The committed ReInit of a reinitialized group, or NULL. */
const struct mls_reinit *mls_group_reinit_pending(const struct mls_group *g);

/*
 * A PreSharedKey proposal for the resumption_psk of a past epoch of this
 * group (usage application, §8.6) with a fresh nonce. The group keeps the
 * last MLS_GROUP_RESUMPTION_HISTORY epochs' PSKs (the current one
 * included): MLS_ERR_NOT_FOUND for any other epoch. A member that lacks
 * the epoch (it joined later) fails the Commit with MLS_ERR_NOT_FOUND.
 */
int mls_group_make_resumption_psk(struct mls_group *g, uint64_t epoch,
				  struct mls_proposal *out);

/*
 * What starting a group from an old one takes: how the new group is
 * created, and the KeyPackages (encoded, not MLSMessage-wrapped) of the
 * other members, in the new group's suite. Members are matched across
 * the groups by credential (the same encoded Credential, as basic
 * credentials and certificate chains survive a suite change).
 */
struct mls_group_resume_options {
	/*
	 * Reinit: suite may be NULL or must be the ReInit's; group_id and
	 * extensions must be left empty (the ReInit's are used). Branch:
	 * suite may be NULL or must be the old group's; group_id and
	 * extensions are the new group's. The signer's key is of the new
	 * group's suite and its credential the one we have in old.
	 */
	struct mls_group_create_options create;
	const struct mls_bytes *key_packages;
	size_t n_key_packages;
};

/*
 * §11.2 step 3: the successor of the reinitialized group old, with every
 * other member of old added from its KeyPackage (all of them, each
 * once, nobody else) and a PreSharedKey of usage reinit for old's
 * current epoch (the one its ReInit Commit made). *g is in epoch 1 at
 * once (nobody else can commit into a group of one); *welcome receives
 * the MLSMessage Welcome for the members, who join with
 * mls_group_join and resumption_group = their copy of old. *g is
 * overwritten (not freed); on error it is zeroed and old untouched.
 * Errors: MLS_ERR_NOT_REINITIALIZED, MLS_ERR_RESUMPTION_MEMBERS,
 * MLS_ERR_RESUMPTION_PARAMS, those of mls_group_create,
 * mls_group_make_add and mls_group_commit.
 */
int mls_group_reinit_create(struct mls_group *g, const struct mls_group *old,
			    const struct mls_group_resume_options *o,
			    struct mls_bytes *welcome);

/*
 * §11.3: a subgroup of old (same version and suite, a new group_id) with
 * us and the members whose KeyPackages are given (each a member of old,
 * each once), linked to old's current epoch by a PreSharedKey of usage
 * branch. As mls_group_reinit_create otherwise; old need not be
 * reinitialized and stays usable.
 */
int mls_group_branch(struct mls_group *g, const struct mls_group *old,
		     const struct mls_group_resume_options *o,
		     struct mls_bytes *welcome);

#endif
