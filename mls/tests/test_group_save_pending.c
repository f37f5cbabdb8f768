// SPDX-License-Identifier: MIT
/*
 * Saving a group with its Commit pending (state version 3): an agent
 * builds a Commit, saves, sends it, and only then learns whether the
 * delivery service took it. Whatever happens in between (a crash
 * included), the loaded group confirms the Commit into the same epoch
 * the other members reach, or discards it back to the epoch it left.
 * A damaged pending part is refused like any other damage, and the
 * version 2 blobs agents already hold still load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/codec.h"
#include "mls/group.h"
#include "support/forge.h"
#include "support/group_assert.h"
#include "support/state_assert.h"
#include "support/state_v2_blobs.h"
#include "../src/group_internal.h"

#define SUITE		MLS_SUITE_X25519_AES128GCM_SHA256_ED25519
#define EXPORT_LEN	16

static struct fixture_rng rng = { 9420 };

struct group {
	struct fixture_party p[3];	/* alice, bob, carol */
};

#define ALICE(G)	(&(G)->p[0])
#define BOB(G)		(&(G)->p[1])
#define CAROL(G)	(&(G)->p[2])

static const char *const names[3] = { "alice", "bob", "carol" };

static int setup(void **state)
{
	struct group *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	assert_int_equal(forge_members(g->p, names, 3, SUITE, &rng), 0);
	assert_int_equal(forge_commit_all(g->p, 3, NULL), 0);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct group *g = *state;

	forge_members_free(g->p, 3);
	free(g);
	return 0;
}

/* blob loaded into p's group in place of what it held (as after a crash) */
static void reload(struct fixture_party *p, const struct mls_bytes *blob)
{
	struct mls_group_load_options lo = {
		.crypto = &p->crypto, .clock = fixture_clock,
	};

	mls_group_free(&p->g);
	assert_int_equal(mls_group_load(&p->g, blob->data, blob->len, &lo), 0);
}

static void assert_all_agree(const struct group *gr)
{
	assert_int_equal(fixture_groups_agree(&ALICE(gr)->g, &BOB(gr)->g,
					      EXPORT_LEN), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(gr)->g, &CAROL(gr)->g,
					      EXPORT_LEN), 0);
}

/* committer commits (empty, with a path); a and b process it. */
static void commit_from(struct fixture_party *committer,
			struct fixture_party *a, struct fixture_party *b)
{
	struct mls_bytes commit;

	assert_int_equal(mls_group_commit(&committer->g, NULL, &commit, NULL),
			 0);
	assert_int_equal(fixture_process(&a->g, &commit), 0);
	assert_int_equal(fixture_process(&b->g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&committer->g), 0);
	mls_bytes_free(&commit);
}

/* ---- confirm and discard after a load ---- */

static void test_saved_pending_then_confirm(void **state)
{
	struct group *gr = *state;
	struct fixture_party dave;
	struct mls_commit_summary before, after;
	struct mls_commit_options o = { .force_path = true };
	struct mls_bytes commit, welcome, blob;
	struct mls_proposal add;
	uint64_t epoch = mls_group_epoch(&ALICE(gr)->g);

	assert_int_equal(fixture_party_init(&dave, SUITE, "dave", &rng), 0);
	assert_int_equal(fixture_party_key_package(&dave), 0);
	assert_int_equal(mls_group_make_add(&ALICE(gr)->g, dave.kp.data,
					    dave.kp.len, &add), 0);
	o.proposals = &add;
	o.n_proposals = 1;
	assert_int_equal(mls_group_commit(&ALICE(gr)->g, &o, &commit,
					  &welcome), 0);
	assert_int_equal(mls_group_pending_summary(&ALICE(gr)->g, &before), 0);

	/* saved with the Commit pending, then the process dies */
	assert_saved(&ALICE(gr)->g, &blob);
	reload(ALICE(gr), &blob);
	assert_true(mls_group_has_pending_commit(&ALICE(gr)->g));
	assert_int_equal(mls_group_epoch(&ALICE(gr)->g), epoch);
	assert_same_state(&ALICE(gr)->g, &blob);
	assert_int_equal(mls_group_pending_summary(&ALICE(gr)->g, &after), 0);
	assert_int_equal(after.epoch, before.epoch);
	assert_int_equal(after.n_added, 1);
	assert_int_equal(after.added[0], before.added[0]);
	assert_int_equal(after.n_updated, before.n_updated);

	/* the relay took it: the others process it, the loaded alice
	 * confirms, and the joiner's Welcome (made before the crash) fits */
	assert_int_equal(fixture_process(&BOB(gr)->g, &commit), 0);
	assert_int_equal(fixture_process(&CAROL(gr)->g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&ALICE(gr)->g), 0);
	assert_int_equal(mls_group_epoch(&ALICE(gr)->g), epoch + 1);
	assert_all_agree(gr);
	assert_int_equal(fixture_party_join(&dave, &welcome), 0);
	assert_int_equal(fixture_groups_agree(&ALICE(gr)->g, &dave.g,
					      EXPORT_LEN), 0);

	/* and the loaded group goes on: bob commits, alice follows */
	commit_from(BOB(gr), ALICE(gr), CAROL(gr));
	assert_all_agree(gr);
	mls_commit_summary_free(&before);
	mls_commit_summary_free(&after);
	mls_proposal_free(&add);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_bytes_free(&blob);
	fixture_party_free(&dave);
}

