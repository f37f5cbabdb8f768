// SPDX-License-Identifier: MIT
/*
 * Host certificates and CRLs: TLS-presentation encoding through libmls's
 * codec, Ed25519 signatures from libsodium over a labelled content (as
 * MLS's SignWithLabel does, so a CA signature over a certificate can
 * never pass for one over a CRL), SHA-256 issuer ids from mbedTLS.
 */
#include <mbedtls/sha256.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostcert.h"
#include "keyfile.h"

bool mlsd_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > MLSD_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

const char *mlsd_cert_strerror(enum mlsd_cert_status st)
{
	switch (st) {
	case MLSD_CERT_OK: return "valid";
	case MLSD_CERT_DECODE: return "malformed certificate";
	case MLSD_CERT_BAD_VERSION: return "unsupported certificate version";
	case MLSD_CERT_NETWORK: return "issued for another network";
	case MLSD_CERT_ISSUER: return "issued by another CA";
	case MLSD_CERT_SIGNATURE: return "CA signature does not verify";
	case MLSD_CERT_NOT_YET_VALID: return "not yet valid";
	case MLSD_CERT_EXPIRED: return "expired";
	case MLSD_CERT_REVOKED: return "revoked";
	case MLSD_CERT_SUITE: return "for another cipher suite";
	case MLSD_CERT_KEY: return "certifies another signature key";
	case MLSD_CERT_INTERNAL: return "internal error";
	}
	return "unknown status";
}

/* ---- CA keys ---- */

void mlsd_ca_key_id(const uint8_t pub[MLSD_CA_PUB_LEN],
		    uint8_t id[MLSD_KEY_ID_LEN])
{
	mbedtls_sha256_ret(pub, MLSD_CA_PUB_LEN, id, 0);
}

/* libsodium's 64-byte secret key from the stored seed; wipe it after. */
static void ca_expand(const struct mlsd_ca_priv *priv,
		      uint8_t pk[MLSD_CA_PUB_LEN],
		      uint8_t sk[crypto_sign_SECRETKEYBYTES])
{
	crypto_sign_seed_keypair(pk, sk, priv->seed);
}

void mlsd_ca_pub_of(const struct mlsd_ca_priv *priv, struct mlsd_ca_pub *pub)
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES];

	memset(pub, 0, sizeof(*pub));
	snprintf(pub->network, sizeof(pub->network), "%s", priv->network);
	ca_expand(priv, pub->pub, sk);
	sodium_memzero(sk, sizeof(sk));
	mlsd_ca_key_id(pub->pub, pub->id);
}

int mlsd_ca_generate(const char *network, struct mlsd_ca_priv *priv,
		     struct mlsd_ca_pub *pub, struct mlsd_err *e)
{
	memset(priv, 0, sizeof(*priv));
	if (!mlsd_name_valid(network))
		return mlsd_errf(e, "invalid network name \"%s\" (1-%d of A-Z a-z 0-9 . _ -, starting with a letter or digit)",
				 network, MLSD_NAME_MAX);
	if (sodium_init() < 0)
		return mlsd_errf(e, "libsodium failed to initialise");
	snprintf(priv->network, sizeof(priv->network), "%s", network);
	randombytes_buf(priv->seed, sizeof(priv->seed));
	mlsd_ca_pub_of(priv, pub);
	return 0;
}

void mlsd_ca_priv_wipe(struct mlsd_ca_priv *priv)
{
	sodium_memzero(priv, sizeof(*priv));
}

int mlsd_ca_pub_format(const struct mlsd_ca_pub *p, char *out, size_t cap)
{
	return mlsd_tagged_format(MLSD_TAG_CA_PUB, p->network, p->pub,
				  sizeof(p->pub), out, cap);
}

int mlsd_ca_priv_format(const struct mlsd_ca_priv *p, char *out, size_t cap)
{
	return mlsd_tagged_format(MLSD_TAG_CA_PRIV, p->network, p->seed,
				  sizeof(p->seed), out, cap);
}

