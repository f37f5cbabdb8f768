# SPDX-License-Identifier: MIT
# Programs: mlsctl (CLI), mlsrelay (untrusted relay), mlsd (the agent).
# librelayproto: the relay protocol, linked by mlsrelay and (later) mlsd.

EXTRA_CFLAGS_userspace := $(NL_CFLAGS) -Iuserspace/relayproto

include userspace/mlsd/mlsd.mk

MLSCTL_SRCS	:= $(wildcard userspace/mlsctl/*.c)
MLSCTL_OBJS	:= $(MLSCTL_SRCS:%.c=$(O)/obj/%.o)
$(O)/bin/mlsctl: $(MLSCTL_OBJS) $(O)/lib/libmlsdco-nl.a $(MLSD_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MLSCTL_OBJS) $(O)/lib/libmlsdco-nl.a \
		$(MNL_LIBS) $(JANSSON_LIBS) $(MLSD_LIB_LIBS)

ALL_TARGETS	+= $(O)/bin/mlsctl

# Unit tests of mlsctl's parsers: everything but main.c, plus cmocka.
MLSCTL_TEST_OBJS := $(filter-out $(O)/obj/userspace/mlsctl/main.o,$(MLSCTL_OBJS))
MLSCTL_TESTS	:= $(patsubst userspace/mlsctl/tests/%.c,$(O)/tests/mlsctl/%,\
		     $(wildcard userspace/mlsctl/tests/test_*.c))
$(O)/tests/mlsctl/%: $(O)/obj/userspace/mlsctl/tests/%.o $(MLSCTL_TEST_OBJS) \
		     $(O)/lib/libmlsdco-nl.a $(MLSD_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(MLSCTL_TEST_OBJS) \
		$(O)/lib/libmlsdco-nl.a $(MNL_LIBS) $(JANSSON_LIBS) \
		$(MLSD_LIB_LIBS) $(CMOCKA_LIBS)

TEST_PROGRAMS	+= $(MLSCTL_TESTS)

# librelayproto + its unit tests
RELAYPROTO_SRCS	:= $(wildcard userspace/relayproto/*.c)
RELAYPROTO_OBJS	:= $(RELAYPROTO_SRCS:%.c=$(O)/obj/%.o)
RELAYPROTO_LIBS	:= $(O)/lib/librelayproto.a $(O)/lib/libmls.a -lmbedtls \
		   $(MLS_LIBS)
$(O)/lib/librelayproto.a: $(RELAYPROTO_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

RELAYPROTO_TESTS := $(patsubst userspace/relayproto/tests/%.c,\
		      $(O)/tests/relayproto/%,\
		      $(wildcard userspace/relayproto/tests/test_*.c))
$(O)/tests/relayproto/%: $(O)/obj/userspace/relayproto/tests/%.o \
			 $(O)/lib/librelayproto.a $(O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(RELAYPROTO_LIBS) $(CMOCKA_LIBS)

ALL_TARGETS	+= $(O)/lib/librelayproto.a
TEST_PROGRAMS	+= $(RELAYPROTO_TESTS)

# mlsd, the agent: main.c over libmlsd, the relay client and the
# netlink library.
$(O)/bin/mlsd: $(O)/obj/userspace/mlsd/main.o $(MLSD_LIB_DEPS) \
	       $(O)/lib/librelayproto.a $(O)/lib/libmlsdco-nl.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(O)/lib/libmlsd.a \
		$(O)/lib/librelayproto.a $(O)/lib/libmlsdco-nl.a \
		$(MLSD_LIB_LIBS) -lmbedtls -lmbedx509 -lmbedcrypto $(MNL_LIBS) \
		$(JANSSON_LIBS)

ALL_TARGETS	+= $(O)/bin/mlsd

# mlsrelay (the untrusted relay) and its tests: every object but main.o,
# plus cmocka. The integration test execs $(O)/bin/mlsrelay.
MLSRELAY_SRCS	:= $(wildcard userspace/mlsrelay/*.c)
MLSRELAY_OBJS	:= $(MLSRELAY_SRCS:%.c=$(O)/obj/%.o)
MLSRELAY_LIBS	:= $(RELAYPROTO_LIBS) -lsqlite3
$(O)/bin/mlsrelay: $(MLSRELAY_OBJS) $(O)/lib/librelayproto.a $(O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MLSRELAY_OBJS) $(MLSRELAY_LIBS)

MLSRELAY_TEST_OBJS := $(filter-out $(O)/obj/userspace/mlsrelay/main.o,\
			$(MLSRELAY_OBJS))
MLSRELAY_TEST_SUPPORT := $(patsubst %.c,$(O)/obj/%.o,\
			  $(wildcard userspace/mlsrelay/tests/support/*.c))
MLSRELAY_TESTS	:= $(patsubst userspace/mlsrelay/tests/%.c,$(O)/tests/mlsrelay/%,\
		     $(wildcard userspace/mlsrelay/tests/test_*.c))
$(O)/tests/mlsrelay/%: $(O)/obj/userspace/mlsrelay/tests/%.o \
		       $(MLSRELAY_TEST_OBJS) $(MLSRELAY_TEST_SUPPORT) \
		       $(O)/lib/librelayproto.a \
		       $(O)/lib/libmls.a | $(O)/bin/mlsrelay
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(MLSRELAY_TEST_OBJS) \
		$(MLSRELAY_TEST_SUPPORT) $(MLSRELAY_LIBS) \
		$(CMOCKA_LIBS)

ALL_TARGETS	+= $(O)/bin/mlsrelay

# mlsrelay-bench: the relay's ordering and fan-out numbers (`make bench`,
# outside the VM); it runs $(O)/bin/mlsrelay beside it.
MLSRELAY_BENCH_OBJS := $(patsubst %.c,$(O)/obj/%.o,\
			$(wildcard userspace/mlsrelay/bench/*.c))
$(O)/bin/mlsrelay-bench: $(MLSRELAY_BENCH_OBJS) $(O)/lib/librelayproto.a \
			 $(O)/lib/libmls.a | $(O)/bin/mlsrelay
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MLSRELAY_BENCH_OBJS) $(RELAYPROTO_LIBS)

ALL_TARGETS	+= $(O)/bin/mlsrelay-bench
TEST_PROGRAMS	+= $(MLSRELAY_TESTS)

# libFuzzer harness of the relay frame decoder, run by `make fuzz` with the
# libmls ones (mls/fuzz/fuzz.mk).
FUZZ_RELAY_OBJS	:= $(patsubst %.c,$(FUZZ_O)/obj/%.o,\
		   $(filter-out userspace/relayproto/client.c userspace/relayproto/trust.c,\
		   $(RELAYPROTO_SRCS)))
$(FUZZ_O)/bin/fuzz_relay_frame: \
		$(FUZZ_O)/obj/userspace/relayproto/fuzz/fuzz_relay_frame.o \
		$(FUZZ_RELAY_OBJS) $(FUZZ_O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ $^ $(MLS_LIBS)
.SECONDARY: $(FUZZ_O)/obj/userspace/relayproto/fuzz/fuzz_relay_frame.o
FUZZ_HARNESSES	+= fuzz_relay_frame
fuzz-build: $(FUZZ_O)/bin/fuzz_relay_frame
.PHONY: fuzz-corpus-relay
fuzz-corpus: fuzz-corpus-relay
fuzz-corpus-relay: userspace/relayproto/fuzz/seed_corpus.py
	python3 $< $(FUZZ_O)/corpus/fuzz_relay_frame

include selftests/tools/tools.mk
