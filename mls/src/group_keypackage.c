// SPDX-License-Identifier: MIT
/*
 * Our LeafNodes and KeyPackages (RFC 9420 §7.2, §10) and the checks a
 * received KeyPackage must pass before anyone adds it (§10.1).
 */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

/* §10: "a client MUST NOT use the same key pair as init_key and
 * encryption_key", and keys must be published with some validity. */
#define MLS_DEFAULT_LIFETIME_BACK	3600u
#define MLS_DEFAULT_LIFETIME_AHEAD	(90u * 24 * 3600)

void mls_group_default_lifetime(uint64_t now, const struct mls_lifetime *in,
				struct mls_lifetime *out)
{
	if (in && (in->not_before || in->not_after)) {
		*out = *in;
		return;
	}
	out->not_before = now > MLS_DEFAULT_LIFETIME_BACK ?
			  now - MLS_DEFAULT_LIFETIME_BACK : 0;
	out->not_after = now + MLS_DEFAULT_LIFETIME_AHEAD;
}

uint64_t mls_clock_now(mls_clock_fn clock, void *ctx)
{
	struct mls_group g = { .clock = clock, .clock_ctx = ctx };

	return mls_group_now(&g);
}

static int u16_list_set(struct mls_u16_list *l, const uint16_t *v, size_t n)
{
	l->count = 0;
	l->items = calloc(n ? n : 1, sizeof(*l->items));
	if (!l->items)
		return MLS_ERR_NOMEM;
	if (n)
		memcpy(l->items, v, n * sizeof(*v));
	l->count = n;
	return 0;
}

/* Our own credential type first, then the others, each once. */
static int set_credential_types(const struct mls_signer *signer,
				struct mls_u16_list *l)
{
	const uint16_t own = signer->n_certificates ? MLS_CREDENTIAL_X509 :
						      MLS_CREDENTIAL_BASIC;
	size_t i, j;

	l->count = 0;
	l->items = calloc(signer->n_credential_types + 1, sizeof(*l->items));
	if (!l->items)
		return MLS_ERR_NOMEM;
	l->items[l->count++] = own;
	for (i = 0; i < signer->n_credential_types; i++) {
		for (j = 0; j < l->count; j++)
			if (l->items[j] == signer->credential_types[i])
				break;
		if (j == l->count)
			l->items[l->count++] = signer->credential_types[i];
	}
	return 0;
}

static int u16_list_append(struct mls_u16_list *l, uint16_t v)
{
	uint16_t *items = realloc(l->items, (l->count + 1) * sizeof(*items));

	if (!items)
		return MLS_ERR_NOMEM;
	items[l->count++] = v;
	l->items = items;
	return 0;
}

/* §13.5: a random GREASE value the list does not hold yet. */
static int append_grease(const struct mls_crypto *c, struct mls_u16_list *l)
{
	uint8_t r;
	int err = mls_crypto_random(c, &r, 1);
	uint16_t v = mls_grease_value(r);

	while (!err && mls_u16_list_contains(l, v))
		v = mls_grease_value(++r);
	return err ? err : u16_list_append(l, v);
}

static int add_grease(const struct mls_crypto *c, struct mls_capabilities *caps)
{
	int err = append_grease(c, &caps->cipher_suites);

	if (!err)
		err = append_grease(c, &caps->extensions);
	if (!err)
		err = append_grease(c, &caps->proposals);
	if (!err)
		err = append_grease(c, &caps->credentials);
	return err;
}

static int set_capabilities(const struct mls_crypto *crypto,
			    const struct mls_suite *s,
			    const struct mls_signer *signer,
			    struct mls_capabilities *c)
{
	const uint16_t version = MLS_PROTOCOL_MLS10;
	int err;

