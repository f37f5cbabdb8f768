// SPDX-License-Identifier: MIT
/*
 * psk_secret (RFC 9420 §8.4) edge cases: the empty list, one PSK against
 * hand-encoded PSKLabel bytes, order and type sensitivity, the nonce
 * length rule, bounds, and resolution through a lookup callback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mls/psk.h"

static const uint8_t zeros[MLS_MAX_HASH_LEN];

static void make_id(struct mls_psk_id *id, uint8_t type, const char *name,
		    uint8_t nonce_byte, size_t nonce_len)
{
	uint8_t nonce[MLS_MAX_HASH_LEN + 1];

	memset(id, 0, sizeof(*id));
	memset(nonce, nonce_byte, sizeof(nonce));
	id->psktype = type;
	if (type == MLS_PSK_EXTERNAL) {
		assert_int_equal(mls_bytes_set(&id->psk_id, name,
					       strlen(name)), 0);
	} else {
		id->usage = MLS_PSK_USAGE_APPLICATION;
		assert_int_equal(mls_bytes_set(&id->psk_group_id, name,
					       strlen(name)), 0);
		id->psk_epoch = 9;
	}
	assert_int_equal(mls_bytes_set(&id->psk_nonce, nonce, nonce_len), 0);
}

static void test_empty_list_is_zero(void **state)
{
	uint8_t out[MLS_MAX_HASH_LEN];
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		const struct mls_suite *s = mls_suite_get(id);

		memset(out, 0xee, sizeof(out));
		assert_int_equal(mls_psk_secret(s, NULL, 0, out), 0);
		assert_memory_equal(out, zeros, s->hash_len);
	}
}

/*
 * PSKLabel { PreSharedKeyID { 01, "ab"<V>, nonce<V> }, index 0, count 1 },
 * psk_secret = Extract(salt = psk_input, ikm = zeros).
 */
static void test_single_psk_by_hand(void **state)
{
	const struct mls_suite *s = mls_suite_get(1);
	uint8_t label[1 + 3 + 33 + 4] = { 0x01, 0x02, 'a', 'b', 0x20 };
	uint8_t psk[] = { 1, 2, 3, 4, 5 };
	uint8_t extracted[32], input[32], want[32], got[32];
	struct mls_psk_id id;
	struct mls_psk p = { &id, psk, sizeof(psk) };

	memset(label + 5, 0x42, 32);
	label[40] = 1;	/* uint16 index = 0, uint16 count = 1 */
	make_id(&id, MLS_PSK_EXTERNAL, "ab", 0x42, 32);
	assert_int_equal(mls_hkdf_extract(s, NULL, 0, psk, sizeof(psk),
					  extracted), 0);
	assert_int_equal(mls_expand_with_label(s, extracted, 32, "derived psk",
					       label, sizeof(label), input,
					       32), 0);
	assert_int_equal(mls_hkdf_extract(s, input, 32, zeros, 32, want), 0);
	assert_int_equal(mls_psk_secret(s, &p, 1, got), 0);
	assert_memory_equal(got, want, 32);
	mls_psk_id_free(&id);
}

static void test_order_and_type_matter(void **state)
{
	const struct mls_suite *s = mls_suite_get(3);
	uint8_t k1[] = { 1 }, k2[] = { 2 };
	uint8_t ab[32], ba[32], res[32];
	struct mls_psk_id a, b, r;
	struct mls_psk fwd[2] = { { &a, k1, 1 }, { &b, k2, 1 } };
	struct mls_psk rev[2] = { { &b, k2, 1 }, { &a, k1, 1 } };
	struct mls_psk resumption[2] = { { &r, k1, 1 }, { &b, k2, 1 } };

	make_id(&a, MLS_PSK_EXTERNAL, "a", 0x01, 32);
	make_id(&b, MLS_PSK_EXTERNAL, "b", 0x02, 32);
	make_id(&r, MLS_PSK_RESUMPTION, "a", 0x01, 32);
	assert_int_equal(mls_psk_secret(s, fwd, 2, ab), 0);
	assert_int_equal(mls_psk_secret(s, rev, 2, ba), 0);
	assert_int_equal(mls_psk_secret(s, resumption, 2, res), 0);
	assert_memory_not_equal(ab, ba, 32);
	assert_memory_not_equal(ab, res, 32);
	assert_memory_not_equal(ab, zeros, 32);
	mls_psk_id_free(&a);
	mls_psk_id_free(&b);
	mls_psk_id_free(&r);
}

