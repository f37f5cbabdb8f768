// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mls/error.h"
#include "mls/ratchet_tree.h"
#include "admission.h"

const char *mlsd_admit_strerror(int status)
{
	switch (status) {
	case MLSD_ADMIT_CREDENTIAL_TYPE:
		return "not a basic credential";
	case MLSD_ADMIT_NO_CA:
		return "host certificate, but no CA is configured";
	case MLSD_ADMIT_NOT_PINNED:
		return "neither a host certificate nor a pinned identity";
	case MLSD_ADMIT_PIN_KEY:
		return "pinned identity with another signature key";
	case MLSD_ADMIT_IDENTITY_CHANGED:
		return "leaf takes over another host's identity";
	}
	return mlsd_cert_strerror((enum mlsd_cert_status)status);
}

/* ---- setup ---- */

static int copy_pins(const struct mlsd_config *c, struct mlsd_admission *a,
		     struct mlsd_err *e)
{
	size_t i;

	if (!c->n_pins)
		return 0;
	a->pins = calloc(c->n_pins, sizeof(*a->pins));
	if (!a->pins)
		return mlsd_errf(e, "%s: out of memory", c->file);
	for (i = 0; i < c->n_pins; i++) {
		struct mlsd_pin *p = &a->pins[i];

		memcpy(p->identity, c->pins[i].identity, sizeof(p->identity));
		p->key = c->pins[i].key;
		memcpy(p->prefixes, c->pins[i].addresses,
		       sizeof(p->prefixes));
		p->n_prefixes = c->pins[i].n_addresses;
	}
	a->n_pins = c->n_pins;
	return 0;
}

static int load_ca(const struct mlsd_config *c, struct mlsd_admission *a,
		   struct mlsd_err *e)
{
	struct mlsd_err sub;

	if (!c->net.ca.line)
		return 0;
	if (mlsd_ca_pub_load(c->net.ca.path, &a->ca, &sub))
		return mlsd_errf(e, "%s:%u: CA: %s", c->file, c->net.ca.line,
				 sub.msg);
	if (strcmp(a->ca.network, c->net.name))
		return mlsd_errf(e, "%s:%u: CA %s is the CA of network \"%s\", not \"%s\"",
				 c->file, c->net.ca.line, c->net.ca.path,
				 a->ca.network, c->net.name);
	a->has_ca = true;
	if (!c->net.crl.line)
		return 0;
	if (mlsd_crl_load(c->net.crl.path, &a->ca, &a->crl, &sub))
		return mlsd_errf(e, "%s:%u: CRL: %s", c->file, c->net.crl.line,
				 sub.msg);
	a->has_crl = true;
	return 0;
}

int mlsd_admission_from_config(const struct mlsd_config *c,
			       struct mlsd_admission *a, struct mlsd_err *e)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->network, c->net.name, sizeof(a->network));
	a->skew = c->net.clock_skew;
	if (load_ca(c, a, e) || copy_pins(c, a, e)) {
		mlsd_admission_free(a);
		return -1;
	}
	return 0;
}

void mlsd_admission_free(struct mlsd_admission *a)
{
	if (a->has_crl)
		mlsd_crl_free(&a->crl);
	free(a->pins);
	memset(a, 0, sizeof(*a));
}

/* ---- the policy ---- */

static uint64_t admission_now(const struct mlsd_admission *a)
{
	return a->clock ? a->clock(a->clock_ctx) : (uint64_t)time(NULL);
}

/* A host certificate starts with its version, 00 01; names cannot. */
static bool looks_like_cert(const struct mls_bytes *id)
{
	return id->len >= 2 && id->data[0] == 0 &&
	       id->data[1] == MLSD_CERT_VERSION;
}

static int check_cert(const struct mlsd_admission *a,
		      const struct mls_suite *s,
		      const struct mls_leaf_node *leaf,
		      struct mlsd_admitted *out)
{
	const struct mls_bytes *id = &leaf->credential.identity;
	struct mlsd_host_cert c;
	int st;

	if (!a->has_ca)
		return MLSD_ADMIT_NO_CA;
	st = mlsd_cert_decode(id->data, id->len, &c);
	if (!st)
		st = mlsd_cert_verify(&c, &a->ca, a->has_crl ? &a->crl : NULL,
				      admission_now(a), a->skew);
	if (st)
		return st;
	if (c.suite != s->id)
		return MLSD_CERT_SUITE;
	if (c.sig_key_len != leaf->signature_key.len ||
	    memcmp(c.sig_key, leaf->signature_key.data, c.sig_key_len))
		return MLSD_CERT_KEY;
	out->mode = MLSD_ADMIT_CERT;
	memcpy(out->identity, c.host, sizeof(out->identity));
	memcpy(out->prefixes, c.prefixes, sizeof(out->prefixes));
	out->n_prefixes = c.n_prefixes;
	out->serial = c.serial;
	out->not_after = c.not_after;
	return MLSD_ADMIT_OK;
}

