// SPDX-License-Identifier: MIT
/*
 * HPKE base mode against the RFC 9180 test vectors for the MLS triples
 * (/work/shared/hpke-test-vectors), plus rejection of bad input.
 *
 * The vectors are found through $HPKE_VECTORS_DIR (the directory holding
 * the JSON file), $MLS_VECTORS_DIR/../hpke-test-vectors, or ../shared next
 * to the repository root; the vector test is skipped if none exists.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "mls/crypto.h"
#include "mls/hpke.h"

#define VECTOR_FILE "rfc9180-base-mode-mls-suites.json"

/* ---- helpers ---------------------------------------------------------- */

struct buf {
	uint8_t *data;
	size_t len;
};

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static struct buf hex_field(const json_t *obj, const char *key)
{
	const char *hex = json_string_value(json_object_get(obj, key));
	struct buf b = { NULL, 0 };
	size_t i, n;

	if (!hex)
		fail_msg("vector field \"%s\" missing", key);
	n = strlen(hex);
	assert_int_equal(n % 2, 0);
	b.len = n / 2;
	b.data = malloc(b.len ? b.len : 1);
	assert_non_null(b.data);
	for (i = 0; i < b.len; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

		assert_true(hi >= 0 && lo >= 0);
		b.data[i] = (uint8_t)(hi << 4 | lo);
	}
	return b;
}

static void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

static void assert_bytes(const uint8_t *got, size_t got_len,
			 const struct buf *want, const char *what)
{
	if (got_len != want->len || memcmp(got, want->data, got_len) != 0)
		fail_msg("%s differs from the vector", what);
}

/* A random source that hands out one fixed byte string, once. */
struct fixed_random {
	const uint8_t *data;
	size_t len;
	int calls;
};

static int fixed_random_fn(void *ctx, uint8_t *out, size_t len)
{
	struct fixed_random *fr = ctx;

	fr->calls++;
	if (fr->calls > 1 || len != fr->len)
		return -1;
	memcpy(out, fr->data, len);
	return 0;
}

static int file_exists(const char *path)
{
	return access(path, R_OK) == 0;
}

static int try_dir(char *out, size_t size, const char *dir, const char *sub)
{
	int n = snprintf(out, size, "%s%s/%s", dir, sub, VECTOR_FILE);

	return n > 0 && (size_t)n < size && file_exists(out);
}

/* Walk up from start until a directory holding mls/mls.mk is found. */
static int find_repo_root(const char *start, char *root, size_t size)
{
	char probe[PATH_MAX + 16];
	char *slash;

	if (!realpath(start, root))
		return 0;
	for (;;) {
		snprintf(probe, sizeof(probe), "%s/mls/mls.mk", root);
		if (file_exists(probe))
			return 1;
		slash = strrchr(root, '/');
		if (!slash || slash == root)
			return 0;
		*slash = '\0';
	}
	(void)size;
}

static int locate_vectors(char *path, size_t size)
{
	const char *env = getenv("HPKE_VECTORS_DIR");
	char root[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	if (env && try_dir(path, size, env, ""))
		return 1;
	env = getenv("MLS_VECTORS_DIR");
	if (env && try_dir(path, size, env, "/../hpke-test-vectors"))
		return 1;
	if (find_repo_root(".", root, sizeof(root)) &&
	    try_dir(path, size, root, "/../shared/hpke-test-vectors"))
		return 1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		if (find_repo_root(exe, root, sizeof(root)) &&
		    try_dir(path, size, root, "/../shared/hpke-test-vectors"))
			return 1;
	}
	return 0;
}

/* ---- the vector walk --------------------------------------------------- */

static const struct mls_suite *entry_suite(const json_t *e)
{
	return mls_suite_find_hpke(
		(uint16_t)json_integer_value(json_object_get(e, "kem_id")),
		(uint16_t)json_integer_value(json_object_get(e, "kdf_id")),
		(uint16_t)json_integer_value(json_object_get(e, "aead_id")));
}

