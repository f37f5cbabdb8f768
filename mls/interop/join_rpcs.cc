// SPDX-License-Identifier: MIT
// Becoming a member: CreateGroup, CreateKeyPackage, JoinGroup, and the
// external join from a GroupInfo (GroupInfo, ExternalJoin).
#include <cstring>
#include <vector>

#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

static mls_group_wire wire_for(bool encrypt_handshake)
{
	return encrypt_handshake ? MLS_GROUP_WIRE_PRIVATE :
				   MLS_GROUP_WIRE_PUBLIC;
}

RPC_BODY(CreateGroup, CreateGroupRequest, CreateGroupResponse)
{
	const mls_suite *s = suite_of(req.cipher_suite());
	auto st = std::make_shared<GroupState>();
	mls_group_create_options o;
	mls_group_policy policy = interop_policy();

	st->who = Identity::generate(s, req.identity());
	st->wire = wire_for(req.encrypt_handshake());
	std::memset(&o, 0, sizeof(o));
	o.suite = s;
	o.group_id = bytes_of(req.group_id());
	o.group_id_len = req.group_id().size();
	o.signer = st->who.signer();
	o.psk_lookup = PskStore::lookup;
	o.psk_ctx = &st->psks;
	o.policy = &policy;
	check_mls(mls_group_create(&st->g, &o), "create group");
	resp.set_state_id(table.add(st));
}

RPC_BODY(CreateKeyPackage, CreateKeyPackageRequest, CreateKeyPackageResponse)
{
	const mls_suite *s = suite_of(req.cipher_suite());
	auto tx = make_key_package(s, Identity::generate(s, req.identity()));

	resp.set_key_package(wrap_key_package(tx->key_package));
	resp.set_init_priv(std::string(
		reinterpret_cast<const char *>(tx->secrets.init_priv),
		tx->secrets.priv_len));
	resp.set_encryption_priv(std::string(
		reinterpret_cast<const char *>(tx->secrets.encryption_priv),
		tx->secrets.priv_len));
	resp.set_signature_priv(tx->who.sig_priv);
	resp.set_transaction_id(table.add(tx));
}

RPC_BODY(JoinGroup, JoinGroupRequest, JoinGroupResponse)
{
	auto tx = table.transaction(req.transaction_id());
	auto st = join(*tx, req.welcome(), req.ratchet_tree(), nullptr);

	st->wire = wire_for(req.encrypt_handshake());
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
	resp.set_state_id(table.add(st));
	// A KeyPackage joins once: its private keys go (wiped) with it.
	table.free(req.transaction_id());
}

RPC_BODY(GroupInfo, GroupInfoRequest, GroupInfoResponse)
{
	auto st = table.group(req.state_id());
	OwnedBytes gi;

	check_mls(mls_group_export_group_info(&st->g, !req.external_tree(),
					      &gi.b),
		  "group info");
	resp.set_group_info(gi.str());
	if (req.external_tree())
		resp.set_ratchet_tree(tree_bytes(st->g.tree));
}

// The leaf whose basic credential is identity in a wire-form tree.
static uint32_t leaf_in_tree(const mls_ratchet_tree &t,
			     const std::string &identity)
{
	for (size_t i = 0; i < t.count; i += 2) {
		const mls_node &n = t.nodes[i];
		const mls_bytes &id = n.leaf.credential.identity;
		if (n.type == MLS_NODE_LEAF &&
		    n.leaf.credential.type == MLS_CREDENTIAL_BASIC &&
		    id.len == identity.size() &&
		    std::memcmp(id.data, identity.data(), id.len) == 0)
			return uint32_t(i / 2);
	}
	fail(grpc::StatusCode::NOT_FOUND,
	     "remove_prior: no leaf with identity '" + identity + "'");
}

// The tree an external joiner sees: given out of band or in the GroupInfo.
static void joiner_tree(const pb::ExternalJoinRequest &req,
			const mls_group_info &gi, mls_ratchet_tree &out)
{
	if (!req.ratchet_tree().empty()) {
		decode_tree(req.ratchet_tree(), out);
		return;
	}
	const mls_extension *e =
		mls_extension_list_find(&gi.extensions, MLS_EXT_RATCHET_TREE);
	if (!e)
		check_mls(MLS_ERR_VALIDATION, "group info: no ratchet tree");
	check_mls(mls_ratchet_tree_from_bytes(e->data.data, e->data.len, &out),
		  "group info ratchet tree");
}

RPC_BODY(ExternalJoin, ExternalJoinRequest, ExternalJoinResponse)
{
	OwnedMessage m;
	OwnedTree tree;
	OwnedBytes commit;
	mls_external_join_options o;
	mls_group_policy policy = interop_policy();

	decode_message(req.group_info(), m.m, "group info");
	if (m.m.wire_format != MLS_WIRE_GROUP_INFO)
		check_mls(MLS_ERR_INVALID_ARG, "group info: not a GroupInfo");
	const mls_group_info &gi = m.m.group_info;
	const mls_suite *s = suite_of(gi.group_context.cipher_suite);
	joiner_tree(req, gi, tree.t);

	auto st = std::make_shared<GroupState>();
	std::vector<mls_bytes> psk_ids;
	st->who = Identity::generate(s, req.identity());
	st->wire = wire_for(req.encrypt_handshake());
	for (const auto &psk : req.psks()) {
		st->psks.secrets[psk.psk_id()] = psk.psk_secret();
		psk_ids.push_back({ const_cast<uint8_t *>(bytes_of(psk.psk_id())),
				    psk.psk_id().size() });
	}

	std::memset(&o, 0, sizeof(o));
	o.suite = s;
	o.signer = st->who.signer();
	o.ratchet_tree = &tree.t;
	o.remove_old_leaf = req.remove_prior();
	if (req.remove_prior())
		o.old_leaf = leaf_in_tree(tree.t, req.identity());
	o.external_psks = psk_ids.empty() ? nullptr : psk_ids.data();
	o.n_external_psks = psk_ids.size();
	o.psk_lookup = PskStore::lookup;
	o.psk_ctx = &st->psks;
	o.policy = &policy;
	check_mls(mls_group_join_external(&st->g, &o, &gi, &commit.b),
		  "external join");
	resp.set_commit(commit.str());
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
	resp.set_state_id(table.add(st));
}
