/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Notifications on the "events" multicast group of the mlsdco family.
 */

#ifndef _MLSDCO_EVENTS_H
#define _MLSDCO_EVENTS_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct mlsdco_dev;
struct mlsdco_epoch;
struct mlsdco_group;
struct sk_buff;

/* no-route: at most one event per destination and second (the last
 * destinations by hash slot), at most MLSDCO_NO_ROUTE_PER_SEC per device.
 */
#define MLSDCO_NO_ROUTE_SLOTS		64
#define MLSDCO_NO_ROUTE_PER_SEC		20

struct mlsdco_event_limit {
	spinlock_t lock;	/* guards the fields below */
	unsigned long window_start;
	unsigned int in_window;
	struct {
		u16 family;
		u8 addr[16];
		unsigned long at;
	} recent[MLSDCO_NO_ROUTE_SLOTS];
};

void mlsdco_event_limit_init(struct mlsdco_event_limit *l);
bool mlsdco_event_due(unsigned long *last_at);
void mlsdco_event_limit(struct mlsdco_epoch *e, u8 cmd, u64 counter);
void mlsdco_event_epoch_switched(struct mlsdco_group *g, u64 number, u32 leaf,
				 bool by_packet);
void mlsdco_event_unknown_sender(struct mlsdco_dev *mdev, const u8 *tag,
				 u32 group_id, u32 leaf, struct sk_buff *skb);
void mlsdco_event_no_route(struct mlsdco_dev *mdev, u16 family,
			   const void *daddr);

#endif /* _MLSDCO_EVENTS_H */
