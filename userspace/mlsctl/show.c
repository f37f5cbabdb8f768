// SPDX-License-Identifier: MIT
/*
 * "mlsctl show [DEV] [-j]": everything about the devices, like wg show:
 * listen port and limits, then per group its AEAD, own leaf, epochs and
 * counters, then per member its endpoint, allowed IPs and counters. Never
 * any key. The whole picture is collected as JSON first, so text and
 * JSON output come from one source and share the field names.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mlsctl.h"

#define MLSCTL_DUMP_ATTEMPTS 5

static json_t *mlsctl_stats_json(const struct mlsnl_stats *st)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "rx_packets", (json_int_t)st->rx_packets,
			 "rx_bytes", (json_int_t)st->rx_bytes,
			 "tx_packets", (json_int_t)st->tx_packets,
			 "tx_bytes", (json_int_t)st->tx_bytes,
			 "decrypt_failures", (json_int_t)st->decrypt_failures,
			 "replays", (json_int_t)st->replays,
			 "unknown_tags", (json_int_t)st->unknown_tags,
			 "no_route", (json_int_t)st->no_route,
			 "exhausted", (json_int_t)st->exhausted,
			 "bad_source", (json_int_t)st->bad_source,
			 "rx_keepalives", (json_int_t)st->rx_keepalives,
			 "tx_keepalives", (json_int_t)st->tx_keepalives);
}

static json_t *mlsctl_member_json(const struct mlsnl_member *m)
{
	json_t *obj, *ips = json_array();
	char buf[64];
	size_t i;

	for (i = 0; ips && i < m->n_allowed; i++) {
		mlsctl_format_prefix(&m->allowed[i], buf, sizeof(buf));
		json_array_append_new(ips, json_string(buf));
	}
	if (m->has_endpoint)
		mlsctl_format_endpoint(&m->endpoint, buf, sizeof(buf));
	obj = json_pack("{s:I, s:s?, s:o, s:o, s:I, s:I, s:b}",
			"leaf", (json_int_t)m->leaf,
			"endpoint", m->has_endpoint ? buf : NULL,
			"allowed_ips", ips,
			"stats", mlsctl_stats_json(&m->stats),
			"peer_id", (json_int_t)m->peer_id,
			"keepalive", (json_int_t)m->keepalive_s,
			"endpoint_fixed", m->endpoint_fixed);
	return obj;
}

static int mlsctl_group_json_cb(const struct mlsnl_group *g, void *arg)
{
	json_t *groups = arg, *members = json_array(), *epochs = json_array();
	char relay[64];
	json_t *obj;
	size_t i;

	if (!members || !epochs)
		goto nomem;
	if (g->has_relay)
		mlsctl_format_endpoint(&g->relay, relay, sizeof(relay));
	for (i = 0; i < g->n_epochs; i++)
		json_array_append_new(epochs, json_pack("{s:I, s:s, s:I}",
			"epoch", (json_int_t)g->epochs[i].epoch,
			"state", mlsnl_epoch_state_name(g->epochs[i].state),
			"tx_counter", (json_int_t)g->epochs[i].tx_counter));
	for (i = 0; i < g->n_members; i++)
		json_array_append_new(members,
				      mlsctl_member_json(&g->members[i]));
	obj = json_pack("{s:I, s:s, s:I, s:b, s:s?, s:o, s:o, s:o}",
			"group_id", (json_int_t)g->group_id,
			"aead", mlsnl_aead_name(g->aead),
			"own_leaf", (json_int_t)g->own_leaf,
			"multicast", !!(g->flags & MLSDCO_GROUP_F_MULTICAST),
			"relay", g->has_relay ? relay : NULL,
			"stats", mlsctl_stats_json(&g->stats),
			"epochs", epochs, "members", members);
	if (!obj || json_array_append_new(groups, obj))
		return -ENOMEM;
	return 0;
nomem:
	json_decref(members);
	json_decref(epochs);
	return -ENOMEM;
}

static int mlsctl_show_dev(struct mlsnl *nl, json_t *out,
			   const struct mlsnl_dev *dev)
{
	struct mlsnl_dev_sel sel = { .ifindex = dev->ifindex };
	json_t *groups = json_array(), *obj;
	int err = -ENOMEM, attempt;

	for (attempt = 0; groups && attempt < MLSCTL_DUMP_ATTEMPTS; attempt++) {
		json_array_clear(groups);
		err = mlsnl_group_dump(nl, &sel, mlsctl_group_json_cb, groups);
		if (err != -EINTR)
			break;
	}
	if (err) {
		json_decref(groups);
		return mlsctl_nl_err(nl, err, "show");
	}
	obj = json_pack("{s:s, s:I, s:I, s:I, s:I, s:o, s:o}",
			"ifname", dev->ifname,
			"ifindex", (json_int_t)dev->ifindex,
			"listen_port", (json_int_t)dev->listen_port,
			"soft_limit", (json_int_t)dev->soft_limit,
			"hard_limit", (json_int_t)dev->hard_limit,
			"stats", mlsctl_stats_json(&dev->stats),
			"groups", groups);
	if (!obj || json_array_append_new(out, obj))
		return mlsctl_err("show: out of memory");
	return MLSCTL_OK;
}

struct mlsctl_devlist {
	struct mlsnl_dev devs[256];
	size_t n;
};

static int mlsctl_devlist_cb(const struct mlsnl_dev *dev, void *arg)
{
	struct mlsctl_devlist *list = arg;

	if (list->n == sizeof(list->devs) / sizeof(list->devs[0]))
		return -E2BIG;
	list->devs[list->n++] = *dev;
	return 0;
}

static int mlsctl_show_collect(struct mlsnl *nl, const char *name,
			       json_t *out)
{
	static struct mlsctl_devlist list;
	struct mlsnl_dev_sel sel = { .ifname = name };
	int err = 0, attempt;
	size_t i;

	list.n = 0;
	if (name) {
		err = mlsnl_dev_get(nl, &sel, &list.devs[0]);
		list.n = !err;
	} else {
		for (attempt = 0; attempt < MLSCTL_DUMP_ATTEMPTS; attempt++) {
			list.n = 0;
			err = mlsnl_dev_dump(nl, mlsctl_devlist_cb, &list);
			if (err != -EINTR)
				break;
		}
	}
	if (err)
		return mlsctl_nl_err(nl, err, name ? "show" : "show (devices)");
	for (i = 0; i < list.n; i++)
		if (mlsctl_show_dev(nl, out, &list.devs[i]))
			return MLSCTL_FAIL;
	return MLSCTL_OK;
}

#define J_INT(obj, key) json_integer_value(json_object_get(obj, key))
#define J_STR(obj, key) json_string_value(json_object_get(obj, key))

static void mlsctl_print_stats(const char *indent, json_t *st)
{
	printf("%stransfer: %" JSON_INTEGER_FORMAT " packets (%" JSON_INTEGER_FORMAT
	       " B) received, %" JSON_INTEGER_FORMAT " packets (%" JSON_INTEGER_FORMAT
	       " B) sent\n", indent, J_INT(st, "rx_packets"),
	       J_INT(st, "rx_bytes"), J_INT(st, "tx_packets"),
	       J_INT(st, "tx_bytes"));
	printf("%sdropped: decrypt %" JSON_INTEGER_FORMAT ", replay %"
	       JSON_INTEGER_FORMAT ", unknown tag %" JSON_INTEGER_FORMAT
	       ", no route %" JSON_INTEGER_FORMAT ", exhausted %"
	       JSON_INTEGER_FORMAT ", bad source %" JSON_INTEGER_FORMAT "\n",
	       indent, J_INT(st, "decrypt_failures"), J_INT(st, "replays"),
	       J_INT(st, "unknown_tags"), J_INT(st, "no_route"),
	       J_INT(st, "exhausted"), J_INT(st, "bad_source"));
	printf("%skeepalives: %" JSON_INTEGER_FORMAT " received, %"
	       JSON_INTEGER_FORMAT " sent\n", indent,
	       J_INT(st, "rx_keepalives"), J_INT(st, "tx_keepalives"));
}

static void mlsctl_print_member(json_t *m)
{
	json_t *ip;
	size_t i;

	printf("\n  member: leaf %" JSON_INTEGER_FORMAT "\n", J_INT(m, "leaf"));
	if (J_STR(m, "endpoint"))
		printf("    endpoint: %s%s\n", J_STR(m, "endpoint"),
		       json_is_true(json_object_get(m, "endpoint_fixed")) ?
		       " (fixed)" : "");
	if (J_INT(m, "peer_id"))
		printf("    peer id: %" JSON_INTEGER_FORMAT "\n",
		       J_INT(m, "peer_id"));
	if (J_INT(m, "keepalive"))
		printf("    keepalive: every %" JSON_INTEGER_FORMAT " s\n",
		       J_INT(m, "keepalive"));
	printf("    allowed ips:");
	json_array_foreach(json_object_get(m, "allowed_ips"), i, ip)
		printf("%s %s", i ? "," : "", json_string_value(ip));
	printf("%s\n", json_array_size(json_object_get(m, "allowed_ips")) ?
	       "" : " (none)");
	mlsctl_print_stats("    ", json_object_get(m, "stats"));
}

static void mlsctl_print_group(json_t *g)
{
	json_t *e, *m;
	size_t i;

	printf("\ngroup: %" JSON_INTEGER_FORMAT "\n", J_INT(g, "group_id"));
	printf("  aead: %s\n  own leaf: %" JSON_INTEGER_FORMAT "\n",
	       J_STR(g, "aead"), J_INT(g, "own_leaf"));
	printf("  multicast: %s\n",
	       json_is_true(json_object_get(g, "multicast")) ? "yes" : "no");
	if (J_STR(g, "relay"))
		printf("  relay: %s\n", J_STR(g, "relay"));
	json_array_foreach(json_object_get(g, "epochs"), i, e)
		printf("  epoch %" JSON_INTEGER_FORMAT ": %s, %" JSON_INTEGER_FORMAT
		       " packets sent\n", J_INT(e, "epoch"), J_STR(e, "state"),
		       J_INT(e, "tx_counter"));
	mlsctl_print_stats("  ", json_object_get(g, "stats"));
	json_array_foreach(json_object_get(g, "members"), i, m)
		mlsctl_print_member(m);
}

static void mlsctl_print_text(json_t *devs)
{
	json_t *d, *g;
	size_t i, j;

	json_array_foreach(devs, i, d) {
		printf("%sdevice: %s\n", i ? "\n" : "", J_STR(d, "ifname"));
		printf("  listening port: %" JSON_INTEGER_FORMAT "\n",
		       J_INT(d, "listen_port"));
		printf("  packet limits: soft %" JSON_INTEGER_FORMAT ", hard %"
		       JSON_INTEGER_FORMAT " (0: AEAD default)\n",
		       J_INT(d, "soft_limit"), J_INT(d, "hard_limit"));
		mlsctl_print_stats("  ", json_object_get(d, "stats"));
		json_array_foreach(json_object_get(d, "groups"), j, g)
			mlsctl_print_group(g);
	}
}

int mlsctl_show(int argc, char **argv)
{
	const char *name = NULL;
	bool json = false;
	struct mlsnl *nl;
	json_t *out;
	int ret, i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-')
			return mlsctl_err("show: unknown option \"%s\"", argv[i]);
		else if (name)
			return mlsctl_err("show: unexpected argument \"%s\"",
					  argv[i]);
		else
			name = argv[i];
	}
	if (name && mlsctl_check_devname(name))
		return MLSCTL_FAIL;
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	out = json_array();
	ret = out ? mlsctl_show_collect(nl, name, out) :
		    mlsctl_err("show: out of memory");
	mlsnl_close(nl);
	if (ret == MLSCTL_OK) {
		if (json) {
			json_dumpf(out, stdout, JSON_COMPACT);
			putchar('\n');
		} else {
			mlsctl_print_text(out);
		}
		if (fflush(stdout))
			ret = mlsctl_err("show: cannot write output");
	}
	json_decref(out);
	return ret;
}
