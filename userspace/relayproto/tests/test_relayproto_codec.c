// SPDX-License-Identifier: MIT
/*
 * relayproto frame codec: every frame type round-trips, each header and
 * field rule rejects what breaks it with its own error, the MLSMessage
 * header peek, and the challenge signature.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mls/crypto.h"
#include "relayproto.h"

static uint8_t buf[4096];
static const uint8_t gid[] = "group-one";
static const uint8_t ident[] = "host-a";
static const uint8_t blob[] = "opaque mls bytes";

/* A frame of the given type with every field set to something distinct. */
static struct rp_frame sample(uint8_t type)
{
	struct rp_frame f;

	memset(&f, 0, sizeof(f));
	f.type = type;
	f.req_id = 0x01020304;
	f.suite = 1;
	f.code = RP_C_LIMIT;
	f.last_resort = 1;
	f.kind = RP_KIND_COMMIT;
	f.more = 1;
	f.count = 77;
	f.epoch = 0x1122334455667788ull;
	f.seq = 42;
	memset(f.challenge, 0xc5, sizeof(f.challenge));
	memset(f.tag, 0x7a, sizeof(f.tag));
	f.identity = (struct rp_bytes){ ident, sizeof(ident) - 1 };
	f.sig_pub = (struct rp_bytes){ blob, 5 };
	f.signature = (struct rp_bytes){ blob + 5, 6 };
	f.text = (struct rp_bytes){ (const uint8_t *)"why", 3 };
	f.group_id = (struct rp_bytes){ gid, sizeof(gid) - 1 };
	f.blob = (struct rp_bytes){ blob, sizeof(blob) - 1 };
	return f;
}

static size_t encode(const struct rp_frame *f)
{
	size_t n = 0;

	assert_int_equal(rp_encode(f, buf, sizeof(buf), &n), 0);
	assert_int_equal((long)n, rp_encoded_len(f));
	return n;
}

static void assert_same_bytes(struct rp_bytes a, struct rp_bytes b)
{
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.p, b.p, a.len);
}

static const uint8_t all_types[] = {
	RP_CHALLENGE, RP_AUTH, RP_OK_FRAME, RP_ERROR, RP_KP_UPLOAD, RP_KP_TAKE,
	RP_KEYPACKAGE, RP_SUBSCRIBE, RP_HANDSHAKE, RP_ACCEPTED, RP_CONFLICT,
	RP_HS_EVENT, RP_FETCH, RP_END, RP_GI_PUT, RP_GI_GET, RP_GROUPINFO,
	RP_WELCOME_SEND, RP_WELCOME_TAKE, RP_WELCOME, RP_EPOCH_TAG,
};

/* Decoding what was encoded gives the same frame, re-encoding the same bytes. */
static void test_round_trip_every_type(void **state)
{
	uint8_t again[4096];
	struct rp_frame f, d;
	size_t i, n, m;

	for (i = 0; i < sizeof(all_types); i++) {
		f = sample(all_types[i]);
		n = encode(&f);
		assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), 0);
		assert_int_equal(d.type, all_types[i]);
		assert_int_equal(d.req_id, 0x01020304);
		assert_int_equal(rp_encode(&d, again, sizeof(again), &m), 0);
		assert_int_equal(m, n);
		assert_memory_equal(again, buf, n);
		assert_string_not_equal(rp_type_name(d.type), "unknown");
	}
}

/* The exact bytes of one frame, so the doc's layout is what is on the wire. */
static void test_handshake_wire_bytes(void **state)
{
	static const uint8_t want[] = {
		1, RP_HANDSHAKE, 0, 0, 0, 0, 0, 9, 0, 0, 0, 20,
		0, 2, 'g', '1',
		0, 0, 0, 0, 0, 0, 0, 5,
		RP_KIND_COMMIT,
		0, 0, 0, 3, 'a', 'b', 'c',
	};
	struct rp_frame f = sample(RP_HANDSHAKE), d;
	size_t n;

	f.req_id = 9;
	f.group_id = (struct rp_bytes){ (const uint8_t *)"g1", 2 };
	f.epoch = 5;
	f.blob = (struct rp_bytes){ (const uint8_t *)"abc", 3 };
	n = encode(&f);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, n);
	assert_int_equal(rp_decode(want, sizeof(want), 64, &d), 0);
	assert_int_equal(d.epoch, 5);
	assert_int_equal(d.kind, RP_KIND_COMMIT);
	assert_same_bytes(d.group_id, f.group_id);
	assert_same_bytes(d.blob, f.blob);
}

