/*
 * The interrupt descriptor table: gates for the 32 exceptions, the 16
 * remapped PIC lines (vectors 0x20-0x2f) and the APIC spurious vector
 * (0xff). Any other vector has no gate, so it arrives as a #GP with the
 * vector in its error code, which the trap report decodes.
 */
#pragma once

#define VECTOR_PIC_BASE  0x20
#define VECTOR_PIC_COUNT 16
#define VECTOR_SPURIOUS  0xff

/* Fill and load the IDT. Boot CPU, once, after gdt_init. */
void idt_init(void);
