/*
 * The legacy 8259 PIC pair, remapped so IRQ n arrives on vector 0x20 + n.
 * Only lines the kernel asks for are unmasked: IRQ 0 (the PIT) from the
 * start, the others while a user driver's line is armed (irq.c). The
 * local APIC stays in its reset virtual-wire mode, which passes the PIC's
 * output through.
 */
#pragma once

#include <stdbool.h>

#define PIC_LINES        16
#define PIC_IRQ_PIT      0     /* the kernel's timer (pit.c) */
#define PIC_IRQ_CASCADE  2     /* the slave's output into the master */

/* Remap both PICs and mask every line. Boot, interrupts off. */
void pic_init(void);

/* Let IRQ `irq` (0-15) through (a slave line: the cascade too). */
void pic_unmask(unsigned irq);

/* Hold IRQ `irq` (0-15) back. An edge meanwhile stays latched in the IRR
 * and arrives after pic_unmask. */
void pic_mask(unsigned irq);

/*
 * Was this a spurious IRQ 7 or 15 (raised and withdrawn before the CPU
 * took it)? If so the caller must not send EOI; this function has already
 * done what the cascade needs.
 */
bool pic_is_spurious(unsigned irq);

/* End of interrupt for `irq`, to the slave too when it came through it. */
void pic_eoi(unsigned irq);
