// SPDX-License-Identifier: MIT
/*
 * Wire codec primitives: varint boundaries and minimality (RFC 9420
 * §2.1.2), bounds, sticky errors, writer growth, and the strict rules of
 * the structure decoders. Expected bytes are written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/codec.h"
#include "mls/messages.h"

static void encode_varint(uint64_t v, struct mls_bytes *out, int expect_err)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_write_varint(&w, v);
	assert_int_equal(mls_writer_finish(&w, out), expect_err);
}

static void assert_bytes(const struct mls_bytes *b, const char *hex_bytes,
			 size_t len)
{
	assert_int_equal(b->len, len);
	assert_memory_equal(b->data, hex_bytes, len);
}

static void test_varint_boundaries_encode(void **state)
{
	static const struct {
		uint64_t v;
		const char *enc;
		size_t len;
	} cases[] = {
		{ 0, "\x00", 1 },
		{ 63, "\x3f", 1 },
		{ 64, "\x40\x40", 2 },
		{ 16383, "\x7f\xff", 2 },
		{ 16384, "\x80\x00\x40\x00", 4 },
		{ 0x3fffffff, "\xbf\xff\xff\xff", 4 },
	};
	struct mls_bytes out;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		encode_varint(cases[i].v, &out, MLS_OK);
		assert_bytes(&out, cases[i].enc, cases[i].len);
		mls_bytes_free(&out);
	}
	encode_varint(UINT64_C(1) << 30, &out, MLS_ERR_TOO_LONG);
	assert_null(out.data);
	encode_varint(UINT64_MAX, &out, MLS_ERR_TOO_LONG);
}

static int decode_varint(const char *in, size_t len, uint32_t *v)
{
	struct mls_reader r;

	mls_reader_init(&r, in, len);
	mls_read_varint(&r, v);
	return mls_reader_finish(&r);
}

static void test_varint_boundaries_decode(void **state)
{
	uint32_t v;

	assert_int_equal(decode_varint("\x00", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(decode_varint("\x3f", 1, &v), 0);
	assert_int_equal(v, 63);
	assert_int_equal(decode_varint("\x40\x40", 2, &v), 0);
	assert_int_equal(v, 64);
	assert_int_equal(decode_varint("\x7f\xff", 2, &v), 0);
	assert_int_equal(v, 16383);
	assert_int_equal(decode_varint("\x80\x00\x40\x00", 4, &v), 0);
	assert_int_equal(v, 16384);
	assert_int_equal(decode_varint("\xbf\xff\xff\xff", 4, &v), 0);
	assert_int_equal(v, 0x3fffffff);
	/* Prefix 11 (an 8-byte QUIC varint) is invalid in MLS. */
	assert_int_equal(decode_varint("\xc0\x00\x00\x00\x40\x00\x00\x00", 8, &v),
			 MLS_ERR_DECODE);
	assert_int_equal(decode_varint("\xff", 1, &v), MLS_ERR_DECODE);
}

static void test_varint_non_minimal(void **state)
{
	uint32_t v = 99;

	assert_int_equal(decode_varint("\x40\x00", 2, &v), MLS_ERR_NON_MINIMAL);
	assert_int_equal(v, 0);
	assert_int_equal(decode_varint("\x40\x3f", 2, &v), MLS_ERR_NON_MINIMAL);
	assert_int_equal(decode_varint("\x80\x00\x00\x00", 4, &v),
			 MLS_ERR_NON_MINIMAL);
	assert_int_equal(decode_varint("\x80\x00\x3f\xff", 4, &v),
			 MLS_ERR_NON_MINIMAL);
	assert_int_equal(decode_varint("\x80\x00\x00\x3f", 4, &v),
			 MLS_ERR_NON_MINIMAL);
}

static void test_varint_truncated(void **state)
{
	uint32_t v;

	assert_int_equal(decode_varint("", 0, &v), MLS_ERR_TRUNCATED);
	assert_int_equal(decode_varint("\x40", 1, &v), MLS_ERR_TRUNCATED);
	assert_int_equal(decode_varint("\x80\x00\x40", 3, &v), MLS_ERR_TRUNCATED);
}

/*
 * extensions<V> = [ {type 1, data aa bb}, {type 2, data ""} ]:
 * 08 | 0001 02 aabb | 0002 00
 */
static const uint8_t ext_list_enc[] = {
	0x08, 0x00, 0x01, 0x02, 0xaa, 0xbb, 0x00, 0x02, 0x00,
};

