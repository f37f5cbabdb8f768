// SPDX-License-Identifier: MIT
/*
 * The commands that go through mlsd's control socket (docs/CONTROL.md)
 * rather than to the kernel: status, host, group create|add|remove|list,
 * rekey and monitor agent. Each builds its request as JSON, checks it with
 * the parser mlsd itself runs (so a bad name is refused here, with mlsd's
 * words, before anything is sent), sends it, and prints the result as
 * text (agent_print.c) or, with -j, as mlsd sent it.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mlsctl.h"
#include "../mlsd/config.h"
#include "../mlsd/ctl_proto.h"

/* Replies (a status of a big network) may be long; requests never are. */
#define AGENT_REPLY_MAX		(16u << 20)
/* A rekey or an add waits for the relay; mlsd answers when it is done. */
#define AGENT_REPLY_TIMEOUT_MS	60000

const char *mlsctl_socket_path;

struct agent_conn {
	int fd;
	const char *path;
	char *buf;
	size_t len, cap;
};

static const char *agent_path(void)
{
	const char *env = getenv("MLSD_SOCKET");

	if (mlsctl_socket_path)
		return mlsctl_socket_path;
	return env && env[0] ? env : MLSD_DEFAULT_SOCKET;
}

static int agent_connect(struct agent_conn *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int err;

	memset(c, 0, sizeof(*c));
	c->path = agent_path();
	if (strlen(c->path) >= sizeof(sa.sun_path))
		return mlsctl_err("control socket path \"%s\" is longer than %zu bytes",
				  c->path, sizeof(sa.sun_path) - 1);
	strcpy(sa.sun_path, c->path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return mlsctl_err("socket: %s", strerror(errno));
	if (!connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return MLSCTL_OK;
	err = errno;
	close(c->fd);
	c->fd = -1;
	if (err == ENOENT || err == ECONNREFUSED)
		return mlsctl_err("mlsd is not running: cannot connect to %s: %s",
				  c->path, strerror(err));
	return mlsctl_err("cannot connect to %s: %s%s", c->path, strerror(err),
			  err == EACCES ? " (mlsd answers root only)" : "");
}

static void agent_close(struct agent_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	c->fd = -1;
	c->buf = NULL;
}

/* 0 or -errno. */
static int agent_send(struct agent_conn *c, const char *line, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(c->fd, line, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		line += n;
		len -= n;
	}
	return 0;
}

/* Room to read into; false when a line would pass AGENT_REPLY_MAX. */
static bool agent_grow(struct agent_conn *c)
{
	size_t cap = c->cap ? c->cap * 2 : 65536;
	char *buf;

	if (c->len + 1 < c->cap)
		return true;
	if (cap > AGENT_REPLY_MAX)
		return false;
	buf = realloc(c->buf, cap);
	if (!buf)
		return false;
	c->buf = buf;
	c->cap = cap;
	return true;
}

/*
 * The next line from mlsd into *line (NUL-terminated, valid until the
 * next call), waiting at most timeout_ms (-1: for ever).
 */
static int agent_read_line(struct agent_conn *c, int timeout_ms, char **line,
			   size_t *len)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	/* Drop the line handed out last time. */
	if (*line) {
		c->len -= *len + 1;
		memmove(c->buf, c->buf + *len + 1, c->len);
		*line = NULL;
	}
	while (!(nl = c->len ? memchr(c->buf, '\n', c->len) : NULL)) {
		if (!agent_grow(c))
			return mlsctl_err("a line from mlsd is longer than %u bytes",
					  AGENT_REPLY_MAX);
		n = poll(&pfd, 1, timeout_ms);
		if (n == 0)
			return mlsctl_err("mlsd did not answer within %d s",
					  timeout_ms / 1000);
		if (n > 0)
			n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mlsctl_err("reading from %s: %s", c->path,
					  strerror(errno));
		if (n == 0)
			return mlsctl_err("mlsd closed the connection");
		c->len += n;
	}
	*nl = '\0';
	*line = c->buf;
	*len = nl - c->buf;
	return MLSCTL_OK;
}

static int agent_parse_reply(const char *line, size_t len,
			     struct mlsd_ctl_reply *r)
{
	struct mlsd_ctl_error err;

	if (mlsd_ctl_parse_reply(line, len, r, &err))
		return mlsctl_err("mlsd sent a line that is not a reply (%s: %s)",
				  err.code, err.message);
	return MLSCTL_OK;
}

/* req (taken) as the line mlsd would accept, or an error naming what. */
static char *agent_request_line(const char *what, json_t *req, size_t *len)
{
	static struct mlsd_ctl_request parsed;
	struct mlsd_ctl_error err;
	char *text, *line;

	if (!req || json_object_set_new(req, "id", json_integer(1))) {
		json_decref(req);
		mlsctl_err("%s: out of memory", what);
		return NULL;
	}
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!text) {
		mlsctl_err("%s: out of memory", what);
		return NULL;
	}
	if (mlsd_ctl_parse_request(text, strlen(text), &parsed, &err)) {
		mlsctl_err("%s: %s", what, err.message);
		free(text);
		return NULL;
	}
	free(text);
	line = mlsd_ctl_encode_request(&parsed, len);
	if (!line)
		mlsctl_err("%s: out of memory", what);
	return line;
}

