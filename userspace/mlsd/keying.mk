# SPDX-License-Identifier: MIT
# mlsd's data-plane keying (exporter -> kernel epoch) and its unit test.

MLSD_KEYING_OBJS := $(O)/obj/userspace/mlsd/keying.o

$(O)/obj/userspace/mlsd/tests/test_keying.o: \
	EXTRA_CFLAGS_userspace += -Iuserspace/mlsd -Imls/tests

$(O)/tests/mlsd/test_keying: $(O)/obj/userspace/mlsd/tests/test_keying.o \
		$(MLSD_KEYING_OBJS) $(MLS_TEST_SUPPORT) $(O)/lib/libmls.a \
		$(O)/lib/libmlsdco-nl.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(MLS_LIBS) $(MNL_LIBS) $(JANSSON_LIBS) \
		$(CMOCKA_LIBS)

TEST_PROGRAMS	+= $(O)/tests/mlsd/test_keying
