/*
 * The kernel's page tables (vm.h).
 *
 * Built once by vm_init, from frames in kernel_pool:
 *   - the image at KERNEL_VMA + phys in 4 KiB pages: text read+execute,
 *     rodata read-only+NX, data and bss read+write+NX; no page is both
 *     writable and executable, and each stack's guard page is left out;
 *   - the physical map, [0, physmap_end) at PHYSMAP_BASE in 2 MiB pages,
 *     read+write+NX, covering at least the first 4 GiB and all usable RAM
 *     up to PHYSMAP_MAX;
 *   - nothing below the canonical hole: the boot identity map is gone once
 *     CR3 points here, so a stray low address faults.
 * Kernel mappings are global, so address-space switches keep them.
 */
#include "vm.h"

#include "console.h"
#include "cpu.h"
#include "layout.h"
#include "loader.h"
#include "stacks.h"

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[],
    _data_start[], _kernel_end[];

/* Image tables, a handful; physmap: one directory per GiB plus its PDPT. */
#define KERNEL_POOL_TABLES (8 + PHYSMAP_MAX / (1ull << 30))

static page_table_t kernel_tables[KERNEL_POOL_TABLES] __attribute__((aligned(4096)));
static pt_pool_t kernel_pool = { kernel_tables, KERNEL_POOL_TABLES, 0 };

/* Written once by vm_init. */
static page_table_t *kernel_root;
static uint64_t physmap_end;
static bool smep_on, smap_on;

uint64_t vm_image_phys(const void *p)
{
    return (uint64_t)(uintptr_t)p - KERNEL_VMA;
}

page_table_t *vm_table_of(pte_t entry)
{
    return (page_table_t *)(uintptr_t)(KERNEL_VMA + (entry & PTE_ADDR));
}

page_table_t *vm_kernel_root(void) { return kernel_root; }
bool vm_has_smep(void) { return smep_on; }
bool vm_has_smap(void) { return smap_on; }
uint64_t vm_physmap_end(void) { return physmap_end; }

static page_table_t *pool_take(pt_pool_t *pool)
{
    if (pool->used >= pool->count)
        return NULL;
    page_table_t *t = &pool->tables[pool->used++];
    for (unsigned i = 0; i < 512; i++)
        (*t)[i] = 0;
    return t;
}

static unsigned vm_index(uint64_t va, int level)
{
    return (va >> (12 + 9 * (level - 1))) & 511;
}

/*
 * The entry for va at `level` (1 = 4 KiB leaf, 2 = 2 MiB leaf), making
 * the tables above it as needed. NULL if the pool is empty or a large
 * page already covers va.
 */
static pte_t *vm_walk_create(page_table_t *root, uint64_t va, int level,
                             uint64_t link_flags, pt_pool_t *pool)
{
    page_table_t *t = root;
    for (int l = 4; l > level; l--) {
        pte_t *e = &(*t)[vm_index(va, l)];
        if (*e & PTE_PRESENT && *e & PTE_LARGE)
            return NULL;
        if (!(*e & PTE_PRESENT)) {
            page_table_t *next = pool_take(pool);
            if (!next)
                return NULL;
            *e = vm_image_phys(next) | PTE_PRESENT | PTE_WRITE;
        }
        *e |= link_flags;
        t = vm_table_of(*e);
    }
    return &(*t)[vm_index(va, level)];
}

bool vm_map_page(page_table_t *root, uint64_t va, uint64_t pa, uint64_t flags,
                 pt_pool_t *pool)
{
    pte_t *e = vm_walk_create(root, va, 1, flags & PTE_USER, pool);
    if (!e)
        return false;
    *e = (pa & PTE_ADDR) | flags | PTE_PRESENT;
    return true;
}

static bool vm_map_large(page_table_t *root, uint64_t va, uint64_t pa,
                         uint64_t flags, pt_pool_t *pool)
{
    pte_t *e = vm_walk_create(root, va, 2, 0, pool);
    if (!e)
        return false;
    *e = (pa & PTE_ADDR) | flags | PTE_PRESENT | PTE_LARGE;
    return true;
}

pte_t *vm_lookup(page_table_t *root, uint64_t va, int *level)
{
    page_table_t *t = root;
    for (int l = 4; l >= 1; l--) {
        pte_t *e = &(*t)[vm_index(va, l)];
        if (!(*e & PTE_PRESENT))
            return NULL;
        if (l == 1 || (l < 4 && *e & PTE_LARGE)) {
            if (level)
                *level = l;
            return e;
        }
        t = vm_table_of(*e);
    }
    return NULL;
}

page_table_t *vm_new_space(pt_pool_t *pool)
{
    page_table_t *root = pool_take(pool);
    if (!root)
        return NULL;
    for (unsigned i = 256; i < 512; i++)
        (*root)[i] = (*kernel_root)[i];
    return root;
}

static void vm_map_image_range(const char *start, const char *end, uint64_t flags)
{
    for (uint64_t va = (uintptr_t)start; va < (uintptr_t)end; va += PAGE_SIZE)
        if (!vm_map_page(kernel_root, va, vm_image_phys((void *)va),
                         flags | PTE_GLOBAL, &kernel_pool))
            boot_fail("out of page-table frames mapping the kernel image");
}

