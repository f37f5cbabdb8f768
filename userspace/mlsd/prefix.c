// SPDX-License-Identifier: MIT
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"

bool mlsd_prefix_is_canonical(const struct mlsd_prefix *p)
{
	size_t n = mlsd_prefix_addr_len(p), i;
	unsigned int bits;

	for (i = 0; i < n; i++) {
		bits = i * 8 >= p->len ? 0 : p->len - i * 8;
		if (bits >= 8)
			continue;
		if (p->addr[i] & (0xffu >> bits))
			return false;
	}
	return true;
}

static int parse_len(const char *s, unsigned int max, uint8_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1]))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

int mlsd_prefix_parse(const char *s, bool canonical, struct mlsd_prefix *p)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t al = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int max;

	memset(p, 0, sizeof(*p));
	if (al == 0 || al >= sizeof(addr))
		return -1;
	memcpy(addr, s, al);
	addr[al] = '\0';
	p->family = strchr(addr, ':') ? 6 : 4;
	if (inet_pton(p->family == 4 ? AF_INET : AF_INET6, addr, p->addr) != 1)
		return -1;
	max = p->family == 4 ? 32 : 128;
	p->len = (uint8_t)max;
	if (slash && parse_len(slash + 1, max, &p->len))
		return -1;
	if (canonical && !mlsd_prefix_is_canonical(p))
		return -1;
	return 0;
}

void mlsd_prefix_format(const struct mlsd_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, addr,
		  sizeof(addr));
	snprintf(buf, len, "%s/%u", addr, p->len);
}

bool mlsd_prefix_equal(const struct mlsd_prefix *a,
		       const struct mlsd_prefix *b)
{
	return a->family == b->family && a->len == b->len &&
	       !memcmp(a->addr, b->addr, mlsd_prefix_addr_len(a));
}
