// SPDX-License-Identifier: MIT
/* Confirmed and interim transcript hashes (RFC 9420 §8.2). */
#include "mls/transcript.h"

/* Hash of what the writer holds; the writer is consumed. */
static int hash_written(const struct mls_suite *s, struct mls_writer *w,
			uint8_t *out)
{
	struct mls_bytes input = { NULL, 0 };
	int err;

	err = mls_writer_finish(w, &input);
	if (!err)
		err = mls_hash(s, input.data, input.len, out);
	mls_bytes_free(&input);
	return err;
}

int mls_confirmed_transcript_hash(const struct mls_suite *s,
				  const uint8_t *interim_before,
				  size_t interim_len,
				  const struct mls_authenticated_content *ac,
				  uint8_t *out)
{
	struct mls_writer w;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!ac || !out || (!interim_before && interim_len) ||
	    ac->content.content.type != MLS_CONTENT_COMMIT)
		return MLS_ERR_INVALID_ARG;
	mls_writer_init(&w);
	mls_write_raw(&w, interim_before, interim_len);
	mls_write_u16(&w, ac->wire_format);
	mls_framed_content_encode(&w, &ac->content);
	mls_write_opaque_bytes(&w, &ac->auth.signature);
	return hash_written(s, &w, out);
}

int mls_interim_transcript_hash(const struct mls_suite *s,
				const uint8_t *confirmed, size_t confirmed_len,
				const uint8_t *confirmation_tag,
				size_t tag_len, uint8_t *out)
{
	struct mls_writer w;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!out || (!confirmed && confirmed_len) ||
	    (!confirmation_tag && tag_len))
		return MLS_ERR_INVALID_ARG;
	mls_writer_init(&w);
	mls_write_raw(&w, confirmed, confirmed_len);
	mls_write_opaque(&w, confirmation_tag, tag_len);
	return hash_written(s, &w, out);
}
