/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Notifications on the "events" multicast group of the mlsdco family.
 */

#ifndef _MLSDCO_EVENTS_H
#define _MLSDCO_EVENTS_H

#include <linux/types.h>

struct mlsdco_dev;
struct mlsdco_epoch;
struct mlsdco_group;
struct sk_buff;

bool mlsdco_event_due(unsigned long *last_at);
void mlsdco_event_limit(struct mlsdco_epoch *e, u8 cmd, u64 counter);
void mlsdco_event_epoch_switched(struct mlsdco_group *g, u64 number, u32 leaf,
				 bool by_packet);
void mlsdco_event_unknown_sender(struct mlsdco_dev *mdev, const u8 *tag,
				 u32 group_id, u32 leaf, struct sk_buff *skb);

#endif /* _MLSDCO_EVENTS_H */
