// SPDX-License-Identifier: MIT
/*
 * mlsctl's parsers: endpoints, prefixes, hex, and the key file format
 * (which must refuse malformed keys and leave nothing behind).
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

static void test_endpoint_v4(void **state)
{
	struct mlsnl_endpoint ep;
	static const uint8_t want[4] = { 192, 0, 2, 7 };

	assert_int_equal(mlsctl_parse_endpoint("192.0.2.7:51820", &ep), 0);
	assert_int_equal(ep.family, AF_INET);
	assert_memory_equal(ep.addr, want, 4);
	assert_int_equal(ep.port, 51820);
}

static void test_endpoint_v6(void **state)
{
	struct mlsnl_endpoint ep;
	static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8,
					  [15] = 0x01 };
	char buf[64];

	assert_int_equal(mlsctl_parse_endpoint("[2001:db8::1]:443", &ep), 0);
	assert_int_equal(ep.family, AF_INET6);
	assert_memory_equal(ep.addr, want, 16);
	assert_int_equal(ep.port, 443);
	mlsctl_format_endpoint(&ep, buf, sizeof(buf));
	assert_string_equal(buf, "[2001:db8::1]:443");
}

static void test_endpoint_bad(void **state)
{
	static const char *const bad[] = {
		"192.0.2.7", "192.0.2.7:", "192.0.2.7:0", "192.0.2.7:65536",
		"2001:db8::1:80", "[2001:db8::1]", ":80", "host:80",
		"[192.0.2.7]:80", "192.0.2.7:8x",
	};
	struct mlsnl_endpoint ep;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(mlsctl_parse_endpoint(bad[i], &ep), 0);
}

static void test_prefix(void **state)
{
	struct mlsnl_prefix p;
	char buf[64];

	assert_int_equal(mlsctl_parse_prefix("10.77.0.0/24", &p), 0);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.cidr, 24);
	assert_int_equal(mlsctl_parse_prefix("fd77::2", &p), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.cidr, 128);
	mlsctl_format_prefix(&p, buf, sizeof(buf));
	assert_string_equal(buf, "fd77::2/128");
	assert_int_not_equal(mlsctl_parse_prefix("10.0.0.0/33", &p), 0);
	assert_int_not_equal(mlsctl_parse_prefix("fd77::/129", &p), 0);
	assert_int_not_equal(mlsctl_parse_prefix("10.0.0.0/", &p), 0);
	assert_int_not_equal(mlsctl_parse_prefix("/8", &p), 0);
}

static void test_hex(void **state)
{
	uint8_t out[4];
	size_t len;

	assert_int_equal(mlsctl_parse_hex("00aBFf", out, sizeof(out), &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(out[1], 0xab);
	assert_int_equal(out[2], 0xff);
	assert_int_not_equal(mlsctl_parse_hex("abc", out, sizeof(out), &len), 0);
	assert_int_not_equal(mlsctl_parse_hex("0g", out, sizeof(out), &len), 0);
	assert_int_not_equal(mlsctl_parse_hex("0011223344", out, sizeof(out),
					      &len), 0);
	assert_int_not_equal(mlsctl_parse_hex("", out, sizeof(out), &len), 0);
}

/* Write text to a temporary file and parse it as a key file. */
static int read_keys_text(const char *text, struct mlsnl_epoch_conf *conf)
{
	char path[] = "/tmp/mlsctl-keys.XXXXXX";
	int fd = mkstemp(path), ret;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	memset(conf, 0, sizeof(*conf));
	ret = mlsctl_read_keys(path, conf);
	unlink(path);
	return ret;
}

#define K16 "000102030405060708090a0b0c0d0e0f"
#define K32 K16 "101112131415161718191a1b1c1d1e1f"
#define N12 "a0a1a2a3a4a5a6a7a8a9aaab"

static void test_keys_ok(void **state)
{
	struct mlsnl_epoch_conf conf;

	assert_int_equal(read_keys_text("# epoch 7\n"
					"tx " K16 " " N12 "\n"
					"\n"
					"rx 1 " K32 " " N12 "  # member one\n"
					"rx 16777215\t" K16 "\t" N12 "\n",
					&conf), 0);
	assert_int_equal(conf.tx.key_len, 16);
	assert_int_equal(conf.tx.key[15], 0x0f);
	assert_int_equal(conf.tx.nonce[11], 0xab);
	assert_int_equal(conf.n_rx, 2);
	assert_int_equal(conf.rx[0].leaf, 1);
	assert_int_equal(conf.rx[0].k.key_len, 32);
	assert_int_equal(conf.rx[1].leaf, 0xffffff);
	mlsnl_epoch_conf_wipe(&conf);
	assert_int_equal(conf.tx.key[15], 0);
	assert_int_equal(conf.rx[0].k.key[31], 0);
	free(conf.rx);
}

