/* SPDX-License-Identifier: MIT */
/*
 * A host's MLS signature key pair and its files: "mlsdco-priv:SUITE:B64"
 * (the private key in libmls's serialised form) and "mlsdco-pub:SUITE:B64"
 * (what `mlsctl pubkey` prints, what a CA signs and a pin lists).
 */
#ifndef MLSD_SIGKEY_H
#define MLSD_SIGKEY_H

#include <stddef.h>
#include <stdint.h>

#include "mls/crypto.h"
#include "err.h"

struct mlsd_sig_key {
	uint16_t suite;
	uint8_t priv[MLS_MAX_SIG_PRIV_LEN];
	size_t priv_len;
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];
	size_t pub_len;
};

struct mlsd_sig_pub {
	uint16_t suite;
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];
	size_t len;
};

/* A fresh key pair of suite (a libmls suite number). */
int mlsd_sig_key_generate(uint16_t suite, struct mlsd_sig_key *k,
			  struct mlsd_err *e);
void mlsd_sig_key_wipe(struct mlsd_sig_key *k);

/* The lines of the files; out needs MLSD_SIG_LINE_MAX bytes. */
#define MLSD_SIG_LINE_MAX	256
int mlsd_sig_key_format_priv(const struct mlsd_sig_key *k, char *out,
			     size_t cap);
void mlsd_sig_pub_of(const struct mlsd_sig_key *k, struct mlsd_sig_pub *p);
int mlsd_sig_pub_format(const struct mlsd_sig_pub *p, char *out, size_t cap);

/* Parse a line; where names its source in errors. */
int mlsd_sig_key_parse(const char *where, const char *line,
		       struct mlsd_sig_key *k, struct mlsd_err *e);
int mlsd_sig_pub_parse(const char *where, const char *line,
		       struct mlsd_sig_pub *p, struct mlsd_err *e);

/* Files: the private key file must be mode 0600 or stricter. */
int mlsd_sig_key_load(const char *path, struct mlsd_sig_key *k,
		      struct mlsd_err *e);
int mlsd_sig_pub_load(const char *path, struct mlsd_sig_pub *p,
		      struct mlsd_err *e);

#endif
