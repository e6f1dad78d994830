/*
 * The kernel's own Sv39 page tables (layout in layout.h).
 *
 * Lifecycle: entry.S runs on a boot table that identity-maps the low
 * 4 GiB and maps the image high. mmu_build_kernel() then builds the final
 * tables (image W^X, physical map, nothing low), mmu_map_device() adds
 * MMIO pages, and mmu_activate() switches to them, after which nothing
 * below the kernel half is mapped.
 *
 * Page-table frames come from a fixed pool in .bss: the kernel has no
 * heap. Tables are never freed; an unmapped leaf leaves its tables.
 * Single CPU, called with interrupts off (no locking yet).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "layout.h"

typedef uint64_t pte_t;

#define PT_ENTRIES     512
#define PT_LEVELS      3
/* Root entries from here up map the kernel half, the same in every root. */
#define PT_KERNEL_FIRST 256

static inline uint64_t pte_pa(pte_t e)
{
    return (e >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

/* A valid entry with R or X maps memory; with neither it points to a table. */
static inline bool pte_is_leaf(pte_t e)
{
    return (e & (PTE_R | PTE_X)) != 0;
}

/* The index of va in its table at `level` (2: root, 0: 4 KiB leaves). */
static inline unsigned pte_index(uint64_t va, int level)
{
    return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}

/*
 * Build the final kernel tables: text RX, rodata R, data/bss and the
 * boot stack RW (the stack's guard page left unmapped), and all usable
 * RAM in bi at PHYSMAP_BASE + PA, RW. Returns NULL or a reason.
 */
const char *mmu_build_kernel(const boot_info_t *bi);

/*
 * Map device registers [pa, pa + size) RW, never executable, at
 * DEVMAP_BASE + pa in the kernel tables. Returns the virtual address of
 * pa, or 0 if pa is beyond the device window or the pool ran out.
 * Valid once the tables are active.
 */
uint64_t mmu_map_device(uint64_t pa, uint64_t size);

/* Switch this CPU to the kernel tables and flush its TLB. */
void mmu_activate(void);

/* The physical address of the root table this CPU uses now (satp). */
uint64_t mmu_current_root(void);

/*
 * Copy the kernel half of the kernel root (entries PT_KERNEL_FIRST and
 * up) into `root`, so that root maps the kernel exactly as the kernel
 * tables do: the tables below those entries are shared. From the first
 * call on, mmu_map_device and mmu_map_page refuse a mapping that would
 * need a new kernel root entry, since roots already copied would miss it.
 */
void mmu_share_kernel_half(pte_t *root);

/*
 * The valid leaf PTE that maps va in the tables this CPU uses now
 * (satp), or 0 if there is none. Walks the tables in memory, not the TLB.
 */
pte_t mmu_lookup(uint64_t va);

/* The same, in the tables whose root is at physical root_pa. */
pte_t mmu_lookup_in(uint64_t root_pa, uint64_t va);

/*
 * Map one 4 KiB page in the kernel tables (flags: PTE_R/W/X/U; V, A
 * and D are added; G is added unless PTE_U). False if W and X are both
 * asked for, the slot is under a superpage, or the pool is empty. Flushes va from this CPU's TLB.
 */
bool mmu_map_page(uint64_t va, uint64_t pa, uint64_t flags);

/* Remove the 4 KiB mapping of va, if any, and flush it from the TLB. */
void mmu_unmap_page(uint64_t va);

/* The physical address of a kernel image address (text, data, bss). */
uint64_t mmu_kernel_pa(const void *kva);