	err = u16_list_set(&c->versions, &version, 1);
	if (!err)
		err = u16_list_set(&c->cipher_suites, &s->id, 1);
	if (!err)
		err = u16_list_set(&c->extensions, signer->extension_types,
				   signer->n_extension_types);
	if (!err)
		err = u16_list_set(&c->proposals, signer->proposal_types,
				   signer->n_proposal_types);
	if (!err)
		err = set_credential_types(signer, &c->credentials);
	if (!err && !signer->no_grease)
		err = add_grease(crypto, c);
	return err;
}

int mls_group_sign_leaf(const struct mls_crypto *c, const struct mls_suite *s,
			const struct mls_signer *signer,
			struct mls_leaf_node *leaf,
			const struct mls_bytes *group_id, uint32_t leaf_index)
{
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_writer w;
	size_t sig_len = 0;
	int err;

	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, leaf, group_id, leaf_index);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_sign_with_label(c, s, signer->sig_priv,
					  signer->sig_priv_len, "LeafNodeTBS",
					  w.buf, w.len, sig, &sig_len);
	mls_writer_free(&w);
	mls_bytes_free(&leaf->signature);
	if (!err)
		err = mls_bytes_set(&leaf->signature, sig, sig_len);
	return err;
}

static int set_certificates(const struct mls_signer *signer,
			    struct mls_bytes_list *chain)
{
	size_t i;
	int err;

	chain->items = calloc(signer->n_certificates, sizeof(*chain->items));
	if (!chain->items)
		return MLS_ERR_NOMEM;
	chain->count = signer->n_certificates;
	for (i = 0; i < signer->n_certificates; i++) {
		err = mls_bytes_set(&chain->items[i],
				    signer->certificates[i].data,
				    signer->certificates[i].len);
		if (err)
			return err;
	}
	return 0;
}

/* Partial results are left for mls_leaf_node_free to release. */
static int set_credential(const struct mls_signer *signer,
			  struct mls_credential *c)
{
	if (signer->n_certificates) {
		c->type = MLS_CREDENTIAL_X509;
		return set_certificates(signer, &c->certificates);
	}
	c->type = MLS_CREDENTIAL_BASIC;
	return mls_bytes_set(&c->identity, signer->identity,
			     signer->identity_len);
}

/* Deep copy through the codec: the list owns its bytes. */
static int set_leaf_extensions(const struct mls_extension_list *src,
			       struct mls_extension_list *dst)
{
	struct mls_writer w;
	struct mls_reader r;
	int err;

	if (!src)
		return 0;
	mls_writer_init(&w);
	mls_extension_list_encode(&w, src);
	err = mls_writer_error(&w);
	if (!err) {
		mls_reader_init(&r, w.buf, w.len);
		mls_extension_list_decode(&r, dst);
		err = mls_reader_finish(&r);
	}
	mls_writer_free(&w);
	return err;
}

int mls_group_new_leaf(const struct mls_crypto *c, const struct mls_suite *s,
		       const struct mls_signer *signer,
		       const struct mls_lifetime *lifetime,
		       const uint8_t *enc_pub, struct mls_leaf_node *leaf)
{
	uint8_t pub[MLS_MAX_SIG_PUB_LEN];
	int err;

	memset(leaf, 0, sizeof(*leaf));
	if (!signer->sig_priv || signer->sig_priv_len != s->sig_priv_len ||
	    (!signer->identity && signer->identity_len) ||
	    (!signer->certificates && signer->n_certificates) ||
	    (!signer->extension_types && signer->n_extension_types) ||
	    (!signer->proposal_types && signer->n_proposal_types) ||
	    (!signer->credential_types && signer->n_credential_types))
		return MLS_ERR_INVALID_ARG;
	err = mls_sig_pub_from_priv(s, signer->sig_priv, signer->sig_priv_len,
				    pub);
	if (!err)
		err = mls_bytes_set(&leaf->signature_key, pub, s->sig_pub_len);
	if (!err)
		err = mls_bytes_set(&leaf->encryption_key, enc_pub,
				    s->kem_pub_len);
	if (!err)
		err = set_credential(signer, &leaf->credential);
	if (!err)
		err = set_capabilities(c, s, signer, &leaf->capabilities);
	if (!err)
		err = set_leaf_extensions(signer->leaf_extensions,
					  &leaf->extensions);
	/* §7.2: a leaf others would refuse is the caller's mistake */
	if (!err && mls_leaf_node_check_capabilities(s, leaf, NULL))
		err = MLS_ERR_INVALID_ARG;
	leaf->source = MLS_LEAF_SOURCE_KEY_PACKAGE;
	leaf->lifetime = *lifetime;
	if (!err)
		err = mls_group_sign_leaf(c, s, signer, leaf, NULL, 0);
	if (err)
		mls_leaf_node_free(leaf);
	return err;
}

