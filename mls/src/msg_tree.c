// SPDX-License-Identifier: MIT
/* Ratchet-tree structures on the wire (RFC 9420 §7, §12.4.3.3). */
#include <stdlib.h>
#include <string.h>

#include "mls/msg_tree.h"

/* ---- LeafNode (§7.2) ---- */

static void leaf_node_encode_body(struct mls_writer *w,
				  const struct mls_leaf_node *v)
{
	mls_write_opaque_bytes(w, &v->encryption_key);
	mls_write_opaque_bytes(w, &v->signature_key);
	mls_credential_encode(w, &v->credential);
	mls_capabilities_encode(w, &v->capabilities);
	mls_write_u8(w, v->source);
	switch (v->source) {
	case MLS_LEAF_SOURCE_KEY_PACKAGE:
		mls_lifetime_encode(w, &v->lifetime);
		break;
	case MLS_LEAF_SOURCE_UPDATE:
		break;
	case MLS_LEAF_SOURCE_COMMIT:
		mls_write_opaque_bytes(w, &v->parent_hash);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
	mls_extension_list_encode(w, &v->extensions);
}

void mls_leaf_node_encode(struct mls_writer *w, const struct mls_leaf_node *v)
{
	leaf_node_encode_body(w, v);
	mls_write_opaque_bytes(w, &v->signature);
}

void mls_leaf_node_encode_tbs(struct mls_writer *w,
			      const struct mls_leaf_node *v,
			      const struct mls_bytes *group_id,
			      uint32_t leaf_index)
{
	leaf_node_encode_body(w, v);
	if (v->source == MLS_LEAF_SOURCE_UPDATE ||
	    v->source == MLS_LEAF_SOURCE_COMMIT) {
		mls_write_opaque_bytes(w, group_id);
		mls_write_u32(w, leaf_index);
	}
}

int mls_leaf_node_decode(struct mls_reader *r, struct mls_leaf_node *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->encryption_key);
	mls_read_opaque(r, &v->signature_key);
	mls_credential_decode(r, &v->credential);
	mls_capabilities_decode(r, &v->capabilities);
	if (!mls_read_u8(r, &v->source)) {
		switch (v->source) {
		case MLS_LEAF_SOURCE_KEY_PACKAGE:
			mls_lifetime_decode(r, &v->lifetime);
			break;
		case MLS_LEAF_SOURCE_UPDATE:
			break;
		case MLS_LEAF_SOURCE_COMMIT:
			mls_read_opaque(r, &v->parent_hash);
			break;
		default:
			mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
		}
	}
	mls_extension_list_decode(r, &v->extensions);
	mls_read_opaque(r, &v->signature);
	if (r->err)
		mls_leaf_node_free(v);
	return r->err;
}

void mls_leaf_node_free(struct mls_leaf_node *v)
{
	mls_bytes_free(&v->encryption_key);
	mls_bytes_free(&v->signature_key);
	mls_credential_free(&v->credential);
	mls_capabilities_free(&v->capabilities);
	mls_bytes_free(&v->parent_hash);
	mls_extension_list_free(&v->extensions);
	mls_bytes_free(&v->signature);
	memset(v, 0, sizeof(*v));
}

/* ---- ParentNode (§7.1) ---- */

void mls_parent_node_encode(struct mls_writer *w,
			    const struct mls_parent_node *v)
{
	mls_write_opaque_bytes(w, &v->encryption_key);
	mls_write_opaque_bytes(w, &v->parent_hash);
	mls_u32_list_encode(w, &v->unmerged_leaves);
}

int mls_parent_node_decode(struct mls_reader *r, struct mls_parent_node *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->encryption_key);
	mls_read_opaque(r, &v->parent_hash);
	mls_u32_list_decode(r, &v->unmerged_leaves);
	if (r->err)
		mls_parent_node_free(v);
	return r->err;
}

void mls_parent_node_free(struct mls_parent_node *v)
{
	mls_bytes_free(&v->encryption_key);
	mls_bytes_free(&v->parent_hash);
	mls_u32_list_free(&v->unmerged_leaves);
}

/* ---- Node ---- */

void mls_node_encode(struct mls_writer *w, const struct mls_node *v)
{
	mls_write_u8(w, v->type);
	switch (v->type) {
	case MLS_NODE_LEAF:
		mls_leaf_node_encode(w, &v->leaf);
		break;
	case MLS_NODE_PARENT:
		mls_parent_node_encode(w, &v->parent);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
}

int mls_node_decode(struct mls_reader *r, struct mls_node *v)
{
	memset(v, 0, sizeof(*v));
	if (mls_read_u8(r, &v->type))
		return r->err;
	switch (v->type) {
	case MLS_NODE_LEAF:
		mls_leaf_node_decode(r, &v->leaf);
		break;
	case MLS_NODE_PARENT:
		mls_parent_node_decode(r, &v->parent);
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
	if (r->err)
		mls_node_free(v);
	return r->err;
}

void mls_node_free(struct mls_node *v)
{
	mls_leaf_node_free(&v->leaf);
	mls_parent_node_free(&v->parent);
	v->type = MLS_NODE_BLANK;
}

/* ---- ratchet_tree (§12.4.3.3) ---- */

void mls_ratchet_tree_encode(struct mls_writer *w,
			     const struct mls_ratchet_tree *v)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < v->count; i++) {
		/* §2.1.1 optional<T>: a presence octet, then the value. */
		if (v->nodes[i].type == MLS_NODE_BLANK) {
			mls_write_u8(w, 0);
		} else {
			mls_write_u8(w, 1);
			mls_node_encode(w, &v->nodes[i]);
		}
	}
	mls_write_vector_end(w, mark);
}

