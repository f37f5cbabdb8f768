// SPDX-License-Identifier: MIT
/*
 * The built mlsctl binary sets up a network on its own: genkey | pubkey,
 * ca init, ca sign, ca revoke; the certificate it signs is admitted by
 * the admission code loaded from an mlsd.conf naming its ca.pub, until
 * its serial is revoked. Runs ../../bin/mlsctl next to this program.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "mls/msg_common.h"
#include "../../mlsd/admission.h"
#include "cli.h"

static void read_text(const char *name, char *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir(), name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static mode_t mode_of(const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", tmpdir(), name);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 0777;
}

static int setup(void **state)
{
	return mlsctl_find();
}

static int teardown(void **state)
{
	tmpdir_remove();
	return 0;
}

static void test_genkey_pubkey(void **state)
{
	struct mlsd_sig_key k;
	struct mlsd_sig_pub p;
	struct mlsd_err e;
	char out[512], want[MLSD_SIG_LINE_MAX], path[512];

	assert_int_equal(run("umask 022; %s genkey --out a.key", mlsctl), 0);
	assert_int_equal(mode_of("a.key"), 0600);
	read_text("a.key", out, sizeof(out));
	assert_memory_equal(out, "mlsdco-priv:1:", 14);
	assert_int_equal(run("%s pubkey < a.key > a.pub", mlsctl), 0);
	read_text("a.pub", out, sizeof(out));
	snprintf(path, sizeof(path), "%s/a.key", tmpdir());
	assert_int_equal(mlsd_sig_key_load(path, &k, &e), 0);
	mlsd_sig_pub_of(&k, &p);
	mlsd_sig_key_wipe(&k);
	mlsd_sig_pub_format(&p, want, sizeof(want));
	strcat(want, "\n");
	assert_string_equal(out, want);
	/* never over an existing key */
	assert_int_equal(run("%s genkey --out a.key 2>err", mlsctl), 1);
	read_text("err", out, sizeof(out));
	assert_non_null(strstr(out, "a.key: File exists"));
	/* wg genkey | wg pubkey, in suite 2 */
	assert_int_equal(run("%s genkey --suite 2 | %s pubkey > p256.pub", mlsctl,
			     mlsctl), 0);
	read_text("p256.pub", out, sizeof(out));
	assert_memory_equal(out, "mlsdco-pub:2:", 13);
	assert_int_equal(run("%s genkey --suite 9 2>err", mlsctl), 1);
	/* a readable private key is refused */
	assert_int_equal(run("cp a.key open.key && chmod 644 open.key && %s pubkey < open.key 2>err",
			     mlsctl), 1);
	read_text("err", out, sizeof(out));
	assert_string_equal(out, "mlsctl: pubkey: <stdin>: private key is accessible by group or others (mode 0644); chmod 600 the file\n");
}

/* mlsd.conf of a host trusting ca/ca.pub and ca/ca.crl. */
static void load_admission(struct mlsd_admission *a)
{
	static const char conf[] =
		"[Interface]\nName = alice\nPrivateKeyFile = a.key\n"
		"Certificate = a.cert\nAddress = 10.7.0.1/24\n"
		"[Network]\nName = corp\nCA = ca/ca.pub\nCRL = ca/ca.crl\n"
		"[Relay]\nAddress = relay.example:443\n"
		"Fingerprint = sha256:0000000000000000000000000000000000000000000000000000000000000000\n";
	struct mlsd_config c;
	struct mlsd_err e = { "" };
	char path[512];

	tmpfile_write(path, sizeof(path), "mlsd.conf", conf, 0644);
	if (mlsd_config_load(path, &c, &e) ||
	    mlsd_admission_from_config(&c, a, &e))
		fail_msg("%s", e.msg);
	mlsd_config_free(&c);
}

