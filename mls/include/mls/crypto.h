/* SPDX-License-Identifier: MIT */
/*
 * libmls crypto provider: one table entry per RFC 9420 cipher suite (§5.1)
 * with its sizes, and suite-dispatched primitives (hash, HMAC, HKDF, AEAD,
 * DHKEM, signatures) plus the MLS labelled helpers (§5.1.2, §5.1.3, §5.2).
 *
 * Keys travel in their serialised form everywhere (RFC 9180
 * SerializePublicKey/SerializePrivateKey; uncompressed points for the NIST
 * curves; 32/57-byte seeds for Ed25519/Ed448; big-endian scalars for ECDSA),
 * so callers hold plain byte buffers. Output buffers are caller-owned and
 * sized by the suite fields named in each comment. Every temporary secret
 * is wiped before return. No function keeps state between calls.
 *
 * Errors: MLS_ERR_UNSUPPORTED_SUITE (unknown suite), MLS_ERR_BAD_KEY (key
 * of the wrong size, off the curve, out of range, or a DH result of zero),
 * MLS_ERR_BAD_SIGNATURE, MLS_ERR_AUTH (AEAD/MAC check failed),
 * MLS_ERR_INVALID_ARG (bad length or NULL), MLS_ERR_RANDOM, MLS_ERR_CRYPTO.
 */
#ifndef MLS_CRYPTO_H
#define MLS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/error.h"

/* Upper bounds over all suites, for stack buffers. */
#define MLS_MAX_HASH_LEN	64
#define MLS_MAX_AEAD_KEY_LEN	32
#define MLS_MAX_AEAD_NONCE_LEN	12
#define MLS_AEAD_TAG_LEN	16
#define MLS_MAX_KEM_PUB_LEN	133	/* P-521 uncompressed point */
#define MLS_MAX_KEM_PRIV_LEN	66	/* P-521 scalar */
#define MLS_MAX_KEM_SECRET_LEN	64
#define MLS_MAX_SIG_PUB_LEN	133
#define MLS_MAX_SIG_PRIV_LEN	66
#define MLS_MAX_SIGNATURE_LEN	141	/* DER ECDSA P-521 */

/* RFC 9420 §17.1 cipher suite identifiers. */
enum mls_suite_id {
	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519 = 1,
	MLS_SUITE_P256_AES128GCM_SHA256_P256 = 2,
	MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519 = 3,
	MLS_SUITE_X448_AES256GCM_SHA512_ED448 = 4,
	MLS_SUITE_P521_AES256GCM_SHA512_P521 = 5,
	MLS_SUITE_X448_CHACHA20POLY1305_SHA512_ED448 = 6,
	MLS_SUITE_P384_AES256GCM_SHA384_P384 = 7,
};

/* Backend bindings, private to the provider. */
struct mls_dh_ops;
struct mls_sig_ops;

struct mls_suite {
	uint16_t id;
	const char *name;
	/* RFC 9180 §7 ids of the HPKE triple; TLS signature scheme */
	uint16_t kem_id;
	uint16_t kdf_id;
	uint16_t aead_id;
	uint16_t sig_scheme;
	size_t hash_len;	/* Nh: hash, HMAC and HKDF-Extract output */
	size_t aead_key_len;	/* Nk */
	size_t aead_nonce_len;	/* Nn */
	size_t aead_tag_len;
	size_t kem_pub_len;	/* Npk */
	size_t kem_priv_len;	/* Nsk */
	size_t kem_enc_len;	/* Nenc */
	size_t kem_secret_len;	/* Nsecret */
	size_t sig_pub_len;
	size_t sig_priv_len;
	size_t sig_max_len;	/* longest signature (DER ECDSA varies) */
	/* private */
	int md_type;
	int aead_type;
	const struct mls_dh_ops *dh;
	const struct mls_sig_ops *sig;
};