/* Read a "TAG:NETWORK:B64" file of exactly want bytes. */
static int load_named_key(const char *path, const char *tag, bool secret,
			  char network[MLSD_NAME_MAX + 1], uint8_t *key,
			  size_t want, struct mlsd_err *e)
{
	char line[256];
	uint8_t buf[64];
	size_t len;
	int err = -1;

	if (mlsd_file_read_line(path, secret, line, sizeof(line), e))
		goto out;
	if (mlsd_tagged_parse(path, line, tag, network, MLSD_NAME_MAX + 1,
			      buf, sizeof(buf), &len, e))
		goto out;
	if (!mlsd_name_valid(network)) {
		mlsd_errf(e, "%s: invalid network name \"%s\"", path, network);
		goto out;
	}
	if (len != want) {
		mlsd_errf(e, "%s: key of %zu bytes, expected %zu", path, len,
			  want);
		goto out;
	}
	memcpy(key, buf, want);
	err = 0;
out:
	sodium_memzero(line, sizeof(line));
	sodium_memzero(buf, sizeof(buf));
	return err;
}

int mlsd_ca_pub_load(const char *path, struct mlsd_ca_pub *p,
		     struct mlsd_err *e)
{
	memset(p, 0, sizeof(*p));
	if (load_named_key(path, MLSD_TAG_CA_PUB, false, p->network, p->pub,
			   sizeof(p->pub), e))
		return -1;
	mlsd_ca_key_id(p->pub, p->id);
	return 0;
}

int mlsd_ca_priv_load(const char *path, struct mlsd_ca_priv *p,
		      struct mlsd_err *e)
{
	memset(p, 0, sizeof(*p));
	if (load_named_key(path, MLSD_TAG_CA_PRIV, true, p->network, p->seed,
			   sizeof(p->seed), e)) {
		mlsd_ca_priv_wipe(p);
		return -1;
	}
	return 0;
}

/* ---- labelled CA signatures ---- */

/* SignContent: opaque label<V>, opaque content<V> (cf. RFC 9420 §5.1.2). */
static enum mlsd_cert_status sign_content(const char *label,
					  const uint8_t *tbs, size_t len,
					  struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	mls_write_opaque(&w, label, strlen(label));
	mls_write_opaque(&w, tbs, len);
	return mls_writer_finish(&w, out) ? MLSD_CERT_INTERNAL : MLSD_CERT_OK;
}

static enum mlsd_cert_status ca_sign(const struct mlsd_ca_priv *ca,
				     const char *label, const uint8_t *tbs,
				     size_t len, uint8_t sig[MLSD_CA_SIG_LEN])
{
	uint8_t pk[MLSD_CA_PUB_LEN], sk[crypto_sign_SECRETKEYBYTES];
	struct mls_bytes content = { NULL, 0 };
	enum mlsd_cert_status st;

	if (sodium_init() < 0)
		return MLSD_CERT_INTERNAL;
	st = sign_content(label, tbs, len, &content);
	if (st)
		return st;
	ca_expand(ca, pk, sk);
	crypto_sign_detached(sig, NULL, content.data, content.len, sk);
	sodium_memzero(sk, sizeof(sk));
	mls_bytes_free(&content);
	return MLSD_CERT_OK;
}

static enum mlsd_cert_status ca_verify(const struct mlsd_ca_pub *ca,
				       const char *label, const uint8_t *tbs,
				       size_t len,
				       const uint8_t sig[MLSD_CA_SIG_LEN])
{
	struct mls_bytes content = { NULL, 0 };
	enum mlsd_cert_status st;

	if (sodium_init() < 0)
		return MLSD_CERT_INTERNAL;
	st = sign_content(label, tbs, len, &content);
	if (st)
		return st;
	if (crypto_sign_verify_detached(sig, content.data, content.len,
					ca->pub))
		st = MLSD_CERT_SIGNATURE;
	mls_bytes_free(&content);
	return st;
}

/* ---- certificate encoding ---- */

static void write_name(struct mls_writer *w, const char *name)
{
	mls_write_opaque(w, name, strlen(name));
}

static int read_name(struct mls_reader *r, char out[MLSD_NAME_MAX + 1])
{
	struct mls_reader sub;

	if (mls_read_vector(r, &sub))
		return -1;
	if (sub.len > MLSD_NAME_MAX)
		return mls_reader_fail(r, MLS_ERR_TOO_LONG);
	memcpy(out, sub.buf, sub.len);
	out[sub.len] = '\0';
	sub.pos = sub.len;
	mls_reader_close(r, &sub);
	return mlsd_name_valid(out) ? mls_reader_error(r) :
				      mls_reader_fail(r, MLS_ERR_DECODE);
}

