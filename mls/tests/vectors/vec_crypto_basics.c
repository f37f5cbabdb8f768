// SPDX-License-Identifier: MIT
/*
 * crypto-basics.json: the RFC 9420 labelled helpers for one suite per
 * entry (RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret,
 * SignWithLabel, EncryptWithLabel).
 */
#include <stdlib.h>

#include "mls/crypto.h"
#include "vectors.h"

#define N_FIELDS 8

/* Hex fields of one sub-object, freed together. */
struct hexes {
	struct mls_bytes b[N_FIELDS];
};

static int load_hexes(struct vec_report *rep, const json_t *obj,
		      const char *const *keys, struct hexes *h)
{
	size_t i;

	for (i = 0; i < N_FIELDS; i++) {
		h->b[i].data = NULL;
		h->b[i].len = 0;
	}
	for (i = 0; i < N_FIELDS && keys[i]; i++)
		if (vec_get_hex(rep, obj, keys[i], &h->b[i]))
			return -1;
	return 0;
}

static void free_hexes(struct hexes *h)
{
	size_t i;

	for (i = 0; i < N_FIELDS; i++)
		mls_bytes_free_secret(&h->b[i]);
}

static const char *get_string(struct vec_report *rep, const json_t *obj,
			      const char *key)
{
	const json_t *v = vec_field(rep, obj, key);

	if (v && !json_is_string(v)) {
		vec_fail(rep, "field \"%s\" is not a string", key);
		return NULL;
	}
	return v ? json_string_value(v) : NULL;
}

static const json_t *sub_object(struct vec_report *rep, const json_t *tc,
				const char *key)
{
	const json_t *v = vec_field(rep, tc, key);

	if (v && !json_is_object(v)) {
		vec_fail(rep, "\"%s\" is not an object", key);
		return NULL;
	}
	return v;
}

static int check_ref_hash(const struct mls_suite *s, const json_t *tc,
			  struct vec_report *rep)
{
	static const char *const keys[] = { "value", "out", NULL };
	const json_t *o = sub_object(rep, tc, "ref_hash");
	const char *label = o ? get_string(rep, o, "label") : NULL;
	uint8_t out[MLS_MAX_HASH_LEN];
	struct hexes h;
	int ret = -1, err;

	if (!label)
		return -1;
	if (!load_hexes(rep, o, keys, &h)) {
		err = mls_ref_hash(s, label, h.b[0].data, h.b[0].len, out);
		if (err)
			vec_fail(rep, "ref_hash: %s", mls_strerror(err));
		else
			ret = vec_expect_bytes(rep, "ref_hash.out", out,
					       s->hash_len, &h.b[1]);
	}
	free_hexes(&h);
	return ret;
}

static int check_expand(const struct mls_suite *s, const json_t *tc,
			struct vec_report *rep)
{
	static const char *const keys[] = { "secret", "context", "out", NULL };
	const json_t *o = sub_object(rep, tc, "expand_with_label");
	const char *label = o ? get_string(rep, o, "label") : NULL;
	uint8_t *out = NULL;
	uint64_t length;
	struct hexes h;
	int ret = -1, err;

	if (!label)
		return -1;
	if (!load_hexes(rep, o, keys, &h) &&
	    !vec_get_uint(rep, o, "length", &length)) {
		out = malloc(length ? length : 1);
		err = out ? mls_expand_with_label(s, h.b[0].data, h.b[0].len,
						  label, h.b[1].data,
						  h.b[1].len, out, length) :
			    MLS_ERR_NOMEM;
		if (err)
			vec_fail(rep, "expand_with_label: %s",
				 mls_strerror(err));
		else
			ret = vec_expect_bytes(rep, "expand_with_label.out",
					       out, length, &h.b[2]);
	}
	free(out);
	free_hexes(&h);
	return ret;
}

static int check_derive_secret(const struct mls_suite *s, const json_t *tc,
			       struct vec_report *rep)
{
	static const char *const keys[] = { "secret", "out", NULL };
	const json_t *o = sub_object(rep, tc, "derive_secret");
	const char *label = o ? get_string(rep, o, "label") : NULL;
	uint8_t out[MLS_MAX_HASH_LEN];
	struct hexes h;
	int ret = -1, err;

