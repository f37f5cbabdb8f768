// SPDX-License-Identifier: MIT
/*
 * The built mlsctl against a fake mlsd: a child process serving the
 * control socket with libmlsd's server and canned answers, recording
 * every request it gets. Checks the text and -j output of status, host
 * and group list, the requests the changing commands send, mlsd's errors
 * passed on, the uid refusal, monitor agent, the socket path from -s and
 * $MLSD_SOCKET, the "mlsd is not running" error, and that the kernel's
 * group add and monitor forms are still the kernel's.
 */
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../mlsd/ctl_server.h"
#include "cli.h"

static char sock[256];
static pid_t server_pid = -1;

static const char canned_status[] =
	"{\"network\":\"corp\","
	"\"identity\":{\"name\":\"alice\",\"addresses\":[\"10.7.0.1/24\"]},"
	"\"relay\":{\"address\":\"relay.example:443\",\"connected\":true,\"since\":1764684000},"
	"\"hosts\":["
	"{\"name\":\"bob\",\"addresses\":[\"10.7.0.2/32\"],\"leaf\":1,\"peer_id\":2,\"path\":\"direct\",\"endpoint\":\"192.0.2.5:51820\"},"
	"{\"name\":\"carol\",\"addresses\":[\"10.7.0.3/32\",\"fd00::3/128\"],\"leaf\":2,\"peer_id\":3,\"path\":\"relay\",\"endpoint\":null}],"
	"\"groups\":["
	"{\"name\":\"network\",\"kind\":\"network\",\"id\":\"mlsdco/net/corp\",\"kernel_gid\":1,\"epoch\":12,\"members\":[\"alice\",\"bob\",\"carol\"],\"last_rekey\":1764684300},"
	"{\"name\":\"pair/bob\",\"kind\":\"pair\",\"id\":\"mlsdco/pair/corp/alice/bob\",\"kernel_gid\":2,\"epoch\":3,\"members\":[\"alice\",\"bob\"],\"last_rekey\":null}]}";

static const char status_text[] =
	"network corp, identity alice (10.7.0.1/24)\n"
	"relay relay.example:443: connected since 2025-12-02 14:00:00 UTC\n"
	"host bob: 10.7.0.2/32, leaf 1, peer 2, direct 192.0.2.5:51820\n"
	"host carol: 10.7.0.3/32,fd00::3/128, leaf 2, peer 3, relay\n"
	"group network (network): kernel 1, epoch 12, members alice bob carol, last rekey 2025-12-02 14:05:00 UTC\n"
	"group pair/bob (pair): kernel 2, epoch 3, members alice bob, last rekey never\n";

/* ---- the fake mlsd (child process) ---- */

static json_t *status_json(void)
{
	json_t *j = json_loads(canned_status, 0, NULL);

	if (!j)
		abort();
	return j;
}

/* Every request, re-encoded, one line each, to DIR/requests. */
static void record(const struct mlsd_ctl_request *req)
{
	char path[512], *line;
	FILE *f;

	snprintf(path, sizeof(path), "%s/requests", tmpdir());
	line = mlsd_ctl_encode_request(req, NULL);
	f = fopen(path, "a");
	if (!line || !f || fputs(line, f) < 0 || fclose(f))
		abort();
	free(line);
}

static int fake_status(void *ctx, const struct mlsd_ctl_request *req,
		       json_t *result, struct mlsd_ctl_error *err)
{
	json_t *s = status_json();

	record(req);
	json_object_update(result, s);
	json_decref(s);
	return 0;
}

/* {"hosts": ...} or {"groups": ...} out of the canned status. */
static int fake_list(const struct mlsd_ctl_request *req, json_t *result,
		     const char *key)
{
	json_t *s = status_json();

	record(req);
	json_object_set(result, key, json_object_get(s, key));
	json_decref(s);
	return 0;
}

static int fake_host_list(void *ctx, const struct mlsd_ctl_request *req,
			  json_t *result, struct mlsd_ctl_error *err)
{
	return fake_list(req, result, "hosts");
}

