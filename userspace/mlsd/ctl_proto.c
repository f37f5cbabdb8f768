// SPDX-License-Identifier: MIT
/*
 * Control protocol codec (docs/CONTROL.md). A request is checked in the
 * order a reader would: size, UTF-8, JSON syntax and duplicate keys, an
 * object, its id (so every later error can carry it), its cmd, then the
 * command's fields: none unknown, the required ones present, each of its
 * type and valid. The first failure is the answer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_proto.h"

/* Fields a command may carry besides id and cmd. */
#define F_HOST	(1u << 0)
#define F_GROUP	(1u << 1)
#define F_HOSTS	(1u << 2)

struct ctl_cmd_spec {
	const char *name;
	unsigned int fields;	/* allowed */
	unsigned int required;
	const char *usage;	/* what it takes, for unknown-field */
};

static const struct ctl_cmd_spec ctl_cmds[MLSD_CTL_N_CMDS] = {
	[MLSD_CTL_STATUS] = { "status", 0, 0, "no fields" },
	[MLSD_CTL_HOST_LIST] = { "host-list", 0, 0, "no fields" },
	[MLSD_CTL_HOST_REMOVE] = { "host-remove", F_HOST, F_HOST, "host" },
	[MLSD_CTL_GROUP_CREATE] = { "group-create", F_GROUP | F_HOSTS, F_GROUP,
				    "group and optional hosts" },
	[MLSD_CTL_GROUP_ADD] = { "group-add", F_GROUP | F_HOSTS,
				 F_GROUP | F_HOSTS, "group and hosts" },
	[MLSD_CTL_GROUP_REMOVE] = { "group-remove", F_GROUP | F_HOSTS,
				    F_GROUP | F_HOSTS, "group and hosts" },
	[MLSD_CTL_GROUP_LIST] = { "group-list", 0, 0, "no fields" },
	[MLSD_CTL_REKEY] = { "rekey", F_GROUP, 0, "an optional group" },
	[MLSD_CTL_MONITOR] = { "monitor", 0, 0, "no fields" },
};

const char *mlsd_ctl_cmd_name(enum mlsd_ctl_cmd cmd)
{
	return (unsigned int)cmd < MLSD_CTL_N_CMDS ? ctl_cmds[cmd].name : NULL;
}

int mlsd_ctl_fail(struct mlsd_ctl_error *err, const char *code,
		  const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * A client's string inside our message: at most 64 bytes, printable ASCII
 * (anything else as '?'), so an error line stays short and plain.
 */
static const char *shown(const char *s, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; s[i] && i + 4 < cap && i < 64; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? s[i] : '?';
	if (s[i])
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

/* Length of the UTF-8 sequence at s (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF), 0 if it is not one.
 */
static size_t utf8_seq_len(const unsigned char *s, size_t left)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* UTF-8 without NUL (jansson would stop reading there). */
static int check_bytes(const char *line, size_t len,
		       struct mlsd_ctl_error *err)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t at = 0, n;

	while (at < len) {
		if (!s[at])
			return mlsd_ctl_fail(err, MLSD_CTL_E_JSON,
					     "byte %zu is a NUL byte", at + 1);
		n = utf8_seq_len(s + at, len - at);
		if (!n)
			return mlsd_ctl_fail(err, MLSD_CTL_E_UTF8,
					     "byte %zu is not valid UTF-8",
					     at + 1);
		at += n;
	}
	return 0;
}

static json_t *load_object(const char *line, size_t len,
			   struct mlsd_ctl_error *err)
{
	json_error_t je;
	json_t *obj;

	if (len > MLSD_CTL_LINE_MAX) {
		mlsd_ctl_fail(err, MLSD_CTL_E_TOO_LONG,
			      "line longer than %d bytes", MLSD_CTL_LINE_MAX);
		return NULL;
	}
	if (check_bytes(line, len, err))
		return NULL;
	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			 &je);
	if (!obj) {
		mlsd_ctl_fail(err, json_error_code(&je) ==
				   json_error_duplicate_key ?
				   MLSD_CTL_E_DUPLICATE : MLSD_CTL_E_JSON,
			      "column %d: %s", je.column, je.text);
		return NULL;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		mlsd_ctl_fail(err, MLSD_CTL_E_NOT_OBJECT,
			      "a request is a JSON object");
		return NULL;
	}
	return obj;
}

