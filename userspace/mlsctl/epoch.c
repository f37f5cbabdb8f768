// SPDX-License-Identifier: MIT
/*
 * "mlsctl epoch": install an epoch's keys (as "next"), swap it in, delete
 * an epoch. Keys come from a file or stdin, see keys.c.
 */

#include <stdlib.h>
#include <string.h>

#include "mlsctl.h"

static int mlsctl_epoch_add(int argc, char **argv)
{
	struct mlsctl_kv kv[] = {
		{ .key = "group", .required = true }, { .key = "epoch", .required = true }, { .key = "tag", .required = true },
		{ .key = "keys", .required = true }, { .key = "grace" },
	};
	struct mlsnl_epoch_conf conf = { 0 };
	struct mlsnl *nl;
	size_t tag_len;
	int ret;

	if (mlsctl_parse_kv("epoch add", argc, argv, kv, MLSCTL_NKV(kv),
			    &conf.sel.ifname) ||
	    mlsctl_kv_u32("epoch add", &kv[0], UINT32_MAX, &conf.group_id) ||
	    mlsctl_kv_u64("epoch add", &kv[1], &conf.epoch) ||
	    (kv[4].value &&
	     mlsctl_kv_u32("epoch add", &kv[4], UINT32_MAX, &conf.grace_ms)))
		return MLSCTL_FAIL;
	if (mlsctl_parse_hex(kv[2].value, conf.tag, sizeof(conf.tag),
			     &tag_len) || tag_len != sizeof(conf.tag))
		return mlsctl_err("epoch add: invalid tag \"%s\" (expected 16 hex digits)",
				  kv[2].value);
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	if (mlsctl_read_keys(kv[3].value, &conf)) {
		mlsnl_close(nl);
		return MLSCTL_FAIL;
	}
	ret = mlsctl_finish(nl, mlsnl_epoch_new(nl, &conf), "epoch add",
			    conf.sel.ifname);
	mlsnl_epoch_conf_wipe(&conf);
	free(conf.rx);
	return ret;
}

static int mlsctl_epoch_swap(int argc, char **argv)
{
	struct mlsctl_kv kv[] = { { .key = "group", .required = true } };
	struct mlsnl_dev_sel sel = { 0 };
	struct mlsnl *nl;
	uint32_t group;

	if (mlsctl_parse_kv("epoch swap", argc, argv, kv, MLSCTL_NKV(kv),
			    &sel.ifname) ||
	    mlsctl_kv_u32("epoch swap", &kv[0], UINT32_MAX, &group))
		return MLSCTL_FAIL;
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	return mlsctl_finish(nl, mlsnl_epoch_swap(nl, &sel, group),
			     "epoch swap", sel.ifname);
}

static int mlsctl_epoch_del(int argc, char **argv)
{
	struct mlsctl_kv kv[] = { { .key = "group", .required = true }, { .key = "epoch", .required = true } };
	struct mlsnl_dev_sel sel = { 0 };
	struct mlsnl *nl;
	uint32_t group;
	uint64_t epoch;

	if (mlsctl_parse_kv("epoch del", argc, argv, kv, MLSCTL_NKV(kv),
			    &sel.ifname) ||
	    mlsctl_kv_u32("epoch del", &kv[0], UINT32_MAX, &group) ||
	    mlsctl_kv_u64("epoch del", &kv[1], &epoch))
		return MLSCTL_FAIL;
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	return mlsctl_finish(nl, mlsnl_epoch_del(nl, &sel, group, epoch),
			     "epoch del", sel.ifname);
}

static const struct mlsctl_cmd mlsctl_epoch_cmds[] = {
	{ "add", mlsctl_epoch_add },
	{ "new", mlsctl_epoch_add },
	{ "swap", mlsctl_epoch_swap },
	{ "del", mlsctl_epoch_del },
	{ "delete", mlsctl_epoch_del },
	{ NULL, NULL },
};

int mlsctl_epoch(int argc, char **argv)
{
	return mlsctl_dispatch("epoch", mlsctl_epoch_cmds, argc, argv);
}
