// SPDX-License-Identifier: GPL-2.0-only
/*
 * Netlink commands for groups, members and epochs. Every change runs under
 * the device's conf_lock; keys are only ever written, never reported.
 */

#include <linux/mlsdco.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "device.h"
#include "epoch.h"
#include "group.h"
#include "messages.h"
#include "netlink.h"
#include "netlink_group.h"

#define MLSDCO_DEV_SELECTOR \
	[MLSDCO_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1), \
	[MLSDCO_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

static struct netlink_range_validation mlsdco_leaf_range = {
	.max = MLSDCO_MAX_LEAF,
};

static const struct nla_policy mlsdco_endpoint_nl_policy[MLSDCO_A_ENDPOINT_PORT + 1] = {
	[MLSDCO_A_ENDPOINT_IPV4]	= { .type = NLA_BE32 },
	[MLSDCO_A_ENDPOINT_IPV6]	= NLA_POLICY_EXACT_LEN(16),
	[MLSDCO_A_ENDPOINT_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy mlsdco_allowed_ip_nl_policy[MLSDCO_A_ALLOWED_IP_CIDR + 1] = {
	[MLSDCO_A_ALLOWED_IP_FAMILY]	= { .type = NLA_U16 },
	[MLSDCO_A_ALLOWED_IP_ADDR]	= { .type = NLA_BINARY, .len = 16 },
	[MLSDCO_A_ALLOWED_IP_CIDR]	= NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy mlsdco_rx_key_nl_policy[MLSDCO_A_RX_KEY_NONCE + 1] = {
	[MLSDCO_A_RX_KEY_LEAF]	= NLA_POLICY_FULL_RANGE(NLA_U32, &mlsdco_leaf_range),
	[MLSDCO_A_RX_KEY_KEY]	= { .type = NLA_BINARY, .len = MLSDCO_KEY_LEN },
	[MLSDCO_A_RX_KEY_NONCE]	= NLA_POLICY_EXACT_LEN(MLSDCO_NONCE_LEN),
};

const struct nla_policy mlsdco_group_new_nl_policy[MLSDCO_A_RELAY + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
	[MLSDCO_A_AEAD]		= NLA_POLICY_MAX(NLA_U32,
						 MLSDCO_AEAD_CHACHA20_POLY1305),
	[MLSDCO_A_OWN_LEAF]	= NLA_POLICY_FULL_RANGE(NLA_U32, &mlsdco_leaf_range),
	[MLSDCO_A_GROUP_FLAGS]	= { .type = NLA_U32 },
	[MLSDCO_A_RELAY]	= NLA_POLICY_NESTED(mlsdco_endpoint_nl_policy),
};

const struct nla_policy mlsdco_group_set_nl_policy[MLSDCO_A_RELAY + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
	[MLSDCO_A_GROUP_FLAGS]	= { .type = NLA_U32 },
	[MLSDCO_A_RELAY]	= NLA_POLICY_NESTED(mlsdco_endpoint_nl_policy),
};

const struct nla_policy mlsdco_group_del_nl_policy[MLSDCO_A_GROUP_ID + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
};

const struct nla_policy mlsdco_group_get_nl_policy[MLSDCO_A_GROUP_ID + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
};

const struct nla_policy mlsdco_member_set_nl_policy[MLSDCO_A_ENDPOINT_FIXED + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
	[MLSDCO_A_LEAF]		= NLA_POLICY_FULL_RANGE(NLA_U32, &mlsdco_leaf_range),
	[MLSDCO_A_ENDPOINT]	= NLA_POLICY_NESTED(mlsdco_endpoint_nl_policy),
	[MLSDCO_A_ALLOWED_IP]	= NLA_POLICY_NESTED(mlsdco_allowed_ip_nl_policy),
	[MLSDCO_A_PEER_ID]	= { .type = NLA_U32 },
	[MLSDCO_A_KEEPALIVE]	= { .type = NLA_U16 },
	[MLSDCO_A_ENDPOINT_FIXED] = { .type = NLA_FLAG },
};

const struct nla_policy mlsdco_member_del_nl_policy[MLSDCO_A_LEAF + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
	[MLSDCO_A_LEAF]		= NLA_POLICY_FULL_RANGE(NLA_U32, &mlsdco_leaf_range),
};

const struct nla_policy mlsdco_epoch_new_nl_policy[MLSDCO_A_GRACE_MS + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
	[MLSDCO_A_EPOCH]	= { .type = NLA_U64 },
	[MLSDCO_A_TAG]		= NLA_POLICY_EXACT_LEN(MLSDCO_TAG_LEN),
	[MLSDCO_A_TX_KEY]	= { .type = NLA_BINARY, .len = MLSDCO_KEY_LEN },
	[MLSDCO_A_TX_NONCE]	= NLA_POLICY_EXACT_LEN(MLSDCO_NONCE_LEN),
	[MLSDCO_A_RX_KEY]	= NLA_POLICY_NESTED(mlsdco_rx_key_nl_policy),
	[MLSDCO_A_GRACE_MS]	= { .type = NLA_U32 },
};

const struct nla_policy mlsdco_epoch_swap_nl_policy[MLSDCO_A_GROUP_ID + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
};

const struct nla_policy mlsdco_epoch_del_nl_policy[MLSDCO_A_EPOCH + 1] = {
	MLSDCO_DEV_SELECTOR,
	[MLSDCO_A_GROUP_ID]	= { .type = NLA_U32 },
	[MLSDCO_A_EPOCH]	= { .type = NLA_U64 },
};

static bool mlsdco_nl_require(struct genl_info *info, int attr,
			      const char *msg)
{
	if (info->attrs[attr])
		return true;
	/* NL_SET_ERR_MSG wants a literal; @msg always is one. */
	if (info->extack)
		info->extack->_msg = msg;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return false;
}

/*
 * Resolve the device and take its conf_lock; a device being unregistered
 * is refused so nothing is added after its groups were flushed.
 */
static struct mlsdco_dev *mlsdco_nl_lock(struct genl_info *info)
{
	struct net_device *dev;
	struct mlsdco_dev *mdev;

	dev = mlsdco_nl_dev_from_attrs(genl_info_net(info), info->attrs,
				       info->extack);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	mdev = netdev_priv(dev);
	mutex_lock(&mdev->conf_lock);
	if (dev->reg_state != NETREG_REGISTERED) {
		mutex_unlock(&mdev->conf_lock);
		dev_put(dev);
		NL_SET_ERR_MSG(info->extack, "device is going away");
		return ERR_PTR(-ENODEV);
	}
	return mdev;
}

static void mlsdco_nl_unlock(struct mlsdco_dev *mdev)
{
	mutex_unlock(&mdev->conf_lock);
	dev_put(mdev->dev);
}

static struct mlsdco_group *mlsdco_nl_group(struct mlsdco_dev *mdev,
					    struct genl_info *info)
{
	struct nlattr *id = info->attrs[MLSDCO_A_GROUP_ID];
	struct mlsdco_group *g;

	if (!mlsdco_nl_require(info, MLSDCO_A_GROUP_ID, "group-id is required"))
		return ERR_PTR(-EINVAL);
	g = mlsdco_group_find(mdev, nla_get_u32(id));
	if (!g) {
		NL_SET_ERR_MSG_ATTR(info->extack, id, "no such group");
		return ERR_PTR(-ENOENT);
	}
	return g;
}

static struct mlsdco_endpoint *mlsdco_nl_endpoint(struct nlattr *nest,
						  struct netlink_ext_ack *extack);

#define MLSDCO_GROUP_F_ALL	MLSDCO_GROUP_F_MULTICAST

/* group-flags, if given, into *@flags; unknown bits are refused. */
static int mlsdco_nl_group_flags(struct genl_info *info, u32 *flags)
{
	struct nlattr *attr = info->attrs[MLSDCO_A_GROUP_FLAGS];

	if (!attr)
		return 0;
	*flags = nla_get_u32(attr);
	if (*flags & ~MLSDCO_GROUP_F_ALL) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "unknown group-flags bits (known: multicast = 1)");
		return -EINVAL;
	}
	return 0;
}

/* The relay nest into *@relay: NULL when absent or empty (no relay). */
static int mlsdco_nl_relay(struct genl_info *info,
			   struct mlsdco_endpoint **relay)
{
	struct nlattr *attr = info->attrs[MLSDCO_A_RELAY];

	*relay = NULL;
	if (!attr || !nla_len(attr))
		return 0;
	*relay = mlsdco_nl_endpoint(attr, info->extack);
	if (IS_ERR(*relay)) {
		int err = PTR_ERR(*relay);

		*relay = NULL;
		return err;
	}
	return 0;
}

int mlsdco_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	/* Without flags a group carries multicast, as before flags existed. */
	struct mlsdco_group_params p = { .flags = MLSDCO_GROUP_F_MULTICAST };
	struct mlsdco_dev *mdev;
	int err;

	if (!mlsdco_nl_require(info, MLSDCO_A_GROUP_ID, "group-id is required") ||
	    !mlsdco_nl_require(info, MLSDCO_A_AEAD, "aead is required") ||
	    !mlsdco_nl_require(info, MLSDCO_A_OWN_LEAF, "own-leaf is required"))
		return -EINVAL;
	err = mlsdco_nl_group_flags(info, &p.flags) ?:
	      mlsdco_nl_relay(info, &p.relay);
	if (err)
		return err;
	p.id = nla_get_u32(info->attrs[MLSDCO_A_GROUP_ID]);
	p.aead = nla_get_u32(info->attrs[MLSDCO_A_AEAD]);
	p.own_leaf = nla_get_u32(info->attrs[MLSDCO_A_OWN_LEAF]);
	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev)) {
		err = PTR_ERR(mdev);
		goto out;
	}
	err = mlsdco_group_new(mdev, &p);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MLSDCO_A_GROUP_ID],
				    "group-id already exists on this device");
	mlsdco_nl_unlock(mdev);