static int read_optional_node(struct mls_reader *r, struct mls_node *node,
			      size_t index)
{
	uint8_t present;

	memset(node, 0, sizeof(*node));
	if (mls_read_u8(r, &present))
		return r->err;
	if (present > 1)
		return mls_reader_fail(r, MLS_ERR_DECODE);
	if (!present)
		return MLS_OK;
	if (mls_node_decode(r, node))
		return r->err;
	if ((index % 2 == 0) != (node->type == MLS_NODE_LEAF)) {
		mls_node_free(node);
		return mls_reader_fail(r, MLS_ERR_DECODE);
	}
	return MLS_OK;
}

int mls_ratchet_tree_decode(struct mls_reader *r, struct mls_ratchet_tree *v)
{
	struct mls_reader sub;
	struct mls_node *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->nodes, v->count, sizeof(*v->nodes));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->nodes = tmp;
		if (read_optional_node(&sub, &v->nodes[v->count], v->count))
			break;
		v->count++;
	}
	/* "The receiver MUST check that the last node ... is non-blank." */
	if (!sub.err && (v->count == 0 ||
			 v->nodes[v->count - 1].type == MLS_NODE_BLANK))
		mls_reader_fail(&sub, MLS_ERR_DECODE);
	if (mls_reader_close(r, &sub))
		mls_ratchet_tree_free(v);
	return r->err;
}

void mls_ratchet_tree_free(struct mls_ratchet_tree *v)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		mls_node_free(&v->nodes[i]);
	free(v->nodes);
	memset(v, 0, sizeof(*v));
}

MLS_DEFINE_WHOLE_CODEC(ratchet_tree)

/* ---- UpdatePath (§7.6) ---- */

void mls_update_path_node_encode(struct mls_writer *w,
				 const struct mls_update_path_node *v)
{
	size_t mark, i;

	mls_write_opaque_bytes(w, &v->encryption_key);
	mark = mls_write_vector_begin(w);
	for (i = 0; i < v->count; i++)
		mls_hpke_ciphertext_encode(w, &v->secrets[i]);
	mls_write_vector_end(w, mark);
}

int mls_update_path_node_decode(struct mls_reader *r,
				struct mls_update_path_node *v)
{
	struct mls_reader sub;
	struct mls_hpke_ciphertext *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->encryption_key);
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->secrets, v->count, sizeof(*v->secrets));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->secrets = tmp;
		if (mls_hpke_ciphertext_decode(&sub, &v->secrets[v->count]))
			break;
		v->count++;
	}
	if (mls_reader_close(r, &sub))
		mls_update_path_node_free(v);
	return r->err;
}

void mls_update_path_node_free(struct mls_update_path_node *v)
{
	size_t i;

	mls_bytes_free(&v->encryption_key);
	for (i = 0; i < v->count; i++)
		mls_hpke_ciphertext_free(&v->secrets[i]);
	free(v->secrets);
	memset(v, 0, sizeof(*v));
}

void mls_update_path_encode(struct mls_writer *w,
			    const struct mls_update_path *v)
{
	size_t mark, i;

	mls_leaf_node_encode(w, &v->leaf_node);
	mark = mls_write_vector_begin(w);
	for (i = 0; i < v->count; i++)
		mls_update_path_node_encode(w, &v->nodes[i]);
	mls_write_vector_end(w, mark);
}

int mls_update_path_decode(struct mls_reader *r, struct mls_update_path *v)
{
	struct mls_reader sub;
	struct mls_update_path_node *tmp;

	memset(v, 0, sizeof(*v));
	mls_leaf_node_decode(r, &v->leaf_node);
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->nodes, v->count, sizeof(*v->nodes));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->nodes = tmp;
		if (mls_update_path_node_decode(&sub, &v->nodes[v->count]))
			break;
		v->count++;
	}
	if (mls_reader_close(r, &sub))
		mls_update_path_free(v);
	return r->err;
}

void mls_update_path_free(struct mls_update_path *v)
{
	size_t i;

	mls_leaf_node_free(&v->leaf_node);
	for (i = 0; i < v->count; i++)
		mls_update_path_node_free(&v->nodes[i]);
	free(v->nodes);
	memset(v, 0, sizeof(*v));
}
