// SPDX-License-Identifier: MIT
/* Data-plane keys of an MLS epoch (docs/WIRE-FORMAT.md "Keys and nonces"). */
#include "keying.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mlsdco.h>

#include "mls/ratchet_tree.h"

/* RFC 9180 §7.3 AEAD ids. */
#define HPKE_AEAD_AES_128_GCM		1
#define HPKE_AEAD_AES_256_GCM		2
#define HPKE_AEAD_CHACHA20_POLY1305	3

int mlsd_kernel_aead(const struct mls_suite *s)
{
	switch (s->aead_id) {
	case HPKE_AEAD_AES_128_GCM:
		return MLSDCO_AEAD_AES_128_GCM;
	case HPKE_AEAD_AES_256_GCM:
		return MLSDCO_AEAD_AES_256_GCM;
	case HPKE_AEAD_CHACHA20_POLY1305:
		return MLSDCO_AEAD_CHACHA20_POLY1305;
	default:
		return -1;
	}
}

/* key_i and nonce_i of leaf: the exporter context is uint32(leaf). */
static int sender_key(const struct mls_group *g, uint32_t leaf,
		      struct mlsnl_key *k)
{
	const struct mls_suite *s = g->suite;
	uint8_t ctx[4] = { leaf >> 24, leaf >> 16, leaf >> 8, leaf };

	if (s->aead_key_len > sizeof(k->key) ||
	    s->aead_nonce_len != sizeof(k->nonce))
		return -EINVAL;
	k->key_len = s->aead_key_len;
	if (mls_group_export(g, MLSD_LABEL_KEY, ctx, sizeof(ctx), k->key,
			     k->key_len) ||
	    mls_group_export(g, MLSD_LABEL_NONCE, ctx, sizeof(ctx), k->nonce,
			     sizeof(k->nonce)))
		return -EINVAL;
	return 0;
}

static int fill_keys(const struct mls_group *g, struct mlsnl_epoch_conf *conf)
{
	const struct mls_tree *t = &g->tree;
	uint32_t own = mls_group_own_leaf(g);
	int err;

	for (uint32_t leaf = 0; leaf < t->n_leaves; leaf++) {
		if (!mls_tree_leaf(t, leaf))
			continue;
		if (leaf == own) {
			err = sender_key(g, leaf, &conf->tx);
		} else {
			struct mlsnl_rx_key *rx = &conf->rx[conf->n_rx++];

			rx->leaf = leaf;
			err = sender_key(g, leaf, &rx->k);
		}
		if (err)
			return err;
	}
	return 0;
}

int mlsd_epoch_keys(const struct mls_group *g, uint32_t group_id,
		    struct mlsnl_epoch_conf *conf)
{
	size_t n_members = mls_tree_member_count(&g->tree);
	int err;

	conf->rx = NULL;
	conf->n_rx = 0;
	if (mlsd_kernel_aead(g->suite) < 0)
		return -EINVAL;
	if (n_members == 0 || n_members - 1 > MLSNL_MAX_RX_KEYS)
		return n_members ? -E2BIG : -EINVAL;
	if (n_members > 1) {
		conf->rx = calloc(n_members - 1, sizeof(*conf->rx));
		if (!conf->rx)
			return -ENOMEM;
	}
	conf->group_id = group_id;
	conf->epoch = mls_group_epoch(g);
	err = mls_group_export(g, MLSD_LABEL_TAG, NULL, 0, conf->tag,
			       sizeof(conf->tag)) ? -EINVAL : 0;
	if (!err)
		err = fill_keys(g, conf);
	if (err)
		mlsd_epoch_keys_free(conf);
	return err;
}

void mlsd_epoch_keys_free(struct mlsnl_epoch_conf *conf)
{
	mlsnl_epoch_conf_wipe(conf);
	free(conf->rx);
	conf->rx = NULL;
	conf->n_rx = 0;
}
