// SPDX-License-Identifier: MIT
/*
 * mlsctl -batch: word splitting, comments, and that the first failing
 * line stops the batch (nothing after it runs) and names its line.
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

#include "../mlsctl.h"

static char calls[16][64];
static int n_calls;

/* "rec WORD...": records its words; "rec fail" fails. */
static int record(int argc, char **argv)
{
	char *out = calls[n_calls++];
	int i;

	out[0] = '\0';
	for (i = 0; i < argc; i++) {
		strcat(out, argv[i]);
		if (i + 1 < argc)
			strcat(out, ",");
	}
	return argc == 1 && !strcmp(argv[0], "fail") ? MLSCTL_FAIL : MLSCTL_OK;
}

static const struct mlsctl_cmd objects[] = {
	{ "rec", record },
	{ NULL, NULL },
};

static char *batch_file(const char *text)
{
	static char path[] = "/tmp/mlsctl-batch-XXXXXX";
	int fd;

	strcpy(path, "/tmp/mlsctl-batch-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	n_calls = 0;
	return path;
}

static void test_split(void **state)
{
	char line[] = "  member set\tmd0 group 1 # a comment\n";
	char *argv[8];

	(void)state;
	assert_int_equal(mlsctl_batch_split(line, argv, 8), 5);
	assert_string_equal(argv[0], "member");
	assert_string_equal(argv[1], "set");
	assert_string_equal(argv[2], "md0");
	assert_string_equal(argv[4], "1");
}

static void test_split_too_many(void **state)
{
	char line[] = "a b c d";
	char *argv[3];

	(void)state;
	assert_int_equal(mlsctl_batch_split(line, argv, 3), -1);
}

static void test_runs_every_line(void **state)
{
	char *path = batch_file("rec a b\n\n# only a comment\nrec c\n");

	(void)state;
	assert_int_equal(mlsctl_batch(path, objects), MLSCTL_OK);
	assert_int_equal(n_calls, 2);
	assert_string_equal(calls[0], "a,b");
	assert_string_equal(calls[1], "c");
	unlink(path);
}

static void test_stops_at_first_failure(void **state)
{
	char *path = batch_file("rec one\nrec fail\nrec never\n");

	(void)state;
	assert_int_equal(mlsctl_batch(path, objects), MLSCTL_FAIL);
	assert_int_equal(n_calls, 2);
	assert_string_equal(calls[1], "fail");
	unlink(path);
}

static void test_unknown_object_stops(void **state)
{
	char *path = batch_file("rec one\nbogus x\nrec never\n");

	(void)state;
	assert_int_equal(mlsctl_batch(path, objects), MLSCTL_FAIL);
	assert_int_equal(n_calls, 1);
	unlink(path);
}

static void test_missing_file(void **state)
{
	(void)state;
	n_calls = 0;
	assert_int_equal(mlsctl_batch("/nonexistent/batch", objects),
			 MLSCTL_FAIL);
	assert_int_equal(n_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_too_many),
		cmocka_unit_test(test_runs_every_line),
		cmocka_unit_test(test_stops_at_first_failure),
		cmocka_unit_test(test_unknown_object_stops),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
