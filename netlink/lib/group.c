// SPDX-License-Identifier: MIT
/*
 * Group commands: GROUP_NEW, GROUP_SET, GROUP_DEL, GROUP_GET (do and
 * dump). Replies
 * are parsed into struct mlsnl_group with its members and epochs; they
 * never carry keys.
 */

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/mlsdco.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct mlsnl_group_get_ctx {
	struct mlsnl_group *group;
	int replies;
};

/*
 * A group too large for one message may come as several consecutive
 * messages of the same dump, each repeating ifindex, group-id, aead and
 * own-leaf; members and epoch-info are spread over them and the first
 * carries the group's stats. They are merged into pending before the
 * group goes to cb (or, for a get that fell back to a dump, into out).
 */
struct mlsnl_group_dump_ctx {
	mlsnl_group_cb cb;
	void *arg;
	bool has_pending;
	struct mlsnl_group pending;
	const uint32_t *want_id;	/* group-get fallback: keep only this */
	struct mlsnl_group *out;
	bool found;
};

struct nlmsghdr *mlsnl_group_msg(struct mlsnl *nl, uint8_t cmd,
				 uint16_t flags,
				 const struct mlsnl_dev_sel *sel,
				 const uint32_t *group_id, int *err)
{
	struct nlmsghdr *nlh;

	nl->errmsg[0] = '\0';
	nlh = mlsnl_msg_start(nl, cmd, flags);
	*err = mlsnl_put_sel(nl, nlh, sel);
	if (*err)
		return NULL;
	if (group_id)
		mnl_attr_put_u32(nlh, MLSDCO_A_GROUP_ID, *group_id);
	return nlh;
}

void mlsnl_group_free(struct mlsnl_group *group)
{
	size_t i;

	for (i = 0; i < group->n_members; i++)
		free(group->members[i].allowed);
	free(group->members);
	free(group->epochs);
	group->members = NULL;
	group->epochs = NULL;
	group->n_members = group->n_epochs = 0;
}

static size_t mlsnl_count_type(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *attr;
	size_t n = 0;

	mnl_attr_for_each_nested(attr, nest)
		n += mnl_attr_get_type(attr) == type;
	return n;
}

static int mlsnl_member_parse(const struct nlattr *nest,
			      struct mlsnl_member *m)
{
	const struct nlattr *tb[MLSDCO_A_MEMBER_MAX + 1] = { NULL };
	const struct nlattr *attr;
	size_t n;

	if (mlsnl_parse_flat(nest, tb, MLSDCO_A_MEMBER_MAX) < 0 ||
	    !tb[MLSDCO_A_MEMBER_LEAF] ||
	    mnl_attr_validate(tb[MLSDCO_A_MEMBER_LEAF], MNL_TYPE_U32) < 0)
		return -1;
	m->leaf = mnl_attr_get_u32(tb[MLSDCO_A_MEMBER_LEAF]);
	if (tb[MLSDCO_A_MEMBER_ENDPOINT]) {
		if (mlsnl_parse_endpoint(tb[MLSDCO_A_MEMBER_ENDPOINT],
					 &m->endpoint) < 0)
			return -1;
		m->has_endpoint = true;
	}
	if (tb[MLSDCO_A_MEMBER_STATS] &&
	    mlsnl_parse_stats(tb[MLSDCO_A_MEMBER_STATS], &m->stats) < 0)
		return -1;
	if (tb[MLSDCO_A_MEMBER_PEER_ID] &&
	    mnl_attr_validate(tb[MLSDCO_A_MEMBER_PEER_ID], MNL_TYPE_U32) == 0)
		m->peer_id = mnl_attr_get_u32(tb[MLSDCO_A_MEMBER_PEER_ID]);
	if (tb[MLSDCO_A_MEMBER_KEEPALIVE] &&
	    mnl_attr_validate(tb[MLSDCO_A_MEMBER_KEEPALIVE], MNL_TYPE_U16) == 0)
		m->keepalive_s = mnl_attr_get_u16(tb[MLSDCO_A_MEMBER_KEEPALIVE]);
	m->endpoint_fixed = tb[MLSDCO_A_MEMBER_ENDPOINT_FIXED] != NULL;

