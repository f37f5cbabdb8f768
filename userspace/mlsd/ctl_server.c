// SPDX-License-Identifier: MIT
/*
 * Control socket server (ctl_server.h, docs/CONTROL.md).
 *
 * Backpressure: a client's next request is taken only once the reply to
 * the previous one is written out, so at most one reply is ever queued
 * per client, whatever it sends in one write. Only events can pile up,
 * and they are bounded by out_max.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl_server.h"

struct ctl_client {
	int fd;			/* -1: free slot */
	uint64_t conn;
	char *in;		/* MLSD_CTL_LINE_MAX + 1 bytes */
	size_t in_len;
	char *out;
	size_t out_len, out_cap;
	bool monitor;
	bool closing;		/* close once out is written */
	unsigned int deferred;	/* requests the daemon answers later */
	int64_t active_ms;	/* last byte read or written */
};

struct mlsd_ctl_server {
	int lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;
	ino_t ino;
	uid_t uid;
	const struct mlsd_ctl_ops *ops;
	void *ctx;
	size_t max_clients, out_max;
	int idle_ms;
	struct ctl_client *clients;	/* max_clients slots */
	uint64_t next_conn;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the socket file ---- */

/* Make room at path: only a stale socket may go. */
static int clear_path(const char *path, struct mlsd_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 :
		       mlsd_errf(e, "%s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return mlsd_errf(e, "%s: exists and is not a socket; not replacing it",
				 path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return mlsd_errf(e, "%s: socket: %s", path, strerror(errno));
	strcpy(sa.sun_path, path);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (!ret)
		return mlsd_errf(e, "%s: another mlsd is listening there",
				 path);
	if (errno != ECONNREFUSED)
		return mlsd_errf(e, "%s: cannot tell whether the old socket is in use: %s",
				 path, strerror(errno));
	if (unlink(path) && errno != ENOENT)
		return mlsd_errf(e, "%s: cannot remove the stale socket: %s",
				 path, strerror(errno));
	return 0;
}

static int listen_at(struct mlsd_ctl_server *srv, struct mlsd_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int ret;

	srv->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			  0);
	if (srv->lfd < 0)
		return mlsd_errf(e, "%s: socket: %s", srv->path,
				 strerror(errno));
	strcpy(sa.sun_path, srv->path);
	/* The file is never, even for a moment, open to others. */
	old = umask(0177);
	ret = bind(srv->lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret)
		return mlsd_errf(e, "%s: bind: %s", srv->path, strerror(errno));
	if (chmod(srv->path, 0600) || listen(srv->lfd, 16) ||
	    stat(srv->path, &st)) {
		mlsd_errf(e, "%s: %s", srv->path, strerror(errno));
		unlink(srv->path);
		return -1;
	}
	srv->dev = st.st_dev;
	srv->ino = st.st_ino;
	return 0;
}

struct mlsd_ctl_server *mlsd_ctl_server_open(
	const struct mlsd_ctl_server_config *cfg, struct mlsd_err *e)
{
	struct mlsd_ctl_server *srv;
	size_t i;

	if (!cfg->path[0] || strlen(cfg->path) >= sizeof(srv->path)) {
		mlsd_errf(e, "%s: a unix socket path is 1 to %zu bytes",
			  cfg->path, sizeof(srv->path) - 1);
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		mlsd_errf(e, "%s: out of memory", cfg->path);
		return NULL;
	}
	strcpy(srv->path, cfg->path);
	srv->lfd = -1;
	srv->uid = cfg->allowed_uid;
	srv->ops = cfg->ops;
	srv->ctx = cfg->ctx;
	srv->max_clients = cfg->max_clients ? cfg->max_clients :
			   MLSD_CTL_MAX_CLIENTS;
	srv->idle_ms = cfg->idle_ms ? cfg->idle_ms : MLSD_CTL_IDLE_MS;
	srv->out_max = cfg->out_max ? cfg->out_max : MLSD_CTL_OUT_MAX;
	srv->clients = calloc(srv->max_clients, sizeof(*srv->clients));
	if (!srv->clients) {
		mlsd_errf(e, "%s: out of memory", cfg->path);
		goto fail;
	}
	for (i = 0; i < srv->max_clients; i++)
		srv->clients[i].fd = -1;
	if (clear_path(srv->path, e) || listen_at(srv, e))
		goto fail;
	return srv;
fail:
	if (srv->lfd >= 0)
		close(srv->lfd);
	free(srv->clients);
	free(srv);
	return NULL;
}

/* ---- clients ---- */

static void client_free(struct ctl_client *c)
{
	close(c->fd);
	free(c->in);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void mlsd_ctl_server_close(struct mlsd_ctl_server *srv)
{
	struct stat st;
	size_t i;

	if (!srv)
		return;
	for (i = 0; i < srv->max_clients; i++)
		if (srv->clients[i].fd >= 0)
			client_free(&srv->clients[i]);
	close(srv->lfd);
	/* Only our own socket: another mlsd may have taken the path. */
	if (!stat(srv->path, &st) && st.st_dev == srv->dev &&
	    st.st_ino == srv->ino)
		unlink(srv->path);
	free(srv->clients);
	free(srv);
}

static struct ctl_client *client_by_fd(struct mlsd_ctl_server *srv, int fd)
{
	size_t i;

	for (i = 0; i < srv->max_clients; i++)
		if (srv->clients[i].fd == fd)
			return &srv->clients[i];
	return NULL;
}

/* Write what is queued; false if the client is gone. */
static bool client_flush(struct ctl_client *c)
{
	ssize_t n;

	while (c->out_len) {
		n = send(c->fd, c->out, c->out_len,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		memmove(c->out, c->out + n, c->out_len - n);
		c->out_len -= n;
		c->active_ms = now_ms();
	}
	return true;
}

/* Queue a line and try to write it; false if the client is gone. */
static bool client_queue(struct ctl_client *c, const char *line, size_t n)
{
	char *grown;
	size_t cap;

	if (c->out_len + n > c->out_cap) {
		cap = c->out_cap ? c->out_cap : 4096;
		while (cap < c->out_len + n)
			cap *= 2;
		grown = realloc(c->out, cap);
		if (!grown)
			return false;
		c->out = grown;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, line, n);
	c->out_len += n;
	return client_flush(c);
}

static bool client_send_error(struct ctl_client *c, int64_t id,
			      const struct mlsd_ctl_error *err)
{
	size_t n;
	char *line = mlsd_ctl_encode_error(id, err, &n);
	bool alive = line && client_queue(c, line, n);

	free(line);
	return alive;
}

static bool client_send_ok(struct ctl_client *c, int64_t id,
			   const json_t *result)
{
	size_t n;
	char *line = mlsd_ctl_encode_ok(id, result, &n);
	bool alive = line && client_queue(c, line, n);

	free(line);
	return alive;
}

static mlsd_ctl_fn op_of(const struct mlsd_ctl_ops *ops,
			 enum mlsd_ctl_cmd cmd)
{
	switch (cmd) {
	case MLSD_CTL_STATUS: return ops->status;
	case MLSD_CTL_HOST_LIST: return ops->host_list;
	case MLSD_CTL_HOST_REMOVE: return ops->host_remove;
	case MLSD_CTL_GROUP_CREATE: return ops->group_create;
	case MLSD_CTL_GROUP_ADD: return ops->group_add;
	case MLSD_CTL_GROUP_REMOVE: return ops->group_remove;
	case MLSD_CTL_GROUP_LIST: return ops->group_list;
	case MLSD_CTL_REKEY: return ops->rekey;
	default: return NULL;
	}
}

/* Run one valid request; false if the client is gone. */
static bool client_dispatch(struct mlsd_ctl_server *srv, struct ctl_client *c,
			    struct mlsd_ctl_request *req)
{
	struct mlsd_ctl_error err = { NULL, "" };
	mlsd_ctl_fn fn;
	json_t *result;
	bool alive;
	int ret;

	if (req->cmd == MLSD_CTL_MONITOR) {
		result = json_object();
		alive = result && client_send_ok(c, req->id, result);
		json_decref(result);
		c->monitor = true;
		return alive;
	}
	fn = srv->ops ? op_of(srv->ops, req->cmd) : NULL;
	if (!fn) {
		mlsd_ctl_fail(&err, MLSD_CTL_E_UNSUPPORTED,
			      "%s is not supported by this mlsd",
			      mlsd_ctl_cmd_name(req->cmd));
		return client_send_error(c, req->id, &err);
	}
	result = json_object();
	if (!result) {
		mlsd_ctl_fail(&err, MLSD_CTL_E_NOMEM, "out of memory");
		return client_send_error(c, req->id, &err);
	}
	req->conn = c->conn;
	ret = fn(srv->ctx, req, result, &err);
	if (ret == MLSD_CTL_DEFER) {
		c->deferred++;
		alive = true;
	} else if (ret) {
		if (!err.code)
			mlsd_ctl_fail(&err, MLSD_CTL_E_FAILED, "%s failed",
				      mlsd_ctl_cmd_name(req->cmd));
		alive = client_send_error(c, req->id, &err);
	} else {
		alive = client_send_ok(c, req->id, result);
	}
	json_decref(result);
	return alive;
}

static bool client_line(struct mlsd_ctl_server *srv, struct ctl_client *c,
			const char *line, size_t len)
{
	static struct mlsd_ctl_request req;	/* 16 KiB: not on the stack */
	struct mlsd_ctl_error err;

	if (!len)
		return true;
	if (mlsd_ctl_parse_request(line, len, &req, &err))
		return client_send_error(c, req.id, &err);
	return client_dispatch(srv, c, &req);
}

/*
 * Take the complete lines in c->in, one at a time while no reply waits
 * to be written (see the top of the file); false if the client is gone.
 */
static bool client_process(struct mlsd_ctl_server *srv, struct ctl_client *c)
{
	struct mlsd_ctl_error err;
	char *nl;
	size_t len;

	while (!c->monitor && !c->closing && !c->out_len &&
	       (nl = memchr(c->in, '\n', c->in_len))) {
		len = nl - c->in;
		if (!client_line(srv, c, c->in, len))
			return false;
		c->in_len -= len + 1;
		memmove(c->in, nl + 1, c->in_len);
	}
	if (c->monitor)
		c->in_len = 0;	/* a monitor's input means nothing */
	if (c->in_len > MLSD_CTL_LINE_MAX && !memchr(c->in, '\n', c->in_len)) {
		/* No way to find the next request: answer and hang up. */
		mlsd_ctl_fail(&err, MLSD_CTL_E_TOO_LONG,
			      "line longer than %d bytes; closing",
			      MLSD_CTL_LINE_MAX);
		c->closing = true;
		c->in_len = 0;
		return client_send_error(c, MLSD_CTL_NO_ID, &err);
	}
	return true;
}

/* Whether c is done: gone, or closing with nothing left to write. */
static bool client_done(const struct ctl_client *c)
{
	return c->closing && !c->out_len && !c->deferred;
}

static bool client_read(struct mlsd_ctl_server *srv, struct ctl_client *c)
{
	ssize_t n;

	/* Full of requests waiting behind a reply: they go first. */
	if (c->in_len == MLSD_CTL_LINE_MAX + 1)
		return true;
	n = recv(c->fd, c->in + c->in_len, MLSD_CTL_LINE_MAX + 1 - c->in_len,
		 MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (n == 0) {
		/* A partial last line is not a request. */
		c->closing = true;
		c->in_len = 0;
		return true;
	}
	c->in_len += n;
	c->active_ms = now_ms();
	return client_process(srv, c);
}

/* Answer a client we do not keep, and hang up. */
static void refuse(int fd, const struct mlsd_ctl_error *err)
{
	size_t n;
	char *line = mlsd_ctl_encode_error(MLSD_CTL_NO_ID, err, &n);

	/* Best effort: it fits any socket buffer, and the peer goes anyway. */
	if (line)
		(void)send(fd, line, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	free(line);
	close(fd);
}

static void accept_one(struct mlsd_ctl_server *srv, int fd)
{
	struct ctl_client *c = client_by_fd(srv, -1);
	struct mlsd_ctl_error err;
	socklen_t len = sizeof(struct ucred);
	struct ucred cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		mlsd_ctl_fail(&err, MLSD_CTL_E_DENIED,
			      "cannot tell who you are (SO_PEERCRED: %s)",
			      strerror(errno));
	else if (cred.uid != srv->uid)
		mlsd_ctl_fail(&err, MLSD_CTL_E_DENIED,
			      "mlsd answers uid %u only (you are uid %u)",
			      (unsigned int)srv->uid, (unsigned int)cred.uid);
	else if (!c)
		mlsd_ctl_fail(&err, MLSD_CTL_E_BUSY,
			      "mlsd serves %zu clients at once; try again later",
			      srv->max_clients);
	else if (!(c->in = malloc(MLSD_CTL_LINE_MAX + 1)))
		mlsd_ctl_fail(&err, MLSD_CTL_E_NOMEM, "out of memory");
	else
		err.code = NULL;
	if (err.code)
		return refuse(fd, &err);
	c->fd = fd;
	c->conn = ++srv->next_conn;
	c->active_ms = now_ms();
}

static void accept_all(struct mlsd_ctl_server *srv)
{
	int fd;

	while ((fd = accept4(srv->lfd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		accept_one(srv, fd);
}

void mlsd_ctl_server_handle(struct mlsd_ctl_server *srv, int fd,
			    short revents)
{
	struct ctl_client *c;
	bool alive = true;

	if (fd == srv->lfd) {
		accept_all(srv);
		return;
	}
	c = fd >= 0 ? client_by_fd(srv, fd) : NULL;
	if (!c)
		return;
	if (revents & POLLOUT) {
		alive = client_flush(c);
		/* Written out: the next buffered request may go. */
		if (alive && !c->out_len)
			alive = client_process(srv, c);
	}
	if (alive && (revents & (POLLIN | POLLHUP)) && !c->closing)
		alive = client_read(srv, c);
	if (revents & (POLLERR | POLLNVAL))
		alive = false;
	if (!alive || client_done(c))
		client_free(c);
}

size_t mlsd_ctl_server_pollfds(const struct mlsd_ctl_server *srv,
			       struct pollfd *fds, size_t cap)
{
	const struct ctl_client *c;
	size_t i, n = 0;

	if (cap)
		fds[n++] = (struct pollfd){ .fd = srv->lfd, .events = POLLIN };
	for (i = 0; i < srv->max_clients && n < cap; i++) {
		c = &srv->clients[i];
		if (c->fd < 0)
			continue;
		fds[n] = (struct pollfd){ .fd = c->fd };
		/* Reading waits while a reply waits (backpressure). */
		if (!c->closing && (c->monitor || !c->out_len))
			fds[n].events |= POLLIN;
		if (c->out_len)
			fds[n].events |= POLLOUT;
		n++;
	}
	return n;
}

static bool idles(const struct ctl_client *c)
{
	return c->fd >= 0 && !c->monitor && !c->deferred;
}

int mlsd_ctl_server_timeout(const struct mlsd_ctl_server *srv)
{
	int64_t now = now_ms(), left, best = -1;
	size_t i;

	for (i = 0; i < srv->max_clients; i++) {
		if (!idles(&srv->clients[i]))
			continue;
		left = srv->clients[i].active_ms + srv->idle_ms - now;
		if (left < 0)
			left = 0;
		if (best < 0 || left < best)
			best = left;
	}
	return (int)best;
}

void mlsd_ctl_server_expire(struct mlsd_ctl_server *srv)
{
	int64_t now = now_ms();
	size_t i;

	for (i = 0; i < srv->max_clients; i++)
		if (idles(&srv->clients[i]) &&
		    now - srv->clients[i].active_ms >= srv->idle_ms)
			client_free(&srv->clients[i]);
}

int mlsd_ctl_server_event(struct mlsd_ctl_server *srv, const json_t *ev)
{
	struct ctl_client *c;
	size_t i, n;
	char *line;

	if (!json_is_object(ev) ||
	    !json_is_string(json_object_get(ev, "event")))
		return -EINVAL;
	line = mlsd_ctl_encode_event(ev, &n);
	if (!line)
		return -ENOMEM;
	for (i = 0; i < srv->max_clients; i++) {
		c = &srv->clients[i];
		if (c->fd < 0 || !c->monitor)
			continue;
		/* A monitor that does not keep up is dropped, never waited for. */
		if (c->out_len + n > srv->out_max || !client_queue(c, line, n))
			client_free(c);
	}
	free(line);
	return 0;
}

int mlsd_ctl_server_reply(struct mlsd_ctl_server *srv, uint64_t conn,
			  int64_t id, const json_t *result,
			  const struct mlsd_ctl_error *err)
{
	struct ctl_client *c = NULL;
	size_t i;
	bool alive;

	for (i = 0; i < srv->max_clients && !c; i++)
		if (srv->clients[i].fd >= 0 && srv->clients[i].conn == conn &&
		    srv->clients[i].deferred)
			c = &srv->clients[i];
	if (!c)
		return -ENOENT;
	c->deferred--;
	alive = result ? client_send_ok(c, id, result) :
			 client_send_error(c, id, err);
	if (alive && !c->out_len)
		alive = client_process(srv, c);
	if (!alive || client_done(c))
		client_free(c);
	return 0;
}

size_t mlsd_ctl_server_clients(const struct mlsd_ctl_server *srv)
{
	size_t i, n = 0;

	for (i = 0; i < srv->max_clients; i++)
		n += srv->clients[i].fd >= 0;
	return n;
}

size_t mlsd_ctl_server_monitors(const struct mlsd_ctl_server *srv)
{
	size_t i, n = 0;

	for (i = 0; i < srv->max_clients; i++)
		n += srv->clients[i].fd >= 0 && srv->clients[i].monitor;
	return n;
}
