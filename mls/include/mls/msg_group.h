/* SPDX-License-Identifier: MIT */
/*
 * Group state on the wire: GroupContext (§8.1), GroupInfo (§12.4.3),
 * GroupSecrets, EncryptedGroupSecrets and Welcome (§12.4.3.1).
 */
#ifndef MLS_MSG_GROUP_H
#define MLS_MSG_GROUP_H

#include "mls/msg_common.h"

struct mls_group_context {
	uint16_t version;
	uint16_t cipher_suite;
	struct mls_bytes group_id;
	uint64_t epoch;
	struct mls_bytes tree_hash;
	struct mls_bytes confirmed_transcript_hash;
	struct mls_extension_list extensions;
};

struct mls_group_info {
	struct mls_group_context group_context;
	struct mls_extension_list extensions;
	struct mls_bytes confirmation_tag;
	uint32_t signer;
	struct mls_bytes signature;
};

/* joiner_secret and path_secret are wiped by mls_group_secrets_free(). */
struct mls_group_secrets {
	struct mls_bytes joiner_secret;
	bool has_path_secret;
	struct mls_bytes path_secret;
	struct mls_psk_id_list psks;
};

struct mls_encrypted_group_secrets {
	struct mls_bytes new_member;	/* KeyPackageRef */
	struct mls_hpke_ciphertext encrypted_group_secrets;
};

struct mls_welcome {
	uint16_t cipher_suite;
	struct mls_encrypted_group_secrets *secrets;
	size_t count;
	struct mls_bytes encrypted_group_info;
};

MLS_DECLARE_CODEC(group_context)
MLS_DECLARE_WHOLE_CODEC(group_context)
MLS_DECLARE_CODEC(group_info)
MLS_DECLARE_WHOLE_CODEC(group_info)
MLS_DECLARE_CODEC(group_secrets)
MLS_DECLARE_WHOLE_CODEC(group_secrets)
MLS_DECLARE_CODEC(encrypted_group_secrets)
MLS_DECLARE_CODEC(welcome)
MLS_DECLARE_WHOLE_CODEC(welcome)

/* GroupInfoTBS: every field of the GroupInfo above the signature. */
void mls_group_info_encode_tbs(struct mls_writer *w,
			       const struct mls_group_info *v);

#endif
