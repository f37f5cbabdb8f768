// SPDX-License-Identifier: MIT
/*
 * The SQLite relay store against a real database file in a temporary
 * directory: KeyPackages handed out once (last resort kept), identity
 * binding, first-commit-wins and the log's epoch rule, fetch-since with
 * its page limit, GroupInfo epochs, the Welcome queue, the limits, and
 * that everything acknowledged is still there after close and reopen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../store.h"

struct fixture {
	char dir[64];
	char path[96];
	struct store *s;
};

#define B(str) ((struct store_bytes){ (const uint8_t *)(str), strlen(str) })

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	strcpy(fx->dir, "/tmp/mlsrelay-store-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/relay.db", fx->dir);
	assert_int_equal(store_sqlite_open(fx->path, &fx->s), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	if (fx->s)
		fx->s->ops->close(fx->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

static void reopen(struct fixture *fx)
{
	fx->s->ops->close(fx->s);
	fx->s = NULL;
	assert_int_equal(store_sqlite_open(fx->path, &fx->s), 0);
}

static void assert_blob(struct store_blob *b, const char *want)
{
	assert_int_equal(b->len, strlen(want));
	assert_memory_equal(b->data, want, b->len);
	store_blob_free(b);
}

static int take_kp(struct fixture *fx, const char *owner, struct store_blob *b)
{
	return fx->s->ops->take_keypackage(fx->s, B(owner), b);
}

static void test_keypackage_once_then_last_resort(void **state)
{
	struct fixture *fx = *state;
	const struct store_ops *o = fx->s->ops;
	struct store_blob b;

	assert_int_equal(o->put_keypackage(fx->s, B("a"), 0, B("kp1"), 8), 0);
	assert_int_equal(o->put_keypackage(fx->s, B("a"), 1, B("lr1"), 8), 0);
	assert_int_equal(o->put_keypackage(fx->s, B("a"), 0, B("kp2"), 8), 0);
	assert_int_equal(o->put_keypackage(fx->s, B("a"), 1, B("lr2"), 8), 0);
	assert_int_equal(take_kp(fx, "b", &b), STORE_E_NOT_FOUND);
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "kp1");
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "kp2");
	/* one-time ones gone: the newest last-resort one, every time */
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "lr2");
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "lr2");
}

static void test_keypackage_limit(void **state)
{
	struct fixture *fx = *state;
	const struct store_ops *o = fx->s->ops;
	struct store_blob b;

	assert_int_equal(o->put_keypackage(fx->s, B("a"), 0, B("1"), 2), 0);
	assert_int_equal(o->put_keypackage(fx->s, B("a"), 0, B("2"), 2), 0);
	assert_int_equal(o->put_keypackage(fx->s, B("a"), 0, B("3"), 2),
			 STORE_E_LIMIT);
	/* the limit is per owner, and last-resort ones do not count */
	assert_int_equal(o->put_keypackage(fx->s, B("b"), 0, B("4"), 2), 0);
	assert_int_equal(o->put_keypackage(fx->s, B("a"), 1, B("5"), 2), 0);
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "1");
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "2");
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "5");
}

static void test_identity_bound_to_first_key(void **state)
{
	struct fixture *fx = *state;
	const struct store_ops *o = fx->s->ops;

	assert_int_equal(o->bind_identity(fx->s, B("a"), 1, B("key-a")), 0);
	assert_int_equal(o->bind_identity(fx->s, B("a"), 1, B("key-a")), 0);
	assert_int_equal(o->bind_identity(fx->s, B("a"), 1, B("key-x")),
			 STORE_E_MISMATCH);
	assert_int_equal(o->bind_identity(fx->s, B("a"), 2, B("key-a")),
			 STORE_E_MISMATCH);
	reopen(fx);
	assert_int_equal(fx->s->ops->bind_identity(fx->s, B("a"), 1,
						   B("key-x")),
			 STORE_E_MISMATCH);
}

static int append(struct fixture *fx, const char *g, uint64_t epoch,
		  uint8_t kind, const char *msg, uint64_t *seq,
		  struct store_hs_entry *winner)
{
	return fx->s->ops->append_handshake(fx->s, B(g), epoch, kind, B(msg),
					    seq, winner);
}

