// SPDX-License-Identifier: MIT
#include <string.h>

#include "mls/messages.h"
#include "msg_roundtrip.h"

#define ROUNDTRIP(T)							\
	static int roundtrip_##T(const uint8_t *in, size_t len,		\
				 struct mls_bytes *out)			\
	{								\
		struct mls_##T v;					\
		int err = mls_##T##_from_bytes(in, len, &v);		\
									\
		out->data = NULL;					\
		out->len = 0;						\
		if (err)						\
			return err;					\
		err = mls_##T##_to_bytes(&v, out);			\
		mls_##T##_free(&v);					\
		return err;						\
	}

/* An MLSMessage for which ok (an expression of v) holds. */
#define ROUNDTRIP_IF(fn, ok)						\
	static int roundtrip_##fn(const uint8_t *in, size_t len,	\
				  struct mls_bytes *out)		\
	{								\
		struct mls_message v;					\
		int err = mls_message_from_bytes(in, len, &v);		\
									\
		out->data = NULL;					\
		out->len = 0;						\
		if (err)						\
			return err;					\
		if (!(ok))						\
			err = MLS_ERR_UNKNOWN_VALUE;			\
		else							\
			err = mls_message_to_bytes(&v, out);		\
		mls_message_free(&v);					\
		return err;						\
	}

/* ... of the given wire format */
#define ROUNDTRIP_WIRE(fn, wire) ROUNDTRIP_IF(fn, v.wire_format == (wire))
/* ... a PublicMessage of the given content type */
#define ROUNDTRIP_PUBLIC(fn, ctype)					\
	ROUNDTRIP_IF(fn, v.wire_format == MLS_WIRE_PUBLIC_MESSAGE &&	\
		     v.public_message.content.content.type == (ctype))

ROUNDTRIP(ratchet_tree)
ROUNDTRIP(group_secrets)
ROUNDTRIP(add)
ROUNDTRIP(update)
ROUNDTRIP(remove)
ROUNDTRIP(pre_shared_key)
ROUNDTRIP(reinit)
ROUNDTRIP(external_init)
ROUNDTRIP(group_context_extensions)
ROUNDTRIP(commit)
ROUNDTRIP_WIRE(welcome, MLS_WIRE_WELCOME)
ROUNDTRIP_WIRE(group_info, MLS_WIRE_GROUP_INFO)
ROUNDTRIP_WIRE(key_package, MLS_WIRE_KEY_PACKAGE)
ROUNDTRIP_PUBLIC(public_application, MLS_CONTENT_APPLICATION)
ROUNDTRIP_PUBLIC(public_proposal, MLS_CONTENT_PROPOSAL)
ROUNDTRIP_PUBLIC(public_commit, MLS_CONTENT_COMMIT)
ROUNDTRIP_WIRE(private_message, MLS_WIRE_PRIVATE_MESSAGE)

const struct msg_kind msg_kinds[] = {
	{ "mls_welcome", roundtrip_welcome },
	{ "mls_group_info", roundtrip_group_info },
	{ "mls_key_package", roundtrip_key_package },
	{ "ratchet_tree", roundtrip_ratchet_tree },
	{ "group_secrets", roundtrip_group_secrets },
	{ "add_proposal", roundtrip_add },
	{ "update_proposal", roundtrip_update },
	{ "remove_proposal", roundtrip_remove },
	{ "pre_shared_key_proposal", roundtrip_pre_shared_key },
	{ "re_init_proposal", roundtrip_reinit },
	{ "external_init_proposal", roundtrip_external_init },
	{ "group_context_extensions_proposal", roundtrip_group_context_extensions },
	{ "commit", roundtrip_commit },
	{ "public_message_application", roundtrip_public_application },
	{ "public_message_proposal", roundtrip_public_proposal },
	{ "public_message_commit", roundtrip_public_commit },
	{ "private_message", roundtrip_private_message },
};

const size_t msg_kinds_count = sizeof(msg_kinds) / sizeof(msg_kinds[0]);

const struct msg_kind *msg_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < msg_kinds_count; i++)
		if (strcmp(msg_kinds[i].name, name) == 0)
			return &msg_kinds[i];
	return NULL;
}
