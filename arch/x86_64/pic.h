/*
 * The legacy 8259 PIC pair, remapped so IRQ n arrives on vector 0x20 + n.
 * Only lines the kernel asks for are unmasked (today just IRQ 0, the
 * PIT). The local APIC stays in its reset virtual-wire mode, which passes
 * the PIC's output through.
 */
#pragma once

#include <stdbool.h>

/* Remap both PICs and mask every line. Boot, interrupts off. */
void pic_init(void);

/* Let IRQ `irq` (0-15) through. */
void pic_unmask(unsigned irq);

/*
 * Was this a spurious IRQ 7 or 15 (raised and withdrawn before the CPU
 * took it)? If so the caller must not send EOI; this function has already
 * done what the cascade needs.
 */
bool pic_is_spurious(unsigned irq);

/* End of interrupt for `irq`, to the slave too when it came through it. */
void pic_eoi(unsigned irq);
