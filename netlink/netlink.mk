# SPDX-License-Identifier: MIT
# libmlsdco-nl: userspace client of the mlsdco generic netlink family (libmnl).

NL_LIB_SRCS	:= $(wildcard netlink/lib/*.c)
NL_LIB_OBJS	:= $(NL_LIB_SRCS:%.c=$(O)/obj/%.o)

$(O)/lib/libmlsdco-nl.a: $(NL_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS	+= $(O)/lib/libmlsdco-nl.a
