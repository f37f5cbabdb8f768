// SPDX-License-Identifier: MIT
/*
 * Host certificates and CRLs: a signed certificate decodes to what was
 * signed and verifies; every single-byte change, another CA, another
 * network, a time outside the validity (± skew) and a revoked serial are
 * each refused with their own status; the admission policy then refuses
 * a valid certificate for another suite or another signature key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/error.h"
#include "mls/msg_common.h"
#include "../admission.h"
#include "../hostcert.h"

#define T0	1800000000u
#define DAY	86400u

struct fixture {
	struct mlsd_ca_priv ca;
	struct mlsd_ca_pub ca_pub;
	struct mlsd_sig_key host;
	struct mlsd_host_cert cert;
	struct mls_bytes enc;
};

static void make_cert(struct fixture *f, uint16_t suite)
{
	struct mlsd_err e;

	assert_int_equal(mlsd_sig_key_generate(suite, &f->host, &e), 0);
	memset(&f->cert, 0, sizeof(f->cert));
	strcpy(f->cert.network, "corp");
	strcpy(f->cert.host, "alice");
	f->cert.suite = suite;
	memcpy(f->cert.sig_key, f->host.pub, f->host.pub_len);
	f->cert.sig_key_len = f->host.pub_len;
	assert_int_equal(mlsd_prefix_parse("10.7.0.1/32", true,
					   &f->cert.prefixes[0]), 0);
	assert_int_equal(mlsd_prefix_parse("fd00:7::/64", true,
					   &f->cert.prefixes[1]), 0);
	f->cert.n_prefixes = 2;
	f->cert.not_before = T0;
	f->cert.not_after = T0 + 30 * DAY;
	f->cert.serial = 0x0102030405060708ull;
	assert_int_equal(mlsd_cert_sign(&f->cert, &f->ca), MLSD_CERT_OK);
	mls_bytes_free(&f->enc);
	assert_int_equal(mlsd_cert_encode(&f->cert, &f->enc), MLSD_CERT_OK);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct mlsd_err e;

	if (!f || mlsd_ca_generate("corp", &f->ca, &f->ca_pub, &e))
		return -1;
	*state = f;
	make_cert(f, 1);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mls_bytes_free(&f->enc);
	mlsd_sig_key_wipe(&f->host);
	mlsd_ca_priv_wipe(&f->ca);
	free(f);
	return 0;
}

static enum mlsd_cert_status verify_at(struct fixture *f, uint64_t now,
				       uint64_t skew)
{
	struct mlsd_host_cert c;
	enum mlsd_cert_status st;

	st = mlsd_cert_decode(f->enc.data, f->enc.len, &c);
	if (st)
		return st;
	return mlsd_cert_verify(&c, &f->ca_pub, NULL, now, skew);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct mlsd_host_cert c;

	assert_int_equal(mlsd_cert_decode(f->enc.data, f->enc.len, &c),
			 MLSD_CERT_OK);
	assert_memory_equal(&c, &f->cert, sizeof(c));
	assert_int_equal(c.version, 1);
	assert_memory_equal(c.issuer, f->ca_pub.id, MLSD_KEY_ID_LEN);
	assert_int_equal(mlsd_cert_verify(&c, &f->ca_pub, NULL, T0 + DAY, 0),
			 MLSD_CERT_OK);
	/* the encoding starts with the version: what admission looks for */
	assert_int_equal(f->enc.data[0], 0);
	assert_int_equal(f->enc.data[1], 1);
}

/* Flipping any bit of any byte never yields a certificate that verifies. */
static void test_every_tampered_byte(void **state)
{
	struct fixture *f = *state;
	size_t i;
	int bit;

	for (i = 0; i < f->enc.len; i++)
		for (bit = 0; bit < 8; bit += 3) {
			f->enc.data[i] ^= (uint8_t)(1u << bit);
			if (verify_at(f, T0 + DAY, 0) == MLSD_CERT_OK)
				fail_msg("byte %zu bit %d flipped still verifies", i, bit);
			f->enc.data[i] ^= (uint8_t)(1u << bit);
		}
	assert_int_equal(verify_at(f, T0 + DAY, 0), MLSD_CERT_OK);
	/* a flipped signature byte decodes but fails the signature */
	f->enc.data[f->enc.len - 1] ^= 1;
	assert_int_equal(verify_at(f, T0 + DAY, 0), MLSD_CERT_SIGNATURE);
	f->enc.data[f->enc.len - 1] ^= 1;
}

