// SPDX-License-Identifier: MIT
/*
 * Epoch commands: EPOCH_NEW (install keys as "next"), EPOCH_SWAP and
 * EPOCH_DEL. Key material only ever lives in the caller's structure and in
 * the request buffer, which is wiped once the request is sent.
 */

#include <errno.h>
#include <linux/mlsdco.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Worst case per RX key: nest 4 + leaf 8 + key 36 + nonce 16. */
#define MLSNL_RX_KEY_ROOM 64
/* Header, selector, ids, tag, tx key and nonce, grace: under 256. */
#define MLSNL_EPOCH_FIXED_ROOM 256

static void mlsnl_put_rx_key(struct nlmsghdr *nlh,
			     const struct mlsnl_rx_key *rx)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MLSDCO_A_RX_KEY);

	mnl_attr_put_u32(nlh, MLSDCO_A_RX_KEY_LEAF, rx->leaf);
	mnl_attr_put(nlh, MLSDCO_A_RX_KEY_KEY, rx->k.key_len, rx->k.key);
	mnl_attr_put(nlh, MLSDCO_A_RX_KEY_NONCE, sizeof(rx->k.nonce),
		     rx->k.nonce);
	mnl_attr_nest_end(nlh, nest);
}

static int mlsnl_epoch_check(struct mlsnl *nl,
			     const struct mlsnl_epoch_conf *conf)
{
	char msg[96];
	size_t i;

	/* Lengths are the kernel's to judge (it knows the group's AEAD);
	 * only what would not fit the request is refused here.
	 */
	if (conf->tx.key_len > MLSDCO_KEY_LEN)
		return mlsnl_local_error(nl, -EINVAL, "tx key longer than 32 bytes");
	if (conf->n_rx > MLSNL_MAX_RX_KEYS) {
		snprintf(msg, sizeof(msg),
			 "%zu rx keys: at most %d fit one epoch-new request",
			 conf->n_rx, MLSNL_MAX_RX_KEYS);
		return mlsnl_local_error(nl, -E2BIG, msg);
	}
	for (i = 0; i < conf->n_rx; i++)
		if (conf->rx[i].k.key_len > MLSDCO_KEY_LEN)
			return mlsnl_local_error(nl, -EINVAL,
						 "rx key longer than 32 bytes");
	return mlsnl_tx_reserve(nl, MLSNL_EPOCH_FIXED_ROOM +
				conf->n_rx * MLSNL_RX_KEY_ROOM);
}

int mlsnl_epoch_new(struct mlsnl *nl, const struct mlsnl_epoch_conf *conf)
{
	struct nlmsghdr *nlh;
	size_t i;
	int err;

	err = mlsnl_epoch_check(nl, conf);
	if (err)
		return err;
	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_EPOCH_NEW, NLM_F_ACK, &conf->sel,
			      &conf->group_id, &err);
	if (!nlh)
		return err;
	mnl_attr_put_u64(nlh, MLSDCO_A_EPOCH, conf->epoch);
	mnl_attr_put(nlh, MLSDCO_A_TAG, sizeof(conf->tag), conf->tag);
	mnl_attr_put(nlh, MLSDCO_A_TX_KEY, conf->tx.key_len, conf->tx.key);
	mnl_attr_put(nlh, MLSDCO_A_TX_NONCE, sizeof(conf->tx.nonce),
		     conf->tx.nonce);
	for (i = 0; i < conf->n_rx; i++)
		mlsnl_put_rx_key(nlh, &conf->rx[i]);
	if (conf->grace_ms)
		mnl_attr_put_u32(nlh, MLSDCO_A_GRACE_MS, conf->grace_ms);
	return mlsnl_transact_secret(nl, nlh, NULL, NULL);
}

int mlsnl_epoch_swap(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		     uint32_t group_id)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_EPOCH_SWAP, NLM_F_ACK, sel,
			      &group_id, &err);
	if (!nlh)
		return err;
	return mlsnl_transact(nl, nlh, NULL, NULL);
}

int mlsnl_epoch_del(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		    uint32_t group_id, uint64_t epoch)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_EPOCH_DEL, NLM_F_ACK, sel,
			      &group_id, &err);
	if (!nlh)
		return err;
	mnl_attr_put_u64(nlh, MLSDCO_A_EPOCH, epoch);
	return mlsnl_transact(nl, nlh, NULL, NULL);
}

void mlsnl_epoch_conf_wipe(struct mlsnl_epoch_conf *conf)
{
	explicit_bzero(&conf->tx, sizeof(conf->tx));
	if (conf->rx && conf->n_rx)
		explicit_bzero(conf->rx, conf->n_rx * sizeof(*conf->rx));
	explicit_bzero(conf->tag, sizeof(conf->tag));
}
