# SPDX-License-Identifier: MIT
# mls-interop-server: libmls behind the MLS working group's MLSClient gRPC
# service (C++17 adapter), and `make interop`, which runs the working
# group's test-runner against two instances of it.
#
# Needs libgrpc++-dev, protobuf-compiler-grpc (.ci/deps.sh installs them);
# without them the server is skipped, not a build failure.

INTEROP_SHARED	?= ../shared/interop
INTEROP_PROTO	:= $(INTEROP_SHARED)/proto/mls_client.proto
INTEROP_GEN	:= $(O)/gen/interop
INTEROP_SRCS	:= $(wildcard mls/interop/*.cc)
INTEROP_GEN_OBJS := $(INTEROP_GEN)/mls_client.pb.o \
		    $(INTEROP_GEN)/mls_client.grpc.pb.o
INTEROP_OBJS	:= $(patsubst %.cc,$(O)/obj/%.o,\
		     $(filter-out mls/interop/probe_main.cc,$(INTEROP_SRCS))) \
		   $(INTEROP_GEN_OBJS)
HAVE_GRPCXX	:= $(shell pkg-config --exists grpc++ protobuf && \
		     command -v grpc_cpp_plugin >/dev/null && \
		     test -f $(INTEROP_PROTO) && echo yes)
CXX		?= c++
INTEROP_CXXFLAGS := -std=c++17 -Wall -Wextra -Werror -O2 -g $(SANFLAGS) \
		    -Imls/include -I$(INTEROP_GEN) \
		    $(shell pkg-config --cflags grpc++ protobuf 2>/dev/null)
INTEROP_LIBS	:= $(shell pkg-config --libs grpc++ protobuf 2>/dev/null)
INTEROP_SERVER	:= $(O)/bin/mls-interop-server
INTEROP_PROBE	:= $(O)/bin/mls-interop-probe

$(INTEROP_GEN)/mls_client.pb.cc $(INTEROP_GEN)/mls_client.grpc.pb.cc \
$(INTEROP_GEN)/mls_client.pb.h $(INTEROP_GEN)/mls_client.grpc.pb.h &: \
		$(INTEROP_PROTO)
	@mkdir -p $(INTEROP_GEN)
	protoc -I $(dir $(INTEROP_PROTO)) --cpp_out=$(INTEROP_GEN) \
		--grpc_out=$(INTEROP_GEN) \
		--plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin) \
		$(INTEROP_PROTO)

# Generated code is not ours to hold to -Werror.
$(INTEROP_GEN)/%.o: $(INTEROP_GEN)/%.cc
	$(CXX) -std=c++17 -O2 -g $(SANFLAGS) -I$(INTEROP_GEN) \
		$(shell pkg-config --cflags grpc++ protobuf 2>/dev/null) \
		-c $< -o $@

$(O)/obj/mls/interop/%.o: mls/interop/%.cc $(INTEROP_GEN)/mls_client.grpc.pb.h
	@mkdir -p $(dir $@)
	$(CXX) $(INTEROP_CXXFLAGS) -MMD -MP -c $< -o $@

$(INTEROP_SERVER): $(INTEROP_OBJS) $(O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS_ALL) -o $@ $(INTEROP_OBJS) $(O)/lib/libmls.a \
		$(MLS_LIBS) $(INTEROP_LIBS)

# Malformed requests to every RPC: each must fail cleanly.
$(INTEROP_PROBE): $(O)/obj/mls/interop/probe_main.o $(INTEROP_GEN_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(INTEROP_LIBS)

-include $(INTEROP_SRCS:%.cc=$(O)/obj/%.d)

ifeq ($(HAVE_GRPCXX),yes)
ALL_TARGETS	+= $(INTEROP_SERVER) $(INTEROP_PROBE)
endif

INTEROP_RUNNER	:= $(O)/interop/test-runner

$(INTEROP_RUNNER): $(INTEROP_SHARED)/test-runner/main.go $(INTEROP_PROTO)
	bash $(INTEROP_SHARED)/build-test-runner.sh $(O)/interop

.PHONY: interop interop-server
interop-server: $(INTEROP_SERVER)

# INTEROP_SUITES / INTEROP_CONFIGS / INTEROP_WIRES narrow the run;
# INTEROP_RANDOM=1 runs one random assignment of servers to roles per
# scenario instead of all of them.
interop: $(INTEROP_SERVER) $(INTEROP_PROBE) $(INTEROP_RUNNER)
	bash mls/interop/run-interop.sh --server $(INTEROP_SERVER) \
		--probe $(INTEROP_PROBE) \
		--runner $(INTEROP_RUNNER) --configs $(INTEROP_SHARED)/configs \
		$(if $(INTEROP_SUITES),--suites "$(INTEROP_SUITES)") \
		$(if $(INTEROP_CONFIGS),--only "$(INTEROP_CONFIGS)") \
		$(if $(INTEROP_WIRES),--wires "$(INTEROP_WIRES)") \
		$(if $(INTEROP_RANDOM),--random)
