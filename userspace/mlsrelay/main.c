// SPDX-License-Identifier: MIT
/*
 * mlsrelay: the untrusted MLS Delivery Service and packet relay.
 *   mlsrelay -c CONFIG
 * One thread: poll() over the TLS listener, the UDP data socket and the
 * control connections. SIGTERM/SIGINT stop it; SIGUSR1 logs the data
 * relay's counters.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"

static volatile sig_atomic_t stop_requested, stats_requested;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		stats_requested = 1;
	else
		stop_requested = 1;
}

/*
 * The signals stay blocked except inside ppoll(), which unblocks them
 * atomically: one arriving while the loop works is not lost before the
 * next wait (the race a plain poll() has).
 */
static void install_signals(sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Written once both sockets are bound: tests wait for it. */
static int write_port_file(const char *path, uint16_t tcp, uint16_t udp)
{
	char tmp[300];
	FILE *f;

	if (!path[0])
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "tcp %u\nudp %u\n", tcp, udp);
	if (fclose(f) || rename(tmp, path))
		return -1;
	return 0;
}

static int relay_open(struct relay *r, const char *config)
{
	uint16_t tcp_port, udp_port;
	int udp_fd;

	if (config_load(config, &r->cfg))
		return -1;
	if (store_sqlite_open(r->cfg.db, &r->store)) {
		relay_log("store: cannot open %s", r->cfg.db);
		return -1;
	}
	if (tls_server_init(&r->tls, r->cfg.cert, r->cfg.key))
		return -1;
	if (config_bind(r->cfg.listen_tcp, SOCK_STREAM, &r->listen_fd,
			&tcp_port) ||
	    config_bind(r->cfg.listen_udp, SOCK_DGRAM, &udp_fd, &udp_port)) {
		relay_log("cannot listen on %s / udp %s", r->cfg.listen_tcp,
			  r->cfg.listen_udp);
		return -1;
	}
	if (datarelay_open(r, udp_fd) ||
	    write_port_file(r->cfg.port_file, tcp_port, udp_port))
		return -1;
	relay_log("listening on tcp port %u, udp port %u", tcp_port,
		  udp_port);
	return 0;
}

static void relay_close(struct relay *r)
{
	struct conn *c;

	while ((c = r->conns)) {
		r->conns = c->next;
		conn_free(c);
	}
	if (r->data)
		datarelay_close(r);
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	tls_server_free(&r->tls);
	if (r->store)
		r->store->ops->close(r->store);
}

static void accept_one(struct relay *r)
{
	int fd = accept4(r->listen_fd, NULL, NULL,
			 SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct conn *c;

	if (fd < 0)
		return;
	if (r->n_conns >= r->cfg.conns_max || !(c = conn_new(r, fd))) {
		close(fd);
		return;
	}
	c->next = r->conns;
	r->conns = c;
	r->n_conns++;
}

static void drop_conn(struct relay *r, struct conn *dead)
{
	struct conn **p;

	for (p = &r->conns; *p; p = &(*p)->next) {
		if (*p == dead) {
			*p = dead->next;
			r->n_conns--;
			conn_free(dead);
			return;
		}
	}
}

/* pollfd[0] listener, [1] UDP, then one per connection in list order. */
static size_t fill_pollfds(struct relay *r, struct pollfd *pfd)
{
	struct conn *c;
	size_t n = 2;

	pfd[0] = (struct pollfd){ .fd = r->listen_fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = datarelay_fd(r), .events = POLLIN };
	for (c = r->conns; c; c = c->next)
		pfd[n++] = (struct pollfd){
			.fd = c->fd,
			.events = (conn_wants_read(r, c) ? POLLIN : 0) |
				  (conn_wants_write(c) ? POLLOUT : 0),
		};
	return n;
}

static void service_conns(struct relay *r, const struct pollfd *pfd,
			  size_t n)
{
	struct conn *c = r->conns, *next;
	size_t i;
	bool alive;

	for (i = 2; i < n && c; i++, c = next) {
		next = c->next;
		alive = true;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			alive = conn_on_readable(r, c);
		if (alive && (pfd[i].revents & POLLOUT))
			alive = conn_on_writable(r, c);
		if (!alive)
			drop_conn(r, c);
	}
}

/* Time to the nearest connection deadline, for ppoll (NULL: none). */
static struct timespec *next_timeout(struct relay *r, struct timespec *ts)
{
	uint64_t now = relay_now_ms(), first = 0, wait;
	struct conn *c;

	for (c = r->conns; c; c = c->next)
		if (c->deadline_ms && (!first || c->deadline_ms < first))
			first = c->deadline_ms;
	if (!first)
		return NULL;
	wait = first > now ? first - now : 0;
	ts->tv_sec = (time_t)(wait / 1000);
	ts->tv_nsec = (long)(wait % 1000) * 1000000;
	return ts;
}

static void expire_conns(struct relay *r)
{
	uint64_t now = relay_now_ms();
	struct conn *c, *next;

	for (c = r->conns; c; c = next) {
		next = c->next;
		if (!conn_on_deadline(r, c, now))
			drop_conn(r, c);
	}
}

static int run(struct relay *r, const sigset_t *wait_mask)
{
	struct pollfd *pfd = NULL;
	struct timespec ts;
	size_t n;

	while (!stop_requested) {
		free(pfd);
		pfd = calloc(r->n_conns + 2, sizeof(*pfd));
		if (!pfd)
			return -1;
		n = fill_pollfds(r, pfd);
		if (ppoll(pfd, n, next_timeout(r, &ts), wait_mask) < 0 &&
		    errno != EINTR)
			break;
		if (stats_requested) {
			stats_requested = 0;
			datarelay_log_stats(r);
		}
		/* connections first: accepting reorders the list */
		service_conns(r, pfd, n);
		if (pfd[1].revents & POLLIN)
			datarelay_on_readable(r);
		if (pfd[0].revents & POLLIN)
			accept_one(r);
		expire_conns(r);
	}
	free(pfd);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: mlsrelay -c CONFIG\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct relay r = { .listen_fd = -1 };
	sigset_t wait_mask;
	int ret = 1;

	if (argc != 3 || (strcmp(argv[1], "-c") && strcmp(argv[1], "--config")))
		return usage();
	install_signals(&wait_mask);
	if (!relay_open(&r, argv[2]) && !run(&r, &wait_mask))
		ret = 0;
	if (r.data)
		datarelay_log_stats(&r);
	relay_close(&r);
	return ret;
}