static int fake_group_list(void *ctx, const struct mlsd_ctl_request *req,
			   json_t *result, struct mlsd_ctl_error *err)
{
	return fake_list(req, result, "groups");
}

/* Changes: recorded; "ghost" is nobody. */
static int fake_change(void *ctx, const struct mlsd_ctl_request *req,
		       json_t *result, struct mlsd_ctl_error *err)
{
	record(req);
	if (!strcmp(req->host, "ghost") ||
	    (req->n_hosts && !strcmp(req->hosts[0], "ghost")))
		return mlsd_ctl_fail(err, MLSD_CTL_E_NOT_FOUND,
				     "no host \"ghost\" in network corp");
	return 0;
}

static const struct mlsd_ctl_ops fake_ops = {
	.status = fake_status,
	.host_list = fake_host_list,
	.host_remove = fake_change,
	.group_create = fake_change,
	.group_add = fake_change,
	.group_remove = fake_change,
	.group_list = fake_group_list,
	.rekey = fake_change,
};

static void emit_events(struct mlsd_ctl_server *srv)
{
	json_t *evs[3] = {
		mlsd_ctl_event_join("network", "dave"),
		mlsd_ctl_event_epoch("network", 13),
		mlsd_ctl_event_remove("ops", "bob"),
	};
	int i;

	for (i = 0; i < 3; i++) {
		if (mlsd_ctl_server_event(srv, evs[i]))
			abort();
		json_decref(evs[i]);
	}
}

/* Serve path until killed; each new monitor gets three events. */
static void serve(const char *path, uid_t uid)
{
	struct mlsd_ctl_server_config cfg = {
		.path = path, .allowed_uid = uid, .ops = &fake_ops,
	};
	struct mlsd_err e = { "" };
	struct mlsd_ctl_server *srv = mlsd_ctl_server_open(&cfg, &e);
	struct pollfd fds[32];
	size_t i, n, monitors = 0;

	if (!srv) {
		fprintf(stderr, "fake mlsd: %s\n", e.msg);
		_exit(1);
	}
	for (;;) {
		n = mlsd_ctl_server_pollfds(srv, fds, 32);
		poll(fds, n, 100);
		for (i = 0; i < n; i++)
			if (fds[i].revents)
				mlsd_ctl_server_handle(srv, fds[i].fd,
						       fds[i].revents);
		mlsd_ctl_server_expire(srv);
		if (mlsd_ctl_server_monitors(srv) > monitors)
			emit_events(srv);
		monitors = mlsd_ctl_server_monitors(srv);
	}
}

/* Start the fake mlsd at sock (uid: who it answers) and wait for it. */
static void start_server(uid_t uid)
{
	int tries;

	unlink(sock);
	server_pid = fork();
	assert_true(server_pid >= 0);
	if (!server_pid)
		serve(sock, uid);
	for (tries = 0; tries < 200 && access(sock, F_OK); tries++)
		usleep(10000);
	assert_int_equal(access(sock, F_OK), 0);
}

static void stop_server(void)
{
	if (server_pid <= 0)
		return;
	kill(server_pid, SIGKILL);
	waitpid(server_pid, NULL, 0);
	server_pid = -1;
}

/* ---- the client side ---- */

static const char *text_of(const char *name)
{
	static char buf[8192];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir(), name);
	f = fopen(path, "r");
	if (!f)
		return "";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* mlsctl -s SOCK ARGS: exit status rc, stdout out, stderr err. */
static void ctl(const char *args, int rc, const char *out, const char *err)
{
	assert_int_equal(run("%s -s '%s' %s >out 2>err", mlsctl, sock, args),
			 rc);
	assert_string_equal(text_of("out"), out);
	assert_string_equal(text_of("err"), err);
}

/* The requests mlsd got since the last call, one line each. */
static void requests_were(const char *want)
{
	char path[512], got[8192];

	snprintf(got, sizeof(got), "%s", text_of("requests"));
	snprintf(path, sizeof(path), "%s/requests", tmpdir());
	unlink(path);
	assert_string_equal(got, want);
}

static int setup(void **state)
{
	snprintf(sock, sizeof(sock), "%s/mlsd.sock", tmpdir());
	return mlsctl_find();
}

