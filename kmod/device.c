// SPDX-License-Identifier: GPL-2.0-only
/*
 * mlsdco net_device and rtnl link kind ("ip link add NAME type mlsdco").
 */

#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "crypto.h"
#include "device.h"
#include "group.h"
#include "keepalive.h"
#include "messages.h"
#include "packet.h"
#include "stats.h"
#include "udp.h"

/* Every mlsdco device in every namespace, for the pernet exit hook. */
static LIST_HEAD(mlsdco_dev_list);

static int mlsdco_dev_init(struct net_device *dev)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);
	int err;

	ASSERT_RTNL();
	err = gro_cells_init(&mdev->gro_cells, dev);
	if (err)
		return err;
	list_add(&mdev->dev_list, &mlsdco_dev_list);
	return 0;
}

/* Runs on every unregister path (dellink, netns exit, module unload). */
static void mlsdco_dev_uninit(struct net_device *dev)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);

	ASSERT_RTNL();
	list_del(&mdev->dev_list);
	mlsdco_udp_close(mdev);
	mlsdco_groups_flush(mdev);
	mlsdco_keepalive_stop(mdev);
	gro_cells_destroy(&mdev->gro_cells);
}

/* The sockets exist while the device is up, like WireGuard's. */
static int mlsdco_open(struct net_device *dev)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);

	if (rtnl_dereference(mdev->sock4))
		return 0;
	return mlsdco_udp_open(mdev, READ_ONCE(mdev->listen_port));
}

static int mlsdco_stop(struct net_device *dev)
{
	mlsdco_udp_close(netdev_priv(dev));
	return 0;
}

static void mlsdco_get_stats64(struct net_device *dev,
			       struct rtnl_link_stats64 *stats)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);

	netdev_stats_to_stats64(stats, &dev->stats);
	mlsdco_stats_fold(dev, stats);
	mlsdco_stats_fold_errors(&mdev->errors, stats);
}

static const struct net_device_ops mlsdco_netdev_ops = {
	.ndo_init		= mlsdco_dev_init,
	.ndo_uninit		= mlsdco_dev_uninit,
	.ndo_open		= mlsdco_open,
	.ndo_stop		= mlsdco_stop,
	.ndo_start_xmit		= mlsdco_xmit,
	.ndo_get_stats64	= mlsdco_get_stats64,
};

static void mlsdco_setup(struct net_device *dev)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);

	mdev->dev = dev;
	mutex_init(&mdev->conf_lock);
	spin_lock_init(&mdev->epoch_lock);
	INIT_LIST_HEAD(&mdev->dev_list);
	INIT_LIST_HEAD(&mdev->groups);
	hash_init(mdev->tags);
	mlsdco_event_limit_init(&mdev->no_route_limit);
	mlsdco_keepalive_init(mdev);

	dev->netdev_ops = &mlsdco_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	/* No netpoll (netconsole): the crypto scratch is per CPU and assumes
	 * one packet at a time with bottom halves off, which a netpoll
	 * transmit from hard IRQ context would break.
	 */
	dev->priv_flags |= IFF_DISABLE_NETPOLL;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + MLSDCO_ENCAP_OVERHEAD -
			       MLSDCO_AUTH_TAG_LEN;
	dev->needed_tailroom = MLSDCO_AUTH_TAG_LEN;
	dev->mtu = ETH_DATA_LEN - MLSDCO_ENCAP_OVERHEAD;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - MLSDCO_ENCAP_OVERHEAD;
	/* The transmit path keeps no per-device lock. */
	dev->features |= NETIF_F_LLTX;
	/* GSO and checksums are done in software right before encryption. */
	dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE |
			 NETIF_F_HIGHDMA;
	dev->hw_features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_DSTATS;
	dev->needs_free_netdev = true;
	/* NETIF_F_NETNS_LOCAL stays clear on purpose: like WireGuard, the
	 * device may move to another namespace while its socket stays in
	 * the one that created it.
	 */
	netif_keep_dst(dev);
}

static int mlsdco_newlink(struct net *src_net, struct net_device *dev,
			  struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);

	rcu_assign_pointer(mdev->creating_net, src_net);
	return register_netdevice(dev);
}

static struct rtnl_link_ops mlsdco_link_ops __read_mostly = {
	.kind		= MLSDCO_LINK_KIND,
	.priv_size	= sizeof(struct mlsdco_dev),
	.setup		= mlsdco_setup,
	.newlink	= mlsdco_newlink,
	.dellink	= unregister_netdevice_queue,
};

bool mlsdco_dev_is_mlsdco(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &mlsdco_link_ops;
}

/*
 * Devices living in a dying namespace are deleted by the core (our link
 * ops have dellink). Devices that moved away from it lose the namespace
 * their socket lives in: they stay, without carrier, until deleted.
 */
static void mlsdco_netns_pre_exit(struct net *net)
{
	struct mlsdco_dev *mdev;

	rtnl_lock();
	list_for_each_entry(mdev, &mlsdco_dev_list, dev_list) {
		if (rcu_access_pointer(mdev->creating_net) != net)
			continue;
		netif_carrier_off(mdev->dev);
		mlsdco_udp_close(mdev);
		RCU_INIT_POINTER(mdev->creating_net, NULL);
	}
	rtnl_unlock();
}

static struct pernet_operations mlsdco_net_ops = {
	.pre_exit = mlsdco_netns_pre_exit,
};

int mlsdco_device_init(void)
{
	int err;

	err = register_pernet_device(&mlsdco_net_ops);
	if (err)
		return err;

	err = rtnl_link_register(&mlsdco_link_ops);
	if (err)
		goto err_pernet;

	return 0;

err_pernet:
	unregister_pernet_device(&mlsdco_net_ops);
	return err;
}

void mlsdco_device_uninit(void)
{
	rtnl_link_unregister(&mlsdco_link_ops);
	unregister_pernet_device(&mlsdco_net_ops);
	mlsdco_crypto_uninit();
}