static void check_keys(const struct mls_suite *s, const json_t *e)
{
	struct buf ikm_e = hex_field(e, "ikmE"), ikm_r = hex_field(e, "ikmR");
	struct buf sk_e = hex_field(e, "skEm"), pk_e = hex_field(e, "pkEm");
	struct buf sk_r = hex_field(e, "skRm"), pk_r = hex_field(e, "pkRm");
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];

	assert_int_equal(mls_kem_derive_keypair(s, ikm_e.data, ikm_e.len, priv,
						pub), 0);
	assert_bytes(priv, s->kem_priv_len, &sk_e, "skEm");
	assert_bytes(pub, s->kem_pub_len, &pk_e, "pkEm");
	assert_int_equal(mls_kem_derive_keypair(s, ikm_r.data, ikm_r.len, priv,
						pub), 0);
	assert_bytes(priv, s->kem_priv_len, &sk_r, "skRm");
	assert_bytes(pub, s->kem_pub_len, &pk_r, "pkRm");
	assert_int_equal(mls_kem_pub_from_priv(s, sk_r.data, sk_r.len, pub), 0);
	assert_bytes(pub, s->kem_pub_len, &pk_r, "pkRm from skRm");
	buf_free(&ikm_e);
	buf_free(&ikm_r);
	buf_free(&sk_e);
	buf_free(&pk_e);
	buf_free(&sk_r);
	buf_free(&pk_r);
}

/* Encap with the vector's ephemeral (via a fixed random source), decap. */
static void check_kem(const struct mls_suite *s, const json_t *e)
{
	struct buf ikm_e = hex_field(e, "ikmE"), pk_r = hex_field(e, "pkRm");
	struct buf sk_r = hex_field(e, "skRm"), enc = hex_field(e, "enc");
	struct buf ss = hex_field(e, "shared_secret");
	struct fixed_random fr = { ikm_e.data, ikm_e.len, 0 };
	uint8_t shared[MLS_MAX_KEM_SECRET_LEN], got_enc[MLS_MAX_KEM_PUB_LEN];
	struct mls_crypto c;

	mls_crypto_init(&c);
	mls_crypto_set_random(&c, fixed_random_fn, &fr);
	assert_int_equal(mls_kem_encap(&c, s, pk_r.data, pk_r.len, shared,
				       got_enc), 0);
	assert_bytes(got_enc, s->kem_enc_len, &enc, "enc");
	assert_bytes(shared, s->kem_secret_len, &ss, "shared_secret (encap)");
	memset(shared, 0, sizeof(shared));
	assert_int_equal(mls_kem_decap(s, enc.data, enc.len, sk_r.data,
				       sk_r.len, shared), 0);
	assert_bytes(shared, s->kem_secret_len, &ss, "shared_secret (decap)");
	buf_free(&ikm_e);
	buf_free(&pk_r);
	buf_free(&sk_r);
	buf_free(&enc);
	buf_free(&ss);
}

static void check_schedule(const struct mls_suite *s, const json_t *e,
			   struct mls_hpke_ctx *sender,
			   struct mls_hpke_ctx *receiver)
{
	struct buf ikm_e = hex_field(e, "ikmE"), pk_r = hex_field(e, "pkRm");
	struct buf sk_r = hex_field(e, "skRm"), info = hex_field(e, "info");
	struct buf key = hex_field(e, "key"), nonce = hex_field(e, "base_nonce");
	struct buf exp = hex_field(e, "exporter_secret");
	struct buf enc = hex_field(e, "enc");
	struct fixed_random fr = { ikm_e.data, ikm_e.len, 0 };
	uint8_t got_enc[MLS_MAX_KEM_PUB_LEN];
	struct mls_crypto c;

