// SPDX-License-Identifier: MIT
/*
 * Key files for "mlsctl epoch add": keys never travel on the command line,
 * where every user could read them in /proc/PID/cmdline. Format, one item
 * per line, '#' starts a comment:
 *
 *	tx KEYHEX NONCEHEX		own sending key and 12-byte nonce base
 *	rx LEAF KEYHEX NONCEHEX		a member's key (one line per member)
 *
 * The file is read unbuffered into one fixed line buffer, so no copy of a
 * key is left in stdio buffers; the line and all parsed keys are wiped on
 * every path out. The rx array grows as lines come (up to
 * MLSNL_MAX_RX_KEYS, one epoch-new request); growing copies it and wipes
 * the old array, since realloc would leave keys behind in freed heap.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsctl.h"

#define MLSCTL_RX_KEYS_FIRST 64
#define MLSCTL_LEAF_MAX 0xffffff

static int mlsctl_parse_key(const char *keyhex, const char *noncehex,
			    struct mlsnl_key *k)
{
	size_t nonce_len;

	if (mlsctl_parse_hex(keyhex, k->key, sizeof(k->key), &k->key_len))
		return -EINVAL;
	if (mlsctl_parse_hex(noncehex, k->nonce, sizeof(k->nonce),
			     &nonce_len) || nonce_len != sizeof(k->nonce))
		return -EINVAL;
	return 0;
}

struct mlsctl_keys {
	struct mlsnl_epoch_conf *conf;
	size_t cap;		/* entries allocated in conf->rx */
	bool have_tx;
};

static int mlsctl_keys_grow(struct mlsctl_keys *keys)
{
	struct mlsnl_epoch_conf *conf = keys->conf;
	size_t cap = keys->cap ? keys->cap * 2 : MLSCTL_RX_KEYS_FIRST;
	struct mlsnl_rx_key *rx;

	if (cap > MLSNL_MAX_RX_KEYS)
		cap = MLSNL_MAX_RX_KEYS;
	rx = calloc(cap, sizeof(*rx));
	if (!rx)
		return -ENOMEM;
	if (conf->n_rx)
		memcpy(rx, conf->rx, conf->n_rx * sizeof(*rx));
	if (keys->cap)
		explicit_bzero(conf->rx, keys->cap * sizeof(*rx));
	free(conf->rx);
	conf->rx = rx;
	keys->cap = cap;
	return 0;
}

static int mlsctl_keys_rx(struct mlsctl_keys *keys, char **tok,
			  unsigned int lineno)
{
	struct mlsnl_epoch_conf *conf = keys->conf;
	struct mlsnl_rx_key *rx;

	if (conf->n_rx == MLSNL_MAX_RX_KEYS)
		return mlsctl_err("epoch add: keys line %u: more than %d rx keys (the most one epoch takes, see docs/NETLINK.md)",
				  lineno, MLSNL_MAX_RX_KEYS);
	if (conf->n_rx == keys->cap && mlsctl_keys_grow(keys))
		return mlsctl_err("epoch add: out of memory");
	rx = &conf->rx[conf->n_rx];
	if (mlsctl_parse_u32(tok[1], MLSCTL_LEAF_MAX, &rx->leaf) ||
	    mlsctl_parse_key(tok[2], tok[3], &rx->k)) {
		explicit_bzero(rx, sizeof(*rx));
		return mlsctl_err("epoch add: keys line %u: expected \"rx LEAF KEYHEX NONCEHEX\"",
				  lineno);
	}
	conf->n_rx++;
	return 0;
}

static int mlsctl_keys_line(char *line, unsigned int lineno,
			    struct mlsctl_keys *keys)
{
	struct mlsnl_epoch_conf *conf = keys->conf;
	char *tok[5], *save = NULL;
	int n = 0;

	line[strcspn(line, "#\r\n")] = '\0';
	for (tok[n] = strtok_r(line, " \t", &save); tok[n] && n < 4;
	     tok[n] = strtok_r(NULL, " \t", &save))
		n++;
	if (n == 0)
		return 0;
	if (!strcmp(tok[0], "tx") && n == 3) {
		if (keys->have_tx)
			return mlsctl_err("epoch add: keys line %u: a second tx line",
					  lineno);
		if (mlsctl_parse_key(tok[1], tok[2], &conf->tx))
			return mlsctl_err("epoch add: keys line %u: expected \"tx KEYHEX(16 or 32 bytes) NONCEHEX(12 bytes)\"",
					  lineno);
		keys->have_tx = true;
		return 0;
	}
	if (!strcmp(tok[0], "rx") && n == 4)
		return mlsctl_keys_rx(keys, tok, lineno);
	return mlsctl_err("epoch add: keys line %u: expected a \"tx\" or \"rx\" line",
			  lineno);
}

static int mlsctl_keys_read(FILE *f, struct mlsnl_epoch_conf *conf)
{
	struct mlsctl_keys keys = { .conf = conf };
	char line[512];
	unsigned int lineno = 0;
	int ret = 0;

	while (!ret && fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			ret = mlsctl_err("epoch add: keys line %u is too long",
					 lineno);
		else
			ret = mlsctl_keys_line(line, lineno, &keys);
	}
	explicit_bzero(line, sizeof(line));
	if (!ret && ferror(f))
		ret = mlsctl_err("epoch add: cannot read the keys: %s",
				 strerror(errno));
	if (!ret && !keys.have_tx)
		ret = mlsctl_err("epoch add: the keys have no \"tx\" line");
	return ret;
}

int mlsctl_read_keys(const char *path, struct mlsnl_epoch_conf *conf)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int ret;

	if (!f)
		return mlsctl_err("epoch add: cannot open %s: %s", path,
				  strerror(errno));
	conf->rx = NULL;
	conf->n_rx = 0;
	setvbuf(f, NULL, _IONBF, 0);
	ret = mlsctl_keys_read(f, conf);
	if (f != stdin)
		fclose(f);
	if (ret) {
		mlsnl_epoch_conf_wipe(conf);
		free(conf->rx);
		conf->rx = NULL;
		conf->n_rx = 0;
	}
	return ret;
}
