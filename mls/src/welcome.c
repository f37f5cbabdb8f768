// SPDX-License-Identifier: MIT
/* Welcome processing and creation (RFC 9420 §12.4.3.1), GroupInfo signing. */
#include <stdlib.h>
#include <string.h>

#include "mls/msg_keypackage.h"
#include "mls/transcript.h"
#include "mls/welcome.h"

static const char welcome_label[] = "Welcome";
static const char group_info_label[] = "GroupInfoTBS";

struct welcome_aead {
	uint8_t key[MLS_MAX_AEAD_KEY_LEN];
	uint8_t nonce[MLS_MAX_AEAD_NONCE_LEN];
};

/* welcome_key/nonce = ExpandWithLabel(welcome_secret, "key"/"nonce", "") */
static int welcome_aead_keys(const struct mls_suite *s,
			     const uint8_t *welcome_secret,
			     struct welcome_aead *k)
{
	int err;

	err = mls_expand_with_label(s, welcome_secret, s->hash_len, "key",
				    NULL, 0, k->key, s->aead_key_len);
	if (!err)
		err = mls_expand_with_label(s, welcome_secret, s->hash_len,
					    "nonce", NULL, 0, k->nonce,
					    s->aead_nonce_len);
	return err;
}

static int encode_group_info_tbs(const struct mls_group_info *gi,
				 struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_group_info_encode_tbs(&w, gi);
	return mls_writer_finish(&w, out);
}

int mls_group_info_sign(const struct mls_crypto *c, const struct mls_suite *s,
			struct mls_group_info *gi, const uint8_t *sig_priv,
			size_t sig_priv_len)
{
	struct mls_bytes tbs = { NULL, 0 };
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	size_t sig_len = 0;
	int err;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!gi || !sig_priv)
		return MLS_ERR_INVALID_ARG;
	err = encode_group_info_tbs(gi, &tbs);
	if (!err)
		err = mls_sign_with_label(c, s, sig_priv, sig_priv_len,
					  group_info_label, tbs.data, tbs.len,
					  sig, &sig_len);
	if (!err) {
		mls_bytes_free(&gi->signature);
		err = mls_bytes_set(&gi->signature, sig, sig_len);
	}
	mls_bytes_free(&tbs);
	return err;
}

int mls_group_info_verify(const struct mls_suite *s,
			  const struct mls_group_info *gi,
			  const uint8_t *sig_pub, size_t sig_pub_len)
{
	struct mls_bytes tbs = { NULL, 0 };
	int err;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!gi || !sig_pub)
		return MLS_ERR_INVALID_ARG;
	err = encode_group_info_tbs(gi, &tbs);
	if (!err)
		err = mls_verify_with_label(s, sig_pub, sig_pub_len,
					    group_info_label, tbs.data,
					    tbs.len, gi->signature.data,
					    gi->signature.len);
	mls_bytes_free(&tbs);
	return err;
}

/* ---- joining ---- */

static int check_key_package_suite(const struct mls_suite *s,
				   const uint8_t *kp_bytes, size_t kp_len)
{
	struct mls_key_package kp;
	int err;

	err = mls_key_package_from_bytes(kp_bytes, kp_len, &kp);
	if (err)
		return err;
	if (kp.cipher_suite != s->id)
		err = MLS_ERR_VALIDATION;
	mls_key_package_free(&kp);
	return err;
}

static int find_own_entry(const struct mls_suite *s,
			  const struct mls_welcome *w,
			  const uint8_t *kp_bytes, size_t kp_len,
			  const struct mls_encrypted_group_secrets **entry)
{
	uint8_t ref[MLS_MAX_HASH_LEN];
	size_t i;
	int err;

	err = mls_make_key_package_ref(s, kp_bytes, kp_len, ref);
	if (err)
		return err;
	for (i = 0; i < w->count; i++) {
		const struct mls_bytes *nm = &w->secrets[i].new_member;

		if (nm->len == s->hash_len && !memcmp(nm->data, ref, nm->len)) {
			*entry = &w->secrets[i];
			return 0;
		}
	}
	return MLS_ERR_NOT_FOUND;
}

