/* SPDX-License-Identifier: MIT */
/*
 * Decode-then-encode for each structure that messages.json carries, keyed
 * by its JSON field name. Shared by the vector runner and the mutation test.
 */
#ifndef MLS_TEST_MSG_ROUNDTRIP_H
#define MLS_TEST_MSG_ROUNDTRIP_H

#include <stddef.h>
#include <stdint.h>

#include "mls/codec.h"

struct msg_kind {
	const char *name;	/* field name in messages.json */
	/* 0 and the re-encoding in out, or the decode/encode error. */
	int (*roundtrip)(const uint8_t *in, size_t len, struct mls_bytes *out);
};

extern const struct msg_kind msg_kinds[];
extern const size_t msg_kinds_count;

const struct msg_kind *msg_kind_find(const char *name);

#endif
