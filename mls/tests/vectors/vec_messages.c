// SPDX-License-Identifier: MIT
/*
 * messages.json: decode every field with the structure it names and
 * re-encode it byte-exactly. Every field of an entry must be known, so a
 * new field in a future file is a failure rather than silently skipped.
 */
#include "../support/msg_roundtrip.h"
#include "vectors.h"

static int check_field(struct vec_report *rep, const char *key,
		       const json_t *value)
{
	const struct msg_kind *kind = msg_kind_find(key);
	struct mls_bytes in, out;
	int err, rc;

	if (!kind)
		return vec_fail(rep, "unknown field \"%s\"", key);
	if (!json_is_string(value) ||
	    vec_hex_decode(json_string_value(value), &in))
		return vec_fail(rep, "field \"%s\" is not a hex string", key);
	err = kind->roundtrip(in.data, in.len, &out);
	if (err)
		rc = vec_fail(rep, "%s: %s", key, mls_strerror(err));
	else
		rc = vec_expect_bytes(rep, key, out.data, out.len, &in);
	mls_bytes_free(&in);
	mls_bytes_free(&out);
	return rc;
}

int vec_run_messages(const json_t *tc, struct vec_report *rep)
{
	const char *key;
	json_t *value;
	int checked = 0;

	json_object_foreach((json_t *)tc, key, value) {
		if (check_field(rep, key, value))
			return -1;
		checked++;
	}
	if (checked == 0)
		return vec_fail(rep, "entry has no fields");
	return 0;
}
