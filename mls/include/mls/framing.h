/* SPDX-License-Identifier: MIT */
/*
 * Message protection (RFC 9420 §6): signing and MACing PublicMessages,
 * encrypting and decrypting PrivateMessages, and turning either back into
 * a verified AuthenticatedContent.
 *
 * Every input is explicit (struct mls_framing_ctx): this layer holds no
 * group state. The caller picks the epoch's context from the message's
 * group_id and epoch; the framing functions then insist that they match.
 *
 * Errors on receipt, so a caller can tell what went wrong:
 *  MLS_ERR_VALIDATION	group_id differs from the context, or a
 *			PublicMessage carries application data (§6.2)
 *  MLS_ERR_OLD_EPOCH	the message's epoch is before the context's
 *  MLS_ERR_FUTURE_EPOCH	the message's epoch is after the context's
 *  MLS_ERR_AUTH		membership tag, sender-data or content AEAD failed
 *  MLS_ERR_BAD_SIGNATURE	the FramedContentTBS signature does not verify
 *  MLS_ERR_DECODE	plaintext malformed, including non-zero padding
 *  MLS_ERR_GENERATION	key generation consumed, evicted or too far ahead
 *  MLS_ERR_NOT_FOUND	no signature key for the sender, or leaf outside
 *			the secret tree
 * A message that fails leaves the secret tree as it was: its key stays
 * available for the genuine message of that generation.
 */
#ifndef MLS_FRAMING_H
#define MLS_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "mls/messages.h"
#include "mls/secret_tree.h"

/*
 * The signature public key of the sender of `content` (for a
 * new_member_commit it is in the commit's path), or NULL if there is none.
 * The key must stay valid until the unprotect call returns.
 */
typedef const uint8_t *(*mls_framing_signer_key_fn)(void *arg,
		const struct mls_framed_content *content, size_t *key_len);

struct mls_framing_ctx {
	const struct mls_suite *suite;
	const struct mls_crypto *crypto;	/* randomness; NULL: default */
	/* TLS-encoded GroupContext of the message's epoch */
	const uint8_t *group_context;
	size_t group_context_len;
	/* PublicMessage from members (§6.2) */
	const uint8_t *membership_key;
	size_t membership_key_len;
	/* PrivateMessage (§6.3) */
	const uint8_t *sender_data_secret;
	size_t sender_data_secret_len;
	struct mls_secret_tree *secret_tree;
	/*
	 * Pad each PrivateMessageContent with zeros to a multiple of this
	 * many bytes (0 or 1: no padding), hiding exact lengths (§6.3.1).
	 */
	size_t padding_block;
	/* Receiving: where signature keys come from. */
	mls_framing_signer_key_fn signer_key;
	void *signer_key_arg;
};

/*
 * Sign (and, for member senders, MAC) content into an encoded MLSMessage
 * holding a PublicMessage. content->group_id and epoch must match the
 * context. confirmation_tag is required for commits and ignored
 * otherwise. Application data is refused with MLS_ERR_VALIDATION (§6.2).
 */
int mls_framing_protect_public(const struct mls_framing_ctx *ctx,
			       const struct mls_framed_content *content,
			       const uint8_t *sig_priv, size_t sig_priv_len,
			       const struct mls_bytes *confirmation_tag,
			       struct mls_bytes *mls_message);

/* Verify a PublicMessage and return its content (wire_format public). */
int mls_framing_unprotect_public(const struct mls_framing_ctx *ctx,
				 const struct mls_public_message *msg,
				 struct mls_authenticated_content *out);

/*
 * Sign and encrypt content into an encoded MLSMessage holding a
 * PrivateMessage. The sender must be a member (MLS_ERR_INVALID_ARG
 * otherwise); its next key of the ratchet for the content type is consumed.
 */
int mls_framing_protect_private(const struct mls_framing_ctx *ctx,
				const struct mls_framed_content *content,
				const uint8_t *sig_priv, size_t sig_priv_len,
				const struct mls_bytes *confirmation_tag,
				struct mls_bytes *mls_message);

/*
 * Decrypt and verify a PrivateMessage; its key is consumed only once
 * everything has checked out.
 */
int mls_framing_unprotect_private(const struct mls_framing_ctx *ctx,
				  const struct mls_private_message *msg,
				  struct mls_authenticated_content *out);

/*
 * The encryption step on its own: encrypt an already encoded
 * PrivateMessageContent as generation-next content of `sender_leaf`,
 * with the header fields of `header` (group_id, epoch, content_type,
 * authenticated_data), filling header->encrypted_sender_data and
 * header->ciphertext. For tests and fuzzers that need a well-encrypted
 * but otherwise arbitrary plaintext.
 */
int mls_framing_encrypt_content(const struct mls_framing_ctx *ctx,
				uint32_t sender_leaf,
				const uint8_t *plaintext, size_t plaintext_len,
				struct mls_private_message *header);

#endif
