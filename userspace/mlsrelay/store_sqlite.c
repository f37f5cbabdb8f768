// SPDX-License-Identifier: MIT
/*
 * The relay store in SQLite: WAL journal, synchronous=FULL (a transaction
 * is on disk when COMMIT returns, so the relay acknowledges only what a
 * crash cannot lose), prepared statements, one transaction per call.
 * First-commit-wins is also a partial unique index on (group, epoch) of
 * commits, the constraint a shared database would enforce between relays.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS identities(identity BLOB PRIMARY KEY,"
	" suite INTEGER NOT NULL, sig_pub BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS keypackages(id INTEGER PRIMARY KEY"
	" AUTOINCREMENT, owner BLOB NOT NULL, last_resort INTEGER NOT NULL,"
	" data BLOB NOT NULL);"
	"CREATE INDEX IF NOT EXISTS kp_owner ON keypackages(owner,"
	" last_resort, id);"
	"CREATE TABLE IF NOT EXISTS handshakes(group_id BLOB NOT NULL,"
	" seq INTEGER NOT NULL, epoch INTEGER NOT NULL, kind INTEGER NOT NULL,"
	" data BLOB NOT NULL, PRIMARY KEY(group_id, seq));"
	"CREATE UNIQUE INDEX IF NOT EXISTS one_commit_per_epoch"
	" ON handshakes(group_id, epoch) WHERE kind = 2;"
	"CREATE TABLE IF NOT EXISTS groupinfos(group_id BLOB PRIMARY KEY,"
	" epoch INTEGER NOT NULL, data BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS welcomes(id INTEGER PRIMARY KEY"
	" AUTOINCREMENT, target BLOB NOT NULL, data BLOB NOT NULL);"
	"CREATE INDEX IF NOT EXISTS welcome_target ON welcomes(target, id);";

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_ID_GET, S_ID_PUT,
	S_KP_COUNT, S_KP_DEL_LR, S_KP_PUT, S_KP_OLDEST, S_KP_LR, S_KP_DEL,
	S_HS_WINNER, S_HS_LAST_COMMIT, S_HS_NEXT_SEQ, S_HS_PUT, S_HS_FETCH,
	S_GI_GET, S_GI_PUT,
	S_WC_COUNT, S_WC_PUT, S_WC_LIST, S_WC_DEL,
	S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_ID_GET] = "SELECT suite, sig_pub FROM identities WHERE identity=?1",
	[S_ID_PUT] = "INSERT INTO identities VALUES(?1, ?2, ?3)",
	[S_KP_COUNT] = "SELECT COUNT(*) FROM keypackages"
		       " WHERE owner=?1 AND last_resort=0",
	[S_KP_DEL_LR] = "DELETE FROM keypackages"
			" WHERE owner=?1 AND last_resort=1",
	[S_KP_PUT] = "INSERT INTO keypackages(owner, last_resort, data)"
		     " VALUES(?1, ?2, ?3)",
	[S_KP_OLDEST] = "SELECT id, data FROM keypackages WHERE owner=?1"
			" AND last_resort=0 ORDER BY id LIMIT 1",
	[S_KP_LR] = "SELECT id, data FROM keypackages WHERE owner=?1"
		    " AND last_resort=1",
	[S_KP_DEL] = "DELETE FROM keypackages WHERE id=?1",
	[S_HS_WINNER] = "SELECT seq, data FROM handshakes WHERE group_id=?1"
			" AND epoch=?2 AND kind=2",
	[S_HS_LAST_COMMIT] = "SELECT MAX(epoch) FROM handshakes"
			     " WHERE group_id=?1 AND kind=2",
	[S_HS_NEXT_SEQ] = "SELECT COALESCE(MAX(seq), 0) + 1 FROM handshakes"
			  " WHERE group_id=?1",
	[S_HS_PUT] = "INSERT INTO handshakes VALUES(?1, ?2, ?3, ?4, ?5)",
	[S_HS_FETCH] = "SELECT seq, epoch, kind, data FROM handshakes"
		       " WHERE group_id=?1 AND epoch>=?2 AND seq>?3"
		       " ORDER BY seq LIMIT ?4",
	[S_GI_GET] = "SELECT epoch, data FROM groupinfos WHERE group_id=?1",
	[S_GI_PUT] = "INSERT OR REPLACE INTO groupinfos VALUES(?1, ?2, ?3)",
	[S_WC_COUNT] = "SELECT COUNT(*) FROM welcomes WHERE target=?1",
	[S_WC_PUT] = "INSERT INTO welcomes(target, data) VALUES(?1, ?2)",
	[S_WC_LIST] = "SELECT id, data FROM welcomes WHERE target=?1"
		      " ORDER BY id LIMIT ?2",
	[S_WC_DEL] = "DELETE FROM welcomes WHERE id=?1",
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *st[S_COUNT];
};

static struct sqlite_store *to_sq(struct store *s)
{
	return (struct sqlite_store *)s;
}

/* A prepared statement, reset and ready for new bindings. */
static sqlite3_stmt *prep(struct sqlite_store *q, enum stmt_id id)
{
	sqlite3_stmt *st = q->st[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static int bind_bytes(sqlite3_stmt *st, int i, struct store_bytes b)
{
	/* zero-length blobs must still be non-NULL in SQL */
	return sqlite3_bind_blob(st, i, b.len ? (const void *)b.data : "",
				 (int)b.len, SQLITE_STATIC) == SQLITE_OK ?
		0 : STORE_E_IO;
}

static int bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st, i, v) == SQLITE_OK ? 0 : STORE_E_IO;
}

