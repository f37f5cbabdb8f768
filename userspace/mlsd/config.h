/* SPDX-License-Identifier: MIT */
/*
 * mlsd.conf, the agent's INI configuration (docs/man/mlsd.conf.5): the
 * host ([Interface]), its network and trust anchor ([Network]), the relay
 * ([Relay]) and pinned hosts ([Pin], any number). Parsing checks the
 * syntax and every value; files it names are read later by their loaders,
 * which report errors at the line naming the file.
 *
 * Every error is one line "FILE:LINE: reason"; the parser reads on after
 * a bad line so that each bad line is reported (at most
 * MLSD_CONF_MAX_ERRORS, lines joined by '\n', in the order found). A
 * missing key is reported at its section's header; rules across sections
 * (a missing section, no trust anchor) are checked only when every line
 * is right, at the line concerned or the last line of the file.
 */
#ifndef MLSD_CONFIG_H
#define MLSD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "hostcert.h"
#include "prefix.h"
#include "sigkey.h"

#define MLSD_CONF_LINE_MAX	1024	/* bytes per line, newline excluded */
#define MLSD_CONF_PATH_MAX	1024
#define MLSD_CONF_MAX_ADDRS	MLSD_CERT_MAX_PREFIXES
#define MLSD_CONF_MAX_PINS	1024
#define MLSD_CONF_HOST_MAX	256	/* relay host name or address */
#define MLSD_IFNAME_MAX		15
#define MLSD_CONF_MAX_ERRORS	10

/* A file named in the config, with the line that names it. */
struct mlsd_conf_path {
	char path[MLSD_CONF_PATH_MAX];
	unsigned int line;		/* 0: not set */
};

struct mlsd_conf_hostport {
	char host[MLSD_CONF_HOST_MAX];
	uint16_t port;
	unsigned int line;
};

struct mlsd_conf_interface {
	char name[MLSD_NAME_MAX + 1];
	struct mlsd_conf_path private_key;
	struct mlsd_conf_path certificate;
	struct mlsd_prefix addresses[MLSD_CONF_MAX_ADDRS];
	size_t n_addresses;
	uint16_t listen_port;			/* 0: any */
	char device[MLSD_IFNAME_MAX + 1];
	struct mlsd_conf_path state_file;
	struct mlsd_conf_path control_socket;
};

struct mlsd_conf_network {
	char name[MLSD_NAME_MAX + 1];
	uint16_t suite;
	struct mlsd_conf_path ca;
	struct mlsd_conf_path crl;
	uint32_t pairwise_threshold;
	uint32_t rekey_interval;		/* seconds */
	uint32_t clock_skew;			/* seconds */
};

struct mlsd_conf_relay {
	struct mlsd_conf_hostport address;	/* TLS control channel */
	struct mlsd_conf_hostport data_address;	/* UDP; port 0: not set */
	bool has_fingerprint;
	uint8_t fingerprint[32];		/* SHA-256 of its certificate */
	struct mlsd_conf_path ca_file;
	uint32_t keepalive;			/* seconds, 0: off */
};

struct mlsd_conf_pin {
	char identity[MLSD_NAME_MAX + 1];
	struct mlsd_sig_pub key;
	struct mlsd_prefix addresses[MLSD_CONF_MAX_ADDRS];
	size_t n_addresses;
	unsigned int line;			/* of its [Pin] header */
};

struct mlsd_config {
	char file[MLSD_CONF_PATH_MAX];
	struct mlsd_conf_interface iface;
	struct mlsd_conf_network net;
	struct mlsd_conf_relay relay;
	struct mlsd_conf_pin *pins;
	size_t n_pins;
};

/* Defaults of the optional keys. */
#define MLSD_DEFAULT_SUITE		1
#define MLSD_DEFAULT_DEVICE		"mlsdco0"
#define MLSD_DEFAULT_REKEY		120
#define MLSD_DEFAULT_SKEW		300
#define MLSD_DEFAULT_PAIRWISE		64
#define MLSD_DEFAULT_KEEPALIVE		25	/* like WireGuard's usual */
#define MLSD_DEFAULT_STATE_DIR		"/var/lib/mlsd"
#define MLSD_DEFAULT_SOCKET		"/run/mlsd.sock"	/* docs/AGENT.md */

/* Parse path into *c (overwritten). On error *c holds nothing. */
int mlsd_config_load(const char *path, struct mlsd_config *c,
		     struct mlsd_err *e);
void mlsd_config_free(struct mlsd_config *c);

#endif
