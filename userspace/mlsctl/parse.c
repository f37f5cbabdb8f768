// SPDX-License-Identifier: MIT
/*
 * Argument parsing shared by the commands: "KEY VALUE" pairs after the
 * device, numbers, hex strings, endpoints and prefixes. Every refusal names
 * the command, the argument and what was expected.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsctl.h"

int mlsctl_check_devname(const char *name)
{
	if (!name[0] || strlen(name) >= IF_NAMESIZE)
		return mlsctl_err("invalid device name \"%s\" (1 to %d bytes)",
				  name, IF_NAMESIZE - 1);
	return MLSCTL_OK;
}

int mlsctl_parse_u64(const char *arg, uint64_t max, uint64_t *out)
{
	unsigned long long val;
	char *end;

	if (arg[0] < '0' || arg[0] > '9')
		return -EINVAL;
	errno = 0;
	val = strtoull(arg, &end, 0);
	if (errno || *end || val > max)
		return -EINVAL;
	*out = val;
	return 0;
}

int mlsctl_parse_u32(const char *arg, uint32_t max, uint32_t *out)
{
	uint64_t val;

	if (mlsctl_parse_u64(arg, max, &val))
		return -EINVAL;
	*out = (uint32_t)val;
	return 0;
}

static int mlsctl_hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mlsctl_parse_hex(const char *arg, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(arg), i;
	int hi, lo;

	if (n == 0 || n % 2 || n / 2 > max)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		hi = mlsctl_hex_nibble(arg[2 * i]);
		lo = mlsctl_hex_nibble(arg[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/* "1.2.3.4:PORT" or "[v6]:PORT", as wg(8) writes endpoints. */
int mlsctl_parse_endpoint(const char *arg, struct mlsnl_endpoint *ep)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(arg, ':');
	size_t hl;
	uint32_t port;

	if (!colon || mlsctl_parse_u32(colon + 1, 65535, &port) || !port)
		return -EINVAL;
	hl = (size_t)(colon - arg);
	if (hl == 0 || hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, arg, hl);
	host[hl] = '\0';
	memset(ep, 0, sizeof(*ep));
	ep->port = (uint16_t)port;
	if (host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		ep->family = AF_INET6;
		return inet_pton(AF_INET6, host + 1, ep->addr) == 1 ? 0 : -EINVAL;
	}
	ep->family = AF_INET;
	return inet_pton(AF_INET, host, ep->addr) == 1 ? 0 : -EINVAL;
}

int mlsctl_parse_prefix(const char *arg, struct mlsnl_prefix *p)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	size_t al = slash ? (size_t)(slash - arg) : strlen(arg);
	uint32_t cidr;

	if (al == 0 || al >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, arg, al);
	addr[al] = '\0';
	memset(p, 0, sizeof(*p));
	p->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(p->family, addr, p->addr) != 1)
		return -EINVAL;
	cidr = p->family == AF_INET ? 32 : 128;
	if (slash && mlsctl_parse_u32(slash + 1, cidr, &cidr))
		return -EINVAL;
	p->cidr = (uint8_t)cidr;
	return 0;
}

void mlsctl_format_endpoint(const struct mlsnl_endpoint *ep, char *buf,
			    size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	inet_ntop(ep->family, ep->addr, addr, sizeof(addr));
	if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", addr, ep->port);
	else
		snprintf(buf, len, "%s:%u", addr, ep->port);
}

void mlsctl_format_prefix(const struct mlsnl_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	inet_ntop(p->family, p->addr, addr, sizeof(addr));
	snprintf(buf, len, "%s/%u", addr, p->cidr);
}

/*
 * Split "DEV KEY VALUE KEY VALUE..." into args->dev and one value per known
 * key. Unknown, repeated and value-less keys are refused.
 */
int mlsctl_parse_kv(const char *what, int argc, char **argv,
		    struct mlsctl_kv *kv, size_t n_kv, const char **dev)
{
	size_t k;
	int i;

	if (argc < 1)
		return mlsctl_err("%s: missing device (try \"mlsctl help\")",
				  what);
	if (mlsctl_check_devname(argv[0]))
		return MLSCTL_FAIL;
	*dev = argv[0];
	for (i = 1; i < argc; i += 2) {
		for (k = 0; k < n_kv; k++)
			if (!strcmp(argv[i], kv[k].key))
				break;
		if (k == n_kv)
			return mlsctl_err("%s: unknown argument \"%s\"", what,
					  argv[i]);
		if (i + 1 >= argc)
			return mlsctl_err("%s: \"%s\" needs a value", what,
					  argv[i]);
		if (kv[k].value)
			return mlsctl_err("%s: \"%s\" given twice", what,
					  argv[i]);
		kv[k].value = argv[i + 1];
	}
	for (k = 0; k < n_kv; k++)
		if (kv[k].required && !kv[k].value)
			return mlsctl_err("%s: \"%s\" is required", what,
					  kv[k].key);
	return MLSCTL_OK;
}

int mlsctl_kv_u32(const char *what, const struct mlsctl_kv *kv,
		  uint32_t max, uint32_t *out)
{
	if (mlsctl_parse_u32(kv->value, max, out))
		return mlsctl_err("%s: invalid %s \"%s\" (expected 0-%u)", what,
				  kv->key, kv->value, max);
	return MLSCTL_OK;
}

int mlsctl_kv_u64(const char *what, const struct mlsctl_kv *kv,
		  uint64_t *out)
{
	if (mlsctl_parse_u64(kv->value, UINT64_MAX, out))
		return mlsctl_err("%s: invalid %s \"%s\" (expected a number)",
				  what, kv->key, kv->value);
	return MLSCTL_OK;
}

/* Run an already built request's outcome through the usual error line. */
int mlsctl_finish(struct mlsnl *nl, int err, const char *what,
		  const char *dev)
{
	char buf[96];

	if (err) {
		snprintf(buf, sizeof(buf), "%s %s", what, dev);
		mlsctl_nl_err(nl, err, buf);
	}
	mlsnl_close(nl);
	return err ? MLSCTL_FAIL : MLSCTL_OK;
}
