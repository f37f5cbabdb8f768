// SPDX-License-Identifier: MIT
/*
 * Epoch retention: application messages sent just before a Commit,
 * which arrive after it, still decrypt for the last K epochs
 * (mls_group_set_past_epochs, default MLS_GROUP_PAST_EPOCHS_DEFAULT);
 * older ones, and every handshake message of a past epoch, do not.
 * A kept epoch's keys are used once each, and go when it falls out.
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
#include "support/group_fixture.h"

#define SUITE	MLS_SUITE_X25519_AES128GCM_SHA256_ED25519

static struct fixture_rng rng = { 4242 };

struct pair {
	struct fixture_party alice, bob;
};

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	assert_int_equal(fixture_party_init(&p->alice, SUITE, "alice", &rng),
			 0);
	assert_int_equal(fixture_party_init(&p->bob, SUITE, "bob", &rng), 0);
	assert_int_equal(fixture_party_create(&p->alice, "retain", NULL), 0);
	assert_int_equal(fixture_party_add(&p->alice, &p->bob, NULL), 0);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;

	fixture_party_free(&p->alice);
	fixture_party_free(&p->bob);
	free(p);
	return 0;
}

/* bob sends text as an application message of his current epoch */
static void send_text(struct pair *p, const char *text, struct mls_bytes *out)
{
	assert_int_equal(mls_group_encrypt(&p->bob.g, (const uint8_t *)text,
					   strlen(text), NULL, 0, out), 0);
}

/* alice commits, bob follows: both one epoch on */
static void next_epoch(struct pair *p)
{
	struct mls_bytes commit;

	assert_int_equal(mls_group_commit(&p->alice.g, NULL, &commit, NULL),
			 0);
	assert_int_equal(mls_group_confirm_commit(&p->alice.g), 0);
	assert_int_equal(fixture_process(&p->bob.g, &commit), 0);
	mls_bytes_free(&commit);
}

/* alice decrypts msg: 0 and the text, or the error */
static int open_text(struct pair *p, const struct mls_bytes *msg,
		     const char *want)
{
	struct mls_bytes data = { NULL, 0 };
	struct mls_message m;
	uint32_t sender = UINT32_MAX;
	int err;

	assert_int_equal(mls_message_from_bytes(msg->data, msg->len, &m), 0);
	err = mls_group_decrypt(&p->alice.g, &m, &data, &sender);
	mls_message_free(&m);
	if (!err) {
		assert_int_equal(sender, mls_group_own_leaf(&p->bob.g));
		assert_int_equal(data.len, strlen(want));
		assert_memory_equal(data.data, want, data.len);
	} else {
		assert_null(data.data);
	}
	mls_bytes_free(&data);
	return err;
}

static void test_default_keeps_one_epoch(void **state)
{
	struct pair *p = *state;
	struct mls_bytes late, later, replayed;
	struct mls_processed out;
	struct mls_message m;
	uint64_t sent_in = mls_group_epoch(&p->bob.g);

	send_text(p, "late", &late);
	send_text(p, "later", &later);
	send_text(p, "again", &replayed);
	next_epoch(p);

	/* the epoch before still opens, through either entry point */
	assert_int_equal(open_text(p, &late, "late"), 0);
	assert_int_equal(mls_message_from_bytes(later.data, later.len, &m), 0);
	assert_int_equal(mls_group_process_message(&p->alice.g, &m, &out), 0);
	assert_int_equal(out.kind, MLS_MESSAGE_APPLICATION);
	assert_int_equal(out.epoch, sent_in);
	assert_int_equal(out.data.len, 5);
	assert_memory_equal(out.data.data, "later", 5);
	mls_processed_free(&out);
	mls_message_free(&m);
	/* each key once, as in the current epoch */
	assert_int_equal(open_text(p, &late, "late"), MLS_ERR_GENERATION);

	/* one more epoch and it is gone */
	next_epoch(p);
	assert_int_equal(open_text(p, &replayed, "again"), MLS_ERR_OLD_EPOCH);
	mls_bytes_free(&late);
	mls_bytes_free(&later);
	mls_bytes_free(&replayed);
}