static void write_prefixes(struct mls_writer *w, const struct mlsd_prefix *p,
			   size_t n)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < n; i++) {
		mls_write_u8(w, p[i].family);
		mls_write_raw(w, p[i].addr, mlsd_prefix_addr_len(&p[i]));
		mls_write_u8(w, p[i].len);
	}
	mls_write_vector_end(w, mark);
}

static int read_prefix(struct mls_reader *r, struct mlsd_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (mls_read_u8(r, &p->family))
		return -1;
	if (p->family != 4 && p->family != 6)
		return mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	mls_read_raw(r, p->addr, mlsd_prefix_addr_len(p));
	if (mls_read_u8(r, &p->len))
		return -1;
	if (p->len > mlsd_prefix_addr_len(p) * 8 ||
	    !mlsd_prefix_is_canonical(p))
		return mls_reader_fail(r, MLS_ERR_DECODE);
	return 0;
}

static int read_prefixes(struct mls_reader *r, struct mlsd_host_cert *c)
{
	struct mls_reader sub;

	if (mls_read_vector(r, &sub))
		return -1;
	while (mls_reader_more(&sub)) {
		if (c->n_prefixes == MLSD_CERT_MAX_PREFIXES) {
			mls_reader_fail(&sub, MLS_ERR_TOO_LONG);
			break;
		}
		read_prefix(&sub, &c->prefixes[c->n_prefixes++]);
	}
	return mls_reader_close(r, &sub);
}

static void cert_encode_tbs(struct mls_writer *w,
			    const struct mlsd_host_cert *c)
{
	mls_write_u16(w, c->version);
	write_name(w, c->network);
	write_name(w, c->host);
	mls_write_u16(w, c->suite);
	mls_write_opaque(w, c->sig_key, c->sig_key_len);
	write_prefixes(w, c->prefixes, c->n_prefixes);
	mls_write_u64(w, c->not_before);
	mls_write_u64(w, c->not_after);
	mls_write_u64(w, c->serial);
	mls_write_raw(w, c->issuer, sizeof(c->issuer));
}

/* The checks decoding applies, also run before signing. */
static bool cert_fields_valid(const struct mlsd_host_cert *c)
{
	const struct mls_suite *s = mls_suite_get(c->suite);
	size_t i;

	if (!s || c->sig_key_len != s->sig_pub_len ||
	    !mlsd_name_valid(c->network) || !mlsd_name_valid(c->host) ||
	    c->n_prefixes == 0 || c->n_prefixes > MLSD_CERT_MAX_PREFIXES ||
	    c->not_before >= c->not_after)
		return false;
	for (i = 0; i < c->n_prefixes; i++)
		if ((c->prefixes[i].family != 4 && c->prefixes[i].family != 6) ||
		    c->prefixes[i].len > mlsd_prefix_addr_len(&c->prefixes[i]) * 8 ||
		    !mlsd_prefix_is_canonical(&c->prefixes[i]))
			return false;
	return true;
}

static enum mlsd_cert_status cert_tbs(const struct mlsd_host_cert *c,
				      struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	cert_encode_tbs(&w, c);
	return mls_writer_finish(&w, out) ? MLSD_CERT_INTERNAL : MLSD_CERT_OK;
}

enum mlsd_cert_status mlsd_cert_sign(struct mlsd_host_cert *c,
				     const struct mlsd_ca_priv *ca)
{
	struct mls_bytes tbs = { NULL, 0 };
	struct mlsd_ca_pub pub;
	enum mlsd_cert_status st;

	c->version = MLSD_CERT_VERSION;
	if (!cert_fields_valid(c))
		return MLSD_CERT_DECODE;
	if (strcmp(c->network, ca->network))
		return MLSD_CERT_NETWORK;
	mlsd_ca_pub_of(ca, &pub);
	memcpy(c->issuer, pub.id, sizeof(c->issuer));
	st = cert_tbs(c, &tbs);
	if (!st)
		st = ca_sign(ca, MLSD_CERT_LABEL, tbs.data, tbs.len,
			     c->signature);
	mls_bytes_free(&tbs);
	return st;
}

enum mlsd_cert_status mlsd_cert_encode(const struct mlsd_host_cert *c,
				       struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	cert_encode_tbs(&w, c);
	mls_write_opaque(&w, c->signature, sizeof(c->signature));
	return mls_writer_finish(&w, out) ? MLSD_CERT_INTERNAL : MLSD_CERT_OK;
}

