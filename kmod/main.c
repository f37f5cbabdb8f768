// SPDX-License-Identifier: GPL-2.0-only
/*
 * mlsdco: data channel offload keyed by MLS (RFC 9420) epochs.
 * Module entry points; each concern lives in its own file.
 */

#include <linux/mlsdco.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "epoch.h"
#include "netlink.h"

static int __init mlsdco_init(void)
{
	int err;

	err = mlsdco_epoch_wq_init();
	if (err)
		return err;

	err = mlsdco_device_init();
	if (err)
		goto err_wq;

	err = mlsdco_nl_register();
	if (err)
		goto err_device;

	return 0;

err_device:
	mlsdco_device_uninit();
err_wq:
	mlsdco_epoch_wq_uninit();
	return err;
}

/* Netlink goes first so no request can race the devices' deletion. */
static void __exit mlsdco_exit(void)
{
	mlsdco_nl_unregister();
	mlsdco_device_uninit();
	mlsdco_epoch_wq_uninit();
}

module_init(mlsdco_init);
module_exit(mlsdco_exit);

MODULE_DESCRIPTION("MLS-keyed data channel offload");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(MLSDCO_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(MLSDCO_FAMILY_NAME);
