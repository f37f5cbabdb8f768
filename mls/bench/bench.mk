# SPDX-License-Identifier: MIT
# mls-bench: libmls micro-benchmarks (mls/bench/*.c), built with the normal
# flags by `make`; selftests/bench.sh runs it.

MLS_BENCH_SRCS	:= $(wildcard mls/bench/*.c)
MLS_BENCH_OBJS	:= $(MLS_BENCH_SRCS:%.c=$(O)/obj/%.o)

# Columns for parts of libmls still being written compile in once their
# header and source both exist. The flags are kept in a file that changes
# only when they do, so the objects rebuild exactly then.
mls_bench_have = $(if $(wildcard mls/include/mls/$(1).h mls/src/$(1).c),$(2))
MLS_BENCH_FEATURES := \
	$(call mls_bench_have,key_schedule,-DMLS_BENCH_HAVE_KEY_SCHEDULE) \
	$(call mls_bench_have,secret_tree,-DMLS_BENCH_HAVE_SECRET_TREE)
MLS_BENCH_FEATURES_FILE := $(O)/obj/mls/bench/features

$(MLS_BENCH_FEATURES_FILE): mls-bench-force
	@mkdir -p $(dir $@)
	@echo '$(strip $(MLS_BENCH_FEATURES))' | cmp -s - $@ || \
		echo '$(strip $(MLS_BENCH_FEATURES))' > $@

$(MLS_BENCH_OBJS): $(MLS_BENCH_FEATURES_FILE)
$(O)/obj/mls/bench/%.o: EXTRA_CFLAGS_mls += $(MLS_BENCH_FEATURES)

$(O)/bin/mls-bench: $(MLS_BENCH_OBJS) $(O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MLS_BENCH_OBJS) $(O)/lib/libmls.a \
		$(MLS_LIBS)

.PHONY: mls-bench-force
mls-bench-force:

ALL_TARGETS	+= $(O)/bin/mls-bench
