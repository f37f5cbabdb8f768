// SPDX-License-Identifier: MIT
/*
 * Nested attributes shared by several commands: endpoints, allowed-IP
 * prefixes, statistics, and the generic "collect a flat set" parser.
 */

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/mlsdco.h>
#include <string.h>

#include "internal.h"

struct mlsnl_flat {
	const struct nlattr **tb;
	uint16_t max;
};

static int mlsnl_flat_attr(const struct nlattr *attr, void *data)
{
	struct mlsnl_flat *flat = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* Attributes from a newer kernel are skipped, not errors. */
	if (type <= flat->max)
		flat->tb[type] = attr;
	return MNL_CB_OK;
}

int mlsnl_parse_flat(const struct nlattr *nest, const struct nlattr **tb,
		     uint16_t max)
{
	struct mlsnl_flat flat = { .tb = tb, .max = max };

	return mnl_attr_parse_nested(nest, mlsnl_flat_attr, &flat);
}

int mlsnl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    uint16_t max)
{
	struct mlsnl_flat flat = { .tb = tb, .max = max };

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), mlsnl_flat_attr,
			      &flat);
}

int mlsnl_put_endpoint(struct nlmsghdr *nlh, uint16_t type,
		       const struct mlsnl_endpoint *ep)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (ep->family == AF_INET)
		mnl_attr_put(nlh, MLSDCO_A_ENDPOINT_IPV4, 4, ep->addr);
	else if (ep->family == AF_INET6)
		mnl_attr_put(nlh, MLSDCO_A_ENDPOINT_IPV6, 16, ep->addr);
	else
		return -EAFNOSUPPORT;
	mnl_attr_put_u16(nlh, MLSDCO_A_ENDPOINT_PORT, ep->port);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int mlsnl_put_prefix(struct nlmsghdr *nlh, uint16_t type,
		     const struct mlsnl_prefix *p)
{
	size_t len = p->family == AF_INET ? 4 : 16;
	struct nlattr *nest;

	if (p->family != AF_INET && p->family != AF_INET6)
		return -EAFNOSUPPORT;
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put_u16(nlh, MLSDCO_A_ALLOWED_IP_FAMILY, p->family);
	mnl_attr_put(nlh, MLSDCO_A_ALLOWED_IP_ADDR, len, p->addr);
	mnl_attr_put_u8(nlh, MLSDCO_A_ALLOWED_IP_CIDR, p->cidr);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int mlsnl_parse_endpoint(const struct nlattr *nest, struct mlsnl_endpoint *ep)
{
	const struct nlattr *tb[MLSDCO_A_ENDPOINT_MAX + 1] = { NULL };

	memset(ep, 0, sizeof(*ep));
	if (mlsnl_parse_flat(nest, tb, MLSDCO_A_ENDPOINT_MAX) < 0)
		return -1;
	if (tb[MLSDCO_A_ENDPOINT_IPV4] &&
	    mnl_attr_get_payload_len(tb[MLSDCO_A_ENDPOINT_IPV4]) == 4) {
		ep->family = AF_INET;
		memcpy(ep->addr, mnl_attr_get_payload(tb[MLSDCO_A_ENDPOINT_IPV4]), 4);
	} else if (tb[MLSDCO_A_ENDPOINT_IPV6] &&
		   mnl_attr_get_payload_len(tb[MLSDCO_A_ENDPOINT_IPV6]) == 16) {
		ep->family = AF_INET6;
		memcpy(ep->addr, mnl_attr_get_payload(tb[MLSDCO_A_ENDPOINT_IPV6]), 16);
	} else {
		return -1;
	}
	if (!tb[MLSDCO_A_ENDPOINT_PORT] ||
	    mnl_attr_validate(tb[MLSDCO_A_ENDPOINT_PORT], MNL_TYPE_U16) < 0)
		return -1;
	ep->port = mnl_attr_get_u16(tb[MLSDCO_A_ENDPOINT_PORT]);
	return 0;
}

int mlsnl_parse_prefix(const struct nlattr *nest, struct mlsnl_prefix *p)
{
	const struct nlattr *tb[MLSDCO_A_ALLOWED_IP_MAX + 1] = { NULL };
	size_t len;

	memset(p, 0, sizeof(*p));
	if (mlsnl_parse_flat(nest, tb, MLSDCO_A_ALLOWED_IP_MAX) < 0 ||
	    !tb[MLSDCO_A_ALLOWED_IP_FAMILY] || !tb[MLSDCO_A_ALLOWED_IP_ADDR] ||
	    !tb[MLSDCO_A_ALLOWED_IP_CIDR] ||
	    mnl_attr_validate(tb[MLSDCO_A_ALLOWED_IP_FAMILY], MNL_TYPE_U16) < 0 ||
	    mnl_attr_validate(tb[MLSDCO_A_ALLOWED_IP_CIDR], MNL_TYPE_U8) < 0)
		return -1;
	p->family = mnl_attr_get_u16(tb[MLSDCO_A_ALLOWED_IP_FAMILY]);
	len = p->family == AF_INET ? 4 : p->family == AF_INET6 ? 16 : 0;
	if (!len || mnl_attr_get_payload_len(tb[MLSDCO_A_ALLOWED_IP_ADDR]) != len)
		return -1;
	memcpy(p->addr, mnl_attr_get_payload(tb[MLSDCO_A_ALLOWED_IP_ADDR]), len);
	p->cidr = mnl_attr_get_u8(tb[MLSDCO_A_ALLOWED_IP_CIDR]);
	return p->cidr <= len * 8 ? 0 : -1;
}

static uint64_t mlsnl_get_u64_or_0(const struct nlattr *attr)
{
	if (!attr || mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return 0;
	return mnl_attr_get_u64(attr);
}

int mlsnl_parse_stats(const struct nlattr *nest, struct mlsnl_stats *st)
{
	const struct nlattr *tb[MLSDCO_A_STATS_MAX + 1] = { NULL };

	memset(st, 0, sizeof(*st));
	if (mlsnl_parse_flat(nest, tb, MLSDCO_A_STATS_MAX) < 0)
		return -1;
	st->rx_packets = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_RX_PACKETS]);
	st->rx_bytes = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_RX_BYTES]);
	st->tx_packets = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_TX_PACKETS]);
	st->tx_bytes = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_TX_BYTES]);
	st->decrypt_failures =
		mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_DECRYPT_FAILURES]);
	st->replays = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_REPLAYS]);
	st->unknown_tags = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_UNKNOWN_TAGS]);
	st->no_route = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_NO_ROUTE]);
	st->exhausted = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_EXHAUSTED]);
	st->bad_source = mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_BAD_SOURCE]);
	st->rx_keepalives =
		mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_RX_KEEPALIVES]);
	st->tx_keepalives =
		mlsnl_get_u64_or_0(tb[MLSDCO_A_STATS_TX_KEEPALIVES]);
	return 0;
}
