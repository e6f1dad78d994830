# RISC-V (rv64gc) port: built with gcc-riscv64-unknown-elf.
# The kernel runs in S-mode under OpenSBI (QEMU -machine virt -bios default).
CROSS    := riscv64-unknown-elf-
KCC      := $(CROSS)gcc
KLD      := $(CROSS)ld
KNM      := $(CROSS)nm
KOBJDUMP := $(CROSS)objdump

ARCH_CFLAGS := -march=rv64gc -mabi=lp64 -mcmodel=medany -mno-relax \
    -fno-asynchronous-unwind-tables
ARCH_LDFLAGS := -z max-page-size=4096 -z noexecstack --no-relax
ARCH_LDS := arch/riscv64/kernel.ld

# The user-mode half of the seam is implemented (docs/porting.md).
ARCH_USER_MODE := yes

ARCH_SRCS := \
    arch/common/uart16550.c \
    arch/riscv64/entry.S \
    arch/riscv64/trap_entry.S \
    arch/riscv64/start.c \
    arch/riscv64/boot_dtb.c \
    arch/riscv64/fdt.c \
    arch/riscv64/mmu.c \
    arch/riscv64/trap.c \
    arch/riscv64/context.c \
    arch/riscv64/pt.c \
    arch/riscv64/console.c \
    arch/riscv64/tick.c \
    arch/riscv64/plic.c \
    arch/riscv64/cpu.c \
    arch/riscv64/sbi.c

ARCH_KTEST_SRCS := \
    arch/riscv64/ktest_riscv64.c \
    arch/riscv64/ktest_space.c \
    arch/riscv64/ktest_user.c \
    arch/riscv64/ktest_user_prog.S

# GRUB and multiboot2 are x86 things; say so instead of failing obscurely.
$(B)/cairn.iso:
	@echo "make iso: GRUB ISOs are x86_64 only; RISC-V boots with make run ARCH=riscv64" >&2
	@exit 1
