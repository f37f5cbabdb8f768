/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Groups (one MLS group each) and their members on an mlsdco device.
 */

#ifndef _MLSDCO_GROUP_H
#define _MLSDCO_GROUP_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <net/dst_cache.h>

#include "allowedips.h"
#include "stats.h"

struct mlsdco_dev;
struct mlsdco_epoch;

/*
 * A member's UDP endpoint and its per-CPU route cache: an endpoint is
 * replaced, never changed in place, so a new address starts uncached.
 */
struct mlsdco_endpoint {
	struct rcu_head rcu;
	struct dst_cache dst_cache;
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	};
};

struct mlsdco_endpoint *mlsdco_endpoint_new(gfp_t gfp);
void mlsdco_endpoint_free(struct mlsdco_endpoint *ep);
void mlsdco_endpoint_free_rcu(struct rcu_head *rcu);
bool mlsdco_endpoint_eq(const struct mlsdco_endpoint *a,
			const struct mlsdco_endpoint *b);
void mlsdco_endpoints_reset_routes(struct mlsdco_dev *mdev);

/**
 * struct mlsdco_member - a peer leaf of a group
 * @node: entry in the group's member list (RCU, written under conf_lock)
 * @group: the group it belongs to
 * @leaf: MLS leaf index
 * @endpoint: where its packets go (RCU, replaced whole under
 *	@endpoint_lock: netlink and, when it roams, the receive path)
 * @endpoint_lock: serialises replacing @endpoint
 * @endpoint_fixed: the endpoint does not roam to a packet's source
 * @peer_id: the host this member is (the agent's number, 0 = none)
 * @keepalive_s: seconds of TX silence before a keepalive, 0 = off
 * @last_tx: jiffies of the last packet sent to it
 * @allowed_ips: its prefixes as last set, minus those moved to another
 *	member since; what netlink reports (read under conf_lock)
 * @ai_nodes: its nodes in the device's allowed-IPs trie (conf_lock)
 * @counters: rx counts packets from it, tx packets to it
 * @rcu: deferred free
 */
struct mlsdco_member {
	struct list_head node;
	struct mlsdco_group *group;
	u32 leaf;
	struct mlsdco_endpoint __rcu *endpoint;
	spinlock_t endpoint_lock;	/* see @endpoint_lock above */
	bool endpoint_fixed;
	u32 peer_id;
	u16 keepalive_s;
	unsigned long last_tx;
	struct mlsdco_prefixes __rcu *allowed_ips;
	struct list_head ai_nodes;
	struct mlsdco_counters counters;
	struct rcu_head rcu;
};

/**
 * struct mlsdco_group - one MLS group on a device
 * @node: entry in the device's group list (RCU, written under conf_lock)
 * @mdev: owning device
 * @id: chosen by userspace
 * @aead: MLSDCO_AEAD_*
 * @own_leaf: this device's leaf index, sent in every header
 * @flags: MLSDCO_GROUP_F_* (READ_ONCE: written under conf_lock)
 * @relay: where packets to members without an endpoint go (RCU, replaced
 *	under conf_lock), NULL = none
 * @members: peer members (RCU list)
 * @cur: the TX epoch (RCU; slots written under mdev->epoch_lock)
 * @next: installed, RX live, TX staged
 * @prev: RX only until @expire_timer
 * @promote_timer: makes @next current when its grace time ends
 * @expire_timer: deletes @prev when its grace window ends
 * @dead: set under epoch_lock on deletion so timers are not re-armed
 * @has_epoch: an epoch was ever installed (epoch_lock)
 * @highest_epoch: the highest epoch number ever installed, also before
 *	the group was last deleted (epoch_lock); new ones must be above it
 * @counters: group-wide counters
 * @rcu: deferred free
 */
struct mlsdco_group {
	struct list_head node;
	struct mlsdco_dev *mdev;
	u32 id;
	u32 aead;
	u32 own_leaf;
	u32 flags;
	struct mlsdco_endpoint __rcu *relay;
	struct list_head members;
	struct mlsdco_epoch __rcu *cur;
	struct mlsdco_epoch __rcu *next;
	struct mlsdco_epoch __rcu *prev;
	struct timer_list promote_timer;
	struct timer_list expire_timer;
	bool dead;
	bool has_epoch;
	u64 highest_epoch;
	struct mlsdco_counters counters;
	struct rcu_head rcu;
};

int mlsdco_group_cache_init(void);
void mlsdco_group_cache_uninit(void);

struct mlsdco_group *mlsdco_group_find(struct mlsdco_dev *mdev, u32 id);
/* What group-new sets; @relay (may be NULL) is taken over on success. */
struct mlsdco_group_params {
	u32 id;
	u32 aead;
	u32 own_leaf;
	u32 flags;
	struct mlsdco_endpoint *relay;
};

int mlsdco_group_new(struct mlsdco_dev *mdev, struct mlsdco_group_params *p);
void mlsdco_group_set_relay(struct mlsdco_group *group,
			    struct mlsdco_endpoint *relay);
void mlsdco_group_del(struct mlsdco_group *group);
void mlsdco_groups_flush(struct mlsdco_dev *mdev);

struct mlsdco_member *mlsdco_member_find(struct mlsdco_group *group, u32 leaf);
/* The scalar settings of member-set; has_ = given, else left alone. */
struct mlsdco_member_opts {
	bool has_peer_id;
	u32 peer_id;
	bool has_keepalive;
	u16 keepalive_s;
	bool has_fixed;
	bool fixed;
};

int mlsdco_member_set(struct mlsdco_group *group, u32 leaf,
		      struct mlsdco_endpoint *ep,
		      struct mlsdco_prefixes *allowed_ips,
		      const struct mlsdco_member_opts *opts);
void mlsdco_member_del(struct mlsdco_member *member);
void mlsdco_member_replace_endpoint(struct mlsdco_member *m,
				    struct mlsdco_endpoint *ep);
struct mlsdco_endpoint *mlsdco_member_dest(struct mlsdco_member *m);

#endif /* _MLSDCO_GROUP_H */
