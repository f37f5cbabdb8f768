/* SPDX-License-Identifier: MIT */
/*
 * The official-vector runner's interface. To add a vector type:
 *   1. write vec_<name>.c with
 *	int vec_run_<name>(const json_t *tc, struct vec_report *rep);
 *      returning 0 on pass or vec_fail(rep, ...) on failure;
 *   2. add one X(...) line to VEC_TYPES below.
 * The runner calls the function once per entry of the file's top-level
 * array; a function must free everything it allocated before returning.
 */
#ifndef MLS_VECTORS_H
#define MLS_VECTORS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "mls/codec.h"

/*	 X(name on the command line, C suffix of vec_run_...) */
#define VEC_TYPES(X)					\
	X("tree-math",		tree_math)		\
	X("deserialization",	deserialization)	\
	X("messages",		messages)		\
	X("crypto-basics",	crypto_basics)		\
	X("key-schedule",	key_schedule)		\
	X("psk-secret",		psk_secret)		\
	X("transcript-hashes",	transcript_hashes)	\
	X("welcome",		welcome)		\
	X("secret-tree",	secret_tree)		\
	X("message-protection",	message_protection)	\
	X("tree-validation",	tree_validation)	\
	X("tree-operations",	tree_operations)	\
	X("treekem",		treekem)		\
	X("passive-client",	passive_client)

struct vec_report {
	char msg[512];		/* first failure reason */
	bool failed;
};

#define VEC_DECLARE(name, fn) \
	int vec_run_##fn(const json_t *tc, struct vec_report *rep);
VEC_TYPES(VEC_DECLARE)
#undef VEC_DECLARE

/* Record a failure (only the first one is kept) and return -1. */
int vec_fail(struct vec_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Hex (upper or lower case, even length) to owned bytes. */
int vec_hex_decode(const char *hex, struct mls_bytes *out);

/* Field accessors: fail with a message naming the field and the problem. */
const json_t *vec_field(struct vec_report *rep, const json_t *obj,
			const char *key);
int vec_get_hex(struct vec_report *rep, const json_t *obj, const char *key,
		struct mls_bytes *out);
int vec_get_uint(struct vec_report *rep, const json_t *obj, const char *key,
		 uint64_t *out);
/* A JSON integer or null (present=false) as found in tree-math arrays. */
int vec_json_opt_uint(struct vec_report *rep, const json_t *v,
		      const char *what, bool *present, uint64_t *out);
/* Compare bytes; on mismatch fail with lengths and first differing offset. */
/*
 * The vector generator writes some P-521 private scalars as minimal
 * big-endian integers (65 bytes, leading zero dropped); RFC 9180
 * SerializePrivateKey is fixed-size, so restore the zeros. A key already
 * at (or over) `want` bytes is left for the library to judge.
 */
int vec_left_pad_key(struct vec_report *rep, struct mls_bytes *key,
		     size_t want);

int vec_expect_bytes(struct vec_report *rep, const char *what,
		     const uint8_t *got, size_t got_len,
		     const struct mls_bytes *want);

#endif
