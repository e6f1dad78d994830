/*
 * TEMPORARY: stand-ins for the portable kernel's entries from user mode
 * (kernel_syscall, kernel_user_fault, kernel_user_interrupt; arch.h),
 * which the portable process layer is about to define. They are weak, so
 * the real definitions replace them at link time with no other change;
 * delete this file (and its line in arch.mk) once they exist.
 *
 * Until then nothing enters user mode outside the port's own tests,
 * which intercept these calls (trap_set_user_test_hooks), so reaching one
 * of these means user code ran without a kernel to handle it.
 */
#include "arch.h"

#include "panic.h"

__attribute__((weak)) void kernel_syscall(uint64_t *ctx)
{
    panic("riscv64: ecall from user mode at pc %llx, but kernel_syscall "
          "is only the port's weak stand-in (no process layer linked)",
          (unsigned long long)arch_context_pc(ctx));
}

__attribute__((weak)) void kernel_user_fault(uint64_t *ctx, fault_kind_t kind,
                                             uint64_t addr, unsigned access)
{
    panic("riscv64: user %s at pc %llx (address %llx, access %u), but "
          "kernel_user_fault is only the port's weak stand-in",
          fault_kind_name(kind), (unsigned long long)arch_context_pc(ctx),
          (unsigned long long)addr, access);
}

__attribute__((weak)) void kernel_user_interrupt(uint64_t *ctx)
{
    panic("riscv64: interrupt in user mode at pc %llx, but "
          "kernel_user_interrupt is only the port's weak stand-in",
          (unsigned long long)arch_context_pc(ctx));
}
