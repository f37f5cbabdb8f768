// SPDX-License-Identifier: MIT
/*
 * The group table, the store and an epoch's way into the kernel, in the
 * order of docs/AGENT.md "Persistence": save the epoch, record the
 * install (never an epoch at or below the recorded one), epoch-new (the
 * kernel moves TX to it, kernel.c); then the epoch's tag to the relay.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mls/error.h"
#include "agent.h"
#include "keying.h"

struct mlsd_group *mlsd_group_find(struct mlsd_agent *a, const uint8_t *gid,
				   size_t len)
{
	for (size_t i = 0; i < a->n_groups; i++)
		if (a->groups[i]->gid_len == len &&
		    !memcmp(a->groups[i]->gid, gid, len))
			return a->groups[i];
	return NULL;
}

static uint32_t free_kgid(const struct mlsd_agent *a)
{
	uint32_t max = MLSD_NET_KERNEL_GID;

	for (size_t i = 0; i < a->n_groups; i++)
		if (a->groups[i]->kgid > max)
			max = a->groups[i]->kgid;
	return max + 1;
}

static struct mlsd_group *entry_new(struct mlsd_agent *a, const char *gid,
				    uint32_t kgid)
{
	struct mlsd_group *gr;

	if (a->n_groups == MLSD_MAX_GROUPS)
		return NULL;
	gr = calloc(1, sizeof(*gr));
	if (!gr)
		return NULL;
	snprintf(gr->gid, sizeof(gr->gid), "%s", gid);
	gr->gid_len = strlen(gr->gid);
	gr->kgid = kgid;
	gr->agent = a;
	gr->is_pair = mlsd_pair_peer(a->cfg.net.name, a->cfg.iface.name,
				     gr->gid, gr->gid_len, gr->peer,
				     sizeof(gr->peer));
	a->groups[a->n_groups++] = gr;
	return gr;
}

struct mlsd_group *mlsd_group_add(struct mlsd_agent *a, const char *gid)
{
	struct mlsd_group *gr = mlsd_group_find(a, (const uint8_t *)gid,
						strlen(gid));

	if (gr)
		return gr;
	return entry_new(a, gid, strcmp(gid, a->net_gid) ?
			 free_kgid(a) : MLSD_NET_KERNEL_GID);
}

void mlsd_group_reset(struct mlsd_group *gr)
{
	if (gr->active)
		mls_group_free(&gr->g);
	gr->active = false;
	gr->relay_seq = 0;
}

void mlsd_group_validator(struct mlsd_agent *a, mls_credential_validate_fn *fn,
			  void **ctx)
{
	*fn = mlsd_admission_validate;
	*ctx = &a->adm;
}

bool mlsd_member_name(struct mlsd_agent *a, const struct mls_group *g,
		      uint32_t leaf, char *out, size_t cap)
{
	const struct mls_leaf_node *ln = mls_tree_leaf(&g->tree, leaf);
	struct mlsd_admitted who;

	if (!ln || mlsd_admission_check(&a->adm, g->suite, ln, &who))
		return false;
	snprintf(out, cap, "%s", who.identity);
	return true;
}

int mlsd_group_save(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct mls_bytes blob = { 0 };
	struct mlsd_err e;
	int err;

	err = mls_group_save(&gr->g, &blob);
	if (err) {
		mlsd_log("%s: cannot save the group: %s", gr->gid,
			 mls_strerror(err));
		return -1;
	}
	err = mlsd_store_save_group(a->store, (const uint8_t *)gr->gid,
				    gr->gid_len, gr->kgid,
				    mls_group_epoch(&gr->g), blob.data,
				    blob.len, gr->relay_seq, &e);
	mls_bytes_free_secret(&blob);
	if (err)
		mlsd_log("%s: %s", gr->gid, e.msg);
	return err ? -1 : 0;
}

static void kernel_group_of(struct mlsd_agent *a, const struct mlsd_group *gr,
			    struct mlsd_kernel_group *kg)
{
	memset(kg, 0, sizeof(*kg));
	kg->gid = gr->kgid;
	kg->aead = (uint32_t)mlsd_kernel_aead(gr->g.suite);
	kg->own_leaf = mls_group_own_leaf(&gr->g);
	/* multicast only in the network group (docs/AGENT.md) */
	kg->flags = gr->is_pair ? 0 : MLSDCO_GROUP_F_MULTICAST;
	kg->has_relay = a->has_relay_data;
	kg->relay = a->relay_data;
	kg->keepalive_s = a->keepalive_s;
}