	n = mlsnl_count_type(nest, MLSDCO_A_MEMBER_ALLOWED_IP);
	if (!n)
		return 0;
	m->allowed = calloc(n, sizeof(*m->allowed));
	if (!m->allowed)
		return -1;
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != MLSDCO_A_MEMBER_ALLOWED_IP)
			continue;
		if (mlsnl_parse_prefix(attr, &m->allowed[m->n_allowed]) < 0)
			return -1;
		m->n_allowed++;
	}
	return 0;
}

static int mlsnl_epoch_info_parse(const struct nlattr *nest,
				  struct mlsnl_epoch_info *e)
{
	const struct nlattr *tb[MLSDCO_A_EPOCH_INFO_MAX + 1] = { NULL };

	if (mlsnl_parse_flat(nest, tb, MLSDCO_A_EPOCH_INFO_MAX) < 0 ||
	    !tb[MLSDCO_A_EPOCH_INFO_EPOCH] || !tb[MLSDCO_A_EPOCH_INFO_STATE] ||
	    mnl_attr_validate(tb[MLSDCO_A_EPOCH_INFO_EPOCH], MNL_TYPE_U64) < 0 ||
	    mnl_attr_validate(tb[MLSDCO_A_EPOCH_INFO_STATE], MNL_TYPE_U32) < 0)
		return -1;
	e->epoch = mnl_attr_get_u64(tb[MLSDCO_A_EPOCH_INFO_EPOCH]);
	e->state = mnl_attr_get_u32(tb[MLSDCO_A_EPOCH_INFO_STATE]);
	if (tb[MLSDCO_A_EPOCH_INFO_TX_COUNTER] &&
	    mnl_attr_validate(tb[MLSDCO_A_EPOCH_INFO_TX_COUNTER],
			      MNL_TYPE_U64) == 0)
		e->tx_counter = mnl_attr_get_u64(tb[MLSDCO_A_EPOCH_INFO_TX_COUNTER]);
	return 0;
}

static int mlsnl_group_lists(const struct nlmsghdr *nlh,
			     struct mlsnl_group *g)
{
	size_t hdr = sizeof(struct genlmsghdr), nm = 0, ne = 0;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, hdr) {
		nm += mnl_attr_get_type(attr) == MLSDCO_A_MEMBER;
		ne += mnl_attr_get_type(attr) == MLSDCO_A_EPOCH_INFO;
	}
	if ((nm && !(g->members = calloc(nm, sizeof(*g->members)))) ||
	    (ne && !(g->epochs = calloc(ne, sizeof(*g->epochs)))))
		return -1;
	mnl_attr_for_each(attr, nlh, hdr) {
		if (mnl_attr_get_type(attr) == MLSDCO_A_MEMBER) {
			if (mlsnl_member_parse(attr,
					       &g->members[g->n_members++]) < 0)
				return -1;
		} else if (mnl_attr_get_type(attr) == MLSDCO_A_EPOCH_INFO) {
			if (mlsnl_epoch_info_parse(attr,
						   &g->epochs[g->n_epochs++]) < 0)
				return -1;
		}
	}
	return 0;
}

static int mlsnl_group_parse(const struct nlmsghdr *nlh,
			     struct mlsnl_group *g)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[MLSDCO_A_MAX + 1] = { NULL };
	static const uint16_t u32s[] = {
		MLSDCO_A_IFINDEX, MLSDCO_A_GROUP_ID, MLSDCO_A_AEAD,
		MLSDCO_A_OWN_LEAF,
	};
	size_t i;

	memset(g, 0, sizeof(*g));
	if (mlsnl_parse_msg(nlh, tb, MLSDCO_A_MAX) < 0 ||
	    genl->cmd != MLSDCO_CMD_GROUP_GET)
		goto bad;
	for (i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++)
		if (!tb[u32s[i]] ||
		    mnl_attr_validate(tb[u32s[i]], MNL_TYPE_U32) < 0)
			goto bad;
	g->ifindex = mnl_attr_get_u32(tb[MLSDCO_A_IFINDEX]);
	g->group_id = mnl_attr_get_u32(tb[MLSDCO_A_GROUP_ID]);
	g->aead = mnl_attr_get_u32(tb[MLSDCO_A_AEAD]);
	g->own_leaf = mnl_attr_get_u32(tb[MLSDCO_A_OWN_LEAF]);
	/* A kernel from before group flags multicast in every group. */
	g->flags = MLSDCO_GROUP_F_MULTICAST;
	if (tb[MLSDCO_A_GROUP_FLAGS] &&
	    mnl_attr_validate(tb[MLSDCO_A_GROUP_FLAGS], MNL_TYPE_U32) == 0)
		g->flags = mnl_attr_get_u32(tb[MLSDCO_A_GROUP_FLAGS]);
	if (tb[MLSDCO_A_RELAY]) {
		if (mlsnl_parse_endpoint(tb[MLSDCO_A_RELAY], &g->relay) < 0)
			goto bad;
		g->has_relay = true;
	}
	if (tb[MLSDCO_A_STATS] &&
	    mlsnl_parse_stats(tb[MLSDCO_A_STATS], &g->stats) < 0)
		goto bad;
	if (mlsnl_group_lists(nlh, g) < 0)
		goto bad;
	return 0;
