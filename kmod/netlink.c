// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic netlink family "mlsdco". Policies and operations follow
 * netlink/mlsdco.yaml: each operation validates strictly against a policy
 * holding only the attributes its request may carry.
 */

#include <linux/mlsdco.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "device.h"
#include "netlink.h"
#include "netlink_group.h"
#include "stats.h"
#include "udp.h"

static const struct nla_policy mlsdco_dev_get_nl_policy[MLSDCO_A_IFNAME + 1] = {
	[MLSDCO_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[MLSDCO_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

/* Counters are 32 bits on the wire: at most 2^32 packets per key. */
static struct netlink_range_validation mlsdco_hard_limit_range = {
	.max = 1ULL << 32,
};

static const struct nla_policy mlsdco_dev_set_nl_policy[MLSDCO_A_HARD_LIMIT + 1] = {
	[MLSDCO_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[MLSDCO_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[MLSDCO_A_LISTEN_PORT]	= { .type = NLA_U16 },
	[MLSDCO_A_SOFT_LIMIT]	= { .type = NLA_U64 },
	[MLSDCO_A_HARD_LIMIT]	= NLA_POLICY_FULL_RANGE(NLA_U64, &mlsdco_hard_limit_range),
};

/*
 * Resolve the device a request names by ifindex and/or ifname, in the
 * requester's namespace. Returns it with a reference held.
 */
struct net_device *mlsdco_nl_dev_from_attrs(struct net *net,
					    struct nlattr **attrs,
					    struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[MLSDCO_A_IFINDEX];
	struct nlattr *ifname = attrs[MLSDCO_A_IFNAME];
	struct nlattr *selector = ifindex ?: ifname;
	struct net_device *dev;

	if (!selector) {
		NL_SET_ERR_MSG(extack, "ifindex or ifname is required");
		NL_SET_ERR_ATTR_MISS(extack, NULL, MLSDCO_A_IFINDEX);
		return ERR_PTR(-EINVAL);
	}

	if (ifindex)
		dev = dev_get_by_index(net, nla_get_u32(ifindex));
	else
		dev = dev_get_by_name(net, nla_data(ifname));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, selector,
				    "no such device in this network namespace");
		return ERR_PTR(-ENODEV);
	}

	if (ifindex && ifname && nla_strcmp(ifname, dev->name)) {
		NL_SET_ERR_MSG_ATTR(extack, ifname,
				    "ifname does not match ifindex");
		dev_put(dev);
		return ERR_PTR(-EINVAL);
	}

	if (!mlsdco_dev_is_mlsdco(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, selector,
				    "device is not an mlsdco device");
		dev_put(dev);
		return ERR_PTR(-ENODEV);
	}

	return dev;
}

static int mlsdco_nl_dev_fill(struct sk_buff *skb, struct net_device *dev,
			      struct netlink_callback *cb, u32 portid, u32 seq,
			      int flags)
{
	struct mlsdco_dev *mdev = netdev_priv(dev);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mlsdco_nl_family, flags,
			  MLSDCO_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, MLSDCO_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, MLSDCO_A_IFNAME, dev->name) ||
	    nla_put_u16(skb, MLSDCO_A_LISTEN_PORT,
			READ_ONCE(mdev->listen_port)) ||
	    nla_put_u64_64bit(skb, MLSDCO_A_SOFT_LIMIT,
			      READ_ONCE(mdev->soft_limit), MLSDCO_A_PAD) ||
	    nla_put_u64_64bit(skb, MLSDCO_A_HARD_LIMIT,
			      READ_ONCE(mdev->hard_limit), MLSDCO_A_PAD) ||
	    mlsdco_counters_put(skb, MLSDCO_A_STATS, &mdev->counters)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

static int mlsdco_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	/* RTNL keeps the name stable while it is copied out. */
	rtnl_lock();
	dev = mlsdco_nl_dev_from_attrs(genl_info_net(info), info->attrs,
				       info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err_unlock;
	}
	err = mlsdco_nl_dev_fill(msg, dev, NULL, info->snd_portid,
				 info->snd_seq, 0);
	dev_put(dev);
	if (err)
		goto err_unlock;
	rtnl_unlock();

	return genlmsg_reply(msg, info);

err_unlock:
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

/*
 * The dump lists every device of the namespace, so selectors make no sense.
 * Checked on the first round of the dump rather than in .start, because
 * 6.1 gives .start no extack to explain the rejection with.
 */
static int mlsdco_nl_dev_dump_check(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *attr = info->attrs[MLSDCO_A_IFINDEX] ?:
			      info->attrs[MLSDCO_A_IFNAME];

	if (attr) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr,
				    "a dump takes no device selector");
		return -EINVAL;
	}
	return 0;
}

static int mlsdco_nl_dev_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long *skip = &cb->args[0];
	struct net_device *dev;
	long idx = 0;
	int err;

	if (!*skip) {
		err = mlsdco_nl_dev_dump_check(cb);
		if (err)
			return err;
	}

	rtnl_lock();
	/* Devices added or removed between rounds shift the resume index;
	 * flag such a dump (NLM_F_DUMP_INTR) instead of silently skipping.
	 */
	cb->seq = net->dev_base_seq;
	err = 0;
	for_each_netdev(net, dev) {
		if (!mlsdco_dev_is_mlsdco(dev))
			continue;
		if (idx++ < *skip)
			continue;
		err = mlsdco_nl_dev_fill(skb, dev, cb,
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err) {
			idx--;
			break;
		}
	}
	rtnl_unlock();

	*skip = idx;
	/* A full skb ends this round; the core calls again to continue. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/*
 * The socket lives in the namespace that created the device, even after
 * the device moved to another one: binding a port there needs
 * CAP_NET_ADMIN over that namespace's user namespace, not only over the
 * one the request came from (a container handed the device must not open
 * ports on the host). As WireGuard does for its listen port.
 */
static int mlsdco_nl_may_bind(struct sk_buff *skb, struct mlsdco_dev *mdev,
			      struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	struct net *net;
	bool ok;

	rcu_read_lock();
	net = rcu_dereference(mdev->creating_net);
	ok = net && netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
	rcu_read_unlock();
	if (ok)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "listen-port needs CAP_NET_ADMIN in the namespace that created the device");
	return -EPERM;
}

