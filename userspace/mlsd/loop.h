/* SPDX-License-Identifier: MIT */
/*
 * mlsd's event loop: poll() over registered file descriptors, and
 * one-shot timers on the monotonic clock. Everything mlsd waits for goes
 * through it: the relay's TLS socket, the kernel's event socket and the
 * control socket (mlsd_loop_add_fd is the hook for it).
 */
#ifndef MLSD_LOOP_H
#define MLSD_LOOP_H

#include <stdbool.h>
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
	bool stop;
};

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t mlsd_now_ms(void);

void mlsd_loop_init(struct mlsd_loop *l);
/* Watch fd; pending may be NULL. 0, or -1 when the table is full. */
int mlsd_loop_add_fd(struct mlsd_loop *l, int fd, mlsd_fd_fn fn,
		     mlsd_pending_fn pending, void *arg);
void mlsd_loop_del_fd(struct mlsd_loop *l, int fd);
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
