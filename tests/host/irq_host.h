/*
 * The interrupt-line hooks of the seam on the host (irq_host.c): a
 * simulated controller with HOST_IRQ_LINES lines, of which line 0 (the
 * "timer") and line HOST_IRQ_CASCADE are reserved. It records each line's
 * mask and how often the kernel masked and unmasked it, so the host suite
 * `irq` can check the kernel's half of the protocol.
 */
#pragma once

#include <stdbool.h>

#define HOST_IRQ_LINES   24u
#define HOST_IRQ_CASCADE 2u

/* Every line masked, counters zero, no hook call refused. */
void host_irq_reset(void);

bool host_irq_masked(unsigned line);
unsigned host_irq_unmasks(unsigned line);

/* How many times the kernel touched a reserved line (it never may). */
unsigned host_irq_reserved_touched(void);
