// SPDX-License-Identifier: MIT
/*
 * Project issue #10: a failed or torn SQLite write at each step of saving
 * an epoch leaves the old epoch usable and the group intact.
 *
 * A child process saves a new epoch the way mlsd does (save_group, then
 * record_install) through a VFS that wraps SQLite's "unix" one and counts
 * every write, sync and truncate; at the Nth it writes only half of the
 * buffer (a torn write) and SIGKILLs itself. For every N until the child
 * finishes, the parent reopens the store and must find the old epoch whole
 * or the new one whole, an install recorded only for an epoch that is
 * saved, and a store that still takes the next save and install. The same
 * for the first epoch of a group, saved into a store the child creates:
 * no group (and no install) or the new epoch whole.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../store.h"
#include "tmpdir.h"

static const uint8_t KEY[MLSD_STORE_KEY_LEN] = { 7, 7, 7 };
static const uint8_t GID[] = { 'n', 'e', 't' };
static const uint8_t OLD[] = "the group at epoch 5";
/* Longer than a page, so the new row spans several writes. */
static uint8_t new_blob[6000];

#define KGID		3
#define OLD_EPOCH	5
#define NEW_EPOCH	6
/* Far more writes and syncs than one save and install take. */
#define MAX_STEPS	400

/* ---- the crashing VFS (used in the child only) ---- */

struct crash_file {
	sqlite3_file base;
	sqlite3_file *real;
};

static sqlite3_vfs *unix_vfs;
static sqlite3_vfs crash_vfs;
static sqlite3_io_methods crash_io;
/* Writes, syncs and truncates left before the kill; 0: never. */
static int steps_left;

static sqlite3_file *real_of(sqlite3_file *f)
{
	return ((struct crash_file *)f)->real;
}

/* True when this is the step to die at. */
static int dies_now(void)
{
	return steps_left > 0 && --steps_left == 0;
}

static int c_write(sqlite3_file *f, const void *buf, int amt,
		   sqlite3_int64 off)
{
	sqlite3_file *r = real_of(f);

	if (dies_now()) {
		r->pMethods->xWrite(r, buf, amt / 2, off);
		raise(SIGKILL);
	}
	return r->pMethods->xWrite(r, buf, amt, off);
}

static int c_sync(sqlite3_file *f, int flags)
{
	sqlite3_file *r = real_of(f);

	if (dies_now())
		raise(SIGKILL);
	return r->pMethods->xSync(r, flags);
}

static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	sqlite3_file *r = real_of(f);

	if (dies_now())
		raise(SIGKILL);
	return r->pMethods->xTruncate(r, size);
}

static int c_close(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xClose(r);
}

static int c_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xRead(r, buf, amt, off);
}

static int c_size(sqlite3_file *f, sqlite3_int64 *size)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xFileSize(r, size);
}

static int c_lock(sqlite3_file *f, int lock)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xLock(r, lock);
}

static int c_unlock(sqlite3_file *f, int lock)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xUnlock(r, lock);
}

static int c_reserved(sqlite3_file *f, int *out)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xCheckReservedLock(r, out);
}

static int c_fcntl(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xFileControl(r, op, arg);
}

static int c_sector(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xSectorSize(r);
}

static int c_devchar(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xDeviceCharacteristics(r);
}

static int c_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
		     void volatile **p)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xShmMap(r, pg, pgsz, extend, p);
}

static int c_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xShmLock(r, off, n, flags);
}

static void c_shm_barrier(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	r->pMethods->xShmBarrier(r);
}

static int c_shm_unmap(sqlite3_file *f, int del)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xShmUnmap(r, del);
}

static int c_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **p)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xFetch(r, off, amt, p);
}

static int c_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xUnfetch(r, off, p);
}

static int c_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
		  int flags, int *out_flags)
{
	struct crash_file *cf = (struct crash_file *)f;
	int rc;

	cf->real = (sqlite3_file *)(cf + 1);
	rc = unix_vfs->xOpen(unix_vfs, name, cf->real, flags, out_flags);
	cf->base.pMethods = cf->real->pMethods ? &crash_io : NULL;
	return rc;
}

