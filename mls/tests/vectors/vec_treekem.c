// SPDX-License-Identifier: MIT
/*
 * treekem.json: every member with private state processes each given
 * UpdatePath and must find the listed path secret, commit_secret and tree
 * hash; then each of them commits a fresh UpdatePath and every other
 * member must derive the committer's commit_secret and tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mls/treekem.h"
#include "vectors.h"

struct tk_member {
	struct mls_tree_private priv;
	struct mls_bytes sig_priv;
};

struct tk_case {
	const struct mls_suite *s;
	struct mls_tree tree;
	struct mls_group_context gc;	/* provisional context template */
	struct mls_treekem_context ctx;
	struct tk_member *m;
	size_t n_m;
};

static void case_free(struct tk_case *c)
{
	size_t i;

	for (i = 0; i < c->n_m; i++) {
		mls_tree_private_wipe(&c->m[i].priv);
		mls_bytes_free_secret(&c->m[i].sig_priv);
	}
	free(c->m);
	mls_tree_free(&c->tree);
	mls_group_context_free(&c->gc);
}

static int load_path_secrets(struct vec_report *rep, const struct tk_case *c,
			     const json_t *list, struct mls_tree_private *p)
{
	struct mls_bytes ps = { 0 };
	const json_t *e;
	uint64_t node;
	size_t i;
	int err;

	json_array_foreach(list, i, e) {
		if (vec_get_uint(rep, e, "node", &node) ||
		    vec_get_hex(rep, e, "path_secret", &ps))
			return -1;
		err = ps.len != c->s->hash_len ? MLS_ERR_INVALID_ARG :
			mls_tree_private_add_path_secret(p, &c->tree,
							 (uint32_t)node,
							 ps.data);
		mls_bytes_free_secret(&ps);
		if (err)
			return vec_fail(rep, "leaf %u path secret for node %llu: %s",
					p->leaf_index, (unsigned long long)node,
					mls_strerror(err));
	}
	return 0;
}

static int load_member(struct vec_report *rep, struct tk_case *c,
		       const json_t *e, struct tk_member *m)
{
	struct mls_bytes enc = { 0 };
	uint64_t index;
	int err;

	if (vec_get_uint(rep, e, "index", &index) ||
	    vec_get_hex(rep, e, "encryption_priv", &enc) ||
	    vec_get_hex(rep, e, "signature_priv", &m->sig_priv))
		goto fail;
	mls_tree_private_init(&m->priv, c->s, (uint32_t)index);
	err = mls_tree_private_set_leaf_key(&m->priv, enc.data, enc.len);
	if (err) {
		vec_fail(rep, "leaf %llu key: %s", (unsigned long long)index,
			 mls_strerror(err));
		goto fail;
	}
	if (load_path_secrets(rep, c, vec_field(rep, e, "path_secrets"),
			      &m->priv))
		goto fail;
	/* Every key must be the private half of the tree's node. */
	err = mls_tree_private_check(&m->priv, &c->tree);
	if (err) {
		vec_fail(rep, "leaf %llu keys do not match the tree",
			 (unsigned long long)index);
		goto fail;
	}
	mls_bytes_free_secret(&enc);
	return 0;
fail:
	mls_bytes_free_secret(&enc);
	return -1;
}

static int load_case(struct vec_report *rep, const json_t *tc,
		     struct tk_case *c)
{
	const json_t *privs = vec_field(rep, tc, "leaves_private");
	struct mls_bytes tree = { 0 };
	uint64_t suite;
	size_t i;
	int err;

	if (privs && (!json_is_array(privs) || !json_array_size(privs))) {
		vec_fail(rep, "leaves_private: not a non-empty array");
		goto fail;
	}
	if (!privs || vec_get_uint(rep, tc, "cipher_suite", &suite) ||
	    vec_get_uint(rep, tc, "epoch", &c->gc.epoch) ||
	    vec_get_hex(rep, tc, "group_id", &c->gc.group_id) ||
	    vec_get_hex(rep, tc, "confirmed_transcript_hash",
			&c->gc.confirmed_transcript_hash) ||
	    vec_get_hex(rep, tc, "ratchet_tree", &tree))
		goto fail;
	c->s = suite <= UINT16_MAX ? mls_suite_get((uint16_t)suite) : NULL;
	if (!c->s) {
		vec_fail(rep, "unsupported cipher suite %llu",
			 (unsigned long long)suite);
		goto fail;
	}
	c->gc.version = MLS_PROTOCOL_MLS10;
	c->gc.cipher_suite = c->s->id;
	c->ctx.group_context = &c->gc;
	err = mls_tree_from_bytes(&c->tree, c->s, tree.data, tree.len);
	if (err) {
		vec_fail(rep, "ratchet_tree: %s", mls_strerror(err));
		goto fail;
	}
	c->m = calloc(json_array_size(privs) + 1, sizeof(*c->m));
	if (!c->m)
		goto fail;
	for (i = 0; i < json_array_size(privs); i++, c->n_m++)
		if (load_member(rep, c, json_array_get(privs, i), &c->m[i])) {
			c->n_m++;
			goto fail;
		}
	mls_bytes_free(&tree);
	return 0;
fail:
	mls_bytes_free(&tree);
	return -1;
}

