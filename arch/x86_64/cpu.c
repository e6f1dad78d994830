/*
 * CPU control hooks of the arch seam: interrupts, idling, halting, power
 * off, the cycle counter and the port's name.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"

/*
 * QEMU's isa-debug-exit device (scripts/qemu.sh) turns a byte v written to
 * this port into exit status (v << 1) | 1: 33 for success, 35 for failure,
 * both distinct from QEMU's own error status 1.
 */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_OK     0x10
#define DEBUG_EXIT_FAILED 0x11

const char arch_name[] = "x86_64";

void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

/*
 * sti takes effect only after the next instruction, so "sti; hlt" cannot
 * lose an interrupt between the two: it is what wakes the hlt.
 */
void arch_wait_for_interrupt(void)
{
    if (read_rflags() & RFLAGS_IF)
        __asm__ volatile("hlt" ::: "memory");
    else
        __asm__ volatile("sti; hlt; cli" ::: "memory");
}

void arch_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}

void arch_poweroff(bool failed)
{
    arch_irq_disable();
    outb(DEBUG_EXIT_PORT, failed ? DEBUG_EXIT_FAILED : DEBUG_EXIT_OK);
    arch_halt();   /* no debug-exit device: real hardware, or another VM */
}

uint64_t arch_cycles(void)
{
    return rdtsc();
}
