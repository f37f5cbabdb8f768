/* SPDX-License-Identifier: MIT */
/*
 * The relay's durable state behind one small interface, so a shared
 * database can back several relays later (VPN-DESIGN "Scale past one
 * relay"). Every call that returns 0 has made its change durable.
 * Byte strings handed out are malloc'ed copies the caller frees.
 *
 * Returns 0, or a negative STORE_E* value.
 */
#ifndef MLSRELAY_STORE_H
#define MLSRELAY_STORE_H

#include <stddef.h>
#include <stdint.h>

enum store_err {
	STORE_OK = 0,
	STORE_E_IO = -1,	/* database failure; nothing changed */
	STORE_E_NOT_FOUND = -2,
	STORE_E_CONFLICT = -3,	/* a commit for that epoch exists */
	STORE_E_EPOCH = -4,	/* not the log's epoch / older GroupInfo */
	STORE_E_LIMIT = -5,	/* per-identity count reached */
	STORE_E_MISMATCH = -6,	/* identity bound to another key */
	STORE_E_NOMEM = -7,
};

struct store_blob {
	uint8_t *data;
	size_t len;
};

struct store_bytes {
	const uint8_t *data;
	size_t len;
};

/* One entry of a group's handshake log. */
struct store_hs_entry {
	uint64_t seq;
	uint64_t epoch;
	uint8_t kind;		/* enum rp_kind */
	struct store_blob msg;
};

/* fetch/take callbacks: non-zero return stops the walk. */
typedef int (*store_hs_fn)(void *ctx, const struct store_hs_entry *e);
typedef int (*store_blob_fn)(void *ctx, const struct store_bytes *b);

struct store;

struct store_ops {
	void (*close)(struct store *s);
	/* Bind identity to (suite, key) on first use; STORE_E_MISMATCH after. */
	int (*bind_identity)(struct store *s, struct store_bytes identity,
			     uint16_t suite, struct store_bytes sig_pub);
	/* STORE_E_LIMIT when the owner has max one-time KeyPackages. */
	int (*put_keypackage)(struct store *s, struct store_bytes owner,
			      int last_resort, struct store_bytes kp,
			      unsigned int max);
	/* Oldest one-time KeyPackage (removed), else the last-resort one. */
	int (*take_keypackage)(struct store *s, struct store_bytes owner,
			       struct store_blob *out);
	/*
	 * Append to the group's log (docs/RELAY-PROTOCOL.md "First commit
	 * wins"): *seq gets the new entry's number; on STORE_E_CONFLICT,
	 * *winner the commit that holds the epoch.
	 */
	int (*append_handshake)(struct store *s, struct store_bytes group,
				uint64_t epoch, uint8_t kind,
				struct store_bytes msg, uint64_t *seq,
				struct store_hs_entry *winner);
	/* Entries with epoch >= epoch and seq > after, in order, <= max. */
	int (*fetch_since)(struct store *s, struct store_bytes group,
			   uint64_t epoch, uint64_t after, unsigned int max,
			   store_hs_fn fn, void *ctx, unsigned int *count,
			   int *more);
	int (*put_groupinfo)(struct store *s, struct store_bytes group,
			     uint64_t epoch, struct store_bytes gi);
	int (*get_groupinfo)(struct store *s, struct store_bytes group,
			     uint64_t *epoch, struct store_blob *out);
	int (*queue_welcome)(struct store *s, struct store_bytes target,
			     struct store_bytes welcome, unsigned int max);
	/* Removes and hands out up to max of target's Welcomes, oldest first. */
	int (*take_welcomes)(struct store *s, struct store_bytes target,
			     unsigned int max, store_blob_fn fn, void *ctx,
			     unsigned int *count, int *more);
};

struct store {
	const struct store_ops *ops;
};

/* SQLite at path (created if missing), WAL and synchronous=FULL. */
int store_sqlite_open(const char *path, struct store **out);

void store_blob_free(struct store_blob *b);
const char *store_strerror(int err);

#endif
