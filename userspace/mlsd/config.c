// SPDX-License-Identifier: MIT
/*
 * mlsd.conf parser: one table of keys, one setter per value type. A setter
 * returns NULL or the reason the value is refused; the parser adds
 * "FILE:LINE: " and stops at the first error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

enum conf_section { SEC_INTERFACE, SEC_NETWORK, SEC_RELAY, SEC_PIN, N_SEC };

static const char *const section_names[N_SEC] = {
	"Interface", "Network", "Relay", "Pin",
};

struct parse {
	struct mlsd_config *c;
	const char *file;
	unsigned int line;
	int section;			/* -1 before the first header */
	unsigned int section_line[N_SEC];	/* last header of each */
	unsigned int *seen;		/* line of each key in this section */
	char why[512];
	struct mlsd_err *e;
	unsigned int n_errors;
	size_t used;			/* bytes of e->msg written */
};

/* p->section of a section whose header was refused: its keys are skipped */
#define SEC_IGNORED	(-2)

typedef const char *(*conf_setter)(struct parse *p, const char *v);

struct conf_key {
	enum conf_section section;
	const char *name;
	bool required;
	conf_setter set;
};

#define WHY(p, ...) (snprintf((p)->why, sizeof((p)->why), __VA_ARGS__), (p)->why)

static struct mlsd_conf_pin *cur_pin(struct parse *p)
{
	return &p->c->pins[p->c->n_pins - 1];
}

/* ---- value types ---- */

static const char *set_name_into(struct parse *p, char *dst, const char *v,
				 const char *what)
{
	if (!mlsd_name_valid(v))
		return WHY(p, "invalid %s \"%s\" (1-%d of A-Z a-z 0-9 . _ -, starting with a letter or digit)",
			   what, v, MLSD_NAME_MAX);
	snprintf(dst, MLSD_NAME_MAX + 1, "%s", v);
	return NULL;
}

/* Relative paths are taken from the config file's directory. */
static const char *set_path_into(struct parse *p, struct mlsd_conf_path *dst,
				 const char *v)
{
	const char *slash = strrchr(p->file, '/');
	int dir = v[0] != '/' && slash ? (int)(slash - p->file) + 1 : 0;
	int n;

	n = snprintf(dst->path, sizeof(dst->path), "%.*s%s", dir, p->file, v);
	if (n < 0 || (size_t)n >= sizeof(dst->path))
		return WHY(p, "path longer than %d bytes", MLSD_CONF_PATH_MAX - 1);
	dst->line = p->line;
	return NULL;
}

static const char *parse_u32(struct parse *p, const char *v, uint32_t min,
			     uint32_t max, uint32_t *out)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || errno || *end)
		return WHY(p, "\"%s\" is not a number", v);
	if (n < min || n > max)
		return WHY(p, "%s is out of range (%u-%u)", v, min, max);
	*out = (uint32_t)n;
	return NULL;
}

/* "ADDR/LEN, ADDR/LEN, ..." */
static const char *set_prefixes_into(struct parse *p, struct mlsd_prefix *dst,
				     size_t *n, const char *v, bool canonical)
{
	char buf[MLSD_CONF_LINE_MAX + 1], *tok, *save = NULL;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", v);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		for (i = strlen(tok); i && (tok[i - 1] == ' ' || tok[i - 1] == '\t'); i--)
			tok[i - 1] = '\0';
		if (*n == MLSD_CONF_MAX_ADDRS)
			return WHY(p, "more than %d addresses", MLSD_CONF_MAX_ADDRS);
		if (mlsd_prefix_parse(tok, false, &dst[*n]))
			return WHY(p, "bad address \"%s\" (expected ADDR/LEN, e.g. 10.0.0.1/32 or fd00::1/128)",
				   tok);
		if (canonical && !mlsd_prefix_is_canonical(&dst[*n]))
			return WHY(p, "bad address \"%s\": bits set past the prefix length",
				   tok);
		(*n)++;
	}
	if (!*n)
		return WHY(p, "no address given");
	return NULL;
}

