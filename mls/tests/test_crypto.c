// SPDX-License-Identifier: MIT
/*
 * Crypto provider unit tests: suite table, known answers for the hash and
 * KDF, and for every suite AEAD, KEM and signature round trips together
 * with the rejection of tampered or malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "mls/crypto.h"

#define N_SUITES 7

static const struct mls_suite *suite(uint16_t id)
{
	const struct mls_suite *s = mls_suite_get(id);

	assert_non_null(s);
	return s;
}

static void test_suite_table(void **state)
{
	const struct mls_suite *s;
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		s = suite(id);
		assert_int_equal(s->id, id);
		assert_true(s->hash_len <= MLS_MAX_HASH_LEN);
		assert_true(s->kem_pub_len <= MLS_MAX_KEM_PUB_LEN);
		assert_true(s->kem_priv_len <= MLS_MAX_KEM_PRIV_LEN);
		assert_true(s->sig_max_len <= MLS_MAX_SIGNATURE_LEN);
		assert_ptr_equal(mls_suite_find_hpke(s->kem_id, s->kdf_id,
						     s->aead_id), s);
	}
	/* RFC 9420 §17.1 sizes for two representative suites */
	s = suite(MLS_SUITE_P521_AES256GCM_SHA512_P521);
	assert_int_equal(s->kem_pub_len, 133);
	assert_int_equal(s->kem_priv_len, 66);
	assert_int_equal(s->kem_secret_len, 64);
	assert_int_equal(s->aead_key_len, 32);
	s = suite(MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519);
	assert_int_equal(s->aead_id, 0x0003);
	assert_int_equal(s->sig_scheme, 0x0807);
}

static void test_unknown_suite(void **state)
{
	const struct mls_suite *s = (const void *)1;
	uint8_t out[64];

	assert_null(mls_suite_get(0));
	assert_null(mls_suite_get(8));
	assert_null(mls_suite_get(0xffff));
	assert_int_equal(mls_suite_lookup(0x0a0a, &s),
			 MLS_ERR_UNSUPPORTED_SUITE);
	assert_null(s);
	assert_int_equal(mls_suite_lookup(3, &s), 0);
	assert_int_equal(s->id, 3);
	assert_null(mls_suite_find_hpke(0x0011, 0x0001, 0x0001));
	assert_int_equal(mls_kem_generate_keypair(NULL, NULL, out, out),
			 MLS_ERR_UNSUPPORTED_SUITE);
	assert_int_equal(mls_derive_secret(NULL, out, 32, "x", out),
			 MLS_ERR_UNSUPPORTED_SUITE);
}

static void test_hash_known_answer(void **state)
{
	/* FIPS 180-2 appendix B.1: SHA-256("abc") */
	static const uint8_t abc_sha256[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	uint8_t out[MLS_MAX_HASH_LEN];

	assert_int_equal(mls_hash(suite(1), (const uint8_t *)"abc", 3, out),
			 0);
	assert_memory_equal(out, abc_sha256, 32);
}

static void test_hkdf_known_answer(void **state)
{
	/* RFC 5869 A.1 */
	static const uint8_t salt[13] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					  11, 12 };
	static const uint8_t info[10] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4,
					  0xf5, 0xf6, 0xf7, 0xf8, 0xf9 };
	static const uint8_t prk_want[32] = {
		0x07, 0x77, 0x09, 0x36, 0x2c, 0x2e, 0x32, 0xdf,
		0x0d, 0xdc, 0x3f, 0x0d, 0xc4, 0x7b, 0xba, 0x63,
		0x90, 0xb6, 0xc7, 0x3b, 0xb5, 0x0f, 0x9c, 0x31,
		0x22, 0xec, 0x84, 0x4a, 0xd7, 0xc2, 0xb3, 0xe5,
	};
	static const uint8_t okm_want[42] = {
		0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43,
		0x4f, 0x64, 0xd0, 0x36, 0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90,
		0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4,
		0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18,
		0x58, 0x65,
	};
	uint8_t ikm[22], prk[32], okm[42];

	memset(ikm, 0x0b, sizeof(ikm));
	assert_int_equal(mls_hkdf_extract(suite(1), salt, sizeof(salt), ikm,
					  sizeof(ikm), prk), 0);
	assert_memory_equal(prk, prk_want, 32);
	assert_int_equal(mls_hkdf_expand(suite(1), prk, sizeof(prk), info,
					 sizeof(info), okm, sizeof(okm)), 0);
	assert_memory_equal(okm, okm_want, 42);
	/* L > 255 * HashLen is refused, not truncated */
	assert_int_equal(mls_hkdf_expand(suite(1), prk, sizeof(prk), info,
					 sizeof(info), okm, 255 * 32 + 1),
			 MLS_ERR_INVALID_ARG);
}

