// SPDX-License-Identifier: MIT
/*
 * The "events" multicast group: key-soft-limit, key-exhausted,
 * epoch-switched, unknown-sender and no-route notifications.
 */

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/mlsdco.h>
#include <string.h>

#include "internal.h"

struct mlsnl_events_ctx {
	struct mlsnl *nl;
	mlsnl_event_cb cb;
	void *arg;
	int ret;
};

int mlsnl_events_subscribe(struct mlsnl *nl)
{
	int group;

	if (!nl->events_group)
		return mlsnl_local_error(nl, -EOPNOTSUPP,
					 "the kernel's mlsdco family has no events group");
	group = (int)nl->events_group;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

static void mlsnl_event_fields(const struct nlattr **tb,
			       struct mlsnl_event *ev)
{
	if (tb[MLSDCO_A_GROUP_ID] &&
	    mnl_attr_validate(tb[MLSDCO_A_GROUP_ID], MNL_TYPE_U32) == 0) {
		ev->has_group_id = true;
		ev->group_id = mnl_attr_get_u32(tb[MLSDCO_A_GROUP_ID]);
	}
	if (tb[MLSDCO_A_EPOCH] &&
	    mnl_attr_validate(tb[MLSDCO_A_EPOCH], MNL_TYPE_U64) == 0) {
		ev->has_epoch = true;
		ev->epoch = mnl_attr_get_u64(tb[MLSDCO_A_EPOCH]);
	}
	if (tb[MLSDCO_A_TX_COUNTER] &&
	    mnl_attr_validate(tb[MLSDCO_A_TX_COUNTER], MNL_TYPE_U64) == 0) {
		ev->has_tx_counter = true;
		ev->tx_counter = mnl_attr_get_u64(tb[MLSDCO_A_TX_COUNTER]);
	}
	if (tb[MLSDCO_A_LEAF] &&
	    mnl_attr_validate(tb[MLSDCO_A_LEAF], MNL_TYPE_U32) == 0) {
		ev->has_leaf = true;
		ev->leaf = mnl_attr_get_u32(tb[MLSDCO_A_LEAF]);
	}
	if (tb[MLSDCO_A_TAG] &&
	    mnl_attr_get_payload_len(tb[MLSDCO_A_TAG]) == MLSDCO_TAG_LEN) {
		ev->has_tag = true;
		memcpy(ev->tag, mnl_attr_get_payload(tb[MLSDCO_A_TAG]),
		       MLSDCO_TAG_LEN);
	}
	if (tb[MLSDCO_A_ENDPOINT] &&
	    mlsnl_parse_endpoint(tb[MLSDCO_A_ENDPOINT], &ev->endpoint) == 0)
		ev->has_endpoint = true;
	if (tb[MLSDCO_A_DEST] &&
	    mlsnl_parse_prefix(tb[MLSDCO_A_DEST], &ev->dest) == 0)
		ev->has_dest = true;
}

static int mlsnl_event_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[MLSDCO_A_MAX + 1] = { NULL };
	struct mlsnl_events_ctx *ctx = data;
	struct mlsnl_event ev = { 0 };

	if (ctx->ret || nlh->nlmsg_type != ctx->nl->family_id ||
	    mlsnl_parse_msg(nlh, tb, MLSDCO_A_MAX) < 0 ||
	    !mlsnl_event_name(genl->cmd))
		return MNL_CB_OK;	/* not ours, or unknown: skip */
	ev.cmd = genl->cmd;
	if (tb[MLSDCO_A_IFINDEX] &&
	    mnl_attr_validate(tb[MLSDCO_A_IFINDEX], MNL_TYPE_U32) == 0)
		ev.ifindex = mnl_attr_get_u32(tb[MLSDCO_A_IFINDEX]);
	mlsnl_event_fields(tb, &ev);
	ctx->ret = ctx->cb(&ev, ctx->arg);
	return MNL_CB_OK;
}

int mlsnl_events_recv(struct mlsnl *nl, mlsnl_event_cb cb, void *arg)
{
	struct mlsnl_events_ctx ctx = { .nl = nl, .cb = cb, .arg = arg };
	ssize_t len;

	nl->errmsg[0] = '\0';
	len = mlsnl_recv(nl);
	if (len < 0) {
		if (errno == ENOBUFS)
			return mlsnl_local_error(nl, -ENOBUFS,
						 "events were lost (receive buffer overrun)");
		return -errno;
	}
	/* Notifications carry sequence 0 and port 0: accept any. */
	if (mnl_cb_run(nl->rx, len, 0, 0, mlsnl_event_msg, &ctx) < 0)
		return -errno;
	return ctx.ret;
}

int mlsnl_events_fd(const struct mlsnl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}
