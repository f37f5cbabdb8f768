# SPDX-License-Identifier: MIT
# libmlsd: what the agent mlsd and mlsctl share (config, host certificates,
# key files, admission, the control socket's codec and server), and its
# unit tests.

MLSD_LIB_SRCS	:= $(filter-out userspace/mlsd/main.c,$(wildcard userspace/mlsd/*.c))
MLSD_LIB_OBJS	:= $(MLSD_LIB_SRCS:%.c=$(O)/obj/%.o)
# What a program using libmlsd links after it.
MLSD_LIB_DEPS	:= $(O)/lib/libmlsd.a $(O)/lib/libmls.a
# store.c keeps mlsd's state in SQLite.
SQLITE_LIBS	?= $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
MLSD_LIB_LIBS	:= $(O)/lib/libmlsd.a $(O)/lib/libmls.a $(MLS_LIBS) $(SQLITE_LIBS)

$(O)/lib/libmlsd.a: $(MLSD_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS	+= $(O)/lib/libmlsd.a

# Unit tests; the admission test builds real groups with libmls's fixture.
MLSD_TESTS	:= $(patsubst userspace/mlsd/tests/%.c,$(O)/tests/mlsd/%,\
		     $(wildcard userspace/mlsd/tests/test_*.c))
$(O)/tests/mlsd/%: $(O)/obj/userspace/mlsd/tests/%.o $(MLS_TEST_SUPPORT) \
		   $(MLSD_LIB_DEPS) $(O)/lib/libmlsdco-nl.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(MLS_TEST_SUPPORT) $(MLSD_LIB_LIBS) \
		$(O)/lib/libmlsdco-nl.a $(MNL_LIBS) \
		$(JANSSON_LIBS) $(CMOCKA_LIBS)

TEST_PROGRAMS	+= $(MLSD_TESTS)

# libFuzzer harness of the control socket codec, run by `make fuzz` with
# the others (mls/fuzz/fuzz.mk). ctl_proto needs hostcert's name rule.
FUZZ_CTL_OBJS	:= $(patsubst %.c,$(FUZZ_O)/obj/%.o,\
		   $(addprefix userspace/mlsd/,ctl_proto.c hostcert.c keyfile.c prefix.c err.c))
$(FUZZ_O)/bin/fuzz_ctl_proto: \
		$(FUZZ_O)/obj/userspace/mlsd/fuzz/fuzz_ctl_proto.o \
		$(FUZZ_CTL_OBJS) $(FUZZ_O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ $^ $(MLS_LIBS) \
		$(JANSSON_LIBS)
.SECONDARY: $(FUZZ_O)/obj/userspace/mlsd/fuzz/fuzz_ctl_proto.o
FUZZ_HARNESSES	+= fuzz_ctl_proto
fuzz-build: $(FUZZ_O)/bin/fuzz_ctl_proto
.PHONY: fuzz-corpus-ctl
fuzz-corpus: fuzz-corpus-ctl
fuzz-corpus-ctl: userspace/mlsd/fuzz/seed_corpus.py
	python3 $< $(FUZZ_O)/corpus/fuzz_ctl_proto
