// SPDX-License-Identifier: MIT
/*
 * Admission with real libmls groups: members validate every leaf with
 * mlsd_admission_validate. A host whose KeyPackage carries a certificate
 * of the network CA is added (in every suite); a KeyPackage that claims a
 * trusted host's certificate with another signature key (what a relay
 * would try), a certificate of another CA, or an external join with such
 * a certificate are refused by the members, and the group stays as it
 * was. Expired and revoked members are found by the sweep; pinned hosts
 * are admitted with their pinned key only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/error.h"
#include "mls/messages.h"
#include "../admission.h"
#include "../../../mls/tests/support/group_fixture.h"

#define DAY	86400u

/* A host: a libmls party whose credential identity is a certificate. */
struct host {
	struct fixture_party p;
	struct mls_bytes id;		/* certificate, or the pinned name */
};

struct world {
	uint16_t suite;
	struct fixture_rng rng;
	struct mlsd_ca_priv ca, rogue_ca;
	struct mlsd_ca_pub ca_pub, rogue_pub;
	struct mlsd_admission adm;	/* what every honest member runs */
	uint64_t serial;
};

static void world_init(struct world *w, uint16_t suite)
{
	struct mlsd_err e;

	memset(w, 0, sizeof(*w));
	w->suite = suite;
	w->rng.state = 0x5eed0000u + suite;
	assert_int_equal(mlsd_ca_generate("corp", &w->ca, &w->ca_pub, &e), 0);
	/* another CA, even one calling itself "corp", is not ours */
	assert_int_equal(mlsd_ca_generate("corp", &w->rogue_ca, &w->rogue_pub,
					  &e), 0);
	snprintf(w->adm.network, sizeof(w->adm.network), "corp");
	w->adm.has_ca = true;
	w->adm.ca = w->ca_pub;
	w->adm.skew = 60;
	w->adm.clock = fixture_clock;	/* FIXTURE_NOW */
}

static void world_free(struct world *w)
{
	mlsd_ca_priv_wipe(&w->ca);
	mlsd_ca_priv_wipe(&w->rogue_ca);
	if (w->adm.has_crl)
		mlsd_crl_free(&w->adm.crl);
	free(w->adm.pins);
}

/* A certificate for name over key (a suite's public key), by ca. */
static void issue(struct world *w, const struct mlsd_ca_priv *ca,
		  const char *name, const char *ip, const uint8_t *key,
		  struct mls_bytes *out)
{
	struct mlsd_host_cert c;

	memset(&c, 0, sizeof(c));
	snprintf(c.network, sizeof(c.network), "corp");
	snprintf(c.host, sizeof(c.host), "%s", name);
	c.suite = w->suite;
	c.sig_key_len = mls_suite_get(w->suite)->sig_pub_len;
	memcpy(c.sig_key, key, c.sig_key_len);
	assert_int_equal(mlsd_prefix_parse(ip, true, &c.prefixes[0]), 0);
	c.n_prefixes = 1;
	c.not_before = FIXTURE_NOW - DAY;
	c.not_after = FIXTURE_NOW + 30 * DAY;
	c.serial = ++w->serial;
	assert_int_equal(mlsd_cert_sign(&c, ca), MLSD_CERT_OK);
	assert_int_equal(mlsd_cert_encode(&c, out), MLSD_CERT_OK);
}

/* A host of the network with its own key and a certificate from ca. */
static void host_init(struct world *w, struct host *h, const char *name,
		      const char *ip, const struct mlsd_ca_priv *ca)
{
	assert_int_equal(fixture_party_init(&h->p, w->suite, name, &w->rng), 0);
	h->p.validate = mlsd_admission_validate;
	h->p.validate_ctx = &w->adm;
	memset(&h->id, 0, sizeof(h->id));
	if (ca)
		issue(w, ca, name, ip, h->p.sig_pub, &h->id);
	else
		assert_int_equal(mls_bytes_set(&h->id, name, strlen(name)), 0);
}

static void host_free(struct host *h)
{
	fixture_party_free(&h->p);
	mls_bytes_free(&h->id);
}

static void host_signer(const struct host *h, struct mls_signer *sg)
{
	fixture_party_signer(&h->p, sg);
	sg->identity = h->id.data;
	sg->identity_len = h->id.len;
}

static void host_key_package(struct host *h)
{
	struct mls_key_package_options o = {
		.suite = h->p.s, .crypto = &h->p.crypto,
		.clock = fixture_clock,
	};

	host_signer(h, &o.signer);
	mls_bytes_free(&h->p.kp);
	assert_int_equal(mls_key_package_create(&o, &h->p.kp, &h->p.sec), 0);
}

