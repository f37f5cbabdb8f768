// SPDX-License-Identifier: MIT
/*
 * Key schedule API behaviour beyond the official vectors: member and
 * joiner paths agree, NULL means the zero vector, the exporter separates
 * labels, contexts and lengths, secrets are wiped, bad input is refused
 * with the output left zeroed; and the transcript hash input rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mls/key_schedule.h"
#include "mls/transcript.h"

static const uint8_t zeros[MLS_MAX_HASH_LEN];

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static void make_context(const struct mls_suite *s, uint64_t epoch,
			 struct mls_group_context *gc)
{
	uint8_t h[MLS_MAX_HASH_LEN];

	memset(gc, 0, sizeof(*gc));
	memset(h, 0x3c, sizeof(h));
	gc->version = MLS_PROTOCOL_MLS10;
	gc->cipher_suite = s->id;
	gc->epoch = epoch;
	assert_int_equal(mls_bytes_set(&gc->group_id, "gid", 3), 0);
	assert_int_equal(mls_bytes_set(&gc->tree_hash, h, s->hash_len), 0);
	assert_int_equal(mls_bytes_set(&gc->confirmed_transcript_hash, h,
				       s->hash_len), 0);
}

static void make_epoch(uint16_t id, uint64_t epoch_no,
		       struct mls_epoch_secrets *e)
{
	const struct mls_suite *s = mls_suite_get(id);
	uint8_t init[MLS_MAX_HASH_LEN];
	struct mls_group_context gc;

	memset(init, 0x17, sizeof(init));
	make_context(s, epoch_no, &gc);
	assert_int_equal(mls_key_schedule_advance(s, init, NULL, NULL, &gc, e,
						  NULL), 0);
	mls_group_context_free(&gc);
}

static void test_member_and_joiner_agree(void **state)
{
	uint8_t init[MLS_MAX_HASH_LEN], commit[MLS_MAX_HASH_LEN];
	struct mls_epoch_secrets member, joiner, zeroed;
	struct mls_group_context gc;
	struct mls_epoch_join j;
	uint16_t id;

	memset(init, 0x01, sizeof(init));
	memset(commit, 0x02, sizeof(commit));
	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = mls_suite_get(id);

		make_context(s, 1, &gc);
		assert_int_equal(mls_key_schedule_advance(s, init, commit,
							  NULL, &gc, &member,
							  &j), 0);
		assert_int_equal(mls_key_schedule_from_joiner(s,
				j.joiner_secret, NULL, &gc, &joiner), 0);
		assert_memory_equal(&member, &joiner, sizeof(member));
		/* NULL stands for the zero vector, nothing else */
		assert_int_equal(mls_key_schedule_advance(s, init, zeros,
							  zeros, &gc, &zeroed,
							  NULL), 0);
		assert_memory_not_equal(&zeroed, &member, sizeof(member));
		assert_int_equal(mls_key_schedule_from_joiner(s,
				j.joiner_secret, zeros, &gc, &zeroed), 0);
		assert_memory_equal(&zeroed, &member, sizeof(member));
		mls_epoch_secrets_free(&member);
		mls_epoch_secrets_free(&joiner);
		mls_epoch_secrets_free(&zeroed);
		mls_epoch_join_wipe(&j);
		mls_group_context_free(&gc);
	}
}

static void test_group_context_binds_secrets(void **state)
{
	struct mls_epoch_secrets a, b;

	make_epoch(1, 1, &a);
	make_epoch(1, 2, &b);
	assert_memory_not_equal(a.exporter_secret, b.exporter_secret, 32);
	assert_memory_not_equal(a.init_secret, b.init_secret, 32);
	mls_epoch_secrets_free(&a);
	mls_epoch_secrets_free(&b);
}