bad:
	mlsnl_group_free(g);
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static int mlsnl_group_put_flags_relay(struct mlsnl *nl,
				       struct nlmsghdr *nlh,
				       const struct mlsnl_group_conf *conf)
{
	if (conf->has_flags)
		mnl_attr_put_u32(nlh, MLSDCO_A_GROUP_FLAGS, conf->flags);
	if (conf->has_relay &&
	    mlsnl_put_endpoint(nlh, MLSDCO_A_RELAY, &conf->relay))
		return mlsnl_local_error(nl, -EINVAL,
					 "relay must be IPv4 or IPv6");
	return 0;
}

int mlsnl_group_new(struct mlsnl *nl, const struct mlsnl_group_conf *conf)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_GROUP_NEW, NLM_F_ACK, &conf->sel,
			      &conf->group_id, &err);
	if (!nlh)
		return err;
	mnl_attr_put_u32(nlh, MLSDCO_A_AEAD, conf->aead);
	mnl_attr_put_u32(nlh, MLSDCO_A_OWN_LEAF, conf->own_leaf);
	err = mlsnl_group_put_flags_relay(nl, nlh, conf);
	if (err)
		return err;
	return mlsnl_transact(nl, nlh, NULL, NULL);
}

int mlsnl_group_set(struct mlsnl *nl, const struct mlsnl_group_conf *conf)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_GROUP_SET, NLM_F_ACK, &conf->sel,
			      &conf->group_id, &err);
	if (!nlh)
		return err;
	err = mlsnl_group_put_flags_relay(nl, nlh, conf);
	if (err)
		return err;
	return mlsnl_transact(nl, nlh, NULL, NULL);
}

int mlsnl_group_del(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		    uint32_t group_id)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_GROUP_DEL, NLM_F_ACK, sel,
			      &group_id, &err);
	if (!nlh)
		return err;
	return mlsnl_transact(nl, nlh, NULL, NULL);
}

static void *mlsnl_append(void *arr, size_t n, const void *more, size_t m,
			  size_t size)
{
	char *grown;

	if (!m)
		return arr;
	if (n + m > SIZE_MAX / size)
		return NULL;
	grown = realloc(arr, (n + m) * size);
	if (grown)
		memcpy(grown + n * size, more, m * size);
	return grown;
}

