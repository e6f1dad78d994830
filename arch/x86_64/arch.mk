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

ARCH_SRCS := \
    arch/common/uart16550.c
