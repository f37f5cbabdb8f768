/* SPDX-License-Identifier: MIT */
/*
 * mlsrelay: the untrusted MLS Delivery Service and packet relay
 * (docs/RELAY-PROTOCOL.md). One thread, one poll() loop: the TLS listener,
 * the control connections, the UDP data socket.
 */
#ifndef MLSRELAY_RELAY_H
#define MLSRELAY_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "relayproto.h"
#include "store.h"

struct relay_config {
	char listen_tcp[128];	/* "host:port" */
	char listen_udp[128];
	char cert[256], key[256], db[256];
	char port_file[256];	/* where the bound ports are written */
	/* per-connection limits (docs/RELAY-PROTOCOL.md) */
	size_t frame_max;
	size_t queue_max;
	unsigned int groups_max;
	unsigned int keypackages_max;
	unsigned int welcomes_max;
	unsigned int fetch_max;
	unsigned int conns_max;
	unsigned int auth_timeout;	/* seconds to auth, and to linger */
};

int config_load(const char *path, struct relay_config *cfg);
/* Split "host:port" / "[v6]:port" and bind a socket of that type. */
int config_bind(const char *addr, int type, int *fd, uint16_t *port);

struct tls_server {
	mbedtls_ssl_config conf;
	mbedtls_x509_crt cert;
	mbedtls_pk_context key;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	uint8_t fingerprint[RP_FINGERPRINT_LEN];
};

int tls_server_init(struct tls_server *t, const char *cert, const char *key);
void tls_server_free(struct tls_server *t);
int tls_random(struct tls_server *t, uint8_t *out, size_t len);

enum conn_state {
	CONN_TLS,		/* TLS handshake running */
	CONN_CHALLENGED,	/* challenge sent, waiting for auth */
	CONN_AUTHED,
	CONN_CLOSING,		/* flush what is queued, then close */
};

struct group_ref {
	uint8_t len;
	uint8_t id[RP_MAX_GROUP_ID];
};

struct conn {
	struct conn *next;
	int fd;
	enum conn_state state;
	bool tls_want_write;
	mbedtls_ssl_context ssl;
	uint8_t challenge[RP_CHALLENGE_LEN];
	uint8_t identity[RP_MAX_IDENTITY];
	size_t identity_len;
	struct group_ref *groups;
	unsigned int n_groups;
	uint8_t *rx;		/* frame-max + header bytes */
	size_t rx_len;
	uint8_t *tx;		/* bytes waiting to be sent */
	size_t tx_len, tx_cap;
	/* CLOCK_MONOTONIC ms: auth or finish closing by then; 0 = none */
	uint64_t deadline_ms;
};

struct datarelay;

struct relay {
	struct relay_config cfg;
	struct store *store;
	struct tls_server tls;
	int listen_fd;
	struct conn *conns;
	unsigned int n_conns;
	struct datarelay *data;
};

/* conn.c: lifetime, I/O, framing */
struct conn *conn_new(struct relay *r, int fd);
void conn_free(struct conn *c);
/* Drive TLS and input; false when the connection is to be freed. */
bool conn_on_readable(struct relay *r, struct conn *c);
bool conn_on_writable(struct relay *r, struct conn *c);
bool conn_on_deadline(struct relay *r, struct conn *c, uint64_t now);
bool conn_wants_read(const struct relay *r, const struct conn *c);
bool conn_wants_write(const struct conn *c);
/* Queue a frame; a queue over queue-max (for pushes) closes the conn. */
int conn_send(struct relay *r, struct conn *c, const struct rp_frame *f);
int conn_push(struct relay *r, struct conn *c, const struct rp_frame *f);
/* Send an error frame; fatal ones then close the connection. */
void conn_error(struct relay *r, struct conn *c, uint32_t req_id,
		uint16_t code, const char *text);
void conn_ok(struct relay *r, struct conn *c, uint32_t req_id);
bool conn_subscribed(const struct conn *c, struct rp_bytes group);
uint64_t relay_now_ms(void);

/* dispatch.c: one decoded frame from an authenticated client */
void dispatch_frame(struct relay *r, struct conn *c, const struct rp_frame *f);
/* auth.c: the auth frame */
void auth_handle(struct relay *r, struct conn *c, const struct rp_frame *f);
/* keypackages.c, welcomes.c, hslog.c: request handlers */
void kp_upload(struct relay *r, struct conn *c, const struct rp_frame *f);
void kp_take(struct relay *r, struct conn *c, const struct rp_frame *f);
void welcome_send(struct relay *r, struct conn *c, const struct rp_frame *f);
void welcome_take(struct relay *r, struct conn *c, const struct rp_frame *f);
void hs_subscribe(struct relay *r, struct conn *c, const struct rp_frame *f);
void hs_publish(struct relay *r, struct conn *c, const struct rp_frame *f);
void hs_fetch(struct relay *r, struct conn *c, const struct rp_frame *f);
void gi_put(struct relay *r, struct conn *c, const struct rp_frame *f);
void gi_get(struct relay *r, struct conn *c, const struct rp_frame *f);

/* datarelay.c: UDP forwarding by epoch tag */
int datarelay_open(struct relay *r, int fd);
void datarelay_close(struct relay *r);
int datarelay_fd(const struct relay *r);
void datarelay_on_readable(struct relay *r);
/* 0, or -1 when the tag belongs to another group */
int datarelay_add_tag(struct relay *r, struct rp_bytes group,
		      const uint8_t tag[RP_TAG_LEN]);
void datarelay_log_stats(const struct relay *r);

/* Map a store error to the protocol's error code and text. */
void reply_store_error(struct relay *r, struct conn *c, uint32_t req_id,
		       int err);

void relay_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline struct store_bytes sb(struct rp_bytes b)
{
	return (struct store_bytes){ b.p, b.len };
}

#endif
