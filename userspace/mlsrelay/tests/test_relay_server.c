// SPDX-License-Identifier: MIT
/*
 * mlsrelay end to end: the real relay process on 127.0.0.1, driven over
 * TLS by the relayproto client. Identity proof (good, forged, wrong key),
 * the KeyPackage directory, racing commits, fetch-since, the Welcome
 * queue, malformed frames, each per-connection limit, and a SIGKILL'ed
 * relay restarted on its store keeping all it acknowledged.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "support/relay_harness.h"

static uint8_t msgbuf[4][512];

static void test_auth_good_and_bad(void **state)
{
	struct relay_proc *rp = *state;
	struct host a, b, mallory;
	struct rp_frame f = { .type = RP_GI_GET, .group_id = BYTES("g") };

	host_init(&a, "host-a");
	host_init(&b, "host-b");
	host_init(&mallory, "host-a");
	host_login(&a, rp);
	/* a signature made with another key than the one presented */
	host_connect(&b, rp);
	assert_int_equal(rp_client_auth(&b.c, 1, (const uint8_t *)"host-b", 6,
					a.priv, a.priv_len, b.pub, b.pub_len),
			 RP_C_AUTH_FAILED);
	assert_int_equal(rp_client_recv(&b.c, &f), RP_E_CLOSED);
	host_close(&b);
	/* a valid signature for an identity bound to another key */
	host_connect(&mallory, rp);
	assert_int_equal(rp_client_auth(&mallory.c, 1,
					(const uint8_t *)"host-a", 6,
					mallory.priv, mallory.priv_len,
					mallory.pub, mallory.pub_len),
			 RP_C_AUTH_FAILED);
	host_close(&mallory);
	/* requests before auth */
	host_connect(&b, rp);
	assert_int_equal(rp_client_send(&b.c, &f), 0);
	host_expect_fatal(&b, RP_C_NOT_AUTHED);
	host_close(&b);
	/* a second auth on an authenticated connection */
	f = (struct rp_frame){ .type = RP_AUTH, .suite = 1,
			       .identity = BYTES("host-a"),
			       .sig_pub = BYTES("x"), .signature = BYTES("y") };
	assert_int_equal(rp_client_send(&a.c, &f), 0);
	host_expect_fatal(&a, RP_C_UNEXPECTED);
	host_close(&a);
	/* host-a still logs in with its own key */
	host_login(&a, rp);
	host_close(&a);
}

static void take_kp(struct host *h, const char *owner, const char *want)
{
	struct rp_frame f = { .type = RP_KP_TAKE, .identity = BYTES(owner) },
			reply;

	host_request(h, &f, &reply);
	assert_int_equal(reply.type, RP_KEYPACKAGE);
	assert_int_equal(reply.blob.len, strlen(want));
	assert_memory_equal(reply.blob.p, want, reply.blob.len);
}

static void upload_kp(struct host *h, int last_resort, const char *kp)
{
	struct rp_frame f = { .type = RP_KP_UPLOAD, .last_resort =
				      (uint8_t)last_resort, .blob = BYTES(kp) };

	host_expect_ok(h, &f);
}

static void test_keypackages_handed_out_once(void **state)
{
	struct relay_proc *rp = *state;
	struct host a, b;
	struct rp_frame f = { .type = RP_KP_TAKE, .identity = BYTES("host-a") };

	host_init(&a, "host-a");
	host_init(&b, "host-b");
	host_login(&a, rp);
	host_login(&b, rp);
	host_expect_error(&b, &f, RP_C_NOT_FOUND);
	upload_kp(&a, 0, "kp-1");
	upload_kp(&a, 1, "kp-last-resort");
	upload_kp(&a, 0, "kp-2");
	take_kp(&b, "host-a", "kp-1");
	take_kp(&b, "host-a", "kp-2");
	take_kp(&b, "host-a", "kp-last-resort");
	take_kp(&a, "host-a", "kp-last-resort");
	host_close(&a);
	host_close(&b);
}

