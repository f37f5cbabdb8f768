// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#define NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN		crypto_aead_xchacha20poly1305_ietf_ABYTES
/* How long a call waits for another process holding the write lock. */
#define BUSY_MS		10000

struct mlsd_store {
	sqlite3 *db;
	char path[PATH_MAX];
	uint8_t key[MLSD_STORE_KEY_LEN];
};

/*
 * mls_group_id is the primary key of group_generation, which is never
 * deleted; the group row and the install record refer to it.
 */
static const char SCHEMA_SQL[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value NOT NULL);"
	"CREATE TABLE group_generation("
	" mls_group_id BLOB PRIMARY KEY,"
	" generation INTEGER NOT NULL);"
	"CREATE TABLE mls_group("
	" mls_group_id BLOB PRIMARY KEY"
	"  REFERENCES group_generation(mls_group_id),"
	" kernel_group_id INTEGER NOT NULL UNIQUE,"
	" epoch INTEGER NOT NULL,"
	" generation INTEGER NOT NULL,"
	" relay_seq INTEGER NOT NULL,"
	" state BLOB NOT NULL);"
	"CREATE TABLE kernel_install("
	" mls_group_id BLOB PRIMARY KEY"
	"  REFERENCES group_generation(mls_group_id),"
	" epoch INTEGER NOT NULL);"
	"CREATE TABLE keypackage_secret("
	" ref BLOB PRIMARY KEY,"
	" sealed BLOB NOT NULL,"
	" created INTEGER NOT NULL);";

/* ---- errors ---- */

static int fail(const struct mlsd_store *s, struct mlsd_err *e, int code,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(const struct mlsd_store *s, struct mlsd_err *e, int code,
		const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	mlsd_errf(e, "%s: %s", s->path, why);
	return code;
}

/* SQLite's own reason, the damaged-file case named as such. */
static int sql_fail(const struct mlsd_store *s, struct mlsd_err *e,
		    const char *what)
{
	int rc = sqlite3_errcode(s->db);

	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return fail(s, e, -EIO,
			    "%s: damaged or not an SQLite database (%s)", what,
			    sqlite3_errmsg(s->db));
	return fail(s, e, -EIO, "%s: %s", what, sqlite3_errmsg(s->db));
}

/* ---- statements and transactions ---- */

static int exec(struct mlsd_store *s, const char *sql, const char *what,
		struct mlsd_err *e)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(s, e, what);
	return 0;
}

static int prepare(struct mlsd_store *s, const char *sql, sqlite3_stmt **st,
		   struct mlsd_err *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return sql_fail(s, e, "prepare");
	return 0;
}

/* Step a statement that returns no row (or ignores it), then finalize. */
static int step_done(struct mlsd_store *s, sqlite3_stmt *st, const char *what,
		     struct mlsd_err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sql_fail(s, e, what);
	return 0;
}

/*
 * Step a one-row query: 1 with the row there, 0 without (finalized),
 * < 0 on error (finalized).
 */
static int step_row(struct mlsd_store *s, sqlite3_stmt *st, const char *what,
		    struct mlsd_err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_fail(s, e, what);
}

/* A BLOB column (its pointer read before its length, as SQLite asks). */
static const uint8_t *col_blob(sqlite3_stmt *st, int i, size_t *len)
{
	const uint8_t *p = sqlite3_column_blob(st, i);

	*len = p ? (size_t)sqlite3_column_bytes(st, i) : 0;
	return p;
}

/* Writers take the lock at once, so no call fails half way on BUSY. */
static int begin(struct mlsd_store *s, struct mlsd_err *e)
{
	return exec(s, "BEGIN IMMEDIATE", "begin", e);
}