/* Run a statement that returns no rows. */
static int run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : STORE_E_IO;
}

static int begin(struct sqlite_store *q)
{
	return run(prep(q, S_BEGIN));
}

/* Commit on success, roll back otherwise; returns the final result. */
static int finish(struct sqlite_store *q, int err)
{
	if (!err && run(prep(q, S_COMMIT)) == 0)
		return 0;
	run(prep(q, S_ROLLBACK));
	return err ? err : STORE_E_IO;
}

static int copy_column(sqlite3_stmt *st, int col, struct store_blob *out)
{
	int n = sqlite3_column_bytes(st, col);
	const void *p = sqlite3_column_blob(st, col);

	out->len = (size_t)n;
	out->data = malloc(n ? (size_t)n : 1);
	if (!out->data)
		return STORE_E_NOMEM;
	if (n)
		memcpy(out->data, p, (size_t)n);
	return 0;
}

/* SELECT of one integer (COUNT, MAX...); *null set when it is NULL. */
static int select_int(sqlite3_stmt *st, int64_t *v, int *null)
{
	int rc = sqlite3_step(st), err = 0;

	if (rc == SQLITE_ROW) {
		*null = sqlite3_column_type(st, 0) == SQLITE_NULL;
		*v = sqlite3_column_int64(st, 0);
	} else {
		err = STORE_E_IO;
	}
	sqlite3_reset(st);
	return err;
}

static int count_rows(struct sqlite_store *q, enum stmt_id id,
		      struct store_bytes key, int64_t *n)
{
	sqlite3_stmt *st = prep(q, id);
	int null;

	return bind_bytes(st, 1, key) ?: select_int(st, n, &null);
}

static int id_check(struct sqlite_store *q, struct store_bytes identity,
		    uint16_t suite, struct store_bytes pub, int *found)
{
	sqlite3_stmt *st = prep(q, S_ID_GET);
	int rc, err = 0;

	*found = 0;
	if (bind_bytes(st, 1, identity))
		return STORE_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = 1;
		if (sqlite3_column_int(st, 0) != suite ||
		    (size_t)sqlite3_column_bytes(st, 1) != pub.len ||
		    memcmp(sqlite3_column_blob(st, 1), pub.data, pub.len))
			err = STORE_E_MISMATCH;
	} else if (rc != SQLITE_DONE) {
		err = STORE_E_IO;
	}
	sqlite3_reset(st);
	return err;
}

static int sq_bind_identity(struct store *s, struct store_bytes identity,
			    uint16_t suite, struct store_bytes pub)
{
	struct sqlite_store *q = to_sq(s);
	sqlite3_stmt *st;
	int found, err;

	if (begin(q))
		return STORE_E_IO;
	err = id_check(q, identity, suite, pub, &found);
	if (!err && !found) {
		st = prep(q, S_ID_PUT);
		err = bind_bytes(st, 1, identity) ?: bind_int(st, 2, suite) ?:
			bind_bytes(st, 3, pub) ?: run(st);
	}
	return finish(q, err);
}

