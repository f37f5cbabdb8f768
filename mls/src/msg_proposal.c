// SPDX-License-Identifier: MIT
/* Proposals, ProposalOrRef and Commit (RFC 9420 §12.1, §12.4). */
#include <stdlib.h>
#include <string.h>

#include "mls/msg_proposal.h"

/* ---- the seven proposal bodies (§12.1.1 - §12.1.7) ---- */

void mls_add_encode(struct mls_writer *w, const struct mls_add *v)
{
	mls_key_package_encode(w, &v->key_package);
}

int mls_add_decode(struct mls_reader *r, struct mls_add *v)
{
	return mls_key_package_decode(r, &v->key_package);
}

void mls_add_free(struct mls_add *v)
{
	mls_key_package_free(&v->key_package);
}

void mls_update_encode(struct mls_writer *w, const struct mls_update *v)
{
	mls_leaf_node_encode(w, &v->leaf_node);
}

int mls_update_decode(struct mls_reader *r, struct mls_update *v)
{
	return mls_leaf_node_decode(r, &v->leaf_node);
}

void mls_update_free(struct mls_update *v)
{
	mls_leaf_node_free(&v->leaf_node);
}

void mls_remove_encode(struct mls_writer *w, const struct mls_remove *v)
{
	mls_write_u32(w, v->removed);
}

int mls_remove_decode(struct mls_reader *r, struct mls_remove *v)
{
	return mls_read_u32(r, &v->removed);
}

void mls_remove_free(struct mls_remove *v)
{
	v->removed = 0;
}

void mls_pre_shared_key_encode(struct mls_writer *w,
			       const struct mls_pre_shared_key *v)
{
	mls_psk_id_encode(w, &v->psk);
}

int mls_pre_shared_key_decode(struct mls_reader *r,
			      struct mls_pre_shared_key *v)
{
	return mls_psk_id_decode(r, &v->psk);
}

void mls_pre_shared_key_free(struct mls_pre_shared_key *v)
{
	mls_psk_id_free(&v->psk);
}

void mls_reinit_encode(struct mls_writer *w, const struct mls_reinit *v)
{
	mls_write_opaque_bytes(w, &v->group_id);
	mls_write_u16(w, v->version);
	mls_write_u16(w, v->cipher_suite);
	mls_extension_list_encode(w, &v->extensions);
}

int mls_reinit_decode(struct mls_reader *r, struct mls_reinit *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_opaque(r, &v->group_id);
	mls_read_u16(r, &v->version);
	mls_read_u16(r, &v->cipher_suite);
	mls_extension_list_decode(r, &v->extensions);
	if (r->err)
		mls_reinit_free(v);
	return r->err;
}

void mls_reinit_free(struct mls_reinit *v)
{
	mls_bytes_free(&v->group_id);
	mls_extension_list_free(&v->extensions);
	memset(v, 0, sizeof(*v));
}

void mls_external_init_encode(struct mls_writer *w,
			      const struct mls_external_init *v)
{
	mls_write_opaque_bytes(w, &v->kem_output);
}

int mls_external_init_decode(struct mls_reader *r,
			     struct mls_external_init *v)
{
	return mls_read_opaque(r, &v->kem_output);
}

void mls_external_init_free(struct mls_external_init *v)
{
	mls_bytes_free(&v->kem_output);
}

void mls_group_context_extensions_encode(struct mls_writer *w,
		const struct mls_group_context_extensions *v)
{
	mls_extension_list_encode(w, &v->extensions);
}

int mls_group_context_extensions_decode(struct mls_reader *r,
		struct mls_group_context_extensions *v)
{
	return mls_extension_list_decode(r, &v->extensions);
}

void mls_group_context_extensions_free(struct mls_group_context_extensions *v)
{
	mls_extension_list_free(&v->extensions);
}

/* ---- Proposal (§12.1) ---- */