/* Process path as member m on copies; *tree receives the merged tree. */
static int receive(struct vec_report *rep, const struct tk_case *c,
		   const struct tk_member *m, uint32_t sender,
		   const struct mls_update_path *path, struct mls_tree *tree,
		   struct mls_treekem_secrets *out)
{
	struct mls_tree_private priv = m->priv;
	uint32_t bad;
	int err;

	err = mls_tree_clone(tree, &c->tree);
	if (!err)
		err = mls_treekem_process(tree, &priv, sender, path, &c->ctx,
					  out);
	if (!err && mls_tree_verify_parent_hashes(tree, &bad))
		err = vec_fail(rep, "leaf %u: parent hash at node %u after merge",
			       m->priv.leaf_index, bad);
	else if (!err)
		err = mls_tree_private_check(&priv, tree);
	mls_tree_private_wipe(&priv);
	if (err && !rep->failed)
		vec_fail(rep, "leaf %u processing path from %u: %s",
			 m->priv.leaf_index, sender, mls_strerror(err));
	return err ? -1 : 0;
}

static int expect_root_hash(struct vec_report *rep, struct mls_tree *t,
			    const char *what, const struct mls_bytes *want)
{
	uint8_t h[MLS_MAX_HASH_LEN];
	int err = mls_tree_root_hash(t, h);

	if (err)
		return vec_fail(rep, "%s: %s", what, mls_strerror(err));
	return vec_expect_bytes(rep, what, h, t->suite->hash_len, want);
}

static int check_receiver(struct vec_report *rep, const struct tk_case *c,
			  const struct tk_member *m, const json_t *up,
			  uint32_t sender, const struct mls_update_path *path)
{
	const json_t *ps_list = vec_field(rep, up, "path_secrets");
	struct mls_bytes want_ps = { 0 }, want_cs = { 0 }, want_th = { 0 };
	struct mls_treekem_secrets got;
	struct mls_tree tree = { 0 };
	const json_t *ps;
	int ret = -1;

	ps = ps_list ? json_array_get(ps_list, m->priv.leaf_index) : NULL;
	if (!ps || !json_is_string(ps) ||
	    vec_hex_decode(json_string_value(ps), &want_ps)) {
		vec_fail(rep, "path_secrets[%u] missing", m->priv.leaf_index);
		goto out;
	}
	if (vec_get_hex(rep, up, "commit_secret", &want_cs) ||
	    vec_get_hex(rep, up, "tree_hash_after", &want_th) ||
	    receive(rep, c, m, sender, path, &tree, &got))
		goto out;
	if (!vec_expect_bytes(rep, "path secret", got.path_secrets[got.first],
			      c->s->hash_len, &want_ps) &&
	    !vec_expect_bytes(rep, "commit_secret", got.commit_secret,
			      c->s->hash_len, &want_cs) &&
	    !expect_root_hash(rep, &tree, "tree_hash_after", &want_th))
		ret = 0;
out:
	mls_treekem_secrets_wipe(&got);
	mls_tree_free(&tree);
	mls_bytes_free_secret(&want_ps);
	mls_bytes_free_secret(&want_cs);
	mls_bytes_free(&want_th);
	return ret;
}

