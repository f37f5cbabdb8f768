/* SPDX-License-Identifier: MIT */
/*
 * Data-plane keys of one MLS epoch, as docs/WIRE-FORMAT.md defines them:
 *
 *   key_i   = MLS-Exporter("mlsdco v1 key",   uint32(i), Nk)
 *   nonce_i = MLS-Exporter("mlsdco v1 nonce", uint32(i), Nn)
 *   tag     = MLS-Exporter("mlsdco v1 tag",   "",        8)
 *
 * for every member leaf i. Our own leaf's key is the TX key, every other
 * member's key an RX key: each member derives the same table, so no key
 * ever crosses the network.
 */
#ifndef MLSD_KEYING_H
#define MLSD_KEYING_H

#include <stdint.h>

#include "mls/group.h"
#include "mlsdco/nl.h"

#define MLSD_LABEL_KEY		"mlsdco v1 key"
#define MLSD_LABEL_NONCE	"mlsdco v1 nonce"
#define MLSD_LABEL_TAG		"mlsdco v1 tag"

/*
 * The kernel AEAD (enum mlsdco_aead) of an MLS cipher suite's AEAD, or
 * -1 for one the module does not implement.
 */
int mlsd_kernel_aead(const struct mls_suite *s);

/*
 * Fill conf (group_id, epoch, tag, tx, rx[]) for the current epoch of g.
 * conf->rx is allocated (one entry per other member, in leaf order); the
 * caller sends it and frees it with mlsd_epoch_keys_free, which wipes it.
 * conf->sel and conf->grace_ms are left as the caller set them.
 * Returns 0, -ENOMEM, -E2BIG (more members than one epoch-new carries) or
 * -EINVAL (a suite whose AEAD the kernel lacks, or an exporter failure).
 */
int mlsd_epoch_keys(const struct mls_group *g, uint32_t group_id,
		    struct mlsnl_epoch_conf *conf);
void mlsd_epoch_keys_free(struct mlsnl_epoch_conf *conf);

#endif
