/*
 * The kernel's own page tables: the kernel image mapped with W^X rights,
 * the physical map, nothing in the user half.
 *
 * All page-table frames the port itself uses come from static pools in the
 * kernel image (there is no kernel heap), so a table's physical address p
 * is always reachable at KERNEL_VMA + p, before and after the switch.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

#define PAGE_SIZE 4096ull
#define LARGE_PAGE_SIZE (2ull << 20)

/* Page-table entry bits. */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE   (1ull << 1)
#define PTE_USER    (1ull << 2)
#define PTE_LARGE   (1ull << 7)
#define PTE_GLOBAL  (1ull << 8)
#define PTE_NX      (1ull << 63)
#define PTE_ADDR    0x000ffffffffff000ull

typedef uint64_t pte_t;
typedef pte_t page_table_t[512];

/* A fixed set of page-table frames; `used` only grows. */
typedef struct {
    page_table_t *tables;   /* page-aligned, inside the kernel image */
    uint32_t count, used;
} pt_pool_t;

/*
 * Build the kernel tables from the boot memory map and switch to them;
 * then turn on global pages, SMEP and SMAP where the CPU has them. Usable
 * RAM beyond what the physical map can cover is clipped from `bi`, and
 * modules beyond it are dropped, each with a note. Boot CPU, once.
 */
void vm_init(boot_info_t *bi);

/* The kernel's top-level table, and the protections vm_init turned on. */
page_table_t *vm_kernel_root(void);
bool vm_has_smep(void);
bool vm_has_smap(void);

/* End of the physical map: phys [0, end) is mapped at PHYSMAP_BASE. */
uint64_t vm_physmap_end(void);

/* The physical address of a kernel image address. */
uint64_t vm_image_phys(const void *p);

/*
 * A new top-level table from `pool` that shares the kernel half
 * (entries 256-511) with the kernel's and has an empty user half; NULL if
 * the pool is empty. Kernel top-level entries never change after vm_init,
 * which is what makes sharing them safe.
 */
page_table_t *vm_new_space(pt_pool_t *pool);

/*
 * Map one 4 KiB page va -> pa with `flags` (PTE_* without PTE_PRESENT),
 * taking missing tables from `pool`. Intermediate entries get PTE_USER
 * only if the leaf has it. False if the pool is empty or a large page
 * is in the way.
 */
bool vm_map_page(page_table_t *root, uint64_t va, uint64_t pa, uint64_t flags,
                 pt_pool_t *pool);

/*
 * The leaf entry that maps `va` (a 4 KiB or 2 MiB entry), or NULL if no
 * table on the way is present. *level gets 1 for 4 KiB, 2 for 2 MiB.
 */
pte_t *vm_lookup(page_table_t *root, uint64_t va, int *level);

/* The table an entry points to (pool frames only; see above). */
page_table_t *vm_table_of(pte_t entry);
