// SPDX-License-Identifier: MIT
/*
 * Group state machine (RFC 9420 §12.4.2): a Commit that is forged,
 * replayed, or refers to a proposal never received is rejected and the
 * group stays exactly as it was; the genuine Commit then still goes
 * through. Expected authenticators come from the official
 * passive-client-handling-commit.json vectors ($MLS_VECTORS_DIR or
 * ../shared/mls-test-vectors).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "mls/group.h"

static json_t *vectors;
/* PSK secrets handed out by lookup_psk, freed with the vectors */
static struct mls_bytes psk_keep[8];

struct fixture {
	const json_t *tc;
	size_t target;		/* the epoch under test */
	const struct mls_suite *suite;
	struct mls_bytes kp, init_priv, enc_priv;
	struct mls_message welcome;
	bool has_tree;
	struct mls_ratchet_tree tree;
	struct mls_group group;
};

/* What "the group is unchanged" means for these tests. */
struct snapshot {
	uint64_t epoch;
	uint8_t authenticator[MLS_MAX_HASH_LEN];
	uint8_t tree_hash[MLS_MAX_HASH_LEN];
	size_t n_proposals;
};

static void hex(const json_t *obj, const char *key, struct mls_bytes *out)
{
	const char *s = json_string_value(json_object_get(obj, key));
	size_t i, n;
	unsigned int byte;

	assert_non_null(s);
	n = strlen(s) / 2;
	out->data = malloc(n ? n : 1);
	out->len = n;
	assert_non_null(out->data);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &byte), 1);
		out->data[i] = (uint8_t)byte;
	}
}

static void message(const json_t *v, struct mls_message *m)
{
	json_t *wrap = json_object();
	struct mls_bytes b;

	json_object_set(wrap, "m", (json_t *)v);
	hex(wrap, "m", &b);
	json_decref(wrap);
	assert_int_equal(mls_message_from_bytes(b.data, b.len, m), 0);
	mls_bytes_free(&b);
}

static void snap(struct mls_group *g, struct snapshot *s)
{
	size_t len = 0;
	const uint8_t *auth = mls_group_epoch_authenticator(g, &len);

	memset(s, 0, sizeof(*s));
	s->epoch = mls_group_epoch(g);
	memcpy(s->authenticator, auth, len);
	assert_int_equal(mls_tree_root_hash(&g->tree, s->tree_hash), 0);
	s->n_proposals = g->n_proposals;
}

static void assert_unchanged(struct mls_group *g, const struct snapshot *a)
{
	struct snapshot b;

	snap(g, &b);
	assert_memory_equal(a, &b, sizeof(b));
}

static void assert_authenticator(struct mls_group *g, const json_t *obj,
				 const char *key)
{
	struct mls_bytes want;
	size_t len = 0;
	const uint8_t *got = mls_group_epoch_authenticator(g, &len);

	hex(obj, key, &want);
	assert_int_equal(len, want.len);
	assert_memory_equal(got, want.data, len);
	mls_bytes_free(&want);
}

/*
 * First suite-1 case with an epoch whose Commit refers to proposals;
 * *target is that epoch's index.
 */
static const json_t *pick_case(size_t *target)
{
	size_t i, e;

	for (i = 0; i < json_array_size(vectors); i++) {
		const json_t *tc = json_array_get(vectors, i);
		const json_t *epochs = json_object_get(tc, "epochs");

		if (json_integer_value(json_object_get(tc, "cipher_suite")) != 1)
			continue;
		for (e = 0; e < json_array_size(epochs); e++) {
			const json_t *ep = json_array_get(epochs, e);

			if (json_array_size(json_object_get(ep,
							    "proposals"))) {
				*target = e;
				return tc;
			}
		}
	}
	return NULL;
}

static int lookup_psk(void *ctx, const struct mls_psk_id *id,
		      const uint8_t **secret, size_t *secret_len)
{
	const json_t *list = json_object_get(ctx, "external_psks");
	size_t i;

	for (i = 0; i < json_array_size(list) && i < 8; i++) {
		struct mls_bytes pid;
		bool same;

		hex(json_array_get(list, i), "psk_id", &pid);
		same = mls_bytes_equal(&pid, &id->psk_id);
		mls_bytes_free(&pid);
		if (same) {
			mls_bytes_free(&psk_keep[i]);
			hex(json_array_get(list, i), "psk", &psk_keep[i]);
			*secret = psk_keep[i].data;
			*secret_len = psk_keep[i].len;
			return 0;
		}
	}
	return MLS_ERR_NOT_FOUND;
}

