/* SPDX-License-Identifier: MIT */
/*
 * The control socket's server (docs/CONTROL.md): a nonblocking unix
 * socket for one poll() loop. It accepts clients of one uid only
 * (SO_PEERCRED), splits their input into lines, parses each request
 * (ctl_proto.h) and calls the daemon's callback for it, queues replies,
 * and streams events to the clients that asked for "monitor". Nothing
 * it does blocks: a client that does not read its replies or events is
 * dropped once its queue passes a bound.
 *
 * Loop:
 *	n = mlsd_ctl_server_pollfds(srv, fds, cap);
 *	poll(fds, n, min(own timeout, mlsd_ctl_server_timeout(srv)));
 *	for each fds[i] with revents:
 *		mlsd_ctl_server_handle(srv, fds[i].fd, fds[i].revents);
 *	mlsd_ctl_server_expire(srv);
 */
#ifndef MLSD_CTL_SERVER_H
#define MLSD_CTL_SERVER_H

#include <jansson.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctl_proto.h"
#include "err.h"

/* Defaults of the limits (a 0 in the config means the default). */
#define MLSD_CTL_MAX_CLIENTS	16
#define MLSD_CTL_IDLE_MS	10000
#define MLSD_CTL_OUT_MAX	(4u << 20)

/*
 * A callback's answer: 0 with result (an empty object it may fill)
 * filled, -1 with err set (mlsd_ctl_fail; code MLSD_CTL_E_FAILED if it
 * set none), or MLSD_CTL_DEFER: the daemon answers later with
 * mlsd_ctl_server_reply(srv, req->conn, req->id, ...) (a commit that
 * waits for the relay); the connection stays open until then.
 */
#define MLSD_CTL_DEFER	1

typedef int (*mlsd_ctl_fn)(void *ctx, const struct mlsd_ctl_request *req,
			   json_t *result, struct mlsd_ctl_error *err);

/* One per command; NULL ones answer "unsupported". monitor is the
 * server's own. Which request fields each reads: ctl_proto.h.
 */
struct mlsd_ctl_ops {
	mlsd_ctl_fn status;
	mlsd_ctl_fn host_list;
	mlsd_ctl_fn host_remove;
	mlsd_ctl_fn group_create;
	mlsd_ctl_fn group_add;
	mlsd_ctl_fn group_remove;
	mlsd_ctl_fn group_list;
	mlsd_ctl_fn rekey;
};

struct mlsd_ctl_server_config {
	const char *path;		/* the socket, made with mode 0600 */
	uid_t allowed_uid;		/* mlsd: 0 */
	const struct mlsd_ctl_ops *ops;
	void *ctx;			/* first argument of every callback */
	size_t max_clients;		/* at once; more are refused */
	int idle_ms;			/* a client silent this long is closed */
	size_t out_max;			/* queued bytes before a drop */
};

struct mlsd_ctl_server;

/*
 * Listen at cfg->path. A stale socket there (nobody accepts) is removed;
 * a live one (another mlsd) or anything that is not a socket is left
 * alone and refused. NULL with e->msg "PATH: reason".
 */
struct mlsd_ctl_server *mlsd_ctl_server_open(
	const struct mlsd_ctl_server_config *cfg, struct mlsd_err *e);
/* Close every client and the socket, and remove the socket file. */
void mlsd_ctl_server_close(struct mlsd_ctl_server *srv);

/* Fill fds (at most cap; 1 + max_clients is always enough) with the
 * listening socket and every client, POLLOUT where output waits.
 */
size_t mlsd_ctl_server_pollfds(const struct mlsd_ctl_server *srv,
			       struct pollfd *fds, size_t cap);
/* Act on poll's revents for fd (one of pollfds'; others are ignored). */
void mlsd_ctl_server_handle(struct mlsd_ctl_server *srv, int fd,
			    short revents);
/* ms until the next idle client is due (-1: none); then call expire. */
int mlsd_ctl_server_timeout(const struct mlsd_ctl_server *srv);
void mlsd_ctl_server_expire(struct mlsd_ctl_server *srv);

/*
 * Queue ev (borrowed; an object with a string "event", see
 * mlsd_ctl_event_*) to every monitor client. 0, -EINVAL for a bad ev,
 * -ENOMEM. A client whose queue would pass out_max is dropped.
 */
int mlsd_ctl_server_event(struct mlsd_ctl_server *srv, const json_t *ev);

/*
 * The answer to a deferred request: result (borrowed) for ok, or NULL
 * and err. -ENOENT if that connection is gone (the answer is dropped).
 */
int mlsd_ctl_server_reply(struct mlsd_ctl_server *srv, uint64_t conn,
			  int64_t id, const json_t *result,
			  const struct mlsd_ctl_error *err);

/* Connected clients, and how many of them are monitoring. */
size_t mlsd_ctl_server_clients(const struct mlsd_ctl_server *srv);
size_t mlsd_ctl_server_monitors(const struct mlsd_ctl_server *srv);

#endif
