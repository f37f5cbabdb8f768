// SPDX-License-Identifier: GPL-2.0-only
/*
 * mlsdco: data channel offload keyed by MLS (RFC 9420) epochs.
 * Module entry points; each concern lives in its own file.
 */

#include <linux/mlsdco.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "allowedips.h"
#include "device.h"
#include "epoch.h"
#include "group.h"
#include "netlink.h"

static int __init mlsdco_init(void)
{
	int err;

	err = mlsdco_allowedips_cache_init();
	if (err)
		return err;

	err = mlsdco_group_cache_init();
	if (err)
		goto err_allowedips;

	err = mlsdco_epoch_cache_init();
	if (err)
		goto err_group;

	err = mlsdco_epoch_wq_init();
	if (err)
		goto err_epoch;

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
err_epoch:
	mlsdco_epoch_cache_uninit();
err_group:
	mlsdco_group_cache_uninit();
err_allowedips:
	mlsdco_allowedips_cache_uninit();
	return err;
}

/*
 * Netlink goes first so no request can race the devices' deletion; the
 * caches go last, once every deferred free has run, so that one still
 * holding objects means a leak (the kernel then warns, naming it).
 */
static void __exit mlsdco_exit(void)
{
	mlsdco_nl_unregister();
	mlsdco_device_uninit();
	mlsdco_epoch_wq_uninit();
	mlsdco_epoch_cache_uninit();
	mlsdco_group_cache_uninit();
	mlsdco_allowedips_cache_uninit();
}

module_init(mlsdco_init);
module_exit(mlsdco_exit);

MODULE_DESCRIPTION("MLS-keyed data channel offload");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(MLSDCO_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(MLSDCO_FAMILY_NAME);
