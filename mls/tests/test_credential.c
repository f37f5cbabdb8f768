// SPDX-License-Identifier: MIT
/*
 * X.509 credentials (RFC 9420 §5.3.1, §5.3.2): certificates are made
 * here at test time with mbedTLS's writer (a CA, another CA, leaves
 * signed by each, an expired one, one certifying the wrong key), checked
 * by mls_credential_validate_x509 directly and through a group whose
 * members refuse an Add of a stranger's certificate.
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
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "mls/credential.h"
#include "mls/error.h"
#include "mls/group.h"
#include "support/group_assert.h"

#define NOW		FIXTURE_NOW	/* 2023-11-14 */
#define IN_2020		1590969600u	/* 2020-06-01: "expired" is valid */
#define IN_2041		2240611200u	/* 2041-01-01: all certs expired */
#define LONG_AGO	"20200101000000"
#define EXPIRED_END	"20210101000000"
#define FAR_AHEAD	"20400101000000"

static struct fixture_rng rng = { 7 };

static int x509_random(void *ctx, unsigned char *out, size_t len)
{
	return fixture_random(&rng, out, len);
}

static uint64_t clock_now = NOW;

/* ---- keys and certificates made at test time ---- */

struct key {
	const struct mls_suite *s;
	uint8_t priv[MLS_MAX_SIG_PRIV_LEN];
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];
};

static struct mls_crypto crypto;

static void key_gen(struct key *k, uint16_t suite)
{
	k->s = mls_suite_get(suite);
	assert_non_null(k->s);
	assert_int_equal(mls_sig_generate_keypair(&crypto, k->s, k->priv,
						  k->pub), 0);
}

static mbedtls_ecp_group_id key_curve(const struct key *k)
{
	switch (k->s->id) {
	case MLS_SUITE_P256_AES128GCM_SHA256_P256:
		return MBEDTLS_ECP_DP_SECP256R1;
	case MLS_SUITE_P384_AES256GCM_SHA384_P384:
		return MBEDTLS_ECP_DP_SECP384R1;
	}
	fail_msg("no curve for suite %u", k->s->id);
	return MBEDTLS_ECP_DP_NONE;
}

static void key_to_pk(const struct key *k, bool with_priv,
		      mbedtls_pk_context *pk)
{
	mbedtls_ecp_keypair *ec;

	mbedtls_pk_init(pk);
	assert_int_equal(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(
						      MBEDTLS_PK_ECKEY)), 0);
	ec = mbedtls_pk_ec(*pk);
	assert_int_equal(mbedtls_ecp_group_load(&ec->grp, key_curve(k)), 0);
	assert_int_equal(mbedtls_ecp_point_read_binary(&ec->grp, &ec->Q,
						       k->pub,
						       k->s->sig_pub_len), 0);
	if (with_priv)
		assert_int_equal(mbedtls_mpi_read_binary(&ec->d, k->priv,
							 k->s->sig_priv_len),
				 0);
}

struct cert_spec {
	const char *subject;
	const struct key *subject_key;
	const char *issuer;
	const struct key *issuer_key;
	bool ca;
	const char *not_before;
	const char *not_after;
};

