// SPDX-License-Identifier: MIT
/*
 * Wire codec primitives (RFC 9420 §2.1). Every read checks its bounds
 * against the remaining input before touching it; every error is sticky.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "mls/codec.h"

void mls_wipe(void *p, size_t len)
{
	if (p && len)
		mbedtls_platform_zeroize(p, len);
}

void mls_bytes_free(struct mls_bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

void mls_bytes_free_secret(struct mls_bytes *b)
{
	mls_wipe(b->data, b->len);
	mls_bytes_free(b);
}

int mls_bytes_set(struct mls_bytes *b, const void *data, size_t len)
{
	b->data = NULL;
	b->len = 0;
	if (len == 0)
		return MLS_OK;
	b->data = malloc(len);
	if (!b->data)
		return MLS_ERR_NOMEM;
	memcpy(b->data, data, len);
	b->len = len;
	return MLS_OK;
}

int mls_bytes_dup(struct mls_bytes *dst, const struct mls_bytes *src)
{
	return mls_bytes_set(dst, src->data, src->len);
}

bool mls_bytes_equal(const struct mls_bytes *a, const struct mls_bytes *b)
{
	if (a->len != b->len)
		return false;
	return a->len == 0 || memcmp(a->data, b->data, a->len) == 0;
}

size_t mls_varint_size(uint64_t v)
{
	if (v <= 0x3f)
		return 1;
	if (v <= 0x3fff)
		return 2;
	if (v <= MLS_VARINT_MAX)
		return 4;
	return 0;
}

/* ---- writer ---- */

void mls_writer_init(struct mls_writer *w)
{
	w->buf = NULL;
	w->len = 0;
	w->cap = 0;
	w->err = MLS_OK;
}

void mls_writer_free(struct mls_writer *w)
{
	mls_wipe(w->buf, w->cap);
	free(w->buf);
	mls_writer_init(w);
}

int mls_writer_error(const struct mls_writer *w)
{
	return w->err;
}

int mls_writer_fail(struct mls_writer *w, int err)
{
	if (w->err == MLS_OK)
		w->err = err;
	return w->err;
}

int mls_writer_finish(struct mls_writer *w, struct mls_bytes *out)
{
	int err = w->err;

	out->data = NULL;
	out->len = 0;
	if (err) {
		mls_writer_free(w);
		return err;
	}
	if (w->len) {
		out->data = w->buf;
		out->len = w->len;
	} else {
		free(w->buf);
	}
	mls_writer_init(w);
	return MLS_OK;
}

/*
 * Grow by moving into a fresh buffer rather than realloc(), so the old
 * copy can be wiped: writers routinely carry secrets.
 */
static bool writer_reserve(struct mls_writer *w, size_t extra)
{
	size_t need, cap;
	uint8_t *nbuf;

	if (w->err)
		return false;
	if (extra > SIZE_MAX - w->len) {
		mls_writer_fail(w, MLS_ERR_TOO_LONG);
		return false;
	}
	need = w->len + extra;
	if (need <= w->cap)
		return true;
	cap = w->cap ? w->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	nbuf = malloc(cap);
	if (!nbuf) {
		mls_writer_fail(w, MLS_ERR_NOMEM);
		return false;
	}
	if (w->len)
		memcpy(nbuf, w->buf, w->len);
	mls_wipe(w->buf, w->cap);
	free(w->buf);
	w->buf = nbuf;
	w->cap = cap;
	return true;
}

static void write_be(struct mls_writer *w, uint64_t v, unsigned int n)
{
	unsigned int i;

	if (!writer_reserve(w, n))
		return;
	for (i = 0; i < n; i++)
		w->buf[w->len + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	w->len += n;
}

void mls_write_u8(struct mls_writer *w, uint8_t v)
{
	write_be(w, v, 1);
}

void mls_write_u16(struct mls_writer *w, uint16_t v)
{
	write_be(w, v, 2);
}

void mls_write_u32(struct mls_writer *w, uint32_t v)
{
	write_be(w, v, 4);
}

void mls_write_u64(struct mls_writer *w, uint64_t v)
{
	write_be(w, v, 8);
}

void mls_write_varint(struct mls_writer *w, uint64_t v)
{
	switch (mls_varint_size(v)) {
	case 1:
		write_be(w, v, 1);
		break;
	case 2:
		write_be(w, v | 0x4000, 2);
		break;
	case 4:
		write_be(w, v | 0x80000000u, 4);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_TOO_LONG);
	}
}

void mls_write_raw(struct mls_writer *w, const void *data, size_t len)
{
	if (len == 0 || !writer_reserve(w, len))
		return;
	memcpy(w->buf + w->len, data, len);
	w->len += len;
}

void mls_write_opaque(struct mls_writer *w, const void *data, size_t len)
{
	mls_write_varint(w, len);
	if (!w->err)
		mls_write_raw(w, data, len);
}

/*
 * Reserve one prefix byte; at the end, widen the prefix in place if the
 * contents turned out longer than 63 bytes.
 */
size_t mls_write_vector_begin(struct mls_writer *w)
{
	size_t mark = w->len;

	mls_write_u8(w, 0);
	return mark;
}

void mls_write_vector_end(struct mls_writer *w, size_t mark)
{
	size_t body, prefix;
	uint64_t v;
	unsigned int i;

	if (w->err)
		return;
	if (mark >= w->len) {
		mls_writer_fail(w, MLS_ERR_INVALID_ARG);
		return;
	}
	body = w->len - mark - 1;
	prefix = mls_varint_size(body);
	if (prefix == 0) {
		mls_writer_fail(w, MLS_ERR_TOO_LONG);
		return;
	}
	if (prefix > 1) {
		if (!writer_reserve(w, prefix - 1))
			return;
		memmove(w->buf + mark + prefix, w->buf + mark + 1, body);
		w->len += prefix - 1;
	}
	v = body;
	if (prefix == 2)
		v |= 0x4000;
	else if (prefix == 4)
		v |= 0x80000000u;
	for (i = 0; i < prefix; i++)
		w->buf[mark + i] = (uint8_t)(v >> (8 * (prefix - 1 - i)));
}