out:
	mlsdco_endpoint_free(p.relay);
	return err;
}

/* group-set: the relay (absent or empty: none) and, if given, the flags. */
int mlsdco_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_endpoint *relay;
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;
	u32 flags = 0;
	int err;

	err = mlsdco_nl_group_flags(info, &flags) ?:
	      mlsdco_nl_relay(info, &relay);
	if (err)
		return err;
	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev)) {
		mlsdco_endpoint_free(relay);
		return PTR_ERR(mdev);
	}
	g = mlsdco_nl_group(mdev, info);
	if (IS_ERR(g)) {
		err = PTR_ERR(g);
		mlsdco_endpoint_free(relay);
	} else {
		mlsdco_group_set_relay(g, relay);
		if (info->attrs[MLSDCO_A_GROUP_FLAGS])
			WRITE_ONCE(g->flags, flags);
	}
	mlsdco_nl_unlock(mdev);
	return err;
}

int mlsdco_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;

	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	g = mlsdco_nl_group(mdev, info);
	if (!IS_ERR(g))
		mlsdco_group_del(g);
	mlsdco_nl_unlock(mdev);
	return PTR_ERR_OR_ZERO(g);
}

static int mlsdco_nl_put_endpoint(struct sk_buff *msg, int type,
				  const struct mlsdco_endpoint *ep)
{
	struct nlattr *nest;

	if (!ep)
		return 0;
	nest = nla_nest_start(msg, type);
	if (!nest)
		return -EMSGSIZE;
	if (ep->sa.sa_family == AF_INET) {
		if (nla_put_in_addr(msg, MLSDCO_A_ENDPOINT_IPV4,
				    ep->sin.sin_addr.s_addr) ||
		    nla_put_u16(msg, MLSDCO_A_ENDPOINT_PORT,
				ntohs(ep->sin.sin_port)))
			return -EMSGSIZE;
	} else if (nla_put_in6_addr(msg, MLSDCO_A_ENDPOINT_IPV6,
				    &ep->sin6.sin6_addr) ||
		   nla_put_u16(msg, MLSDCO_A_ENDPOINT_PORT,
			       ntohs(ep->sin6.sin6_port))) {
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int mlsdco_nl_put_prefixes(struct sk_buff *msg,
				  const struct mlsdco_prefixes *ps)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; ps && i < ps->n; i++) {
		const struct mlsdco_prefix *p = &ps->p[i];

		nest = nla_nest_start(msg, MLSDCO_A_MEMBER_ALLOWED_IP);
		if (!nest ||
		    nla_put_u16(msg, MLSDCO_A_ALLOWED_IP_FAMILY, p->family) ||
		    nla_put(msg, MLSDCO_A_ALLOWED_IP_ADDR,
			    p->family == AF_INET ? 4 : 16, &p->addr) ||
		    nla_put_u8(msg, MLSDCO_A_ALLOWED_IP_CIDR, p->cidr))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

/* The receive path may replace the endpoint (roaming): read it by RCU. */
static int mlsdco_nl_put_member_endpoint(struct sk_buff *msg,
					 struct mlsdco_member *m)
{
	int err;

	rcu_read_lock();
	err = mlsdco_nl_put_endpoint(msg, MLSDCO_A_MEMBER_ENDPOINT,
				     rcu_dereference(m->endpoint));
	rcu_read_unlock();
	return err;
}

static int mlsdco_nl_put_member(struct sk_buff *msg, struct mlsdco_member *m)
{
	struct mutex *lock = &m->group->mdev->conf_lock;
	const struct mlsdco_prefixes *ps;
	struct nlattr *nest;

	ps = rcu_dereference_protected(m->allowed_ips, lockdep_is_held(lock));
	nest = nla_nest_start(msg, MLSDCO_A_MEMBER);
	if (!nest ||
	    nla_put_u32(msg, MLSDCO_A_MEMBER_LEAF, m->leaf) ||
	    mlsdco_nl_put_member_endpoint(msg, m) ||
	    mlsdco_nl_put_prefixes(msg, ps) ||
	    mlsdco_counters_put(msg, MLSDCO_A_MEMBER_STATS, &m->counters) ||
	    nla_put_u32(msg, MLSDCO_A_MEMBER_PEER_ID, m->peer_id) ||
	    nla_put_u16(msg, MLSDCO_A_MEMBER_KEEPALIVE, m->keepalive_s) ||
	    (m->endpoint_fixed &&
	     nla_put_flag(msg, MLSDCO_A_MEMBER_ENDPOINT_FIXED)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int mlsdco_nl_put_epoch(struct sk_buff *msg, struct mlsdco_group *g,
			       struct mlsdco_epoch *e)
{
	struct nlattr *nest;
	u64 soft, hard;

	if (!e)
		return 0;
	mlsdco_epoch_limits(e, &soft, &hard);
	nest = nla_nest_start(msg, MLSDCO_A_EPOCH_INFO);
	if (!nest ||
	    nla_put_u64_64bit(msg, MLSDCO_A_EPOCH_INFO_EPOCH, e->number,
			      MLSDCO_A_EPOCH_INFO_PAD) ||
	    nla_put_u32(msg, MLSDCO_A_EPOCH_INFO_STATE,
			mlsdco_epoch_state(g, e)) ||
	    nla_put_u64_64bit(msg, MLSDCO_A_EPOCH_INFO_TX_COUNTER,
			      min_t(u64, atomic64_read(&e->tx_counter),
				    hard),
			      MLSDCO_A_EPOCH_INFO_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int mlsdco_nl_put_epochs(struct sk_buff *msg, struct mlsdco_group *g)
{
	spinlock_t *lock = &g->mdev->epoch_lock;
	struct mlsdco_epoch *cur, *next, *prev;
	int err;

	spin_lock_bh(lock);
	cur = rcu_dereference_protected(g->cur, lockdep_is_held(lock));
	next = rcu_dereference_protected(g->next, lockdep_is_held(lock));
	prev = rcu_dereference_protected(g->prev, lockdep_is_held(lock));
	err = mlsdco_nl_put_epoch(msg, g, cur) ?:
	      mlsdco_nl_put_epoch(msg, g, next) ?:
	      mlsdco_nl_put_epoch(msg, g, prev);
	spin_unlock_bh(lock);
	return err;
}

/*
 * Fill one message of group @g, members from *@member on. A group too big
 * for one message is continued in the next message of a dump: each message
 * repeats the ids, the first also carries stats and epochs, and *@member
 * says where the next one starts (0 once the group is complete). Returns
 * 0 when the group is complete, -EMSGSIZE when the message was ended
 * early (*@member > 0) or nothing fitted (message cancelled).
 */
static int mlsdco_nl_group_fill(struct sk_buff *msg, struct mlsdco_group *g,
				u32 portid, u32 seq, int flags, long *member)
{
	struct mlsdco_member *m;
	long i = 0, first = *member;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &mlsdco_nl_family, flags,
			  MLSDCO_CMD_GROUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, MLSDCO_A_IFINDEX, g->mdev->dev->ifindex) ||
	    nla_put_u32(msg, MLSDCO_A_GROUP_ID, g->id) ||
	    nla_put_u32(msg, MLSDCO_A_AEAD, g->aead) ||
	    nla_put_u32(msg, MLSDCO_A_OWN_LEAF, g->own_leaf) ||
	    nla_put_u32(msg, MLSDCO_A_GROUP_FLAGS, g->flags) ||
	    mlsdco_nl_put_endpoint(msg, MLSDCO_A_RELAY,
				   rcu_dereference_protected(g->relay,
							     lockdep_is_held(&g->mdev->conf_lock))))
		goto err;
	if (!first &&
	    (mlsdco_counters_put(msg, MLSDCO_A_STATS, &g->counters) ||
	     mlsdco_nl_put_epochs(msg, g)))
		goto err;
	list_for_each_entry(m, &g->members, node) {
		void *mark = nlmsg_get_pos(msg);

		if (i++ < first)
			continue;
		if (mlsdco_nl_put_member(msg, m)) {
			/* put_member leaves a half-written nest behind */
			nlmsg_trim(msg, mark);
			if (i - 1 == first)
				goto err;	/* not even one member fitted */
			*member = i - 1;
			genlmsg_end(msg, hdr);
			return -EMSGSIZE;
		}
	}
	*member = 0;
	genlmsg_end(msg, hdr);
	return 0;
err:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* Big enough for a few hundred members; larger groups need a dump. */
#define MLSDCO_GROUP_MSG_SIZE	(64 * 1024 - 512)

int mlsdco_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;
	struct sk_buff *msg;
	long member = 0;
	int err;

	/* A reply is one message: a group too big for it is read by dump. */
	msg = genlmsg_new(MLSDCO_GROUP_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev)) {
		nlmsg_free(msg);
		return PTR_ERR(mdev);
	}
	g = mlsdco_nl_group(mdev, info);
	err = IS_ERR(g) ? PTR_ERR(g) :
	      mlsdco_nl_group_fill(msg, g, info->snd_portid, info->snd_seq, 0,
				   &member);
	mlsdco_nl_unlock(mdev);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int mlsdco_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	long *skip = &cb->args[0];
	long *member = &cb->args[1];
	long *member_of = &cb->args[2];
	struct mlsdco_group *g;
	struct net_device *dev;
	struct mlsdco_dev *mdev;
	long idx = 0;
	int err = 0;

	dev = mlsdco_nl_dev_from_attrs(sock_net(skb->sk), info->attrs,
				       cb->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	mdev = netdev_priv(dev);
	mutex_lock(&mdev->conf_lock);
	list_for_each_entry(g, &mdev->groups, node) {
		if (idx++ < *skip)
			continue;
		/* the group we were halfway through was deleted meanwhile */
		if (*member && *member_of != g->id)
			*member = 0;
		err = mlsdco_nl_group_fill(skb, g, NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI,
					   member);
		if (err) {
			*member_of = g->id;
			idx--;
			break;
		}
	}
	mutex_unlock(&mdev->conf_lock);
	dev_put(dev);
	*skip = idx;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static struct mlsdco_endpoint *mlsdco_nl_endpoint(struct nlattr *nest,
						  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MLSDCO_A_ENDPOINT_PORT + 1];
	struct mlsdco_endpoint *ep;
	int err;

	err = nla_parse_nested(tb, MLSDCO_A_ENDPOINT_PORT, nest,
			       mlsdco_endpoint_nl_policy, extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[MLSDCO_A_ENDPOINT_PORT] ||
	    !tb[MLSDCO_A_ENDPOINT_IPV4] == !tb[MLSDCO_A_ENDPOINT_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "endpoint needs a port and exactly one of ipv4, ipv6");
		return ERR_PTR(-EINVAL);
	}
	ep = mlsdco_endpoint_new(GFP_KERNEL);
	if (!ep)
		return ERR_PTR(-ENOMEM);
	if (tb[MLSDCO_A_ENDPOINT_IPV4]) {
		ep->sin.sin_family = AF_INET;
		ep->sin.sin_addr.s_addr = nla_get_in_addr(tb[MLSDCO_A_ENDPOINT_IPV4]);
		ep->sin.sin_port = htons(nla_get_u16(tb[MLSDCO_A_ENDPOINT_PORT]));
	} else {
		ep->sin6.sin6_family = AF_INET6;
		ep->sin6.sin6_addr = nla_get_in6_addr(tb[MLSDCO_A_ENDPOINT_IPV6]);
		ep->sin6.sin6_port = htons(nla_get_u16(tb[MLSDCO_A_ENDPOINT_PORT]));
	}
	return ep;
}

static int mlsdco_nl_prefix(struct mlsdco_prefix *p, struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MLSDCO_A_ALLOWED_IP_CIDR + 1];
	struct nlattr *addr;
	int err;

	err = nla_parse_nested(tb, MLSDCO_A_ALLOWED_IP_CIDR, nest,
			       mlsdco_allowed_ip_nl_policy, extack);
	if (err)
		return err;
	addr = tb[MLSDCO_A_ALLOWED_IP_ADDR];
	if (!tb[MLSDCO_A_ALLOWED_IP_FAMILY] || !addr ||
	    !tb[MLSDCO_A_ALLOWED_IP_CIDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "allowed-ip needs family, addr and cidr");
		return -EINVAL;
	}
	err = mlsdco_prefix_init(p, nla_get_u16(tb[MLSDCO_A_ALLOWED_IP_FAMILY]),
				 nla_data(addr), nla_len(addr),
				 nla_get_u8(tb[MLSDCO_A_ALLOWED_IP_CIDR]));
	if (err)
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "allowed-ip: family must be AF_INET (4-byte addr, cidr <= 32) or AF_INET6 (16-byte addr, cidr <= 128)");
	return err ? -EINVAL : 0;
}

static unsigned int mlsdco_nl_count(struct genl_info *info, int type)
{
	unsigned int n = 0;
	struct nlattr *a;
	int rem;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		n += nla_type(a) == type;
	return n;
}

static struct mlsdco_prefixes *mlsdco_nl_prefixes(struct genl_info *info)
{
	unsigned int n = mlsdco_nl_count(info, MLSDCO_A_ALLOWED_IP);
	struct mlsdco_prefixes *ps;
	struct nlattr *a;
	int rem, err;

	if (!n)
		return NULL;
	ps = kzalloc(struct_size(ps, p, n), GFP_KERNEL);
	if (!ps)
		return ERR_PTR(-ENOMEM);
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != MLSDCO_A_ALLOWED_IP)
			continue;
		err = mlsdco_nl_prefix(&ps->p[ps->n], a, info->extack);
		if (err) {
			kfree(ps);
			return ERR_PTR(err);
		}
		ps->n++;
	}
	return ps;
}

/*
 * The endpoint-fixed flag cannot say "off": a member-set that gives an
 * endpoint without it lets the endpoint roam again.
 */
static void mlsdco_nl_member_opts(struct genl_info *info,
				  struct mlsdco_member_opts *o)
{
	struct nlattr **a = info->attrs;

	o->has_peer_id = a[MLSDCO_A_PEER_ID];
	if (o->has_peer_id)
		o->peer_id = nla_get_u32(a[MLSDCO_A_PEER_ID]);
	o->has_keepalive = a[MLSDCO_A_KEEPALIVE];
	if (o->has_keepalive)
		o->keepalive_s = nla_get_u16(a[MLSDCO_A_KEEPALIVE]);
	o->fixed = nla_get_flag(a[MLSDCO_A_ENDPOINT_FIXED]);
	o->has_fixed = o->fixed || a[MLSDCO_A_ENDPOINT];
}

int mlsdco_nl_member_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_member_opts opts = {};
	struct mlsdco_endpoint *ep = NULL;
	struct mlsdco_prefixes *ps = NULL;
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;
	u32 leaf;
	int err;

	if (!mlsdco_nl_require(info, MLSDCO_A_LEAF, "leaf is required"))
		return -EINVAL;
	leaf = nla_get_u32(info->attrs[MLSDCO_A_LEAF]);
	mlsdco_nl_member_opts(info, &opts);
	if (info->attrs[MLSDCO_A_ENDPOINT]) {
		ep = mlsdco_nl_endpoint(info->attrs[MLSDCO_A_ENDPOINT],
					info->extack);
		if (IS_ERR(ep))
			return PTR_ERR(ep);
	}
	ps = mlsdco_nl_prefixes(info);
	if (IS_ERR(ps)) {
		mlsdco_endpoint_free(ep);
		return PTR_ERR(ps);
	}
	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev)) {
		err = PTR_ERR(mdev);
		goto err_free;
	}
	g = mlsdco_nl_group(mdev, info);
	if (IS_ERR(g)) {
		err = PTR_ERR(g);
	} else if (leaf == g->own_leaf) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MLSDCO_A_LEAF],
				    "leaf is this device's own leaf");
		err = -EINVAL;
	} else {
		err = mlsdco_member_set(g, leaf, ep, ps, &opts);
		ep = NULL;
		ps = NULL;
	}
	mlsdco_nl_unlock(mdev);