/* Move part's members and epochs to the end of g; part is consumed. */
static int mlsnl_group_merge(struct mlsnl_group *g, struct mlsnl_group *part)
{
	struct mlsnl_member *members;
	struct mlsnl_epoch_info *epochs;

	members = mlsnl_append(g->members, g->n_members, part->members,
			       part->n_members, sizeof(*members));
	if (!members)
		goto nomem;
	g->members = members;
	g->n_members += part->n_members;
	free(part->members);
	part->members = NULL;
	part->n_members = 0;
	epochs = mlsnl_append(g->epochs, g->n_epochs, part->epochs,
			      part->n_epochs, sizeof(*epochs));
	if (!epochs)
		goto nomem;
	g->epochs = epochs;
	g->n_epochs += part->n_epochs;
	free(part->epochs);
	part->epochs = NULL;
	part->n_epochs = 0;
	return 0;
nomem:
	mlsnl_group_free(part);
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

/* Hand the completed pending group on; 0 or a negative errno. */
static int mlsnl_group_flush(struct mlsnl_group_dump_ctx *ctx)
{
	int err = 0;

	if (!ctx->has_pending)
		return 0;
	ctx->has_pending = false;
	if (ctx->want_id) {
		if (ctx->pending.group_id == *ctx->want_id && !ctx->found) {
			*ctx->out = ctx->pending;
			ctx->found = true;
			return 0;
		}
	} else {
		err = ctx->cb(&ctx->pending, ctx->arg);
	}
	mlsnl_group_free(&ctx->pending);
	return err < 0 ? err : 0;
}

static int mlsnl_group_dump_reply(const struct nlmsghdr *nlh, void *data)
{
	struct mlsnl_group_dump_ctx *ctx = data;
	struct mlsnl_group part;
	int err;

	if (mlsnl_group_parse(nlh, &part) < 0)
		return MNL_CB_ERROR;
	if (ctx->has_pending && ctx->pending.ifindex == part.ifindex &&
	    ctx->pending.group_id == part.group_id)
		return mlsnl_group_merge(&ctx->pending, &part);
	err = mlsnl_group_flush(ctx);
	if (err < 0) {
		mlsnl_group_free(&part);
		errno = -err;
		return MNL_CB_ERROR;
	}
	ctx->pending = part;
	ctx->has_pending = true;
	return MNL_CB_OK;
}

static int mlsnl_group_dump_run(struct mlsnl *nl,
				const struct mlsnl_dev_sel *sel,
				struct mlsnl_group_dump_ctx *ctx)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_GROUP_GET,
			      NLM_F_DUMP | NLM_F_ACK, sel, NULL, &err);
	if (!nlh)
		return err;
	err = mlsnl_transact(nl, nlh, mlsnl_group_dump_reply, ctx);
	if (!err)
		err = mlsnl_group_flush(ctx);
	if (ctx->has_pending)
		mlsnl_group_free(&ctx->pending);
	return err;
}

int mlsnl_group_dump(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		     mlsnl_group_cb cb, void *arg)
{
	struct mlsnl_group_dump_ctx ctx = { .cb = cb, .arg = arg };

	return mlsnl_group_dump_run(nl, sel, &ctx);
}

/* A group whose reply exceeds one message (EMSGSIZE from the kernel's
 * "do") can still be read from a dump, which may split it.
 */
static int mlsnl_group_get_by_dump(struct mlsnl *nl,
				   const struct mlsnl_dev_sel *sel,
				   uint32_t group_id,
				   struct mlsnl_group *group)
{
	struct mlsnl_group_dump_ctx ctx = {
		.want_id = &group_id, .out = group,
	};
	int err;

	err = mlsnl_group_dump_run(nl, sel, &ctx);
	if (err) {
		if (ctx.found)
			mlsnl_group_free(group);
		return err;
	}
	if (!ctx.found)
		return mlsnl_local_error(nl, -ENOENT, "no such group");
	return 0;
}

static int mlsnl_group_get_reply(const struct nlmsghdr *nlh, void *data)
{
	struct mlsnl_group_get_ctx *ctx = data;

	if (ctx->replies++) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return mlsnl_group_parse(nlh, ctx->group);
}

int mlsnl_group_get(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		    uint32_t group_id, struct mlsnl_group *group)
{
	struct mlsnl_group_get_ctx ctx = { .group = group };
	struct nlmsghdr *nlh;
	int err;

	memset(group, 0, sizeof(*group));
	nlh = mlsnl_group_msg(nl, MLSDCO_CMD_GROUP_GET, NLM_F_ACK, sel,
			      &group_id, &err);
	if (!nlh)
		return err;
	err = mlsnl_transact(nl, nlh, mlsnl_group_get_reply, &ctx);
	if (err) {
		mlsnl_group_free(group);
		if (err == -EMSGSIZE)
			return mlsnl_group_get_by_dump(nl, sel, group_id,
						       group);
		return err;
	}
	if (ctx.replies != 1)
		return mlsnl_local_error(nl, -EBADMSG, "kernel sent no group");
	return 0;
}
