/* SPDX-License-Identifier: MIT */
/*
 * Private glue between the provider's files: backend operation tables and
 * the RFC 9180 labelled KDF used by both DHKEM and the HPKE key schedule.
 */
#ifndef MLS_CRYPTO_INTERNAL_H
#define MLS_CRYPTO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"

enum mls_aead_type {
	MLS_AEAD_AES_GCM,
	MLS_AEAD_CHACHA20_POLY1305,
};

/*
 * A Diffie-Hellman group for DHKEM. candidate_mask is 0 for X25519/X448
 * (DeriveKeyPair takes the expanded bytes as is and the DH clamps) and the
 * first-byte mask of the rejection sampling loop for NIST curves
 * (RFC 9180 §7.1.3).
 */
struct mls_dh_ops {
	size_t pub_len;
	size_t priv_len;
	size_t dh_len;
	uint8_t candidate_mask;
	int ecp_id;		/* mbedtls_ecp_group_id for NIST curves */
	int (*check_priv)(const struct mls_dh_ops *ops, const uint8_t *priv);
	int (*check_pub)(const struct mls_dh_ops *ops, const uint8_t *pub);
	int (*pub_from_priv)(const struct mls_dh_ops *ops, const uint8_t *priv,
			     uint8_t *pub);
	int (*dh)(const struct mls_dh_ops *ops, const uint8_t *priv,
		  const uint8_t *pub, uint8_t *out);
};

extern const struct mls_dh_ops mls_dh_x25519;
extern const struct mls_dh_ops mls_dh_x448;
extern const struct mls_dh_ops mls_dh_p256;
extern const struct mls_dh_ops mls_dh_p384;
extern const struct mls_dh_ops mls_dh_p521;

struct mls_sig_ops {
	size_t pub_len;
	size_t priv_len;
	size_t max_sig_len;
	int ecp_id;		/* ECDSA curve, or 0 for EdDSA */
	int md_type;		/* ECDSA message hash */
	uint8_t first_byte_mask;	/* ECDSA: bits above the order */
	/*
	 * verify itself rejects every key check_pub would, except ones whose
	 * signatures it cannot accept anyway: then mls_sig_verify runs
	 * check_pub only to tell a bad key from a bad signature.
	 */
	bool verify_screens_pub;
	int (*generate)(const struct mls_sig_ops *ops,
			const struct mls_crypto *c, uint8_t *priv);
	int (*pub_from_priv)(const struct mls_sig_ops *ops,
			     const uint8_t *priv, uint8_t *pub);
	int (*check_pub)(const struct mls_sig_ops *ops, const uint8_t *pub);
	int (*sign)(const struct mls_sig_ops *ops, const struct mls_crypto *c,
		    const uint8_t *priv, const uint8_t *msg, size_t msg_len,
		    uint8_t *sig, size_t *sig_len);
	int (*verify)(const struct mls_sig_ops *ops, const uint8_t *pub,
		      const uint8_t *msg, size_t msg_len, const uint8_t *sig,
		      size_t sig_len);
};

extern const struct mls_sig_ops mls_sig_ed25519;
extern const struct mls_sig_ops mls_sig_ed448;
extern const struct mls_sig_ops mls_sig_p256;
extern const struct mls_sig_ops mls_sig_p384;
extern const struct mls_sig_ops mls_sig_p521;

/* mbedTLS-style RNG callback over a struct mls_crypto (may be NULL). */
int mls_crypto_mbedtls_rng(void *p_rng, unsigned char *out, size_t len);

/*
 * NIST-curve scalar helpers shared by ECDH and ECDSA. P-256 goes to our
 * own arithmetic (p256.h), P-384/P-521 to mbedTLS.
 */
struct mbedtls_ecp_group;
/*
 * The process-wide mbedTLS group for a NIST curve, loaded and with its
 * table for G built once: read-only from then on, so shareable between
 * threads (the mbedTLS API takes it non-const; never modify it). NULL if
 * mbedTLS cannot load the curve.
 */
struct mbedtls_ecp_group *mls_ecp_group(int ecp_id);
int mls_ecp_check_scalar(int ecp_id, const uint8_t *priv, size_t priv_len);
int mls_ecp_pub_from_scalar(int ecp_id, const uint8_t *priv, size_t priv_len,
			    uint8_t *pub, size_t pub_len);
int mls_ecp_check_point(int ecp_id, const uint8_t *pub, size_t pub_len);
int mls_ecp_dh(int ecp_id, const uint8_t *priv, size_t priv_len,
	       const uint8_t *pub, size_t pub_len, uint8_t *out,
	       size_t out_len);

/* Scatter list for HMAC/HKDF inputs built from several pieces. */
struct mls_iov {
	const uint8_t *data;
	size_t len;
};

int mls_hmac_iov(const struct mls_suite *s, const uint8_t *key,
		 size_t key_len, const struct mls_iov *in, size_t n_in,
		 uint8_t *out);
/* HKDF-Expand (RFC 5869 §2.3) with info = concatenation of in[]. */
int mls_hkdf_expand_iov(const struct mls_suite *s, const uint8_t *prk,
			size_t prk_len, const struct mls_iov *in, size_t n_in,
			uint8_t *out, size_t out_len);

/* Longest RFC 9180 suite_id ("HPKE" + three uint16). */
#define MLS_HPKE_SUITE_ID_MAX 10

/* RFC 9180 §4 LabeledExtract into prk[hash_len]. */
int mls_hpke_labeled_extract(const struct mls_suite *s,
			     const uint8_t *suite_id, size_t suite_id_len,
			     const uint8_t *salt, size_t salt_len,
			     const char *label, const uint8_t *ikm,
			     size_t ikm_len, uint8_t *prk);
/* RFC 9180 §4 LabeledExpand. */
int mls_hpke_labeled_expand(const struct mls_suite *s,
			    const uint8_t *suite_id, size_t suite_id_len,
			    const uint8_t *prk, size_t prk_len,
			    const char *label, const uint8_t *info,
			    size_t info_len, uint8_t *out, size_t out_len);
size_t mls_hpke_kem_suite_id(const struct mls_suite *s, uint8_t *out);
size_t mls_hpke_suite_id(const struct mls_suite *s, uint8_t *out);

void mls_crypto_wipe(void *p, size_t len);

#endif