static int sign_key_package(const struct mls_crypto *c,
			    const struct mls_suite *s,
			    const struct mls_signer *signer,
			    struct mls_key_package *kp)
{
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_writer w;
	size_t sig_len = 0;
	int err;

	mls_writer_init(&w);
	mls_key_package_encode_tbs(&w, kp);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_sign_with_label(c, s, signer->sig_priv,
					  signer->sig_priv_len,
					  "KeyPackageTBS", w.buf, w.len, sig,
					  &sig_len);
	mls_writer_free(&w);
	if (!err)
		err = mls_bytes_set(&kp->signature, sig, sig_len);
	return err;
}

/* The leaf, listing last_resort among its extensions when it is one. */
static int new_key_package_leaf(const struct mls_key_package_options *o,
				const struct mls_lifetime *lt,
				const uint8_t *enc_pub,
				struct mls_leaf_node *leaf)
{
	struct mls_signer signer = o->signer;
	uint16_t *types;
	size_t n = signer.n_extension_types;
	int err;

	if (!o->last_resort)
		return mls_group_new_leaf(o->crypto, o->suite, &signer, lt,
					  enc_pub, leaf);
	if (!signer.extension_types && n)
		return MLS_ERR_INVALID_ARG;
	types = calloc(n + 1, sizeof(*types));
	if (!types)
		return MLS_ERR_NOMEM;
	if (n)
		memcpy(types, signer.extension_types, n * sizeof(*types));
	types[n] = MLS_EXT_LAST_RESORT;
	signer.extension_types = types;
	signer.n_extension_types = n + 1;
	err = mls_group_new_leaf(o->crypto, o->suite, &signer, lt, enc_pub,
				 leaf);
	free(types);
	return err;
}

static int append_empty_extension(struct mls_extension_list *l,
				  uint16_t type)
{
	struct mls_extension *items;

	items = realloc(l->items, (l->count + 1) * sizeof(*items));
	if (!items)
		return MLS_ERR_NOMEM;
	memset(&items[l->count], 0, sizeof(items[l->count]));
	items[l->count++].type = type;
	l->items = items;
	return 0;
}

/*
 * last_resort if asked, and (§13.5) an empty extension of the GREASE type
 * the leaf's capabilities list, the last one add_grease appended.
 */
static int set_key_package_extensions(const struct mls_key_package_options *o,
				      struct mls_key_package *kp)
{
	const struct mls_u16_list *types = &kp->leaf_node.capabilities.extensions;
	int err = 0;

	if (o->last_resort)
		err = append_empty_extension(&kp->extensions,
					     MLS_EXT_LAST_RESORT);
	if (!err && !o->signer.no_grease && types->count &&
	    mls_is_grease(types->items[types->count - 1]))
		err = append_empty_extension(&kp->extensions,
					     types->items[types->count - 1]);
	return err;
}

bool mls_key_package_is_last_resort(const struct mls_key_package *kp)
{
	return kp && mls_extension_list_find(&kp->extensions,
					     MLS_EXT_LAST_RESORT);
}

