/* SPDX-License-Identifier: MIT */
/*
 * libmlsdco-nl: userspace client of the "mlsdco" generic netlink family
 * (spec: netlink/mlsdco.yaml, API: docs/NETLINK.md).
 *
 * Every call returns 0 or a negative errno. When the kernel rejected the
 * request, mlsnl_errmsg() holds its extack message until the next call.
 */

#ifndef MLSDCO_NL_H
#define MLSDCO_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct mlsnl;

/* Which device a request is about: ifindex, ifname, or both (must agree). */
struct mlsnl_dev_sel {
	uint32_t ifindex;	/* 0: not given */
	const char *ifname;	/* NULL: not given */
};

struct mlsnl_dev {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint16_t listen_port;
};

/* A change to a device; fields whose has_ flag is false are left alone. */
struct mlsnl_dev_conf {
	struct mlsnl_dev_sel sel;
	bool has_listen_port;
	uint16_t listen_port;
};

/* Called once per device of a dump; a negative return stops the dump and
 * becomes its result.
 */
typedef int (*mlsnl_dev_cb)(const struct mlsnl_dev *dev, void *arg);

/*
 * Open a netlink socket and resolve the family. -ENOENT means the kernel
 * has no "mlsdco" family (module not loaded).
 */
int mlsnl_open(struct mlsnl **nlp);
void mlsnl_close(struct mlsnl *nl);

/* The kernel's extack text for the last failed call, "" if it gave none. */
const char *mlsnl_errmsg(const struct mlsnl *nl);

int mlsnl_dev_get(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		  struct mlsnl_dev *dev);
int mlsnl_dev_dump(struct mlsnl *nl, mlsnl_dev_cb cb, void *arg);
int mlsnl_dev_set(struct mlsnl *nl, const struct mlsnl_dev_conf *conf);

#endif /* MLSDCO_NL_H */