static void make_cert(const struct cert_spec *c, struct mls_bytes *der)
{
	static int serial_no = 1;
	unsigned char buf[2048];
	mbedtls_x509write_cert w;
	mbedtls_pk_context subject, issuer;
	mbedtls_mpi serial;
	int len;

	key_to_pk(c->subject_key, false, &subject);
	key_to_pk(c->issuer_key, true, &issuer);
	mbedtls_mpi_init(&serial);
	assert_int_equal(mbedtls_mpi_lset(&serial, serial_no++), 0);
	mbedtls_x509write_crt_init(&w);
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	assert_int_equal(mbedtls_x509write_crt_set_serial(&w, &serial), 0);
	assert_int_equal(mbedtls_x509write_crt_set_validity(&w, c->not_before,
							    c->not_after), 0);
	assert_int_equal(mbedtls_x509write_crt_set_subject_name(&w,
								c->subject), 0);
	assert_int_equal(mbedtls_x509write_crt_set_issuer_name(&w, c->issuer),
			 0);
	mbedtls_x509write_crt_set_subject_key(&w, &subject);
	mbedtls_x509write_crt_set_issuer_key(&w, &issuer);
	assert_int_equal(mbedtls_x509write_crt_set_basic_constraints(
				 &w, c->ca, c->ca ? 1 : -1), 0);
	len = mbedtls_x509write_crt_der(&w, buf, sizeof(buf), x509_random,
					NULL);
	assert_true(len > 0);
	/* the writer fills the buffer from its end */
	assert_int_equal(mls_bytes_set(der, buf + sizeof(buf) - len,
				       (size_t)len), 0);
	mbedtls_x509write_crt_free(&w);
	mbedtls_mpi_free(&serial);
	mbedtls_pk_free(&subject);
	mbedtls_pk_free(&issuer);
}

/* One PKI per suite: the trusted CA, a stranger CA and their leaves. */
struct pki {
	struct key ca_key, other_ca_key, alice_key, bob_key;
	struct mls_bytes ca, other_ca;
	struct mls_bytes alice;		/* CN=alice, by the CA */
	struct mls_bytes alice_renewed;	/* CN=alice, new key (bob_key) */
	struct mls_bytes bob;		/* CN=bob, by the CA */
	struct mls_bytes stranger;	/* CN=mallory, by the other CA */
	struct mls_bytes expired;	/* CN=alice, ended in 2021 */
	struct mls_bytes wrong_key;	/* CN=alice but bob's key */
	struct mls_x509_validator v;
};

#define CA_DN		"CN=MLS Test CA,O=mlsdco"
#define OTHER_CA_DN	"CN=Other CA,O=elsewhere"

static void leaf_cert(const struct pki *p, const char *subject,
		      const struct key *k, bool by_other_ca,
		      const char *not_after, struct mls_bytes *der)
{
	const struct cert_spec c = {
		.subject = subject, .subject_key = k,
		.issuer = by_other_ca ? OTHER_CA_DN : CA_DN,
		.issuer_key = by_other_ca ? &p->other_ca_key : &p->ca_key,
		.not_before = LONG_AGO, .not_after = not_after,
	};

	make_cert(&c, der);
}

static void pki_init(struct pki *p, uint16_t suite)
{
	struct cert_spec ca = { .subject = CA_DN, .issuer = CA_DN,
				.ca = true, .not_before = LONG_AGO,
				.not_after = FAR_AHEAD };

	memset(p, 0, sizeof(*p));
	key_gen(&p->ca_key, suite);
	key_gen(&p->other_ca_key, suite);
	key_gen(&p->alice_key, suite);
	key_gen(&p->bob_key, suite);
	ca.subject_key = ca.issuer_key = &p->ca_key;
	make_cert(&ca, &p->ca);
	ca.subject = ca.issuer = OTHER_CA_DN;
	ca.subject_key = ca.issuer_key = &p->other_ca_key;
	make_cert(&ca, &p->other_ca);
	leaf_cert(p, "CN=alice", &p->alice_key, false, FAR_AHEAD, &p->alice);
	leaf_cert(p, "CN=alice", &p->bob_key, false, FAR_AHEAD,
		  &p->alice_renewed);
	leaf_cert(p, "CN=bob", &p->bob_key, false, FAR_AHEAD, &p->bob);
	leaf_cert(p, "CN=mallory", &p->alice_key, true, FAR_AHEAD,
		  &p->stranger);
	leaf_cert(p, "CN=alice", &p->alice_key, false, EXPIRED_END,
		  &p->expired);
	leaf_cert(p, "CN=alice", &p->bob_key, false, FAR_AHEAD,
		  &p->wrong_key);
	p->v.ca_certs = &p->ca;
	p->v.n_ca_certs = 1;
	p->v.clock = fixture_clock;
	p->v.clock_ctx = &clock_now;
	assert_int_equal(mls_x509_validator_init(&p->v), 0);
	clock_now = NOW;
}

