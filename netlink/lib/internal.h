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

#include <mlsdco/nl.h>

struct mlsnl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family_id;
	char errmsg[256];
	/* Large enough for the biggest dump chunk the kernel sends (32 KiB). */
	_Alignas(struct nlmsghdr) char buf[32768];
};

/* Start a generic netlink request in nl->buf, with a fresh sequence number. */
struct nlmsghdr *mlsnl_genl_start(struct mlsnl *nl, uint16_t family,
				  uint8_t cmd, uint8_t version, uint16_t flags);

/* Start a request to the mlsdco family in nl->buf. */
struct nlmsghdr *mlsnl_msg_start(struct mlsnl *nl, uint8_t cmd,
				 uint16_t flags);

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

#endif /* MLSNL_INTERNAL_H */