static int join(struct fixture *f, const struct mls_bytes *enc_priv)
{
	struct mls_group_join_options o;

	memset(&o, 0, sizeof(o));
	o.suite = f->suite;
	o.key_package = f->kp.data;
	o.key_package_len = f->kp.len;
	o.init_priv = f->init_priv.data;
	o.init_priv_len = f->init_priv.len;
	o.encryption_priv = enc_priv->data;
	o.encryption_priv_len = enc_priv->len;
	o.ratchet_tree = f->has_tree ? &f->tree : NULL;
	o.psk_lookup = lookup_psk;
	o.psk_ctx = (void *)f->tc;
	return mls_group_join(&f->group, &o, &f->welcome.welcome);
}

static const json_t *epoch_at(const struct fixture *f, size_t i)
{
	return json_array_get(json_object_get(f->tc, "epochs"), i);
}

static const json_t *target_epoch(const struct fixture *f)
{
	return epoch_at(f, f->target);
}

static void cache_proposals_of(struct fixture *f, const json_t *ep)
{
	const json_t *list = json_object_get(ep, "proposals");
	struct mls_message m;
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		message(json_array_get(list, i), &m);
		assert_int_equal(mls_group_cache_proposal(&f->group, &m, NULL),
				 0);
		mls_message_free(&m);
	}
}

static int setup_fixture(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct mls_message kp;
	size_t i;

	if (!f)
		return -1;
	f->tc = pick_case(&f->target);
	assert_non_null(f->tc);
	f->suite = mls_suite_get(1);
	message(json_object_get(f->tc, "key_package"), &kp);
	assert_int_equal(mls_key_package_to_bytes(&kp.key_package, &f->kp), 0);
	mls_message_free(&kp);
	hex(f->tc, "init_priv", &f->init_priv);
	hex(f->tc, "encryption_priv", &f->enc_priv);
	message(json_object_get(f->tc, "welcome"), &f->welcome);
	if (json_is_string(json_object_get(f->tc, "ratchet_tree"))) {
		struct mls_bytes b;

		hex(f->tc, "ratchet_tree", &b);
		assert_int_equal(mls_ratchet_tree_from_bytes(b.data, b.len,
							     &f->tree), 0);
		mls_bytes_free(&b);
		f->has_tree = true;
	}
	assert_int_equal(join(f, &f->enc_priv), 0);
	assert_authenticator(&f->group, f->tc, "initial_epoch_authenticator");
	for (i = 0; i < f->target; i++) {
		struct mls_message c;

		cache_proposals_of(f, epoch_at(f, i));
		message(json_object_get(epoch_at(f, i), "commit"), &c);
		assert_int_equal(mls_group_process_commit(&f->group, &c), 0);
		mls_message_free(&c);
		assert_authenticator(&f->group, epoch_at(f, i),
				     "epoch_authenticator");
	}
	*state = f;
	return 0;
}

static int teardown_fixture(void **state)
{
	struct fixture *f = *state;

	mls_group_free(&f->group);
	mls_bytes_free(&f->kp);
	mls_bytes_free_secret(&f->init_priv);
	mls_bytes_free_secret(&f->enc_priv);
	mls_message_free(&f->welcome);
	mls_ratchet_tree_free(&f->tree);
	free(f);
	return 0;
}

/* A commit whose proposals were never received cannot be processed. */
static void test_missing_proposal_rejected(void **state)
{
	struct fixture *f = *state;
	struct mls_message commit;
	struct snapshot before;

	message(json_object_get(target_epoch(f), "commit"), &commit);
	snap(&f->group, &before);
	assert_int_equal(mls_group_process_commit(&f->group, &commit),
			 MLS_ERR_NOT_FOUND);
	assert_unchanged(&f->group, &before);
	mls_message_free(&commit);
}