/* Commit when rc is 0, else roll back; rc, or the commit's error. */
static int end(struct mlsd_store *s, int rc, struct mlsd_err *e)
{
	if (rc == 0)
		return exec(s, "COMMIT", "commit", e);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* ---- sealing ---- */

/* Associated data: what a sealed value belongs to. */
struct aad {
	uint8_t b[64 + 1 + MLSD_STORE_ID_MAX + 4 * 8];
	size_t len;
};

static void aad_put(struct aad *a, const void *p, size_t len)
{
	if (len)
		memcpy(a->b + a->len, p, len);
	a->len += len;
}

static void aad_u64(struct aad *a, uint64_t v)
{
	uint8_t be[8];
	int i;

	for (i = 0; i < 8; i++)
		be[i] = (uint8_t)(v >> (56 - 8 * i));
	aad_put(a, be, sizeof(be));
}

/* label (with its NUL, so no label is a prefix of another), then id. */
static void aad_start(struct aad *a, const char *label, const uint8_t *id,
		      size_t id_len)
{
	uint8_t l = (uint8_t)id_len;

	a->len = 0;
	aad_put(a, label, strlen(label) + 1);
	aad_put(a, &l, 1);
	aad_put(a, id, id_len);
}

static void group_aad(const struct mlsd_store_group *g, struct aad *a)
{
	aad_start(a, "mlsd-store 1 group", g->id, g->id_len);
	aad_u64(a, g->generation);
	aad_u64(a, g->epoch);
	aad_u64(a, g->kernel_gid);
	aad_u64(a, g->relay_seq);
}

static void keypackage_aad(const uint8_t *ref, size_t len, int64_t created,
			   struct aad *a)
{
	aad_start(a, "mlsd-store 1 keypackage", ref, len);
	aad_u64(a, (uint64_t)created);
}

/* nonce || ciphertext || tag, malloc'ed into *out. */
static int seal(const struct mlsd_store *s, const struct aad *a,
		const uint8_t *pt, size_t len, uint8_t **out, size_t *out_len,
		struct mlsd_err *e)
{
	uint8_t *c = malloc(NONCE_LEN + len + TAG_LEN);

	if (!c)
		return fail(s, e, -ENOMEM, "out of memory sealing %zu bytes",
			    len);
	randombytes_buf(c, NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(c + NONCE_LEN, NULL, pt,
						   len, a->b, a->len, NULL, c,
						   s->key);
	*out = c;
	*out_len = NONCE_LEN + len + TAG_LEN;
	return 0;
}

/* The plaintext of a sealed value (malloc'ed), or -EBADMSG. */
static int unseal(const struct mlsd_store *s, const struct aad *a,
		  const uint8_t *c, size_t len, uint8_t **out, size_t *out_len,
		  const char *what, struct mlsd_err *e)
{
	uint8_t *p;

	if (len < NONCE_LEN + TAG_LEN)
		return fail(s, e, -EBADMSG, "%s: sealed value too short", what);
	p = malloc(len - NONCE_LEN - TAG_LEN + 1);
	if (!p)
		return fail(s, e, -ENOMEM, "out of memory opening %s", what);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(p, NULL, NULL,
						       c + NONCE_LEN,
						       len - NONCE_LEN, a->b,
						       a->len, c, s->key)) {
		free(p);
		return fail(s, e, -EBADMSG,
			    "%s: sealed value does not open (tampered with, moved from another row, or another key)",
			    what);
	}
	*out = p;
	*out_len = len - NONCE_LEN - TAG_LEN;
	return 0;
}

void mlsd_store_blob_free(uint8_t *blob, size_t len)
{
	if (!blob)
		return;
	sodium_memzero(blob, len);
	free(blob);
}

int mlsd_store_key_from(const uint8_t *host_priv, size_t len,
			const char *label, uint8_t key[MLSD_STORE_KEY_LEN])
{
	static const uint8_t salt[] = "mlsdco store key";
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);

	if (mbedtls_hkdf(md, salt, sizeof(salt) - 1, host_priv, len,
			 (const uint8_t *)label, strlen(label), key,
			 MLSD_STORE_KEY_LEN))
		return -1;
	return 0;
}

/* ---- opening ---- */

