// SPDX-License-Identifier: MIT
/*
 * KeyPackages: made on every connection to the relay (MLSD_KP_ONE_TIME
 * one-time ones and a last-resort one), uploaded as MLSMessages, their
 * private keys sealed in the store under the KeyPackageRef until a
 * Welcome for them arrives. The stored secret is
 *   u32 kp_len, KeyPackage, u16 priv_len, init_priv, encryption_priv.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mls/codec.h"
#include "mls/error.h"
#include "agent.h"

static int secret_encode(const struct mls_bytes *kp,
			 const struct mls_key_package_secrets *sec,
			 struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_write_u32(&w, (uint32_t)kp->len);
	mls_write_raw(&w, kp->data, kp->len);
	mls_write_u16(&w, (uint16_t)sec->priv_len);
	mls_write_raw(&w, sec->init_priv, sec->priv_len);
	mls_write_raw(&w, sec->encryption_priv, sec->priv_len);
	return mls_writer_finish(&w, out);
}

struct kp_secret {
	const uint8_t *kp, *init_priv, *enc_priv;
	size_t kp_len, priv_len;
};

static int secret_decode(const uint8_t *b, size_t len, struct kp_secret *s)
{
	size_t off;

	if (len < 4)
		return -1;
	s->kp_len = (size_t)b[0] << 24 | (size_t)b[1] << 16 |
		    (size_t)b[2] << 8 | b[3];
	if (s->kp_len > len - 4 || len - 4 - s->kp_len < 2)
		return -1;
	s->kp = b + 4;
	off = 4 + s->kp_len;
	s->priv_len = (size_t)b[off] << 8 | b[off + 1];
	off += 2;
	if (len - off != 2 * s->priv_len)
		return -1;
	s->init_priv = b + off;
	s->enc_priv = b + off + s->priv_len;
	return 0;
}

static int upload_one(struct mlsd_agent *a, bool last_resort)
{
	struct mls_key_package_options o = { .suite = a->suite };
	struct mls_key_package_secrets sec;
	struct mls_bytes kp = { 0 }, secret = { 0 }, msg = { 0 };
	uint8_t ref[MLS_MAX_HASH_LEN];
	struct rp_frame f = { .type = RP_KP_UPLOAD };
	struct mlsd_relay_reply rep;
	struct mlsd_err e;
	int err;

	mlsd_identity_signer(&a->id, &o.signer);
	err = mls_key_package_create(&o, &kp, &sec) ?:
	      mls_make_key_package_ref(a->suite, kp.data, kp.len, ref) ?:
	      secret_encode(&kp, &sec, &secret);
	mls_key_package_secrets_wipe(&sec);
	if (!err && mlsd_store_put_keypackage(a->store, ref, a->suite->hash_len,
					      secret.data, secret.len, &e)) {
		mlsd_log("KeyPackage: %s", e.msg);
		err = -1;
	}
	mls_bytes_free_secret(&secret);
	/* MLSMessage: version mls10 (1), wire format mls_key_package (5) */
	if (!err && !mls_bytes_set(&msg, "\x00\x01\x00\x05", 4)) {
		uint8_t *p = realloc(msg.data, 4 + kp.len);

		err = p ? 0 : -1;
		if (p) {
			memcpy(p + 4, kp.data, kp.len);
			msg.data = p;
			msg.len = 4 + kp.len;
		}
	}
	mls_bytes_free(&kp);
	if (err) {
		mls_bytes_free(&msg);
		return -1;
	}
	if (last_resort) {
		memcpy(a->lr_ref, ref, a->suite->hash_len);
		a->lr_ref_len = a->suite->hash_len;
	}
	f.last_resort = last_resort;
	f.blob = (struct rp_bytes){ msg.data, msg.len };
	err = mlsd_agent_call(a, &f, &rep) ? 0 : -1;
	mls_bytes_free(&msg);
	if (!err && rep.type == RP_ERROR) {
		mlsd_log("kp-upload refused: %s %s", rp_code_name(rep.code),
			 rep.text);
		err = rep.code == RP_C_LIMIT ? 1 : -1;
	}
	if (err >= 0)
		mlsd_relay_reply_free(&rep);
	return err;
}

int mlsd_kp_upload(struct mlsd_agent *a, unsigned int n_one_time)
{
	int err = upload_one(a, true);

	for (unsigned int i = 0; i < n_one_time && !err; i++)
		err = upload_one(a, false);
	return err < 0 ? -1 : 0;
}

static int join_with(struct mlsd_agent *a, const struct mls_welcome *w,
		     const uint8_t *secret, size_t len, struct mls_group *g)
{
	struct mls_group_join_options o = { .suite = a->suite };
	struct kp_secret s;

	if (secret_decode(secret, len, &s))
		return MLS_ERR_DECODE;
	o.key_package = s.kp;
	o.key_package_len = s.kp_len;
	o.init_priv = s.init_priv;
	o.init_priv_len = s.priv_len;
	o.encryption_priv = s.enc_priv;
	o.encryption_priv_len = s.priv_len;
	o.sig_priv = a->id.key.priv;
	o.sig_priv_len = a->id.key.priv_len;
	mlsd_group_validator(a, &o.validate_credential, &o.validate_ctx);
	return mls_group_join(g, &o, w);
}

/* Taking a secret deletes it: the last-resort one goes back. */
static void keep_last_resort(struct mlsd_agent *a, const struct mls_bytes *ref,
			     const uint8_t *secret, size_t len)
{
	struct mlsd_err e;

	if (ref->len == a->lr_ref_len &&
	    !memcmp(ref->data, a->lr_ref, ref->len))
		mlsd_store_put_keypackage(a->store, ref->data, ref->len,
					  secret, len, &e);
}

int mlsd_kp_join(struct mlsd_agent *a, const uint8_t *blob, size_t len,
		 struct mls_group *g)
{
	struct mls_message m;
	int err = 1;	/* no secret of ours */

	memset(&m, 0, sizeof(m));
	if (mls_message_from_bytes(blob, len, &m) ||
	    m.wire_format != MLS_WIRE_WELCOME) {
		mls_message_free(&m);
		return MLS_ERR_DECODE;
	}
	for (size_t i = 0; i < m.welcome.count && err == 1; i++) {
		const struct mls_bytes *ref = &m.welcome.secrets[i].new_member;
		struct mlsd_err e;
		uint8_t *secret;
		size_t slen;

		if (mlsd_store_take_keypackage(a->store, ref->data, ref->len,
					       &secret, &slen, &e))
			continue;
		err = join_with(a, &m.welcome, secret, slen, g);
		keep_last_resort(a, ref, secret, slen);
		mlsd_store_blob_free(secret, slen);
	}
	mls_message_free(&m);
	return err;
}
