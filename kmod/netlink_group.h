/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Netlink commands for groups, members and epochs (netlink_group.c).
 */

#ifndef _MLSDCO_NETLINK_GROUP_H
#define _MLSDCO_NETLINK_GROUP_H

#include <linux/mlsdco.h>
#include <net/genetlink.h>

struct net;
struct net_device;

struct net_device *mlsdco_nl_dev_from_attrs(struct net *net,
					    struct nlattr **attrs,
					    struct netlink_ext_ack *extack);

extern const struct nla_policy mlsdco_group_new_nl_policy[MLSDCO_A_RELAY + 1];
int mlsdco_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_group_set_nl_policy[MLSDCO_A_RELAY + 1];
int mlsdco_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_group_del_nl_policy[MLSDCO_A_GROUP_ID + 1];
int mlsdco_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_group_get_nl_policy[MLSDCO_A_GROUP_ID + 1];
int mlsdco_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_member_set_nl_policy[MLSDCO_A_ENDPOINT_FIXED + 1];
int mlsdco_nl_member_set_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_member_del_nl_policy[MLSDCO_A_LEAF + 1];
int mlsdco_nl_member_del_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_epoch_new_nl_policy[MLSDCO_A_GRACE_MS + 1];
int mlsdco_nl_epoch_new_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_epoch_swap_nl_policy[MLSDCO_A_GROUP_ID + 1];
int mlsdco_nl_epoch_swap_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy mlsdco_epoch_del_nl_policy[MLSDCO_A_EPOCH + 1];
int mlsdco_nl_epoch_del_doit(struct sk_buff *skb, struct genl_info *info);
int mlsdco_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _MLSDCO_NETLINK_GROUP_H */