static void test_configured_window(void **state)
{
	struct pair *p = *state;
	struct mls_bytes msg[4];
	int i;

	assert_int_equal(mls_group_set_past_epochs(&p->alice.g,
						   MLS_GROUP_MAX_PAST_EPOCHS +
						   1), MLS_ERR_INVALID_ARG);
	assert_int_equal(mls_group_set_past_epochs(&p->alice.g, 3), 0);
	for (i = 0; i < 4; i++) {
		send_text(p, "m", &msg[i]);
		next_epoch(p);
	}
	/* four epochs on: msg[0] is one too many back, msg[1..3] open */
	assert_int_equal(open_text(p, &msg[0], "m"), MLS_ERR_OLD_EPOCH);
	assert_int_equal(open_text(p, &msg[3], "m"), 0);
	assert_int_equal(open_text(p, &msg[2], "m"), 0);
	/* a smaller window wipes what falls out at once */
	assert_int_equal(mls_group_set_past_epochs(&p->alice.g, 1), 0);
	assert_int_equal(open_text(p, &msg[1], "m"), MLS_ERR_OLD_EPOCH);
	assert_int_equal(p->alice.g.n_past, 1);
	/* and none at all */
	mls_bytes_free(&msg[0]);
	send_text(p, "m", &msg[0]);
	assert_int_equal(mls_group_set_past_epochs(&p->alice.g, 0), 0);
	next_epoch(p);
	assert_int_equal(open_text(p, &msg[0], "m"), MLS_ERR_OLD_EPOCH);
	assert_int_equal(p->alice.g.n_past, 0);
	for (i = 0; i < 4; i++)
		mls_bytes_free(&msg[i]);
}

/* A past epoch's proposal cannot change the group: still refused. */
static void test_past_handshake_refused(void **state)
{
	struct pair *p = *state;
	struct mls_bytes prop, before;
	struct mls_proposal up;

	assert_int_equal(mls_group_make_update(&p->bob.g, &up), 0);
	assert_int_equal(mls_group_propose(&p->bob.g, &up,
					   MLS_GROUP_WIRE_PRIVATE, &prop,
					   NULL), 0);
	mls_proposal_free(&up);
	next_epoch(p);
	assert_saved(&p->alice.g, &before);
	assert_int_equal(fixture_cache(&p->alice.g, &prop), MLS_ERR_OLD_EPOCH);
	assert_same_state(&p->alice.g, &before);
	mls_bytes_free(&before);
	mls_bytes_free(&prop);
}

/* A late message altered in flight fails its AEAD, kept epoch or not. */
static void test_past_message_authenticated(void **state)
{
	struct pair *p = *state;
	struct mls_bytes msg;

	send_text(p, "late", &msg);
	next_epoch(p);
	msg.data[msg.len - 1] ^= 1;
	assert_int_not_equal(open_text(p, &msg, "late"), 0);
	msg.data[msg.len - 1] ^= 1;
	assert_int_equal(open_text(p, &msg, "late"), 0);
	mls_bytes_free(&msg);
}

/* Past epochs are not saved: a loaded group starts without them. */
static void test_loaded_group_keeps_no_past(void **state)
{
	struct pair *p = *state;
	struct mls_group_load_options lo = { .clock = fixture_clock };
	struct mls_bytes msg, blob;

	send_text(p, "late", &msg);
	next_epoch(p);
	assert_int_equal(p->alice.g.n_past, 1);
	assert_saved(&p->alice.g, &blob);
	mls_group_free(&p->alice.g);
	lo.crypto = &p->alice.crypto;
	assert_int_equal(mls_group_load(&p->alice.g, blob.data, blob.len, &lo),
			 0);
	assert_int_equal(p->alice.g.n_past, 0);
	assert_int_equal(p->alice.g.past_epochs, MLS_GROUP_PAST_EPOCHS_DEFAULT);
	assert_int_equal(open_text(p, &msg, "late"), MLS_ERR_OLD_EPOCH);
	mls_bytes_free(&blob);
	mls_bytes_free(&msg);
}

/* A removed member keeps no past epoch either. */
static void test_removed_member_keeps_no_past(void **state)
{
	struct pair *p = *state;
	struct mls_commit_options o = { .n_proposals = 1 };
	struct mls_bytes commit;
	struct mls_proposal rm;

	next_epoch(p);
	assert_int_equal(p->bob.g.n_past, 1);
	assert_int_equal(mls_group_make_remove(&p->alice.g,
					       mls_group_own_leaf(&p->bob.g),
					       &rm), 0);
	o.proposals = &rm;
	assert_int_equal(mls_group_commit(&p->alice.g, &o, &commit, NULL), 0);
	assert_int_equal(fixture_process(&p->bob.g, &commit), MLS_ERR_REMOVED);
	assert_true(mls_group_removed(&p->bob.g));
	assert_int_equal(p->bob.g.n_past, 0);
	mls_proposal_free(&rm);
	mls_bytes_free(&commit);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_default_keeps_one_epoch),
		T(test_configured_window),
		T(test_past_handshake_refused),
		T(test_past_message_authenticated),
		T(test_loaded_group_keeps_no_past),
		T(test_removed_member_keeps_no_past),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