static void test_hmac_verify(void **state)
{
	static const uint8_t key[] = "key", msg[] = "message";
	uint8_t mac[MLS_MAX_HASH_LEN];
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_hmac(s, key, sizeof(key), msg,
					  sizeof(msg), mac), 0);
		assert_int_equal(mls_hmac_verify(s, key, sizeof(key), msg,
						 sizeof(msg), mac,
						 s->hash_len), 0);
		mac[s->hash_len - 1] ^= 0x80;
		assert_int_equal(mls_hmac_verify(s, key, sizeof(key), msg,
						 sizeof(msg), mac,
						 s->hash_len), MLS_ERR_AUTH);
		mac[s->hash_len - 1] ^= 0x80;
		assert_int_equal(mls_hmac_verify(s, key, sizeof(key), msg,
						 sizeof(msg), mac,
						 s->hash_len - 1),
				 MLS_ERR_AUTH);
	}
}

static void test_aes_gcm_known_answer(void **state)
{
	/* GCM specification (McGrew/Viega) test case 2 */
	static const uint8_t want[32] = {
		0x03, 0x88, 0xda, 0xce, 0x60, 0xb6, 0xa3, 0x92,
		0xf3, 0x28, 0xc2, 0xb9, 0x71, 0xb2, 0xfe, 0x78,
		0xab, 0x6e, 0x47, 0xd4, 0x2c, 0xec, 0x13, 0xbd,
		0xf5, 0x3a, 0x67, 0xb2, 0x12, 0x57, 0xbd, 0xdf,
	};
	uint8_t key[16] = { 0 }, nonce[12] = { 0 }, pt[16] = { 0 }, ct[32];

	assert_int_equal(mls_aead_seal(suite(1), key, sizeof(key), nonce,
				       sizeof(nonce), NULL, 0, pt, sizeof(pt),
				       ct), 0);
	assert_memory_equal(ct, want, sizeof(want));
}

static void test_aead_round_trip_and_tamper(void **state)
{
	static const uint8_t aad[] = "header", msg[] = "payload bytes";
	uint8_t key[MLS_MAX_AEAD_KEY_LEN], nonce[MLS_MAX_AEAD_NONCE_LEN];
	uint8_t ct[sizeof(msg) + MLS_AEAD_TAG_LEN], pt[sizeof(msg)];
	size_t i;
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);
		size_t nk = s->aead_key_len, nn = s->aead_nonce_len;

		assert_int_equal(mls_crypto_random(NULL, key, nk), 0);
		assert_int_equal(mls_crypto_random(NULL, nonce, nn), 0);
		assert_int_equal(mls_aead_seal(s, key, nk, nonce, nn, aad,
					       sizeof(aad), msg, sizeof(msg),
					       ct), 0);
		assert_int_equal(mls_aead_open(s, key, nk, nonce, nn, aad,
					       sizeof(aad), ct, sizeof(ct),
					       pt), 0);
		assert_memory_equal(pt, msg, sizeof(msg));
		/* every byte of body and tag is covered */
		for (i = 0; i < sizeof(ct); i++) {
			ct[i] ^= 0x04;
			assert_int_equal(mls_aead_open(s, key, nk, nonce, nn,
						       aad, sizeof(aad), ct,
						       sizeof(ct), pt),
					 MLS_ERR_AUTH);
			ct[i] ^= 0x04;
		}
		assert_int_equal(mls_aead_open(s, key, nk, nonce, nn, aad,
					       sizeof(aad) - 1, ct, sizeof(ct),
					       pt), MLS_ERR_AUTH);
		nonce[0] ^= 1;
		assert_int_equal(mls_aead_open(s, key, nk, nonce, nn, aad,
					       sizeof(aad), ct, sizeof(ct),
					       pt), MLS_ERR_AUTH);
		/* the failed open left no plaintext behind */
		for (i = 0; i < sizeof(pt); i++)
			assert_int_equal(pt[i], 0);
	}
}

