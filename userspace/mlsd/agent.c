// SPDX-License-Identifier: MIT
/*
 * The agent's life: startup (config, key, certificate, store, device,
 * kernel), the relay session (connect with backoff, KeyPackages,
 * subscriptions, the network group) and what arrives from the relay and
 * the kernel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "keying.h"
#include "link.h"

#define BACKOFF_BASE_MS		500
#define BACKOFF_CAP_MS		30000

void mlsd_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mlsd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void relay_connect(void *arg);

/* ---- the relay session ---- */

static void drain(struct mlsd_agent *a)
{
	struct mlsd_relay_item *it;

	while ((it = mlsd_relay_pop(&a->relay))) {
		if (it->type == RP_HS_EVENT)
			mlsd_group_handle(a, it);
		else if (it->type == RP_WELCOME)
			mlsd_pairs_welcome(a, it);
		mlsd_relay_item_free(it);
	}
}

void mlsd_agent_relay_lost(struct mlsd_agent *a, int err)
{
	uint32_t delay;

	if (!a->relay.up)
		return;
	delay = mlsd_backoff_next(&a->backoff, (uint32_t)random());
	mlsd_log("relay connection lost (%s): reconnecting in %u ms",
		 rp_strerror(err), delay);
	mlsd_loop_del_fd(&a->loop, mlsd_relay_fd(&a->relay));
	mlsd_relay_close(&a->relay);
	a->relay_since = (int64_t)time(NULL);
	mlsd_loop_timer(&a->loop, delay, relay_connect, a);
}

bool mlsd_agent_call(struct mlsd_agent *a, struct rp_frame *req,
		     struct mlsd_relay_reply *rep)
{
	int err;

	if (!a->relay.up)
		return false;
	err = mlsd_relay_call(&a->relay, req, rep);
	if (err) {
		mlsd_relay_reply_free(rep);
		mlsd_agent_relay_lost(a, err);
		return false;
	}
	return true;
}

static void relay_readable(int fd, void *arg)
{
	struct mlsd_agent *a = arg;
	int err;

	(void)fd;
	err = mlsd_relay_read(&a->relay);
	if (err)
		mlsd_agent_relay_lost(a, err);
	drain(a);
}

static bool relay_buffered(void *arg)
{
	return mlsd_relay_buffered(&((struct mlsd_agent *)arg)->relay);
}

static void fresh_epochs(struct mlsd_agent *a)
{
	for (size_t i = 0; i < a->n_groups && a->relay.up; i++) {
		struct mlsd_group *gr = a->groups[i];

		if (gr->active && gr->need_fresh_epoch)
			mlsd_commit_update(a, gr);
		drain(a);
	}
}

static void session_start(struct mlsd_agent *a)
{
	if (mlsd_kp_upload(a, MLSD_KP_ONE_TIME))
		mlsd_log("could not upload KeyPackages: pair groups may wait");
	for (size_t i = 0; i < a->n_groups && a->relay.up; i++)
		if (a->groups[i]->active || a->groups[i] == a->net)
			mlsd_group_resume(a, a->groups[i]);
	drain(a);
	fresh_epochs(a);
	if (!a->net->active)
		mlsd_net_start(a);
	drain(a);
	mlsd_pairs_update(a);
	drain(a);
}

static void relay_connect(void *arg)
{
	struct mlsd_agent *a = arg;
	const struct mlsd_conf_relay *r = &a->cfg.relay;
	/* config.c lets exactly one of Fingerprint and CAFile through */
	const struct rp_trust trust = {
		.pin = r->has_fingerprint ? r->fingerprint : NULL,
		.ca_file = r->has_fingerprint ? NULL : r->ca_file.path,
	};
	struct mlsd_err e;

	if (mlsd_relay_connect(&a->relay, r->address.host, r->address.port,
			       &trust, a->cfg.net.suite,
			       a->cfg.iface.name, a->id.key.priv,
			       a->id.key.priv_len, a->id.key.pub,
			       a->id.key.pub_len, &e)) {
		uint32_t delay = mlsd_backoff_next(&a->backoff,
						   (uint32_t)random());

		mlsd_log("%s: retrying in %u ms", e.msg, delay);
		mlsd_loop_timer(&a->loop, delay, relay_connect, a);
		return;
	}
	mlsd_backoff_reset(&a->backoff);
	a->relay_since = (int64_t)time(NULL);
	mlsd_log("relay %s:%u connected as %s", r->address.host,
		 r->address.port, a->cfg.iface.name);
	mlsd_loop_add_fd(&a->loop, mlsd_relay_fd(&a->relay), relay_readable,
			 relay_buffered, a);
	session_start(a);
}

/* Pair groups we wait for, and ones we could not make yet. */
static void welcome_tick(void *arg)
{
	struct mlsd_agent *a = arg;

	if (a->relay.up && a->net->active) {
		mlsd_pairs_update(a);
		drain(a);
	}
	mlsd_loop_timer(&a->loop, MLSD_WELCOME_POLL_MS, welcome_tick, a);
}

/* ---- kernel events ---- */

static int kernel_event(const struct mlsnl_event *ev, void *arg)
{
	struct mlsd_agent *a = arg;

	if ((ev->cmd != MLSDCO_CMD_KEY_SOFT_LIMIT &&
	     ev->cmd != MLSDCO_CMD_KEY_EXHAUSTED) || !ev->has_group_id ||
	    ev->ifindex != a->ifindex)
		return 0;
	for (size_t i = 0; i < a->n_groups; i++)
		if (a->groups[i]->active && a->groups[i]->kgid == ev->group_id) {
			mlsd_log("%s: kernel says %s: rekeying",
				 a->groups[i]->gid, mlsnl_event_name(ev->cmd));
			mlsd_rekey_soon(a, a->groups[i]);
		}
	return 0;
}