static struct rp_frame handshake(int slot, const char *group, uint64_t epoch,
				 uint8_t kind, const char *body)
{
	struct rp_frame f = { .type = RP_HANDSHAKE, .group_id = BYTES(group),
			      .epoch = epoch, .kind = kind };
	size_t n = fake_mls_message(msgbuf[slot], sizeof(msgbuf[slot]), group,
				    epoch, body);

	f.blob = (struct rp_bytes){ msgbuf[slot], n };
	return f;
}

static uint64_t publish(struct host *h, const char *group, uint64_t epoch,
			uint8_t kind, const char *body)
{
	struct rp_frame f = handshake(0, group, epoch, kind, body), reply;

	host_request(h, &f, &reply);
	assert_int_equal(reply.type, RP_ACCEPTED);
	return reply.seq;
}

/* The next frame of h is the hs-event for this message. */
static void expect_event(struct host *h, uint64_t epoch, uint64_t seq,
			 const char *body)
{
	struct rp_frame f;

	assert_int_equal(rp_client_recv(&h->c, &f), 0);
	assert_int_equal(f.type, RP_HS_EVENT);
	assert_int_equal(f.epoch, epoch);
	assert_int_equal(f.seq, seq);
	assert_true(f.blob.len > strlen(body));
	assert_memory_equal(f.blob.p + f.blob.len - strlen(body), body,
			    strlen(body));
}

/* What a host saw while waiting for one reply. */
struct outcome {
	uint8_t type;
	uint64_t seq, epoch;
	uint8_t blob[512];
	size_t blob_len;
	unsigned int events;
	uint8_t event_blob[512];
	size_t event_len;
};

static void copy_blob(uint8_t *dst, size_t *len, struct rp_bytes b)
{
	assert_true(b.len <= 512);
	if (b.len)
		memcpy(dst, b.p, b.len);
	*len = b.len;
}

static void await_reply(struct host *h, uint32_t req_id, struct outcome *o)
{
	struct rp_frame f;

	memset(o, 0, sizeof(*o));
	for (;;) {
		assert_int_equal(rp_client_recv(&h->c, &f), 0);
		if (f.req_id == req_id)
			break;
		assert_int_equal(f.type, RP_HS_EVENT);
		o->events++;
		copy_blob(o->event_blob, &o->event_len, f.blob);
	}
	o->type = f.type;
	o->seq = f.seq;
	o->epoch = f.epoch;
	copy_blob(o->blob, &o->blob_len, f.blob);
}

/* Both send a commit for epoch 3 before reading any reply: one wins. */
static void test_commit_race_first_wins(void **state)
{
	struct relay_proc *rp = *state;
	struct host a, b;
	struct rp_frame fa = handshake(1, "g", 3, RP_KIND_COMMIT, "commit-a");
	struct rp_frame fb = handshake(2, "g", 3, RP_KIND_COMMIT, "commit-b");
	struct outcome oa, ob, *win, *lose;
	struct rp_frame *fwin;

	host_init(&a, "host-a");
	host_init(&b, "host-b");
	host_login(&a, rp);
	host_login(&b, rp);
	host_subscribe(&a, "g");
	host_subscribe(&b, "g");
	assert_int_equal(rp_client_send(&a.c, &fa), 0);
	assert_int_equal(rp_client_send(&b.c, &fb), 0);
	await_reply(&a, fa.req_id, &oa);
	await_reply(&b, fb.req_id, &ob);
	assert_true((oa.type == RP_ACCEPTED) != (ob.type == RP_ACCEPTED));
	win = oa.type == RP_ACCEPTED ? &oa : &ob;
	lose = win == &oa ? &ob : &oa;
	fwin = win == &oa ? &fa : &fb;
	assert_int_equal(win->seq, 1);
	/* the loser learns the epoch, seq and bytes of the winner */
	assert_int_equal(lose->type, RP_CONFLICT);
	assert_int_equal(lose->epoch, 3);
	assert_int_equal(lose->seq, 1);
	assert_int_equal(lose->blob_len, fwin->blob.len);
	assert_memory_equal(lose->blob, fwin->blob.p, fwin->blob.len);
	/* and got the winner's fan-out before its own answer */
	assert_int_equal(lose->events, 1);
	assert_memory_equal(lose->event_blob, fwin->blob.p, fwin->blob.len);
	assert_int_equal(win->events, 0);
	host_close(&a);
	host_close(&b);
}

