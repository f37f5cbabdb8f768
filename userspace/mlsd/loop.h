/* SPDX-License-Identifier: MIT */
/*
 * mlsd's event loop: poll() over registered file descriptors, and
 * one-shot timers on the monotonic clock. Everything mlsd waits for goes
 * through it: the relay's TLS socket, the kernel's event socket and the
 * control socket (mlsd_loop_add_fd is the hook for it).
 */
#ifndef MLSD_LOOP_H
#define MLSD_LOOP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MLSD_LOOP_MAX_FDS	16
#define MLSD_LOOP_MAX_TIMERS	32

/* Called when fd is readable (or has an error or hangup). */
typedef void (*mlsd_fd_fn)(int fd, void *arg);
typedef void (*mlsd_timer_fn)(void *arg);
/*
 * Called before every poll: return true when the callee has input that
 * is already buffered (TLS records read ahead), so poll does not wait.
 */
typedef bool (*mlsd_pending_fn)(void *arg);

/*
 * A component that keeps its own changing set of descriptors, with
 * their own poll events (the control server's clients, which also wait
 * to write): fill adds its pollfds before each poll, handle gets each
 * one's revents after it, timeout (ms, -1: none) bounds the wait and
 * expire runs after every turn.
 */
struct mlsd_loop_source {
	size_t (*fill)(void *arg, struct pollfd *fds, size_t cap);
	void (*handle)(void *arg, int fd, short revents);
	int (*timeout)(void *arg);
	void (*expire)(void *arg);
	void *arg;
};

#define MLSD_LOOP_SOURCE_FDS	32

struct mlsd_loop {
	struct {
		int fd;
		mlsd_fd_fn fn;
		mlsd_pending_fn pending;
		void *arg;
	} fds[MLSD_LOOP_MAX_FDS];
	unsigned int n_fds;
	struct {
		bool armed;
		uint64_t due_ms;
		mlsd_timer_fn fn;
		void *arg;
	} timers[MLSD_LOOP_MAX_TIMERS];
	const struct mlsd_loop_source *source;	/* NULL: none */
	bool stop;
};

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t mlsd_now_ms(void);

void mlsd_loop_init(struct mlsd_loop *l);
/* Watch fd; pending may be NULL. 0, or -1 when the table is full. */
int mlsd_loop_add_fd(struct mlsd_loop *l, int fd, mlsd_fd_fn fn,
		     mlsd_pending_fn pending, void *arg);
void mlsd_loop_del_fd(struct mlsd_loop *l, int fd);
/* Poll src's descriptors too (one source; NULL removes it). */
void mlsd_loop_set_source(struct mlsd_loop *l,
			  const struct mlsd_loop_source *src);
/*
 * (Re)arm the timer identified by (fn, arg) to fire once in delay_ms:
 * a timer that is already armed is moved. 0, or -1 when the table is full.
 */
int mlsd_loop_timer(struct mlsd_loop *l, uint64_t delay_ms, mlsd_timer_fn fn,
		    void *arg);
void mlsd_loop_timer_cancel(struct mlsd_loop *l, mlsd_timer_fn fn, void *arg);
/* Run until mlsd_loop_stop (or a signal sets l->stop). */
void mlsd_loop_run(struct mlsd_loop *l);
void mlsd_loop_stop(struct mlsd_loop *l);

#endif
