// SPDX-License-Identifier: MIT
/*
 * Pair groups mlsdco/pair/NETWORK/A/B (A < B): at or below
 * PairwiseThreshold hosts, the host that sorts first creates the group
 * with each network member as soon as it sees it, Adds it from a
 * KeyPackage it takes from the relay (after checking that the
 * KeyPackage's verified credential is that host) and sends the Welcome;
 * the other host takes Welcomes when it sees a new member and on a short
 * timer. If both create (restarts), first commit wins at the relay on
 * epoch 0 and the loser waits for the Welcome (docs/AGENT.md).
 */
#include <stdio.h>
#include <string.h>

#include "mls/error.h"
#include "agent.h"

/* What the relay handed out as peer's KeyPackage, checked to be peer's. */
static int take_key_package(struct mlsd_agent *a, const char *peer,
			    struct mls_bytes *kp)
{
	struct rp_frame f = { .type = RP_KP_TAKE };
	struct mlsd_relay_reply rep;
	struct mlsd_admitted who;
	struct mls_message m;
	int err = -1;

	f.identity = (struct rp_bytes){ (const uint8_t *)peer, strlen(peer) };
	if (!mlsd_agent_call(a, &f, &rep))
		return -1;
	memset(&m, 0, sizeof(m));
	if (rep.type != RP_KEYPACKAGE) {
		mlsd_log("pair %s: no KeyPackage at the relay (%s): retrying later",
			 peer, rep.type == RP_ERROR ? rp_code_name(rep.code) :
			 rp_type_name(rep.type));
	} else if (mls_message_from_bytes(rep.blob, rep.blob_len, &m) ||
		   m.wire_format != MLS_WIRE_KEY_PACKAGE) {
		mlsd_log("pair %s: the relay's KeyPackage does not decode", peer);
	} else if (mlsd_admission_check(&a->adm, a->suite,
					&m.key_package.leaf_node, &who) ||
		   strcmp(who.identity, peer)) {
		mlsd_log("pair %s: the relay's KeyPackage is not %s's: refused",
			 peer, peer);
	} else if (rep.blob_len > 4) {
		/* the KeyPackage without its MLSMessage header (4 bytes) */
		err = mls_bytes_set(kp, rep.blob + 4, rep.blob_len - 4) ? -1 : 0;
	}
	mls_message_free(&m);
	mlsd_relay_reply_free(&rep);
	return err;
}

static void welcome_send(struct mlsd_agent *a, const char *peer,
			 const struct mls_bytes *welcome)
{
	struct rp_frame f = { .type = RP_WELCOME_SEND };
	struct mlsd_relay_reply rep;

	f.identity = (struct rp_bytes){ (const uint8_t *)peer, strlen(peer) };
	f.blob = (struct rp_bytes){ welcome->data, welcome->len };
	if (!mlsd_agent_call(a, &f, &rep))
		return;
	if (rep.type == RP_ERROR)
		mlsd_log("pair %s: welcome-send refused: %s %s", peer,
			 rp_code_name(rep.code), rep.text);
	mlsd_relay_reply_free(&rep);
}

static int create_and_add(struct mlsd_agent *a, struct mlsd_group *gr,
			  const struct mls_bytes *kp, struct mls_bytes *commit,
			  struct mls_bytes *welcome)
{
	struct mls_group_create_options o = {
		.suite = a->suite, .group_id = (const uint8_t *)gr->gid,
		.group_id_len = gr->gid_len,
	};
	struct mls_commit_options co = {
		.n_proposals = 1, .wire = MLS_GROUP_WIRE_PRIVATE,
	};
	struct mls_proposal add;
	int err;

	mlsd_identity_signer(&a->id, &o.signer);
	mlsd_group_validator(a, &o.validate_credential, &o.validate_ctx);
	err = mls_group_create(&gr->g, &o);
	if (err)
		return err;
	gr->active = true;
	err = mls_group_make_add(&gr->g, kp->data, kp->len, &add);
	if (err)
		return err;
	co.proposals = &add;
	err = mls_group_commit(&gr->g, &co, commit, welcome);
	mls_proposal_free(&add);
	return err;
}

