// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mls/codec.h"
#include "keyfile.h"
#include "sigkey.h"

static int suite_of(const char *where, const char *field, uint16_t *suite,
		    const struct mls_suite **s, struct mlsd_err *e)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(field, &end, 10);
	if (errno || *end || field[0] < '1' || field[0] > '9' || v > 0xffff ||
	    !(*s = mls_suite_get((uint16_t)v)))
		return mlsd_errf(e, "%s: unknown cipher suite \"%s\"", where,
				 field);
	*suite = (uint16_t)v;
	return 0;
}

int mlsd_sig_key_generate(uint16_t suite, struct mlsd_sig_key *k,
			  struct mlsd_err *e)
{
	const struct mls_suite *s = mls_suite_get(suite);
	int err;

	memset(k, 0, sizeof(*k));
	if (!s)
		return mlsd_errf(e, "unknown cipher suite %u", suite);
	err = mls_sig_generate_keypair(NULL, s, k->priv, k->pub);
	if (err) {
		mlsd_sig_key_wipe(k);
		return mlsd_errf(e, "key generation failed: %s",
				 mls_strerror(err));
	}
	k->suite = suite;
	k->priv_len = s->sig_priv_len;
	k->pub_len = s->sig_pub_len;
	return 0;
}

void mlsd_sig_key_wipe(struct mlsd_sig_key *k)
{
	mls_wipe(k, sizeof(*k));
}

int mlsd_sig_key_format_priv(const struct mlsd_sig_key *k, char *out,
			     size_t cap)
{
	char suite[8];

	snprintf(suite, sizeof(suite), "%u", k->suite);
	return mlsd_tagged_format(MLSD_TAG_SIG_PRIV, suite, k->priv,
				  k->priv_len, out, cap);
}

void mlsd_sig_pub_of(const struct mlsd_sig_key *k, struct mlsd_sig_pub *p)
{
	p->suite = k->suite;
	memcpy(p->pub, k->pub, k->pub_len);
	p->len = k->pub_len;
}

int mlsd_sig_pub_format(const struct mlsd_sig_pub *p, char *out, size_t cap)
{
	char suite[8];

	snprintf(suite, sizeof(suite), "%u", p->suite);
	return mlsd_tagged_format(MLSD_TAG_SIG_PUB, suite, p->pub, p->len,
				  out, cap);
}

int mlsd_sig_key_parse(const char *where, const char *line,
		       struct mlsd_sig_key *k, struct mlsd_err *e)
{
	const struct mls_suite *s;
	char field[MLSD_FIELD_MAX];

	memset(k, 0, sizeof(*k));
	if (mlsd_tagged_parse(where, line, MLSD_TAG_SIG_PRIV, field,
			      sizeof(field), k->priv, sizeof(k->priv),
			      &k->priv_len, e) ||
	    suite_of(where, field, &k->suite, &s, e))
		goto fail;
	if (k->priv_len != s->sig_priv_len) {
		mlsd_errf(e, "%s: private key of %zu bytes, suite %u needs %zu",
			  where, k->priv_len, k->suite, s->sig_priv_len);
		goto fail;
	}
	if (mls_sig_pub_from_priv(s, k->priv, k->priv_len, k->pub)) {
		mlsd_errf(e, "%s: not a valid private key of suite %u", where,
			  k->suite);
		goto fail;
	}
	k->pub_len = s->sig_pub_len;
	return 0;
fail:
	mlsd_sig_key_wipe(k);
	return -1;
}

int mlsd_sig_pub_parse(const char *where, const char *line,
		       struct mlsd_sig_pub *p, struct mlsd_err *e)
{
	const struct mls_suite *s;
	char field[MLSD_FIELD_MAX];

	memset(p, 0, sizeof(*p));
	if (mlsd_tagged_parse(where, line, MLSD_TAG_SIG_PUB, field,
			      sizeof(field), p->pub, sizeof(p->pub), &p->len,
			      e) ||
	    suite_of(where, field, &p->suite, &s, e))
		return -1;
	if (p->len != s->sig_pub_len ||
	    mls_sig_validate_pub(s, p->pub, p->len))
		return mlsd_errf(e, "%s: not a valid public key of suite %u",
				 where, p->suite);
	return 0;
}

int mlsd_sig_key_load(const char *path, struct mlsd_sig_key *k,
		      struct mlsd_err *e)
{
	char line[MLSD_SIG_LINE_MAX];
	int err;

	memset(k, 0, sizeof(*k));
	err = mlsd_file_read_line(path, true, line, sizeof(line), e);
	if (!err)
		err = mlsd_sig_key_parse(strcmp(path, "-") ? path : "<stdin>",
					 line, k, e);
	mls_wipe(line, sizeof(line));
	return err;
}

int mlsd_sig_pub_load(const char *path, struct mlsd_sig_pub *p,
		      struct mlsd_err *e)
{
	char line[MLSD_SIG_LINE_MAX];

	memset(p, 0, sizeof(*p));
	if (mlsd_file_read_line(path, false, line, sizeof(line), e))
		return -1;
	return mlsd_sig_pub_parse(path, line, p, e);
}
