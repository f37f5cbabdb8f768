// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the relay frame decoder (what mlsrelay runs on
 * every byte a client sends) and the MLSMessage header peek. A frame that
 * decodes must re-encode to exactly the input: the encoding is canonical,
 * so any difference is a decoder that accepted something it should not
 * have, or lost a field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../relayproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rp_frame f;
	struct rp_bytes gid;
	uint64_t epoch;
	uint8_t *out;
	size_t n;
	bool parsed;

	rp_mls_peek(data, size, &parsed, &gid, &epoch);
	if (rp_decode(data, size, 4096, &f))
		return 0;
	out = malloc(size);
	if (!out)
		abort();
	if (rp_encode(&f, out, size, &n) || n != size || memcmp(out, data, n))
		abort();
	free(out);
	return 0;
}
