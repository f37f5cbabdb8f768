// SPDX-License-Identifier: MIT
/*
 * mlsd's store on real SQLite files: what is saved comes back, also after
 * reopening; the kernel-install guard refuses an epoch at or below the
 * recorded one; a sealed row that was tampered with, moved to another
 * group, rolled back or opened with another key is refused; a newer schema
 * and a damaged file get a clear error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../store.h"
#include "tmpdir.h"

static const uint8_t KEY[MLSD_STORE_KEY_LEN] = { 1, 2, 3, 4, 5 };
static const uint8_t GA[] = { 'g', 'r', 'o', 'u', 'p', '-', 'a' };
static const uint8_t GB[] = { 'g', 'r', 'o', 'u', 'p', '-', 'b' };
static const uint8_t BLOB1[] = "saved group at epoch 5";
static const uint8_t BLOB2[] = "saved group at epoch 6, longer";

static char path[256];

/* A fresh store file per test. */
static const char *fresh(const char *name)
{
	char side[300];

	snprintf(path, sizeof(path), "%s/%s", tmpdir(), name);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return path;
}

static struct mlsd_store *open_ok(void)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;

	if (mlsd_store_open(path, KEY, &s, &e))
		fail_msg("open %s: %s", path, e.msg);
	return s;
}

static void save_ok(struct mlsd_store *s, const uint8_t *gid, size_t len,
		    uint32_t kgid, uint64_t epoch, const uint8_t *blob,
		    size_t blen, uint64_t relay)
{
	struct mlsd_err e = { "" };

	if (mlsd_store_save_group(s, gid, len, kgid, epoch, blob, blen, relay,
				  &e))
		fail_msg("save: %s", e.msg);
}

/* Load gid and check its row and blob. */
static void expect_group(struct mlsd_store *s, const uint8_t *gid, size_t len,
			 uint32_t kgid, uint64_t epoch, uint64_t gen,
			 const uint8_t *blob, size_t blen)
{
	struct mlsd_store_group g;
	struct mlsd_err e = { "" };
	uint8_t *b;
	size_t bl;

	if (mlsd_store_load_group(s, gid, len, &g, &b, &bl, &e))
		fail_msg("load: %s", e.msg);
	assert_int_equal(g.kernel_gid, kgid);
	assert_int_equal(g.epoch, epoch);
	assert_int_equal(g.generation, gen);
	assert_memory_equal(g.id, gid, len);
	assert_int_equal(bl, blen);
	assert_memory_equal(b, blob, blen);
	mlsd_store_blob_free(b, bl);
}

/* Load must fail with code and a message holding want. */
static void expect_refused(struct mlsd_store *s, const uint8_t *gid,
			   size_t len, int code, const char *want)
{
	struct mlsd_store_group g;
	struct mlsd_err e = { "" };
	uint8_t *b = (uint8_t *)1;
	size_t bl = 1;

	assert_int_equal(mlsd_store_load_group(s, gid, len, &g, &b, &bl, &e),
			 code);
	assert_null(b);
	assert_int_equal(bl, 0);
	if (!strstr(e.msg, want))
		fail_msg("error \"%s\" lacks \"%s\"", e.msg, want);
	assert_int_equal(strncmp(e.msg, path, strlen(path)), 0);
}

