// SPDX-License-Identifier: MIT
/*
 * The control socket server over a real unix socket in a scratch
 * directory, with real client connections driven from this one thread:
 * the socket file (mode, stale and foreign files), the uid check, line
 * splitting (partial lines, two requests in one write, a disconnect mid
 * line, an oversize line), the client limit, the idle timeout, deferred
 * replies, and monitor clients, of which a slow one is dropped while a
 * fast one gets every event.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../ctl_server.h"
#include "tmpdir.h"

static char sock_path[128];
static struct mlsd_ctl_server *srv;

/* ---- canned daemon ---- */

static uint64_t deferred_conn;
static int64_t deferred_id;

static int fake_status(void *ctx, const struct mlsd_ctl_request *req,
		       json_t *result, struct mlsd_ctl_error *err)
{
	return json_object_set_new(result, "network", json_string("corp"));
}

static int fake_host_remove(void *ctx, const struct mlsd_ctl_request *req,
			    json_t *result, struct mlsd_ctl_error *err)
{
	return mlsd_ctl_fail(err, MLSD_CTL_E_NOT_FOUND, "no host \"%s\"",
			     req->host);
}

static int fake_group_add(void *ctx, const struct mlsd_ctl_request *req,
			  json_t *result, struct mlsd_ctl_error *err)
{
	deferred_conn = req->conn;
	deferred_id = req->id;
	return MLSD_CTL_DEFER;
}

/* Fails without saying why: the server says "failed". */
static int fake_rekey(void *ctx, const struct mlsd_ctl_request *req,
		      json_t *result, struct mlsd_ctl_error *err)
{
	return -1;
}

/* 100 KB of result: a few fill any socket buffer. */
static int fake_group_list(void *ctx, const struct mlsd_ctl_request *req,
			   json_t *result, struct mlsd_ctl_error *err)
{
	static char big[100000];

	memset(big, 'g', sizeof(big) - 1);
	return json_object_set_new(result, "groups", json_string(big));
}

static const struct mlsd_ctl_ops fake_ops = {
	.status = fake_status,
	.group_list = fake_group_list,
	.host_remove = fake_host_remove,
	.group_add = fake_group_add,
	.rekey = fake_rekey,
};

/* ---- helpers ---- */

static struct mlsd_ctl_server *open_with(uid_t uid, size_t max_clients,
					 int idle_ms, size_t out_max)
{
	struct mlsd_ctl_server_config cfg = {
		.path = sock_path, .allowed_uid = uid, .ops = &fake_ops,
		.max_clients = max_clients, .idle_ms = idle_ms,
		.out_max = out_max,
	};
	struct mlsd_err e = { "" };
	struct mlsd_ctl_server *s = mlsd_ctl_server_open(&cfg, &e);

	if (!s)
		fail_msg("open: %s", e.msg);
	return s;
}

/* Run the server's loop until it has nothing to do for 10 ms. */
static void pump(void)
{
	struct pollfd fds[64];
	size_t i, n;
	int round;

	for (round = 0; round < 1000; round++) {
		n = mlsd_ctl_server_pollfds(srv, fds, 64);
		if (poll(fds, n, 10) <= 0)
			return;
		for (i = 0; i < n; i++)
			if (fds[i].revents)
				mlsd_ctl_server_handle(srv, fds[i].fd,
						       fds[i].revents);
	}
}

static int connect_client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	strcpy(sa.sun_path, sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	pump();
	return fd;
}

static void send_text(int fd, const char *text)
{
	assert_int_equal(send(fd, text, strlen(text), MSG_NOSIGNAL),
			 (ssize_t)strlen(text));
}

/*
 * The next line the client gets (without '\n'), pumping the server while
 * waiting; "" at EOF. Reads a byte at a time so nothing after the line
 * is consumed.
 */
static const char *read_line(int fd)
{
	static char line[1 << 18];
	size_t n = 0;
	int tries;
	ssize_t r;

	for (tries = 0; tries < 200 && n < sizeof(line) - 1;) {
		r = recv(fd, line + n, 1, MSG_DONTWAIT);
		if (r == 0)
			break;
		if (r < 0) {
			assert_int_equal(errno, EAGAIN);
			pump();
			tries++;
			continue;
		}
		if (line[n] == '\n')
			break;
		n++;
	}
	if (tries == 200)
		fail_msg("no line from the server (have \"%.*s\")", (int)n,
			 line);
	line[n] = '\0';
	return line;
}

