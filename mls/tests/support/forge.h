/* SPDX-License-Identifier: MIT */
/*
 * A test-side forger: messages a correct sender never produces, made
 * from genuine ones and authenticated again with the sender's keys, so
 * that they pass framing and signature checks and reach the rule a test
 * is about. No cmocka here: every helper returns 0 or an error code.
 */
#ifndef MLS_TEST_FORGE_H
#define MLS_TEST_FORGE_H

#include <stddef.h>
#include <stdint.h>

#include "mls/group.h"
#include "mls/msg_group.h"
#include "group_fixture.h"

/* Edits the decoded content of a Commit in place; 0 or an error. */
typedef int (*forge_edit_fn)(void *ctx, struct mls_framed_content *fc);

/*
 * commit (an encoded PublicMessage Commit of receiver's epoch) with
 * its content changed by edit, then signed again with sig_priv and, for
 * a member sender, membership-tagged with the receiver's membership
 * key. The confirmation tag is left as it was: every rule a receiver
 * checks before the key schedule sees a well-authenticated Commit, and
 * a rule not enforced shows as MLS_ERR_AUTH rather than acceptance.
 */
int forge_commit(const struct mls_group *receiver, const uint8_t *sig_priv,
		 const struct mls_bytes *commit, forge_edit_fn edit, void *ctx,
		 struct mls_bytes *out);

/* Append a deep copy of p to the Commit's by-value proposals. */
int forge_add_proposal(struct mls_commit *c, const struct mls_proposal *p);
/* Append a by-reference entry naming ref (hash_len bytes). */
int forge_add_reference(struct mls_commit *c, const uint8_t *ref,
			size_t len);
/* Drop proposal i of the Commit. */
void forge_drop_proposal(struct mls_commit *c, size_t i);

/*
 * Sign leaf again with sig_priv as the leaf at leaf_index of group_id
 * (whose suite s and crypto c are given), after a test changed it.
 */
int forge_sign_leaf(const struct mls_suite *s, const struct mls_crypto *c,
		    const uint8_t *sig_priv, struct mls_leaf_node *leaf,
		    const struct mls_bytes *group_id, uint32_t leaf_index);

/*
 * Set path's leaf parent_hash to what the path's node keys give when
 * merged for leaf_index into a copy of t (§7.9), so that a path whose
 * keys a test changed still carries a consistent parent hash (sign the
 * leaf again afterwards).
 */
int forge_path_parent_hash(const struct mls_tree *t, uint32_t leaf_index,
			   struct mls_update_path *path);

/*
 * The GroupInfo of an encoded Welcome, opened with the joiner's
 * KeyPackage (kp) and init key and checked against signer_pub.
 */
int forge_open_welcome(const struct mls_suite *s, const struct mls_bytes *kp,
		       const uint8_t *init_priv, size_t init_priv_len,
		       const uint8_t *signer_pub,
		       const struct mls_bytes *welcome,
		       struct mls_group_info *gi);

/*
 * A Welcome (encoded MLSMessage) of gi for the holder of kp, from a
 * fresh joiner_secret and no PSKs: gi's confirmation tag is computed
 * for that secret and gi is signed again with sig_priv. The joiner
 * gets no path secret.
 */
int forge_welcome(const struct mls_suite *s, const struct mls_crypto *c,
		  struct mls_group_info *gi, const uint8_t *sig_priv,
		  const struct mls_bytes *kp, struct mls_bytes *out);

/*
 * An Add of p's KeyPackage from p itself (sender new_member_proposal,
 * §12.1.8: signed with the KeyPackage's key, no membership tag), for
 * the group whose context is gc, as an encoded MLSMessage.
 */
int forge_new_member_proposal(const struct fixture_party *p,
			      const struct mls_group_context *gc,
			      struct mls_bytes *msg);

/*
 * n parties of suite named names[i] (fixture_party_init); p[0] creates
 * group "forge" and adds the others in one Commit (no path); every party
 * joins: all are at epoch 1 in leaves 0..n-1.
 */
int forge_members(struct fixture_party *p, const char *const *names,
		  size_t n, uint16_t suite, struct fixture_rng *rng);
void forge_members_free(struct fixture_party *p, size_t n);

/* p[0] commits cm (NULL: empty), p[1..n-1] process it, p[0] confirms. */
int forge_commit_all(struct fixture_party *p, size_t n,
		     const struct mls_commit_options *cm);

#endif
