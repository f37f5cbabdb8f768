// SPDX-License-Identifier: MIT
/* deserialization.json: the MLS varint length header (RFC 9420 §2.1.2). */
#include "vectors.h"

int vec_run_deserialization(const json_t *tc, struct vec_report *rep)
{
	struct mls_bytes header;
	struct mls_reader r;
	uint64_t want;
	uint32_t got;
	int err;

	if (vec_get_uint(rep, tc, "length", &want) ||
	    vec_get_hex(rep, tc, "vlbytes_header", &header))
		return -1;
	mls_reader_init(&r, header.data, header.len);
	mls_read_varint(&r, &got);
	err = mls_reader_finish(&r);
	mls_bytes_free(&header);
	if (err)
		return vec_fail(rep, "decoding the header: %s", mls_strerror(err));
	if (got != want)
		return vec_fail(rep, "length: got %u, want %llu", got,
				(unsigned long long)want);
	return 0;
}