static int open_group_secrets(const struct mls_welcome_join_params *p,
			      const struct mls_welcome *w,
			      const struct mls_encrypted_group_secrets *e,
			      struct mls_group_secrets *gs)
{
	const struct mls_suite *s = p->suite;
	const struct mls_hpke_ciphertext *ct = &e->encrypted_group_secrets;
	size_t pt_len;
	uint8_t *pt;
	int err;

	if (ct->ciphertext.len < s->aead_tag_len)
		return MLS_ERR_AUTH;
	pt_len = ct->ciphertext.len - s->aead_tag_len;
	pt = malloc(pt_len ? pt_len : 1);
	if (!pt)
		return MLS_ERR_NOMEM;
	err = mls_decrypt_with_label(s, p->init_priv, p->init_priv_len,
				     welcome_label,
				     w->encrypted_group_info.data,
				     w->encrypted_group_info.len,
				     ct->kem_output.data, ct->kem_output.len,
				     ct->ciphertext.data, ct->ciphertext.len,
				     pt);
	if (!err)
		err = mls_group_secrets_from_bytes(pt, pt_len, gs);
	if (!err && gs->joiner_secret.len != s->hash_len) {
		mls_group_secrets_free(gs);
		err = MLS_ERR_VALIDATION;
	}
	mls_wipe(pt, pt_len);
	free(pt);
	return err;
}

static int open_group_info(const struct mls_suite *s,
			   const uint8_t *welcome_secret,
			   const struct mls_bytes *egi,
			   struct mls_group_info *gi)
{
	struct welcome_aead k;
	size_t pt_len;
	uint8_t *pt;
	int err;

	if (egi->len < s->aead_tag_len)
		return MLS_ERR_AUTH;
	pt_len = egi->len - s->aead_tag_len;
	pt = malloc(pt_len ? pt_len : 1);
	if (!pt)
		return MLS_ERR_NOMEM;
	err = welcome_aead_keys(s, welcome_secret, &k);
	if (!err)
		err = mls_aead_open(s, k.key, s->aead_key_len, k.nonce,
				    s->aead_nonce_len, NULL, 0, egi->data,
				    egi->len, pt);
	if (!err)
		err = mls_group_info_from_bytes(pt, pt_len, gi);
	mls_wipe(&k, sizeof(k));
	mls_wipe(pt, pt_len);
	free(pt);
	return err;
}

static int check_group_context(const struct mls_suite *s,
			       const struct mls_group_context *gc)
{
	if (gc->version != MLS_PROTOCOL_MLS10 || gc->cipher_suite != s->id)
		return MLS_ERR_VALIDATION;
	return 0;
}

static int verify_signer(const struct mls_welcome_join_params *p,
			 const struct mls_group_info *gi)
{
	const uint8_t *pub = NULL;
	size_t pub_len = 0;
	int err;

	if (!p->signer_key)
		return MLS_ERR_INVALID_ARG;
	err = p->signer_key(p->signer_ctx, gi, &pub, &pub_len);
	if (!err)
		err = mls_group_info_verify(p->suite, gi, pub, pub_len);
	return err;
}

/* Steps 6 and 7: epoch secrets, confirmation tag, interim hash. */
static int enter_epoch(const struct mls_suite *s, const uint8_t *joiner_secret,
		       const uint8_t *psk_secret, struct mls_joined_epoch *out)
{
	const struct mls_group_info *gi = &out->group_info;
	const struct mls_bytes *cth =
		&gi->group_context.confirmed_transcript_hash;
	int err;

	err = mls_key_schedule_from_joiner(s, joiner_secret, psk_secret,
					   &gi->group_context, &out->secrets);
	if (!err)
		err = mls_confirmation_tag_verify(&out->secrets, cth->data,
						  cth->len,
						  gi->confirmation_tag.data,
						  gi->confirmation_tag.len);
	if (!err)
		err = mls_interim_transcript_hash(s, cth->data, cth->len,
						  gi->confirmation_tag.data,
						  gi->confirmation_tag.len,
						  out->interim_transcript_hash);
	return err;
}

