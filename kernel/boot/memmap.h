/*
 * Cleaning the boot memory map.
 *
 * Loaders hand over maps with overlaps, unsorted entries, zero-sized or
 * wrapping entries, and usable RAM that is not page aligned. The kernel
 * trusts none of it. memmap_sanitize() turns any input into a map with
 * these invariants:
 *
 *   - regions are sorted by base and never overlap;
 *   - no region is empty, and none wraps past 2^64;
 *   - where regions overlap, the stronger claim wins:
 *     RESERVED > KERNEL > MODULE > USABLE;
 *   - every USABLE region starts and ends on a page boundary (partial
 *     pages are dropped, never rounded outward);
 *   - adjacent regions of the same kind are merged.
 *
 * It is pure: no globals, no console, so host tests exercise it directly.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "bootinfo.h"

#define MEMMAP_PAGE_SIZE 4096u
#define MEMMAP_MAX (BOOT_MAX_REGIONS * 2 + BOOT_MAX_MODULES + 2)

typedef struct {
    mem_region_t regions[MEMMAP_MAX];
    uint32_t count;
    /* What the cleaning had to fix, for the boot report. */
    uint32_t dropped_empty;     /* zero-sized input entries */
    uint32_t clipped_wrapping;  /* entries that ran past 2^64 */
    uint32_t overlaps;          /* input pairs that overlapped */
    uint32_t dropped_invalid;   /* entries with an unknown kind */
} memmap_t;

/*
 * Build a clean map from `n` raw regions plus the kernel image and the
 * modules (which are marked so that they are never handed out).
 * Pre: in points to n entries (n may be 0); out is writable.
 * Post: out satisfies the invariants above. Returns false only if the
 * input needs more than MEMMAP_MAX output regions (out is then empty).
 */
bool memmap_sanitize(const mem_region_t *in, uint32_t n,
                     uint64_t kernel_base, uint64_t kernel_end,
                     const boot_module_t *mods, uint32_t nmods,
                     memmap_t *out);

/* Total bytes of USABLE memory in a sanitized map. */
uint64_t memmap_usable_bytes(const memmap_t *map);

/* The name of a region kind for reports: "usable", "reserved", ... */
const char *memmap_kind_name(mem_kind_t kind);
