/*
 * Helpers shared by the PVH and multiboot2 readers (loader.h): bounded
 * access to loader memory and the capped, checked recording of regions,
 * modules and the command line.
 */
#include "loader.h"

#include <stdarg.h>
#include <stdbool.h>

#include "console.h"
#include "layout.h"

#define E820_RAM 1

/* Where physical address 0 of the window appears: 0 while the boot tables
 * identity-map it, PHYSMAP_BASE once vm_init has switched tables. */
static uint64_t window_base;

void loader_use_physmap(void)
{
    window_base = PHYSMAP_BASE;
}

void boot_fail(const char *fmt, ...)
{
    va_list ap;
    con_printf("\nCairn x86_64 boot: ");
    va_start(ap, fmt);
    con_vprintf(fmt, ap);
    va_end(ap);
    con_printf("\n");
    arch_poweroff(true);
}

uint64_t loader_window_left(uint64_t pa)
{
    return pa < LOADER_WINDOW_END ? LOADER_WINDOW_END - pa : 0;
}

const void *loader_map(uint64_t pa, uint64_t len)
{
    if (pa == 0 || len > loader_window_left(pa))
        return NULL;
    return (const void *)(uintptr_t)(window_base + pa);
}

void loader_add_region(boot_info_t *bi, uint64_t base, uint64_t len,
                       uint32_t type)
{
    static bool warned;
    if (bi->region_count >= BOOT_MAX_REGIONS) {
        if (!warned)
            con_printf("x86_64: the memory map has more than %u entries; "
                       "ignoring the rest\n", BOOT_MAX_REGIONS);
        warned = true;
        return;
    }
    /* Only plain RAM is ours; ACPI, NVS and bad memory stay untouched. */
    bi->regions[bi->region_count++] = (mem_region_t){
        .base = base, .size = len,
        .kind = type == E820_RAM ? MEM_USABLE : MEM_RESERVED,
    };
}

void loader_add_module(boot_info_t *bi, uint64_t base, uint64_t size)
{
    if (base + size < base) {
        con_printf("x86_64: ignoring a module at %lx whose size %lx wraps\n",
                   base, size);
        return;
    }
    if (bi->module_count >= BOOT_MAX_MODULES) {
        con_printf("x86_64: more than %u boot modules; ignoring the one at %lx\n",
                   BOOT_MAX_MODULES, base);
        return;
    }
    bi->modules[bi->module_count++] = (boot_module_t){ base, size };
}

void loader_copy_cmdline(boot_info_t *bi, const char *src, uint64_t avail)
{
    uint64_t n = 0;
    while (n < avail && n < BOOT_CMDLINE_MAX - 1 && src[n] != '\0') {
        bi->cmdline[n] = src[n];
        n++;
    }
    bi->cmdline[n] = '\0';
    if (n == BOOT_CMDLINE_MAX - 1 && n < avail && src[n] != '\0')
        con_printf("x86_64: command line longer than %u bytes; truncated\n",
                   BOOT_CMDLINE_MAX - 1);
    else if (n == avail && n < BOOT_CMDLINE_MAX - 1)
        con_printf("x86_64: command line is not NUL-terminated; "
                   "took the %lu bytes there were\n", n);
}
