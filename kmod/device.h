/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mlsdco net_device: a layer-3 tunnel and its link kind.
 */

#ifndef _MLSDCO_DEVICE_H
#define _MLSDCO_DEVICE_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <net/gro_cells.h>

#include "allowedips.h"
#include "events.h"
#include "history.h"
#include "stats.h"

struct net;
struct mlsdco_route_cache;
struct net_device;
struct socket;

#define MLSDCO_LINK_KIND "mlsdco"
#define MLSDCO_TAG_HASH_BITS 8

/**
 * struct mlsdco_dev - private state of one mlsdco device
 * @dev: the net_device this state belongs to
 * @creating_net: namespace the device was created in; its UDP socket lives
 *	there even after the device moves to another namespace. Not
 *	refcounted (that would pin the namespace forever): the pernet
 *	pre_exit hook clears it when that namespace goes away.
 * @conf_lock: serialises configuration changes made over netlink
 * @epoch_lock: guards the epoch slots of every group and @tags; taken from
 *	softirq (first packet of a next epoch, timers), so always _bh
 * @listen_port: UDP port requested by userspace, host order, 0 = any
 * @soft_limit: packets per (epoch, sender) before key-soft-limit, 0 = AEAD
 * @hard_limit: packets per (epoch, sender) before TX stops, 0 = AEAD
 * @sock4: IPv4 UDP socket (RCU), NULL while closed
 * @sock6: IPv6 UDP socket (RCU), NULL while closed or without IPv6
 * @groups: the device's groups (RCU list, written under @conf_lock)
 * @allowedips: inner prefix -> member, for routing and source checks
 * @tags: every installed epoch by tag, for the receive path (RCU)
 * @history: retired tags and deleted groups' highest epochs (@epoch_lock)
 * @counters: device-wide counters (unknown tags before a group is known)
 * @errors: every drop by kind wherever it was counted (device, group or
 *	member), for ndo_get_stats64; unlike the groups' counters it
 *	survives group-del, so the interface's error counters never go back
 * @last_unknown_event: jiffies of the last unknown-sender event
 * @no_route_limit: rate limit of the no-route event
 * @keepalive_timer: sends the members' keepalives (keepalive.c)
 * @gro_cells: receive side GRO
 * @dev_list: entry in the module-wide device list, protected by RTNL
 */
struct mlsdco_dev {
	struct net_device *dev;
	struct net __rcu *creating_net;
	struct mutex conf_lock;	/* see @conf_lock above */
	spinlock_t epoch_lock;	/* see @epoch_lock above */
	u16 listen_port;
	u64 soft_limit;
	u64 hard_limit;
	struct socket __rcu *sock4;
	struct socket __rcu *sock6;
	struct list_head groups;
	struct mlsdco_allowedips allowedips;
	DECLARE_HASHTABLE(tags, MLSDCO_TAG_HASH_BITS);
	struct mlsdco_history history;
	struct mlsdco_counters counters;
	struct mlsdco_counters errors;
	unsigned long last_unknown_event;
	struct mlsdco_event_limit no_route_limit;
	struct timer_list keepalive_timer;
	struct gro_cells gro_cells;
	struct list_head dev_list;
};

bool mlsdco_dev_is_mlsdco(const struct net_device *dev);

int mlsdco_device_init(void);
void mlsdco_device_uninit(void);

#endif /* _MLSDCO_DEVICE_H */
