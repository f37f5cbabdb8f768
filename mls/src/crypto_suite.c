// SPDX-License-Identifier: MIT
/* The RFC 9420 §5.1 cipher suite table. */
#include <stddef.h>

#include <mbedtls/md.h>

#include "crypto_internal.h"

#define HPKE_KEM_P256		0x0010
#define HPKE_KEM_P384		0x0011
#define HPKE_KEM_P521		0x0012
#define HPKE_KEM_X25519		0x0020
#define HPKE_KEM_X448		0x0021
#define HPKE_KDF_SHA256		0x0001
#define HPKE_KDF_SHA384		0x0002
#define HPKE_KDF_SHA512		0x0003
#define HPKE_AEAD_AES128GCM	0x0001
#define HPKE_AEAD_AES256GCM	0x0002
#define HPKE_AEAD_CHACHA	0x0003

/* TLS SignatureScheme values (RFC 8446 §4.2.3). */
#define SIG_ECDSA_P256_SHA256	0x0403
#define SIG_ECDSA_P384_SHA384	0x0503
#define SIG_ECDSA_P521_SHA512	0x0603
#define SIG_ED25519		0x0807
#define SIG_ED448		0x0808

#define KEM(kid, npk, nsk, nsec, ops) \
	.kem_id = (kid), .kem_pub_len = (npk), .kem_priv_len = (nsk), \
	.kem_enc_len = (npk), .kem_secret_len = (nsec), .dh = &(ops)
#define KDF(fid, nh, md) .kdf_id = (fid), .hash_len = (nh), .md_type = (md)
#define AEAD(aid, nk, type) \
	.aead_id = (aid), .aead_key_len = (nk), .aead_nonce_len = 12, \
	.aead_tag_len = MLS_AEAD_TAG_LEN, .aead_type = (type)
#define SIG(scheme, npub, npriv, nsig, ops) \
	.sig_scheme = (scheme), .sig_pub_len = (npub), \
	.sig_priv_len = (npriv), .sig_max_len = (nsig), .sig = &(ops)

static const struct mls_suite suites[] = {
	{
		.id = 1, .name = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519",
		KEM(HPKE_KEM_X25519, 32, 32, 32, mls_dh_x25519),
		KDF(HPKE_KDF_SHA256, 32, MBEDTLS_MD_SHA256),
		AEAD(HPKE_AEAD_AES128GCM, 16, MLS_AEAD_AES_GCM),
		SIG(SIG_ED25519, 32, 32, 64, mls_sig_ed25519),
	},
	{
		.id = 2, .name = "MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
		KEM(HPKE_KEM_P256, 65, 32, 32, mls_dh_p256),
		KDF(HPKE_KDF_SHA256, 32, MBEDTLS_MD_SHA256),
		AEAD(HPKE_AEAD_AES128GCM, 16, MLS_AEAD_AES_GCM),
		SIG(SIG_ECDSA_P256_SHA256, 65, 32, 72, mls_sig_p256),
	},
	{
		.id = 3,
		.name = "MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519",
		KEM(HPKE_KEM_X25519, 32, 32, 32, mls_dh_x25519),
		KDF(HPKE_KDF_SHA256, 32, MBEDTLS_MD_SHA256),
		AEAD(HPKE_AEAD_CHACHA, 32, MLS_AEAD_CHACHA20_POLY1305),
		SIG(SIG_ED25519, 32, 32, 64, mls_sig_ed25519),
	},
	{
		.id = 4, .name = "MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448",
		KEM(HPKE_KEM_X448, 56, 56, 64, mls_dh_x448),
		KDF(HPKE_KDF_SHA512, 64, MBEDTLS_MD_SHA512),
		AEAD(HPKE_AEAD_AES256GCM, 32, MLS_AEAD_AES_GCM),
		SIG(SIG_ED448, 57, 57, 114, mls_sig_ed448),
	},
	{
		.id = 5, .name = "MLS_256_DHKEMP521_AES256GCM_SHA512_P521",
		KEM(HPKE_KEM_P521, 133, 66, 64, mls_dh_p521),
		KDF(HPKE_KDF_SHA512, 64, MBEDTLS_MD_SHA512),
		AEAD(HPKE_AEAD_AES256GCM, 32, MLS_AEAD_AES_GCM),
		SIG(SIG_ECDSA_P521_SHA512, 133, 66, 141, mls_sig_p521),
	},
	{
		.id = 6,
		.name = "MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448",
		KEM(HPKE_KEM_X448, 56, 56, 64, mls_dh_x448),
		KDF(HPKE_KDF_SHA512, 64, MBEDTLS_MD_SHA512),
		AEAD(HPKE_AEAD_CHACHA, 32, MLS_AEAD_CHACHA20_POLY1305),
		SIG(SIG_ED448, 57, 57, 114, mls_sig_ed448),
	},
	{
		.id = 7, .name = "MLS_256_DHKEMP384_AES256GCM_SHA384_P384",
		KEM(HPKE_KEM_P384, 97, 48, 48, mls_dh_p384),
		KDF(HPKE_KDF_SHA384, 48, MBEDTLS_MD_SHA384),
		AEAD(HPKE_AEAD_AES256GCM, 32, MLS_AEAD_AES_GCM),
		SIG(SIG_ECDSA_P384_SHA384, 97, 48, 104, mls_sig_p384),
	},
};

#define N_SUITES (sizeof(suites) / sizeof(suites[0]))

const struct mls_suite *mls_suite_get(uint16_t id)
{
	size_t i;

	for (i = 0; i < N_SUITES; i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

int mls_suite_lookup(uint16_t id, const struct mls_suite **out)
{
	*out = mls_suite_get(id);
	return *out ? 0 : MLS_ERR_UNSUPPORTED_SUITE;
}

const struct mls_suite *mls_suite_find_hpke(uint16_t kem_id, uint16_t kdf_id,
					    uint16_t aead_id)
{
	size_t i;

	for (i = 0; i < N_SUITES; i++)
		if (suites[i].kem_id == kem_id && suites[i].kdf_id == kdf_id &&
		    suites[i].aead_id == aead_id)
			return &suites[i];
	return NULL;
}
