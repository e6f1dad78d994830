/*
 * The boot information a port hands to kernel_main, in portable form.
 *
 * Each port translates its loader's format (multiboot2, PVH start info,
 * the RISC-V device tree) into this. The kernel trusts none of it: the
 * memory map is cleaned by memmap_sanitize() and every module is
 * validated before use.
 */
#pragma once

#include <stdint.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 256

typedef enum {
    MEM_USABLE = 1,   /* RAM the kernel may hand out */
    MEM_RESERVED,     /* firmware, ACPI, holes: never touched */
    MEM_KERNEL,       /* the kernel image itself */
    MEM_MODULE,       /* a boot module (the Cairn image) */
} mem_kind_t;

typedef struct {
    uint64_t base;    /* physical, bytes */
    uint64_t size;    /* bytes; a region never wraps past 2^64 */
    mem_kind_t kind;
} mem_region_t;

typedef struct {
    uint64_t base;    /* physical address of the module's first byte */
    uint64_t size;    /* bytes */
} boot_module_t;

typedef struct {
    /* Written by the port before kernel_main; read-only afterwards. */
    mem_region_t regions[BOOT_MAX_REGIONS];
    uint32_t     region_count;
    boot_module_t modules[BOOT_MAX_MODULES];
    uint32_t     module_count;
    char         cmdline[BOOT_CMDLINE_MAX];  /* always NUL-terminated */
    const char  *loader;                     /* "pvh", "multiboot2", "sbi+dtb" */
    uint64_t     kernel_base, kernel_end;    /* physical extent of the image */
} boot_info_t;
