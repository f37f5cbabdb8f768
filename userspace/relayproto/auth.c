// SPDX-License-Identifier: MIT
/*
 * The host's identity proof to the relay: SignWithLabel over
 * challenge || relay-certificate fingerprint. Binding the fingerprint
 * stops a second relay from replaying a host's answer to the first.
 * This identifies a host for routing; it admits nobody to a group.
 */
#include <string.h>

#include "mls/crypto.h"
#include "relayproto.h"

static void auth_content(uint8_t out[RP_CHALLENGE_LEN + RP_FINGERPRINT_LEN],
			 const uint8_t challenge[RP_CHALLENGE_LEN],
			 const uint8_t fingerprint[RP_FINGERPRINT_LEN])
{
	memcpy(out, challenge, RP_CHALLENGE_LEN);
	memcpy(out + RP_CHALLENGE_LEN, fingerprint, RP_FINGERPRINT_LEN);
}

int rp_auth_sign(uint16_t suite, const uint8_t *priv, size_t priv_len,
		 const uint8_t challenge[RP_CHALLENGE_LEN],
		 const uint8_t fingerprint[RP_FINGERPRINT_LEN],
		 uint8_t *sig, size_t *sig_len)
{
	uint8_t content[RP_CHALLENGE_LEN + RP_FINGERPRINT_LEN];
	const struct mls_suite *s = mls_suite_get(suite);

	if (!s)
		return RP_E_CRYPTO;
	auth_content(content, challenge, fingerprint);
	return mls_sign_with_label(NULL, s, priv, priv_len, RP_AUTH_LABEL,
				   content, sizeof(content), sig, sig_len) ?
		RP_E_CRYPTO : 0;
}

int rp_auth_verify(uint16_t suite, const uint8_t *pub, size_t pub_len,
		   const uint8_t challenge[RP_CHALLENGE_LEN],
		   const uint8_t fingerprint[RP_FINGERPRINT_LEN],
		   const uint8_t *sig, size_t sig_len)
{
	uint8_t content[RP_CHALLENGE_LEN + RP_FINGERPRINT_LEN];
	const struct mls_suite *s = mls_suite_get(suite);

	if (!s)
		return RP_E_CRYPTO;
	auth_content(content, challenge, fingerprint);
	return mls_verify_with_label(s, pub, pub_len, RP_AUTH_LABEL, content,
				     sizeof(content), sig, sig_len) ?
		RP_E_CRYPTO : 0;
}
