/*
 * CPU control hooks of the arch seam, and the boot CPU's per-CPU block.
 */
#include "cpu.h"

#include "arch.h"
#include "csr.h"
#include "sbi.h"

const char arch_name[] = "riscv64";

cpu_local_t cpu_boot;

void arch_irq_enable(void)
{
    csr_set(sstatus, SSTATUS_SIE);
}

void arch_irq_disable(void)
{
    csr_clear(sstatus, SSTATUS_SIE);
}

/*
 * wfi wakes on any interrupt pending and enabled in sie, even with
 * sstatus.SIE clear. Sleeping with SIE off means the interrupt is taken
 * at the restore below, in this function's context, and the caller sees
 * SIE exactly as it left it.
 */
void arch_wait_for_interrupt(void)
{
    uint64_t was = csr_read_clear(sstatus, SSTATUS_SIE);
    cpu_wfi();
    csr_set(sstatus, was & SSTATUS_SIE);
}

void arch_halt(void)
{
    csr_clear(sstatus, SSTATUS_SIE);
    for (;;)
        cpu_wfi();
}

void arch_poweroff(bool failed)
{
    csr_clear(sstatus, SSTATUS_SIE);
    sbi_shutdown(failed);
    arch_halt();
}