static void test_invalid_psks_rejected_and_wiped(void **state)
{
	const struct mls_suite *s = mls_suite_get(5);	/* Nh = 64 */
	uint8_t k[] = { 7 }, out[64];
	struct mls_psk_id good, short_nonce;
	struct mls_psk list[2] = { { &good, k, 1 }, { &short_nonce, k, 1 } };

	make_id(&good, MLS_PSK_EXTERNAL, "g", 0x10, 64);
	make_id(&short_nonce, MLS_PSK_EXTERNAL, "s", 0x10, 32);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(mls_psk_secret(s, list, 2, out), MLS_ERR_VALIDATION);
	assert_memory_equal(out, zeros, 64);
	good.psktype = 3;
	assert_int_equal(mls_psk_secret(s, list, 1, out),
			 MLS_ERR_UNKNOWN_VALUE);
	good.psktype = MLS_PSK_EXTERNAL;
	assert_int_equal(mls_psk_secret(s, list, 1, out), 0);
	assert_int_equal(mls_psk_secret(s, NULL, 1, out), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_psk_secret(s, list, 65536, out),
			 MLS_ERR_INVALID_ARG);
	list[0].id = NULL;
	assert_int_equal(mls_psk_secret(s, list, 1, out), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_psk_secret(NULL, list, 1, out),
			 MLS_ERR_UNSUPPORTED_SUITE);
	mls_psk_id_free(&good);
	mls_psk_id_free(&short_nonce);
}

static const uint8_t stored_psk[] = { 0xde, 0xad, 0xbe, 0xef };

static int lookup_a_only(void *ctx, const struct mls_psk_id *id,
			 const uint8_t **secret, size_t *secret_len)
{
	if (id->psk_id.len != 1 || id->psk_id.data[0] != 'a')
		return MLS_ERR_NOT_FOUND;
	*secret = stored_psk;
	*secret_len = sizeof(stored_psk);
	return 0;
}

static void test_lookup(void **state)
{
	const struct mls_suite *s = mls_suite_get(2);
	uint8_t via_ids[32], direct[32];
	struct mls_psk_id ids[2];
	struct mls_psk_id_list list = { ids, 1 };
	struct mls_psk_id_list empty = { NULL, 0 };
	struct mls_psk p = { &ids[0], stored_psk, sizeof(stored_psk) };

	make_id(&ids[0], MLS_PSK_EXTERNAL, "a", 0x05, 32);
	make_id(&ids[1], MLS_PSK_EXTERNAL, "b", 0x05, 32);
	assert_int_equal(mls_psk_secret_from_ids(s, &list, lookup_a_only,
						 NULL, via_ids), 0);
	assert_int_equal(mls_psk_secret(s, &p, 1, direct), 0);
	assert_memory_equal(via_ids, direct, 32);
	list.count = 2;
	assert_int_equal(mls_psk_secret_from_ids(s, &list, lookup_a_only,
						 NULL, via_ids),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_psk_secret_from_ids(s, &list, NULL, NULL,
						 via_ids),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_psk_secret_from_ids(s, &empty, NULL, NULL,
						 via_ids), 0);
	assert_memory_equal(via_ids, zeros, 32);
	mls_psk_id_free(&ids[0]);
	mls_psk_id_free(&ids[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_list_is_zero),
		cmocka_unit_test(test_single_psk_by_hand),
		cmocka_unit_test(test_order_and_type_matter),
		cmocka_unit_test(test_invalid_psks_rejected_and_wiped),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
