// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive: UDP encap_rcv -> epoch by tag -> sender key by leaf -> decrypt
 * -> replay window (after authentication only) -> the sender's endpoint
 * follows the packet (roaming) -> an empty packet is a keepalive, counted
 * and dropped -> inner source must be in the sender's allowed IPs (or
 * those of the same peer) -> GRO -> stack.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/gro_cells.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "device.h"
#include "epoch.h"
#include "events.h"
#include "group.h"
#include "messages.h"
#include "udp.h"

static void mlsdco_rx_drop(struct mlsdco_dev *mdev, struct sk_buff *skb,
			   struct mlsdco_counters *ctr,
			   enum mlsdco_counter which)
{
	if (ctr)
		mlsdco_count(&mdev->errors, which, 1);
	mlsdco_count(ctr, which, 1);
	mlsdco_stats_rx_dropped(mdev->dev);
	kfree_skb(skb);
}

static u16 mlsdco_inner_src(struct sk_buff *skb, const void **saddr)
{
	unsigned int len;

	if (skb->len >= sizeof(struct iphdr) && ip_hdr(skb)->version == 4) {
		len = ntohs(ip_hdr(skb)->tot_len);
		if (len < sizeof(struct iphdr) || len > skb->len ||
		    pskb_trim(skb, len))
			return 0;
		skb->protocol = htons(ETH_P_IP);
		*saddr = &ip_hdr(skb)->saddr;
		return AF_INET;
	}
	if (skb->len >= sizeof(struct ipv6hdr) && ipv6_hdr(skb)->version == 6) {
		len = ntohs(ipv6_hdr(skb)->payload_len) + sizeof(struct ipv6hdr);
		if (len > skb->len || pskb_trim(skb, len))
			return 0;
		skb->protocol = htons(ETH_P_IPV6);
		*saddr = &ipv6_hdr(skb)->saddr;
		return AF_INET6;
	}
	return 0;
}

/*
 * The inner packet arrives on our device as if it had never been in a
 * tunnel: no namespace state of the outer packet (mark, tstamp, conntrack,
 * dst), and no MAC header or encapsulation offsets still pointing at the
 * outer Ethernet/IP/UDP headers, which tc and the core would otherwise
 * take for this packet's link-layer header (as wg_reset_packet does).
 */
static void mlsdco_reset_packet(struct sk_buff *skb)
{
	skb_scrub_packet(skb, true);
	skb->encapsulation = 0;
	skb->mac_len = 0;
	skb_reset_mac_header(skb);
	skb_reset_inner_headers(skb);
}

/*
 * May @sender speak for an address @owner was given? Its own, or, when
 * both name the same peer, its host's: a host's addresses belong to its
 * member in the pair group, yet its multicast arrives in the network
 * group.
 */
static bool mlsdco_source_ok(struct mlsdco_member *sender,
			     struct mlsdco_member *owner)
{
	u32 peer_id;

	if (owner == sender)
		return true;
	peer_id = READ_ONCE(sender->peer_id);
	return owner && peer_id && READ_ONCE(owner->peer_id) == peer_id;
}

/* @skb holds the decrypted inner packet at skb->data. */
static void mlsdco_deliver(struct mlsdco_dev *mdev,
			   struct mlsdco_member *sender, struct sk_buff *skb)
{
	struct mlsdco_group *g = sender->group, *src_group;
	struct mlsdco_member *owner;
	const void *saddr;
	u16 family;

	skb_reset_network_header(skb);
	family = mlsdco_inner_src(skb, &saddr);
	owner = family ? mlsdco_allowedips_lookup(mdev, family, saddr,
						  &src_group) : NULL;
	/* A member may only speak for the addresses it was given. */
	if (!mlsdco_source_ok(sender, owner)) {
		mlsdco_rx_drop(mdev, skb, &g->counters, MLSDCO_CTR_BAD_SOURCE);
		return;
	}
	mlsdco_count(&sender->counters, MLSDCO_CTR_RX_PACKETS, 1);
	mlsdco_count(&sender->counters, MLSDCO_CTR_RX_BYTES, skb->len);
	mlsdco_count(&g->counters, MLSDCO_CTR_RX_PACKETS, 1);
	mlsdco_count(&g->counters, MLSDCO_CTR_RX_BYTES, skb->len);
	mlsdco_stats_rx(mdev->dev, skb->len);

	mlsdco_reset_packet(skb);
	skb->dev = mdev->dev;
	skb->pkt_type = PACKET_HOST;
	/* The AEAD tag covered the inner packet end to end, and the sender
	 * checksummed it before sealing: checking again is a wasted pass.
	 */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	skb_reset_transport_header(skb);
	gro_cells_receive(&mdev->gro_cells, skb);
}

/* The outer source of @skb (its IP and UDP headers are still in place). */
static void mlsdco_outer_source(struct sk_buff *skb,
				struct mlsdco_endpoint *src)
{
	__be16 port = udp_hdr(skb)->source;