void mls_proposal_encode(struct mls_writer *w, const struct mls_proposal *v)
{
	mls_write_u16(w, v->type);
	switch (v->type) {
	case MLS_PROPOSAL_ADD:
		mls_add_encode(w, &v->add);
		break;
	case MLS_PROPOSAL_UPDATE:
		mls_update_encode(w, &v->update);
		break;
	case MLS_PROPOSAL_REMOVE:
		mls_remove_encode(w, &v->remove);
		break;
	case MLS_PROPOSAL_PSK:
		mls_pre_shared_key_encode(w, &v->psk);
		break;
	case MLS_PROPOSAL_REINIT:
		mls_reinit_encode(w, &v->reinit);
		break;
	case MLS_PROPOSAL_EXTERNAL_INIT:
		mls_external_init_encode(w, &v->external_init);
		break;
	case MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS:
		mls_group_context_extensions_encode(w,
				&v->group_context_extensions);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
}

int mls_proposal_decode(struct mls_reader *r, struct mls_proposal *v)
{
	memset(v, 0, sizeof(*v));
	if (mls_read_u16(r, &v->type))
		return r->err;
	switch (v->type) {
	case MLS_PROPOSAL_ADD:
		mls_add_decode(r, &v->add);
		break;
	case MLS_PROPOSAL_UPDATE:
		mls_update_decode(r, &v->update);
		break;
	case MLS_PROPOSAL_REMOVE:
		mls_remove_decode(r, &v->remove);
		break;
	case MLS_PROPOSAL_PSK:
		mls_pre_shared_key_decode(r, &v->psk);
		break;
	case MLS_PROPOSAL_REINIT:
		mls_reinit_decode(r, &v->reinit);
		break;
	case MLS_PROPOSAL_EXTERNAL_INIT:
		mls_external_init_decode(r, &v->external_init);
		break;
	case MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS:
		mls_group_context_extensions_decode(r,
				&v->group_context_extensions);
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
	if (r->err)
		mls_proposal_free(v);
	return r->err;
}

void mls_proposal_free(struct mls_proposal *v)
{
	mls_add_free(&v->add);
	mls_update_free(&v->update);
	mls_remove_free(&v->remove);
	mls_pre_shared_key_free(&v->psk);
	mls_reinit_free(&v->reinit);
	mls_external_init_free(&v->external_init);
	mls_group_context_extensions_free(&v->group_context_extensions);
	v->type = 0;
}

/* ---- ProposalOrRef and Commit (§12.4) ---- */

void mls_proposal_or_ref_encode(struct mls_writer *w,
				const struct mls_proposal_or_ref *v)
{
	mls_write_u8(w, v->type);
	switch (v->type) {
	case MLS_PROPOSAL_OR_REF_PROPOSAL:
		mls_proposal_encode(w, &v->proposal);
		break;
	case MLS_PROPOSAL_OR_REF_REFERENCE:
		mls_write_opaque_bytes(w, &v->reference);
		break;
	default:
		mls_writer_fail(w, MLS_ERR_UNKNOWN_VALUE);
	}
}

int mls_proposal_or_ref_decode(struct mls_reader *r,
			       struct mls_proposal_or_ref *v)
{
	memset(v, 0, sizeof(*v));
	if (mls_read_u8(r, &v->type))
		return r->err;
	switch (v->type) {
	case MLS_PROPOSAL_OR_REF_PROPOSAL:
		mls_proposal_decode(r, &v->proposal);
		break;
	case MLS_PROPOSAL_OR_REF_REFERENCE:
		mls_read_opaque(r, &v->reference);
		break;
	default:
		mls_reader_fail(r, MLS_ERR_UNKNOWN_VALUE);
	}
	if (r->err)
		mls_proposal_or_ref_free(v);
	return r->err;
}

void mls_proposal_or_ref_free(struct mls_proposal_or_ref *v)
{
	mls_proposal_free(&v->proposal);
	mls_bytes_free(&v->reference);
	v->type = 0;
}

void mls_commit_encode(struct mls_writer *w, const struct mls_commit *v)
{
	size_t mark = mls_write_vector_begin(w), i;

	for (i = 0; i < v->count; i++)
		mls_proposal_or_ref_encode(w, &v->proposals[i]);
	mls_write_vector_end(w, mark);
	mls_write_u8(w, v->has_path ? 1 : 0);
	if (v->has_path)
		mls_update_path_encode(w, &v->path);
}

static void read_optional_path(struct mls_reader *r, struct mls_commit *v)
{
	uint8_t present;

	if (mls_read_u8(r, &present))
		return;
	if (present > 1) {
		mls_reader_fail(r, MLS_ERR_DECODE);
		return;
	}
	if (present && !mls_update_path_decode(r, &v->path))
		v->has_path = true;
}

int mls_commit_decode(struct mls_reader *r, struct mls_commit *v)
{
	struct mls_reader sub;
	struct mls_proposal_or_ref *tmp;

	memset(v, 0, sizeof(*v));
	mls_read_vector(r, &sub);
	while (mls_reader_more(&sub)) {
		tmp = mls_array_grow(v->proposals, v->count,
				     sizeof(*v->proposals));
		if (!tmp) {
			mls_reader_fail(&sub, MLS_ERR_NOMEM);
			break;
		}
		v->proposals = tmp;
		if (mls_proposal_or_ref_decode(&sub, &v->proposals[v->count]))
			break;
		v->count++;
	}
	mls_reader_close(r, &sub);
	read_optional_path(r, v);
	if (r->err)
		mls_commit_free(v);
	return r->err;
}

void mls_commit_free(struct mls_commit *v)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		mls_proposal_or_ref_free(&v->proposals[i]);
	free(v->proposals);
	mls_update_path_free(&v->path);
	memset(v, 0, sizeof(*v));
}

MLS_DEFINE_WHOLE_CODEC(add)
MLS_DEFINE_WHOLE_CODEC(update)
MLS_DEFINE_WHOLE_CODEC(remove)
MLS_DEFINE_WHOLE_CODEC(pre_shared_key)
MLS_DEFINE_WHOLE_CODEC(reinit)
MLS_DEFINE_WHOLE_CODEC(external_init)
MLS_DEFINE_WHOLE_CODEC(group_context_extensions)
MLS_DEFINE_WHOLE_CODEC(proposal)
MLS_DEFINE_WHOLE_CODEC(commit)