static void test_bad_input_leaves_output_zeroed(void **state)
{
	const struct mls_suite *s = mls_suite_get(1);
	uint8_t init[MLS_MAX_HASH_LEN];
	struct mls_epoch_secrets e;
	struct mls_group_context gc;
	struct mls_epoch_join j;

	memset(init, 0x01, sizeof(init));
	make_context(s, 1, &gc);
	gc.cipher_suite = 2;	/* GroupContext of another suite */
	memset(&e, 0xa5, sizeof(e));
	memset(&j, 0xa5, sizeof(j));
	assert_int_equal(mls_key_schedule_advance(s, init, NULL, NULL, &gc,
						  &e, &j),
			 MLS_ERR_INVALID_ARG);
	assert_true(all_zero(&e, sizeof(e)));
	assert_true(all_zero(&j, sizeof(j)));
	memset(&e, 0xa5, sizeof(e));
	assert_int_equal(mls_key_schedule_from_joiner(s, init, NULL, &gc, &e),
			 MLS_ERR_INVALID_ARG);
	assert_true(all_zero(&e, sizeof(e)));
	assert_int_equal(mls_key_schedule_advance(NULL, init, NULL, NULL, &gc,
						  &e, NULL),
			 MLS_ERR_UNSUPPORTED_SUITE);
	assert_int_equal(mls_key_schedule_advance(s, NULL, NULL, NULL, &gc,
						  &e, NULL),
			 MLS_ERR_INVALID_ARG);
	mls_group_context_free(&gc);
}

/* ExpandWithLabel(DeriveSecret(exporter_secret, L), "exported", Hash(C), n) */
static void test_exporter_formula(void **state)
{
	static const uint8_t ctx[] = { 0, 0, 0, 5 };
	uint8_t derived[64], hashed[64], want[48], got[48];
	struct mls_epoch_secrets e;
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = mls_suite_get(id);

		make_epoch(id, 3, &e);
		assert_int_equal(mls_derive_secret(s, e.exporter_secret,
						   s->hash_len,
						   "mlsdco v1 key", derived),
				 0);
		assert_int_equal(mls_hash(s, ctx, sizeof(ctx), hashed), 0);
		assert_int_equal(mls_expand_with_label(s, derived,
						       s->hash_len,
						       "exported", hashed,
						       s->hash_len, want,
						       sizeof(want)), 0);
		assert_int_equal(mls_epoch_export(&e, "mlsdco v1 key", ctx,
						  sizeof(ctx), got,
						  sizeof(got)), 0);
		assert_memory_equal(got, want, sizeof(want));
		mls_epoch_secrets_free(&e);
	}
}

static void test_exporter_separates_inputs(void **state)
{
	static const uint8_t c1[] = { 0, 0, 0, 1 }, c2[] = { 0, 0, 0, 2 };
	uint8_t base[32], other[32], longer[64];
	struct mls_epoch_secrets e, next;

	make_epoch(1, 1, &e);
	make_epoch(1, 2, &next);
	assert_int_equal(mls_epoch_export(&e, "key", c1, 4, base, 32), 0);
	assert_int_equal(mls_epoch_export(&e, "key", c1, 4, other, 32), 0);
	assert_memory_equal(base, other, 32);
	assert_int_equal(mls_epoch_export(&e, "nonce", c1, 4, other, 32), 0);
	assert_memory_not_equal(base, other, 32);
	assert_int_equal(mls_epoch_export(&e, "key", c2, 4, other, 32), 0);
	assert_memory_not_equal(base, other, 32);
	assert_int_equal(mls_epoch_export(&e, "key", NULL, 0, other, 32), 0);
	assert_memory_not_equal(base, other, 32);
	/* the length is in the KDF label: a longer output is no extension */
	assert_int_equal(mls_epoch_export(&e, "key", c1, 4, longer, 64), 0);
	assert_memory_not_equal(base, longer, 32);
	assert_int_equal(mls_epoch_export(&next, "key", c1, 4, other, 32), 0);
	assert_memory_not_equal(base, other, 32);
	assert_int_equal(mls_epoch_export(&e, "key", NULL, 4, other, 32),
			 MLS_ERR_INVALID_ARG);
	mls_epoch_secrets_free(&e);
	/* a freed epoch exports nothing */
	assert_int_equal(mls_epoch_export(&e, "key", c1, 4, other, 32),
			 MLS_ERR_INVALID_ARG);
	mls_epoch_secrets_free(&next);
}

static void test_wiping(void **state)
{
	struct mls_epoch_secrets e;
	struct mls_epoch_join j;

	make_epoch(4, 1, &e);
	assert_false(all_zero(e.encryption_secret, 64));
	mls_epoch_secrets_drop_encryption_secret(&e);
	assert_true(all_zero(e.encryption_secret, sizeof(e.encryption_secret)));
	assert_false(all_zero(e.exporter_secret, 64));
	assert_false(all_zero(e.init_secret, 64));
	mls_epoch_secrets_free(&e);
	assert_true(all_zero(&e, sizeof(e)));
	memset(&j, 0x77, sizeof(j));
	mls_epoch_join_wipe(&j);
	assert_true(all_zero(&j, sizeof(j)));
	mls_epoch_secrets_free(NULL);
}