/* "host:port" or "[v6]:port" */
static const char *set_hostport_into(struct parse *p,
				     struct mlsd_conf_hostport *dst,
				     const char *v)
{
	const char *colon = strrchr(v, ':');
	size_t hl;
	uint32_t port;

	if (!colon || colon == v)
		return WHY(p, "bad address \"%s\" (expected HOST:PORT)", v);
	hl = (size_t)(colon - v);
	if (v[0] == '[') {
		if (v[hl - 1] != ']' || hl < 3)
			return WHY(p, "bad address \"%s\" (expected [IPV6]:PORT)", v);
		v++;
		hl -= 2;
	} else if (memchr(v, ':', hl)) {
		return WHY(p, "bad address \"%s\" (write IPv6 as [ADDR]:PORT)", v);
	}
	if (hl >= sizeof(dst->host))
		return WHY(p, "host name longer than %d bytes",
			   MLSD_CONF_HOST_MAX - 1);
	if (parse_u32(p, colon + 1, 1, 65535, &port))
		return WHY(p, "bad port \"%s\" (1-65535)", colon + 1);
	memcpy(dst->host, v, hl);
	dst->host[hl] = '\0';
	dst->port = (uint16_t)port;
	dst->line = p->line;
	return NULL;
}

/* ---- [Interface] ---- */

static const char *if_name(struct parse *p, const char *v)
{
	return set_name_into(p, p->c->iface.name, v, "name");
}

static const char *if_key(struct parse *p, const char *v)
{
	return set_path_into(p, &p->c->iface.private_key, v);
}

static const char *if_cert(struct parse *p, const char *v)
{
	return set_path_into(p, &p->c->iface.certificate, v);
}

static const char *if_address(struct parse *p, const char *v)
{
	return set_prefixes_into(p, p->c->iface.addresses,
				 &p->c->iface.n_addresses, v, false);
}

static const char *if_port(struct parse *p, const char *v)
{
	uint32_t port;
	const char *why = parse_u32(p, v, 0, 65535, &port);

	if (!why)
		p->c->iface.listen_port = (uint16_t)port;
	return why;
}

static const char *if_device(struct parse *p, const char *v)
{
	size_t i, n = strlen(v);

	if (n > MLSD_IFNAME_MAX)
		return WHY(p, "device name \"%s\" longer than %d bytes", v,
			   MLSD_IFNAME_MAX);
	for (i = 0; i < n; i++)
		if (v[i] == '/' || v[i] == ' ' || v[i] == '\t' || v[i] == ':')
			return WHY(p, "invalid device name \"%s\"", v);
	snprintf(p->c->iface.device, sizeof(p->c->iface.device), "%s", v);
	return NULL;
}

static const char *if_state(struct parse *p, const char *v)
{
	return set_path_into(p, &p->c->iface.state_file, v);
}

static const char *if_socket(struct parse *p, const char *v)
{
	const char *why = set_path_into(p, &p->c->iface.control_socket, v);

	/* sun_path is 108 bytes with its NUL */
	if (!why && strlen(p->c->iface.control_socket.path) > 107)
		return WHY(p, "socket path longer than 107 bytes");
	return why;
}

/* ---- [Network] ---- */

static const char *net_name(struct parse *p, const char *v)
{
	return set_name_into(p, p->c->net.name, v, "network name");
}

static const char *net_suite(struct parse *p, const char *v)
{
	uint32_t id;

	if (parse_u32(p, v, 1, 0xffff, &id) || !mls_suite_get((uint16_t)id))
		return WHY(p, "unknown cipher suite \"%s\" (1-7, RFC 9420 §17.1)", v);
	p->c->net.suite = (uint16_t)id;
	return NULL;
}

static const char *net_ca(struct parse *p, const char *v)
{
	return set_path_into(p, &p->c->net.ca, v);
}

static const char *net_crl(struct parse *p, const char *v)
{
	return set_path_into(p, &p->c->net.crl, v);
}

static const char *net_pairwise(struct parse *p, const char *v)
{
	return parse_u32(p, v, 0, 100000, &p->c->net.pairwise_threshold);
}

static const char *net_rekey(struct parse *p, const char *v)
{
	return parse_u32(p, v, 10, 86400, &p->c->net.rekey_interval);
}

static const char *net_skew(struct parse *p, const char *v)
{
	return parse_u32(p, v, 0, 86400, &p->c->net.clock_skew);
}

/* ---- [Relay] ---- */

static const char *relay_address(struct parse *p, const char *v)
{
	return set_hostport_into(p, &p->c->relay.address, v);
}

static const char *relay_data(struct parse *p, const char *v)
{
	return set_hostport_into(p, &p->c->relay.data_address, v);
}

