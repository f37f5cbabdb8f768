// SPDX-License-Identifier: MIT
/*
 * mlsctl ca: a network's CA with this project's tools alone.
 *   ca init --network NAME --out DIR     ca.key (0600), ca.pub, ca.crl
 *   ca sign NAME --ip ADDR/LEN [--ip ...] --pubkey FILE --ca-key FILE
 *           [--days N] [--serial N] --out FILE
 *   ca revoke --ca-key FILE --crl FILE SERIAL...
 *   ca show CERT                          what a certificate says
 * The CA key is Ed25519 (libsodium), whatever the groups' cipher suite,
 * and is needed only here: hosts carry ca.pub (docs/ADMISSION.md).
 */

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../mlsd/hostcert.h"
#include "../mlsd/keyfile.h"
#include "../mlsd/sigkey.h"
#include "mlsctl.h"

#define CA_DEFAULT_DAYS	365
#define CA_MAX_DAYS	(100 * 366)

/* "--name VALUE" options of a ca command; --ip may repeat. */
struct ca_opts {
	const char *network, *out, *pubkey, *ca_key, *crl, *days, *serial;
	const char *ips[MLSD_CERT_MAX_PREFIXES];
	size_t n_ips;
	char *args[64];			/* the rest, in order */
	size_t n_args;
};

static const char **ca_opt_slot(struct ca_opts *o, const char *name)
{
	static const struct { const char *name; size_t off; } opts[] = {
		{ "--network", offsetof(struct ca_opts, network) },
		{ "--out", offsetof(struct ca_opts, out) },
		{ "--pubkey", offsetof(struct ca_opts, pubkey) },
		{ "--ca-key", offsetof(struct ca_opts, ca_key) },
		{ "--crl", offsetof(struct ca_opts, crl) },
		{ "--days", offsetof(struct ca_opts, days) },
		{ "--serial", offsetof(struct ca_opts, serial) },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(name, opts[i].name))
			return (const char **)((char *)o + opts[i].off);
	return NULL;
}

static int ca_parse(const char *what, int argc, char **argv,
		    struct ca_opts *o)
{
	const char **slot;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2)) {
			if (o->n_args == sizeof(o->args) / sizeof(o->args[0]))
				return mlsctl_err("%s: too many arguments", what);
			o->args[o->n_args++] = argv[i];
			continue;
		}
		if (i + 1 >= argc)
			return mlsctl_err("%s: \"%s\" needs a value", what, argv[i]);
		if (!strcmp(argv[i], "--ip")) {
			if (o->n_ips == MLSD_CERT_MAX_PREFIXES)
				return mlsctl_err("%s: at most %d --ip", what,
						  MLSD_CERT_MAX_PREFIXES);
			o->ips[o->n_ips++] = argv[++i];
			continue;
		}
		slot = ca_opt_slot(o, argv[i]);
		if (!slot)
			return mlsctl_err("%s: unknown option \"%s\"", what, argv[i]);
		if (*slot)
			return mlsctl_err("%s: \"%s\" given twice", what, argv[i]);
		*slot = argv[++i];
	}
	return MLSCTL_OK;
}

static int ca_need(const char *what, const char *value, const char *name)
{
	if (!value)
		return mlsctl_err("%s: %s is required", what, name);
	return MLSCTL_OK;
}

/* ---- ca init ---- */

static int ca_write_all(const char *dir, const struct mlsd_ca_priv *priv,
			const struct mlsd_ca_pub *pub)
{
	char path[4096], line[256];
	struct mlsd_crl crl = { .issued_at = (uint64_t)time(NULL) };
	struct mlsd_err e;
	int err;

	snprintf(path, sizeof(path), "%s/ca.key", dir);
	mlsd_ca_priv_format(priv, line, sizeof(line));
	err = mlsd_file_write_new(path, line, true, &e);
	sodium_memzero(line, sizeof(line));
	if (err)
		return mlsctl_err("ca init: %s", e.msg);
	snprintf(path, sizeof(path), "%s/ca.pub", dir);
	mlsd_ca_pub_format(pub, line, sizeof(line));
	if (mlsd_file_write_new(path, line, false, &e))
		return mlsctl_err("ca init: %s", e.msg);
	snprintf(path, sizeof(path), "%s/ca.crl", dir);
	if (mlsd_crl_sign(&crl, priv) || mlsd_crl_write(path, &crl, false, &e))
		return mlsctl_err("ca init: %s", e.msg);
	return MLSCTL_OK;
}

