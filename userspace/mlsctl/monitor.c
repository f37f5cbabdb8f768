// SPDX-License-Identifier: MIT
/*
 * "mlsctl monitor [count N]": print the kernel's notifications, one line
 * each, flushed at once so scripts can follow them:
 *
 *	key-exhausted dev mlsdco0 group 1 epoch 3 tx-counter 100
 *	epoch-switched dev mlsdco0 group 1 epoch 4 leaf 2
 *	unknown-sender dev mlsdco0 tag 0011223344556677 endpoint 10.0.0.2:5000
 *	no-route dev mlsdco0 dest 10.77.0.9/32
 *
 * "mlsctl monitor kernel" is the same; "mlsctl monitor agent" follows
 * mlsd's events instead (agent.c).
 */

#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "mlsctl.h"

struct mlsctl_monitor {
	uint64_t seen, count;	/* count 0: forever */
};

static void mlsctl_print_event(const struct mlsnl_event *ev)
{
	char name[IF_NAMESIZE], ep[64];
	size_t i;

	printf("%s", mlsnl_event_name(ev->cmd));
	if (if_indextoname(ev->ifindex, name))
		printf(" dev %s", name);
	else
		printf(" ifindex %u", ev->ifindex);
	if (ev->has_group_id)
		printf(" group %u", ev->group_id);
	if (ev->has_epoch)
		printf(" epoch %" PRIu64, ev->epoch);
	if (ev->has_tx_counter)
		printf(" tx-counter %" PRIu64, ev->tx_counter);
	if (ev->has_leaf)
		printf(" leaf %u", ev->leaf);
	if (ev->has_tag) {
		printf(" tag ");
		for (i = 0; i < sizeof(ev->tag); i++)
			printf("%02x", ev->tag[i]);
	}
	if (ev->has_endpoint) {
		mlsctl_format_endpoint(&ev->endpoint, ep, sizeof(ep));
		printf(" endpoint %s", ep);
	}
	if (ev->has_dest) {
		mlsctl_format_prefix(&ev->dest, ep, sizeof(ep));
		printf(" dest %s", ep);
	}
	putchar('\n');
	fflush(stdout);
}

static int mlsctl_monitor_cb(const struct mlsnl_event *ev, void *arg)
{
	struct mlsctl_monitor *mon = arg;

	mlsctl_print_event(ev);
	mon->seen++;
	return mon->count && mon->seen >= mon->count ? 1 : 0;
}

int mlsctl_monitor(int argc, char **argv)
{
	struct mlsctl_monitor mon = { 0 };
	struct mlsnl *nl;
	int err;

	if (argc && !strcmp(argv[0], "agent"))
		return mlsctl_agent_monitor(argc - 1, argv + 1);
	if (argc && !strcmp(argv[0], "kernel"))
		argc--, argv++;
	if (argc == 2 && !strcmp(argv[0], "count")) {
		if (mlsctl_parse_u64(argv[1], UINT64_MAX, &mon.count) ||
		    !mon.count)
			return mlsctl_err("monitor: invalid count \"%s\"",
					  argv[1]);
	} else if (argc) {
		return mlsctl_err("monitor: unexpected argument \"%s\" (usage: mlsctl monitor [count N])",
				  argv[0]);
	}
	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	err = mlsnl_events_subscribe(nl);
	if (err)
		return mlsctl_finish(nl, err, "monitor", "events");
	/* Ready: tests wait for this line before making events happen. */
	fprintf(stderr, "mlsctl: monitoring mlsdco events\n");
	do {
		err = mlsnl_events_recv(nl, mlsctl_monitor_cb, &mon);
	} while (err == 0 || err == -ENOBUFS);
	if (err > 0)
		err = 0;
	return mlsctl_finish(nl, err, "monitor", "events");
}
