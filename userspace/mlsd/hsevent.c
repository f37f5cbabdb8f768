// SPDX-License-Identifier: MIT
/*
 * Handshake messages from the relay. Every Commit is verified by libmls,
 * with the admission policy as its credential validator, before it
 * changes anything; what fails is logged and dropped (the relay cannot
 * make us move).
 */
#include <stdio.h>
#include <string.h>

#include "mls/error.h"
#include "agent.h"

static void fetch(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct rp_frame f = { .type = RP_FETCH };
	struct mlsd_relay_reply rep;

	f.group_id = (struct rp_bytes){ (const uint8_t *)gr->gid, gr->gid_len };
	f.epoch = mls_group_epoch(&gr->g);
	f.seq = gr->relay_seq;
	if (!mlsd_agent_call(a, &f, &rep))
		return;
	gr->fetch_more = rep.type == RP_END && rep.more;
	if (rep.type == RP_ERROR)
		mlsd_log("%s: fetch refused: %s %s", gr->gid,
			 rp_code_name(rep.code), rep.text);
	mlsd_relay_reply_free(&rep);
}

void mlsd_group_resume(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct rp_frame f = { .type = RP_SUBSCRIBE };
	struct mlsd_relay_reply rep;

	f.group_id = (struct rp_bytes){ (const uint8_t *)gr->gid, gr->gid_len };
	if (!mlsd_agent_call(a, &f, &rep))
		return;
	if (rep.type == RP_ERROR)
		mlsd_log("%s: subscribe refused: %s %s", gr->gid,
			 rp_code_name(rep.code), rep.text);
	mlsd_relay_reply_free(&rep);
	if (gr->active)
		fetch(a, gr);
}

static void removed(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct mlsd_err e;

	mlsd_log("%s: a Commit removed us from the group", gr->gid);
	mlsd_kernel_group_del(&a->kern, gr->kgid);
	mlsd_store_delete_group(a->store, (const uint8_t *)gr->gid,
				gr->gid_len, &e);
	mlsd_group_reset(gr);
}

static void refused(struct mlsd_agent *a, const struct mlsd_group *gr,
		    const struct mlsd_relay_item *it, int err)
{
	if (err == MLS_ERR_VALIDATION && a->adm.last_status)
		mlsd_log("%s: refused the message of seq %llu (epoch %llu): admission: %s",
			 gr->gid, (unsigned long long)it->seq,
			 (unsigned long long)it->epoch,
			 mlsd_admit_strerror(a->adm.last_status));
	else
		mlsd_log("%s: refused the message of seq %llu (epoch %llu): %s",
			 gr->gid, (unsigned long long)it->seq,
			 (unsigned long long)it->epoch, mls_strerror(err));
}

static void processed(struct mlsd_agent *a, struct mlsd_group *gr,
		      struct mls_processed *out)
{
	if (out->kind != MLS_MESSAGE_COMMIT)
		return;
	if (out->commit.removed_us) {
		removed(a, gr);
		return;
	}
	mlsd_group_new_epoch(a, gr);
	if (gr == a->net)
		mlsd_pairs_update(a);
}

void mlsd_group_handle(struct mlsd_agent *a, const struct mlsd_relay_item *it)
{
	struct mlsd_group *gr = mlsd_group_find(a, it->gid, it->gid_len);
	struct mls_processed out;
	struct mls_message m;
	int err;

	if (!gr || !gr->active || (it->seq && it->seq <= gr->relay_seq))
		return;
	memset(&m, 0, sizeof(m));
	err = mls_message_from_bytes(it->blob, it->blob_len, &m);
	a->adm.last_status = 0;
	if (!err)
		err = mls_group_process_message(&gr->g, &m, &out);
	mls_message_free(&m);
	if (err == MLS_ERR_FUTURE_EPOCH && it->seq > gr->fetch_mark) {
		/* we missed a Commit: fetch from our epoch (once per event) */
		gr->fetch_mark = it->seq;
		fetch(a, gr);
		return;
	}
	gr->relay_seq = it->seq > gr->relay_seq ? it->seq : gr->relay_seq;
	if (err == MLS_ERR_OLD_EPOCH || err == MLS_ERR_FUTURE_EPOCH)
		return;
	if (err) {
		refused(a, gr, it, err);
		return;
	}
	processed(a, gr, &out);
	mls_processed_free(&out);
}