/*
 * A PrivateMessage Commit cannot be decrypted by its sender: the loaded
 * group must still know it as its own when the relay echoes it.
 */
static void test_saved_private_commit_echo(void **state)
{
	struct group *gr = *state;
	struct mls_commit_options o = { .wire = MLS_GROUP_WIRE_PRIVATE };
	struct mls_bytes commit, blob;
	struct mls_processed out;
	struct mls_message m;

	assert_int_equal(mls_group_commit(&ALICE(gr)->g, &o, &commit, NULL),
			 0);
	assert_saved(&ALICE(gr)->g, &blob);
	reload(ALICE(gr), &blob);
	assert_int_equal(mls_message_from_bytes(commit.data, commit.len, &m),
			 0);
	assert_int_equal(mls_group_process_message(&ALICE(gr)->g, &m, &out),
			 0);
	assert_int_equal(out.kind, MLS_MESSAGE_COMMIT);
	assert_true(out.commit.ours);
	assert_false(mls_group_has_pending_commit(&ALICE(gr)->g));
	assert_int_equal(fixture_process(&BOB(gr)->g, &commit), 0);
	assert_int_equal(fixture_process(&CAROL(gr)->g, &commit), 0);
	assert_all_agree(gr);
	mls_processed_free(&out);
	mls_message_free(&m);
	mls_bytes_free(&commit);
	mls_bytes_free(&blob);
}

static void test_saved_pending_then_discard(void **state)
{
	struct group *gr = *state;
	struct mls_bytes before, commit, blob;

	assert_saved(&ALICE(gr)->g, &before);
	assert_int_equal(mls_group_commit(&ALICE(gr)->g, NULL, &commit, NULL),
			 0);
	assert_saved(&ALICE(gr)->g, &blob);
	assert_false(mls_bytes_equal(&blob, &before));
	reload(ALICE(gr), &blob);

	/* the relay refused it: discarding gives back the state before */
	mls_group_discard_commit(&ALICE(gr)->g);
	assert_false(mls_group_has_pending_commit(&ALICE(gr)->g));
	assert_same_state(&ALICE(gr)->g, &before);
	commit_from(BOB(gr), ALICE(gr), CAROL(gr));
	assert_all_agree(gr);
	mls_bytes_free(&before);
	mls_bytes_free(&commit);
	mls_bytes_free(&blob);
}

/* A competing Commit ordered first replaces the loaded pending one. */
static void test_saved_pending_loses_race(void **state)
{
	struct group *gr = *state;
	struct mls_bytes ours, blob;

	assert_int_equal(mls_group_commit(&ALICE(gr)->g, NULL, &ours, NULL),
			 0);
	assert_saved(&ALICE(gr)->g, &blob);
	reload(ALICE(gr), &blob);
	commit_from(BOB(gr), ALICE(gr), CAROL(gr));
	assert_false(mls_group_has_pending_commit(&ALICE(gr)->g));
	assert_all_agree(gr);
	assert_int_equal(fixture_process(&BOB(gr)->g, &ours),
			 MLS_ERR_OLD_EPOCH);
	mls_bytes_free(&ours);
	mls_bytes_free(&blob);
}

/* ---- damage to the pending part ---- */

static void load_taken(const struct mls_bytes *blob)
{
	struct mls_group g;

	assert_int_equal(mls_group_load(&g, blob->data, blob->len, NULL), 0);
	mls_group_free(&g);
}

/* The body of a blob: after "MLSG", the version and its length prefix. */
static void body_of(const struct mls_bytes *blob, const uint8_t **body,
		    size_t *len)
{
	size_t at = state_body_start(blob);

	*body = blob->data + at;
	*len = blob->len - at - STATE_HASH_LEN;
}

/* A well-framed version 3 blob around body (length prefix, checksum). */
static void frame(const uint8_t *body, size_t len, struct mls_bytes *out)
{
	uint8_t zero[STATE_HASH_LEN] = { 0 };
	struct mls_writer w;

	mls_writer_init(&w);
	mls_write_raw(&w, "MLSG", 4);
	mls_write_u16(&w, 3);
	mls_write_opaque(&w, body, len);
	mls_write_raw(&w, zero, STATE_HASH_LEN);
	assert_int_equal(mls_writer_finish(&w, out), 0);
	state_rehash(out);
}