static void host_create(struct host *h)
{
	struct mls_group_create_options o;

	fixture_party_create_options(&h->p, "corp-all", NULL, &o);
	host_signer(h, &o.signer);
	assert_int_equal(mls_group_create(&h->p.g, &o), 0);
}

/* member commits an Add of joiner's KeyPackage; err is the result. */
static int commit_add(struct host *member, struct host *joiner,
		      struct mls_bytes *commit, struct mls_bytes *welcome)
{
	struct mls_commit_options co = { .n_proposals = 1 };
	struct mls_proposal add;
	int err;

	err = mls_group_make_add(&member->p.g, joiner->p.kp.data,
				 joiner->p.kp.len, &add);
	if (err)
		return err;
	co.proposals = &add;
	err = mls_group_commit(&member->p.g, &co, commit, welcome);
	mls_proposal_free(&add);
	return err;
}

/* alice creates the group and adds bob; both validate everything. */
static void two_members(struct world *w, struct host *alice, struct host *bob)
{
	struct mls_bytes commit = { 0 }, welcome = { 0 };

	host_init(w, alice, "alice", "10.7.0.1/32", &w->ca);
	host_init(w, bob, "bob", "10.7.0.2/32", &w->ca);
	host_create(alice);
	host_key_package(bob);
	assert_int_equal(commit_add(alice, bob, &commit, &welcome), 0);
	assert_int_equal(mls_group_confirm_commit(&alice->p.g), 0);
	/* bob checks alice's certificate in the tree of the Welcome */
	assert_int_equal(fixture_party_join(&bob->p, &welcome), 0);
	assert_int_equal(fixture_groups_agree(&alice->p.g, &bob->p.g, 16), 0);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
}

/* The prefixes admission gives for a member: from its certificate. */
static void assert_member_prefix(const struct world *w,
				 const struct mls_group *g, uint32_t leaf,
				 const char *name, const char *ip)
{
	struct mlsd_admitted who;
	struct mlsd_prefix want;

	assert_int_equal(mlsd_admission_check(&w->adm, g->suite,
					      mls_tree_leaf(&g->tree, leaf),
					      &who), MLSD_ADMIT_OK);
	assert_string_equal(who.identity, name);
	assert_int_equal(who.n_prefixes, 1);
	assert_int_equal(mlsd_prefix_parse(ip, true, &want), 0);
	assert_true(mlsd_prefix_equal(&who.prefixes[0], &want));
}

static void test_valid_certificate_admitted_every_suite(void **state)
{
	uint16_t suite;

	for (suite = 1; suite <= 7; suite++) {
		struct world w;
		struct host alice, bob;

		world_init(&w, suite);
		two_members(&w, &alice, &bob);
		assert_member_prefix(&w, &alice.p.g, 1, "bob", "10.7.0.2/32");
		assert_member_prefix(&w, &bob.p.g, 0, "alice", "10.7.0.1/32");
		host_free(&alice);
		host_free(&bob);
		world_free(&w);
	}
}

/*
 * The relay hands out a KeyPackage for "bob" that carries bob's real
 * certificate but the relay's own signature key.
 */
static void test_trusted_name_other_key_refused(void **state)
{
	struct mls_bytes commit = { 0 }, welcome = { 0 }, before = { 0 };
	struct host alice, bob, relay, carol;
	struct world w;

	world_init(&w, 1);
	two_members(&w, &alice, &bob);
	host_init(&w, &relay, "relay", "10.7.0.99/32", NULL);
	mls_bytes_free(&relay.id);
	assert_int_equal(mls_bytes_dup(&relay.id, &bob.id), 0);
	host_key_package(&relay);	/* signed with the relay's key */
	assert_int_equal(mls_group_save(&alice.p.g, &before), 0);
	assert_int_equal(commit_add(&alice, &relay, &commit, &welcome),
			 MLS_ERR_VALIDATION);
	assert_int_equal(w.adm.last_status, MLSD_CERT_KEY);
	assert_int_equal(fixture_same_state(&alice.p.g, &before), 0);
	mls_bytes_free(&before);

	/*
	 * A member that does not check (carol, no validator) commits it:
	 * the members that do check refuse her Commit.
	 */
	host_init(&w, &carol, "carol", "10.7.0.3/32", &w.ca);
	host_key_package(&carol);
	assert_int_equal(commit_add(&alice, &carol, &commit, &welcome), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.p.g), 0);
	assert_int_equal(fixture_process(&bob.p.g, &commit), 0);
	carol.p.validate = NULL;
	assert_int_equal(fixture_party_join(&carol.p, &welcome), 0);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	assert_int_equal(commit_add(&carol, &relay, &commit, &welcome), 0);
	w.adm.last_status = 0;
	assert_int_equal(mls_group_save(&bob.p.g, &before), 0);
	assert_int_equal(fixture_process(&bob.p.g, &commit), MLS_ERR_VALIDATION);
	assert_int_equal(w.adm.last_status, MLSD_CERT_KEY);
	assert_int_equal(fixture_same_state(&bob.p.g, &before), 0);
	assert_int_equal(fixture_process(&alice.p.g, &commit), MLS_ERR_VALIDATION);
	mls_bytes_free(&before);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	host_free(&alice);
	host_free(&bob);
	host_free(&relay);
	host_free(&carol);
	world_free(&w);
}

