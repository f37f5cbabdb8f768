// SPDX-License-Identifier: MIT
/*
 * RFC 9420 labelled helpers: the TLS encodings they feed to the KDF, the
 * signer and HPKE are checked against hand-written bytes, and a label or
 * context mismatch must always be rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mls/crypto.h"

static const struct mls_suite *suite(uint16_t id)
{
	const struct mls_suite *s = mls_suite_get(id);

	assert_non_null(s);
	return s;
}

/* KDFLabel { uint16 length = 32; label<V> = "MLS 1.0 test"; context<V> } */
static void test_expand_with_label_encoding(void **state)
{
	static const uint8_t kdf_label[] = {
		0x00, 0x20, 0x0c, 'M', 'L', 'S', ' ', '1', '.', '0', ' ',
		't', 'e', 's', 't', 0x02, 'a', 'b',
	};
	static const uint8_t ctx[] = { 'a', 'b' };
	uint8_t secret[64], got[32], want[32];
	uint16_t id;

	memset(secret, 0x42, sizeof(secret));
	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_expand_with_label(s, secret, s->hash_len,
						       "test", ctx,
						       sizeof(ctx), got,
						       sizeof(got)), 0);
		assert_int_equal(mls_hkdf_expand(s, secret, s->hash_len,
						 kdf_label, sizeof(kdf_label),
						 want, sizeof(want)), 0);
		assert_memory_equal(got, want, sizeof(want));
	}
}

/* DeriveTreeSecret's context is the generation as a big-endian uint32. */
static void test_derive_tree_secret_encoding(void **state)
{
	static const uint8_t gen[] = { 0x01, 0x02, 0x03, 0x04 };
	uint8_t secret[32], got[16], want[16];

	memset(secret, 0x17, sizeof(secret));
	assert_int_equal(mls_derive_tree_secret(suite(1), secret, 32, "key",
						0x01020304, got, 16), 0);
	assert_int_equal(mls_expand_with_label(suite(1), secret, 32, "key",
					       gen, sizeof(gen), want, 16), 0);
	assert_memory_equal(got, want, 16);
}

/* RefHashInput { label<V>; value<V>; } hashed, label used verbatim. */
static void test_ref_hash_encoding(void **state)
{
	static const uint8_t input[] = { 0x03, 'a', 'b', 'c', 0x02, 0xde, 0xad };
	static const uint8_t value[] = { 0xde, 0xad };
	uint8_t got[64], want[64];
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_ref_hash(s, "abc", value, sizeof(value),
					      got), 0);
		assert_int_equal(mls_hash(s, input, sizeof(input), want), 0);
		assert_memory_equal(got, want, s->hash_len);
	}
}

static void test_sign_with_label_separation(void **state)
{
	static const uint8_t content[] = "leaf node tbs";
	/* SignContent for label "x", content "hi", signed raw */
	static const uint8_t raw[] = { 0x09, 'M', 'L', 'S', ' ', '1', '.', '0',
				       ' ', 'x', 0x02, 'h', 'i' };
	uint8_t sk[MLS_MAX_SIG_PRIV_LEN], pk[MLS_MAX_SIG_PUB_LEN];
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len;
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_sig_generate_keypair(NULL, s, sk, pk), 0);
		assert_int_equal(mls_sign_with_label(NULL, s, sk,
						     s->sig_priv_len,
						     "LeafNodeTBS", content,
						     sizeof(content), sig,
						     &sig_len), 0);
		assert_int_equal(mls_verify_with_label(s, pk, s->sig_pub_len,
						       "LeafNodeTBS", content,
						       sizeof(content), sig,
						       sig_len), 0);
		assert_int_equal(mls_verify_with_label(s, pk, s->sig_pub_len,
						       "KeyPackageTBS",
						       content,
						       sizeof(content), sig,
						       sig_len),
				 MLS_ERR_BAD_SIGNATURE);
		/* a plain signature over content is not a labelled one */
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, content,
						sizeof(content), sig, sig_len),
				 MLS_ERR_BAD_SIGNATURE);
		/* and the labelled form is exactly SignContent */
		assert_int_equal(mls_sig_sign(NULL, s, sk, s->sig_priv_len, raw,
					      sizeof(raw), sig, &sig_len), 0);
		assert_int_equal(mls_verify_with_label(s, pk, s->sig_pub_len,
						       "x",
						       (const uint8_t *)"hi", 2,
						       sig, sig_len), 0);
	}
}

static void test_encrypt_with_label_separation(void **state)
{
	static const uint8_t msg[] = "group secrets", ctx[] = "context";
	uint8_t sk[MLS_MAX_KEM_PRIV_LEN], pk[MLS_MAX_KEM_PUB_LEN];
	uint8_t kem_out[MLS_MAX_KEM_PUB_LEN];
	uint8_t ct[sizeof(msg) + MLS_AEAD_TAG_LEN], pt[sizeof(msg)];
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_kem_generate_keypair(NULL, s, sk, pk), 0);
		assert_int_equal(mls_encrypt_with_label(NULL, s, pk,
							s->kem_pub_len,
							"Welcome", ctx,
							sizeof(ctx), msg,
							sizeof(msg), kem_out,
							ct), 0);
		assert_int_equal(mls_decrypt_with_label(s, sk, s->kem_priv_len,
							"Welcome", ctx,
							sizeof(ctx), kem_out,
							s->kem_enc_len, ct,
							sizeof(ct), pt), 0);
		assert_memory_equal(pt, msg, sizeof(msg));
		assert_int_equal(mls_decrypt_with_label(s, sk, s->kem_priv_len,
							"UpdatePathNode", ctx,
							sizeof(ctx), kem_out,
							s->kem_enc_len, ct,
							sizeof(ct), pt),
				 MLS_ERR_AUTH);
		assert_int_equal(mls_decrypt_with_label(s, sk, s->kem_priv_len,
							"Welcome", ctx,
							sizeof(ctx) - 1,
							kem_out,
							s->kem_enc_len, ct,
							sizeof(ct), pt),
				 MLS_ERR_AUTH);
		assert_int_equal(mls_decrypt_with_label(s, sk, s->kem_priv_len,
							"Welcome", ctx,
							sizeof(ctx), kem_out,
							s->kem_enc_len - 1, ct,
							sizeof(ct), pt),
				 MLS_ERR_BAD_KEY);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_with_label_encoding),
		cmocka_unit_test(test_derive_tree_secret_encoding),
		cmocka_unit_test(test_ref_hash_encoding),
		cmocka_unit_test(test_sign_with_label_separation),
		cmocka_unit_test(test_encrypt_with_label_separation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
