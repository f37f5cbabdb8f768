// SPDX-License-Identifier: MIT
/* Shared RFC 9420 structures; see mls/msg_common.h for the rules on unknown values. */
#include <stdlib.h>
#include <string.h>

#include "mls/msg_common.h"

/* ---- uint16<V>, uint32<V>, opaque<V><V> ---- */

void mls_u16_list_encode(struct mls_writer *w, const struct mls_u16_list *v)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < v->count; i++)
		mls_write_u16(w, v->items[i]);
	mls_write_vector_end(w, mark);
}

int mls_u16_list_decode(struct mls_reader *r, struct mls_u16_list *v)
{
	struct mls_reader sub;
	uint16_t *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->items, v->count, sizeof(*v->items));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->items = tmp;
		if (mls_read_u16(&sub, &v->items[v->count]))
			break;
		v->count++;
	}
	if (mls_reader_close(r, &sub))
		mls_u16_list_free(v);
	return r->err;
}

void mls_u16_list_free(struct mls_u16_list *v)
{
	free(v->items);
	memset(v, 0, sizeof(*v));
}

void mls_u32_list_encode(struct mls_writer *w, const struct mls_u32_list *v)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < v->count; i++)
		mls_write_u32(w, v->items[i]);
	mls_write_vector_end(w, mark);
}

int mls_u32_list_decode(struct mls_reader *r, struct mls_u32_list *v)
{
	struct mls_reader sub;
	uint32_t *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->items, v->count, sizeof(*v->items));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->items = tmp;
		if (mls_read_u32(&sub, &v->items[v->count]))
			break;
		v->count++;
	}
	if (mls_reader_close(r, &sub))
		mls_u32_list_free(v);
	return r->err;
}

void mls_u32_list_free(struct mls_u32_list *v)
{
	free(v->items);
	memset(v, 0, sizeof(*v));
}

void mls_bytes_list_encode(struct mls_writer *w, const struct mls_bytes_list *v)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < v->count; i++)
		mls_write_opaque_bytes(w, &v->items[i]);
	mls_write_vector_end(w, mark);
}

int mls_bytes_list_decode(struct mls_reader *r, struct mls_bytes_list *v)
{
	struct mls_reader sub;
	struct mls_bytes *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->items, v->count, sizeof(*v->items));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->items = tmp;
		if (mls_read_opaque(&sub, &v->items[v->count]))
			break;
		v->count++;
	}
	if (mls_reader_close(r, &sub))
		mls_bytes_list_free(v);
	return r->err;
}

void mls_bytes_list_free(struct mls_bytes_list *v)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		mls_bytes_free(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

/* ---- Extension ---- */

void mls_extension_encode(struct mls_writer *w, const struct mls_extension *v)
{
	mls_write_u16(w, v->type);
	mls_write_opaque_bytes(w, &v->data);
}

int mls_extension_decode(struct mls_reader *r, struct mls_extension *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_u16(r, &v->type);
	mls_read_opaque(r, &v->data);
	if (r->err)
		mls_extension_free(v);
	return r->err;
}

void mls_extension_free(struct mls_extension *v)
{
	mls_bytes_free(&v->data);
	v->type = 0;
}

void mls_extension_list_encode(struct mls_writer *w,
			       const struct mls_extension_list *v)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < v->count; i++)
		mls_extension_encode(w, &v->items[i]);
	mls_write_vector_end(w, mark);
}

/* A bitmap over all 2^16 types keeps the check linear on hostile input. */
static bool has_duplicate_type(const struct mls_extension_list *v)
{
	uint64_t seen[65536 / 64] = { 0 };
	size_t i;

	for (i = 0; i < v->count; i++) {
		uint16_t t = v->items[i].type;
		uint64_t bit = UINT64_C(1) << (t % 64);

		if (seen[t / 64] & bit)
			return true;
		seen[t / 64] |= bit;
	}
	return false;
}

int mls_extension_list_decode(struct mls_reader *r,
			      struct mls_extension_list *v)
{
	struct mls_reader sub;
	struct mls_extension *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->items, v->count, sizeof(*v->items));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->items = tmp;
		if (mls_extension_decode(&sub, &v->items[v->count]))
			break;
		v->count++;
	}
	if (!sub.err && has_duplicate_type(v))
		mls_reader_fail(&sub, MLS_ERR_VALIDATION);
	if (mls_reader_close(r, &sub))
		mls_extension_list_free(v);
	return r->err;
}

void mls_extension_list_free(struct mls_extension_list *v)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		mls_extension_free(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

bool mls_u16_list_contains(const struct mls_u16_list *l, uint16_t v)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->items[i] == v)
			return true;
	return false;
}

const struct mls_extension *
mls_extension_list_find(const struct mls_extension_list *list, uint16_t type)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (list->items[i].type == type)
			return &list->items[i];
	return NULL;
}

/* ---- Credential ---- */

