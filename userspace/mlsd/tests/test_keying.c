// SPDX-License-Identifier: MIT
/*
 * Data-plane keys from MLS epochs: every member derives the same table
 * (a sender's TX key is every other member's RX key for that leaf), the
 * labels and contexts are exactly docs/WIRE-FORMAT.md's, and each epoch
 * (an Add, a Remove) changes the tag and every key.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/mlsdco.h>

#include "../keying.h"
#include "../../../mls/tests/support/group_fixture.h"

static struct fixture_rng rng = { 42 };

struct net {
	struct fixture_party p[3];
	size_t n;
};

static void add_member(struct net *net, size_t adder)
{
	struct fixture_party *joiner = &net->p[net->n];
	struct mls_bytes commit = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };

	assert_int_equal(fixture_party_key_package(joiner), 0);
	assert_int_equal(mls_group_make_add(&net->p[adder].g, joiner->kp.data,
					    joiner->kp.len, &add), 0);
	assert_int_equal(mls_group_commit(&net->p[adder].g, &co, &commit,
					  &welcome), 0);
	mls_proposal_free(&add);
	assert_int_equal(mls_group_confirm_commit(&net->p[adder].g), 0);
	for (size_t i = 0; i < net->n; i++)
		if (i != adder)
			assert_int_equal(fixture_process(&net->p[i].g, &commit),
					 0);
	assert_int_equal(fixture_party_join(joiner, &welcome), 0);
	net->n++;
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
}

static void net_of_three(struct net *net, uint16_t suite)
{
	static const char *const names[] = { "alice", "bob", "carol" };

	memset(net, 0, sizeof(*net));
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(fixture_party_init(&net->p[i], suite,
						    names[i], &rng), 0);
	assert_int_equal(fixture_party_create(&net->p[0], "net", NULL), 0);
	net->n = 1;
	add_member(net, 0);
	add_member(net, 1);
}

static void net_free(struct net *net)
{
	for (size_t i = 0; i < 3; i++)
		fixture_party_free(&net->p[i]);
}

static const struct mlsnl_rx_key *rx_of(const struct mlsnl_epoch_conf *c,
					uint32_t leaf)
{
	for (size_t i = 0; i < c->n_rx; i++)
		if (c->rx[i].leaf == leaf)
			return &c->rx[i];
	return NULL;
}

static void assert_same_key(const struct mlsnl_key *a,
			    const struct mlsnl_key *b)
{
	assert_int_equal(a->key_len, b->key_len);
	assert_memory_equal(a->key, b->key, a->key_len);
	assert_memory_equal(a->nonce, b->nonce, sizeof(a->nonce));
}

/* Member m's TX key is RX key "leaf m" of every other member. */
static void assert_tables_agree(struct mlsnl_epoch_conf *c, size_t n)
{
	for (size_t m = 0; m < n; m++) {
		assert_int_equal(c[m].n_rx, n - 1);
		assert_memory_equal(c[m].tag, c[0].tag, sizeof(c[0].tag));
		assert_int_equal(c[m].epoch, c[0].epoch);
		for (size_t o = 0; o < n; o++) {
			const struct mlsnl_rx_key *rx;

			if (o == m)
				continue;
			rx = rx_of(&c[o], (uint32_t)m);
			assert_non_null(rx);
			assert_same_key(&c[m].tx, &rx->k);
		}
	}
}

static void derive_all(struct net *net, struct mlsnl_epoch_conf *c)
{
	for (size_t i = 0; i < net->n; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		assert_int_equal(mlsd_epoch_keys(&net->p[i].g, 7, &c[i]), 0);
		assert_int_equal(c[i].group_id, 7);
	}
}

static void free_all(struct mlsnl_epoch_conf *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mlsd_epoch_keys_free(&c[i]);
}

static void members_agree_in(uint16_t suite, size_t key_len)
{
	struct net net;
	struct mlsnl_epoch_conf c[3];

	net_of_three(&net, suite);
	derive_all(&net, c);
	assert_tables_agree(c, 3);
	assert_int_equal(c[0].tx.key_len, key_len);
	assert_int_equal(c[0].epoch, 2);
	/* Two senders never share a key or a nonce base. */
	assert_memory_not_equal(c[0].tx.key, c[1].tx.key, key_len);
	assert_memory_not_equal(c[0].tx.nonce, c[1].tx.nonce, 12);
	free_all(c, 3);
	net_free(&net);
}

static void test_agree_aes128(void **state)
{
	(void)state;
	members_agree_in(MLS_SUITE_X25519_AES128GCM_SHA256_ED25519, 16);
}

static void test_agree_chacha(void **state)
{
	(void)state;
	members_agree_in(MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519, 32);
}

static void test_agree_aes256(void **state)
{
	(void)state;
	members_agree_in(MLS_SUITE_P384_AES256GCM_SHA384_P384, 32);
}