struct damaged {
	struct mls_bytes without;	/* saved before the Commit */
	struct mls_bytes with;		/* and with it pending */
	size_t pending_at;		/* where the pending part starts */
};

/* A public Commit changes nothing in the group but adds the pending part. */
static void damaged_init(struct group *gr, struct damaged *d)
{
	const uint8_t *b0, *b1;
	size_t n0, n1;
	struct mls_bytes commit;

	assert_saved(&ALICE(gr)->g, &d->without);
	assert_int_equal(mls_group_commit(&ALICE(gr)->g, NULL, &commit, NULL),
			 0);
	mls_bytes_free(&commit);
	assert_saved(&ALICE(gr)->g, &d->with);
	body_of(&d->without, &b0, &n0);
	body_of(&d->with, &b1, &n1);
	/* the last byte of the old body is "no pending Commit" */
	assert_true(n1 > n0);
	assert_int_equal(b0[n0 - 1], 0);
	assert_memory_equal(b0, b1, n0 - 1);
	d->pending_at = n0 - 1;
}

static void damaged_free(struct damaged *d)
{
	mls_bytes_free(&d->without);
	mls_bytes_free(&d->with);
}

static void test_pending_part_truncated(void **state)
{
	struct damaged d;
	const uint8_t *body;
	struct mls_bytes bad;
	size_t n, cut;

	damaged_init(*state, &d);
	body_of(&d.with, &body, &n);
	/* every length of the pending part short of the whole, and none */
	for (cut = d.pending_at; cut < n; cut += 5) {
		frame(body, cut, &bad);
		state_load_refused(&bad, 0);
		mls_bytes_free(&bad);
	}
	frame(body, n - 1, &bad);
	state_load_refused(&bad, 0);
	mls_bytes_free(&bad);
	/* and the whole, reframed, still loads */
	frame(body, n, &bad);
	load_taken(&bad);
	mls_bytes_free(&bad);
	damaged_free(&d);
}

static void test_pending_flag_and_trailing(void **state)
{
	struct damaged d;
	const uint8_t *body;
	struct mls_bytes bad;
	uint8_t *copy;
	size_t n;

	damaged_init(*state, &d);
	body_of(&d.with, &body, &n);
	copy = malloc(n + 1);
	assert_non_null(copy);
	memcpy(copy, body, n);
	copy[d.pending_at] = 2;		/* neither absent nor present */
	frame(copy, n, &bad);
	state_load_refused(&bad, MLS_ERR_DECODE);
	mls_bytes_free(&bad);
	copy[d.pending_at] = 1;
	copy[n] = 0;				/* a byte after it */
	frame(copy, n + 1, &bad);
	state_load_refused(&bad, 0);
	mls_bytes_free(&bad);
	free(copy);
	damaged_free(&d);
}

/*
 * Every byte of the pending part flipped in turn, the checksum
 * recomputed: refused (zeroed group), or taken and saved again as
 * exactly that blob.
 */
static void test_pending_part_every_byte(void **state)
{
	struct damaged d;
	struct mls_bytes bad;
	struct mls_group g;
	size_t at, start, tried = 0, refused = 0;
	const uint8_t *body;
	size_t n;

	damaged_init(*state, &d);
	body_of(&d.with, &body, &n);
	start = (size_t)(body - d.with.data) + d.pending_at;
	assert_int_equal(mls_bytes_dup(&bad, &d.with), 0);
	for (at = start; at < bad.len - STATE_HASH_LEN; at += 3) {
		bad.data[at] ^= 0x40;
		state_rehash(&bad);
		tried++;
		if (mls_group_load(&g, bad.data, bad.len, NULL)) {
			assert_null(g.suite);
			refused++;
		} else {
			assert_same_state(&g, &bad);
			mls_group_free(&g);
		}
		bad.data[at] ^= 0x40;
	}
	/* secrets, keys, the message and its signature are unchecked bytes */
	assert_true(refused > tried / 4);
	mls_bytes_free(&bad);
	damaged_free(&d);
}

/* A pending part that does not fit the group it is saved with. */
static void pending_refused(struct group *gr,
			    void (*edit)(struct mls_group *g))
{
	struct mls_bytes commit, blob, bad;
	struct mls_group g;

	assert_int_equal(mls_group_commit(&ALICE(gr)->g, NULL, &commit, NULL),
			 0);
	assert_saved(&ALICE(gr)->g, &blob);
	assert_int_equal(mls_group_load(&g, blob.data, blob.len, NULL), 0);
	edit(&g);
	assert_int_equal(mls_group_save(&g, &bad), 0);
	mls_group_free(&g);
	assert_false(mls_bytes_equal(&bad, &blob));
	state_load_refused(&bad, MLS_ERR_VALIDATION);
	mls_group_discard_commit(&ALICE(gr)->g);
	mls_bytes_free(&bad);
	mls_bytes_free(&blob);
	mls_bytes_free(&commit);
}

