# SPDX-License-Identifier: MIT
# libFuzzer harnesses for the libmls decoders (mls/fuzz/fuzz_*.c).
#
#   make fuzz                      build, seed from messages.json, run each
#   make fuzz FUZZ_SECONDS=600     longer runs
#   make fuzz FUZZ_JOBS=1          one harness at a time (default: nproc)
#   make fuzz FUZZ_RUN="fuzz_message fuzz_commit"   only these harnesses
#   make fuzz-build                build only
#   make fuzz-clean                remove build-fuzz/ (corpus and crashes too)
#
# Everything goes to build-fuzz/: libmls and the harnesses are compiled by
# clang with coverage, ASan and UBSan, apart from build/ and build-san/.

FUZZ_O		:= build-fuzz
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_JOBS	?= $(shell nproc 2>/dev/null || echo 1)
MLS_VECTORS_DIR	?= $(abspath $(CURDIR)/../shared/mls-test-vectors)

FUZZ_SANFLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
FUZZ_CFLAGS	:= -std=c11 -D_GNU_SOURCE $(WARNFLAGS) -O1 -g $(FUZZ_SANFLAGS) \
		   -fsanitize=fuzzer-no-link -Inetlink/uapi -Imls/include \
		   -I/usr/include/decaf

FUZZ_HARNESSES	:= $(patsubst mls/fuzz/%.c,%,$(wildcard mls/fuzz/fuzz_*.c))
FUZZ_BINS	:= $(FUZZ_HARNESSES:%=$(FUZZ_O)/bin/%)
FUZZ_RUN	?= $(FUZZ_HARNESSES)
FUZZ_MLS_OBJS	:= $(MLS_SRCS:%.c=$(FUZZ_O)/obj/%.o)

$(FUZZ_O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_O)/lib/libmls.a: $(FUZZ_MLS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_O)/bin/fuzz_%: $(FUZZ_O)/obj/mls/fuzz/fuzz_%.o $(FUZZ_O)/lib/libmls.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ $^ $(MLS_LIBS)

# Keep the harness objects make would treat as intermediate.
.SECONDARY: $(FUZZ_HARNESSES:%=$(FUZZ_O)/obj/mls/fuzz/%.o)

.PHONY: fuzz-build fuzz-corpus fuzz-clean
fuzz-build: $(FUZZ_BINS)

fuzz-clean:
	rm -rf $(FUZZ_O)

fuzz-corpus: mls/fuzz/seed_corpus.py
	python3 mls/fuzz/seed_corpus.py $(MLS_VECTORS_DIR)/messages.json \
		$(FUZZ_O)/corpus

fuzz: fuzz-build fuzz-corpus
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) \
		bash mls/fuzz/run.sh $(FUZZ_O) $(FUZZ_RUN)

-include $(shell find $(FUZZ_O) -name '*.d' 2>/dev/null)
