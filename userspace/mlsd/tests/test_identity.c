// SPDX-License-Identifier: MIT
/*
 * The host's own key and certificate from mlsd.conf: accepted when the
 * other members would accept them, otherwise refused at startup with the
 * config line and the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../identity.h"
#include "tmpdir.h"

#define DAY 86400u

static struct mlsd_ca_priv ca;
static struct mlsd_sig_key alice;
static char conf_path[256];

static void write_line(const char *name, const char *line, mode_t mode)
{
	char path[256], text[1024];

	snprintf(text, sizeof(text), "%s\n", line);
	tmpfile_write(path, sizeof(path), name, text, mode);
}

static void write_key(const char *name, const struct mlsd_sig_key *k,
		      mode_t mode)
{
	char line[MLSD_SIG_LINE_MAX];

	assert_int_equal(mlsd_sig_key_format_priv(k, line, sizeof(line)), 0);
	write_line(name, line, mode);
}

/* A certificate file for host over key, valid from `from` for `days`. */
static void write_cert(const char *name, const char *host,
		       const struct mlsd_sig_key *k, int64_t from,
		       unsigned int days)
{
	struct mlsd_host_cert c;
	struct mlsd_err e;
	char path[256];

	memset(&c, 0, sizeof(c));
	strcpy(c.network, "corp");
	snprintf(c.host, sizeof(c.host), "%s", host);
	c.suite = k->suite;
	memcpy(c.sig_key, k->pub, k->pub_len);
	c.sig_key_len = k->pub_len;
	assert_int_equal(mlsd_prefix_parse("10.7.0.0/24", true, &c.prefixes[0]), 0);
	c.n_prefixes = 1;
	c.not_before = (uint64_t)(time(NULL) + from);
	c.not_after = c.not_before + days * DAY;
	c.serial = 1;
	assert_int_equal(mlsd_cert_sign(&c, &ca), MLSD_CERT_OK);
	snprintf(path, sizeof(path), "%s/%s", tmpdir(), name);
	unlink(path);
	assert_int_equal(mlsd_cert_write(path, &c, &e), 0);
}

static void write_conf(const char *key, const char *cert, const char *addr,
		       bool with_ca)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "[Interface]\nName = alice\nPrivateKeyFile = %s\n%s%s%s"
		 "Address = %s\n"
		 "[Network]\nName = corp\n%s"
		 "[Relay]\nAddress = relay.example:443\nCAFile = relay.pem\n"
		 "[Pin]\nIdentity = bob\nSignatureKey = mlsdco-pub:1:iNVRVt/GcRPgd8SRSwkQb6v3F+bxrJ0W6jK2vwQfhUU=\nAddress = 10.7.0.2/32\n",
		 key, cert ? "Certificate = " : "", cert ? cert : "",
		 cert ? "\n" : "", addr, with_ca ? "CA = ca.pub\n" : "");
	tmpfile_write(conf_path, sizeof(conf_path), "mlsd.conf", text, 0644);
}

/* Load the config and the identity: 0, or -1 with the message in e. */
static int load(struct mlsd_identity *id, struct mlsd_err *e)
{
	struct mlsd_admission a;
	struct mlsd_config c;
	int err;

	assert_int_equal(mlsd_config_load(conf_path, &c, e), 0);
	assert_int_equal(mlsd_admission_from_config(&c, &a, e), 0);
	err = mlsd_identity_load(&c, &a, id, e);
	mlsd_admission_free(&a);
	mlsd_config_free(&c);
	return err;
}

static void refused(const char *fmt, const char *file)
{
	struct mlsd_identity id;
	struct mlsd_err e = { "" };
	char want[MLSD_ERR_LEN], path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir(), file);
	snprintf(want, sizeof(want), fmt, conf_path, path, path);
	assert_int_equal(load(&id, &e), -1);
	assert_string_equal(e.msg, want);
	assert_int_equal(id.credential.len, 0);
	assert_int_equal(id.key.priv_len, 0);
}