static void test_untrusted_ca_refused(void **state)
{
	struct mls_bytes commit = { 0 }, welcome = { 0 };
	struct host alice, bob, eve;
	struct world w;

	world_init(&w, 1);
	two_members(&w, &alice, &bob);
	host_init(&w, &eve, "eve", "10.7.0.5/32", &w.rogue_ca);
	host_key_package(&eve);
	assert_int_equal(commit_add(&alice, &eve, &commit, &welcome),
			 MLS_ERR_VALIDATION);
	assert_int_equal(w.adm.last_status, MLSD_CERT_ISSUER);
	/* a plain name that nobody pinned */
	mls_bytes_free(&eve.id);
	assert_int_equal(mls_bytes_set(&eve.id, "eve", 3), 0);
	host_key_package(&eve);
	assert_int_equal(commit_add(&alice, &eve, &commit, &welcome),
			 MLS_ERR_VALIDATION);
	assert_int_equal(w.adm.last_status, MLSD_ADMIT_NOT_PINNED);
	assert_int_equal(mls_group_epoch(&alice.p.g), 1);
	host_free(&alice);
	host_free(&bob);
	host_free(&eve);
	world_free(&w);
}

/* eve joins by external Commit from the GroupInfo (no validator of hers). */
static int external_join(struct host *h, const struct mls_bytes *gi,
			 struct mls_bytes *commit)
{
	struct mls_external_join_options o = {
		.suite = h->p.s, .crypto = &h->p.crypto,
		.clock = fixture_clock,
	};
	struct mls_message m;
	int err;

	host_signer(h, &o.signer);
	assert_int_equal(mls_message_from_bytes(gi->data, gi->len, &m), 0);
	err = mls_group_join_external(&h->p.g, &o, &m.group_info, commit);
	mls_message_free(&m);
	return err;
}

static void test_external_join(void **state)
{
	struct mls_bytes gi = { 0 }, commit = { 0 }, before = { 0 };
	struct host alice, bob, eve, dan;
	struct world w;

	world_init(&w, 1);
	two_members(&w, &alice, &bob);
	assert_int_equal(mls_group_export_group_info(&alice.p.g, true, &gi), 0);
	assert_int_equal(mls_group_save(&alice.p.g, &before), 0);

	host_init(&w, &eve, "eve", "10.7.0.5/32", &w.rogue_ca);
	assert_int_equal(external_join(&eve, &gi, &commit), 0);
	assert_int_equal(fixture_process(&alice.p.g, &commit), MLS_ERR_VALIDATION);
	assert_int_equal(w.adm.last_status, MLSD_CERT_ISSUER);
	assert_int_equal(fixture_same_state(&alice.p.g, &before), 0);
	assert_int_equal(fixture_process(&bob.p.g, &commit), MLS_ERR_VALIDATION);
	mls_bytes_free(&commit);

	/* the same join with a certificate of the network CA is accepted */
	host_init(&w, &dan, "dan", "10.7.0.4/32", &w.ca);
	assert_int_equal(external_join(&dan, &gi, &commit), 0);
	assert_int_equal(fixture_process(&alice.p.g, &commit), 0);
	assert_int_equal(fixture_process(&bob.p.g, &commit), 0);
	assert_int_equal(fixture_groups_agree(&alice.p.g, &dan.p.g, 16), 0);
	assert_member_prefix(&w, &bob.p.g, mls_group_own_leaf(&dan.p.g),
			     "dan", "10.7.0.4/32");
	mls_bytes_free(&commit);
	mls_bytes_free(&gi);
	mls_bytes_free(&before);
	host_free(&alice);
	host_free(&bob);
	host_free(&eve);
	host_free(&dan);
	world_free(&w);
}