static const sqlite3_io_methods CRASH_IO = {
	.iVersion = 3,
	.xClose = c_close, .xRead = c_read, .xWrite = c_write,
	.xTruncate = c_truncate, .xSync = c_sync, .xFileSize = c_size,
	.xLock = c_lock, .xUnlock = c_unlock,
	.xCheckReservedLock = c_reserved, .xFileControl = c_fcntl,
	.xSectorSize = c_sector, .xDeviceCharacteristics = c_devchar,
	.xShmMap = c_shm_map, .xShmLock = c_shm_lock,
	.xShmBarrier = c_shm_barrier, .xShmUnmap = c_shm_unmap,
	.xFetch = c_fetch, .xUnfetch = c_unfetch,
};

/* Make the crashing VFS the default, dying at step n. */
static void crash_vfs_install(int n)
{
	unix_vfs = sqlite3_vfs_find("unix");
	if (!unix_vfs)
		_exit(10);
	crash_io = CRASH_IO;
	crash_vfs = *unix_vfs;
	crash_vfs.zName = "crash";
	crash_vfs.szOsFile = (int)sizeof(struct crash_file) +
			     unix_vfs->szOsFile;
	crash_vfs.xOpen = c_open;
	crash_vfs.pNext = NULL;
	steps_left = n;
	if (sqlite3_vfs_register(&crash_vfs, 1) != SQLITE_OK)
		_exit(11);
}

/* ---- the child: one epoch saved as mlsd saves it ---- */

static void child_save_epoch(const char *path, int n)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;

	crash_vfs_install(n);
	if (mlsd_store_open(path, KEY, &s, &e) ||
	    mlsd_store_save_group(s, GID, sizeof(GID), KGID, NEW_EPOCH,
				  new_blob, sizeof(new_blob), 41, &e) ||
	    mlsd_store_record_install(s, GID, sizeof(GID), NEW_EPOCH, &e)) {
		fprintf(stderr, "child at step %d: %s\n", n, e.msg);
		_exit(12);
	}
	mlsd_store_close(s);
	_exit(0);
}

/* ---- the parent ---- */

static char path[256];
/* The new epoch's generation: 2 after the old epoch, else 1. */
static uint64_t new_generation;

/* No store file; with_old: one holding epoch 5, installed. */
static void fresh_store(bool with_old)
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	char cmd[1024];

	snprintf(path, sizeof(path), "%s/crash.db", tmpdir());
	snprintf(cmd, sizeof(cmd), "rm -f '%s' '%s-wal' '%s-shm'", path,
		 path, path);
	assert_int_equal(system(cmd), 0);
	if (!with_old)
		return;
	if (mlsd_store_open(path, KEY, &s, &e) ||
	    mlsd_store_save_group(s, GID, sizeof(GID), KGID, OLD_EPOCH, OLD,
				  sizeof(OLD), 40, &e) ||
	    mlsd_store_record_install(s, GID, sizeof(GID), OLD_EPOCH, &e))
		fail_msg("setup: %s", e.msg);
	mlsd_store_close(s);
}

/* The child's end: 1 it finished, 0 it was killed at step n. */
static int run_child(int n)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_save_epoch(path, n);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		return 0;
	fail_msg("step %d: child ended with status 0x%x", n, status);
	return -1;
}

enum outcome { NO_GROUP, OLD_WHOLE, NEW_SAVED, NEW_INSTALLED, N_OUTCOMES };

/* The store after the child: one whole epoch, a coherent install. */
static enum outcome check_store(struct mlsd_store *s, int n)
{
	struct mlsd_store_group g;
	struct mlsd_err e = { "" };
	uint64_t max;
	uint8_t *b;
	size_t bl;
	bool any;

	int rc = mlsd_store_load_group(s, GID, sizeof(GID), &g, &b, &bl, &e);