static int parse_id(const json_t *obj, int64_t *id, struct mlsd_ctl_error *err)
{
	const json_t *v = json_object_get(obj, "id");

	if (!v)
		return mlsd_ctl_fail(err, MLSD_CTL_E_MISSING,
				     "request has no \"id\"");
	if (!json_is_integer(v))
		return mlsd_ctl_fail(err, MLSD_CTL_E_TYPE,
				     "\"id\" must be an integer");
	if (json_integer_value(v) < 0 ||
	    json_integer_value(v) > MLSD_CTL_ID_MAX)
		return mlsd_ctl_fail(err, MLSD_CTL_E_VALUE,
				     "\"id\" must be 0 to 2^53-1");
	*id = json_integer_value(v);
	return 0;
}

static int parse_cmd(const json_t *obj, enum mlsd_ctl_cmd *cmd,
		     struct mlsd_ctl_error *err)
{
	const json_t *v = json_object_get(obj, "cmd");
	char buf[80];
	int i;

	if (!v)
		return mlsd_ctl_fail(err, MLSD_CTL_E_MISSING,
				     "request has no \"cmd\"");
	if (!json_is_string(v))
		return mlsd_ctl_fail(err, MLSD_CTL_E_TYPE,
				     "\"cmd\" must be a string");
	for (i = 0; i < MLSD_CTL_N_CMDS; i++)
		if (!strcmp(json_string_value(v), ctl_cmds[i].name)) {
			*cmd = i;
			return 0;
		}
	return mlsd_ctl_fail(err, MLSD_CTL_E_UNKNOWN_CMD, "unknown cmd \"%s\"",
			     shown(json_string_value(v), buf, sizeof(buf)));
}

static unsigned int field_bit(const char *key)
{
	if (!strcmp(key, "host"))
		return F_HOST;
	if (!strcmp(key, "group"))
		return F_GROUP;
	if (!strcmp(key, "hosts"))
		return F_HOSTS;
	return 0;
}

/* No field the command does not take; every field it needs is there. */
static int check_fields(const json_t *obj, const struct ctl_cmd_spec *spec,
			struct mlsd_ctl_error *err)
{
	const char *key, *missing;
	unsigned int bit, seen = 0;
	json_t *v;
	char buf[80];

	json_object_foreach((json_t *)obj, key, v) {
		if (!strcmp(key, "id") || !strcmp(key, "cmd"))
			continue;
		bit = field_bit(key);
		if (!(bit & spec->fields))
			return mlsd_ctl_fail(err, MLSD_CTL_E_UNKNOWN_ARG,
					     "%s takes no field \"%s\" (it takes %s)",
					     spec->name,
					     shown(key, buf, sizeof(buf)),
					     spec->usage);
		seen |= bit;
	}
	if (!(spec->required & ~seen))
		return 0;
	missing = (spec->required & ~seen & F_HOST) ? "host" :
		  (spec->required & ~seen & F_GROUP) ? "group" : "hosts";
	return mlsd_ctl_fail(err, MLSD_CTL_E_MISSING, "%s needs \"%s\"",
			     spec->name, missing);
}

static int copy_host(const json_t *v, const char *what, char *dst,
		     struct mlsd_ctl_error *err)
{
	char buf[80];

	if (!json_is_string(v))
		return mlsd_ctl_fail(err, MLSD_CTL_E_TYPE,
				     "%s must be a string", what);
	if (!mlsd_name_valid(json_string_value(v)))
		return mlsd_ctl_fail(err, MLSD_CTL_E_VALUE,
				     "%s: invalid host name \"%s\"", what,
				     shown(json_string_value(v), buf,
					   sizeof(buf)));
	strcpy(dst, json_string_value(v));
	return 0;
}

/* A named group's NAME (group-*), or for rekey any group reference. */
static int copy_group(const json_t *v, bool any_kind, char *dst,
		      struct mlsd_ctl_error *err)
{
	const char *s;
	char buf[80];

	if (!json_is_string(v))
		return mlsd_ctl_fail(err, MLSD_CTL_E_TYPE,
				     "\"group\" must be a string");
	s = json_string_value(v);
	if (any_kind && (!strcmp(s, "network") ||
			 (!strncmp(s, "pair/", 5) && mlsd_name_valid(s + 5)))) {
		strcpy(dst, s);
		return 0;
	}
	if (!strcmp(s, "network"))
		return mlsd_ctl_fail(err, MLSD_CTL_E_VALUE,
				     "group: \"network\" is the network group, not a named group");
	if (!mlsd_name_valid(s))
		return mlsd_ctl_fail(err, MLSD_CTL_E_VALUE,
				     any_kind ?
				     "group: \"%s\" is not network, pair/HOST or a group name" :
				     "group: invalid group name \"%s\"",
				     shown(s, buf, sizeof(buf)));
	strcpy(dst, s);
	return 0;
}