static void test_first_commit_wins(void **state)
{
	struct fixture *fx = *state;
	struct store_hs_entry w;
	uint64_t seq = 0;

	assert_int_equal(append(fx, "g", 4, 1, "prop", &seq, &w), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(append(fx, "g", 4, 2, "commit-A", &seq, &w), 0);
	assert_int_equal(seq, 2);
	seq = 99;
	assert_int_equal(append(fx, "g", 4, 2, "commit-B", &seq, &w),
			 STORE_E_CONFLICT);
	assert_int_equal(seq, 99);
	assert_int_equal(w.seq, 2);
	assert_int_equal(w.epoch, 4);
	assert_blob(&w.msg, "commit-A");
	/* other groups have their own log */
	assert_int_equal(append(fx, "h", 4, 2, "commit-H", &seq, &w), 0);
	assert_int_equal(seq, 1);
	/* the conflict survives a restart */
	reopen(fx);
	assert_int_equal(append(fx, "g", 4, 2, "commit-C", &seq, &w),
			 STORE_E_CONFLICT);
	assert_blob(&w.msg, "commit-A");
	assert_int_equal(append(fx, "g", 5, 2, "commit-5", &seq, &w), 0);
	assert_int_equal(seq, 3);
}

static void test_log_epoch_rule(void **state)
{
	struct fixture *fx = *state;
	struct store_hs_entry w;
	uint64_t seq;

	assert_int_equal(append(fx, "g", 7, 2, "c7", &seq, &w), 0);
	/* a stale proposal, a skipped epoch: refused, nothing appended */
	assert_int_equal(append(fx, "g", 6, 1, "old", &seq, &w),
			 STORE_E_EPOCH);
	assert_int_equal(append(fx, "g", 9, 2, "c9", &seq, &w), STORE_E_EPOCH);
	assert_int_equal(append(fx, "g", 8, 1, "p8", &seq, &w), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(append(fx, "g", UINT64_MAX, 2, "huge", &seq, &w),
			 STORE_E_EPOCH);
}

struct collected {
	unsigned int n;
	uint64_t seq[8], epoch[8];
	char msg[8][16];
};

static int collect(void *ctx, const struct store_hs_entry *e)
{
	struct collected *c = ctx;

	c->seq[c->n] = e->seq;
	c->epoch[c->n] = e->epoch;
	memcpy(c->msg[c->n], e->msg.data, e->msg.len);
	c->msg[c->n][e->msg.len] = '\0';
	c->n++;
	return 0;
}

static void test_fetch_since(void **state)
{
	struct fixture *fx = *state;
	struct store_hs_entry w;
	struct collected c;
	unsigned int count;
	uint64_t seq;
	int more;

	assert_int_equal(append(fx, "g", 1, 2, "c1", &seq, &w), 0);
	assert_int_equal(append(fx, "g", 2, 1, "p2", &seq, &w), 0);
	assert_int_equal(append(fx, "g", 2, 2, "c2", &seq, &w), 0);
	assert_int_equal(append(fx, "g", 3, 2, "c3", &seq, &w), 0);
	reopen(fx);
	memset(&c, 0, sizeof(c));
	assert_int_equal(fx->s->ops->fetch_since(fx->s, B("g"), 2, 0, 2,
						 collect, &c, &count, &more), 0);
	assert_int_equal(count, 2);
	assert_int_equal(more, 1);
	assert_string_equal(c.msg[0], "p2");
	assert_string_equal(c.msg[1], "c2");
	assert_int_equal(c.seq[1], 3);
	/* continue after the last seq seen */
	memset(&c, 0, sizeof(c));
	assert_int_equal(fx->s->ops->fetch_since(fx->s, B("g"), 2, 3, 2,
						 collect, &c, &count, &more), 0);
	assert_int_equal(count, 1);
	assert_int_equal(more, 0);
	assert_string_equal(c.msg[0], "c3");
	assert_int_equal(c.epoch[0], 3);
	memset(&c, 0, sizeof(c));
	assert_int_equal(fx->s->ops->fetch_since(fx->s, B("x"), 0, 0, 2,
						 collect, &c, &count, &more), 0);
	assert_int_equal(count, 0);
}

static void test_groupinfo(void **state)
{
	struct fixture *fx = *state;
	const struct store_ops *o = fx->s->ops;
	struct store_blob b;
	uint64_t epoch;

	assert_int_equal(o->get_groupinfo(fx->s, B("g"), &epoch, &b),
			 STORE_E_NOT_FOUND);
	assert_int_equal(o->put_groupinfo(fx->s, B("g"), 3, B("gi3")), 0);
	assert_int_equal(o->put_groupinfo(fx->s, B("g"), 5, B("gi5")), 0);
	assert_int_equal(o->put_groupinfo(fx->s, B("g"), 4, B("gi4")),
			 STORE_E_EPOCH);
	reopen(fx);
	assert_int_equal(fx->s->ops->get_groupinfo(fx->s, B("g"), &epoch, &b),
			 0);
	assert_int_equal(epoch, 5);
	assert_blob(&b, "gi5");
}

struct names {
	unsigned int n;
	char v[8][16];
};

static int collect_blob(void *ctx, const struct store_bytes *b)
{
	struct names *n = ctx;

	memcpy(n->v[n->n], b->data, b->len);
	n->v[n->n++][b->len] = '\0';
	return 0;
}

static void test_welcome_queue(void **state)
{
	struct fixture *fx = *state;
	const struct store_ops *o = fx->s->ops;
	struct names got;
	unsigned int count;
	int more;

	assert_int_equal(o->queue_welcome(fx->s, B("b"), B("w1"), 3), 0);
	assert_int_equal(o->queue_welcome(fx->s, B("b"), B("w2"), 3), 0);
	assert_int_equal(o->queue_welcome(fx->s, B("b"), B("w3"), 3), 0);
	assert_int_equal(o->queue_welcome(fx->s, B("b"), B("w4"), 3),
			 STORE_E_LIMIT);
	assert_int_equal(o->queue_welcome(fx->s, B("c"), B("wc"), 3), 0);
	reopen(fx);
	memset(&got, 0, sizeof(got));
	assert_int_equal(fx->s->ops->take_welcomes(fx->s, B("b"), 2,
						   collect_blob, &got, &count,
						   &more), 0);
	assert_int_equal(count, 2);
	assert_int_equal(more, 1);
	assert_string_equal(got.v[0], "w1");
	assert_string_equal(got.v[1], "w2");
	reopen(fx);
	memset(&got, 0, sizeof(got));
	assert_int_equal(fx->s->ops->take_welcomes(fx->s, B("b"), 2,
						   collect_blob, &got, &count,
						   &more), 0);
	assert_int_equal(count, 1);
	assert_int_equal(more, 0);
	assert_string_equal(got.v[0], "w3");
	/* taken means gone */
	assert_int_equal(fx->s->ops->take_welcomes(fx->s, B("b"), 2,
						   collect_blob, &got, &count,
						   &more), 0);
	assert_int_equal(count, 0);
}

static void test_keypackage_persists(void **state)
{
	struct fixture *fx = *state;
	struct store_blob b;

	assert_int_equal(fx->s->ops->put_keypackage(fx->s, B("a"), 0, B("k1"),
						    8), 0);
	assert_int_equal(fx->s->ops->put_keypackage(fx->s, B("a"), 0, B("k2"),
						    8), 0);
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "k1");
	reopen(fx);
	assert_int_equal(take_kp(fx, "a", &b), 0);
	assert_blob(&b, "k2");
	assert_int_equal(take_kp(fx, "a", &b), STORE_E_NOT_FOUND);
}

/* The database is in WAL mode with synchronous=FULL once opened. */
static void test_pragmas(void **state)
{
	struct fixture *fx = *state;
	char cmd[256], out[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "sqlite3 %s 'PRAGMA journal_mode'",
		 fx->path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, sizeof(out), p));
	pclose(p);
	assert_string_equal(out, "wal\n");
}

static void test_open_fails_cleanly(void **state)
{
	struct store *s = NULL;

	assert_int_equal(store_sqlite_open("/nonexistent-dir/x/relay.db", &s),
			 STORE_E_IO);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_keypackage_once_then_last_resort),
		T(test_keypackage_limit),
		T(test_keypackage_persists),
		T(test_identity_bound_to_first_key),
		T(test_first_commit_wins),
		T(test_log_epoch_rule),
		T(test_fetch_since),
		T(test_groupinfo),
		T(test_welcome_queue),
		T(test_pragmas),
		cmocka_unit_test(test_open_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