static int start(void **state)
{
	start_server(getuid());
	return 0;
}

static int stop(void **state)
{
	stop_server();
	return 0;
}

static int teardown(void **state)
{
	tmpdir_remove();
	return 0;
}

static void test_not_running(void **state)
{
	char want[512];

	assert_int_equal(run("%s -s none.sock status 2>err", mlsctl), 1);
	snprintf(want, sizeof(want),
		 "mlsctl: mlsd is not running: cannot connect to none.sock: No such file or directory\n");
	assert_string_equal(text_of("err"), want);
	/* $MLSD_SOCKET names it when -s does not */
	assert_int_equal(run("MLSD_SOCKET=gone.sock %s group list 2>err",
			     mlsctl), 1);
	assert_string_equal(text_of("err"),
			    "mlsctl: mlsd is not running: cannot connect to gone.sock: No such file or directory\n");
}

static void test_status(void **state)
{
	json_t *want = json_loads(canned_status, 0, NULL);
	char *line = json_dumps(want, JSON_COMPACT);
	char out[8192];

	ctl("status", 0, status_text, "");
	snprintf(out, sizeof(out), "%s\n", line);
	ctl("status -j", 0, out, "");
	/* found through $MLSD_SOCKET too */
	assert_int_equal(run("MLSD_SOCKET='%s' %s status --json >out", sock,
			     mlsctl), 0);
	assert_string_equal(text_of("out"), out);
	requests_were("{\"id\":1,\"cmd\":\"status\"}\n{\"id\":1,\"cmd\":\"status\"}\n"
		      "{\"id\":1,\"cmd\":\"status\"}\n");
	ctl("status now", 1, "",
	    "mlsctl: status: unexpected argument \"now\" (usage: mlsctl status [-j])\n");
	free(line);
	json_decref(want);
}

static void test_lists(void **state)
{
	ctl("host list", 0,
	    "host bob: 10.7.0.2/32, leaf 1, peer 2, direct 192.0.2.5:51820\n"
	    "host carol: 10.7.0.3/32,fd00::3/128, leaf 2, peer 3, relay\n", "");
	ctl("group list", 0,
	    "group network (network): kernel 1, epoch 12, members alice bob carol, last rekey 2025-12-02 14:05:00 UTC\n"
	    "group pair/bob (pair): kernel 2, epoch 3, members alice bob, last rekey never\n",
	    "");
	ctl("group list -j", 0,
	    "{\"groups\":[{\"name\":\"network\",\"kind\":\"network\",\"id\":\"mlsdco/net/corp\",\"kernel_gid\":1,\"epoch\":12,\"members\":[\"alice\",\"bob\",\"carol\"],\"last_rekey\":1764684300},{\"name\":\"pair/bob\",\"kind\":\"pair\",\"id\":\"mlsdco/pair/corp/alice/bob\",\"kernel_gid\":2,\"epoch\":3,\"members\":[\"alice\",\"bob\"],\"last_rekey\":null}]}\n",
	    "");
	requests_were("{\"id\":1,\"cmd\":\"host-list\"}\n{\"id\":1,\"cmd\":\"group-list\"}\n{\"id\":1,\"cmd\":\"group-list\"}\n");
}

static void test_changes(void **state)
{
	ctl("host remove bob", 0, "", "");
	ctl("group create ops", 0, "", "");
	ctl("group create ops2 host bob carol", 0, "", "");
	ctl("group add ops host bob carol", 0, "", "");
	ctl("group remove ops host carol", 0, "", "");
	ctl("rekey", 0, "", "");
	ctl("rekey pair/bob", 0, "", "");
	requests_were("{\"id\":1,\"cmd\":\"host-remove\",\"host\":\"bob\"}\n"
		      "{\"id\":1,\"cmd\":\"group-create\",\"group\":\"ops\"}\n"
		      "{\"id\":1,\"cmd\":\"group-create\",\"group\":\"ops2\",\"hosts\":[\"bob\",\"carol\"]}\n"
		      "{\"id\":1,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"bob\",\"carol\"]}\n"
		      "{\"id\":1,\"cmd\":\"group-remove\",\"group\":\"ops\",\"hosts\":[\"carol\"]}\n"
		      "{\"id\":1,\"cmd\":\"rekey\"}\n"
		      "{\"id\":1,\"cmd\":\"rekey\",\"group\":\"pair/bob\"}\n");
	/* mlsd's refusal, word for word */
	ctl("host remove ghost", 1, "",
	    "mlsctl: host remove: no host \"ghost\" in network corp\n");
	ctl("group add ops host ghost", 1, "",
	    "mlsctl: group add: no host \"ghost\" in network corp\n");
	requests_were("{\"id\":1,\"cmd\":\"host-remove\",\"host\":\"ghost\"}\n"
		      "{\"id\":1,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"ghost\"]}\n");
}

