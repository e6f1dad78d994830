# RISC-V user programs: no F/D extensions (the kernel does not yet save
# floating-point state; user FP instructions trap as illegal).
KAR := $(CROSS)ar
USER_ARCH_CFLAGS := -march=rv64imac -mabi=lp64 -mcmodel=medany