/*
 * Every other member with its verified peer id; its verified prefixes
 * only in a pair group: the network group's members hold no allowed IPs
 * (unicast never runs under the network key; the peer id lets their
 * multicast pass the source check).
 */
static int kernel_members(struct mlsd_agent *a, struct mlsd_group *gr,
			  const struct mlsd_kernel_group *kg, struct mlsd_err *e)
{
	uint32_t n_leaves = mls_group_leaf_count(&gr->g);
	struct mlsd_kernel_member *m = calloc(n_leaves ? n_leaves : 1,
					      sizeof(*m));
	struct mlsd_admitted *who = calloc(n_leaves ? n_leaves : 1,
					   sizeof(*who));
	size_t n = 0;
	int err;

	if (!m || !who) {
		free(m);
		free(who);
		return mlsd_errf(e, "out of memory");
	}
	for (uint32_t leaf = 0; leaf < n_leaves; leaf++) {
		const struct mls_leaf_node *ln = mls_tree_leaf(&gr->g.tree, leaf);

		if (!ln || leaf == kg->own_leaf)
			continue;
		/* libmls ran the same check when the leaf came in */
		if (mlsd_admission_check(&a->adm, gr->g.suite, ln, &who[n])) {
			mlsd_log("%s: leaf %u is not admitted: not a kernel member",
				 gr->gid, leaf);
			continue;
		}
		m[n].leaf = leaf;
		m[n].peer_id = mlsd_peer_id(who[n].identity);
		if (gr->is_pair) {
			m[n].allowed = who[n].prefixes;
			m[n].n_allowed = who[n].n_prefixes;
		}
		n++;
	}
	err = mlsd_kernel_members(&a->kern, kg, m, n, e);
	free(m);
	free(who);
	return err;
}

static void send_tag(struct mlsd_agent *a, struct mlsd_group *gr,
		     const uint8_t tag[RP_TAG_LEN])
{
	struct rp_frame f = { .type = RP_EPOCH_TAG };
	struct mlsd_relay_reply rep;

	f.group_id = (struct rp_bytes){ (const uint8_t *)gr->gid, gr->gid_len };
	f.epoch = mls_group_epoch(&gr->g);
	memcpy(f.tag, tag, RP_TAG_LEN);
	if (!mlsd_agent_call(a, &f, &rep))
		return;
	if (rep.type == RP_ERROR)
		mlsd_log("%s: epoch-tag refused: %s %s", gr->gid,
			 rp_code_name(rep.code), rep.text);
	mlsd_relay_reply_free(&rep);
}

