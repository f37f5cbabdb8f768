# SPDX-License-Identifier: MIT
# Programs: mlsctl (CLI); mlsd and mlsrelay later.

EXTRA_CFLAGS_userspace := $(NL_CFLAGS)

MLSCTL_SRCS	:= $(wildcard userspace/mlsctl/*.c)
MLSCTL_OBJS	:= $(MLSCTL_SRCS:%.c=$(O)/obj/%.o)
$(O)/bin/mlsctl: $(MLSCTL_OBJS) $(O)/lib/libmlsdco-nl.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MLSCTL_OBJS) $(O)/lib/libmlsdco-nl.a \
		$(MNL_LIBS) $(JANSSON_LIBS)

ALL_TARGETS	+= $(O)/bin/mlsctl
