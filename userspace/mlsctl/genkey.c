// SPDX-License-Identifier: MIT
/*
 * mlsctl genkey / pubkey: a host's MLS signature key, like wg genkey and
 * wg pubkey. The private key goes to a new file created mode 0600 (or to
 * standard output, with a warning when that is a file others can read);
 * pubkey reads it on standard input and prints the public key.
 */

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../mlsd/keyfile.h"
#include "../mlsd/sigkey.h"
#include "mls/codec.h"
#include "mlsctl.h"

static int genkey_args(int argc, char **argv, uint32_t *suite,
		       const char **out)
{
	int i;

	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			return mlsctl_err("genkey: \"%s\" needs a value", argv[i]);
		if (!strcmp(argv[i], "--suite")) {
			if (mlsctl_parse_u32(argv[i + 1], 0xffff, suite) ||
			    !mls_suite_get((uint16_t)*suite))
				return mlsctl_err("genkey: unknown cipher suite \"%s\" (1-7)",
						  argv[i + 1]);
		} else if (!strcmp(argv[i], "--out")) {
			*out = argv[i + 1];
		} else {
			return mlsctl_err("genkey: unknown argument \"%s\"",
					  argv[i]);
		}
	}
	return MLSCTL_OK;
}

int mlsctl_genkey(int argc, char **argv)
{
	char line[MLSD_SIG_LINE_MAX];
	struct mlsd_sig_key k;
	struct mlsd_err e;
	const char *out = NULL;
	uint32_t suite = 1;
	unsigned int mode;
	int err;

	if (genkey_args(argc, argv, &suite, &out))
		return MLSCTL_FAIL;
	if (mlsd_sig_key_generate((uint16_t)suite, &k, &e))
		return mlsctl_err("genkey: %s", e.msg);
	err = mlsd_sig_key_format_priv(&k, line, sizeof(line));
	mlsd_sig_key_wipe(&k);
	if (err)
		return mlsctl_err("genkey: cannot format the key");
	if (out) {
		umask(077);
		err = mlsd_file_write_new(out, line, true, &e);
		if (err)
			mlsctl_err("genkey: %s", e.msg);
	} else {
		if (mlsd_fd_too_open(STDOUT_FILENO, &mode))
			fprintf(stderr, "mlsctl: warning: writing a private key to a file group or others can read (mode %04o)\n",
				mode);
		err = puts(line) < 0 || fflush(stdout) ?
		      mlsctl_err("genkey: cannot write the key") : 0;
	}
	mls_wipe(line, sizeof(line));
	return err ? MLSCTL_FAIL : MLSCTL_OK;
}

int mlsctl_pubkey(int argc, char **argv)
{
	char line[MLSD_SIG_LINE_MAX];
	struct mlsd_sig_key k;
	struct mlsd_sig_pub p;
	struct mlsd_err e;

	if (argc)
		return mlsctl_err("pubkey: takes no arguments (the private key comes on standard input)");
	if (mlsd_sig_key_load("-", &k, &e))
		return mlsctl_err("pubkey: %s", e.msg);
	mlsd_sig_pub_of(&k, &p);
	mlsd_sig_key_wipe(&k);
	if (mlsd_sig_pub_format(&p, line, sizeof(line)))
		return mlsctl_err("pubkey: cannot format the key");
	puts(line);
	return fflush(stdout) ? MLSCTL_FAIL : MLSCTL_OK;
}
