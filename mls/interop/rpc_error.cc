// SPDX-License-Identifier: MIT
#include "rpc_error.h"

#include "mls_c.h"

grpc::StatusCode status_code_for(int err)
{
	switch (err) {
	case MLS_ERR_NOMEM:
		return grpc::StatusCode::RESOURCE_EXHAUSTED;
	case MLS_ERR_NOT_FOUND:
		return grpc::StatusCode::NOT_FOUND;
	case MLS_ERR_UNSUPPORTED_SUITE:
	case MLS_ERR_UNSUPPORTED:
		return grpc::StatusCode::UNIMPLEMENTED;
	case MLS_ERR_INVALID_STATE:
	case MLS_ERR_REMOVED:
	case MLS_ERR_OLD_EPOCH:
	case MLS_ERR_FUTURE_EPOCH:
	case MLS_ERR_NOT_REINITIALIZED:
		return grpc::StatusCode::FAILED_PRECONDITION;
	case MLS_ERR_AUTH:
	case MLS_ERR_BAD_SIGNATURE:
		return grpc::StatusCode::PERMISSION_DENIED;
	case MLS_ERR_CRYPTO:
	case MLS_ERR_RANDOM:
		return grpc::StatusCode::INTERNAL;
	default:
		// decode errors, validation and the resumption rules: the
		// input is what is wrong
		return grpc::StatusCode::INVALID_ARGUMENT;
	}
}

void check_mls(int err, const std::string &what)
{
	if (!err)
		return;
	throw RpcError{ grpc::Status(status_code_for(err),
				     what + ": " + mls_strerror(err)) };
}

void fail(grpc::StatusCode code, const std::string &msg)
{
	throw RpcError{ grpc::Status(code, msg) };
}
