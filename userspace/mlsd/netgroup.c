// SPDX-License-Identifier: MIT
/*
 * The network group mlsdco/net/NETWORK: the first host creates it, every
 * other host joins by external Commit from the GroupInfo at the relay.
 *
 * Creating is settled at the relay too: the creator commits a
 * self-Update into epoch 1 at once, so that two hosts creating the group
 * at the same moment meet the relay's first-commit-wins rule on epoch 0;
 * the loser drops its copy and joins. Epoch 0 never goes to the kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/error.h"
#include "agent.h"

static void net_retry(void *arg)
{
	mlsd_net_start(arg);
}

static void retry_later(struct mlsd_agent *a)
{
	mlsd_loop_timer(&a->loop, MLSD_JOIN_RETRY_MS +
			(uint64_t)random() % MLSD_JOIN_RETRY_MS, net_retry, a);
}

static void create(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct mls_group_create_options o = {
		.suite = a->suite, .group_id = (const uint8_t *)gr->gid,
		.group_id_len = gr->gid_len,
	};
	struct mls_commit_options co = {
		.force_path = true, .wire = MLS_GROUP_WIRE_PRIVATE,
	};
	struct mls_bytes commit = { 0 };
	int err;

	mlsd_identity_signer(&a->id, &o.signer);
	mlsd_group_validator(a, &o.validate_credential, &o.validate_ctx);
	err = mls_group_create(&gr->g, &o);
	if (!err) {
		gr->active = true;
		err = mls_group_commit(&gr->g, &co, &commit, NULL);
	}
	if (err) {
		mlsd_log("%s: cannot create the group: %s", gr->gid,
			 mls_strerror(err));
		mlsd_group_reset(gr);
		retry_later(a);
		return;
	}
	mlsd_log("%s: no GroupInfo at the relay: creating the network group",
		 gr->gid);
	if (mlsd_commit_send(a, gr, &commit) != 0 ||
	    mls_group_epoch(&gr->g) == 0) {
		/* another host created it first: join theirs */
		mlsd_group_reset(gr);
		retry_later(a);
	}
	mls_bytes_free(&commit);
}

static int join_send(struct mlsd_agent *a, struct mlsd_group *gr,
		     uint64_t gi_epoch, const struct mls_bytes *commit)
{
	struct rp_frame f = { .type = RP_HANDSHAKE, .kind = RP_KIND_COMMIT };
	struct mlsd_relay_reply rep;
	int ret = -1;

	f.group_id = (struct rp_bytes){ (const uint8_t *)gr->gid, gr->gid_len };
	f.epoch = gi_epoch;
	f.blob = (struct rp_bytes){ commit->data, commit->len };
	if (!mlsd_agent_call(a, &f, &rep))
		return -1;
	if (rep.type == RP_ACCEPTED) {
		gr->relay_seq = rep.seq;
		ret = 0;
	} else {
		mlsd_log("%s: our external Commit for epoch %llu was not accepted (%s%s%s): retrying",
			 gr->gid, (unsigned long long)gi_epoch,
			 rep.type == RP_ERROR ? rp_code_name(rep.code) :
			 rp_type_name(rep.type), *rep.text ? " " : "",
			 rep.text);
	}
	mlsd_relay_reply_free(&rep);
	return ret;
}

static void join(struct mlsd_agent *a, struct mlsd_group *gr,
		 const uint8_t *blob, size_t len)
{
	struct mls_external_join_options o = { .suite = a->suite };
	struct mls_bytes commit = { 0 };
	struct mls_message m;
	uint64_t gi_epoch = 0;
	int err;

	memset(&m, 0, sizeof(m));
	mlsd_identity_signer(&a->id, &o.signer);
	mlsd_group_validator(a, &o.validate_credential, &o.validate_ctx);
	a->adm.last_status = 0;
	err = mls_message_from_bytes(blob, len, &m);
	if (!err && m.wire_format != MLS_WIRE_GROUP_INFO)
		err = MLS_ERR_INVALID_ARG;
	if (!err) {
		gi_epoch = m.group_info.group_context.epoch;
		err = mls_group_join_external(&gr->g, &o, &m.group_info,
					      &commit);
	}
	mls_message_free(&m);
	if (err) {
		mlsd_log("%s: cannot join from the relay's GroupInfo: %s%s%s",
			 gr->gid, mls_strerror(err),
			 a->adm.last_status ? ": admission: " : "",
			 a->adm.last_status ?
			 mlsd_admit_strerror(a->adm.last_status) : "");
		retry_later(a);
		return;
	}
	gr->active = true;
	if (join_send(a, gr, gi_epoch, &commit)) {
		mlsd_group_reset(gr);
		retry_later(a);
	} else {
		mlsd_log("%s: joined by external Commit into epoch %llu",
			 gr->gid, (unsigned long long)mls_group_epoch(&gr->g));
		mlsd_group_new_epoch(a, gr);
		mlsd_groupinfo_put(a, gr);
		mlsd_pairs_update(a);
		mlsd_pairs_poll(a);
	}
	mls_bytes_free(&commit);
}

void mlsd_net_start(struct mlsd_agent *a)
{
	struct mlsd_group *gr = a->net;
	struct rp_frame f = { .type = RP_GI_GET };
	struct mlsd_relay_reply rep;

	if (gr->active || !a->relay.up)
		return;
	f.group_id = (struct rp_bytes){ (const uint8_t *)gr->gid, gr->gid_len };
	if (!mlsd_agent_call(a, &f, &rep))
		return;
	if (rep.type == RP_ERROR && rep.code == RP_C_NOT_FOUND)
		create(a, gr);
	else if (rep.type == RP_GROUPINFO)
		join(a, gr, rep.blob, rep.blob_len);
	else {
		mlsd_log("%s: groupinfo-get: %s %s", gr->gid,
			 rep.type == RP_ERROR ? rp_code_name(rep.code) :
			 rp_type_name(rep.type), rep.text);
		retry_later(a);
	}
	mlsd_relay_reply_free(&rep);
}
