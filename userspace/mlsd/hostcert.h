/* SPDX-License-Identifier: MIT */
/*
 * mlsdco host certificate v1 and its CRL (docs/ADMISSION.md has the
 * format byte by byte). A network CA (an Ed25519 key, libsodium,
 * independent of the groups' cipher suite) signs, for one host: the
 * network's name, the host's name, the MLS cipher suite and signature
 * key it uses, its tunnel address prefixes and a validity window. The
 * certificate travels as the identity of the host's BasicCredential, so
 * every member checks it without any change to MLS.
 */
#ifndef MLSD_HOSTCERT_H
#define MLSD_HOSTCERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/codec.h"
#include "mls/crypto.h"
#include "err.h"
#include "prefix.h"

#define MLSD_CERT_VERSION	1
#define MLSD_CERT_LABEL		"mlsdco host cert v1"
#define MLSD_CRL_LABEL		"mlsdco crl v1"
#define MLSD_CA_PUB_LEN		32	/* Ed25519 */
#define MLSD_CA_SEED_LEN	32
#define MLSD_CA_SIG_LEN		64
#define MLSD_KEY_ID_LEN		32	/* SHA-256 of the CA public key */
#define MLSD_NAME_MAX		63	/* network and host names */
#define MLSD_CERT_MAX_PREFIXES	16

/* Network and host names: 1-63 of [A-Za-z0-9._-], starting alphanumeric. */
bool mlsd_name_valid(const char *name);

struct mlsd_ca_pub {
	char network[MLSD_NAME_MAX + 1];
	uint8_t pub[MLSD_CA_PUB_LEN];
	uint8_t id[MLSD_KEY_ID_LEN];
};

struct mlsd_ca_priv {
	char network[MLSD_NAME_MAX + 1];
	uint8_t seed[MLSD_CA_SEED_LEN];
};

int mlsd_ca_generate(const char *network, struct mlsd_ca_priv *priv,
		     struct mlsd_ca_pub *pub, struct mlsd_err *e);
void mlsd_ca_pub_of(const struct mlsd_ca_priv *priv, struct mlsd_ca_pub *pub);
void mlsd_ca_priv_wipe(struct mlsd_ca_priv *priv);
/* The issuer key id: SHA-256 (mbedTLS) of the 32-byte public key. */
void mlsd_ca_key_id(const uint8_t pub[MLSD_CA_PUB_LEN],
		    uint8_t id[MLSD_KEY_ID_LEN]);
/* "mlsdco-ca-pub:NETWORK:B64" / "mlsdco-ca-priv:NETWORK:B64" files. */
int mlsd_ca_pub_format(const struct mlsd_ca_pub *p, char *out, size_t cap);
int mlsd_ca_priv_format(const struct mlsd_ca_priv *p, char *out, size_t cap);
int mlsd_ca_pub_load(const char *path, struct mlsd_ca_pub *p,
		     struct mlsd_err *e);
int mlsd_ca_priv_load(const char *path, struct mlsd_ca_priv *p,
		      struct mlsd_err *e);

struct mlsd_host_cert {
	uint16_t version;
	char network[MLSD_NAME_MAX + 1];
	char host[MLSD_NAME_MAX + 1];
	uint16_t suite;
	uint8_t sig_key[MLS_MAX_SIG_PUB_LEN];
	size_t sig_key_len;
	struct mlsd_prefix prefixes[MLSD_CERT_MAX_PREFIXES];
	size_t n_prefixes;
	uint64_t not_before;
	uint64_t not_after;
	uint64_t serial;
	uint8_t issuer[MLSD_KEY_ID_LEN];
	uint8_t signature[MLSD_CA_SIG_LEN];
};