static int read_fixed_opaque(struct mls_reader *r, uint8_t *out, size_t want)
{
	struct mls_reader sub;

	if (mls_read_vector(r, &sub))
		return -1;
	if (sub.len != want)
		return mls_reader_fail(r, MLS_ERR_DECODE);
	mls_read_raw(&sub, out, want);
	return mls_reader_close(r, &sub);
}

static int read_sig_key(struct mls_reader *r, struct mlsd_host_cert *c)
{
	struct mls_reader sub;

	if (mls_read_vector(r, &sub))
		return -1;
	if (sub.len > sizeof(c->sig_key))
		return mls_reader_fail(r, MLS_ERR_TOO_LONG);
	c->sig_key_len = sub.len;
	mls_read_raw(&sub, c->sig_key, sub.len);
	return mls_reader_close(r, &sub);
}

enum mlsd_cert_status mlsd_cert_decode(const uint8_t *data, size_t len,
				       struct mlsd_host_cert *c)
{
	struct mls_reader r;

	memset(c, 0, sizeof(*c));
	mls_reader_init(&r, data, len);
	if (mls_read_u16(&r, &c->version))
		return MLSD_CERT_DECODE;
	if (c->version != MLSD_CERT_VERSION)
		return MLSD_CERT_BAD_VERSION;
	read_name(&r, c->network);
	read_name(&r, c->host);
	mls_read_u16(&r, &c->suite);
	read_sig_key(&r, c);
	read_prefixes(&r, c);
	mls_read_u64(&r, &c->not_before);
	mls_read_u64(&r, &c->not_after);
	mls_read_u64(&r, &c->serial);
	mls_read_raw(&r, c->issuer, sizeof(c->issuer));
	read_fixed_opaque(&r, c->signature, sizeof(c->signature));
	if (mls_reader_finish(&r) || !cert_fields_valid(c)) {
		memset(c, 0, sizeof(*c));
		return MLSD_CERT_DECODE;
	}
	return MLSD_CERT_OK;
}

enum mlsd_cert_status mlsd_cert_verify(const struct mlsd_host_cert *c,
				       const struct mlsd_ca_pub *ca,
				       const struct mlsd_crl *crl,
				       uint64_t now, uint64_t skew)
{
	struct mls_bytes tbs = { NULL, 0 };
	enum mlsd_cert_status st;

	if (strcmp(c->network, ca->network))
		return MLSD_CERT_NETWORK;
	if (memcmp(c->issuer, ca->id, sizeof(ca->id)))
		return MLSD_CERT_ISSUER;
	st = cert_tbs(c, &tbs);
	if (!st)
		st = ca_verify(ca, MLSD_CERT_LABEL, tbs.data, tbs.len,
			       c->signature);
	mls_bytes_free(&tbs);
	if (st)
		return st;
	/* now + skew < not_before, without overflow */
	if (now < c->not_before && c->not_before - now > skew)
		return MLSD_CERT_NOT_YET_VALID;
	if (now > c->not_after && now - c->not_after > skew)
		return MLSD_CERT_EXPIRED;
	if (crl && mlsd_crl_has(crl, c->serial))
		return MLSD_CERT_REVOKED;
	return MLSD_CERT_OK;
}