static void pki_free(struct pki *p)
{
	mls_x509_validator_free(&p->v);
	mls_bytes_free(&p->ca);
	mls_bytes_free(&p->other_ca);
	mls_bytes_free(&p->alice);
	mls_bytes_free(&p->alice_renewed);
	mls_bytes_free(&p->bob);
	mls_bytes_free(&p->stranger);
	mls_bytes_free(&p->expired);
	mls_bytes_free(&p->wrong_key);
}

/* A LeafNode as far as the validator looks: credential and key. */
static void x509_leaf(struct mls_leaf_node *leaf, const struct key *k,
		      const struct mls_bytes *chain, size_t n)
{
	size_t i;

	memset(leaf, 0, sizeof(*leaf));
	leaf->credential.type = MLS_CREDENTIAL_X509;
	leaf->credential.certificates.items = calloc(n ? n : 1,
						     sizeof(struct mls_bytes));
	assert_non_null(leaf->credential.certificates.items);
	leaf->credential.certificates.count = n;
	for (i = 0; i < n; i++)
		assert_int_equal(mls_bytes_set(
			&leaf->credential.certificates.items[i],
			chain[i].data, chain[i].len), 0);
	assert_int_equal(mls_bytes_set(&leaf->signature_key, k->pub,
				       k->s->sig_pub_len), 0);
}

static int check(struct pki *p, const struct key *k,
		 const struct mls_bytes *cert,
		 const struct mls_leaf_node *old_leaf)
{
	struct mls_leaf_node leaf;
	int err;

	x509_leaf(&leaf, k, cert, 1);
	err = mls_credential_validate_x509(&p->v, k->s, &leaf, old_leaf);
	mls_leaf_node_free(&leaf);
	return err;
}

/* ---- the validator on its own ---- */