static void vm_map_image(void)
{
    vm_map_image_range(_text_start, _text_end, 0);
    vm_map_image_range(_rodata_start, _rodata_end, PTE_NX);
    vm_map_image_range(_data_start, _kernel_end, PTE_WRITE | PTE_NX);
    for (unsigned i = 0; i < STACK_COUNT; i++) {
        pte_t *guard = vm_lookup(kernel_root, (uintptr_t)x86_stacks[i].guard, NULL);
        if (guard)
            *guard = 0;
    }
}

/* At least the first 4 GiB; more if usable RAM goes higher; capped. */
static uint64_t vm_physmap_size(const boot_info_t *bi)
{
    uint64_t top = LOADER_WINDOW_END;
    for (uint32_t i = 0; i < bi->region_count && i < BOOT_MAX_REGIONS; i++) {
        const mem_region_t *r = &bi->regions[i];
        uint64_t end = r->base + r->size < r->base ? PHYSMAP_MAX : r->base + r->size;
        if (r->kind == MEM_USABLE && end > top)
            top = end;
    }
    if (top > PHYSMAP_MAX)
        top = PHYSMAP_MAX;
    return (top + LARGE_PAGE_SIZE - 1) & ~(LARGE_PAGE_SIZE - 1);
}

static void vm_map_physmap(void)
{
    for (uint64_t pa = 0; pa < physmap_end; pa += LARGE_PAGE_SIZE)
        if (!vm_map_large(kernel_root, PHYSMAP_BASE + pa, pa,
                          PTE_WRITE | PTE_NX | PTE_GLOBAL, &kernel_pool))
            boot_fail("out of page-table frames for the physical map");
}

static void remove_region(boot_info_t *bi, uint32_t i)
{
    for (; i + 1 < bi->region_count; i++)
        bi->regions[i] = bi->regions[i + 1];
    bi->region_count--;
}

/* The kernel can only use RAM it can reach: clip the rest, with a note. */
static void vm_clip_boot_info(boot_info_t *bi)
{
    for (uint32_t i = 0; i < bi->region_count;) {
        mem_region_t *r = &bi->regions[i];
        uint64_t end = r->base + r->size;
        if (r->kind != MEM_USABLE || (end >= r->base && end <= physmap_end)) {
            i++;
            continue;
        }
        con_printf("x86_64: RAM above %lu GiB is beyond the physical map; "
                   "not used\n", physmap_end >> 30);
        if (r->base >= physmap_end) {
            remove_region(bi, i);
            continue;
        }
        r->size = physmap_end - r->base;
        i++;
    }
    for (uint32_t i = 0; i < bi->module_count;) {
        const boot_module_t *m = &bi->modules[i];
        if (m->base + m->size <= physmap_end) {
            i++;
            continue;
        }
        con_printf("x86_64: module at %lx lies beyond the physical map; "
                   "dropped\n", m->base);
        for (uint32_t j = i; j + 1 < bi->module_count; j++)
            bi->modules[j] = bi->modules[j + 1];
        bi->module_count--;
    }
}

static void vm_enable_protections(void)
{
    uint64_t cr4 = read_cr4() | CR4_PGE;
    if (cpuid(0, 0).eax >= 7) {
        uint32_t features = cpuid(7, 0).ebx;
        smep_on = features & (1u << 7);
        smap_on = features & (1u << 20);
    }
    if (smep_on)
        cr4 |= CR4_SMEP;
    if (smap_on)
        cr4 |= CR4_SMAP;
    write_cr4(cr4);
}

void vm_init(boot_info_t *bi)
{
    if (bi->region_count > BOOT_MAX_REGIONS)
        bi->region_count = BOOT_MAX_REGIONS;
    kernel_root = pool_take(&kernel_pool);
    vm_map_image();
    physmap_end = vm_physmap_size(bi);
    vm_map_physmap();
    vm_clip_boot_info(bi);
    write_cr3(vm_image_phys(kernel_root));
    vm_enable_protections();
    con_printf("x86_64: paging: image W^X (text RX, rodata R NX, data RW NX), "
               "stack guards, physmap %lu MiB at %lx, user half empty\n",
               physmap_end >> 20, (uint64_t)PHYSMAP_BASE);
    con_printf("x86_64: protections: NX on, CR0.WP on, SMEP %s, SMAP %s, "
               "global pages on (%u of %lu table frames used)\n",
               smep_on ? "on" : "off (no CPU support)",
               smap_on ? "on" : "off (no CPU support)", kernel_pool.used,
               (uint64_t)KERNEL_POOL_TABLES);
}

_Static_assert(ARCH_PHYSMAP_BASE == PHYSMAP_BASE, "arch_inline.h knows the physical map");

void *arch_phys_to_virt(uint64_t paddr)
{
    if (paddr >= physmap_end)
        return NULL;
    return (void *)(uintptr_t)(PHYSMAP_BASE + paddr);
}

uint64_t arch_virt_to_phys(const void *vaddr)
{
    uint64_t va = (uint64_t)(uintptr_t)vaddr;
    if (va >= (uint64_t)(uintptr_t)_text_start && va < (uint64_t)(uintptr_t)_kernel_end)
        return va - KERNEL_VMA;
    if (va >= PHYSMAP_BASE && va - PHYSMAP_BASE < physmap_end)
        return va - PHYSMAP_BASE;
    return UINT64_MAX;   /* neither the image nor the physical map */
}