/*
 * Send req (taken) on a fresh connection and wait for its answer: the
 * result in *result (caller's), or an error printed as "WHAT: message".
 * c stays open for a monitor; others close it.
 */
static int agent_call_on(struct agent_conn *c, const char *what, json_t *req,
			 json_t **result)
{
	struct mlsd_ctl_reply r;
	char *line = NULL, *out;
	size_t len = 0, out_len;
	int ret;

	c->fd = -1;
	c->buf = NULL;
	out = agent_request_line(what, req, &out_len);
	if (!out)
		return MLSCTL_FAIL;
	ret = agent_connect(c);
	if (!ret)
		ret = agent_send(c, out, out_len);
	free(out);
	/* Refused at the door: mlsd said why before it hung up. */
	if (ret == -EPIPE || ret == -ECONNRESET)
		ret = MLSCTL_OK;
	else if (ret < 0)
		ret = mlsctl_err("writing to %s: %s", c->path, strerror(-ret));
	while (!ret) {
		ret = agent_read_line(c, AGENT_REPLY_TIMEOUT_MS, &line, &len);
		if (ret || (ret = agent_parse_reply(line, len, &r)))
			break;
		/* Ours, or a refusal at the door (no id). */
		if (!r.is_event && (r.id == 1 || r.id == MLSD_CTL_NO_ID))
			break;
		json_decref(r.body);
	}
	if (ret)
		return ret;
	c->len -= len + 1;
	memmove(c->buf, c->buf + len + 1, c->len);
	if (!r.ok) {
		ret = mlsctl_err("%s: %s", what, r.message);
		json_decref(r.body);
		return ret;
	}
	*result = r.body;
	return MLSCTL_OK;
}

static int agent_call(const char *what, json_t *req, json_t **result)
{
	struct agent_conn c;
	int ret = agent_call_on(&c, what, req, result);

	agent_close(&c);
	return ret;
}

/* -j / --json anywhere in argv; the other words are moved to the front. */
static int take_json_flag(int *argc, char **argv, bool *json)
{
	int i, n = 0;

	*json = false;
	for (i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			*json = true;
		else
			argv[n++] = argv[i];
	}
	*argc = n;
	return n;
}

static int print_result(json_t *result, bool json,
			void (*text)(const json_t *result))
{
	int ret = MLSCTL_OK;

	if (json) {
		if (json_dumpf(result, stdout, JSON_COMPACT) < 0)
			ret = MLSCTL_FAIL;
		putchar('\n');
	} else if (text) {
		text(result);
	}
	json_decref(result);
	if (fflush(stdout))
		return mlsctl_err("writing the output: %s", strerror(errno));
	return ret;
}

/* A read-only command: CMD [-j]. */
static int agent_show(const char *what, const char *cmd, int argc,
		      char **argv, void (*text)(const json_t *result))
{
	json_t *result;
	bool json;

	if (take_json_flag(&argc, argv, &json))
		return mlsctl_err("%s: unexpected argument \"%s\" (usage: mlsctl %s [-j])",
				  what, argv[0], what);
	if (agent_call(what, json_pack("{s:s}", "cmd", cmd), &result))
		return MLSCTL_FAIL;
	return print_result(result, json, text);
}

int mlsctl_status(int argc, char **argv)
{
	return agent_show("status", "status", argc, argv,
			  mlsctl_print_status);
}

static int agent_done(const char *what, json_t *req)
{
	json_t *result;

	if (agent_call(what, req, &result))
		return MLSCTL_FAIL;
	json_decref(result);
	return MLSCTL_OK;
}

static int host_list(int argc, char **argv)
{
	return agent_show("host list", "host-list", argc, argv,
			  mlsctl_print_hosts);
}

