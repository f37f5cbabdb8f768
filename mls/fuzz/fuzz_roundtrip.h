/* SPDX-License-Identifier: MIT */
/*
 * Shared body of the libFuzzer harnesses: decode the input, and if it is
 * accepted, require that encoding it again gives back exactly the input.
 * MLS signs and hashes the encoded form (RFC 9420 §5.2, §6.1), so a
 * decoder that accepts two encodings of one value lets two peers disagree
 * on a signature or a transcript hash; the round trip catches that class of
 * bug as well as memory errors. The re-encoding is then decoded a second
 * time to check that what we produce we also accept.
 */
#ifndef MLS_FUZZ_ROUNDTRIP_H
#define MLS_FUZZ_ROUNDTRIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mls/messages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_require_same(const uint8_t *data, size_t size,
				     const struct mls_bytes *again,
				     const char *what)
{
	if (again->len == size &&
	    (size == 0 || memcmp(again->data, data, size) == 0))
		return;
	fprintf(stderr, "%s: accepted input of %zu bytes re-encodes to %zu "
		"different bytes\n", what, size, again->len);
	abort();
}

static inline void fuzz_require_ok(int err, const char *what)
{
	if (!err)
		return;
	fprintf(stderr, "%s: %s\n", what, mls_strerror(err));
	abort();
}

/* Whole-buffer decode (no trailing bytes) for any T with a decode/encode. */
#define FUZZ_DEFINE_READ_WHOLE(T)					\
	static int fuzz_read_##T(const uint8_t *data, size_t size,	\
				 struct mls_##T *v)			\
	{								\
		struct mls_reader r;					\
		int err;						\
									\
		mls_reader_init(&r, data, size);			\
		mls_##T##_decode(&r, v);				\
		err = mls_reader_finish(&r);				\
		if (err)						\
			mls_##T##_free(v);				\
		return err;						\
	}								\
	static int fuzz_write_##T(const struct mls_##T *v,		\
				  struct mls_bytes *out)		\
	{								\
		struct mls_writer w;					\
									\
		mls_writer_init(&w);					\
		mls_##T##_encode(&w, v);				\
		return mls_writer_finish(&w, out);			\
	}

/* The round trip for T given its whole-buffer read and write functions. */
#define FUZZ_DEFINE_ROUNDTRIP(T, read_fn, write_fn)			\
	static int fuzz_roundtrip_##T(const uint8_t *data, size_t size) \
	{								\
		struct mls_##T v, v2;					\
		struct mls_bytes again = { 0 };				\
									\
		if (read_fn(data, size, &v))				\
			return 0;					\
		fuzz_require_ok(write_fn(&v, &again), #T " re-encode");	\
		fuzz_require_same(data, size, &again, #T);		\
		mls_##T##_free(&v);					\
		fuzz_require_ok(read_fn(again.data, again.len, &v2),	\
				#T " decode of own encoding");		\
		mls_##T##_free(&v2);					\
		mls_bytes_free(&again);					\
		return 0;						\
	}

#define FUZZ_DEFINE_ENTRY(T)						\
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)	\
	{								\
		return fuzz_roundtrip_##T(data, size);			\
	}

/* For the structures libmls exposes mls_T_from_bytes/_to_bytes for. */
#define FUZZ_WHOLE_CODEC(T)						\
	FUZZ_DEFINE_ROUNDTRIP(T, mls_##T##_from_bytes, mls_##T##_to_bytes) \
	FUZZ_DEFINE_ENTRY(T)

/* For the structures only the streaming decode/encode exist for. */
#define FUZZ_STREAM_CODEC(T)						\
	FUZZ_DEFINE_READ_WHOLE(T)					\
	FUZZ_DEFINE_ROUNDTRIP(T, fuzz_read_##T, fuzz_write_##T)	\
	FUZZ_DEFINE_ENTRY(T)

#endif
