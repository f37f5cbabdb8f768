// SPDX-License-Identifier: MIT
/*
 * Names of the family's enums, as the YNL spec spells them, so the CLI and
 * the spec agree on every word a user types or reads.
 */

#include <errno.h>
#include <linux/mlsdco.h>
#include <string.h>

#include "internal.h"

static const char *const mlsnl_aead_names[] = {
	[MLSDCO_AEAD_AES_128_GCM] = "aes-128-gcm",
	[MLSDCO_AEAD_AES_256_GCM] = "aes-256-gcm",
	[MLSDCO_AEAD_CHACHA20_POLY1305] = "chacha20-poly1305",
};

static const char *const mlsnl_state_names[] = {
	[MLSDCO_EPOCH_STATE_CURRENT] = "current",
	[MLSDCO_EPOCH_STATE_NEXT] = "next",
	[MLSDCO_EPOCH_STATE_PREVIOUS] = "previous",
};

#define MLSNL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *mlsnl_aead_name(uint32_t aead)
{
	if (aead >= MLSNL_ARRAY_SIZE(mlsnl_aead_names))
		return "unknown";
	return mlsnl_aead_names[aead];
}

int mlsnl_aead_parse(const char *name, uint32_t *aead)
{
	uint32_t i;

	for (i = 0; i < MLSNL_ARRAY_SIZE(mlsnl_aead_names); i++) {
		if (!strcmp(name, mlsnl_aead_names[i])) {
			*aead = i;
			return 0;
		}
	}
	return -EINVAL;
}

size_t mlsnl_aead_key_len(uint32_t aead)
{
	switch (aead) {
	case MLSDCO_AEAD_AES_128_GCM:
		return 16;
	case MLSDCO_AEAD_AES_256_GCM:
	case MLSDCO_AEAD_CHACHA20_POLY1305:
		return 32;
	}
	return 0;
}

const char *mlsnl_epoch_state_name(uint32_t state)
{
	if (state >= MLSNL_ARRAY_SIZE(mlsnl_state_names))
		return "unknown";
	return mlsnl_state_names[state];
}

const char *mlsnl_event_name(uint8_t cmd)
{
	switch (cmd) {
	case MLSDCO_CMD_KEY_SOFT_LIMIT:
		return "key-soft-limit";
	case MLSDCO_CMD_KEY_EXHAUSTED:
		return "key-exhausted";
	case MLSDCO_CMD_EPOCH_SWITCHED:
		return "epoch-switched";
	case MLSDCO_CMD_UNKNOWN_SENDER:
		return "unknown-sender";
	case MLSDCO_CMD_NO_ROUTE:
		return "no-route";
	}
	return NULL;
}