err_free:
	mlsdco_endpoint_free(ep);
	kfree(ps);
	return err;
}

int mlsdco_nl_member_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_member *m = NULL;
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;
	int err = 0;

	if (!mlsdco_nl_require(info, MLSDCO_A_LEAF, "leaf is required"))
		return -EINVAL;
	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	g = mlsdco_nl_group(mdev, info);
	if (IS_ERR(g)) {
		err = PTR_ERR(g);
	} else {
		m = mlsdco_member_find(g, nla_get_u32(info->attrs[MLSDCO_A_LEAF]));
		if (m) {
			mlsdco_member_del(m);
		} else {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[MLSDCO_A_LEAF],
					    "no such member");
			err = -ENOENT;
		}
	}
	mlsdco_nl_unlock(mdev);
	return err;
}

static int mlsdco_nl_rx_keys(struct mlsdco_epoch *e, struct genl_info *info)
{
	struct nlattr *tb[MLSDCO_A_RX_KEY_NONCE + 1];
	unsigned int i = 0, key_len = mlsdco_aead_key_len(e->group->aead);
	struct nlattr *a;
	u32 leaf;
	int rem, err;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != MLSDCO_A_RX_KEY)
			continue;
		err = nla_parse_nested(tb, MLSDCO_A_RX_KEY_NONCE, a,
				       mlsdco_rx_key_nl_policy, info->extack);
		if (err)
			return err;
		if (!tb[MLSDCO_A_RX_KEY_LEAF] || !tb[MLSDCO_A_RX_KEY_KEY] ||
		    !tb[MLSDCO_A_RX_KEY_NONCE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "rx-key needs leaf, key and nonce");
			return -EINVAL;
		}
		if (nla_len(tb[MLSDCO_A_RX_KEY_KEY]) != key_len) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[MLSDCO_A_RX_KEY_KEY],
					    "rx-key key length does not match the group's aead");
			return -EINVAL;
		}
		leaf = nla_get_u32(tb[MLSDCO_A_RX_KEY_LEAF]);
		if (leaf == e->group->own_leaf ||
		    mlsdco_epoch_rx_key_dup(e, i, leaf)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[MLSDCO_A_RX_KEY_LEAF],
					    "rx-key leaf is repeated or this device's own");
			return -EINVAL;
		}
		err = mlsdco_epoch_set_rx(e, i, leaf,
					  nla_data(tb[MLSDCO_A_RX_KEY_KEY]),
					  nla_data(tb[MLSDCO_A_RX_KEY_NONCE]));
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "cannot set up the AEAD for this key");
			return err;
		}
		i++;
	}
	return 0;
}

