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
 * wfi wakes on any interrupt pending in sie even with sstatus.SIE clear,
 * so sleeping with SIE off and restoring it afterwards cannot lose a
 * wake-up; the interrupt is then taken at the restore.
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