static void test_auth_fields_decoded(void **state)
{
	struct rp_frame f = sample(RP_AUTH), d;
	size_t n = encode(&f);

	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), 0);
	assert_int_equal(d.suite, 1);
	assert_same_bytes(d.identity, f.identity);
	assert_same_bytes(d.sig_pub, f.sig_pub);
	assert_same_bytes(d.signature, f.signature);
}

static void test_header_errors(void **state)
{
	struct rp_frame f = sample(RP_KP_TAKE), d;
	size_t n = encode(&f);
	uint8_t type;
	uint32_t req, plen;

	assert_int_equal(rp_decode(buf, RP_HDR_LEN - 1, RP_MAX_PAYLOAD, &d),
			 RP_E_TRUNCATED);
	buf[0] = 2;
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_VERSION);
	buf[0] = 1;
	buf[3] = 1;
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_RESERVED);
	buf[3] = 0;
	buf[1] = 0x7f;
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_TYPE);
	buf[1] = RP_KP_TAKE;
	/* the connection's own limit, then the protocol's hard one */
	assert_int_equal(rp_decode(buf, n, n - RP_HDR_LEN - 1, &d),
			 RP_E_TOO_LARGE);
	buf[8] = 0x01;
	buf[9] = 0x00;
	assert_int_equal(rp_decode_header(buf, n, 0xffffffffu, &type, &req,
					  &plen), RP_E_TOO_LARGE);
}

static void test_length_mismatch(void **state)
{
	struct rp_frame f = sample(RP_WELCOME), d;
	size_t n = encode(&f);

	assert_int_equal(rp_decode(buf, n - 1, RP_MAX_PAYLOAD, &d),
			 RP_E_TRUNCATED);
	assert_int_equal(rp_decode(buf, n + 1, RP_MAX_PAYLOAD, &d),
			 RP_E_TRAILING);
	/* header length says one more byte than the fields use */
	buf[n] = 0;
	buf[11]++;
	assert_int_equal(rp_decode(buf, n + 1, RP_MAX_PAYLOAD, &d),
			 RP_E_TRAILING);
	/* header length says one byte less: the blob runs past the payload */
	buf[11] -= 2;
	assert_int_equal(rp_decode(buf, n - 1, RP_MAX_PAYLOAD, &d),
			 RP_E_TRUNCATED);
}

/* Byte-string lengths: zero and over-maximum are field errors. */
static void test_opaque_bounds(void **state)
{
	struct rp_frame f = sample(RP_KP_TAKE), d;
	size_t n = encode(&f);

	buf[RP_HDR_LEN] = 0;
	buf[RP_HDR_LEN + 1] = 0;
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_FIELD);
	buf[RP_HDR_LEN] = 1;	/* 256 > RP_MAX_IDENTITY */
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_FIELD);
	buf[RP_HDR_LEN] = 0;
	buf[RP_HDR_LEN + 1] = (uint8_t)(f.identity.len + 1);
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d),
			 RP_E_TRUNCATED);
}

static void test_enum_fields(void **state)
{
	struct rp_frame f = sample(RP_HANDSHAKE), d;
	size_t n = encode(&f), kind_at = RP_HDR_LEN + 2 + f.group_id.len + 8;

	buf[kind_at] = 3;
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_FIELD);
	buf[kind_at] = 0;
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_FIELD);
	f = sample(RP_KP_UPLOAD);
	n = encode(&f);
	buf[RP_HDR_LEN] = 2;
	assert_int_equal(rp_decode(buf, n, RP_MAX_PAYLOAD, &d), RP_E_FIELD);
}

