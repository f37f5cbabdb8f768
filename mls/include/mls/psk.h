/* SPDX-License-Identifier: MIT */
/*
 * Pre-shared keys (RFC 9420 §8.4): psk_secret from a list of
 * PreSharedKeyIDs and their secrets, external or resumption alike. An
 * empty list gives the all-zero psk_secret of length Nh.
 *
 * The caller resolves each ID to its secret: an external PSK from its own
 * store, a resumption PSK from the resumption_psk of the epoch it names
 * (struct mls_epoch_secrets). libmls keeps no PSK store.
 */
#ifndef MLS_PSK_H
#define MLS_PSK_H

#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "mls/msg_common.h"

struct mls_psk {
	const struct mls_psk_id *id;
	const uint8_t *secret;
	size_t secret_len;
};

/*
 * out[hash_len]. Errors: MLS_ERR_INVALID_ARG (more than 65535 PSKs, as
 * PSKLabel counts them in a uint16, or a NULL id/secret),
 * MLS_ERR_UNKNOWN_VALUE (psktype neither external nor resumption),
 * MLS_ERR_VALIDATION (psk_nonce not Nh bytes long, §8.4 "MUST").
 * out is wiped on error.
 */
int mls_psk_secret(const struct mls_suite *s, const struct mls_psk *psks,
		   size_t count, uint8_t *out);

/*
 * Finds the secret for id: sets *secret (caller-owned memory that stays
 * valid until mls_psk_secret_from_ids returns) and returns 0, or returns
 * MLS_ERR_NOT_FOUND.
 */
typedef int (*mls_psk_lookup_fn)(void *ctx, const struct mls_psk_id *id,
				 const uint8_t **secret, size_t *secret_len);

/* psk_secret over ids, each resolved with lookup (may be NULL if empty). */
int mls_psk_secret_from_ids(const struct mls_suite *s,
			    const struct mls_psk_id_list *ids,
			    mls_psk_lookup_fn lookup, void *ctx, uint8_t *out);

#endif
