/*
 * The PVH boot protocol (QEMU -kernel with the Xen PVH ELF note): %ebx
 * holds the physical address of struct hvm_start_info. Version 1 added
 * the memory map, which Cairn needs; QEMU gives version 1. A zero
 * address in any field means "not present".
 */
#include "loader.h"

#include <stddef.h>

#include "console.h"

#define HVM_START_MAGIC 0x336ec578u

typedef struct {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;      /* version >= 1 from here */
    uint32_t memmap_entries;
    uint32_t reserved;
} hvm_start_info_t;

typedef struct {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
} hvm_module_t;

typedef struct {
    uint64_t addr;
    uint64_t size;
    uint32_t type;              /* e820 types */
    uint32_t reserved;
} hvm_memmap_entry_t;

_Static_assert(offsetof(hvm_start_info_t, memmap_paddr) == 40, "PVH layout");
_Static_assert(sizeof(hvm_start_info_t) == 56, "PVH layout");
_Static_assert(sizeof(hvm_module_t) == 32, "PVH layout");
_Static_assert(sizeof(hvm_memmap_entry_t) == 24, "PVH layout");

#define PVH_V0_SIZE offsetof(hvm_start_info_t, memmap_paddr)

static void pvh_read_cmdline(const hvm_start_info_t *si, boot_info_t *bi)
{
    if (si->cmdline_paddr == 0)
        return;
    uint64_t avail = loader_window_left(si->cmdline_paddr);
    if (avail > BOOT_CMDLINE_MAX)
        avail = BOOT_CMDLINE_MAX;
    const char *s = loader_map(si->cmdline_paddr, avail);
    if (!s) {
        con_printf("x86_64: PVH command line at %lx is out of reach; ignored\n",
                   si->cmdline_paddr);
        return;
    }
    loader_copy_cmdline(bi, s, avail);
}

static void pvh_read_modules(const hvm_start_info_t *si, boot_info_t *bi)
{
    uint32_t n = si->nr_modules;
    if (n == 0)
        return;
    if (n > BOOT_MAX_MODULES) {
        con_printf("x86_64: PVH lists %u modules; using the first %u\n", n,
                   BOOT_MAX_MODULES);
        n = BOOT_MAX_MODULES;
    }
    const hvm_module_t *mods = loader_map(si->modlist_paddr, n * sizeof *mods);
    if (!mods) {
        con_printf("x86_64: PVH module list at %lx is out of reach; "
                   "no modules\n", si->modlist_paddr);
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        loader_add_module(bi, mods[i].paddr, mods[i].size);
}

static void pvh_read_memmap(const hvm_start_info_t *si, boot_info_t *bi)
{
    uint32_t n = si->memmap_entries;
    if (n > BOOT_MAX_REGIONS)
        n = BOOT_MAX_REGIONS + 1;   /* one more, so the cap is reported */
    const hvm_memmap_entry_t *map =
        loader_map(si->memmap_paddr, (uint64_t)n * sizeof *map);
    if (n == 0 || !map)
        boot_fail("the PVH memory map (%u entries at %lx) is missing or out "
                  "of reach", si->memmap_entries, si->memmap_paddr);
    for (uint32_t i = 0; i < n; i++)
        loader_add_region(bi, map[i].addr, map[i].size, map[i].type);
}

void loader_read_pvh(uint32_t start_info_pa, boot_info_t *bi)
{
    const hvm_start_info_t *si = loader_map(start_info_pa, PVH_V0_SIZE);
    if (!si)
        boot_fail("PVH start info pointer %x (in %%ebx) is not usable",
                  start_info_pa);
    if (si->magic != HVM_START_MAGIC)
        boot_fail("PVH start info at %x has magic %x, not %x: the loader "
                  "does not speak PVH", start_info_pa, si->magic,
                  HVM_START_MAGIC);
    if (si->version < 1 || !loader_map(start_info_pa, sizeof *si))
        boot_fail("PVH start info version %u has no memory map; Cairn needs "
                  "version 1 or later", si->version);
    bi->loader = "pvh";
    pvh_read_cmdline(si, bi);
    pvh_read_modules(si, bi);
    pvh_read_memmap(si, bi);
}
