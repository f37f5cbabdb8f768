// SPDX-License-Identifier: MIT
/*
 * Blocking relay client over mbedTLS. The relay certificate is trusted by
 * pin or by CA (trust.c), checked once the handshake is done and before
 * any frame is sent.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "client.h"
#include "mls/crypto.h"
#include "trust.h"

void rp_cert_fingerprint(const uint8_t *der, size_t len,
			 uint8_t out[RP_FINGERPRINT_LEN])
{
	mbedtls_sha256_ret(der, len, out, 0);
}

static int tls_setup(struct rp_client *c, const struct rp_trust *t,
		     const char *host, unsigned int timeout_ms)
{
	static const char pers[] = "mlsdco relay client";
	int err;

	if (mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func, &c->entropy,
				  (const uint8_t *)pers, sizeof(pers)) ||
	    mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT,
					MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT))
		return RP_E_IO;
	mbedtls_ssl_conf_min_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3);
	err = rp_trust_configure(c, t);
	if (err)
		return err;
	mbedtls_ssl_conf_rng(&c->conf, mbedtls_ctr_drbg_random, &c->drbg);
	mbedtls_ssl_conf_read_timeout(&c->conf, timeout_ms);
	if (mbedtls_ssl_setup(&c->ssl, &c->conf))
		return RP_E_IO;
	err = rp_trust_expect_name(c, t, host);
	if (err)
		return err;
	mbedtls_ssl_set_bio(&c->ssl, &c->net, mbedtls_net_send, NULL,
			    mbedtls_net_recv_timeout);
	return 0;
}

static int read_challenge(struct rp_client *c)
{
	struct rp_frame f;
	int err = rp_client_recv(c, &f);

	if (err)
		return err;
	if (f.type != RP_CHALLENGE)
		return RP_E_TYPE;
	memcpy(c->challenge, f.challenge, RP_CHALLENGE_LEN);
	return 0;
}

int rp_client_connect_trust(struct rp_client *c, const char *host,
			    const char *port, const struct rp_trust *trust,
			    unsigned int timeout_ms)
{
	int err;

	memset(c, 0, sizeof(*c));
	mbedtls_net_init(&c->net);
	mbedtls_ssl_init(&c->ssl);
	mbedtls_ssl_config_init(&c->conf);
	mbedtls_entropy_init(&c->entropy);
	mbedtls_ctr_drbg_init(&c->drbg);
	mbedtls_x509_crt_init(&c->ca);
	c->next_req_id = 1;
	err = tls_setup(c, trust, host, timeout_ms);
	if (!err && mbedtls_net_connect(&c->net, host, port,
					MBEDTLS_NET_PROTO_TCP))
		err = RP_E_IO;
	if (!err && mbedtls_ssl_handshake(&c->ssl))
		err = RP_E_IO;
	if (!err)
		err = rp_trust_check(c, trust);
	if (!err)
		err = read_challenge(c);
	if (err)
		rp_client_close(c);
	return err;
}

int rp_client_connect(struct rp_client *c, const char *host,
		      const char *port, const uint8_t pin[RP_FINGERPRINT_LEN],
		      unsigned int timeout_ms)
{
	const struct rp_trust trust = { .pin = pin };

	return rp_client_connect_trust(c, host, port, &trust, timeout_ms);
}

void rp_client_close(struct rp_client *c)
{
	mbedtls_ssl_close_notify(&c->ssl);
	mbedtls_net_free(&c->net);
	mbedtls_ssl_free(&c->ssl);
	mbedtls_ssl_config_free(&c->conf);
	mbedtls_ctr_drbg_free(&c->drbg);
	mbedtls_entropy_free(&c->entropy);
	mbedtls_x509_crt_free(&c->ca);
	free(c->rx);
	c->rx = NULL;
}

int rp_client_send_raw(struct rp_client *c, const uint8_t *buf, size_t len)
{
	int n;

	while (len) {
		n = mbedtls_ssl_write(&c->ssl, buf, len);
		if (n <= 0)
			return RP_E_IO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int rp_client_send(struct rp_client *c, struct rp_frame *f)
{
	long n;
	size_t len;
	uint8_t *buf;
	int err;

	if (!f->req_id)
		f->req_id = c->next_req_id++;
	n = rp_encoded_len(f);
	if (n < 0)
		return (int)n;
	buf = malloc((size_t)n);
	if (!buf)
		return RP_E_NOMEM;
	err = rp_encode(f, buf, (size_t)n, &len) ?:
		rp_client_send_raw(c, buf, len);
	free(buf);
	return err;
}

static int read_exact(struct rp_client *c, uint8_t *buf, size_t len)
{
	int n;

	while (len) {
		n = mbedtls_ssl_read(&c->ssl, buf, len);
		if (n == 0 || n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
			return RP_E_CLOSED;
		if (n < 0)
			return RP_E_IO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int grow_rx(struct rp_client *c, size_t need)
{
	uint8_t *p;

	if (need <= c->rx_cap)
		return 0;
	p = realloc(c->rx, need);
	if (!p)
		return RP_E_NOMEM;
	c->rx = p;
	c->rx_cap = need;
	return 0;
}

int rp_client_recv(struct rp_client *c, struct rp_frame *f)
{
	uint8_t hdr[RP_HDR_LEN], type;
	uint32_t req_id, plen;
	int err;

	err = read_exact(c, hdr, sizeof(hdr)) ?:
		rp_decode_header(hdr, sizeof(hdr), RP_MAX_PAYLOAD, &type,
				 &req_id, &plen) ?:
		grow_rx(c, RP_HDR_LEN + (size_t)plen);
	if (err)
		return err;
	memcpy(c->rx, hdr, RP_HDR_LEN);
	err = read_exact(c, c->rx + RP_HDR_LEN, plen);
	if (err)
		return err;
	return rp_decode(c->rx, RP_HDR_LEN + (size_t)plen, RP_MAX_PAYLOAD, f);
}

int rp_client_auth(struct rp_client *c, uint16_t suite,
		   const uint8_t *identity, size_t identity_len,
		   const uint8_t *sig_priv, size_t priv_len,
		   const uint8_t *sig_pub, size_t pub_len)
{
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len = sizeof(sig);
	struct rp_frame f = { .type = RP_AUTH, .suite = suite };
	int err;

	err = rp_auth_sign(suite, sig_priv, priv_len, c->challenge,
			   c->fingerprint, sig, &sig_len);
	if (err)
		return err;
	f.identity = (struct rp_bytes){ identity, identity_len };
	f.sig_pub = (struct rp_bytes){ sig_pub, pub_len };
	f.signature = (struct rp_bytes){ sig, sig_len };
	err = rp_client_send(c, &f) ?: rp_client_recv(c, &f);
	if (err)
		return err;
	if (f.type == RP_ERROR)
		return f.code;
	return f.type == RP_OK_FRAME ? 0 : RP_E_TYPE;
}