static void test_aead_bad_lengths(void **state)
{
	uint8_t key[33] = { 0 }, nonce[13] = { 0 }, buf[64] = { 0 };
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);
		size_t nk = s->aead_key_len, nn = s->aead_nonce_len;

		assert_int_equal(mls_aead_seal(s, key, nk - 1, nonce, nn, NULL,
					       0, buf, 8, buf + 8),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_aead_seal(s, key, nk + 1, nonce, nn, NULL,
					       0, buf, 8, buf + 8),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_aead_open(s, key, nk, nonce, nn + 1, NULL,
					       0, buf, 32, buf + 32),
				 MLS_ERR_INVALID_ARG);
		assert_int_equal(mls_aead_open(s, key, nk, nonce, nn, NULL, 0,
					       buf, s->aead_tag_len - 1,
					       buf + 32), MLS_ERR_TRUNCATED);
	}
}

static void test_kem_round_trip(void **state)
{
	uint8_t sk[MLS_MAX_KEM_PRIV_LEN], pk[MLS_MAX_KEM_PUB_LEN];
	uint8_t pk2[MLS_MAX_KEM_PUB_LEN], enc[MLS_MAX_KEM_PUB_LEN];
	uint8_t ss1[MLS_MAX_KEM_SECRET_LEN], ss2[MLS_MAX_KEM_SECRET_LEN];
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_kem_generate_keypair(NULL, s, sk, pk), 0);
		assert_int_equal(mls_kem_validate_pub(s, pk, s->kem_pub_len),
				 0);
		assert_int_equal(mls_kem_validate_priv(s, sk, s->kem_priv_len),
				 0);
		assert_int_equal(mls_kem_pub_from_priv(s, sk, s->kem_priv_len,
						       pk2), 0);
		assert_memory_equal(pk, pk2, s->kem_pub_len);
		assert_int_equal(mls_kem_encap(NULL, s, pk, s->kem_pub_len,
					       ss1, enc), 0);
		assert_int_equal(mls_kem_decap(s, enc, s->kem_enc_len, sk,
					       s->kem_priv_len, ss2), 0);
		assert_memory_equal(ss1, ss2, s->kem_secret_len);
		/* someone else's private key gets a different secret */
		assert_int_equal(mls_kem_generate_keypair(NULL, s, sk, pk2), 0);
		assert_int_equal(mls_kem_decap(s, enc, s->kem_enc_len, sk,
					       s->kem_priv_len, ss2), 0);
		assert_memory_not_equal(ss1, ss2, s->kem_secret_len);
	}
}

static void test_kem_wrong_sizes(void **state)
{
	uint8_t sk[MLS_MAX_KEM_PRIV_LEN + 1], pk[MLS_MAX_KEM_PUB_LEN + 1];
	uint8_t ss[MLS_MAX_KEM_SECRET_LEN], enc[MLS_MAX_KEM_PUB_LEN];
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_kem_generate_keypair(NULL, s, sk, pk), 0);
		assert_int_equal(mls_kem_validate_pub(s, pk,
						      s->kem_pub_len - 1),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_kem_validate_priv(s, sk,
						       s->kem_priv_len + 1),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_kem_pub_from_priv(s, sk,
						       s->kem_priv_len - 1, pk),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_kem_encap(NULL, s, pk, s->kem_pub_len + 1,
					       ss, enc), MLS_ERR_BAD_KEY);
		assert_int_equal(mls_kem_decap(s, pk, s->kem_pub_len, sk,
					       s->kem_priv_len - 1, ss),
				 MLS_ERR_BAD_KEY);
	}
}

/* NIST scalars must be in [1, n-1]: zero and all-ones are not. */
static void test_kem_scalar_range(void **state)
{
	const uint16_t nist[] = { 2, 5, 7 };
	uint8_t sk[MLS_MAX_KEM_PRIV_LEN], pk[MLS_MAX_KEM_PUB_LEN];
	size_t i;

	for (i = 0; i < 3; i++) {
		const struct mls_suite *s = suite(nist[i]);

		memset(sk, 0, sizeof(sk));
		assert_int_equal(mls_kem_pub_from_priv(s, sk, s->kem_priv_len,
						       pk), MLS_ERR_BAD_KEY);
		assert_int_equal(mls_sig_pub_from_priv(s, sk, s->sig_priv_len,
						       pk), MLS_ERR_BAD_KEY);
		memset(sk, 0xff, sizeof(sk));
		assert_int_equal(mls_kem_validate_priv(s, sk, s->kem_priv_len),
				 MLS_ERR_BAD_KEY);
	}
}