static void test_bad_arguments_never_sent(void **state)
{
	static const struct { const char *args, *err; } cases[] = {
		{ "host remove", "host remove: expected one host name (usage: mlsctl host remove NAME)" },
		{ "host remove -bob", "host remove: \"host\": invalid host name \"-bob\"" },
		{ "group create network", "group create: group: \"network\" is the network group, not a named group" },
		{ "group add ops host bob bob", "group add: hosts[1]: \"bob\" is listed twice" },
		{ "group add ops host", "group add: usage: mlsctl group add NAME host HOST [HOST...]" },
		{ "group remove ops", "group remove: usage: mlsctl group remove NAME host HOST [HOST...]" },
		{ "group create ops bob", "group create: usage: mlsctl group create NAME [host HOST...]" },
		{ "rekey pair/", "rekey: group: \"pair/\" is not network, pair/HOST or a group name" },
		{ "rekey a b", "rekey: usage: mlsctl rekey [GROUP] (GROUP: network, pair/HOST or a group name)" },
		{ "host frob", "host: unknown command \"frob\" (try \"mlsctl help\")" },
	};
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(err, sizeof(err), "mlsctl: %s\n", cases[i].err);
		ctl(cases[i].args, 1, "", err);
	}
	requests_were("");
}

static void test_kernel_forms_stay(void **state)
{
	/* no "host" word: the kernel's group add, refused before netlink */
	ctl("group add mlsdco0 id 1 aead rot13 leaf 0", 1, "",
	    "mlsctl: group add: unknown aead \"rot13\" (expected aes-128-gcm, aes-256-gcm or chacha20-poly1305)\n");
	ctl("monitor count 0", 1, "", "mlsctl: monitor: invalid count \"0\"\n");
	ctl("monitor kernel count x", 1, "",
	    "mlsctl: monitor: invalid count \"x\"\n");
	requests_were("");
}

static void test_monitor(void **state)
{
	ctl("monitor agent count 3", 0,
	    "join group network host dave\n"
	    "epoch group network epoch 13\n"
	    "remove group ops host bob\n",
	    "mlsctl: monitoring mlsd events\n");
	ctl("monitor agent count 2 -j", 0,
	    "{\"event\":\"join\",\"group\":\"network\",\"host\":\"dave\"}\n"
	    "{\"event\":\"epoch\",\"group\":\"network\",\"epoch\":13}\n",
	    "mlsctl: monitoring mlsd events\n");
	ctl("monitor agent count none", 1, "",
	    "mlsctl: monitor agent: invalid count \"none\"\n");
}

static void test_uid_refused(void **state)
{
	char want[256];

	stop_server();
	start_server(getuid() + 1);
	assert_int_equal(run("%s -s '%s' status >out 2>err", mlsctl, sock),
			 1);
	snprintf(want, sizeof(want),
		 "mlsctl: status: mlsd answers uid %u only (you are uid %u)\n",
		 getuid() + 1, getuid());
	assert_string_equal(text_of("err"), want);
	assert_string_equal(text_of("out"), "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, start, stop)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_running),
		T(test_status),
		T(test_lists),
		T(test_changes),
		T(test_bad_arguments_never_sent),
		T(test_kernel_forms_stay),
		T(test_monitor),
		T(test_uid_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