/* Why a certificate (or CRL) is refused: one reason per check. */
enum mlsd_cert_status {
	MLSD_CERT_OK = 0,
	MLSD_CERT_DECODE,		/* not a well-formed v1 encoding */
	MLSD_CERT_BAD_VERSION,	/* another version */
	MLSD_CERT_NETWORK,		/* issued for another network */
	MLSD_CERT_ISSUER,		/* issuer key id is not our CA's */
	MLSD_CERT_SIGNATURE,		/* CA signature does not verify */
	MLSD_CERT_NOT_YET_VALID,
	MLSD_CERT_EXPIRED,
	MLSD_CERT_REVOKED,		/* serial on the CRL */
	MLSD_CERT_SUITE,		/* another MLS cipher suite */
	MLSD_CERT_KEY,			/* not the leaf's signature key */
	MLSD_CERT_INTERNAL,		/* out of memory, encoder failure */
};

const char *mlsd_cert_strerror(enum mlsd_cert_status st);

/*
 * Fill issuer and signature of c (every other field set, n_prefixes at
 * least 1) with ca. MLSD_CERT_DECODE for fields that would not decode.
 */
enum mlsd_cert_status mlsd_cert_sign(struct mlsd_host_cert *c,
				     const struct mlsd_ca_priv *ca);
enum mlsd_cert_status mlsd_cert_encode(const struct mlsd_host_cert *c,
				       struct mls_bytes *out);
/* Whole buffer, no trailing bytes; canonical prefixes, valid names. */
enum mlsd_cert_status mlsd_cert_decode(const uint8_t *data, size_t len,
				       struct mlsd_host_cert *c);

struct mlsd_crl {
	char network[MLSD_NAME_MAX + 1];
	uint8_t issuer[MLSD_KEY_ID_LEN];
	uint64_t issued_at;
	uint64_t *serials;		/* ascending, no duplicates */
	size_t n_serials;
	uint8_t signature[MLSD_CA_SIG_LEN];
};

/*
 * Everything a certificate is checked for apart from the group (suite,
 * leaf key): network, issuer, CA signature, validity at now widened by
 * skew seconds on both sides, and (crl not NULL) revocation.
 */
enum mlsd_cert_status mlsd_cert_verify(const struct mlsd_host_cert *c,
				       const struct mlsd_ca_pub *ca,
				       const struct mlsd_crl *crl,
				       uint64_t now, uint64_t skew);

/* Sorts and deduplicates crl->serials, then signs. */
enum mlsd_cert_status mlsd_crl_sign(struct mlsd_crl *crl,
				    const struct mlsd_ca_priv *ca);
enum mlsd_cert_status mlsd_crl_encode(const struct mlsd_crl *crl,
				      struct mls_bytes *out);
enum mlsd_cert_status mlsd_crl_decode(const uint8_t *data, size_t len,
				      struct mlsd_crl *crl);
/* Network, issuer and CA signature. */
enum mlsd_cert_status mlsd_crl_verify(const struct mlsd_crl *crl,
				      const struct mlsd_ca_pub *ca);
bool mlsd_crl_has(const struct mlsd_crl *crl, uint64_t serial);
/* Add serial (kept sorted, no duplicates). 0 or -1 (out of memory). */
int mlsd_crl_add(struct mlsd_crl *crl, uint64_t serial);
void mlsd_crl_free(struct mlsd_crl *crl);

/* "mlsdco-cert:HOST:B64" and "mlsdco-crl:NETWORK:B64" files. */
int mlsd_cert_write(const char *path, const struct mlsd_host_cert *c,
		    struct mlsd_err *e);
/* Decodes only: verification is the caller's (mlsd_cert_verify). */
int mlsd_cert_load(const char *path, struct mlsd_host_cert *c,
		   struct mls_bytes *encoded, struct mlsd_err *e);
int mlsd_crl_write(const char *path, const struct mlsd_crl *crl,
		   bool replace, struct mlsd_err *e);
/* Decodes and verifies against ca (a CRL is only ever used verified). */
int mlsd_crl_load(const char *path, const struct mlsd_ca_pub *ca,
		  struct mlsd_crl *crl, struct mlsd_err *e);

#endif