static int check_params(const struct mls_welcome_join_params *p,
			const struct mls_welcome *w)
{
	if (!p->suite)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!p->key_package || !p->init_priv)
		return MLS_ERR_INVALID_ARG;
	if (w->cipher_suite != p->suite->id)
		return MLS_ERR_VALIDATION;
	return check_key_package_suite(p->suite, p->key_package,
				       p->key_package_len);
}

static int join_with_secrets(const struct mls_welcome_join_params *p,
			     const struct mls_welcome *w,
			     const struct mls_group_secrets *gs,
			     struct mls_joined_epoch *out)
{
	const struct mls_suite *s = p->suite;
	uint8_t psk_secret[MLS_MAX_HASH_LEN];
	uint8_t welcome_secret[MLS_MAX_HASH_LEN];
	int err;

	err = mls_psk_secret_from_ids(s, &gs->psks, p->psk_lookup, p->psk_ctx,
				      psk_secret);
	if (!err)
		err = mls_key_schedule_welcome_secret(s,
						      gs->joiner_secret.data,
						      psk_secret,
						      welcome_secret);
	if (!err)
		err = open_group_info(s, welcome_secret,
				      &w->encrypted_group_info,
				      &out->group_info);
	if (!err)
		err = check_group_context(s, &out->group_info.group_context);
	if (!err)
		err = verify_signer(p, &out->group_info);
	if (!err)
		err = enter_epoch(s, gs->joiner_secret.data, psk_secret, out);
	mls_wipe(psk_secret, sizeof(psk_secret));
	mls_wipe(welcome_secret, sizeof(welcome_secret));
	return err;
}

int mls_welcome_join(const struct mls_welcome_join_params *p,
		     const struct mls_welcome *w,
		     struct mls_joined_epoch *out)
{
	const struct mls_encrypted_group_secrets *entry = NULL;
	struct mls_group_secrets gs;
	int err;

	if (!out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!p || !w)
		return MLS_ERR_INVALID_ARG;
	memset(&gs, 0, sizeof(gs));
	err = check_params(p, w);
	if (!err)
		err = find_own_entry(p->suite, w, p->key_package,
				     p->key_package_len, &entry);
	if (!err)
		err = open_group_secrets(p, w, entry, &gs);
	if (!err)
		err = join_with_secrets(p, w, &gs, out);
	if (!err) {
		/* path_secret moves to the caller; the rest is wiped below */
		out->has_path_secret = gs.has_path_secret;
		out->path_secret = gs.path_secret;
		gs.has_path_secret = false;
		gs.path_secret.data = NULL;
		gs.path_secret.len = 0;
	} else {
		mls_joined_epoch_free(out);
	}
	mls_group_secrets_free(&gs);
	return err;
}

void mls_joined_epoch_free(struct mls_joined_epoch *j)
{
	if (!j)
		return;
	mls_group_info_free(&j->group_info);
	mls_bytes_free_secret(&j->path_secret);
	mls_epoch_secrets_free(&j->secrets);
	mls_wipe(j, sizeof(*j));
}

/* ---- creating ---- */

