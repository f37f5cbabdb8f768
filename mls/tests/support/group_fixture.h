/* SPDX-License-Identifier: MIT */
/*
 * Shared setup of the group tests: reproducible randomness, a pinned
 * clock, and a "party" (one client: identity, signature key, KeyPackage,
 * group state) with the create/join/process calls every group test makes.
 *
 * No cmocka here (mls-vectors links this too): every helper returns 0 or
 * an error code and the test asserts on it.
 */
#ifndef MLS_TEST_GROUP_FIXTURE_H
#define MLS_TEST_GROUP_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/group.h"

#define FIXTURE_NOW	1700000000u	/* 2023-11-14 */

/* Returned by the comparisons below when the two sides differ. */
#define FIXTURE_DIFFERENT	1

/*
 * A linear congruential generator: reproducible, not cryptographic, so
 * a failing test replays byte for byte. fixture_random is an
 * mls_random_fn whose ctx is a struct fixture_rng. The bytes depend only
 * on the seed and the order of the draws: parties sharing one rng stay
 * reproducible as long as the draws come from one thread (libmls draws
 * on the caller's thread, before it hands work to mls_parallel_run).
 */
struct fixture_rng {
	uint64_t state;
};

int fixture_random(void *rng, uint8_t *out, size_t len);
/* A uniform-enough value below n (n > 0), for test decisions. */
uint32_t fixture_rng_below(struct fixture_rng *rng, uint32_t n);

/* An mls_clock_fn: *(uint64_t *)now, or FIXTURE_NOW when now is NULL. */
uint64_t fixture_clock(void *now);

/* What a party's leaf supports beyond the defaults, and carries (§7.2). */
struct fixture_caps {
	const uint16_t *exts;
	size_t n_exts;
	const uint16_t *proposals;
	size_t n_proposals;
	const uint16_t *creds;
	size_t n_creds;
	const struct mls_extension_list *leaf_exts;
};

struct fixture_party {
	const struct mls_suite *s;
	struct mls_crypto crypto;	/* draws from the rng given at init */
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	uint8_t sig_pub[MLS_MAX_SIG_PUB_LEN];
	char name[32];			/* BasicCredential identity */
	/* An X.509 chain instead of the basic credential, if n is not 0. */
	const struct mls_bytes *certificates;
	size_t n_certificates;
	const struct fixture_caps *caps; /* in every signer; NULL: none */
	struct mls_bytes kp;		/* the last KeyPackage made */
	struct mls_key_package_secrets sec;
	struct mls_group g;
	uint64_t *now;			/* clock ctx; NULL: FIXTURE_NOW */
	mls_psk_lookup_fn psk_lookup;
	void *psk_ctx;
	mls_credential_validate_fn validate;
	void *validate_ctx;
	mls_credential_policy_fn credential_policy;
	void *credential_policy_ctx;
	const struct mls_group_policy *policy;	/* NULL: the defaults */
	/* The group a Welcome resumes (reinit/branch, §11.2-3), or NULL. */
	const struct mls_group *resumption_group;
};

/* A party of suite with a fresh signature key pair. *p is overwritten. */
int fixture_party_init(struct fixture_party *p, uint16_t suite,
		       const char *name, struct fixture_rng *rng);
/* The same with a key pair made elsewhere, of the suite's key sizes. */
int fixture_party_init_key(struct fixture_party *p, uint16_t suite,
			   const char *name, struct fixture_rng *rng,
			   const uint8_t *sig_priv, const uint8_t *sig_pub);
void fixture_party_free(struct fixture_party *p);

void fixture_party_signer(const struct fixture_party *p,
			  struct mls_signer *sg);
/* A new KeyPackage in p->kp, its private keys in p->sec. */
int fixture_party_key_package(struct fixture_party *p);
/*
 * The options fixture_party_create uses, for the calls that embed them
 * (mls_group_resume_options); group_id may be NULL (length 0).
 */
void fixture_party_create_options(const struct fixture_party *p,
				  const char *group_id,
				  const struct mls_extension_list *e,
				  struct mls_group_create_options *o);
/* p creates a group alone, with GroupContext extensions e (or NULL). */
int fixture_party_create(struct fixture_party *p, const char *group_id,
			 const struct mls_extension_list *e);
/* Join with p's KeyPackage from a Welcome, encoded or decoded. */
int fixture_party_join(struct fixture_party *p,
		       const struct mls_bytes *welcome);
int fixture_party_join_welcome(struct fixture_party *p,
			       const struct mls_welcome *w);
/*
 * Join by external Commit from an encoded GroupInfo MLSMessage; with
 * resync, the Commit also removes p's old leaf old_leaf.
 */
int fixture_party_join_external(struct fixture_party *p,
				const struct mls_bytes *group_info,
				bool resync, uint32_t old_leaf,
				struct mls_bytes *commit);

/*
 * committer adds joiner (a fresh KeyPackage) by a by-value Add, confirms
 * its Commit, and joiner joins from the Welcome; *commit (may be NULL)
 * receives the Commit for the other members.
 */
int fixture_party_add(struct fixture_party *committer,
		      struct fixture_party *joiner, struct mls_bytes *commit);

/* Decode an MLSMessage and process it as a Commit / cache a proposal. */
int fixture_process(struct mls_group *g, const struct mls_bytes *msg);
int fixture_cache(struct mls_group *g, const struct mls_bytes *msg);

/*
 * 0 if g saves to exactly the blob before (taken with mls_group_save),
 * FIXTURE_DIFFERENT if not, or the error of saving it.
 */
int fixture_same_state(const struct mls_group *g,
		       const struct mls_bytes *before);
/*
 * 0 if a and b are in the same epoch with the same epoch_authenticator
 * and, when export_len is not 0, the same MLS-Exporter("test", "c",
 * export_len) output (at most 64 bytes); FIXTURE_DIFFERENT if not.
 */
int fixture_groups_agree(const struct mls_group *a, const struct mls_group *b,
			 size_t export_len);

#endif