/* ---- CRL ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

bool mlsd_crl_has(const struct mlsd_crl *crl, uint64_t serial)
{
	if (!crl->n_serials)
		return false;
	return bsearch(&serial, crl->serials, crl->n_serials,
		       sizeof(serial), cmp_u64) != NULL;
}

int mlsd_crl_add(struct mlsd_crl *crl, uint64_t serial)
{
	uint64_t *s;

	if (mlsd_crl_has(crl, serial))
		return 0;
	s = mls_array_grow(crl->serials, crl->n_serials, sizeof(*s));
	if (!s)
		return -1;
	crl->serials = s;
	s[crl->n_serials++] = serial;
	qsort(s, crl->n_serials, sizeof(*s), cmp_u64);
	return 0;
}

void mlsd_crl_free(struct mlsd_crl *crl)
{
	free(crl->serials);
	memset(crl, 0, sizeof(*crl));
}

static enum mlsd_cert_status crl_tbs(const struct mlsd_crl *crl,
				     struct mls_writer *w)
{
	size_t mark, i;

	mls_write_u16(w, MLSD_CERT_VERSION);
	write_name(w, crl->network);
	mls_write_raw(w, crl->issuer, sizeof(crl->issuer));
	mls_write_u64(w, crl->issued_at);
	mark = mls_write_vector_begin(w);
	for (i = 0; i < crl->n_serials; i++)
		mls_write_u64(w, crl->serials[i]);
	mls_write_vector_end(w, mark);
	return mls_writer_error(w) ? MLSD_CERT_INTERNAL : MLSD_CERT_OK;
}

static enum mlsd_cert_status crl_tbs_bytes(const struct mlsd_crl *crl,
					   struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	crl_tbs(crl, &w);
	return mls_writer_finish(&w, out) ? MLSD_CERT_INTERNAL : MLSD_CERT_OK;
}

enum mlsd_cert_status mlsd_crl_sign(struct mlsd_crl *crl,
				    const struct mlsd_ca_priv *ca)
{
	struct mls_bytes tbs = { NULL, 0 };
	struct mlsd_ca_pub pub;
	enum mlsd_cert_status st;
	size_t i, n = 0;

	if (crl->n_serials)
		qsort(crl->serials, crl->n_serials, sizeof(uint64_t), cmp_u64);
	for (i = 0; i < crl->n_serials; i++)
		if (!n || crl->serials[n - 1] != crl->serials[i])
			crl->serials[n++] = crl->serials[i];
	crl->n_serials = n;
	snprintf(crl->network, sizeof(crl->network), "%s", ca->network);
	mlsd_ca_pub_of(ca, &pub);
	memcpy(crl->issuer, pub.id, sizeof(crl->issuer));
	st = crl_tbs_bytes(crl, &tbs);
	if (!st)
		st = ca_sign(ca, MLSD_CRL_LABEL, tbs.data, tbs.len,
			     crl->signature);
	mls_bytes_free(&tbs);
	return st;
}

enum mlsd_cert_status mlsd_crl_encode(const struct mlsd_crl *crl,
				      struct mls_bytes *out)
{
	struct mls_writer w;

	mls_writer_init(&w);
	crl_tbs(crl, &w);
	mls_write_opaque(&w, crl->signature, sizeof(crl->signature));
	return mls_writer_finish(&w, out) ? MLSD_CERT_INTERNAL : MLSD_CERT_OK;
}

static int read_serials(struct mls_reader *r, struct mlsd_crl *crl)
{
	struct mls_reader sub;
	uint64_t v, *s;

	if (mls_read_vector(r, &sub))
		return -1;
	while (mls_reader_more(&sub)) {
		if (mls_read_u64(&sub, &v))
			break;
		/* strictly ascending: one encoding per list */
		if (crl->n_serials && crl->serials[crl->n_serials - 1] >= v) {
			mls_reader_fail(&sub, MLS_ERR_DECODE);
			break;
		}
		s = mls_array_grow(crl->serials, crl->n_serials, sizeof(*s));
		if (!s) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		crl->serials = s;
		s[crl->n_serials++] = v;
	}
	return mls_reader_close(r, &sub);
}

enum mlsd_cert_status mlsd_crl_decode(const uint8_t *data, size_t len,
				      struct mlsd_crl *crl)
{
	struct mls_reader r;
	uint16_t version;

	memset(crl, 0, sizeof(*crl));
	mls_reader_init(&r, data, len);
	if (mls_read_u16(&r, &version))
		return MLSD_CERT_DECODE;
	if (version != MLSD_CERT_VERSION)
		return MLSD_CERT_BAD_VERSION;
	read_name(&r, crl->network);
	mls_read_raw(&r, crl->issuer, sizeof(crl->issuer));
	mls_read_u64(&r, &crl->issued_at);
	read_serials(&r, crl);
	read_fixed_opaque(&r, crl->signature, sizeof(crl->signature));
	if (mls_reader_finish(&r)) {
		mlsd_crl_free(crl);
		return MLSD_CERT_DECODE;
	}
	return MLSD_CERT_OK;
}

enum mlsd_cert_status mlsd_crl_verify(const struct mlsd_crl *crl,
				      const struct mlsd_ca_pub *ca)
{
	struct mls_bytes tbs = { NULL, 0 };
	enum mlsd_cert_status st;

	if (strcmp(crl->network, ca->network))
		return MLSD_CERT_NETWORK;
	if (memcmp(crl->issuer, ca->id, sizeof(ca->id)))
		return MLSD_CERT_ISSUER;
	st = crl_tbs_bytes(crl, &tbs);
	if (!st)
		st = ca_verify(ca, MLSD_CRL_LABEL, tbs.data, tbs.len,
			       crl->signature);
	mls_bytes_free(&tbs);
	return st;
}

/* ---- files ---- */