int mls_welcome_init(const struct mls_suite *s, const uint8_t *welcome_secret,
		     const struct mls_group_info *gi, struct mls_welcome *w)
{
	struct mls_bytes pt = { NULL, 0 };
	struct welcome_aead k;
	int err;

	if (!w)
		return MLS_ERR_INVALID_ARG;
	memset(w, 0, sizeof(*w));
	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!welcome_secret || !gi)
		return MLS_ERR_INVALID_ARG;
	w->cipher_suite = s->id;
	err = mls_group_info_to_bytes(gi, &pt);
	if (!err)
		err = welcome_aead_keys(s, welcome_secret, &k);
	if (!err) {
		w->encrypted_group_info.data = malloc(pt.len + s->aead_tag_len);
		w->encrypted_group_info.len = pt.len + s->aead_tag_len;
		err = w->encrypted_group_info.data ? 0 : MLS_ERR_NOMEM;
	}
	if (!err)
		err = mls_aead_seal(s, k.key, s->aead_key_len, k.nonce,
				    s->aead_nonce_len, NULL, 0, pt.data,
				    pt.len, w->encrypted_group_info.data);
	mls_wipe(&k, sizeof(k));
	mls_bytes_free_secret(&pt);
	if (err)
		mls_welcome_free(w);
	return err;
}

static int seal_group_secrets(const struct mls_crypto *c,
			      const struct mls_suite *s,
			      const struct mls_welcome *w,
			      const struct mls_key_package *kp,
			      const struct mls_group_secrets *gs,
			      struct mls_hpke_ciphertext *out)
{
	struct mls_bytes pt = { NULL, 0 };
	int err;

	err = mls_group_secrets_to_bytes(gs, &pt);
	if (err)
		return err;
	out->kem_output.len = s->kem_enc_len;
	out->kem_output.data = malloc(s->kem_enc_len);
	out->ciphertext.len = pt.len + s->aead_tag_len;
	out->ciphertext.data = malloc(out->ciphertext.len);
	if (!out->kem_output.data || !out->ciphertext.data)
		err = MLS_ERR_NOMEM;
	if (!err)
		err = mls_encrypt_with_label(c, s, kp->init_key.data,
					     kp->init_key.len, welcome_label,
					     w->encrypted_group_info.data,
					     w->encrypted_group_info.len,
					     pt.data, pt.len,
					     out->kem_output.data,
					     out->ciphertext.data);
	mls_bytes_free_secret(&pt);
	if (err)
		mls_hpke_ciphertext_free(out);
	return err;
}

static int make_entry(const struct mls_crypto *c, const struct mls_suite *s,
		      const struct mls_welcome *w, const uint8_t *kp_bytes,
		      size_t kp_len, const struct mls_group_secrets *gs,
		      struct mls_encrypted_group_secrets *e)
{
	uint8_t ref[MLS_MAX_HASH_LEN];
	struct mls_key_package kp;
	int err;

	memset(e, 0, sizeof(*e));
	err = mls_key_package_from_bytes(kp_bytes, kp_len, &kp);
	if (err)
		return err;
	if (kp.cipher_suite != s->id)
		err = MLS_ERR_VALIDATION;
	if (!err)
		err = mls_make_key_package_ref(s, kp_bytes, kp_len, ref);
	if (!err)
		err = mls_bytes_set(&e->new_member, ref, s->hash_len);
	if (!err)
		err = seal_group_secrets(c, s, w, &kp, gs,
					 &e->encrypted_group_secrets);
	if (err)
		mls_encrypted_group_secrets_free(e);
	mls_key_package_free(&kp);
	return err;
}

int mls_welcome_add_member(const struct mls_crypto *c,
			   const struct mls_suite *s, struct mls_welcome *w,
			   const uint8_t *key_package, size_t key_package_len,
			   const struct mls_group_secrets *gs)
{
	struct mls_encrypted_group_secrets *items;
	int err;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!w || !key_package || !gs)
		return MLS_ERR_INVALID_ARG;
	if (w->cipher_suite != s->id)
		return MLS_ERR_VALIDATION;
	items = mls_array_grow(w->secrets, w->count, sizeof(*items));
	if (!items)
		return MLS_ERR_NOMEM;
	w->secrets = items;
	err = make_entry(c, s, w, key_package, key_package_len, gs,
			 &items[w->count]);
	if (!err)
		w->count++;
	return err;
}