static void test_malformed(void **state)
{
	struct fixture *f = *state;
	struct mlsd_host_cert c;
	uint8_t *longer = malloc(f->enc.len + 1);

	memcpy(longer, f->enc.data, f->enc.len);
	longer[f->enc.len] = 0;
	assert_int_equal(mlsd_cert_decode(longer, f->enc.len + 1, &c),
			 MLSD_CERT_DECODE);
	assert_int_equal(mlsd_cert_decode(longer, f->enc.len - 1, &c),
			 MLSD_CERT_DECODE);
	longer[1] = 2;
	assert_int_equal(mlsd_cert_decode(longer, f->enc.len, &c),
			 MLSD_CERT_BAD_VERSION);
	free(longer);
	/* a prefix with host bits is not signed */
	c = f->cert;
	assert_int_equal(mlsd_prefix_parse("10.7.0.1/24", false,
					   &c.prefixes[0]), 0);
	assert_int_equal(mlsd_cert_sign(&c, &f->ca), MLSD_CERT_DECODE);
	c = f->cert;
	c.n_prefixes = 0;
	assert_int_equal(mlsd_cert_sign(&c, &f->ca), MLSD_CERT_DECODE);
	c = f->cert;
	c.sig_key_len = 31;
	assert_int_equal(mlsd_cert_sign(&c, &f->ca), MLSD_CERT_DECODE);
}

static void test_wrong_ca(void **state)
{
	struct fixture *f = *state;
	struct mlsd_ca_priv other;
	struct mlsd_ca_pub other_pub;
	struct mlsd_host_cert c;
	struct mlsd_err e;

	assert_int_equal(mlsd_ca_generate("corp", &other, &other_pub, &e), 0);
	assert_int_equal(mlsd_cert_decode(f->enc.data, f->enc.len, &c), 0);
	assert_int_equal(mlsd_cert_verify(&c, &other_pub, NULL, T0, 0),
			 MLSD_CERT_ISSUER);
	/* signed by another CA that claims our CA's key id */
	assert_int_equal(mlsd_cert_sign(&c, &other), MLSD_CERT_OK);
	memcpy(c.issuer, f->ca_pub.id, MLSD_KEY_ID_LEN);
	assert_int_equal(mlsd_cert_verify(&c, &f->ca_pub, NULL, T0, 0),
			 MLSD_CERT_SIGNATURE);
	/* our CA's certificate for another network */
	strcpy(other_pub.network, "corp");
	memcpy(&other_pub, &f->ca_pub, sizeof(other_pub));
	strcpy(other_pub.network, "lab");
	assert_int_equal(mlsd_cert_decode(f->enc.data, f->enc.len, &c), 0);
	assert_int_equal(mlsd_cert_verify(&c, &other_pub, NULL, T0, 0),
			 MLSD_CERT_NETWORK);
	/* a CA only signs for its own network */
	strcpy(c.network, "lab");
	assert_int_equal(mlsd_cert_sign(&c, &f->ca), MLSD_CERT_NETWORK);
	mlsd_ca_priv_wipe(&other);
}

static void test_validity_and_skew(void **state)
{
	struct fixture *f = *state;
	const uint64_t nb = T0, na = T0 + 30 * DAY;

	assert_int_equal(verify_at(f, nb, 0), MLSD_CERT_OK);
	assert_int_equal(verify_at(f, na, 0), MLSD_CERT_OK);
	assert_int_equal(verify_at(f, nb - 1, 0), MLSD_CERT_NOT_YET_VALID);
	assert_int_equal(verify_at(f, na + 1, 0), MLSD_CERT_EXPIRED);
	assert_int_equal(verify_at(f, 0, 0), MLSD_CERT_NOT_YET_VALID);
	assert_int_equal(verify_at(f, UINT64_MAX, 0), MLSD_CERT_EXPIRED);
	/* skew widens both ends by exactly its seconds */
	assert_int_equal(verify_at(f, nb - 300, 300), MLSD_CERT_OK);
	assert_int_equal(verify_at(f, nb - 301, 300), MLSD_CERT_NOT_YET_VALID);
	assert_int_equal(verify_at(f, na + 300, 300), MLSD_CERT_OK);
	assert_int_equal(verify_at(f, na + 301, 300), MLSD_CERT_EXPIRED);
	assert_int_equal(verify_at(f, UINT64_MAX, UINT64_MAX), MLSD_CERT_OK);
}

