// SPDX-License-Identifier: MIT
/*
 * mlsd.conf: a complete file gives every field; each bad input is refused
 * with exactly its "FILE:LINE: reason" line; the trust anchor it names is
 * loaded and checked (CA network, CRL signature) with errors at its line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../admission.h"
#include "../config.h"
#include "tmpdir.h"

#define FPR "sha256:00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF"

/* Lines 1-10; the cases below edit it. */
static const char minimal[] =
	"[Interface]\n"			/* 1 */
	"Name = alice\n"		/* 2 */
	"PrivateKeyFile = alice.key\n"	/* 3 */
	"Address = 10.7.0.1/24\n"	/* 4 */
	"[Network]\n"			/* 5 */
	"Name = corp\n"			/* 6 */
	"CA = ca.pub\n"			/* 7 */
	"[Relay]\n"			/* 8 */
	"Address = relay.example:443\n"	/* 9 */
	"Fingerprint = " FPR "\n";	/* 10 */

static char conf_path[256];

/* minimal with the first `from` replaced by `to` (NULL from: appended). */
static const char *conf_with(const char *from, const char *to)
{
	static char text[8192];
	const char *at = from ? strstr(minimal, from) : NULL;

	if (from && !at)
		fail_msg("\"%s\" not in the minimal config", from);
	if (!from)
		snprintf(text, sizeof(text), "%s%s", minimal, to);
	else
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - minimal),
			 minimal, to, at + strlen(from));
	return tmpfile_write(conf_path, sizeof(conf_path), "mlsd.conf", text,
			     0644);
}

/* Loading path fails with "PATH:LINE: why" exactly. */
static void refused_at(const char *path, unsigned int line, const char *why)
{
	struct mlsd_config c;
	struct mlsd_err e = { "" };
	char want[MLSD_ERR_LEN];

	snprintf(want, sizeof(want), "%s:%u: %s", path, line, why);
	assert_int_equal(mlsd_config_load(path, &c, &e), -1);
	assert_string_equal(e.msg, want);
	assert_null(c.pins);
	assert_int_equal(c.n_pins, 0);
}

static void edit_refused(const char *from, const char *to, unsigned int line,
			 const char *why)
{
	refused_at(conf_with(from, to), line, why);
}

/* Two errors: the second line of the message is "PATH:LINE2: why2". */
static void edit_refused2(const char *from, const char *to, unsigned int line,
			  const char *why, unsigned int line2,
			  const char *why2)
{
	char both[MLSD_ERR_LEN];

	conf_with(from, to);
	snprintf(both, sizeof(both), "%s\n%s:%u: %s", why, conf_path, line2,
		 why2);
	refused_at(conf_path, line, both);
}

static void test_minimal_defaults(void **state)
{
	struct mlsd_config c;
	struct mlsd_err e = { "" };
	char want[512];

	conf_with("", "");
	assert_int_equal(mlsd_config_load(conf_path, &c, &e), 0);
	assert_int_equal(c.net.suite, 1);
	assert_int_equal(c.net.rekey_interval, 120);
	assert_int_equal(c.net.clock_skew, 300);
	assert_int_equal(c.net.pairwise_threshold, 64);
	assert_string_equal(c.iface.device, "mlsdco0");
	assert_string_equal(c.iface.state_file.path, "/var/lib/mlsd/mlsdco0.state");
	assert_string_equal(c.iface.control_socket.path, "/run/mlsd.sock");
	assert_int_equal(c.iface.listen_port, 0);
	assert_int_equal(c.iface.certificate.line, 0);
	assert_int_equal(c.net.crl.line, 0);
	/* relative paths are the config file's directory's */
	snprintf(want, sizeof(want), "%s/alice.key", tmpdir());
	assert_string_equal(c.iface.private_key.path, want);
	assert_int_equal(c.iface.private_key.line, 3);
	snprintf(want, sizeof(want), "%s/ca.pub", tmpdir());
	assert_string_equal(c.net.ca.path, want);
	assert_int_equal(c.net.ca.line, 7);
	assert_int_equal(c.relay.data_address.port, 0);
	assert_int_equal(c.relay.keepalive, 25);
	mlsd_config_free(&c);
}

