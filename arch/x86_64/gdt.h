/*
 * The GDT and the TSS. One of each (single CPU for now; SMP will give
 * each CPU its own pair, which is why they are not shared with anything).
 *
 * Selector order (layout.h) is fixed by SYSRET. The TSS gives RSP0 (the
 * stack for entries from ring 3) and the IST stacks for #DF, NMI and #MC;
 * it has no I/O bitmap, so ring 3 has no port access.
 */
#pragma once

#include <stdint.h>

/* IST slots used by idt.c (1-based, as the gate encodes them). */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3

/* Load the GDT and TSS and reload every segment register. Boot CPU, once. */
void gdt_init(void);

/* The stack the CPU switches to when ring 3 is interrupted. */
void gdt_set_kernel_stack(uint64_t rsp0);