static void log_epoch(struct mlsd_group *gr, bool installed)
{
	size_t len;
	const uint8_t *auth = mls_group_epoch_authenticator(&gr->g, &len);
	char hex[17] = "";

	for (size_t i = 0; i < len && i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", auth[i]);
	/* the authenticator is what members compare out of band (§8.7) */
	mlsd_log("status group=%s kgid=%u epoch=%llu members=%u auth=%s%s",
		 gr->gid, gr->kgid,
		 (unsigned long long)mls_group_epoch(&gr->g),
		 mls_tree_member_count(&gr->g.tree), hex,
		 installed ? "" : " (not installed)");
}

static int install_keys(struct mlsd_agent *a, struct mlsd_group *gr,
			uint8_t tag[RP_TAG_LEN], struct mlsd_err *e)
{
	struct mlsnl_epoch_conf conf;
	int err;

	memset(&conf, 0, sizeof(conf));
	err = mlsd_epoch_keys(&gr->g, gr->kgid, &conf);
	if (err)
		return mlsd_errf(e, "cannot derive the epoch's keys: %s",
				 strerror(-err));
	memcpy(tag, conf.tag, RP_TAG_LEN);
	err = mlsd_kernel_install(&a->kern, &conf, e);
	mlsd_epoch_keys_free(&conf);
	return err;
}

int mlsd_group_new_epoch(struct mlsd_agent *a, struct mlsd_group *gr)
{
	struct mlsd_kernel_group kg;
	uint8_t tag[RP_TAG_LEN] = { 0 };
	struct mlsd_err e;
	int err;

	if (mlsd_group_save(a, gr))
		return -1;
	kernel_group_of(a, gr, &kg);
	err = mlsd_kernel_group_ensure(&a->kern, &kg, &e) ?:
	      kernel_members(a, gr, &kg, &e);
	if (err) {
		mlsd_log("%s: %s", gr->gid, e.msg);
		return -1;
	}
	err = mlsd_store_record_install(a->store, (const uint8_t *)gr->gid,
					gr->gid_len, mls_group_epoch(&gr->g),
					&e);
	if (err == -EALREADY) {
		/* its keys may be in use already: never again (nonce rule);
		 * a self-Update makes an epoch that can go in
		 */
		log_epoch(gr, false);
		gr->need_fresh_epoch = true;
		mlsd_rekey_soon(a, gr);
		return 0;
	}
	if (!err)
		err = install_keys(a, gr, tag, &e);
	if (err) {
		mlsd_log("%s: epoch %llu: %s", gr->gid,
			 (unsigned long long)mls_group_epoch(&gr->g), e.msg);
		return -1;
	}
	gr->need_fresh_epoch = false;
	log_epoch(gr, true);
	mlsd_control_epoch(a, gr);
	send_tag(a, gr, tag);
	mlsd_rekey_arm(a, gr);
	return 0;
}

/* ---- loading at startup ---- */

static int load_one(struct mlsd_agent *a, const struct mlsd_store_group *row,
		    struct mlsd_err *e)
{
	struct mls_group_load_options o = { 0 };
	struct mlsd_store_group got;
	struct mlsd_group *gr;
	char gid[MLSD_GROUP_ID_MAX + 1];
	uint8_t *blob;
	size_t len;
	int err;

	snprintf(gid, sizeof(gid), "%.*s", (int)row->id_len,
		 (const char *)row->id);
	gr = entry_new(a, gid, row->kernel_gid);
	if (!gr)
		return mlsd_errf(e, "too many groups in the store");
	if (mlsd_store_load_group(a->store, row->id, row->id_len, &got, &blob,
				  &len, e))
		return -1;
	mlsd_group_validator(a, &o.validate_credential, &o.validate_ctx);
	err = mls_group_load(&gr->g, blob, len, &o);
	mlsd_store_blob_free(blob, len);
	if (err)
		return mlsd_errf(e, "%s: saved group does not load: %s", gid,
				 mls_strerror(err));
	gr->active = true;
	gr->relay_seq = got.relay_seq;
	return 0;
}

/* After a restart: keep what the kernel has; never install twice. */
static void reconcile(struct mlsd_agent *a, struct mlsd_group *gr)
{
	uint64_t kmax, installed = 0;
	bool exists, has_epoch, any = false;
	struct mlsd_err e;

	if (mlsd_kernel_group_state(&a->kern, gr->kgid, &exists, &kmax,
				    &has_epoch) ||
	    mlsd_store_installed_max(a->store, (const uint8_t *)gr->gid,
				     gr->gid_len, &installed, &any, &e)) {
		gr->need_fresh_epoch = true;
		return;
	}
	if (!exists || !has_epoch) {
		mlsd_log("%s: the kernel has no epoch of group %u: a self-Update comes first",
			 gr->gid, gr->kgid);
		gr->need_fresh_epoch = true;
		return;
	}
	if (!any || installed < mls_group_epoch(&gr->g)) {
		/* saved and not yet installed (a crash between the two) */
		mlsd_group_new_epoch(a, gr);
		return;
	}
	log_epoch(gr, true);
	mlsd_rekey_arm(a, gr);
}

int mlsd_groups_load(struct mlsd_agent *a, struct mlsd_err *e)
{
	struct mlsd_store_group *rows;
	size_t n;

	if (mlsd_store_list_groups(a->store, &rows, &n, e))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (load_one(a, &rows[i], e)) {
			free(rows);
			return -1;
		}
	free(rows);
	a->net = mlsd_group_add(a, a->net_gid);
	if (!a->net)
		return mlsd_errf(e, "out of memory");
	for (size_t i = 0; i < a->n_groups; i++)
		if (a->groups[i]->active)
			reconcile(a, a->groups[i]);
	return 0;
}
