// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events for the agent. They may be raised in softirq, so messages are
 * built with GFP_ATOMIC and may be lost (no memory, a full socket): the
 * state they report is visible in group-get, and the limit events repeat
 * (at most once a second) until the agent has acted on them.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/mlsdco.h>
#include <linux/udp.h>
#include <net/genetlink.h>

#include "device.h"
#include "epoch.h"
#include "events.h"
#include "group.h"
#include "netlink.h"

/*
 * Rate limit of an event that repeats while its cause lasts: true at most
 * once per second for one @last_at (jiffies of the last one, 0 = never),
 * also when several CPUs ask at once.
 */
bool mlsdco_event_due(unsigned long *last_at)
{
	unsigned long last = READ_ONCE(*last_at);
	unsigned long now = jiffies;

	if (last && time_before(now, last + HZ))
		return false;
	return cmpxchg(last_at, last, now ?: 1) == last;
}

static struct sk_buff *mlsdco_event_new(struct mlsdco_dev *mdev, u8 cmd,
					void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &mlsdco_nl_family, 0, cmd);
	if (!*hdr || nla_put_u32(msg, MLSDCO_A_IFINDEX, mdev->dev->ifindex)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void mlsdco_event_send(struct mlsdco_dev *mdev, struct sk_buff *msg,
			      void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mlsdco_nl_family, dev_net(mdev->dev), msg, 0,
				MLSDCO_NL_MCGRP_EVENTS, GFP_ATOMIC);
}

void mlsdco_event_limit(struct mlsdco_epoch *e, u8 cmd, u64 counter)
{
	struct mlsdco_dev *mdev = e->group->mdev;
	struct sk_buff *msg;
	void *hdr;

	msg = mlsdco_event_new(mdev, cmd, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, MLSDCO_A_GROUP_ID, e->group->id) ||
	    nla_put_u64_64bit(msg, MLSDCO_A_EPOCH, e->number, MLSDCO_A_PAD) ||
	    nla_put_u64_64bit(msg, MLSDCO_A_TX_COUNTER, counter, MLSDCO_A_PAD)) {
		nlmsg_free(msg);
		return;
	}
	mlsdco_event_send(mdev, msg, hdr);
}

void mlsdco_event_epoch_switched(struct mlsdco_group *g, u64 number, u32 leaf,
				 bool by_packet)
{
	struct sk_buff *msg;
	void *hdr;

	msg = mlsdco_event_new(g->mdev, MLSDCO_CMD_EPOCH_SWITCHED, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, MLSDCO_A_GROUP_ID, g->id) ||
	    nla_put_u64_64bit(msg, MLSDCO_A_EPOCH, number, MLSDCO_A_PAD) ||
	    (by_packet && nla_put_u32(msg, MLSDCO_A_LEAF, leaf))) {
		nlmsg_free(msg);
		return;
	}
	mlsdco_event_send(g->mdev, msg, hdr);
}

static int mlsdco_put_outer_source(struct sk_buff *msg, struct sk_buff *skb)
{
	const struct udphdr *uh = udp_hdr(skb);
	struct nlattr *nest;

	nest = nla_nest_start(msg, MLSDCO_A_ENDPOINT);
	if (!nest)
		return -EMSGSIZE;
	if (ip_hdr(skb)->version == 4) {
		if (nla_put_in_addr(msg, MLSDCO_A_ENDPOINT_IPV4,
				    ip_hdr(skb)->saddr))
			return -EMSGSIZE;
	} else if (nla_put_in6_addr(msg, MLSDCO_A_ENDPOINT_IPV6,
				    &ipv6_hdr(skb)->saddr)) {
		return -EMSGSIZE;
	}
	if (nla_put_u16(msg, MLSDCO_A_ENDPOINT_PORT, ntohs(uh->source)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* At most one per second per device: a flood of junk must not turn into
 * a flood of netlink messages.
 */
void mlsdco_event_unknown_sender(struct mlsdco_dev *mdev, const u8 *tag,
				 u32 group_id, u32 leaf, struct sk_buff *skb)
{
	struct sk_buff *msg;
	void *hdr;

	if (!mlsdco_event_due(&mdev->last_unknown_event))
		return;

	msg = mlsdco_event_new(mdev, MLSDCO_CMD_UNKNOWN_SENDER, &hdr);
	if (!msg)
		return;
	if ((tag && nla_put(msg, MLSDCO_A_TAG, MLSDCO_EPOCH_TAG_LEN, tag)) ||
	    (!tag && (nla_put_u32(msg, MLSDCO_A_GROUP_ID, group_id) ||
		      nla_put_u32(msg, MLSDCO_A_LEAF, leaf))) ||
	    mlsdco_put_outer_source(msg, skb)) {
		nlmsg_free(msg);
		return;
	}
	mlsdco_event_send(mdev, msg, hdr);
}

void mlsdco_event_limit_init(struct mlsdco_event_limit *l)
{
	spin_lock_init(&l->lock);
}

/*
 * A host sending to an address nobody has yet retries for as long as the
 * agent takes to make the pair group: one event per destination and
 * second is enough, and a scan of the whole prefix is capped device-wide.
 * A destination whose slot another one took since may be reported again
 * within the second; the device-wide cap still holds.
 */
static bool mlsdco_no_route_due(struct mlsdco_event_limit *l, u16 family,
				const void *daddr)
{
	unsigned int len = family == AF_INET ? 4 : 16, slot;
	unsigned long now = jiffies;
	bool due = false;

	slot = jhash(daddr, len, family) % MLSDCO_NO_ROUTE_SLOTS;
	spin_lock_bh(&l->lock);
	if (l->recent[slot].at && l->recent[slot].family == family &&
	    !memcmp(l->recent[slot].addr, daddr, len) &&
	    time_before(now, l->recent[slot].at + HZ))
		goto out;
	if (!l->window_start || !time_before(now, l->window_start + HZ)) {
		l->window_start = now ?: 1;
		l->in_window = 0;
	}
	if (l->in_window >= MLSDCO_NO_ROUTE_PER_SEC)
		goto out;
	l->in_window++;
	l->recent[slot].family = family;
	memcpy(l->recent[slot].addr, daddr, len);
	l->recent[slot].at = now ?: 1;
	due = true;
out:
	spin_unlock_bh(&l->lock);
	return due;
}

static int mlsdco_put_dest(struct sk_buff *msg, u16 family, const void *daddr)
{
	unsigned int len = family == AF_INET ? 4 : 16;
	struct nlattr *nest;

	nest = nla_nest_start(msg, MLSDCO_A_DEST);
	if (!nest ||
	    nla_put_u16(msg, MLSDCO_A_ALLOWED_IP_FAMILY, family) ||
	    nla_put(msg, MLSDCO_A_ALLOWED_IP_ADDR, len, daddr) ||
	    nla_put_u8(msg, MLSDCO_A_ALLOWED_IP_CIDR, len * 8))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Unicast to @daddr found no member: the agent may make a pair group. */
void mlsdco_event_no_route(struct mlsdco_dev *mdev, u16 family,
			   const void *daddr)
{
	struct sk_buff *msg;
	void *hdr;

	if (!mlsdco_no_route_due(&mdev->no_route_limit, family, daddr))
		return;
	msg = mlsdco_event_new(mdev, MLSDCO_CMD_NO_ROUTE, &hdr);
	if (!msg)
		return;
	if (mlsdco_put_dest(msg, family, daddr)) {
		nlmsg_free(msg);
		return;
	}
	mlsdco_event_send(mdev, msg, hdr);
}