/* NULL for an id libmls does not implement. */
const struct mls_suite *mls_suite_get(uint16_t id);
/* Same, as an error code: MLS_ERR_UNSUPPORTED_SUITE for unknown ids. */
int mls_suite_lookup(uint16_t id, const struct mls_suite **out);
/* The MLS suite using this HPKE (KEM, KDF, AEAD) triple, or NULL. */
const struct mls_suite *mls_suite_find_hpke(uint16_t kem_id, uint16_t kdf_id,
					    uint16_t aead_id);

/*
 * Randomness. The default source is getrandom(2); tests plug a
 * deterministic one. A NULL struct mls_crypto means "default source".
 */
typedef int (*mls_random_fn)(void *ctx, uint8_t *out, size_t len);

struct mls_crypto {
	mls_random_fn random;
	void *random_ctx;
};

void mls_crypto_init(struct mls_crypto *c);
void mls_crypto_set_random(struct mls_crypto *c, mls_random_fn fn, void *ctx);
int mls_crypto_random(const struct mls_crypto *c, void *out, size_t len);

/* Constant-time equality of two equal-length buffers. */
bool mls_ct_equal(const void *a, const void *b, size_t len);

/* Hash(data) into out[hash_len]. */
int mls_hash(const struct mls_suite *s, const uint8_t *data, size_t len,
	     uint8_t *out);
/* HMAC(key, data) into out[hash_len]. */
int mls_hmac(const struct mls_suite *s, const uint8_t *key, size_t key_len,
	     const uint8_t *data, size_t len, uint8_t *out);
/* Recompute HMAC(key, data) and compare in constant time: 0 or AUTH. */
int mls_hmac_verify(const struct mls_suite *s, const uint8_t *key,
		    size_t key_len, const uint8_t *data, size_t len,
		    const uint8_t *mac, size_t mac_len);
/* HKDF-Extract into prk[hash_len]; an empty salt means Nh zero bytes. */
int mls_hkdf_extract(const struct mls_suite *s, const uint8_t *salt,
		     size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		     uint8_t *prk);
int mls_hkdf_expand(const struct mls_suite *s, const uint8_t *prk,
		    size_t prk_len, const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t out_len);

/*
 * AEAD. key must be aead_key_len and nonce aead_nonce_len bytes long.
 * Seal writes pt_len + aead_tag_len bytes to ct. Open writes
 * ct_len - aead_tag_len bytes to pt, or wipes pt and returns MLS_ERR_AUTH.
 */
int mls_aead_seal(const struct mls_suite *s, const uint8_t *key,
		  size_t key_len, const uint8_t *nonce, size_t nonce_len,
		  const uint8_t *aad, size_t aad_len, const uint8_t *pt,
		  size_t pt_len, uint8_t *ct);
int mls_aead_open(const struct mls_suite *s, const uint8_t *key,
		  size_t key_len, const uint8_t *nonce, size_t nonce_len,
		  const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		  size_t ct_len, uint8_t *pt);

/*
 * DHKEM (RFC 9180 §4.1). priv is kem_priv_len, pub kem_pub_len, enc
 * kem_enc_len and shared kem_secret_len bytes.
 */
int mls_kem_derive_keypair(const struct mls_suite *s, const uint8_t *ikm,
			   size_t ikm_len, uint8_t *priv, uint8_t *pub);
int mls_kem_generate_keypair(const struct mls_crypto *c,
			     const struct mls_suite *s, uint8_t *priv,
			     uint8_t *pub);
int mls_kem_pub_from_priv(const struct mls_suite *s, const uint8_t *priv,
			  size_t priv_len, uint8_t *pub);
/* DeserializePublicKey/PrivateKey validity checks: 0 or MLS_ERR_BAD_KEY. */
int mls_kem_validate_pub(const struct mls_suite *s, const uint8_t *pub,
			 size_t pub_len);
int mls_kem_validate_priv(const struct mls_suite *s, const uint8_t *priv,
			  size_t priv_len);
/* Encap draws its ephemeral key as DeriveKeyPair(random(Nsk)). */
int mls_kem_encap(const struct mls_crypto *c, const struct mls_suite *s,
		  const uint8_t *pk_r, size_t pk_r_len, uint8_t *shared,
		  uint8_t *enc);