static void test_keys_bad(void **state)
{
	static const char *const bad[] = {
		"",						/* no tx */
		"rx 1 " K16 " " N12 "\n",			/* no tx */
		"tx " K16 "\n",					/* no nonce */
		"tx " K16 " a0a1\n",				/* short nonce */
		"tx " K32 "00 " N12 "\n",			/* 33-byte key */
		"tx " K16 " " N12 "\ntx " K16 " " N12 "\n",	/* two tx */
		"tx " K16 " " N12 "\nrx 16777216 " K16 " " N12 "\n",
		"tx " K16 " " N12 "\nrx x " K16 " " N12 "\n",
		"tx " K16 " " N12 " extra\n",
		"key " K16 " " N12 "\n",
	};
	struct mlsnl_epoch_conf conf;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(read_keys_text(bad[i], &conf), 0);
		/* Nothing is left behind for the caller to wipe or free. */
		assert_null(conf.rx);
		assert_int_equal(conf.n_rx, 0);
		assert_int_equal(conf.tx.key[0] | conf.tx.key[1], 0);
	}
}

/* A key file with a tx line and n rx lines, leaf i+1 keyed by byte i. */
static char *keys_text_n(size_t n)
{
	size_t i, cap = 128 + n * 96, off;
	char *text = malloc(cap);

	assert_non_null(text);
	off = (size_t)snprintf(text, cap, "tx " K16 " " N12 "\n");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, cap - off,
					"rx %zu %02x0102030405060708090a0b0c0d0e0f "
					N12 "\n", i + 1, (unsigned int)(i & 0xff));
	return text;
}

static void test_keys_1000(void **state)
{
	struct mlsnl_epoch_conf conf;
	char *text = keys_text_n(1000);
	size_t i;

	assert_int_equal(read_keys_text(text, &conf), 0);
	free(text);
	assert_int_equal(conf.n_rx, 1000);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(conf.rx[i].leaf, i + 1);
		assert_int_equal(conf.rx[i].k.key_len, 16);
		assert_int_equal(conf.rx[i].k.key[0], i & 0xff);
		assert_int_equal(conf.rx[i].k.key[15], 0x0f);
		assert_int_equal(conf.rx[i].k.nonce[11], 0xab);
	}
	mlsnl_epoch_conf_wipe(&conf);
	assert_int_equal(conf.rx[999].k.key[15], 0);
	free(conf.rx);
}

static void test_keys_at_limit(void **state)
{
	struct mlsnl_epoch_conf conf;
	char *text = keys_text_n(MLSNL_MAX_RX_KEYS);

	assert_int_equal(read_keys_text(text, &conf), 0);
	free(text);
	assert_int_equal(conf.n_rx, MLSNL_MAX_RX_KEYS);
	assert_int_equal(conf.rx[MLSNL_MAX_RX_KEYS - 1].leaf,
			 MLSNL_MAX_RX_KEYS);
	mlsnl_epoch_conf_wipe(&conf);
	free(conf.rx);
}

/* Run read_keys_text with stderr captured into err (NUL-terminated). */
static int read_keys_text_err(const char *text, struct mlsnl_epoch_conf *conf,
			      char *err, size_t err_len)
{
	char path[] = "/tmp/mlsctl-err.XXXXXX";
	int fd = mkstemp(path), saved = dup(2), ret;
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	ret = read_keys_text(text, conf);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	n = pread(fd, err, err_len - 1, 0);
	close(fd);
	unlink(path);
	err[n > 0 ? n : 0] = '\0';
	return ret;
}

static void test_keys_over_limit(void **state)
{
	struct mlsnl_epoch_conf conf;
	char *text = keys_text_n(MLSNL_MAX_RX_KEYS + 1);
	char err[512], want[128];

	assert_int_not_equal(read_keys_text_err(text, &conf, err,
						sizeof(err)), 0);
	free(text);
	/* The line after the last allowed key (tx is line 1) is named. */
	snprintf(want, sizeof(want), "keys line %d: more than %d rx keys",
		 MLSNL_MAX_RX_KEYS + 2, MLSNL_MAX_RX_KEYS);
	assert_non_null(strstr(err, want));
	assert_null(conf.rx);
	assert_int_equal(conf.n_rx, 0);
	assert_int_equal(conf.tx.key[15], 0);
}

static void test_keys_missing_file(void **state)
{
	struct mlsnl_epoch_conf conf = { 0 };

	assert_int_not_equal(mlsctl_read_keys("/nonexistent/keys", &conf), 0);
	assert_null(conf.rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoint_v4),
		cmocka_unit_test(test_endpoint_v6),
		cmocka_unit_test(test_endpoint_bad),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_keys_ok),
		cmocka_unit_test(test_keys_bad),
		cmocka_unit_test(test_keys_1000),
		cmocka_unit_test(test_keys_at_limit),
		cmocka_unit_test(test_keys_over_limit),
		cmocka_unit_test(test_keys_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
