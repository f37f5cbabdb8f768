/* SPDX-License-Identifier: MIT */
/* A scratch directory per test program, and files written into it. */
#ifndef MLSD_TEST_TMPDIR_H
#define MLSD_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char test_dir[64];

/* Create the directory once; removed with its files at exit. */
static inline const char *tmpdir(void)
{
	if (!test_dir[0]) {
		snprintf(test_dir, sizeof(test_dir), "/tmp/mlsd-test-XXXXXX");
		if (!mkdtemp(test_dir))
			abort();
	}
	return test_dir;
}

static inline void tmpdir_remove(void)
{
	char cmd[128];

	if (!test_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", test_dir);
	test_dir[0] = '\0';
}

/* path = DIR/name, written with text and mode; returns path. */
static inline const char *tmpfile_write(char *path, size_t cap,
					const char *name, const char *text,
					mode_t mode)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", tmpdir(), name);
	unlink(path);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || chmod(path, mode))
		abort();
	return path;
}

#endif
