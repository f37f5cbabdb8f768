/* SPDX-License-Identifier: MIT */
/*
 * Proposals and Commit (RFC 9420 §12). Proposal bodies have no length
 * prefix, so a proposal of an unknown type cannot be skipped: decoding it
 * fails with MLS_ERR_UNKNOWN_VALUE, as §13.5 expects ("an unsupported value
 * [in Proposal.proposal_type] will cause the enclosing message to be
 * rejected").
 */
#ifndef MLS_MSG_PROPOSAL_H
#define MLS_MSG_PROPOSAL_H

#include "mls/crypto.h"
#include "mls/msg_keypackage.h"

enum mls_proposal_type {
	MLS_PROPOSAL_ADD = 1,
	MLS_PROPOSAL_UPDATE = 2,
	MLS_PROPOSAL_REMOVE = 3,
	MLS_PROPOSAL_PSK = 4,
	MLS_PROPOSAL_REINIT = 5,
	MLS_PROPOSAL_EXTERNAL_INIT = 6,
	MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS = 7,
};

enum mls_proposal_or_ref_type {
	MLS_PROPOSAL_OR_REF_PROPOSAL = 1,
	MLS_PROPOSAL_OR_REF_REFERENCE = 2,
};

struct mls_add {
	struct mls_key_package key_package;
	/*
	 * Not on the wire: mls_group_make_add notes here the suite and the
	 * KeyPackageRef of the KeyPackage it validated, so committing that
	 * same KeyPackage need not verify its signatures again. Any change
	 * to the KeyPackage changes its ref; decoding clears the note.
	 */
	uint16_t validated_suite;
	uint8_t validated_ref[MLS_MAX_HASH_LEN];
};

struct mls_update {
	struct mls_leaf_node leaf_node;
};

struct mls_remove {
	uint32_t removed;
};

struct mls_pre_shared_key {
	struct mls_psk_id psk;
};

struct mls_reinit {
	struct mls_bytes group_id;
	uint16_t version;
	uint16_t cipher_suite;
	struct mls_extension_list extensions;
};

struct mls_external_init {
	struct mls_bytes kem_output;
};

struct mls_group_context_extensions {
	struct mls_extension_list extensions;
};

/* Only the member named by type is meaningful; the others stay zeroed. */
struct mls_proposal {
	uint16_t type;			/* enum mls_proposal_type */
	struct mls_add add;
	struct mls_update update;
	struct mls_remove remove;
	struct mls_pre_shared_key psk;
	struct mls_reinit reinit;
	struct mls_external_init external_init;
	struct mls_group_context_extensions group_context_extensions;
};

struct mls_proposal_or_ref {
	uint8_t type;			/* enum mls_proposal_or_ref_type */
	struct mls_proposal proposal;
	struct mls_bytes reference;	/* ProposalRef */
};

struct mls_commit {
	struct mls_proposal_or_ref *proposals;
	size_t count;
	bool has_path;
	struct mls_update_path path;
};

MLS_DECLARE_CODEC(add)
MLS_DECLARE_CODEC(update)
MLS_DECLARE_CODEC(remove)
MLS_DECLARE_CODEC(pre_shared_key)
MLS_DECLARE_CODEC(reinit)
MLS_DECLARE_CODEC(external_init)
MLS_DECLARE_CODEC(group_context_extensions)
MLS_DECLARE_CODEC(proposal)
MLS_DECLARE_CODEC(proposal_or_ref)
MLS_DECLARE_CODEC(commit)

MLS_DECLARE_WHOLE_CODEC(add)
MLS_DECLARE_WHOLE_CODEC(update)
MLS_DECLARE_WHOLE_CODEC(remove)
MLS_DECLARE_WHOLE_CODEC(pre_shared_key)
MLS_DECLARE_WHOLE_CODEC(reinit)
MLS_DECLARE_WHOLE_CODEC(external_init)
MLS_DECLARE_WHOLE_CODEC(group_context_extensions)
MLS_DECLARE_WHOLE_CODEC(proposal)
MLS_DECLARE_WHOLE_CODEC(commit)

#endif
