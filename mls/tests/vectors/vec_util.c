// SPDX-License-Identifier: MIT
/* JSON and hex helpers shared by every vector type. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"

int vec_fail(struct vec_report *rep, const char *fmt, ...)
{
	va_list ap;

	if (!rep->failed) {
		va_start(ap, fmt);
		vsnprintf(rep->msg, sizeof(rep->msg), fmt, ap);
		va_end(ap);
		rep->failed = true;
	}
	return -1;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vec_hex_decode(const char *hex, struct mls_bytes *out)
{
	size_t n = strlen(hex), i;
	int hi, lo;

	out->data = NULL;
	out->len = 0;
	if (n % 2)
		return MLS_ERR_DECODE;
	if (n == 0)
		return MLS_OK;
	out->data = malloc(n / 2);
	if (!out->data)
		return MLS_ERR_NOMEM;
	for (i = 0; i < n / 2; i++) {
		hi = hex_nibble(hex[2 * i]);
		lo = hex_nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			mls_bytes_free(out);
			return MLS_ERR_DECODE;
		}
		out->data[i] = (uint8_t)(hi << 4 | lo);
	}
	out->len = n / 2;
	return MLS_OK;
}

const json_t *vec_field(struct vec_report *rep, const json_t *obj,
			const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (!v)
		vec_fail(rep, "missing field \"%s\"", key);
	return v;
}

int vec_get_hex(struct vec_report *rep, const json_t *obj, const char *key,
		struct mls_bytes *out)
{
	const json_t *v = vec_field(rep, obj, key);

	out->data = NULL;
	out->len = 0;
	if (!v)
		return -1;
	if (!json_is_string(v))
		return vec_fail(rep, "field \"%s\" is not a string", key);
	if (vec_hex_decode(json_string_value(v), out))
		return vec_fail(rep, "field \"%s\" is not valid hex", key);
	return 0;
}

int vec_get_uint(struct vec_report *rep, const json_t *obj, const char *key,
		 uint64_t *out)
{
	const json_t *v = vec_field(rep, obj, key);
	bool present;

	if (!v)
		return -1;
	if (vec_json_opt_uint(rep, v, key, &present, out))
		return -1;
	if (!present)
		return vec_fail(rep, "field \"%s\" is null", key);
	return 0;
}

int vec_json_opt_uint(struct vec_report *rep, const json_t *v,
		      const char *what, bool *present, uint64_t *out)
{
	*present = false;
	*out = 0;
	if (json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return vec_fail(rep, "%s is not a non-negative integer", what);
	*present = true;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

int vec_left_pad_key(struct vec_report *rep, struct mls_bytes *key,
		     size_t want)
{
	uint8_t *padded;

	if (key->len >= want)
		return 0;
	padded = calloc(1, want);
	if (!padded)
		return vec_fail(rep, "out of memory");
	memcpy(padded + want - key->len, key->data, key->len);
	mls_bytes_free_secret(key);
	key->data = padded;
	key->len = want;
	return 0;
}

int vec_expect_bytes(struct vec_report *rep, const char *what,
		     const uint8_t *got, size_t got_len,
		     const struct mls_bytes *want)
{
	size_t i, n = got_len < want->len ? got_len : want->len;

	for (i = 0; i < n; i++)
		if (got[i] != want->data[i])
			break;
	if (i == n && got_len == want->len)
		return 0;
	return vec_fail(rep, "%s differs: got %zu bytes, want %zu, first difference at offset %zu",
			what, got_len, want->len, i);
}