static void test_struct_decode_and_every_truncation(void **state)
{
	struct mls_extension_list list;
	struct mls_reader r;
	size_t n;

	mls_reader_init(&r, ext_list_enc, sizeof(ext_list_enc));
	assert_int_equal(mls_extension_list_decode(&r, &list), 0);
	assert_int_equal(mls_reader_finish(&r), 0);
	assert_int_equal(list.count, 2);
	assert_int_equal(list.items[0].type, 1);
	assert_int_equal(list.items[0].data.len, 2);
	assert_memory_equal(list.items[0].data.data, "\xaa\xbb", 2);
	assert_int_equal(list.items[1].type, 2);
	assert_int_equal(list.items[1].data.len, 0);
	mls_extension_list_free(&list);

	for (n = 0; n < sizeof(ext_list_enc); n++) {
		mls_reader_init(&r, ext_list_enc, n);
		assert_int_equal(mls_extension_list_decode(&r, &list),
				 MLS_ERR_TRUNCATED);
		/* On error the value is left empty: nothing to free, no leak. */
		assert_int_equal(list.count, 0);
		assert_null(list.items);
	}
}

/* PreSharedKeyID, resumption: 02 | usage 01 | 03 "abc" | epoch 7 | 02 0102 */
static const uint8_t psk_enc[] = {
	0x02, 0x01, 0x03, 'a', 'b', 'c',
	0, 0, 0, 0, 0, 0, 0, 7, 0x02, 0x01, 0x02,
};

static void test_psk_id_every_truncation(void **state)
{
	struct mls_psk_id psk;
	struct mls_reader r;
	size_t n;

	for (n = 0; n < sizeof(psk_enc); n++) {
		mls_reader_init(&r, psk_enc, n);
		assert_int_equal(mls_psk_id_decode(&r, &psk), MLS_ERR_TRUNCATED);
		assert_null(psk.psk_group_id.data);
		assert_null(psk.psk_nonce.data);
	}
	mls_reader_init(&r, psk_enc, sizeof(psk_enc));
	assert_int_equal(mls_psk_id_decode(&r, &psk), 0);
	assert_int_equal(psk.psktype, MLS_PSK_RESUMPTION);
	assert_int_equal(psk.usage, MLS_PSK_USAGE_APPLICATION);
	assert_int_equal(psk.psk_epoch, 7);
	assert_int_equal(psk.psk_group_id.len, 3);
	assert_int_equal(psk.psk_nonce.len, 2);
	mls_psk_id_free(&psk);
}

static void test_trailing_bytes(void **state)
{
	uint8_t buf[sizeof(ext_list_enc) + 1];
	struct mls_extension_list list;
	struct mls_reader r;
	struct mls_remove rm;

	memcpy(buf, ext_list_enc, sizeof(ext_list_enc));
	buf[sizeof(ext_list_enc)] = 0;
	mls_reader_init(&r, buf, sizeof(buf));
	assert_int_equal(mls_extension_list_decode(&r, &list), 0);
	assert_int_equal(mls_reader_finish(&r), MLS_ERR_TRAILING);
	mls_extension_list_free(&list);

	assert_int_equal(mls_remove_from_bytes((const uint8_t *)"\0\0\0\5\0", 5, &rm),
			 MLS_ERR_TRAILING);
	assert_int_equal(mls_remove_from_bytes((const uint8_t *)"\0\0\0\5", 4, &rm), 0);
	assert_int_equal(rm.removed, 5);
}

static void test_vector_length_beyond_buffer(void **state)
{
	struct mls_bytes b = { (uint8_t *)1, 1 };
	struct mls_reader r, sub;

	mls_reader_init(&r, "\x05\x01\x02", 3);
	assert_int_equal(mls_read_opaque(&r, &b), MLS_ERR_TRUNCATED);
	assert_null(b.data);
	assert_int_equal(b.len, 0);

	/* A 2^30-1 byte claim in a 6-byte buffer: no allocation, no read. */
	mls_reader_init(&r, "\xbf\xff\xff\xff\x00\x00", 6);
	assert_int_equal(mls_read_vector(&r, &sub), MLS_ERR_TRUNCATED);
	assert_int_equal(mls_reader_remaining(&sub), 0);
	assert_int_equal(mls_reader_error(&sub), MLS_ERR_TRUNCATED);
}

