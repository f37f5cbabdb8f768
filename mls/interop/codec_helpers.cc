// SPDX-License-Identifier: MIT
// Turning request fields into libmls values and back.
#include <cstring>

#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

const mls_suite *suite_of(uint32_t cipher_suite)
{
	const mls_suite *s = nullptr;

	if (cipher_suite > 0xffff)
		check_mls(MLS_ERR_UNSUPPORTED_SUITE,
			  "cipher suite " + std::to_string(cipher_suite));
	check_mls(mls_suite_lookup(uint16_t(cipher_suite), &s),
		  "cipher suite " + std::to_string(cipher_suite));
	return s;
}

// MLSMessage header of a KeyPackage: version mls10, wire format key_package.
static const char kp_header[4] = { 0, MLS_PROTOCOL_MLS10, 0,
				   MLS_WIRE_KEY_PACKAGE };

std::string bare_key_package(const std::string &in)
{
	if (in.size() > 4 && std::memcmp(in.data(), kp_header, 4) == 0)
		return in.substr(4);
	return in;
}

std::string wrap_key_package(const std::string &bare)
{
	return std::string(kp_header, 4) + bare;
}

void decode_message(const std::string &in, mls_message &out, const char *what)
{
	check_mls(mls_message_from_bytes(bytes_of(in), in.size(), &out), what);
}

void decode_tree(const std::string &in, mls_ratchet_tree &out)
{
	check_mls(mls_ratchet_tree_from_bytes(bytes_of(in), in.size(), &out),
		  "ratchet_tree");
}

std::string epoch_authenticator(const mls_group &g)
{
	size_t len = 0;
	const uint8_t *a = mls_group_epoch_authenticator(&g, &len);
	return std::string(reinterpret_cast<const char *>(a), len);
}

std::string tree_bytes(const mls_tree &t)
{
	OwnedBytes b;
	check_mls(mls_tree_to_bytes(&t, &b.b), "ratchet tree");
	return b.str();
}

mls_group_policy interop_policy()
{
	mls_group_policy p;

	std::memset(&p, 0, sizeof(p));
	// The runner's scenarios include self-signed Adds (§12.1.8).
	p.accept_new_member_proposals = true;
	return p;
}

uint32_t leaf_of(const mls_group &g, const std::string &identity)
{
	mls_member *members = nullptr;
	size_t count = 0;
	uint32_t leaf = UINT32_MAX;

	check_mls(mls_group_roster(&g, &members, &count), "roster");
	for (size_t i = 0; i < count; i++) {
		const mls_member &m = members[i];
		if (m.identity_len == identity.size() &&
		    std::memcmp(m.identity, identity.data(), m.identity_len) == 0)
			leaf = m.leaf;
	}
	::free(members);
	if (leaf == UINT32_MAX)
		fail(grpc::StatusCode::NOT_FOUND,
		     "no member with identity '" + identity + "'");
	return leaf;
}

ExtensionList::ExtensionList(
	const google::protobuf::RepeatedPtrField<pb::Extension> &exts)
{
	for (const auto &e : exts) {
		if (e.extension_type() > 0xffff)
			fail(grpc::StatusCode::INVALID_ARGUMENT,
			     "extension type out of range");
		mls_extension x;
		x.type = uint16_t(e.extension_type());
		// views into the request, which outlives the list
		x.data.data = reinterpret_cast<uint8_t *>(
			const_cast<char *>(e.extension_data().data()));
		x.data.len = e.extension_data().size();
		if (!x.data.len)
			x.data.data = nullptr;
		items.push_back(x);
	}
	list.items = items.empty() ? nullptr : items.data();
	list.count = items.size();
}