struct counting_random {
	uint8_t next;
	int fail;
};

static int counting_random_fn(void *ctx, uint8_t *out, size_t len)
{
	struct counting_random *cr = ctx;
	size_t i;

	if (cr->fail)
		return -7;
	for (i = 0; i < len; i++)
		out[i] = cr->next++;
	return 0;
}

/* GenerateKeyPair is DeriveKeyPair over Nsk bytes from the source. */
static void test_pluggable_random(void **state)
{
	struct counting_random cr = { 0, 0 };
	uint8_t ikm[MLS_MAX_KEM_PRIV_LEN];
	uint8_t sk1[MLS_MAX_KEM_PRIV_LEN], pk1[MLS_MAX_KEM_PUB_LEN];
	uint8_t sk2[MLS_MAX_KEM_PRIV_LEN], pk2[MLS_MAX_KEM_PUB_LEN];
	struct mls_crypto c;
	size_t i;
	uint16_t id;

	mls_crypto_init(&c);
	mls_crypto_set_random(&c, counting_random_fn, &cr);
	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);

		for (i = 0; i < s->kem_priv_len; i++)
			ikm[i] = (uint8_t)(cr.next + i);
		assert_int_equal(mls_kem_generate_keypair(&c, s, sk1, pk1), 0);
		assert_int_equal(mls_kem_derive_keypair(s, ikm,
							s->kem_priv_len, sk2,
							pk2), 0);
		assert_memory_equal(sk1, sk2, s->kem_priv_len);
		assert_memory_equal(pk1, pk2, s->kem_pub_len);
	}
	cr.fail = 1;
	assert_int_equal(mls_kem_generate_keypair(&c, suite(1), sk1, pk1),
			 MLS_ERR_RANDOM);
	assert_int_equal(mls_sig_generate_keypair(&c, suite(2), sk1, pk1),
			 MLS_ERR_RANDOM);
	assert_int_equal(mls_kem_encap(&c, suite(1), pk2, 32, sk1, pk1),
			 MLS_ERR_RANDOM);
}

static void test_sig_round_trip_and_tamper(void **state)
{
	static const uint8_t msg[] = "to be signed";
	uint8_t sk[MLS_MAX_SIG_PRIV_LEN], pk[MLS_MAX_SIG_PUB_LEN];
	uint8_t pk2[MLS_MAX_SIG_PUB_LEN], other[sizeof(msg)];
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len;
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_sig_generate_keypair(NULL, s, sk, pk), 0);
		assert_int_equal(mls_sig_pub_from_priv(s, sk, s->sig_priv_len,
						       pk2), 0);
		assert_memory_equal(pk, pk2, s->sig_pub_len);
		assert_int_equal(mls_sig_validate_pub(s, pk, s->sig_pub_len),
				 0);
		assert_int_equal(mls_sig_sign(NULL, s, sk, s->sig_priv_len, msg,
					      sizeof(msg), sig, &sig_len), 0);
		assert_true(sig_len <= s->sig_max_len);
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, msg,
						sizeof(msg), sig, sig_len), 0);
		memcpy(other, msg, sizeof(msg));
		other[0] ^= 1;
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, other,
						sizeof(other), sig, sig_len),
				 MLS_ERR_BAD_SIGNATURE);
		sig[sig_len - 1] ^= 1;
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, msg,
						sizeof(msg), sig, sig_len),
				 MLS_ERR_BAD_SIGNATURE);
		sig[sig_len - 1] ^= 1;
		/* truncated signature, and one with a byte appended */
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, msg,
						sizeof(msg), sig, sig_len - 1),
				 MLS_ERR_BAD_SIGNATURE);
		sig[sig_len] = 0;
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, msg,
						sizeof(msg), sig, sig_len + 1),
				 MLS_ERR_BAD_SIGNATURE);
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, msg,
						sizeof(msg), sig, 0),
				 MLS_ERR_BAD_SIGNATURE);
		/* another key does not verify it */
		assert_int_equal(mls_sig_generate_keypair(NULL, s, sk, pk2), 0);
		assert_int_equal(mls_sig_verify(s, pk2, s->sig_pub_len, msg,
						sizeof(msg), sig, sig_len),
				 MLS_ERR_BAD_SIGNATURE);
	}
}