static int build_key_package(const struct mls_key_package_options *o,
			     struct mls_key_package_secrets *sec,
			     struct mls_key_package *kp)
{
	const struct mls_suite *s = o->suite;
	uint8_t init_pub[MLS_MAX_KEM_PUB_LEN], enc_pub[MLS_MAX_KEM_PUB_LEN];
	struct mls_lifetime lt;
	int err;

	mls_group_default_lifetime(mls_clock_now(o->clock, o->clock_ctx),
				   &o->lifetime, &lt);
	if (lt.not_before > lt.not_after)
		return MLS_ERR_INVALID_ARG;
	sec->priv_len = s->kem_priv_len;
	err = mls_kem_generate_keypair(o->crypto, s, sec->init_priv, init_pub);
	if (!err)
		err = mls_kem_generate_keypair(o->crypto, s,
					       sec->encryption_priv, enc_pub);
	/* distinct draws, but a broken random source must not slip by */
	if (!err && !memcmp(init_pub, enc_pub, s->kem_pub_len))
		err = MLS_ERR_RANDOM;
	kp->version = MLS_PROTOCOL_MLS10;
	kp->cipher_suite = s->id;
	if (!err)
		err = mls_bytes_set(&kp->init_key, init_pub, s->kem_pub_len);
	if (!err)
		err = new_key_package_leaf(o, &lt, enc_pub, &kp->leaf_node);
	if (!err)
		err = set_key_package_extensions(o, kp);
	if (!err)
		err = sign_key_package(o->crypto, s, &o->signer, kp);
	return err;
}

int mls_key_package_create(const struct mls_key_package_options *o,
			   struct mls_bytes *key_package,
			   struct mls_key_package_secrets *secrets)
{
	struct mls_key_package kp;
	int err;

	if (!o || !o->suite || !key_package || !secrets)
		return MLS_ERR_INVALID_ARG;
	memset(key_package, 0, sizeof(*key_package));
	memset(secrets, 0, sizeof(*secrets));
	memset(&kp, 0, sizeof(kp));
	err = build_key_package(o, secrets, &kp);
	if (!err)
		err = mls_key_package_to_bytes(&kp, key_package);
	mls_key_package_free(&kp);
	if (err)
		mls_key_package_secrets_wipe(secrets);
	return err;
}

void mls_key_package_secrets_wipe(struct mls_key_package_secrets *s)
{
	if (s)
		mls_wipe(s, sizeof(*s));
}

static int verify_key_package_signature(const struct mls_suite *s,
					const struct mls_key_package *kp)
{
	struct mls_bytes tbs = { NULL, 0 };
	struct mls_writer w;
	int err;

	mls_writer_init(&w);
	mls_key_package_encode_tbs(&w, kp);
	err = mls_writer_finish(&w, &tbs);
	if (!err)
		err = mls_verify_with_label(s, kp->leaf_node.signature_key.data,
					    kp->leaf_node.signature_key.len,
					    "KeyPackageTBS", tbs.data, tbs.len,
					    kp->signature.data,
					    kp->signature.len);
	mls_bytes_free(&tbs);
	return err;
}

/* How a KeyPackage is checked beyond what §10.1 always demands. */
struct kp_checks {
	uint64_t now;
	uint64_t skew;		/* lifetime tolerance, seconds */
	bool suite_listed;	/* capabilities must list the suite */
};