/*
 * Flip one bit at every byte of the encoded Commit in turn: each
 * variant that still decodes must be refused, leaving the group as it
 * was. Then the genuine one is accepted, and replaying it is refused.
 */
static void test_forged_and_replayed_commit(void **state)
{
	struct fixture *f = *state;
	struct mls_bytes wire;
	struct mls_message m;
	struct snapshot before;
	size_t i, decoded = 0;
	int err;

	cache_proposals_of(f, target_epoch(f));
	hex(target_epoch(f), "commit", &wire);
	snap(&f->group, &before);
	for (i = 0; i < wire.len; i++) {
		wire.data[i] ^= 0x01;
		if (!mls_message_from_bytes(wire.data, wire.len, &m)) {
			decoded++;
			err = mls_group_process_commit(&f->group, &m);
			if (!err)
				fail_msg("forged commit (byte %zu) accepted", i);
			assert_unchanged(&f->group, &before);
			mls_message_free(&m);
		}
		wire.data[i] ^= 0x01;
	}
	assert_true(decoded > wire.len / 2);

	assert_int_equal(mls_message_from_bytes(wire.data, wire.len, &m), 0);
	assert_int_equal(mls_group_process_commit(&f->group, &m), 0);
	assert_int_equal(mls_group_epoch(&f->group), before.epoch + 1);
	assert_authenticator(&f->group, target_epoch(f), "epoch_authenticator");
	assert_int_equal(f->group.n_proposals, 0);

	snap(&f->group, &before);
	err = mls_group_process_commit(&f->group, &m);
	assert_int_not_equal(err, 0);
	assert_unchanged(&f->group, &before);
	mls_message_free(&m);
	mls_bytes_free(&wire);
}

/* A wrong leaf key fails the join and leaves a zeroed group. */
static void test_join_with_wrong_leaf_key(void **state)
{
	struct fixture *f = *state;
	struct mls_group saved = f->group;
	struct mls_bytes bad;
	static const struct mls_group zero;
	int err;

	assert_int_equal(mls_bytes_dup(&bad, &f->enc_priv), 0);
	bad.data[bad.len - 1] ^= 0x01;
	err = join(f, &bad);
	assert_int_not_equal(err, 0);
	assert_memory_equal(&f->group, &zero, sizeof(zero));
	f->group = saved;
	mls_bytes_free_secret(&bad);
}

/* Only proposals go to the cache; a Commit is refused there. */
static void test_commit_is_not_a_proposal(void **state)
{
	struct fixture *f = *state;
	struct mls_message m;
	struct snapshot before;

	message(json_object_get(target_epoch(f), "commit"), &m);
	snap(&f->group, &before);
	assert_int_equal(mls_group_cache_proposal(&f->group, &m, NULL),
			 MLS_ERR_INVALID_ARG);
	assert_unchanged(&f->group, &before);
	mls_message_free(&m);
}

static int load_vectors(void **state)
{
	const char *dir = getenv("MLS_VECTORS_DIR");
	char path[4096];
	json_error_t jerr;

	snprintf(path, sizeof(path), "%s/passive-client-handling-commit.json",
		 dir ? dir : "../shared/mls-test-vectors");
	vectors = json_load_file(path, 0, &jerr);
	if (!vectors) {
		fprintf(stderr, "cannot load %s: %s (set MLS_VECTORS_DIR)\n",
			path, jerr.text);
		return -1;
	}
	return 0;
}

static int free_vectors(void **state)
{
	size_t i;

	for (i = 0; i < 8; i++)
		mls_bytes_free_secret(&psk_keep[i]);
	json_decref(vectors);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_proposal_rejected,
						setup_fixture, teardown_fixture),
		cmocka_unit_test_setup_teardown(test_forged_and_replayed_commit,
						setup_fixture, teardown_fixture),
		cmocka_unit_test_setup_teardown(test_join_with_wrong_leaf_key,
						setup_fixture, teardown_fixture),
		cmocka_unit_test_setup_teardown(test_commit_is_not_a_proposal,
						setup_fixture, teardown_fixture),
	};

	return cmocka_run_group_tests(tests, load_vectors, free_vectors);
}
