// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "mls/codec.h"
#include "bench_ops.h"

/* About the size of a GroupSecrets or a small application message. */
#define BENCH_PAYLOAD_LEN 100

struct bench_crypto_ctx {
	const struct mls_suite *suite;
	uint8_t kem_priv[MLS_MAX_KEM_PRIV_LEN];
	uint8_t kem_pub[MLS_MAX_KEM_PUB_LEN];
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	uint8_t sig_pub[MLS_MAX_SIG_PUB_LEN];
	uint8_t payload[BENCH_PAYLOAD_LEN];
	uint8_t kem_output[MLS_MAX_KEM_PUB_LEN];
	uint8_t ct[BENCH_PAYLOAD_LEN + MLS_AEAD_TAG_LEN];
	uint8_t pt[BENCH_PAYLOAD_LEN];
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len;
};

static int bench_crypto_setup(const struct mls_suite *s, void **out)
{
	struct bench_crypto_ctx *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return MLS_ERR_NOMEM;
	c->suite = s;
	memset(c->payload, 0x5a, sizeof(c->payload));
	err = mls_kem_generate_keypair(NULL, s, c->kem_priv, c->kem_pub);
	if (!err)
		err = mls_sig_generate_keypair(NULL, s, c->sig_priv, c->sig_pub);
	/* verify needs a signature to check */
	if (!err)
		err = mls_sign_with_label(NULL, s, c->sig_priv, s->sig_priv_len,
					  "bench", c->payload,
					  sizeof(c->payload), c->sig,
					  &c->sig_len);
	if (err) {
		mls_wipe(c, sizeof(*c));
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

static void bench_crypto_teardown(void *ctx)
{
	struct bench_crypto_ctx *c = ctx;

	mls_wipe(c, sizeof(*c));
	free(c);
}

static int bench_hpke_seal_open(void *ctx)
{
	struct bench_crypto_ctx *c = ctx;
	const struct mls_suite *s = c->suite;
	size_t ct_len = sizeof(c->payload) + s->aead_tag_len;
	int err;

	err = mls_encrypt_with_label(NULL, s, c->kem_pub, s->kem_pub_len,
				     "bench", NULL, 0, c->payload,
				     sizeof(c->payload), c->kem_output, c->ct);
	if (err)
		return err;
	return mls_decrypt_with_label(s, c->kem_priv, s->kem_priv_len,
				      "bench", NULL, 0, c->kem_output,
				      s->kem_enc_len, c->ct, ct_len, c->pt);
}

static int bench_sign(void *ctx)
{
	struct bench_crypto_ctx *c = ctx;
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len;

	return mls_sign_with_label(NULL, c->suite, c->sig_priv,
				   c->suite->sig_priv_len, "bench", c->payload,
				   sizeof(c->payload), sig, &sig_len);
}

static int bench_verify(void *ctx)
{
	struct bench_crypto_ctx *c = ctx;

	return mls_verify_with_label(c->suite, c->sig_pub,
				     c->suite->sig_pub_len, "bench",
				     c->payload, sizeof(c->payload), c->sig,
				     c->sig_len);
}

const struct bench_column bench_col_hpke = {
	.title = "hpke seal+open",
	.what = "EncryptWithLabel + DecryptWithLabel of 100 bytes (§5.1.3)",
	.setup = bench_crypto_setup,
	.op = bench_hpke_seal_open,
	.teardown = bench_crypto_teardown,
};

const struct bench_column bench_col_sign = {
	.title = "sign",
	.what = "SignWithLabel of 100 bytes (§5.1.2)",
	.setup = bench_crypto_setup,
	.op = bench_sign,
	.teardown = bench_crypto_teardown,
};

const struct bench_column bench_col_verify = {
	.title = "verify",
	.what = "VerifyWithLabel of 100 bytes (§5.1.2)",
	.setup = bench_crypto_setup,
	.op = bench_verify,
	.teardown = bench_crypto_teardown,
};
