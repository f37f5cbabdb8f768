/* SPDX-License-Identifier: MIT */
/*
 * The MLS key schedule (RFC 9420 §8): from the previous epoch's
 * init_secret, the commit_secret, the psk_secret and the new GroupContext
 * to the secrets of one epoch; the exporter (§8.5), the external key pair
 * (§8.3... via external_secret) and the confirmation tag (§6.1, §8.1).
 *
 * Secret lifetimes. The schedule runs
 *	init_secret[n-1], commit_secret -> joiner_secret
 *	joiner_secret, psk_secret       -> member secret -> welcome_secret
 *	member secret, GroupContext     -> epoch_secret  -> epoch secrets
 * joiner_secret, the member secret and epoch_secret are intermediates:
 * they live only on the stack of these functions and are wiped before
 * they return. Only a committer keeps joiner_secret and welcome_secret a
 * little longer, in a struct mls_epoch_join that it wipes once its
 * Welcome is built. struct mls_epoch_secrets is what an epoch keeps:
 *
 *   sender_data_secret   while the epoch's messages may arrive (§6.3.2)
 *   encryption_secret    until the secret tree is built from it (§9);
 *                        then mls_epoch_secrets_drop_encryption_secret()
 *   exporter_secret      for MLS-Exporter, while the epoch's data-plane
 *                        keys may still be derived
 *   external_secret      for the external key pair (GroupInfo external_pub)
 *   confirmation_key     to compute/check this epoch's confirmation tag
 *   membership_key       to tag PublicMessages of this epoch (§6.2)
 *   resumption_psk       as long as the application allows resumption PSKs
 *                        naming this epoch (§8.6)
 *   epoch_authenticator  may be shown to users (§8.7)
 *   init_secret          the NEXT epoch's init_secret: the only secret that
 *                        crosses the epoch boundary
 *
 * mls_epoch_secrets_free() wipes all of them; the struct is then all zero.
 * Forward secrecy (§16.7) needs callers to free an epoch's secrets as
 * soon as the epoch is no longer used.
 */
#ifndef MLS_KEY_SCHEDULE_H
#define MLS_KEY_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "mls/msg_group.h"

struct mls_epoch_secrets {
	const struct mls_suite *suite;	/* NULL when freed/empty */
	uint8_t sender_data_secret[MLS_MAX_HASH_LEN];
	uint8_t encryption_secret[MLS_MAX_HASH_LEN];
	uint8_t exporter_secret[MLS_MAX_HASH_LEN];
	uint8_t external_secret[MLS_MAX_HASH_LEN];
	uint8_t confirmation_key[MLS_MAX_HASH_LEN];
	uint8_t membership_key[MLS_MAX_HASH_LEN];
	uint8_t resumption_psk[MLS_MAX_HASH_LEN];
	uint8_t epoch_authenticator[MLS_MAX_HASH_LEN];
	uint8_t init_secret[MLS_MAX_HASH_LEN];	/* for epoch n+1 */
};

/* What a committer needs in addition to build a Welcome (§12.4.3.1). */
struct mls_epoch_join {
	uint8_t joiner_secret[MLS_MAX_HASH_LEN];
	uint8_t welcome_secret[MLS_MAX_HASH_LEN];
};

void mls_epoch_secrets_free(struct mls_epoch_secrets *e);
void mls_epoch_secrets_drop_encryption_secret(struct mls_epoch_secrets *e);
void mls_epoch_join_wipe(struct mls_epoch_join *j);

/*
 * Every secret below is suite->hash_len bytes. A NULL commit_secret or
 * psk_secret stands for the all-zero vector the RFC uses when there is no
 * UpdatePath (§12.4) or no PSK (§8.4). gc->cipher_suite must match s.
 *
 * mls_key_schedule_advance: a member moving to the epoch gc describes.
 * join may be NULL; if given it receives joiner_secret and welcome_secret.
 * On error *out and *join are left zeroed.
 */
int mls_key_schedule_advance(const struct mls_suite *s,
			     const uint8_t *init_secret,
			     const uint8_t *commit_secret,
			     const uint8_t *psk_secret,
			     const struct mls_group_context *gc,
			     struct mls_epoch_secrets *out,
			     struct mls_epoch_join *join);

/* A new member that learnt joiner_secret from a Welcome (§12.4.3.1). */
int mls_key_schedule_from_joiner(const struct mls_suite *s,
				 const uint8_t *joiner_secret,
				 const uint8_t *psk_secret,
				 const struct mls_group_context *gc,
				 struct mls_epoch_secrets *out);

/*
 * welcome_secret = DeriveSecret(Extract(joiner_secret, psk_secret),
 * "welcome"): a joiner needs it before it can read the GroupContext.
 */
int mls_key_schedule_welcome_secret(const struct mls_suite *s,
				    const uint8_t *joiner_secret,
				    const uint8_t *psk_secret,
				    uint8_t *welcome_secret);

/*
 * MLS-Exporter(label, context, length) (§8.5) from e->exporter_secret.
 * label is ASCII text, used as given (it is not hex-decoded or
 * prefixed by the caller). out_len is at most 65535.
 */
int mls_epoch_export(const struct mls_epoch_secrets *e, const char *label,
		     const uint8_t *context, size_t context_len,
		     uint8_t *out, size_t out_len);

/* DeriveKeyPair(external_secret) (§8.3): kem_priv_len / kem_pub_len. */
int mls_epoch_external_keypair(const struct mls_epoch_secrets *e,
			       uint8_t *priv, uint8_t *pub);

/*
 * confirmation_tag = MAC(confirmation_key, confirmed_transcript_hash)
 * (§6.1): out[hash_len]. Verification compares in constant time and
 * returns 0 or MLS_ERR_AUTH.
 */
int mls_confirmation_tag(const struct mls_epoch_secrets *e,
			 const uint8_t *confirmed_transcript_hash,
			 size_t cth_len, uint8_t *out);
int mls_confirmation_tag_verify(const struct mls_epoch_secrets *e,
				const uint8_t *confirmed_transcript_hash,
				size_t cth_len, const uint8_t *tag,
				size_t tag_len);

#endif