/* Rebinding keeps the old port if the new one cannot be bound. */
static int mlsdco_nl_rebind(struct mlsdco_dev *mdev, u16 port,
			    struct nlattr *attr, struct netlink_ext_ack *extack)
{
	u16 old = mdev->listen_port;
	int err = 0;

	rtnl_lock();
	if (netif_running(mdev->dev)) {
		err = mlsdco_udp_open(mdev, port);
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "cannot bind the UDP port");
			mlsdco_udp_open(mdev, old);
		}
	}
	if (!err)
		WRITE_ONCE(mdev->listen_port, port);
	rtnl_unlock();
	return err;
}

static int mlsdco_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *port = info->attrs[MLSDCO_A_LISTEN_PORT];
	struct nlattr *soft = info->attrs[MLSDCO_A_SOFT_LIMIT];
	struct nlattr *hard = info->attrs[MLSDCO_A_HARD_LIMIT];
	struct mlsdco_dev *mdev;
	struct net_device *dev;
	int err = 0;

	if (!port && !soft && !hard) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: listen-port is missing");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, MLSDCO_A_LISTEN_PORT);
		return -EINVAL;
	}

	dev = mlsdco_nl_dev_from_attrs(genl_info_net(info), info->attrs,
				       info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	mdev = netdev_priv(dev);

	if (port)
		err = mlsdco_nl_may_bind(skb, mdev, port, info->extack) ?:
		      mlsdco_nl_rebind(mdev, nla_get_u16(port), port,
				       info->extack);
	if (!err) {
		mutex_lock(&mdev->conf_lock);
		if (soft)
			WRITE_ONCE(mdev->soft_limit, nla_get_u64(soft));
		if (hard)
			WRITE_ONCE(mdev->hard_limit, nla_get_u64(hard));
		mutex_unlock(&mdev->conf_lock);
	}

	dev_put(dev);
	return err;
}