/* Run sql on the store file directly, as someone with the file would. */
static void raw_sql(const char *sql, const void *blob, int blen)
{
	sqlite3_stmt *st;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (blob)
		sqlite3_bind_blob(st, 1, blob, blen, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The state column of the group row, read directly. */
static int raw_state(const uint8_t *gid, size_t len, uint8_t *out, int cap)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	int n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT state FROM mls_group WHERE mls_group_id = ?", -1, &st,
		NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, gid, (int)len, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_bytes(st, 0);
	assert_true(n <= cap);
	memcpy(out, sqlite3_column_blob(st, 0), (size_t)n);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_round_trip_and_reopen(void **state)
{
	struct mlsd_store_group *list;
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	uint64_t max;
	size_t n;
	bool any;

	fresh("rt.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 40);
	save_ok(s, GB, sizeof(GB), 8, 1, BLOB1, sizeof(BLOB1), 0);
	save_ok(s, GA, sizeof(GA), 7, 6, BLOB2, sizeof(BLOB2), 41);
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 6, &e), 0);
	expect_group(s, GA, sizeof(GA), 7, 6, 2, BLOB2, sizeof(BLOB2));
	mlsd_store_close(s);

	s = open_ok();
	expect_group(s, GA, sizeof(GA), 7, 6, 2, BLOB2, sizeof(BLOB2));
	expect_group(s, GB, sizeof(GB), 8, 1, 1, BLOB1, sizeof(BLOB1));
	assert_int_equal(mlsd_store_installed_max(s, GA, sizeof(GA), &max,
						  &any, &e), 0);
	assert_true(any);
	assert_int_equal(max, 6);
	assert_int_equal(mlsd_store_installed_max(s, GB, sizeof(GB), &max,
						  &any, &e), 0);
	assert_false(any);
	assert_int_equal(mlsd_store_list_groups(s, &list, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(list[0].id, GA, sizeof(GA));
	assert_int_equal(list[0].relay_seq, 41);
	assert_int_equal(list[0].generation, 2);
	assert_memory_equal(list[1].id, GB, sizeof(GB));
	assert_int_equal(list[1].kernel_gid, 8);
	free(list);

	assert_int_equal(mlsd_store_delete_group(s, GB, sizeof(GB), &e), 0);
	expect_refused(s, GB, sizeof(GB), -ENOENT, "no such group");
	assert_int_equal(mlsd_store_delete_group(s, GB, sizeof(GB), &e),
			 -ENOENT);
	mlsd_store_close(s);
	s = open_ok();
	assert_int_equal(mlsd_store_list_groups(s, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	free(list);
	/* a re-saved group continues from its old generation */
	save_ok(s, GB, sizeof(GB), 8, 9, BLOB2, sizeof(BLOB2), 0);
	expect_group(s, GB, sizeof(GB), 8, 9, 2, BLOB2, sizeof(BLOB2));
	mlsd_store_close(s);
}

static void test_kernel_gid_is_one_groups(void **state)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;

	fresh("kgid.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	assert_int_equal(mlsd_store_save_group(s, GB, sizeof(GB), 7, 1, BLOB1,
					       sizeof(BLOB1), 0, &e), -EEXIST);
	assert_string_equal(strstr(e.msg, ": ") + 2,
			    "kernel group id 7 belongs to another group");
	expect_refused(s, GB, sizeof(GB), -ENOENT, "no such group");
	mlsd_store_close(s);
}

static void test_bad_ids_refused(void **state)
{
	static uint8_t long_id[MLSD_STORE_ID_MAX + 1];
	struct mlsd_store_group *list;
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	size_t n;

	fresh("ids.db");
	s = open_ok();
	assert_int_equal(mlsd_store_save_group(s, GA, 0, 7, 5, BLOB1,
					       sizeof(BLOB1), 0, &e), -EINVAL);
	assert_string_equal(strstr(e.msg, ": ") + 2,
			    "group id of 0 bytes (1 to 255)");
	assert_int_equal(mlsd_store_save_group(s, long_id, sizeof(long_id), 7,
					       5, BLOB1, sizeof(BLOB1), 0, &e),
			 -EINVAL);
	assert_string_equal(strstr(e.msg, ": ") + 2,
			    "group id of 256 bytes (1 to 255)");
	assert_int_equal(mlsd_store_put_keypackage(s, long_id, 0, BLOB1, 3,
						   &e), -EINVAL);
	assert_string_equal(strstr(e.msg, ": ") + 2,
			    "KeyPackage ref of 0 bytes (1 to 255)");
	assert_int_equal(mlsd_store_list_groups(s, &list, &n, &e), 0);
	assert_int_equal(n, 0);
	free(list);
	/* an empty id written into the file: listing says so */
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	mlsd_store_close(s);
	raw_sql("UPDATE mls_group SET mls_group_id = X''",
		NULL, 0);
	s = open_ok();
	list = (struct mlsd_store_group *)1;
	assert_int_equal(mlsd_store_list_groups(s, &list, &n, &e), -EBADMSG);
	assert_null(list);
	assert_string_equal(strstr(e.msg, ": ") + 2,
			    "a group row with an empty or too long id (the store was tampered with)");
	mlsd_store_close(s);
}

static void test_install_guard(void **state)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	uint64_t max;
	bool any;

	fresh("install.db");
	s = open_ok();
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 1, &e),
			 -ENOENT);
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 6, &e),
			 -ERANGE);
	assert_non_null(strstr(e.msg, "epoch 6 is not saved (the saved one is 5)"));
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 5, &e), 0);
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 5, &e),
			 -EALREADY);
	assert_non_null(strstr(e.msg,
		"epoch 5 is at or below the highest one given to the kernel (5)"));
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 4, &e),
			 -EALREADY);
	mlsd_store_close(s);

	s = open_ok();
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 5, &e),
			 -EALREADY);
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 2, &e),
			 -EALREADY);
	/* deleting the group does not forget what the kernel was given */
	assert_int_equal(mlsd_store_delete_group(s, GA, sizeof(GA), &e), 0);
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 5, &e),
			 -EALREADY);
	save_ok(s, GA, sizeof(GA), 7, 6, BLOB2, sizeof(BLOB2), 0);
	assert_int_equal(mlsd_store_record_install(s, GA, sizeof(GA), 6, &e), 0);
	assert_int_equal(mlsd_store_installed_max(s, GA, sizeof(GA), &max,
						  &any, &e), 0);
	assert_int_equal(max, 6);
	mlsd_store_close(s);
}