static void test_full_file(void **state)
{
	static const uint8_t fpr[32] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	static const uint8_t v6[16] = { 0xfd, 0, 0, 7, [15] = 1 };
	struct mlsd_sig_key bob;
	struct mlsd_sig_pub bob_pub;
	struct mlsd_config c;
	struct mlsd_err e = { "" };
	char key[MLSD_SIG_LINE_MAX], text[4096];

	assert_int_equal(mlsd_sig_key_generate(3, &bob, &e), 0);
	mlsd_sig_pub_of(&bob, &bob_pub);
	assert_int_equal(mlsd_sig_pub_format(&bob_pub, key, sizeof(key)), 0);
	snprintf(text, sizeof(text),
		 "# alice on corp\n"
		 "[interface]\n"
		 "  name = alice   # case does not matter in keys\n"
		 "PrivateKeyFile = /etc/mlsdco/alice.key\n"
		 "Certificate = /etc/mlsdco/alice.cert\n"
		 "Address = 10.7.0.1/24 , fd00:7::1/64\n"
		 "ListenPort = 51820\n"
		 "Device = mlsd1\n"
		 "StateFile = /var/lib/mlsd/alice.state\n"
		 "ControlSocket = /run/mlsd/alice.sock\n"
		 "\n"
		 "; a comment\n"
		 "[Network]\n"
		 "Name = corp\n"
		 "Suite = 3\n"
		 "CA = /etc/mlsdco/ca.pub\n"
		 "CRL = /etc/mlsdco/ca.crl\n"
		 "PairwiseThreshold = 16\n"
		 "RekeyInterval = 60\n"
		 "ClockSkew = 30\n"
		 "[Relay]\n"
		 "Address = relay.example.net:443\n"
		 "DataAddress = [2001:db8::1]:51820\n"
		 "Fingerprint = %s\n"
		 "Keepalive = 0\n"
		 "[Pin]\n"
		 "Identity = bob\n"
		 "SignatureKey = %s\n"
		 "Address = 10.7.0.2/32, fd00:7::2/128\n", FPR, key);
	tmpfile_write(conf_path, sizeof(conf_path), "full.conf", text, 0644);
	assert_int_equal(mlsd_config_load(conf_path, &c, &e), 0);
	assert_string_equal(c.iface.name, "alice");
	assert_string_equal(c.iface.private_key.path, "/etc/mlsdco/alice.key");
	assert_string_equal(c.iface.certificate.path, "/etc/mlsdco/alice.cert");
	assert_int_equal(c.iface.certificate.line, 5);
	assert_int_equal(c.iface.n_addresses, 2);
	assert_int_equal(c.iface.addresses[0].family, 4);
	assert_int_equal(c.iface.addresses[0].len, 24);
	assert_memory_equal(c.iface.addresses[0].addr, "\x0a\x07\x00\x01", 4);
	assert_int_equal(c.iface.addresses[1].family, 6);
	assert_int_equal(c.iface.addresses[1].len, 64);
	assert_memory_equal(c.iface.addresses[1].addr, v6, 16);
	assert_int_equal(c.iface.listen_port, 51820);
	assert_string_equal(c.iface.device, "mlsd1");
	assert_string_equal(c.iface.state_file.path, "/var/lib/mlsd/alice.state");
	assert_string_equal(c.iface.control_socket.path, "/run/mlsd/alice.sock");
	assert_string_equal(c.net.name, "corp");
	assert_int_equal(c.net.suite, 3);
	assert_string_equal(c.net.ca.path, "/etc/mlsdco/ca.pub");
	assert_string_equal(c.net.crl.path, "/etc/mlsdco/ca.crl");
	assert_int_equal(c.net.crl.line, 17);
	assert_int_equal(c.net.pairwise_threshold, 16);
	assert_int_equal(c.net.rekey_interval, 60);
	assert_int_equal(c.net.clock_skew, 30);
	assert_string_equal(c.relay.address.host, "relay.example.net");
	assert_int_equal(c.relay.address.port, 443);
	assert_string_equal(c.relay.data_address.host, "2001:db8::1");
	assert_int_equal(c.relay.data_address.port, 51820);
	assert_true(c.relay.has_fingerprint);
	assert_memory_equal(c.relay.fingerprint, fpr, 32);
	assert_int_equal(c.relay.ca_file.line, 0);
	assert_int_equal(c.n_pins, 1);
	assert_string_equal(c.pins[0].identity, "bob");
	assert_int_equal(c.relay.keepalive, 0);
	assert_int_equal(c.pins[0].line, 26);
	assert_int_equal(c.pins[0].key.suite, 3);
	assert_int_equal(c.pins[0].key.len, bob.pub_len);
	assert_memory_equal(c.pins[0].key.pub, bob.pub, bob.pub_len);
	assert_int_equal(c.pins[0].n_addresses, 2);
	assert_int_equal(c.pins[0].addresses[1].len, 128);
	mlsd_config_free(&c);
	mlsd_sig_key_wipe(&bob);
}

