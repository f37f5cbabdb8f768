// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transmit: route the inner packet to a member by allowed IPs (or to every
 * member of the multicast groups for multicast/broadcast), encrypt it once
 * under the group's current epoch, and send it in UDP to the member's
 * endpoint, or to the group's relay for a member without one.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "device.h"
#include "epoch.h"
#include "events.h"
#include "group.h"
#include "messages.h"
#include "packet.h"

/* Outer headers pushed in front of ours by the UDP tunnel helpers. */
#define MLSDCO_TX_HEADROOM	(LL_MAX_HEADER + sizeof(struct ipv6hdr) + \
				 sizeof(struct udphdr) + MLSDCO_HDR_LEN)

static void mlsdco_tx_drop(struct mlsdco_dev *mdev, struct sk_buff *skb)
{
	mlsdco_stats_tx_dropped(mdev->dev);
	kfree_skb(skb);
}

/*
 * The outer packet leaves from the socket's namespace: what the inner one
 * carried from the device's namespace (mark, tstamp, priority) must not
 * follow it there. udp_tunnel_xmit_skb scrubs for IPv4 (xnet), the IPv6
 * helper does not; neither resets the priority.
 */
static void mlsdco_scrub_outer(struct sk_buff *skb, bool xnet)
{
	skb_scrub_packet(skb, xnet);
	if (xnet)
		skb->priority = 0;
}

static int mlsdco_send4(struct mlsdco_dev *mdev, struct mlsdco_endpoint *ep,
			struct sk_buff *skb)
{
	struct socket *sock = rcu_dereference_bh(mdev->sock4);
	struct flowi4 fl4 = {};
	struct rtable *rt;
	struct net *net;
	bool xnet;

	if (!sock)
		return -ENOTCONN;
	net = sock_net(sock->sk);
	fl4.daddr = ep->sin.sin_addr.s_addr;
	fl4.fl4_dport = ep->sin.sin_port;
	fl4.fl4_sport = inet_sk(sock->sk)->inet_sport;
	rt = dst_cache_get_ip4(&ep->dst_cache, &fl4.saddr);
	if (!rt) {
		fl4.flowi4_proto = IPPROTO_UDP;
		rt = ip_route_output_flow(net, &fl4, sock->sk);
		if (IS_ERR(rt))
			return PTR_ERR(rt);
		if (rt->dst.dev == mdev->dev) {
			ip_rt_put(rt);
			return -ELOOP;
		}
		dst_cache_set_ip4(&ep->dst_cache, &rt->dst, fl4.saddr);
	}
	/* No device: the tunnel helpers would count into dev->tstats, and
	 * this device keeps dstats (counted in mlsdco_send_one instead).
	 */
	skb->dev = NULL;
	xnet = !net_eq(net, dev_net(mdev->dev));
	mlsdco_scrub_outer(skb, xnet);
	udp_tunnel_xmit_skb(rt, sock->sk, skb, fl4.saddr, fl4.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, fl4.fl4_sport,
			    fl4.fl4_dport, xnet, false);
	return 0;
}

static int mlsdco_send6(struct mlsdco_dev *mdev, struct mlsdco_endpoint *ep,
			struct sk_buff *skb)
{
	struct socket *sock = rcu_dereference_bh(mdev->sock6);
	struct dst_entry *dst;
	struct flowi6 fl6 = {};

	if (!sock)
		return -ENOTCONN;
	fl6.daddr = ep->sin6.sin6_addr;
	fl6.fl6_dport = ep->sin6.sin6_port;
	fl6.fl6_sport = inet_sk(sock->sk)->inet_sport;
	dst = dst_cache_get_ip6(&ep->dst_cache, &fl6.saddr);
	if (!dst) {
		fl6.flowi6_proto = IPPROTO_UDP;
		fl6.flowi6_oif = ep->sin6.sin6_scope_id;
		dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sock->sk),
						      sock->sk, &fl6, NULL);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		if (dst->dev == mdev->dev) {
			dst_release(dst);
			return -ELOOP;
		}
		dst_cache_set_ip6(&ep->dst_cache, dst, &fl6.saddr);
	}
	mlsdco_scrub_outer(skb, !net_eq(sock_net(sock->sk),
					dev_net(mdev->dev)));
	udp_tunnel6_xmit_skb(dst, sock->sk, skb, NULL, &fl6.saddr,
			     &fl6.daddr, 0, ip6_dst_hoplimit(dst), 0,
			     fl6.fl6_sport, fl6.fl6_dport, false);
	return 0;
}

