/* SPDX-License-Identifier: MIT */
/*
 * Message framing (RFC 9420 §6): Sender, FramedContent, auth data,
 * PublicMessage, PrivateMessage and its plaintext parts, and MLSMessage.
 *
 * Strictness: an MLSMessage of a version other than mls10 or of an
 * unregistered wire format, and unknown sender or content types, fail with
 * MLS_ERR_UNKNOWN_VALUE (their bodies cannot be parsed). A proposal from
 * an `external` sender of a type §12.1.8.1 does not allow fails with
 * MLS_ERR_DECODE ("MUST be rejected as malformed").
 */
#ifndef MLS_MSG_FRAMING_H
#define MLS_MSG_FRAMING_H

#include "mls/msg_group.h"
#include "mls/msg_keypackage.h"
#include "mls/msg_proposal.h"

enum mls_wire_format {
	MLS_WIRE_PUBLIC_MESSAGE = 1,
	MLS_WIRE_PRIVATE_MESSAGE = 2,
	MLS_WIRE_WELCOME = 3,
	MLS_WIRE_GROUP_INFO = 4,
	MLS_WIRE_KEY_PACKAGE = 5,
};

enum mls_content_type {
	MLS_CONTENT_APPLICATION = 1,
	MLS_CONTENT_PROPOSAL = 2,
	MLS_CONTENT_COMMIT = 3,
};

enum mls_sender_type {
	MLS_SENDER_MEMBER = 1,
	MLS_SENDER_EXTERNAL = 2,
	MLS_SENDER_NEW_MEMBER_PROPOSAL = 3,
	MLS_SENDER_NEW_MEMBER_COMMIT = 4,
};

struct mls_sender {
	uint8_t type;		/* enum mls_sender_type */
	uint32_t index;		/* leaf_index (member) or sender_index (external) */
};

/* The content union of FramedContent and PrivateMessageContent. */
struct mls_content {
	uint8_t type;		/* enum mls_content_type */
	struct mls_bytes application_data;	/* wiped on free */
	struct mls_proposal proposal;
	struct mls_commit commit;
};

struct mls_framed_content {
	struct mls_bytes group_id;
	uint64_t epoch;
	struct mls_sender sender;
	struct mls_bytes authenticated_data;
	struct mls_content content;
};

struct mls_framed_content_auth_data {
	struct mls_bytes signature;
	struct mls_bytes confirmation_tag;	/* commit only */
};

struct mls_public_message {
	struct mls_framed_content content;
	struct mls_framed_content_auth_data auth;
	struct mls_bytes membership_tag;	/* member senders only */
};

struct mls_private_message {
	struct mls_bytes group_id;
	uint64_t epoch;
	uint8_t content_type;	/* enum mls_content_type */
	struct mls_bytes authenticated_data;
	struct mls_bytes encrypted_sender_data;
	struct mls_bytes ciphertext;
};

/*
 * PrivateMessageContent (§6.3.1): the decrypted plaintext. Its layout
 * depends on PrivateMessage.content_type, given in content.type before
 * decoding. Padding must be all zero (§6.3.1, "MUST be rejected as
 * malformed"); padding_len zero bytes are appended on encode.
 */
struct mls_private_message_content {
	struct mls_content content;
	struct mls_framed_content_auth_data auth;
	size_t padding_len;
};

struct mls_sender_data {
	uint32_t leaf_index;
	uint32_t generation;
	uint8_t reuse_guard[4];
};

struct mls_authenticated_content {
	uint16_t wire_format;
	struct mls_framed_content content;
	struct mls_framed_content_auth_data auth;
};

struct mls_message {
	uint16_t version;	/* always MLS_PROTOCOL_MLS10 once decoded */
	uint16_t wire_format;	/* enum mls_wire_format */
	struct mls_public_message public_message;
	struct mls_private_message private_message;
	struct mls_welcome welcome;
	struct mls_group_info group_info;
	struct mls_key_package key_package;
};

MLS_DECLARE_CODEC(sender)
MLS_DECLARE_CODEC(framed_content)
MLS_DECLARE_CODEC(public_message)
MLS_DECLARE_CODEC(private_message)
MLS_DECLARE_CODEC(sender_data)
MLS_DECLARE_WHOLE_CODEC(sender_data)
MLS_DECLARE_CODEC(authenticated_content)
MLS_DECLARE_WHOLE_CODEC(authenticated_content)
MLS_DECLARE_CODEC(message)
MLS_DECLARE_WHOLE_CODEC(message)

/* The auth data's layout depends on the content type it authenticates. */
void mls_framed_content_auth_data_encode(struct mls_writer *w,
		const struct mls_framed_content_auth_data *v,
		uint8_t content_type);
int mls_framed_content_auth_data_decode(struct mls_reader *r,
		struct mls_framed_content_auth_data *v, uint8_t content_type);
void mls_framed_content_auth_data_free(struct mls_framed_content_auth_data *v);

void mls_private_message_content_encode(struct mls_writer *w,
		const struct mls_private_message_content *v);
/* Consumes the whole reader: everything after auth is padding. */
int mls_private_message_content_decode(struct mls_reader *r,
		struct mls_private_message_content *v, uint8_t content_type);
void mls_private_message_content_free(struct mls_private_message_content *v);

/*
 * FramedContentTBS (§6.1): group_context is required for member and
 * new_member_commit senders and ignored otherwise.
 */
void mls_framed_content_encode_tbs(struct mls_writer *w, uint16_t wire_format,
				   const struct mls_framed_content *content,
				   const struct mls_group_context *group_context);

#endif
