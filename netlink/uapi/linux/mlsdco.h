/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Generic netlink family "mlsdco". This header follows the spec
 * netlink/mlsdco.yaml exactly, with the names ynl-gen would give: edit the
 * spec first, then this file; netlink/check-uapi.py (run by every build)
 * fails when the two disagree.
 */

#ifndef _UAPI_LINUX_MLSDCO_H
#define _UAPI_LINUX_MLSDCO_H

#define MLSDCO_FAMILY_NAME	"mlsdco"
#define MLSDCO_FAMILY_VERSION	1

enum {
	MLSDCO_A_IFINDEX = 1,
	MLSDCO_A_IFNAME,
	MLSDCO_A_LISTEN_PORT,

	__MLSDCO_A_MAX,
	MLSDCO_A_MAX = (__MLSDCO_A_MAX - 1)
};

enum {
	MLSDCO_CMD_DEV_GET = 1,
	MLSDCO_CMD_DEV_SET,

	__MLSDCO_CMD_MAX,
	MLSDCO_CMD_MAX = (__MLSDCO_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_MLSDCO_H */
