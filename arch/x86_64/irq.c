/*
 * The interrupt-line hooks of the seam on the 8259 pair (kernel/arch.h,
 * docs/spec/interrupts.md). Line n is IRQ n. The kernel keeps IRQ 0 (the
 * PIT) and IRQ 2 (the cascade, which never arrives as an interrupt of its
 * own); every other line can be a user driver's.
 *
 * trap.c passes each IRQ other than 0 to kernel_irq, which masks it, and
 * then sends EOI at once: a masked line cannot interrupt again, and an
 * edge that comes meanwhile waits in the IRR until arch_irq_unmask. The
 * 8259 lines are edge-triggered (QEMU's ELCR leaves them so), so a device
 * that keeps its line high after the driver's ack raises no new edge:
 * the driver must service the device before it acks.
 */
#include "arch.h"
#include "pic.h"

unsigned arch_irq_line_count(void)
{
    return PIC_LINES;
}

bool arch_irq_line_reserved(unsigned line)
{
    return line == PIC_IRQ_PIT || line == PIC_IRQ_CASCADE || line >= PIC_LINES;
}

void arch_irq_mask(unsigned line)
{
    pic_mask(line);
}

void arch_irq_unmask(unsigned line)
{
    pic_unmask(line);
}