static void test_offline_member_fetches(void **state)
{
	struct relay_proc *rp = *state;
	struct host a, c;
	struct rp_frame f = { .type = RP_FETCH, .group_id = BYTES("g"),
			      .epoch = 1 }, reply;

	host_init(&a, "host-a");
	host_init(&c, "host-c");
	host_login(&a, rp);
	host_subscribe(&a, "g");
	assert_int_equal(publish(&a, "g", 0, RP_KIND_COMMIT, "c0"), 1);
	assert_int_equal(publish(&a, "g", 1, RP_KIND_PROPOSAL, "p1"), 2);
	assert_int_equal(publish(&a, "g", 1, RP_KIND_COMMIT, "c1"), 3);
	assert_int_equal(publish(&a, "g", 2, RP_KIND_COMMIT, "c2"), 4);
	/* c was offline: it fetches everything since epoch 1 */
	host_login(&c, rp);
	f.req_id = 0;
	assert_int_equal(rp_client_send(&c.c, &f), 0);
	expect_event(&c, 1, 2, "p1");
	expect_event(&c, 1, 3, "c1");
	expect_event(&c, 2, 4, "c2");
	assert_int_equal(rp_client_recv(&c.c, &reply), 0);
	assert_int_equal(reply.type, RP_END);
	assert_int_equal(reply.count, 3);
	assert_int_equal(reply.more, 0);
	/* and is told about what comes next once subscribed */
	host_subscribe(&c, "g");
	assert_int_equal(publish(&a, "g", 3, RP_KIND_COMMIT, "c3"), 5);
	expect_event(&c, 3, 5, "c3");
	host_close(&a);
	host_close(&c);
}

static void test_handshake_checks(void **state)
{
	struct relay_proc *rp = *state;
	struct host a;
	struct rp_frame f;

	host_init(&a, "host-a");
	host_login(&a, rp);
	f = handshake(0, "g", 0, RP_KIND_COMMIT, "c0");
	host_expect_error(&a, &f, RP_C_BAD_REQUEST);	/* not subscribed */
	host_subscribe(&a, "g");
	f = handshake(0, "g", 0, RP_KIND_COMMIT, "c0");
	f.epoch = 1;		/* says 1, the MLSMessage says 0 */
	host_expect_error(&a, &f, RP_C_BAD_REQUEST);
	f = handshake(0, "h", 0, RP_KIND_COMMIT, "c0");
	f.group_id = BYTES("g");
	host_expect_error(&a, &f, RP_C_BAD_REQUEST);
	f = handshake(0, "g", 0, RP_KIND_COMMIT, "c0");
	/* a Welcome (wire format 3) is not a handshake message */
	f.blob = (struct rp_bytes){ (const uint8_t *)"\x00\x01\x00\x03w", 5 };
	host_expect_error(&a, &f, RP_C_BAD_REQUEST);
	assert_int_equal(publish(&a, "g", 0, RP_KIND_COMMIT, "c0"), 1);
	f = handshake(0, "g", 5, RP_KIND_COMMIT, "c5");
	host_expect_error(&a, &f, RP_C_BAD_EPOCH);
	host_close(&a);
}

