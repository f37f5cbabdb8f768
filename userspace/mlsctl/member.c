// SPDX-License-Identifier: MIT
/*
 * "mlsctl member": add or update a group member (endpoint, allowed IPs,
 * peer id, keepalive, roaming), delete one.
 */

#include <stdlib.h>
#include <string.h>

#include "mlsctl.h"

#define MLSCTL_LEAF_MAX 0xffffff

/* "CIDR[,CIDR...]"; an empty string is an empty list (routes nothing). */
static int mlsctl_parse_allowed(const char *arg, struct mlsnl_prefix **out,
				size_t *n)
{
	char *copy, *tok, *save = NULL;
	struct mlsnl_prefix *list;
	size_t cap = 1;
	const char *c;

	for (c = arg; *c; c++)
		cap += *c == ',';
	list = calloc(cap, sizeof(*list));
	copy = strdup(arg);
	if (!list || !copy) {
		free(list);
		free(copy);
		return mlsctl_err("member set: out of memory");
	}
	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (mlsctl_parse_prefix(tok, &list[*n])) {
			mlsctl_err("member set: invalid allowed-ips entry \"%s\" (expected ADDR[/LEN])",
				   tok);
			free(copy);
			free(list);
			return MLSCTL_FAIL;
		}
		(*n)++;
	}
	free(copy);
	*out = list;
	return MLSCTL_OK;
}

/* peer-id N, keepalive S, roaming on|off. */
static int mlsctl_member_opts(const struct mlsctl_kv *kv,
			      struct mlsnl_member_conf *conf)
{
	uint32_t v;

	if (kv[0].value) {
		if (mlsctl_kv_u32("member set", &kv[0], UINT32_MAX,
				  &conf->peer_id))
			return MLSCTL_FAIL;
		conf->has_peer_id = true;
	}
	if (kv[1].value) {
		if (mlsctl_kv_u32("member set", &kv[1], UINT16_MAX, &v))
			return MLSCTL_FAIL;
		conf->keepalive_s = (uint16_t)v;
		conf->has_keepalive = true;
	}
	if (!kv[2].value)
		return MLSCTL_OK;
	if (!strcmp(kv[2].value, "off")) {
		conf->endpoint_fixed = true;
		return MLSCTL_OK;
	}
	if (strcmp(kv[2].value, "on"))
		return mlsctl_err("member set: invalid roaming \"%s\" (expected on or off)",
				  kv[2].value);
	/* The kernel lets an endpoint roam again when one is set without
	 * endpoint-fixed: there is no "roaming on" without an endpoint.
	 */
	if (!conf->has_endpoint)
		return mlsctl_err("member set: roaming on needs an endpoint");
	return MLSCTL_OK;
}

static int mlsctl_member_set(int argc, char **argv)
{
	struct mlsctl_kv kv[] = {
		{ .key = "group", .required = true }, { .key = "leaf", .required = true }, { .key = "endpoint" },
		{ .key = "allowed-ips" }, { .key = "peer-id" }, { .key = "keepalive" },
		{ .key = "roaming" },
	};
	struct mlsnl_member_conf conf = { 0 };
	struct mlsnl_prefix *allowed = NULL;
	struct mlsnl *nl;
	int ret;

	if (mlsctl_parse_kv("member set", argc, argv, kv, MLSCTL_NKV(kv),
			    &conf.sel.ifname) ||
	    mlsctl_kv_u32("member set", &kv[0], UINT32_MAX, &conf.group_id) ||
	    mlsctl_kv_u32("member set", &kv[1], MLSCTL_LEAF_MAX, &conf.leaf))
		return MLSCTL_FAIL;
	if (kv[2].value) {
		if (mlsctl_parse_endpoint(kv[2].value, &conf.endpoint))
			return mlsctl_err("member set: invalid endpoint \"%s\" (expected IPv4:PORT or [IPv6]:PORT)",
					  kv[2].value);
		conf.has_endpoint = true;
	}
	if (mlsctl_member_opts(&kv[4], &conf))
		return MLSCTL_FAIL;
	if (kv[3].value) {
		if (mlsctl_parse_allowed(kv[3].value, &allowed,
					 &conf.n_allowed))
			return MLSCTL_FAIL;
		conf.allowed = allowed;
		conf.has_allowed = true;
	}
	nl = mlsctl_nl_open();
	if (!nl) {
		free(allowed);
		return MLSCTL_FAIL;
	}
	ret = mlsctl_finish(nl, mlsnl_member_set(nl, &conf), "member set",
			    conf.sel.ifname);
	free(allowed);
	return ret;
}

static int mlsctl_member_del(int argc, char **argv)
{
	struct mlsctl_kv kv[] = { { .key = "group", .required = true }, { .key = "leaf", .required = true } };
	struct mlsnl_dev_sel sel = { 0 };
	uint32_t group, leaf;
	struct mlsnl *nl;

	if (mlsctl_parse_kv("member del", argc, argv, kv, MLSCTL_NKV(kv),
			    &sel.ifname) ||
	    mlsctl_kv_u32("member del", &kv[0], UINT32_MAX, &group) ||
	    mlsctl_kv_u32("member del", &kv[1], MLSCTL_LEAF_MAX, &leaf))
		return MLSCTL_FAIL;
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	return mlsctl_finish(nl, mlsnl_member_del(nl, &sel, group, leaf),
			     "member del", sel.ifname);
}

static const struct mlsctl_cmd mlsctl_member_cmds[] = {
	{ "set", mlsctl_member_set },
	{ "add", mlsctl_member_set },
	{ "del", mlsctl_member_del },
	{ "delete", mlsctl_member_del },
	{ NULL, NULL },
};

int mlsctl_member(int argc, char **argv)
{
	return mlsctl_dispatch("member", mlsctl_member_cmds, argc, argv);
}