void mls_credential_encode(struct mls_writer *w, const struct mls_credential *v)
{
	mls_write_u16(w, v->type);
	switch (v->type) {
	case MLS_CREDENTIAL_BASIC:
		mls_write_opaque_bytes(w, &v->identity);
		break;
	case MLS_CREDENTIAL_X509:
		mls_bytes_list_encode(w, &v->certificates);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
}

int mls_credential_decode(struct mls_reader *r, struct mls_credential *v)
{
	memset(v, 0, sizeof(*v));
	if (mls_read_u16(r, &v->type))
		return r->err;
	switch (v->type) {
	case MLS_CREDENTIAL_BASIC:
		mls_read_opaque(r, &v->identity);
		break;
	case MLS_CREDENTIAL_X509:
		mls_bytes_list_decode(r, &v->certificates);
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
	if (r->err)
		mls_credential_free(v);
	return r->err;
}

void mls_credential_free(struct mls_credential *v)
{
	mls_bytes_free(&v->identity);
	mls_bytes_list_free(&v->certificates);
	v->type = 0;
}

/* ---- Capabilities, Lifetime, HPKECiphertext ---- */

void mls_capabilities_encode(struct mls_writer *w,
			     const struct mls_capabilities *v)
{
	mls_u16_list_encode(w, &v->versions);
	mls_u16_list_encode(w, &v->cipher_suites);
	mls_u16_list_encode(w, &v->extensions);
	mls_u16_list_encode(w, &v->proposals);
	mls_u16_list_encode(w, &v->credentials);
}

int mls_capabilities_decode(struct mls_reader *r, struct mls_capabilities *v)
{
	memset(v, 0, sizeof(*v));
	mls_u16_list_decode(r, &v->versions);
	mls_u16_list_decode(r, &v->cipher_suites);
	mls_u16_list_decode(r, &v->extensions);
	mls_u16_list_decode(r, &v->proposals);
	mls_u16_list_decode(r, &v->credentials);
	if (r->err)
		mls_capabilities_free(v);
	return r->err;
}

void mls_capabilities_free(struct mls_capabilities *v)
{
	mls_u16_list_free(&v->versions);
	mls_u16_list_free(&v->cipher_suites);
	mls_u16_list_free(&v->extensions);
	mls_u16_list_free(&v->proposals);
	mls_u16_list_free(&v->credentials);
}

void mls_lifetime_encode(struct mls_writer *w, const struct mls_lifetime *v)
{
	mls_write_u64(w, v->not_before);
	mls_write_u64(w, v->not_after);
}

int mls_lifetime_decode(struct mls_reader *r, struct mls_lifetime *v)
{
	mls_read_u64(r, &v->not_before);
	mls_read_u64(r, &v->not_after);
	if (r->err)
		mls_lifetime_free(v);
	return r->err;
}

void mls_lifetime_free(struct mls_lifetime *v)
{
	memset(v, 0, sizeof(*v));
}

void mls_hpke_ciphertext_encode(struct mls_writer *w,
				const struct mls_hpke_ciphertext *v)
{
	mls_write_opaque_bytes(w, &v->kem_output);
	mls_write_opaque_bytes(w, &v->ciphertext);
}

int mls_hpke_ciphertext_decode(struct mls_reader *r,
			       struct mls_hpke_ciphertext *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->kem_output);
	mls_read_opaque(r, &v->ciphertext);
	if (r->err)
		mls_hpke_ciphertext_free(v);
	return r->err;
}

void mls_hpke_ciphertext_free(struct mls_hpke_ciphertext *v)
{
	mls_bytes_free(&v->kem_output);
	mls_bytes_free(&v->ciphertext);
}

/* ---- PreSharedKeyID (§8.4) ---- */

void mls_psk_id_encode(struct mls_writer *w, const struct mls_psk_id *v)
{
	mls_write_u8(w, v->psktype);
	switch (v->psktype) {
	case MLS_PSK_EXTERNAL:
		mls_write_opaque_bytes(w, &v->psk_id);
		break;
	case MLS_PSK_RESUMPTION:
		if (v->usage < MLS_PSK_USAGE_APPLICATION ||
		    v->usage > MLS_PSK_USAGE_BRANCH)
			mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
		mls_write_u8(w, v->usage);
		mls_write_opaque_bytes(w, &v->psk_group_id);
		mls_write_u64(w, v->psk_epoch);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
	mls_write_opaque_bytes(w, &v->psk_nonce);
}

int mls_psk_id_decode(struct mls_reader *r, struct mls_psk_id *v)
{
	memset(v, 0, sizeof(*v));
	if (mls_read_u8(r, &v->psktype))
		return r->err;
	switch (v->psktype) {
	case MLS_PSK_EXTERNAL:
		mls_read_opaque(r, &v->psk_id);
		break;
	case MLS_PSK_RESUMPTION:
		if (mls_read_u8(r, &v->usage))
			break;
		if (v->usage < MLS_PSK_USAGE_APPLICATION ||
		    v->usage > MLS_PSK_USAGE_BRANCH) {
			mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
			break;
		}
		mls_read_opaque(r, &v->psk_group_id);
		mls_read_u64(r, &v->psk_epoch);
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
	mls_read_opaque(r, &v->psk_nonce);
	if (r->err)
		mls_psk_id_free(v);
	return r->err;
}

void mls_psk_id_free(struct mls_psk_id *v)
{
	mls_bytes_free(&v->psk_id);
	mls_bytes_free(&v->psk_group_id);
	mls_bytes_free(&v->psk_nonce);
	memset(v, 0, sizeof(*v));
}

void mls_psk_id_list_encode(struct mls_writer *w,
			    const struct mls_psk_id_list *v)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < v->count; i++)
		mls_psk_id_encode(w, &v->items[i]);
	mls_write_vector_end(w, mark);
}

int mls_psk_id_list_decode(struct mls_reader *r, struct mls_psk_id_list *v)
{
	struct mls_reader sub;
	struct mls_psk_id *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->items, v->count, sizeof(*v->items));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->items = tmp;
		if (mls_psk_id_decode(&sub, &v->items[v->count]))
			break;
		v->count++;
	}
	if (mls_reader_close(r, &sub))
		mls_psk_id_list_free(v);
	return r->err;
}

void mls_psk_id_list_free(struct mls_psk_id_list *v)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		mls_psk_id_free(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}
