// SPDX-License-Identifier: MIT
// mls-interop-server: the MLSClient gRPC server for the MLS working group's
// interop test-runner.  Usage: mls-interop-server [--port N] (default 50051)
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "service.h"

static int usage(const char *prog)
{
	std::fprintf(stderr, "usage: %s [--port N]\n", prog);
	return 2;
}

int main(int argc, char **argv)
{
	long port = 50051;

	for (int i = 1; i < argc; i++) {
		if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			char *end = nullptr;
			port = std::strtol(argv[++i], &end, 10);
			if (*end || port <= 0 || port > 65535)
				return usage(argv[0]);
		} else {
			return usage(argv[0]);
		}
	}

	MlsClientService service;
	grpc::ServerBuilder builder;
	int bound = 0;
	std::string addr = "127.0.0.1:" + std::to_string(port);
	builder.AddListeningPort(addr, grpc::InsecureServerCredentials(),
				 &bound);
	builder.RegisterService(&service);
	// Reinit and deep_random messages run to a few hundred kilobytes.
	builder.SetMaxReceiveMessageSize(64 << 20);
	builder.SetMaxSendMessageSize(64 << 20);
	std::unique_ptr<grpc::Server> server(builder.BuildAndStart());
	if (!server || !bound) {
		std::fprintf(stderr, "mls-interop-server: cannot listen on %s\n",
			     addr.c_str());
		return 1;
	}
	std::printf("mls-interop-server: listening on %s\n", addr.c_str());
	std::fflush(stdout);
	server->Wait();
	return 0;
}