static void test_groupinfo(void **state)
{
	struct relay_proc *rp = *state;
	struct host a, j;
	struct rp_frame f = { .type = RP_GI_PUT, .group_id = BYTES("g"),
			      .epoch = 4, .blob = BYTES("gi-4") }, reply;

	host_init(&a, "host-a");
	host_init(&j, "joiner");
	host_login(&a, rp);
	host_login(&j, rp);
	host_expect_error(&a, &f, RP_C_BAD_REQUEST);
	host_subscribe(&a, "g");
	host_expect_ok(&a, &f);
	f.epoch = 3;
	f.blob = BYTES("gi-3");
	host_expect_error(&a, &f, RP_C_BAD_EPOCH);
	/* anyone may read it, for an external join */
	f = (struct rp_frame){ .type = RP_GI_GET, .group_id = BYTES("g") };
	host_request(&j, &f, &reply);
	assert_int_equal(reply.type, RP_GROUPINFO);
	assert_int_equal(reply.epoch, 4);
	assert_int_equal(reply.blob.len, 4);
	assert_memory_equal(reply.blob.p, "gi-4", 4);
	host_close(&a);
	host_close(&j);
}

static unsigned int take_welcomes(struct host *h, const char **want)
{
	struct rp_frame f = { .type = RP_WELCOME_TAKE }, reply;
	unsigned int n = 0;

	host_request(h, &f, &reply);
	while (reply.type == RP_WELCOME) {
		assert_int_equal(reply.blob.len, strlen(want[n]));
		assert_memory_equal(reply.blob.p, want[n], reply.blob.len);
		n++;
		assert_int_equal(rp_client_recv(&h->c, &reply), 0);
	}
	assert_int_equal(reply.type, RP_END);
	assert_int_equal(reply.count, n);
	return n;
}

static void send_welcome(struct host *h, const char *to, const char *w)
{
	struct rp_frame f = { .type = RP_WELCOME_SEND, .identity = BYTES(to),
			      .blob = BYTES(w) };

	host_expect_ok(h, &f);
}

static void test_welcome_queue(void **state)
{
	struct relay_proc *rp = *state;
	const char *want[] = { "welcome-1", "welcome-2" };
	struct host a, b;

	host_init(&a, "host-a");
	host_init(&b, "host-b");
	host_login(&a, rp);
	send_welcome(&a, "host-b", "welcome-1");
	send_welcome(&a, "host-b", "welcome-2");
	send_welcome(&a, "host-c", "welcome-c");
	host_login(&b, rp);
	assert_int_equal(take_welcomes(&b, want), 2);
	assert_int_equal(take_welcomes(&b, want), 0);
	host_close(&a);
	host_close(&b);
}

/* Each kind of bad frame closes its own connection, and only that one. */
static void test_malformed_frame_closes_only_its_connection(void **state)
{
	struct relay_proc *rp = *state;
	static const struct {
		uint8_t bytes[16];
		size_t len;
		uint16_t code;
	} bad[] = {
		{ { 9, RP_GI_GET, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 1, 'g' },
		  15, RP_C_VERSION },
		{ { 1, RP_GI_GET, 0, 1, 0, 0, 0, 1, 0, 0, 0, 3, 0, 1, 'g' },
		  15, RP_C_BAD_FRAME },
		{ { 1, 0x7e, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 1, 'g' },
		  15, RP_C_BAD_FRAME },
		{ { 1, RP_GI_GET, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 'g' },
		  15, RP_C_BAD_FRAME },	/* empty group_id, trailing byte */
		{ { 1, RP_GI_GET, 0, 0, 0, 0, 0, 1, 0, 0x10, 0, 0 },
		  12, RP_C_TOO_LARGE },	/* 1 MiB: over frame-max */
		{ { 1, RP_ACCEPTED, 0, 0, 0, 0, 0, 1, 0, 0, 0, 8 },
		  12 + 8, RP_C_UNEXPECTED },
	};
	struct host a, m;
	size_t i;

	host_init(&a, "host-a");
	host_init(&m, "mallory");
	host_login(&a, rp);
	host_subscribe(&a, "g");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		host_login(&m, rp);
		assert_int_equal(rp_client_send_raw(&m.c, bad[i].bytes,
						    bad[i].len), 0);
		host_expect_fatal(&m, bad[i].code);
		host_close(&m);
		/* the other connection and the store are untouched */
		assert_int_equal(publish(&a, "g", i, RP_KIND_COMMIT, "c"),
				 i + 1);
	}
	host_close(&a);
}