/* Consumes @skb (already encrypted) unless it fails. */
static int mlsdco_send_ep(struct mlsdco_dev *mdev, struct mlsdco_endpoint *ep,
			  struct sk_buff *skb)
{
	if (ep->sa.sa_family == AF_INET)
		return mlsdco_send4(mdev, ep, skb);
	if (ep->sa.sa_family == AF_INET6)
		return mlsdco_send6(mdev, ep, skb);
	return -EHOSTUNREACH;
}

/* @ctr (a group's or the device's) and the device's error totals. */
static void mlsdco_count_error(struct mlsdco_dev *mdev,
			       struct mlsdco_counters *ctr,
			       enum mlsdco_counter which)
{
	mlsdco_count(ctr, which, 1);
	mlsdco_count(&mdev->errors, which, 1);
}

static void mlsdco_unreachable(struct mlsdco_member *m)
{
	mlsdco_count(&m->counters, MLSDCO_CTR_NO_ROUTE, 1);
	mlsdco_count_error(m->group->mdev, &m->group->counters,
			   MLSDCO_CTR_NO_ROUTE);
}

/* A packet is on its way to @m (maybe in one copy to its relay). */
static void mlsdco_sent_to(struct mlsdco_member *m, unsigned int inner_len)
{
	unsigned long now = jiffies;

	mlsdco_count(&m->counters, MLSDCO_CTR_TX_PACKETS, 1);
	mlsdco_count(&m->counters, MLSDCO_CTR_TX_BYTES, inner_len);
	/* Written only when it changes: one shared line per jiffy. */
	if (READ_ONCE(m->last_tx) != now)
		WRITE_ONCE(m->last_tx, now);
}

/* Consumes @skb (already encrypted). */
static void mlsdco_send_to_ep(struct mlsdco_dev *mdev, struct mlsdco_member *m,
			      struct mlsdco_endpoint *ep, struct sk_buff *skb,
			      unsigned int inner_len)
{
	if (!ep || mlsdco_send_ep(mdev, ep, skb)) {
		mlsdco_unreachable(m);
		mlsdco_tx_drop(mdev, skb);
		return;
	}
	mlsdco_sent_to(m, inner_len);
}

static void mlsdco_send_to(struct mlsdco_dev *mdev, struct mlsdco_member *m,
			   struct sk_buff *skb, unsigned int inner_len)
{
	mlsdco_send_to_ep(mdev, m, mlsdco_member_dest(m), skb, inner_len);
}

/*
 * Reserve a counter; false when the epoch may not send any more. The
 * atomic keeps growing past the limit (64 bits never wrap), so no value
 * below the limit is ever handed out twice.
 */
static bool mlsdco_take_counter(struct mlsdco_epoch *e, u64 *counter)
{
	u64 soft, hard;

	mlsdco_epoch_limits(e, &soft, &hard);
	*counter = atomic64_inc_return(&e->tx_counter) - 1;
	if (*counter >= hard)
		return false;
	/* Until the agent stages the next epoch, say so again every second:
	 * one GFP_ATOMIC message may be lost.
	 */
	if (*counter + 1 >= soft && !rcu_access_pointer(e->group->next) &&
	    mlsdco_event_due(&e->soft_event_at))
		mlsdco_event_limit(e, MLSDCO_CMD_KEY_SOFT_LIMIT, *counter + 1);
	return true;
}

/* Nothing more may go out under @e, and no next epoch could take over. */
static void mlsdco_exhausted(struct mlsdco_group *g, struct mlsdco_epoch *e)
{
	u64 soft, hard;

	mlsdco_count_error(g->mdev, &g->counters, MLSDCO_CTR_EXHAUSTED);
	/* A counter past the limit was never used: report the limit. */
	if (mlsdco_event_due(&e->exhausted_event_at)) {
		mlsdco_epoch_limits(e, &soft, &hard);
		mlsdco_event_limit(e, MLSDCO_CMD_KEY_EXHAUSTED, hard);
	}
}

/* One reallocation at most: room for the outer headers, the paged data
 * pulled into the head, and the tag, in a head nobody else shares.
 */
static int mlsdco_make_room(struct sk_buff *skb)
{
	int head = MLSDCO_TX_HEADROOM - (int)skb_headroom(skb);
	int tail = MLSDCO_AUTH_TAG_LEN + (int)skb->data_len -
		   (int)skb_tailroom(skb);

	if ((head > 0 || tail > 0 || skb_cloned(skb)) &&
	    pskb_expand_head(skb, max(head, 0), max(tail, 0), GFP_ATOMIC))
		return -ENOMEM;
	return skb_linearize(skb);
}