static int write_tagged(const char *path, const char *tag, const char *field,
			const struct mls_bytes *b, bool replace,
			struct mlsd_err *e)
{
	size_t cap = sodium_base64_encoded_len(b->len,
					       sodium_base64_VARIANT_ORIGINAL) +
		     strlen(tag) + strlen(field) + 3;
	char *line = malloc(cap), tmp[4096];
	int err;

	if (!line)
		return mlsd_errf(e, "%s: out of memory", path);
	mlsd_tagged_format(tag, field, b->data, b->len, line, cap);
	if (!replace) {
		err = mlsd_file_write_new(path, line, false, e);
	} else if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp)) {
		err = mlsd_errf(e, "%s: path too long", path);
	} else {
		unlink(tmp);
		err = mlsd_file_write_new(tmp, line, false, e);
		if (!err && rename(tmp, path)) {
			err = mlsd_errf(e, "%s: cannot replace: %m", path);
			unlink(tmp);
		}
	}
	free(line);
	return err;
}

int mlsd_cert_write(const char *path, const struct mlsd_host_cert *c,
		    struct mlsd_err *e)
{
	struct mls_bytes b = { NULL, 0 };
	int err;

	if (mlsd_cert_encode(c, &b))
		return mlsd_errf(e, "%s: cannot encode the certificate", path);
	err = write_tagged(path, MLSD_TAG_CERT, c->host, &b, false, e);
	mls_bytes_free(&b);
	return err;
}

/* Read a "TAG:FIELD:B64" file of any size into *bin. */
static int load_tagged(const char *path, const char *tag,
		       char field[MLSD_FIELD_MAX], struct mls_bytes *bin,
		       struct mlsd_err *e)
{
	char *line = malloc(MLSD_LINE_MAX + 2);
	int err = -1;

	bin->len = 0;
	bin->data = malloc(MLSD_LINE_MAX);
	if (!line || !bin->data) {
		mlsd_errf(e, "%s: out of memory", path);
		goto out;
	}
	if (mlsd_file_read_line(path, false, line, MLSD_LINE_MAX + 2, e) ||
	    mlsd_tagged_parse(path, line, tag, field, MLSD_FIELD_MAX,
			      bin->data, MLSD_LINE_MAX, &bin->len, e))
		goto out;
	err = 0;
out:
	free(line);
	if (err)
		mls_bytes_free(bin);
	return err;
}

int mlsd_cert_load(const char *path, struct mlsd_host_cert *c,
		   struct mls_bytes *encoded, struct mlsd_err *e)
{
	char field[MLSD_FIELD_MAX];
	enum mlsd_cert_status st;

	if (load_tagged(path, MLSD_TAG_CERT, field, encoded, e))
		return -1;
	st = mlsd_cert_decode(encoded->data, encoded->len, c);
	if (!st && strcmp(field, c->host))
		st = MLSD_CERT_DECODE;
	if (st) {
		mls_bytes_free(encoded);
		return mlsd_errf(e, "%s: %s", path, mlsd_cert_strerror(st));
	}
	return 0;
}

int mlsd_crl_write(const char *path, const struct mlsd_crl *crl, bool replace,
		   struct mlsd_err *e)
{
	struct mls_bytes b = { NULL, 0 };
	int err;

	if (mlsd_crl_encode(crl, &b))
		return mlsd_errf(e, "%s: cannot encode the CRL", path);
	err = write_tagged(path, MLSD_TAG_CRL, crl->network, &b, replace, e);
	mls_bytes_free(&b);
	return err;
}

int mlsd_crl_load(const char *path, const struct mlsd_ca_pub *ca,
		  struct mlsd_crl *crl, struct mlsd_err *e)
{
	struct mls_bytes b = { NULL, 0 };
	char field[MLSD_FIELD_MAX];
	enum mlsd_cert_status st;

	memset(crl, 0, sizeof(*crl));
	if (load_tagged(path, MLSD_TAG_CRL, field, &b, e))
		return -1;
	st = mlsd_crl_decode(b.data, b.len, crl);
	mls_bytes_free(&b);
	if (!st && strcmp(field, crl->network))
		st = MLSD_CERT_DECODE;
	if (!st)
		st = mlsd_crl_verify(crl, ca);
	if (st) {
		mlsd_crl_free(crl);
		return mlsd_errf(e, "%s: CRL refused: %s", path,
				 mlsd_cert_strerror(st));
	}
	return 0;
}
