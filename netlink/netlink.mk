# SPDX-License-Identifier: MIT
# libmlsdco-nl: userspace client of the mlsdco generic netlink family (libmnl).

NL_LIB_SRCS	:= $(wildcard netlink/lib/*.c)
NL_LIB_OBJS	:= $(NL_LIB_SRCS:%.c=$(O)/obj/%.o)

$(O)/lib/libmlsdco-nl.a: $(NL_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS	+= $(O)/lib/libmlsdco-nl.a

# The UAPI header is kept in step with the YAML spec by hand; every build
# cross-checks the two so they cannot drift (names and values, both ways).
NL_SPEC		:= netlink/mlsdco.yaml
NL_UAPI		:= netlink/uapi/linux/mlsdco.h
$(O)/obj/netlink/uapi-check.stamp: netlink/check-uapi.py $(NL_SPEC) $(NL_UAPI)
	@mkdir -p $(dir $@)
	CC="$(CC)" python3 netlink/check-uapi.py $(NL_SPEC) $(NL_UAPI) $@

ALL_TARGETS	+= $(O)/obj/netlink/uapi-check.stamp

# The kernel's YNL CLI (tools/net/ynl of Debian's linux-source-6.12, with
# the Documentation/netlink schemas) drives the family from NL_SPEC in
# selftests/ynl_cli.sh. Extracted once per build tree, on the host: doing
# it in the VM would decompress 150 MB under TCG. Without the tarball the
# target is skipped and so is the test.
YNL_TARBALL	?= /usr/src/linux-source-6.12.tar.xz
$(O)/ynl/.stamp: $(YNL_TARBALL)
	rm -rf $(O)/ynl && mkdir -p $(O)/ynl
	tar -xJf $< -C $(O)/ynl --strip-components=1 --wildcards \
		'*/tools/net/ynl/*' '*/Documentation/netlink/*'
	touch $@

ifneq ($(wildcard $(YNL_TARBALL)),)
ALL_TARGETS	+= $(O)/ynl/.stamp
endif
