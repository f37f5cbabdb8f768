// SPDX-License-Identifier: MIT
/*
 * PrivateMessage padding (§6.3.1, mls_group_policy.padding_block): what
 * we send is padded so the delivery service sees lengths only to the
 * block, and what others send padded is read whatever our own setting.
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
#include "support/group_assert.h"

#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519
#define BLOCK	64

static struct fixture_rng rng = { 61 };

struct pair {
	struct fixture_party alice, bob;
};

static void pair_init(struct pair *t)
{
	memset(t, 0, sizeof(*t));
	assert_int_equal(fixture_party_init(&t->alice, SUITE, "alice", &rng),
			 0);
	assert_int_equal(fixture_party_init(&t->bob, SUITE, "bob", &rng), 0);
	assert_int_equal(fixture_party_create(&t->alice, "padding", NULL), 0);
	assert_int_equal(fixture_party_add(&t->alice, &t->bob, NULL), 0);
}

static void pair_free(struct pair *t)
{
	fixture_party_free(&t->alice);
	fixture_party_free(&t->bob);
}

static void set_padding(struct mls_group *g, size_t block)
{
	struct mls_group_policy p;

	memset(&p, 0, sizeof(p));
	p.padding_block = block;
	mls_group_set_policy(g, &p);
}

/* The PrivateMessage's encrypted content, AEAD tag taken off. */
static size_t content_len(const struct mls_suite *s,
			  const struct mls_bytes *msg)
{
	struct mls_message m;
	size_t len;

	assert_int_equal(mls_message_from_bytes(msg->data, msg->len, &m), 0);
	assert_int_equal(m.wire_format, MLS_WIRE_PRIVATE_MESSAGE);
	assert_true(m.private_message.ciphertext.len > s->aead_tag_len);
	len = m.private_message.ciphertext.len - s->aead_tag_len;
	mls_message_free(&m);
	return len;
}

/* Encrypt n bytes of 'x' from a to b; check b reads them back. */
static size_t send_app(struct mls_group *a, struct mls_group *b, size_t n)
{
	uint8_t data[200];
	struct mls_bytes msg = { NULL, 0 }, got = { NULL, 0 };
	struct mls_message m;
	size_t len;

	assert_true(n <= sizeof(data));
	memset(data, 'x', n);
	assert_int_equal(mls_group_encrypt(a, data, n, NULL, 0, &msg), 0);
	len = content_len(a->suite, &msg);
	assert_int_equal(mls_message_from_bytes(msg.data, msg.len, &m), 0);
	assert_int_equal(mls_group_decrypt(b, &m, &got, NULL), 0);
	assert_int_equal(got.len, n);
	assert_memory_equal(got.data, data, n);
	mls_message_free(&m);
	mls_bytes_free(&got);
	mls_bytes_free(&msg);
	return len;
}

static void test_application_padded_to_block(void **state)
{
	static const size_t sizes[] = { 1, 7, 30, 45 };
	struct pair t;
	size_t i, len, first = 0;

	(void)state;
	pair_init(&t);
	set_padding(&t.alice.g, BLOCK);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		len = send_app(&t.alice.g, &t.bob.g, sizes[i]);
		assert_int_equal(len % BLOCK, 0);
		if (i == 0)
			first = len;
		/* every size here fits in the first block's length */
		assert_int_equal(len, first);
	}
	pair_free(&t);
}

/* Without padding the lengths differ: the test above can tell. */
static void test_unpadded_lengths_differ(void **state)
{
	struct pair t;
	size_t a, b;

	(void)state;
	pair_init(&t);
	a = send_app(&t.alice.g, &t.bob.g, 1);
	b = send_app(&t.alice.g, &t.bob.g, 30);
	assert_int_equal(b - a, 29);
	pair_free(&t);
}

static void test_commit_padded_to_block(void **state)
{
	struct mls_commit_options co;
	struct mls_bytes commit = { NULL, 0 };
	struct pair t;

	(void)state;
	pair_init(&t);
	set_padding(&t.alice.g, BLOCK);
	memset(&co, 0, sizeof(co));
	co.force_path = true;
	co.wire = MLS_GROUP_WIRE_PRIVATE;
	assert_int_equal(mls_group_commit(&t.alice.g, &co, &commit, NULL), 0);
	assert_int_equal(content_len(t.alice.s, &commit) % BLOCK, 0);
	/* bob sends unpadded and reads alice's padded Commit */
	assert_int_equal(fixture_process(&t.bob.g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&t.alice.g), 0);
	assert_int_equal(fixture_groups_agree(&t.alice.g, &t.bob.g, 32), 0);
	mls_bytes_free(&commit);
	pair_free(&t);
}

static void test_block_too_large_refused(void **state)
{
	struct mls_bytes msg = { NULL, 0 };
	struct pair t;

	(void)state;
	pair_init(&t);
	set_padding(&t.alice.g, MLS_MAX_PADDING_BLOCK + 1);
	assert_int_equal(mls_group_encrypt(&t.alice.g, (const uint8_t *)"x",
					   1, NULL, 0, &msg),
			 MLS_ERR_INVALID_ARG);
	assert_null(msg.data);
	/* the largest allowed block works */
	set_padding(&t.alice.g, MLS_MAX_PADDING_BLOCK);
	assert_int_equal(send_app(&t.alice.g, &t.bob.g, 3),
			 MLS_MAX_PADDING_BLOCK);
	pair_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_application_padded_to_block),
		cmocka_unit_test(test_unpadded_lengths_differ),
		cmocka_unit_test(test_commit_padded_to_block),
		cmocka_unit_test(test_block_too_large_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
