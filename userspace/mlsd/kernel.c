// SPDX-License-Identifier: MIT
/* Groups, members and epochs in the kernel (kernel.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostcert.h"
#include "kernel.h"

static int nl_err(struct mlsd_kernel *k, struct mlsd_err *e, int err,
		  const char *what)
{
	const char *msg = mlsnl_errmsg(k->nl);

	return mlsd_errf(e, "kernel: %s: %s%s%s", what, strerror(-err),
			 *msg ? ": " : "", msg);
}

int mlsd_kernel_open(struct mlsd_kernel *k, uint32_t ifindex,
		     struct mlsd_err *e)
{
	int err;

	memset(k, 0, sizeof(*k));
	k->ifindex = ifindex;
	err = mlsnl_open(&k->nl);
	if (!err)
		err = mlsnl_open(&k->events);
	if (!err)
		err = mlsnl_events_subscribe(k->events);
	if (err) {
		mlsd_kernel_close(k);
		return mlsd_errf(e, "kernel: cannot open the mlsdco netlink family: %s%s",
				 strerror(-err), err == -ENOENT ?
				 " (is the mlsdco module loaded?)" : "");
	}
	return 0;
}

void mlsd_kernel_close(struct mlsd_kernel *k)
{
	if (k->nl)
		mlsnl_close(k->nl);
	if (k->events)
		mlsnl_close(k->events);
	k->nl = k->events = NULL;
}

static struct mlsnl_dev_sel sel_of(const struct mlsd_kernel *k)
{
	return (struct mlsnl_dev_sel){ .ifindex = k->ifindex };
}

int mlsd_kernel_set_port(struct mlsd_kernel *k, uint16_t port,
			 struct mlsd_err *e)
{
	struct mlsnl_dev_conf c = {
		.sel = sel_of(k), .has_listen_port = true, .listen_port = port,
	};
	int err = mlsnl_dev_set(k->nl, &c);

	return err ? nl_err(k, e, err, "listen-port") : 0;
}

int mlsd_kernel_events_fd(struct mlsd_kernel *k)
{
	return mlsnl_events_fd(k->events);
}

int mlsd_kernel_group_state(struct mlsd_kernel *k, uint32_t gid, bool *exists,
			    uint64_t *max_epoch, bool *has_epoch)
{
	struct mlsnl_dev_sel sel = sel_of(k);
	struct mlsnl_group g;
	int err = mlsnl_group_get(k->nl, &sel, gid, &g);

	*exists = false;
	*has_epoch = false;
	*max_epoch = 0;
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	*exists = true;
	for (size_t i = 0; i < g.n_epochs; i++) {
		*has_epoch = true;
		if (g.epochs[i].epoch > *max_epoch)
			*max_epoch = g.epochs[i].epoch;
	}
	mlsnl_group_free(&g);
	return 0;
}

int mlsd_kernel_group_ensure(struct mlsd_kernel *k,
			     const struct mlsd_kernel_group *g,
			     struct mlsd_err *e)
{
	struct mlsnl_group_conf c = {
		.sel = sel_of(k), .group_id = g->gid, .aead = g->aead,
		.own_leaf = g->own_leaf, .has_flags = true, .flags = g->flags,
		.has_relay = g->has_relay, .relay = g->relay,
	};
	int err = mlsnl_group_new(k->nl, &c);

	if (err == -EEXIST)
		return 0;
	return err ? nl_err(k, e, err, "group-new") : 0;
}

int mlsd_kernel_group_del(struct mlsd_kernel *k, uint32_t gid)
{
	struct mlsnl_dev_sel sel = sel_of(k);

	return mlsnl_group_del(k->nl, &sel, gid);
}

static void to_nl_prefix(const struct mlsd_prefix *p, struct mlsnl_prefix *o)
{
	memset(o, 0, sizeof(*o));
	o->family = p->family == 4 ? AF_INET : AF_INET6;
	memcpy(o->addr, p->addr, mlsd_prefix_addr_len(p));
	o->cidr = p->len;
}

static int member_set(struct mlsd_kernel *k, const struct mlsd_kernel_group *g,
		      const struct mlsd_kernel_member *m, struct mlsd_err *e)
{
	struct mlsnl_prefix allowed[MLSD_CERT_MAX_PREFIXES];
	struct mlsnl_member_conf c = {
		.sel = sel_of(k), .group_id = g->gid, .leaf = m->leaf,
		.has_allowed = true, .allowed = allowed,
		.has_peer_id = true, .peer_id = m->peer_id,
		.has_keepalive = true, .keepalive_s = g->keepalive_s,
	};
	int err;

	c.n_allowed = m->n_allowed < MLSD_CERT_MAX_PREFIXES ?
		      m->n_allowed : MLSD_CERT_MAX_PREFIXES;
	for (size_t i = 0; i < c.n_allowed; i++)
		to_nl_prefix(&m->allowed[i], &allowed[i]);
	err = mlsnl_member_set(k->nl, &c);
	return err ? nl_err(k, e, err, "member-set") : 0;
}

static bool wanted(const struct mlsd_kernel_member *members, size_t n,
		   uint32_t leaf)
{
	for (size_t i = 0; i < n; i++)
		if (members[i].leaf == leaf)
			return true;
	return false;
}

int mlsd_kernel_members(struct mlsd_kernel *k, const struct mlsd_kernel_group *g,
			const struct mlsd_kernel_member *members, size_t n,
			struct mlsd_err *e)
{
	struct mlsnl_dev_sel sel = sel_of(k);
	struct mlsnl_group kg;
	int err;

	err = mlsnl_group_get(k->nl, &sel, g->gid, &kg);
	if (err)
		return nl_err(k, e, err, "group-get");
	for (size_t i = 0; i < kg.n_members && !err; i++) {
		uint32_t leaf = kg.members[i].leaf;

		if (!wanted(members, n, leaf) && leaf != g->own_leaf) {
			err = mlsnl_member_del(k->nl, &sel, g->gid, leaf);
			if (err == -ENOENT)
				err = 0;
			if (err)
				err = nl_err(k, e, err, "member-del");
		}
	}
	mlsnl_group_free(&kg);
	for (size_t i = 0; i < n && !err; i++)
		err = member_set(k, g, &members[i], e);
	return err;
}

int mlsd_kernel_install(struct mlsd_kernel *k, struct mlsnl_epoch_conf *conf,
			struct mlsd_err *e)
{
	struct mlsnl_dev_sel sel = sel_of(k);
	int err;

	conf->sel = sel;
	err = mlsnl_epoch_new(k->nl, conf);
	if (err == -EBUSY) {
		/*
		 * The previous epoch still waits as next: every member has
		 * had it for a whole Commit round trip, so it can carry our
		 * traffic now and make room for this one.
		 */
		err = mlsnl_epoch_swap(k->nl, &sel, conf->group_id);
		if (err)
			return nl_err(k, e, err, "epoch-swap");
		err = mlsnl_epoch_new(k->nl, conf);
	}
	if (err)
		return nl_err(k, e, err, "epoch-new");
	/*
	 * No swap here: the new epoch receives at once, and our TX moves to
	 * it on the first packet of it from a peer (proof that the peer has
	 * it) or after the grace time (docs/NETLINK.md). Swapping now would
	 * send under keys that members still processing the Commit lack,
	 * and they would drop those packets.
	 */
	return 0;
}
