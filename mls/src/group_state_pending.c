// SPDX-License-Identifier: MIT
/*
 * Our pending Commit in a saved group (state version 3):
 *
 *   uint8 present; if 1: GroupContext | tree | private keys | secrets
 *   and interim hash | secret tree | opaque message<V> |
 *   opaque signature<V> | optional<ReInit> | summary
 *
 * An agent saves after building a Commit and before sending it, so
 * that a crash after the delivery service took it does not lose the
 * path secrets the other members now encrypt to. The next epoch's
 * fields are checked against the group they belong to, as the current
 * epoch's are.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/secret_tree.h"
#include "group_state_fields.h"

void mls_state_write_pending(struct mls_writer *w, const struct mls_group *g)
{
	const struct mls_pending_commit *pc = g->pending;

	mls_write_u8(w, pc ? 1 : 0);
	if (!pc)
		return;
	mls_group_context_encode(w, &pc->context);
	mls_tree_encode(w, &pc->tree);
	mls_state_write_priv(w, g->suite, &pc->priv);
	mls_state_write_secrets(w, g->suite, &pc->secrets, pc->interim);
	mls_secret_tree_save(pc->secret_tree, w);
	mls_write_opaque_bytes(w, &pc->message);
	mls_write_opaque_bytes(w, &pc->signature);
	mls_state_write_reinit(w, pc->reinit);
	mls_state_write_summary(w, &pc->summary);
}

static int read_pending_fields(struct mls_reader *r, const struct mls_suite *s,
			       struct mls_pending_commit *pc)
{
	if (mls_group_context_decode(r, &pc->context) ||
	    mls_state_read_tree(r, s, &pc->tree) ||
	    mls_state_read_priv(r, s, &pc->priv) ||
	    mls_state_read_secrets(r, s, &pc->secrets, pc->interim) ||
	    mls_state_read_secret_tree(r, s, &pc->secret_tree) ||
	    mls_read_opaque(r, &pc->message) ||
	    mls_read_opaque(r, &pc->signature) ||
	    mls_state_read_reinit(r, &pc->reinit))
		return mls_reader_error(r);
	return mls_state_read_summary(r, &pc->summary);
}

int mls_state_read_pending(struct mls_reader *r, struct mls_group *g)
{
	uint8_t present = 0;

	if (mls_read_u8(r, &present) || !present)
		return mls_reader_error(r);
	if (present != 1)
		return mls_reader_fail(r, MLS_ERR_DECODE);
	g->pending = calloc(1, sizeof(*g->pending));
	if (!g->pending)
		return mls_reader_fail(r, MLS_ERR_NOMEM);
	/* on error mls_group_load frees the group, the pending part too */
	return read_pending_fields(r, g->suite, g->pending);
}

int mls_state_check_pending(const struct mls_group *g)
{
	struct mls_pending_commit *pc = g->pending;
	const struct mls_suite *s = g->suite;

	if (!pc)
		return 0;
	if (pc->context.epoch != g->context.epoch + 1 ||
	    pc->summary.epoch != pc->context.epoch ||
	    !mls_bytes_equal(&pc->context.group_id, &g->context.group_id) ||
	    pc->priv.leaf_index != g->priv.leaf_index ||
	    !pc->message.len || !pc->signature.len)
		return MLS_ERR_VALIDATION;
	if (mls_state_check_epoch(s, &pc->context, &pc->tree,
				  pc->secret_tree) ||
	    !mls_state_keys_match(s, &pc->priv))
		return MLS_ERR_VALIDATION;
	return mls_tree_private_check(&pc->priv, &pc->tree);
}