static int copy_hosts(const json_t *v, enum mlsd_ctl_cmd cmd,
		      struct mlsd_ctl_request *req, struct mlsd_ctl_error *err)
{
	char what[32];
	size_t i, j;
	json_t *h;

	if (!json_is_array(v))
		return mlsd_ctl_fail(err, MLSD_CTL_E_TYPE,
				     "\"hosts\" must be an array of host names");
	if (json_array_size(v) > MLSD_CTL_MAX_HOSTS)
		return mlsd_ctl_fail(err, MLSD_CTL_E_VALUE,
				     "hosts: more than %d hosts",
				     MLSD_CTL_MAX_HOSTS);
	if (!json_array_size(v) && cmd != MLSD_CTL_GROUP_CREATE)
		return mlsd_ctl_fail(err, MLSD_CTL_E_VALUE,
				     "hosts: %s needs at least one host",
				     ctl_cmds[cmd].name);
	json_array_foreach(v, i, h) {
		snprintf(what, sizeof(what), "hosts[%zu]", i);
		if (copy_host(h, what, req->hosts[i], err))
			return -1;
		for (j = 0; j < i; j++)
			if (!strcmp(req->hosts[j], req->hosts[i]))
				return mlsd_ctl_fail(err, MLSD_CTL_E_VALUE,
						     "%s: \"%s\" is listed twice",
						     what, req->hosts[i]);
	}
	req->n_hosts = json_array_size(v);
	return 0;
}

static int parse_args(const json_t *obj, struct mlsd_ctl_request *req,
		      struct mlsd_ctl_error *err)
{
	const json_t *v;

	if (check_fields(obj, &ctl_cmds[req->cmd], err))
		return -1;
	v = json_object_get(obj, "host");
	if (v && copy_host(v, "\"host\"", req->host, err))
		return -1;
	v = json_object_get(obj, "group");
	if (v && copy_group(v, req->cmd == MLSD_CTL_REKEY, req->group, err))
		return -1;
	v = json_object_get(obj, "hosts");
	if (v && copy_hosts(v, req->cmd, req, err))
		return -1;
	return 0;
}

int mlsd_ctl_parse_request(const char *line, size_t len,
			   struct mlsd_ctl_request *req,
			   struct mlsd_ctl_error *err)
{
	json_t *obj;
	int ret = -1;

	memset(req, 0, sizeof(*req));
	req->id = MLSD_CTL_NO_ID;
	obj = load_object(line, len, err);
	if (!obj)
		return -1;
	if (!parse_id(obj, &req->id, err) && !parse_cmd(obj, &req->cmd, err))
		ret = parse_args(obj, req, err);
	json_decref(obj);
	if (ret) {
		int64_t id = req->id;

		memset(req, 0, sizeof(*req));
		req->id = id;
	}
	return ret;
}

/* Compact one-line JSON with its newline; takes the reference to obj. */
static char *dump_line(json_t *obj, size_t *len)
{
	char *text, *line;
	size_t n;

	if (!obj)
		return NULL;
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!text)
		return NULL;
	n = strlen(text);
	line = realloc(text, n + 2);
	if (!line) {
		free(text);
		return NULL;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	if (len)
		*len = n + 1;
	return line;
}

static json_t *id_json(int64_t id)
{
	return id == MLSD_CTL_NO_ID ? json_null() : json_integer(id);
}

char *mlsd_ctl_encode_request(const struct mlsd_ctl_request *req,
			      size_t *len)
{
	const struct ctl_cmd_spec *spec;
	json_t *obj, *hosts;
	size_t i;

	if ((unsigned int)req->cmd >= MLSD_CTL_N_CMDS)
		return NULL;
	spec = &ctl_cmds[req->cmd];
	obj = json_pack("{s:I, s:s}", "id", (json_int_t)req->id,
			"cmd", spec->name);
	if (!obj)
		return NULL;
	if ((spec->fields & F_HOST) &&
	    json_object_set_new(obj, "host", json_string(req->host)))
		goto fail;
	if ((spec->fields & F_GROUP) && req->group[0] &&
	    json_object_set_new(obj, "group", json_string(req->group)))
		goto fail;
	if ((spec->fields & F_HOSTS) &&
	    (req->n_hosts || req->cmd != MLSD_CTL_GROUP_CREATE)) {
		hosts = json_array();
		if (json_object_set_new(obj, "hosts", hosts))
			goto fail;
		for (i = 0; i < req->n_hosts; i++)
			if (json_array_append_new(hosts,
						  json_string(req->hosts[i])))
				goto fail;
	}
	return dump_line(obj, len);
fail:
	json_decref(obj);
	return NULL;
}