static void pending_epoch(struct mls_group *g)
{
	g->pending->context.epoch++;
}

static void pending_summary_epoch(struct mls_group *g)
{
	g->pending->summary.epoch--;
}

static void pending_group_id(struct mls_group *g)
{
	g->pending->context.group_id.data[0] ^= 1;
}

static void pending_tree_hash(struct mls_group *g)
{
	g->pending->context.tree_hash.data[0] ^= 1;
}

static void pending_leaf_key(struct mls_group *g)
{
	assert_true(g->pending->priv.n_keys > 0);
	g->pending->priv.keys[0].priv[1] ^= 1;
}

static void pending_own_leaf(struct mls_group *g)
{
	g->pending->priv.leaf_index = 2;
}

static void pending_suite(struct mls_group *g)
{
	g->pending->context.cipher_suite =
		MLS_SUITE_X25519_CHACHA20POLY1305_SHA256_ED25519;
}

static void test_pending_fields(void **state)
{
	pending_refused(*state, pending_epoch);
	pending_refused(*state, pending_summary_epoch);
	pending_refused(*state, pending_group_id);
	pending_refused(*state, pending_tree_hash);
	pending_refused(*state, pending_leaf_key);
	pending_refused(*state, pending_own_leaf);
	pending_refused(*state, pending_suite);
}

/* ---- version 2 blobs ---- */

static void load_v2(struct fixture_party *p, const uint8_t *blob, size_t len)
{
	struct mls_group_load_options lo = { .clock = fixture_clock };

	assert_int_equal(mls_group_load(&p->g, blob, len, &lo), 0);
}

static void test_version_2_blobs_load(void **state)
{
	struct fixture_party alice, bob;
	struct mls_bytes commit, blob;

	(void)state;
	memset(&alice, 0, sizeof(alice));
	memset(&bob, 0, sizeof(bob));
	load_v2(&alice, state_v2_alice, sizeof(state_v2_alice));
	load_v2(&bob, state_v2_bob, sizeof(state_v2_bob));
	assert_int_equal(mls_group_epoch(&alice.g), 2);
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, EXPORT_LEN),
			 0);
	assert_int_equal(alice.g.n_proposals, 1);
	assert_int_equal(bob.g.n_updates, 1);
	assert_false(mls_group_has_pending_commit(&alice.g));

	/* alice commits bob's cached Update; bob has its private key */
	assert_int_equal(mls_group_commit(&alice.g, NULL, &commit, NULL), 0);
	assert_int_equal(fixture_process(&bob.g, &commit), 0);
	assert_int_equal(mls_group_confirm_commit(&alice.g), 0);
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, EXPORT_LEN),
			 0);
	mls_bytes_free(&commit);

	/* saved again, it is a version 3 blob */
	assert_saved(&bob.g, &blob);
	assert_int_equal(blob.data[4], 0);
	assert_int_equal(blob.data[5], 3);
	mls_group_free(&bob.g);
	load_v2(&bob, blob.data, blob.len);
	assert_int_equal(fixture_groups_agree(&alice.g, &bob.g, EXPORT_LEN),
			 0);
	mls_bytes_free(&blob);
	mls_group_free(&alice.g);
	mls_group_free(&bob.g);
}

/* Versions 1 and 4 are not ours (checksum recomputed). */
static void test_other_versions_refused(void **state)
{
	struct mls_bytes blob;

	(void)state;
	blob.len = sizeof(state_v2_bob);
	blob.data = malloc(blob.len);
	assert_non_null(blob.data);
	memcpy(blob.data, state_v2_bob, blob.len);
	blob.data[5] = 1;
	state_rehash(&blob);
	state_load_refused(&blob, MLS_ERR_UNKNOWN_VALUE);
	blob.data[5] = 4;
	state_rehash(&blob);
	state_load_refused(&blob, MLS_ERR_UNKNOWN_VALUE);
	/* a version 2 body read as version 3 lacks the pending flag */
	blob.data[5] = 3;
	state_rehash(&blob);
	state_load_refused(&blob, 0);
	mls_bytes_free(&blob);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_saved_pending_then_confirm),
		T(test_saved_private_commit_echo),
		T(test_saved_pending_then_discard),
		T(test_saved_pending_loses_race),
		T(test_pending_part_truncated),
		T(test_pending_flag_and_trailing),
		T(test_pending_part_every_byte),
		T(test_pending_fields),
		cmocka_unit_test(test_version_2_blobs_load),
		cmocka_unit_test(test_other_versions_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