static void test_sub_reader_leftover_is_trailing(void **state)
{
	struct mls_reader r, sub;
	uint8_t v;

	/* vector of 2 bytes, element reader consumes only 1 */
	mls_reader_init(&r, "\x02\x07\x08", 3);
	assert_int_equal(mls_read_vector(&r, &sub), 0);
	assert_int_equal(mls_read_u8(&sub, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(mls_reader_close(&r, &sub), MLS_ERR_TRAILING);
	assert_int_equal(mls_reader_error(&r), MLS_ERR_TRAILING);
}

static void test_reader_sticky_error(void **state)
{
	struct mls_reader r;
	uint32_t v32 = 1;
	uint16_t v16 = 1;
	uint8_t v8 = 1;

	mls_reader_init(&r, "\x01\x02\x03", 3);
	assert_int_equal(mls_read_u32(&r, &v32), MLS_ERR_TRUNCATED);
	assert_int_equal(v32, 0);
	/* Bytes remain, but the reader refuses to go on after an error. */
	assert_int_equal(mls_read_u8(&r, &v8), MLS_ERR_TRUNCATED);
	assert_int_equal(mls_read_u16(&r, &v16), MLS_ERR_TRUNCATED);
	assert_int_equal(v8, 0);
	assert_int_equal(v16, 0);
	assert_false(mls_reader_more(&r));
	assert_int_equal(mls_reader_finish(&r), MLS_ERR_TRUNCATED);
	/* The first error wins. */
	mls_reader_fail(&r, MLS_ERR_DECODE);
	assert_int_equal(mls_reader_error(&r), MLS_ERR_TRUNCATED);
}

static void test_writer_sticky_error(void **state)
{
	struct mls_writer w;
	struct mls_bytes out;

	mls_writer_init(&w);
	mls_write_u8(&w, 1);
	mls_write_varint(&w, UINT64_C(1) << 30);
	mls_write_u32(&w, 2);
	assert_int_equal(w.len, 1);
	mls_writer_fail(&w, MLS_ERR_NOMEM);
	assert_int_equal(mls_writer_error(&w), MLS_ERR_TOO_LONG);
	assert_int_equal(mls_writer_finish(&w, &out), MLS_ERR_TOO_LONG);
	assert_null(out.data);
	assert_int_equal(out.len, 0);
}

static void test_writer_integers(void **state)
{
	struct mls_writer w;
	struct mls_bytes out;

	mls_writer_init(&w);
	mls_write_u8(&w, 0x01);
	mls_write_u16(&w, 0x0203);
	mls_write_u32(&w, 0x04050607);
	mls_write_u64(&w, UINT64_C(0x08090a0b0c0d0e0f));
	assert_int_equal(mls_writer_finish(&w, &out), 0);
	assert_bytes(&out, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
		     "\x0d\x0e\x0f", 15);
	mls_bytes_free(&out);
}

static void test_writer_growth(void **state)
{
	struct mls_writer w;
	struct mls_bytes out;
	size_t i;

	mls_writer_init(&w);
	for (i = 0; i < 100000; i++)
		mls_write_u8(&w, (uint8_t)(i * 7));
	assert_int_equal(mls_writer_finish(&w, &out), 0);
	assert_int_equal(out.len, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(out.data[i], (uint8_t)(i * 7));
	mls_bytes_free(&out);
}

/* Nested vectors whose prefixes must widen from 1 to 2 and 4 bytes. */
static void test_nested_vectors_widen_prefix(void **state)
{
	uint8_t body[16384];
	struct mls_writer w;
	struct mls_bytes out;
	size_t outer, inner;

	memset(body, 0x5a, sizeof(body));
	mls_writer_init(&w);
	outer = mls_write_vector_begin(&w);
	inner = mls_write_vector_begin(&w);
	mls_write_raw(&w, body, 64);
	mls_write_vector_end(&w, inner);	/* 64 -> 40 40 */
	mls_write_raw(&w, body, 16384 - 66);
	mls_write_vector_end(&w, outer);	/* 16384 -> 80 00 40 00 */
	assert_int_equal(mls_writer_finish(&w, &out), 0);
	assert_int_equal(out.len, 4 + 16384);
	assert_memory_equal(out.data, "\x80\x00\x40\x00\x40\x40", 6);
	assert_memory_equal(out.data + 6, body, 16384 - 2);
	mls_bytes_free(&out);

	/* Empty vector: a single 00. */
	mls_writer_init(&w);
	outer = mls_write_vector_begin(&w);
	mls_write_vector_end(&w, outer);
	assert_int_equal(mls_writer_finish(&w, &out), 0);
	assert_bytes(&out, "\x00", 1);
	mls_bytes_free(&out);
}

static void test_opaque_roundtrip(void **state)
{
	uint8_t big[300];
	struct mls_writer w;
	struct mls_bytes out, got;
	struct mls_reader r;

	memset(big, 0xa5, sizeof(big));
	mls_writer_init(&w);
	mls_write_opaque(&w, big, sizeof(big));
	mls_write_opaque(&w, NULL, 0);
	assert_int_equal(mls_writer_finish(&w, &out), 0);
	assert_int_equal(out.len, 2 + 300 + 1);
	assert_memory_equal(out.data, "\x41\x2c", 2);	/* 300 = 0x12c */
	mls_reader_init(&r, out.data, out.len);
	assert_int_equal(mls_read_opaque(&r, &got), 0);
	assert_int_equal(got.len, 300);
	assert_memory_equal(got.data, big, 300);
	mls_bytes_free(&got);
	assert_int_equal(mls_read_opaque(&r, &got), 0);
	assert_int_equal(got.len, 0);
	assert_null(got.data);
	assert_int_equal(mls_reader_finish(&r), 0);
	mls_bytes_free(&out);
}

/* ---- structure rules (RFC 9420 §2.1.1, §5.3, §12.4.3.3, §13) ---- */

static void test_duplicate_extension_rejected(void **state)
{
	static const uint8_t enc[] = { 0x06, 0x00, 0x05, 0x00, 0x00, 0x05, 0x00 };
	struct mls_extension_list list;
	struct mls_reader r;

	mls_reader_init(&r, enc, sizeof(enc));
	assert_int_equal(mls_extension_list_decode(&r, &list),
			 MLS_ERR_VALIDATION);
	assert_int_equal(list.count, 0);
}

static void test_unknown_extension_kept(void **state)
{
	/* GREASE extension type 0x0a0a with 1 byte of data */
	static const uint8_t enc[] = { 0x04, 0x0a, 0x0a, 0x01, 0x77 };
	struct mls_extension_list list;
	struct mls_reader r;

	mls_reader_init(&r, enc, sizeof(enc));
	assert_int_equal(mls_extension_list_decode(&r, &list), 0);
	assert_int_equal(list.count, 1);
	assert_int_equal(list.items[0].type, 0x0a0a);
	mls_extension_list_free(&list);
}

static void test_unknown_credential_rejected(void **state)
{
	struct mls_credential c;
	struct mls_reader r;

	mls_reader_init(&r, "\x0a\x0a\x01\x41", 4);
	assert_int_equal(mls_credential_decode(&r, &c), MLS_ERR_UNKNOWN_VALUE);
	mls_reader_init(&r, "\x00\x01\x01\x41", 4);
	assert_int_equal(mls_credential_decode(&r, &c), 0);
	assert_int_equal(c.identity.len, 1);
	mls_credential_free(&c);
}

static void test_optional_presence_octet(void **state)
{
	/* GroupSecrets: joiner_secret "" | path_secret presence | psks [] */
	struct mls_group_secrets gs;

	assert_int_equal(mls_group_secrets_from_bytes(
				 (const uint8_t *)"\x00\x02\x00", 3, &gs),
			 MLS_ERR_DECODE);
	assert_int_equal(mls_group_secrets_from_bytes(
				 (const uint8_t *)"\x00\x00\x00", 3, &gs), 0);
	assert_false(gs.has_path_secret);
	mls_group_secrets_free(&gs);
	assert_int_equal(mls_group_secrets_from_bytes(
				 (const uint8_t *)"\x01\x09\x01\x01\x08\x00", 6,
				 &gs), 0);
	assert_true(gs.has_path_secret);
	assert_int_equal(gs.path_secret.data[0], 8);
	mls_group_secrets_free(&gs);
	assert_null(gs.joiner_secret.data);
}

static void test_ratchet_tree_rules(void **state)
{
	struct mls_ratchet_tree t;

	/* empty tree, and a tree whose last node is blank */
	assert_int_equal(mls_ratchet_tree_from_bytes(
				 (const uint8_t *)"\x00", 1, &t), MLS_ERR_DECODE);
	assert_int_equal(mls_ratchet_tree_from_bytes(
				 (const uint8_t *)"\x01\x00", 2, &t),
			 MLS_ERR_DECODE);
	/* a parent node (type 2) at leaf position 0 */
	assert_int_equal(mls_ratchet_tree_from_bytes(
				 (const uint8_t *)"\x05\x01\x02\x00\x00\x00", 6,
				 &t), MLS_ERR_DECODE);
}

static void test_unknown_proposal_type_rejected(void **state)
{
	struct mls_proposal p;

	assert_int_equal(mls_proposal_from_bytes(
				 (const uint8_t *)"\x0a\x0a\x00", 3, &p),
			 MLS_ERR_UNKNOWN_VALUE);
	assert_int_equal(mls_proposal_from_bytes(
				 (const uint8_t *)"\x00\x03\x00\x00\x00\x01", 6,
				 &p), 0);
	assert_int_equal(p.remove.removed, 1);
	mls_proposal_free(&p);
}

/*
 * PublicMessage from an external sender (2, index 0) proposing an
 * ExternalInit (6): malformed per §12.1.8.1. The same with Remove is fine.
 */
static void test_external_sender_proposal_types(void **state)
{
	static const uint8_t bad[] = {
		0x00, 0x01, 0x00, 0x01,			/* mls10, public */
		0x00, 0, 0, 0, 0, 0, 0, 0, 0,		/* group_id, epoch */
		0x02, 0, 0, 0, 0,			/* external 0 */
		0x00, 0x02,				/* aad, proposal */
		0x00, 0x06, 0x00,			/* external_init "" */
		0x00,					/* signature */
	};
	static const uint8_t good[] = {
		0x00, 0x01, 0x00, 0x01,
		0x00, 0, 0, 0, 0, 0, 0, 0, 0,
		0x02, 0, 0, 0, 0,
		0x00, 0x02,
		0x00, 0x03, 0, 0, 0, 1,			/* remove 1 */
		0x00,
	};
	struct mls_message m;

	assert_int_equal(mls_message_from_bytes(bad, sizeof(bad), &m),
			 MLS_ERR_DECODE);
	assert_int_equal(mls_message_from_bytes(good, sizeof(good), &m), 0);
	assert_int_equal(m.public_message.content.sender.type,
			 MLS_SENDER_EXTERNAL);
	mls_message_free(&m);
}

static void test_private_content_padding(void **state)
{
	/* application "hi", signature "", then padding */
	static const uint8_t ok[] = { 0x02, 'h', 'i', 0x00, 0, 0, 0 };
	static const uint8_t bad[] = { 0x02, 'h', 'i', 0x00, 0, 1, 0 };
	struct mls_private_message_content c;
	struct mls_reader r;

	mls_reader_init(&r, ok, sizeof(ok));
	assert_int_equal(mls_private_message_content_decode(
				 &r, &c, MLS_CONTENT_APPLICATION), 0);
	assert_int_equal(c.padding_len, 3);
	assert_int_equal(c.content.application_data.len, 2);
	mls_private_message_content_free(&c);

	mls_reader_init(&r, bad, sizeof(bad));
	assert_int_equal(mls_private_message_content_decode(
				 &r, &c, MLS_CONTENT_APPLICATION),
			 MLS_ERR_DECODE);
}

static void test_message_version_and_wire_format(void **state)
{
	struct mls_message m;

	/* version 2 */
	assert_int_equal(mls_message_from_bytes(
				 (const uint8_t *)"\x00\x02\x00\x01", 4, &m),
			 MLS_ERR_UNKNOWN_VALUE);
	/* wire format 6 */
	assert_int_equal(mls_message_from_bytes(
				 (const uint8_t *)"\x00\x01\x00\x06", 4, &m),
			 MLS_ERR_UNKNOWN_VALUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_varint_boundaries_encode),
		cmocka_unit_test(test_varint_boundaries_decode),
		cmocka_unit_test(test_varint_non_minimal),
		cmocka_unit_test(test_varint_truncated),
		cmocka_unit_test(test_struct_decode_and_every_truncation),
		cmocka_unit_test(test_psk_id_every_truncation),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_vector_length_beyond_buffer),
		cmocka_unit_test(test_sub_reader_leftover_is_trailing),
		cmocka_unit_test(test_reader_sticky_error),
		cmocka_unit_test(test_writer_sticky_error),
		cmocka_unit_test(test_writer_integers),
		cmocka_unit_test(test_writer_growth),
		cmocka_unit_test(test_nested_vectors_widen_prefix),
		cmocka_unit_test(test_opaque_roundtrip),
		cmocka_unit_test(test_duplicate_extension_rejected),
		cmocka_unit_test(test_unknown_extension_kept),
		cmocka_unit_test(test_unknown_credential_rejected),
		cmocka_unit_test(test_optional_presence_octet),
		cmocka_unit_test(test_ratchet_tree_rules),
		cmocka_unit_test(test_unknown_proposal_type_rejected),
		cmocka_unit_test(test_external_sender_proposal_types),
		cmocka_unit_test(test_private_content_padding),
		cmocka_unit_test(test_message_version_and_wire_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