static void test_tampered_blob_refused(void **state)
{
	uint8_t sealed[256];
	struct mlsd_store *s;
	int n;

	fresh("tamper.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	mlsd_store_close(s);
	n = raw_state(GA, sizeof(GA), sealed, sizeof(sealed));
	sealed[n / 2] ^= 0x01;
	raw_sql("UPDATE mls_group SET state = ?", sealed, n);
	s = open_ok();
	expect_refused(s, GA, sizeof(GA), -EBADMSG, "does not open");
	mlsd_store_close(s);
}

static void test_column_tampered_refused(void **state)
{
	struct mlsd_store *s;

	fresh("column.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 40);
	mlsd_store_close(s);
	raw_sql("UPDATE mls_group SET relay_seq = 39", NULL, 0);
	s = open_ok();
	expect_refused(s, GA, sizeof(GA), -EBADMSG, "does not open");
	mlsd_store_close(s);
	raw_sql("UPDATE mls_group SET relay_seq = 40, epoch = 4", NULL, 0);
	s = open_ok();
	expect_refused(s, GA, sizeof(GA), -EBADMSG, "does not open");
	mlsd_store_close(s);
	raw_sql("UPDATE mls_group SET epoch = 5", NULL, 0);
	s = open_ok();
	expect_group(s, GA, sizeof(GA), 7, 5, 1, BLOB1, sizeof(BLOB1));
	mlsd_store_close(s);
}

static void test_row_moved_refused(void **state)
{
	struct mlsd_err e = { "" };
	uint8_t sealed[256];
	struct mlsd_store *s;
	int n;

	fresh("moved.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	save_ok(s, GB, sizeof(GB), 8, 5, BLOB2, sizeof(BLOB2), 0);
	mlsd_store_close(s);
	/* A's sealed state into B's row: B's columns do not fit it */
	n = raw_state(GA, sizeof(GA), sealed, sizeof(sealed));
	raw_sql("UPDATE mls_group SET state = ?"
		" WHERE mls_group_id = CAST('group-b' AS BLOB)", sealed, n);
	s = open_ok();
	expect_refused(s, GB, sizeof(GB), -EBADMSG, "does not open");
	expect_group(s, GA, sizeof(GA), 7, 5, 1, BLOB1, sizeof(BLOB1));
	/* A's whole row, every column, under B's id (same generation) */
	assert_int_equal(mlsd_store_delete_group(s, GB, sizeof(GB), &e), 0);
	mlsd_store_close(s);
	raw_sql("UPDATE mls_group SET mls_group_id = CAST('group-b' AS BLOB)",
		NULL, 0);
	s = open_ok();
	expect_refused(s, GB, sizeof(GB), -EBADMSG, "does not open");
	expect_refused(s, GA, sizeof(GA), -ENOENT, "no such group");
	mlsd_store_close(s);
}

static void test_rollback_refused(void **state)
{
	uint8_t old[256], cur[256];
	struct mlsd_store *s;
	int n, m;

	fresh("rollback.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	mlsd_store_close(s);
	n = raw_state(GA, sizeof(GA), old, sizeof(old));
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 6, BLOB2, sizeof(BLOB2), 0);
	mlsd_store_close(s);
	m = raw_state(GA, sizeof(GA), cur, sizeof(cur));

	/* the whole old row back: generation below the newest saved */
	raw_sql("UPDATE mls_group SET state = ?, epoch = 5, generation = 1",
		old, n);
	s = open_ok();
	expect_refused(s, GA, sizeof(GA), -ESTALE,
		       "group row of generation 1 is older than the newest saved (2): refusing a rolled-back group");
	mlsd_store_close(s);
	/* only the old blob, the columns left at generation 2 */
	raw_sql("UPDATE mls_group SET state = ?, generation = 2", old, n);
	s = open_ok();
	expect_refused(s, GA, sizeof(GA), -EBADMSG, "does not open");
	mlsd_store_close(s);
	/* the newest row back: loads again */
	raw_sql("UPDATE mls_group SET state = ?, epoch = 6", cur, m);
	s = open_ok();
	expect_group(s, GA, sizeof(GA), 7, 6, 2, BLOB2, sizeof(BLOB2));
	mlsd_store_close(s);
}

static void test_wrong_key_refused(void **state)
{
	uint8_t other[MLSD_STORE_KEY_LEN] = { 9 };
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	char want[512];

	fresh("key.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	mlsd_store_close(s);
	s = (struct mlsd_store *)1;
	assert_int_equal(mlsd_store_open(path, other, &s, &e), -EBADMSG);
	assert_null(s);
	snprintf(want, sizeof(want),
		 "%s: sealed under another key (not this host's store, or its key file changed)",
		 path);
	assert_string_equal(e.msg, want);
	s = open_ok();
	expect_group(s, GA, sizeof(GA), 7, 5, 1, BLOB1, sizeof(BLOB1));
	mlsd_store_close(s);
}

static void test_key_from_host_key(void **state)
{
	static const uint8_t priv[32] = { 0x42 };
	uint8_t a[MLSD_STORE_KEY_LEN], b[MLSD_STORE_KEY_LEN];
	uint8_t c[MLSD_STORE_KEY_LEN], zero[MLSD_STORE_KEY_LEN] = { 0 };
	uint8_t other[32] = { 0x43 };

	assert_int_equal(mlsd_store_key_from(priv, sizeof(priv), "mlsd store",
					     a), 0);
	assert_int_equal(mlsd_store_key_from(priv, sizeof(priv), "mlsd store",
					     b), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, priv, sizeof(a));
	assert_int_equal(mlsd_store_key_from(priv, sizeof(priv), "other", c), 0);
	assert_memory_not_equal(a, c, sizeof(a));
	assert_int_equal(mlsd_store_key_from(other, sizeof(other),
					     "mlsd store", c), 0);
	assert_memory_not_equal(a, c, sizeof(a));
}

static void test_newer_schema_refused(void **state)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	char want[512];

	fresh("schema.db");
	s = open_ok();
	mlsd_store_close(s);
	raw_sql("UPDATE meta SET value = 2 WHERE key = 'schema_version'",
		NULL, 0);
	assert_int_equal(mlsd_store_open(path, KEY, &s, &e), -EPROTONOSUPPORT);
	snprintf(want, sizeof(want),
		 "%s: schema version 2 is newer than this mlsd knows (1): run a newer mlsd",
		 path);
	assert_string_equal(e.msg, want);
}

static void test_other_database_refused(void **state)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;

	fresh("other.db");
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL,
					      NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	assert_int_equal(mlsd_store_open(path, KEY, &s, &e), -ENOTSUP);
	assert_non_null(strstr(e.msg,
		"an SQLite database but not an mlsd store (no meta table)"));
}

/* Open must fail with -EIO naming the damage; no crash under ASan. */
static void expect_damaged(const char *what)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;

	assert_int_equal(mlsd_store_open(path, KEY, &s, &e), -EIO);
	assert_null(s);
	if (!strstr(e.msg, "damaged"))
		fail_msg("%s: error \"%s\"", what, e.msg);
	assert_int_equal(strncmp(e.msg, path, strlen(path)), 0);
}

static void test_garbage_and_truncated_file(void **state)
{
	char text[4096];
	struct mlsd_store *s;
	FILE *f;
	long len;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	fresh("garbage.db");
	tmpfile_write(path, sizeof(path), "garbage.db", text, 0600);
	expect_damaged("garbage");

	fresh("trunc.db");
	s = open_ok();
	save_ok(s, GA, sizeof(GA), 7, 5, BLOB1, sizeof(BLOB1), 0);
	mlsd_store_close(s);
	f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	fclose(f);
	assert_true(len > 4096);
	/* a table's page overwritten: open names it, not the first read */
	memset(text, 0, 16);
	f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, len - 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(text, 1, 16, f), 16);
	assert_int_equal(fclose(f), 0);
	expect_damaged("overwritten page");
	/* a page and a half: the header promises pages that are not there */
	assert_int_equal(truncate(path, len / 2 + 100), 0);
	expect_damaged("truncated");
	assert_int_equal(truncate(path, 50), 0);
	expect_damaged("truncated header");
}

