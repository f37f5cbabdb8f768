/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mlsdco net_device: a layer-3 point-to-point tunnel and its link kind.
 */

#ifndef _MLSDCO_DEVICE_H
#define _MLSDCO_DEVICE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct net;
struct net_device;

#define MLSDCO_LINK_KIND "mlsdco"

/**
 * struct mlsdco_dev - private state of one mlsdco device
 * @dev: the net_device this state belongs to
 * @creating_net: namespace the device was created in; its UDP socket lives
 *	there even after the device moves to another namespace. Not
 *	refcounted (that would pin the namespace forever): the pernet
 *	pre_exit hook clears it when that namespace goes away.
 * @conf_lock: serialises configuration changes made over netlink
 * @listen_port: UDP port requested by userspace, host order, 0 = any
 * @dev_list: entry in the module-wide device list, protected by RTNL
 */
struct mlsdco_dev {
	struct net_device *dev;
	struct net __rcu *creating_net;
	struct mutex conf_lock;	/* see @conf_lock above */
	u16 listen_port;
	struct list_head dev_list;
};

bool mlsdco_dev_is_mlsdco(const struct net_device *dev);

int mlsdco_device_init(void);
void mlsdco_device_uninit(void);

#endif /* _MLSDCO_DEVICE_H */
