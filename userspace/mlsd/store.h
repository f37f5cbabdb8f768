/* SPDX-License-Identifier: MIT */
/*
 * mlsd's persistent state: one SQLite file (WAL, synchronous=FULL), every
 * call one transaction that is durable when the call returns.
 *
 * What it keeps (docs/AGENT.md "Persistence"):
 * - per group: the libmls saved blob (mls_group_save), sealed; the kernel
 *   group id; the MLS epoch of that blob; the relay log position; a
 *   generation, bumped by every save;
 * - per group, never lowered and kept after the group is deleted: the
 *   highest generation ever saved (a row written back from an older save
 *   is refused) and the highest epoch ever handed to the kernel (the
 *   nonce-reuse guard, mlsd_store_record_install);
 * - KeyPackage private keys, sealed, until their Welcome arrives.
 *
 * Sealing: XChaCha20-Poly1305 under the caller's 32-byte key, the row's
 * identity (group id, generation, epoch, kernel group id, relay position;
 * or the KeyPackage ref) as associated data, so a blob moved to another
 * row or paired with other column values fails to open.
 *
 * Errors: 0, or a negative errno with e->msg "STORE: reason":
 * -EBADMSG a sealed value that does not open (tampered, moved, another
 * key), -ESTALE a row older than the newest one saved, -ENOENT no such row,
 * -EEXIST a duplicate, -EALREADY an epoch at or below the recorded one,
 * -ERANGE an epoch above the saved one, -EPROTONOSUPPORT a newer schema,
 * -ENOTSUP a file that is not an mlsd store, -EINVAL an empty or too long
 * id, -EIO SQLite failed or the file is damaged.
 */
#ifndef MLSD_STORE_H
#define MLSD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MLSD_STORE_KEY_LEN	32
/* Longest MLS group id or KeyPackage ref the store accepts. */
#define MLSD_STORE_ID_MAX	255
/* The schema this code writes and reads. */
#define MLSD_STORE_SCHEMA	1

struct mlsd_store;

/* A group's row without its blob. */
struct mlsd_store_group {
	uint8_t id[MLSD_STORE_ID_MAX];
	size_t id_len;
	uint32_t kernel_gid;
	uint64_t epoch;
	uint64_t generation;
	uint64_t relay_seq;
};

struct mlsd_store_keypackage {
	uint8_t ref[MLSD_STORE_ID_MAX];
	size_t ref_len;
	int64_t created;
};

/*
 * The sealing key from the host's private key bytes: HKDF-SHA256 with
 * label as info (e.g. "mlsd store"), so the same host key gives other
 * keys for other labels.
 */
int mlsd_store_key_from(const uint8_t *host_priv, size_t len,
			const char *label, uint8_t key[MLSD_STORE_KEY_LEN]);

/*
 * Open path (created 0600 if missing) sealed under key. An existing store
 * sealed under another key is refused (-EBADMSG) before anything is read.
 */
int mlsd_store_open(const char *path, const uint8_t key[MLSD_STORE_KEY_LEN],
		    struct mlsd_store **out, struct mlsd_err *e);
/* Close and wipe the key; NULL is fine. */
void mlsd_store_close(struct mlsd_store *s);

/*
 * Insert or replace the group's row with blob (the libmls saved group at
 * epoch), bumping its generation. kernel_gid must not belong to another
 * group (-EEXIST).
 */
int mlsd_store_save_group(struct mlsd_store *s, const uint8_t *gid,
			  size_t gid_len, uint32_t kernel_gid, uint64_t epoch,
			  const uint8_t *blob, size_t blob_len,
			  uint64_t relay_seq, struct mlsd_err *e);
/*
 * The group's row into *g and its opened blob into *blob (malloc'ed,
 * *blob_len bytes; free with mlsd_store_blob_free). On error nothing is
 * returned.
 */
int mlsd_store_load_group(struct mlsd_store *s, const uint8_t *gid,
			  size_t gid_len, struct mlsd_store_group *g,
			  uint8_t **blob, size_t *blob_len, struct mlsd_err *e);
/* Wipe and free a blob from mlsd_store_load_group or _take_keypackage. */
void mlsd_store_blob_free(uint8_t *blob, size_t len);
/*
 * Every group's row (no blobs) into *out (malloc'ed, *n entries; free()).
 * The values are what the file says: only mlsd_store_load_group
 * authenticates them.
 */
int mlsd_store_list_groups(struct mlsd_store *s, struct mlsd_store_group **out,
			   size_t *n, struct mlsd_err *e);
/*
 * Remove the group's row. Its highest generation and installed epoch
 * stay, so neither the row nor an epoch can come back.
 */
int mlsd_store_delete_group(struct mlsd_store *s, const uint8_t *gid,
			    size_t gid_len, struct mlsd_err *e);

/*
 * THE nonce-reuse guard: record that epoch of the group goes to the
 * kernel. The caller calls it and sees 0 before every kernel epoch-new.
 * -EALREADY when epoch is at or below the highest recorded one (that
 * epoch's key may already be in use: never install it), -ERANGE when it
 * is above the saved group's epoch (save the epoch first), -ENOENT when
 * no group is saved.
 */
int mlsd_store_record_install(struct mlsd_store *s, const uint8_t *gid,
			      size_t gid_len, uint64_t epoch,
			      struct mlsd_err *e);
/* The highest recorded epoch into *epoch, *any false when none is. */
int mlsd_store_installed_max(struct mlsd_store *s, const uint8_t *gid,
			     size_t gid_len, uint64_t *epoch, bool *any,
			     struct mlsd_err *e);

/* A KeyPackage's private part under its ref; -EEXIST if ref is there. */
int mlsd_store_put_keypackage(struct mlsd_store *s, const uint8_t *ref,
			      size_t ref_len, const uint8_t *secret,
			      size_t secret_len, struct mlsd_err *e);
/* Open and delete it (one use); free with mlsd_store_blob_free. */
int mlsd_store_take_keypackage(struct mlsd_store *s, const uint8_t *ref,
			       size_t ref_len, uint8_t **secret,
			       size_t *secret_len, struct mlsd_err *e);
/* Every KeyPackage ref with its creation time into *out (free()). */
int mlsd_store_list_keypackages(struct mlsd_store *s,
				struct mlsd_store_keypackage **out, size_t *n,
				struct mlsd_err *e);

#endif