static void test_keypackages(void **state)
{
	static const uint8_t r1[] = "ref-1", r2[] = "ref-2";
	static const uint8_t k1[] = "init and leaf key 1";
	struct mlsd_store_keypackage *list;
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	size_t n, sl;
	uint8_t *sec;

	fresh("kp.db");
	s = open_ok();
	assert_int_equal(mlsd_store_put_keypackage(s, r1, sizeof(r1), k1,
						   sizeof(k1), &e), 0);
	assert_int_equal(mlsd_store_put_keypackage(s, r2, sizeof(r2), k1, 3,
						   &e), 0);
	assert_int_equal(mlsd_store_put_keypackage(s, r1, sizeof(r1), k1, 3,
						   &e), -EEXIST);
	mlsd_store_close(s);
	s = open_ok();
	assert_int_equal(mlsd_store_list_keypackages(s, &list, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true(list[0].created > 0);
	free(list);
	assert_int_equal(mlsd_store_take_keypackage(s, r1, sizeof(r1), &sec,
						    &sl, &e), 0);
	assert_int_equal(sl, sizeof(k1));
	assert_memory_equal(sec, k1, sl);
	mlsd_store_blob_free(sec, sl);
	assert_int_equal(mlsd_store_take_keypackage(s, r1, sizeof(r1), &sec,
						    &sl, &e), -ENOENT);
	assert_null(sec);
	mlsd_store_close(s);

	/* r2's sealed secret under r1's ref: refused, and kept */
	raw_sql("UPDATE keypackage_secret SET ref = X'7265662d3100'",
		NULL, 0);
	s = open_ok();
	assert_int_equal(mlsd_store_take_keypackage(s, r1, sizeof(r1), &sec,
						    &sl, &e), -EBADMSG);
	assert_int_equal(mlsd_store_list_keypackages(s, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	free(list);
	mlsd_store_close(s);
}

static int teardown(void **state)
{
	tmpdir_remove();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_and_reopen),
		cmocka_unit_test(test_kernel_gid_is_one_groups),
		cmocka_unit_test(test_bad_ids_refused),
		cmocka_unit_test(test_install_guard),
		cmocka_unit_test(test_tampered_blob_refused),
		cmocka_unit_test(test_column_tampered_refused),
		cmocka_unit_test(test_row_moved_refused),
		cmocka_unit_test(test_rollback_refused),
		cmocka_unit_test(test_wrong_key_refused),
		cmocka_unit_test(test_key_from_host_key),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_other_database_refused),
		cmocka_unit_test(test_garbage_and_truncated_file),
		cmocka_unit_test(test_keypackages),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
