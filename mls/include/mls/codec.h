/* SPDX-License-Identifier: MIT */
/*
 * libmls wire codec: the TLS presentation language as RFC 9420 §2.1 uses it
 * (big-endian integers, opaque vectors with an MLS varint length prefix).
 * It knows no MLS semantics.
 *
 * Errors are sticky: after the first failure every later call on the same
 * writer/reader is a no-op that returns the same error, so an encoder or a
 * decoder can make a run of calls and check once at the end.
 */
#ifndef MLS_CODEC_H
#define MLS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/error.h"

/* Largest value an MLS varint can carry (RFC 9420 §2.1.2: 30 bits). */
#define MLS_VARINT_MAX 0x3fffffffu

/* An owned byte string. data is NULL when len is 0. */
struct mls_bytes {
	uint8_t *data;
	size_t len;
};

void mls_bytes_free(struct mls_bytes *b);
/* Free after wiping the contents: for keys, secrets, plaintexts. */
void mls_bytes_free_secret(struct mls_bytes *b);
int mls_bytes_set(struct mls_bytes *b, const void *data, size_t len);
int mls_bytes_dup(struct mls_bytes *dst, const struct mls_bytes *src);
/* Content equality, not constant time (use for public data only). */
bool mls_bytes_equal(const struct mls_bytes *a, const struct mls_bytes *b);
/* Best-effort secure wipe that the compiler may not elide. */
void mls_wipe(void *p, size_t len);

/*
 * Growable output buffer. The buffer is wiped whenever it is moved or
 * freed, so encoding secrets through a writer leaves no copies behind.
 */
struct mls_writer {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int err;
};

void mls_writer_init(struct mls_writer *w);
void mls_writer_free(struct mls_writer *w);
int mls_writer_error(const struct mls_writer *w);
/* Set the sticky error (first error wins). Returns w->err. */
int mls_writer_fail(struct mls_writer *w, int err);
/* Hand the encoded bytes to out (writer becomes empty) or the error. */
int mls_writer_finish(struct mls_writer *w, struct mls_bytes *out);

void mls_write_u8(struct mls_writer *w, uint8_t v);
void mls_write_u16(struct mls_writer *w, uint16_t v);
void mls_write_u32(struct mls_writer *w, uint32_t v);
void mls_write_u64(struct mls_writer *w, uint64_t v);
/* MLS varint; v > MLS_VARINT_MAX sets MLS_ERR_TOO_LONG. */
void mls_write_varint(struct mls_writer *w, uint64_t v);
/* Raw bytes, no length prefix. */
void mls_write_raw(struct mls_writer *w, const void *data, size_t len);
/* opaque<V>: varint length then the bytes. */
void mls_write_opaque(struct mls_writer *w, const void *data, size_t len);
static inline void mls_write_opaque_bytes(struct mls_writer *w,
					  const struct mls_bytes *b)
{
	mls_write_opaque(w, b->data, b->len);
}
/*
 * A vector whose byte length is known only after its elements are written:
 *	size_t mark = mls_write_vector_begin(w);
 *	... write elements ...
 *	mls_write_vector_end(w, mark);
 * Vectors nest; the length prefix is always minimal.
 */
size_t mls_write_vector_begin(struct mls_writer *w);
void mls_write_vector_end(struct mls_writer *w, size_t mark);

/* Bounds-checked input cursor over memory the caller keeps alive. */
struct mls_reader {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	int err;
};

void mls_reader_init(struct mls_reader *r, const void *data, size_t len);
int mls_reader_error(const struct mls_reader *r);
int mls_reader_fail(struct mls_reader *r, int err);
size_t mls_reader_remaining(const struct mls_reader *r);
/* True while there is input left and no error: the loop test for vectors. */
bool mls_reader_more(const struct mls_reader *r);
/* 0 if everything was consumed without error, else the error or TRAILING. */
int mls_reader_finish(struct mls_reader *r);

int mls_read_u8(struct mls_reader *r, uint8_t *v);
int mls_read_u16(struct mls_reader *r, uint16_t *v);
int mls_read_u32(struct mls_reader *r, uint32_t *v);
int mls_read_u64(struct mls_reader *r, uint64_t *v);
/* MLS varint, minimal encoding required (§2.1.2). */
int mls_read_varint(struct mls_reader *r, uint32_t *v);
/* Copy exactly len bytes. */
int mls_read_raw(struct mls_reader *r, void *out, size_t len);
/* Point at the next len bytes without copying. */
int mls_read_view(struct mls_reader *r, size_t len, const uint8_t **out);
/* opaque<V> into a fresh allocation (out is overwritten, not freed). */
int mls_read_opaque(struct mls_reader *r, struct mls_bytes *out);
/* A varint-prefixed vector as a sub-reader; the parent skips past it. */
int mls_read_vector(struct mls_reader *r, struct mls_reader *sub);
/*
 * Close a sub-reader: propagates its error (or TRAILING if it was not fully
 * consumed) into the parent. Returns the parent's error.
 */
int mls_reader_close(struct mls_reader *r, struct mls_reader *sub);

/*
 * Room for one more element in an array grown only by this function:
 * returns the (possibly moved) base with element [count] zeroed, or NULL
 * (items untouched) when out of memory. Capacity doubles at powers of two.
 */
void *mls_array_grow(void *items, size_t count, size_t elem_size);

/*
 * Every RFC structure T gets the same three functions next to its type:
 * encode (errors go to the writer), decode (on error *v is left freed and
 * zeroed, so no cleanup is needed), and free (safe on a zeroed value).
 */
#define MLS_DECLARE_CODEC(T)						\
	void mls_##T##_encode(struct mls_writer *w, const struct mls_##T *v); \
	int mls_##T##_decode(struct mls_reader *r, struct mls_##T *v);	\
	void mls_##T##_free(struct mls_##T *v);

/* Whole-buffer forms for top-level structures: no trailing bytes allowed. */
#define MLS_DECLARE_WHOLE_CODEC(T)					\
	int mls_##T##_from_bytes(const uint8_t *data, size_t len,	\
				 struct mls_##T *v);			\
	int mls_##T##_to_bytes(const struct mls_##T *v, struct mls_bytes *out);

#define MLS_DEFINE_WHOLE_CODEC(T)					\
	int mls_##T##_from_bytes(const uint8_t *data, size_t len,	\
				 struct mls_##T *v)			\
	{								\
		struct mls_reader r;					\
		int err;						\
									\
		mls_reader_init(&r, data, len);				\
		mls_##T##_decode(&r, v);				\
		err = mls_reader_finish(&r);				\
		if (err)						\
			mls_##T##_free(v);				\
		return err;						\
	}								\
	int mls_##T##_to_bytes(const struct mls_##T *v, struct mls_bytes *out) \
	{								\
		struct mls_writer w;					\
									\
		mls_writer_init(&w);					\
		mls_##T##_encode(&w, v);				\
		return mls_writer_finish(&w, out);			\
	}

/* Number of bytes mls_write_varint(v) produces (0 if v is too large). */
size_t mls_varint_size(uint64_t v);

#endif