static int host_remove(int argc, char **argv)
{
	if (argc != 1)
		return mlsctl_err("host remove: expected one host name (usage: mlsctl host remove NAME)");
	return agent_done("host remove",
			  json_pack("{s:s, s:s}", "cmd", "host-remove", "host",
				    argv[0]));
}

static const struct mlsctl_cmd host_cmds[] = {
	{ "list", host_list },
	{ "show", host_list },
	{ "remove", host_remove },
	{ "del", host_remove },
	{ NULL, NULL },
};

int mlsctl_host(int argc, char **argv)
{
	return mlsctl_dispatch("host", host_cmds, argc, argv);
}

bool mlsctl_agent_group_form(int argc, char **argv)
{
	return argc >= 2 && !strcmp(argv[1], "host");
}

/*
 * "NAME [host HOST...]" into {"cmd": cmd, "group": NAME, "hosts": [...]};
 * need_hosts: at least one host.
 */
static int agent_group_change(const char *what, const char *cmd, int argc,
			      char **argv, bool need_hosts)
{
	json_t *req, *hosts;
	int i;

	if (argc < 1 || (argc >= 2 && strcmp(argv[1], "host")) ||
	    (need_hosts && argc < 3) || argc == 2)
		return mlsctl_err("%s: usage: mlsctl %s NAME %s", what, what,
				  need_hosts ? "host HOST [HOST...]" :
					       "[host HOST...]");
	hosts = json_array();
	for (i = 2; hosts && i < argc; i++)
		if (json_array_append_new(hosts, json_string(argv[i])))
			break;
	req = json_pack("{s:s, s:s}", "cmd", cmd, "group", argv[0]);
	if (req && hosts && argc > 2)
		json_object_set(req, "hosts", hosts);
	json_decref(hosts);
	return agent_done(what, req);
}

int mlsctl_agent_group_add(int argc, char **argv)
{
	return agent_group_change("group add", "group-add", argc, argv, true);
}

int mlsctl_agent_group_create(int argc, char **argv)
{
	return agent_group_change("group create", "group-create", argc, argv,
				  false);
}

int mlsctl_agent_group_remove(int argc, char **argv)
{
	return agent_group_change("group remove", "group-remove", argc, argv,
				  true);
}

int mlsctl_agent_group_list(int argc, char **argv)
{
	return agent_show("group list", "group-list", argc, argv,
			  mlsctl_print_groups);
}

int mlsctl_rekey(int argc, char **argv)
{
	json_t *req;

	if (argc > 1)
		return mlsctl_err("rekey: usage: mlsctl rekey [GROUP] (GROUP: network, pair/HOST or a group name)");
	req = json_pack("{s:s}", "cmd", "rekey");
	if (req && argc == 1)
		json_object_set_new(req, "group", json_string(argv[0]));
	return agent_done("rekey", req);
}

static int monitor_loop(struct agent_conn *c, uint64_t count, bool json)
{
	struct mlsd_ctl_reply r;
	uint64_t seen = 0;
	char *line = NULL;
	size_t len = 0;

	/* Ready: tests wait for this line before making events happen. */
	fprintf(stderr, "mlsctl: monitoring mlsd events\n");
	while (!count || seen < count) {
		if (agent_read_line(c, -1, &line, &len) ||
		    agent_parse_reply(line, len, &r))
			return MLSCTL_FAIL;
		if (!r.is_event) {
			json_decref(r.body);
			continue;
		}
		if (json)
			printf("%s\n", line);
		else
			mlsctl_print_agent_event(r.body);
		json_decref(r.body);
		if (fflush(stdout))
			return mlsctl_err("writing the output: %s",
					  strerror(errno));
		seen++;
	}
	return MLSCTL_OK;
}

int mlsctl_agent_monitor(int argc, char **argv)
{
	struct agent_conn c;
	uint64_t count = 0;
	json_t *result;
	bool json;
	int ret;

	take_json_flag(&argc, argv, &json);
	if (argc == 2 && !strcmp(argv[0], "count")) {
		if (mlsctl_parse_u64(argv[1], UINT64_MAX, &count) || !count)
			return mlsctl_err("monitor agent: invalid count \"%s\"",
					  argv[1]);
	} else if (argc) {
		return mlsctl_err("monitor agent: unexpected argument \"%s\" (usage: mlsctl monitor agent [count N] [-j])",
				  argv[0]);
	}
	ret = agent_call_on(&c, "monitor agent",
			    json_pack("{s:s}", "cmd", "monitor"), &result);
	if (!ret) {
		json_decref(result);
		ret = monitor_loop(&c, count, json);
	}
	agent_close(&c);
	return ret;
}