/* ---- reader ---- */

void mls_reader_init(struct mls_reader *r, const void *data, size_t len)
{
	r->buf = data;
	r->len = data ? len : 0;
	r->pos = 0;
	r->err = MLS_OK;
}

int mls_reader_error(const struct mls_reader *r)
{
	return r->err;
}

int mls_reader_fail(struct mls_reader *r, int err)
{
	if (r->err == MLS_OK)
		r->err = err;
	return r->err;
}

size_t mls_reader_remaining(const struct mls_reader *r)
{
	return r->len - r->pos;
}

bool mls_reader_more(const struct mls_reader *r)
{
	return r->err == MLS_OK && r->pos < r->len;
}

int mls_reader_finish(struct mls_reader *r)
{
	if (r->err == MLS_OK && r->pos != r->len)
		r->err = MLS_ERR_TRAILING;
	return r->err;
}

int mls_reader_close(struct mls_reader *r, struct mls_reader *sub)
{
	int err = mls_reader_finish(sub);

	if (err)
		mls_reader_fail(r, err);
	return r->err;
}

int mls_read_view(struct mls_reader *r, size_t len, const uint8_t **out)
{
	*out = NULL;
	if (r->err)
		return r->err;
	if (len > r->len - r->pos)
		return mls_reader_fail(r, MLS_ERR_TRUNCATED);
	/* A NULL buffer only ever has len 0: never form NULL + 0. */
	*out = r->buf ? r->buf + r->pos : NULL;
	r->pos += len;
	return MLS_OK;
}

static int read_be(struct mls_reader *r, unsigned int n, uint64_t *v)
{
	const uint8_t *p;
	unsigned int i;

	*v = 0;
	if (mls_read_view(r, n, &p))
		return r->err;
	for (i = 0; i < n; i++)
		*v = (*v << 8) | p[i];
	return MLS_OK;
}

int mls_read_u8(struct mls_reader *r, uint8_t *v)
{
	uint64_t x;
	int err = read_be(r, 1, &x);

	*v = (uint8_t)x;
	return err;
}

int mls_read_u16(struct mls_reader *r, uint16_t *v)
{
	uint64_t x;
	int err = read_be(r, 2, &x);

	*v = (uint16_t)x;
	return err;
}

int mls_read_u32(struct mls_reader *r, uint32_t *v)
{
	uint64_t x;
	int err = read_be(r, 4, &x);

	*v = (uint32_t)x;
	return err;
}

int mls_read_u64(struct mls_reader *r, uint64_t *v)
{
	return read_be(r, 8, v);
}

/*
 * §2.1.2: the two top bits give the length (00=1, 01=2, 10=4 bytes; 11 is
 * invalid) and the value must use the shortest form.
 */
int mls_read_varint(struct mls_reader *r, uint32_t *v)
{
	uint64_t x;
	unsigned int n;

	*v = 0;
	if (r->err)
		return r->err;
	if (r->pos >= r->len)
		return mls_reader_fail(r, MLS_ERR_TRUNCATED);
	switch (r->buf[r->pos] >> 6) {
	case 0:
		n = 1;
		break;
	case 1:
		n = 2;
		break;
	case 2:
		n = 4;
		break;
	default:
		return mls_reader_fail(r, MLS_ERR_DECODE);
	}
	if (read_be(r, n, &x))
		return r->err;
	x &= (n == 1) ? 0x3f : (n == 2) ? 0x3fff : MLS_VARINT_MAX;
	if (mls_varint_size(x) != n)
		return mls_reader_fail(r, MLS_ERR_NON_MINIMAL);
	*v = (uint32_t)x;
	return MLS_OK;
}

int mls_read_raw(struct mls_reader *r, void *out, size_t len)
{
	const uint8_t *p;

	if (mls_read_view(r, len, &p)) {
		if (len)
			memset(out, 0, len);
		return r->err;
	}
	if (len)
		memcpy(out, p, len);
	return MLS_OK;
}

int mls_read_opaque(struct mls_reader *r, struct mls_bytes *out)
{
	const uint8_t *p;
	uint32_t len;

	out->data = NULL;
	out->len = 0;
	if (mls_read_varint(r, &len) || mls_read_view(r, len, &p))
		return r->err;
	if (mls_bytes_set(out, p, len))
		return mls_reader_fail(r, MLS_ERR_NOMEM);
	return MLS_OK;
}

int mls_read_vector(struct mls_reader *r, struct mls_reader *sub)
{
	const uint8_t *p;
	uint32_t len;

	mls_reader_init(sub, NULL, 0);
	if (mls_read_varint(r, &len) || mls_read_view(r, len, &p)) {
		sub->err = r->err;
		return r->err;
	}
	mls_reader_init(sub, p, len);
	return MLS_OK;
}

void *mls_array_grow(void *items, size_t count, size_t elem_size)
{
	size_t cap = count;
	uint8_t *base = items;

	if (count == 0 || (count & (count - 1)) == 0) {
		cap = count ? count * 2 : 1;
		if (cap < count || cap > SIZE_MAX / elem_size)
			return NULL;
		base = realloc(items, cap * elem_size);
		if (!base)
			return NULL;
	}
	memset(base + count * elem_size, 0, elem_size);
	return base;
}
