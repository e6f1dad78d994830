/*
 * User page tables: the hardware's cache of the portable kernel's GPT
 * translations (the arch_pt_* hooks, arch.h). The portable kernel
 * decides what is mapped and when it is dropped; this file only edits
 * tables.
 *
 * Shape: a PML4 whose entries 0-255 cover the user half [0, 2^47), each
 * pointing to a PDPT, then a PD, then a PT of 4 KiB leaves. User leaves
 * are only ever 4 KiB, so every user entry above a PT points to a table,
 * and every such table belongs to exactly one root. Entries 256-511 are
 * copies of the kernel root's, which never change after vm_init.
 * Intermediate entries are present, writable and user; a leaf alone
 * says what ring 3 may do (U=1, W only if ARCH_MAP_WRITE, NX unless
 * ARCH_MAP_EXEC; never global).
 *
 * Table frames come from the caller's pool through `alloc` and go back
 * through `release` only in arch_pt_clear; unmapping leaves the tables
 * for a later map to reuse. If alloc runs dry part way down, the tables
 * already added stay linked and empty: no translation changed, and
 * arch_pt_clear gives them back like any other. Tables are reached
 * through the physical map; user memory never is (SMAP stays on).
 *
 * TLB policy (one CPU, no PCID; correctness first). Every CR3 load
 * flushes all non-global translations and the paging-structure caches,
 * so the TLB only ever holds translations of the live root (and the
 * kernel's global ones). Hence:
 *   - an edit of a root that is not live needs no flush;
 *   - an edit of the live root flushes what it changed: invlpg for each
 *     leaf that was present and changed, or, past FLUSH_PAGES_MAX such
 *     leaves in one unmap, a CR3 reload (a full flush);
 *   - a leaf that was absent needs no flush (x86 caches no not-present
 *     entry), nor do new tables linked below absent entries;
 *   - arch_pt_clear of the live root first switches to the kernel's
 *     root, so no released table stays reachable from CR3 or a cache,
 *     and the CPU never runs on a root its owner may free next.
 * The price is a full flush on each address-space switch; PCIDs would
 * remove it when measurements ask. More CPUs would need shootdowns.
 */
#include "pt.h"

#include "arch.h"
#include "cpu.h"
#include "layout.h"
#include "panic.h"

#define PT_ENTRIES       512u
#define PT_USER_ENTRIES  256u              /* PML4 entries of the user half */
#define PAGE_MASK        (PAGE_SIZE - 1)
#define PA_LIMIT         (1ull << 52)      /* MAXPHYADDR can be no larger */
#define LINK_FLAGS       (PTE_PRESENT | PTE_WRITE | PTE_USER)
#define FLUSH_PAGES_MAX  32u

_Static_assert(USER_VA_LIMIT == (uint64_t)PT_USER_ENTRIES << 39,
               "the user half is exactly the lower half of the PML4");

const uint64_t arch_user_va_limit = USER_VA_LIMIT;

/* The table at physical pa, through the physical map. */
static pte_t *table_at(uint64_t pa)
{
    pte_t *t = arch_phys_to_virt(pa);
    REQUIRE(t != NULL);
    return t;
}

