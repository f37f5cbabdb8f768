/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Packet paths: transmit (send.c) and receive (receive.c).
 */

#ifndef _MLSDCO_PACKET_H
#define _MLSDCO_PACKET_H

#include <linux/netdevice.h>

struct mlsdco_dev;

netdev_tx_t mlsdco_xmit(struct sk_buff *skb, struct net_device *dev);

int mlsdco_routes_alloc(struct mlsdco_dev *mdev);
void mlsdco_routes_flush(struct mlsdco_dev *mdev);
void mlsdco_routes_free(struct mlsdco_dev *mdev);

#endif /* _MLSDCO_PACKET_H */