/* A sealed empty value: an existing store opened with another key fails. */
static const char KEY_CHECK_LABEL[] = "mlsd-store 1 key check";

static int key_check_seal(struct mlsd_store *s, struct mlsd_err *e)
{
	sqlite3_stmt *st;
	struct aad a;
	uint8_t *c;
	size_t clen;
	int rc;

	aad_start(&a, KEY_CHECK_LABEL, NULL, 0);
	rc = seal(s, &a, (const uint8_t *)"", 0, &c, &clen, e);
	if (rc)
		return rc;
	rc = prepare(s, "INSERT INTO meta VALUES('key_check', ?)", &st, e);
	if (rc == 0) {
		sqlite3_bind_blob(st, 1, c, (int)clen, SQLITE_TRANSIENT);
		rc = step_done(s, st, "write key check", e);
	}
	free(c);
	return rc;
}

static int key_check_open(struct mlsd_store *s, struct mlsd_err *e)
{
	const uint8_t *c;
	size_t clen;
	sqlite3_stmt *st;
	struct aad a;
	uint8_t *p;
	size_t plen;
	int rc;

	rc = prepare(s, "SELECT value FROM meta WHERE key = 'key_check'", &st,
		     e);
	if (rc == 0)
		rc = step_row(s, st, "read key check", e);
	if (rc <= 0)
		return rc ? rc : fail(s, e, -ENOTSUP, "no key check in meta");
	aad_start(&a, KEY_CHECK_LABEL, NULL, 0);
	c = col_blob(st, 0, &clen);
	rc = unseal(s, &a, c, clen, &p, &plen, "key check", e);
	sqlite3_finalize(st);
	if (rc == -EBADMSG)
		return fail(s, e, rc,
			    "sealed under another key (not this host's store, or its key file changed)");
	if (rc == 0)
		free(p);
	return rc;
}

static int create_schema(struct mlsd_store *s, struct mlsd_err *e)
{
	char sql[128];
	int rc = exec(s, SCHEMA_SQL, "create schema", e);

	if (rc)
		return rc;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO meta VALUES('schema_version', %d)",
		 MLSD_STORE_SCHEMA);
	rc = exec(s, sql, "write schema version", e);
	return rc ? rc : key_check_seal(s, e);
}

