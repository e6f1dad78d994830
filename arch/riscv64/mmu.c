/*
 * The kernel's Sv39 tables. See mmu.h for the lifecycle.
 *
 * Invariants once mmu_build_kernel has returned NULL:
 *   - no page is both writable and executable;
 *   - section boundaries come from kernel.ld, which aligns each to 4 KiB,
 *     so no page mixes text with data;
 *   - every leaf has A and D set (QEMU may fault on a leaf without them
 *     rather than set them), and every kernel leaf is global;
 *   - page-table frames live in pt_pool, inside the kernel image, so
 *     they are reachable at a fixed VA before and after the switch.
 */
#include "mmu.h"

#include "csr.h"
#include "layout.h"

#define PT_POOL_PAGES  32
#define LEVELS         PT_LEVELS

/* Section bounds from kernel.ld, all 4 KiB aligned. */
extern char kernel_text_start[], kernel_text_end[];
extern char kernel_rodata_start[], kernel_rodata_end[];
extern char kernel_data_start[], kernel_data_end[];
extern char kernel_stack_bottom[], kernel_stack_top[];
extern char kernel_image_end[];

static pte_t pt_pool[PT_POOL_PAGES][PT_ENTRIES]
    __attribute__((aligned(PAGE_SIZE)));
static unsigned pt_pool_used;       /* written only by pool_alloc */
static pte_t *kernel_root;          /* set by mmu_build_kernel */
static bool physmap_live;           /* set by mmu_activate */
static bool kernel_half_shared;     /* set by mmu_share_kernel_half */

uint64_t mmu_kernel_pa(const void *kva)
{
    return (uint64_t)(uintptr_t)kva - KERNEL_VIRT_OFFSET;
}

static pte_t *pool_alloc(void)
{
    if (pt_pool_used >= PT_POOL_PAGES)
        return 0;
    pte_t *t = pt_pool[pt_pool_used++];
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        t[i] = 0;
    return t;
}

/* Where the table at physical pa can be read, or NULL if nowhere. */
static pte_t *table_at(uint64_t pa)
{
    uint64_t image_end = mmu_kernel_pa(kernel_image_end);
    if (pa >= KERNEL_PHYS_BASE && pa < image_end)
        return (pte_t *)(uintptr_t)(pa + KERNEL_VIRT_OFFSET);
    if (physmap_live && pa < PHYSMAP_SIZE)
        return (pte_t *)(uintptr_t)(PHYSMAP_BASE + pa);
    return 0;
}

/*
 * The entry for va at `level` (2: 1 GiB, 1: 2 MiB, 0: 4 KiB) under root,
 * creating the tables above it if `alloc`. NULL if a leaf is in the way,
 * a table is unreachable, the pool is empty, or a new root entry would
 * be missing from user roots that already copied the kernel half.
 */
static pte_t *pte_slot(pte_t *root, uint64_t va, int level, bool alloc)
{
    pte_t *table = root;
    for (int l = LEVELS - 1; l > level; l--) {
        pte_t *e = &table[pte_index(va, l)];
        if (!(*e & PTE_V)) {
            bool frozen = l == LEVELS - 1 && kernel_half_shared;
            pte_t *t = alloc && !frozen ? pool_alloc() : 0;
            if (!t)
                return 0;
            *e = (mmu_kernel_pa(t) >> PAGE_SHIFT) << PTE_PPN_SHIFT | PTE_V;
        } else if (pte_is_leaf(*e)) {
            return 0;
        }
        table = table_at(pte_pa(*e));
        if (!table)
            return 0;
    }
    return &table[pte_index(va, level)];
}

