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
