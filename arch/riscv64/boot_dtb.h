/*
 * Turning the firmware's device tree into Cairn's portable boot_info_t
 * and the few platform facts the port itself needs (console address,
 * timer frequency).
 */
#pragma once

#include <stdint.h>

#include "arch.h"
#include "fdt.h"

/* What the port needs from the tree besides boot_info_t. */
typedef struct {
    uint64_t uart_phys;      /* 16550 registers; the QEMU default if none found */
    uint32_t uart_shift;     /* reg-shift: register n at base + (n << shift) */
    uint32_t uart_clock_hz;  /* 0 if the tree does not say */
    uint64_t timebase_hz;    /* rdtime ticks per second; 0 if unknown */
    uint32_t memory_dropped; /* /memory ranges left out for lack of room */
} platform_t;

/*
 * Fill `bi` and `plat` from a checked tree found at physical `dtb_phys`.
 * bi gets: /memory as MEM_USABLE; /reserved-memory children, the header's
 * reservation block and the blob itself as MEM_RESERVED; /chosen/bootargs
 * as the command line; linux,initrd-start/-end as module 0.
 * Returns NULL, or a reason the tree cannot be used (no memory at all,
 * more reserved ranges than boot_info_t holds).
 * Pre: bi->kernel_base/kernel_end and loader are set by the caller.
 */
const char *boot_dtb_read(const fdt_t *f, uint64_t dtb_phys, boot_info_t *bi,
                          platform_t *plat);
