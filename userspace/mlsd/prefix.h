/* SPDX-License-Identifier: MIT */
/*
 * Tunnel address prefixes (10.1.0.7/32, fd00::7/128) as host certificates,
 * pins and mlsd.conf carry them.
 */
#ifndef MLSD_PREFIX_H
#define MLSD_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "ADDR/LEN" formatted: an IPv6 address, '/', 3 digits, NUL. */
#define MLSD_PREFIX_STRLEN	(46 + 5)

struct mlsd_prefix {
	uint8_t family;		/* 4 or 6 */
	uint8_t len;		/* prefix length, at most 32 or 128 */
	uint8_t addr[16];	/* 4 or 16 bytes used, the rest zero */
};

static inline size_t mlsd_prefix_addr_len(const struct mlsd_prefix *p)
{
	return p->family == 4 ? 4 : 16;
}

/*
 * "ADDR/LEN" or "ADDR" (a single host: /32 or /128). With canonical,
 * an address with bits set past LEN is refused (a prefix, not a host
 * on a subnet). 0 or -1.
 */
int mlsd_prefix_parse(const char *s, bool canonical, struct mlsd_prefix *p);
void mlsd_prefix_format(const struct mlsd_prefix *p, char *buf, size_t len);
/* No address bits set past len (what an allowed-IPs entry must be). */
bool mlsd_prefix_is_canonical(const struct mlsd_prefix *p);
bool mlsd_prefix_equal(const struct mlsd_prefix *a,
		       const struct mlsd_prefix *b);

#endif