static pte_t leaf(uint64_t pa, uint64_t flags)
{
    return (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT | flags | PTE_V | PTE_A | PTE_D;
}

/* The largest page level that va, pa and size allow. */
static int page_level(uint64_t va, uint64_t pa, uint64_t size)
{
    for (int level = LEVELS - 1; level > 0; level--) {
        uint64_t step = 1ull << (PAGE_SHIFT + 9 * level);
        if (((va | pa) & (step - 1)) == 0 && size >= step)
            return level;
    }
    return 0;
}

/* Map [va, va+size) to pa with the largest pages that fit. Page aligned. */
static const char *map_range(uint64_t va, uint64_t pa, uint64_t size,
                             uint64_t flags)
{
    while (size > 0) {
        int level = page_level(va, pa, size);
        uint64_t step = 1ull << (PAGE_SHIFT + 9 * level);
        pte_t *e = pte_slot(kernel_root, va, level, true);
        if (!e)
            return pt_pool_used >= PT_POOL_PAGES
                       ? "page-table pool exhausted (raise PT_POOL_PAGES)"
                       : "kernel mappings overlap";
        if (*e & PTE_V)
            return "kernel mappings overlap";
        *e = leaf(pa, flags);
        va += step;
        pa += step;
        size -= step;
    }
    return 0;
}

static const char *map_image_part(char *start, char *end, uint64_t flags)
{
    uint64_t va = (uint64_t)(uintptr_t)start;
    return map_range(va, mmu_kernel_pa(start), (uint64_t)(end - start),
                     flags | PTE_G);
}

static const char *map_image(void)
{
    const char *why = map_image_part(kernel_text_start, kernel_text_end,
                                     PTE_R | PTE_X);
    if (!why)
        why = map_image_part(kernel_rodata_start, kernel_rodata_end, PTE_R);
    if (!why)
        why = map_image_part(kernel_data_start, kernel_data_end,
                             PTE_R | PTE_W);
    if (!why)
        why = map_image_part(kernel_stack_bottom, kernel_stack_top,
                             PTE_R | PTE_W);
    return why;
}

/* ---- The physical map ------------------------------------------------------ */

typedef struct {
    uint64_t base, end;
} span_t;

/* Usable RAM from bi, page-aligned inward, sorted and merged. */
static uint32_t ram_spans(const boot_info_t *bi, span_t *out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < bi->region_count && i < BOOT_MAX_REGIONS; i++) {
        const mem_region_t *r = &bi->regions[i];
        uint64_t base = (r->base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
        uint64_t end = r->base + r->size;
        if (r->kind != MEM_USABLE || end < r->base || base < r->base)
            continue;
        end &= ~(uint64_t)(PAGE_SIZE - 1);
        if (end > PHYSMAP_SIZE)
            end = PHYSMAP_SIZE;
        if (base >= end)
            continue;
        uint32_t j = n++;
        for (; j > 0 && out[j - 1].base > base; j--)
            out[j] = out[j - 1];
        out[j] = (span_t){ base, end };
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (m > 0 && out[i].base <= out[m - 1].end) {
            if (out[i].end > out[m - 1].end)
                out[m - 1].end = out[i].end;
        } else {
            out[m++] = out[i];
        }
    }
    return m;
}

static const char *map_physmap(const boot_info_t *bi)
{
    span_t spans[BOOT_MAX_REGIONS];
    uint32_t n = ram_spans(bi, spans);
    if (n == 0)
        return "no RAM below the physical map's limit";
    for (uint32_t i = 0; i < n; i++) {
        const char *why = map_range(PHYSMAP_BASE + spans[i].base, spans[i].base,
                                    spans[i].end - spans[i].base,
                                    PTE_R | PTE_W | PTE_G);
        if (why)
            return why;
    }
    return 0;
}

const char *mmu_build_kernel(const boot_info_t *bi)
{
    kernel_root = pool_alloc();
    if (!kernel_root)
        return "page-table pool exhausted";
    const char *why = map_image();
    return why ? why : map_physmap(bi);
}

uint64_t mmu_map_device(uint64_t pa, uint64_t size)
{
    uint64_t first = pa & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = (pa + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    if (size == 0 || end <= first || end > DEVMAP_SIZE)
        return 0;
    for (uint64_t p = first; p < end; p += PAGE_SIZE) {
        pte_t *e = pte_slot(kernel_root, DEVMAP_BASE + p, 0, true);
        if (!e)
            return 0;
        *e = leaf(p, PTE_R | PTE_W | PTE_G);
        sfence_vma_addr(DEVMAP_BASE + p);
    }
    return DEVMAP_BASE + pa;
}

void mmu_activate(void)
{
    uint64_t root_pa = mmu_kernel_pa(kernel_root);
    sfence_vma_all();
    csr_write(satp, SATP_MODE_SV39 | root_pa >> PAGE_SHIFT);
    sfence_vma_all();
    physmap_live = true;
}

uint64_t mmu_current_root(void)
{
    return (csr_read(satp) & ((1ull << 44) - 1)) << PAGE_SHIFT;
}

void mmu_share_kernel_half(pte_t *root)
{
    kernel_half_shared = true;
    for (unsigned i = PT_KERNEL_FIRST; i < PT_ENTRIES; i++)
        root[i] = kernel_root[i];
}

/* Is va a valid Sv39 address (bits 63..39 copies of bit 38)? */
static bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 25) >> 25) == va;
}

pte_t mmu_lookup(uint64_t va)
{
    return mmu_lookup_in(mmu_current_root(), va);
}

pte_t mmu_lookup_in(uint64_t root_pa, uint64_t va)
{
    if (!canonical(va))
        return 0;
    pte_t *table = table_at(root_pa);
    for (int level = LEVELS - 1; table && level >= 0; level--) {
        pte_t e = table[pte_index(va, level)];
        if (!(e & PTE_V) || ((e & PTE_W) && !(e & PTE_R)))
            return 0;
        if (pte_is_leaf(e))
            return e;
        table = table_at(pte_pa(e));
    }
    return 0;
}

bool mmu_map_page(uint64_t va, uint64_t pa, uint64_t flags)
{
    if ((flags & PTE_W) && (flags & PTE_X))
        return false;                   /* W^X holds for every mapping */
    pte_t *e = pte_slot(kernel_root, va, 0, true);
    if (!e)
        return false;
    *e = leaf(pa, flags | ((flags & PTE_U) ? 0 : PTE_G));
    sfence_vma_addr(va);
    return true;
}

void mmu_unmap_page(uint64_t va)
{
    pte_t *e = pte_slot(kernel_root, va, 0, false);
    if (e)
        *e = 0;
    sfence_vma_addr(va);
}

/* ---- The arch seam --------------------------------------------------------- */

_Static_assert(ARCH_PHYSMAP_BASE == PHYSMAP_BASE, "arch_inline.h knows the physical map");

void *arch_phys_to_virt(uint64_t paddr)
{
    return (void *)(uintptr_t)(PHYSMAP_BASE + paddr);
}

uint64_t arch_virt_to_phys(const void *vaddr)
{
    uint64_t va = (uint64_t)(uintptr_t)vaddr;
    if (va >= PHYSMAP_BASE && va - PHYSMAP_BASE < PHYSMAP_SIZE)
        return va - PHYSMAP_BASE;
    if (va >= KERNEL_VIRT_BASE && va < (uint64_t)(uintptr_t)kernel_image_end)
        return va - KERNEL_VIRT_OFFSET;
    return UINT64_MAX;   /* neither: outside the contract */
}
