// SPDX-License-Identifier: MIT
/*
 * secret-tree.json: the sender-data key and nonce, and each leaf's
 * handshake and application keys and nonces at the listed generations
 * (RFC 9420 §6.3.2, §9).
 */
#include "mls/secret_tree.h"
#include "vectors.h"

static int check_sender_data(const struct mls_suite *s, const json_t *tc,
			     struct vec_report *rep)
{
	struct mls_bytes secret = { 0 }, ct = { 0 }, key = { 0 }, nonce = { 0 };
	uint8_t k[MLS_MAX_AEAD_KEY_LEN], n[MLS_MAX_AEAD_NONCE_LEN];
	const json_t *sd = vec_field(rep, tc, "sender_data");
	int ret = -1, err;

	if (!sd || vec_get_hex(rep, sd, "sender_data_secret", &secret) ||
	    vec_get_hex(rep, sd, "ciphertext", &ct) ||
	    vec_get_hex(rep, sd, "key", &key) ||
	    vec_get_hex(rep, sd, "nonce", &nonce))
		goto out;
	err = mls_sender_data_key_nonce(s, secret.data, secret.len, ct.data,
					ct.len, k, n);
	if (err) {
		vec_fail(rep, "sender data key/nonce: %s", mls_strerror(err));
		goto out;
	}
	if (!vec_expect_bytes(rep, "sender_data.key", k, s->aead_key_len,
			      &key) &&
	    !vec_expect_bytes(rep, "sender_data.nonce", n, s->aead_nonce_len,
			      &nonce))
		ret = 0;
out:
	mls_bytes_free(&secret);
	mls_bytes_free(&ct);
	mls_bytes_free(&key);
	mls_bytes_free(&nonce);
	return ret;
}

static int check_one_ratchet(struct mls_secret_tree *t, uint32_t leaf,
			     enum mls_ratchet_type type, uint32_t gen,
			     const json_t *entry, struct vec_report *rep)
{
	const char *key_field = type == MLS_RATCHET_HANDSHAKE ?
				"handshake_key" : "application_key";
	const char *nonce_field = type == MLS_RATCHET_HANDSHAKE ?
				  "handshake_nonce" : "application_nonce";
	const struct mls_suite *s = mls_secret_tree_suite(t);
	struct mls_bytes key = { 0 }, nonce = { 0 };
	struct mls_ratchet_key rk;
	int ret = -1, err;

	if (vec_get_hex(rep, entry, key_field, &key) ||
	    vec_get_hex(rep, entry, nonce_field, &nonce))
		goto out;
	err = mls_secret_tree_key(t, leaf, type, gen, &rk);
	if (!err)
		err = mls_secret_tree_consume(t, leaf, type, gen);
	if (err) {
		vec_fail(rep, "leaf %u gen %u %s: %s", leaf, gen, key_field,
			 mls_strerror(err));
		goto out;
	}
	if (!vec_expect_bytes(rep, key_field, rk.key, s->aead_key_len, &key) &&
	    !vec_expect_bytes(rep, nonce_field, rk.nonce, s->aead_nonce_len,
			      &nonce))
		ret = 0;
out:
	mls_bytes_free(&key);
	mls_bytes_free(&nonce);
	return ret;
}

static int check_leaf(struct mls_secret_tree *t, uint32_t leaf,
		      const json_t *gens, struct vec_report *rep)
{
	const json_t *entry;
	uint64_t gen;
	size_t i;

	if (!json_is_array(gens))
		return vec_fail(rep, "leaves[%u] is not an array", leaf);
	if (!json_array_size(gens))
		return vec_fail(rep, "leaves[%u] is empty: nothing to check",
				leaf);
	json_array_foreach(gens, i, entry) {
		if (vec_get_uint(rep, entry, "generation", &gen))
			return -1;
		if (gen > UINT32_MAX)
			return vec_fail(rep, "generation out of range");
		if (check_one_ratchet(t, leaf, MLS_RATCHET_HANDSHAKE,
				      (uint32_t)gen, entry, rep) ||
		    check_one_ratchet(t, leaf, MLS_RATCHET_APPLICATION,
				      (uint32_t)gen, entry, rep))
			return -1;
	}
	return 0;
}

int vec_run_secret_tree(const json_t *tc, struct vec_report *rep)
{
	struct mls_bytes enc = { 0 };
	struct mls_secret_tree *t = NULL;
	const struct mls_suite *s;
	const json_t *leaves;
	uint64_t suite_id;
	size_t i;
	int ret = -1, err;

	if (vec_get_uint(rep, tc, "cipher_suite", &suite_id))
		return -1;
	s = mls_suite_get((uint16_t)suite_id);
	if (!s || suite_id > UINT16_MAX)
		return vec_fail(rep, "cipher suite %llu not supported",
				(unsigned long long)suite_id);
	if (check_sender_data(s, tc, rep))
		return -1;
	leaves = vec_field(rep, tc, "leaves");
	if (!leaves || !json_is_array(leaves))
		return vec_fail(rep, "\"leaves\" is not an array");
	if (!json_array_size(leaves))
		return vec_fail(rep, "\"leaves\" is empty: nothing to check");
	if (vec_get_hex(rep, tc, "encryption_secret", &enc))
		return -1;
	err = mls_secret_tree_new(s, enc.data, enc.len,
				  (uint32_t)json_array_size(leaves), NULL, &t);
	if (err) {
		vec_fail(rep, "secret tree: %s", mls_strerror(err));
		goto out;
	}
	for (i = 0; i < json_array_size(leaves); i++)
		if (check_leaf(t, (uint32_t)i, json_array_get(leaves, i), rep))
			goto out;
	ret = 0;
out:
	mls_secret_tree_free(t);
	mls_bytes_free_secret(&enc);
	return ret;
}
