// SPDX-License-Identifier: MIT
/*
 * mlsrelay's configuration file (mlsrelay(8)): "key value" lines, '#'
 * comments. Unknown keys and bad values are errors that name their line.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relay.h"

static void config_defaults(struct relay_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->listen_tcp, "0.0.0.0:4433");
	strcpy(cfg->listen_udp, "0.0.0.0:51830");
	cfg->frame_max = 256 * 1024;
	cfg->queue_max = 4 * 1024 * 1024;
	cfg->groups_max = 64;
	cfg->keypackages_max = 128;
	cfg->welcomes_max = 256;
	cfg->fetch_max = 64;
	cfg->conns_max = 1024;
	cfg->auth_timeout = 30;
}

static int set_string(char *dst, size_t cap, const char *v)
{
	if (strlen(v) >= cap)
		return -1;
	strcpy(dst, v);
	return 0;
}

static int set_number(const char *v, unsigned long lo, unsigned long hi,
		      unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(v, &end, 10);
	return errno || end == v || *end || *out < lo || *out > hi ? -1 : 0;
}

struct number_key {
	const char *name;
	size_t offset;
	size_t size;
	unsigned long lo, hi;
};

#define NUM(n, f, lo, hi) { n, offsetof(struct relay_config, f), \
			    sizeof(((struct relay_config *)0)->f), lo, hi }
static const struct number_key number_keys[] = {
	NUM("frame-max", frame_max, 1024, RP_MAX_PAYLOAD),
	NUM("queue-max", queue_max, 64 * 1024, 1024ul * 1024 * 1024),
	NUM("groups-max", groups_max, 1, 100000),
	NUM("keypackages-max", keypackages_max, 1, 100000),
	NUM("welcomes-max", welcomes_max, 1, 100000),
	NUM("fetch-max", fetch_max, 1, 10000),
	NUM("connections-max", conns_max, 1, 100000),
	NUM("auth-timeout", auth_timeout, 1, 3600),
};

static int set_key(struct relay_config *cfg, const char *k, const char *v)
{
	unsigned long n;
	size_t i;
	char *field;

	if (!strcmp(k, "listen"))
		return set_string(cfg->listen_tcp, sizeof(cfg->listen_tcp), v);
	if (!strcmp(k, "listen-udp"))
		return set_string(cfg->listen_udp, sizeof(cfg->listen_udp), v);
	if (!strcmp(k, "cert"))
		return set_string(cfg->cert, sizeof(cfg->cert), v);
	if (!strcmp(k, "key"))
		return set_string(cfg->key, sizeof(cfg->key), v);
	if (!strcmp(k, "database"))
		return set_string(cfg->db, sizeof(cfg->db), v);
	if (!strcmp(k, "port-file"))
		return set_string(cfg->port_file, sizeof(cfg->port_file), v);
	for (i = 0; i < sizeof(number_keys) / sizeof(number_keys[0]); i++) {
		if (strcmp(k, number_keys[i].name))
			continue;
		if (set_number(v, number_keys[i].lo, number_keys[i].hi, &n))
			return -1;
		field = (char *)cfg + number_keys[i].offset;
		if (number_keys[i].size == sizeof(size_t))
			*(size_t *)field = n;
		else
			*(unsigned int *)field = (unsigned int)n;
		return 0;
	}
	return -1;
}

static int parse_line(struct relay_config *cfg, char *line)
{
	char *k, *v, *save;

	line[strcspn(line, "#\n")] = '\0';
	k = strtok_r(line, " \t", &save);
	if (!k)
		return 0;
	v = strtok_r(NULL, " \t", &save);
	if (!v || strtok_r(NULL, " \t", &save))
		return -1;
	return set_key(cfg, k, v);
}

int config_load(const char *path, struct relay_config *cfg)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int n = 0;

	config_defaults(cfg);
	if (!f) {
		relay_log("config: %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (parse_line(cfg, line)) {
			relay_log("config: %s:%d: bad line", path, n);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (!cfg->cert[0] || !cfg->key[0] || !cfg->db[0]) {
		relay_log("config: %s: cert, key and database are required",
			  path);
		return -1;
	}
	return 0;
}

/* "host:port" or "[v6]:port" into host and port strings. */
static int split_addr(const char *addr, char *host, size_t cap,
		      const char **port)
{
	const char *colon = strrchr(addr, ':');
	size_t n;

	if (!colon)
		return -1;
	n = (size_t)(colon - addr);
	if (addr[0] == '[' && n >= 2 && addr[n - 1] == ']') {
		addr++;
		n -= 2;
	}
	if (n >= cap)
		return -1;
	memcpy(host, addr, n);
	host[n] = '\0';
	*port = colon + 1;
	return 0;
}

static int bound_port(int fd, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -1;
	*port = ntohs(ss.ss_family == AF_INET6 ?
		      ((struct sockaddr_in6 *)&ss)->sin6_port :
		      ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

int config_bind(const char *addr, int type, int *fd, uint16_t *port)
{
	struct addrinfo hints = { .ai_socktype = type,
				  .ai_flags = AI_PASSIVE | AI_NUMERICHOST };
	struct addrinfo *ai;
	const char *p;
	char host[128];
	int one = 1, s;

	if (split_addr(addr, host, sizeof(host), &p) ||
	    getaddrinfo(host, p, &hints, &ai))
		return -1;
	s = socket(ai->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s >= 0 && type == SOCK_STREAM)
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, ai->ai_addr, ai->ai_addrlen) ||
	    (type == SOCK_STREAM && listen(s, 64)) || bound_port(s, port)) {
		if (s >= 0)
			close(s);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	*fd = s;
	return 0;
}
