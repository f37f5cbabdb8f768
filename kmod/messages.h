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

/*
 * Cleartext header, authenticated as AAD: 8-byte epoch tag (names the
 * epoch, so the relay routes without keys and observers cannot link
 * epochs) + 8 bytes packing version/type, the sender's leaf index and the
 * per-(epoch, sender) packet counter.
 */
#define MLSDCO_HDR_LEN		16

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

#endif /* _MLSDCO_MESSAGES_H */