static void test_confirmation_tag(void **state)
{
	uint8_t cth[32], tag[32];
	struct mls_epoch_secrets e;

	memset(cth, 0x99, sizeof(cth));
	make_epoch(1, 1, &e);
	assert_int_equal(mls_confirmation_tag(&e, cth, 32, tag), 0);
	assert_int_equal(mls_confirmation_tag_verify(&e, cth, 32, tag, 32), 0);
	assert_int_equal(mls_confirmation_tag_verify(&e, cth, 32, tag, 31),
			 MLS_ERR_AUTH);
	tag[31] ^= 1;
	assert_int_equal(mls_confirmation_tag_verify(&e, cth, 32, tag, 32),
			 MLS_ERR_AUTH);
	tag[31] ^= 1;
	cth[0] ^= 1;
	assert_int_equal(mls_confirmation_tag_verify(&e, cth, 32, tag, 32),
			 MLS_ERR_AUTH);
	mls_epoch_secrets_free(&e);
}

static void test_external_keypair(void **state)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	uint8_t pub2[MLS_MAX_KEM_PUB_LEN];
	struct mls_epoch_secrets e;
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = mls_suite_get(id);

		make_epoch(id, 1, &e);
		assert_int_equal(mls_epoch_external_keypair(&e, priv, pub), 0);
		assert_int_equal(mls_kem_pub_from_priv(s, priv,
						       s->kem_priv_len, pub2),
				 0);
		assert_memory_equal(pub, pub2, s->kem_pub_len);
		mls_epoch_secrets_free(&e);
		mls_wipe(priv, sizeof(priv));
	}
}

/* interim = Hash(confirmed || tag<V>), checked on hand-made bytes */
static void test_interim_hash_encoding(void **state)
{
	static const uint8_t confirmed[] = { 0xc0, 0xff, 0xee };
	static const uint8_t tag[] = { 0xaa, 0xbb };
	static const uint8_t input[] = { 0xc0, 0xff, 0xee, 0x02, 0xaa, 0xbb };
	const struct mls_suite *s = mls_suite_get(1);
	uint8_t got[32], want[32];

	assert_int_equal(mls_interim_transcript_hash(s, confirmed, 3, tag, 2,
						     got), 0);
	assert_int_equal(mls_hash(s, input, sizeof(input), want), 0);
	assert_memory_equal(got, want, 32);
}

static void test_confirmed_hash_needs_commit(void **state)
{
	const struct mls_suite *s = mls_suite_get(1);
	struct mls_authenticated_content ac;
	uint8_t out[32], after_empty[32], after_zeros[32];

	memset(&ac, 0, sizeof(ac));
	ac.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
	ac.content.sender.type = MLS_SENDER_MEMBER;
	ac.content.content.type = MLS_CONTENT_PROPOSAL;
	assert_int_equal(mls_confirmed_transcript_hash(s, NULL, 0, &ac, out),
			 MLS_ERR_INVALID_ARG);
	ac.content.content.type = MLS_CONTENT_COMMIT;
	assert_int_equal(mls_confirmed_transcript_hash(s, NULL, 0, &ac,
						       after_empty), 0);
	memset(out, 0, sizeof(out));
	assert_int_equal(mls_confirmed_transcript_hash(s, out, 32, &ac,
						       after_zeros), 0);
	assert_memory_not_equal(after_empty, after_zeros, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_and_joiner_agree),
		cmocka_unit_test(test_group_context_binds_secrets),
		cmocka_unit_test(test_bad_input_leaves_output_zeroed),
		cmocka_unit_test(test_exporter_formula),
		cmocka_unit_test(test_exporter_separates_inputs),
		cmocka_unit_test(test_wiping),
		cmocka_unit_test(test_confirmation_tag),
		cmocka_unit_test(test_external_keypair),
		cmocka_unit_test(test_interim_hash_encoding),
		cmocka_unit_test(test_confirmed_hash_needs_commit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