static int sq_put_keypackage(struct store *s, struct store_bytes owner,
			     int last_resort, struct store_bytes kp,
			     unsigned int max)
{
	struct sqlite_store *q = to_sq(s);
	sqlite3_stmt *st;
	int64_t n = 0;
	int err;

	if (begin(q))
		return STORE_E_IO;
	if (last_resort) {
		st = prep(q, S_KP_DEL_LR);
		err = bind_bytes(st, 1, owner) ?: run(st);
	} else {
		err = count_rows(q, S_KP_COUNT, owner, &n);
		if (!err && n >= max)
			err = STORE_E_LIMIT;
	}
	if (!err) {
		st = prep(q, S_KP_PUT);
		err = bind_bytes(st, 1, owner) ?: bind_int(st, 2, !!last_resort)
			?: bind_bytes(st, 3, kp) ?: run(st);
	}
	return finish(q, err);
}

/* First row of (id, data); *id = 0 when there is none. */
static int select_id_blob(sqlite3_stmt *st, int64_t *id,
			  struct store_blob *out)
{
	int rc = sqlite3_step(st), err = 0;

	*id = 0;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		err = copy_column(st, 1, out);
	} else if (rc != SQLITE_DONE) {
		err = STORE_E_IO;
	}
	sqlite3_reset(st);
	return err;
}

static int sq_take_keypackage(struct store *s, struct store_bytes owner,
			      struct store_blob *out)
{
	struct sqlite_store *q = to_sq(s);
	sqlite3_stmt *st;
	int64_t id;
	int err;

	out->data = NULL;
	out->len = 0;
	if (begin(q))
		return STORE_E_IO;
	st = prep(q, S_KP_OLDEST);
	err = bind_bytes(st, 1, owner) ?: select_id_blob(st, &id, out);
	if (!err && id) {
		st = prep(q, S_KP_DEL);
		err = bind_int(st, 1, id) ?: run(st);
	} else if (!err) {
		st = prep(q, S_KP_LR);
		err = bind_bytes(st, 1, owner) ?: select_id_blob(st, &id, out);
		if (!err && !id)
			err = STORE_E_NOT_FOUND;
	}
	err = finish(q, err);
	if (err)
		store_blob_free(out);
	return err;
}

/* The commit holding (group, epoch), if any: *found and *winner. */
static int hs_winner(struct sqlite_store *q, struct store_bytes group,
		     uint64_t epoch, int *found, struct store_hs_entry *winner)
{
	sqlite3_stmt *st = prep(q, S_HS_WINNER);
	int rc, err = 0;

	*found = 0;
	if (bind_bytes(st, 1, group) || bind_int(st, 2, (int64_t)epoch))
		return STORE_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = 1;
		winner->seq = (uint64_t)sqlite3_column_int64(st, 0);
		winner->epoch = epoch;
		winner->kind = 2;
		err = copy_column(st, 1, &winner->msg);
	} else if (rc != SQLITE_DONE) {
		err = STORE_E_IO;
	}
	sqlite3_reset(st);
	return err;
}

/* The log's epoch rule: after the first commit, only last + 1. */
static int hs_check_epoch(struct sqlite_store *q, struct store_bytes group,
			  uint64_t epoch)
{
	sqlite3_stmt *st = prep(q, S_HS_LAST_COMMIT);
	int64_t last;
	int null, err;

	err = bind_bytes(st, 1, group) ?: select_int(st, &last, &null);
	if (err)
		return err;
	return null || (uint64_t)last + 1 == epoch ? 0 : STORE_E_EPOCH;
}

static int hs_insert(struct sqlite_store *q, struct store_bytes group,
		     uint64_t epoch, uint8_t kind, struct store_bytes msg,
		     uint64_t *seq)
{
	sqlite3_stmt *st = prep(q, S_HS_NEXT_SEQ);
	int64_t next;
	int null, err;

	err = bind_bytes(st, 1, group) ?: select_int(st, &next, &null);
	if (err)
		return err;
	st = prep(q, S_HS_PUT);
	err = bind_bytes(st, 1, group) ?: bind_int(st, 2, next) ?:
		bind_int(st, 3, (int64_t)epoch) ?: bind_int(st, 4, kind) ?:
		bind_bytes(st, 5, msg) ?: run(st);
	if (!err)
		*seq = (uint64_t)next;
	return err;
}

static int sq_append_handshake(struct store *s, struct store_bytes group,
			       uint64_t epoch, uint8_t kind,
			       struct store_bytes msg, uint64_t *seq,
			       struct store_hs_entry *winner)
{
	struct sqlite_store *q = to_sq(s);
	int found = 0, err;

