/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Allowed IPs of members: which member a destination routes to, and
 * which inner source addresses a member may use. A per-member prefix
 * array searched linearly for now; a trie replaces it when groups grow.
 */

#ifndef _MLSDCO_ALLOWEDIPS_H
#define _MLSDCO_ALLOWEDIPS_H

#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct mlsdco_dev;
struct mlsdco_group;
struct mlsdco_member;

struct mlsdco_prefix {
	u16 family;
	u8 cidr;
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;	/* host bits cleared */
};

struct mlsdco_prefixes {
	struct rcu_head rcu;
	unsigned int n;
	struct mlsdco_prefix p[];
};

int mlsdco_prefix_init(struct mlsdco_prefix *p, u16 family, const void *addr,
		       unsigned int addr_len, u8 cidr);
struct mlsdco_member *mlsdco_allowedips_lookup(struct mlsdco_dev *mdev,
					       u16 family, const void *addr,
					       struct mlsdco_group **group);

#endif /* _MLSDCO_ALLOWEDIPS_H */
