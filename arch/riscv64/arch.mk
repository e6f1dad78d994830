# RISC-V (rv64gc) port: built with gcc-riscv64-unknown-elf.
CROSS    := riscv64-unknown-elf-
KCC      := $(CROSS)gcc
KLD      := $(CROSS)ld
KNM      := $(CROSS)nm
KOBJDUMP := $(CROSS)objdump

ARCH_CFLAGS := -march=rv64gc -mabi=lp64 -mcmodel=medany -mno-relax \
    -fno-asynchronous-unwind-tables
ARCH_LDFLAGS := -z max-page-size=4096 -z noexecstack --no-relax
ARCH_LDS := arch/riscv64/kernel.ld

ARCH_SRCS := \
    arch/common/uart16550.c
