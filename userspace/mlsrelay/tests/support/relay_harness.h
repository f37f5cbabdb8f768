/* SPDX-License-Identifier: MIT */
/*
 * Test harness for mlsrelay: runs the real build-san/bin/mlsrelay with a
 * temporary config, SQLite file and self-signed certificate (openssl CLI)
 * on 127.0.0.1, and drives it with the relayproto client. Every wait is
 * on a condition with a generous bound, never on a fixed delay.
 */
#ifndef RELAY_HARNESS_H
#define RELAY_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "client.h"
#include "mls/crypto.h"

struct relay_proc {
	pid_t pid;
	char dir[64];
	char config[128], port_file[128], log[128];
	char tcp_port[8];
	uint16_t udp_port;
	uint8_t pin[RP_FINGERPRINT_LEN];
};

/* Temp dir + certificate; extra_config lines are appended to the config. */
void relay_setup(struct relay_proc *rp, const char *extra_config);
/* Start it; pin is the fingerprint of dir/cert.pem as it is now. */
void relay_start(struct relay_proc *rp);
/* Send sig and reap; SIGKILL for "crash". */
void relay_stop(struct relay_proc *rp, int sig);
/* Stop (if running) and remove the temp dir. */
void relay_teardown(struct relay_proc *rp);
/*
 * cmocka fixtures: a started relay in *state; a prestate, if any, is the
 * extra config text.
 */
int relay_fixture_setup(void **state);
int relay_fixture_teardown(void **state);
/* Whether the relay's log contains text now. */
bool relay_log_has(struct relay_proc *rp, const char *text);
/* True once the relay's log contains text (waits up to 60 s). */
bool relay_log_wait(struct relay_proc *rp, const char *text);

#define HOST_MAX_EVENTS 16

struct host {
	const char *name;
	uint8_t priv[MLS_MAX_SIG_PRIV_LEN], pub[MLS_MAX_SIG_PUB_LEN];
	size_t priv_len, pub_len;
	struct rp_client c;
	bool connected;
};

void host_init(struct host *h, const char *name);
/* Connect (TLS, pin, challenge) without auth; asserts success. */
void host_connect(struct host *h, struct relay_proc *rp);
/* Connect and auth; asserts the relay's ok. */
void host_login(struct host *h, struct relay_proc *rp);
void host_close(struct host *h);

/* Send f, return the next frame with its request id (events skipped). */
void host_request(struct host *h, struct rp_frame *f, struct rp_frame *reply);
/* A request answered by ok, or by the given error code. */
void host_expect_ok(struct host *h, struct rp_frame *f);
void host_expect_error(struct host *h, struct rp_frame *f, uint16_t code);
/* The next frame is error(code), then the relay closes the connection. */
void host_expect_fatal(struct host *h, uint16_t code);

/* subscribe to a group id (string) */
void host_subscribe(struct host *h, const char *group);

/* A minimal PrivateMessage header: version 1, group_id, epoch, body. */
size_t fake_mls_message(uint8_t *out, size_t cap, const char *group,
			uint64_t epoch, const char *body);

#define BYTES(s) ((struct rp_bytes){ (const uint8_t *)(s), strlen(s) })

#endif
