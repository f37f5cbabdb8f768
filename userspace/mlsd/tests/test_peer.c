// SPDX-License-Identifier: MIT
/*
 * Who is who between hosts: peer ids (stable, the documented hash,
 * never 0), the network and pair group ids (A < B whichever end builds
 * them), the pair-group creator, and reading the peer back from a pair
 * group id (only ids the two names make exactly).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../peer.h"

static void test_peer_id_is_the_documented_hash(void **state)
{
	/* python3: sha256(b"mlsdco peer id v1\0" + name)[:4], big endian */
	assert_int_equal(mlsd_peer_id("alice"), 3037635252u);
	assert_int_equal(mlsd_peer_id("bob"), 944162004u);
	assert_int_equal(mlsd_peer_id("h1"), 1005224532u);
	assert_int_equal(mlsd_peer_id("alice"), mlsd_peer_id("alice"));
	assert_int_not_equal(mlsd_peer_id("alice"), mlsd_peer_id("alicf"));
}

static void test_peer_id_never_zero(void **state)
{
	char name[16];

	for (int i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		assert_int_not_equal(mlsd_peer_id(name), 0);
	}
}

static void test_group_ids(void **state)
{
	char a[MLSD_GROUP_ID_MAX + 1], b[MLSD_GROUP_ID_MAX + 1];

	assert_int_equal(mlsd_net_group_id("corp", a, sizeof(a)), 15);
	assert_string_equal(a, "mlsdco/net/corp");
	assert_true(mlsd_pair_group_id("corp", "bob", "alice", a, sizeof(a)) > 0);
	assert_true(mlsd_pair_group_id("corp", "alice", "bob", b, sizeof(b)) > 0);
	assert_string_equal(a, "mlsdco/pair/corp/alice/bob");
	assert_string_equal(a, b);
	/* byte-wise: "B" < "a" */
	assert_true(mlsd_pair_group_id("corp", "a", "B", a, sizeof(a)) > 0);
	assert_string_equal(a, "mlsdco/pair/corp/B/a");
	assert_int_equal(mlsd_pair_group_id("corp", "bob", "bob", a, sizeof(a)), -1);
	assert_int_equal(mlsd_pair_group_id("corp", "alice", "bob", a, 10), -1);
}

static void test_creator_is_the_first_name(void **state)
{
	assert_true(mlsd_pair_creator("alice", "bob"));
	assert_false(mlsd_pair_creator("bob", "alice"));
	assert_false(mlsd_pair_creator("bob", "bob"));
	/* exactly one end of every pair creates */
	assert_true(mlsd_pair_creator("h1", "h2") != mlsd_pair_creator("h2", "h1"));
}

static bool peer_of(const char *self, const char *gid, char *peer)
{
	return mlsd_pair_peer("corp", self, gid, strlen(gid), peer,
			      MLSD_GROUP_ID_MAX);
}

static void test_pair_peer(void **state)
{
	char peer[MLSD_GROUP_ID_MAX + 1];

	assert_true(peer_of("alice", "mlsdco/pair/corp/alice/bob", peer));
	assert_string_equal(peer, "bob");
	assert_true(peer_of("bob", "mlsdco/pair/corp/alice/bob", peer));
	assert_string_equal(peer, "alice");
	/* not ours, unordered, other network, not a pair group */
	assert_false(peer_of("carol", "mlsdco/pair/corp/alice/bob", peer));
	assert_false(peer_of("alice", "mlsdco/pair/corp/bob/alice", peer));
	assert_false(peer_of("alice", "mlsdco/pair/other/alice/bob", peer));
	assert_false(peer_of("alice", "mlsdco/net/corp", peer));
	assert_false(peer_of("alice", "mlsdco/pair/corp/alice/bob/x", peer));
	assert_false(peer_of("alice", "mlsdco/pair/corp/alice/alice", peer));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_id_is_the_documented_hash),
		cmocka_unit_test(test_peer_id_never_zero),
		cmocka_unit_test(test_group_ids),
		cmocka_unit_test(test_creator_is_the_first_name),
		cmocka_unit_test(test_pair_peer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
