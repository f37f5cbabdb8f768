// SPDX-License-Identifier: MIT
/*
 * passive-client-*.json (RFC 9420 §12): join with the Welcome (external
 * PSKs given, tree from the vector or the Welcome), compare
 * epoch_authenticator, then for each epoch cache the proposals and
 * process the Commit, comparing epoch_authenticator after each.
 *
 * Lifetimes are checked against a pinned clock: 2023-09-01 lies inside
 * the passive-client-welcome.json KeyPackages' lifetime (2023-03-03 to
 * 2024-03-02, long expired) and inside the 0..2^64-1 of the other files.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/group.h"
#include "vectors.h"

#define PINNED_NOW	1693526400ULL	/* 2023-09-01T00:00:00Z */

struct pc_psk {
	struct mls_bytes id;
	struct mls_bytes secret;
};

struct pc_case {
	const struct mls_suite *suite;
	struct pc_psk *psks;
	size_t n_psks;
	struct mls_bytes init_priv, encryption_priv;
	struct mls_message kp, welcome;
	bool has_tree;
	struct mls_ratchet_tree tree;
	struct mls_group group;
};

static void free_case(struct pc_case *pc)
{
	size_t i;

	for (i = 0; i < pc->n_psks; i++) {
		mls_bytes_free(&pc->psks[i].id);
		mls_bytes_free_secret(&pc->psks[i].secret);
	}
	free(pc->psks);
	mls_bytes_free_secret(&pc->init_priv);
	mls_bytes_free_secret(&pc->encryption_priv);
	mls_message_free(&pc->kp);
	mls_message_free(&pc->welcome);
	mls_ratchet_tree_free(&pc->tree);
	mls_group_free(&pc->group);
}

static uint64_t pinned_clock(void *ctx)
{
	(void)ctx;
	return PINNED_NOW;
}

static int lookup_psk(void *ctx, const struct mls_psk_id *id,
		      const uint8_t **secret, size_t *secret_len)
{
	const struct pc_case *pc = ctx;
	size_t i;

	for (i = 0; i < pc->n_psks; i++) {
		if (mls_bytes_equal(&pc->psks[i].id, &id->psk_id)) {
			*secret = pc->psks[i].secret.data;
			*secret_len = pc->psks[i].secret.len;
			return 0;
		}
	}
	return MLS_ERR_NOT_FOUND;
}

static int get_message(struct vec_report *rep, const json_t *obj,
		       const char *key, uint16_t wire_format,
		       struct mls_message *m)
{
	struct mls_bytes b = { NULL, 0 };
	int err;

	if (vec_get_hex(rep, obj, key, &b))
		return -1;
	err = mls_message_from_bytes(b.data, b.len, m);
	mls_bytes_free(&b);
	if (err)
		return vec_fail(rep, "%s: %s", key, mls_strerror(err));
	if (wire_format && m->wire_format != wire_format)
		return vec_fail(rep, "%s: wire format %u", key,
				m->wire_format);
	return 0;
}

static int load_psks(const json_t *tc, struct pc_case *pc,
		     struct vec_report *rep)
{
	const json_t *list = vec_field(rep, tc, "external_psks");
	size_t i;

	if (!list || !json_is_array(list))
		return vec_fail(rep, "external_psks: not an array");
	pc->psks = calloc(json_array_size(list) + 1, sizeof(*pc->psks));
	if (!pc->psks)
		return vec_fail(rep, "out of memory");
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *e = json_array_get(list, i);

		pc->n_psks = i + 1;
		if (vec_get_hex(rep, e, "psk_id", &pc->psks[i].id) ||
		    vec_get_hex(rep, e, "psk", &pc->psks[i].secret))
			return -1;
	}
	return 0;
}

static int load_tree(const json_t *tc, struct pc_case *pc,
		     struct vec_report *rep)
{
	const json_t *v = json_object_get(tc, "ratchet_tree");
	struct mls_bytes b = { NULL, 0 };
	int err;

	if (!v || json_is_null(v))
		return 0;
	if (vec_get_hex(rep, tc, "ratchet_tree", &b))
		return -1;
	err = mls_ratchet_tree_from_bytes(b.data, b.len, &pc->tree);
	mls_bytes_free(&b);
	if (err)
		return vec_fail(rep, "ratchet_tree: %s", mls_strerror(err));
	pc->has_tree = true;
	return 0;
}

static int load_case(const json_t *tc, struct pc_case *pc,
		     struct vec_report *rep)
{
	uint64_t suite;