	mls_crypto_init(&c);
	mls_crypto_set_random(&c, fixed_random_fn, &fr);
	assert_int_equal(mls_hpke_setup_base_s(&c, s, pk_r.data, pk_r.len,
					       info.data, info.len, got_enc,
					       sender), 0);
	assert_bytes(got_enc, s->kem_enc_len, &enc, "enc (SetupBaseS)");
	assert_int_equal(mls_hpke_setup_base_r(s, enc.data, enc.len, sk_r.data,
					       sk_r.len, info.data, info.len,
					       receiver), 0);
	assert_bytes(sender->key, s->aead_key_len, &key, "key");
	assert_bytes(sender->base_nonce, s->aead_nonce_len, &nonce,
		     "base_nonce");
	assert_bytes(sender->exporter_secret, s->hash_len, &exp,
		     "exporter_secret");
	assert_bytes(receiver->key, s->aead_key_len, &key, "key (receiver)");
	assert_bytes(receiver->exporter_secret, s->hash_len, &exp,
		     "exporter_secret (receiver)");
	buf_free(&ikm_e);
	buf_free(&pk_r);
	buf_free(&sk_r);
	buf_free(&info);
	buf_free(&key);
	buf_free(&nonce);
	buf_free(&exp);
	buf_free(&enc);
}

/* The vector's encryptions are consecutive: seq 0, 1, 2, ... */
static size_t check_encryptions(const struct mls_suite *s, const json_t *e,
				struct mls_hpke_ctx *sender,
				struct mls_hpke_ctx *receiver)
{
	const json_t *list = json_object_get(e, "encryptions");
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		const json_t *enc = json_array_get(list, i);
		struct buf aad = hex_field(enc, "aad"), pt = hex_field(enc, "pt");
		struct buf ct = hex_field(enc, "ct");
		uint8_t *out = malloc(ct.len), *back = malloc(pt.len + 1);

		assert_non_null(out);
		assert_non_null(back);
		assert_int_equal(sender->seq, i);
		assert_int_equal(mls_hpke_seal(sender, aad.data, aad.len,
					       pt.data, pt.len, out), 0);
		assert_bytes(out, pt.len + s->aead_tag_len, &ct, "ct");
		assert_int_equal(mls_hpke_open(receiver, aad.data, aad.len,
					       ct.data, ct.len, back), 0);
		assert_bytes(back, ct.len - s->aead_tag_len, &pt, "opened pt");
		free(out);
		free(back);
		buf_free(&aad);
		buf_free(&pt);
		buf_free(&ct);
	}
	return i;
}

static size_t check_exports(const json_t *e, const struct mls_hpke_ctx *ctx)
{
	const json_t *list = json_object_get(e, "exports");
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		const json_t *x = json_array_get(list, i);
		struct buf exp_ctx = hex_field(x, "exporter_context");
		struct buf want = hex_field(x, "exported_value");
		size_t len = (size_t)json_integer_value(json_object_get(x, "L"));
		uint8_t *out = malloc(len);

		assert_non_null(out);
		assert_int_equal(mls_hpke_export(ctx, exp_ctx.data, exp_ctx.len,
						 out, len), 0);
		assert_bytes(out, len, &want, "exported_value");
		free(out);
		buf_free(&exp_ctx);
		buf_free(&want);
	}
	return i;
}

static void test_rfc9180_vectors(void **state)
{
	char path[PATH_MAX + 64];
	struct mls_hpke_ctx sender, receiver;
	json_error_t jerr;
	json_t *root;
	size_t i, n_enc, n_exp, checked = 0;

	if (!locate_vectors(path, sizeof(path))) {
		print_message("HPKE vectors not found (set HPKE_VECTORS_DIR); skipping\n");
		skip();
	}
	root = json_load_file(path, 0, &jerr);
	if (!root)
		fail_msg("%s: %s", path, jerr.text);
	assert_true(json_array_size(root) > 0);
	for (i = 0; i < json_array_size(root); i++) {
		const json_t *e = json_array_get(root, i);
		const struct mls_suite *s = entry_suite(e);

		if (json_integer_value(json_object_get(e, "mode")) != 0)
			continue;
		if (!s)
			fail_msg("entry %zu: no MLS suite for its HPKE triple", i);
		check_keys(s, e);
		check_kem(s, e);
		check_schedule(s, e, &sender, &receiver);
		n_enc = check_encryptions(s, e, &sender, &receiver);
		n_exp = check_exports(e, &sender);
		assert_int_equal(check_exports(e, &receiver), n_exp);
		print_message("HPKE kem 0x%04x kdf 0x%04x aead 0x%04x (MLS suite %u): "
			      "keys, encap, schedule, %zu seals/opens, %zu exports pass\n",
			      s->kem_id, s->kdf_id, s->aead_id, s->id, n_enc,
			      n_exp);
		mls_hpke_ctx_clear(&sender);
		mls_hpke_ctx_clear(&receiver);
		checked++;
	}
	print_message("HPKE: %zu/%zu vector entries pass\n", checked,
		      json_array_size(root));
	assert_int_equal(checked, json_array_size(root));
	json_decref(root);
}

