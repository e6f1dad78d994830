/*
 * Turning the cleaned memory map into kernel memory at boot.
 *
 * boot_memory_setup does, once:
 *   1. builds the frame table over every usable RAM region, the kernel
 *      image and the device regions the boot image names, in storage it
 *      carves from RAM;
 *   2. carves the hardware-map cache's pool of page-table frames;
 *   3. cuts every byte of RAM left into root Untypeds: maximal, naturally
 *      aligned power-of-two blocks (at least 4 KiB).
 * After it, the kernel owns only what it carved; everything else is
 * reachable only through the root Untyped capabilities it returns.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "boot/memmap.h"
#include "cap/cap.h"
#include "mem/frame.h"

#define BOOT_MAX_ROOT_UNTYPED 256u

typedef struct boot_memory {
    cap_t    roots[BOOT_MAX_ROOT_UNTYPED];   /* RAM root Untypeds */
    unsigned root_count;
    uint64_t root_bytes;                      /* RAM in them */
    uint64_t table_base, table_bytes;         /* the frame table */
    uint64_t pool_base;                       /* the hardware-map pool */
    uint32_t pool_frames;
    uint64_t lost_bytes;                      /* RAM no root could take */
} boot_memory_t;

/*
 * Cut [lo, hi) into maximal naturally aligned power-of-two root Untypeds
 * (device if `device`), appending their capabilities to out[*n..max).
 * Returns the bytes that could not become roots (table full, or less than
 * a page at the end).
 */
uint64_t boot_split_roots(uint64_t lo, uint64_t hi, bool device, cap_t *out,
                          unsigned *n, unsigned max);

/* A request to set aside RAM before the rest becomes root Untypeds. */
typedef struct boot_carve {
    uint64_t bytes;     /* in: page multiple */
    uint64_t align;     /* in: a power of two, at least a page */
    uint64_t base;      /* out: where it was set aside */
} boot_carve_t;

/*
 * Pre: map is sanitized; devices[0..ndev) are device regions (4 KiB
 * aligned, flags FRAME_DEVICE) that do not overlap RAM; carves[0..ncarve)
 * are extra requests, served in order after the table and the pool.
 * Returns false with a reason in *why if RAM is too small for them, or
 * the frame table rejects the segments.
 */
bool boot_memory_setup(const memmap_t *map, const frame_segment_t *devices,
                       unsigned ndev, uint32_t pool_frames,
                       boot_carve_t *carves, unsigned ncarve,
                       boot_memory_t *out, const char **why);
