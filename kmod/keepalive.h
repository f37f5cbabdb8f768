/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Keepalives: an empty authenticated packet to every member that has had
 * nothing from us for its keepalive interval (NAT mappings, and the relay
 * learns where each sender is).
 */

#ifndef _MLSDCO_KEEPALIVE_H
#define _MLSDCO_KEEPALIVE_H

struct mlsdco_dev;

void mlsdco_keepalive_init(struct mlsdco_dev *mdev);
void mlsdco_keepalive_arm(struct mlsdco_dev *mdev);
void mlsdco_keepalive_stop(struct mlsdco_dev *mdev);

#endif /* _MLSDCO_KEEPALIVE_H */
