// SPDX-License-Identifier: MIT
/*
 * The key schedule (RFC 9420 §8), the exporter (§8.5), the external key
 * pair (§8.3) and the confirmation tag (§6.1).
 */
#include <string.h>

#include "mls/key_schedule.h"

static const uint8_t zero_secret[MLS_MAX_HASH_LEN];

void mls_epoch_secrets_free(struct mls_epoch_secrets *e)
{
	if (e)
		mls_wipe(e, sizeof(*e));
}

void mls_epoch_secrets_drop_encryption_secret(struct mls_epoch_secrets *e)
{
	if (e)
		mls_wipe(e->encryption_secret, sizeof(e->encryption_secret));
}

void mls_epoch_join_wipe(struct mls_epoch_join *j)
{
	if (j)
		mls_wipe(j, sizeof(*j));
}

static int encode_group_context(const struct mls_suite *s,
				const struct mls_group_context *gc,
				struct mls_bytes *out)
{
	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!gc || gc->cipher_suite != s->id)
		return MLS_ERR_INVALID_ARG;
	return mls_group_context_to_bytes(gc, out);
}

/* member = KDF.Extract(salt = joiner_secret, ikm = psk_secret) */
static int member_secret(const struct mls_suite *s,
			 const uint8_t *joiner_secret,
			 const uint8_t *psk_secret, uint8_t *member)
{
	return mls_hkdf_extract(s, joiner_secret, s->hash_len,
				psk_secret ? psk_secret : zero_secret,
				s->hash_len, member);
}

static int derive_epoch_secrets(const struct mls_suite *s,
				const uint8_t *epoch_secret,
				struct mls_epoch_secrets *e)
{
	static const struct {
		const char *label;
		size_t offset;
	} outputs[] = {
#define EPOCH_OUTPUT(label, field) \
	{ label, offsetof(struct mls_epoch_secrets, field) }
		EPOCH_OUTPUT("sender data", sender_data_secret),
		EPOCH_OUTPUT("encryption", encryption_secret),
		EPOCH_OUTPUT("exporter", exporter_secret),
		EPOCH_OUTPUT("external", external_secret),
		EPOCH_OUTPUT("confirm", confirmation_key),
		EPOCH_OUTPUT("membership", membership_key),
		EPOCH_OUTPUT("resumption", resumption_psk),
		EPOCH_OUTPUT("authentication", epoch_authenticator),
		EPOCH_OUTPUT("init", init_secret),
#undef EPOCH_OUTPUT
	};
	size_t i;
	int err;

	e->suite = s;
	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		err = mls_derive_secret(s, epoch_secret, s->hash_len,
					outputs[i].label,
					(uint8_t *)e + outputs[i].offset);
		if (err)
			return err;
	}
	return 0;
}

/*
 * From joiner_secret on, member and joiner paths are the same. The
 * intermediates never leave this function.
 */
static int schedule_from_joiner(const struct mls_suite *s,
				const uint8_t *joiner_secret,
				const uint8_t *psk_secret,
				const struct mls_bytes *gc_bytes,
				struct mls_epoch_secrets *out,
				uint8_t *welcome_secret)
{
	uint8_t member[MLS_MAX_HASH_LEN], epoch[MLS_MAX_HASH_LEN];
	int err;

	err = member_secret(s, joiner_secret, psk_secret, member);
	if (!err && welcome_secret)
		err = mls_derive_secret(s, member, s->hash_len, "welcome",
					welcome_secret);
	if (!err)
		err = mls_expand_with_label(s, member, s->hash_len, "epoch",
					    gc_bytes->data, gc_bytes->len,
					    epoch, s->hash_len);
	if (!err)
		err = derive_epoch_secrets(s, epoch, out);
	mls_wipe(member, sizeof(member));
	mls_wipe(epoch, sizeof(epoch));
	if (err)
		mls_epoch_secrets_free(out);
	return err;
}

int mls_key_schedule_from_joiner(const struct mls_suite *s,
				 const uint8_t *joiner_secret,
				 const uint8_t *psk_secret,
				 const struct mls_group_context *gc,
				 struct mls_epoch_secrets *out)
{
	struct mls_bytes gc_bytes = { NULL, 0 };
	int err;

	if (!out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!joiner_secret)
		return MLS_ERR_INVALID_ARG;
	err = encode_group_context(s, gc, &gc_bytes);
	if (!err)
		err = schedule_from_joiner(s, joiner_secret, psk_secret,
					   &gc_bytes, out, NULL);
	mls_bytes_free(&gc_bytes);
	return err;
}