static int check_key_package(const struct mls_suite *s,
			     const struct mls_key_package *kp,
			     const struct kp_checks *c)
{
	const struct mls_leaf_node *leaf;
	int err;

	if (!s || !kp)
		return MLS_ERR_INVALID_ARG;
	leaf = &kp->leaf_node;
	/*
	 * §10.1 wants KeyPackage.cipher_suite to be the group's; whether the
	 * leaf's capabilities list it too is only checked on request, as
	 * other implementations leave their own suite out.
	 */
	if (kp->version != MLS_PROTOCOL_MLS10 || kp->cipher_suite != s->id ||
	    leaf->source != MLS_LEAF_SOURCE_KEY_PACKAGE ||
	    mls_bytes_equal(&kp->init_key, &leaf->encryption_key) ||
	    (c->suite_listed &&
	     !mls_u16_list_contains(&leaf->capabilities.cipher_suites,
				    s->id)))
		return MLS_ERR_VALIDATION;
	if (mls_lifetime_check(&leaf->lifetime, c->now, c->skew))
		return MLS_ERR_VALIDATION;
	err = mls_kem_validate_pub(s, kp->init_key.data, kp->init_key.len);
	if (!err)
		err = mls_kem_validate_pub(s, leaf->encryption_key.data,
					   leaf->encryption_key.len);
	if (!err)
		err = verify_key_package_signature(s, kp);
	if (!err)
		err = mls_leaf_node_verify_signature(s, leaf, NULL, 0);
	if (!err)
		err = mls_leaf_node_check_capabilities(s, leaf, NULL);
	return err;
}

int mls_key_package_validate(const struct mls_suite *s,
			     const struct mls_key_package *kp, uint64_t now)
{
	const struct kp_checks c = { .now = now };

	return check_key_package(s, kp, &c);
}

/* ---- an Add's KeyPackage, validated once (§12.1.1) ---- */

static int add_ref(const struct mls_suite *s, const struct mls_add *add,
		   uint8_t *ref)
{
	struct mls_writer w;
	int err;

	mls_writer_init(&w);
	mls_key_package_encode(&w, &add->key_package);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_make_key_package_ref(s, w.buf, w.len, ref);
	mls_writer_free(&w);
	return err;
}

static bool add_noted(const struct mls_suite *s, const struct mls_add *add)
{
	uint8_t ref[MLS_MAX_HASH_LEN];

	if (add->validated_suite != s->id || add_ref(s, add, ref))
		return false;
	return memcmp(ref, add->validated_ref, s->hash_len) == 0;
}

int mls_group_validate_add_key_package(const struct mls_group *g,
				       const struct mls_add *add,
				       bool received)
{
	const struct kp_checks c = {
		.now = mls_group_now(g),
		.skew = received ? g->policy.lifetime_skew : 0,
		.suite_listed = g->policy.strict_key_package_suites,
	};

	if (add_noted(g->suite, add))
		return mls_group_check_lifetime(g, &add->key_package.leaf_node,
						received);
	return check_key_package(g->suite, &add->key_package, &c);
}

/*
 * §12.1.1, §7.3: an Add's leaf must also meet the group's
 * required_capabilities (§11.1); the sender learns it here rather than
 * from every receiver's refusal of the Commit.
 */
int mls_group_note_add_validated(const struct mls_group *g,
				 struct mls_add *add)
{
	int err = mls_leaf_node_check_capabilities(g->suite,
						   &add->key_package.leaf_node,
						   &g->context.extensions);

	if (!err)
		err = add_ref(g->suite, add, add->validated_ref);

	if (!err)
		add->validated_suite = g->suite->id;
	return err;
}

void mls_group_copy_add_note(struct mls_proposal *dst,
			     const struct mls_proposal *src)
{
	if (dst->type != MLS_PROPOSAL_ADD || src->type != MLS_PROPOSAL_ADD)
		return;
	dst->add.validated_suite = src->add.validated_suite;
	memcpy(dst->add.validated_ref, src->add.validated_ref,
	       sizeof(dst->add.validated_ref));
}

int mls_application_id_extension(const uint8_t *id, size_t len,
				 struct mls_extension *out)
{
	struct mls_writer w;

	if (!out || (!id && len))
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	out->type = MLS_EXT_APPLICATION_ID;
	mls_writer_init(&w);
	mls_write_opaque(&w, id, len);
	return mls_writer_finish(&w, &out->data);
}