int mls_kem_decap(const struct mls_suite *s, const uint8_t *enc,
		  size_t enc_len, const uint8_t *sk_r, size_t sk_r_len,
		  uint8_t *shared);

/*
 * Signatures. priv is sig_priv_len, pub sig_pub_len bytes; sig needs
 * sig_max_len bytes and *sig_len receives the length written.
 */
int mls_sig_generate_keypair(const struct mls_crypto *c,
			     const struct mls_suite *s, uint8_t *priv,
			     uint8_t *pub);
int mls_sig_pub_from_priv(const struct mls_suite *s, const uint8_t *priv,
			  size_t priv_len, uint8_t *pub);
int mls_sig_validate_pub(const struct mls_suite *s, const uint8_t *pub,
			 size_t pub_len);
int mls_sig_sign(const struct mls_crypto *c, const struct mls_suite *s,
		 const uint8_t *priv, size_t priv_len, const uint8_t *msg,
		 size_t msg_len, uint8_t *sig, size_t *sig_len);
/* 0, MLS_ERR_BAD_KEY (unusable pub) or MLS_ERR_BAD_SIGNATURE. */
int mls_sig_verify(const struct mls_suite *s, const uint8_t *pub,
		   size_t pub_len, const uint8_t *msg, size_t msg_len,
		   const uint8_t *sig, size_t sig_len);

/*
 * MLS labelled helpers. Labels are ASCII strings without the "MLS 1.0 "
 * prefix, which these functions add (RFC 9420 §5.1.2, §5.1.3, §5.2);
 * RefHash takes its label verbatim, as §5.2 defines it.
 */
int mls_expand_with_label(const struct mls_suite *s, const uint8_t *secret,
			  size_t secret_len, const char *label,
			  const uint8_t *context, size_t context_len,
			  uint8_t *out, size_t out_len);
/* out[hash_len] */
int mls_derive_secret(const struct mls_suite *s, const uint8_t *secret,
		      size_t secret_len, const char *label, uint8_t *out);
int mls_derive_tree_secret(const struct mls_suite *s, const uint8_t *secret,
			   size_t secret_len, const char *label,
			   uint32_t generation, uint8_t *out, size_t out_len);
/* out[hash_len] */
int mls_ref_hash(const struct mls_suite *s, const char *label,
		 const uint8_t *value, size_t value_len, uint8_t *out);
int mls_make_key_package_ref(const struct mls_suite *s, const uint8_t *kp,
			     size_t kp_len, uint8_t *out);
int mls_make_proposal_ref(const struct mls_suite *s,
			  const uint8_t *auth_content, size_t len,
			  uint8_t *out);

int mls_sign_with_label(const struct mls_crypto *c, const struct mls_suite *s,
			const uint8_t *priv, size_t priv_len,
			const char *label, const uint8_t *content,
			size_t content_len, uint8_t *sig, size_t *sig_len);
int mls_verify_with_label(const struct mls_suite *s, const uint8_t *pub,
			  size_t pub_len, const char *label,
			  const uint8_t *content, size_t content_len,
			  const uint8_t *sig, size_t sig_len);

/*
 * EncryptWithLabel: kem_output is kem_enc_len bytes, ct is pt_len +
 * aead_tag_len bytes. DecryptWithLabel writes ct_len - aead_tag_len bytes.
 */
int mls_encrypt_with_label(const struct mls_crypto *c,
			   const struct mls_suite *s, const uint8_t *pub,
			   size_t pub_len, const char *label,
			   const uint8_t *context, size_t context_len,
			   const uint8_t *pt, size_t pt_len,
			   uint8_t *kem_output, uint8_t *ct);
int mls_decrypt_with_label(const struct mls_suite *s, const uint8_t *priv,
			   size_t priv_len, const char *label,
			   const uint8_t *context, size_t context_len,
			   const uint8_t *kem_output, size_t kem_output_len,
			   const uint8_t *ct, size_t ct_len, uint8_t *pt);

#endif