static void test_revoked(void **state)
{
	struct fixture *f = *state;
	struct mlsd_crl crl = { 0 }, back;
	struct mls_bytes enc = { NULL, 0 };
	struct mlsd_host_cert c;

	assert_int_equal(mlsd_cert_decode(f->enc.data, f->enc.len, &c), 0);
	assert_int_equal(mlsd_crl_add(&crl, 99), 0);
	assert_int_equal(mlsd_crl_add(&crl, 5), 0);
	assert_int_equal(mlsd_crl_sign(&crl, &f->ca), 0);
	assert_int_equal(mlsd_cert_verify(&c, &f->ca_pub, &crl, T0, 0),
			 MLSD_CERT_OK);
	assert_int_equal(mlsd_crl_add(&crl, c.serial), 0);
	assert_int_equal(mlsd_crl_add(&crl, c.serial), 0);	/* once */
	assert_int_equal(crl.n_serials, 3);
	crl.issued_at = T0 + 5;
	assert_int_equal(mlsd_crl_sign(&crl, &f->ca), 0);
	/* through its encoding, as mlsd loads it */
	assert_int_equal(mlsd_crl_encode(&crl, &enc), 0);
	assert_int_equal(mlsd_crl_decode(enc.data, enc.len, &back), 0);
	assert_int_equal(mlsd_crl_verify(&back, &f->ca_pub), MLSD_CERT_OK);
	assert_int_equal(back.issued_at, T0 + 5);
	assert_int_equal(back.n_serials, 3);
	assert_int_equal(mlsd_cert_verify(&c, &f->ca_pub, &back, T0, 0),
			 MLSD_CERT_REVOKED);
	mlsd_crl_free(&back);
	/* a CRL with a flipped byte is refused */
	enc.data[enc.len / 2] ^= 1;
	if (mlsd_crl_decode(enc.data, enc.len, &back) == MLSD_CERT_OK) {
		assert_int_not_equal(mlsd_crl_verify(&back, &f->ca_pub),
				     MLSD_CERT_OK);
		mlsd_crl_free(&back);
	}
	mls_bytes_free(&enc);
	mlsd_crl_free(&crl);
}

/* A leaf as libmls hands it to the validator. */
static void leaf_of(struct mls_leaf_node *leaf, const struct mls_bytes *id,
		    const uint8_t *key, size_t key_len)
{
	memset(leaf, 0, sizeof(*leaf));
	leaf->credential.type = MLS_CREDENTIAL_BASIC;
	leaf->credential.identity = *id;
	leaf->signature_key.data = (uint8_t *)key;
	leaf->signature_key.len = key_len;
}

static uint64_t clock_at(void *ctx)
{
	return *(const uint64_t *)ctx;
}

static void test_admission_suite_and_key(void **state)
{
	struct fixture *f = *state;
	struct mlsd_admission a = { .has_ca = true, .ca = f->ca_pub };
	struct mlsd_admitted who;
	struct mls_leaf_node leaf;
	struct mlsd_sig_key other;
	uint64_t now = T0 + DAY;
	struct mlsd_err e;

	a.clock = clock_at;
	a.clock_ctx = &now;
	leaf_of(&leaf, &f->enc, f->host.pub, f->host.pub_len);
	assert_int_equal(mlsd_admission_check(&a, mls_suite_get(1), &leaf, &who),
			 MLSD_ADMIT_OK);
	assert_int_equal(who.mode, MLSD_ADMIT_CERT);
	assert_string_equal(who.identity, "alice");
	assert_int_equal(who.n_prefixes, 2);
	assert_true(mlsd_prefix_equal(&who.prefixes[1], &f->cert.prefixes[1]));
	assert_int_equal(who.serial, f->cert.serial);
	/* suite 3 has Ed25519 keys too: only the suite number differs */
	assert_int_equal(mlsd_admission_check(&a, mls_suite_get(3), &leaf, &who),
			 MLSD_CERT_SUITE);
	assert_int_equal(who.n_prefixes, 0);
	assert_int_equal(mlsd_sig_key_generate(1, &other, &e), 0);
	leaf_of(&leaf, &f->enc, other.pub, other.pub_len);
	assert_int_equal(mlsd_admission_check(&a, mls_suite_get(1), &leaf, NULL),
			 MLSD_CERT_KEY);
	mlsd_sig_key_wipe(&other);
	/* the clock is the injected one */
	now = T0 + 31 * DAY;
	leaf_of(&leaf, &f->enc, f->host.pub, f->host.pub_len);
	assert_int_equal(mlsd_admission_check(&a, mls_suite_get(1), &leaf, NULL),
			 MLSD_CERT_EXPIRED);
	a.skew = 2 * DAY;
	assert_int_equal(mlsd_admission_check(&a, mls_suite_get(1), &leaf, NULL),
			 MLSD_ADMIT_OK);
	/* without a CA, a certificate is not trusted at all */
	a.has_ca = false;
	assert_int_equal(mlsd_admission_check(&a, mls_suite_get(1), &leaf, NULL),
			 MLSD_ADMIT_NO_CA);
}

