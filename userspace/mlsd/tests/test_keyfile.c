// SPDX-License-Identifier: MIT
/*
 * Key files: private keys are created 0600 (never over an existing file)
 * and refused when group or others may read them; each kind of file is
 * told apart by its tag; a key survives the round trip through its file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../hostcert.h"
#include "../keyfile.h"
#include "../sigkey.h"
#include "tmpdir.h"

static void write_key(char *path, size_t cap, const char *name, mode_t mode,
		      struct mlsd_sig_key *k)
{
	char line[MLSD_SIG_LINE_MAX + 1];
	struct mlsd_err e;

	assert_int_equal(mlsd_sig_key_generate(1, k, &e), 0);
	assert_int_equal(mlsd_sig_key_format_priv(k, line, sizeof(line)), 0);
	strcat(line, "\n");
	tmpfile_write(path, cap, name, line, mode);
}

static void test_private_key_modes(void **state)
{
	static const mode_t refused[] = { 0644, 0640, 0604, 0660, 0602, 0610 };
	struct mlsd_sig_key k, back;
	struct mlsd_err e = { "" };
	char path[256], want[1024];
	size_t i;

	write_key(path, sizeof(path), "k.key", 0600, &k);
	assert_int_equal(mlsd_sig_key_load(path, &back, &e), 0);
	assert_int_equal(back.suite, 1);
	assert_memory_equal(back.priv, k.priv, k.priv_len);
	assert_memory_equal(back.pub, k.pub, k.pub_len);
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(mlsd_sig_key_load(path, &back, &e), 0);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(chmod(path, refused[i]), 0);
		snprintf(want, sizeof(want),
			 "%s: private key is accessible by group or others (mode %04o); run chmod 600 %s",
			 path, (unsigned int)refused[i], path);
		assert_int_equal(mlsd_sig_key_load(path, &back, &e), -1);
		assert_string_equal(e.msg, want);
		assert_int_equal(back.priv_len, 0);
	}
	/* public files may be world-readable */
	assert_int_equal(mlsd_file_read_line(path, false, want, sizeof(want),
					     &e), 0);
	mlsd_sig_key_wipe(&k);
	mlsd_sig_key_wipe(&back);
}

static void test_new_file_is_0600_and_exclusive(void **state)
{
	struct mlsd_err e = { "" };
	char path[256], want[1024];
	struct stat st;
	mode_t old = umask(0);

	snprintf(path, sizeof(path), "%s/new.key", tmpdir());
	unlink(path);
	assert_int_equal(mlsd_file_write_new(path, "secret", true, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(want, sizeof(want), "%s: File exists", path);
	assert_int_equal(mlsd_file_write_new(path, "other", true, &e), -1);
	assert_string_equal(e.msg, want);
	assert_int_equal(mlsd_file_read_line(path, true, want, sizeof(want),
					     &e), 0);
	assert_string_equal(want, "secret");
	unlink(path);
	assert_int_equal(mlsd_file_write_new(path, "public", false, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	umask(old);
}

static void refused(const char *name, const char *text, const char *why)
{
	struct mlsd_sig_key k;
	struct mlsd_err e = { "" };
	char path[256], want[1024];

	tmpfile_write(path, sizeof(path), name, text, 0600);
	snprintf(want, sizeof(want), "%s: %s", path, why);
	assert_int_equal(mlsd_sig_key_load(path, &k, &e), -1);
	assert_string_equal(e.msg, want);
}

static void test_bad_contents(void **state)
{
	struct mlsd_sig_key k;
	struct mlsd_sig_pub p;
	struct mlsd_err e;
	char line[MLSD_SIG_LINE_MAX + 1], text[600];

	refused("empty.key", "", "empty");
	refused("nl.key", "\n", "empty");
	assert_int_equal(mlsd_sig_key_generate(1, &k, &e), 0);
	mlsd_sig_pub_of(&k, &p);
	mlsd_sig_pub_format(&p, line, sizeof(line));
	refused("pub.key", line, "holds \"mlsdco-pub\", expected \"mlsdco-priv\"");
	mlsd_sig_key_format_priv(&k, line, sizeof(line));
	snprintf(text, sizeof(text), "%s\n%s\n", line, line);
	refused("two.key", text, "more than one line");
	refused("suite.key", "mlsdco-priv:8:AAAA", "unknown cipher suite \"8\"");
	refused("b64.key", "mlsdco-priv:1:%%%%", "bad base64 (or too long)");
	refused("short.key", "mlsdco-priv:1:AAAA",
		"private key of 3 bytes, suite 1 needs 32");
	refused("nofield.key", "mlsdco-priv", "not a \"mlsdco-priv\" line");
	mlsd_sig_key_wipe(&k);
}

/* A buffer of cap bytes holds a file of cap - 1 bytes, not one more. */
static void test_line_length(void **state)
{
	struct mlsd_err e = { "" };
	char path[256], line[10], want[512];

	tmpfile_write(path, sizeof(path), "nine", "12345678\n", 0644);
	assert_int_equal(mlsd_file_read_line(path, false, line, sizeof(line),
					     &e), 0);
	assert_string_equal(line, "12345678");
	tmpfile_write(path, sizeof(path), "ten", "123456789\n", 0644);
	snprintf(want, sizeof(want), "%s: longer than 9 bytes", path);
	assert_int_equal(mlsd_file_read_line(path, false, line, sizeof(line),
					     &e), -1);
	assert_string_equal(e.msg, want);
}

static void test_ca_files(void **state)
{
	struct mlsd_ca_priv priv, back;
	struct mlsd_ca_pub pub, pub_back;
	struct mlsd_err e = { "" };
	char line[256], path[256], want[1024];

	assert_int_equal(mlsd_ca_generate("corp", &priv, &pub, &e), 0);
	assert_int_equal(mlsd_ca_generate("bad name", &back, &pub_back, &e), -1);
	mlsd_ca_priv_format(&priv, line, sizeof(line));
	tmpfile_write(path, sizeof(path), "ca.key", line, 0644);
	snprintf(want, sizeof(want),
		 "%s: private key is accessible by group or others (mode 0644); run chmod 600 %s",
		 path, path);
	assert_int_equal(mlsd_ca_priv_load(path, &back, &e), -1);
	assert_string_equal(e.msg, want);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(mlsd_ca_priv_load(path, &back, &e), 0);
	assert_memory_equal(back.seed, priv.seed, sizeof(priv.seed));
	assert_string_equal(back.network, "corp");
	/* a CA key where the public one belongs */
	snprintf(want, sizeof(want),
		 "%s: holds \"mlsdco-ca-priv\", expected \"mlsdco-ca-pub\"", path);
	assert_int_equal(mlsd_ca_pub_load(path, &pub_back, &e), -1);
	assert_string_equal(e.msg, want);
	mlsd_ca_pub_format(&pub, line, sizeof(line));
	tmpfile_write(path, sizeof(path), "ca.pub", line, 0644);
	assert_int_equal(mlsd_ca_pub_load(path, &pub_back, &e), 0);
	assert_memory_equal(&pub_back, &pub, sizeof(pub));
	mlsd_ca_priv_wipe(&priv);
	mlsd_ca_priv_wipe(&back);
}

static int teardown(void **state)
{
	tmpdir_remove();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_key_modes),
		cmocka_unit_test(test_new_file_is_0600_and_exclusive),
		cmocka_unit_test(test_bad_contents),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_ca_files),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