static void kernel_readable(int fd, void *arg)
{
	struct mlsd_agent *a = arg;
	int err;

	(void)fd;
	err = mlsnl_events_recv(a->kern.events, kernel_event, a);
	if (err == -ENOBUFS)
		mlsd_log("kernel events were lost: rekeying every group");
	if (err == -ENOBUFS)
		for (size_t i = 0; i < a->n_groups; i++)
			if (a->groups[i]->active)
				mlsd_rekey_soon(a, a->groups[i]);
}

/* ---- startup ---- */

static int resolve_data(struct mlsd_agent *a, struct mlsd_err *e)
{
	const struct mlsd_conf_hostport *hp = &a->cfg.relay.data_address;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
	char port[8];
	int err;

	if (!hp->port)
		return 0;
	snprintf(port, sizeof(port), "%u", hp->port);
	err = getaddrinfo(hp->host, port, &hints, &res);
	if (err)
		return mlsd_errf(e, "%s:%u: DataAddress %s: %s", a->cfg.file,
				 hp->line, hp->host, gai_strerror(err));
	a->relay_data.port = hp->port;
	a->relay_data.family = (sa_family_t)res->ai_family;
	if (res->ai_family == AF_INET)
		memcpy(a->relay_data.addr,
		       &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	else
		memcpy(a->relay_data.addr,
		       &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
	freeaddrinfo(res);
	a->has_relay_data = true;
	return 0;
}

static int open_store(struct mlsd_agent *a, struct mlsd_err *e)
{
	uint8_t key[MLSD_STORE_KEY_LEN];
	char dir[MLSD_CONF_PATH_MAX], *slash;
	int err;

	snprintf(dir, sizeof(dir), "%s", a->cfg.iface.state_file.path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return mlsd_errf(e, "StateFile directory %s: %s", dir,
					 strerror(errno));
	}
	if (mlsd_store_key_from(a->id.key.priv, a->id.key.priv_len,
				"mlsd store", key))
		return mlsd_errf(e, "cannot derive the store key");
	err = mlsd_store_open(a->cfg.iface.state_file.path, key, &a->store, e);
	mls_wipe(key, sizeof(key));
	return err;
}

static int check_config(struct mlsd_agent *a, struct mlsd_err *e)
{
	const struct mlsd_config *c = &a->cfg;

	if (!c->relay.data_address.port)
		return mlsd_errf(e, "%s:%u: [Relay] lacks DataAddress (every packet goes through the relay)",
				 c->file, c->relay.address.line);
	a->suite = mls_suite_get(c->net.suite);
	if (!a->suite || mlsd_kernel_aead(a->suite) < 0)
		return mlsd_errf(e, "%s: suite %u: the kernel module has no AEAD for it",
				 c->file, c->net.suite);
	if (mlsd_net_group_id(c->net.name, a->net_gid, sizeof(a->net_gid)) < 0)
		return mlsd_errf(e, "%s: network name too long", c->file);
	a->keepalive_s = (uint16_t)c->relay.keepalive;
	return 0;
}

static int load_config(struct mlsd_agent *a, const char *path,
		       struct mlsd_err *e)
{
	if (mlsd_config_load(path, &a->cfg, e))
		return -1;
	if (mlsd_admission_from_config(&a->cfg, &a->adm, e))
		return -1;
	if (mlsd_identity_load(&a->cfg, &a->adm, &a->id, e))
		return -1;
	return check_config(a, e);
}

static int setup_kernel(struct mlsd_agent *a, struct mlsd_err *e)
{
	const struct mlsd_conf_interface *i = &a->cfg.iface;

	if (mlsd_link_setup(i->device, i->addresses, i->n_addresses,
			    &a->ifindex, e))
		return -1;
	if (mlsd_kernel_open(&a->kern, a->ifindex, e))
		return -1;
	if (i->listen_port && mlsd_kernel_set_port(&a->kern, i->listen_port, e))
		return -1;
	return mlsd_loop_add_fd(&a->loop, mlsd_kernel_events_fd(&a->kern),
				kernel_readable, NULL, a) ?
	       mlsd_errf(e, "event loop full") : 0;
}

int mlsd_agent_init(struct mlsd_agent *a, const char *config,
		    struct mlsd_err *e)
{
	memset(a, 0, sizeof(*a));
	mlsd_loop_init(&a->loop);
	mlsd_backoff_init(&a->backoff, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
	if (load_config(a, config, e) || open_store(a, e) ||
	    setup_kernel(a, e) || resolve_data(a, e) ||
	    mlsd_groups_load(a, e) || mlsd_control_open(a, e))
		return -1;
	mlsd_log("%s (ifindex %u) up as %s in network %s, peer id %u",
		 a->cfg.iface.device, a->ifindex, a->cfg.iface.name,
		 a->cfg.net.name, mlsd_peer_id(a->cfg.iface.name));
	mlsd_loop_timer(&a->loop, 0, relay_connect, a);
	mlsd_loop_timer(&a->loop, MLSD_WELCOME_POLL_MS, welcome_tick, a);
	return 0;
}

void mlsd_agent_run(struct mlsd_agent *a)
{
	mlsd_loop_run(&a->loop);
}

void mlsd_agent_free(struct mlsd_agent *a)
{
	mlsd_control_close(a);
	mlsd_relay_close(&a->relay);
	mlsd_relay_flush(&a->relay);
	for (size_t i = 0; i < a->n_groups; i++) {
		mlsd_group_reset(a->groups[i]);
		free(a->groups[i]);
	}
	mlsd_kernel_close(&a->kern);
	mlsd_store_close(a->store);
	mlsd_identity_free(&a->id);
	mlsd_admission_free(&a->adm);
	mlsd_config_free(&a->cfg);
}