static int ca_init(int argc, char **argv)
{
	struct mlsd_ca_priv priv;
	struct mlsd_ca_pub pub;
	struct ca_opts o;
	struct mlsd_err e;
	int err;

	if (ca_parse("ca init", argc, argv, &o) ||
	    ca_need("ca init", o.network, "--network") ||
	    ca_need("ca init", o.out, "--out"))
		return MLSCTL_FAIL;
	if (o.n_args || o.n_ips)
		return mlsctl_err("ca init: unexpected argument");
	if (mkdir(o.out, 0700) && errno != EEXIST)
		return mlsctl_err("ca init: %s: %s", o.out, strerror(errno));
	if (mlsd_ca_generate(o.network, &priv, &pub, &e))
		return mlsctl_err("ca init: %s", e.msg);
	err = ca_write_all(o.out, &priv, &pub);
	mlsd_ca_priv_wipe(&priv);
	if (!err)
		printf("%s/ca.key (keep it offline), %s/ca.pub (give it to every host), %s/ca.crl\n",
		       o.out, o.out, o.out);
	return err;
}

/* ---- ca sign ---- */

static int ca_cert_prefixes(struct ca_opts *o, struct mlsd_host_cert *c)
{
	size_t i;

	if (!o->n_ips)
		return mlsctl_err("ca sign: at least one --ip ADDR/LEN is required");
	for (i = 0; i < o->n_ips; i++) {
		if (mlsd_prefix_parse(o->ips[i], false, &c->prefixes[i]))
			return mlsctl_err("ca sign: bad --ip \"%s\" (expected ADDR/LEN)",
					  o->ips[i]);
		if (!mlsd_prefix_is_canonical(&c->prefixes[i]))
			return mlsctl_err("ca sign: --ip \"%s\" has bits set past the prefix length (a host is ADDR/32 or ADDR/128)",
					  o->ips[i]);
	}
	c->n_prefixes = o->n_ips;
	return MLSCTL_OK;
}

static int ca_cert_times(struct ca_opts *o, struct mlsd_host_cert *c)
{
	uint32_t days = CA_DEFAULT_DAYS;
	uint64_t serial;

	if (o->days && (mlsctl_parse_u32(o->days, CA_MAX_DAYS, &days) || !days))
		return mlsctl_err("ca sign: bad --days \"%s\" (1-%d)", o->days,
				  CA_MAX_DAYS);
	c->not_before = (uint64_t)time(NULL);
	c->not_after = c->not_before + (uint64_t)days * 86400;
	if (o->serial) {
		if (mlsctl_parse_u64(o->serial, UINT64_MAX, &serial))
			return mlsctl_err("ca sign: bad --serial \"%s\"", o->serial);
		c->serial = serial;
	} else {
		if (sodium_init() < 0)
			return mlsctl_err("ca sign: libsodium failed to initialise");
		randombytes_buf(&c->serial, sizeof(c->serial));
		c->serial >>= 1;	/* fits a signed 64-bit integer */
	}
	return MLSCTL_OK;
}

static int ca_cert_subject(struct ca_opts *o, struct mlsd_host_cert *c)
{
	struct mlsd_sig_pub pub;
	struct mlsd_err e;

	if (o->n_args != 1)
		return mlsctl_err("ca sign: give one host NAME");
	if (!mlsd_name_valid(o->args[0]))
		return mlsctl_err("ca sign: invalid host name \"%s\" (1-%d of A-Z a-z 0-9 . _ -, starting with a letter or digit)",
				  o->args[0], MLSD_NAME_MAX);
	snprintf(c->host, sizeof(c->host), "%s", o->args[0]);
	if (mlsd_sig_pub_load(o->pubkey, &pub, &e))
		return mlsctl_err("ca sign: %s", e.msg);
	c->suite = pub.suite;
	memcpy(c->sig_key, pub.pub, pub.len);
	c->sig_key_len = pub.len;
	return MLSCTL_OK;
}