static void create_pair(struct mlsd_agent *a, const char *peer,
			const char *gid)
{
	struct mls_bytes kp = { 0 }, commit = { 0 }, welcome = { 0 };
	struct mlsd_group *gr;
	int err;

	if (take_key_package(a, peer, &kp))
		return;
	gr = mlsd_group_add(a, gid);
	if (!gr) {
		mls_bytes_free(&kp);
		return;
	}
	mlsd_group_resume(a, gr);		/* subscribe: handshake needs it */
	err = create_and_add(a, gr, &kp, &commit, &welcome);
	if (err) {
		mlsd_log("%s: cannot create the pair group: %s", gid,
			 mls_strerror(err));
		mlsd_group_reset(gr);
	} else if (mlsd_commit_send(a, gr, &commit) == 0 &&
		   mls_group_epoch(&gr->g) == 1) {
		mlsd_log("%s: created, %s added", gid, peer);
		welcome_send(a, peer, &welcome);
	} else {
		/* the peer created it first: its Welcome will come */
		mlsd_group_reset(gr);
	}
	mls_bytes_free(&kp);
	mls_bytes_free(&commit);
	mls_bytes_free(&welcome);
}

/* Whether some network member has no pair group with us yet. */
static bool missing_pairs(struct mlsd_agent *a, bool create)
{
	const struct mls_group *g = &a->net->g;
	uint32_t own = mls_group_own_leaf(g), n = mls_group_leaf_count(g);
	char peer[MLSD_NAME_MAX + 1], gid[MLSD_GROUP_ID_MAX + 1];
	bool missing = false;

	for (uint32_t leaf = 0; leaf < n; leaf++) {
		struct mlsd_group *gr;

		if (leaf == own || !mlsd_member_name(a, g, leaf, peer,
						      sizeof(peer)) ||
		    mlsd_pair_group_id(a->cfg.net.name, a->cfg.iface.name,
				       peer, gid, sizeof(gid)) < 0)
			continue;
		gr = mlsd_group_find(a, (const uint8_t *)gid, strlen(gid));
		if (gr && gr->active)
			continue;
		missing = true;
		if (create && mlsd_pair_creator(a->cfg.iface.name, peer))
			create_pair(a, peer, gid);
		if (!a->net->active)
			break;	/* the session dropped meanwhile */
	}
	return missing;
}

void mlsd_pairs_update(struct mlsd_agent *a)
{
	if (!a->net->active ||
	    mls_tree_member_count(&a->net->g.tree) > a->cfg.net.pairwise_threshold)
		return;
	if (missing_pairs(a, true))
		mlsd_pairs_poll(a);
}

void mlsd_pairs_poll(struct mlsd_agent *a)
{
	struct rp_frame f = { .type = RP_WELCOME_TAKE };
	struct mlsd_relay_reply rep;

	if (!a->relay.up || !a->net->active)
		return;
	if (mlsd_agent_call(a, &f, &rep))
		mlsd_relay_reply_free(&rep);
}

/* The joined group is a pair group of ours with the host it names. */
static bool pair_ok(struct mlsd_agent *a, const struct mls_group *g,
		    char *gid, char *peer)
{
	char name[MLSD_NAME_MAX + 1];
	uint32_t other;

	snprintf(gid, MLSD_GROUP_ID_MAX + 1, "%.*s",
		 (int)g->context.group_id.len,
		 (const char *)g->context.group_id.data);
	if (!mlsd_pair_peer(a->cfg.net.name, a->cfg.iface.name, gid,
			    g->context.group_id.len, peer, MLSD_NAME_MAX + 1) ||
	    mls_tree_member_count(&g->tree) != 2)
		return false;
	other = mls_group_own_leaf(g) == 0 ? 1 : 0;
	return mlsd_member_name(a, g, other, name, sizeof(name)) &&
	       !strcmp(name, peer);
}

void mlsd_pairs_welcome(struct mlsd_agent *a, const struct mlsd_relay_item *it)
{
	char gid[MLSD_GROUP_ID_MAX + 1], peer[MLSD_NAME_MAX + 1];
	struct mlsd_group *gr;
	struct mls_group g;
	int err = mlsd_kp_join(a, it->blob, it->blob_len, &g);

	if (err) {
		mlsd_log("a Welcome from the relay does not join: %s",
			 err == 1 ? "not for a KeyPackage of ours" :
			 mls_strerror(err));
		return;
	}
	if (!pair_ok(a, &g, gid, peer)) {
		mlsd_log("a Welcome into %s is not a pair group of ours: ignored",
			 gid);
		mls_group_free(&g);
		return;
	}
	gr = mlsd_group_add(a, gid);
	if (!gr || gr->active) {
		mls_group_free(&g);
		return;
	}
	gr->g = g;
	gr->active = true;
	gr->relay_seq = 0;
	mlsd_log("%s: joined from %s's Welcome", gid, peer);
	/* subscribed first: epoch-tag needs it; what the fetch brings is
	 * processed after this epoch is installed
	 */
	mlsd_group_resume(a, gr);
	mlsd_group_new_epoch(a, gr);
}
