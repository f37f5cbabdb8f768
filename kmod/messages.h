/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wire format budget of mlsdco packets. The header layout itself arrives
 * with the data plane; what is fixed here is how many bytes it may take,
 * because the default MTU users configure around depends on it.
 */

#ifndef _MLSDCO_MESSAGES_H
#define _MLSDCO_MESSAGES_H

#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/build_bug.h>

/*
 * Cleartext header, authenticated as AAD: 8-byte epoch tag (names the
 * epoch, so the relay routes without keys and observers cannot link
 * epochs) + 8 bytes packing version/type, the sender's leaf index and the
 * per-(epoch, sender) packet counter.
 */
#define MLSDCO_HDR_LEN		16

/* High nibble: wire version; low nibble: message type. */
#define MLSDCO_MSG_DATA_V1	0x11

/**
 * struct mlsdco_hdr - cleartext header of a data packet, the AEAD's AAD
 * @type: MLSDCO_MSG_DATA_V1
 * @leaf: sender's leaf index, 24 bits big endian (MLS trees of up to 2^24
 *	leaves; larger groups need a new version)
 * @tag: epoch tag, 8 bytes exported from the epoch
 * @counter: per-(epoch, sender) packet counter; the hard limit is below
 *	2^32, so 32 bits never wrap (docs/WIRE-FORMAT.md)
 */
struct mlsdco_hdr {
	u8 type;
	u8 leaf[3];
	u8 tag[8];
	__be32 counter;
} __packed;

#define MLSDCO_MAX_LEAF		0xffffffU

/* All three AEADs a group may use (AES-GCM, ChaCha20-Poly1305) end in a
 * 16-byte tag.
 */
#define MLSDCO_AUTH_TAG_LEN	16

/*
 * Bytes added around an inner packet, sized for the larger (IPv6) outer
 * header so one MTU fits both families:
 * 40 (IPv6) + 8 (UDP) + 16 (header) + 16 (tag) = 80, so a 1500-byte path
 * carries 1420-byte inner packets, the same budget as WireGuard.
 */
#define MLSDCO_ENCAP_OVERHEAD	(sizeof(struct ipv6hdr) + sizeof(struct udphdr) + \
				 MLSDCO_HDR_LEN + MLSDCO_AUTH_TAG_LEN)

static_assert(sizeof(struct mlsdco_hdr) == MLSDCO_HDR_LEN);

#endif /* _MLSDCO_MESSAGES_H */