static const struct genl_ops mlsdco_nl_ops[] = {
	{
		.cmd		= MLSDCO_CMD_DEV_GET,
		.doit		= mlsdco_nl_dev_get_doit,
		.dumpit		= mlsdco_nl_dev_get_dumpit,
		.policy		= mlsdco_dev_get_nl_policy,
		.maxattr	= MLSDCO_A_IFNAME,
		/* Reading needs CAP_NET_ADMIN too: the replies carry
		 * endpoints, allowed IPs, epochs and counters.
		 */
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_DEV_SET,
		.doit		= mlsdco_nl_dev_set_doit,
		.policy		= mlsdco_dev_set_nl_policy,
		.maxattr	= MLSDCO_A_HARD_LIMIT,
		/* CAP_NET_ADMIN over the namespace's user namespace, as for
		 * "ip link": whoever may create the device may configure it.
		 */
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_GROUP_NEW,
		.doit		= mlsdco_nl_group_new_doit,
		.policy		= mlsdco_group_new_nl_policy,
		.maxattr	= MLSDCO_A_RELAY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_GROUP_DEL,
		.doit		= mlsdco_nl_group_del_doit,
		.policy		= mlsdco_group_del_nl_policy,
		.maxattr	= MLSDCO_A_GROUP_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_GROUP_GET,
		.doit		= mlsdco_nl_group_get_doit,
		.dumpit		= mlsdco_nl_group_get_dumpit,
		.policy		= mlsdco_group_get_nl_policy,
		.maxattr	= MLSDCO_A_GROUP_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_MEMBER_SET,
		.doit		= mlsdco_nl_member_set_doit,
		.policy		= mlsdco_member_set_nl_policy,
		.maxattr	= MLSDCO_A_ENDPOINT_FIXED,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_MEMBER_DEL,
		.doit		= mlsdco_nl_member_del_doit,
		.policy		= mlsdco_member_del_nl_policy,
		.maxattr	= MLSDCO_A_LEAF,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_EPOCH_NEW,
		.doit		= mlsdco_nl_epoch_new_doit,
		.policy		= mlsdco_epoch_new_nl_policy,
		.maxattr	= MLSDCO_A_GRACE_MS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_EPOCH_SWAP,
		.doit		= mlsdco_nl_epoch_swap_doit,
		.policy		= mlsdco_epoch_swap_nl_policy,
		.maxattr	= MLSDCO_A_GROUP_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_EPOCH_DEL,
		.doit		= mlsdco_nl_epoch_del_doit,
		.policy		= mlsdco_epoch_del_nl_policy,
		.maxattr	= MLSDCO_A_EPOCH,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= MLSDCO_CMD_GROUP_SET,
		.doit		= mlsdco_nl_group_set_doit,
		.policy		= mlsdco_group_set_nl_policy,
		.maxattr	= MLSDCO_A_RELAY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group mlsdco_nl_mcgrps[] = {
	/* Events name groups, epochs and senders' addresses: subscribing
	 * needs CAP_NET_ADMIN over the namespace's user namespace, as the
	 * commands that read the same state do.
	 */
	[MLSDCO_NL_MCGRP_EVENTS] = { .name = MLSDCO_MCGRP_EVENTS,
				     .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family mlsdco_nl_family __ro_after_init = {
	.name		= MLSDCO_FAMILY_NAME,
	.version	= MLSDCO_FAMILY_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= mlsdco_nl_ops,
	.n_ops		= ARRAY_SIZE(mlsdco_nl_ops),
	.mcgrps		= mlsdco_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(mlsdco_nl_mcgrps),
};

int __init mlsdco_nl_register(void)
{
	return genl_register_family(&mlsdco_nl_family);
}

void mlsdco_nl_unregister(void)
{
	genl_unregister_family(&mlsdco_nl_family);
}
