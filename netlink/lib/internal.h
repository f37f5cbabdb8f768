/* SPDX-License-Identifier: MIT */
/*
 * libmlsdco-nl internals: the handle and the request/reply machinery that
 * the per-object files (dev.c, later group.c, ...) build on.
 */

#ifndef MLSNL_INTERNAL_H
#define MLSNL_INTERNAL_H

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <sys/types.h>

#include <mlsdco/nl.h>

struct mlsnl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family_id;
	uint32_t events_group;	/* multicast group id, 0 if none */
	char errmsg[256];
	/* Requests are built in tx (heap, grown by mlsnl_tx_reserve, wiped
	 * before it is freed since it may have held keys); replies land in
	 * rx, grown to the largest message the kernel sends.
	 */
	void *tx;
	size_t tx_size;
	void *rx;
	size_t rx_size;
};

/* Room for a request without a variable-length list: selector, ids and
 * a few scalars take well under 1 KiB.
 */
#define MLSNL_TX_DEFAULT	8192
/* A dump never sends more than 32 KiB per recvmsg (netlink_recvmsg caps
 * max_recvmsg_len there); group-get "do" replies can be larger.
 */
#define MLSNL_RX_DEFAULT	32768

/*
 * Make the request buffer hold at least size bytes. Call it before
 * starting the request: growing moves the buffer. -ENOMEM on failure.
 */
int mlsnl_tx_reserve(struct mlsnl *nl, size_t size);

/* Start a generic netlink request in nl->tx, with a fresh sequence number. */
struct nlmsghdr *mlsnl_genl_start(struct mlsnl *nl, uint16_t family,
				  uint8_t cmd, uint8_t version, uint16_t flags);

/* Start a request to the mlsdco family in nl->tx. */
struct nlmsghdr *mlsnl_msg_start(struct mlsnl *nl, uint8_t cmd,
				 uint16_t flags);

/* Receive one datagram into nl->rx, growing it to fit; the length or -1
 * with errno set (ENOBUFS: the socket's receive queue overran).
 */
ssize_t mlsnl_recv(struct mlsnl *nl);

/* Record a reason for a failure detected before the kernel saw the request. */
int mlsnl_local_error(struct mlsnl *nl, int err, const char *msg);

/*
 * Send the request and run cb on each reply until the kernel's ACK or
 * NLMSG_DONE. cb returns MNL_CB_OK to go on, or MNL_CB_ERROR with errno
 * set. Returns 0 or a negative errno, with the kernel's extack message
 * stored for mlsnl_errmsg().
 */
int mlsnl_transact(struct mlsnl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *arg);

/* Like mlsnl_transact, for requests carrying keys: the request is wiped
 * from memory right after it is sent, and also when sending fails.
 */
int mlsnl_transact_secret(struct mlsnl *nl, struct nlmsghdr *nlh,
			  mnl_cb_t cb, void *arg);

/* Put the device selector; a local -EINVAL (with a message) if unusable. */
int mlsnl_put_sel(struct mlsnl *nl, struct nlmsghdr *nlh,
		  const struct mlsnl_dev_sel *sel);

/* Start a request for a device (and a group, unless group_id is NULL). */
struct nlmsghdr *mlsnl_group_msg(struct mlsnl *nl, uint8_t cmd,
				 uint16_t flags,
				 const struct mlsnl_dev_sel *sel,
				 const uint32_t *group_id, int *err);

/* Nested attribute helpers shared by groups, members and events. */
int mlsnl_put_endpoint(struct nlmsghdr *nlh, uint16_t type,
		       const struct mlsnl_endpoint *ep);
int mlsnl_put_prefix(struct nlmsghdr *nlh, uint16_t type,
		     const struct mlsnl_prefix *p);
int mlsnl_parse_endpoint(const struct nlattr *nest,
			 struct mlsnl_endpoint *ep);
int mlsnl_parse_prefix(const struct nlattr *nest, struct mlsnl_prefix *p);
int mlsnl_parse_stats(const struct nlattr *nest, struct mlsnl_stats *st);

/* Collect the attributes of a flat set into tb[0..max]; later-kernel
 * attributes (type > max) are skipped. For multi-attrs, tb keeps the last.
 */
int mlsnl_parse_flat(const struct nlattr *nest, const struct nlattr **tb,
		     uint16_t max);
int mlsnl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    uint16_t max);

#endif /* MLSNL_INTERNAL_H */
