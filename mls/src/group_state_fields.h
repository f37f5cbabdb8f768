/* SPDX-License-Identifier: MIT */
/*
 * The fields of a saved group (group_state.c), each written from and
 * read into the struct it describes, so that the group's current epoch
 * and its pending Commit's next one share one encoding. Every reader
 * fails r (mls_reader_fail) and returns the error; what it filled is
 * the caller's to free, on error too.
 */
#ifndef MLS_GROUP_STATE_FIELDS_H
#define MLS_GROUP_STATE_FIELDS_H

#include "mls/codec.h"
#include "group_internal.h"

void mls_state_write_priv(struct mls_writer *w, const struct mls_suite *s,
			  const struct mls_tree_private *priv);
int mls_state_read_priv(struct mls_reader *r, const struct mls_suite *s,
			struct mls_tree_private *priv);

/* An epoch's secrets (never encryption_secret) and its interim hash. */
void mls_state_write_secrets(struct mls_writer *w, const struct mls_suite *s,
			     const struct mls_epoch_secrets *e,
			     const uint8_t *interim);
int mls_state_read_secrets(struct mls_reader *r, const struct mls_suite *s,
			   struct mls_epoch_secrets *e, uint8_t *interim);

int mls_state_read_tree(struct mls_reader *r, const struct mls_suite *s,
			struct mls_tree *t);
int mls_state_read_secret_tree(struct mls_reader *r, const struct mls_suite *s,
			       struct mls_secret_tree **st);

/* optional<ReInit> (§11.2): *reinit NULL when absent. */
void mls_state_write_reinit(struct mls_writer *w, const struct mls_reinit *r);
int mls_state_read_reinit(struct mls_reader *r, struct mls_reinit **reinit);

void mls_state_write_summary(struct mls_writer *w,
			     const struct mls_commit_summary *sum);
int mls_state_read_summary(struct mls_reader *r,
			   struct mls_commit_summary *sum);

/* Whether every node key's private half is its public half's. */
bool mls_state_keys_match(const struct mls_suite *s,
			  const struct mls_tree_private *priv);
bool mls_state_pair_matches(const struct mls_suite *s, const uint8_t *priv,
			    const uint8_t *pub);

/*
 * A GroupContext, tree and secret tree that fit together: suite,
 * version, the tree's hash, the secret tree's width.
 */
int mls_state_check_epoch(const struct mls_suite *s,
			  const struct mls_group_context *ctx,
			  struct mls_tree *tree,
			  const struct mls_secret_tree *st);

/* ---- group_state_pending.c: optional<pending Commit> ---- */

void mls_state_write_pending(struct mls_writer *w, const struct mls_group *g);
int mls_state_read_pending(struct mls_reader *r, struct mls_group *g);
/* The pending Commit (if any) is the next epoch of g, from our leaf. */
int mls_state_check_pending(const struct mls_group *g);

#endif
