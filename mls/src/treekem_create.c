// SPDX-License-Identifier: MIT
/*
 * Committer side of TreeKEM (§7.4, §7.5, §12.4.1): fresh leaf key and
 * path secrets, merge of the new public keys, the signed commit LeafNode,
 * then the path secrets encrypted under the provisional GroupContext.
 */
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "treekem_internal.h"

/* The committer's working copies; the caller's state is not touched. */
struct tk_commit {
	const struct mls_crypto *c;
	const struct mls_suite *s;
	uint32_t leaf;
	struct mls_tree work;
	struct mls_tree_private keys;
	struct mls_node_path copath;
};

/* §7.4: path_secret[0] at random, each next one DeriveSecret(prev, "path"). */
static int draw_path(struct tk_commit *k, struct mls_update_path *path,
		     struct mls_treekem_secrets *out)
{
	const struct mls_suite *s = k->s;
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	uint8_t ps[MLS_MAX_HASH_LEN];
	uint32_t i;
	int err;

	err = mls_tree_filtered_direct_path(&k->work, k->leaf, &out->fdp,
					    &k->copath);
	if (err)
		return err;
	out->suite = s;
	out->sender = k->leaf;
	path->nodes = calloc(out->fdp.len ? out->fdp.len : 1,
			     sizeof(*path->nodes));
	if (!path->nodes)
		return MLS_ERR_NOMEM;
	path->count = out->fdp.len;
	err = mls_crypto_random(k->c, ps, s->hash_len);
	for (i = 0; !err && i < out->fdp.len; i++) {
		if (i > 0)
			err = tk_next_path_secret(s, ps, ps);
		if (!err)
			err = tk_node_keypair(s, ps, priv, pub);
		if (!err)
			err = tk_private_put(&k->keys, out->fdp.nodes[i], priv,
					     pub);
		if (!err)
			err = mls_bytes_set(&path->nodes[i].encryption_key, pub,
					    s->kem_pub_len);
		memcpy(out->path_secrets[i], ps, s->hash_len);
	}
	if (!err)
		err = tk_next_path_secret(s, ps, out->commit_secret);
	mls_wipe(priv, sizeof(priv));
	mls_wipe(ps, sizeof(ps));
	return err;
}

static int copy_leaf(struct mls_leaf_node *dst, const struct mls_leaf_node *src)
{
	struct mls_writer w;
	struct mls_reader r;
	int err;

	memset(dst, 0, sizeof(*dst));
	mls_writer_init(&w);
	mls_leaf_node_encode(&w, src);
	err = mls_writer_error(&w);
	if (!err) {
		mls_reader_init(&r, w.buf, w.len);
		mls_leaf_node_decode(&r, dst);
		err = mls_reader_finish(&r);
	}
	mls_writer_free(&w);
	if (err)
		mls_leaf_node_free(dst);
	return err;
}

static int sign_leaf(const struct tk_commit *k, struct mls_leaf_node *leaf,
		     const struct mls_bytes *group_id, const uint8_t *sig_priv,
		     size_t sig_priv_len)
{
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_writer w;
	size_t sig_len;
	int err;

	mls_writer_init(&w);
	mls_leaf_node_encode_tbs(&w, leaf, group_id, k->leaf);
	err = mls_writer_error(&w);
	if (!err)
		err = mls_sign_with_label(k->c, k->s, sig_priv, sig_priv_len,
					  "LeafNodeTBS", w.buf, w.len, sig,
					  &sig_len);
	mls_writer_free(&w);
	mls_bytes_free(&leaf->signature);
	if (!err)
		err = mls_bytes_set(&leaf->signature, sig, sig_len);
	return err;
}

/*
 * §7.5 steps 3-4: merge the keys (which yields the leaf's parent hash),
 * then the new leaf: fresh encryption key, source commit, that hash,
 * signed.
 */
