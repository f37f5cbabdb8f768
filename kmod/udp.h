/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device's UDP sockets (IPv4 and IPv6) in its creating namespace.
 */

#ifndef _MLSDCO_UDP_H
#define _MLSDCO_UDP_H

#include <linux/types.h>

struct mlsdco_dev;
struct sk_buff;
struct sock;

int mlsdco_udp_open(struct mlsdco_dev *mdev, u16 port);
void mlsdco_udp_close(struct mlsdco_dev *mdev);
int mlsdco_udp_encap_recv(struct sock *sk, struct sk_buff *skb);

#endif /* _MLSDCO_UDP_H */
