// SPDX-License-Identifier: MIT
/*
 * key-schedule.json: five chained epochs per suite. Each epoch's
 * GroupContext is built from the inputs, the schedule is run as a member
 * (from init_secret) and as a joiner (from joiner_secret), and every
 * secret, the external public key and one exporter output are compared.
 * exporter.label is used verbatim as ASCII although it looks like hex.
 */
#include <stddef.h>
#include <string.h>

#include "mls/key_schedule.h"
#include "vectors.h"

static const struct {
	const char *name;
	size_t offset;
} epoch_outputs[] = {
#define OUT(field) { #field, offsetof(struct mls_epoch_secrets, field) }
	OUT(sender_data_secret), OUT(encryption_secret),
	OUT(exporter_secret), OUT(external_secret), OUT(confirmation_key),
	OUT(membership_key), OUT(resumption_psk), OUT(epoch_authenticator),
	OUT(init_secret),
#undef OUT
};

#define N_OUTPUTS (sizeof(epoch_outputs) / sizeof(epoch_outputs[0]))

static int expect_hex(struct vec_report *rep, const json_t *obj,
		      const char *key, const uint8_t *got, size_t len)
{
	struct mls_bytes want = { NULL, 0 };
	int ret;

	if (vec_get_hex(rep, obj, key, &want))
		return -1;
	ret = vec_expect_bytes(rep, key, got, len, &want);
	mls_bytes_free(&want);
	return ret;
}

static int check_outputs(const struct mls_suite *s, const json_t *ep,
			 const struct mls_epoch_secrets *e,
			 struct vec_report *rep)
{
	size_t i;

	for (i = 0; i < N_OUTPUTS; i++)
		if (expect_hex(rep, ep, epoch_outputs[i].name,
			       (const uint8_t *)e + epoch_outputs[i].offset,
			       s->hash_len))
			return -1;
	return 0;
}

static int check_external_pub(const struct mls_suite *s, const json_t *ep,
			      const struct mls_epoch_secrets *e,
			      struct vec_report *rep)
{
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	int err = mls_epoch_external_keypair(e, priv, pub);

	mls_wipe(priv, sizeof(priv));
	if (err)
		return vec_fail(rep, "external keypair: %s", mls_strerror(err));
	return expect_hex(rep, ep, "external_pub", pub, s->kem_pub_len);
}

static int check_exporter(const json_t *ep, const struct mls_epoch_secrets *e,
			  struct vec_report *rep)
{
	const json_t *ex = vec_field(rep, ep, "exporter");
	const json_t *label = ex ? vec_field(rep, ex, "label") : NULL;
	struct mls_bytes context = { NULL, 0 };
	uint8_t out[256];
	uint64_t length;
	int err, ret = -1;

	if (!label)
		return -1;
	if (!json_is_string(label))
		return vec_fail(rep, "exporter.label is not a string");
	if (vec_get_uint(rep, ex, "length", &length) ||
	    vec_get_hex(rep, ex, "context", &context))
		goto out;
	if (length > sizeof(out)) {
		vec_fail(rep, "exporter.length %llu too large",
			 (unsigned long long)length);
		goto out;
	}
	err = mls_epoch_export(e, json_string_value(label), context.data,
			       context.len, out, length);
	if (err)
		vec_fail(rep, "exporter: %s", mls_strerror(err));
	else
		ret = expect_hex(rep, ex, "secret", out, length);
out:
	mls_bytes_free(&context);
	return ret;
}

/* group_context must encode to the given bytes. */
static int build_group_context(const struct mls_suite *s, const json_t *tc,
			       const json_t *ep, uint64_t epoch,
			       struct mls_group_context *gc,
			       struct vec_report *rep)
{
	struct mls_bytes enc = { NULL, 0 };
	int err;

	memset(gc, 0, sizeof(*gc));
	gc->version = 1;
	gc->cipher_suite = s->id;
	gc->epoch = epoch;
	if (vec_get_hex(rep, tc, "group_id", &gc->group_id) ||
	    vec_get_hex(rep, ep, "tree_hash", &gc->tree_hash) ||
	    vec_get_hex(rep, ep, "confirmed_transcript_hash",
			&gc->confirmed_transcript_hash))
		return -1;
	err = mls_group_context_to_bytes(gc, &enc);
	if (err)
		return vec_fail(rep, "group_context encode: %s",
				mls_strerror(err));
	err = expect_hex(rep, ep, "group_context", enc.data, enc.len);
	mls_bytes_free(&enc);
	return err;
}

struct epoch_inputs {
	struct mls_bytes commit_secret;
	struct mls_bytes psk_secret;
	struct mls_group_context gc;
};

