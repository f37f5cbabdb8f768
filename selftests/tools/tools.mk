# SPDX-License-Identifier: MIT
# Test tools the selftests run inside the VM (included from userspace.mk).

$(O)/bin/udp-replay: $(O)/obj/selftests/tools/udp-replay.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^

ALL_TARGETS	+= $(O)/bin/udp-replay
