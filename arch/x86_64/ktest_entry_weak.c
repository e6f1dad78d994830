/*
 * TEMPORARY: stand-ins for the portable kernel's entries from user mode
 * (kernel_syscall, kernel_user_fault, kernel_user_interrupt; arch.h),
 * which kernel/syscall.c defines once it is linked into the kernel. They
 * are weak, so those definitions replace them at link time with no
 * other change; delete this file (and its line in arch.mk) then.
 *
 * Until then nothing enters ring 3 outside the port's own tests, which
 * intercept these calls (user_set_test_hooks), so reaching one of these
 * means ring 3 ran without a kernel to handle it.
 */
#include "arch.h"

#include "panic.h"

__attribute__((weak)) void kernel_syscall(uint64_t *ctx)
{
    panic("x86_64: syscall from ring 3 at rip %llx, but kernel_syscall is "
          "only the port's weak stand-in (no process layer linked)",
          (unsigned long long)arch_context_pc(ctx));
}

__attribute__((weak)) void kernel_user_fault(uint64_t *ctx, fault_kind_t kind,
                                             uint64_t addr, unsigned access)
{
    panic("x86_64: ring-3 %s at rip %llx (address %llx, access %u), but "
          "kernel_user_fault is only the port's weak stand-in",
          fault_kind_name(kind), (unsigned long long)arch_context_pc(ctx),
          (unsigned long long)addr, access);
}

__attribute__((weak)) void kernel_user_interrupt(uint64_t *ctx)
{
    panic("x86_64: interrupt in ring 3 at rip %llx, but "
          "kernel_user_interrupt is only the port's weak stand-in",
          (unsigned long long)arch_context_pc(ctx));
}
