// SPDX-License-Identifier: MIT
/*
 * Handle lifetime, resolution of the family id, and the request loop that
 * turns the kernel's (extended) ACKs into an errno plus its message.
 */

#include <errno.h>
#include <limits.h>
#include <linux/genetlink.h>
#include <linux/mlsdco.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "internal.h"

struct mlsnl_req {
	struct mlsnl *nl;
	mnl_cb_t cb;
	void *arg;
	int err;	/* first failure of cb; later replies are drained */
};

/* Replace *buf by a zeroed buffer of size bytes; the old contents are
 * wiped first when they may have held keys.
 */
static int mlsnl_buf_replace(void **buf, size_t *cur, size_t size, bool wipe)
{
	void *fresh = calloc(1, size);

	if (!fresh)
		return -ENOMEM;
	if (*buf && wipe)
		explicit_bzero(*buf, *cur);
	free(*buf);
	*buf = fresh;
	*cur = size;
	return 0;
}

int mlsnl_tx_reserve(struct mlsnl *nl, size_t size)
{
	if (size <= nl->tx_size)
		return 0;
	if (mlsnl_buf_replace(&nl->tx, &nl->tx_size, size, true))
		return mlsnl_local_error(nl, -ENOMEM,
					 "out of memory for the request");
	return 0;
}

ssize_t mlsnl_recv(struct mlsnl *nl)
{
	int fd = mnl_socket_get_fd(nl->sock);
	ssize_t len;

	/* MSG_TRUNC makes netlink report the datagram's full length. */
	do {
		len = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		return -1;
	if ((size_t)len > nl->rx_size &&
	    mlsnl_buf_replace(&nl->rx, &nl->rx_size, (size_t)len, false)) {
		errno = ENOMEM;
		return -1;
	}
	return mnl_socket_recvfrom(nl->sock, nl->rx, nl->rx_size);
}

struct nlmsghdr *mlsnl_genl_start(struct mlsnl *nl, uint16_t family,
				  uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->tx);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *mlsnl_msg_start(struct mlsnl *nl, uint8_t cmd,
				 uint16_t flags)
{
	return mlsnl_genl_start(nl, nl->family_id, cmd, MLSDCO_FAMILY_VERSION,
				flags);
}

int mlsnl_local_error(struct mlsnl *nl, int err, const char *msg)
{
	snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", msg);
	return err;
}

const char *mlsnl_errmsg(const struct mlsnl *nl)
{
	return nl->errmsg;
}

static int mlsnl_extack_attr(const struct nlattr *attr, void *data)
{
	struct mlsnl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (!nl->errmsg[0] &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			snprintf(nl->errmsg, sizeof(nl->errmsg),
				 "missing attribute %u", mnl_attr_get_u32(attr));
		break;
	}
	return MNL_CB_OK;
}

/* The TLVs follow the error code and the echoed request (or its header
 * alone when capped), or just the status in an NLMSG_DONE.
 */
static void mlsnl_parse_extack(struct mlsnl *nl, const struct nlmsghdr *nlh)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off = sizeof(int);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

		off = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(err->msg);
	}
	if (off < len)
		mnl_attr_parse(nlh, off, mlsnl_extack_attr, nl);
}

static int mlsnl_cb_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct mlsnl_req *req = data;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	mlsnl_parse_extack(req->nl, nlh);
	errno = -err->error;
	return MNL_CB_ERROR;
}

static int mlsnl_cb_done(const struct nlmsghdr *nlh, void *data)
{
	struct mlsnl_req *req = data;
	int status = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(status))
		memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(status));
	if (status >= 0)
		return MNL_CB_STOP;
	mlsnl_parse_extack(req->nl, nlh);
	errno = -status;
	return MNL_CB_ERROR;
}

static int mlsnl_cb_data(const struct nlmsghdr *nlh, void *data)
{
	struct mlsnl_req *req = data;

	if (req->err || !req->cb)
		return MNL_CB_OK;
	errno = 0;
	if (req->cb(nlh, req->arg) < 0)
		req->err = errno ? -errno : -EBADMSG;
	/* Keep reading to the end of the reply so the socket stays in step. */
	return MNL_CB_OK;
}

static bool mlsnl_buf_ends_reply(const void *buf, size_t len, uint32_t seq)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
		if (nlh->nlmsg_seq == seq && (nlh->nlmsg_type == NLMSG_DONE ||
					      nlh->nlmsg_type == NLMSG_ERROR))
			return true;
	return false;
}

/*
 * libmnl stops at the first message of a dump the kernel flagged as
 * interrupted (NLM_F_DUMP_INTR: devices changed between rounds). Read the
 * rest of it so the next request on this socket starts clean.
 */
static int mlsnl_drain_interrupted(struct mlsnl *nl, uint32_t seq, ssize_t len)
{
	while (!mlsnl_buf_ends_reply(nl->rx, len, seq)) {
		len = mlsnl_recv(nl);
		if (len < 0)
			return -errno;
	}
	return mlsnl_local_error(nl, -EINTR,
				 "dump interrupted by a concurrent change, retry");
}

static int mlsnl_sndbuf_get(struct mlsnl *nl, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_SNDBUF,
			  val, &len);
}

/*
 * netlink_sendmsg() refuses a request longer than sk_sndbuf - 32 bytes
 * with EMSGSIZE. The default (net.core.wmem_default, 208 KiB on most
 * systems) is below the largest epoch-new this library builds (about
 * 260 KiB for MLSNL_MAX_RX_KEYS keys): raise it for such a request,
 * within net.core.wmem_max first (the kernel doubles the value, so 416
 * KiB by default), then beyond it with SO_SNDBUFFORCE (CAP_NET_ADMIN,
 * which the mlsdco commands that change state need anyway).
 */