static void test_sweep_expired_and_revoked(void **state)
{
	struct host alice, bob;
	struct world w;
	uint64_t later = FIXTURE_NOW + 31 * DAY;
	uint32_t leaves[4];
	size_t n;

	world_init(&w, 1);
	two_members(&w, &alice, &bob);
	assert_int_equal(mlsd_admission_sweep(&w.adm, &alice.p.g, leaves, 4, &n), 0);
	assert_int_equal(n, 0);
	/* bob's serial (2) on a CRL of our CA */
	w.adm.has_crl = true;
	assert_int_equal(mlsd_crl_add(&w.adm.crl, 2), 0);
	assert_int_equal(mlsd_crl_sign(&w.adm.crl, &w.ca), 0);
	assert_int_equal(mlsd_admission_sweep(&w.adm, &alice.p.g, leaves, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(leaves[0], 1);
	mlsd_crl_free(&w.adm.crl);
	w.adm.has_crl = false;
	/* a month later both certificates have expired */
	w.adm.clock_ctx = &later;
	assert_int_equal(mlsd_admission_sweep(&w.adm, &alice.p.g, leaves, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(leaves[0], 0);
	assert_int_equal(leaves[1], 1);
	host_free(&alice);
	host_free(&bob);
	world_free(&w);
}

/* A Commit's path leaf replaces the committer's own: still admitted. */
static void test_path_leaf_keeps_admission(void **state)
{
	struct mls_commit_options co = { .force_path = true };
	struct mls_bytes commit = { 0 }, welcome = { 0 };
	struct host alice, bob;
	struct world w;

	world_init(&w, 1);
	two_members(&w, &alice, &bob);
	assert_int_equal(mls_group_commit(&bob.p.g, &co, &commit, &welcome), 0);
	assert_int_equal(mls_group_confirm_commit(&bob.p.g), 0);
	w.adm.last_status = -1;
	assert_int_equal(fixture_process(&alice.p.g, &commit), 0);
	assert_int_equal(w.adm.last_status, MLSD_ADMIT_OK);
	assert_int_equal(fixture_groups_agree(&alice.p.g, &bob.p.g, 16), 0);
	mls_bytes_free(&commit);
	host_free(&alice);
	host_free(&bob);
	world_free(&w);
}

static void test_pinned_hosts(void **state)
{
	struct mls_bytes commit = { 0 }, welcome = { 0 };
	struct host alice, dave, mallory;
	struct world w;

	world_init(&w, 1);
	host_init(&w, &alice, "alice", "10.7.0.1/32", &w.ca);
	host_init(&w, &dave, "dave", NULL, NULL);
	w.adm.pins = calloc(1, sizeof(*w.adm.pins));
	w.adm.n_pins = 1;
	snprintf(w.adm.pins[0].identity, sizeof(w.adm.pins[0].identity), "dave");
	w.adm.pins[0].key.suite = 1;
	w.adm.pins[0].key.len = 32;
	memcpy(w.adm.pins[0].key.pub, dave.p.sig_pub, 32);
	assert_int_equal(mlsd_prefix_parse("10.7.0.4/32", true,
					   &w.adm.pins[0].prefixes[0]), 0);
	w.adm.pins[0].n_prefixes = 1;
	host_create(&alice);

	/* "dave" with another key */
	host_init(&w, &mallory, "dave", NULL, NULL);
	host_key_package(&mallory);
	assert_int_equal(commit_add(&alice, &mallory, &commit, &welcome),
			 MLS_ERR_VALIDATION);
	assert_int_equal(w.adm.last_status, MLSD_ADMIT_PIN_KEY);

	host_key_package(&dave);
	assert_int_equal(commit_add(&alice, &dave, &commit, &welcome), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.p.g), 0);
	assert_int_equal(fixture_party_join(&dave.p, &welcome), 0);
	assert_member_prefix(&w, &alice.p.g, 1, "dave", "10.7.0.4/32");
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	host_free(&alice);
	host_free(&dave);
	host_free(&mallory);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_certificate_admitted_every_suite),
		cmocka_unit_test(test_trusted_name_other_key_refused),
		cmocka_unit_test(test_untrusted_ca_refused),
		cmocka_unit_test(test_external_join),
		cmocka_unit_test(test_sweep_expired_and_revoked),
		cmocka_unit_test(test_path_leaf_keeps_admission),
		cmocka_unit_test(test_pinned_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
