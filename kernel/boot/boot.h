/*
 * What the kernel learned at boot, after checking it: the cleaned memory
 * map and the loader's information. Set once by boot_init (from
 * kernel_main) and read-only afterwards.
 */
#pragma once

#include "bootinfo.h"
#include "memmap.h"

/*
 * Clean and record the boot information, printing the memory map.
 * Panics with a clear reason if the map is unusable (no RAM at all, or
 * more regions than the kernel can track).
 */
void boot_init(const boot_info_t *info);

const boot_info_t *boot_info(void);
const memmap_t *boot_memmap(void);
