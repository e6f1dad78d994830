# libsys: the user-level library, built per arch into build/<arch>/libsys/.
#
# It includes kernel/abi/ (types, methods, errors, the IPC layout) and
# compiles two pure, freestanding files of kernel/lib/ (string functions
# and the printf engine) so kernel and user level share one copy of each.
# The method stubs are generated from kernel/abi/methods.def.
#
# USER_CFLAGS and the user_program macro are for every user program.

include libsys/arch/$(ARCH)/libsys-arch.mk

LIBSYS_DIR  := $(B)/libsys
LIBSYS_A    := $(LIBSYS_DIR)/libsys.a
LIBSYS_GEN  := $(LIBSYS_DIR)/include/cairn/methods.h

LIBSYS_SRCS := libsys/src/call.c libsys/src/ipc.c libsys/src/start.c libsys/src/print.c \
    libsys/src/errors.c kernel/lib/kstring.c kernel/lib/format.c
LIBSYS_ASM  := libsys/arch/$(ARCH)/crt0.S

USER_CFLAGS := -std=gnu11 -ffreestanding -fno-builtin -nostdlib -fno-pic \
    -fno-stack-protector -O2 -g -Wall -Wextra -Werror \
    -fno-asynchronous-unwind-tables $(USER_ARCH_CFLAGS) \
    -I$(LIBSYS_DIR)/include -Ilibsys/include -Ilibsys/arch/$(ARCH) -Ikernel

LIBSYS_OBJS := $(patsubst %,$(LIBSYS_DIR)/obj/%.o,$(basename $(LIBSYS_SRCS) $(LIBSYS_ASM)))

$(LIBSYS_GEN): kernel/abi/methods.def libsys/gen-stubs.awk
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	$(Q)awk -f libsys/gen-stubs.awk kernel/abi/methods.def > $@

$(LIBSYS_DIR)/obj/%.o: %.c $(LIBSYS_GEN)
	@mkdir -p $(@D)
	@echo "  CC      $< (user)"
	$(Q)$(KCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(LIBSYS_DIR)/obj/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $< (user)"
	$(Q)$(KCC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(LIBSYS_A): $(LIBSYS_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(KAR) rcs $@ $^

.PHONY: libsys
libsys: $(LIBSYS_A)

# user_program NAME, SOURCES: build/<arch>/user/NAME.elf from SOURCES.
define user_program
$(B)/user/$(1).elf: $(patsubst %,$(B)/user/obj/%.o,$(basename $(2))) $(LIBSYS_A) libsys/user.ld
	@echo "  LD      $$@ (user)"
	$(Q)$(KLD) -nostdlib -static -T libsys/user.ld -z max-page-size=4096 \
	    -o $$@ $$(filter %.o,$$^) $(LIBSYS_A)
USER_PROGRAMS += $(B)/user/$(1).elf
endef

$(B)/user/obj/%.o: %.c $(LIBSYS_GEN)
	@mkdir -p $(@D)
	@echo "  CC      $< (user)"
	$(Q)$(KCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

-include $(LIBSYS_OBJS:.o=.d)

