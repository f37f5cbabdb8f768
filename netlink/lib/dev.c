// SPDX-License-Identifier: MIT
/*
 * Device commands of the mlsdco family: DEV_GET (do and dump), DEV_SET.
 */

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/mlsdco.h>
#include <string.h>

#include "internal.h"

struct mlsnl_dev_get_ctx {
	struct mlsnl_dev *dev;
	int replies;
};

struct mlsnl_dev_dump_ctx {
	mlsnl_dev_cb cb;
	void *arg;
};

static int mlsnl_dev_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* Attributes from a newer kernel are skipped, not errors. */
	if (type <= MLSDCO_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int mlsnl_dev_parse(const struct nlmsghdr *nlh, struct mlsnl_dev *dev)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[MLSDCO_A_MAX + 1] = { NULL };
	const char *name;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl) ||
	    genl->cmd != MLSDCO_CMD_DEV_GET ||
	    mnl_attr_parse(nlh, sizeof(*genl), mlsnl_dev_attr, tb) < 0 ||
	    !tb[MLSDCO_A_IFINDEX] || !tb[MLSDCO_A_IFNAME] ||
	    !tb[MLSDCO_A_LISTEN_PORT] ||
	    mnl_attr_validate(tb[MLSDCO_A_IFINDEX], MNL_TYPE_U32) < 0 ||
	    mnl_attr_validate(tb[MLSDCO_A_IFNAME], MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[MLSDCO_A_LISTEN_PORT], MNL_TYPE_U16) < 0)
		goto bad;

	name = mnl_attr_get_str(tb[MLSDCO_A_IFNAME]);
	if (strlen(name) >= sizeof(dev->ifname))
		goto bad;

	memset(dev, 0, sizeof(*dev));
	dev->ifindex = mnl_attr_get_u32(tb[MLSDCO_A_IFINDEX]);
	memcpy(dev->ifname, name, strlen(name) + 1);
	dev->listen_port = mnl_attr_get_u16(tb[MLSDCO_A_LISTEN_PORT]);
	if (tb[MLSDCO_A_SOFT_LIMIT] &&
	    mnl_attr_validate(tb[MLSDCO_A_SOFT_LIMIT], MNL_TYPE_U64) == 0)
		dev->soft_limit = mnl_attr_get_u64(tb[MLSDCO_A_SOFT_LIMIT]);
	if (tb[MLSDCO_A_HARD_LIMIT] &&
	    mnl_attr_validate(tb[MLSDCO_A_HARD_LIMIT], MNL_TYPE_U64) == 0)
		dev->hard_limit = mnl_attr_get_u64(tb[MLSDCO_A_HARD_LIMIT]);
	if (tb[MLSDCO_A_STATS] &&
	    mlsnl_parse_stats(tb[MLSDCO_A_STATS], &dev->stats) < 0)
		goto bad;
	return 0;

bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

int mlsnl_put_sel(struct mlsnl *nl, struct nlmsghdr *nlh,
			 const struct mlsnl_dev_sel *sel)
{
	if (!sel->ifindex && !sel->ifname)
		return mlsnl_local_error(nl, -EINVAL, "no device given");
	if (sel->ifname && (!sel->ifname[0] ||
			    strlen(sel->ifname) >= IF_NAMESIZE))
		return mlsnl_local_error(nl, -EINVAL,
					 "device name must be 1 to 15 bytes");
	if (sel->ifindex)
		mnl_attr_put_u32(nlh, MLSDCO_A_IFINDEX, sel->ifindex);
	if (sel->ifname)
		mnl_attr_put_strz(nlh, MLSDCO_A_IFNAME, sel->ifname);
	return 0;
}

static int mlsnl_dev_get_reply(const struct nlmsghdr *nlh, void *data)
{
	struct mlsnl_dev_get_ctx *ctx = data;

	if (ctx->replies++)
		goto bad;
	return mlsnl_dev_parse(nlh, ctx->dev);
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

int mlsnl_dev_get(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		  struct mlsnl_dev *dev)
{
	struct mlsnl_dev_get_ctx ctx = { .dev = dev };
	struct nlmsghdr *nlh;
	int err;

	nl->errmsg[0] = '\0';
	nlh = mlsnl_msg_start(nl, MLSDCO_CMD_DEV_GET, NLM_F_ACK);
	err = mlsnl_put_sel(nl, nlh, sel);
	if (err)
		return err;
	err = mlsnl_transact(nl, nlh, mlsnl_dev_get_reply, &ctx);
	if (!err && ctx.replies != 1)
		return mlsnl_local_error(nl, -EBADMSG, "kernel sent no device");
	return err;
}

static int mlsnl_dev_dump_reply(const struct nlmsghdr *nlh, void *data)
{
	struct mlsnl_dev_dump_ctx *ctx = data;
	struct mlsnl_dev dev;
	int err;

	if (mlsnl_dev_parse(nlh, &dev) < 0)
		return MNL_CB_ERROR;
	err = ctx->cb(&dev, ctx->arg);
	if (err < 0) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int mlsnl_dev_dump(struct mlsnl *nl, mlsnl_dev_cb cb, void *arg)
{
	struct mlsnl_dev_dump_ctx ctx = { .cb = cb, .arg = arg };
	struct nlmsghdr *nlh;

	nlh = mlsnl_msg_start(nl, MLSDCO_CMD_DEV_GET, NLM_F_DUMP | NLM_F_ACK);
	return mlsnl_transact(nl, nlh, mlsnl_dev_dump_reply, &ctx);
}

int mlsnl_dev_set(struct mlsnl *nl, const struct mlsnl_dev_conf *conf)
{
	struct nlmsghdr *nlh;
	int err;

	nl->errmsg[0] = '\0';
	nlh = mlsnl_msg_start(nl, MLSDCO_CMD_DEV_SET, NLM_F_ACK);
	err = mlsnl_put_sel(nl, nlh, &conf->sel);
	if (err)
		return err;
	if (!conf->has_listen_port && !conf->has_soft_limit &&
	    !conf->has_hard_limit)
		return mlsnl_local_error(nl, -EINVAL, "nothing to set");
	if (conf->has_listen_port)
		mnl_attr_put_u16(nlh, MLSDCO_A_LISTEN_PORT, conf->listen_port);
	if (conf->has_soft_limit)
		mnl_attr_put_u64(nlh, MLSDCO_A_SOFT_LIMIT, conf->soft_limit);
	if (conf->has_hard_limit)
		mnl_attr_put_u64(nlh, MLSDCO_A_HARD_LIMIT, conf->hard_limit);
	return mlsnl_transact(nl, nlh, NULL, NULL);
}
