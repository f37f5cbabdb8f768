/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU packet counters of an mlsdco device. The core allocates them
 * (pcpu_stat_type = NETDEV_PCPU_STAT_DSTATS); these helpers keep the fast
 * path free of shared cache lines, and are the one place to touch when the
 * kernel's dstats layout changes (it became u64_stats_t after 6.1).
 */

#ifndef _MLSDCO_STATS_H
#define _MLSDCO_STATS_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/atomic.h>
#include <linux/mlsdco.h>

/* Indexes follow the "stats" nest of the netlink spec (attribute - 1). */
enum mlsdco_counter {
	MLSDCO_CTR_RX_PACKETS = MLSDCO_A_STATS_RX_PACKETS - 1,
	MLSDCO_CTR_RX_BYTES = MLSDCO_A_STATS_RX_BYTES - 1,
	MLSDCO_CTR_TX_PACKETS = MLSDCO_A_STATS_TX_PACKETS - 1,
	MLSDCO_CTR_TX_BYTES = MLSDCO_A_STATS_TX_BYTES - 1,
	MLSDCO_CTR_DECRYPT_FAILURES = MLSDCO_A_STATS_DECRYPT_FAILURES - 1,
	MLSDCO_CTR_REPLAYS = MLSDCO_A_STATS_REPLAYS - 1,
	MLSDCO_CTR_UNKNOWN_TAGS = MLSDCO_A_STATS_UNKNOWN_TAGS - 1,
	MLSDCO_CTR_NO_ROUTE = MLSDCO_A_STATS_NO_ROUTE - 1,
	MLSDCO_CTR_EXHAUSTED = MLSDCO_A_STATS_EXHAUSTED - 1,
	MLSDCO_CTR_BAD_SOURCE = MLSDCO_A_STATS_BAD_SOURCE - 1,
	/* MLSDCO_A_STATS_PAD - 1 is not a counter (never counted nor sent) */
	MLSDCO_CTR_RX_KEEPALIVES = MLSDCO_A_STATS_RX_KEEPALIVES - 1,
	MLSDCO_CTR_TX_KEEPALIVES = MLSDCO_A_STATS_TX_KEEPALIVES - 1,
	MLSDCO_CTR_NUM = MLSDCO_A_STATS_MAX,
};

/* Group and member counters: shared atomics are good enough until the
 * per-CPU variant is measured to matter.
 */
struct mlsdco_counters {
	atomic64_t c[MLSDCO_CTR_NUM];
};

static inline void mlsdco_count(struct mlsdco_counters *ctr,
				enum mlsdco_counter which, u64 n)
{
	if (ctr)
		atomic64_add(n, &ctr->c[which]);
}

static inline void mlsdco_stats_rx(struct net_device *dev, unsigned int len)
{
	struct pcpu_dstats *dstats = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&dstats->syncp);
	dstats->rx_packets++;
	dstats->rx_bytes += len;
	u64_stats_update_end(&dstats->syncp);
}

static inline void mlsdco_stats_tx(struct net_device *dev, unsigned int len)
{
	struct pcpu_dstats *dstats = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&dstats->syncp);
	dstats->tx_packets++;
	dstats->tx_bytes += len;
	u64_stats_update_end(&dstats->syncp);
}

static inline void mlsdco_stats_rx_dropped(struct net_device *dev)
{
	struct pcpu_dstats *dstats = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&dstats->syncp);
	dstats->rx_drops++;
	u64_stats_update_end(&dstats->syncp);
}

static inline void mlsdco_stats_tx_dropped(struct net_device *dev)
{
	struct pcpu_dstats *dstats = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&dstats->syncp);
	dstats->tx_drops++;
	u64_stats_update_end(&dstats->syncp);
}

void mlsdco_stats_fold(struct net_device *dev, struct rtnl_link_stats64 *stats);
void mlsdco_stats_fold_errors(const struct mlsdco_counters *errors,
			      struct rtnl_link_stats64 *stats);
int mlsdco_counters_put(struct sk_buff *skb, int attr,
			const struct mlsdco_counters *ctr);

#endif /* _MLSDCO_STATS_H */
