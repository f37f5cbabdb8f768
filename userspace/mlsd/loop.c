// SPDX-License-Identifier: MIT
/* poll() and timers (loop.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "loop.h"

uint64_t mlsd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void mlsd_loop_init(struct mlsd_loop *l)
{
	memset(l, 0, sizeof(*l));
}

int mlsd_loop_add_fd(struct mlsd_loop *l, int fd, mlsd_fd_fn fn,
		     mlsd_pending_fn pending, void *arg)
{
	if (l->n_fds == MLSD_LOOP_MAX_FDS)
		return -1;
	l->fds[l->n_fds].fd = fd;
	l->fds[l->n_fds].fn = fn;
	l->fds[l->n_fds].pending = pending;
	l->fds[l->n_fds].arg = arg;
	l->n_fds++;
	return 0;
}

void mlsd_loop_del_fd(struct mlsd_loop *l, int fd)
{
	for (unsigned int i = 0; i < l->n_fds; i++)
		if (l->fds[i].fd == fd) {
			l->fds[i] = l->fds[--l->n_fds];
			return;
		}
}

void mlsd_loop_set_source(struct mlsd_loop *l,
			  const struct mlsd_loop_source *src)
{
	l->source = src;
}

int mlsd_loop_timer(struct mlsd_loop *l, uint64_t delay_ms, mlsd_timer_fn fn,
		    void *arg)
{
	int free_slot = -1;

	for (int i = 0; i < MLSD_LOOP_MAX_TIMERS; i++) {
		if (l->timers[i].armed && l->timers[i].fn == fn &&
		    l->timers[i].arg == arg) {
			free_slot = i;
			break;
		}
		if (!l->timers[i].armed && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return -1;
	l->timers[free_slot].armed = true;
	l->timers[free_slot].due_ms = mlsd_now_ms() + delay_ms;
	l->timers[free_slot].fn = fn;
	l->timers[free_slot].arg = arg;
	return 0;
}

void mlsd_loop_timer_cancel(struct mlsd_loop *l, mlsd_timer_fn fn, void *arg)
{
	for (int i = 0; i < MLSD_LOOP_MAX_TIMERS; i++)
		if (l->timers[i].armed && l->timers[i].fn == fn &&
		    l->timers[i].arg == arg)
			l->timers[i].armed = false;
}

void mlsd_loop_stop(struct mlsd_loop *l)
{
	l->stop = true;
}

/* Milliseconds until the first timer is due, -1 for none. */
static int next_timeout(const struct mlsd_loop *l, uint64_t now)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < MLSD_LOOP_MAX_TIMERS; i++)
		if (l->timers[i].armed && l->timers[i].due_ms < best)
			best = l->timers[i].due_ms;
	if (best == UINT64_MAX)
		return -1;
	if (best <= now)
		return 0;
	return best - now > 60000 ? 60000 : (int)(best - now);
}

/* Of the timers marked in due[] and still due by now, the earliest. */
static int first_due(const struct mlsd_loop *l, const bool *due, uint64_t now)
{
	int best = -1;

	for (int i = 0; i < MLSD_LOOP_MAX_TIMERS; i++)
		if (due[i] && l->timers[i].armed && l->timers[i].due_ms <= now &&
		    (best < 0 || l->timers[i].due_ms < l->timers[best].due_ms))
			best = i;
	return best;
}

/*
 * Every timer due now, earliest first (a late loop turn finds several
 * due at once). Timers armed by the callbacks wait for the next turn,
 * so a callback that re-arms itself for now cannot starve the fds.
 */
static void fire_timers(struct mlsd_loop *l)
{
	bool due[MLSD_LOOP_MAX_TIMERS];
	uint64_t now = mlsd_now_ms();
	int i;

	for (i = 0; i < MLSD_LOOP_MAX_TIMERS; i++)
		due[i] = l->timers[i].armed && l->timers[i].due_ms <= now;
	while (!l->stop && (i = first_due(l, due, now)) >= 0) {
		due[i] = false;
		l->timers[i].armed = false;
		l->timers[i].fn(l->timers[i].arg);
	}
}

static bool any_pending(struct mlsd_loop *l)
{
	for (unsigned int i = 0; i < l->n_fds; i++)
		if (l->fds[i].pending && l->fds[i].pending(l->fds[i].arg))
			return true;
	return false;
}

static void dispatch(struct mlsd_loop *l, const struct pollfd *p,
		     unsigned int n)
{
	for (unsigned int i = 0; i < n && !l->stop; i++) {
		bool ready = p[i].revents != 0;

		/* the table may change under a callback: find it again */
		for (unsigned int j = 0; j < l->n_fds; j++) {
			if (l->fds[j].fd != p[i].fd)
				continue;
			if (!ready && l->fds[j].pending)
				ready = l->fds[j].pending(l->fds[j].arg);
			if (ready)
				l->fds[j].fn(l->fds[j].fd, l->fds[j].arg);
			break;
		}
	}
}

/* The shorter of two poll timeouts, -1 being none. */
static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

/* The source's descriptors after the n of our own; how many. */
static size_t fill_source(struct mlsd_loop *l, struct pollfd *p, int *timeout)
{
	const struct mlsd_loop_source *src = l->source;

	if (!src)
		return 0;
	*timeout = min_timeout(*timeout, src->timeout(src->arg));
	return src->fill(src->arg, p, MLSD_LOOP_SOURCE_FDS);
}

static void dispatch_source(struct mlsd_loop *l, const struct pollfd *p,
			    size_t n)
{
	const struct mlsd_loop_source *src = l->source;

	for (size_t i = 0; src && i < n && !l->stop; i++)
		if (p[i].revents)
			src->handle(src->arg, p[i].fd, p[i].revents);
	if (src && !l->stop)
		src->expire(src->arg);
}

void mlsd_loop_run(struct mlsd_loop *l)
{
	struct pollfd p[MLSD_LOOP_MAX_FDS + MLSD_LOOP_SOURCE_FDS];

	while (!l->stop) {
		unsigned int n = l->n_fds;
		int timeout = any_pending(l) ? 0 : next_timeout(l, mlsd_now_ms());
		size_t n_src;

		for (unsigned int i = 0; i < n; i++) {
			p[i].fd = l->fds[i].fd;
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		n_src = fill_source(l, p + n, &timeout);
		if (poll(p, n + n_src, timeout) < 0 && errno != EINTR)
			break;
		if (!l->stop)
			dispatch(l, p, n);
		if (!l->stop)
			dispatch_source(l, p + n, n_src);
		if (!l->stop)
			fire_timers(l);
	}
}
