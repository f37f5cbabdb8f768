// SPDX-License-Identifier: MIT
/*
 * The agent's view of a group: mls_group_process_message for whatever
 * arrives (proposal, Commit, application data), the summary of what a
 * Commit changed, and the roster (leaf -> credential and keys).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/group.h"
#include "support/group_assert.h"

#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519

static struct fixture_rng rng = { 23 };

static void party_init(struct fixture_party *p, const char *name)
{
	assert_int_equal(fixture_party_init(p, SUITE, name, &rng), 0);
}

static void assert_agree(const struct mls_group *a, const struct mls_group *b)
{
	assert_int_equal(fixture_groups_agree(a, b, 32), 0);
}

static int process(struct mls_group *g, const struct mls_bytes *msg,
		   struct mls_processed *out)
{
	struct mls_message m;
	int err;

	assert_int_equal(mls_message_from_bytes(msg->data, msg->len, &m), 0);
	err = mls_group_process_message(g, &m, out);
	mls_message_free(&m);
	return err;
}

static void assert_leaves(const uint32_t *got, size_t n_got,
			  const uint32_t *want, size_t n_want)
{
	assert_int_equal(n_got, n_want);
	if (n_want)
		assert_memory_equal(got, want, n_want * sizeof(*want));
}

static void assert_summary_equal(const struct mls_commit_summary *a,
				 const struct mls_commit_summary *b)
{
	assert_int_equal(a->epoch, b->epoch);
	assert_int_equal(a->committer, b->committer);
	assert_int_equal(a->external, b->external);
	assert_int_equal(a->removed_us, b->removed_us);
	assert_leaves(a->added, a->n_added, b->added, b->n_added);
	assert_leaves(a->removed, a->n_removed, b->removed, b->n_removed);
	assert_leaves(a->updated, a->n_updated, b->updated, b->n_updated);
}

struct group4 {
	struct fixture_party alice, bob, carol, dave;
};

/* alice, bob and carol, each following every Commit */
static void three_members(struct group4 *t)
{
	struct mls_bytes c = { NULL, 0 };

	party_init(&t->alice, "alice");
	party_init(&t->bob, "bob");
	party_init(&t->carol, "carol");
	party_init(&t->dave, "dave");
	assert_int_equal(fixture_party_create(&t->alice, "group", NULL), 0);
	assert_int_equal(fixture_party_add(&t->alice, &t->bob, NULL), 0);
	assert_int_equal(fixture_party_add(&t->alice, &t->carol, &c), 0);
	assert_int_equal(fixture_process(&t->bob.g, &c), 0);
	mls_bytes_free(&c);
}

static void group4_free(struct group4 *t)
{
	fixture_party_free(&t->alice);
	fixture_party_free(&t->bob);
	fixture_party_free(&t->carol);
	fixture_party_free(&t->dave);
}

/*
 * Bob proposes an Update; alice commits it with carol's Remove and
 * dave's Add (dave takes carol's leaf, §12.3 order). Each receiver is
 * told what the message was and what the Commit changed; carol learns
 * she is out.
 */
