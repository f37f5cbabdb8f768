// SPDX-License-Identifier: MIT
/* Message framing (RFC 9420 §6) and the MLSMessage envelope. */
#include <string.h>

#include "mls/msg_framing.h"

/* ---- Sender (§6) ---- */

void mls_sender_encode(struct mls_writer *w, const struct mls_sender *v)
{
	mls_write_u8(w, v->type);
	switch (v->type) {
	case MLS_SENDER_MEMBER:
	case MLS_SENDER_EXTERNAL:
		mls_write_u32(w, v->index);
		break;
	case MLS_SENDER_NEW_MEMBER_PROPOSAL:
	case MLS_SENDER_NEW_MEMBER_COMMIT:
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
}

int mls_sender_decode(struct mls_reader *r, struct mls_sender *v)
{
	memset(v, 0, sizeof(*v));
	if (mls_read_u8(r, &v->type))
		return r->err;
	switch (v->type) {
	case MLS_SENDER_MEMBER:
	case MLS_SENDER_EXTERNAL:
		mls_read_u32(r, &v->index);
		break;
	case MLS_SENDER_NEW_MEMBER_PROPOSAL:
	case MLS_SENDER_NEW_MEMBER_COMMIT:
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
	if (r->err)
		mls_sender_free(v);
	return r->err;
}

void mls_sender_free(struct mls_sender *v)
{
	memset(v, 0, sizeof(*v));
}

/* ---- the content select shared by FramedContent and PrivateMessageContent ---- */

static void content_body_encode(struct mls_writer *w,
				const struct mls_content *v)
{
	switch (v->type) {
	case MLS_CONTENT_APPLICATION:
		mls_write_opaque_bytes(w, &v->application_data);
		break;
	case MLS_CONTENT_PROPOSAL:
		mls_proposal_encode(w, &v->proposal);
		break;
	case MLS_CONTENT_COMMIT:
		mls_commit_encode(w, &v->commit);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
}

static void content_free(struct mls_content *v)
{
	mls_bytes_free_secret(&v->application_data);
	mls_proposal_free(&v->proposal);
	mls_commit_free(&v->commit);
	v->type = 0;
}

/* v->type must be set; only the body is read. */
static int content_body_decode(struct mls_reader *r, struct mls_content *v)
{
	switch (v->type) {
	case MLS_CONTENT_APPLICATION:
		mls_read_opaque(r, &v->application_data);
		break;
	case MLS_CONTENT_PROPOSAL:
		mls_proposal_decode(r, &v->proposal);
		break;
	case MLS_CONTENT_COMMIT:
		mls_commit_decode(r, &v->commit);
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
	return r->err;
}

/* ---- FramedContent (§6) ---- */

void mls_framed_content_encode(struct mls_writer *w,
			       const struct mls_framed_content *v)
{
	mls_write_opaque_bytes(w, &v->group_id);
	mls_write_u64(w, v->epoch);
	mls_sender_encode(w, &v->sender);
	mls_write_opaque_bytes(w, &v->authenticated_data);
	mls_write_u8(w, v->content.type);
	content_body_encode(w, &v->content);
}

/* §12.1.8.1: the proposal types an `external` sender may send. */
static bool external_may_propose(uint16_t type)
{
	switch (type) {
	case MLS_PROPOSAL_ADD:
	case MLS_PROPOSAL_REMOVE:
	case MLS_PROPOSAL_PSK:
	case MLS_PROPOSAL_REINIT:
	case MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS:
		return true;
	}
	return false;
}

int mls_framed_content_decode(struct mls_reader *r,
			      struct mls_framed_content *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->group_id);
	mls_read_u64(r, &v->epoch);
	mls_sender_decode(r, &v->sender);
	mls_read_opaque(r, &v->authenticated_data);
	if (!mls_read_u8(r, &v->content.type))
		content_body_decode(r, &v->content);
	if (!r->err && v->sender.type == MLS_SENDER_EXTERNAL &&
	    v->content.type == MLS_CONTENT_PROPOSAL &&
	    !external_may_propose(v->content.proposal.type))
		mls_reader_fail(r, MLS_ERR_DECODE);
	if (r->err)
		mls_framed_content_free(v);
	return r->err;
}

void mls_framed_content_free(struct mls_framed_content *v)
{
	mls_bytes_free(&v->group_id);
	mls_bytes_free(&v->authenticated_data);
	content_free(&v->content);
	memset(v, 0, sizeof(*v));
}

void mls_framed_content_encode_tbs(struct mls_writer *w, uint16_t wire_format,
				   const struct mls_framed_content *content,
				   const struct mls_group_context *group_context)
{
	mls_write_u16(w, MLS_PROTOCOL_MLS10);
	mls_write_u16(w, wire_format);
	mls_framed_content_encode(w, content);
	switch (content->sender.type) {
	case MLS_SENDER_MEMBER:
	case MLS_SENDER_NEW_MEMBER_COMMIT:
		if (!group_context) {
			mls_writer_fail(w, MLS_ERR_INVALID_ARG);
			return;
		}
		mls_group_context_encode(w, group_context);
		break;
	}
}

/* ---- FramedContentAuthData (§6.1) ---- */

void mls_framed_content_auth_data_encode(struct mls_writer *w,
		const struct mls_framed_content_auth_data *v,
		uint8_t content_type)
{
	mls_write_opaque_bytes(w, &v->signature);
	if (content_type == MLS_CONTENT_COMMIT)
		mls_write_opaque_bytes(w, &v->confirmation_tag);
}

int mls_framed_content_auth_data_decode(struct mls_reader *r,
		struct mls_framed_content_auth_data *v, uint8_t content_type)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->signature);
	if (content_type == MLS_CONTENT_COMMIT)
		mls_read_opaque(r, &v->confirmation_tag);
	if (r->err)
		mls_framed_content_auth_data_free(v);
	return r->err;
}

void mls_framed_content_auth_data_free(struct mls_framed_content_auth_data *v)
{
	mls_bytes_free(&v->signature);
	mls_bytes_free(&v->confirmation_tag);
}

/* ---- PublicMessage (§6.2) ---- */

void mls_public_message_encode(struct mls_writer *w,
			       const struct mls_public_message *v)
{
	mls_framed_content_encode(w, &v->content);
	mls_framed_content_auth_data_encode(w, &v->auth, v->content.content.type);
	if (v->content.sender.type == MLS_SENDER_MEMBER)
		mls_write_opaque_bytes(w, &v->membership_tag);
}

int mls_public_message_decode(struct mls_reader *r,
			      struct mls_public_message *v)
{
	memset(v, 0, sizeof(*v));
	mls_framed_content_decode(r, &v->content);
	mls_framed_content_auth_data_decode(r, &v->auth,
					    v->content.content.type);
	if (v->content.sender.type == MLS_SENDER_MEMBER)
		mls_read_opaque(r, &v->membership_tag);
	if (r->err)
		mls_public_message_free(v);
	return r->err;
}

void mls_public_message_free(struct mls_public_message *v)
{
	mls_framed_content_free(&v->content);
	mls_framed_content_auth_data_free(&v->auth);
	mls_bytes_free(&v->membership_tag);
}

/* ---- PrivateMessage (§6.3) ---- */

static bool content_type_known(uint8_t type)
{
	return type >= MLS_CONTENT_APPLICATION && type <= MLS_CONTENT_COMMIT;
}

void mls_private_message_encode(struct mls_writer *w,
				const struct mls_private_message *v)
{
	mls_write_opaque_bytes(w, &v->group_id);
	mls_write_u64(w, v->epoch);
	if (!content_type_known(v->content_type))
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	mls_write_u8(w, v->content_type);
	mls_write_opaque_bytes(w, &v->authenticated_data);
	mls_write_opaque_bytes(w, &v->encrypted_sender_data);
	mls_write_opaque_bytes(w, &v->ciphertext);
}

int mls_private_message_decode(struct mls_reader *r,
			       struct mls_private_message *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->group_id);
	mls_read_u64(r, &v->epoch);
	if (!mls_read_u8(r, &v->content_type) &&
	    !content_type_known(v->content_type))
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	mls_read_opaque(r, &v->authenticated_data);
	mls_read_opaque(r, &v->encrypted_sender_data);
	mls_read_opaque(r, &v->ciphertext);
	if (r->err)
		mls_private_message_free(v);
	return r->err;
}