/* joiner = ExpandWithLabel(Extract(init, commit), "joiner", GC, Nh) */
static int joiner_secret(const struct mls_suite *s, const uint8_t *init_secret,
			 const uint8_t *commit_secret,
			 const struct mls_bytes *gc_bytes, uint8_t *joiner)
{
	uint8_t prk[MLS_MAX_HASH_LEN];
	int err;

	err = mls_hkdf_extract(s, init_secret, s->hash_len,
			       commit_secret ? commit_secret : zero_secret,
			       s->hash_len, prk);
	if (!err)
		err = mls_expand_with_label(s, prk, s->hash_len, "joiner",
					    gc_bytes->data, gc_bytes->len,
					    joiner, s->hash_len);
	mls_wipe(prk, sizeof(prk));
	return err;
}

int mls_key_schedule_advance(const struct mls_suite *s,
			     const uint8_t *init_secret,
			     const uint8_t *commit_secret,
			     const uint8_t *psk_secret,
			     const struct mls_group_context *gc,
			     struct mls_epoch_secrets *out,
			     struct mls_epoch_join *join)
{
	struct mls_bytes gc_bytes = { NULL, 0 };
	struct mls_epoch_join local;
	int err;

	if (!out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (join)
		memset(join, 0, sizeof(*join));
	if (!init_secret)
		return MLS_ERR_INVALID_ARG;
	err = encode_group_context(s, gc, &gc_bytes);
	if (err)
		return err;
	err = joiner_secret(s, init_secret, commit_secret, &gc_bytes,
			    local.joiner_secret);
	if (!err)
		err = schedule_from_joiner(s, local.joiner_secret, psk_secret,
					   &gc_bytes, out,
					   local.welcome_secret);
	if (!err && join)
		*join = local;
	mls_epoch_join_wipe(&local);
	mls_bytes_free(&gc_bytes);
	return err;
}

int mls_key_schedule_welcome_secret(const struct mls_suite *s,
				    const uint8_t *joiner_secret,
				    const uint8_t *psk_secret,
				    uint8_t *welcome_secret)
{
	uint8_t member[MLS_MAX_HASH_LEN];
	int err;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!joiner_secret || !welcome_secret)
		return MLS_ERR_INVALID_ARG;
	err = member_secret(s, joiner_secret, psk_secret, member);
	if (!err)
		err = mls_derive_secret(s, member, s->hash_len, "welcome",
					welcome_secret);
	mls_wipe(member, sizeof(member));
	return err;
}

/*
 * ExpandWithLabel(DeriveSecret(exporter_secret, label), "exported",
 *		   Hash(context), length)
 */
int mls_epoch_export(const struct mls_epoch_secrets *e, const char *label,
		     const uint8_t *context, size_t context_len,
		     uint8_t *out, size_t out_len)
{
	uint8_t derived[MLS_MAX_HASH_LEN], ctx_hash[MLS_MAX_HASH_LEN];
	const struct mls_suite *s;
	int err;

	if (!e || !e->suite || !label || !out || (!context && context_len))
		return MLS_ERR_INVALID_ARG;
	s = e->suite;
	err = mls_derive_secret(s, e->exporter_secret, s->hash_len, label,
				derived);
	if (!err)
		err = mls_hash(s, context, context_len, ctx_hash);
	if (!err)
		err = mls_expand_with_label(s, derived, s->hash_len,
					    "exported", ctx_hash, s->hash_len,
					    out, out_len);
	mls_wipe(derived, sizeof(derived));
	if (err)
		mls_wipe(out, out_len);
	return err;
}

int mls_epoch_external_keypair(const struct mls_epoch_secrets *e,
			       uint8_t *priv, uint8_t *pub)
{
	if (!e || !e->suite || !priv || !pub)
		return MLS_ERR_INVALID_ARG;
	return mls_kem_derive_keypair(e->suite, e->external_secret,
				      e->suite->hash_len, priv, pub);
}

int mls_confirmation_tag(const struct mls_epoch_secrets *e,
			 const uint8_t *confirmed_transcript_hash,
			 size_t cth_len, uint8_t *out)
{
	if (!e || !e->suite || !out || (!confirmed_transcript_hash && cth_len))
		return MLS_ERR_INVALID_ARG;
	return mls_hmac(e->suite, e->confirmation_key, e->suite->hash_len,
			confirmed_transcript_hash, cth_len, out);
}

int mls_confirmation_tag_verify(const struct mls_epoch_secrets *e,
				const uint8_t *confirmed_transcript_hash,
				size_t cth_len, const uint8_t *tag,
				size_t tag_len)
{
	if (!e || !e->suite || (!tag && tag_len) ||
	    (!confirmed_transcript_hash && cth_len))
		return MLS_ERR_INVALID_ARG;
	return mls_hmac_verify(e->suite, e->confirmation_key,
			       e->suite->hash_len, confirmed_transcript_hash,
			       cth_len, tag, tag_len);
}
