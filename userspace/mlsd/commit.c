// SPDX-License-Identifier: MIT
/*
 * Our own Commits. A Commit goes to the relay while libmls holds it
 * pending; the relay's answer settles it: accepted (confirm, then the
 * new epoch's way into the kernel), conflict (discard, process the
 * winner: first commit wins) or an error (discard). The request waits
 * for its reply, so a pending Commit never outlives one loop turn and is
 * never saved (libmls refuses to save one).
 */
#include <stdlib.h>
#include <string.h>

#include "mls/error.h"
#include "agent.h"

static void rekey_fire(void *arg)
{
	struct mlsd_group *gr = arg;

	mlsd_commit_update(gr->agent, gr);
}

void mlsd_rekey_arm(struct mlsd_agent *a, struct mlsd_group *gr)
{
	uint64_t base = (uint64_t)a->cfg.net.rekey_interval * 1000;
	/* up to a quarter of jitter, so that members rarely collide and
	 * the committer (the leaf that heals) rotates
	 */
	uint64_t jitter = (uint64_t)random() % (base / 4 + 1);

	mlsd_loop_timer(&a->loop, base + jitter, rekey_fire, gr);
}

void mlsd_rekey_soon(struct mlsd_agent *a, struct mlsd_group *gr)
{
	mlsd_loop_timer(&a->loop, 0, rekey_fire, gr);
}

void mlsd_groupinfo_put(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct rp_frame f = { .type = RP_GI_PUT };
	struct mlsd_relay_reply rep;
	struct mls_bytes gi = { 0 };
	int err = mls_group_export_group_info(&gr->g, true, &gi);

	if (err) {
		mlsd_log("%s: cannot make the GroupInfo: %s", gr->gid,
			 mls_strerror(err));
		return;
	}
	f.group_id = (struct rp_bytes){ (const uint8_t *)gr->gid, gr->gid_len };
	f.epoch = mls_group_epoch(&gr->g);
	f.blob = (struct rp_bytes){ gi.data, gi.len };
	if (mlsd_agent_call(a, &f, &rep)) {
		if (rep.type == RP_ERROR)
			mlsd_log("%s: groupinfo-put refused: %s %s", gr->gid,
				 rp_code_name(rep.code), rep.text);
		mlsd_relay_reply_free(&rep);
	}
	mls_bytes_free(&gi);
}

/* The winner of our epoch: process it as any member's Commit. */
static void take_winner(struct mlsd_agent *a, struct mlsd_group *gr,
			const struct mlsd_relay_reply *rep)
{
	struct mlsd_relay_item it = {
		.type = RP_HS_EVENT, .epoch = rep->epoch, .kind = RP_KIND_COMMIT,
		.seq = rep->seq, .blob = rep->blob, .blob_len = rep->blob_len,
	};

	memcpy(it.gid, gr->gid, gr->gid_len);
	it.gid_len = gr->gid_len;
	mlsd_group_handle(a, &it);
}

static void accepted(struct mlsd_agent *a, struct mlsd_group *gr,
		     uint64_t seq)
{
	int err = mls_group_confirm_commit(&gr->g);

	if (err) {
		mlsd_log("%s: cannot confirm our Commit: %s", gr->gid,
			 mls_strerror(err));
		return;
	}
	gr->relay_seq = seq;
	mlsd_group_new_epoch(a, gr);
	if (gr == a->net) {
		mlsd_groupinfo_put(a, gr);
		mlsd_pairs_update(a);
	}
}

int mlsd_commit_send(struct mlsd_agent *a, struct mlsd_group *gr,
		     const struct mls_bytes *commit)
{
	struct rp_frame f = { .type = RP_HANDSHAKE, .kind = RP_KIND_COMMIT };
	struct mlsd_relay_reply rep;
	int ret = 1;

	f.group_id = (struct rp_bytes){ (const uint8_t *)gr->gid, gr->gid_len };
	f.epoch = mls_group_epoch(&gr->g);
	f.blob = (struct rp_bytes){ commit->data, commit->len };
	if (!mlsd_agent_call(a, &f, &rep)) {
		mls_group_discard_commit(&gr->g);
		return -1;
	}
	if (rep.type == RP_ACCEPTED) {
		accepted(a, gr, rep.seq);
		ret = 0;
	} else if (rep.type == RP_CONFLICT) {
		mlsd_log("%s: our Commit for epoch %llu lost to seq %llu",
			 gr->gid, (unsigned long long)f.epoch,
			 (unsigned long long)rep.seq);
		mls_group_discard_commit(&gr->g);
		take_winner(a, gr, &rep);
	} else {
		mlsd_log("%s: our Commit for epoch %llu refused: %s %s",
			 gr->gid, (unsigned long long)f.epoch,
			 rep.type == RP_ERROR ? rp_code_name(rep.code) :
			 rp_type_name(rep.type), rep.text);
		mls_group_discard_commit(&gr->g);
	}
	mlsd_relay_reply_free(&rep);
	return ret;
}

void mlsd_commit_update(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct mls_commit_options o = {
		.force_path = true, .wire = MLS_GROUP_WIRE_PRIVATE,
	};
	struct mls_bytes commit = { 0 };
	uint64_t epoch;
	int err;

	if (!gr->active || !a->relay.up)
		return;
	epoch = mls_group_epoch(&gr->g);
	err = mls_group_commit(&gr->g, &o, &commit, NULL);
	if (err) {
		mlsd_log("%s: cannot make a self-Update: %s", gr->gid,
			 mls_strerror(err));
		mlsd_rekey_arm(a, gr);
		return;
	}
	if (mlsd_commit_send(a, gr, &commit) == 1 && gr->active &&
	    mls_group_epoch(&gr->g) == epoch)
		/* refused, or the winner did not process: try again soon */
		mlsd_loop_timer(&a->loop, MLSD_JOIN_RETRY_MS +
				(uint64_t)random() % MLSD_JOIN_RETRY_MS,
				rekey_fire, gr);
	mls_bytes_free(&commit);
}
