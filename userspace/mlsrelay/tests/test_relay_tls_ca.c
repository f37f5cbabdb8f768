// SPDX-License-Identifier: MIT
/*
 * The client's CA mode against the real relay: certificates made here
 * with mbedTLS (two CAs, a relay certificate for "relay.test" and an
 * expired one), the relay started on one of them, and the client
 * verifying the chain, the dates and the name. A refused certificate is
 * RP_E_CERT with mbedTLS's reason in verify_flags; the accepted one
 * authenticates, which shows the identity proof signed its fingerprint.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "support/relay_harness.h"

#define RELAY_NAME	"relay.test"
#define IO_TIMEOUT_MS	60000

struct issuer {
	mbedtls_pk_context key;
	const char *name;		/* subject, as "CN=..." */
};

struct certs {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	struct issuer ca, other_ca;
};

static void gen_key(struct certs *cs, mbedtls_pk_context *pk)
{
	mbedtls_pk_init(pk);
	assert_int_equal(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(
					  MBEDTLS_PK_ECKEY)), 0);
	assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1,
					     mbedtls_pk_ec(*pk),
					     mbedtls_ctr_drbg_random,
					     &cs->drbg), 0);
}

static void write_file(const char *path, const unsigned char *pem)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs((const char *)pem, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* subjectAltName with one dNSName: SEQUENCE { [2] IA5String } */
static void add_dns_san(mbedtls_x509write_cert *w, const char *dns)
{
	unsigned char san[64];
	size_t n = strlen(dns);

	assert_true(n + 4 <= sizeof(san));
	san[0] = 0x30;
	san[1] = (unsigned char)(n + 2);
	san[2] = 0x82;
	san[3] = (unsigned char)n;
	memcpy(san + 4, dns, n);
	assert_int_equal(mbedtls_x509write_crt_set_extension(w,
		MBEDTLS_OID_SUBJECT_ALT_NAME,
		MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, san, n + 4),
		0);
}

/*
 * A certificate for subject_key, signed by issuer; self-signed when
 * subject_key is the issuer's. dns NULL: a CA (basicConstraints).
 */
static void write_cert(struct certs *cs, const char *path,
		       mbedtls_pk_context *subject_key, const char *subject,
		       const struct issuer *issuer, const char *dns,
		       const char *not_before, const char *not_after)
{
	static int serial_no = 1;
	unsigned char pem[4096];
	mbedtls_x509write_cert w;
	mbedtls_mpi serial;

	mbedtls_x509write_crt_init(&w);
	mbedtls_mpi_init(&serial);
	assert_int_equal(mbedtls_mpi_lset(&serial, serial_no++), 0);
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&w, subject_key);
	mbedtls_x509write_crt_set_issuer_key(&w, (mbedtls_pk_context *)
					     &issuer->key);
	assert_int_equal(mbedtls_x509write_crt_set_serial(&w, &serial), 0);
	assert_int_equal(mbedtls_x509write_crt_set_subject_name(&w, subject),
			 0);
	assert_int_equal(mbedtls_x509write_crt_set_issuer_name(&w,
							       issuer->name),
			 0);
	assert_int_equal(mbedtls_x509write_crt_set_validity(&w, not_before,
							    not_after), 0);
	assert_int_equal(mbedtls_x509write_crt_set_basic_constraints(&w,
							!dns, -1), 0);
	if (dns)
		add_dns_san(&w, dns);
	assert_int_equal(mbedtls_x509write_crt_pem(&w, pem, sizeof(pem),
						   mbedtls_ctr_drbg_random,
						   &cs->drbg), 0);
	write_file(path, pem);
	mbedtls_x509write_crt_free(&w);
	mbedtls_mpi_free(&serial);
}

static void write_key(const char *path, mbedtls_pk_context *pk)
{
	unsigned char pem[1024];

	assert_int_equal(mbedtls_pk_write_key_pem(pk, pem, sizeof(pem)), 0);
	write_file(path, pem);
}