static void test_process_message_kinds_and_summary(void **state)
{
	static const uint32_t two[] = { 2 }, updated[] = { 1, 0 };
	struct group4 t;
	struct mls_bytes prop = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_bytes welcome = { NULL, 0 }, app = { NULL, 0 };
	struct mls_proposal up, byval[2];
	struct mls_commit_options co = {
		.proposals = byval, .n_proposals = 2,
		.wire = MLS_GROUP_WIRE_PRIVATE,
	};
	struct mls_commit_summary pending;
	struct mls_processed out;
	uint8_t ref[MLS_MAX_HASH_LEN];

	(void)state;
	three_members(&t);
	assert_int_equal(mls_group_make_update(&t.bob.g, &up), 0);
	assert_int_equal(mls_group_propose(&t.bob.g, &up, MLS_GROUP_WIRE_PUBLIC,
					   &prop, ref), 0);
	mls_proposal_free(&up);
	assert_int_equal(process(&t.alice.g, &prop, &out), 0);
	assert_int_equal(out.kind, MLS_MESSAGE_PROPOSAL);
	assert_int_equal(out.sender.type, MLS_SENDER_MEMBER);
	assert_int_equal(out.sender.index, 1);
	assert_int_equal(out.proposal_type, MLS_PROPOSAL_UPDATE);
	assert_memory_equal(out.ref, ref, t.alice.s->hash_len);
	mls_processed_free(&out);
	assert_int_equal(process(&t.carol.g, &prop, &out), 0);
	mls_processed_free(&out);

	assert_int_equal(mls_group_make_remove(&t.alice.g, 2, &byval[0]), 0);
	assert_int_equal(fixture_party_key_package(&t.dave), 0);
	assert_int_equal(mls_group_make_add(&t.alice.g, t.dave.kp.data,
					    t.dave.kp.len, &byval[1]), 0);
	assert_int_equal(mls_group_commit(&t.alice.g, &co, &commit, &welcome),
			 0);
	assert_int_equal(mls_group_pending_summary(&t.alice.g, &pending), 0);
	assert_int_equal(pending.epoch, 3);
	assert_int_equal(pending.committer, 0);
	assert_false(pending.external || pending.ours || pending.removed_us);
	assert_leaves(pending.added, pending.n_added, two, 1);
	assert_leaves(pending.removed, pending.n_removed, two, 1);
	assert_leaves(pending.updated, pending.n_updated, updated, 2);

	assert_int_equal(process(&t.bob.g, &commit, &out), 0);
	assert_int_equal(out.kind, MLS_MESSAGE_COMMIT);
	assert_int_equal(out.sender.index, 0);
	assert_false(out.commit.ours);
	assert_summary_equal(&out.commit, &pending);
	mls_processed_free(&out);

	/* carol: removed is news, and the group is over for her */
	assert_int_equal(process(&t.carol.g, &commit, &out), 0);
	assert_int_equal(out.kind, MLS_MESSAGE_COMMIT);
	assert_true(out.commit.removed_us);
	assert_true(mls_group_removed(&t.carol.g));
	pending.removed_us = true;
	assert_summary_equal(&out.commit, &pending);
	pending.removed_us = false;
	mls_processed_free(&out);
	assert_int_equal(process(&t.carol.g, &commit, &out), MLS_ERR_REMOVED);
	assert_int_equal(out.kind, 0);

	/* alice's own Commit, echoed back as a PrivateMessage */
	assert_int_equal(process(&t.alice.g, &commit, &out), 0);
	assert_true(out.commit.ours);
	assert_summary_equal(&out.commit, &pending);
	assert_false(mls_group_has_pending_commit(&t.alice.g));
	mls_processed_free(&out);
	assert_int_equal(fixture_party_join(&t.dave, &welcome), 0);
	assert_agree(&t.alice.g, &t.bob.g);
	assert_agree(&t.alice.g, &t.dave.g);

	/* application data, and what is no handshake message at all */
	assert_int_equal(mls_group_encrypt(&t.dave.g, (const uint8_t *)"hello",
					   5, NULL, 0, &app), 0);
	assert_int_equal(process(&t.alice.g, &app, &out), 0);
	assert_int_equal(out.kind, MLS_MESSAGE_APPLICATION);
	assert_int_equal(out.sender.index, 2);
	assert_int_equal(out.data.len, 5);
	assert_memory_equal(out.data.data, "hello", 5);
	mls_processed_free(&out);
	assert_int_equal(process(&t.alice.g, &welcome, &out),
			 MLS_ERR_INVALID_ARG);

	mls_commit_summary_free(&pending);
	mls_proposal_free(&byval[0]);
	mls_proposal_free(&byval[1]);
	mls_bytes_free(&prop);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
	mls_bytes_free(&app);
	group4_free(&t);
}

/* A message that fails leaves the group unchanged and *out all zero. */
static void test_process_message_rejection(void **state)
{
	static const struct mls_processed zero;
	struct group4 t;
	struct mls_bytes commit = { NULL, 0 }, before = { NULL, 0 };
	struct mls_processed out;
	struct mls_message m;

	(void)state;
	three_members(&t);
	assert_int_equal(mls_group_commit(&t.alice.g, NULL, &commit, NULL), 0);
	assert_int_equal(mls_message_from_bytes(commit.data, commit.len, &m),
			 0);
	m.public_message.auth.signature.data[0] ^= 1;
	assert_saved(&t.bob.g, &before);
	assert_int_not_equal(mls_group_process_message(&t.bob.g, &m, &out), 0);
	assert_memory_equal(&out, &zero, sizeof(zero));
	assert_same_state(&t.bob.g, &before);
	m.public_message.auth.signature.data[0] ^= 1;
	m.public_message.content.epoch = 7;
	assert_int_equal(mls_group_process_message(&t.bob.g, &m, &out),
			 MLS_ERR_FUTURE_EPOCH);
	assert_memory_equal(&out, &zero, sizeof(zero));
	assert_same_state(&t.bob.g, &before);
	mls_message_free(&m);
	mls_bytes_free(&before);
	mls_bytes_free(&commit);
	group4_free(&t);
}

