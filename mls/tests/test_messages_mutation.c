// SPDX-License-Identifier: MIT
/*
 * Mutation test of every structure decoder on every entry of messages.json:
 * single-bit flips (all of them for small inputs, a seeded sample for large
 * ones), every truncation, an appended byte, and edits of each decodable
 * varint (±1, ±large, width changes). Every mutant must either fail to
 * decode or decode to a value that re-encodes to exactly the mutant: the
 * codec is canonical, so anything else is a bug. Runs under ASan+UBSan with
 * `make SAN=1 tests`, which also catches leaks on the error paths.
 *
 * Vectors: $MLS_VECTORS_DIR/messages.json or ../shared/mls-test-vectors.
 * Seed: $MLS_MUTATION_SEED (default fixed, so runs are reproducible).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "mls/codec.h"
#include "support/msg_roundtrip.h"

#define ALL_FLIPS_MAX_LEN	128	/* every bit flip up to this size */
#define SAMPLED_FLIPS		96	/* random flips for larger inputs */
#define VARINT_EDIT_SAMPLE	48	/* varint offsets tried per large input */

struct mutation_stats {
	size_t inputs;
	size_t accepted;	/* mutants that decoded (and round-tripped) */
};

static json_t *vectors;
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64*: deterministic and good enough to pick offsets */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static uint8_t *unhex(const char *s, size_t *len)
{
	size_t n = strlen(s), i;
	uint8_t *out;

	assert_int_equal(n % 2, 0);
	*len = n / 2;
	out = malloc(*len + 1);
	assert_non_null(out);
	for (i = 0; i < *len; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		assert_true(hi >= 0 && lo >= 0);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return out;
}

/* Returns 1 if the mutant was accepted, 0 if rejected; fails the test otherwise. */
static int check_mutant(const struct msg_kind *kind, const uint8_t *in,
			size_t len, struct mutation_stats *st)
{
	struct mls_bytes out;
	int err = kind->roundtrip(in, len, &out);

	st->inputs++;
	if (err) {
		assert_true(err < 0);
		assert_null(out.data);
		return 0;
	}
	if (out.len != len || (len && memcmp(out.data, in, len) != 0))
		fail_msg("%s: accepted mutant (%zu bytes) re-encodes to %zu different bytes",
			 kind->name, len, out.len);
	mls_bytes_free(&out);
	st->accepted++;
	return 1;
}

static void flip_bit(const struct msg_kind *kind, uint8_t *buf, size_t len,
		     size_t bit, struct mutation_stats *st)
{
	buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	check_mutant(kind, buf, len, st);
	buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

static void mutate_bits(const struct msg_kind *kind, uint8_t *buf, size_t len,
			struct mutation_stats *st)
{
	size_t bit, i;

	if (len <= ALL_FLIPS_MAX_LEN) {
		for (bit = 0; bit < len * 8; bit++)
			flip_bit(kind, buf, len, bit, st);
		return;
	}
	for (i = 0; i < SAMPLED_FLIPS; i++)
		flip_bit(kind, buf, len, rng_next() % (len * 8), st);
}

/* A strict prefix of a canonical encoding is never a whole value. */
static void mutate_truncations(const struct msg_kind *kind, const uint8_t *buf,
			       size_t len, struct mutation_stats *st)
{
	size_t n;

	for (n = 0; n < len; n++)
		if (check_mutant(kind, buf, n, st))
			fail_msg("%s: truncation to %zu of %zu bytes accepted",
				 kind->name, n, len);
}

static void mutate_append(const struct msg_kind *kind, const uint8_t *buf,
			  size_t len, struct mutation_stats *st)
{
	uint8_t *longer = malloc(len + 1);

	assert_non_null(longer);
	if (len)
		memcpy(longer, buf, len);
	longer[len] = 0;
	if (check_mutant(kind, longer, len + 1, st))
		fail_msg("%s: value with a trailing byte accepted", kind->name);
	free(longer);
}

/* Replace the varint at off (old_size bytes) by v, re-encoded minimally. */
static void replace_varint(const struct msg_kind *kind, const uint8_t *buf,
			   size_t len, size_t off, size_t old_size, uint64_t v,
			   struct mutation_stats *st)
{
	struct mls_writer w;
	struct mls_bytes mutant;

	mls_writer_init(&w);
	mls_write_raw(&w, buf, off);
	mls_write_varint(&w, v);
	mls_write_raw(&w, buf + off + old_size, len - off - old_size);
	if (mls_writer_finish(&w, &mutant))
		return;
	check_mutant(kind, mutant.data, mutant.len, st);
	mls_bytes_free(&mutant);
}

static void edit_varint_at(const struct msg_kind *kind, const uint8_t *buf,
			   size_t len, size_t off, struct mutation_stats *st)
{
	static const int64_t deltas[] = { 1, -1, 64, -64, 16384, 1 << 20,
					  -(1 << 20) };
	struct mls_reader r;
	uint32_t v;
	size_t size, i;

	mls_reader_init(&r, buf + off, len - off);
	if (mls_read_varint(&r, &v))
		return;
	size = r.pos;
	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		int64_t nv = (int64_t)v + deltas[i];

		if (nv >= 0 && nv <= MLS_VARINT_MAX)
			replace_varint(kind, buf, len, off, size, (uint64_t)nv, st);
	}
	replace_varint(kind, buf, len, off, size, MLS_VARINT_MAX, st);
}

static void mutate_varints(const struct msg_kind *kind, const uint8_t *buf,
			   size_t len, struct mutation_stats *st)
{
	size_t off, i;

	if (len <= ALL_FLIPS_MAX_LEN) {
		for (off = 0; off < len; off++)
			edit_varint_at(kind, buf, len, off, st);
		return;
	}
	for (i = 0; i < VARINT_EDIT_SAMPLE; i++)
		edit_varint_at(kind, buf, len, rng_next() % len, st);
}

static void mutate_entry_field(const struct msg_kind *kind, const char *hex,
			       bool exhaustive, struct mutation_stats *st)
{
	size_t len;
	uint8_t *buf = unhex(hex, &len);

	/* The unmutated input must round-trip, or the mutants mean nothing. */
	if (!check_mutant(kind, buf, len, st))
		fail_msg("%s: original vector does not decode", kind->name);
	mutate_bits(kind, buf, len, st);
	if (exhaustive || len <= ALL_FLIPS_MAX_LEN)
		mutate_truncations(kind, buf, len, st);
	else
		check_mutant(kind, buf, rng_next() % len, st);
	mutate_append(kind, buf, len, st);
	mutate_varints(kind, buf, len, st);
	free(buf);
}

static void test_mutate_all_messages(void **state)
{
	struct mutation_stats st = { 0, 0 };
	size_t i;

	for (i = 0; i < json_array_size(vectors); i++) {
		json_t *entry = json_array_get(vectors, i);
		const char *key;
		json_t *value;

		json_object_foreach(entry, key, value) {
			const struct msg_kind *kind = msg_kind_find(key);

			if (!kind)
				fail_msg("entry %zu: unknown field %s", i, key);
			assert_true(json_is_string(value));
			/* every truncation for the first entries, sampled after */
			mutate_entry_field(kind, json_string_value(value), i < 20,
					   &st);
		}
	}
	printf("mutation: %zu inputs from %zu entries, %zu accepted and round-tripped, %zu rejected\n",
	       st.inputs, json_array_size(vectors), st.accepted,
	       st.inputs - st.accepted);
	assert_true(st.inputs > 100000);
}

static json_t *load_vectors(void)
{
	const char *dir = getenv("MLS_VECTORS_DIR");
	char path[4096];
	json_error_t jerr;
	json_t *root;

	snprintf(path, sizeof(path), "%s/messages.json",
		 dir ? dir : "../shared/mls-test-vectors");
	root = json_load_file(path, 0, &jerr);
	if (!root)
		fprintf(stderr, "cannot load %s: %s (set MLS_VECTORS_DIR)\n",
			path, jerr.text);
	return root;
}

static int setup(void **state)
{
	const char *seed = getenv("MLS_MUTATION_SEED");

	rng_state = seed ? strtoull(seed, NULL, 0) : UINT64_C(0x9e3779b97f4a7c15);
	if (rng_state == 0)
		rng_state = 1;
	vectors = load_vectors();
	if (!vectors || !json_is_array(vectors) || json_array_size(vectors) == 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	json_decref(vectors);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutate_all_messages),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
