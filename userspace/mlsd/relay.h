/* SPDX-License-Identifier: MIT */
/*
 * mlsd's session with mlsrelay (docs/RELAY-PROTOCOL.md) over the blocking
 * relayproto client: connect, pin, prove the identity, then requests that
 * wait for their reply. Frames the relay sends meanwhile (hs-event
 * fan-out with request id 0, and the hs-event / welcome items of a fetch
 * or welcome-take) are copied to a queue, which the agent drains in
 * order once the request is done, so a reply never overtakes the events
 * before it.
 *
 * The identity mlsd proves at the relay is its host Name: the relay
 * routes Welcomes and KeyPackages by it, and every member learns a
 * peer's Name from its verified credential (never from the relay), so a
 * host knows whose KeyPackage to take and where its Welcome goes.
 */
#ifndef MLSD_RELAY_H
#define MLSD_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "err.h"

#define MLSD_RELAY_TIMEOUT_MS	10000

struct mlsd_relay_item {
	uint8_t type;			/* RP_HS_EVENT or RP_WELCOME */
	uint8_t gid[RP_MAX_GROUP_ID];
	size_t gid_len;
	uint64_t epoch;
	uint8_t kind;
	uint64_t seq;
	uint8_t *blob;
	size_t blob_len;
	struct mlsd_relay_item *next;
};

/* A request's final reply (ok, error, keypackage, accepted, ...). */
struct mlsd_relay_reply {
	uint8_t type;
	uint16_t code;			/* RP_ERROR */
	char text[RP_MAX_TEXT + 1];
	uint64_t epoch, seq;
	uint32_t count;
	uint8_t more;
	uint8_t *blob;			/* keypackage, conflict, groupinfo */
	size_t blob_len;
};

struct mlsd_relay {
	struct rp_client c;
	bool up;
	struct mlsd_relay_item *head, *tail;
};

/*
 * Connect to host:port, check the certificate by trust (a pinned
 * fingerprint or a CA file, with host as the name checked), and auth as
 * identity with the signature key. 0, or -1 with e naming the step.
 */
int mlsd_relay_connect(struct mlsd_relay *r, const char *host, uint16_t port,
		       const struct rp_trust *trust, uint16_t suite,
		       const char *identity, const uint8_t *sig_priv,
		       size_t priv_len, const uint8_t *sig_pub,
		       size_t pub_len, struct mlsd_err *e);
/* Close the connection; queued items stay. */
void mlsd_relay_close(struct mlsd_relay *r);
int mlsd_relay_fd(const struct mlsd_relay *r);
/* Whether TLS holds decrypted bytes not yet read (poll would not wake). */
bool mlsd_relay_buffered(struct mlsd_relay *r);
/* Read one frame the relay sent on its own. 0 or an RP_E_* value. */
int mlsd_relay_read(struct mlsd_relay *r);
/*
 * Send req and wait for its final reply into *rep (free with
 * mlsd_relay_reply_free). An error reply is a success here (rep->type
 * RP_ERROR); the return is an RP_E_* value only when the connection
 * failed.
 */
int mlsd_relay_call(struct mlsd_relay *r, struct rp_frame *req,
		    struct mlsd_relay_reply *rep);
void mlsd_relay_reply_free(struct mlsd_relay_reply *rep);
/* The oldest queued item (the caller frees it) or NULL. */
struct mlsd_relay_item *mlsd_relay_pop(struct mlsd_relay *r);
void mlsd_relay_item_free(struct mlsd_relay_item *it);
/* Drop every queued item. */
void mlsd_relay_flush(struct mlsd_relay *r);

#endif