	memset(winner, 0, sizeof(*winner));
	/* SQLite integers are signed 64-bit: keep epochs in that range */
	if (epoch > INT64_MAX - 1)
		return STORE_E_EPOCH;
	if (begin(q))
		return STORE_E_IO;
	err = kind == 2 ? hs_winner(q, group, epoch, &found, winner) : 0;
	if (!err && found)
		err = STORE_E_CONFLICT;
	if (!err)
		err = hs_check_epoch(q, group, epoch);
	if (!err)
		err = hs_insert(q, group, epoch, kind, msg, seq);
	err = finish(q, err);
	if (err != STORE_E_CONFLICT)
		store_blob_free(&winner->msg);
	return err;
}

static int sq_fetch_since(struct store *s, struct store_bytes group,
			  uint64_t epoch, uint64_t after, unsigned int max,
			  store_hs_fn fn, void *ctx, unsigned int *count,
			  int *more)
{
	struct sqlite_store *q = to_sq(s);
	sqlite3_stmt *st = prep(q, S_HS_FETCH);
	struct store_hs_entry e;
	int rc;

	*count = 0;
	*more = 0;
	if (epoch > INT64_MAX || after > INT64_MAX)
		return 0;
	if (bind_bytes(st, 1, group) || bind_int(st, 2, (int64_t)epoch) ||
	    bind_int(st, 3, (int64_t)after) ||
	    bind_int(st, 4, (int64_t)max + 1))
		return STORE_E_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == max) {
			*more = 1;
			break;
		}
		e.seq = (uint64_t)sqlite3_column_int64(st, 0);
		e.epoch = (uint64_t)sqlite3_column_int64(st, 1);
		e.kind = (uint8_t)sqlite3_column_int(st, 2);
		e.msg.data = (uint8_t *)sqlite3_column_blob(st, 3);
		e.msg.len = (size_t)sqlite3_column_bytes(st, 3);
		(*count)++;
		if (fn(ctx, &e))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : STORE_E_IO;
}

static int gi_select(struct sqlite_store *q, struct store_bytes group,
		     int64_t *epoch, struct store_blob *out)
{
	sqlite3_stmt *st = prep(q, S_GI_GET);
	int rc, err = STORE_E_NOT_FOUND;

	if (bind_bytes(st, 1, group))
		return STORE_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*epoch = sqlite3_column_int64(st, 0);
		err = out ? copy_column(st, 1, out) : 0;
	} else if (rc != SQLITE_DONE) {
		err = STORE_E_IO;
	}
	sqlite3_reset(st);
	return err;
}

static int sq_put_groupinfo(struct store *s, struct store_bytes group,
			    uint64_t epoch, struct store_bytes gi)
{
	struct sqlite_store *q = to_sq(s);
	sqlite3_stmt *st;
	int64_t stored;
	int err;

	if (epoch > INT64_MAX)
		return STORE_E_EPOCH;
	if (begin(q))
		return STORE_E_IO;
	err = gi_select(q, group, &stored, NULL);
	if (!err && (uint64_t)stored > epoch)
		err = STORE_E_EPOCH;
	else if (err == STORE_E_NOT_FOUND || !err)
		err = 0;
	if (!err) {
		st = prep(q, S_GI_PUT);
		err = bind_bytes(st, 1, group) ?: bind_int(st, 2, (int64_t)epoch)
			?: bind_bytes(st, 3, gi) ?: run(st);
	}
	return finish(q, err);
}

static int sq_get_groupinfo(struct store *s, struct store_bytes group,
			    uint64_t *epoch, struct store_blob *out)
{
	int64_t e = 0;
	int err = gi_select(to_sq(s), group, &e, out);

	*epoch = (uint64_t)e;
	return err;
}

static int sq_queue_welcome(struct store *s, struct store_bytes target,
			    struct store_bytes welcome, unsigned int max)
{
	struct sqlite_store *q = to_sq(s);
	sqlite3_stmt *st;
	int64_t n = 0;
	int err;

	if (begin(q))
		return STORE_E_IO;
	err = count_rows(q, S_WC_COUNT, target, &n);
	if (!err && n >= max)
		err = STORE_E_LIMIT;
	if (!err) {
		st = prep(q, S_WC_PUT);
		err = bind_bytes(st, 1, target) ?: bind_bytes(st, 2, welcome) ?:
			run(st);
	}
	return finish(q, err);
}