static int mlsdco_seal(struct mlsdco_group *g, struct mlsdco_epoch *e,
		       struct sk_buff *skb)
{
	struct mlsdco_hdr *hdr;
	u64 counter;
	int err;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;
	err = mlsdco_make_room(skb);
	if (err)
		return err;
	if (!mlsdco_take_counter(e, &counter))
		return -EKEYEXPIRED;
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	hdr = skb_push(skb, MLSDCO_HDR_LEN);
	hdr->type = MLSDCO_MSG_DATA_V1;
	hdr->leaf[0] = g->own_leaf >> 16;
	hdr->leaf[1] = g->own_leaf >> 8;
	hdr->leaf[2] = g->own_leaf;
	memcpy(hdr->tag, e->tag, MLSDCO_EPOCH_TAG_LEN);
	hdr->counter = cpu_to_be32((u32)counter);
	skb_put(skb, MLSDCO_AUTH_TAG_LEN);
	skb->ip_summed = CHECKSUM_NONE;
	return mlsdco_encrypt(e->tx_tfm, e->tx_nonce, (u32)counter, skb,
			      &e->crypt_pending);
}

/*
 * Seal under the group's current epoch. One at its hard limit hands over
 * to the staged next epoch (ours or another CPU's switch) rather than TX
 * stopping; the packet goes out under whichever epoch is current then.
 */
static int mlsdco_seal_current(struct mlsdco_group *g, struct sk_buff *skb)
{
	struct mlsdco_epoch *e = rcu_dereference_bh(g->cur), *now;
	int err;

	if (!e)
		return -ENOKEY;
	err = mlsdco_seal(g, e, skb);
	if (err != -EKEYEXPIRED)
		return err;
	mlsdco_epoch_take_over(g, rcu_dereference_bh(g->next));
	now = rcu_dereference_bh(g->cur);
	if (now && now != e) {
		e = now;
		err = mlsdco_seal(g, e, skb);
		if (err != -EKEYEXPIRED)
			return err;
	}
	mlsdco_exhausted(g, e);
	return err;
}

/*
 * Does @ep lead to @g's relay, whose one copy already left? The members
 * without an endpoint share the relay's object; a member whose learned
 * endpoint is the relay's address is the same destination. Distinct hosts
 * never share a direct endpoint, so nothing else is deduplicated and the
 * fan-out stays linear in the group's size.
 */
static bool mlsdco_fanout_relay_sent(struct mlsdco_endpoint *ep,
				     struct mlsdco_endpoint *relay,
				     bool *relay_sent)
{
	if (!relay || (ep != relay && !mlsdco_endpoint_eq(ep, relay)))
		return false;
	if (*relay_sent)
		return true;
	*relay_sent = true;
	return false;
}

/*
 * Fan-out: encrypted once, a private copy per distinct destination
 * because the outer headers are pushed into each buffer. Members reached
 * through the relay cost one copy together.
 */
static void mlsdco_fan_out_group(struct mlsdco_dev *mdev,
				 struct mlsdco_group *g, struct sk_buff *skb,
				 unsigned int inner_len)
{
	struct mlsdco_endpoint *relay = rcu_dereference_bh(g->relay);
	struct mlsdco_endpoint *ep, *last_ep = NULL;
	struct mlsdco_member *m, *last = NULL;
	bool relay_sent = false;
	struct sk_buff *copy;

	list_for_each_entry_rcu(m, &g->members, node) {
		if (m->leaf == g->own_leaf)
			continue;
		ep = mlsdco_member_dest(m);
		if (!ep) {
			mlsdco_unreachable(m);
			continue;
		}
		if (mlsdco_fanout_relay_sent(ep, relay, &relay_sent)) {
			mlsdco_sent_to(m, inner_len);
			continue;
		}
		if (last) {
			copy = skb_copy(skb, GFP_ATOMIC);
			if (copy)
				mlsdco_send_to_ep(mdev, last, last_ep, copy,
						  inner_len);
		}
		last = m;
		last_ep = ep;
	}
	if (last)
		mlsdco_send_to_ep(mdev, last, last_ep, skb, inner_len);
	else
		consume_skb(skb);
}

/* Consumes @skb: one inner packet (no GSO) to @to, or to every member. */
static void mlsdco_send_one(struct mlsdco_dev *mdev, struct mlsdco_group *g,
			    struct mlsdco_member *to, struct sk_buff *skb)
{
	unsigned int inner_len = skb->len;
	int err;

	err = mlsdco_seal_current(g, skb);
	if (err == -ENOKEY)
		mlsdco_count_error(mdev, &g->counters, MLSDCO_CTR_NO_ROUTE);
	if (err == -EINPROGRESS) {
		/* The async completion frees the packet. */
		mlsdco_stats_tx_dropped(mdev->dev);
		return;
	}
	if (err) {
		mlsdco_tx_drop(mdev, skb);
		return;
	}
	mlsdco_stats_tx(mdev->dev, inner_len);
	mlsdco_count(&g->counters, MLSDCO_CTR_TX_PACKETS, 1);
	mlsdco_count(&g->counters, MLSDCO_CTR_TX_BYTES, inner_len);
	if (to)
		mlsdco_send_to(mdev, to, skb, inner_len);
	else
		mlsdco_fan_out_group(mdev, g, skb, inner_len);
}

