/* SPDX-License-Identifier: MIT */
/*
 * Welcome (RFC 9420 §12.4.3.1): joining a group from a Welcome, and the
 * committer's side of building one. GroupInfo signing (§12.4.3).
 *
 * A joiner:
 *   1. finds its EncryptedGroupSecrets by KeyPackageRef,
 *   2. HPKE-decrypts GroupSecrets (EncryptWithLabel "Welcome", context =
 *      encrypted_group_info) with its KeyPackage's init private key,
 *   3. computes psk_secret from GroupSecrets.psks, then welcome_secret,
 *   4. decrypts the GroupInfo with the welcome key and nonce,
 *   5. verifies the GroupInfo signature with the signer's key,
 *   6. runs the key schedule from joiner_secret over the GroupContext and
 *      checks the GroupInfo's confirmation tag,
 *   7. starts its interim transcript hash from that tag (§8.2).
 * The ratchet tree (from the ratchet_tree extension or out of band) is not
 * processed here: the signer key callback is where a caller that has
 * built the tree looks the signer's leaf up.
 *
 * Errors of mls_welcome_join, each from one step only:
 *   MLS_ERR_VALIDATION   suite mismatch between Welcome, KeyPackage,
 *                        parameters and GroupContext; joiner_secret or
 *                        psk_nonce of the wrong length
 *   MLS_ERR_NOT_FOUND    no entry for this KeyPackage; a PSK not found
 *   MLS_ERR_AUTH         GroupSecrets or GroupInfo fail AEAD (wrong key,
 *                        tampered ciphertext or encrypted_group_info), or
 *                        the confirmation tag does not match
 *   MLS_ERR_BAD_SIGNATURE the GroupInfo signature does not verify
 *   MLS_ERR_DECODE etc.  a decrypted structure is malformed
 * On any error *out is zeroed and every secret touched is wiped.
 */
#ifndef MLS_WELCOME_H
#define MLS_WELCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "mls/key_schedule.h"
#include "mls/msg_group.h"
#include "mls/psk.h"

/*
 * Sets *pub to the signature public key of leaf gi->signer (memory the
 * callback's owner keeps alive during mls_welcome_join), or returns an
 * error (MLS_ERR_NOT_FOUND for a blank or absent leaf).
 */
typedef int (*mls_welcome_signer_key_fn)(void *ctx, const struct mls_group_info *gi,
				 const uint8_t **pub, size_t *pub_len);

struct mls_welcome_join_params {
	const struct mls_suite *suite;
	/* The joiner's KeyPackage as encoded (not MLSMessage-wrapped) */
	const uint8_t *key_package;
	size_t key_package_len;
	const uint8_t *init_priv;	/* its init_key's private key */
	size_t init_priv_len;
	mls_psk_lookup_fn psk_lookup;	/* NULL if no PSKs are known */
	void *psk_ctx;
	mls_welcome_signer_key_fn signer_key;
	void *signer_ctx;
};

/* What a joiner takes away; free with mls_joined_epoch_free(). */
struct mls_joined_epoch {
	struct mls_group_info group_info;
	bool has_path_secret;
	struct mls_bytes path_secret;	/* secret; wiped on free */
	struct mls_epoch_secrets secrets;
	uint8_t interim_transcript_hash[MLS_MAX_HASH_LEN];
};

int mls_welcome_join(const struct mls_welcome_join_params *p,
		     const struct mls_welcome *w,
		     struct mls_joined_epoch *out);
void mls_joined_epoch_free(struct mls_joined_epoch *j);

/* SignWithLabel(., "GroupInfoTBS", GroupInfoTBS) into gi->signature. */
int mls_group_info_sign(const struct mls_crypto *c, const struct mls_suite *s,
			struct mls_group_info *gi, const uint8_t *sig_priv,
			size_t sig_priv_len);
/* 0, MLS_ERR_BAD_SIGNATURE or MLS_ERR_BAD_KEY. */
int mls_group_info_verify(const struct mls_suite *s,
			  const struct mls_group_info *gi,
			  const uint8_t *sig_pub, size_t sig_pub_len);

/*
 * Committer side. mls_welcome_init starts *w (overwritten, not freed)
 * with the GroupInfo encrypted under welcome_secret and no entries;
 * mls_welcome_add_member appends one new member's EncryptedGroupSecrets.
 * Free *w with mls_welcome_free().
 */
int mls_welcome_init(const struct mls_suite *s, const uint8_t *welcome_secret,
		     const struct mls_group_info *gi, struct mls_welcome *w);
int mls_welcome_add_member(const struct mls_crypto *c,
			   const struct mls_suite *s, struct mls_welcome *w,
			   const uint8_t *key_package, size_t key_package_len,
			   const struct mls_group_secrets *gs);

#endif
