/* The host's simulated interrupt controller (see irq_host.h). */
#include "irq_host.h"

#include "arch.h"

static bool masked[HOST_IRQ_LINES];
static unsigned unmasks[HOST_IRQ_LINES];
static unsigned reserved_touched;

void host_irq_reset(void)
{
    for (unsigned i = 0; i < HOST_IRQ_LINES; i++) {
        masked[i] = true;
        unmasks[i] = 0;
    }
    reserved_touched = 0;
}

bool host_irq_masked(unsigned line)
{
    return line >= HOST_IRQ_LINES || masked[line];
}

unsigned host_irq_unmasks(unsigned line)
{
    return line < HOST_IRQ_LINES ? unmasks[line] : 0;
}

unsigned host_irq_reserved_touched(void)
{
    return reserved_touched;
}

unsigned arch_irq_line_count(void)
{
    return HOST_IRQ_LINES;
}

bool arch_irq_line_reserved(unsigned line)
{
    return line == 0 || line == HOST_IRQ_CASCADE || line >= HOST_IRQ_LINES;
}

void arch_irq_mask(unsigned line)
{
    if (arch_irq_line_reserved(line)) {
        reserved_touched++;
        return;
    }
    masked[line] = true;
}

void arch_irq_unmask(unsigned line)
{
    if (arch_irq_line_reserved(line)) {
        reserved_touched++;
        return;
    }
    masked[line] = false;
    unmasks[line]++;
}
