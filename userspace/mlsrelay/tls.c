// SPDX-License-Identifier: MIT
/*
 * The relay's TLS side: its certificate and key, a DRBG, and the
 * certificate's SHA-256 fingerprint (hosts pin it, and sign it into their
 * identity proof). Client certificates are not requested.
 */
#include <string.h>

#include "client.h"
#include "relay.h"

static int load_identity(struct tls_server *t, const char *cert,
			 const char *key)
{
	if (mbedtls_x509_crt_parse_file(&t->cert, cert)) {
		relay_log("tls: cannot load certificate %s", cert);
		return -1;
	}
	if (mbedtls_pk_parse_keyfile(&t->key, key, NULL)) {
		relay_log("tls: cannot load key %s", key);
		return -1;
	}
	rp_cert_fingerprint(t->cert.raw.p, t->cert.raw.len, t->fingerprint);
	return 0;
}

int tls_server_init(struct tls_server *t, const char *cert, const char *key)
{
	static const char pers[] = "mlsrelay";

	mbedtls_ssl_config_init(&t->conf);
	mbedtls_x509_crt_init(&t->cert);
	mbedtls_pk_init(&t->key);
	mbedtls_entropy_init(&t->entropy);
	mbedtls_ctr_drbg_init(&t->drbg);
	if (load_identity(t, cert, key))
		return -1;
	if (mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy,
				  (const uint8_t *)pers, sizeof(pers)) ||
	    mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_SERVER,
					MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT) ||
	    mbedtls_ssl_conf_own_cert(&t->conf, &t->cert, &t->key)) {
		relay_log("tls: setup failed");
		return -1;
	}
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
	return 0;
}

void tls_server_free(struct tls_server *t)
{
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_x509_crt_free(&t->cert);
	mbedtls_pk_free(&t->key);
	mbedtls_ctr_drbg_free(&t->drbg);
	mbedtls_entropy_free(&t->entropy);
}

int tls_random(struct tls_server *t, uint8_t *out, size_t len)
{
	return mbedtls_ctr_drbg_random(&t->drbg, out, len) ? -1 : 0;
}