void mls_private_message_free(struct mls_private_message *v)
{
	mls_bytes_free(&v->group_id);
	mls_bytes_free(&v->authenticated_data);
	mls_bytes_free(&v->encrypted_sender_data);
	mls_bytes_free(&v->ciphertext);
	memset(v, 0, sizeof(*v));
}

/* ---- PrivateMessageContent (§6.3.1) ---- */

void mls_private_message_content_encode(struct mls_writer *w,
		const struct mls_private_message_content *v)
{
	size_t i;

	content_body_encode(w, &v->content);
	mls_framed_content_auth_data_encode(w, &v->auth, v->content.type);
	for (i = 0; i < v->padding_len && !w->err; i++)
		mls_write_u8(w, 0);
}

int mls_private_message_content_decode(struct mls_reader *r,
		struct mls_private_message_content *v, uint8_t content_type)
{
	const uint8_t *pad;
	size_t i, n;

	memset(v, 0, sizeof(*v));
	v->content.type = content_type;
	content_body_decode(r, &v->content);
	mls_framed_content_auth_data_decode(r, &v->auth, content_type);
	n = mls_reader_remaining(r);
	if (!mls_read_view(r, n, &pad)) {
		for (i = 0; i < n; i++)
			if (pad[i]) {
				mls_reader_fail(r, MLS_ERR_DECODE);
				break;
			}
		v->padding_len = n;
	}
	if (r->err)
		mls_private_message_content_free(v);
	return r->err;
}

