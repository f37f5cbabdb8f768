// SPDX-License-Identifier: MIT
/*
 * X.509 credentials against trust anchors (RFC 9420 §5.3, §5.3.1): the
 * chain must lead to an anchor and its end-entity certificate must
 * certify the very key the LeafNode signs with.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "mls/credential.h"
#include "mls/error.h"

/* TLS SignatureScheme values of the suites (RFC 8446 §4.2.3) */
#define SCHEME_ECDSA_P256	0x0403
#define SCHEME_ECDSA_P384	0x0503
#define SCHEME_ECDSA_P521	0x0603
#define SCHEME_ED25519		0x0807
#define SCHEME_ED448		0x0808

#define VALIDITY_FLAGS	(MBEDTLS_X509_BADCERT_EXPIRED | \
			 MBEDTLS_X509_BADCERT_FUTURE)

struct mls_x509_anchors {
	mbedtls_x509_crt cas;
};

int mls_x509_validator_init(struct mls_x509_validator *v)
{
	struct mls_x509_anchors *a;
	size_t i;

	if (!v)
		return MLS_ERR_INVALID_ARG;
	v->anchors = NULL;
	if (!v->ca_certs || !v->n_ca_certs)
		return MLS_ERR_INVALID_ARG;
	a = calloc(1, sizeof(*a));
	if (!a)
		return MLS_ERR_NOMEM;
	mbedtls_x509_crt_init(&a->cas);
	for (i = 0; i < v->n_ca_certs; i++) {
		if (mbedtls_x509_crt_parse_der(&a->cas, v->ca_certs[i].data,
					       v->ca_certs[i].len)) {
			mbedtls_x509_crt_free(&a->cas);
			free(a);
			return MLS_ERR_DECODE;
		}
	}
	v->anchors = a;
	return 0;
}

void mls_x509_validator_free(struct mls_x509_validator *v)
{
	if (!v || !v->anchors)
		return;
	mbedtls_x509_crt_free(&v->anchors->cas);
	free(v->anchors);
	v->anchors = NULL;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (civil calendar). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t x509_time_to_unix(const mbedtls_x509_time *t)
{
	return days_from_civil(t->year, t->mon, t->day) * 86400 +
	       t->hour * 3600 + t->min * 60 + t->sec;
}

/*
 * mbedtls_x509_crt_verify judges validity by the system clock; with an
 * injected clock, replace its verdict for every certificate of the chain
 * by one against that clock. Signature and trust flags are untouched.
 */
static int judge_validity(void *ctx, mbedtls_x509_crt *crt, int depth,
			  uint32_t *flags)
{
	const struct mls_x509_validator *v = ctx;
	uint64_t now_u = v->clock(v->clock_ctx);
	int64_t now = now_u > INT64_MAX ? INT64_MAX : (int64_t)now_u;

	(void)depth;
	*flags &= ~(uint32_t)VALIDITY_FLAGS;
	if (now > x509_time_to_unix(&crt->valid_to))
		*flags |= MBEDTLS_X509_BADCERT_EXPIRED;
	if (now < x509_time_to_unix(&crt->valid_from))
		*flags |= MBEDTLS_X509_BADCERT_FUTURE;
	return 0;
}

static int parse_chain(const struct mls_bytes_list *certs,
		       mbedtls_x509_crt *chain)
{
	size_t i;

	if (!certs->count)
		return MLS_ERR_VALIDATION;
	for (i = 0; i < certs->count; i++)
		if (mbedtls_x509_crt_parse_der(chain, certs->items[i].data,
					       certs->items[i].len))
			return MLS_ERR_DECODE;
	return 0;
}

static int verify_chain(const struct mls_x509_validator *v,
			mbedtls_x509_crt *chain)
{
	uint32_t flags = 0;
	int ret;

	ret = mbedtls_x509_crt_verify_with_profile(
		chain, &v->anchors->cas, NULL,
		&mbedtls_x509_crt_profile_default, NULL, &flags,
		v->clock ? judge_validity : NULL, (void *)v);
	if (!ret)
		return 0;
	if (ret != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED)
		return MLS_ERR_CRYPTO;
	if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		return MLS_ERR_BAD_SIGNATURE;
	return MLS_ERR_VALIDATION;
}

static mbedtls_ecp_group_id suite_curve(const struct mls_suite *s)
{
	switch (s->sig_scheme) {
	case SCHEME_ECDSA_P256: return MBEDTLS_ECP_DP_SECP256R1;
	case SCHEME_ECDSA_P384: return MBEDTLS_ECP_DP_SECP384R1;
	case SCHEME_ECDSA_P521: return MBEDTLS_ECP_DP_SECP521R1;
	}
	return MBEDTLS_ECP_DP_NONE;
}

/* §5.3.1: the certificate's key must be the leaf's signature_key. */
static int check_key(const struct mls_suite *s, const mbedtls_x509_crt *ee,
		     const struct mls_bytes *signature_key)
{
	uint8_t point[MLS_MAX_SIG_PUB_LEN];
	const mbedtls_ecp_keypair *ec;
	size_t len = 0;

	if (!mbedtls_pk_can_do(&ee->pk, MBEDTLS_PK_ECKEY))
		return MLS_ERR_BAD_KEY;
	ec = mbedtls_pk_ec(ee->pk);
	if (ec->grp.id != suite_curve(s) ||
	    mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q,
					   MBEDTLS_ECP_PF_UNCOMPRESSED, &len,
					   point, sizeof(point)))
		return MLS_ERR_BAD_KEY;
	if (len != signature_key->len ||
	    memcmp(point, signature_key->data, len))
		return MLS_ERR_BAD_KEY;
	return 0;
}

