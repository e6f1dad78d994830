# x86_64 user programs: general registers only (the kernel does not yet
# save floating-point or vector state across context switches).
KAR := ar
USER_ARCH_CFLAGS := -m64 -mgeneral-regs-only -mno-red-zone -fcf-protection=none