static int mlsdco_nl_epoch_check(struct mlsdco_group *g, struct genl_info *info)
{
	struct nlattr *key = info->attrs[MLSDCO_A_TX_KEY];

	if (!mlsdco_nl_require(info, MLSDCO_A_EPOCH, "epoch is required") ||
	    !mlsdco_nl_require(info, MLSDCO_A_TAG, "tag is required") ||
	    !mlsdco_nl_require(info, MLSDCO_A_TX_KEY, "tx-key is required") ||
	    !mlsdco_nl_require(info, MLSDCO_A_TX_NONCE, "tx-nonce is required"))
		return -EINVAL;
	if (nla_len(key) != mlsdco_aead_key_len(g->aead)) {
		NL_SET_ERR_MSG_ATTR(info->extack, key,
				    "tx-key length does not match the group's aead (16 for aes-128-gcm, 32 otherwise)");
		return -EINVAL;
	}
	return 0;
}

/*
 * The request's key bytes are freed with the request skb: wipe them, every
 * member's keys and nonces as well as our own, so that they do not stay in
 * freed slab memory. The request is ours to write (netlink hands the
 * family the sender's skb, and it is not sent anywhere else).
 */
static void mlsdco_nl_wipe_keys(struct genl_info *info)
{
	struct nlattr *a, *k;
	int rem, krem;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) == MLSDCO_A_TX_KEY ||
		    nla_type(a) == MLSDCO_A_TX_NONCE) {
			memzero_explicit(nla_data(a), nla_len(a));
			continue;
		}
		if (nla_type(a) != MLSDCO_A_RX_KEY)
			continue;
		nla_for_each_nested(k, a, krem)
			if (nla_type(k) == MLSDCO_A_RX_KEY_KEY ||
			    nla_type(k) == MLSDCO_A_RX_KEY_NONCE)
				memzero_explicit(nla_data(k), nla_len(k));
	}
}

