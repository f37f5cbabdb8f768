// SPDX-License-Identifier: MIT
/*
 * What our KeyPackages carry besides keys: GREASE values (§13.5) in the
 * leaf's capabilities and an empty GREASE extension, unless the signer
 * opts out, and the last_resort extension (§17.3) on request. Each must
 * still validate and be usable in an Add.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/group.h"
#include "mls/msg_keypackage.h"
#include "support/group_assert.h"

#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519

static struct fixture_rng rng = { 71 };

struct made {
	struct fixture_party p;
	struct mls_bytes bytes;
	struct mls_key_package_secrets sec;
	struct mls_key_package kp;
};

static void make(struct made *m, bool no_grease, bool last_resort)
{
	struct mls_key_package_options o;
	struct mls_reader r;

	memset(m, 0, sizeof(*m));
	assert_int_equal(fixture_party_init(&m->p, SUITE, "kp", &rng), 0);
	memset(&o, 0, sizeof(o));
	o.suite = m->p.s;
	o.crypto = &m->p.crypto;
	o.clock = fixture_clock;
	fixture_party_signer(&m->p, &o.signer);
	o.signer.no_grease = no_grease;
	o.last_resort = last_resort;
	assert_int_equal(mls_key_package_create(&o, &m->bytes, &m->sec), 0);
	mls_reader_init(&r, m->bytes.data, m->bytes.len);
	mls_key_package_decode(&r, &m->kp);
	assert_int_equal(mls_reader_finish(&r), 0);
	assert_int_equal(mls_key_package_validate(m->p.s, &m->kp,
						  FIXTURE_NOW), 0);
}

static void made_free(struct made *m)
{
	mls_key_package_free(&m->kp);
	mls_bytes_free(&m->bytes);
	mls_key_package_secrets_wipe(&m->sec);
	fixture_party_free(&m->p);
}

static size_t grease_in(const struct mls_u16_list *l, uint16_t *last)
{
	size_t i, n = 0;

	for (i = 0; i < l->count; i++)
		if (mls_is_grease(l->items[i])) {
			n++;
			*last = l->items[i];
		}
	return n;
}

static size_t grease_extensions(const struct mls_extension_list *l,
				uint16_t *type)
{
	size_t i, n = 0;

	for (i = 0; i < l->count; i++)
		if (mls_is_grease(l->items[i].type)) {
			n++;
			*type = l->items[i].type;
			assert_int_equal(l->items[i].data.len, 0);
		}
	return n;
}

static void test_grease_values(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < MLS_GREASE_COUNT; i++)
		assert_true(mls_is_grease(mls_grease_value(i)));
	assert_int_equal(mls_grease_value(0), 0x0A0A);
	assert_int_equal(mls_grease_value(14), 0xEAEA);
	assert_false(mls_is_grease(0xFAFA));	/* private use, not GREASE */
	assert_false(mls_is_grease(0x0A1A));
	assert_false(mls_is_grease(MLS_EXT_LAST_RESORT));
	assert_false(mls_is_grease(SUITE));
}

static void test_grease_by_default(void **state)
{
	const struct mls_capabilities *c;
	uint16_t ext = 0, ext_type = 0, other = 0;
	struct made m;

	(void)state;
	make(&m, false, false);
	c = &m.kp.leaf_node.capabilities;
	assert_int_equal(grease_in(&c->cipher_suites, &other), 1);
	assert_int_equal(grease_in(&c->extensions, &ext), 1);
	assert_int_equal(grease_in(&c->proposals, &other), 1);
	assert_int_equal(grease_in(&c->credentials, &other), 1);
	assert_int_equal(grease_in(&c->versions, &other), 0);
	/* the KeyPackage's GREASE extension is of the type its leaf lists */
	assert_int_equal(grease_extensions(&m.kp.extensions, &ext_type), 1);
	assert_int_equal(ext_type, ext);
	assert_false(mls_key_package_is_last_resort(&m.kp));
	made_free(&m);
}

static void test_no_grease(void **state)
{
	const struct mls_capabilities *c;
	uint16_t v = 0;
	struct made m;

	(void)state;
	make(&m, true, false);
	c = &m.kp.leaf_node.capabilities;
	assert_int_equal(grease_in(&c->cipher_suites, &v) +
			 grease_in(&c->extensions, &v) +
			 grease_in(&c->proposals, &v) +
			 grease_in(&c->credentials, &v), 0);
	assert_int_equal(grease_extensions(&m.kp.extensions, &v), 0);
	assert_int_equal(m.kp.extensions.count, 0);
	made_free(&m);
}

static void test_last_resort(void **state)
{
	const struct mls_u16_list *types;
	struct made m;
	size_t i;
	bool listed = false;

	(void)state;
	make(&m, false, true);
	assert_true(mls_key_package_is_last_resort(&m.kp));
	types = &m.kp.leaf_node.capabilities.extensions;
	for (i = 0; i < types->count; i++)
		listed |= types->items[i] == MLS_EXT_LAST_RESORT;
	assert_true(listed);
	assert_int_equal(mls_extension_list_find(&m.kp.extensions,
						 MLS_EXT_LAST_RESORT)->data.len,
			 0);
	assert_false(mls_key_package_is_last_resort(NULL));
	made_free(&m);
}

/* A group of GREASE-carrying members works, and so does a joiner's Add. */
static void test_grease_member_added(void **state)
{
	struct fixture_party alice, bob, carol;
	struct mls_bytes commit = { NULL, 0 };

	(void)state;
	assert_int_equal(fixture_party_init(&alice, SUITE, "alice", &rng), 0);
	assert_int_equal(fixture_party_init(&bob, SUITE, "bob", &rng), 0);
	assert_int_equal(fixture_party_init(&carol, SUITE, "carol", &rng), 0);
	assert_int_equal(fixture_party_create(&alice, "grease", NULL), 0);
	assert_int_equal(fixture_party_add(&alice, &bob, NULL), 0);
	assert_int_equal(fixture_party_add(&alice, &carol, &commit), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, 32), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &carol.g, 32), 0);
	mls_bytes_free(&commit);
	fixture_party_free(&alice);
	fixture_party_free(&bob);
	fixture_party_free(&carol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grease_values),
		cmocka_unit_test(test_grease_by_default),
		cmocka_unit_test(test_no_grease),
		cmocka_unit_test(test_last_resort),
		cmocka_unit_test(test_grease_member_added),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
