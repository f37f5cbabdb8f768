/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Allowed IPs of members: which member a destination routes to, and
 * which inner source addresses a member may use. One longest-prefix-match
 * trie per device and address family, so a lookup costs O(prefix bits)
 * whatever the number of groups and members.
 */

#ifndef _MLSDCO_ALLOWEDIPS_H
#define _MLSDCO_ALLOWEDIPS_H

#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct mlsdco_dev;
struct mlsdco_group;
struct mlsdco_member;
struct mlsdco_ai_node;

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

/**
 * struct mlsdco_allowedips - the prefix tries of one device
 * @root4: IPv4 trie (RCU readers, written under the device's conf_lock)
 * @root6: IPv6 trie (same)
 *
 * All zero is the empty table, so it needs no set-up.
 */
struct mlsdco_allowedips {
	struct mlsdco_ai_node __rcu *root4;
	struct mlsdco_ai_node __rcu *root6;
};

int mlsdco_allowedips_cache_init(void);
void mlsdco_allowedips_cache_uninit(void);

int mlsdco_prefix_init(struct mlsdco_prefix *p, u16 family, const void *addr,
		       unsigned int addr_len, u8 cidr);
int mlsdco_allowedips_set(struct mlsdco_allowedips *t,
			  struct mlsdco_member *m,
			  const struct mlsdco_prefixes *ps,
			  struct mutex *lock);
void mlsdco_allowedips_remove_member(struct mlsdco_allowedips *t,
				     struct mlsdco_member *m,
				     struct mutex *lock);
bool mlsdco_allowedips_empty(struct mlsdco_allowedips *t);
struct mlsdco_member *mlsdco_allowedips_lookup(struct mlsdco_dev *mdev,
					       u16 family, const void *addr,
					       struct mlsdco_group **group);

#endif /* _MLSDCO_ALLOWEDIPS_H */