int mlsdco_nl_epoch_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_epoch_params p = {};
	struct mlsdco_epoch *e;
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;
	int err;

	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	g = mlsdco_nl_group(mdev, info);
	err = IS_ERR(g) ? PTR_ERR(g) : mlsdco_nl_epoch_check(g, info);
	if (err)
		goto out;

	p.number = nla_get_u64(info->attrs[MLSDCO_A_EPOCH]);
	p.tag = nla_data(info->attrs[MLSDCO_A_TAG]);
	p.tx_key = nla_data(info->attrs[MLSDCO_A_TX_KEY]);
	p.tx_nonce = nla_data(info->attrs[MLSDCO_A_TX_NONCE]);
	if (info->attrs[MLSDCO_A_GRACE_MS])
		p.grace_ms = nla_get_u32(info->attrs[MLSDCO_A_GRACE_MS]);
	p.n_rx = mlsdco_nl_count(info, MLSDCO_A_RX_KEY);
	if (p.n_rx > MLSDCO_MAX_RX_KEYS) {
		/* the literal is MLSDCO_MAX_RX_KEYS */
		NL_SET_ERR_MSG(info->extack,
			       "more than 4096 rx keys (the most one epoch takes)");
		err = -E2BIG;
		goto out;
	}
	e = mlsdco_epoch_alloc(g, &p);
	if (IS_ERR(e)) {
		NL_SET_ERR_MSG(info->extack, "cannot set up the AEAD");
		err = PTR_ERR(e);
		goto out;
	}
	err = mlsdco_nl_rx_keys(e, info);
	if (!err)
		err = mlsdco_epoch_install(e, info->extack);
	if (err)
		mlsdco_epoch_free(e);
out:
	mlsdco_nl_unlock(mdev);
	mlsdco_nl_wipe_keys(info);
	return err;
}

int mlsdco_nl_epoch_swap_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;
	int err;

	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	g = mlsdco_nl_group(mdev, info);
	err = IS_ERR(g) ? PTR_ERR(g) : mlsdco_epoch_swap(g);
	if (err == -ENOENT && !IS_ERR(g))
		NL_SET_ERR_MSG(info->extack, "no next epoch to swap to");
	mlsdco_nl_unlock(mdev);
	return err;
}

int mlsdco_nl_epoch_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mlsdco_group *g;
	struct mlsdco_dev *mdev;
	int err;

	if (!mlsdco_nl_require(info, MLSDCO_A_EPOCH, "epoch is required"))
		return -EINVAL;
	mdev = mlsdco_nl_lock(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	g = mlsdco_nl_group(mdev, info);
	err = IS_ERR(g) ? PTR_ERR(g) :
	      mlsdco_epoch_del(g, nla_get_u64(info->attrs[MLSDCO_A_EPOCH]));
	if (err == -ENOENT && !IS_ERR(g))
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MLSDCO_A_EPOCH],
				    "no such epoch in this group");
	mlsdco_nl_unlock(mdev);
	return err;
}