static void free_inputs(struct epoch_inputs *in)
{
	mls_bytes_free(&in->commit_secret);
	mls_bytes_free(&in->psk_secret);
	mls_group_context_free(&in->gc);
}

static int load_inputs(const struct mls_suite *s, const json_t *tc,
		       const json_t *ep, uint64_t epoch,
		       struct epoch_inputs *in, struct vec_report *rep)
{
	memset(in, 0, sizeof(*in));
	if (vec_get_hex(rep, ep, "commit_secret", &in->commit_secret) ||
	    vec_get_hex(rep, ep, "psk_secret", &in->psk_secret) ||
	    build_group_context(s, tc, ep, epoch, &in->gc, rep))
		return -1;
	if (in->commit_secret.len != s->hash_len ||
	    in->psk_secret.len != s->hash_len)
		return vec_fail(rep, "commit/psk secret not Nh bytes");
	return 0;
}

/* The joiner path must land on exactly the member's secrets. */
static int check_joiner_path(const struct mls_suite *s,
			     const struct epoch_inputs *in,
			     const struct mls_epoch_join *join,
			     const struct mls_epoch_secrets *member,
			     struct vec_report *rep)
{
	struct mls_epoch_secrets joined;
	int err;

	err = mls_key_schedule_from_joiner(s, join->joiner_secret,
					   in->psk_secret.data, &in->gc,
					   &joined);
	if (!err && memcmp(&joined, member, sizeof(joined)))
		err = vec_fail(rep, "joiner path differs from member path");
	else if (err)
		err = vec_fail(rep, "from_joiner: %s", mls_strerror(err));
	mls_epoch_secrets_free(&joined);
	return err;
}

static int run_epoch(const struct mls_suite *s, const json_t *tc,
		     const json_t *ep, uint64_t epoch, uint8_t *init_secret,
		     struct vec_report *rep)
{
	struct mls_epoch_secrets e;
	struct mls_epoch_join join;
	struct epoch_inputs in;
	int err = -1;

	memset(&e, 0, sizeof(e));
	memset(&join, 0, sizeof(join));
	if (load_inputs(s, tc, ep, epoch, &in, rep))
		goto out;
	err = mls_key_schedule_advance(s, init_secret, in.commit_secret.data,
				       in.psk_secret.data, &in.gc, &e, &join);
	if (err) {
		err = vec_fail(rep, "advance: %s", mls_strerror(err));
		goto out;
	}
	err = -1;
	if (expect_hex(rep, ep, "joiner_secret", join.joiner_secret,
		       s->hash_len) ||
	    expect_hex(rep, ep, "welcome_secret", join.welcome_secret,
		       s->hash_len) ||
	    check_outputs(s, ep, &e, rep) ||
	    check_external_pub(s, ep, &e, rep) ||
	    check_exporter(ep, &e, rep) ||
	    check_joiner_path(s, &in, &join, &e, rep))
		goto out;
	memcpy(init_secret, e.init_secret, s->hash_len);
	err = 0;
out:
	mls_epoch_secrets_free(&e);
	mls_epoch_join_wipe(&join);
	free_inputs(&in);
	return err;
}

int vec_run_key_schedule(const json_t *tc, struct vec_report *rep)
{
	struct mls_bytes initial = { NULL, 0 };
	uint8_t init_secret[MLS_MAX_HASH_LEN];
	const struct mls_suite *s;
	const json_t *epochs;
	uint64_t suite;
	size_t i;
	int ret = 0;

	if (vec_get_uint(rep, tc, "cipher_suite", &suite))
		return -1;
	s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!s)
		return vec_fail(rep, "cipher suite %llu: %s",
				(unsigned long long)suite,
				mls_strerror(MLS_ERR_UNSUPPORTED_SUITE));
	epochs = vec_field(rep, tc, "epochs");
	if (!epochs || !json_is_array(epochs))
		return vec_fail(rep, "epochs is not an array");
	if (!json_array_size(epochs))
		return vec_fail(rep, "epochs is empty: nothing to check");
	if (vec_get_hex(rep, tc, "initial_init_secret", &initial))
		return -1;
	if (initial.len != s->hash_len) {
		mls_bytes_free(&initial);
		return vec_fail(rep, "initial_init_secret not Nh bytes");
	}
	memcpy(init_secret, initial.data, s->hash_len);
	mls_bytes_free(&initial);
	for (i = 0; i < json_array_size(epochs) && !ret; i++)
		ret = run_epoch(s, tc, json_array_get(epochs, i), i,
				init_secret, rep);
	mls_wipe(init_secret, sizeof(init_secret));
	return ret;
}
