// SPDX-License-Identifier: MIT
/*
 * RFC 9420 labelled helpers: ExpandWithLabel/DeriveSecret (§8),
 * DeriveTreeSecret (§9), RefHash (§5.2), SignWithLabel (§5.1.2) and
 * EncryptWithLabel (§5.1.3). The small structs they hash, sign or feed to
 * HPKE are TLS-encoded with the codec's writer.
 */
#include <string.h>

#include "mls/codec.h"
#include "mls/hpke.h"

#include "crypto_internal.h"

static const char mls_label_prefix[] = "MLS 1.0 ";

/* opaque label<V> = "MLS 1.0 " + Label */
static void write_mls_label(struct mls_writer *w, const char *label)
{
	size_t mark = mls_write_vector_begin(w);

	mls_write_raw(w, mls_label_prefix, sizeof(mls_label_prefix) - 1);
	mls_write_raw(w, label, strlen(label));
	mls_write_vector_end(w, mark);
}

/* struct { opaque label<V>; opaque content<V>; } (SignContent etc.) */
static int encode_labelled(const char *label, const uint8_t *content,
			   size_t content_len, struct mls_bytes *out)
{
	struct mls_writer w;

	if (!label || (!content && content_len))
		return MLS_ERR_INVALID_ARG;
	mls_writer_init(&w);
	write_mls_label(&w, label);
	mls_write_opaque(&w, content, content_len);
	return mls_writer_finish(&w, out);
}

int mls_expand_with_label(const struct mls_suite *s, const uint8_t *secret,
			  size_t secret_len, const char *label,
			  const uint8_t *context, size_t context_len,
			  uint8_t *out, size_t out_len)
{
	struct mls_bytes kdf_label = { NULL, 0 };
	struct mls_writer w;
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!label || (!context && context_len) || out_len > 0xffff)
		return MLS_ERR_INVALID_ARG;
	/* struct { uint16 length; opaque label<V>; opaque context<V>; } */
	mls_writer_init(&w);
	mls_write_u16(&w, (uint16_t)out_len);
	write_mls_label(&w, label);
	mls_write_opaque(&w, context, context_len);
	ret = mls_writer_finish(&w, &kdf_label);
	if (!ret)
		ret = mls_hkdf_expand(s, secret, secret_len, kdf_label.data,
				      kdf_label.len, out, out_len);
	mls_bytes_free_secret(&kdf_label);
	return ret;
}

int mls_derive_secret(const struct mls_suite *s, const uint8_t *secret,
		      size_t secret_len, const char *label, uint8_t *out)
{
	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	return mls_expand_with_label(s, secret, secret_len, label, NULL, 0,
				     out, s->hash_len);
}

int mls_derive_tree_secret(const struct mls_suite *s, const uint8_t *secret,
			   size_t secret_len, const char *label,
			   uint32_t generation, uint8_t *out, size_t out_len)
{
	const uint8_t gen_be[4] = {
		(uint8_t)(generation >> 24), (uint8_t)(generation >> 16),
		(uint8_t)(generation >> 8), (uint8_t)generation,
	};

	return mls_expand_with_label(s, secret, secret_len, label, gen_be,
				     sizeof(gen_be), out, out_len);
}

int mls_ref_hash(const struct mls_suite *s, const char *label,
		 const uint8_t *value, size_t value_len, uint8_t *out)
{
	struct mls_bytes input = { NULL, 0 };
	struct mls_writer w;
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!label || (!value && value_len))
		return MLS_ERR_INVALID_ARG;
	/* RefHashInput { opaque label<V>; opaque value<V>; }, no prefix */
	mls_writer_init(&w);
	mls_write_opaque(&w, label, strlen(label));
	mls_write_opaque(&w, value, value_len);
	ret = mls_writer_finish(&w, &input);
	if (!ret)
		ret = mls_hash(s, input.data, input.len, out);
	mls_bytes_free(&input);
	return ret;
}

int mls_make_key_package_ref(const struct mls_suite *s, const uint8_t *kp,
			     size_t kp_len, uint8_t *out)
{
	return mls_ref_hash(s, "MLS 1.0 KeyPackage Reference", kp, kp_len,
			    out);
}

int mls_make_proposal_ref(const struct mls_suite *s,
			  const uint8_t *auth_content, size_t len,
			  uint8_t *out)
{
	return mls_ref_hash(s, "MLS 1.0 Proposal Reference", auth_content,
			    len, out);
}

int mls_sign_with_label(const struct mls_crypto *c, const struct mls_suite *s,
			const uint8_t *priv, size_t priv_len,
			const char *label, const uint8_t *content,
			size_t content_len, uint8_t *sig, size_t *sig_len)
{
	struct mls_bytes tbs = { NULL, 0 };
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	ret = encode_labelled(label, content, content_len, &tbs);
	if (!ret)
		ret = mls_sig_sign(c, s, priv, priv_len, tbs.data, tbs.len,
				   sig, sig_len);
	mls_bytes_free(&tbs);
	return ret;
}

int mls_verify_with_label(const struct mls_suite *s, const uint8_t *pub,
			  size_t pub_len, const char *label,
			  const uint8_t *content, size_t content_len,
			  const uint8_t *sig, size_t sig_len)
{
	struct mls_bytes tbs = { NULL, 0 };
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	ret = encode_labelled(label, content, content_len, &tbs);
	if (!ret)
		ret = mls_sig_verify(s, pub, pub_len, tbs.data, tbs.len, sig,
				     sig_len);
	mls_bytes_free(&tbs);
	return ret;
}

/* SealBase(pub, EncryptContext, "", plaintext) */
int mls_encrypt_with_label(const struct mls_crypto *c,
			   const struct mls_suite *s, const uint8_t *pub,
			   size_t pub_len, const char *label,
			   const uint8_t *context, size_t context_len,
			   const uint8_t *pt, size_t pt_len,
			   uint8_t *kem_output, uint8_t *ct)
{
	struct mls_bytes info = { NULL, 0 };
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	ret = encode_labelled(label, context, context_len, &info);
	if (!ret)
		ret = mls_hpke_seal_base(c, s, pub, pub_len, info.data,
					 info.len, NULL, 0, pt, pt_len,
					 kem_output, ct);
	mls_bytes_free(&info);
	return ret;
}

int mls_decrypt_with_label(const struct mls_suite *s, const uint8_t *priv,
			   size_t priv_len, const char *label,
			   const uint8_t *context, size_t context_len,
			   const uint8_t *kem_output, size_t kem_output_len,
			   const uint8_t *ct, size_t ct_len, uint8_t *pt)
{
	struct mls_bytes info = { NULL, 0 };
	int ret;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	ret = encode_labelled(label, context, context_len, &info);
	if (!ret)
		ret = mls_hpke_open_base(s, kem_output, kem_output_len, priv,
					 priv_len, info.data, info.len, NULL,
					 0, ct, ct_len, pt);
	mls_bytes_free(&info);
	return ret;
}