	if (!label)
		return -1;
	if (!load_hexes(rep, o, keys, &h)) {
		err = mls_derive_secret(s, h.b[0].data, h.b[0].len, label, out);
		if (err)
			vec_fail(rep, "derive_secret: %s", mls_strerror(err));
		else
			ret = vec_expect_bytes(rep, "derive_secret.out", out,
					       s->hash_len, &h.b[1]);
	}
	free_hexes(&h);
	return ret;
}

static int check_tree_secret(const struct mls_suite *s, const json_t *tc,
			     struct vec_report *rep)
{
	static const char *const keys[] = { "secret", "out", NULL };
	const json_t *o = sub_object(rep, tc, "derive_tree_secret");
	const char *label = o ? get_string(rep, o, "label") : NULL;
	uint64_t generation, length;
	uint8_t *out = NULL;
	struct hexes h;
	int ret = -1, err;

	if (!label)
		return -1;
	if (!load_hexes(rep, o, keys, &h) &&
	    !vec_get_uint(rep, o, "generation", &generation) &&
	    !vec_get_uint(rep, o, "length", &length)) {
		out = malloc(length ? length : 1);
		err = !out ? MLS_ERR_NOMEM :
		      generation > UINT32_MAX ? MLS_ERR_INVALID_ARG :
		      mls_derive_tree_secret(s, h.b[0].data, h.b[0].len, label,
					     (uint32_t)generation, out,
					     length);
		if (err)
			vec_fail(rep, "derive_tree_secret: %s",
				 mls_strerror(err));
		else
			ret = vec_expect_bytes(rep, "derive_tree_secret.out",
					       out, length, &h.b[1]);
	}
	free(out);
	free_hexes(&h);
	return ret;
}

static int sign_own(const struct mls_suite *s, const char *label,
		    const struct hexes *h, struct vec_report *rep)
{
	const struct mls_bytes *priv = &h->b[0], *pub = &h->b[1];
	const struct mls_bytes *content = &h->b[2];
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	uint8_t other[] = { 0x00 };
	size_t sig_len = 0;
	int err;

	err = mls_sign_with_label(NULL, s, priv->data, priv->len, label,
				  content->data, content->len, sig, &sig_len);
	if (err)
		return vec_fail(rep, "sign_with_label: signing: %s",
				mls_strerror(err));
	err = mls_verify_with_label(s, pub->data, pub->len, label,
				    content->data, content->len, sig, sig_len);
	if (err)
		return vec_fail(rep, "sign_with_label: own signature: %s",
				mls_strerror(err));
	if (mls_verify_with_label(s, pub->data, pub->len, label, other,
				  sizeof(other), sig, sig_len) !=
	    MLS_ERR_BAD_SIGNATURE)
		return vec_fail(rep, "sign_with_label: own signature verifies other content");
	return 0;
}

static int check_sign(const struct mls_suite *s, const json_t *tc,
		      struct vec_report *rep)
{
	static const char *const keys[] = { "priv", "pub", "content",
					    "signature", NULL };
	const json_t *o = sub_object(rep, tc, "sign_with_label");
	const char *label = o ? get_string(rep, o, "label") : NULL;
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];
	struct hexes h;
	int ret = -1, err;

	if (!label)
		return -1;
	if (load_hexes(rep, o, keys, &h))
		goto out;
	err = mls_sig_pub_from_priv(s, h.b[0].data, h.b[0].len, pub);
	if (err) {
		vec_fail(rep, "sign_with_label: pub from priv: %s",
			 mls_strerror(err));
		goto out;
	}
	if (vec_expect_bytes(rep, "sign_with_label.pub from priv", pub,
			     s->sig_pub_len, &h.b[1]))
		goto out;
	err = mls_verify_with_label(s, h.b[1].data, h.b[1].len, label,
				    h.b[2].data, h.b[2].len, h.b[3].data,
				    h.b[3].len);
	if (err) {
		vec_fail(rep, "sign_with_label: given signature: %s",
			 mls_strerror(err));
		goto out;
	}
	ret = sign_own(s, label, &h, rep);
out:
	free_hexes(&h);
	return ret;
}