/*
 * The labels and contexts written out here as the wire format document
 * gives them, not through keying.h's macros: a change of either side
 * breaks interoperability with other implementations of the format.
 */
static void test_labels_are_the_documented_ones(void **state)
{
	struct net net;
	struct mlsnl_epoch_conf c;
	const struct mls_group *bob;
	const struct mlsnl_rx_key *rx;
	uint8_t want[32], ctx2[4] = { 0, 0, 0, 2 }, ctx1[4] = { 0, 0, 0, 1 };

	(void)state;
	net_of_three(&net, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
	bob = &net.p[1].g;
	memset(&c, 0, sizeof(c));
	assert_int_equal(mlsd_epoch_keys(bob, 1, &c), 0);

	assert_int_equal(mls_group_export(bob, "mlsdco v1 tag", NULL, 0,
					  want, 8), 0);
	assert_memory_equal(c.tag, want, 8);
	assert_int_equal(mls_group_export(bob, "mlsdco v1 key", ctx1, 4,
					  want, 16), 0);
	assert_memory_equal(c.tx.key, want, 16);
	rx = rx_of(&c, 2);
	assert_non_null(rx);
	assert_int_equal(mls_group_export(bob, "mlsdco v1 key", ctx2, 4,
					  want, 16), 0);
	assert_memory_equal(rx->k.key, want, 16);
	assert_int_equal(mls_group_export(bob, "mlsdco v1 nonce", ctx2, 4,
					  want, 12), 0);
	assert_memory_equal(rx->k.nonce, want, 12);
	mlsd_epoch_keys_free(&c);
	net_free(&net);
}

/* A Remove: the removed leaf leaves the table, tag and keys all change. */
static void test_remove_rekeys_everything(void **state)
{
	struct net net;
	struct mlsnl_epoch_conf before[3], after[2];
	struct mls_bytes commit = { NULL, 0 };
	struct mls_proposal rm;
	struct mls_commit_options co = { .proposals = &rm, .n_proposals = 1 };

	(void)state;
	net_of_three(&net, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
	derive_all(&net, before);
	assert_int_equal(mls_group_make_remove(&net.p[0].g, 2, &rm), 0);
	assert_int_equal(mls_group_commit(&net.p[0].g, &co, &commit, NULL), 0);
	mls_proposal_free(&rm);
	assert_int_equal(mls_group_confirm_commit(&net.p[0].g), 0);
	assert_int_equal(fixture_process(&net.p[1].g, &commit), 0);
	mls_bytes_free(&commit);

	net.n = 2;
	derive_all(&net, after);
	assert_tables_agree(after, 2);
	assert_null(rx_of(&after[0], 2));
	assert_int_equal(after[0].epoch, before[0].epoch + 1);
	assert_memory_not_equal(after[0].tag, before[0].tag, 8);
	for (size_t m = 0; m < 2; m++) {
		assert_memory_not_equal(after[m].tx.key, before[m].tx.key, 16);
		assert_memory_not_equal(after[m].tx.nonce, before[m].tx.nonce,
					12);
	}
	free_all(before, 3);
	free_all(after, 2);
	net_free(&net);
}

static void test_kernel_aead_of_every_suite(void **state)
{
	static const struct {
		uint16_t suite;
		int aead;
	} want[] = {
		{ 1, MLSDCO_AEAD_AES_128_GCM },
		{ 2, MLSDCO_AEAD_AES_128_GCM },
		{ 3, MLSDCO_AEAD_CHACHA20_POLY1305 },
		{ 4, MLSDCO_AEAD_AES_256_GCM },
		{ 5, MLSDCO_AEAD_AES_256_GCM },
		{ 6, MLSDCO_AEAD_CHACHA20_POLY1305 },
		{ 7, MLSDCO_AEAD_AES_256_GCM },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(mlsd_kernel_aead(mls_suite_get(want[i].suite)),
				 want[i].aead);
}

/* The wipe leaves no key, nonce or tag behind. */
static void test_free_wipes(void **state)
{
	struct net net;
	struct mlsnl_epoch_conf c;
	static const uint8_t zero[sizeof(c.tx)];

	(void)state;
	net_of_three(&net, MLS_SUITE_X25519_AES128GCM_SHA256_ED25519);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mlsd_epoch_keys(&net.p[0].g, 1, &c), 0);
	mlsd_epoch_keys_free(&c);
	assert_memory_equal(&c.tx, zero, sizeof(c.tx));
	assert_memory_equal(c.tag, zero, sizeof(c.tag));
	assert_null(c.rx);
	assert_int_equal(c.n_rx, 0);
	net_free(&net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree_aes128),
		cmocka_unit_test(test_agree_chacha),
		cmocka_unit_test(test_agree_aes256),
		cmocka_unit_test(test_labels_are_the_documented_ones),
		cmocka_unit_test(test_remove_rekeys_everything),
		cmocka_unit_test(test_kernel_aead_of_every_suite),
		cmocka_unit_test(test_free_wipes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