	if (ip_hdr(skb)->version == 4) {
		src->sin.sin_family = AF_INET;
		src->sin.sin_addr.s_addr = ip_hdr(skb)->saddr;
		src->sin.sin_port = port;
		return;
	}
	src->sin6.sin6_family = AF_INET6;
	src->sin6.sin6_addr = ipv6_hdr(skb)->saddr;
	src->sin6.sin6_port = port;
	src->sin6.sin6_scope_id = ipv6_iface_scope_id(&ipv6_hdr(skb)->saddr,
						      skb->skb_iif);
}

/*
 * Roaming, as WireGuard does it: an authenticated, fresh packet shows
 * where its sender is now, so replies go there. Not for a member whose
 * endpoint is fixed, nor from the group's relay (a relayed packet says
 * nothing about where its sender is). Rare, so a new endpoint (and route
 * cache) is allocated rather than the live one changed under readers.
 */
static void mlsdco_roam(struct mlsdco_member *m, struct sk_buff *skb)
{
	struct mlsdco_endpoint src = {}, *ep, *fresh;

	if (READ_ONCE(m->endpoint_fixed))
		return;
	mlsdco_outer_source(skb, &src);
	ep = rcu_dereference(m->endpoint);
	if (ep && mlsdco_endpoint_eq(ep, &src))
		return;
	ep = rcu_dereference(m->group->relay);
	if (ep && mlsdco_endpoint_eq(ep, &src))
		return;
	fresh = mlsdco_endpoint_new(GFP_ATOMIC);
	if (!fresh)
		return;
	fresh->sin6 = src.sin6;
	mlsdco_member_replace_endpoint(m, fresh);
}

static void mlsdco_receive(struct mlsdco_dev *mdev, struct sk_buff *skb)
{
	struct mlsdco_member *sender;
	struct mlsdco_rx_key *rk;
	struct mlsdco_epoch *e;
	struct mlsdco_hdr *hdr;
	u32 leaf, counter;
	int err;

	hdr = (struct mlsdco_hdr *)skb->data;
	if (hdr->type != MLSDCO_MSG_DATA_V1) {
		mlsdco_rx_drop(mdev, skb, NULL, 0);
		return;
	}
	leaf = hdr->leaf[0] << 16 | hdr->leaf[1] << 8 | hdr->leaf[2];
	counter = be32_to_cpu(hdr->counter);
	e = mlsdco_epoch_by_tag(mdev, hdr->tag);
	if (!e) {
		mlsdco_event_unknown_sender(mdev, hdr->tag, 0, 0, skb);
		mlsdco_rx_drop(mdev, skb, &mdev->counters,
			       MLSDCO_CTR_UNKNOWN_TAGS);
		return;
	}
	rk = mlsdco_epoch_rx_key(e, leaf);
	/* The epoch keeps the keys of a member deleted since it was
	 * installed; without a member entry the sender is unknown all the
	 * same, and the agent is told (the MLS Remove may be pending).
	 */
	sender = rk ? rcu_dereference(rk->member) : NULL;
	if (!sender) {
		mlsdco_event_unknown_sender(mdev, NULL, e->group->id, leaf, skb);
		mlsdco_rx_drop(mdev, skb, &e->group->counters,
			       MLSDCO_CTR_UNKNOWN_TAGS);
		return;
	}
	err = mlsdco_decrypt(rk->tfm, rk->nonce, counter, skb,
			     &e->crypt_pending);
	if (err == -EINPROGRESS) {
		/* The async completion frees the packet. */
		mlsdco_stats_rx_dropped(mdev->dev);
		return;
	}
	if (err) {
		mlsdco_rx_drop(mdev, skb, &e->group->counters,
			       MLSDCO_CTR_DECRYPT_FAILURES);
		return;
	}
	if (!mlsdco_replay_check_and_set(&rk->replay, counter)) {
		mlsdco_rx_drop(mdev, skb, &e->group->counters,
			       MLSDCO_CTR_REPLAYS);
		return;
	}
	mlsdco_epoch_confirmed(e, leaf);
	mlsdco_roam(sender, skb);
	__skb_pull(skb, MLSDCO_HDR_LEN);
	pskb_trim(skb, skb->len - MLSDCO_AUTH_TAG_LEN);
	if (!skb->len) {
		mlsdco_count(&sender->counters, MLSDCO_CTR_RX_KEEPALIVES, 1);
		mlsdco_count(&e->group->counters, MLSDCO_CTR_RX_KEEPALIVES, 1);
		consume_skb(skb);
		return;
	}
	mlsdco_deliver(mdev, sender, skb);
}

/*
 * Returns 0 when the packet was ours (consumed), 1 to hand it back to
 * the UDP socket (never: the socket has no reader).
 */
int mlsdco_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct mlsdco_dev *mdev = rcu_dereference_sk_user_data(sk);
	unsigned int off;

	if (!mdev) {
		kfree_skb(skb);
		return 0;
	}
	off = skb_transport_offset(skb) + sizeof(struct udphdr);
	if (skb->len < off + MLSDCO_HDR_LEN + MLSDCO_AUTH_TAG_LEN ||
	    skb_linearize_cow(skb)) {
		mlsdco_rx_drop(mdev, skb, NULL, 0);
		return 0;
	}
	/* The outer headers stay readable (events name the source). */
	__skb_pull(skb, off);
	mlsdco_receive(mdev, skb);
	return 0;
}
