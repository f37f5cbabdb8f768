// SPDX-License-Identifier: MIT
/*
 * transcript-hashes.json: the confirmation tag of a Commit and the
 * confirmed/interim transcript hashes after it (RFC 9420 §8.2).
 */
#include <string.h>

#include "mls/key_schedule.h"
#include "mls/transcript.h"
#include "vectors.h"

struct th_inputs {
	struct mls_bytes confirmation_key;
	struct mls_bytes content;
	struct mls_bytes interim_before;
	struct mls_bytes confirmed_after;
	struct mls_bytes interim_after;
	struct mls_authenticated_content ac;
};

static void free_inputs(struct th_inputs *in)
{
	mls_bytes_free(&in->confirmation_key);
	mls_bytes_free(&in->content);
	mls_bytes_free(&in->interim_before);
	mls_bytes_free(&in->confirmed_after);
	mls_bytes_free(&in->interim_after);
	mls_authenticated_content_free(&in->ac);
}

static int load_inputs(const struct mls_suite *s, const json_t *tc,
		       struct th_inputs *in, struct vec_report *rep)
{
	int err;

	memset(in, 0, sizeof(*in));
	if (vec_get_hex(rep, tc, "confirmation_key", &in->confirmation_key) ||
	    vec_get_hex(rep, tc, "authenticated_content", &in->content) ||
	    vec_get_hex(rep, tc, "interim_transcript_hash_before",
			&in->interim_before) ||
	    vec_get_hex(rep, tc, "confirmed_transcript_hash_after",
			&in->confirmed_after) ||
	    vec_get_hex(rep, tc, "interim_transcript_hash_after",
			&in->interim_after))
		return -1;
	if (in->confirmation_key.len != s->hash_len)
		return vec_fail(rep, "confirmation_key not Nh bytes");
	err = mls_authenticated_content_from_bytes(in->content.data,
						   in->content.len, &in->ac);
	if (err)
		return vec_fail(rep, "authenticated_content: %s",
				mls_strerror(err));
	return 0;
}

/* The tag is checked through the epoch API, as a member would. */
static int check_tag(const struct mls_suite *s, const struct th_inputs *in,
		     struct vec_report *rep)
{
	const struct mls_bytes *tag = &in->ac.auth.confirmation_tag;
	struct mls_epoch_secrets e;
	int err;

	memset(&e, 0, sizeof(e));
	e.suite = s;
	memcpy(e.confirmation_key, in->confirmation_key.data, s->hash_len);
	err = mls_confirmation_tag_verify(&e, in->confirmed_after.data,
					  in->confirmed_after.len, tag->data,
					  tag->len);
	mls_epoch_secrets_free(&e);
	if (err)
		return vec_fail(rep, "confirmation tag: %s", mls_strerror(err));
	return 0;
}

static int check_hashes(const struct mls_suite *s, const struct th_inputs *in,
			struct vec_report *rep)
{
	const struct mls_bytes *tag = &in->ac.auth.confirmation_tag;
	uint8_t confirmed[MLS_MAX_HASH_LEN], interim[MLS_MAX_HASH_LEN];
	int err;

	err = mls_confirmed_transcript_hash(s, in->interim_before.data,
					    in->interim_before.len, &in->ac,
					    confirmed);
	if (err)
		return vec_fail(rep, "confirmed hash: %s", mls_strerror(err));
	if (vec_expect_bytes(rep, "confirmed_transcript_hash_after",
			     confirmed, s->hash_len, &in->confirmed_after))
		return -1;
	err = mls_interim_transcript_hash(s, confirmed, s->hash_len,
					  tag->data, tag->len, interim);
	if (err)
		return vec_fail(rep, "interim hash: %s", mls_strerror(err));
	return vec_expect_bytes(rep, "interim_transcript_hash_after", interim,
				s->hash_len, &in->interim_after);
}

int vec_run_transcript_hashes(const json_t *tc, struct vec_report *rep)
{
	const struct mls_suite *s;
	struct th_inputs in;
	uint64_t suite;
	int ret = -1;

	if (vec_get_uint(rep, tc, "cipher_suite", &suite))
		return -1;
	s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!s)
		return vec_fail(rep, "cipher suite %llu: %s",
				(unsigned long long)suite,
				mls_strerror(MLS_ERR_UNSUPPORTED_SUITE));
	if (!load_inputs(s, tc, &in, rep) && !check_hashes(s, &in, rep) &&
	    !check_tag(s, &in, rep))
		ret = 0;
	free_inputs(&in);
	return ret;
}