static void test_encoder_refuses_bad_fields(void **state)
{
	struct rp_frame f = sample(RP_SUBSCRIBE);
	size_t n;

	f.group_id.len = 0;
	assert_int_equal(rp_encode(&f, buf, sizeof(buf), &n), RP_E_FIELD);
	f.group_id.len = RP_MAX_GROUP_ID + 1;
	assert_int_equal(rp_encode(&f, buf, sizeof(buf), &n), RP_E_FIELD);
	f = sample(RP_HANDSHAKE);
	f.kind = 9;
	assert_int_equal(rp_encode(&f, buf, sizeof(buf), &n), RP_E_FIELD);
	f = sample(RP_WELCOME);
	assert_int_equal(rp_encode(&f, buf, 10, &n), RP_E_TOO_LARGE);
	f.type = 0x99;
	assert_int_equal(rp_encode(&f, buf, sizeof(buf), &n), RP_E_TYPE);
}

static void test_direction(void **state)
{
	assert_true(rp_type_from_relay(RP_CHALLENGE));
	assert_true(rp_type_from_relay(RP_HS_EVENT));
	assert_false(rp_type_from_relay(RP_AUTH));
	assert_false(rp_type_from_relay(RP_HANDSHAKE));
	assert_false(rp_type_from_relay(0xee));
}

/* PrivateMessage: version 1, wire format 2, group_id<V> "gx", epoch 9. */
static void test_mls_peek(void **state)
{
	static const uint8_t priv[] = { 0, 1, 0, 2, 2, 'g', 'x',
					0, 0, 0, 0, 0, 0, 0, 9, 0xaa };
	static const uint8_t welcome[] = { 0, 1, 0, 3, 0xff };
	struct rp_bytes g;
	uint64_t epoch = 0;
	bool parsed;

	assert_int_equal(rp_mls_peek(priv, sizeof(priv), &parsed, &g, &epoch),
			 0);
	assert_true(parsed);
	assert_int_equal(epoch, 9);
	assert_int_equal(g.len, 2);
	assert_memory_equal(g.p, "gx", 2);
	assert_int_equal(rp_mls_peek(welcome, sizeof(welcome), &parsed, &g,
				     &epoch), 0);
	assert_false(parsed);
	assert_int_equal(rp_mls_peek(priv, 10, &parsed, &g, &epoch),
			 RP_E_MLSMSG);
	assert_int_equal(rp_mls_peek(welcome + 1, 3, &parsed, &g, &epoch),
			 RP_E_MLSMSG);
}

static void test_auth_signature(void **state)
{
	const struct mls_suite *s = mls_suite_get(1);
	uint8_t priv[MLS_MAX_SIG_PRIV_LEN], pub[MLS_MAX_SIG_PUB_LEN];
	uint8_t sig[MLS_MAX_SIGNATURE_LEN], chal[RP_CHALLENGE_LEN];
	uint8_t fp[RP_FINGERPRINT_LEN];
	size_t sig_len = sizeof(sig);

	memset(chal, 1, sizeof(chal));
	memset(fp, 2, sizeof(fp));
	assert_int_equal(mls_sig_generate_keypair(NULL, s, priv, pub), 0);
	assert_int_equal(rp_auth_sign(1, priv, s->sig_priv_len, chal, fp, sig,
				      &sig_len), 0);
	assert_int_equal(rp_auth_verify(1, pub, s->sig_pub_len, chal, fp, sig,
					sig_len), 0);
	fp[0] ^= 1;	/* answer given to another relay */
	assert_int_equal(rp_auth_verify(1, pub, s->sig_pub_len, chal, fp, sig,
					sig_len), RP_E_CRYPTO);
	fp[0] ^= 1;
	chal[31] ^= 1;	/* an old challenge */
	assert_int_equal(rp_auth_verify(1, pub, s->sig_pub_len, chal, fp, sig,
					sig_len), RP_E_CRYPTO);
	assert_int_equal(rp_auth_verify(0x7777, pub, s->sig_pub_len, chal, fp,
					sig, sig_len), RP_E_CRYPTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_type),
		cmocka_unit_test(test_handshake_wire_bytes),
		cmocka_unit_test(test_auth_fields_decoded),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_length_mismatch),
		cmocka_unit_test(test_opaque_bounds),
		cmocka_unit_test(test_enum_fields),
		cmocka_unit_test(test_encoder_refuses_bad_fields),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_mls_peek),
		cmocka_unit_test(test_auth_signature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
