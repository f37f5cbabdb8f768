/* SPDX-License-Identifier: MIT */
/*
 * relayproto client: a blocking TLS connection to mlsrelay with the relay
 * certificate pinned by SHA-256 fingerprint, and the challenge-response
 * identity proof. Used by mlsd and by the relay's tests.
 */
#ifndef RELAYPROTO_CLIENT_H
#define RELAYPROTO_CLIENT_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>

#include "relayproto.h"

struct rp_client {
	mbedtls_net_context net;
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	uint8_t fingerprint[RP_FINGERPRINT_LEN];
	uint8_t challenge[RP_CHALLENGE_LEN];
	uint8_t *rx;		/* the last frame received */
	size_t rx_cap;
	uint32_t next_req_id;
};

/* SHA-256 of a DER certificate: what a host pins. */
void rp_cert_fingerprint(const uint8_t *der, size_t len,
			 uint8_t out[RP_FINGERPRINT_LEN]);

/*
 * Connect, run TLS, check the relay certificate against pin and read the
 * relay's challenge. Reads time out after timeout_ms (RP_E_IO).
 */
int rp_client_connect(struct rp_client *c, const char *host,
		      const char *port, const uint8_t pin[RP_FINGERPRINT_LEN],
		      unsigned int timeout_ms);
void rp_client_close(struct rp_client *c);

/* Send a frame (req_id 0 is replaced by a fresh id, returned in *id). */
int rp_client_send(struct rp_client *c, struct rp_frame *f);
/* Send bytes as they are (tests of the relay's decoder). */
int rp_client_send_raw(struct rp_client *c, const uint8_t *buf, size_t len);
/* Receive the next frame; its byte strings live until the next call. */
int rp_client_recv(struct rp_client *c, struct rp_frame *f);

/*
 * Prove identity: sign the challenge and send auth. Returns 0 when the
 * relay answered ok, the relay's error code (> 0), or an RP_E* value.
 */
int rp_client_auth(struct rp_client *c, uint16_t suite,
		   const uint8_t *identity, size_t identity_len,
		   const uint8_t *sig_priv, size_t priv_len,
		   const uint8_t *sig_pub, size_t pub_len);

#endif
