// SPDX-License-Identifier: MIT
/* GroupContext, GroupInfo, GroupSecrets and Welcome (RFC 9420 §8.1, §12.4.3). */
#include <stdlib.h>
#include <string.h>

#include "mls/msg_group.h"

/* ---- GroupContext (§8.1) ---- */

void mls_group_context_encode(struct mls_writer *w,
			      const struct mls_group_context *v)
{
	mls_write_u16(w, v->version);
	mls_write_u16(w, v->cipher_suite);
	mls_write_opaque_bytes(w, &v->group_id);
	mls_write_u64(w, v->epoch);
	mls_write_opaque_bytes(w, &v->tree_hash);
	mls_write_opaque_bytes(w, &v->confirmed_transcript_hash);
	mls_extension_list_encode(w, &v->extensions);
}

int mls_group_context_decode(struct mls_reader *r,
			     struct mls_group_context *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_u16(r, &v->version);
	mls_read_u16(r, &v->cipher_suite);
	mls_read_opaque(r, &v->group_id);
	mls_read_u64(r, &v->epoch);
	mls_read_opaque(r, &v->tree_hash);
	mls_read_opaque(r, &v->confirmed_transcript_hash);
	mls_extension_list_decode(r, &v->extensions);
	if (r->err)
		mls_group_context_free(v);
	return r->err;
}

void mls_group_context_free(struct mls_group_context *v)
{
	mls_bytes_free(&v->group_id);
	mls_bytes_free(&v->tree_hash);
	mls_bytes_free(&v->confirmed_transcript_hash);
	mls_extension_list_free(&v->extensions);
	memset(v, 0, sizeof(*v));
}

/* ---- GroupInfo (§12.4.3) ---- */

void mls_group_info_encode_tbs(struct mls_writer *w,
			       const struct mls_group_info *v)
{
	mls_group_context_encode(w, &v->group_context);
	mls_extension_list_encode(w, &v->extensions);
	mls_write_opaque_bytes(w, &v->confirmation_tag);
	mls_write_u32(w, v->signer);
}

void mls_group_info_encode(struct mls_writer *w,
			   const struct mls_group_info *v)
{
	mls_group_info_encode_tbs(w, v);
	mls_write_opaque_bytes(w, &v->signature);
}

int mls_group_info_decode(struct mls_reader *r, struct mls_group_info *v)
{
	memset(v, 0, sizeof(*v));
	mls_group_context_decode(r, &v->group_context);
	mls_extension_list_decode(r, &v->extensions);
	mls_read_opaque(r, &v->confirmation_tag);
	mls_read_u32(r, &v->signer);
	mls_read_opaque(r, &v->signature);
	if (r->err)
		mls_group_info_free(v);
	return r->err;
}

void mls_group_info_free(struct mls_group_info *v)
{
	mls_group_context_free(&v->group_context);
	mls_extension_list_free(&v->extensions);
	mls_bytes_free(&v->confirmation_tag);
	mls_bytes_free(&v->signature);
	memset(v, 0, sizeof(*v));
}

/* ---- GroupSecrets (§12.4.3.1) ---- */

void mls_group_secrets_encode(struct mls_writer *w,
			      const struct mls_group_secrets *v)
{
	mls_write_opaque_bytes(w, &v->joiner_secret);
	/* optional<PathSecret>, PathSecret being { opaque path_secret<V>; } */
	mls_write_u8(w, v->has_path_secret ? 1 : 0);
	if (v->has_path_secret)
		mls_write_opaque_bytes(w, &v->path_secret);
	mls_psk_id_list_encode(w, &v->psks);
}

int mls_group_secrets_decode(struct mls_reader *r,
			     struct mls_group_secrets *v)
{
	uint8_t present;

	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->joiner_secret);
	if (!mls_read_u8(r, &present)) {
		if (present > 1)
			mls_reader_fail(r, MLS_ERR_DECODE);
		else if (present && !mls_read_opaque(r, &v->path_secret))
			v->has_path_secret = true;
	}
	mls_psk_id_list_decode(r, &v->psks);
	if (r->err)
		mls_group_secrets_free(v);
	return r->err;
}

void mls_group_secrets_free(struct mls_group_secrets *v)
{
	mls_bytes_free_secret(&v->joiner_secret);
	mls_bytes_free_secret(&v->path_secret);
	mls_psk_id_list_free(&v->psks);
	v->has_path_secret = false;
}

/* ---- EncryptedGroupSecrets and Welcome (§12.4.3.1) ---- */

void mls_encrypted_group_secrets_encode(struct mls_writer *w,
		const struct mls_encrypted_group_secrets *v)
{
	mls_write_opaque_bytes(w, &v->new_member);
	mls_hpke_ciphertext_encode(w, &v->encrypted_group_secrets);
}

int mls_encrypted_group_secrets_decode(struct mls_reader *r,
		struct mls_encrypted_group_secrets *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->new_member);
	mls_hpke_ciphertext_decode(r, &v->encrypted_group_secrets);
	if (r->err)
		mls_encrypted_group_secrets_free(v);
	return r->err;
}

void mls_encrypted_group_secrets_free(struct mls_encrypted_group_secrets *v)
{
	mls_bytes_free(&v->new_member);
	mls_hpke_ciphertext_free(&v->encrypted_group_secrets);
}

void mls_welcome_encode(struct mls_writer *w, const struct mls_welcome *v)
{
	size_t mark, i;

	mls_write_u16(w, v->cipher_suite);
	mark = mls_write_vector_begin(w);
	for (i = 0; i < v->count; i++)
		mls_encrypted_group_secrets_encode(w, &v->secrets[i]);
	mls_write_vector_end(w, mark);
	mls_write_opaque_bytes(w, &v->encrypted_group_info);
}

int mls_welcome_decode(struct mls_reader *r, struct mls_welcome *v)
{
	struct mls_reader sub;
	struct mls_encrypted_group_secrets *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_u16(r, &v->cipher_suite);
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->secrets, v->count, sizeof(*v->secrets));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->secrets = tmp;
		if (mls_encrypted_group_secrets_decode(&sub,
						       &v->secrets[v->count]))
			break;
		v->count++;
	}
	mls_reader_close(r, &sub);
	mls_read_opaque(r, &v->encrypted_group_info);
	if (r->err)
		mls_welcome_free(v);
	return r->err;
}

void mls_welcome_free(struct mls_welcome *v)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		mls_encrypted_group_secrets_free(&v->secrets[i]);
	free(v->secrets);
	mls_bytes_free(&v->encrypted_group_info);
	memset(v, 0, sizeof(*v));
}

MLS_DEFINE_WHOLE_CODEC(group_context)
MLS_DEFINE_WHOLE_CODEC(group_info)
MLS_DEFINE_WHOLE_CODEC(group_secrets)
MLS_DEFINE_WHOLE_CODEC(welcome)
