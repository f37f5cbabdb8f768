/* SPDX-License-Identifier: MIT */
/*
 * The control socket's protocol (docs/CONTROL.md): one JSON object per
 * line. This file turns a request line into a typed request (every way a
 * line can be wrong has its own error code) and builds reply and event
 * lines; mlsctl uses the same code for the other direction. Pure
 * functions: no I/O, no state.
 */
#ifndef MLSD_CTL_PROTO_H
#define MLSD_CTL_PROTO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostcert.h"

/* Longest request line, newline excluded. Replies have no limit. */
#define MLSD_CTL_LINE_MAX	65536
/* Most hosts one group-create, group-add or group-remove names. */
#define MLSD_CTL_MAX_HOSTS	256
/* A group reference: "network", "pair/HOST" or a named group's NAME. */
#define MLSD_CTL_GROUP_MAX	(5 + MLSD_NAME_MAX)
/* Request ids are JSON-safe integers: 0 .. 2^53 - 1. */
#define MLSD_CTL_ID_MAX		((int64_t)9007199254740991)
/* No id (a line too broken to carry one): the reply says "id": null. */
#define MLSD_CTL_NO_ID		((int64_t)-1)

enum mlsd_ctl_cmd {
	MLSD_CTL_STATUS,
	MLSD_CTL_HOST_LIST,
	MLSD_CTL_HOST_REMOVE,
	MLSD_CTL_GROUP_CREATE,
	MLSD_CTL_GROUP_ADD,
	MLSD_CTL_GROUP_REMOVE,
	MLSD_CTL_GROUP_LIST,
	MLSD_CTL_REKEY,
	MLSD_CTL_MONITOR,
	MLSD_CTL_N_CMDS
};

/* Error codes of docs/CONTROL.md, as sent in "error": {"code": ...}. */
#define MLSD_CTL_E_TOO_LONG	"line-too-long"
#define MLSD_CTL_E_UTF8		"bad-utf8"
#define MLSD_CTL_E_JSON		"bad-json"
#define MLSD_CTL_E_NOT_OBJECT	"not-object"
#define MLSD_CTL_E_DUPLICATE	"duplicate-key"
#define MLSD_CTL_E_MISSING	"missing-field"
#define MLSD_CTL_E_TYPE		"wrong-type"
#define MLSD_CTL_E_UNKNOWN_ARG	"unknown-field"
#define MLSD_CTL_E_UNKNOWN_CMD	"unknown-cmd"
#define MLSD_CTL_E_VALUE	"bad-value"
#define MLSD_CTL_E_DENIED	"permission-denied"
#define MLSD_CTL_E_BUSY		"too-many-clients"
#define MLSD_CTL_E_UNSUPPORTED	"unsupported"
#define MLSD_CTL_E_NOT_FOUND	"not-found"
#define MLSD_CTL_E_EXISTS	"exists"
#define MLSD_CTL_E_FAILED	"failed"
#define MLSD_CTL_E_NOMEM	"no-memory"

#define MLSD_CTL_MSG_MAX	256

struct mlsd_ctl_error {
	const char *code;		/* one of MLSD_CTL_E_*, static */
	char message[MLSD_CTL_MSG_MAX];
};

/*
 * A valid request. Which fields a command fills: host (host-remove),
 * group (group-*, and rekey where "" means every group), hosts
 * (group-create: 0 or more, group-add and group-remove: 1 or more).
 * conn is not on the wire: the server sets it to the connection the
 * request came from, for a deferred reply (ctl_server.h).
 */
struct mlsd_ctl_request {
	int64_t id;
	enum mlsd_ctl_cmd cmd;
	char host[MLSD_NAME_MAX + 1];
	char group[MLSD_CTL_GROUP_MAX + 1];
	char hosts[MLSD_CTL_MAX_HOSTS][MLSD_NAME_MAX + 1];
	size_t n_hosts;
	uint64_t conn;
};

/* The command's wire name ("group-add"), or NULL if out of range. */
const char *mlsd_ctl_cmd_name(enum mlsd_ctl_cmd cmd);

/*
 * Parse one request line (len bytes, no newline). 0 with *req filled, or
 * -1 with *err set and req->id the request's id when the line had a
 * valid one (MLSD_CTL_NO_ID otherwise), so the error reply can carry it.
 */
int mlsd_ctl_parse_request(const char *line, size_t len,
			   struct mlsd_ctl_request *req,
			   struct mlsd_ctl_error *err);

/* Fill err and return -1 (for the daemon's callbacks too). */
int mlsd_ctl_fail(struct mlsd_ctl_error *err, const char *code,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Lines to send, each ending in '\n', NUL-terminated, malloc'd (free());
 * NULL when out of memory. *len (if not NULL) is the length without NUL.
 * The json_t arguments are borrowed.
 */
char *mlsd_ctl_encode_request(const struct mlsd_ctl_request *req,
			      size_t *len);
char *mlsd_ctl_encode_ok(int64_t id, const json_t *result, size_t *len);
char *mlsd_ctl_encode_error(int64_t id, const struct mlsd_ctl_error *err,
			    size_t *len);
/* NULL too if ev is not an object with a string "event". */
char *mlsd_ctl_encode_event(const json_t *ev, size_t *len);

/* Events of docs/CONTROL.md; NULL when out of memory. */
json_t *mlsd_ctl_event_join(const char *group, const char *host);
json_t *mlsd_ctl_event_remove(const char *group, const char *host);
json_t *mlsd_ctl_event_epoch(const char *group, uint64_t epoch);

/*
 * What mlsctl reads back: a reply (ok with its result, or an error) or,
 * on a monitor connection, an event. The json_t is owned by the caller
 * (json_decref). -1 with err for a line that is neither.
 */
struct mlsd_ctl_reply {
	bool is_event;
	int64_t id;			/* MLSD_CTL_NO_ID for null */
	bool ok;
	json_t *body;			/* result, error, or the event */
	const char *code;		/* errors: points into body */
	const char *message;
};

int mlsd_ctl_parse_reply(const char *line, size_t len,
			 struct mlsd_ctl_reply *r, struct mlsd_ctl_error *err);

#endif
