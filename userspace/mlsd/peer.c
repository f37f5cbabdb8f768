// SPDX-License-Identifier: MIT
/* Peer ids, group ids and the pair-group creator (peer.h). */
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "hostcert.h"
#include "peer.h"

uint32_t mlsd_peer_id(const char *name)
{
	mbedtls_sha256_context ctx;
	uint8_t h[32];
	uint32_t id;

	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts_ret(&ctx, 0);
	mbedtls_sha256_update_ret(&ctx, (const uint8_t *)MLSD_PEER_ID_LABEL,
				  sizeof(MLSD_PEER_ID_LABEL));	/* with NUL */
	mbedtls_sha256_update_ret(&ctx, (const uint8_t *)name, strlen(name));
	mbedtls_sha256_finish_ret(&ctx, h);
	mbedtls_sha256_free(&ctx);
	id = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	     (uint32_t)h[2] << 8 | h[3];
	return id ? id : 1;
}

static int fits(int n, size_t cap)
{
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

int mlsd_net_group_id(const char *network, char *out, size_t cap)
{
	return fits(snprintf(out, cap, "mlsdco/net/%s", network), cap);
}

bool mlsd_pair_creator(const char *self, const char *peer)
{
	return strcmp(self, peer) < 0;
}

int mlsd_pair_group_id(const char *network, const char *a, const char *b,
		       char *out, size_t cap)
{
	int cmp = strcmp(a, b);

	if (!cmp)
		return -1;
	if (cmp > 0) {
		const char *t = a;

		a = b;
		b = t;
	}
	return fits(snprintf(out, cap, "mlsdco/pair/%s/%s/%s", network, a, b),
		    cap);
}

bool mlsd_pair_peer(const char *network, const char *self, const char *gid,
		    size_t gid_len, char *peer, size_t cap)
{
	char want[MLSD_GROUP_ID_MAX + 1], prefix[MLSD_GROUP_ID_MAX + 1];
	const char *rest, *slash;
	size_t plen, alen;
	int n;

	n = snprintf(prefix, sizeof(prefix), "mlsdco/pair/%s/", network);
	if (n < 0 || (size_t)n >= sizeof(prefix))
		return false;
	plen = (size_t)n;
	if (gid_len <= plen || gid_len > MLSD_GROUP_ID_MAX ||
	    memcmp(gid, prefix, plen))
		return false;
	rest = gid + plen;
	slash = memchr(rest, '/', gid_len - plen);
	if (!slash)
		return false;
	alen = (size_t)(slash - rest);
	if (alen == strlen(self) && !memcmp(rest, self, alen))
		n = snprintf(peer, cap, "%.*s", (int)(gid_len - plen - alen - 1),
			     slash + 1);
	else
		n = snprintf(peer, cap, "%.*s", (int)alen, rest);
	if (n < 0 || (size_t)n >= cap || !mlsd_name_valid(peer))
		return false;
	/* the id must be exactly the one the two names make */
	n = mlsd_pair_group_id(network, self, peer, want, sizeof(want));
	return n > 0 && (size_t)n == gid_len && !memcmp(want, gid, gid_len);
}