char *mlsd_ctl_encode_ok(int64_t id, const json_t *result, size_t *len)
{
	return dump_line(json_pack("{s:o, s:b, s:O}", "id", id_json(id),
				   "ok", 1, "result", (json_t *)result), len);
}

char *mlsd_ctl_encode_error(int64_t id, const struct mlsd_ctl_error *err,
			    size_t *len)
{
	return dump_line(json_pack("{s:o, s:b, s:{s:s, s:s}}",
				   "id", id_json(id), "ok", 0,
				   "error", "code", err->code,
				   "message", err->message), len);
}

char *mlsd_ctl_encode_event(const json_t *ev, size_t *len)
{
	if (!json_is_object(ev) ||
	    !json_is_string(json_object_get(ev, "event")))
		return NULL;
	return dump_line(json_incref((json_t *)ev), len);
}

json_t *mlsd_ctl_event_join(const char *group, const char *host)
{
	return json_pack("{s:s, s:s, s:s}", "event", "join", "group", group,
			 "host", host);
}

json_t *mlsd_ctl_event_remove(const char *group, const char *host)
{
	return json_pack("{s:s, s:s, s:s}", "event", "remove", "group", group,
			 "host", host);
}

json_t *mlsd_ctl_event_epoch(const char *group, uint64_t epoch)
{
	return json_pack("{s:s, s:s, s:I}", "event", "epoch", "group", group,
			 "epoch", (json_int_t)epoch);
}

static int reply_error_fields(struct mlsd_ctl_reply *r,
			      struct mlsd_ctl_error *err)
{
	const json_t *e = json_object_get(r->body, "error");

	r->body = (json_t *)e;
	if (!json_is_object(e) ||
	    !json_is_string(json_object_get(e, "code")) ||
	    !json_is_string(json_object_get(e, "message")))
		return mlsd_ctl_fail(err, MLSD_CTL_E_MISSING,
				     "error reply without code and message");
	r->code = json_string_value(json_object_get(e, "code"));
	r->message = json_string_value(json_object_get(e, "message"));
	return 0;
}

static int reply_fields(struct mlsd_ctl_reply *r, struct mlsd_ctl_error *err)
{
	const json_t *id = json_object_get(r->body, "id");
	const json_t *ok = json_object_get(r->body, "ok");

	if (json_is_string(json_object_get(r->body, "event"))) {
		r->is_event = true;
		return 0;
	}
	if (!json_is_boolean(ok) || !(json_is_integer(id) || json_is_null(id)))
		return mlsd_ctl_fail(err, MLSD_CTL_E_MISSING,
				     "reply without \"id\" and \"ok\"");
	r->id = json_is_integer(id) ? json_integer_value(id) : MLSD_CTL_NO_ID;
	r->ok = json_is_true(ok);
	if (!r->ok)
		return reply_error_fields(r, err);
	r->body = json_object_get(r->body, "result");
	if (!json_is_object(r->body))
		return mlsd_ctl_fail(err, MLSD_CTL_E_MISSING,
				     "ok reply without a \"result\" object");
	return 0;
}

int mlsd_ctl_parse_reply(const char *line, size_t len,
			 struct mlsd_ctl_reply *r, struct mlsd_ctl_error *err)
{
	json_error_t je;
	json_t *top;

	memset(r, 0, sizeof(*r));
	r->id = MLSD_CTL_NO_ID;
	top = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			 &je);
	if (!top)
		return mlsd_ctl_fail(err, MLSD_CTL_E_JSON, "column %d: %s",
				     je.column, je.text);
	r->body = top;
	if (!json_is_object(top) || reply_fields(r, err)) {
		if (!json_is_object(top))
			mlsd_ctl_fail(err, MLSD_CTL_E_NOT_OBJECT,
				      "a reply is a JSON object");
		json_decref(top);
		memset(r, 0, sizeof(*r));
		return -1;
	}
	/* Keep the part the caller wants alive past the top object. */
	json_incref(r->body);
	json_decref(top);
	return 0;
}