static void test_restart_keeps_what_was_acknowledged(void **state)
{
	struct relay_proc *rp = *state;
	const char *want[] = { "welcome-b" };
	struct rp_frame f = handshake(0, "g", 7, RP_KIND_COMMIT, "late"), r;
	struct host a, b;

	host_init(&a, "host-a");
	host_init(&b, "host-b");
	host_login(&a, rp);
	host_subscribe(&a, "g");
	upload_kp(&a, 0, "kp-a");
	assert_int_equal(publish(&a, "g", 7, RP_KIND_COMMIT, "winner-7"), 1);
	send_welcome(&a, "host-b", "welcome-b");
	/* a crash, not a clean stop */
	relay_stop(rp, SIGKILL);
	host_close(&a);
	relay_start(rp);
	host_login(&b, rp);
	take_kp(&b, "host-a", "kp-a");
	assert_int_equal(take_welcomes(&b, want), 1);
	host_subscribe(&b, "g");
	host_request(&b, &f, &r);
	assert_int_equal(r.type, RP_CONFLICT);
	assert_int_equal(r.seq, 1);
	/* the identity binding survived too */
	host_init(&a, "host-b");
	host_connect(&a, rp);
	assert_int_equal(rp_client_auth(&a.c, 1, (const uint8_t *)"host-b", 6,
					a.priv, a.priv_len, a.pub, a.pub_len),
			 RP_C_AUTH_FAILED);
	host_close(&a);
	host_close(&b);
}

static void test_limits(void **state)
{
	struct relay_proc *rp = *state;
	static uint8_t big[5000];
	struct rp_frame f = { .type = RP_FETCH, .group_id = BYTES("g1") }, r;
	struct host a;

	host_init(&a, "host-a");
	host_login(&a, rp);
	/* groups-max 2 */
	host_subscribe(&a, "g1");
	host_subscribe(&a, "g2");
	host_expect_error(&a, &(struct rp_frame){ .type = RP_SUBSCRIBE,
			  .group_id = BYTES("g3") }, RP_C_LIMIT);
	host_subscribe(&a, "g1");	/* again: no new slot */
	/* keypackages-max 2 */
	upload_kp(&a, 0, "k1");
	upload_kp(&a, 0, "k2");
	host_expect_error(&a, &(struct rp_frame){ .type = RP_KP_UPLOAD,
			  .blob = BYTES("k3") }, RP_C_LIMIT);
	/* welcomes-max 1 */
	send_welcome(&a, "host-b", "w1");
	host_expect_error(&a, &(struct rp_frame){ .type = RP_WELCOME_SEND,
			  .identity = BYTES("host-b"), .blob = BYTES("w2") },
			  RP_C_LIMIT);
	/* fetch-max 2: pages */
	publish(&a, "g1", 0, RP_KIND_PROPOSAL, "p1");
	publish(&a, "g1", 0, RP_KIND_PROPOSAL, "p2");
	publish(&a, "g1", 0, RP_KIND_PROPOSAL, "p3");
	host_request(&a, &f, &r);
	assert_int_equal(r.seq, 1);
	assert_int_equal(rp_client_recv(&a.c, &r), 0);
	assert_int_equal(r.seq, 2);
	assert_int_equal(rp_client_recv(&a.c, &r), 0);
	assert_int_equal(r.type, RP_END);
	assert_int_equal(r.more, 1);
	f.seq = 2;
	host_request(&a, &f, &r);
	assert_int_equal(r.seq, 3);
	assert_int_equal(rp_client_recv(&a.c, &r), 0);
	assert_int_equal(r.type, RP_END);
	assert_int_equal(r.more, 0);
	/* frame-max 4096: refused from the header, connection closed */
	memset(big, 'k', sizeof(big));
	f = (struct rp_frame){ .type = RP_KP_UPLOAD };
	f.blob = (struct rp_bytes){ big, sizeof(big) };
	assert_int_equal(rp_client_send(&a.c, &f), 0);
	host_expect_fatal(&a, RP_C_TOO_LARGE);
	host_close(&a);
}

