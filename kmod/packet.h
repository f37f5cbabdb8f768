/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Packet paths: transmit (send.c) and receive (receive.c).
 */

#ifndef _MLSDCO_PACKET_H
#define _MLSDCO_PACKET_H

#include <linux/netdevice.h>

struct mlsdco_dev;
struct mlsdco_member;

netdev_tx_t mlsdco_xmit(struct sk_buff *skb, struct net_device *dev);
void mlsdco_send_keepalive(struct mlsdco_dev *mdev, struct mlsdco_member *m);

#endif /* _MLSDCO_PACKET_H */
