// SPDX-License-Identifier: MIT
/*
 * welcome.json: join from a Welcome with the given KeyPackage and init
 * private key; the GroupInfo signer's key is given as signer_pub.
 * mls_welcome_join checks the GroupInfo signature and confirmation tag.
 */
#include <string.h>

#include "mls/messages.h"
#include "mls/welcome.h"
#include "vectors.h"

struct welcome_inputs {
	struct mls_bytes init_priv;
	struct mls_bytes signer_pub;
	struct mls_bytes kp_msg;
	struct mls_bytes welcome_msg;
	struct mls_message kp;
	struct mls_message welcome;
};

static void free_inputs(struct welcome_inputs *in)
{
	mls_bytes_free_secret(&in->init_priv);
	mls_bytes_free(&in->signer_pub);
	mls_bytes_free(&in->kp_msg);
	mls_bytes_free(&in->welcome_msg);
	mls_message_free(&in->kp);
	mls_message_free(&in->welcome);
}

static int decode_message(const struct mls_bytes *b, uint16_t wire_format,
			  struct mls_message *m, const char *what,
			  struct vec_report *rep)
{
	int err = mls_message_from_bytes(b->data, b->len, m);

	if (err)
		return vec_fail(rep, "%s: %s", what, mls_strerror(err));
	if (m->wire_format != wire_format)
		return vec_fail(rep, "%s: wire format %u", what,
				m->wire_format);
	return 0;
}

static int load_inputs(const json_t *tc, struct welcome_inputs *in,
		       struct vec_report *rep)
{
	memset(in, 0, sizeof(*in));
	if (vec_get_hex(rep, tc, "init_priv", &in->init_priv) ||
	    vec_get_hex(rep, tc, "signer_pub", &in->signer_pub) ||
	    vec_get_hex(rep, tc, "key_package", &in->kp_msg) ||
	    vec_get_hex(rep, tc, "welcome", &in->welcome_msg))
		return -1;
	if (decode_message(&in->kp_msg, MLS_WIRE_KEY_PACKAGE, &in->kp,
			   "key_package", rep) ||
	    decode_message(&in->welcome_msg, MLS_WIRE_WELCOME, &in->welcome,
			   "welcome", rep))
		return -1;
	return 0;
}

static int given_signer_key(void *ctx, const struct mls_group_info *gi,
			    const uint8_t **pub, size_t *pub_len)
{
	const struct mls_bytes *signer_pub = ctx;

	*pub = signer_pub->data;
	*pub_len = signer_pub->len;
	return 0;
}

static int join(const struct mls_suite *s, struct welcome_inputs *in,
		struct vec_report *rep)
{
	struct mls_bytes kp_bytes = { NULL, 0 };
	struct mls_welcome_join_params p;
	struct mls_joined_epoch joined;
	int err;

	err = mls_key_package_to_bytes(&in->kp.key_package, &kp_bytes);
	if (err)
		return vec_fail(rep, "key_package encode: %s",
				mls_strerror(err));
	memset(&p, 0, sizeof(p));
	p.suite = s;
	p.key_package = kp_bytes.data;
	p.key_package_len = kp_bytes.len;
	p.init_priv = in->init_priv.data;
	p.init_priv_len = in->init_priv.len;
	p.signer_key = given_signer_key;
	p.signer_ctx = &in->signer_pub;
	err = mls_welcome_join(&p, &in->welcome.welcome, &joined);
	mls_joined_epoch_free(&joined);
	if (err) {
		mls_bytes_free(&kp_bytes);
		return vec_fail(rep, "welcome join: %s", mls_strerror(err));
	}
	/* the same Welcome signed by anybody else must be refused */
	in->signer_pub.data[in->signer_pub.len - 1] ^= 0x01;
	err = mls_welcome_join(&p, &in->welcome.welcome, &joined);
	mls_joined_epoch_free(&joined);
	mls_bytes_free(&kp_bytes);
	if (err != MLS_ERR_BAD_SIGNATURE && err != MLS_ERR_BAD_KEY)
		return vec_fail(rep, "join with a wrong signer key: %s",
				err ? mls_strerror(err) : "accepted");
	return 0;
}

int vec_run_welcome(const json_t *tc, struct vec_report *rep)
{
	struct welcome_inputs in;
	const struct mls_suite *s;
	uint64_t suite;
	int ret = -1;

	if (vec_get_uint(rep, tc, "cipher_suite", &suite))
		return -1;
	s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!s)
		return vec_fail(rep, "cipher suite %llu: %s",
				(unsigned long long)suite,
				mls_strerror(MLS_ERR_UNSUPPORTED_SUITE));
	if (!load_inputs(tc, &in, rep))
		ret = join(s, &in, rep);
	free_inputs(&in);
	return ret;
}
