/* SPDX-License-Identifier: MIT */
/*
 * The host's own credential: its signature key (PrivateKeyFile) and, in
 * certificate mode, its certificate (Certificate), checked at startup the
 * way every other member will check them, so that a host whose
 * certificate others would refuse says so itself instead of failing to
 * join.
 */
#ifndef MLSD_IDENTITY_H
#define MLSD_IDENTITY_H

#include <stdbool.h>

#include "mls/group.h"
#include "admission.h"
#include "config.h"

struct mlsd_identity {
	struct mlsd_sig_key key;
	/* BasicCredential identity: the certificate's encoding or Name */
	struct mls_bytes credential;
	bool has_cert;
	struct mlsd_host_cert cert;
};

/*
 * Load and check c's key and certificate against a (built from c):
 * the key's suite is the network's; the certificate is for [Interface]
 * Name, certifies this key, passes admission now, and covers every
 * [Interface] Address. Errors name the config line at fault. *id is
 * overwritten; on error it holds nothing.
 */
int mlsd_identity_load(const struct mlsd_config *c,
		       const struct mlsd_admission *a,
		       struct mlsd_identity *id, struct mlsd_err *e);
void mlsd_identity_free(struct mlsd_identity *id);
/* The signer for KeyPackages, groups and external joins (borrows id). */
void mlsd_identity_signer(const struct mlsd_identity *id,
			  struct mls_signer *sg);

#endif