static int renew_leaf(struct tk_commit *k, const struct mls_leaf_node *tmpl,
		      const struct mls_bytes *group_id, const uint8_t *sig_priv,
		      size_t sig_priv_len, struct mls_update_path *path)
{
	struct mls_bytes keys[MLS_TREE_MAX_HEIGHT];
	uint8_t priv[MLS_MAX_KEM_PRIV_LEN], pub[MLS_MAX_KEM_PUB_LEN];
	uint8_t ph[MLS_MAX_HASH_LEN];
	struct mls_leaf_node *leaf = &path->leaf_node;
	size_t i, ph_len;
	int err;

	for (i = 0; i < path->count; i++)
		keys[i] = path->nodes[i].encryption_key;
	err = mls_tree_merge_path_keys(&k->work, k->leaf, keys, path->count,
				       ph, &ph_len);
	if (!err)
		err = mls_kem_generate_keypair(k->c, k->s, priv, pub);
	if (!err)
		err = tk_private_put(&k->keys, mls_treemath_leaf_to_node(k->leaf),
				     priv, pub);
	mls_wipe(priv, sizeof(priv));
	if (!err)
		err = copy_leaf(leaf, tmpl);
	if (err)
		return err;
	leaf->source = MLS_LEAF_SOURCE_COMMIT;
	memset(&leaf->lifetime, 0, sizeof(leaf->lifetime));
	mls_bytes_free(&leaf->encryption_key);
	mls_bytes_free(&leaf->parent_hash);
	err = mls_bytes_set(&leaf->encryption_key, pub, k->s->kem_pub_len);
	if (!err)
		err = mls_bytes_set(&leaf->parent_hash, ph, ph_len);
	if (!err)
		err = sign_leaf(k, leaf, group_id, sig_priv, sig_priv_len);
	if (!err)
		err = mls_tree_set_leaf(&k->work, k->leaf, leaf);
	return err;
}

/*
 * §7.5 "encrypt path secrets to the group": one HPKE seal per (fdp node,
 * resolution member), all independent, so they run in parallel. Each
 * seal's ephemeral key comes from kem_priv_len bytes of the caller's
 * randomness, drawn serially in seal order before the run: a seeded
 * random hook gives the same bytes on any number of threads, and the hook
 * itself is never called from a worker.
 */
struct tk_seal {
	const struct mls_bytes *pub;
	const uint8_t *path_secret;
	struct mls_hpke_ciphertext *ct;
};

struct tk_seals {
	const struct mls_suite *s;
	const struct mls_bytes *gc;
	struct tk_seal *jobs;
	uint8_t *ikm;		/* kem_priv_len bytes per job */
	size_t n;
};

/* Fewer seals than this (a small group) cost less than a thread start. */
#define TK_PARALLEL_MIN_SEALS	4

/* A random hook that hands out one seal's pre-drawn bytes, once. */
struct tk_drawn {
	const uint8_t *bytes;
	size_t left;
};

static int replay_drawn(void *ctx, uint8_t *out, size_t len)
{
	struct tk_drawn *d = ctx;

	if (len > d->left)
		return MLS_ERR_RANDOM;	/* the KEM drew more than Nsk */
	memcpy(out, d->bytes, len);
	d->bytes += len;
	d->left -= len;
	return 0;
}

static int seal_one(void *ctx, size_t i)
{
	const struct tk_seals *ss = ctx;
	const struct tk_seal *job = &ss->jobs[i];
	const struct mls_suite *s = ss->s;
	struct tk_drawn drawn = { ss->ikm + i * s->kem_priv_len,
				  s->kem_priv_len };
	struct mls_crypto replay;

	mls_crypto_set_random(&replay, replay_drawn, &drawn);
	return mls_encrypt_with_label(&replay, s, job->pub->data,
				      job->pub->len, "UpdatePathNode",
				      ss->gc->data, ss->gc->len,
				      job->path_secret, s->hash_len,
				      job->ct->kem_output.data,
				      job->ct->ciphertext.data);
}

static int alloc_ciphertext(const struct mls_suite *s,
			    struct mls_hpke_ciphertext *ct)
{
	ct->kem_output.data = malloc(s->kem_enc_len);
	ct->ciphertext.data = malloc(s->hash_len + s->aead_tag_len);
	if (!ct->kem_output.data || !ct->ciphertext.data)
		return MLS_ERR_NOMEM;
	ct->kem_output.len = s->kem_enc_len;
	ct->ciphertext.len = s->hash_len + s->aead_tag_len;
	return MLS_OK;
}

/* The seals for one fdp node: its copath child's resolution (§7.5). */
static int plan_node(const struct tk_commit *k,
		     const struct mls_treekem_context *ctx,
		     uint32_t copath_node, const uint8_t *ps,
		     struct mls_update_path_node *node, struct tk_seals *ss,
		     size_t *cap)
{
	struct mls_node_list res = { 0 };
	struct tk_seal *tmp;
	size_t j;
	int err;

	err = mls_tree_resolution(&k->work, copath_node, ctx->added_leaves,
				  ctx->n_added, &res);
	if (err || !res.len)
		goto out;
	err = MLS_ERR_NOMEM;
	node->secrets = calloc(res.len, sizeof(*node->secrets));
	if (!node->secrets)
		goto out;
	node->count = res.len;
	if (ss->n + res.len > *cap) {
		*cap = 2 * (ss->n + res.len);
		tmp = realloc(ss->jobs, *cap * sizeof(*tmp));
		if (!tmp)
			goto out;
		ss->jobs = tmp;
	}
	err = MLS_OK;
	for (j = 0; !err && j < res.len; j++) {
		ss->jobs[ss->n++] = (struct tk_seal){
			tk_node_pub(&k->work, res.nodes[j]), ps,
			&node->secrets[j] };
		err = alloc_ciphertext(ss->s, &node->secrets[j]);
	}
out:
	mls_node_list_free(&res);
	return err;
}

