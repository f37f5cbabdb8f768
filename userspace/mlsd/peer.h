/* SPDX-License-Identifier: MIT */
/*
 * Pure rules of who is who between hosts (docs/AGENT.md "Groups"):
 * - the peer id, a stable per-host number the kernel uses to let a
 *   host's multicast (network group) pass the source check of addresses
 *   its pair-group member owns;
 * - the MLS group ids of the network and pair groups;
 * - which host of a pair creates the pair group.
 */
#ifndef MLSD_PEER_H
#define MLSD_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MLSD_PEER_ID_LABEL	"mlsdco peer id v1"
/* "mlsdco/pair/" NET "/" A "/" B: 12 + 3 * 63 + 2 < 255 */
#define MLSD_GROUP_ID_MAX	255

/*
 * The peer id of host name: the first 4 bytes (big endian) of
 * SHA-256(MLSD_PEER_ID_LABEL || 0x00 || name), 0 mapped to 1 (0 means
 * "none" to the kernel). Every host computes it from the verified
 * credential, so all agree without telling each other.
 */
uint32_t mlsd_peer_id(const char *name);

/* "mlsdco/net/NETWORK" into out; its length, or -1 if it does not fit. */
int mlsd_net_group_id(const char *network, char *out, size_t cap);
/* "mlsdco/pair/NETWORK/A/B" with A < B byte-wise; -1 if a == b. */
int mlsd_pair_group_id(const char *network, const char *a, const char *b,
		       char *out, size_t cap);
/* Whether self creates the pair group with peer (it sorts first). */
bool mlsd_pair_creator(const char *self, const char *peer);
/*
 * The peer's name in pair group id gid of network for self, into peer
 * (cap bytes); false if gid is no pair group of self in network.
 */
bool mlsd_pair_peer(const char *network, const char *self, const char *gid,
		    size_t gid_len, char *peer, size_t cap);

#endif
