// SPDX-License-Identifier: MIT
/*
 * One entry point for whatever the delivery service hands us (RFC 9420
 * §6, §12.1, §12.4.2), and the summary of what a Commit changed.
 */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

void mls_commit_summary_free(struct mls_commit_summary *s)
{
	if (!s)
		return;
	free(s->added);
	free(s->removed);
	free(s->updated);
	memset(s, 0, sizeof(*s));
}

static int push_leaf(uint32_t **list, size_t *n, uint32_t leaf)
{
	uint32_t *items = mls_array_grow(*list, *n, sizeof(*items));

	if (!items)
		return MLS_ERR_NOMEM;
	*list = items;
	items[(*n)++] = leaf;
	return 0;
}

int mls_commit_summarize(const struct mls_commit_facts *f,
			 struct mls_commit_summary *out)
{
	const struct mls_proposal_list *l = f->list;
	const struct mls_resolved_proposal *rp;
	size_t i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->epoch = f->epoch;
	out->committer = f->committer;
	out->external = f->external;
	out->removed_us = f->applied->removes_us;
	for (i = 0; !err && i < l->count; i++) {
		rp = &l->items[i];
		if (rp->proposal->type == MLS_PROPOSAL_REMOVE)
			err = push_leaf(&out->removed, &out->n_removed,
					rp->proposal->remove.removed);
		else if (rp->proposal->type == MLS_PROPOSAL_UPDATE)
			err = push_leaf(&out->updated, &out->n_updated,
					rp->sender.index);
	}
	if (!err && f->has_path && !f->external)
		err = push_leaf(&out->updated, &out->n_updated, f->committer);
	for (i = 0; !err && i < f->applied->n_added; i++)
		err = push_leaf(&out->added, &out->n_added,
				f->applied->added_leaves[i]);
	if (!err && f->external)
		err = push_leaf(&out->added, &out->n_added, f->committer);
	if (err)
		mls_commit_summary_free(out);
	return err;
}

static int copy_leaves(uint32_t **dst, const uint32_t *src, size_t n)
{
	*dst = NULL;
	if (!n)
		return 0;
	*dst = malloc(n * sizeof(*src));
	if (!*dst)
		return MLS_ERR_NOMEM;
	memcpy(*dst, src, n * sizeof(*src));
	return 0;
}

int mls_group_pending_summary(const struct mls_group *g,
			      struct mls_commit_summary *out)
{
	const struct mls_commit_summary *s;
	int err;

	if (!g || !out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!g->pending)
		return MLS_ERR_INVALID_STATE;
	s = &g->pending->summary;
	err = copy_leaves(&out->added, s->added, s->n_added);
	if (!err)
		err = copy_leaves(&out->removed, s->removed, s->n_removed);
	if (!err)
		err = copy_leaves(&out->updated, s->updated, s->n_updated);
	if (err) {
		mls_commit_summary_free(out);
		return err;
	}
	out->epoch = s->epoch;
	out->committer = s->committer;
	out->external = s->external;
	out->removed_us = s->removed_us;
	out->n_added = s->n_added;
	out->n_removed = s->n_removed;
	out->n_updated = s->n_updated;
	return 0;
}

void mls_processed_free(struct mls_processed *p)
{
	if (!p)
		return;
	mls_bytes_free_secret(&p->data);
	mls_commit_summary_free(&p->commit);
	memset(p, 0, sizeof(*p));
}

/* The content type a PublicMessage or PrivateMessage says it carries. */
static int content_type_of(const struct mls_message *m, uint8_t *type)
{
	if (m->wire_format == MLS_WIRE_PUBLIC_MESSAGE)
		*type = m->public_message.content.content.type;
	else if (m->wire_format == MLS_WIRE_PRIVATE_MESSAGE)
		*type = m->private_message.content_type;
	else
		return MLS_ERR_INVALID_ARG;
	return 0;
}

static int take_proposal(struct mls_group *g, const struct mls_message *m,
			 struct mls_processed *out)
{
	const struct mls_cached_proposal *cp;
	size_t i;
	int err;

	err = mls_group_cache_proposal(g, m, out->ref);
	if (err)
		return err;
	out->kind = MLS_MESSAGE_PROPOSAL;
	out->epoch = g->context.epoch;
	for (i = 0; i < g->n_proposals; i++) {
		cp = &g->proposals[i];
		if (!memcmp(cp->ref, out->ref, g->suite->hash_len)) {
			out->sender = cp->sender;
			out->proposal_type = cp->proposal.type;
		}
	}
	return 0;
}

static int take_commit(struct mls_group *g, const struct mls_message *m,
		       struct mls_processed *out)
{
	int err = mls_group_process_commit_summary(g, m, &out->commit);

	/* for the agent, being removed is news, not a failure */
	if (err == MLS_ERR_REMOVED && out->commit.removed_us)
		err = 0;
	if (err)
		return err;
	out->kind = MLS_MESSAGE_COMMIT;
	out->epoch = out->commit.epoch - 1;
	out->sender.type = out->commit.external ?
			   MLS_SENDER_NEW_MEMBER_COMMIT : MLS_SENDER_MEMBER;
	out->sender.index = out->commit.committer;
	return 0;
}

static int take_application(struct mls_group *g, const struct mls_message *m,
			    struct mls_processed *out)
{
	uint32_t sender = 0;
	int err = mls_group_decrypt(g, m, &out->data, &sender);

	if (err)
		return err;
	out->kind = MLS_MESSAGE_APPLICATION;
	out->sender.type = MLS_SENDER_MEMBER;
	out->sender.index = sender;
	out->epoch = m->private_message.epoch;
	return 0;
}

int mls_group_process_message(struct mls_group *g, const struct mls_message *m,
			      struct mls_processed *out)
{
	uint8_t type = 0;
	int err;

	if (!out)
		return MLS_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!g || !g->suite || !m)
		return MLS_ERR_INVALID_ARG;
	err = content_type_of(m, &type);
	if (err)
		return err;
	switch (type) {
	case MLS_CONTENT_PROPOSAL:
		err = take_proposal(g, m, out);
		break;
	case MLS_CONTENT_COMMIT:
		err = take_commit(g, m, out);
		break;
	case MLS_CONTENT_APPLICATION:
		err = take_application(g, m, out);
		break;
	default:
		err = MLS_ERR_INVALID_ARG;
	}
	if (err)
		mls_processed_free(out);
	return err;
}
