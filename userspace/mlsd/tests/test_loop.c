// SPDX-License-Identifier: MIT
/*
 * The event loop: timers fire once, in due order, a re-armed timer is
 * moved (not doubled), a cancelled one never fires; a readable fd runs
 * its callback, and "buffered" input runs it without the fd being
 * readable (TLS records read ahead).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "../loop.h"

static struct mlsd_loop loop;
static int order[8], n_order;

static void mark(void *arg)
{
	order[n_order++] = (int)(intptr_t)arg;
	if (n_order == 3)
		mlsd_loop_stop(&loop);
}

static void test_timers_in_order_once(void **state)
{
	mlsd_loop_init(&loop);
	n_order = 0;
	assert_int_equal(mlsd_loop_timer(&loop, 30, mark, (void *)3), 0);
	assert_int_equal(mlsd_loop_timer(&loop, 10, mark, (void *)1), 0);
	assert_int_equal(mlsd_loop_timer(&loop, 500, mark, (void *)2), 0);
	/* moved earlier, not added twice */
	assert_int_equal(mlsd_loop_timer(&loop, 20, mark, (void *)2), 0);
	assert_int_equal(mlsd_loop_timer(&loop, 5, mark, (void *)9), 0);
	mlsd_loop_timer_cancel(&loop, mark, (void *)9);
	mlsd_loop_run(&loop);
	assert_int_equal(n_order, 3);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 3);
}

/* A loop turn that comes late finds all three due: still in due order. */
static void test_late_turn_keeps_due_order(void **state)
{
	mlsd_loop_init(&loop);
	n_order = 0;
	assert_int_equal(mlsd_loop_timer(&loop, 30, mark, (void *)3), 0);
	assert_int_equal(mlsd_loop_timer(&loop, 10, mark, (void *)1), 0);
	assert_int_equal(mlsd_loop_timer(&loop, 20, mark, (void *)2), 0);
	usleep(60 * 1000);
	mlsd_loop_run(&loop);
	assert_int_equal(n_order, 3);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 3);
}

static int reads;
static bool buffered;

static void on_read(int fd, void *arg)
{
	char c;

	if (!buffered)
		assert_int_equal(read(fd, &c, 1), 1);
	buffered = false;
	if (++reads == 2)
		mlsd_loop_stop(&loop);
}

static bool pending(void *arg)
{
	return buffered;
}

static void test_fd_and_buffered(void **state)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	mlsd_loop_init(&loop);
	reads = 0;
	buffered = true;	/* nothing in the pipe, yet input is there */
	assert_int_equal(mlsd_loop_add_fd(&loop, p[0], on_read, pending, NULL),
			 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	mlsd_loop_run(&loop);
	assert_int_equal(reads, 2);
	mlsd_loop_del_fd(&loop, p[0]);
	assert_int_equal(loop.n_fds, 0);
	close(p[0]);
	close(p[1]);
}

/* ---- a poll source (the control server's shape) ---- */

struct fake_source {
	int fd;
	int handled, expired, filled;
	short revents;
};

static size_t src_fill(void *arg, struct pollfd *fds, size_t cap)
{
	struct fake_source *f = arg;

	assert_true(cap >= 1);
	f->filled++;
	fds[0].fd = f->fd;
	fds[0].events = POLLIN;
	fds[0].revents = 0;
	return 1;
}

static void src_handle(void *arg, int fd, short revents)
{
	struct fake_source *f = arg;
	char c;

	assert_int_equal(fd, f->fd);
	assert_int_equal(read(fd, &c, 1), 1);
	f->revents = revents;
	f->handled++;
}

/* nothing to read for 20 ms: poll must wake for it, not sleep */
static int src_timeout(void *arg)
{
	(void)arg;
	return 20;
}

static void src_expire(void *arg)
{
	struct fake_source *f = arg;

	if (++f->expired == 3)
		mlsd_loop_stop(&loop);
}

static void test_source_polled_handled_expired(void **state)
{
	struct fake_source f = { 0 };
	const struct mlsd_loop_source src = {
		.fill = src_fill, .handle = src_handle,
		.timeout = src_timeout, .expire = src_expire, .arg = &f,
	};
	uint64_t t0;
	int p[2];

	assert_int_equal(pipe(p), 0);
	f.fd = p[0];
	mlsd_loop_init(&loop);
	mlsd_loop_set_source(&loop, &src);
	assert_int_equal(write(p[1], "x", 1), 1);
	t0 = mlsd_now_ms();
	/* no fd and no timer of the loop's own: only the source wakes it */
	mlsd_loop_run(&loop);
	assert_int_equal(f.handled, 1);
	assert_true(f.revents & POLLIN);
	assert_int_equal(f.expired, 3);
	assert_int_equal(f.filled, 3);
	/* two idle turns bounded by the source's 20 ms, not forever */
	assert_true(mlsd_now_ms() - t0 < 5000);
	mlsd_loop_set_source(&loop, NULL);
	assert_null(loop.source);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_in_order_once),
		cmocka_unit_test(test_late_turn_keeps_due_order),
		cmocka_unit_test(test_fd_and_buffered),
		cmocka_unit_test(test_source_polled_handled_expired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