/*
 * A leaf replacing another (Update, commit path) keeps its host name: a
 * renewed certificate is fine even when the old one has expired, another
 * host's certificate is not.
 */
static void test_validate_keeps_identity(void **state)
{
	struct fixture *f = *state;
	struct mlsd_admission a = { .has_ca = true, .ca = f->ca_pub };
	struct mls_bytes old = { NULL, 0 }, other = { NULL, 0 };
	struct mls_leaf_node leaf, old_leaf, other_leaf;
	uint64_t now = T0 + 40 * DAY;

	a.clock = clock_at;
	a.clock_ctx = &now;
	assert_int_equal(mls_bytes_dup(&old, &f->enc), 0);	/* expired now */
	leaf_of(&old_leaf, &old, f->host.pub, f->host.pub_len);
	f->cert.not_before = T0 + 29 * DAY;
	f->cert.not_after = T0 + 60 * DAY;
	assert_int_equal(mlsd_cert_sign(&f->cert, &f->ca), MLSD_CERT_OK);
	mls_bytes_free(&f->enc);
	assert_int_equal(mlsd_cert_encode(&f->cert, &f->enc), MLSD_CERT_OK);
	leaf_of(&leaf, &f->enc, f->host.pub, f->host.pub_len);
	assert_int_equal(mlsd_admission_validate(&a, mls_suite_get(1), &leaf,
						 &old_leaf), 0);
	assert_int_equal(mlsd_admission_validate(&a, mls_suite_get(1), &old_leaf,
						 NULL), MLS_ERR_VALIDATION);
	assert_int_equal(a.last_status, MLSD_CERT_EXPIRED);
	/* bob's valid certificate replacing alice's leaf */
	strcpy(f->cert.host, "bob");
	assert_int_equal(mlsd_cert_sign(&f->cert, &f->ca), MLSD_CERT_OK);
	assert_int_equal(mlsd_cert_encode(&f->cert, &other), MLSD_CERT_OK);
	leaf_of(&other_leaf, &other, f->host.pub, f->host.pub_len);
	assert_int_equal(mlsd_admission_validate(&a, mls_suite_get(1),
						 &other_leaf, NULL), 0);
	assert_int_equal(mlsd_admission_validate(&a, mls_suite_get(1),
						 &other_leaf, &leaf),
			 MLS_ERR_VALIDATION);
	assert_int_equal(a.last_status, MLSD_ADMIT_IDENTITY_CHANGED);
	mls_bytes_free(&old);
	mls_bytes_free(&other);
	make_cert(f, 1);
}

/* P-256 keys are 65 bytes: the encoding carries them as they are. */
static void test_ecdsa_suite(void **state)
{
	struct fixture *f = *state;

	make_cert(f, 2);
	assert_int_equal(f->cert.sig_key_len, 65);
	assert_int_equal(verify_at(f, T0, 0), MLSD_CERT_OK);
	make_cert(f, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_tampered_byte),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_wrong_ca),
		cmocka_unit_test(test_validity_and_skew),
		cmocka_unit_test(test_revoked),
		cmocka_unit_test(test_admission_suite_and_key),
		cmocka_unit_test(test_validate_keeps_identity),
		cmocka_unit_test(test_ecdsa_suite),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
