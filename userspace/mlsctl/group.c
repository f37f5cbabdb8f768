// SPDX-License-Identifier: MIT
/*
 * "mlsctl group": create and delete groups on a device (add, del), and
 * mlsd's named groups (create, add NAME host ..., remove, list; agent.c).
 */

#include <stdio.h>
#include <string.h>

#include "mlsctl.h"

#define MLSCTL_LEAF_MAX 0xffffff

static int mlsctl_group_add(int argc, char **argv)
{
	struct mlsctl_kv kv[] = {
		{ .key = "id", .required = true }, { .key = "aead", .required = true }, { .key = "leaf", .required = true },
	};
	struct mlsnl_group_conf conf = { 0 };
	struct mlsnl *nl;

	if (mlsctl_agent_group_form(argc, argv))
		return mlsctl_agent_group_add(argc, argv);
	if (mlsctl_parse_kv("group add", argc, argv, kv, MLSCTL_NKV(kv),
			    &conf.sel.ifname) ||
	    mlsctl_kv_u32("group add", &kv[0], UINT32_MAX, &conf.group_id) ||
	    mlsctl_kv_u32("group add", &kv[2], MLSCTL_LEAF_MAX, &conf.own_leaf))
		return MLSCTL_FAIL;
	if (mlsnl_aead_parse(kv[1].value, &conf.aead))
		return mlsctl_err("group add: unknown aead \"%s\" (expected aes-128-gcm, aes-256-gcm or chacha20-poly1305)",
				  kv[1].value);
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	return mlsctl_finish(nl, mlsnl_group_new(nl, &conf), "group add",
			     conf.sel.ifname);
}

static int mlsctl_group_del(int argc, char **argv)
{
	struct mlsctl_kv kv[] = { { .key = "id", .required = true } };
	struct mlsnl_dev_sel sel = { 0 };
	struct mlsnl *nl;
	uint32_t id;

	if (mlsctl_parse_kv("group del", argc, argv, kv, MLSCTL_NKV(kv),
			    &sel.ifname) ||
	    mlsctl_kv_u32("group del", &kv[0], UINT32_MAX, &id))
		return MLSCTL_FAIL;
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	return mlsctl_finish(nl, mlsnl_group_del(nl, &sel, id), "group del",
			     sel.ifname);
}

static const struct mlsctl_cmd mlsctl_group_cmds[] = {
	{ "add", mlsctl_group_add },
	{ "new", mlsctl_group_add },
	{ "del", mlsctl_group_del },
	{ "delete", mlsctl_group_del },
	{ "create", mlsctl_agent_group_create },
	{ "remove", mlsctl_agent_group_remove },
	{ "list", mlsctl_agent_group_list },
	{ NULL, NULL },
};

int mlsctl_group(int argc, char **argv)
{
	return mlsctl_dispatch("group", mlsctl_group_cmds, argc, argv);
}