	if (vec_get_uint(rep, tc, "cipher_suite", &suite))
		return -1;
	pc->suite = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!pc->suite)
		return vec_fail(rep, "cipher suite %llu: %s",
				(unsigned long long)suite,
				mls_strerror(MLS_ERR_UNSUPPORTED_SUITE));
	if (load_psks(tc, pc, rep) ||
	    vec_get_hex(rep, tc, "init_priv", &pc->init_priv) ||
	    vec_get_hex(rep, tc, "encryption_priv", &pc->encryption_priv) ||
	    get_message(rep, tc, "key_package", MLS_WIRE_KEY_PACKAGE,
			&pc->kp) ||
	    get_message(rep, tc, "welcome", MLS_WIRE_WELCOME, &pc->welcome))
		return -1;
	if (vec_left_pad_key(rep, &pc->init_priv, pc->suite->kem_priv_len) ||
	    vec_left_pad_key(rep, &pc->encryption_priv,
			     pc->suite->kem_priv_len))
		return -1;
	return load_tree(tc, pc, rep);
}

static int expect_authenticator(struct pc_case *pc, const json_t *obj,
				const char *key, const char *what,
				struct vec_report *rep)
{
	struct mls_bytes want = { NULL, 0 };
	const uint8_t *got;
	size_t len = 0;
	int ret;

	if (vec_get_hex(rep, obj, key, &want))
		return -1;
	got = mls_group_epoch_authenticator(&pc->group, &len);
	ret = vec_expect_bytes(rep, what, got, len, &want);
	mls_bytes_free(&want);
	return ret;
}

static int join(const json_t *tc, struct pc_case *pc, struct vec_report *rep)
{
	struct mls_group_join_options o;
	struct mls_bytes kp = { NULL, 0 };
	int err;

	err = mls_key_package_to_bytes(&pc->kp.key_package, &kp);
	if (err)
		return vec_fail(rep, "key_package: %s", mls_strerror(err));
	memset(&o, 0, sizeof(o));
	o.suite = pc->suite;
	o.key_package = kp.data;
	o.key_package_len = kp.len;
	o.init_priv = pc->init_priv.data;
	o.init_priv_len = pc->init_priv.len;
	o.encryption_priv = pc->encryption_priv.data;
	o.encryption_priv_len = pc->encryption_priv.len;
	o.ratchet_tree = pc->has_tree ? &pc->tree : NULL;
	o.psk_lookup = lookup_psk;
	o.psk_ctx = pc;
	o.clock = pinned_clock;
	err = mls_group_join(&pc->group, &o, &pc->welcome.welcome);
	mls_bytes_free(&kp);
	if (err)
		return vec_fail(rep, "join: %s", mls_strerror(err));
	return expect_authenticator(pc, tc, "initial_epoch_authenticator",
				    "initial epoch_authenticator", rep);
}

static int cache_proposals(struct pc_case *pc, const json_t *list,
			   size_t epoch, struct vec_report *rep)
{
	struct mls_message m;
	size_t i;
	char key[32];
	int err;

	if (!json_is_array(list))
		return vec_fail(rep, "epoch %zu: proposals not an array",
				epoch);
	for (i = 0; i < json_array_size(list); i++) {
		json_t *wrap = json_object();

		/* reuse the hex accessor by naming the array element */
		snprintf(key, sizeof(key), "proposal %zu", i);
		json_object_set(wrap, key, json_array_get(list, i));
		memset(&m, 0, sizeof(m));
		err = get_message(rep, wrap, key, 0, &m);
		json_decref(wrap);
		if (err)
			return -1;
		err = mls_group_cache_proposal(&pc->group, &m, NULL);
		mls_message_free(&m);
		if (err)
			return vec_fail(rep, "epoch %zu proposal %zu: %s",
					epoch, i, mls_strerror(err));
	}
	return 0;
}

static int follow_epoch(struct pc_case *pc, const json_t *e, size_t epoch,
			struct vec_report *rep)
{
	struct mls_message m;
	char what[48];
	int err;

	if (cache_proposals(pc, vec_field(rep, e, "proposals"), epoch, rep))
		return -1;
	memset(&m, 0, sizeof(m));
	if (get_message(rep, e, "commit", 0, &m))
		return -1;
	err = mls_group_process_commit(&pc->group, &m);
	mls_message_free(&m);
	if (err)
		return vec_fail(rep, "epoch %zu commit: %s", epoch,
				mls_strerror(err));
	snprintf(what, sizeof(what), "epoch %zu epoch_authenticator", epoch);
	return expect_authenticator(pc, e, "epoch_authenticator", what, rep);
}

int vec_run_passive_client(const json_t *tc, struct vec_report *rep)
{
	const json_t *epochs;
	struct pc_case pc;
	size_t i;
	int ret;

	memset(&pc, 0, sizeof(pc));
	ret = load_case(tc, &pc, rep);
	if (!ret)
		ret = join(tc, &pc, rep);
	epochs = ret ? NULL : vec_field(rep, tc, "epochs");
	if (!ret && !json_is_array(epochs))
		ret = vec_fail(rep, "epochs: not an array");
	for (i = 0; !ret && i < json_array_size(epochs); i++)
		ret = follow_epoch(&pc, json_array_get(epochs, i), i, rep);
	free_case(&pc);
	return ret;
}
