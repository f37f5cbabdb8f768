// SPDX-License-Identifier: MIT
/*
 * "mlsctl group": create, change (relay, flags) and delete groups on a
 * device (add, set, del), and mlsd's named groups (create, add NAME host
 * ..., remove, list; agent.c).
 */

#include <stdio.h>
#include <string.h>

#include "mlsctl.h"

#define MLSCTL_LEAF_MAX 0xffffff

/* "flags multicast|none" and "relay ADDR:PORT|none", when given. */
static int mlsctl_group_flags_relay(const char *what, const char *flags,
				    const char *relay,
				    struct mlsnl_group_conf *conf)
{
	if (flags) {
		if (!strcmp(flags, "multicast"))
			conf->flags = MLSDCO_GROUP_F_MULTICAST;
		else if (strcmp(flags, "none"))
			return mlsctl_err("%s: invalid flags \"%s\" (expected multicast or none)",
					  what, flags);
		conf->has_flags = true;
	}
	if (relay && strcmp(relay, "none")) {
		if (mlsctl_parse_endpoint(relay, &conf->relay))
			return mlsctl_err("%s: invalid relay \"%s\" (expected IPv4:PORT, [IPv6]:PORT or none)",
					  what, relay);
		conf->has_relay = true;
	}
	return MLSCTL_OK;
}

static int mlsctl_group_add(int argc, char **argv)
{
	struct mlsctl_kv kv[] = {
		{ .key = "id", .required = true }, { .key = "aead", .required = true }, { .key = "leaf", .required = true },
		{ .key = "flags" }, { .key = "relay" },
	};
	struct mlsnl_group_conf conf = { 0 };
	struct mlsnl *nl;

	if (mlsctl_agent_group_form(argc, argv))
		return mlsctl_agent_group_add(argc, argv);
	if (mlsctl_parse_kv("group add", argc, argv, kv, MLSCTL_NKV(kv),
			    &conf.sel.ifname) ||
	    mlsctl_kv_u32("group add", &kv[0], UINT32_MAX, &conf.group_id) ||
	    mlsctl_kv_u32("group add", &kv[2], MLSCTL_LEAF_MAX, &conf.own_leaf) ||
	    mlsctl_group_flags_relay("group add", kv[3].value, kv[4].value,
				     &conf))
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

/* "group set DEV id N [relay ADDR:PORT|none] [flags ...]": no relay
 * argument removes the relay, as the kernel's group-set does.
 */
static int mlsctl_group_set(int argc, char **argv)
{
	struct mlsctl_kv kv[] = {
		{ .key = "id", .required = true }, { .key = "relay" }, { .key = "flags" },
	};
	struct mlsnl_group_conf conf = { 0 };
	struct mlsnl *nl;

	if (mlsctl_parse_kv("group set", argc, argv, kv, MLSCTL_NKV(kv),
			    &conf.sel.ifname) ||
	    mlsctl_kv_u32("group set", &kv[0], UINT32_MAX, &conf.group_id) ||
	    mlsctl_group_flags_relay("group set", kv[2].value, kv[1].value,
				     &conf))
		return MLSCTL_FAIL;
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	return mlsctl_finish(nl, mlsnl_group_set(nl, &conf), "group set",
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
	{ "set", mlsctl_group_set },
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
