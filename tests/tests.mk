# Host unit tests: portable kernel code compiled for the host with
# AddressSanitizer and UBSan, linked with tests/host/harness.c.
#
# Each fragment adds its sources to KHOST_SRCS (kernel code under test)
# and HOST_TEST_SRCS (test files); they all link into build/host/kernel-tests.
# Other tools' tests (mkimage) add their own binaries to HOST_TEST_BINS.

KHOST_SRCS := \
    kernel/boot/memmap.c \
    kernel/boot/memory.c \
    kernel/kprintf.c kernel/lib/format.c \
    $(KERNEL_OBJ_SRCS) \
    $(KERNEL_IPC_HOST_SRCS)

HOST_TEST_SRCS := \
    tests/host/harness.c \
    tests/host/memmap_test.c \
    tests/host/bootmem_test.c \
    tests/host/libsys_test.c \
    libsys/src/errors.c \
    tests/host/arch_host.c \
    tests/host/host_env.c \
    tests/host/cap_test.c \
    tests/host/retype_test.c \
    tests/host/revoke_test.c \
    tests/host/gpt_test.c \
    tests/host/process_test.c \
    tests/host/invoke_test.c \
    $(IPC_HOST_TEST_SRCS) \
    tests/host/irq_host.c \
    tests/host/irq_test.c

-include tests/host/more.mk

KHOST_CFLAGS := $(HOST_CFLAGS) $(HOST_SAN) -Ikernel -Itests/host -Ilibsys/include -DCAIRN_HOST_TEST=1

$(H)/kernel-tests: $(KHOST_SRCS) $(HOST_TEST_SRCS) $(wildcard kernel/*.h kernel/*/*.h tests/host/*.h)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(KHOST_CFLAGS) -o $@ $(KHOST_SRCS) $(HOST_TEST_SRCS)

HOST_TEST_BINS += $(H)/kernel-tests