/* ---- negative tests ----------------------------------------------------- */

static void fresh_pair(const struct mls_suite *s, uint8_t *sk, uint8_t *pk)
{
	assert_int_equal(mls_kem_generate_keypair(NULL, s, sk, pk), 0);
}

static void test_round_trip_every_suite(void **state)
{
	static const uint8_t info[] = "info", aad[] = "aad", msg[] = "hello";
	uint8_t sk[MLS_MAX_KEM_PRIV_LEN], pk[MLS_MAX_KEM_PUB_LEN];
	uint8_t enc[MLS_MAX_KEM_PUB_LEN], ct[sizeof(msg) + 16];
	uint8_t pt[sizeof(msg)], x1[40], x2[40];
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = mls_suite_get(id);

		fresh_pair(s, sk, pk);
		assert_int_equal(mls_hpke_seal_base(NULL, s, pk, s->kem_pub_len,
						    info, sizeof(info), aad,
						    sizeof(aad), msg,
						    sizeof(msg), enc, ct), 0);
		assert_int_equal(mls_hpke_open_base(s, enc, s->kem_enc_len, sk,
						    s->kem_priv_len, info,
						    sizeof(info), aad,
						    sizeof(aad), ct,
						    sizeof(ct), pt), 0);
		assert_memory_equal(pt, msg, sizeof(msg));
		assert_int_equal(mls_hpke_send_export_base(
					 NULL, s, pk, s->kem_pub_len, info,
					 sizeof(info), aad, sizeof(aad), enc,
					 x1, sizeof(x1)), 0);
		assert_int_equal(mls_hpke_receive_export_base(
					 s, enc, s->kem_enc_len, sk,
					 s->kem_priv_len, info, sizeof(info),
					 aad, sizeof(aad), x2, sizeof(x2)), 0);
		assert_memory_equal(x1, x2, sizeof(x1));
	}
}

static void test_corrupt_ciphertext(void **state)
{
	static const uint8_t msg[] = "attack at dawn";
	uint8_t sk[MLS_MAX_KEM_PRIV_LEN], pk[MLS_MAX_KEM_PUB_LEN];
	uint8_t enc[MLS_MAX_KEM_PUB_LEN], ct[sizeof(msg) + 16];
	uint8_t pt[sizeof(msg)];
	uint16_t id;
	size_t pos;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = mls_suite_get(id);

		fresh_pair(s, sk, pk);
		assert_int_equal(mls_hpke_seal_base(NULL, s, pk, s->kem_pub_len,
						    NULL, 0, NULL, 0, msg,
						    sizeof(msg), enc, ct), 0);
		/* one flip in the body, one in the tag */
		for (pos = 0; pos < sizeof(ct); pos += sizeof(ct) - 1) {
			ct[pos] ^= 0x01;
			memset(pt, 0xaa, sizeof(pt));
			assert_int_equal(mls_hpke_open_base(
						 s, enc, s->kem_enc_len, sk,
						 s->kem_priv_len, NULL, 0,
						 NULL, 0, ct, sizeof(ct), pt),
					 MLS_ERR_AUTH);
			/* no unauthenticated plaintext escapes */
			assert_int_equal(pt[0], 0);
			ct[pos] ^= 0x01;
		}
		/* wrong info is an authentication failure too */
		assert_int_equal(mls_hpke_open_base(s, enc, s->kem_enc_len, sk,
						    s->kem_priv_len,
						    (const uint8_t *)"x", 1,
						    NULL, 0, ct, sizeof(ct),
						    pt), MLS_ERR_AUTH);
		assert_int_equal(mls_hpke_open_base(s, enc, s->kem_enc_len, sk,
						    s->kem_priv_len, NULL, 0,
						    NULL, 0, ct, 15, pt),
				 MLS_ERR_TRUNCATED);
	}
}