/* §5.3.2: a member keeps its subject across Updates and commit paths. */
static int check_same_subject(const mbedtls_x509_crt *ee,
			      const struct mls_leaf_node *old_leaf)
{
	const struct mls_credential *old = &old_leaf->credential;
	mbedtls_x509_crt prev;
	int err = MLS_ERR_VALIDATION;

	if (old->type != MLS_CREDENTIAL_X509 || !old->certificates.count)
		return MLS_ERR_VALIDATION;
	mbedtls_x509_crt_init(&prev);
	if (!mbedtls_x509_crt_parse_der(&prev, old->certificates.items[0].data,
					old->certificates.items[0].len) &&
	    prev.subject_raw.len == ee->subject_raw.len &&
	    !memcmp(prev.subject_raw.p, ee->subject_raw.p,
		    ee->subject_raw.len))
		err = 0;
	mbedtls_x509_crt_free(&prev);
	return err;
}

int mls_credential_validate_x509(void *ctx, const struct mls_suite *s,
				 const struct mls_leaf_node *leaf,
				 const struct mls_leaf_node *old_leaf)
{
	const struct mls_x509_validator *v = ctx;
	mbedtls_x509_crt chain;
	int err;

	if (!v || !v->anchors || !s || !leaf)
		return MLS_ERR_INVALID_ARG;
	if (leaf->credential.type != MLS_CREDENTIAL_X509)
		return MLS_ERR_VALIDATION;
	if (s->sig_scheme == SCHEME_ED25519 || s->sig_scheme == SCHEME_ED448)
		return MLS_ERR_UNSUPPORTED;
	if (suite_curve(s) == MBEDTLS_ECP_DP_NONE)
		return MLS_ERR_UNSUPPORTED;
	mbedtls_x509_crt_init(&chain);
	err = parse_chain(&leaf->credential.certificates, &chain);
	if (!err)
		err = verify_chain(v, &chain);
	if (!err)
		err = check_key(s, &chain, &leaf->signature_key);
	if (!err && old_leaf)
		err = check_same_subject(&chain, old_leaf);
	mbedtls_x509_crt_free(&chain);
	return err;
}