struct welcome_batch {
	struct store_blob *items;
	unsigned int n;
};

static void batch_free(struct welcome_batch *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		store_blob_free(&b->items[i]);
	free(b->items);
}

/* Read and delete up to max Welcomes; *more if others remain. */
static int wc_collect(struct sqlite_store *q, struct store_bytes target,
		      unsigned int max, struct welcome_batch *b, int *more)
{
	sqlite3_stmt *st = prep(q, S_WC_LIST), *del;
	int rc = SQLITE_DONE, err = 0;

	if (bind_bytes(st, 1, target) || bind_int(st, 2, (int64_t)max + 1))
		return STORE_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (b->n == max) {
			*more = 1;
			break;
		}
		err = copy_column(st, 1, &b->items[b->n]);
		if (err)
			break;
		b->n++;
		del = prep(q, S_WC_DEL);
		err = bind_int(del, 1, sqlite3_column_int64(st, 0)) ?: run(del);
	}
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = STORE_E_IO;
	sqlite3_reset(st);
	return err;
}

static int sq_take_welcomes(struct store *s, struct store_bytes target,
			    unsigned int max, store_blob_fn fn, void *ctx,
			    unsigned int *count, int *more)
{
	struct sqlite_store *q = to_sq(s);
	struct welcome_batch b = { calloc(max ? max : 1, sizeof(*b.items)), 0 };
	struct store_bytes v;
	unsigned int i;
	int err;

	*count = 0;
	*more = 0;
	if (!b.items)
		return STORE_E_NOMEM;
	err = begin(q) ?: finish(q, wc_collect(q, target, max, &b, more));
	/* hand them out only once their removal is durable */
	for (i = 0; !err && i < b.n; i++) {
		v = (struct store_bytes){ b.items[i].data, b.items[i].len };
		(*count)++;
		if (fn(ctx, &v))
			break;
	}
	if (err)
		*more = 0;
	batch_free(&b);
	return err;
}

static void sq_close(struct store *s)
{
	struct sqlite_store *q = to_sq(s);
	int i;

	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(q->st[i]);
	sqlite3_close(q->db);
	free(q);
}

static const struct store_ops sqlite_ops = {
	.close = sq_close,
	.bind_identity = sq_bind_identity,
	.put_keypackage = sq_put_keypackage,
	.take_keypackage = sq_take_keypackage,
	.append_handshake = sq_append_handshake,
	.fetch_since = sq_fetch_since,
	.put_groupinfo = sq_put_groupinfo,
	.get_groupinfo = sq_get_groupinfo,
	.queue_welcome = sq_queue_welcome,
	.take_welcomes = sq_take_welcomes,
};

/* journal_mode answers with the mode in force: it must be "wal". */
static int set_wal(sqlite3 *db)
{
	sqlite3_stmt *st;
	int ok;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL))
		return STORE_E_IO;
	ok = sqlite3_step(st) == SQLITE_ROW &&
	     !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	return ok ? 0 : STORE_E_IO;
}

static int setup(struct sqlite_store *q)
{
	int i;

	sqlite3_busy_timeout(q->db, 5000);
	if (set_wal(q->db) ||
	    sqlite3_exec(q->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) ||
	    sqlite3_exec(q->db, schema, NULL, NULL, NULL))
		return STORE_E_IO;
	for (i = 0; i < S_COUNT; i++)
		if (sqlite3_prepare_v3(q->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &q->st[i],
				       NULL))
			return STORE_E_IO;
	return 0;
}

int store_sqlite_open(const char *path, struct store **out)
{
	struct sqlite_store *q = calloc(1, sizeof(*q));

	if (!q)
		return STORE_E_NOMEM;
	q->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) ||
	    setup(q)) {
		sq_close(&q->base);
		return STORE_E_IO;
	}
	*out = &q->base;
	return 0;
}

void store_blob_free(struct store_blob *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

const char *store_strerror(int err)
{
	switch (err) {
	case STORE_OK: return "success";
	case STORE_E_IO: return "database failure";
	case STORE_E_NOT_FOUND: return "not found";
	case STORE_E_CONFLICT: return "a commit for that epoch exists";
	case STORE_E_EPOCH: return "not the log's epoch";
	case STORE_E_LIMIT: return "limit reached";
	case STORE_E_MISMATCH: return "identity bound to another key";
	case STORE_E_NOMEM: return "out of memory";
	default: return "unknown store error";
	}
}
