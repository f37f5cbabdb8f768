/* SPDX-License-Identifier: MIT */
/* KeyPackage (RFC 9420 §10). */
#ifndef MLS_MSG_KEYPACKAGE_H
#define MLS_MSG_KEYPACKAGE_H

#include "mls/msg_tree.h"

struct mls_key_package {
	uint16_t version;		/* enum mls_protocol_version */
	uint16_t cipher_suite;
	struct mls_bytes init_key;
	struct mls_leaf_node leaf_node;
	struct mls_extension_list extensions;
	struct mls_bytes signature;
};

MLS_DECLARE_CODEC(key_package)
MLS_DECLARE_WHOLE_CODEC(key_package)

/* KeyPackageTBS: every field but the signature. */
void mls_key_package_encode_tbs(struct mls_writer *w,
				const struct mls_key_package *v);

#endif
