// SPDX-License-Identifier: MIT
/*
 * The data relay: UDP datagrams in the WIRE-FORMAT layout are forwarded
 * by their epoch tag to every other endpoint known for the tag's group.
 * It reads the 16-byte cleartext header and nothing else, and holds no key.
 * Endpoints are learned from the packets themselves, per (group, sender
 * leaf), so a member that has not sent under a new epoch's tag yet still
 * receives. Memory is bounded: DR_MAX_GROUPS groups, DR_TAGS tags each,
 * DR_MAX_ENDPOINTS endpoints each.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relay.h"

#define DR_HDR_LEN		16
#define DR_MIN_PACKET		(DR_HDR_LEN + 16)	/* header + AEAD tag */
#define DR_TYPE_DATA_V1		0x11
#define DR_TAGS			4
#define DR_MAX_GROUPS		4096
#define DR_MAX_ENDPOINTS	1024
#define DR_BATCH		64	/* datagrams per wakeup */

struct endpoint {
	uint32_t leaf;
	struct sockaddr_storage addr;
	socklen_t addr_len;
};

struct dr_group {
	struct group_ref id;
	uint8_t tags[DR_TAGS][RP_TAG_LEN];
	unsigned int n_tags, next_tag;
	struct endpoint *eps;
	unsigned int n_eps;
};

struct datarelay {
	int fd;
	struct dr_group *groups;
	unsigned int n_groups;
	uint64_t rx, forwarded, short_len, bad_type, unknown_tag, send_err;
};

int datarelay_open(struct relay *r, int fd)
{
	r->data = calloc(1, sizeof(*r->data));
	if (!r->data)
		return -1;
	r->data->fd = fd;
	return 0;
}

void datarelay_close(struct relay *r)
{
	unsigned int i;

	if (!r->data)
		return;
	for (i = 0; i < r->data->n_groups; i++)
		free(r->data->groups[i].eps);
	free(r->data->groups);
	close(r->data->fd);
	free(r->data);
	r->data = NULL;
}

int datarelay_fd(const struct relay *r)
{
	return r->data->fd;
}

static struct dr_group *group_by_tag(struct datarelay *d, const uint8_t *tag)
{
	unsigned int i, j;

	for (i = 0; i < d->n_groups; i++)
		for (j = 0; j < d->groups[i].n_tags; j++)
			if (!memcmp(d->groups[i].tags[j], tag, RP_TAG_LEN))
				return &d->groups[i];
	return NULL;
}

static struct dr_group *group_by_id(struct datarelay *d, struct rp_bytes id,
				    bool create)
{
	struct dr_group *g;
	unsigned int i;

	for (i = 0; i < d->n_groups; i++)
		if (d->groups[i].id.len == id.len &&
		    !memcmp(d->groups[i].id.id, id.p, id.len))
			return &d->groups[i];
	if (!create || d->n_groups >= DR_MAX_GROUPS)
		return NULL;
	g = realloc(d->groups, (d->n_groups + 1) * sizeof(*g));
	if (!g)
		return NULL;
	d->groups = g;
	g = &d->groups[d->n_groups++];
	memset(g, 0, sizeof(*g));
	g->id.len = (uint8_t)id.len;
	memcpy(g->id.id, id.p, id.len);
	return g;
}

int datarelay_add_tag(struct relay *r, struct rp_bytes group,
		      const uint8_t tag[RP_TAG_LEN])
{
	struct datarelay *d = r->data;
	struct dr_group *owner = group_by_tag(d, tag), *g;

	g = group_by_id(d, group, true);
	if (!g || (owner && owner != g))
		return -1;
	if (owner)
		return 0;
	/* the oldest of the last DR_TAGS epochs makes room */
	memcpy(g->tags[g->next_tag], tag, RP_TAG_LEN);
	g->next_tag = (g->next_tag + 1) % DR_TAGS;
	if (g->n_tags < DR_TAGS)
		g->n_tags++;
	return 0;
}

static bool same_addr(const struct sockaddr_storage *a, socklen_t alen,
		      const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/* The sender's endpoint follows its latest packet (like WireGuard's). */
static void learn(struct dr_group *g, uint32_t leaf,
		  const struct sockaddr_storage *src, socklen_t len)
{
	struct endpoint *e;
	unsigned int i;

	for (i = 0; i < g->n_eps; i++)
		if (g->eps[i].leaf == leaf)
			break;
	if (i == g->n_eps) {
		if (g->n_eps >= DR_MAX_ENDPOINTS)
			return;
		e = realloc(g->eps, (g->n_eps + 1) * sizeof(*e));
		if (!e)
			return;
		g->eps = e;
		g->n_eps++;
	}
	memset(&g->eps[i], 0, sizeof(g->eps[i]));
	g->eps[i].leaf = leaf;
	memcpy(&g->eps[i].addr, src, len);
	g->eps[i].addr_len = len;
}

static void forward(struct datarelay *d, struct dr_group *g, uint32_t leaf,
		    const uint8_t *pkt, size_t len,
		    const struct sockaddr_storage *src, socklen_t src_len)
{
	unsigned int i;

	for (i = 0; i < g->n_eps; i++) {
		if (g->eps[i].leaf == leaf ||
		    same_addr(&g->eps[i].addr, g->eps[i].addr_len, src,
			      src_len))
			continue;
		if (sendto(d->fd, pkt, len, 0,
			   (const struct sockaddr *)&g->eps[i].addr,
			   g->eps[i].addr_len) < 0)
			d->send_err++;
		else
			d->forwarded++;
	}
}

static void relay_packet(struct datarelay *d, const uint8_t *pkt, size_t len,
			 const struct sockaddr_storage *src, socklen_t src_len)
{
	struct dr_group *g;
	uint32_t leaf;

	d->rx++;
	if (len < DR_MIN_PACKET) {
		d->short_len++;
		return;
	}
	if (pkt[0] != DR_TYPE_DATA_V1) {
		d->bad_type++;
		return;
	}
	g = group_by_tag(d, pkt + 4);
	if (!g) {
		d->unknown_tag++;
		return;
	}
	leaf = (uint32_t)pkt[1] << 16 | (uint32_t)pkt[2] << 8 | pkt[3];
	learn(g, leaf, src, src_len);
	forward(d, g, leaf, pkt, len, src, src_len);
}

void datarelay_on_readable(struct relay *r)
{
	static uint8_t pkt[65536];
	struct sockaddr_storage src;
	socklen_t src_len;
	ssize_t n;
	int i;

	for (i = 0; i < DR_BATCH; i++) {
		src_len = sizeof(src);
		n = recvfrom(r->data->fd, pkt, sizeof(pkt), MSG_DONTWAIT,
			     (struct sockaddr *)&src, &src_len);
		if (n < 0)
			break;
		relay_packet(r->data, pkt, (size_t)n, &src, src_len);
	}
}

void datarelay_log_stats(const struct relay *r)
{
	const struct datarelay *d = r->data;

	relay_log("udp: rx %llu forwarded %llu dropped: short %llu "
		  "bad-type %llu unknown-tag %llu send-errors %llu",
		  (unsigned long long)d->rx, (unsigned long long)d->forwarded,
		  (unsigned long long)d->short_len,
		  (unsigned long long)d->bad_type,
		  (unsigned long long)d->unknown_tag,
		  (unsigned long long)d->send_err);
}
