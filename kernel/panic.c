/*
 * Fatal errors. A panic prints one clear reason and ends the machine, so a
 * test run sees the reason on the console and QEMU exits instead of
 * hanging.
 */
#include "panic.h"

#include <stdarg.h>

#include "arch.h"
#include "kprintf.h"
#include "ktest/ktest.h"

void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    arch_irq_disable();
    kprintf("\nKERNEL PANIC at %s:%d: ", file, line);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    ktest_on_panic();
    arch_poweroff(true);
}

void kernel_fatal_trap(fault_kind_t kind, uint64_t pc, uint64_t addr)
{
    arch_irq_disable();
    ktest_on_fault(kind, pc, addr);   /* returns unless a test expected it */
    kprintf("KERNEL PANIC: unexpected %s in the kernel at pc=%p addr=%p\n",
            fault_kind_name(kind), (void *)(uintptr_t)pc,
            (void *)(uintptr_t)addr);
    arch_poweroff(true);
}
