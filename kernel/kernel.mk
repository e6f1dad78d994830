# The portable kernel. Every port builds the same list; arch/<arch>/arch.mk
# supplies ARCH_SRCS, ARCH_CFLAGS, ARCH_LDS and the cross tools.
#
# Two kernels come out of one source tree:
#   kernel.elf       the kernel a user runs
#   kernel-test.elf  the same kernel with the in-kernel test suites
#                    (kernel/ktest/, -DCAIRN_KTEST=1); used by make test

# The object model (capabilities, objects, invocation). Host tests build
# the same list (tests/tests.mk).
KERNEL_OBJ_SRCS := \
    kernel/mem/frame.c \
    kernel/cap/cap.c \
    kernel/cap/cspace.c \
    kernel/cap/discrim.c \
    kernel/cap/log.c \
    kernel/cap/irq.c \
    kernel/obj/obj.c \
    kernel/obj/untyped.c \
    kernel/obj/page.c \
    kernel/obj/cappage.c \
    kernel/obj/gpt.c \
    kernel/obj/endpoint.c \
    kernel/obj/notification.c \
    kernel/obj/process.c \
    kernel/invoke.c

# IPC, scheduling and faults (issue 4) keep their list in their own fragment.
-include kernel/ipc/ipc.mk

KERNEL_SRCS := \
    kernel/main.c \
    kernel/kprintf.c \
    kernel/panic.c \
    kernel/timer.c \
    kernel/boot/memmap.c \
    kernel/boot/boot.c \
    kernel/lib/kstring.c \
    kernel/lib/format.c \
    $(KERNEL_OBJ_SRCS)

# The process layer: scheduling, system calls, the hardware-map cache and
# the boot image. A port joins it once it implements the user-mode half of
# the seam (ARCH_USER_MODE := yes in its arch.mk); until then its kernel
# reaches kernel_main and runs the in-kernel suites only (the bring-up
# ladder in docs/porting.md).
ifeq ($(ARCH_USER_MODE),yes)
KERNEL_SRCS += \
    kernel/sched/sched.c \
    kernel/syscall.c \
    kernel/vm/hwmap.c \
    kernel/boot/memory.c \
    kernel/boot/image.c \
    kernel/abi/image_validate.c \
    $(KERNEL_IPC_SRCS)
ARCH_CFLAGS += -DCAIRN_USER_MODE=1
endif

KTEST_SRCS := \
    kernel/ktest/ktest.c \
    kernel/ktest/boot_suite.c \
    $(ARCH_KTEST_SRCS)

KERNEL_CFLAGS := -std=gnu11 -ffreestanding -fno-builtin -nostdlib \
    -fno-stack-protector -fno-pic -fno-common -O2 -g \
    -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
    -Ikernel -Iarch/$(ARCH) -Iarch/common $(ARCH_CFLAGS)

# DEBUG=1 builds kernel.elf with CAIRN_DEBUG: ASSERTs are checked and every
# refused invocation prints its method, error and reason. The test kernel
# is always built that way.
ifeq ($(DEBUG),1)
KERNEL_CFLAGS += -DCAIRN_DEBUG=1
endif

# Objects depend on a stamp holding the flags they were built with, so
# changing DEBUG, ARCH_USER_MODE or any flag rebuilds what it affects.
KFLAGS_STAMP := $(B)/kernel.flags
$(shell mkdir -p $(B) && echo '$(KERNEL_CFLAGS)' | cmp -s - $(KFLAGS_STAMP) || \
        echo '$(KERNEL_CFLAGS)' > $(KFLAGS_STAMP))

KOBJ      := $(B)/obj
KOBJ_TEST := $(B)/obj-test

k_objs = $(patsubst %,$(1)/%.o,$(basename $(KERNEL_SRCS) $(ARCH_SRCS)))
KERNEL_OBJS      := $(call k_objs,$(KOBJ))
KERNEL_TEST_OBJS := $(call k_objs,$(KOBJ_TEST)) \
                    $(patsubst %,$(KOBJ_TEST)/%.o,$(basename $(KTEST_SRCS)))

# record_cmd FILE, COMMAND: leave a compile_commands.json fragment beside
# the object so scripts/compdb.sh can gather them.
record_cmd = printf '{"directory":"%s","file":"%s","command":"%s"}\n' \
    "$(CURDIR)" "$(1)" "$(subst ",\",$(2))" > $@.cmd

$(KOBJ)/%.o: %.c $(KFLAGS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@
	@$(call record_cmd,$<,$(KCC) $(KERNEL_CFLAGS) -c $<)

$(KOBJ)/%.o: %.S $(KFLAGS_STAMP)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

$(KOBJ_TEST)/%.o: %.c $(KFLAGS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $< (test)"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -DCAIRN_KTEST=1 -DCAIRN_DEBUG=1 -MMD -MP -c $< -o $@

$(KOBJ_TEST)/%.o: %.S $(KFLAGS_STAMP)
	@mkdir -p $(@D)
	@echo "  AS      $< (test)"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -DCAIRN_KTEST=1 -DCAIRN_DEBUG=1 -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# Link, then emit a symbol map and an annotated disassembly for study.
define link_kernel
	@echo "  LD      $@"
	$(Q)$(KLD) -nostdlib -static -T $(ARCH_LDS) $(ARCH_LDFLAGS) -o $@ $(filter %.o,$^)
	$(Q)$(KNM) -n $@ > $(basename $@).sym
	$(Q)$(KOBJDUMP) -d -S --no-show-raw-insn $@ > $(basename $@).dis
endef

$(B)/kernel.elf: $(KERNEL_OBJS) $(ARCH_LDS)
	$(link_kernel)

$(B)/kernel-test.elf: $(KERNEL_TEST_OBJS) $(ARCH_LDS)
	$(link_kernel)

-include $(KERNEL_OBJS:.o=.d) $(KERNEL_TEST_OBJS:.o=.d)

include kernel/abi/abi.mk