/* A subscriber that never reads is dropped once queue-max is exceeded. */
static void test_slow_consumer_dropped(void **state)
{
	struct relay_proc *rp = *state;
	static uint8_t big[200 * 1024];
	struct host a, slow;
	struct rp_frame f = { .type = RP_HANDSHAKE, .group_id = BYTES("g"),
			      .kind = RP_KIND_PROPOSAL }, r;
	int i;
	char body[200 * 1024 - 64];

	host_init(&a, "host-a");
	host_init(&slow, "slow");
	host_login(&a, rp);
	host_login(&slow, rp);
	host_subscribe(&a, "g");
	host_subscribe(&slow, "g");
	memset(body, 'p', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	f.blob = (struct rp_bytes){ big, fake_mls_message(big, sizeof(big),
							   "g", 0, body) };
	/* until the relay gives up on it; 30 MB is more than socket
	 * buffers hold */
	for (i = 0; i < 150 && !relay_log_has(rp, "slow-consumer"); i++) {
		host_request(&a, &f, &r);
		assert_int_equal(r.type, RP_ACCEPTED);
	}
	assert_true(i < 150);
	host_expect_fatal(&slow, RP_C_SLOW);
	host_close(&slow);
	/* the publisher was never affected */
	host_request(&a, &f, &r);
	assert_int_equal(r.type, RP_ACCEPTED);
	host_close(&a);
}

/* connections-max 2: a third connection is refused, the others live. */
static void test_connection_limit(void **state)
{
	struct relay_proc *rp = *state;
	struct rp_client third;
	struct host a, b;
	int i;

	host_init(&a, "host-a");
	host_init(&b, "host-b");
	host_login(&a, rp);
	host_login(&b, rp);
	assert_int_equal(rp_client_connect(&third, "127.0.0.1", rp->tcp_port,
					   rp->pin, 60000), RP_E_IO);
	host_subscribe(&a, "g");
	host_subscribe(&b, "g");
	host_close(&b);
	/* the slot is free again once the relay has seen b go */
	for (i = 0; i < 1200; i++) {
		if (!rp_client_connect(&third, "127.0.0.1", rp->tcp_port,
				       rp->pin, 60000))
			break;
		usleep(50000);
	}
	assert_true(i < 1200);
	rp_client_close(&third);
	host_subscribe(&a, "h");
	host_close(&a);
}

/* auth-timeout 1: a silent connection is closed, a logged-in one kept. */
static void test_auth_timeout(void **state)
{
	struct relay_proc *rp = *state;
	struct host a, idle;

	host_init(&a, "host-a");
	host_init(&idle, "idle");
	host_login(&a, rp);
	host_connect(&idle, rp);
	host_expect_fatal(&idle, RP_C_NOT_AUTHED);
	host_close(&idle);
	/* a's deadline passed too, before idle's: it was cleared by auth */
	host_subscribe(&a, "g");
	host_close(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, relay_fixture_setup, \
					     relay_fixture_teardown)
#define T_CONF(f, conf) cmocka_unit_test_prestate_setup_teardown(f, \
		relay_fixture_setup, relay_fixture_teardown, conf)
		T(test_auth_good_and_bad),
		T(test_keypackages_handed_out_once),
		T(test_commit_race_first_wins),
		T(test_offline_member_fetches),
		T(test_handshake_checks),
		T(test_groupinfo),
		T(test_welcome_queue),
		T(test_malformed_frame_closes_only_its_connection),
		T(test_restart_keeps_what_was_acknowledged),
		T_CONF(test_limits, "groups-max 2\nkeypackages-max 2\n"
		       "welcomes-max 1\nfetch-max 2\nframe-max 4096\n"),
		T_CONF(test_slow_consumer_dropped, "queue-max 65536\n"),
		T_CONF(test_connection_limit, "connections-max 2\n"),
		T_CONF(test_auth_timeout, "auth-timeout 1\n"),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