static int admit_alice(struct mlsd_admitted *who)
{
	struct mlsd_admission a;
	struct mls_bytes cert = { NULL, 0 };
	struct mlsd_host_cert c;
	struct mlsd_sig_key k;
	struct mls_leaf_node leaf;
	struct mlsd_err e;
	char path[512];
	int st;

	load_admission(&a);
	snprintf(path, sizeof(path), "%s/a.cert", tmpdir());
	assert_int_equal(mlsd_cert_load(path, &c, &cert, &e), 0);
	snprintf(path, sizeof(path), "%s/a.key", tmpdir());
	assert_int_equal(mlsd_sig_key_load(path, &k, &e), 0);
	memset(&leaf, 0, sizeof(leaf));
	leaf.credential.type = MLS_CREDENTIAL_BASIC;
	leaf.credential.identity = cert;
	leaf.signature_key.data = k.pub;
	leaf.signature_key.len = k.pub_len;
	st = mlsd_admission_check(&a, mls_suite_get(1), &leaf, who);
	mlsd_sig_key_wipe(&k);
	mls_bytes_free(&cert);
	mlsd_admission_free(&a);
	return st;
}

static void test_ca_init_sign_revoke(void **state)
{
	struct mlsd_admitted who;
	char out[1024], serial[32];
	const char *s;

	assert_int_equal(run("umask 022; %s ca init --network corp --out ca > init.out",
			     mlsctl), 0);
	assert_int_equal(mode_of("ca/ca.key"), 0600);
	assert_int_equal(mode_of("ca/ca.pub"), 0644);
	assert_int_equal(mode_of("ca"), 0700);
	read_text("ca/ca.pub", out, sizeof(out));
	assert_memory_equal(out, "mlsdco-ca-pub:corp:", 19);
	assert_int_equal(run("%s ca init --network corp --out ca 2>err", mlsctl), 1);
	assert_int_equal(run("%s ca sign alice --ip 10.7.0.1/32 --ip fd00:7::1/128 --pubkey a.pub --ca-key ca/ca.key --days 30 --out a.cert > sign.out",
			     mlsctl), 0);
	assert_int_equal(admit_alice(&who), MLSD_ADMIT_OK);
	assert_string_equal(who.identity, "alice");
	assert_int_equal(who.n_prefixes, 2);
	assert_int_equal(who.prefixes[0].len, 32);
	assert_int_equal(who.prefixes[1].family, 6);
	/* ca show prints what was signed */
	assert_int_equal(run("%s ca show a.cert > show.out", mlsctl), 0);
	read_text("show.out", out, sizeof(out));
	assert_non_null(strstr(out, "host alice\nnetwork corp\nsuite 1\n"));
	assert_non_null(strstr(out, "address 10.7.0.1/32\naddress fd00:7::1/128\n"));
	s = strstr(out, "serial ");
	assert_non_null(s);
	snprintf(serial, sizeof(serial), "%.*s", (int)strcspn(s + 7, "\n"), s + 7);
	assert_int_equal(who.serial, strtoull(serial, NULL, 10));
	/* refusals: host bits, a private key where the public one goes */
	assert_int_equal(run("%s ca sign bob --ip 10.7.0.2/24 --pubkey a.pub --ca-key ca/ca.key --out b.cert 2>err",
			     mlsctl), 1);
	assert_int_equal(run("%s ca sign bob --ip 10.7.0.2/32 --pubkey a.key --ca-key ca/ca.key --out b.cert 2>err",
			     mlsctl), 1);
	read_text("err", out, sizeof(out));
	assert_non_null(strstr(out, "holds \"mlsdco-priv\", expected \"mlsdco-pub\""));
	/* revoked: the admission code refuses the same certificate */
	assert_int_equal(run("%s ca revoke --ca-key ca/ca.key --crl ca/ca.crl %s > rev.out",
			     mlsctl, serial), 0);
	assert_int_equal(admit_alice(&who), MLSD_CERT_REVOKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_genkey_pubkey),
		cmocka_unit_test(test_ca_init_sign_revoke),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
