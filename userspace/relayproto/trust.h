/* SPDX-License-Identifier: MIT */
/*
 * Internal to the relay client (client.c): how the relay certificate is
 * trusted, by pin or by CA (struct rp_trust in client.h).
 */
#ifndef RELAYPROTO_TRUST_H
#define RELAYPROTO_TRUST_H

#include "client.h"

/* Before mbedtls_ssl_setup: the verify mode, and the CAs in CA mode. */
int rp_trust_configure(struct rp_client *c, const struct rp_trust *t);
/*
 * After mbedtls_ssl_setup, CA mode: the name the certificate must carry
 * (server_name, else host, the name connected to; also sent as SNI).
 */
int rp_trust_expect_name(struct rp_client *c, const struct rp_trust *t,
			 const char *host);
/* After the handshake: the certificate's fingerprint, then its check. */
int rp_trust_check(struct rp_client *c, const struct rp_trust *t);

#endif
