// SPDX-License-Identifier: MIT
// Owners for libmls values, so that an RpcError thrown half way through an
// RPC frees (and wipes) what the RPC had built.
#ifndef MLS_INTEROP_MLS_RAII_H
#define MLS_INTEROP_MLS_RAII_H

#include <string>

#include "mls_c.h"

struct OwnedBytes {
	mls_bytes b{};
	~OwnedBytes() { mls_bytes_free(&b); }
	std::string str() const
	{
		return std::string(reinterpret_cast<const char *>(b.data), b.len);
	}
};

struct SecretBytes {
	mls_bytes b{};
	~SecretBytes() { mls_bytes_free_secret(&b); }
	std::string str() const
	{
		return std::string(reinterpret_cast<const char *>(b.data), b.len);
	}
};

struct OwnedProposal {
	mls_proposal p{};
	~OwnedProposal() { mls_proposal_free(&p); }
};

struct OwnedMessage {
	mls_message m{};
	~OwnedMessage() { mls_message_free(&m); }
};

struct OwnedExtension {
	mls_extension e{};
	~OwnedExtension() { mls_extension_free(&e); }
};

struct OwnedTree {
	mls_ratchet_tree t{};
	~OwnedTree() { mls_ratchet_tree_free(&t); }
};

inline const uint8_t *bytes_of(const std::string &s)
{
	return reinterpret_cast<const uint8_t *>(s.data());
}

#endif