static const char *relay_keepalive(struct parse *p, const char *v)
{
	return parse_u32(p, v, 0, 3600, &p->c->relay.keepalive);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static const char *relay_fingerprint(struct parse *p, const char *v)
{
	struct mlsd_conf_relay *r = &p->c->relay;
	size_t i;

	if (strncasecmp(v, "sha256:", 7) || strlen(v + 7) != 64)
		return WHY(p, "bad fingerprint (expected sha256: and 64 hex digits)");
	for (i = 0; i < 32; i++) {
		int hi = hexval(v[7 + 2 * i]), lo = hexval(v[8 + 2 * i]);

		if (hi < 0 || lo < 0)
			return WHY(p, "bad fingerprint (expected sha256: and 64 hex digits)");
		r->fingerprint[i] = (uint8_t)(hi << 4 | lo);
	}
	r->has_fingerprint = true;
	return NULL;
}

static const char *relay_cafile(struct parse *p, const char *v)
{
	return set_path_into(p, &p->c->relay.ca_file, v);
}

/* ---- [Pin] ---- */

static const char *pin_identity(struct parse *p, const char *v)
{
	size_t i;

	for (i = 0; i + 1 < p->c->n_pins; i++)
		if (!strcmp(p->c->pins[i].identity, v))
			return WHY(p, "identity \"%s\" already pinned at line %u",
				   v, p->c->pins[i].line);
	return set_name_into(p, cur_pin(p)->identity, v, "identity");
}

static const char *pin_key(struct parse *p, const char *v)
{
	struct mlsd_err e;

	if (mlsd_sig_pub_parse("SignatureKey", v, &cur_pin(p)->key, &e))
		return WHY(p, "%.400s", e.msg);
	return NULL;
}

static const char *pin_address(struct parse *p, const char *v)
{
	return set_prefixes_into(p, cur_pin(p)->addresses,
				 &cur_pin(p)->n_addresses, v, true);
}

static const struct conf_key conf_keys[] = {
	{ SEC_INTERFACE, "Name", true, if_name },
	{ SEC_INTERFACE, "PrivateKeyFile", true, if_key },
	{ SEC_INTERFACE, "Certificate", false, if_cert },
	{ SEC_INTERFACE, "Address", true, if_address },
	{ SEC_INTERFACE, "ListenPort", false, if_port },
	{ SEC_INTERFACE, "Device", false, if_device },
	{ SEC_INTERFACE, "StateFile", false, if_state },
	{ SEC_INTERFACE, "ControlSocket", false, if_socket },
	{ SEC_NETWORK, "Name", true, net_name },
	{ SEC_NETWORK, "Suite", false, net_suite },
	{ SEC_NETWORK, "CA", false, net_ca },
	{ SEC_NETWORK, "CRL", false, net_crl },
	{ SEC_NETWORK, "PairwiseThreshold", false, net_pairwise },
	{ SEC_NETWORK, "RekeyInterval", false, net_rekey },
	{ SEC_NETWORK, "ClockSkew", false, net_skew },
	{ SEC_RELAY, "Address", true, relay_address },
	{ SEC_RELAY, "DataAddress", false, relay_data },
	{ SEC_RELAY, "Fingerprint", false, relay_fingerprint },
	{ SEC_RELAY, "CAFile", false, relay_cafile },
	{ SEC_RELAY, "Keepalive", false, relay_keepalive },
	{ SEC_PIN, "Identity", true, pin_identity },
	{ SEC_PIN, "SignatureKey", true, pin_key },
	{ SEC_PIN, "Address", true, pin_address },
};

#define N_KEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

/* Per section instance: the line each key was set on (0: not yet). */
struct section_seen {
	unsigned int line[N_KEYS];
};

/* One more "FILE:LINE: why" line in the error (lines joined by '\n'). */
static void report(struct parse *p, unsigned int line, const char *why)
{
	size_t room = sizeof(p->e->msg) - p->used;
	int n;

	if (p->n_errors++ == MLSD_CONF_MAX_ERRORS) {
		n = snprintf(p->e->msg + p->used, room, "\n%s: too many errors",
			     p->file);
	} else if (p->n_errors > MLSD_CONF_MAX_ERRORS) {
		return;
	} else {
		n = snprintf(p->e->msg + p->used, room, "%s%s:%u: %s",
			     p->used ? "\n" : "", p->file, line, why);
	}
	if (n > 0)
		p->used += (size_t)n < room ? (size_t)n : room - 1;
}

/* ---- lines ---- */

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Checks on a section that is complete (the next header or end of file). */
static const char *section_complete(struct parse *p, struct section_seen *seen)
{
	size_t k;

	if (p->section < 0)
		return NULL;	/* before the first header, or ignored */
	for (k = 0; k < N_KEYS; k++)
		if ((int)conf_keys[k].section == p->section &&
		    conf_keys[k].required && !seen->line[k])
			return WHY(p, "[%s] lacks %s", section_names[p->section],
				   conf_keys[k].name);
	return NULL;
}

static const char *start_section(struct parse *p, char *s,
				 struct section_seen *seen)
{
	size_t n = strlen(s);
	struct mlsd_conf_pin *pins;
	int i;

	if (n < 3 || s[n - 1] != ']')
		return WHY(p, "malformed section header \"%s\"", s);
	s[n - 1] = '\0';
	s = trim(s + 1);
	for (i = 0; i < N_SEC; i++)
		if (!strcasecmp(s, section_names[i]))
			break;
	if (i == N_SEC)
		return WHY(p, "unknown section [%s] (expected Interface, Network, Relay or Pin)",
			   s);
	if (i != SEC_PIN && p->section_line[i])
		return WHY(p, "duplicate section [%s] (first at line %u)",
			   section_names[i], p->section_line[i]);
	if (i == SEC_PIN) {
		if (p->c->n_pins == MLSD_CONF_MAX_PINS)
			return WHY(p, "more than %d [Pin] sections",
				   MLSD_CONF_MAX_PINS);
		pins = realloc(p->c->pins, (p->c->n_pins + 1) * sizeof(*pins));
		if (!pins)
			return WHY(p, "out of memory");
		p->c->pins = pins;
		memset(&pins[p->c->n_pins], 0, sizeof(*pins));
		pins[p->c->n_pins++].line = p->line;
	}
	p->section = i;
	p->section_line[i] = p->line;
	memset(seen, 0, sizeof(*seen));
	return NULL;
}

static const char *set_key(struct parse *p, char *s, struct section_seen *seen)
{
	char *eq = strchr(s, '='), *key, *val;
	size_t k;

	if (!eq)
		return WHY(p, "missing '=' in \"%s\"", s);
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (!key[0])
		return WHY(p, "missing key before '='");
	if (p->section == SEC_IGNORED)
		return NULL;	/* its header was reported */
	if (p->section < 0)
		return WHY(p, "key \"%s\" outside of any section", key);
	for (k = 0; k < N_KEYS; k++)
		if ((int)conf_keys[k].section == p->section &&
		    !strcasecmp(conf_keys[k].name, key))
			break;
	if (k == N_KEYS)
		return WHY(p, "unknown key \"%s\" in [%s]", key,
			   section_names[p->section]);
	if (seen->line[k])
		return WHY(p, "duplicate key %s (first at line %u)",
			   conf_keys[k].name, seen->line[k]);
	if (!val[0])
		return WHY(p, "empty value for %s", conf_keys[k].name);
	seen->line[k] = p->line;
	return conf_keys[k].set(p, val);
}

static const char *parse_line(struct parse *p, char *buf,
			      struct section_seen *seen)
{
	char *s = buf, *hash = strchr(buf, '#');
	const char *why;

	if (hash)
		*hash = '\0';
	s = trim(s);
	if (!s[0] || s[0] == ';')
		return NULL;
	if (s[0] != '[')
		return set_key(p, s, seen);
	/* the section before is complete: report it at its header */
	why = section_complete(p, seen);
	if (why)
		report(p, p->section_line[p->section], why);
	why = start_section(p, s, seen);
	if (why)
		p->section = SEC_IGNORED;
	return why;
}

/* ---- whole file ---- */

static void set_defaults(struct mlsd_config *c)
{
	c->net.suite = MLSD_DEFAULT_SUITE;
	c->net.rekey_interval = MLSD_DEFAULT_REKEY;
	c->net.clock_skew = MLSD_DEFAULT_SKEW;
	c->net.pairwise_threshold = MLSD_DEFAULT_PAIRWISE;
	c->relay.keepalive = MLSD_DEFAULT_KEEPALIVE;
	snprintf(c->iface.device, sizeof(c->iface.device), "%s",
		 MLSD_DEFAULT_DEVICE);
}

/* Defaults that depend on other keys, once everything is read. */
static void set_late_defaults(struct mlsd_config *c)
{
	if (!c->iface.state_file.line)
		snprintf(c->iface.state_file.path, sizeof(c->iface.state_file.path),
			 "%s/%s.state", MLSD_DEFAULT_STATE_DIR, c->iface.device);
	if (!c->iface.control_socket.line)
		snprintf(c->iface.control_socket.path,
			 sizeof(c->iface.control_socket.path), "%s",
			 MLSD_DEFAULT_SOCKET);
}

/* Rules across keys and sections; *line is where to report. */
static const char *check_whole(struct parse *p, unsigned int *line)
{
	const struct mlsd_config *c = p->c;
	size_t i;
	int s;

	for (s = 0; s < SEC_PIN; s++)
		if (!p->section_line[s])
			return WHY(p, "missing section [%s]", section_names[s]);
	if (!c->relay.has_fingerprint && !c->relay.ca_file.line) {
		*line = p->section_line[SEC_RELAY];
		return WHY(p, "[Relay] needs Fingerprint or CAFile");
	}
	if (c->relay.has_fingerprint && c->relay.ca_file.line) {
		*line = c->relay.ca_file.line;
		return WHY(p, "[Relay] has both Fingerprint and CAFile; keep one");
	}
	if (c->net.crl.line && !c->net.ca.line) {
		*line = c->net.crl.line;
		return WHY(p, "CRL needs a CA in [Network]");
	}
	if (!c->net.ca.line && !c->n_pins) {
		*line = p->section_line[SEC_NETWORK];
		return WHY(p, "no trust anchor: [Network] has no CA and there is no [Pin]");
	}
	for (i = 0; i < c->n_pins; i++)
		if (c->pins[i].key.suite != c->net.suite) {
			*line = c->pins[i].line;
			return WHY(p, "[Pin] %s has a key of suite %u, the network uses suite %u",
				   c->pins[i].identity, c->pins[i].key.suite,
				   c->net.suite);
		}
	return NULL;
}

/* Every line, reporting each bad one. */
static void read_lines(struct parse *p, FILE *f)
{
	struct section_seen seen;
	char *buf = NULL;
	size_t cap = 0;
	const char *why;
	ssize_t n;

	memset(&seen, 0, sizeof(seen));
	while (p->n_errors <= MLSD_CONF_MAX_ERRORS &&
	       (n = getline(&buf, &cap, f)) >= 0) {
		p->line++;
		if (n && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (n > MLSD_CONF_LINE_MAX)
			why = WHY(p, "line longer than %d bytes",
				  MLSD_CONF_LINE_MAX);
		else if (memchr(buf, '\0', (size_t)n))
			why = WHY(p, "NUL byte in line");
		else
			why = parse_line(p, buf, &seen);
		if (why)
			report(p, p->line, why);
	}
	free(buf);
	if (ferror(f)) {
		report(p, p->line, strerror(errno));
		return;
	}
	why = section_complete(p, &seen);
	if (why)
		report(p, p->section_line[p->section], why);
}

int mlsd_config_load(const char *path, struct mlsd_config *c,
		     struct mlsd_err *e)
{
	struct mlsd_err scratch;
	struct parse p = { .c = c, .file = path, .section = -1,
			   .e = e ? e : &scratch };
	unsigned int line;
	const char *why;
	FILE *f;

	memset(c, 0, sizeof(*c));
	p.e->msg[0] = '\0';
	if (strlen(path) >= sizeof(c->file))
		return mlsd_errf(e, "%s: path too long", path);
	f = fopen(path, "re");
	if (!f)
		return mlsd_errf(e, "%s: %s", path, strerror(errno));
	snprintf(c->file, sizeof(c->file), "%s", path);
	set_defaults(c);
	read_lines(&p, f);
	fclose(f);
	/* rules across keys only mean something once every line is right */
	if (!p.n_errors) {
		line = p.line ? p.line : 1;
		why = check_whole(&p, &line);
		if (why)
			report(&p, line, why);
	}
	if (p.n_errors) {
		mlsd_config_free(c);
		return -1;
	}
	set_late_defaults(c);
	return 0;
}

void mlsd_config_free(struct mlsd_config *c)
{
	free(c->pins);
	memset(c, 0, sizeof(*c));
}
