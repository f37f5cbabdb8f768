/* SPDX-License-Identifier: MIT */
/*
 * One-line key, certificate and CRL files: "TAG:FIELD:BASE64\n", e.g.
 * "mlsdco-priv:1:..." (a private MLS signature key of suite 1) or
 * "mlsdco-ca-pub:corp:..." (the CA key of network "corp"). The tag says
 * what the file holds, so a public key given where a private one belongs
 * (or a CA key for a host key) is named as such instead of misread.
 *
 * Secret files are created mode 0600 with O_EXCL (never over an existing
 * file) and refused on read when group or others may access them, as ssh
 * refuses such identity files.
 */
#ifndef MLSD_KEYFILE_H
#define MLSD_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MLSD_TAG_SIG_PRIV	"mlsdco-priv"
#define MLSD_TAG_SIG_PUB	"mlsdco-pub"
#define MLSD_TAG_CA_PRIV	"mlsdco-ca-priv"
#define MLSD_TAG_CA_PUB		"mlsdco-ca-pub"
#define MLSD_TAG_CERT		"mlsdco-cert"
#define MLSD_TAG_CRL		"mlsdco-crl"

/* Longest line of such a file, newline excluded. */
#define MLSD_LINE_MAX		16384
/* Longest FIELD (a suite number, a network or host name). */
#define MLSD_FIELD_MAX		64

/* "TAG:FIELD:BASE64" into out (cap bytes). 0, or -1 if it does not fit. */
int mlsd_tagged_format(const char *tag, const char *field, const uint8_t *bin,
		       size_t len, char *out, size_t cap);
/*
 * Split line as written by mlsd_tagged_format: field (NUL-terminated,
 * fieldcap bytes) and the decoded bytes (at most bincap). where names
 * the source in errors ("FILE: reason").
 */
int mlsd_tagged_parse(const char *where, const char *line, const char *tag,
		      char *field, size_t fieldcap, uint8_t *bin,
		      size_t bincap, size_t *binlen, struct mlsd_err *e);

/*
 * The one line of path ("-": standard input) without its newline, into
 * line (cap bytes). secret: refuse a regular file that group or others
 * may read or write. The caller wipes line when it held a secret.
 */
int mlsd_file_read_line(const char *path, bool secret, char *line, size_t cap,
			struct mlsd_err *e);
/*
 * line and a newline into a new file path (refused if it exists), mode
 * 0600 when secret, else 0644 (both before the umask, which may only
 * narrow them).
 */
int mlsd_file_write_new(const char *path, const char *line, bool secret,
			struct mlsd_err *e);
/* Whether fd is a regular file that group or others may access. */
bool mlsd_fd_too_open(int fd, unsigned int *mode);

#endif
