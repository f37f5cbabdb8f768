// SPDX-License-Identifier: MIT
/*
 * Per-epoch costs: the key schedule run at every commit, the exporter call
 * that yields the data-plane keys, and the secret-tree ratchet that
 * protects every handshake and application message. bench.mk defines
 * MLS_BENCH_HAVE_KEY_SCHEDULE / MLS_BENCH_HAVE_SECRET_TREE once libmls
 * has those parts, so the benchmark builds before they land.
 */
#include <stdlib.h>
#include <string.h>

#include "mls/codec.h"
#include "bench_ops.h"

#define BENCH_RATCHET_STEPS 1000

#ifdef MLS_BENCH_HAVE_KEY_SCHEDULE
#include "mls/key_schedule.h"

struct bench_epoch_ctx {
	const struct mls_suite *suite;
	uint8_t init_secret[MLS_MAX_HASH_LEN];
	uint8_t commit_secret[MLS_MAX_HASH_LEN];
	uint8_t tree_hash[MLS_MAX_HASH_LEN];
	uint8_t transcript_hash[MLS_MAX_HASH_LEN];
	uint8_t group_id[16];
	struct mls_group_context gc;
	struct mls_epoch_secrets epoch;	/* for the exporter */
};

static int bench_epoch_setup(const struct mls_suite *s, void **out)
{
	struct bench_epoch_ctx *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return MLS_ERR_NOMEM;
	c->suite = s;
	memset(c->init_secret, 0x11, sizeof(c->init_secret));
	memset(c->commit_secret, 0x22, sizeof(c->commit_secret));
	memset(c->tree_hash, 0x33, sizeof(c->tree_hash));
	memset(c->transcript_hash, 0x44, sizeof(c->transcript_hash));
	memcpy(c->group_id, "mls-bench group", sizeof(c->group_id));
	c->gc.version = 1;	/* mls10 */
	c->gc.cipher_suite = s->id;
	c->gc.group_id.data = c->group_id;
	c->gc.group_id.len = sizeof(c->group_id);
	c->gc.epoch = 1;
	c->gc.tree_hash.data = c->tree_hash;
	c->gc.tree_hash.len = s->hash_len;
	c->gc.confirmed_transcript_hash.data = c->transcript_hash;
	c->gc.confirmed_transcript_hash.len = s->hash_len;
	err = mls_key_schedule_advance(s, c->init_secret, c->commit_secret,
				       NULL, &c->gc, &c->epoch, NULL);
	if (err) {
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

static void bench_epoch_teardown(void *ctx)
{
	struct bench_epoch_ctx *c = ctx;

	mls_epoch_secrets_free(&c->epoch);
	mls_wipe(c, sizeof(*c));
	free(c);
}

static int bench_epoch_advance(void *ctx)
{
	struct bench_epoch_ctx *c = ctx;
	struct mls_epoch_secrets next;
	int err;

	err = mls_key_schedule_advance(c->suite, c->init_secret,
				       c->commit_secret, NULL, &c->gc, &next,
				       NULL);
	mls_epoch_secrets_free(&next);
	return err;
}

static int bench_epoch_export(void *ctx)
{
	struct bench_epoch_ctx *c = ctx;
	uint8_t key[32];
	int err;

	err = mls_epoch_export(&c->epoch, "mlsdco data plane", c->group_id,
			       sizeof(c->group_id), key, sizeof(key));
	mls_wipe(key, sizeof(key));
	return err;
}

const struct bench_column bench_col_epoch = {
	.title = "epoch",
	.what = "one key-schedule epoch: init + commit secret to all "
		"epoch secrets (§8)",
	.setup = bench_epoch_setup,
	.op = bench_epoch_advance,
	.teardown = bench_epoch_teardown,
};

const struct bench_column bench_col_export = {
	.title = "exporter",
	.what = "one MLS-Exporter call, 32 bytes (§8.5)",
	.setup = bench_epoch_setup,
	.op = bench_epoch_export,
	.teardown = bench_epoch_teardown,
};
#else
const struct bench_column bench_col_epoch = {
	.title = "epoch",
	.missing = "libmls has no key schedule (mls/key_schedule.h)",
};

const struct bench_column bench_col_export = {
	.title = "exporter",
	.missing = "libmls has no exporter (mls/key_schedule.h)",
};
#endif

#ifdef MLS_BENCH_HAVE_SECRET_TREE
#include "mls/secret_tree.h"

struct bench_ratchet_ctx {
	const struct mls_suite *suite;
	uint8_t encryption_secret[MLS_MAX_HASH_LEN];
};

static int bench_ratchet_setup(const struct mls_suite *s, void **out)
{
	struct bench_ratchet_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return MLS_ERR_NOMEM;
	c->suite = s;
	memset(c->encryption_secret, 0x55, sizeof(c->encryption_secret));
	*out = c;
	return 0;
}

static void bench_ratchet_teardown(void *ctx)
{
	mls_wipe(ctx, sizeof(struct bench_ratchet_ctx));
	free(ctx);
}

/* A fresh two-leaf tree each time: one sender's first 1000 messages. */
static int bench_ratchet_steps(void *ctx)
{
	struct bench_ratchet_ctx *c = ctx;
	struct mls_secret_tree *t;
	struct mls_ratchet_key k;
	int err, i;

	err = mls_secret_tree_new(c->suite, c->encryption_secret,
				  c->suite->hash_len, 2, NULL, &t);
	if (err)
		return err;
	for (i = 0; i < BENCH_RATCHET_STEPS && !err; i++)
		err = mls_secret_tree_next_key(t, 0, MLS_RATCHET_APPLICATION,
					       &k);
	mls_wipe(&k, sizeof(k));
	mls_secret_tree_free(t);
	return err;
}

const struct bench_column bench_col_ratchet = {
	.title = "1000 ratchet",
	.what = "new 2-leaf secret tree + 1000 application ratchet "
		"steps (§9)",
	.setup = bench_ratchet_setup,
	.op = bench_ratchet_steps,
	.teardown = bench_ratchet_teardown,
};
#else
const struct bench_column bench_col_ratchet = {
	.title = "1000 ratchet",
	.missing = "libmls has no secret tree (mls/secret_tree.h)",
};
#endif
