/* SPDX-License-Identifier: MIT */
/*
 * RFC 9420 structures shared by several messages: Extension, Credential,
 * Capabilities, Lifetime, HPKECiphertext, PreSharedKeyID, and the vectors
 * of integers and byte strings they use.
 *
 * Unknown code points (§13, §13.5 GREASE):
 *  - Extension types, and every list inside Capabilities, are kept as they
 *    are: receivers MUST ignore unknown values there, and an extension's
 *    body is length-prefixed, so it can be carried opaquely.
 *  - Credential types other than basic and x509 are rejected with
 *    MLS_ERR_UNKNOWN_VALUE: the body of an unknown credential has no length
 *    prefix and cannot be skipped, and §13.5 forbids GREASE there because
 *    "an unsupported value ... will cause the enclosing message to be
 *    rejected".
 *  - Enumerations with a fixed set of cases (uint8 enums such as PSKType,
 *    ResumptionPSKUsage) reject values outside them.
 * An extension list with two extensions of the same type is rejected with
 * MLS_ERR_VALIDATION (§13: "MUST NOT have more than one extension of any
 * given type").
 */
#ifndef MLS_MSG_COMMON_H
#define MLS_MSG_COMMON_H

#include "mls/codec.h"

enum mls_protocol_version {
	MLS_PROTOCOL_MLS10 = 1,
};

enum mls_credential_type {
	MLS_CREDENTIAL_BASIC = 1,
	MLS_CREDENTIAL_X509 = 2,
};

enum mls_extension_type {
	MLS_EXT_APPLICATION_ID = 1,
	MLS_EXT_RATCHET_TREE = 2,
	MLS_EXT_REQUIRED_CAPABILITIES = 3,
	MLS_EXT_EXTERNAL_PUB = 4,
	MLS_EXT_EXTERNAL_SENDERS = 5,
	MLS_EXT_LAST_RESORT = 10,	/* §17.3, in KeyPackages */
};

/*
 * §13.5 GREASE: the 15 values 0x0A0A, 0x1A1A, ... 0xEAEA, reserved in
 * every registry so that senders can include them and receivers learn to
 * ignore values they do not know.
 */
#define MLS_GREASE_COUNT	15
static inline uint16_t mls_grease_value(unsigned int i)
{
	return (uint16_t)(0x0A0A + 0x1010 * (i % MLS_GREASE_COUNT));
}

static inline bool mls_is_grease(uint16_t v)
{
	return (v & 0x0F0F) == 0x0A0A && (v >> 12) == ((v >> 4) & 0xF) &&
	       v != 0xFAFA;
}

enum mls_psk_type {
	MLS_PSK_EXTERNAL = 1,
	MLS_PSK_RESUMPTION = 2,
};

enum mls_resumption_psk_usage {
	MLS_PSK_USAGE_APPLICATION = 1,
	MLS_PSK_USAGE_REINIT = 2,
	MLS_PSK_USAGE_BRANCH = 3,
};

/* uint16 <V>: protocol versions, cipher suites, extension/proposal/... types */
struct mls_u16_list {
	uint16_t *items;
	size_t count;
};

/* uint32 <V>: unmerged leaves */
struct mls_u32_list {
	uint32_t *items;
	size_t count;
};

/* opaque <V> <V>: certificate chains */
struct mls_bytes_list {
	struct mls_bytes *items;
	size_t count;
};

struct mls_extension {
	uint16_t type;
	struct mls_bytes data;
};

struct mls_extension_list {
	struct mls_extension *items;
	size_t count;
};

struct mls_credential {
	uint16_t type;				/* enum mls_credential_type */
	struct mls_bytes identity;		/* basic */
	struct mls_bytes_list certificates;	/* x509, end-entity first */
};

struct mls_capabilities {
	struct mls_u16_list versions;
	struct mls_u16_list cipher_suites;
	struct mls_u16_list extensions;
	struct mls_u16_list proposals;
	struct mls_u16_list credentials;
};

struct mls_lifetime {
	uint64_t not_before;
	uint64_t not_after;
};

struct mls_hpke_ciphertext {
	struct mls_bytes kem_output;
	struct mls_bytes ciphertext;
};

struct mls_psk_id {
	uint8_t psktype;		/* enum mls_psk_type */
	struct mls_bytes psk_id;	/* external */
	uint8_t usage;			/* resumption: enum mls_resumption_psk_usage */
	struct mls_bytes psk_group_id;	/* resumption */
	uint64_t psk_epoch;		/* resumption */
	struct mls_bytes psk_nonce;
};

struct mls_psk_id_list {
	struct mls_psk_id *items;
	size_t count;
};

MLS_DECLARE_CODEC(u16_list)
MLS_DECLARE_CODEC(u32_list)
MLS_DECLARE_CODEC(bytes_list)
MLS_DECLARE_CODEC(extension)
MLS_DECLARE_CODEC(extension_list)
MLS_DECLARE_CODEC(credential)
MLS_DECLARE_CODEC(capabilities)
MLS_DECLARE_CODEC(lifetime)
MLS_DECLARE_CODEC(hpke_ciphertext)
MLS_DECLARE_CODEC(psk_id)
MLS_DECLARE_CODEC(psk_id_list)

/* Whether v is among l's values. */
bool mls_u16_list_contains(const struct mls_u16_list *l, uint16_t v);

/* The extension of the given type, or NULL. */
const struct mls_extension *
mls_extension_list_find(const struct mls_extension_list *list, uint16_t type);

#endif
