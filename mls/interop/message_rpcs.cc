// SPDX-License-Identifier: MIT
// Application messages (§6.3) and the epoch's exported secrets (§8.5, §8.7).
#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

RPC_BODY(Protect, ProtectRequest, ProtectResponse)
{
	auto st = table.group(req.state_id());
	OwnedBytes msg;

	check_mls(mls_group_encrypt(&st->g, bytes_of(req.plaintext()),
				    req.plaintext().size(),
				    bytes_of(req.authenticated_data()),
				    req.authenticated_data().size(), &msg.b),
		  "protect");
	resp.set_ciphertext(msg.str());
}

RPC_BODY(Unprotect, UnprotectRequest, UnprotectResponse)
{
	auto st = table.group(req.state_id());
	OwnedMessage m;
	SecretBytes data;

	decode_message(req.ciphertext(), m.m, "ciphertext");
	check_mls(mls_group_decrypt(&st->g, &m.m, &data.b, nullptr),
		  "unprotect");
	const mls_bytes &aad = m.m.private_message.authenticated_data;
	resp.set_authenticated_data(
		std::string(reinterpret_cast<const char *>(aad.data), aad.len));
	resp.set_plaintext(data.str());
}

RPC_BODY(Export, ExportRequest, ExportResponse)
{
	auto st = table.group(req.state_id());
	// §8.5: KDF.Expand output; anything past 255 hash lengths fails in
	// libmls, so bound the allocation before calling it.
	if (req.key_length() > 255 * MLS_MAX_HASH_LEN)
		check_mls(MLS_ERR_INVALID_ARG, "export: key_length");
	std::string out(req.key_length(), '\0');

	check_mls(mls_group_export(&st->g, req.label().c_str(),
				   bytes_of(req.context()),
				   req.context().size(),
				   reinterpret_cast<uint8_t *>(&out[0]),
				   out.size()),
		  "export");
	resp.set_exported_secret(out);
	mls_wipe(&out[0], out.size());
}

// The authentication secret of §8.7 is the epoch_authenticator.
RPC_BODY(StateAuth, StateAuthRequest, StateAuthResponse)
{
	auto st = table.group(req.state_id());

	resp.set_state_auth_secret(epoch_authenticator(st->g));
}