static void test_file_not_found(void **state)
{
	struct mlsd_config c;
	struct mlsd_err e = { "" };

	assert_int_equal(mlsd_config_load("/nonexistent/mlsd.conf", &c, &e), -1);
	assert_string_equal(e.msg, "/nonexistent/mlsd.conf: No such file or directory");
}

static void test_syntax_errors(void **state)
{
	char longline[1100];

	edit_refused(NULL, "[Peer]\n", 11,
		     "unknown section [Peer] (expected Interface, Network, Relay or Pin)");
	edit_refused(NULL, "[Network]\n", 11,
		     "duplicate section [Network] (first at line 5)");
	edit_refused("[Relay]", "[Relay", 8,
		     "malformed section header \"[Relay\"");
	edit_refused("[Interface]\n", "Name = x\n[Interface]\n", 1,
		     "key \"Name\" outside of any section");
	/* the required Name is then missing too */
	edit_refused2("Name = corp", "Nmae = corp", 6,
		      "unknown key \"Nmae\" in [Network]", 5,
		      "[Network] lacks Name");
	edit_refused("Name = corp\n", "Name = corp\nname = corp\n", 7,
		     "duplicate key Name (first at line 6)");
	edit_refused("CA = ca.pub", "CA ca.pub", 7,
		     "missing '=' in \"CA ca.pub\"");
	edit_refused("CA = ca.pub", "CA =  # nothing", 7,
		     "empty value for CA");
	edit_refused("CA = ca.pub", "= ca.pub", 7, "missing key before '='");
	memset(longline, 'x', sizeof(longline) - 1);
	longline[0] = '#';
	longline[sizeof(longline) - 1] = '\0';
	{
		char text[4096];

		snprintf(text, sizeof(text), "%s%s\n", minimal, longline);
		tmpfile_write(conf_path, sizeof(conf_path), "long.conf", text,
			      0644);
		refused_at(conf_path, 11, "line longer than 1024 bytes");
	}
}

/* Each bad line is reported, in order; a broken section's keys are not. */
static void test_every_bad_line(void **state)
{
	char text[4096], want[MLSD_ERR_LEN];
	struct mlsd_config c;
	struct mlsd_err e;
	size_t i;

	conf_with("Address = 10.7.0.1/24\n[Network]\n",
		  "Address = 10.7.0.1/99\nListenPort = x\n[Netwrk]\nFoo = 1\n");
	snprintf(want, sizeof(want),
		 "%s:4: bad address \"10.7.0.1/99\" (expected ADDR/LEN, e.g. 10.0.0.1/32 or fd00::1/128)\n"
		 "%s:5: \"x\" is not a number\n"
		 "%s:6: unknown section [Netwrk] (expected Interface, Network, Relay or Pin)",
		 conf_path, conf_path, conf_path);
	assert_int_equal(mlsd_config_load(conf_path, &c, &e), -1);
	assert_string_equal(e.msg, want);
	/* and no more than MLSD_CONF_MAX_ERRORS of them */
	snprintf(text, sizeof(text), "%s", minimal);
	for (i = 0; i < 20; i++)
		strcat(text, "bogus\n");
	tmpfile_write(conf_path, sizeof(conf_path), "many.conf", text, 0644);
	assert_int_equal(mlsd_config_load(conf_path, &c, &e), -1);
	snprintf(want, sizeof(want), "%s:20: missing '=' in \"bogus\"\n%s: too many errors",
		 conf_path, conf_path);
	assert_non_null(strstr(e.msg, want));
	assert_null(strstr(e.msg, ":21:"));
}

