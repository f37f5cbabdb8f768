// SPDX-License-Identifier: MIT
/*
 * The agent's side of the control socket (docs/CONTROL.md): status,
 * host-list, group-list and rekey answered from the agent's state, epoch
 * events for monitors. The socket, framing and SO_PEERCRED check are
 * ctl_server.c's; what is not built yet (host-remove, named groups)
 * answers "unsupported".
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "control.h"
#include "ctl_server.h"

static json_t *prefixes_json(const struct mlsd_prefix *p, size_t n)
{
	char buf[MLSD_PREFIX_STRLEN];
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < n; i++) {
		mlsd_prefix_format(&p[i], buf, sizeof(buf));
		json_array_append_new(arr, json_string(buf));
	}
	return arr;
}

/* "network", "pair/HOST" (docs/CONTROL.md "Names"). */
static void group_name(const struct mlsd_group *gr, char *out, size_t cap)
{
	if (gr->is_pair)
		snprintf(out, cap, "pair/%s", gr->peer);
	else
		snprintf(out, cap, "network");
}

static json_t *time_or_null(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

static json_t *members_json(struct mlsd_agent *a, const struct mlsd_group *gr)
{
	uint32_t n = mls_group_leaf_count(&gr->g);
	char name[MLSD_NAME_MAX + 1];
	json_t *arr = json_array();

	for (uint32_t leaf = 0; arr && leaf < n; leaf++)
		if (mlsd_member_name(a, &gr->g, leaf, name, sizeof(name)))
			json_array_append_new(arr, json_string(name));
	return arr;
}

static json_t *group_json(struct mlsd_agent *a, const struct mlsd_group *gr)
{
	char name[MLSD_CTL_GROUP_MAX + 1];

	group_name(gr, name, sizeof(name));
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o}",
			 "name", name, "kind", gr->is_pair ? "pair" : "network",
			 "id", gr->gid, "kernel_gid", (json_int_t)gr->kgid,
			 "epoch", (json_int_t)mls_group_epoch(&gr->g),
			 "members", members_json(a, gr),
			 "last_rekey", time_or_null(gr->last_epoch_at));
}

static json_t *groups_json(struct mlsd_agent *a)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < a->n_groups; i++)
		if (a->groups[i]->active)
			json_array_append_new(arr, group_json(a, a->groups[i]));
	return arr;
}

/* Every other member of the network group, as its credential says. */
static json_t *hosts_json(struct mlsd_agent *a)
{
	const struct mls_group *g = &a->net->g;
	json_t *arr = json_array();
	struct mlsd_admitted who;
	uint32_t n;

	if (!arr || !a->net->active)
		return arr;
	n = mls_group_leaf_count(g);
	for (uint32_t leaf = 0; leaf < n; leaf++) {
		const struct mls_leaf_node *ln = mls_tree_leaf(&g->tree, leaf);

		if (!ln || leaf == mls_group_own_leaf(g) ||
		    mlsd_admission_check(&a->adm, g->suite, ln, &who))
			continue;
		/* every path goes through the relay until direct paths exist */
		json_array_append_new(arr, json_pack(
			"{s:s, s:o, s:I, s:I, s:s, s:n}",
			"name", who.identity,
			"addresses", prefixes_json(who.prefixes, who.n_prefixes),
			"leaf", (json_int_t)leaf,
			"peer_id", (json_int_t)mlsd_peer_id(who.identity),
			"path", "relay", "endpoint"));
	}
	return arr;
}

static int ctl_status(void *ctx, const struct mlsd_ctl_request *req,
		      json_t *result, struct mlsd_ctl_error *err)
{
	struct mlsd_agent *a = ctx;
	const struct mlsd_conf_relay *r = &a->cfg.relay;
	char addr[MLSD_CONF_HOST_MAX + 16];

	(void)req;
	snprintf(addr, sizeof(addr), "%s:%u", r->address.host, r->address.port);
	if (json_object_set_new(result, "network",
				json_string(a->cfg.net.name)) ||
	    json_object_set_new(result, "identity", json_pack(
			"{s:s, s:o}", "name", a->cfg.iface.name, "addresses",
			prefixes_json(a->cfg.iface.addresses,
				      a->cfg.iface.n_addresses))) ||
	    json_object_set_new(result, "relay", json_pack(
			"{s:s, s:b, s:o}", "address", addr,
			"connected", a->relay.up,
			"since", time_or_null(a->relay_since))) ||
	    json_object_set_new(result, "hosts", hosts_json(a)) ||
	    json_object_set_new(result, "groups", groups_json(a)))
		return mlsd_ctl_fail(err, MLSD_CTL_E_NOMEM, "out of memory");
	return 0;
}