/*
 * An empty packet under the group's current epoch to @m, from the
 * keepalive timer (BH off, RCU held). Not counted as data (tx-packets),
 * only as tx-keepalives; a failure waits for the next interval.
 */
void mlsdco_send_keepalive(struct mlsdco_dev *mdev, struct mlsdco_member *m)
{
	struct mlsdco_endpoint *ep = mlsdco_member_dest(m);
	struct sk_buff *skb;
	int err;

	WRITE_ONCE(m->last_tx, jiffies);
	if (!ep)
		return;
	skb = alloc_skb(MLSDCO_TX_HEADROOM + MLSDCO_AUTH_TAG_LEN, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, MLSDCO_TX_HEADROOM);
	err = mlsdco_seal_current(m->group, skb);
	if (err == -EINPROGRESS)
		return;
	if (!err)
		err = mlsdco_send_ep(mdev, ep, skb);
	if (err) {
		kfree_skb(skb);
		return;
	}
	mlsdco_count(&m->counters, MLSDCO_CTR_TX_KEEPALIVES, 1);
	mlsdco_count(&m->group->counters, MLSDCO_CTR_TX_KEEPALIVES, 1);
}

static void mlsdco_send_segments(struct mlsdco_dev *mdev,
				 struct mlsdco_group *g,
				 struct mlsdco_member *to, struct sk_buff *skb)
{
	struct sk_buff *segs, *next;

	if (!skb_is_gso(skb)) {
		mlsdco_send_one(mdev, g, to, skb);
		return;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		mlsdco_tx_drop(mdev, skb);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		mlsdco_send_one(mdev, g, to, skb);
	}
}

/* Returns the inner destination family, or 0 for a packet we cannot carry. */
static u16 mlsdco_inner_dst(struct sk_buff *skb, const void **daddr,
			    bool *multicast)
{
	if (skb->protocol == htons(ETH_P_IP) &&
	    pskb_network_may_pull(skb, sizeof(struct iphdr)) &&
	    ip_hdr(skb)->version == 4) {
		__be32 d = ip_hdr(skb)->daddr;

		*daddr = &ip_hdr(skb)->daddr;
		*multicast = ipv4_is_multicast(d) || ipv4_is_lbcast(d);
		return AF_INET;
	}
	if (skb->protocol == htons(ETH_P_IPV6) &&
	    pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) &&
	    ipv6_hdr(skb)->version == 6) {
		*daddr = &ipv6_hdr(skb)->daddr;
		*multicast = ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr);
		return AF_INET6;
	}
	return 0;
}

/* Multicast and broadcast: every group marked for it gets a copy. */
static void mlsdco_fan_out(struct mlsdco_dev *mdev, struct sk_buff *skb)
{
	struct mlsdco_group *g, *last = NULL;
	struct sk_buff *copy;

	list_for_each_entry_rcu(g, &mdev->groups, node) {
		if (!(READ_ONCE(g->flags) & MLSDCO_GROUP_F_MULTICAST))
			continue;
		if (last) {
			copy = skb_copy(skb, GFP_ATOMIC);
			if (copy)
				mlsdco_send_segments(mdev, last, NULL, copy);
		}
		last = g;
	}
	if (last)
		mlsdco_send_segments(mdev, last, NULL, skb);
	else
		mlsdco_tx_drop(mdev, skb);
}

netdev_tx_t mlsdco_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);
	struct mlsdco_group *g = NULL;
	struct mlsdco_member *m;
	const void *daddr;
	bool multicast;
	u16 family;

	rcu_read_lock_bh();
	family = mlsdco_inner_dst(skb, &daddr, &multicast);
	if (!family) {
		mlsdco_tx_drop(mdev, skb);
	} else if (multicast) {
		mlsdco_fan_out(mdev, skb);
	} else {
		m = mlsdco_allowedips_lookup(mdev, family, daddr, &g);
		if (m) {
			mlsdco_send_segments(mdev, g, m, skb);
		} else {
			mlsdco_count_error(mdev, &mdev->counters,
					   MLSDCO_CTR_NO_ROUTE);
			mlsdco_event_no_route(mdev, family, daddr);
			mlsdco_tx_drop(mdev, skb);
		}
	}
	rcu_read_unlock_bh();
	return NETDEV_TX_OK;
}
