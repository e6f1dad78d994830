#include "boot.h"

#include "kprintf.h"
#include "panic.h"

/* Written once by boot_init. */
static const boot_info_t *info_saved;
static memmap_t map;

/* The smallest RAM the kernel agrees to run in. */
#define BOOT_MIN_USABLE (4u << 20)

static void print_map(void)
{
    kprintf("memory map (%u regions, from %s):\n", map.count, info_saved->loader);
    for (uint32_t i = 0; i < map.count; i++) {
        const mem_region_t *r = &map.regions[i];
        kprintf("  %016llx-%016llx %-8s %8llu KiB\n",
                (unsigned long long)r->base,
                (unsigned long long)(r->base + r->size - 1),
                memmap_kind_name(r->kind),
                (unsigned long long)(r->size >> 10));
    }
    if (map.overlaps || map.dropped_empty || map.clipped_wrapping ||
        map.dropped_invalid)
        kprintf("  (cleaned: %u overlaps, %u empty, %u wrapping, %u invalid)\n",
                map.overlaps, map.dropped_empty, map.clipped_wrapping,
                map.dropped_invalid);
    kprintf("  usable: %llu KiB\n",
            (unsigned long long)(memmap_usable_bytes(&map) >> 10));
}

void boot_init(const boot_info_t *info)
{
    info_saved = info;
    uint32_t n = info->region_count;
    if (n > BOOT_MAX_REGIONS)
        n = BOOT_MAX_REGIONS;
    if (!memmap_sanitize(info->regions, n, info->kernel_base, info->kernel_end,
                         info->modules, info->module_count, &map))
        panic("boot memory map has too many regions to track (max %u)",
              MEMMAP_MAX);
    print_map();
    if (memmap_usable_bytes(&map) < BOOT_MIN_USABLE)
        panic("boot memory map has only %llu KiB usable; Cairn needs %u KiB",
              (unsigned long long)(memmap_usable_bytes(&map) >> 10),
              BOOT_MIN_USABLE >> 10);
}

const boot_info_t *boot_info(void)
{
    return info_saved;
}

const memmap_t *boot_memmap(void)
{
    return &map;
}