static int setup(void **state)
{
	struct mlsd_ca_pub pub;
	struct mlsd_err e;
	char line[256];

	if (mlsd_ca_generate("corp", &ca, &pub, &e) ||
	    mlsd_sig_key_generate(1, &alice, &e))
		return -1;
	mlsd_ca_pub_format(&pub, line, sizeof(line));
	write_line("ca.pub", line, 0644);
	write_key("alice.key", &alice, 0600);
	write_cert("alice.cert", "alice", &alice, -(int64_t)DAY, 30);
	return 0;
}

static int teardown(void **state)
{
	mlsd_ca_priv_wipe(&ca);
	mlsd_sig_key_wipe(&alice);
	tmpdir_remove();
	return 0;
}

static void test_certificate_mode(void **state)
{
	struct mlsd_identity id;
	struct mlsd_err e = { "" };
	struct mls_signer sg;

	write_conf("alice.key", "alice.cert", "10.7.0.1/24, 10.7.0.9/32", true);
	assert_int_equal(load(&id, &e), 0);
	assert_true(id.has_cert);
	assert_string_equal(id.cert.host, "alice");
	assert_memory_equal(id.key.pub, alice.pub, alice.pub_len);
	assert_int_equal(id.credential.data[0], 0);
	assert_int_equal(id.credential.data[1], 1);
	mlsd_identity_signer(&id, &sg);
	assert_ptr_equal(sg.identity, id.credential.data);
	assert_int_equal(sg.identity_len, id.credential.len);
	assert_int_equal(sg.sig_priv_len, 32);
	mlsd_identity_free(&id);
}

static void test_pin_mode(void **state)
{
	struct mlsd_identity id;
	struct mlsd_err e = { "" };

	write_conf("alice.key", NULL, "10.9.0.1/24", false);
	assert_int_equal(load(&id, &e), 0);
	assert_false(id.has_cert);
	assert_int_equal(id.credential.len, 5);
	assert_memory_equal(id.credential.data, "alice", 5);
	mlsd_identity_free(&id);
	write_conf("alice.key", "alice.cert", "10.7.0.1/24", false);
	refused("%s:4: Certificate needs a CA in [Network]", "");
}

static void test_refusals(void **state)
{
	struct mlsd_sig_key other;
	struct mlsd_err e;

	write_key("open.key", &alice, 0640);
	write_conf("open.key", "alice.cert", "10.7.0.1/24", true);
	refused("%s:3: PrivateKeyFile: %s: private key is accessible by group or others (mode 0640); run chmod 600 %s",
		"open.key");

	assert_int_equal(mlsd_sig_key_generate(2, &other, &e), 0);
	write_key("p256.key", &other, 0600);
	write_conf("p256.key", "alice.cert", "10.7.0.1/24", true);
	refused("%s:3: PrivateKeyFile %s is a key of suite 2, the network uses suite 1",
		"p256.key");
	mlsd_sig_key_wipe(&other);

	write_cert("bob.cert", "bob", &alice, -(int64_t)DAY, 30);
	write_conf("alice.key", "bob.cert", "10.7.0.1/24", true);
	refused("%s:4: Certificate %s is for host \"bob\", [Interface] Name is \"alice\"",
		"bob.cert");

	assert_int_equal(mlsd_sig_key_generate(1, &other, &e), 0);
	write_cert("other.cert", "alice", &other, -(int64_t)DAY, 30);
	write_conf("alice.key", "other.cert", "10.7.0.1/24", true);
	refused("%s:4: Certificate %s certifies another key than PrivateKeyFile",
		"other.cert");
	mlsd_sig_key_wipe(&other);

	write_cert("old.cert", "alice", &alice, -40 * (int64_t)DAY, 30);
	write_conf("alice.key", "old.cert", "10.7.0.1/24", true);
	refused("%s:4: Certificate %s: expired", "old.cert");

	write_conf("alice.key", "alice.cert", "10.7.0.1/24, 10.8.0.1/32", true);
	refused("%s:4: Certificate %s does not cover Address 10.8.0.1/32",
		"alice.cert");

	write_conf("alice.key", "missing.cert", "10.7.0.1/24", true);
	refused("%s:4: Certificate: %s: No such file or directory",
		"missing.cert");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certificate_mode),
		cmocka_unit_test(test_pin_mode),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