static int mlsnl_sndbuf_fit(struct mlsnl *nl, size_t msg_len)
{
	int fd = mnl_socket_get_fd(nl->sock);
	int cur, want;
	char msg[128];

	if (msg_len > INT_MAX / 2 - 64)
		goto too_big;
	want = (int)msg_len + 64;
	if (mlsnl_sndbuf_get(nl, &cur) < 0)
		return -errno;
	if (cur >= want)
		return 0;
	/* The kernel doubles what it is given (for its own overhead). */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	if (mlsnl_sndbuf_get(nl, &cur) == 0 && cur >= want)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want));
	if (mlsnl_sndbuf_get(nl, &cur) == 0 && cur >= want)
		return 0;
too_big:
	snprintf(msg, sizeof(msg),
		 "request of %zu bytes exceeds the socket send buffer (raise net.core.wmem_max)",
		 msg_len);
	return mlsnl_local_error(nl, -EMSGSIZE, msg);
}

static int mlsnl_send_recv(struct mlsnl *nl, struct nlmsghdr *nlh,
			   mnl_cb_t cb, void *arg, bool wipe)
{
	struct mlsnl_req req = { .nl = nl, .cb = cb, .arg = arg };
	/* libmnl takes this table as non-const. */
	mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = mlsnl_cb_error,
		[NLMSG_DONE] = mlsnl_cb_done,
	};
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	nl->errmsg[0] = '\0';
	ret = mlsnl_sndbuf_fit(nl, nlh->nlmsg_len);
	if (!ret) {
		len = mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len);
		ret = len < 0 ? -errno : 0;
	}
	if (wipe)
		explicit_bzero(nlh, nlh->nlmsg_len);
	if (ret)
		return ret;

	do {
		len = mlsnl_recv(nl);
		if (len < 0)
			return -errno;
		ret = mnl_cb_run2(nl->rx, len, seq, nl->portid, mlsnl_cb_data,
				  &req, ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret == MNL_CB_OK);

	if (ret == MNL_CB_ERROR && errno == EINTR)
		return mlsnl_drain_interrupted(nl, seq, len);
	if (ret == MNL_CB_ERROR)
		return errno ? -errno : -EPROTO;
	return req.err;
}

int mlsnl_transact(struct mlsnl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *arg)
{
	return mlsnl_send_recv(nl, nlh, cb, arg, false);
}

int mlsnl_transact_secret(struct mlsnl *nl, struct nlmsghdr *nlh,
			  mnl_cb_t cb, void *arg)
{
	return mlsnl_send_recv(nl, nlh, cb, arg, true);
}

struct mlsnl_family_info {
	uint16_t id;
	uint32_t events_group;
};

/* One entry of CTRL_ATTR_MCAST_GROUPS: a nest of name and id. */
static void mlsnl_family_mcgrp(const struct nlattr *grp,
			       struct mlsnl_family_info *info)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };

	if (mlsnl_parse_flat(grp, tb, CTRL_ATTR_MCAST_GRP_MAX) < 0 ||
	    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME],
			      MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) < 0)
		return;
	if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    MLSDCO_MCGRP_EVENTS))
		info->events_group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
}

static int mlsnl_family_attr(const struct nlattr *attr, void *data)
{
	struct mlsnl_family_info *info = data;
	const struct nlattr *grp;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
			info->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr)
			mlsnl_family_mcgrp(grp, info);
		break;
	}
	return MNL_CB_OK;
}

static int mlsnl_family_reply(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
			      mlsnl_family_attr, data);
}

static int mlsnl_resolve_family(struct mlsnl *nl)
{
	struct mlsnl_family_info info = { 0 };
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_genl_start(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
			       NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MLSDCO_FAMILY_NAME);
	err = mlsnl_transact(nl, nlh, mlsnl_family_reply, &info);
	if (err)
		return err;
	if (!info.id)
		return mlsnl_local_error(nl, -EBADMSG,
					 "family reply carried no id");
	nl->family_id = info.id;
	nl->events_group = info.events_group;
	return 0;
}

static void mlsnl_bufs_free(struct mlsnl *nl)
{
	if (nl->tx)
		explicit_bzero(nl->tx, nl->tx_size);
	free(nl->tx);
	free(nl->rx);
	free(nl);
}

int mlsnl_open(struct mlsnl **nlp)
{
	struct mlsnl *nl;
	int one = 1;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	if (mlsnl_buf_replace(&nl->tx, &nl->tx_size, MLSNL_TX_DEFAULT, false) ||
	    mlsnl_buf_replace(&nl->rx, &nl->rx_size, MLSNL_RX_DEFAULT, false)) {
		err = -ENOMEM;
		goto err_free;
	}

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		err = -errno;
		goto err_free;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err_errno;
	/* Without extended ACKs the kernel's reason for a rejection is lost;
	 * capping keeps it from echoing our whole request back.
	 */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one,
				  sizeof(one)) < 0)
		goto err_errno;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	err = mlsnl_resolve_family(nl);
	if (err)
		goto err_close;

	*nlp = nl;
	return 0;

err_errno:
	err = -errno;
err_close:
	mnl_socket_close(nl->sock);
err_free:
	mlsnl_bufs_free(nl);
	return err;
}

void mlsnl_close(struct mlsnl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	mlsnl_bufs_free(nl);
}