static int ca_sign(int argc, char **argv)
{
	struct mlsd_host_cert c;
	struct mlsd_ca_priv ca;
	enum mlsd_cert_status st;
	struct ca_opts o;
	struct mlsd_err e;

	memset(&c, 0, sizeof(c));
	if (ca_parse("ca sign", argc, argv, &o) ||
	    ca_need("ca sign", o.pubkey, "--pubkey") ||
	    ca_need("ca sign", o.ca_key, "--ca-key") ||
	    ca_need("ca sign", o.out, "--out") ||
	    ca_cert_subject(&o, &c) || ca_cert_prefixes(&o, &c) ||
	    ca_cert_times(&o, &c))
		return MLSCTL_FAIL;
	if (mlsd_ca_priv_load(o.ca_key, &ca, &e))
		return mlsctl_err("ca sign: %s", e.msg);
	snprintf(c.network, sizeof(c.network), "%s", ca.network);
	st = mlsd_cert_sign(&c, &ca);
	mlsd_ca_priv_wipe(&ca);
	if (st)
		return mlsctl_err("ca sign: %s", mlsd_cert_strerror(st));
	if (mlsd_cert_write(o.out, &c, &e))
		return mlsctl_err("ca sign: %s", e.msg);
	printf("%s: host %s of network %s, serial %llu, valid until %llu\n",
	       o.out, c.host, c.network, (unsigned long long)c.serial,
	       (unsigned long long)c.not_after);
	return MLSCTL_OK;
}

/* ---- ca revoke ---- */

static int ca_revoke_serials(struct ca_opts *o, struct mlsd_crl *crl)
{
	uint64_t serial;
	size_t i;

	if (!o->n_args)
		return mlsctl_err("ca revoke: give the SERIAL of each certificate to revoke");
	for (i = 0; i < o->n_args; i++) {
		if (mlsctl_parse_u64(o->args[i], UINT64_MAX, &serial))
			return mlsctl_err("ca revoke: bad serial \"%s\"", o->args[i]);
		if (mlsd_crl_add(crl, serial))
			return mlsctl_err("ca revoke: out of memory");
	}
	return MLSCTL_OK;
}

static int ca_revoke(int argc, char **argv)
{
	struct mlsd_crl crl = { 0 };
	struct mlsd_ca_priv ca;
	struct mlsd_ca_pub pub;
	struct ca_opts o;
	struct mlsd_err e;
	int err = MLSCTL_FAIL;

	if (ca_parse("ca revoke", argc, argv, &o) ||
	    ca_need("ca revoke", o.ca_key, "--ca-key") ||
	    ca_need("ca revoke", o.crl, "--crl"))
		return MLSCTL_FAIL;
	if (mlsd_ca_priv_load(o.ca_key, &ca, &e))
		return mlsctl_err("ca revoke: %s", e.msg);
	mlsd_ca_pub_of(&ca, &pub);
	if (access(o.crl, F_OK) == 0 && mlsd_crl_load(o.crl, &pub, &crl, &e)) {
		mlsctl_err("ca revoke: %s", e.msg);
		goto out;
	}
	if (ca_revoke_serials(&o, &crl))
		goto out;
	crl.issued_at = (uint64_t)time(NULL);
	if (mlsd_crl_sign(&crl, &ca) || mlsd_crl_write(o.crl, &crl, true, &e)) {
		mlsctl_err("ca revoke: %s", e.msg);
		goto out;
	}
	printf("%s: %zu revoked serial(s)\n", o.crl, crl.n_serials);
	err = MLSCTL_OK;
out:
	mlsd_ca_priv_wipe(&ca);
	mlsd_crl_free(&crl);
	return err;
}

/* ---- ca show ---- */

static void ca_show_cert(const struct mlsd_host_cert *c)
{
	char buf[MLSD_PREFIX_STRLEN];
	size_t i;

	printf("host %s\nnetwork %s\nsuite %u\nserial %llu\nnot_before %llu\nnot_after %llu\n",
	       c->host, c->network, c->suite, (unsigned long long)c->serial,
	       (unsigned long long)c->not_before,
	       (unsigned long long)c->not_after);
	for (i = 0; i < c->n_prefixes; i++) {
		mlsd_prefix_format(&c->prefixes[i], buf, sizeof(buf));
		printf("address %s\n", buf);
	}
}

static int ca_show(int argc, char **argv)
{
	struct mls_bytes enc = { NULL, 0 };
	struct mlsd_host_cert c;
	struct mlsd_err e;

	if (argc != 1)
		return mlsctl_err("ca show: give one certificate FILE");
	if (mlsd_cert_load(argv[0], &c, &enc, &e))
		return mlsctl_err("ca show: %s", e.msg);
	mls_bytes_free(&enc);
	ca_show_cert(&c);
	return MLSCTL_OK;
}

int mlsctl_ca(int argc, char **argv)
{
	static const struct mlsctl_cmd cmds[] = {
		{ "init", ca_init },
		{ "sign", ca_sign },
		{ "revoke", ca_revoke },
		{ "show", ca_show },
		{ NULL, NULL },
	};

	return mlsctl_dispatch("ca", cmds, argc, argv);
}