/* The schema version row: 0 when the file has no tables at all. */
static int schema_version(struct mlsd_store *s, sqlite3_int64 *v,
			  struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc, tables, meta;

	rc = prepare(s, "SELECT (SELECT count(*) FROM sqlite_master),"
		     " (SELECT count(*) FROM sqlite_master WHERE name = 'meta')",
		     &st, e);
	if (rc == 0)
		rc = step_row(s, st, "read schema", e);
	if (rc <= 0)
		return rc ? rc : -EIO;
	*v = 0;
	tables = sqlite3_column_int(st, 0);
	meta = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	if (tables == 0)
		return 0;
	if (!meta)
		return fail(s, e, -ENOTSUP,
			    "an SQLite database but not an mlsd store (no meta table)");
	rc = prepare(s, "SELECT value FROM meta WHERE key = 'schema_version'"
		     " AND typeof(value) = 'integer'", &st, e);
	if (rc == 0)
		rc = step_row(s, st, "read schema version", e);
	if (rc <= 0)
		return rc ? rc : fail(s, e, -ENOTSUP, "no schema version in meta");
	*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Run a pragma whose one-row answer must be want; else why: answer. */
static int pragma_expect(struct mlsd_store *s, const char *sql,
			 const char *want, const char *why, struct mlsd_err *e)
{
	sqlite3_stmt *st;
	const char *got;
	int rc;

	rc = prepare(s, sql, &st, e);
	if (rc == 0)
		rc = step_row(s, st, sql, e);
	if (rc <= 0)
		return rc ? rc : fail(s, e, -EIO, "%s: no answer", sql);
	got = (const char *)sqlite3_column_text(st, 0);
	rc = 0;
	if (!got || strcmp(got, want))
		rc = fail(s, e, -EIO, "%s: %s", why, got ? got : "(null)");
	sqlite3_finalize(st);
	return rc;
}

/*
 * A damaged file is named at open, not half way through the first save.
 * The store is a few pages per group, so checking it all costs little.
 */
static int quick_check(struct mlsd_store *s, struct mlsd_err *e)
{
	return pragma_expect(s, "PRAGMA quick_check(1)", "ok",
			     "damaged: SQLite's check says", e);
}

static int check_or_create(struct mlsd_store *s, struct mlsd_err *e)
{
	sqlite3_int64 v;
	int rc = begin(s, e);

	if (rc == 0)
		rc = schema_version(s, &v, e);
	if (rc == 0 && v == 0)
		rc = create_schema(s, e);
	else if (rc == 0 && v > MLSD_STORE_SCHEMA)
		rc = fail(s, e, -EPROTONOSUPPORT,
			  "schema version %lld is newer than this mlsd knows (%d): run a newer mlsd",
			  (long long)v, MLSD_STORE_SCHEMA);
	else if (rc == 0 && v < 1)
		rc = fail(s, e, -ENOTSUP, "bad schema version %lld",
			  (long long)v);
	else if (rc == 0)
		rc = key_check_open(s, e);
	if (rc == 0)
		rc = quick_check(s, e);
	return end(s, rc, e);
}

/* WAL (readers never block the writer), fsync on every commit. */
static int set_pragmas(struct mlsd_store *s, struct mlsd_err *e)
{
	int rc;

	sqlite3_busy_timeout(s->db, BUSY_MS);
	rc = exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL",
		  "set pragmas", e);
	return rc ? rc : pragma_expect(s, "PRAGMA journal_mode = WAL", "wal",
				       "cannot switch to WAL mode, got", e);
}

int mlsd_store_open(const char *path, const uint8_t key[MLSD_STORE_KEY_LEN],
		    struct mlsd_store **out, struct mlsd_err *e)
{
	struct mlsd_store *s;
	int fd, rc;

	*out = NULL;
	if (sodium_init() < 0)
		return mlsd_errf(e, "%s: libsodium does not initialize", path),
		       -EIO;
	s = calloc(1, sizeof(*s));
	if (!s)
		return mlsd_errf(e, "%s: out of memory", path), -ENOMEM;
	snprintf(s->path, sizeof(s->path), "%s", path);
	memcpy(s->key, key, MLSD_STORE_KEY_LEN);
	/* SQLite would create it with the umask's mode; the -wal follows. */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = fail(s, e, -errno, "%s", strerror(errno));
		mlsd_store_close(s);
		return rc;
	}
	close(fd);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL))
		rc = sql_fail(s, e, "open");
	else
		rc = set_pragmas(s, e);
	if (rc == 0)
		rc = check_or_create(s, e);
	if (rc) {
		mlsd_store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void mlsd_store_close(struct mlsd_store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	sodium_memzero(s->key, sizeof(s->key));
	free(s);
}

/* ---- groups ---- */

static int check_id(const struct mlsd_store *s, size_t len, const char *what,
		    struct mlsd_err *e)
{
	if (len == 0 || len > MLSD_STORE_ID_MAX)
		return fail(s, e, -EINVAL, "%s of %zu bytes (1 to %d)", what,
			    len, MLSD_STORE_ID_MAX);
	return 0;
}

/* An INTEGER column that must hold a uint64 (stored as its int64 bits). */
static uint64_t col_u64(sqlite3_stmt *st, int i)
{
	return (uint64_t)sqlite3_column_int64(st, i);
}

/* -EEXIST when kernel_gid belongs to a group other than gid. */
static int kernel_gid_free(struct mlsd_store *s, const uint8_t *gid,
			   size_t gid_len, uint32_t kernel_gid,
			   struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = prepare(s, "SELECT 1 FROM mls_group WHERE kernel_group_id = ?"
		     " AND mls_group_id <> ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, kernel_gid);
	sqlite3_bind_blob(st, 2, gid, (int)gid_len, SQLITE_STATIC);
	rc = step_row(s, st, "look up kernel group id", e);
	if (rc <= 0)
		return rc;
	sqlite3_finalize(st);
	return fail(s, e, -EEXIST, "kernel group id %u belongs to another group",
		    kernel_gid);
}

/* The group's highest generation ever saved, 0 if none. */
static int generation_of(struct mlsd_store *s, const uint8_t *gid,
			 size_t gid_len, uint64_t *gen, struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = prepare(s, "SELECT generation FROM group_generation"
		     " WHERE mls_group_id = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, gid, (int)gid_len, SQLITE_STATIC);
	rc = step_row(s, st, "read generation", e);
	*gen = 0;
	if (rc <= 0)
		return rc;
	*gen = col_u64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int write_group(struct mlsd_store *s, const struct mlsd_store_group *g,
		       const uint8_t *sealed, size_t sealed_len,
		       struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = prepare(s, "INSERT INTO group_generation VALUES(?1, ?2)"
		     " ON CONFLICT(mls_group_id) DO UPDATE"
		     " SET generation = excluded.generation", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, g->id, (int)g->id_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)g->generation);
	rc = step_done(s, st, "write generation", e);
	if (rc == 0)
		rc = prepare(s, "INSERT OR REPLACE INTO mls_group(mls_group_id,"
			     " kernel_group_id, epoch, generation, relay_seq,"
			     " state) VALUES(?, ?, ?, ?, ?, ?)", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, g->id, (int)g->id_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, g->kernel_gid);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)g->epoch);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)g->generation);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)g->relay_seq);
	sqlite3_bind_blob(st, 6, sealed, (int)sealed_len, SQLITE_STATIC);
	return step_done(s, st, "write group", e);
}

