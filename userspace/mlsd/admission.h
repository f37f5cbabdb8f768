/* SPDX-License-Identifier: MIT */
/*
 * Who may be a member (docs/ADMISSION.md): the policy every member runs,
 * as libmls's credential validator, on each leaf that enters or changes
 * in a group (Welcome tree, Add, external join, Update, commit path). The
 * relay never decides: a leaf is admitted when its BasicCredential
 * identity is
 *  - a host certificate (first bytes 00 01, its version) signed by the
 *    network CA, for this network and suite, valid now (± skew), not on
 *    the CRL, certifying exactly the leaf's signature key; or
 *  - a host name that is pinned together with that signature key.
 * Either way the admitted host's name and tunnel prefixes come from what
 * was verified, never from the relay or from the leaf's own claims.
 */
#ifndef MLSD_ADMISSION_H
#define MLSD_ADMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/group.h"
#include "config.h"
#include "hostcert.h"

struct mlsd_pin {
	char identity[MLSD_NAME_MAX + 1];
	struct mlsd_sig_pub key;
	struct mlsd_prefix prefixes[MLSD_CERT_MAX_PREFIXES];
	size_t n_prefixes;
};

struct mlsd_admission {
	char network[MLSD_NAME_MAX + 1];
	bool has_ca;
	struct mlsd_ca_pub ca;
	bool has_crl;
	struct mlsd_crl crl;		/* owned, verified against ca */
	struct mlsd_pin *pins;		/* owned */
	size_t n_pins;
	uint64_t skew;			/* seconds, both ends of validity */
	mls_clock_fn clock;		/* NULL: the system clock */
	void *clock_ctx;
	/* Why the validator last refused a leaf (for the log). */
	int last_status;
};

/* Refusals besides enum mlsd_cert_status (whose values they follow). */
enum mlsd_admit_status {
	MLSD_ADMIT_OK = 0,
	MLSD_ADMIT_CREDENTIAL_TYPE = 32,	/* not a BasicCredential */
	MLSD_ADMIT_NO_CA,		/* a certificate, but no CA configured */
	MLSD_ADMIT_NOT_PINNED,		/* neither certificate nor pinned name */
	MLSD_ADMIT_PIN_KEY,		/* pinned name, another signature key */
	MLSD_ADMIT_IDENTITY_CHANGED,	/* leaf replaces another host's */
};

/* enum mlsd_cert_status or enum mlsd_admit_status, for humans. */
const char *mlsd_admit_strerror(int status);

enum mlsd_admit_mode { MLSD_ADMIT_CERT = 1, MLSD_ADMIT_PIN };

/* What admission verified about a leaf. */
struct mlsd_admitted {
	enum mlsd_admit_mode mode;
	char identity[MLSD_NAME_MAX + 1];	/* host name */
	struct mlsd_prefix prefixes[MLSD_CERT_MAX_PREFIXES];
	size_t n_prefixes;
	uint64_t serial;			/* certificate mode */
	uint64_t not_after;			/* certificate mode */
};

/*
 * The trust anchor of c: its CA file (whose network must be [Network]
 * Name), its CRL (verified against the CA) and its pins. Errors name the
 * config line of the file at fault. *a is overwritten.
 */
int mlsd_admission_from_config(const struct mlsd_config *c,
			       struct mlsd_admission *a, struct mlsd_err *e);
void mlsd_admission_free(struct mlsd_admission *a);

/*
 * The policy for one leaf of suite s; out (may be NULL) receives the
 * verified identity and prefixes. Returns MLSD_ADMIT_OK or the reason.
 */
int mlsd_admission_check(const struct mlsd_admission *a,
			 const struct mls_suite *s,
			 const struct mls_leaf_node *leaf,
			 struct mlsd_admitted *out);

/*
 * mls_credential_validate_fn; ctx is a struct mlsd_admission *. Accepts
 * what mlsd_admission_check accepts and, when the leaf replaces old_leaf,
 * only the same host name (it may renew its certificate or rotate its
 * key, never become another host). MLS_ERR_VALIDATION otherwise, with
 * the reason in a->last_status.
 */
int mlsd_admission_validate(void *ctx, const struct mls_suite *s,
			    const struct mls_leaf_node *leaf,
			    const struct mls_leaf_node *old_leaf);

/*
 * Members of g whose credentials no longer pass (expired, revoked, pin
 * removed): their leaf indices into leaves (at most cap; *n is the
 * number found, which may exceed cap). The caller proposes their Remove.
 */
int mlsd_admission_sweep(const struct mlsd_admission *a,
			 const struct mls_group *g, uint32_t *leaves,
			 size_t cap, size_t *n);

#endif
