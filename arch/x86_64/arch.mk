# x86_64 port: built with the host gcc in freestanding mode.
KCC      := gcc
KLD      := ld
KNM      := nm
KOBJDUMP := objdump

ARCH_CFLAGS := -m64 -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse \
    -mno-sse2 -mno-avx -mgeneral-regs-only -fno-asynchronous-unwind-tables \
    -fcf-protection=none
ARCH_LDFLAGS := -z max-page-size=4096 -z noexecstack
ARCH_LDS := arch/x86_64/kernel.ld

# The port implements the user-mode half of the seam (user contexts,
# entry and exit, user page tables): link the process layer.
ARCH_USER_MODE := yes

ARCH_SRCS := \
    arch/common/uart16550.c \
    arch/x86_64/boot.S \
    arch/x86_64/boot_main.c \
    arch/x86_64/console.c \
    arch/x86_64/context.c \
    arch/x86_64/cpu.c \
    arch/x86_64/gdt.c \
    arch/x86_64/idt.c \
    arch/x86_64/irq.c \
    arch/x86_64/loader.c \
    arch/x86_64/loader_mb2.c \
    arch/x86_64/loader_pvh.c \
    arch/x86_64/pic.c \
    arch/x86_64/pit.c \
    arch/x86_64/pt.c \
    arch/x86_64/stacks.c \
    arch/x86_64/syscall_entry.S \
    arch/x86_64/syscall.c \
    arch/x86_64/trap_entry.S \
    arch/x86_64/trap.c \
    arch/x86_64/user.c \
    arch/x86_64/vm.c

# Only in kernel-test.elf.
ARCH_KTEST_SRCS := \
    arch/x86_64/ktest_loader.c \
    arch/x86_64/ktest_x86.c \
    arch/x86_64/ktest_ring3.c \
    arch/x86_64/ktest_context.c \
    arch/x86_64/ktest_pt.c \
    arch/x86_64/ktest_jmp.S \
    arch/x86_64/ktest_user.S

# make iso / make run BOOT=grub: a BIOS GRUB image that boots kernel.elf
# through multiboot2, with the serial port as GRUB's console too.
#   ISO_MODULE=FILE    passed as a multiboot2 module (the boot image)
#   ISO_CMDLINE=TEXT   the kernel command line (no '|' characters)
#   ISO_KERNEL=ELF     another kernel, e.g. $(B)/kernel-test.elf
# It is rebuilt every time, since those are variables, not files.
ISO_MODULE  ?=
ISO_CMDLINE ?=
ISO_KERNEL  ?= $(B)/kernel.elf
ISO_DIR     := $(B)/iso

.PHONY: x86_64-iso-always
$(B)/cairn.iso: $(ISO_KERNEL) arch/x86_64/grub.cfg.in $(ISO_MODULE) x86_64-iso-always
	@echo "  ISO     $@"
	$(Q)rm -rf $(ISO_DIR) && mkdir -p $(ISO_DIR)/boot/grub
	$(Q)cp $(ISO_KERNEL) $(ISO_DIR)/boot/kernel.elf
	$(Q)sed 's|@CMDLINE@|$(ISO_CMDLINE)|' arch/x86_64/grub.cfg.in \
	    > $(ISO_DIR)/boot/grub/grub.cfg
	$(Q)if [ -n "$(ISO_MODULE)" ]; then \
	    cp "$(ISO_MODULE)" $(ISO_DIR)/boot/cairn.img && \
	    sed -i 's|^#module2|module2|' $(ISO_DIR)/boot/grub/grub.cfg; fi
	$(Q)grub-mkrescue -o $@ $(ISO_DIR) >$(B)/grub-mkrescue.log 2>&1 || \
	    { cat $(B)/grub-mkrescue.log; exit 1; }
