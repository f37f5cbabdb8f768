/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Packet paths: transmit (send.c) and receive (receive.c).
 */

#ifndef _MLSDCO_PACKET_H
#define _MLSDCO_PACKET_H

#include <linux/netdevice.h>

netdev_tx_t mlsdco_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _MLSDCO_PACKET_H */
