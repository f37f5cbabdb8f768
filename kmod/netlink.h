/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generic netlink family "mlsdco" (spec: netlink/mlsdco.yaml).
 */

#ifndef _MLSDCO_NETLINK_H
#define _MLSDCO_NETLINK_H

struct genl_family;

/* Index into the family's mcgrps array. */
enum {
	MLSDCO_NL_MCGRP_EVENTS,
};

extern struct genl_family mlsdco_nl_family;

int mlsdco_nl_register(void);
void mlsdco_nl_unregister(void);

#endif /* _MLSDCO_NETLINK_H */
