/* SPDX-License-Identifier: MIT */
/*
 * Transcript hashes (RFC 9420 §8.2):
 *
 *   confirmed[n] = Hash(interim[n-1] || ConfirmedTranscriptHashInput[n])
 *   interim[n]   = Hash(confirmed[n] || InterimTranscriptHashInput[n])
 *
 * ConfirmedTranscriptHashInput is (wire_format, FramedContent, signature)
 * of the AuthenticatedContent that holds the Commit; InterimTranscript-
 * HashInput is its confirmation_tag<V>. Both start empty at epoch 0.
 * Outputs are hash_len bytes.
 */
#ifndef MLS_TRANSCRIPT_H
#define MLS_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "mls/msg_framing.h"

/* MLS_ERR_INVALID_ARG if ac does not carry a Commit. */
int mls_confirmed_transcript_hash(const struct mls_suite *s,
				  const uint8_t *interim_before,
				  size_t interim_len,
				  const struct mls_authenticated_content *ac,
				  uint8_t *out);

int mls_interim_transcript_hash(const struct mls_suite *s,
				const uint8_t *confirmed, size_t confirmed_len,
				const uint8_t *confirmation_tag,
				size_t tag_len, uint8_t *out);

#endif