static void test_value_errors(void **state)
{
	edit_refused("10.7.0.1/24", "10.7.0.300/24", 4,
		     "bad address \"10.7.0.300/24\" (expected ADDR/LEN, e.g. 10.0.0.1/32 or fd00::1/128)");
	edit_refused("10.7.0.1/24", "10.7.0.1/33", 4,
		     "bad address \"10.7.0.1/33\" (expected ADDR/LEN, e.g. 10.0.0.1/32 or fd00::1/128)");
	edit_refused("Name = alice", "Name = -alice", 2,
		     "invalid name \"-alice\" (1-63 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
	edit_refused("Address = 10.7.0.1/24\n",
		     "Address = 10.7.0.1/24\nListenPort = 8x\n", 5,
		     "\"8x\" is not a number");
	edit_refused("Address = 10.7.0.1/24\n",
		     "Address = 10.7.0.1/24\nListenPort = 70000\n", 5,
		     "70000 is out of range (0-65535)");
	edit_refused("Address = 10.7.0.1/24\n",
		     "Address = 10.7.0.1/24\nDevice = averyveryverylongname\n", 5,
		     "device name \"averyveryverylongname\" longer than 15 bytes");
	edit_refused("CA = ca.pub\n", "CA = ca.pub\nRekeyInterval = 5\n", 8,
		     "5 is out of range (10-86400)");
	edit_refused("CA = ca.pub\n", "CA = ca.pub\nSuite = 9\n", 8,
		     "unknown cipher suite \"9\" (1-7, RFC 9420 §17.1)");
	edit_refused("relay.example:443", "relay.example:0", 9,
		     "bad port \"0\" (1-65535)");
	edit_refused("relay.example:443", "relay.example", 9,
		     "bad address \"relay.example\" (expected HOST:PORT)");
	edit_refused("relay.example:443", "2001:db8::1:443", 9,
		     "bad address \"2001:db8::1:443\" (write IPv6 as [ADDR]:PORT)");
	edit_refused(FPR, "sha256:0011", 10,
		     "bad fingerprint (expected sha256: and 64 hex digits)");
	edit_refused("relay.example:443\n", "relay.example:443\nKeepalive = 3601\n",
		     10, "3601 is out of range (0-3600)");
}

static void test_missing_and_inconsistent(void **state)
{
	edit_refused("PrivateKeyFile = alice.key\n", "", 1,
		     "[Interface] lacks PrivateKeyFile");
	edit_refused("Address = relay.example:443\n", "", 8,
		     "[Relay] lacks Address");
	edit_refused("[Relay]\nAddress = relay.example:443\nFingerprint = " FPR "\n",
		     "", 7, "missing section [Relay]");
	edit_refused("Fingerprint = " FPR "\n", "", 8,
		     "[Relay] needs Fingerprint or CAFile");
	edit_refused(NULL, "CAFile = relay-ca.pem\n", 11,
		     "[Relay] has both Fingerprint and CAFile; keep one");
	edit_refused("CA = ca.pub\n", "", 5,
		     "no trust anchor: [Network] has no CA and there is no [Pin]");
	edit_refused("CA = ca.pub\n", "CRL = ca.crl\n", 7,
		     "CRL needs a CA in [Network]");
}

static void test_pin_errors(void **state)
{
	struct mlsd_sig_key k;
	struct mlsd_sig_pub p;
	struct mlsd_err e;
	char key[MLSD_SIG_LINE_MAX], pin[1024], two[2048], bad[1024];

	assert_int_equal(mlsd_sig_key_generate(1, &k, &e), 0);
	mlsd_sig_pub_of(&k, &p);
	mlsd_sig_pub_format(&p, key, sizeof(key));
	snprintf(pin, sizeof(pin), "[Pin]\nIdentity = bob\nSignatureKey = %s\nAddress = 10.7.0.2/32\n",
		 key);
	/* a pin is a trust anchor of its own: no CA needed */
	{
		struct mlsd_config c;

		conf_with("CA = ca.pub\n", pin);
		assert_int_equal(mlsd_config_load(conf_path, &c, &e), 0);
		assert_int_equal(c.n_pins, 1);
		mlsd_config_free(&c);
	}
	snprintf(two, sizeof(two), "%s%s", pin, pin);
	edit_refused(NULL, two, 16, "identity \"bob\" already pinned at line 11");
	edit_refused(NULL, "[Pin]\nIdentity = carol\n", 11,
		     "[Pin] lacks SignatureKey");
	snprintf(bad, sizeof(bad), "[Pin]\nIdentity = bob\nSignatureKey = %s\nAddress = 10.7.0.2/24\n",
		 key);
	edit_refused(NULL, bad, 14,
		     "bad address \"10.7.0.2/24\": bits set past the prefix length");
	edit_refused2(NULL, "[Pin]\nIdentity = bob\nSignatureKey = mlsdco-priv:1:AAAA\n", 13,
		      "SignatureKey: holds \"mlsdco-priv\", expected \"mlsdco-pub\"",
		      11, "[Pin] lacks Address");
	snprintf(bad, sizeof(bad), "%s", pin);
	*strstr(bad, "pub:1:") = '\0';
	{
		char text[2100];

		snprintf(text, sizeof(text), "%spub:2:%s", bad,
			 strstr(pin, "pub:1:") + 6);
		edit_refused(NULL, text, 13,
			     "SignatureKey: not a valid public key of suite 2");
	}
	mlsd_sig_key_wipe(&k);
	/* the key's suite is not the network's */
	assert_int_equal(mlsd_sig_key_generate(2, &k, &e), 0);
	mlsd_sig_pub_of(&k, &p);
	mlsd_sig_pub_format(&p, key, sizeof(key));
	snprintf(pin, sizeof(pin), "[Pin]\nIdentity = bob\nSignatureKey = %s\nAddress = 10.7.0.2/32\n",
		 key);
	edit_refused(NULL, pin, 11,
		     "[Pin] bob has a key of suite 2, the network uses suite 1");
	mlsd_sig_key_wipe(&k);
}

/* ---- the trust anchor the config names ---- */

static void anchor_refused(const char *why_fmt, const char *arg)
{
	struct mlsd_admission a;
	struct mlsd_config c;
	struct mlsd_err e = { "" };
	char want[MLSD_ERR_LEN];

	assert_int_equal(mlsd_config_load(conf_path, &c, &e), 0);
	snprintf(want, sizeof(want), why_fmt, conf_path, arg);
	assert_int_equal(mlsd_admission_from_config(&c, &a, &e), -1);
	assert_string_equal(e.msg, want);
	assert_false(a.has_ca);
	mlsd_config_free(&c);
}

static void write_ca(const char *name, const char *network,
		     struct mlsd_ca_priv *priv)
{
	struct mlsd_ca_pub pub;
	struct mlsd_err e;
	char line[256], path[256];

	assert_int_equal(mlsd_ca_generate(network, priv, &pub, &e), 0);
	mlsd_ca_pub_format(&pub, line, sizeof(line));
	strcat(line, "\n");
	tmpfile_write(path, sizeof(path), name, line, 0644);
}

static void test_trust_anchor_files(void **state)
{
	struct mlsd_ca_priv ca, other;
	struct mlsd_crl crl = { 0 };
	struct mlsd_admission a;
	struct mlsd_config c;
	struct mlsd_err e;
	char path[256], want[512];

	snprintf(path, sizeof(path), "%s/ca.pub", tmpdir());
	unlink(path);
	conf_with("", "");
	anchor_refused("%s:7: CA: %s: No such file or directory", path);

	write_ca("ca.pub", "other", &other);
	anchor_refused("%s:7: CA %s is the CA of network \"other\", not \"corp\"",
		       path);

	write_ca("ca.pub", "corp", &ca);
	conf_with("CA = ca.pub\n", "CA = ca.pub\nCRL = ca.crl\n");
	/* a CRL signed by another CA is refused */
	snprintf(path, sizeof(path), "%s/ca.crl", tmpdir());
	unlink(path);
	snprintf(other.network, sizeof(other.network), "corp");
	assert_int_equal(mlsd_crl_add(&crl, 7), 0);
	assert_int_equal(mlsd_crl_sign(&crl, &other), 0);
	assert_int_equal(mlsd_crl_write(path, &crl, false, &e), 0);
	anchor_refused("%s:8: CRL: %s: CRL refused: issued by another CA", path);

	assert_int_equal(mlsd_crl_sign(&crl, &ca), 0);
	assert_int_equal(mlsd_crl_write(path, &crl, true, &e), 0);
	assert_int_equal(mlsd_config_load(conf_path, &c, &e), 0);
	assert_int_equal(mlsd_admission_from_config(&c, &a, &e), 0);
	assert_true(a.has_ca);
	assert_true(a.has_crl);
	assert_true(mlsd_crl_has(&a.crl, 7));
	assert_int_equal(a.skew, 300);
	snprintf(want, sizeof(want), "%s", "corp");
	assert_string_equal(a.network, want);
	mlsd_admission_free(&a);
	mlsd_config_free(&c);
	mlsd_crl_free(&crl);
	mlsd_ca_priv_wipe(&ca);
	mlsd_ca_priv_wipe(&other);
}

static int teardown(void **state)
{
	tmpdir_remove();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_file_not_found),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_every_bad_line),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_missing_and_inconsistent),
		cmocka_unit_test(test_pin_errors),
		cmocka_unit_test(test_trust_anchor_files),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