static int ctl_host_list(void *ctx, const struct mlsd_ctl_request *req,
			 json_t *result, struct mlsd_ctl_error *err)
{
	(void)req;
	if (json_object_set_new(result, "hosts", hosts_json(ctx)))
		return mlsd_ctl_fail(err, MLSD_CTL_E_NOMEM, "out of memory");
	return 0;
}

static int ctl_group_list(void *ctx, const struct mlsd_ctl_request *req,
			  json_t *result, struct mlsd_ctl_error *err)
{
	(void)req;
	if (json_object_set_new(result, "groups", groups_json(ctx)))
		return mlsd_ctl_fail(err, MLSD_CTL_E_NOMEM, "out of memory");
	return 0;
}

/*
 * A self-Update in the named group, or in every group for "". It runs at
 * the next loop turn (mlsd_rekey_soon); the reply says which groups.
 */
static int ctl_rekey(void *ctx, const struct mlsd_ctl_request *req,
		     json_t *result, struct mlsd_ctl_error *err)
{
	struct mlsd_agent *a = ctx;
	char name[MLSD_CTL_GROUP_MAX + 1];
	json_t *which = json_array();

	if (!a->relay.up) {
		json_decref(which);
		return mlsd_ctl_fail(err, MLSD_CTL_E_FAILED,
				     "the relay is not connected: a rekey needs it");
	}
	if (!which)
		return mlsd_ctl_fail(err, MLSD_CTL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < a->n_groups; i++) {
		struct mlsd_group *gr = a->groups[i];

		group_name(gr, name, sizeof(name));
		if (!gr->active || (req->group[0] && strcmp(req->group, name)))
			continue;
		mlsd_rekey_soon(a, gr);
		json_array_append_new(which, json_string(name));
	}
	if (req->group[0] && !json_array_size(which)) {
		json_decref(which);
		return mlsd_ctl_fail(err, MLSD_CTL_E_NOT_FOUND,
				     "no group %s on this host", req->group);
	}
	json_object_set_new(result, "groups", which);
	return 0;
}

static const struct mlsd_ctl_ops agent_ops = {
	.status = ctl_status,
	.host_list = ctl_host_list,
	.group_list = ctl_group_list,
	.rekey = ctl_rekey,
};

/* ---- the server in the agent's event loop ---- */

static size_t src_fill(void *arg, struct pollfd *fds, size_t cap)
{
	return mlsd_ctl_server_pollfds(arg, fds, cap);
}

static void src_handle(void *arg, int fd, short revents)
{
	mlsd_ctl_server_handle(arg, fd, revents);
}

static int src_timeout(void *arg)
{
	return mlsd_ctl_server_timeout(arg);
}

static void src_expire(void *arg)
{
	mlsd_ctl_server_expire(arg);
}

int mlsd_control_open(struct mlsd_agent *a, struct mlsd_err *e)
{
	const struct mlsd_ctl_server_config cfg = {
		.path = a->cfg.iface.control_socket.path,
		.allowed_uid = 0,
		.ops = &agent_ops,
		.ctx = a,
	};

	a->ctl = mlsd_ctl_server_open(&cfg, e);
	if (!a->ctl)
		return -1;
	a->ctl_source = (struct mlsd_loop_source){
		.fill = src_fill, .handle = src_handle,
		.timeout = src_timeout, .expire = src_expire, .arg = a->ctl,
	};
	mlsd_loop_set_source(&a->loop, &a->ctl_source);
	return 0;
}

void mlsd_control_close(struct mlsd_agent *a)
{
	mlsd_loop_set_source(&a->loop, NULL);
	mlsd_ctl_server_close(a->ctl);
	a->ctl = NULL;
}

void mlsd_control_epoch(struct mlsd_agent *a, struct mlsd_group *gr)
{
	char name[MLSD_CTL_GROUP_MAX + 1];
	json_t *ev;

	gr->last_epoch_at = (int64_t)time(NULL);
	if (!a->ctl)
		return;
	group_name(gr, name, sizeof(name));
	ev = mlsd_ctl_event_epoch(name, mls_group_epoch(&gr->g));
	if (ev)
		mlsd_ctl_server_event(a->ctl, ev);
	json_decref(ev);
}
