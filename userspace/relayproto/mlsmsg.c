// SPDX-License-Identifier: MIT
/*
 * The cleartext part of an MLSMessage the relay may read (RFC 9420 §6.2,
 * §6.3.1): PublicMessage and PrivateMessage both start with
 * group_id<V> and epoch (uint64) right after version and wire_format.
 */
#include "mls/codec.h"
#include "mls/msg_framing.h"
#include "relayproto.h"

#define MLS10 1

int rp_mls_peek(const uint8_t *msg, size_t len, bool *parsed,
		struct rp_bytes *group_id, uint64_t *epoch)
{
	struct mls_reader r;
	uint16_t version = 0, wire = 0;
	uint32_t n = 0;

	*parsed = false;
	mls_reader_init(&r, msg, len);
	mls_read_u16(&r, &version);
	mls_read_u16(&r, &wire);
	if (mls_reader_error(&r) || version != MLS10)
		return RP_E_MLSMSG;
	if (wire != MLS_WIRE_PUBLIC_MESSAGE && wire != MLS_WIRE_PRIVATE_MESSAGE)
		return 0;
	mls_read_varint(&r, &n);
	mls_read_view(&r, n, &group_id->p);
	mls_read_u64(&r, epoch);
	if (mls_reader_error(&r))
		return RP_E_MLSMSG;
	group_id->len = n;
	*parsed = true;
	return 0;
}