static int check_update_path(struct vec_report *rep, const struct tk_case *c,
			     const json_t *up)
{
	struct mls_update_path path = { 0 };
	struct mls_bytes raw = { 0 };
	struct mls_reader r;
	uint64_t sender;
	size_t i;
	int err, ret = 0;

	if (vec_get_uint(rep, up, "sender", &sender) ||
	    vec_get_hex(rep, up, "update_path", &raw))
		return -1;
	mls_reader_init(&r, raw.data, raw.len);
	mls_update_path_decode(&r, &path);
	err = mls_reader_finish(&r);
	mls_bytes_free(&raw);
	if (err)
		mls_update_path_free(&path);
	if (err)
		return vec_fail(rep, "update_path: %s", mls_strerror(err));
	for (i = 0; !ret && i < c->n_m; i++)
		if (c->m[i].priv.leaf_index != sender)
			ret = check_receiver(rep, c, &c->m[i], up,
					     (uint32_t)sender, &path);
	mls_update_path_free(&path);
	return ret;
}

/* Receiver r of committer's fresh path agrees on secrets and tree. */
static int check_fresh_receiver(struct vec_report *rep,
				const struct tk_case *c,
				const struct tk_member *r,
				const struct mls_update_path *path,
				const struct mls_treekem_secrets *sent,
				struct mls_tree *committed)
{
	const uint8_t *ps;
	struct mls_treekem_secrets got;
	struct mls_bytes want = { 0 };
	struct mls_tree tree = { 0 };
	uint8_t h[MLS_MAX_HASH_LEN];
	uint32_t node;
	int ret = -1;

	if (receive(rep, c, r, sent->sender, path, &tree, &got))
		goto out;
	if (mls_treekem_path_secret_for(sent, r->priv.leaf_index, &node, &ps) ||
	    node != got.fdp.nodes[got.first] ||
	    memcmp(ps, got.path_secrets[got.first], c->s->hash_len)) {
		vec_fail(rep, "leaf %u: path secret differs from committer %u's",
			 r->priv.leaf_index, sent->sender);
		goto out;
	}
	if (memcmp(got.commit_secret, sent->commit_secret, c->s->hash_len)) {
		vec_fail(rep, "leaf %u: commit_secret differs from committer %u's",
			 r->priv.leaf_index, sent->sender);
		goto out;
	}
	if (mls_tree_root_hash(committed, h) ||
	    mls_bytes_set(&want, h, c->s->hash_len))
		goto out;
	ret = expect_root_hash(rep, &tree, "tree hash after fresh path",
			       &want);
out:
	mls_treekem_secrets_wipe(&got);
	mls_tree_free(&tree);
	mls_bytes_free(&want);
	return ret;
}

static int check_fresh_path(struct vec_report *rep, const struct tk_case *c,
			    const struct tk_member *committer)
{
	struct mls_tree_private priv = committer->priv;
	struct mls_update_path path = { 0 };
	struct mls_treekem_secrets sent;
	struct mls_tree tree = { 0 };
	size_t i;
	int err, ret = -1;

	err = mls_tree_clone(&tree, &c->tree);
	if (!err)
		err = mls_treekem_create(NULL, &tree, &priv, &c->ctx, NULL,
					 committer->sig_priv.data,
					 committer->sig_priv.len, &path, &sent);
	if (!err)
		err = mls_tree_private_check(&priv, &tree);
	if (err) {
		vec_fail(rep, "leaf %u creating a path: %s",
			 committer->priv.leaf_index, mls_strerror(err));
		goto out;
	}
	ret = 0;
	for (i = 0; !ret && i < c->n_m; i++)
		if (&c->m[i] != committer)
			ret = check_fresh_receiver(rep, c, &c->m[i], &path,
						   &sent, &tree);
out:
	mls_tree_private_wipe(&priv);
	mls_treekem_secrets_wipe(&sent);
	mls_update_path_free(&path);
	mls_tree_free(&tree);
	return ret;
}

int vec_run_treekem(const json_t *tc, struct vec_report *rep)
{
	const json_t *ups = vec_field(rep, tc, "update_paths");
	struct tk_case c;
	size_t i;
	int ret = -1;

	memset(&c, 0, sizeof(c));
	if (ups && (!json_is_array(ups) || !json_array_size(ups))) {
		vec_fail(rep, "update_paths: not a non-empty array");
		goto out;
	}
	if (!ups || load_case(rep, tc, &c))
		goto out;
	ret = 0;
	for (i = 0; !ret && i < json_array_size(ups); i++)
		ret = check_update_path(rep, &c, json_array_get(ups, i));
	for (i = 0; !ret && i < c.n_m; i++)
		ret = check_fresh_path(rep, &c, &c.m[i]);
out:
	case_free(&c);
	return ret;
}