static void test_x509_accepts_ca_signed_leaf(void **state)
{
	struct pki p;
	struct mls_leaf_node leaf;
	struct mls_bytes chain[2];

	(void)state;
	pki_init(&p, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	assert_int_equal(check(&p, &p.alice_key, &p.alice, NULL), 0);
	assert_int_equal(check(&p, &p.bob_key, &p.bob, NULL), 0);
	/* the chain may carry the anchor after the end-entity */
	chain[0] = p.alice;
	chain[1] = p.ca;
	x509_leaf(&leaf, &p.alice_key, chain, 2);
	assert_int_equal(mls_credential_validate_x509(&p.v, p.alice_key.s,
						      &leaf, NULL), 0);
	mls_leaf_node_free(&leaf);
	pki_free(&p);
}

static void test_x509_rejects_other_ca(void **state)
{
	struct pki p;
	struct mls_x509_validator both = { 0 };
	struct mls_bytes anchors[2];

	(void)state;
	pki_init(&p, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	assert_int_equal(check(&p, &p.alice_key, &p.stranger, NULL),
			 MLS_ERR_BAD_SIGNATURE);
	/* the very same certificate passes once its CA is trusted too */
	anchors[0] = p.ca;
	anchors[1] = p.other_ca;
	both.ca_certs = anchors;
	both.n_ca_certs = 2;
	both.clock = fixture_clock;
	both.clock_ctx = &clock_now;
	assert_int_equal(mls_x509_validator_init(&both), 0);
	{
		struct mls_leaf_node leaf;

		x509_leaf(&leaf, &p.alice_key, &p.stranger, 1);
		assert_int_equal(mls_credential_validate_x509(
					 &both, p.alice_key.s, &leaf, NULL), 0);
		mls_leaf_node_free(&leaf);
	}
	mls_x509_validator_free(&both);
	pki_free(&p);
}

static void test_x509_rejects_expired(void **state)
{
	struct pki p;
	struct mls_x509_validator system_time;
	struct mls_leaf_node leaf;

	(void)state;
	pki_init(&p, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	assert_int_equal(check(&p, &p.alice_key, &p.expired, NULL),
			 MLS_ERR_VALIDATION);
	/* inside its validity the injected clock lets it through ... */
	clock_now = IN_2020;
	assert_int_equal(check(&p, &p.alice_key, &p.expired, NULL), 0);
	/* ... and past every notAfter even the good one fails */
	clock_now = IN_2041;
	assert_int_equal(check(&p, &p.alice_key, &p.alice, NULL),
			 MLS_ERR_VALIDATION);
	clock_now = NOW;
	/* without a clock, mbedTLS's system time: 2021 is really past */
	system_time = p.v;
	system_time.clock = NULL;
	x509_leaf(&leaf, &p.alice_key, &p.expired, 1);
	assert_int_equal(mls_credential_validate_x509(&system_time,
						      p.alice_key.s, &leaf,
						      NULL),
			 MLS_ERR_VALIDATION);
	mls_leaf_node_free(&leaf);
	x509_leaf(&leaf, &p.alice_key, &p.alice, 1);
	assert_int_equal(mls_credential_validate_x509(&system_time,
						      p.alice_key.s, &leaf,
						      NULL), 0);
	mls_leaf_node_free(&leaf);
	pki_free(&p);
}

static void test_x509_rejects_key_mismatch(void **state)
{
	struct pki p, p384;

	(void)state;
	pki_init(&p, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	/* CA-signed and in date, but for bob's key, not alice's */
	assert_int_equal(check(&p, &p.alice_key, &p.wrong_key, NULL),
			 MLS_ERR_BAD_KEY);
	assert_int_equal(check(&p, &p.bob_key, &p.wrong_key, NULL), 0);
	/* a P-384 chain is fine in suite 7 but not for a suite-2 leaf */
	pki_init(&p384, MLS_SUITE_P384_AES256GCM_SHA384_P384);
	assert_int_equal(check(&p384, &p384.alice_key, &p384.alice, NULL), 0);
	{
		struct mls_leaf_node leaf;

		x509_leaf(&leaf, &p384.alice_key, &p384.alice, 1);
		assert_int_equal(mls_credential_validate_x509(
					 &p384.v, p.alice_key.s, &leaf, NULL),
				 MLS_ERR_BAD_KEY);
		mls_leaf_node_free(&leaf);
	}
	pki_free(&p384);
	pki_free(&p);
}

static void test_x509_identity_kept_across_update(void **state)
{
	struct pki p;
	struct mls_leaf_node old_alice, old_basic;

	(void)state;
	pki_init(&p, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	x509_leaf(&old_alice, &p.alice_key, &p.alice, 1);
	/* same subject with a new key and certificate: a renewal */
	assert_int_equal(check(&p, &p.bob_key, &p.alice_renewed, &old_alice),
			 0);
	/* a valid certificate, but for someone else */
	assert_int_equal(check(&p, &p.bob_key, &p.bob, &old_alice),
			 MLS_ERR_VALIDATION);
	/* from a basic credential to any certificate */
	memset(&old_basic, 0, sizeof(old_basic));
	old_basic.credential.type = MLS_CREDENTIAL_BASIC;
	assert_int_equal(mls_bytes_set(&old_basic.credential.identity,
				       "CN=alice", 8), 0);
	assert_int_equal(check(&p, &p.alice_key, &p.alice, &old_basic),
			 MLS_ERR_VALIDATION);
	mls_leaf_node_free(&old_basic);
	mls_leaf_node_free(&old_alice);
	pki_free(&p);
}

static void test_x509_bad_input(void **state)
{
	struct pki p;
	struct mls_leaf_node leaf;
	struct mls_bytes junk = { (uint8_t *)"\x30\x03\x02\x01\x01", 5 };
	struct mls_x509_validator v = { 0 };
	const struct mls_suite *ed25519 =
		mls_suite_get(MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
	const struct mls_suite *ed448 =
		mls_suite_get(MLS_SUITE_X448_AES256GCM_SHA512_ED448);

	(void)state;
	pki_init(&p, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	assert_int_equal(check(&p, &p.alice_key, &junk, NULL),
			 MLS_ERR_DECODE);
	/* an empty chain */
	x509_leaf(&leaf, &p.alice_key, NULL, 0);
	assert_int_equal(mls_credential_validate_x509(&p.v, p.alice_key.s,
						      &leaf, NULL),
			 MLS_ERR_VALIDATION);
	mls_leaf_node_free(&leaf);
	/* a basic credential */
	memset(&leaf, 0, sizeof(leaf));
	leaf.credential.type = MLS_CREDENTIAL_BASIC;
	assert_int_equal(mls_credential_validate_x509(&p.v, p.alice_key.s,
						      &leaf, NULL),
			 MLS_ERR_VALIDATION);
	/* EdDSA chains cannot be verified with mbedTLS 2.28 */
	x509_leaf(&leaf, &p.alice_key, &p.alice, 1);
	assert_non_null(ed25519);
	assert_int_equal(mls_credential_validate_x509(&p.v, ed25519, &leaf,
						      NULL),
			 MLS_ERR_UNSUPPORTED);
	if (ed448)
		assert_int_equal(mls_credential_validate_x509(&p.v, ed448,
							      &leaf, NULL),
				 MLS_ERR_UNSUPPORTED);
	/* an uninitialised validator */
	assert_int_equal(mls_credential_validate_x509(&v, p.alice_key.s,
						      &leaf, NULL),
			 MLS_ERR_INVALID_ARG);
	mls_leaf_node_free(&leaf);
	/* init: no anchors, or an anchor that does not parse */
	assert_int_equal(mls_x509_validator_init(&v), MLS_ERR_INVALID_ARG);
	v.ca_certs = &junk;
	v.n_ca_certs = 1;
	assert_int_equal(mls_x509_validator_init(&v), MLS_ERR_DECODE);
	assert_null(v.anchors);
	mls_x509_validator_free(&v);
	assert_string_equal(mls_strerror(MLS_ERR_UNSUPPORTED),
			    "not supported by this build");
	pki_free(&p);
}

/* ---- through a group: suite 2, three members with certificates ---- */

/* A member with one of the PKI's keys and a certificate for it. */
static void member_init(struct fixture_party *m, const char *name,
			const struct key *k, const struct mls_bytes *cert,
			struct pki *p)
{
	assert_int_equal(fixture_party_init_key(m, k->s->id, name, &rng,
						k->priv, k->pub), 0);
	m->certificates = cert;
	m->n_certificates = 1;
	m->now = &clock_now;
	m->validate = mls_credential_validate_x509;
	m->validate_ctx = &p->v;
}

static void member_key_package(struct fixture_party *m)
{
	assert_int_equal(fixture_party_key_package(m), 0);
}

static void member_join(struct fixture_party *m,
			const struct mls_bytes *welcome)
{
	assert_int_equal(fixture_party_join(m, welcome), 0);
}

static void assert_agree(const struct mls_group *a, const struct mls_group *b)
{
	assert_int_equal(fixture_groups_agree(a, b, 0), 0);
}

static void add_by_value(struct fixture_party *by,
			 const struct fixture_party *whom,
			 struct mls_proposal *add)
{
	assert_int_equal(mls_group_make_add(&by->g, whom->kp.data,
					    whom->kp.len, add), 0);
}

static void test_x509_group_refuses_stranger(void **state)
{
	struct pki p;
	struct key carol_key, mallory_key;
	struct mls_bytes carol_cert, mallory_cert;
	struct fixture_party alice, bob, carol, mallory;
	struct mls_proposal adds[2];
	struct mls_commit_options o = { .proposals = adds, .n_proposals = 2 };
	struct mls_bytes commit, welcome, blob_b, blob_c, blob_a;

	(void)state;
	pki_init(&p, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	key_gen(&carol_key, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	key_gen(&mallory_key, MLS_SUITE_P256_AES128GCM_SHA256_P256);
	leaf_cert(&p, "CN=carol", &carol_key, false, FAR_AHEAD, &carol_cert);
	leaf_cert(&p, "CN=mallory", &mallory_key, true, FAR_AHEAD,
		  &mallory_cert);
	member_init(&alice, "alice", &p.alice_key, &p.alice, &p);
	member_init(&bob, "bob", &p.bob_key, &p.bob, &p);
	member_init(&carol, "carol", &carol_key, &carol_cert, &p);
	member_init(&mallory, "mallory", &mallory_key, &mallory_cert, &p);
	assert_int_equal(fixture_party_create(&alice, "x509", NULL), 0);
	member_key_package(&bob);
	member_key_package(&carol);
	member_key_package(&mallory);
	add_by_value(&alice, &bob, &adds[0]);
	add_by_value(&alice, &carol, &adds[1]);
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	mls_proposal_free(&adds[0]);
	mls_proposal_free(&adds[1]);
	member_join(&bob, &welcome);
	member_join(&carol, &welcome);
	assert_agree(&alice.g, &bob.g);
	assert_agree(&alice.g, &carol.g);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);

	/* Alice's own policy stops her adding Mallory */
	assert_int_equal(mls_group_save(&alice.g, &blob_a), 0);
	add_by_value(&alice, &mallory, &adds[0]);
	o.n_proposals = 1;
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, &welcome),
			 MLS_ERR_BAD_SIGNATURE);
	assert_false(mls_group_has_pending_commit(&alice.g));
	assert_same_state(&alice.g, &blob_a);

	/* A lax Alice commits it anyway: Bob and Carol refuse it */
	alice.g.validate_credential = NULL;
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, &welcome),
			 0);
	mls_proposal_free(&adds[0]);
	assert_int_equal(mls_group_save(&bob.g, &blob_b), 0);
	assert_int_equal(mls_group_save(&carol.g, &blob_c), 0);
	assert_int_equal(fixture_process(&bob.g, &commit),
			 MLS_ERR_BAD_SIGNATURE);
	assert_int_equal(fixture_process(&carol.g, &commit),
			 MLS_ERR_BAD_SIGNATURE);
	assert_same_state(&bob.g, &blob_b);
	assert_same_state(&carol.g, &blob_c);
	assert_int_equal(mls_group_epoch(&bob.g), 1);
	mls_group_discard_commit(&alice.g);
	alice.g.validate_credential = mls_credential_validate_x509;
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);

	/* the group still moves on with a Commit everyone accepts */
	o.n_proposals = 0;
	o.force_path = true;
	assert_int_equal(mls_group_commit(&alice.g, &o, &commit, NULL), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_process(&carol.g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_agree(&alice.g, &bob.g);
	assert_agree(&alice.g, &carol.g);
	assert_int_equal(mls_group_epoch(&bob.g), 2);

	mls_bytes_free(&commit);
	mls_bytes_free(&blob_a);
	mls_bytes_free(&blob_b);
	mls_bytes_free(&blob_c);
	mls_bytes_free(&carol_cert);
	mls_bytes_free(&mallory_cert);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
	fixture_party_free(&mallory);
	pki_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x509_accepts_ca_signed_leaf),
		cmocka_unit_test(test_x509_rejects_other_ca),
		cmocka_unit_test(test_x509_rejects_expired),
		cmocka_unit_test(test_x509_rejects_key_mismatch),
		cmocka_unit_test(test_x509_identity_kept_across_update),
		cmocka_unit_test(test_x509_bad_input),
		cmocka_unit_test(test_x509_group_refuses_stranger),
	};

	mls_crypto_set_random(&crypto, fixture_random, &rng);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
