# SPDX-License-Identifier: MIT
#
# mlsdco top-level build. Non-recursive for userspace (each part adds its
# rules through an included .mk file); the kernel module is built with
# Kbuild out of tree against KVER's headers.
#
#   make            build everything (libmls, libmlsdco-nl, programs, kmod)
#   make deps       install build/test dependencies (Debian 12, as root)
#   make check      unit tests, MLS vectors, selftests in a QEMU VM
#   make demo       boot the VM and show the system at work
#   make bench      benchmarks (not tests)
#   make bench-relay  only the relay's (no VM; part of make bench)

.DEFAULT_GOAL := all

CC	?= cc
ifeq ($(origin CC),default)
CC	:= cc
endif
SAN	?=
O	?= build

# Kernel the module is built against: the running one if its headers are
# installed, otherwise the newest installed Debian kernel with headers (the
# one the VM tests boot).
RUNNING_KVER := $(shell uname -r)
ifeq ($(origin KVER),undefined)
ifneq ($(wildcard /lib/modules/$(RUNNING_KVER)/build),)
KVER	:= $(RUNNING_KVER)
KVER_WHY := running kernel
else
KVER	:= $(shell ls -1 /lib/modules 2>/dev/null | while read v; do \
		[ -e /lib/modules/$$v/build ] && echo $$v; done | sort -V | tail -n1)
KVER_WHY := installed kernel with headers (running $(RUNNING_KVER) has none)
endif
else
KVER_WHY := set by caller
endif
KDIR	?= /lib/modules/$(KVER)/build

WARNFLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	     -Wmissing-prototypes -Wno-unused-parameter
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -fPIC $(WARNFLAGS) $(CFLAGS) $(SANFLAGS) \
	     -Inetlink/uapi -Imls/include -Inetlink/include

ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=all
O	:= build-san
endif
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

MBEDTLS_LIBS := -lmbedx509 -lmbedcrypto
SODIUM_LIBS  := $(shell pkg-config --libs libsodium 2>/dev/null || echo -lsodium)
DECAF_LIBS   := -ldecaf
MNL_LIBS     := $(shell pkg-config --libs libmnl 2>/dev/null || echo -lmnl)
NL_CFLAGS    := $(shell pkg-config --cflags libnl-3.0 libnl-route-3.0 2>/dev/null)
NL_LIBS      := $(shell pkg-config --libs libnl-3.0 libnl-route-3.0 2>/dev/null)
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
CMOCKA_LIBS  := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# Compile any .c under the tree into $(O)/obj/<path>.o
$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS_$(firstword $(subst /, ,$<))) \
		-MMD -MP -c $< -o $@

ALL_TARGETS :=
TEST_PROGRAMS :=

include mls/mls.mk
include netlink/netlink.mk
include userspace/userspace.mk

.PHONY: all userspace tests kmod clean deps check check-unit check-vectors \
	check-vm demo bench bench-relay fuzz san

all: userspace kmod

userspace: $(ALL_TARGETS)

tests: $(TEST_PROGRAMS)

kmod:
	@if [ -z "$(KVER)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "kmod: no kernel headers found (run 'make deps')" >&2; exit 1; fi
	@echo "kmod: building mlsdco.ko for $(KVER) ($(KVER_WHY))"
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

san:
	$(MAKE) SAN=1 userspace

deps:
	bash .ci/deps.sh

check: all
	$(MAKE) SAN=1 userspace tests
	bash selftests/check.sh

demo: all
	bash selftests/vm/run.sh --timeout 900 --demo

bench: all
	bash selftests/bench.sh

bench-relay: all
	BENCH_ONLY=relay bash selftests/bench.sh

clean:
	rm -rf build build-san build-fuzz
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean 2>/dev/null

-include $(shell find $(O) -name '*.d' 2>/dev/null)
