// SPDX-License-Identifier: MIT
// How a failed RPC leaves the handler: an RpcError carries the gRPC status
// (libmls's error text included); guarded() turns it into the reply and
// makes sure nothing else escapes to crash the server.
#ifndef MLS_INTEROP_RPC_ERROR_H
#define MLS_INTEROP_RPC_ERROR_H

#include <grpcpp/grpcpp.h>

#include <string>

struct RpcError {
	grpc::Status status;
};

// libmls error err while doing what: throws unless err is 0.
void check_mls(int err, const std::string &what);
// A request the adapter itself refuses (bad id, missing field ...).
[[noreturn]] void fail(grpc::StatusCode code, const std::string &msg);

grpc::StatusCode status_code_for(int mls_err);

template <typename F> grpc::Status guarded(F &&body)
{
	try {
		body();
		return grpc::Status::OK;
	} catch (const RpcError &e) {
		return e.status;
	} catch (const std::bad_alloc &) {
		return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
				    "out of memory");
	} catch (const std::exception &e) {
		return grpc::Status(grpc::StatusCode::INTERNAL, e.what());
	}
}

#endif
