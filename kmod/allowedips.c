// SPDX-License-Identifier: GPL-2.0-only
/*
 * Longest-prefix match over the members' allowed IPs of every group of a
 * device. Readers run under RCU (transmit and receive paths).
 */

#include <linux/errno.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "allowedips.h"
#include "device.h"
#include "group.h"

int mlsdco_prefix_init(struct mlsdco_prefix *p, u16 family, const void *addr,
		       unsigned int addr_len, u8 cidr)
{
	memset(p, 0, sizeof(*p));
	p->family = family;
	p->cidr = cidr;
	if (family == AF_INET) {
		if (addr_len != 4 || cidr > 32)
			return -EINVAL;
		memcpy(&p->addr.v4, addr, 4);
		p->addr.v4 &= cidr ? htonl(~0U << (32 - cidr)) : 0;
		return 0;
	}
	if (family == AF_INET6) {
		if (addr_len != 16 || cidr > 128)
			return -EINVAL;
		ipv6_addr_prefix(&p->addr.v6, addr, cidr);
		return 0;
	}
	return -EAFNOSUPPORT;
}

static bool mlsdco_prefix_match(const struct mlsdco_prefix *p, u16 family,
				const void *addr)
{
	if (p->family != family)
		return false;
	if (family == AF_INET) {
		__be32 a;

		memcpy(&a, addr, 4);
		return !p->cidr || !((a ^ p->addr.v4) &
				     htonl(~0U << (32 - p->cidr)));
	}
	return ipv6_prefix_equal(addr, &p->addr.v6, p->cidr);
}

/* Caller holds rcu_read_lock(); the result is valid until it drops it. */
struct mlsdco_member *mlsdco_allowedips_lookup(struct mlsdco_dev *mdev,
					       u16 family, const void *addr,
					       struct mlsdco_group **group)
{
	struct mlsdco_member *best = NULL, *m;
	const struct mlsdco_prefixes *ps;
	struct mlsdco_group *g;
	int best_cidr = -1;
	unsigned int i;

	list_for_each_entry_rcu(g, &mdev->groups, node) {
		list_for_each_entry_rcu(m, &g->members, node) {
			ps = rcu_dereference(m->allowed_ips);
			if (!ps)
				continue;
			for (i = 0; i < ps->n; i++) {
				if (ps->p[i].cidr <= best_cidr ||
				    !mlsdco_prefix_match(&ps->p[i], family, addr))
					continue;
				best = m;
				best_cidr = ps->p[i].cidr;
				*group = g;
			}
		}
	}
	return best;
}
