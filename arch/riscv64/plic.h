/*
 * The platform-level interrupt controller (RISC-V PLIC specification
 * 1.0.0), behind the interrupt-line hooks of the seam (kernel/arch.h).
 *
 * Line n is PLIC source n; source 0 means "none" and is reserved, so a
 * PLIC with riscv,ndev sources has lines 0..ndev. The kernel drives one
 * context: the S-mode external interrupt of the boot hart, found through
 * the device tree. Every source is enabled in that context once, at boot,
 * and stays enabled; masking sets a source's priority to 0 ("never
 * interrupts") and unmasking to 1, over a threshold of 0. (Masking by the
 * enable bit instead would make the claim's completion be ignored: the
 * spec lets a PLIC drop a completion for a source that is not enabled.)
 *
 * The claim of a source is left open after kernel_irq until the kernel
 * unmasks the line: the PLIC gateway forwards no new request of a source
 * while it is claimed, so a level-triggered device whose driver services
 * it before acking never interrupts twice for one event.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fdt.h"

#define PLIC_MAX_SOURCES 1023u

typedef struct {
    uint64_t phys;       /* register base (reg[0]) */
    uint32_t sources;    /* riscv,ndev: source ids 1..sources */
    uint32_t context;    /* the boot hart's S-mode context */
} plic_info_t;

/*
 * Find the PLIC (compatible "riscv,plic0" or "sifive,plic-1.0.0") in a
 * checked tree and the context whose interrupts-extended entry is the
 * S-mode external interrupt (9) of hart `hart`'s interrupt controller.
 * Pure. Returns NULL, or why the tree has no usable PLIC.
 */
const char *plic_probe(const fdt_t *f, uint64_t hart, plic_info_t *out);

/*
 * Map the registers the kernel uses into the device window, mask every
 * source, enable them all in the context, set its threshold to 0, and
 * enable supervisor external interrupts (sie.SEIE). Returns NULL, or why
 * it could not (the registers lie outside the device window). Boot,
 * interrupts off, before any user root exists. Until it succeeds the
 * port has no interrupt lines.
 */
const char *plic_init(const plic_info_t *info);

/* The S-mode external interrupt: claim each pending source and hand it to
 * kernel_irq, leaving the claim open. Interrupt context. */
void plic_interrupt(void);
