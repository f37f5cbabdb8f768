// SPDX-License-Identifier: GPL-2.0-only
/*
 * Folding of the per-CPU counters for ndo_get_stats64.
 */

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>

#include <net/netlink.h>

#include "stats.h"

int mlsdco_counters_put(struct sk_buff *skb, int attr,
			const struct mlsdco_counters *ctr)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < MLSDCO_CTR_NUM; i++) {
		if (i + 1 == MLSDCO_A_STATS_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i + 1, atomic64_read(&ctr->c[i]),
				      MLSDCO_A_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

void mlsdco_stats_fold(struct net_device *dev, struct rtnl_link_stats64 *stats)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct pcpu_dstats *dstats = per_cpu_ptr(dev->dstats, cpu);
		u64 rx_packets, rx_bytes, rx_drops;
		u64 tx_packets, tx_bytes, tx_drops;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&dstats->syncp);
			rx_packets = dstats->rx_packets;
			rx_bytes = dstats->rx_bytes;
			rx_drops = dstats->rx_drops;
			tx_packets = dstats->tx_packets;
			tx_bytes = dstats->tx_bytes;
			tx_drops = dstats->tx_drops;
		} while (u64_stats_fetch_retry(&dstats->syncp, start));

		stats->rx_packets += rx_packets;
		stats->rx_bytes += rx_bytes;
		stats->rx_dropped += rx_drops;
		stats->tx_packets += tx_packets;
		stats->tx_bytes += tx_bytes;
		stats->tx_dropped += tx_drops;
	}
}

/*
 * The drops by kind as the interface's error counters (ip -s -s link),
 * named as WireGuard names its own where there is a match: a source
 * outside the sender's allowed IPs is a frame error, an AEAD tag that
 * does not verify a CRC error; on TX, nowhere to send (no member,
 * endpoint or epoch) a carrier error, an exhausted key an aborted packet.
 * Replays and unknown tags count in rx_errors only. Each of these packets
 * is also in rx_dropped / tx_dropped (dstats), as before.
 */
void mlsdco_stats_fold_errors(const struct mlsdco_counters *errors,
			      struct rtnl_link_stats64 *stats)
{
	u64 decrypt = atomic64_read(&errors->c[MLSDCO_CTR_DECRYPT_FAILURES]);
	u64 source = atomic64_read(&errors->c[MLSDCO_CTR_BAD_SOURCE]);
	u64 no_route = atomic64_read(&errors->c[MLSDCO_CTR_NO_ROUTE]);
	u64 exhausted = atomic64_read(&errors->c[MLSDCO_CTR_EXHAUSTED]);

	stats->rx_crc_errors += decrypt;
	stats->rx_frame_errors += source;
	stats->rx_errors += decrypt + source +
		atomic64_read(&errors->c[MLSDCO_CTR_REPLAYS]) +
		atomic64_read(&errors->c[MLSDCO_CTR_UNKNOWN_TAGS]);
	stats->tx_carrier_errors += no_route;
	stats->tx_aborted_errors += exhausted;
	stats->tx_errors += no_route + exhausted;
}
