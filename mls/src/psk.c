// SPDX-License-Identifier: MIT
/* psk_secret chaining (RFC 9420 §8.4). */
#include <stdlib.h>
#include <string.h>

#include "mls/psk.h"

static int check_psk(const struct mls_suite *s, const struct mls_psk *p)
{
	if (!p->id || (!p->secret && p->secret_len))
		return MLS_ERR_INVALID_ARG;
	if (p->id->psktype != MLS_PSK_EXTERNAL &&
	    p->id->psktype != MLS_PSK_RESUMPTION)
		return MLS_ERR_UNKNOWN_VALUE;
	/* §8.4: "psk_nonce MUST be of length KDF.Nh" */
	if (p->id->psk_nonce.len != s->hash_len)
		return MLS_ERR_VALIDATION;
	return 0;
}

/*
 * psk_input = ExpandWithLabel(Extract(0, psk), "derived psk",
 *			       PSKLabel { id, index, count }, Nh)
 */
static int psk_input(const struct mls_suite *s, const struct mls_psk *p,
		     uint16_t index, uint16_t count, uint8_t *out)
{
	uint8_t extracted[MLS_MAX_HASH_LEN];
	struct mls_bytes label = { NULL, 0 };
	struct mls_writer w;
	int err;

	mls_writer_init(&w);
	mls_psk_id_encode(&w, p->id);
	mls_write_u16(&w, index);
	mls_write_u16(&w, count);
	err = mls_writer_finish(&w, &label);
	if (!err)
		err = mls_hkdf_extract(s, NULL, 0, p->secret, p->secret_len,
				       extracted);
	if (!err)
		err = mls_expand_with_label(s, extracted, s->hash_len,
					    "derived psk", label.data,
					    label.len, out, s->hash_len);
	mls_wipe(extracted, sizeof(extracted));
	mls_bytes_free(&label);
	return err;
}

int mls_psk_secret(const struct mls_suite *s, const struct mls_psk *psks,
		   size_t count, uint8_t *out)
{
	uint8_t input[MLS_MAX_HASH_LEN], prev[MLS_MAX_HASH_LEN];
	size_t i;
	int err = 0;

	if (!s)
		return MLS_ERR_UNSUPPORTED_SUITE;
	if (!out || (!psks && count) || count > UINT16_MAX)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, s->hash_len);
	for (i = 0; i < count && !err; i++)
		err = check_psk(s, &psks[i]);
	/*
	 * psk_secret[i] = Extract(salt = psk_input[i-1],
	 *			   ikm = psk_secret[i-1])
	 */
	for (i = 0; i < count && !err; i++) {
		err = psk_input(s, &psks[i], (uint16_t)i, (uint16_t)count,
				input);
		memcpy(prev, out, s->hash_len);
		if (!err)
			err = mls_hkdf_extract(s, input, s->hash_len, prev,
					       s->hash_len, out);
	}
	mls_wipe(input, sizeof(input));
	mls_wipe(prev, sizeof(prev));
	if (err)
		mls_wipe(out, s->hash_len);
	return err;
}

int mls_psk_secret_from_ids(const struct mls_suite *s,
			    const struct mls_psk_id_list *ids,
			    mls_psk_lookup_fn lookup, void *ctx, uint8_t *out)
{
	struct mls_psk *psks = NULL;
	size_t i;
	int err = 0;

	if (!ids)
		return MLS_ERR_INVALID_ARG;
	if (ids->count == 0)
		return mls_psk_secret(s, NULL, 0, out);
	if (!lookup)
		return MLS_ERR_NOT_FOUND;
	psks = calloc(ids->count, sizeof(*psks));
	if (!psks)
		return MLS_ERR_NOMEM;
	for (i = 0; i < ids->count && !err; i++) {
		psks[i].id = &ids->items[i];
		err = lookup(ctx, &ids->items[i], &psks[i].secret,
			     &psks[i].secret_len);
	}
	if (!err)
		err = mls_psk_secret(s, psks, ids->count, out);
	free(psks);
	return err;
}
