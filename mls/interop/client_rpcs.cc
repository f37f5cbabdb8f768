// SPDX-License-Identifier: MIT
// Name, SupportedCiphersuites, StorePSK, Free: no group logic.
#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

RPC_BODY(Name, NameRequest, NameResponse)
{
	(void)req;
	resp.set_name("libmls (mlsdco)");
}

RPC_BODY(SupportedCiphersuites, SupportedCiphersuitesRequest,
	 SupportedCiphersuitesResponse)
{
	(void)req;
	for (uint16_t id = 1; id <= 7; id++)
		if (mls_suite_get(id))
			resp.add_ciphersuites(id);
}

RPC_BODY(StorePSK, StorePSKRequest, StorePSKResponse)
{
	(void)resp;
	PskStore &store = table.psk_store(req.state_or_transaction_id());
	store.secrets[req.psk_id()] = req.psk_secret();
}

RPC_BODY(Free, FreeRequest, FreeResponse)
{
	(void)resp;
	if (!table.free(req.state_id()))
		fail(grpc::StatusCode::NOT_FOUND,
		     "no state with id " + std::to_string(req.state_id()));
}
