// SPDX-License-Identifier: MIT
/*
 * PrivateMessageContent (RFC 9420 §6.3.1): the AEAD plaintext of a
 * PrivateMessage, attacker-controlled for any member of the group. Its
 * layout depends on the outer content_type, which the first input byte
 * stands in for here; the rest is the plaintext, padding included.
 */
#include "fuzz_roundtrip.h"

static uint8_t fuzz_content_type;

static int fuzz_read_pmc(const uint8_t *data, size_t size,
			 struct mls_private_message_content *v)
{
	struct mls_reader r;
	int err;

	mls_reader_init(&r, data, size);
	mls_private_message_content_decode(&r, v, fuzz_content_type);
	err = mls_reader_finish(&r);
	if (err)
		mls_private_message_content_free(v);
	return err;
}

static int fuzz_write_pmc(const struct mls_private_message_content *v,
			  struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_private_message_content_encode(&w, v);
	return mls_writer_finish(&w, out);
}

FUZZ_DEFINE_ROUNDTRIP(private_message_content, fuzz_read_pmc, fuzz_write_pmc)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_content_type = data[0];
	return fuzz_roundtrip_private_message_content(data + 1, size - 1);
}