static void test_sig_bad_keys(void **state)
{
	static const uint8_t msg[] = "m";
	uint8_t sk[MLS_MAX_SIG_PRIV_LEN + 1], pk[MLS_MAX_SIG_PUB_LEN + 1];
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len;
	uint16_t id;

	for (id = 1; id <= N_SUITES; id++) {
		const struct mls_suite *s = suite(id);

		assert_int_equal(mls_sig_generate_keypair(NULL, s, sk, pk), 0);
		assert_int_equal(mls_sig_sign(NULL, s, sk, s->sig_priv_len - 1,
					      msg, sizeof(msg), sig, &sig_len),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_sig_sign(NULL, s, sk, s->sig_priv_len + 1,
					      msg, sizeof(msg), sig, &sig_len),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_sig_sign(NULL, s, sk, s->sig_priv_len, msg,
					      sizeof(msg), sig, &sig_len), 0);
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len + 1, msg,
						sizeof(msg), sig, sig_len),
				 MLS_ERR_BAD_KEY);
		/* the identity/zero encoding is never a valid public key */
		memset(pk, 0, sizeof(pk));
		assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, msg,
						sizeof(msg), sig, sig_len),
				 MLS_ERR_BAD_KEY);
	}
}

/*
 * An Ed25519 key plus a point of order 4 passes libsodium's own verify
 * checks (canonical, not of small order) but is not in the prime-order
 * subgroup: validation refuses it, and a failed verify under it still
 * blames the key.
 */
static void test_sig_ed25519_torsion_key(void **state)
{
	static const uint8_t msg[] = "m";
	/* y = 0 encodes (sqrt(-1), 0), a point of order 4 */
	static const uint8_t order4[crypto_core_ed25519_BYTES];
	const struct mls_suite *s = suite(MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
	uint8_t sk[MLS_MAX_SIG_PRIV_LEN], pk[MLS_MAX_SIG_PUB_LEN];
	uint8_t mixed[crypto_core_ed25519_BYTES];
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len;

	assert_int_equal(s->sig_pub_len, sizeof(mixed));
	assert_int_equal(mls_sig_generate_keypair(NULL, s, sk, pk), 0);
	assert_int_equal(crypto_core_ed25519_add(mixed, pk, order4), 0);
	assert_int_equal(mls_sig_validate_pub(s, mixed, sizeof(mixed)),
			 MLS_ERR_BAD_KEY);
	assert_int_equal(mls_sig_sign(NULL, s, sk, s->sig_priv_len, msg,
				      sizeof(msg), sig, &sig_len), 0);
	assert_int_equal(mls_sig_verify(s, mixed, sizeof(mixed), msg,
					sizeof(msg), sig, sig_len),
			 MLS_ERR_BAD_KEY);
	assert_int_equal(mls_sig_verify(s, mixed, sizeof(mixed), NULL, 1, sig,
					sig_len), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_sig_verify(s, pk, s->sig_pub_len, msg,
					sizeof(msg), sig, sig_len), 0);
}

static void test_ct_equal(void **state)
{
	uint8_t a[16] = { 0 }, b[16] = { 0 };

	assert_true(mls_ct_equal(a, b, sizeof(a)));
	b[15] = 0x80;
	assert_false(mls_ct_equal(a, b, sizeof(a)));
	assert_true(mls_ct_equal(a, b, 15));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_table),
		cmocka_unit_test(test_unknown_suite),
		cmocka_unit_test(test_hash_known_answer),
		cmocka_unit_test(test_hkdf_known_answer),
		cmocka_unit_test(test_hmac_verify),
		cmocka_unit_test(test_aes_gcm_known_answer),
		cmocka_unit_test(test_aead_round_trip_and_tamper),
		cmocka_unit_test(test_aead_bad_lengths),
		cmocka_unit_test(test_kem_round_trip),
		cmocka_unit_test(test_kem_wrong_sizes),
		cmocka_unit_test(test_kem_scalar_range),
		cmocka_unit_test(test_pluggable_random),
		cmocka_unit_test(test_sig_round_trip_and_tamper),
		cmocka_unit_test(test_sig_bad_keys),
		cmocka_unit_test(test_sig_ed25519_torsion_key),
		cmocka_unit_test(test_ct_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