static void test_bad_public_keys(void **state)
{
	static const uint8_t msg[] = "m";
	uint8_t pk[MLS_MAX_KEM_PUB_LEN + 1], sk[MLS_MAX_KEM_PRIV_LEN];
	uint8_t enc[MLS_MAX_KEM_PUB_LEN], ct[sizeof(msg) + 16];
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = mls_suite_get(id);

		fresh_pair(s, sk, pk);
		/* wrong lengths */
		assert_int_equal(mls_hpke_seal_base(NULL, s, pk,
						    s->kem_pub_len - 1, NULL,
						    0, NULL, 0, msg,
						    sizeof(msg), enc, ct),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_hpke_seal_base(NULL, s, pk,
						    s->kem_pub_len + 1, NULL,
						    0, NULL, 0, msg,
						    sizeof(msg), enc, ct),
				 MLS_ERR_BAD_KEY);
		/* all zero: the identity / a low-order X25519/X448 point */
		memset(pk, 0, sizeof(pk));
		assert_int_equal(mls_hpke_seal_base(NULL, s, pk,
						    s->kem_pub_len, NULL, 0,
						    NULL, 0, msg, sizeof(msg),
						    enc, ct), MLS_ERR_BAD_KEY);
		assert_int_equal(mls_hpke_open_base(s, pk, s->kem_enc_len, sk,
						    s->kem_priv_len, NULL, 0,
						    NULL, 0, ct, sizeof(ct),
						    enc), MLS_ERR_BAD_KEY);
	}
}

static void test_point_not_on_curve(void **state)
{
	static const uint8_t msg[] = "m";
	const uint16_t nist[] = { 2, 5, 7 };
	uint8_t pk[MLS_MAX_KEM_PUB_LEN], sk[MLS_MAX_KEM_PRIV_LEN];
	uint8_t enc[MLS_MAX_KEM_PUB_LEN], ct[sizeof(msg) + 16];
	size_t i;

	for (i = 0; i < 3; i++) {
		const struct mls_suite *s = mls_suite_get(nist[i]);

		fresh_pair(s, sk, pk);
		pk[s->kem_pub_len - 1] ^= 0x01;	/* y no longer matches x */
		assert_int_equal(mls_kem_validate_pub(s, pk, s->kem_pub_len),
				 MLS_ERR_BAD_KEY);
		assert_int_equal(mls_hpke_seal_base(NULL, s, pk,
						    s->kem_pub_len, NULL, 0,
						    NULL, 0, msg, sizeof(msg),
						    enc, ct), MLS_ERR_BAD_KEY);
		pk[s->kem_pub_len - 1] ^= 0x01;
		pk[0] = 0x02;	/* compressed form is not allowed */
		assert_int_equal(mls_kem_validate_pub(s, pk, s->kem_pub_len),
				 MLS_ERR_BAD_KEY);
	}
}

static void test_cleared_context_refuses(void **state)
{
	struct mls_hpke_ctx ctx;
	uint8_t out[32];

	memset(&ctx, 0x55, sizeof(ctx));
	mls_hpke_ctx_clear(&ctx);
	assert_int_equal(mls_hpke_seal(&ctx, NULL, 0, NULL, 0, out),
			 MLS_ERR_INVALID_STATE);
	assert_int_equal(mls_hpke_export(&ctx, NULL, 0, out, sizeof(out)),
			 MLS_ERR_INVALID_STATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9180_vectors),
		cmocka_unit_test(test_round_trip_every_suite),
		cmocka_unit_test(test_corrupt_ciphertext),
		cmocka_unit_test(test_bad_public_keys),
		cmocka_unit_test(test_point_not_on_curve),
		cmocka_unit_test(test_cleared_context_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