static int save_in_tx(struct mlsd_store *s, struct mlsd_store_group *g,
		      const uint8_t *blob, size_t blob_len, struct mlsd_err *e)
{
	uint8_t *sealed;
	size_t sealed_len;
	struct aad a;
	int rc;

	rc = kernel_gid_free(s, g->id, g->id_len, g->kernel_gid, e);
	if (rc == 0)
		rc = generation_of(s, g->id, g->id_len, &g->generation, e);
	if (rc)
		return rc;
	g->generation++;
	group_aad(g, &a);
	rc = seal(s, &a, blob, blob_len, &sealed, &sealed_len, e);
	if (rc)
		return rc;
	rc = write_group(s, g, sealed, sealed_len, e);
	free(sealed);
	return rc;
}

int mlsd_store_save_group(struct mlsd_store *s, const uint8_t *gid,
			  size_t gid_len, uint32_t kernel_gid, uint64_t epoch,
			  const uint8_t *blob, size_t blob_len,
			  uint64_t relay_seq, struct mlsd_err *e)
{
	struct mlsd_store_group g = {
		.id_len = gid_len, .kernel_gid = kernel_gid, .epoch = epoch,
		.relay_seq = relay_seq,
	};
	int rc = check_id(s, gid_len, "group id", e);

	if (rc)
		return rc;
	if (blob_len > INT_MAX - NONCE_LEN - TAG_LEN)
		return fail(s, e, -EINVAL, "group blob of %zu bytes too long",
			    blob_len);
	memcpy(g.id, gid, gid_len);
	rc = begin(s, e);
	if (rc == 0)
		rc = end(s, save_in_tx(s, &g, blob, blob_len, e), e);
	return rc;
}

/* Columns 0..3 of a group query: kernel gid, epoch, generation, relay. */
static void group_from_row(sqlite3_stmt *st, const uint8_t *gid,
			   size_t gid_len, struct mlsd_store_group *g)
{
	memset(g, 0, sizeof(*g));
	memcpy(g->id, gid, gid_len);
	g->id_len = gid_len;
	g->kernel_gid = (uint32_t)sqlite3_column_int64(st, 0);
	g->epoch = col_u64(st, 1);
	g->generation = col_u64(st, 2);
	g->relay_seq = col_u64(st, 3);
}

