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

static inline void mlsdco_stats_tx_dropped(struct net_device *dev)
{
	struct pcpu_dstats *dstats = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&dstats->syncp);
	dstats->tx_drops++;
	u64_stats_update_end(&dstats->syncp);
}

void mlsdco_stats_fold(struct net_device *dev, struct rtnl_link_stats64 *stats);

#endif /* _MLSDCO_STATS_H */