/* An external join and a resync, as the members see them. */
static void test_external_commit_summary(void **state)
{
	static const uint32_t three[] = { 3 }, one[] = { 1 };
	struct group4 t;
	struct fixture_party bob2;
	struct mls_bytes gi = { NULL, 0 }, commit = { NULL, 0 };
	struct mls_processed out;

	(void)state;
	three_members(&t);
	assert_int_equal(mls_group_export_group_info(&t.alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&t.dave, &gi, false, 0,
						     &commit), 0);
	assert_int_equal(process(&t.bob.g, &commit, &out), 0);
	assert_int_equal(out.kind, MLS_MESSAGE_COMMIT);
	assert_int_equal(out.sender.type, MLS_SENDER_NEW_MEMBER_COMMIT);
	assert_true(out.commit.external);
	assert_int_equal(out.commit.committer, 3);
	assert_leaves(out.commit.added, out.commit.n_added, three, 1);
	assert_int_equal(out.commit.n_removed + out.commit.n_updated, 0);
	mls_processed_free(&out);
	assert_int_equal(fixture_process(&t.alice.g, &commit), 0);
	assert_int_equal(fixture_process(&t.carol.g, &commit), 0);
	mls_bytes_free(&commit);
	mls_bytes_free(&gi);

	/* bob lost his state and rejoins in his own seat */
	party_init(&bob2, "bob");
	assert_int_equal(mls_group_export_group_info(&t.alice.g, true, &gi), 0);
	assert_int_equal(fixture_party_join_external(&bob2, &gi, true, 1,
						     &commit), 0);
	assert_int_equal(process(&t.carol.g, &commit, &out), 0);
	assert_leaves(out.commit.removed, out.commit.n_removed, one, 1);
	assert_leaves(out.commit.added, out.commit.n_added, one, 1);
	mls_processed_free(&out);
	/* the old bob is told he is out, and who took his seat */
	assert_int_equal(process(&t.bob.g, &commit, &out), 0);
	assert_true(out.commit.removed_us);
	assert_int_equal(out.commit.committer, 1);
	mls_processed_free(&out);
	mls_bytes_free(&commit);
	mls_bytes_free(&gi);
	fixture_party_free(&bob2);
	group4_free(&t);
}

static void assert_member(const struct mls_member *m, uint32_t leaf,
			  const struct fixture_party *p)
{
	assert_int_equal(m->leaf, leaf);
	assert_int_equal(m->credential->type, MLS_CREDENTIAL_BASIC);
	assert_int_equal(m->identity_len, strlen(p->name));
	assert_memory_equal(m->identity, p->name, m->identity_len);
	assert_int_equal(m->signature_key_len, p->s->sig_pub_len);
	assert_memory_equal(m->signature_key, p->sig_pub, p->s->sig_pub_len);
	assert_int_equal(m->encryption_key_len, p->s->kem_pub_len);
}

/* Leaf 1 blank after bob's Remove: the roster skips it. */
static void test_roster(void **state)
{
	struct group4 t;
	struct mls_bytes commit = { NULL, 0 };
	struct mls_proposal rm;
	struct mls_commit_options co = { .proposals = &rm, .n_proposals = 1 };
	struct mls_member *list, one;
	size_t n;

	(void)state;
	three_members(&t);
	assert_int_equal(mls_group_roster(&t.carol.g, &list, &n), 0);
	assert_int_equal(n, 3);
	assert_member(&list[0], 0, &t.alice);
	assert_member(&list[1], 1, &t.bob);
	assert_member(&list[2], 2, &t.carol);
	free(list);
	assert_int_equal(mls_group_make_remove(&t.alice.g, 1, &rm), 0);
	assert_int_equal(mls_group_commit(&t.alice.g, &co, &commit, NULL), 0);
	assert_int_equal(mls_group_confirm_commit(&t.alice.g), 0);
	assert_int_equal(fixture_process(&t.carol.g, &commit), 0);
	assert_int_equal(mls_group_leaf_count(&t.carol.g), 4);
	assert_int_equal(mls_group_member(&t.carol.g, 1, &one),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_group_member(&t.carol.g, 4, &one),
			 MLS_ERR_NOT_FOUND);
	assert_int_equal(mls_group_member(&t.carol.g, 2, &one), 0);
	assert_member(&one, 2, &t.carol);
	assert_int_equal(mls_group_roster(&t.carol.g, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_member(&list[0], 0, &t.alice);
	assert_member(&list[1], 2, &t.carol);
	free(list);
	mls_proposal_free(&rm);
	mls_bytes_free(&commit);
	group4_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_process_message_kinds_and_summary),
		cmocka_unit_test(test_process_message_rejection),
		cmocka_unit_test(test_external_commit_summary),
		cmocka_unit_test(test_roster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