void mls_private_message_content_free(struct mls_private_message_content *v)
{
	content_free(&v->content);
	mls_framed_content_auth_data_free(&v->auth);
	v->padding_len = 0;
}

/* ---- SenderData (§6.3.2) ---- */

void mls_sender_data_encode(struct mls_writer *w,
			    const struct mls_sender_data *v)
{
	mls_write_u32(w, v->leaf_index);
	mls_write_u32(w, v->generation);
	mls_write_raw(w, v->reuse_guard, sizeof(v->reuse_guard));
}

int mls_sender_data_decode(struct mls_reader *r, struct mls_sender_data *v)
{
	mls_read_u32(r, &v->leaf_index);
	mls_read_u32(r, &v->generation);
	mls_read_raw(r, v->reuse_guard, sizeof(v->reuse_guard));
	if (r->err)
		mls_sender_data_free(v);
	return r->err;
}

void mls_sender_data_free(struct mls_sender_data *v)
{
	memset(v, 0, sizeof(*v));
}

/* ---- AuthenticatedContent (§6.1) ---- */

static bool framed_wire_format(uint16_t wf)
{
	return wf == MLS_WIRE_PUBLIC_MESSAGE || wf == MLS_WIRE_PRIVATE_MESSAGE;
}

void mls_authenticated_content_encode(struct mls_writer *w,
		const struct mls_authenticated_content *v)
{
	if (!framed_wire_format(v->wire_format))
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	mls_write_u16(w, v->wire_format);
	mls_framed_content_encode(w, &v->content);
	mls_framed_content_auth_data_encode(w, &v->auth, v->content.content.type);
}

int mls_authenticated_content_decode(struct mls_reader *r,
		struct mls_authenticated_content *v)
{
	memset(v, 0, sizeof(*v));
	if (!mls_read_u16(r, &v->wire_format) &&
	    !framed_wire_format(v->wire_format))
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	mls_framed_content_decode(r, &v->content);
	mls_framed_content_auth_data_decode(r, &v->auth,
					    v->content.content.type);
	if (r->err)
		mls_authenticated_content_free(v);
	return r->err;
}

void mls_authenticated_content_free(struct mls_authenticated_content *v)
{
	mls_framed_content_free(&v->content);
	mls_framed_content_auth_data_free(&v->auth);
	v->wire_format = 0;
}

/* ---- MLSMessage (§6) ---- */

void mls_message_encode(struct mls_writer *w, const struct mls_message *v)
{
	if (v->version != MLS_PROTOCOL_MLS10)
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	mls_write_u16(w, v->version);
	mls_write_u16(w, v->wire_format);
	switch (v->wire_format) {
	case MLS_WIRE_PUBLIC_MESSAGE:
		mls_public_message_encode(w, &v->public_message);
		break;
	case MLS_WIRE_PRIVATE_MESSAGE:
		mls_private_message_encode(w, &v->private_message);
		break;
	case MLS_WIRE_WELCOME:
		mls_welcome_encode(w, &v->welcome);
		break;
	case MLS_WIRE_GROUP_INFO:
		mls_group_info_encode(w, &v->group_info);
		break;
	case MLS_WIRE_KEY_PACKAGE:
		mls_key_package_encode(w, &v->key_package);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
}

int mls_message_decode(struct mls_reader *r, struct mls_message *v)
{
	memset(v, 0, sizeof(*v));
	if (mls_read_u16(r, &v->version) || mls_read_u16(r, &v->wire_format))
		goto out;
	if (v->version != MLS_PROTOCOL_MLS10) {
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
		goto out;
	}
	switch (v->wire_format) {
	case MLS_WIRE_PUBLIC_MESSAGE:
		mls_public_message_decode(r, &v->public_message);
		break;
	case MLS_WIRE_PRIVATE_MESSAGE:
		mls_private_message_decode(r, &v->private_message);
		break;
	case MLS_WIRE_WELCOME:
		mls_welcome_decode(r, &v->welcome);
		break;
	case MLS_WIRE_GROUP_INFO:
		mls_group_info_decode(r, &v->group_info);
		break;
	case MLS_WIRE_KEY_PACKAGE:
		mls_key_package_decode(r, &v->key_package);
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
out:
	if (r->err)
		mls_message_free(v);
	return r->err;
}

void mls_message_free(struct mls_message *v)
{
	mls_public_message_free(&v->public_message);
	mls_private_message_free(&v->private_message);
	mls_welcome_free(&v->welcome);
	mls_group_info_free(&v->group_info);
	mls_key_package_free(&v->key_package);
	v->version = 0;
	v->wire_format = 0;
}

MLS_DEFINE_WHOLE_CODEC(sender_data)
MLS_DEFINE_WHOLE_CODEC(authenticated_content)
MLS_DEFINE_WHOLE_CODEC(message)
