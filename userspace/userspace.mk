# SPDX-License-Identifier: MIT
# Programs: mlsctl (CLI); mlsd and mlsrelay later.

EXTRA_CFLAGS_userspace := $(NL_CFLAGS)

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

include userspace/mlsd/keying.mk
include selftests/tools/tools.mk
