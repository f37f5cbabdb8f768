/* SPDX-License-Identifier: MIT */
/*
 * relayproto client: a blocking TLS connection to mlsrelay whose
 * certificate is trusted by one of two modes (docs/RELAY-PROTOCOL.md
 * "Transport"): pinned by SHA-256 fingerprint, or verified against a CA
 * file and a host name. Then the challenge-response identity proof, which
 * signs the certificate's fingerprint in both modes. Used by mlsd and by
 * the relay's tests.
 */
#ifndef RELAYPROTO_CLIENT_H
#define RELAYPROTO_CLIENT_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "relayproto.h"

struct rp_client {
	mbedtls_net_context net;
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_x509_crt ca;		/* CA mode: the trusted CAs */
	/*
	 * CA mode: mbedTLS's MBEDTLS_X509_BADCERT_* flags of the last
	 * connect (0: verified); kept after a failed connect to say why.
	 */
	uint32_t verify_flags;
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
 * How the relay's certificate is trusted: exactly one of pin and ca_file
 * (RP_E_TRUST otherwise).
 *   pin: its SHA-256 fingerprint; a mismatch is RP_E_PIN.
 *   ca_file: a PEM file of CA certificates; the chain must verify against
 *   them, be within its validity dates and carry server_name (or, when
 *   that is NULL, the host connected to) as a dNSName SAN, or as its CN
 *   when it has no SAN; anything else is RP_E_CERT, with the reasons in
 *   verify_flags. mbedTLS 2.28 does not read iPAddress SANs.
 */
struct rp_trust {
	const uint8_t *pin;
	const char *ca_file;
	const char *server_name;
};

/*
 * Connect, run TLS, check the relay certificate by trust and read the
 * relay's challenge. Reads time out after timeout_ms (RP_E_IO). No frame
 * is sent before the certificate is trusted.
 */
int rp_client_connect_trust(struct rp_client *c, const char *host,
			    const char *port, const struct rp_trust *trust,
			    unsigned int timeout_ms);
/* Fingerprint mode: rp_client_connect_trust with { .pin = pin }. */
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
