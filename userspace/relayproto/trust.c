// SPDX-License-Identifier: MIT
/*
 * The two ways a host trusts its relay's certificate. Fingerprint mode
 * compares the certificate's SHA-256 with the pin in constant time. CA
 * mode lets mbedTLS verify the chain, the validity dates and the host
 * name during the handshake (MBEDTLS_SSL_VERIFY_OPTIONAL, so that the
 * reasons are kept), and refuses the connection here when any flag is
 * set. Both run after the handshake and before any frame is sent; both
 * record the fingerprint, which the identity proof signs.
 */
#include "mls/crypto.h"
#include "trust.h"

int rp_trust_configure(struct rp_client *c, const struct rp_trust *t)
{
	if (!t->pin == !t->ca_file)
		return RP_E_TRUST;
	if (t->pin) {
		mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_NONE);
		return 0;
	}
	/* parse_file is > 0 when some certificates did not parse */
	if (mbedtls_x509_crt_parse_file(&c->ca, t->ca_file) < 0 ||
	    !c->ca.raw.len)
		return RP_E_CA_FILE;
	mbedtls_ssl_conf_ca_chain(&c->conf, &c->ca, NULL);
	mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
	return 0;
}

int rp_trust_expect_name(struct rp_client *c, const struct rp_trust *t,
			 const char *host)
{
	if (!t->ca_file)
		return 0;
	return mbedtls_ssl_set_hostname(&c->ssl, t->server_name ?
					t->server_name : host) ?
		RP_E_NOMEM : 0;
}

int rp_trust_check(struct rp_client *c, const struct rp_trust *t)
{
	const mbedtls_x509_crt *crt = mbedtls_ssl_get_peer_cert(&c->ssl);

	if (!crt)
		return t->pin ? RP_E_PIN : RP_E_CERT;
	rp_cert_fingerprint(crt->raw.p, crt->raw.len, c->fingerprint);
	if (t->pin)
		return mls_ct_equal(c->fingerprint, t->pin,
				    RP_FINGERPRINT_LEN) ? 0 : RP_E_PIN;
	c->verify_flags = mbedtls_ssl_get_verify_result(&c->ssl);
	return c->verify_flags ? RP_E_CERT : 0;
}