static int decrypt_and_compare(const struct mls_suite *s, const char *label,
			       const struct hexes *h, const uint8_t *kem_output,
			       size_t kem_output_len, const uint8_t *ct,
			       size_t ct_len, const char *what,
			       struct vec_report *rep)
{
	const struct mls_bytes *priv = &h->b[0], *context = &h->b[2];
	uint8_t *pt;
	int err, ret;

	if (ct_len < s->aead_tag_len)
		return vec_fail(rep, "%s: ciphertext shorter than a tag", what);
	pt = malloc(ct_len - s->aead_tag_len + 1);
	if (!pt)
		return vec_fail(rep, "out of memory");
	err = mls_decrypt_with_label(s, priv->data, priv->len, label,
				     context->data, context->len, kem_output,
				     kem_output_len, ct, ct_len, pt);
	if (err)
		ret = vec_fail(rep, "%s: %s", what, mls_strerror(err));
	else
		ret = vec_expect_bytes(rep, what, pt, ct_len - s->aead_tag_len,
				       &h->b[3]);
	free(pt);
	return ret;
}

static int encrypt_own(const struct mls_suite *s, const char *label,
		       const struct hexes *h, struct vec_report *rep)
{
	const struct mls_bytes *pub = &h->b[1], *context = &h->b[2];
	const struct mls_bytes *pt = &h->b[3];
	uint8_t kem_output[MLS_MAX_KEM_PUB_LEN];
	size_t ct_len = pt->len + s->aead_tag_len;
	uint8_t *ct = malloc(ct_len);
	int err, ret;

	if (!ct)
		return vec_fail(rep, "out of memory");
	err = mls_encrypt_with_label(NULL, s, pub->data, pub->len, label,
				     context->data, context->len, pt->data,
				     pt->len, kem_output, ct);
	if (err)
		ret = vec_fail(rep, "encrypt_with_label: encrypting: %s",
			       mls_strerror(err));
	else
		ret = decrypt_and_compare(s, label, h, kem_output,
					  s->kem_enc_len, ct, ct_len,
					  "encrypt_with_label: own ciphertext",
					  rep);
	free(ct);
	return ret;
}

static int check_encrypt(const struct mls_suite *s, const json_t *tc,
			 struct vec_report *rep)
{
	static const char *const keys[] = { "priv", "pub", "context",
					    "plaintext", "kem_output",
					    "ciphertext", NULL };
	const json_t *o = sub_object(rep, tc, "encrypt_with_label");
	const char *label = o ? get_string(rep, o, "label") : NULL;
	uint8_t pub[MLS_MAX_KEM_PUB_LEN];
	struct hexes h;
	int ret = -1, err;

	if (!label)
		return -1;
	if (load_hexes(rep, o, keys, &h))
		goto out;
	err = mls_kem_pub_from_priv(s, h.b[0].data, h.b[0].len, pub);
	if (err) {
		vec_fail(rep, "encrypt_with_label: pub from priv: %s",
			 mls_strerror(err));
		goto out;
	}
	if (vec_expect_bytes(rep, "encrypt_with_label.pub from priv", pub,
			     s->kem_pub_len, &h.b[1]) ||
	    decrypt_and_compare(s, label, &h, h.b[4].data, h.b[4].len,
				h.b[5].data, h.b[5].len,
				"encrypt_with_label: given ciphertext", rep))
		goto out;
	ret = encrypt_own(s, label, &h, rep);
out:
	free_hexes(&h);
	return ret;
}

int vec_run_crypto_basics(const json_t *tc, struct vec_report *rep)
{
	const struct mls_suite *s;
	uint64_t suite;

	if (vec_get_uint(rep, tc, "cipher_suite", &suite))
		return -1;
	s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!s)
		return vec_fail(rep, "cipher suite %llu: %s",
				(unsigned long long)suite,
				mls_strerror(MLS_ERR_UNSUPPORTED_SUITE));
	if (check_ref_hash(s, tc, rep) || check_expand(s, tc, rep) ||
	    check_derive_secret(s, tc, rep) || check_tree_secret(s, tc, rep) ||
	    check_sign(s, tc, rep) || check_encrypt(s, tc, rep))
		return -1;
	return 0;
}