/* Nothing is waiting for the client. */
static void nothing_for(int fd)
{
	char c;

	pump();
	assert_int_equal(recv(fd, &c, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
}

static int setup(void **state)
{
	snprintf(sock_path, sizeof(sock_path), "%s/ctl.sock", tmpdir());
	srv = open_with(getuid(), 0, 0, 0);
	return 0;
}

static int teardown(void **state)
{
	mlsd_ctl_server_close(srv);
	srv = NULL;
	unlink(sock_path);
	return 0;
}

static int cleanup(void **state)
{
	tmpdir_remove();
	return 0;
}

/* ---- the socket file ---- */

static void refused_open(const char *why)
{
	struct mlsd_ctl_server_config cfg = { .path = sock_path,
					      .ops = &fake_ops };
	struct mlsd_err e = { "" };
	char want[256];

	assert_null(mlsd_ctl_server_open(&cfg, &e));
	snprintf(want, sizeof(want), "%s: %s", sock_path, why);
	assert_string_equal(e.msg, want);
}

static void test_socket_file(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	char path[256];
	int fd;

	assert_int_equal(lstat(sock_path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a live server keeps its socket */
	refused_open("another mlsd is listening there");
	assert_int_equal(lstat(sock_path, &st), 0);
	/* closing removes it */
	mlsd_ctl_server_close(srv);
	srv = NULL;
	assert_int_equal(lstat(sock_path, &st), -1);
	/* a stale socket (nobody listens) is replaced */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sa.sun_path, sock_path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	srv = open_with(getuid(), 0, 0, 0);
	close(connect_client());
	mlsd_ctl_server_close(srv);
	srv = NULL;
	/* anything else is left alone */
	tmpfile_write(path, sizeof(path), "ctl.sock", "not a socket\n", 0644);
	refused_open("exists and is not a socket; not replacing it");
	assert_int_equal(lstat(sock_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	unlink(sock_path);
	srv = open_with(getuid(), 0, 0, 0);
}

static void test_path_too_long(void **state)
{
	char longpath[200];
	struct mlsd_ctl_server_config cfg = { .path = longpath };
	struct mlsd_err e = { "" };

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_null(mlsd_ctl_server_open(&cfg, &e));
	assert_non_null(strstr(e.msg, ": a unix socket path is 1 to 107 bytes"));
}

/* ---- requests ---- */

static void test_requests_and_errors(void **state)
{
	int fd = connect_client();

	send_text(fd, "{\"id\":1,\"cmd\":\"status\"}\n");
	assert_string_equal(read_line(fd),
			    "{\"id\":1,\"ok\":true,\"result\":{\"network\":\"corp\"}}");
	send_text(fd, "{\"id\":2,\"cmd\":\"host-remove\",\"host\":\"ghost\"}\n");
	assert_string_equal(read_line(fd),
			    "{\"id\":2,\"ok\":false,\"error\":{\"code\":\"not-found\",\"message\":\"no host \\\"ghost\\\"\"}}");
	send_text(fd, "{\"id\":3,\"cmd\":\"host-list\"}\n");
	assert_string_equal(read_line(fd),
			    "{\"id\":3,\"ok\":false,\"error\":{\"code\":\"unsupported\",\"message\":\"host-list is not supported by this mlsd\"}}");
	send_text(fd, "{\"id\":4,\"cmd\":\"rekey\"}\n");
	assert_string_equal(read_line(fd),
			    "{\"id\":4,\"ok\":false,\"error\":{\"code\":\"failed\",\"message\":\"rekey failed\"}}");
	/* a bad line is answered and the connection goes on */
	send_text(fd, "nonsense\n\n");
	assert_string_equal(read_line(fd),
			    "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"bad-json\",\"message\":\"column 8: invalid token near 'nonsense'\"}}");
	send_text(fd, "{\"id\":5,\"cmd\":\"status\",\"x\":1}\n");
	assert_string_equal(read_line(fd),
			    "{\"id\":5,\"ok\":false,\"error\":{\"code\":\"unknown-field\",\"message\":\"status takes no field \\\"x\\\" (it takes no fields)\"}}");
	send_text(fd, "{\"id\":6,\"cmd\":\"status\"}\n");
	assert_memory_equal(read_line(fd), "{\"id\":6,\"ok\":true", 17);
	close(fd);
}

static void test_uid_refused(void **state)
{
	char want[256];
	int fd;

	mlsd_ctl_server_close(srv);
	srv = open_with(getuid() + 1, 0, 0, 0);
	fd = connect_client();
	snprintf(want, sizeof(want),
		 "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"permission-denied\",\"message\":\"mlsd answers uid %u only (you are uid %u)\"}}",
		 getuid() + 1, getuid());
	assert_string_equal(read_line(fd), want);
	assert_string_equal(read_line(fd), "");		/* EOF */
	assert_int_equal(mlsd_ctl_server_clients(srv), 0);
	close(fd);
}

static void test_partial_lines(void **state)
{
	int fd = connect_client();

	send_text(fd, "{\"id\":7,\"cm");
	nothing_for(fd);
	send_text(fd, "d\":\"sta");
	nothing_for(fd);
	send_text(fd, "tus\"}\n{\"id\":8,");
	assert_memory_equal(read_line(fd), "{\"id\":7,\"ok\":true", 17);
	nothing_for(fd);
	send_text(fd, "\"cmd\":\"status\"}\n");
	assert_memory_equal(read_line(fd), "{\"id\":8,\"ok\":true", 17);
	close(fd);
}

static void test_two_requests_in_one_write(void **state)
{
	int fd = connect_client();

	send_text(fd, "{\"id\":1,\"cmd\":\"status\"}\n{\"id\":2,\"cmd\":\"rekey\"}\n");
	assert_memory_equal(read_line(fd), "{\"id\":1,\"ok\":true", 17);
	assert_memory_equal(read_line(fd), "{\"id\":2,\"ok\":false", 18);
	close(fd);
}

/*
 * Twenty big replies asked for in one write, read only afterwards: the
 * server holds the next requests until the last reply is out, and takes
 * them up again once the reader has made room, so all come, whole and in
 * order.
 */
static void test_requests_wait_for_the_reader(void **state)
{
	char reqs[20 * 40], want[32];
	size_t n = 0;
	const char *line;
	int fd = connect_client(), i;

	for (i = 0; i < 20; i++)
		n += snprintf(reqs + n, sizeof(reqs) - n,
			      "{\"id\":%d,\"cmd\":\"group-list\"}\n", i);
	send_text(fd, reqs);
	pump();
	for (i = 0; i < 20; i++) {
		line = read_line(fd);
		n = snprintf(want, sizeof(want), "{\"id\":%d,\"ok\":true", i);
		assert_memory_equal(line, want, n);
		assert_int_equal(strlen(line), 100040 + (i > 9));
	}
	nothing_for(fd);
	close(fd);
}

static void test_disconnect_mid_line(void **state)
{
	int fd = connect_client(), other = connect_client();

	assert_int_equal(mlsd_ctl_server_clients(srv), 2);
	send_text(fd, "{\"id\":1,\"cmd\":\"sta");
	pump();
	close(fd);
	pump();
	assert_int_equal(mlsd_ctl_server_clients(srv), 1);
	/* the others go on */
	send_text(other, "{\"id\":9,\"cmd\":\"status\"}\n");
	assert_memory_equal(read_line(other), "{\"id\":9,\"ok\":true", 17);
	close(other);
	pump();
	assert_int_equal(mlsd_ctl_server_clients(srv), 0);
}

static void test_half_close_still_answered(void **state)
{
	int fd = connect_client();

	send_text(fd, "{\"id\":1,\"cmd\":\"status\"}\n");
	shutdown(fd, SHUT_WR);
	assert_memory_equal(read_line(fd), "{\"id\":1,\"ok\":true", 17);
	assert_string_equal(read_line(fd), "");
	close(fd);
}

/* More than a socket buffer holds: the server reads as we write. */
static void send_pumping(int fd, const char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, buf + off, len - off, MSG_DONTWAIT);
		if (n > 0)
			off += n;
		pump();
	}
}

static void test_line_too_long(void **state)
{
	static char big[MLSD_CTL_LINE_MAX + 1];
	int fd = connect_client();

	memset(big, 'x', sizeof(big));
	send_pumping(fd, big, sizeof(big));
	assert_string_equal(read_line(fd),
			    "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"line-too-long\",\"message\":\"line longer than 65536 bytes; closing\"}}");
	assert_string_equal(read_line(fd), "");
	close(fd);
}

static void test_longest_line_is_served(void **state)
{
	static char big[MLSD_CTL_LINE_MAX + 1];
	const char *req = "{\"id\":1,\"cmd\":\"status\"}";
	int fd = connect_client();

	memset(big, ' ', sizeof(big));
	memcpy(big, req, strlen(req));
	big[MLSD_CTL_LINE_MAX] = '\n';
	send_pumping(fd, big, sizeof(big));
	assert_memory_equal(read_line(fd), "{\"id\":1,\"ok\":true", 17);
	close(fd);
}

static void test_too_many_clients(void **state)
{
	int a, b, c;

	mlsd_ctl_server_close(srv);
	srv = open_with(getuid(), 2, 0, 0);
	a = connect_client();
	b = connect_client();
	c = connect_client();
	assert_string_equal(read_line(c),
			    "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"too-many-clients\",\"message\":\"mlsd serves 2 clients at once; try again later\"}}");
	assert_string_equal(read_line(c), "");
	close(c);
	close(a);
	pump();
	c = connect_client();		/* a's place is free again */
	send_text(c, "{\"id\":1,\"cmd\":\"status\"}\n");
	assert_memory_equal(read_line(c), "{\"id\":1,\"ok\":true", 17);
	close(b);
	close(c);
}

static void test_idle_timeout(void **state)
{
	struct timespec nap = { 0, 80 * 1000000 };
	int quiet, partial, mon;

	mlsd_ctl_server_close(srv);
	srv = open_with(getuid(), 0, 50, 0);
	quiet = connect_client();
	partial = connect_client();
	mon = connect_client();
	send_text(mon, "{\"id\":1,\"cmd\":\"monitor\"}\n");
	assert_memory_equal(read_line(mon), "{\"id\":1,\"ok\":true", 17);
	send_text(partial, "{\"id\":1,");
	pump();
	assert_true(mlsd_ctl_server_timeout(srv) >= 0);
	assert_true(mlsd_ctl_server_timeout(srv) <= 50);
	nanosleep(&nap, NULL);
	assert_int_equal(mlsd_ctl_server_timeout(srv), 0);
	mlsd_ctl_server_expire(srv);
	/* monitors listen for ever; the others are closed */
	assert_int_equal(mlsd_ctl_server_clients(srv), 1);
	assert_int_equal(mlsd_ctl_server_timeout(srv), -1);
	assert_string_equal(read_line(quiet), "");
	assert_string_equal(read_line(partial), "");
	close(quiet);
	close(partial);
	close(mon);
}

static void test_deferred_reply(void **state)
{
	struct mlsd_ctl_error err;
	json_t *result = json_pack("{s:I}", "epoch", (json_int_t)5);
	int fd = connect_client();

	send_text(fd, "{\"id\":41,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"bob\"]}\n{\"id\":42,\"cmd\":\"status\"}\n");
	/* a deferred request does not hold up the next one */
	assert_memory_equal(read_line(fd), "{\"id\":42,\"ok\":true", 18);
	nothing_for(fd);
	assert_int_equal(deferred_id, 41);
	assert_int_equal(mlsd_ctl_server_reply(srv, deferred_conn, 41, result,
					       NULL), 0);
	assert_string_equal(read_line(fd),
			    "{\"id\":41,\"ok\":true,\"result\":{\"epoch\":5}}");
	/* nothing more is owed to it */
	assert_int_equal(mlsd_ctl_server_reply(srv, deferred_conn, 41, result,
					       NULL), -ENOENT);
	send_text(fd, "{\"id\":43,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"bob\"]}\n");
	pump();
	mlsd_ctl_fail(&err, MLSD_CTL_E_FAILED, "the relay refused the commit");
	assert_int_equal(mlsd_ctl_server_reply(srv, deferred_conn, 43, NULL,
					       &err), 0);
	assert_string_equal(read_line(fd),
			    "{\"id\":43,\"ok\":false,\"error\":{\"code\":\"failed\",\"message\":\"the relay refused the commit\"}}");
	/*
	 * A client that hangs up while it waits (it may only have shut its
	 * sending side) is kept for its answer, which then goes nowhere.
	 */
	send_text(fd, "{\"id\":44,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"bob\"]}\n");
	pump();
	close(fd);
	pump();
	assert_int_equal(mlsd_ctl_server_clients(srv), 1);
	assert_int_equal(mlsd_ctl_server_reply(srv, deferred_conn, 44, result,
					       NULL), 0);
	assert_int_equal(mlsd_ctl_server_clients(srv), 0);
	assert_int_equal(mlsd_ctl_server_reply(srv, deferred_conn, 44, result,
					       NULL), -ENOENT);
	json_decref(result);
}

/* ---- monitor ---- */

static void emit_epoch(uint64_t epoch)
{
	json_t *ev = mlsd_ctl_event_epoch("network", epoch);

	assert_int_equal(mlsd_ctl_server_event(srv, ev), 0);
	json_decref(ev);
}

static void test_monitor_stream(void **state)
{
	json_t *bad = json_pack("{s:s}", "group", "network");
	int mon = connect_client(), plain = connect_client();

	send_text(mon, "{\"id\":1,\"cmd\":\"monitor\"}\n");
	assert_string_equal(read_line(mon), "{\"id\":1,\"ok\":true,\"result\":{}}");
	assert_int_equal(mlsd_ctl_server_monitors(srv), 1);
	emit_epoch(7);
	assert_string_equal(read_line(mon),
			    "{\"event\":\"epoch\",\"group\":\"network\",\"epoch\":7}");
	/* what a monitor sends afterwards means nothing */
	send_text(mon, "{\"id\":2,\"cmd\":\"status\"}\n");
	nothing_for(mon);
	emit_epoch(8);
	assert_string_equal(read_line(mon),
			    "{\"event\":\"epoch\",\"group\":\"network\",\"epoch\":8}");
	nothing_for(plain);
	assert_int_equal(mlsd_ctl_server_event(srv, bad), -EINVAL);
	json_decref(bad);
	close(mon);
	pump();
	assert_int_equal(mlsd_ctl_server_monitors(srv), 0);
	close(plain);
}

/* Read and forget what the client has, without waiting. */
static void drain(int fd)
{
	static char buf[1 << 16];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static void test_slow_monitor_dropped(void **state)
{
	int slow, fast, i;
	bool seen = false;

	mlsd_ctl_server_close(srv);
	srv = open_with(getuid(), 0, 0, 8192);
	slow = connect_client();
	fast = connect_client();
	send_text(slow, "{\"id\":1,\"cmd\":\"monitor\"}\n");
	send_text(fast, "{\"id\":1,\"cmd\":\"monitor\"}\n");
	assert_memory_equal(read_line(slow), "{\"id\":1,\"ok\":true", 17);
	assert_memory_equal(read_line(fast), "{\"id\":1,\"ok\":true", 17);
	/* slow never reads: its socket buffer fills, then its queue */
	for (i = 0; i < 100000 && mlsd_ctl_server_monitors(srv) == 2; i++) {
		emit_epoch(i);
		pump();
		drain(fast);
	}
	assert_int_equal(mlsd_ctl_server_monitors(srv), 1);
	assert_true(i > 100);	/* the socket buffer and queue took some */
	emit_epoch(999999);
	for (i = 0; i < 10000 && !seen; i++)
		seen = !strcmp(read_line(fast),
			       "{\"event\":\"epoch\",\"group\":\"network\",\"epoch\":999999}");
	assert_true(seen);
	/* the dropped one sees its connection end */
	while (recv(slow, (char[4096]){ 0 }, 4096, MSG_DONTWAIT) > 0)
		;
	assert_int_equal(recv(slow, (char[1]){ 0 }, 1, MSG_DONTWAIT), 0);
	close(slow);
	close(fast);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_socket_file),
		T(test_path_too_long),
		T(test_requests_and_errors),
		T(test_uid_refused),
		T(test_partial_lines),
		T(test_two_requests_in_one_write),
		T(test_requests_wait_for_the_reader),
		T(test_disconnect_mid_line),
		T(test_half_close_still_answered),
		T(test_line_too_long),
		T(test_longest_line_is_served),
		T(test_too_many_clients),
		T(test_idle_timeout),
		T(test_deferred_reply),
		T(test_monitor_stream),
		T(test_slow_monitor_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, cleanup);
}
