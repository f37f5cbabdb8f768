// SPDX-License-Identifier: MIT
/*
 * Member commands: MEMBER_SET (create or update endpoint, allowed IPs,
 * peer id, keepalive and roaming) and MEMBER_DEL.
 */

#include <errno.h>
#include <linux/mlsdco.h>

#include "internal.h"

int mlsnl_member_set(struct mlsnl *nl, const struct mlsnl_member_conf *conf)
{
	size_t i, n_allowed = conf->has_allowed ? conf->n_allowed : 0;
	struct nlmsghdr *nlh;
	int err;

	nl->errmsg[0] = '\0';
	if (n_allowed > MLSNL_MAX_ALLOWED_IPS)
		return mlsnl_local_error(nl, -E2BIG, "too many allowed IPs");
	/* Each prefix takes 32 bytes at most; the rest well under 256. */
	err = mlsnl_tx_reserve(nl, 256 + n_allowed * 32);
	if (err)
		return err;
	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_MEMBER_SET, NLM_F_ACK, &conf->sel,
			      &conf->group_id, &err);
	if (!nlh)
		return err;
	mnl_attr_put_u32(nlh, MLSDCO_A_LEAF, conf->leaf);
	if (conf->has_endpoint &&
	    mlsnl_put_endpoint(nlh, MLSDCO_A_ENDPOINT, &conf->endpoint))
		return mlsnl_local_error(nl, -EINVAL,
					 "endpoint must be IPv4 or IPv6");
	for (i = 0; conf->has_allowed && i < conf->n_allowed; i++)
		if (mlsnl_put_prefix(nlh, MLSDCO_A_ALLOWED_IP,
				     &conf->allowed[i]))
			return mlsnl_local_error(nl, -EINVAL,
						 "allowed IP must be IPv4 or IPv6");
	if (conf->has_peer_id)
		mnl_attr_put_u32(nlh, MLSDCO_A_PEER_ID, conf->peer_id);
	if (conf->has_keepalive)
		mnl_attr_put_u16(nlh, MLSDCO_A_KEEPALIVE, conf->keepalive_s);
	if (conf->endpoint_fixed)
		mnl_attr_put(nlh, MLSDCO_A_ENDPOINT_FIXED, 0, NULL);
	return mlsnl_transact(nl, nlh, NULL, NULL);
}

int mlsnl_member_del(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		     uint32_t group_id, uint32_t leaf)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_MEMBER_DEL, NLM_F_ACK, sel,
			      &group_id, &err);
	if (!nlh)
		return err;
	mnl_attr_put_u32(nlh, MLSDCO_A_LEAF, leaf);
	return mlsnl_transact(nl, nlh, NULL, NULL);
}