/* va's index in its table at `level` (4: PML4 ... 1: PT). */
static unsigned pt_index(uint64_t va, int level)
{
    return (va >> (12 + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

/* The first address past the span one entry at `level` covers around va. */
static uint64_t span_end(uint64_t va, int level)
{
    return (va | ((1ull << (12 + 9 * (level - 1))) - 1)) + 1;
}

/* Where a user entry above the leaves points. Never a large page. */
static pte_t *table_below(pte_t e)
{
    REQUIRE((e & (PTE_LARGE | PTE_USER)) == PTE_USER);
    return table_at(e & PTE_ADDR);
}

/* Leave the live root for the kernel's: a full flush of the user half. */
static void pt_leave(void)
{
    write_cr3(vm_image_phys(vm_kernel_root()));
}

void arch_pt_root_init(uint64_t root)
{
    REQUIRE((root & PAGE_MASK) == 0 && root != 0 && root < PA_LIMIT);
    pte_t *t = table_at(root);
    const pte_t *kernel = *vm_kernel_root();
    for (unsigned i = 0; i < PT_USER_ENTRIES; i++)
        t[i] = 0;
    for (unsigned i = PT_USER_ENTRIES; i < PT_ENTRIES; i++)
        t[i] = kernel[i];
}

/*
 * The table the user entry *e points to, first linking in a frame from
 * alloc if *e is absent. NULL if alloc ran dry.
 */
static pte_t *table_or_new(pte_t *e, arch_pt_alloc_t alloc, void *cookie)
{
    if (!(*e & PTE_PRESENT)) {
        uint64_t pa = alloc(cookie);
        if (pa == 0)
            return NULL;
        REQUIRE((pa & PAGE_MASK) == 0 && pa < PA_LIMIT);
        *e = pa | LINK_FLAGS;
    }
    return table_below(*e);
}

static pte_t user_leaf(uint64_t pa, unsigned perms)
{
    pte_t e = pa | PTE_PRESENT | PTE_USER;
    if (perms & ARCH_MAP_WRITE)
        e |= PTE_WRITE;
    if (!(perms & ARCH_MAP_EXEC))
        e |= PTE_NX;
    return e;
}

bool arch_pt_map(uint64_t root, uint64_t va, uint64_t pa, unsigned perms,
                 arch_pt_alloc_t alloc, void *cookie)
{
    REQUIRE(((root | va | pa) & PAGE_MASK) == 0);
    REQUIRE(va < USER_VA_LIMIT && pa < PA_LIMIT);
    pte_t *t = table_at(root);
    for (int level = 4; level > 1 && t; level--)
        t = table_or_new(&t[pt_index(va, level)], alloc, cookie);
    if (!t)
        return false;
    pte_t *leaf = &t[pt_index(va, 1)];
    pte_t old = *leaf;
    *leaf = user_leaf(pa, perms);
    if ((old & PTE_PRESENT) && pt_is_live(root))
        invlpg(va);
    return true;
}

pte_t pt_lookup(uint64_t root, uint64_t va)
{
    if (va >= USER_VA_LIMIT)
        return 0;
    pte_t *t = table_at(root);
    for (int level = 4; level > 1; level--) {
        pte_t e = t[pt_index(va, level)];
        if (!(e & PTE_PRESENT))
            return 0;
        t = table_below(e);
    }
    pte_t leaf = t[pt_index(va, 1)];
    return (leaf & PTE_PRESENT) ? leaf : 0;
}

/* What one arch_pt_unmap has cleared so far, for its flush. */
typedef struct {
    bool live;            /* the root is CR3: flush as we go */
    unsigned cleared;     /* present leaves cleared */
} unmap_t;

/* Clear the leaf at va; invlpg it while few enough were cleared. */
static void unmap_leaf(pte_t *leaf, uint64_t va, unmap_t *u)
{
    if (!(*leaf & PTE_PRESENT))
        return;
    *leaf = 0;
    if (u->live && ++u->cleared <= FLUSH_PAGES_MAX)
        invlpg(va);
}

/*
 * Clear the leaves from va up to end or the end of va's PT, whichever
 * comes first; where a table is absent, skip the whole span it would
 * cover. Returns the address to go on from.
 */
static uint64_t unmap_step(pte_t *root_table, uint64_t va, uint64_t end,
                           unmap_t *u)
{
    pte_t *t = root_table;
    for (int level = 4; level > 1; level--) {
        pte_t e = t[pt_index(va, level)];
        if (!(e & PTE_PRESENT))
            return span_end(va, level);
        t = table_below(e);
    }
    uint64_t stop = span_end(va, 2) < end ? span_end(va, 2) : end;
    for (; va < stop; va += PAGE_SIZE)
        unmap_leaf(&t[pt_index(va, 1)], va, u);
    return stop;
}

void arch_pt_unmap(uint64_t root, uint64_t va, uint64_t size)
{
    REQUIRE(((root | va | size) & PAGE_MASK) == 0);
    uint64_t end = va + size;
    if (end < va || end > USER_VA_LIMIT)
        end = USER_VA_LIMIT;
    unmap_t u = { pt_is_live(root), 0 };
    pte_t *root_table = table_at(root);
    for (uint64_t at = va; at < end;)
        at = unmap_step(root_table, at, end, &u);
    if (u.cleared > FLUSH_PAGES_MAX)
        write_cr3(read_cr3());
}

/* Give back the table e points to, and (above level 2) every table below. */
static void release_tables(pte_t e, int level, arch_pt_release_t release,
                           void *cookie)
{
    pte_t *t = table_below(e);
    if (level > 2)
        for (unsigned i = 0; i < PT_ENTRIES; i++)
            if (t[i] & PTE_PRESENT)
                release_tables(t[i], level - 1, release, cookie);
    release(e & PTE_ADDR, cookie);
}

void arch_pt_clear(uint64_t root, arch_pt_release_t release, void *cookie)
{
    REQUIRE((root & PAGE_MASK) == 0 && root != 0);
    if (pt_is_live(root))
        pt_leave();
    pte_t *t = table_at(root);
    for (unsigned i = 0; i < PT_USER_ENTRIES; i++) {
        if (t[i] & PTE_PRESENT)
            release_tables(t[i], 4, release, cookie);
        t[i] = 0;
    }
}
