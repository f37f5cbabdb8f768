// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive: UDP encap_rcv -> epoch by tag -> sender key by leaf -> decrypt
 * -> replay window (after authentication only) -> inner source must be in
 * the sender's allowed IPs -> GRO -> stack.
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

/* @skb holds the decrypted inner packet at skb->data. */
static void mlsdco_deliver(struct mlsdco_dev *mdev, struct mlsdco_epoch *e,
			   u32 leaf, struct sk_buff *skb)
{
	struct mlsdco_group *g = e->group, *src_group = NULL;
	struct mlsdco_member *m;
	const void *saddr;
	u16 family;

	skb_reset_network_header(skb);
	family = mlsdco_inner_src(skb, &saddr);
	m = family ? mlsdco_allowedips_lookup(mdev, family, saddr, &src_group) :
		     NULL;
	/* A member may only speak for the addresses it was given. */
	if (!m || src_group != g || m->leaf != leaf) {
		mlsdco_rx_drop(mdev, skb, &g->counters, MLSDCO_CTR_BAD_SOURCE);
		return;
	}
	mlsdco_count(&m->counters, MLSDCO_CTR_RX_PACKETS, 1);
	mlsdco_count(&m->counters, MLSDCO_CTR_RX_BYTES, skb->len);
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

static void mlsdco_receive(struct mlsdco_dev *mdev, struct sk_buff *skb)
{
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
	if (!rk || READ_ONCE(rk->member_gone)) {
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
	__skb_pull(skb, MLSDCO_HDR_LEN);
	pskb_trim(skb, skb->len - MLSDCO_AUTH_TAG_LEN);
	mlsdco_deliver(mdev, e, leaf, skb);
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
