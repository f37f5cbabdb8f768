// SPDX-License-Identifier: MIT
#include <string.h>

#include "mls/msg_common.h"
#include "identity.h"

static int load_key(const struct mlsd_config *c, struct mlsd_identity *id,
		    struct mlsd_err *e)
{
	const struct mlsd_conf_path *p = &c->iface.private_key;
	struct mlsd_err sub;

	if (mlsd_sig_key_load(p->path, &id->key, &sub))
		return mlsd_errf(e, "%s:%u: PrivateKeyFile: %s", c->file,
				 p->line, sub.msg);
	if (id->key.suite != c->net.suite)
		return mlsd_errf(e, "%s:%u: PrivateKeyFile %s is a key of suite %u, the network uses suite %u",
				 c->file, p->line, p->path, id->key.suite,
				 c->net.suite);
	return 0;
}

/* Whether the certificate lets us use address (its host bits). */
static bool covered(const struct mlsd_host_cert *cert,
		    const struct mlsd_prefix *addr)
{
	size_t i;

	for (i = 0; i < cert->n_prefixes; i++) {
		const struct mlsd_prefix *p = &cert->prefixes[i];
		size_t full = p->len / 8, rest = p->len % 8;

		if (p->family != addr->family)
			continue;
		if (memcmp(addr->addr, p->addr, full))
			continue;
		if (rest && ((addr->addr[full] ^ p->addr[full]) &
			     (0xff00u >> rest) & 0xff))
			continue;
		return true;
	}
	return false;
}

static int check_cert(const struct mlsd_config *c,
		      const struct mlsd_admission *a,
		      struct mlsd_identity *id, struct mlsd_err *e)
{
	const struct mlsd_conf_path *p = &c->iface.certificate;
	struct mls_leaf_node leaf;
	char buf[MLSD_PREFIX_STRLEN];
	size_t i;
	int st;

	if (strcmp(id->cert.host, c->iface.name))
		return mlsd_errf(e, "%s:%u: Certificate %s is for host \"%s\", [Interface] Name is \"%s\"",
				 c->file, p->line, p->path, id->cert.host,
				 c->iface.name);
	memset(&leaf, 0, sizeof(leaf));
	leaf.credential.type = MLS_CREDENTIAL_BASIC;
	leaf.credential.identity = id->credential;
	leaf.signature_key.data = id->key.pub;
	leaf.signature_key.len = id->key.pub_len;
	st = mlsd_admission_check(a, mls_suite_get(c->net.suite), &leaf, NULL);
	if (st == MLSD_CERT_KEY)
		return mlsd_errf(e, "%s:%u: Certificate %s certifies another key than PrivateKeyFile",
				 c->file, p->line, p->path);
	if (st)
		return mlsd_errf(e, "%s:%u: Certificate %s: %s", c->file,
				 p->line, p->path, mlsd_admit_strerror(st));
	for (i = 0; i < c->iface.n_addresses; i++)
		if (!covered(&id->cert, &c->iface.addresses[i])) {
			mlsd_prefix_format(&c->iface.addresses[i], buf,
					   sizeof(buf));
			return mlsd_errf(e, "%s:%u: Certificate %s does not cover Address %s",
					 c->file, p->line, p->path, buf);
		}
	return 0;
}

static int load_cert(const struct mlsd_config *c,
		     const struct mlsd_admission *a,
		     struct mlsd_identity *id, struct mlsd_err *e)
{
	const struct mlsd_conf_path *p = &c->iface.certificate;
	struct mlsd_err sub;

	if (!a->has_ca)
		return mlsd_errf(e, "%s:%u: Certificate needs a CA in [Network]",
				 c->file, p->line);
	if (mlsd_cert_load(p->path, &id->cert, &id->credential, &sub))
		return mlsd_errf(e, "%s:%u: Certificate: %s", c->file, p->line,
				 sub.msg);
	id->has_cert = true;
	return check_cert(c, a, id, e);
}

int mlsd_identity_load(const struct mlsd_config *c,
		       const struct mlsd_admission *a,
		       struct mlsd_identity *id, struct mlsd_err *e)
{
	int err;

	memset(id, 0, sizeof(*id));
	err = load_key(c, id, e);
	if (!err && c->iface.certificate.line)
		err = load_cert(c, a, id, e);
	else if (!err && mls_bytes_set(&id->credential, c->iface.name,
				       strlen(c->iface.name)))
		err = mlsd_errf(e, "%s: out of memory", c->file);
	if (err)
		mlsd_identity_free(id);
	return err;
}

void mlsd_identity_free(struct mlsd_identity *id)
{
	mlsd_sig_key_wipe(&id->key);
	mls_bytes_free(&id->credential);
	memset(id, 0, sizeof(*id));
}

void mlsd_identity_signer(const struct mlsd_identity *id,
			  struct mls_signer *sg)
{
	memset(sg, 0, sizeof(*sg));
	sg->sig_priv = id->key.priv;
	sg->sig_priv_len = id->key.priv_len;
	sg->identity = id->credential.data;
	sg->identity_len = id->credential.len;
}