static const struct mlsd_pin *find_pin(const struct mlsd_admission *a,
				       const struct mls_bytes *id)
{
	size_t i;

	for (i = 0; i < a->n_pins; i++)
		if (strlen(a->pins[i].identity) == id->len &&
		    !memcmp(a->pins[i].identity, id->data, id->len))
			return &a->pins[i];
	return NULL;
}

static int check_pin(const struct mlsd_admission *a,
		     const struct mls_suite *s,
		     const struct mls_leaf_node *leaf,
		     struct mlsd_admitted *out)
{
	const struct mlsd_pin *p = find_pin(a, &leaf->credential.identity);

	if (!p)
		return MLSD_ADMIT_NOT_PINNED;
	if (p->key.suite != s->id)
		return MLSD_CERT_SUITE;
	if (p->key.len != leaf->signature_key.len ||
	    memcmp(p->key.pub, leaf->signature_key.data, p->key.len))
		return MLSD_ADMIT_PIN_KEY;
	out->mode = MLSD_ADMIT_PIN;
	memcpy(out->identity, p->identity, sizeof(out->identity));
	memcpy(out->prefixes, p->prefixes, sizeof(out->prefixes));
	out->n_prefixes = p->n_prefixes;
	return MLSD_ADMIT_OK;
}

int mlsd_admission_check(const struct mlsd_admission *a,
			 const struct mls_suite *s,
			 const struct mls_leaf_node *leaf,
			 struct mlsd_admitted *out)
{
	struct mlsd_admitted tmp;

	if (!out)
		out = &tmp;
	memset(out, 0, sizeof(*out));
	if (leaf->credential.type != MLS_CREDENTIAL_BASIC)
		return MLSD_ADMIT_CREDENTIAL_TYPE;
	if (looks_like_cert(&leaf->credential.identity))
		return check_cert(a, s, leaf, out);
	return check_pin(a, s, leaf, out);
}

/*
 * The host name of a leaf already in the group. It was admitted when it
 * entered, so no validity check here: a host renewing an expired
 * certificate replaces a leaf whose certificate no longer verifies.
 */
static bool leaf_host_name(const struct mls_leaf_node *leaf,
			   char name[MLSD_NAME_MAX + 1])
{
	const struct mls_bytes *id = &leaf->credential.identity;
	struct mlsd_host_cert c;

	if (leaf->credential.type != MLS_CREDENTIAL_BASIC)
		return false;
	if (looks_like_cert(id)) {
		if (mlsd_cert_decode(id->data, id->len, &c))
			return false;
		memcpy(name, c.host, MLSD_NAME_MAX + 1);
		return true;
	}
	if (id->len > MLSD_NAME_MAX)
		return false;
	memcpy(name, id->data, id->len);
	name[id->len] = '\0';
	return true;
}

int mlsd_admission_validate(void *ctx, const struct mls_suite *s,
			    const struct mls_leaf_node *leaf,
			    const struct mls_leaf_node *old_leaf)
{
	struct mlsd_admission *a = ctx;
	struct mlsd_admitted who;
	char old_name[MLSD_NAME_MAX + 1];
	int st;

	if (!a)
		return MLS_ERR_VALIDATION;
	st = mlsd_admission_check(a, s, leaf, &who);
	if (!st && old_leaf && (!leaf_host_name(old_leaf, old_name) ||
				strcmp(old_name, who.identity)))
		st = MLSD_ADMIT_IDENTITY_CHANGED;
	a->last_status = st;
	return st ? MLS_ERR_VALIDATION : 0;
}

int mlsd_admission_sweep(const struct mlsd_admission *a,
			 const struct mls_group *g, uint32_t *leaves,
			 size_t cap, size_t *n)
{
	const struct mls_leaf_node *leaf;
	uint32_t i;

	*n = 0;
	for (i = 0; i < g->tree.n_leaves; i++) {
		leaf = mls_tree_leaf(&g->tree, i);
		if (!leaf || mlsd_admission_check(a, g->suite, leaf, NULL) ==
			     MLSD_ADMIT_OK)
			continue;
		if (*n < cap)
			leaves[*n] = i;
		(*n)++;
	}
	return 0;
}