/* The row's generation against the highest one saved (column 5). */
static int check_generation(struct mlsd_store *s, sqlite3_stmt *st,
			    const struct mlsd_store_group *g,
			    struct mlsd_err *e)
{
	uint64_t newest = col_u64(st, 5);

	if (g->generation < newest)
		return fail(s, e, -ESTALE,
			    "group row of generation %llu is older than the newest saved (%llu): refusing a rolled-back group",
			    (unsigned long long)g->generation,
			    (unsigned long long)newest);
	if (g->generation > newest)
		return fail(s, e, -EBADMSG,
			    "group row of generation %llu is ahead of the newest saved (%llu): the store was tampered with",
			    (unsigned long long)g->generation,
			    (unsigned long long)newest);
	return 0;
}

static int load_row(struct mlsd_store *s, sqlite3_stmt *st,
		    struct mlsd_store_group *g, uint8_t **blob,
		    size_t *blob_len, struct mlsd_err *e)
{
	const uint8_t *c;
	size_t clen;
	struct aad a;
	int rc = check_generation(s, st, g, e);

	if (rc)
		return rc;
	group_aad(g, &a);
	c = col_blob(st, 4, &clen);
	return unseal(s, &a, c, clen, blob, blob_len, "group", e);
}

int mlsd_store_load_group(struct mlsd_store *s, const uint8_t *gid,
			  size_t gid_len, struct mlsd_store_group *g,
			  uint8_t **blob, size_t *blob_len, struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	*blob = NULL;
	*blob_len = 0;
	rc = check_id(s, gid_len, "group id", e);
	if (rc == 0)
		rc = prepare(s, "SELECT g.kernel_group_id, g.epoch,"
			     " g.generation, g.relay_seq, g.state, m.generation"
			     " FROM mls_group g JOIN group_generation m"
			     " USING(mls_group_id) WHERE mls_group_id = ?", &st,
			     e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, gid, (int)gid_len, SQLITE_STATIC);
	rc = step_row(s, st, "read group", e);
	if (rc <= 0)
		return rc ? rc : fail(s, e, -ENOENT, "no such group");
	group_from_row(st, gid, gid_len, g);
	rc = load_row(s, st, g, blob, blob_len, e);
	sqlite3_finalize(st);
	if (rc)
		memset(g, 0, sizeof(*g));
	return rc;
}

/*
 * Room in *arr (entries of elem bytes) for one more than n, the row's id
 * checked first: 0, -EBADMSG for a bad id, -ENOMEM.
 */
