# SPDX-License-Identifier: MIT
# libmls: static + shared library, pkg-config file, vector runner, unit tests.

MLS_SRCS	:= $(wildcard mls/src/*.c)
MLS_OBJS	:= $(MLS_SRCS:%.c=$(O)/obj/%.o)
# -pthread: mls/src/parallel.c runs independent jobs on short-lived threads
MLS_LIBS	:= $(MBEDTLS_LIBS) $(SODIUM_LIBS) $(DECAF_LIBS) -pthread
MLS_VERSION	:= 0.1.0
# libdecaf's headers include each other as <decaf/...> from /usr/include/decaf
EXTRA_CFLAGS_mls := -I/usr/include/decaf

$(O)/lib/libmls.a: $(MLS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(O)/lib/libmls.so: $(MLS_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,-soname,libmls.so.0 $(LDFLAGS_ALL) -o $@ $^ $(MLS_LIBS)

$(O)/lib/pkgconfig/mls.pc: mls/mls.pc.in
	@mkdir -p $(dir $@)
	sed -e 's|@VERSION@|$(MLS_VERSION)|' -e 's|@LIBS@|$(MLS_LIBS)|' $< > $@

# mls-vectors: the official test-vector runner (mls/tests/vectors/*.c)
MLS_VEC_SRCS	:= $(wildcard mls/tests/vectors/*.c)
MLS_VEC_OBJS	:= $(MLS_VEC_SRCS:%.c=$(O)/obj/%.o)
MLS_TEST_SUPPORT := $(patsubst %.c,$(O)/obj/%.o,$(wildcard mls/tests/support/*.c))
$(O)/bin/mls-vectors: $(MLS_VEC_OBJS) $(MLS_TEST_SUPPORT) $(O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MLS_VEC_OBJS) $(MLS_TEST_SUPPORT) $(O)/lib/libmls.a \
		$(MLS_LIBS) $(JANSSON_LIBS)

# Unit tests: one cmocka program per mls/tests/test_*.c, sharing
# mls/tests/support/*.c.
MLS_TESTS	:= $(patsubst mls/tests/%.c,$(O)/tests/mls/%,$(wildcard mls/tests/test_*.c))
$(O)/tests/mls/%: $(O)/obj/mls/tests/%.o $(MLS_TEST_SUPPORT) $(O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(MLS_TEST_SUPPORT) $(O)/lib/libmls.a \
		$(MLS_LIBS) $(JANSSON_LIBS) $(CMOCKA_LIBS)

ALL_TARGETS	+= $(O)/lib/libmls.a $(O)/lib/libmls.so $(O)/lib/pkgconfig/mls.pc \
		   $(O)/bin/mls-vectors
TEST_PROGRAMS	+= $(MLS_TESTS)

include mls/fuzz/fuzz.mk
include mls/bench/bench.mk
include mls/interop/interop.mk
