// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "mls/error.h"
#include "group_fixture.h"

int fixture_random(void *ctx, uint8_t *out, size_t len)
{
	struct fixture_rng *rng = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		rng->state = rng->state * 6364136223846793005ull +
			     1442695040888963407ull;
		/* the high bits: an LCG's low bits have short periods */
		out[i] = (uint8_t)(rng->state >> 56);
	}
	return 0;
}

uint32_t fixture_rng_below(struct fixture_rng *rng, uint32_t n)
{
	uint8_t b[4];

	fixture_random(rng, b, sizeof(b));
	return (((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
		((uint32_t)b[2] << 8) | b[3]) % n;
}

uint64_t fixture_clock(void *now)
{
	return now ? *(const uint64_t *)now : FIXTURE_NOW;
}

/* Everything but the signature key pair. */
static int party_setup(struct fixture_party *p, uint16_t suite,
		       const char *name, struct fixture_rng *rng)
{
	memset(p, 0, sizeof(*p));
	p->s = mls_suite_get(suite);
	if (!p->s || strlen(name) >= sizeof(p->name))
		return MLS_ERR_INVALID_ARG;
	snprintf(p->name, sizeof(p->name), "%s", name);
	mls_crypto_set_random(&p->crypto, fixture_random, rng);
	return 0;
}

int fixture_party_init_key(struct fixture_party *p, uint16_t suite,
			   const char *name, struct fixture_rng *rng,
			   const uint8_t *sig_priv, const uint8_t *sig_pub)
{
	int err = party_setup(p, suite, name, rng);

	if (err)
		return err;
	memcpy(p->sig_priv, sig_priv, p->s->sig_priv_len);
	memcpy(p->sig_pub, sig_pub, p->s->sig_pub_len);
	return 0;
}

int fixture_party_init(struct fixture_party *p, uint16_t suite,
		       const char *name, struct fixture_rng *rng)
{
	int err = party_setup(p, suite, name, rng);

	if (err)
		return err;
	return mls_sig_generate_keypair(&p->crypto, p->s, p->sig_priv,
					p->sig_pub);
}

void fixture_party_free(struct fixture_party *p)
{
	mls_group_free(&p->g);
	mls_bytes_free(&p->kp);
	mls_key_package_secrets_wipe(&p->sec);
	mls_wipe(p->sig_priv, sizeof(p->sig_priv));
}

void fixture_party_signer(const struct fixture_party *p,
			  struct mls_signer *sg)
{
	memset(sg, 0, sizeof(*sg));
	sg->sig_priv = p->sig_priv;
	sg->sig_priv_len = p->s->sig_priv_len;
	sg->identity = (const uint8_t *)p->name;
	sg->identity_len = strlen(p->name);
	sg->certificates = p->certificates;
	sg->n_certificates = p->n_certificates;
	if (!p->caps)
		return;
	sg->extension_types = p->caps->exts;
	sg->n_extension_types = p->caps->n_exts;
	sg->proposal_types = p->caps->proposals;
	sg->n_proposal_types = p->caps->n_proposals;
	sg->credential_types = p->caps->creds;
	sg->n_credential_types = p->caps->n_creds;
	sg->leaf_extensions = p->caps->leaf_exts;
}

int fixture_party_key_package(struct fixture_party *p)
{
	struct mls_key_package_options o = {
		.suite = p->s, .crypto = &p->crypto,
		.clock = fixture_clock, .clock_ctx = p->now,
	};

	mls_bytes_free(&p->kp);
	fixture_party_signer(p, &o.signer);
	return mls_key_package_create(&o, &p->kp, &p->sec);
}

void fixture_party_create_options(const struct fixture_party *p,
				  const char *group_id,
				  const struct mls_extension_list *e,
				  struct mls_group_create_options *o)
{
	memset(o, 0, sizeof(*o));
	o->suite = p->s;
	o->crypto = &p->crypto;
	o->group_id = (const uint8_t *)group_id;
	o->group_id_len = group_id ? strlen(group_id) : 0;
	o->extensions = e;
	o->psk_lookup = p->psk_lookup;
	o->psk_ctx = p->psk_ctx;
	o->clock = fixture_clock;
	o->clock_ctx = p->now;
	o->validate_credential = p->validate;
	o->validate_ctx = p->validate_ctx;
	o->credential_policy = p->credential_policy;
	o->credential_policy_ctx = p->credential_policy_ctx;
	o->policy = p->policy;
	fixture_party_signer(p, &o->signer);
}

int fixture_party_create(struct fixture_party *p, const char *group_id,
			 const struct mls_extension_list *e)
{
	struct mls_group_create_options o;

	fixture_party_create_options(p, group_id, e, &o);
	return mls_group_create(&p->g, &o);
}

int fixture_party_join_welcome(struct fixture_party *p,
			       const struct mls_welcome *w)
{
	struct mls_group_join_options o = {
		.suite = p->s, .key_package = p->kp.data,
		.key_package_len = p->kp.len, .init_priv = p->sec.init_priv,
		.init_priv_len = p->sec.priv_len,
		.encryption_priv = p->sec.encryption_priv,
		.encryption_priv_len = p->sec.priv_len,
		.psk_lookup = p->psk_lookup, .psk_ctx = p->psk_ctx,
		.clock = fixture_clock, .clock_ctx = p->now,
		.sig_priv = p->sig_priv, .sig_priv_len = p->s->sig_priv_len,
		.crypto = &p->crypto, .validate_credential = p->validate,
		.validate_ctx = p->validate_ctx, .policy = p->policy,
		.credential_policy = p->credential_policy,
		.credential_policy_ctx = p->credential_policy_ctx,
		.resumption_group = p->resumption_group,
	};

	return mls_group_join(&p->g, &o, w);
}

int fixture_party_join(struct fixture_party *p,
		       const struct mls_bytes *welcome)
{
	struct mls_message m;
	int err;

	err = mls_message_from_bytes(welcome->data, welcome->len, &m);
	if (err)
		return err;
	err = m.wire_format == MLS_WIRE_WELCOME ?
	      fixture_party_join_welcome(p, &m.welcome) : MLS_ERR_INVALID_ARG;
	mls_message_free(&m);
	return err;
}

int fixture_party_join_external(struct fixture_party *p,
				const struct mls_bytes *group_info,
				bool resync, uint32_t old_leaf,
				struct mls_bytes *commit)
{
	struct mls_external_join_options o = {
		.suite = p->s, .crypto = &p->crypto,
		.remove_old_leaf = resync, .old_leaf = old_leaf,
		.psk_lookup = p->psk_lookup, .psk_ctx = p->psk_ctx,
		.clock = fixture_clock, .clock_ctx = p->now,
		.validate_credential = p->validate,
		.validate_ctx = p->validate_ctx, .policy = p->policy,
		.credential_policy = p->credential_policy,
		.credential_policy_ctx = p->credential_policy_ctx,
	};
	struct mls_message m;
	int err;

	fixture_party_signer(p, &o.signer);
	err = mls_message_from_bytes(group_info->data, group_info->len, &m);
	if (err)
		return err;
	err = m.wire_format == MLS_WIRE_GROUP_INFO ?
	      mls_group_join_external(&p->g, &o, &m.group_info, commit) :
	      MLS_ERR_INVALID_ARG;
	mls_message_free(&m);
	return err;
}

int fixture_party_add(struct fixture_party *committer,
		      struct fixture_party *joiner, struct mls_bytes *commit)
{
	struct mls_bytes c = { NULL, 0 }, welcome = { NULL, 0 };
	struct mls_proposal add;
	struct mls_commit_options co = { .proposals = &add, .n_proposals = 1 };
	int err;

	err = fixture_party_key_package(joiner);
	if (err)
		return err;
	err = mls_group_make_add(&committer->g, joiner->kp.data,
				 joiner->kp.len, &add);
	if (err)
		return err;
	err = mls_group_commit(&committer->g, &co, &c, &welcome);
	mls_proposal_free(&add);
	if (!err)
		err = mls_group_confirm_commit(&committer->g);
	if (!err)
		err = fixture_party_join(joiner, &welcome);
	mls_bytes_free(&welcome);
	if (!err && commit)
		*commit = c;
	else
		mls_bytes_free(&c);
	return err;
}

int fixture_process(struct mls_group *g, const struct mls_bytes *msg)
{
	struct mls_message m;
	int err;

	err = mls_message_from_bytes(msg->data, msg->len, &m);
	if (err)
		return err;
	err = mls_group_process_commit(g, &m);
	mls_message_free(&m);
	return err;
}

int fixture_cache(struct mls_group *g, const struct mls_bytes *msg)
{
	struct mls_message m;
	int err;

	err = mls_message_from_bytes(msg->data, msg->len, &m);
	if (err)
		return err;
	err = mls_group_cache_proposal(g, &m, NULL);
	mls_message_free(&m);
	return err;
}

int fixture_same_state(const struct mls_group *g,
		       const struct mls_bytes *before)
{
	struct mls_bytes now = { NULL, 0 };
	int err, same;

	err = mls_group_save(g, &now);
	if (err)
		return err;
	same = now.len == before->len && !memcmp(now.data, before->data,
						 now.len);
	mls_bytes_free_secret(&now);
	return same ? 0 : FIXTURE_DIFFERENT;
}

int fixture_groups_agree(const struct mls_group *a, const struct mls_group *b,
			 size_t export_len)
{
	uint8_t ea[64], eb[64];
	const uint8_t *aa, *ab;
	size_t la, lb;

	if (mls_group_epoch(a) != mls_group_epoch(b))
		return FIXTURE_DIFFERENT;
	aa = mls_group_epoch_authenticator(a, &la);
	ab = mls_group_epoch_authenticator(b, &lb);
	if (la != lb || memcmp(aa, ab, la))
		return FIXTURE_DIFFERENT;
	if (!export_len)
		return 0;
	if (export_len > sizeof(ea))
		return MLS_ERR_INVALID_ARG;
	if (mls_group_export(a, "test", (const uint8_t *)"c", 1, ea,
			     export_len) ||
	    mls_group_export(b, "test", (const uint8_t *)"c", 1, eb,
			     export_len))
		return MLS_ERR_INVALID_ARG;
	return memcmp(ea, eb, export_len) ? FIXTURE_DIFFERENT : 0;
}