static void make_ca(struct certs *cs, struct issuer *ca, const char *name,
		    const char *path)
{
	ca->name = name;
	gen_key(cs, &ca->key);
	write_cert(cs, path, &ca->key, name, ca, NULL, "20200101000000",
		   "20991231235959");
}

/*
 * The relay in rp->dir runs on a certificate for dns signed by the CA,
 * valid until not_after; ca.pem and other-ca.pem are written beside it.
 */
static void start_relay(struct certs *cs, struct relay_proc *rp,
			const char *dns, const char *not_after)
{
	char path[160];
	mbedtls_pk_context key;

	relay_setup(rp, NULL);
	snprintf(path, sizeof(path), "%s/ca.pem", rp->dir);
	make_ca(cs, &cs->ca, "CN=mlsdco test CA", path);
	snprintf(path, sizeof(path), "%s/other-ca.pem", rp->dir);
	make_ca(cs, &cs->other_ca, "CN=mlsdco test CA", path);
	gen_key(cs, &key);
	snprintf(path, sizeof(path), "%s/key.pem", rp->dir);
	write_key(path, &key);
	snprintf(path, sizeof(path), "%s/cert.pem", rp->dir);
	write_cert(cs, path, &key, "CN=mlsrelay", &cs->ca, dns,
		   "20200101000000", not_after);
	mbedtls_pk_free(&key);
	relay_start(rp);
}

static int certs_setup(void **state)
{
	static const char pers[] = "test_relay_tls_ca";
	struct certs *cs = calloc(1, sizeof(*cs));

	assert_non_null(cs);
	mbedtls_entropy_init(&cs->entropy);
	mbedtls_ctr_drbg_init(&cs->drbg);
	assert_int_equal(mbedtls_ctr_drbg_seed(&cs->drbg, mbedtls_entropy_func,
					       &cs->entropy,
					       (const uint8_t *)pers,
					       sizeof(pers)), 0);
	*state = cs;
	return 0;
}

static int certs_teardown(void **state)
{
	struct certs *cs = *state;

	mbedtls_pk_free(&cs->ca.key);
	mbedtls_pk_free(&cs->other_ca.key);
	mbedtls_ctr_drbg_free(&cs->drbg);
	mbedtls_entropy_free(&cs->entropy);
	free(cs);
	return 0;
}

static void free_cas(struct certs *cs)
{
	mbedtls_pk_free(&cs->ca.key);
	mbedtls_pk_free(&cs->other_ca.key);
	mbedtls_pk_init(&cs->ca.key);
	mbedtls_pk_init(&cs->other_ca.key);
}

static int connect_ca(struct rp_client *c, struct relay_proc *rp,
		      const char *ca_file, const char *name)
{
	char path[160];
	struct rp_trust t = { .ca_file = path, .server_name = name };

	snprintf(path, sizeof(path), "%s/%s", rp->dir, ca_file);
	return rp_client_connect_trust(c, "127.0.0.1", rp->tcp_port, &t,
				       IO_TIMEOUT_MS);
}

static void test_good_chain_authenticates(void **state)
{
	struct certs *cs = *state;
	struct relay_proc rp;
	struct host h;

	start_relay(cs, &rp, RELAY_NAME, "20991231235959");
	host_init(&h, "host-a");
	assert_int_equal(connect_ca(&h.c, &rp, "ca.pem", RELAY_NAME), 0);
	h.connected = true;
	assert_int_equal(h.c.verify_flags, 0);
	/* the fingerprint is the relay certificate's, as in pin mode */
	assert_memory_equal(h.c.fingerprint, rp.pin, RP_FINGERPRINT_LEN);
	/* the relay checks the auth signature over its own fingerprint */
	assert_int_equal(rp_client_auth(&h.c, 1, (const uint8_t *)h.name,
					strlen(h.name), h.priv, h.priv_len,
					h.pub, h.pub_len), 0);
	host_subscribe(&h, "g");
	host_close(&h);
	relay_teardown(&rp);
	free_cas(cs);
}