	assert_int_equal(mlsd_store_installed_max(s, GID, sizeof(GID), &max,
						  &any, &e), 0);
	if (rc == -ENOENT) {
		assert_false(any);
		return NO_GROUP;
	}
	if (rc)
		fail_msg("step %d: group lost: %s", n, e.msg);
	assert_true(any || g.epoch == NEW_EPOCH);
	if (g.epoch == OLD_EPOCH) {
		assert_int_equal(g.generation, 1);
		assert_int_equal(g.relay_seq, 40);
		assert_int_equal(bl, sizeof(OLD));
		assert_memory_equal(b, OLD, bl);
		assert_int_equal(max, OLD_EPOCH);
	} else {
		assert_int_equal(g.epoch, NEW_EPOCH);
		assert_int_equal(g.generation, new_generation);
		assert_int_equal(g.relay_seq, 41);
		assert_int_equal(bl, sizeof(new_blob));
		assert_memory_equal(b, new_blob, bl);
		assert_true(!any || max == OLD_EPOCH || max == NEW_EPOCH);
	}
	mlsd_store_blob_free(b, bl);
	if (g.epoch == OLD_EPOCH)
		return OLD_WHOLE;
	return any && max == NEW_EPOCH ? NEW_INSTALLED : NEW_SAVED;
}

/* What mlsd does next with what it found: it must work. */
static void continue_after(struct mlsd_store *s, enum outcome o, int n)
{
	struct mlsd_err e = { "" };

	if ((o == OLD_WHOLE || o == NO_GROUP) &&
	    mlsd_store_save_group(s, GID, sizeof(GID), KGID, NEW_EPOCH,
				  new_blob, sizeof(new_blob), 41, &e))
		fail_msg("step %d: save after crash: %s", n, e.msg);
	if (o == NEW_INSTALLED) {
		assert_int_equal(mlsd_store_record_install(s, GID, sizeof(GID),
							   NEW_EPOCH, &e),
				 -EALREADY);
		return;
	}
	if (mlsd_store_record_install(s, GID, sizeof(GID), NEW_EPOCH, &e))
		fail_msg("step %d: install after crash: %s", n, e.msg);
}

/*
 * Kill the child at step 1, 2, ... until it finishes; seen[] counts what
 * the parent found (the finished run not counted).
 */
static void kill_at_every_step(bool with_old, unsigned int seen[N_OUTCOMES])
{
	struct mlsd_err e = { "" };
	struct mlsd_store *s;
	enum outcome o;
	int n, done = 0;

	new_generation = with_old ? 2 : 1;
	for (n = 1; n <= MAX_STEPS && !done; n++) {
		fresh_store(with_old);
		done = run_child(n);
		if (mlsd_store_open(path, KEY, &s, &e))
			fail_msg("step %d: reopen: %s", n, e.msg);
		o = check_store(s, n);
		if (done)
			assert_int_equal(o, NEW_INSTALLED);
		else
			seen[o]++;
		continue_after(s, o, n);
		mlsd_store_close(s);
	}
	assert_true(done);
	print_message("killed at %d steps: no group %u, old epoch %u, new saved %u, new installed %u\n",
		      n - 2, seen[NO_GROUP], seen[OLD_WHOLE], seen[NEW_SAVED],
		      seen[NEW_INSTALLED]);
	/* the kills fell before, between and after the two transactions */
	assert_true(seen[NEW_SAVED] > 0);
	assert_true(seen[NEW_INSTALLED] > 0);
}

static void test_killed_saving_next_epoch(void **state)
{
	unsigned int seen[N_OUTCOMES] = { 0 };

	kill_at_every_step(true, seen);
	assert_int_equal(seen[NO_GROUP], 0);
	assert_true(seen[OLD_WHOLE] > 0);
}

static void test_killed_saving_first_epoch(void **state)
{
	unsigned int seen[N_OUTCOMES] = { 0 };

	kill_at_every_step(false, seen);
	assert_int_equal(seen[OLD_WHOLE], 0);
	assert_true(seen[NO_GROUP] > 0);
}

static int teardown(void **state)
{
	tmpdir_remove();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_killed_saving_next_epoch),
		cmocka_unit_test(test_killed_saving_first_epoch),
	};
	size_t i;

	for (i = 0; i < sizeof(new_blob); i++)
		new_blob[i] = (uint8_t)(i * 31 + 7);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