static int plan_seals(const struct tk_commit *k,
		      const struct mls_treekem_context *ctx,
		      const struct mls_treekem_secrets *secrets,
		      struct mls_update_path *path, struct tk_seals *ss)
{
	size_t cap = 0, nsk = k->s->kem_priv_len, j;
	uint32_t i;
	int err = MLS_OK;

	for (i = 0; !err && i < secrets->fdp.len; i++)
		err = plan_node(k, ctx, k->copath.nodes[i],
				secrets->path_secrets[i], &path->nodes[i], ss,
				&cap);
	if (err || !ss->n)
		return err;
	ss->ikm = malloc(ss->n * nsk);
	if (!ss->ikm)
		return MLS_ERR_NOMEM;
	/* One call per seal, as a serial encap makes them. */
	for (j = 0; !err && j < ss->n; j++)
		err = mls_crypto_random(k->c, ss->ikm + j * nsk, nsk);
	return err;
}

static int encrypt_path(struct tk_commit *k,
			const struct mls_treekem_context *ctx,
			const struct mls_treekem_secrets *secrets,
			struct mls_update_path *path)
{
	struct mls_bytes gc = { 0 };
	struct tk_seals ss = { .s = k->s, .gc = &gc };
	int err;

	/* §12.4.1: the HPKE context is the provisional GroupContext, whose
	 * tree hash covers the merged path and the signed leaf. */
	err = tk_encode_context(&k->work, ctx->group_context, &gc);
	if (!err)
		err = plan_seals(k, ctx, secrets, path, &ss);
	if (!err)
		err = mls_parallel_run(ss.n, TK_PARALLEL_MIN_SEALS, seal_one,
				       &ss, NULL);
	if (ss.ikm)
		mls_wipe(ss.ikm, ss.n * k->s->kem_priv_len);
	free(ss.ikm);
	free(ss.jobs);
	mls_bytes_free(&gc);
	return err;
}

static int check_args(const struct mls_tree *t,
		      const struct mls_tree_private *p,
		      const struct mls_treekem_context *ctx,
		      const uint8_t *sig_priv)
{
	if (!t->suite || p->suite != t->suite || !ctx ||
	    !ctx->group_context || (ctx->n_added && !ctx->added_leaves) ||
	    !sig_priv)
		return MLS_ERR_INVALID_ARG;
	return mls_tree_leaf(t, p->leaf_index) ? MLS_OK : MLS_ERR_NOT_FOUND;
}

int mls_treekem_create(const struct mls_crypto *c, struct mls_tree *t,
		       struct mls_tree_private *p,
		       const struct mls_treekem_context *ctx,
		       const struct mls_leaf_node *leaf_template,
		       const uint8_t *sig_priv, size_t sig_priv_len,
		       struct mls_update_path *path,
		       struct mls_treekem_secrets *out)
{
	struct tk_commit k = { .c = c, .s = t->suite,
			       .leaf = p->leaf_index };
	int err;

	memset(path, 0, sizeof(*path));
	mls_treekem_secrets_wipe(out);
	err = check_args(t, p, ctx, sig_priv);
	if (err)
		return err;
	if (!leaf_template)
		leaf_template = mls_tree_leaf(t, p->leaf_index);
	err = mls_tree_clone(&k.work, t);
	if (err)
		return err;
	mls_tree_private_init(&k.keys, k.s, k.leaf);
	err = draw_path(&k, path, out);
	if (!err)
		err = renew_leaf(&k, leaf_template,
				 &ctx->group_context->group_id, sig_priv,
				 sig_priv_len, path);
	if (!err)
		err = encrypt_path(&k, ctx, out, path);
	if (err) {
		mls_tree_free(&k.work);
		mls_update_path_free(path);
		mls_treekem_secrets_wipe(out);
	} else {
		mls_tree_free(t);
		*t = k.work;
		*p = k.keys;
	}
	mls_tree_private_wipe(&k.keys);
	return err;
}