static void test_wrong_ca_refused(void **state)
{
	struct certs *cs = *state;
	struct relay_proc rp;
	struct rp_client c;

	start_relay(cs, &rp, RELAY_NAME, "20991231235959");
	/* same subject name, another key: only the signature tells */
	assert_int_equal(connect_ca(&c, &rp, "other-ca.pem", RELAY_NAME),
			 RP_E_CERT);
	assert_true(c.verify_flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED);
	relay_teardown(&rp);
	free_cas(cs);
}

static void test_wrong_name_refused(void **state)
{
	struct certs *cs = *state;
	struct relay_proc rp;
	struct rp_client c;

	start_relay(cs, &rp, RELAY_NAME, "20991231235959");
	assert_int_equal(connect_ca(&c, &rp, "ca.pem", "other.test"),
			 RP_E_CERT);
	assert_int_equal(c.verify_flags, MBEDTLS_X509_BADCERT_CN_MISMATCH);
	/* without server_name the host connected to is the name: the CN
	 * ("mlsrelay") is not looked at when there is a SAN */
	assert_int_equal(connect_ca(&c, &rp, "ca.pem", NULL), RP_E_CERT);
	assert_int_equal(c.verify_flags, MBEDTLS_X509_BADCERT_CN_MISMATCH);
	assert_int_equal(connect_ca(&c, &rp, "ca.pem", "mlsrelay"),
			 RP_E_CERT);
	relay_teardown(&rp);
	free_cas(cs);
}

static void test_expired_refused(void **state)
{
	struct certs *cs = *state;
	struct relay_proc rp;
	struct rp_client c;

	start_relay(cs, &rp, RELAY_NAME, "20210101000000");
	assert_int_equal(connect_ca(&c, &rp, "ca.pem", RELAY_NAME),
			 RP_E_CERT);
	assert_int_equal(c.verify_flags, MBEDTLS_X509_BADCERT_EXPIRED);
	relay_teardown(&rp);
	free_cas(cs);
}

static void test_trust_arguments(void **state)
{
	struct certs *cs = *state;
	struct relay_proc rp;
	struct rp_client c;
	struct rp_trust both = { .pin = rp.pin, .ca_file = "/nonexistent" };
	struct rp_trust none = { .server_name = RELAY_NAME };

	start_relay(cs, &rp, RELAY_NAME, "20991231235959");
	assert_int_equal(rp_client_connect_trust(&c, "127.0.0.1", rp.tcp_port,
						 &both, IO_TIMEOUT_MS),
			 RP_E_TRUST);
	assert_int_equal(rp_client_connect_trust(&c, "127.0.0.1", rp.tcp_port,
						 &none, IO_TIMEOUT_MS),
			 RP_E_TRUST);
	assert_int_equal(connect_ca(&c, &rp, "missing.pem", RELAY_NAME),
			 RP_E_CA_FILE);
	/* a key is not a certificate */
	assert_int_equal(connect_ca(&c, &rp, "key.pem", RELAY_NAME),
			 RP_E_CA_FILE);
	/* pin mode still works with a CA-signed certificate */
	assert_int_equal(rp_client_connect(&c, "127.0.0.1", rp.tcp_port,
					   rp.pin, IO_TIMEOUT_MS), 0);
	rp_client_close(&c);
	relay_teardown(&rp);
	free_cas(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_chain_authenticates),
		cmocka_unit_test(test_wrong_ca_refused),
		cmocka_unit_test(test_wrong_name_refused),
		cmocka_unit_test(test_expired_refused),
		cmocka_unit_test(test_trust_arguments),
	};

	return cmocka_run_group_tests(tests, certs_setup, certs_teardown);
}
