// SPDX-License-Identifier: MIT
/*
 * psk_secret.json: psk_secret from 0 to 10 external PSKs (RFC 9420 §8.4).
 */
#include <stdlib.h>
#include <string.h>

#include "mls/psk.h"
#include "vectors.h"

struct loaded_psks {
	struct mls_psk_id *ids;
	struct mls_bytes *secrets;
	struct mls_psk *psks;
	size_t count;
};

static void free_psks(struct loaded_psks *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		mls_psk_id_free(&l->ids[i]);
		mls_bytes_free_secret(&l->secrets[i]);
	}
	free(l->ids);
	free(l->secrets);
	free(l->psks);
}

static int load_one(const json_t *o, struct mls_psk_id *id,
		    struct mls_bytes *secret, struct vec_report *rep)
{
	id->psktype = MLS_PSK_EXTERNAL;
	if (!json_is_object(o))
		return vec_fail(rep, "psks[] entry is not an object");
	if (vec_get_hex(rep, o, "psk_id", &id->psk_id) ||
	    vec_get_hex(rep, o, "psk_nonce", &id->psk_nonce) ||
	    vec_get_hex(rep, o, "psk", secret))
		return -1;
	return 0;
}

static int load_psks(const json_t *tc, struct loaded_psks *l,
		     struct vec_report *rep)
{
	const json_t *arr = vec_field(rep, tc, "psks");
	size_t i, n;

	memset(l, 0, sizeof(*l));
	if (!arr || !json_is_array(arr))
		return vec_fail(rep, "psks is not an array");
	n = json_array_size(arr);
	l->ids = calloc(n + 1, sizeof(*l->ids));
	l->secrets = calloc(n + 1, sizeof(*l->secrets));
	l->psks = calloc(n + 1, sizeof(*l->psks));
	if (!l->ids || !l->secrets || !l->psks)
		return vec_fail(rep, "out of memory");
	for (i = 0; i < n; i++) {
		l->count++;
		if (load_one(json_array_get(arr, i), &l->ids[i],
			     &l->secrets[i], rep))
			return -1;
		l->psks[i].id = &l->ids[i];
		l->psks[i].secret = l->secrets[i].data;
		l->psks[i].secret_len = l->secrets[i].len;
	}
	return 0;
}

int vec_run_psk_secret(const json_t *tc, struct vec_report *rep)
{
	uint8_t out[MLS_MAX_HASH_LEN];
	struct mls_bytes want = { NULL, 0 };
	const struct mls_suite *s;
	struct loaded_psks l;
	uint64_t suite;
	int ret = -1, err;

	if (vec_get_uint(rep, tc, "cipher_suite", &suite))
		return -1;
	s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!s)
		return vec_fail(rep, "cipher suite %llu: %s",
				(unsigned long long)suite,
				mls_strerror(MLS_ERR_UNSUPPORTED_SUITE));
	if (load_psks(tc, &l, rep) ||
	    vec_get_hex(rep, tc, "psk_secret", &want))
		goto out;
	err = mls_psk_secret(s, l.psks, l.count, out);
	if (err)
		vec_fail(rep, "psk_secret: %s", mls_strerror(err));
	else
		ret = vec_expect_bytes(rep, "psk_secret", out, s->hash_len,
				       &want);
out:
	mls_bytes_free(&want);
	free_psks(&l);
	return ret;
}