static int list_room(const uint8_t *id, size_t len, void **arr, size_t *cap,
		     size_t n, size_t elem)
{
	void *p;

	if (!id || len > MLSD_STORE_ID_MAX)
		return -EBADMSG;
	if (n < *cap)
		return 0;
	*cap = *cap ? 2 * *cap : 8;
	p = realloc(*arr, *cap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

/* A list's loop ended on rc (an errno from list_room, or SQLite's). */
static int list_fail(struct mlsd_store *s, int rc, const char *what,
		     struct mlsd_err *e)
{
	if (rc == -EBADMSG)
		return fail(s, e, rc,
			    "a %s row with an empty or too long id (the store was tampered with)",
			    what);
	if (rc == -ENOMEM)
		return fail(s, e, rc, "out of memory listing %s rows", what);
	return sql_fail(s, e, "list");
}

int mlsd_store_list_groups(struct mlsd_store *s, struct mlsd_store_group **out,
			   size_t *n, struct mlsd_err *e)
{
	const uint8_t *id;
	struct mlsd_store_group *arr = NULL;
	size_t cap = 0, len;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	rc = prepare(s, "SELECT kernel_group_id, epoch, generation, relay_seq,"
		     " mls_group_id FROM mls_group ORDER BY mls_group_id", &st,
		     e);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = col_blob(st, 4, &len);
		rc = list_room(id, len, (void **)&arr, &cap, *n, sizeof(*arr));
		if (rc)
			break;
		group_from_row(st, id, len, &arr[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(arr);
		*n = 0;
		return list_fail(s, rc, "group", e);
	}
	*out = arr;
	return 0;
}

int mlsd_store_delete_group(struct mlsd_store *s, const uint8_t *gid,
			    size_t gid_len, struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = check_id(s, gid_len, "group id", e);
	if (rc == 0)
		rc = prepare(s, "DELETE FROM mls_group WHERE mls_group_id = ?",
			     &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, gid, (int)gid_len, SQLITE_STATIC);
	rc = step_done(s, st, "delete group", e);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = fail(s, e, -ENOENT, "no such group");
	return rc;
}

/* ---- kernel installs ---- */

/* One integer of the row for gid: 1 found, 0 not, < 0 error. */
static int select_u64(struct mlsd_store *s, const char *sql,
		      const uint8_t *gid, size_t gid_len, uint64_t *v,
		      struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = prepare(s, sql, &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, gid, (int)gid_len, SQLITE_STATIC);
	rc = step_row(s, st, "read", e);
	if (rc <= 0)
		return rc;
	*v = col_u64(st, 0);
	sqlite3_finalize(st);
	return 1;
}

static const char INSTALLED_SQL[] =
	"SELECT epoch FROM kernel_install WHERE mls_group_id = ?";

static int record_in_tx(struct mlsd_store *s, const uint8_t *gid,
			size_t gid_len, uint64_t epoch, struct mlsd_err *e)
{
	uint64_t saved, max;
	sqlite3_stmt *st;
	int rc;

	rc = select_u64(s, "SELECT epoch FROM mls_group WHERE mls_group_id = ?",
			gid, gid_len, &saved, e);
	if (rc <= 0)
		return rc ? rc : fail(s, e, -ENOENT, "no such group");
	if (epoch > saved)
		return fail(s, e, -ERANGE,
			    "epoch %llu is not saved (the saved one is %llu): save it before installing it",
			    (unsigned long long)epoch,
			    (unsigned long long)saved);
	rc = select_u64(s, INSTALLED_SQL, gid, gid_len, &max, e);
	if (rc < 0)
		return rc;
	if (rc == 1 && epoch <= max)
		return fail(s, e, -EALREADY,
			    "epoch %llu is at or below the highest one given to the kernel (%llu): never install it again",
			    (unsigned long long)epoch, (unsigned long long)max);
	rc = prepare(s, "INSERT OR REPLACE INTO kernel_install VALUES(?, ?)",
		     &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, gid, (int)gid_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)epoch);
	return step_done(s, st, "record install", e);
}

int mlsd_store_record_install(struct mlsd_store *s, const uint8_t *gid,
			      size_t gid_len, uint64_t epoch,
			      struct mlsd_err *e)
{
	int rc = check_id(s, gid_len, "group id", e);

	if (rc == 0)
		rc = begin(s, e);
	if (rc == 0)
		rc = end(s, record_in_tx(s, gid, gid_len, epoch, e), e);
	return rc;
}

int mlsd_store_installed_max(struct mlsd_store *s, const uint8_t *gid,
			     size_t gid_len, uint64_t *epoch, bool *any,
			     struct mlsd_err *e)
{
	int rc = check_id(s, gid_len, "group id", e);

	*epoch = 0;
	*any = false;
	if (rc == 0)
		rc = select_u64(s, INSTALLED_SQL, gid, gid_len, epoch, e);
	if (rc < 0)
		return rc;
	*any = rc == 1;
	return 0;
}

/* ---- KeyPackage secrets ---- */

static int insert_keypackage(struct mlsd_store *s, const uint8_t *ref,
			     size_t ref_len, const uint8_t *sealed,
			     size_t sealed_len, int64_t created,
			     struct mlsd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = prepare(s, "INSERT INTO keypackage_secret VALUES(?, ?, ?)", &st,
		     e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, ref, (int)ref_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, sealed, (int)sealed_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, created);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return fail(s, e, -EEXIST, "KeyPackage ref already stored");
	return rc == SQLITE_DONE ? 0 : sql_fail(s, e, "put KeyPackage");
}

int mlsd_store_put_keypackage(struct mlsd_store *s, const uint8_t *ref,
			      size_t ref_len, const uint8_t *secret,
			      size_t secret_len, struct mlsd_err *e)
{
	int64_t created = (int64_t)time(NULL);
	uint8_t *sealed;
	size_t sealed_len;
	struct aad a;
	int rc;

	rc = check_id(s, ref_len, "KeyPackage ref", e);
	if (rc == 0 && secret_len > INT_MAX - NONCE_LEN - TAG_LEN)
		rc = fail(s, e, -EINVAL, "KeyPackage secret too long");
	if (rc)
		return rc;
	keypackage_aad(ref, ref_len, created, &a);
	rc = seal(s, &a, secret, secret_len, &sealed, &sealed_len, e);
	if (rc)
		return rc;
	rc = insert_keypackage(s, ref, ref_len, sealed, sealed_len, created, e);
	free(sealed);
	return rc;
}

static int take_in_tx(struct mlsd_store *s, const uint8_t *ref,
		      size_t ref_len, uint8_t **secret, size_t *secret_len,
		      struct mlsd_err *e)
{
	const uint8_t *c;
	size_t clen;
	sqlite3_stmt *st;
	struct aad a;
	int rc;

	rc = prepare(s, "SELECT sealed, created FROM keypackage_secret"
		     " WHERE ref = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, ref, (int)ref_len, SQLITE_STATIC);
	rc = step_row(s, st, "read KeyPackage", e);
	if (rc <= 0)
		return rc ? rc : fail(s, e, -ENOENT, "no such KeyPackage ref");
	keypackage_aad(ref, ref_len, sqlite3_column_int64(st, 1), &a);
	c = col_blob(st, 0, &clen);
	rc = unseal(s, &a, c, clen, secret, secret_len, "KeyPackage", e);
	sqlite3_finalize(st);
	if (rc == 0)
		rc = prepare(s, "DELETE FROM keypackage_secret WHERE ref = ?",
			     &st, e);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, ref, (int)ref_len, SQLITE_STATIC);
	return step_done(s, st, "delete KeyPackage", e);
}

int mlsd_store_take_keypackage(struct mlsd_store *s, const uint8_t *ref,
			       size_t ref_len, uint8_t **secret,
			       size_t *secret_len, struct mlsd_err *e)
{
	int rc = check_id(s, ref_len, "KeyPackage ref", e);

	*secret = NULL;
	*secret_len = 0;
	if (rc == 0)
		rc = begin(s, e);
	if (rc)
		return rc;
	rc = end(s, take_in_tx(s, ref, ref_len, secret, secret_len, e), e);
	if (rc) {
		mlsd_store_blob_free(*secret, *secret_len);
		*secret = NULL;
		*secret_len = 0;
	}
	return rc;
}

int mlsd_store_list_keypackages(struct mlsd_store *s,
				struct mlsd_store_keypackage **out, size_t *n,
				struct mlsd_err *e)
{
	const uint8_t *ref;
	struct mlsd_store_keypackage *arr = NULL;
	size_t cap = 0, len;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	rc = prepare(s, "SELECT ref, created FROM keypackage_secret"
		     " ORDER BY created, ref", &st, e);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ref = col_blob(st, 0, &len);
		rc = list_room(ref, len, (void **)&arr, &cap, *n, sizeof(*arr));
		if (rc)
			break;
		memcpy(arr[*n].ref, ref, len);
		arr[*n].ref_len = len;
		arr[(*n)++].created = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(arr);
		*n = 0;
		return list_fail(s, rc, "KeyPackage", e);
	}
	*out = arr;
	return 0;
}
