// SPDX-License-Identifier: MIT
/* RFC 9180 §4 LabeledExtract/LabeledExpand and the suite_id strings. */
#include <string.h>

#include "crypto_internal.h"

static const uint8_t hpke_version[] = { 'H', 'P', 'K', 'E', '-', 'v', '1' };

static void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* suite_id = "KEM" || I2OSP(kem_id, 2) (§4.1) */
size_t mls_hpke_kem_suite_id(const struct mls_suite *s, uint8_t *out)
{
	memcpy(out, "KEM", 3);
	put_u16(out + 3, s->kem_id);
	return 5;
}

/* suite_id = "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || ... (§5.1) */
size_t mls_hpke_suite_id(const struct mls_suite *s, uint8_t *out)
{
	memcpy(out, "HPKE", 4);
	put_u16(out + 4, s->kem_id);
	put_u16(out + 6, s->kdf_id);
	put_u16(out + 8, s->aead_id);
	return 10;
}

int mls_hpke_labeled_extract(const struct mls_suite *s,
			     const uint8_t *suite_id, size_t suite_id_len,
			     const uint8_t *salt, size_t salt_len,
			     const char *label, const uint8_t *ikm,
			     size_t ikm_len, uint8_t *prk)
{
	const struct mls_iov parts[] = {
		{ hpke_version, sizeof(hpke_version) },
		{ suite_id, suite_id_len },
		{ (const uint8_t *)label, strlen(label) },
		{ ikm, ikm_len },
	};

	/* Extract(salt, m) = HMAC(salt, m); an empty salt is HMAC's zero key */
	return mls_hmac_iov(s, salt, salt_len, parts, 4, prk);
}

int mls_hpke_labeled_expand(const struct mls_suite *s,
			    const uint8_t *suite_id, size_t suite_id_len,
			    const uint8_t *prk, size_t prk_len,
			    const char *label, const uint8_t *info,
			    size_t info_len, uint8_t *out, size_t out_len)
{
	uint8_t len_be[2];
	const struct mls_iov parts[] = {
		{ len_be, 2 },
		{ hpke_version, sizeof(hpke_version) },
		{ suite_id, suite_id_len },
		{ (const uint8_t *)label, strlen(label) },
		{ info, info_len },
	};

	if (out_len > 0xffff)
		return MLS_ERR_INVALID_ARG;
	put_u16(len_be, (uint16_t)out_len);
	return mls_hkdf_expand_iov(s, prk, prk_len, parts, 5, out, out_len);
}
